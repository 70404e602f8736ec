//! The two embedded faces (Noto Sans Regular and Bold, SIL OFL 1.1, see `fonts/OFL.txt`)
//! and the text metrics every other part of the PDF layer measures with.
//!
//! One measuring routine (`shape`) serves line wrapping, table cells, chart text
//! anchoring and the glyph runs written into the PDF, so what is measured is exactly
//! what is drawn: advance widths from `hmtx` plus pair kerning from the `kern` table
//! (the same kerning plotters' `ab_glyph` text measurement applies; there is no GPOS
//! shaping, no ligatures). Characters the font lacks are drawn with the `.notdef`
//! glyph, measured with its advance, and still extract as the original character.
//!
//! [`register_chart_fonts`] registers the same bytes with plotters, so chart code that
//! measures text through plotters gets the same numbers as [`text_width`].

use std::sync::{Once, OnceLock};

use ttf_parser::{Face, GlyphId};

/// Noto Sans Regular, embedded in the binary.
pub static REGULAR_TTF: &[u8] = include_bytes!("../../fonts/NotoSans-Regular.ttf");
/// Noto Sans Bold, embedded in the binary.
pub static BOLD_TTF: &[u8] = include_bytes!("../../fonts/NotoSans-Bold.ttf");

/// The family name the fonts are registered under with plotters (also registered as
/// `"sans-serif"`, plotters' default family, so default labels need no system font).
pub const CHART_FONT_FAMILY: &str = "Noto Sans";

/// The two faces of the embedded family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Weight {
    /// Noto Sans Regular.
    Regular,
    /// Noto Sans Bold.
    Bold,
}

impl Weight {
    /// Bold if `bold`, else regular.
    pub fn from_bold(bold: bool) -> Self {
        if bold { Weight::Bold } else { Weight::Regular }
    }

    /// The TrueType bytes of this face.
    pub fn bytes(self) -> &'static [u8] {
        match self {
            Weight::Regular => REGULAR_TTF,
            Weight::Bold => BOLD_TTF,
        }
    }

    /// The PostScript name of this face (used, with a subset tag, as the PDF font name).
    pub fn postscript_name(self) -> &'static str {
        match self {
            Weight::Regular => "NotoSans-Regular",
            Weight::Bold => "NotoSans-Bold",
        }
    }

    /// Both weights, regular first.
    pub const ALL: [Weight; 2] = [Weight::Regular, Weight::Bold];
}

/// Characters below this code point have their glyph ids cached in a table.
const FAST_CHARS: usize = 0x250;

/// A parsed face with the metrics the layout needs, in font units.
pub(crate) struct FontFace {
    face: Face<'static>,
    units_per_em: f32,
    ascender: f32,
    descender: f32,
    line_gap: f32,
    cap_height: f32,
    x_height: f32,
    /// Advance width per glyph id.
    advances: Vec<u16>,
    /// Glyph id per character for `char < FAST_CHARS` (0 = not in the font).
    fast_gids: Vec<u16>,
    has_kern: bool,
}

impl FontFace {
    fn load(weight: Weight) -> FontFace {
        // The bytes are compiled in and known to be valid TrueType; a failure here is a
        // build defect, caught by every test.
        let face = Face::parse(weight.bytes(), 0).expect("embedded Noto Sans must parse");
        let n = face.number_of_glyphs();
        let advances = (0..n)
            .map(|g| face.glyph_hor_advance(GlyphId(g)).unwrap_or(0))
            .collect();
        let fast_gids = (0..FAST_CHARS as u32)
            .map(|c| {
                char::from_u32(c)
                    .and_then(|c| face.glyph_index(c))
                    .map_or(0, |g| g.0)
            })
            .collect();
        let has_kern = face
            .tables()
            .kern
            .is_some_and(|k| k.subtables.into_iter().any(|s| s.horizontal && !s.variable));
        let upem = f32::from(face.units_per_em());
        FontFace {
            units_per_em: upem,
            ascender: f32::from(face.ascender()),
            descender: f32::from(face.descender()),
            line_gap: f32::from(face.line_gap()),
            cap_height: f32::from(face.capital_height().unwrap_or((upem * 0.714) as i16)),
            x_height: f32::from(face.x_height().unwrap_or((upem * 0.536) as i16)),
            advances,
            fast_gids,
            has_kern,
            face,
        }
    }

    /// Glyph id for `c`, 0 (`.notdef`) if the font lacks it.
    fn gid(&self, c: char) -> u16 {
        let c = substitute(c);
        if (c as usize) < FAST_CHARS {
            return self.fast_gids[c as usize];
        }
        self.face.glyph_index(c).map_or(0, |g| g.0)
    }

