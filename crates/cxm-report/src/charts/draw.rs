//! Drawing helpers shared by the charts: a canvas with f64 coordinates scaled to the
//! area's width, text measured with the embedded font, dashes, hatching, markers and
//! a flowing legend.

use super::theme::{self, FONT, INK, MUTED};
use super::{ChartError, FONT_BOLD, FONT_REGULAR};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::sync::LazyLock;

static REGULAR: LazyLock<ttf_parser::Face<'static>> =
    LazyLock::new(|| ttf_parser::Face::parse(FONT_REGULAR, 0).expect("embedded Noto Sans Regular"));
static BOLD: LazyLock<ttf_parser::Face<'static>> =
    LazyLock::new(|| ttf_parser::Face::parse(FONT_BOLD, 0).expect("embedded Noto Sans Bold"));

/// Width of `text` set at an em size of `px` (regular or bold), in the same units as
/// `px`: the sum of the glyphs' advances (no kerning, so never narrower than a
/// renderer that kerns). Text in Noto Sans is measured here; characters it lacks
/// (Arabic, Hebrew, CJK, symbols, emoji) are measured as the PDF draws them, in the
/// fallback face that has them, shaped (see `pdf::fonts`).
pub fn text_width(text: &str, px: f64, bold: bool) -> f64 {
    let face: &ttf_parser::Face<'static> = if bold { &BOLD } else { &REGULAR };
    let upm = f64::from(face.units_per_em());
    let mut units = 0.0;
    for c in text.chars() {
        match face.glyph_index(c).and_then(|g| face.glyph_hor_advance(g)) {
            Some(a) => units += f64::from(a),
            None => {
                let weight = crate::pdf::Weight::from_bold(bold);
                return f64::from(crate::pdf::fonts::text_width_unkerned(
                    weight, px as f32, text,
                ));
            }
        }
    }
    units * px / upm
}

/// plotters' font size per em: the face's (ascender − descender) / units per em, the
/// `ab_glyph` convention that plotters' own measurement and the PDF backend use
/// (≈ 1.362 for Noto Sans). The SVG output is rewritten to match (see `tidy_svg`).
pub(crate) fn size_per_em(bold: bool) -> f64 {
    let face: &ttf_parser::Face<'static> = if bold { &BOLD } else { &REGULAR };
    (f64::from(face.ascender()) - f64::from(face.descender())) / f64::from(face.units_per_em())
}

/// Half the capital height, in em: where `VPos::Center` puts the baseline below the
/// anchor in the PDF backend (capitals and figures centred on the anchor).
pub(crate) fn half_cap_height() -> f64 {
    let face: &ttf_parser::Face<'static> = &REGULAR;
    let cap = face.capital_height().map_or(714.0, f64::from);
    cap / f64::from(face.units_per_em()) / 2.0
}

/// A font: em size in canvas px (before scaling), weight and colour.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Font {
    pub px: f64,
    pub bold: bool,
    pub colour: RGBColor,
}

impl Font {
    pub fn new(px: f64) -> Self {
        Font {
            px,
            bold: false,
            colour: INK,
        }
    }
    pub fn bold(self) -> Self {
        Font { bold: true, ..self }
    }
    pub fn colour(self, colour: RGBColor) -> Self {
        Font { colour, ..self }
    }
}

/// Type scale, in px at a 1000-px-wide canvas (18 px ≈ 9 pt at 170 mm).
pub(crate) const LABEL: f64 = 18.0;
pub(crate) const SMALL: f64 = 16.0;
pub(crate) const TINY: f64 = 15.0;

/// Horizontal anchor of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Centre,
    Right,
}

/// `c` mixed with white: `amount` 0 is white, 1 is `c`.
pub(crate) fn tint(c: RGBColor, amount: f64) -> RGBColor {
    let mix = |v: u8| (255.0 - (255.0 - f64::from(v)) * amount).round() as u8;
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

pub(crate) const WHITE_: RGBColor = RGBColor(255, 255, 255);

/// Marker shapes, one per block colour index, so that lines stay distinguishable in
/// greyscale print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Marker {
    Circle,
    Square,
    Diamond,
    Triangle,
}

