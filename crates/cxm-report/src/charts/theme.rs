//! One palette and type scale for every chart, on screen and in print.

use plotters::style::RGBColor;

/// A colour per building block (Okabe–Ito: distinguishable with the common forms of
/// colour blindness). Blocks beyond the fourth take the next colours in turn.
pub const BLOCK_COLOURS: [RGBColor; 6] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(230, 159, 0),   // orange
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(213, 94, 0),    // vermillion
];

/// Colour of block `i`.
pub fn block_colour(i: usize) -> RGBColor {
    BLOCK_COLOURS[i % BLOCK_COLOURS.len()]
}

/// Body text.
pub const INK: RGBColor = RGBColor(33, 37, 41);
/// Secondary text, axes.
pub const MUTED: RGBColor = RGBColor(108, 117, 125);
/// Gridlines.
pub const GRID: RGBColor = RGBColor(222, 226, 230);
/// The threshold line and flags.
pub const ALERT: RGBColor = RGBColor(213, 94, 0);
/// Not assessed / hidden cells.
pub const EMPTY: RGBColor = RGBColor(241, 243, 245);

/// The font family every chart uses; the PDF backend maps it to the embedded Noto Sans.
pub const FONT: &str = "Noto Sans";