    fn advance(&self, gid: u16) -> u16 {
        self.advances.get(usize::from(gid)).copied().unwrap_or(0)
    }

    /// Horizontal kerning between two glyphs from the `kern` table, in font units.
    fn kern(&self, left: u16, right: u16) -> i16 {
        if !self.has_kern {
            return 0;
        }
        self.face
            .tables()
            .kern
            .and_then(|k| {
                k.subtables
                    .into_iter()
                    .filter(|s| s.horizontal && !s.variable)
                    .find_map(|s| s.glyphs_kerning(GlyphId(left), GlyphId(right)))
            })
            .unwrap_or(0)
    }

    /// Units per em.
    pub(crate) fn units_per_em(&self) -> f32 {
        self.units_per_em
    }
}

/// Characters drawn as another: whitespace and control characters as a space, and
/// a few typographic characters the font may lack as their plain equivalent.
fn substitute(c: char) -> char {
    match c {
        '\t' | '\n' | '\r' | '\u{2028}' | '\u{2029}' => ' ',
        '\u{2011}' => '-',
        c if c.is_control() => ' ',
        c => c,
    }
}

/// The parsed face for `weight` (parsed once per process).
pub(crate) fn face(weight: Weight) -> &'static FontFace {
    static REGULAR: OnceLock<FontFace> = OnceLock::new();
    static BOLD: OnceLock<FontFace> = OnceLock::new();
    match weight {
        Weight::Regular => REGULAR.get_or_init(|| FontFace::load(Weight::Regular)),
        Weight::Bold => BOLD.get_or_init(|| FontFace::load(Weight::Bold)),
    }
}

/// One glyph of a measured run.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ShapedGlyph {
    /// Glyph id in the full (unsubset) font.
    pub gid: u16,
    /// The character this glyph stands for (for the PDF's ToUnicode map).
    pub ch: char,
    /// Advance width in font units.
    pub advance: u16,
    /// Kerning between this glyph and the next one, in font units (negative tightens).
    pub kern_after: i16,
}

/// Maps `text` to glyphs with advances and kerning; the single source of truth for
/// both measuring and drawing.
pub(crate) fn shape(weight: Weight, text: &str) -> Vec<ShapedGlyph> {
    let f = face(weight);
    let mut out: Vec<ShapedGlyph> = Vec::with_capacity(text.len());
    for ch in text.chars() {
        let gid = f.gid(ch);
        if let Some(prev) = out.last_mut() {
            prev.kern_after = f.kern(prev.gid, gid);
        }
        out.push(ShapedGlyph {
            gid,
            ch,
            advance: f.advance(gid),
            kern_after: 0,
        });
    }
    out
}

/// Width of shaped glyphs in font units.
pub(crate) fn shaped_width_units(glyphs: &[ShapedGlyph]) -> f32 {
    glyphs
        .iter()
        .map(|g| f32::from(g.advance) + f32::from(g.kern_after))
        .sum()
}

/// Width of `text` set in `weight` at `size` (points, or any unit: the result is in
/// the same unit), including pair kerning.
pub fn text_width(weight: Weight, size: f32, text: &str) -> f32 {
    let f = face(weight);
    shaped_width_units(&shape(weight, text)) * size / f.units_per_em
}

/// Advance width of one character (without kerning) at `size`.
pub(crate) fn char_width(weight: Weight, size: f32, c: char) -> f32 {
    let f = face(weight);
    f32::from(f.advance(f.gid(c))) * size / f.units_per_em
}

/// Kerning between two characters at `size` (negative tightens).
pub(crate) fn char_kern(weight: Weight, size: f32, left: char, right: char) -> f32 {
    let f = face(weight);
    f32::from(f.kern(f.gid(left), f.gid(right))) * size / f.units_per_em
}

/// Whether the face has a real glyph for `c` (whitespace and control characters count
/// as present: they are drawn as a space).
pub fn has_glyph(weight: Weight, c: char) -> bool {
    face(weight).gid(c) != 0
}

/// Ascender at `size`: distance from the baseline up to the top of the line box
/// (positive).
pub fn ascender(weight: Weight, size: f32) -> f32 {
    let f = face(weight);
    f.ascender * size / f.units_per_em
}

/// Descender at `size`: distance from the baseline down to the bottom of the line
/// box (negative, as in the font).
pub fn descender(weight: Weight, size: f32) -> f32 {
    let f = face(weight);
    f.descender * size / f.units_per_em
}

/// The font's natural line height at `size`: ascender − descender + line gap.
pub fn line_height(weight: Weight, size: f32) -> f32 {
    let f = face(weight);
    (f.ascender - f.descender + f.line_gap) * size / f.units_per_em
}

/// Height of capital letters above the baseline at `size`.
pub fn cap_height(weight: Weight, size: f32) -> f32 {
    let f = face(weight);
    f.cap_height * size / f.units_per_em
}