impl Marker {
    pub fn for_block(i: usize) -> Marker {
        [
            Marker::Circle,
            Marker::Square,
            Marker::Diamond,
            Marker::Triangle,
        ][i % 4]
    }
}

/// A drawing area seen with f64 coordinates; `s` scales lengths designed for a
/// 1000-px-wide canvas to this area.
pub(crate) struct Canvas<'a, DB: DrawingBackend> {
    area: &'a DrawingArea<DB, Shift>,
    pub w: f64,
    pub h: f64,
    pub s: f64,
}

fn pt(x: f64, y: f64) -> (i32, i32) {
    (x.round() as i32, y.round() as i32)
}

impl<'a, DB: DrawingBackend> Canvas<'a, DB> {
    pub fn new(area: &'a DrawingArea<DB, Shift>) -> Self {
        let (w, h) = area.dim_in_pixel();
        let (w, h) = (f64::from(w), f64::from(h));
        Canvas {
            area,
            w,
            h,
            s: w / f64::from(super::CHART_WIDTH),
        }
    }

    /// Fills the whole canvas white.
    pub fn clear(&self) -> Result<(), ChartError> {
        self.area.fill(&WHITE)?;
        Ok(())
    }

    /// A length designed for a 1000-px canvas, on this canvas.
    pub fn u(&self, v: f64) -> f64 {
        v * self.s
    }

    fn stroke(&self, width: f64) -> u32 {
        (width * self.s).round().max(1.0) as u32
    }

    /// Width of a text in this canvas's px.
    pub fn width(&self, text: &str, font: Font) -> f64 {
        text_width(text, font.px * self.s, font.bold)
    }

    /// Line height for a font.
    pub fn line_h(&self, font: Font) -> f64 {
        font.px * self.s * 1.3
    }

    /// One line of text; `y` is its vertical centre.
    pub fn text(
        &self,
        text: &str,
        x: f64,
        y: f64,
        font: Font,
        align: Align,
    ) -> Result<(), ChartError> {
        if text.is_empty() {
            return Ok(());
        }
        let h = match align {
            Align::Left => HPos::Left,
            Align::Centre => HPos::Center,
            Align::Right => HPos::Right,
        };
        let desc = FontDesc::new(
            FontFamily::Name(FONT),
            font.px * self.s * size_per_em(font.bold),
            if font.bold {
                FontStyle::Bold
            } else {
                FontStyle::Normal
            },
        );
        let style = TextStyle::from(desc)
            .color(&font.colour)
            .pos(Pos::new(h, VPos::Center));
        self.area
            .draw(&Text::new(text.to_string(), pt(x, y), style))?;
        Ok(())
    }

    /// Runs of differently styled text on one line, aligned as a whole.
    pub fn runs(
        &self,
        runs: &[(&str, Font)],
        x: f64,
        y: f64,
        align: Align,
    ) -> Result<(), ChartError> {
        let total: f64 = runs.iter().map(|(t, f)| self.width(t, *f)).sum();
        let mut x = match align {
            Align::Left => x,
            Align::Centre => x - total / 2.0,
            Align::Right => x - total,
        };
        for (t, f) in runs {
            // SVG renderers drop leading and trailing spaces: place the visible part.
            let trimmed = t.trim_start();
            let lead = self.width(&t[..t.len() - trimmed.len()], *f);
            self.text(trimmed.trim_end(), x + lead, y, *f, Align::Left)?;
            x += self.width(t, *f);
        }
        Ok(())
    }

    pub fn fill_rect(
        &self,
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
        c: RGBColor,
    ) -> Result<(), ChartError> {
        self.area
            .draw(&Rectangle::new([pt(x0, y0), pt(x1, y1)], c.filled()))?;
        Ok(())
    }

    /// A rectangle's outline (as a path, so the stroke width is honoured everywhere).
    pub fn stroke_rect(
        &self,
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
        c: RGBColor,
        width: f64,
    ) -> Result<(), ChartError> {
        let xm = (x0 + x1) / 2.0;
        self.path(
            &[(xm, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0), (xm, y0)],
            c,
            width,
        )
    }

    pub fn path(&self, points: &[(f64, f64)], c: RGBColor, width: f64) -> Result<(), ChartError> {
        let pts: Vec<(i32, i32)> = points.iter().map(|&(x, y)| pt(x, y)).collect();
        self.area
            .draw(&PathElement::new(pts, c.stroke_width(self.stroke(width))))?;
        Ok(())
    }

    pub fn line(
        &self,
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
        c: RGBColor,
        width: f64,
    ) -> Result<(), ChartError> {
        self.path(&[(x0, y0), (x1, y1)], c, width)
    }

    /// A dashed polyline: `dash` on, `gap` off (lengths before scaling).
    pub fn dashed(
        &self,
        points: &[(f64, f64)],
        c: RGBColor,
        width: f64,
        dash: f64,
        gap: f64,
    ) -> Result<(), ChartError> {
        let (dash, gap) = (self.u(dash), self.u(gap));
        let mut on = true;
        let mut left = dash;
        let mut current: Vec<(f64, f64)> = Vec::new();
        for seg in points.windows(2) {
            let ((mut x0, mut y0), (x1, y1)) = (seg[0], seg[1]);
            let mut len = ((x1 - x0).powi(2) + (y1 - y0).powi(2)).sqrt();
            if len == 0.0 {
                continue;
            }
            let (ux, uy) = ((x1 - x0) / len, (y1 - y0) / len);
            if on && current.is_empty() {
                current.push((x0, y0));
            }
            while len > 0.0 {
                let step = left.min(len);
                x0 += ux * step;
                y0 += uy * step;
                len -= step;
                left -= step;
                if left <= 1e-9 {
                    if on {
                        current.push((x0, y0));
                        self.path(&current, c, width)?;
                        current.clear();
                        left = gap;
                    } else {
                        current.push((x0, y0));
                        left = dash;
                    }
                    on = !on;
                } else if on {
                    current.push((x0, y0));
                }
            }
        }
        if on && current.len() > 1 {
            self.path(&current, c, width)?;
        }
        Ok(())
    }

    pub fn polygon(&self, points: &[(f64, f64)], c: RGBColor) -> Result<(), ChartError> {
        let pts: Vec<(i32, i32)> = points.iter().map(|&(x, y)| pt(x, y)).collect();
        self.area.draw(&Polygon::new(pts, c.filled()))?;
        Ok(())
    }

    pub fn circle(
        &self,
        x: f64,
        y: f64,
        r: f64,
        c: RGBColor,
        fill: bool,
        width: f64,
    ) -> Result<(), ChartError> {
        let style = ShapeStyle {
            color: c.to_rgba(),
            filled: fill,
            stroke_width: self.stroke(width),
        };
        self.area
            .draw(&Circle::new(pt(x, y), r.round().max(1.0) as u32, style))?;
        Ok(())
    }

    /// Diagonal hatching ("/") inside a rectangle, with a light background.
    pub fn hatch(&self, x0: f64, y0: f64, x1: f64, y1: f64) -> Result<(), ChartError> {
        self.fill_rect(x0, y0, x1, y1, theme::EMPTY)?;
        let step = self.u(9.0);
        let line = tint(MUTED, 0.45);
        let mut c = x0 + y0 + step / 2.0;
        while c < x1 + y1 {
            // Points on x + y = c inside the rectangle.
            let xa = (c - y1).max(x0);
            let xb = (c - y0).min(x1);
            if xb > xa {
                self.line(xa, c - xa, xb, c - xb, line, 1.0)?;
            }
            c += step;
        }
        Ok(())
    }