/// Height of lower-case letters (x-height) at `size`.
pub fn x_height(weight: Weight, size: f32) -> f32 {
    let f = face(weight);
    f.x_height * size / f.units_per_em
}

/// The em size that corresponds to a plotters font size.
///
/// plotters' `ab_glyph` measurement treats a font size `s` as the height of the
/// face's ascender − descender (ab_glyph's `PxScale`), not as the em: for Noto Sans
/// the em is `s / 1.362`. The PDF backend draws at this em so that text drawn in the
/// PDF is exactly as wide as plotters measured it. (plotters' SVG backend writes
/// `font-size: s / 1.24`, so the same chart's text is about 10 % larger on screen.)
pub fn plotters_em(weight: Weight, plotters_size: f64) -> f64 {
    let f = face(weight);
    plotters_size * f64::from(f.units_per_em) / f64::from(f.ascender - f.descender)
}

/// Registers the embedded faces with plotters (family [`CHART_FONT_FAMILY`] and
/// `"sans-serif"`, normal and bold). Idempotent and cheap after the first call; call
/// it before drawing any chart on any backend. `Document::chart` calls it for you.
pub fn register_chart_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        use plotters::style::{FontStyle, register_font};
        for family in [CHART_FONT_FAMILY, "sans-serif"] {
            // Registration only fails for bytes that are not a font; these are
            // compiled in and parsed by every test, so ignoring the result is safe.
            let _ = register_font(family, FontStyle::Normal, REGULAR_TTF);
            let _ = register_font(family, FontStyle::Bold, BOLD_TTF);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_are_sane() {
        for w in Weight::ALL {
            let f = face(w);
            assert_eq!(f.units_per_em(), 1000.0);
            assert!(ascender(w, 10.0) > 9.0 && ascender(w, 10.0) < 12.0);
            assert!(descender(w, 10.0) < -1.5 && descender(w, 10.0) > -4.0);
            assert!(cap_height(w, 10.0) > 6.0 && cap_height(w, 10.0) < 8.0);
            assert!(x_height(w, 10.0) > 4.0 && x_height(w, 10.0) < cap_height(w, 10.0));
            assert!(line_height(w, 10.0) >= ascender(w, 10.0) - descender(w, 10.0));
        }
    }

    #[test]
    fn widths_scale_and_bold_is_wider() {
        let r = text_width(Weight::Regular, 10.0, "Customer experience");
        assert!(r > 50.0 && r < 150.0, "{r}");
        assert!((text_width(Weight::Regular, 20.0, "Customer experience") - 2.0 * r).abs() < 1e-3);
        assert!(text_width(Weight::Bold, 10.0, "Customer experience") > r);
        assert_eq!(text_width(Weight::Regular, 10.0, ""), 0.0);
    }

    #[test]
    fn missing_glyphs_fall_back_to_notdef() {
        // A private-use character the font certainly lacks.
        assert!(!has_glyph(Weight::Regular, '\u{E000}'));
        let w = text_width(Weight::Regular, 10.0, "\u{E000}");
        assert!(w > 0.0, "notdef has an advance");
        let g = shape(Weight::Regular, "a\u{E000}");
        assert_eq!(g[1].gid, 0);
        assert_eq!(g[1].ch, '\u{E000}');
        // Typographic characters used in reports are present.
        for c in "–—•…‘’“”€×·äöüéñßÅø°±½".chars() {
            assert!(has_glyph(Weight::Regular, c), "{c}");
            assert!(has_glyph(Weight::Bold, c), "{c}");
        }
        // Mathematical arrows and relations are not in Noto Sans (they are in Noto
        // Sans Math): report text must spell them out or use plain characters.
        for c in "≥≤→".chars() {
            assert!(!has_glyph(Weight::Regular, c), "{c}");
        }
        // Tabs and newlines measure as spaces.
        assert_eq!(
            text_width(Weight::Regular, 10.0, "a\tb"),
            text_width(Weight::Regular, 10.0, "a b")
        );
    }

    #[test]
    fn plotters_measurement_agrees_with_ours() {
        register_chart_fonts();
        let font = plotters::style::FontDesc::new(
            plotters::style::FontFamily::Name(CHART_FONT_FAMILY),
            24.0,
            plotters::style::FontStyle::Normal,
        );
        let text = "Phase 3 · Alignment AVATAR";
        let (w, _h) = font.box_size(text).unwrap();
        let ours = text_width(
            Weight::Regular,
            plotters_em(Weight::Regular, 24.0) as f32,
            text,
        );
        assert!(
            (w as f32 - ours).abs() <= 1.0,
            "plotters {w} vs ours {ours}"
        );
    }
}