    /// A marker of radius `r` (before scaling) centred on (x, y), with a white rim so
    /// overlapping markers stay apart. `hollow` draws a white inside.
    pub fn marker(
        &self,
        m: Marker,
        x: f64,
        y: f64,
        r: f64,
        c: RGBColor,
        hollow: bool,
    ) -> Result<(), ChartError> {
        let r = self.u(r);
        let rim = self.u(2.0);
        let shape = |r: f64| -> Vec<(f64, f64)> {
            match m {
                Marker::Circle => Vec::new(),
                Marker::Square => {
                    let r = r * 0.9;
                    vec![
                        (x - r, y - r),
                        (x + r, y - r),
                        (x + r, y + r),
                        (x - r, y + r),
                    ]
                }
                Marker::Diamond => {
                    let r = r * 1.25;
                    vec![(x, y - r), (x + r, y), (x, y + r), (x - r, y)]
                }
                Marker::Triangle => {
                    let r = r * 1.3;
                    vec![
                        (x, y - r),
                        (x + r * 0.866, y + r * 0.5),
                        (x - r * 0.866, y + r * 0.5),
                    ]
                }
            }
        };
        let draw = |r: f64, colour: RGBColor| -> Result<(), ChartError> {
            if m == Marker::Circle {
                self.circle(x, y, r, colour, true, 1.0)
            } else {
                self.polygon(&shape(r), colour)
            }
        };
        draw(r + rim, WHITE_)?;
        draw(r, c)?;
        if hollow {
            draw(r - self.u(2.5), WHITE_)?;
        }
        Ok(())
    }

    /// A filled triangle pointing up (the flag marker), `size` before scaling, centred
    /// on (x, y).
    pub fn flag(&self, x: f64, y: f64, size: f64, c: RGBColor) -> Result<(), ChartError> {
        let h = self.u(size);
        let w = h * 1.15;
        self.polygon(
            &[
                (x, y - h / 2.0),
                (x + w / 2.0, y + h / 2.0),
                (x - w / 2.0, y + h / 2.0),
            ],
            c,
        )
    }

    /// Draws a legend that flows left to right and wraps, between `x0` and `x1`, its first
    /// row centred on `y`; returns the height it used. Centred rows when `centre`.
    pub fn legend(
        &self,
        items: &[LegendItem],
        x0: f64,
        x1: f64,
        y: f64,
        centre: bool,
    ) -> Result<f64, ChartError> {
        let rows = self.legend_rows(items, x1 - x0);
        let row_h = self.u(LEGEND_ROW);
        for (r, row) in rows.iter().enumerate() {
            let width: f64 = self.row_width(items, row);
            // A row wider than the legend (one long label) starts at its left edge,
            // where the label is cut to fit.
            let mut x = if centre {
                x0 + ((x1 - x0) - width).max(0.0) / 2.0
            } else {
                x0
            };
            let yc = y + r as f64 * row_h;
            for &i in row {
                let item = &items[i];
                self.swatch(&item.swatch, x, yc)?;
                let label_x = x + self.u(SWATCH_W + 8.0);
                let room = x1 - label_x;
                let label = fit(&item.label, self.u(item.font.px), item.font.bold, room);
                self.text(&label, label_x, yc, item.font, Align::Left)?;
                x += self.item_width(item) + self.u(LEGEND_SPACING);
            }
        }
        Ok(rows.len() as f64 * row_h)
    }

    /// Height a legend will take in `width`.
    pub fn legend_height(&self, items: &[LegendItem], width: f64) -> f64 {
        legend_height(items, width, self.s)
    }

    fn item_width(&self, item: &LegendItem) -> f64 {
        item_width(item, self.s)
    }

    fn row_width(&self, items: &[LegendItem], row: &[usize]) -> f64 {
        let sum: f64 = row.iter().map(|&i| self.item_width(&items[i])).sum();
        sum + self.u(LEGEND_SPACING) * (row.len().saturating_sub(1)) as f64
    }

    fn legend_rows(&self, items: &[LegendItem], width: f64) -> Vec<Vec<usize>> {
        legend_rows(items, width, self.s)
    }

    /// A legend swatch, `SWATCH_W` wide, vertically centred on `y`.
    pub fn swatch(&self, swatch: &Swatch, x: f64, y: f64) -> Result<(), ChartError> {
        let w = self.u(SWATCH_W);
        let hh = self.u(8.0);
        match swatch {
            Swatch::Stripes(colours) => {
                let n = colours.len().max(1) as f64;
                for (i, c) in colours.iter().enumerate() {
                    let a = x + w * i as f64 / n;
                    self.fill_rect(a, y - hh, a + w / n, y + hh, *c)?;
                }
            }
            Swatch::Fill { fill, outline } => {
                self.fill_rect(x, y - hh, x + w, y + hh, *fill)?;
                if let Some(o) = outline {
                    self.stroke_rect(x, y - hh, x + w, y + hh, *o, 2.0)?;
                }
            }
            Swatch::Line {
                colour,
                width,
                dashed,
                marker,
            } => {
                let pts = [(x, y), (x + w, y)];
                if *dashed {
                    self.dashed(&pts, *colour, *width, 7.0, 4.0)?;
                } else {
                    self.path(&pts, *colour, *width)?;
                }
                if let Some((m, hollow)) = marker {
                    self.marker(*m, x + w / 2.0, y, 5.0, *colour, *hollow)?;
                }
            }
            Swatch::Tick(c) => {
                self.fill_rect(x, y - hh, x + w, y + hh, theme::EMPTY)?;
                self.line(
                    x + w / 2.0,
                    y - self.u(11.0),
                    x + w / 2.0,
                    y + self.u(11.0),
                    *c,
                    3.0,
                )?;
            }
            Swatch::Hatch => {
                self.hatch(x, y - hh, x + w, y + hh)?;
            }
            Swatch::Flag(c) => {
                self.flag(x + w / 2.0, y, 14.0, *c)?;
            }
            Swatch::DashedOutline(c) => {
                self.fill_rect(x, y - hh, x + w, y + hh, WHITE_)?;
                self.dashed_rect(x, y - hh, x + w, y + hh, *c, 2.0)?;
            }
        }
        Ok(())
    }

    /// A rectangle's dashed outline.
    pub fn dashed_rect(
        &self,
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
        c: RGBColor,
        width: f64,
    ) -> Result<(), ChartError> {
        for side in [
            [(x0, y0), (x1, y0)],
            [(x1, y0), (x1, y1)],
            [(x1, y1), (x0, y1)],
            [(x0, y1), (x0, y0)],
        ] {
            self.dashed(&side, c, width, 6.0, 4.0)?;
        }
        Ok(())
    }
}

/// Height of a legend of `items` flowing in `width`, at scale `s`.
pub(crate) fn legend_height(items: &[LegendItem], width: f64, s: f64) -> f64 {
    legend_rows(items, width, s).len() as f64 * LEGEND_ROW * s
}

fn item_width(item: &LegendItem, s: f64) -> f64 {
    (SWATCH_W + 8.0) * s + text_width(&item.label, item.font.px * s, item.font.bold)
}

fn legend_rows(items: &[LegendItem], width: f64, s: f64) -> Vec<Vec<usize>> {
    let mut rows: Vec<Vec<usize>> = Vec::new();
    let mut used = 0.0;
    for (i, item) in items.iter().enumerate() {
        let w = item_width(item, s);
        match rows.last_mut() {
            Some(row) if used + LEGEND_SPACING * s + w <= width => {
                row.push(i);
                used += LEGEND_SPACING * s + w;
            }
            _ => {
                rows.push(vec![i]);
                used = w;
            }
        }
    }
    rows
}

pub(crate) const LEGEND_ROW: f64 = 30.0;
pub(crate) const SWATCH_W: f64 = 36.0;
const LEGEND_SPACING: f64 = 28.0;

/// What a legend item shows before its label.
pub(crate) enum Swatch {
    /// Vertical stripes of colours (a fill in "the block's colour").
    Stripes(Vec<RGBColor>),
    Fill {
        fill: RGBColor,
        outline: Option<RGBColor>,
    },
    Line {
        colour: RGBColor,
        width: f64,
        dashed: bool,
        marker: Option<(Marker, bool)>,
    },
    /// The threshold tick on a track.
    Tick(RGBColor),
    Hatch,
    Flag(RGBColor),
    /// A white box with a dashed outline (a roadmap item not started).
    DashedOutline(RGBColor),
}

pub(crate) struct LegendItem {
    pub swatch: Swatch,
    pub label: String,
    pub font: Font,
}

impl LegendItem {
    pub fn new(swatch: Swatch, label: impl Into<String>) -> Self {
        LegendItem {
            swatch,
            label: label.into(),
            font: Font::new(SMALL),
        }
    }
}

/// `text` cut with an ellipsis to fit `max` (in the same px as `px`).
pub(crate) fn fit(text: &str, px: f64, bold: bool, max: f64) -> String {
    if text_width(text, px, bold) <= max {
        return text.to_string();
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let candidate: String = chars.iter().collect::<String>().trim_end().to_string() + "…";
        if text_width(&candidate, px, bold) <= max {
            return candidate;
        }
    }
    "…".to_string()
}

/// Greedy word wrap to `max` width, at most `max_lines` lines (the last one cut with an
/// ellipsis if needed).
pub(crate) fn wrap(text: &str, px: f64, bold: bool, max: f64, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if line.is_empty() || text_width(&candidate, px, bold) <= max {
            line = candidate;
        } else {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines {
        let rest = lines[max_lines - 1..].join(" ");
        lines.truncate(max_lines - 1);
        lines.push(rest);
    }
    for l in lines.iter_mut() {
        *l = fit(l, px, bold, max);
    }
    lines
}

/// A figure for display: two decimals, rounded down (a value below the threshold never
/// shows as equal to it).
pub(crate) fn figure(x: f64) -> String {
    cxm_domain::explain::figure(x)
}

/// Colour for text on a background: INK on light colours, white on dark ones.
pub(crate) fn text_on(bg: RGBColor) -> RGBColor {
    let lin = |v: u8| {
        let c = f64::from(v) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = 0.2126 * lin(bg.0) + 0.7152 * lin(bg.1) + 0.0722 * lin(bg.2);
    // Contrast against white vs against INK (L ≈ 0.019): pick the larger.
    let with_white = 1.05 / (l + 0.05);
    let with_ink = (l + 0.05) / (0.019 + 0.05);
    if with_white > with_ink { WHITE_ } else { INK }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_are_plausible() {
        let w = text_width("Voice of the Customer", 18.0, false);
        assert!(w > 150.0 && w < 220.0, "{w}");
        assert!(text_width("Culture", 18.0, true) > text_width("Culture", 18.0, false));
    }

    #[test]
    fn one_size_convention_for_both_weights() {
        assert!((size_per_em(false) - size_per_em(true)).abs() < 1e-9);
        assert!(
            (size_per_em(false) - 1.362).abs() < 0.01,
            "{}",
            size_per_em(false)
        );
        assert!((half_cap_height() - 0.357).abs() < 0.01);
    }

    #[test]
    fn fit_and_wrap() {
        assert_eq!(fit("Strategy", 18.0, false, 500.0), "Strategy");
        let cut = fit("Voice of the Customer", 18.0, false, 80.0);
        assert!(
            cut.ends_with('…') && text_width(&cut, 18.0, false) <= 80.0,
            "{cut}"
        );
        assert_eq!(
            wrap("Voice of the Customer", 18.0, false, 120.0, 2),
            vec!["Voice of the", "Customer"]
        );
    }

    #[test]
    fn figures_round_down() {
        assert_eq!(figure(0.749_999), "0.74");
        assert_eq!(figure(0.75), "0.75");
        assert_eq!(figure(0.7499999999999), "0.75"); // within the 1e-9 tolerance
    }

    #[test]
    fn contrast() {
        assert_eq!(text_on(RGBColor(8, 48, 107)), WHITE_);
        assert_eq!(text_on(RGBColor(222, 235, 247)), INK);
    }
}
