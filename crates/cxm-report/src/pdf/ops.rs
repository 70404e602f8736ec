//! Small builders for printpdf operations shared by the chart backend and the layout:
//! colours, rounding, font resource ids and glyph runs.

use printpdf::{
    Codepoint, Color, FontId, LinePoint, Op, PdfFontHandle, Point, Pt, Rgb, TextItem, TextMatrix,
};

use super::fonts::{self, Weight};

/// Rounds a coordinate to 1/100 pt: plenty for print, and keeps the content streams
/// short and free of float noise.
pub(crate) fn r2(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

/// A point in PDF page space (points, origin bottom left), rounded.
pub(crate) fn point(x: f32, y: f32) -> Point {
    Point {
        x: Pt(r2(x)),
        y: Pt(r2(y)),
    }
}

/// A path vertex (not a Bézier control point).
pub(crate) fn vertex(x: f32, y: f32) -> LinePoint {
    LinePoint {
        p: point(x, y),
        bezier: false,
    }
}

/// A Bézier control point.
pub(crate) fn control(x: f32, y: f32) -> LinePoint {
    LinePoint {
        p: point(x, y),
        bezier: true,
    }
}

/// An sRGB colour for printpdf (components rounded to 1/1000).
pub(crate) fn rgb(r: u8, g: u8, b: u8) -> Color {
    let c = |v: u8| (f32::from(v) / 255.0 * 1000.0).round() / 1000.0;
    Color::Rgb(Rgb {
        r: c(r),
        g: c(g),
        b: c(b),
        icc_profile: None,
    })
}

/// The resource name of the font for `weight`. Chosen by us, not by printpdf's
/// process-wide id counter, so documents are identical byte for byte.
pub(crate) fn font_id(weight: Weight) -> FontId {
    FontId(
        match weight {
            Weight::Regular => "F1",
            Weight::Bold => "F2",
        }
        .to_string(),
    )
}

/// The weight a font resource name stands for.
pub(crate) fn weight_of(id: &FontId) -> Option<Weight> {
    match id.0.as_str() {
        "F1" => Some(Weight::Regular),
        "F2" => Some(Weight::Bold),
        _ => None,
    }
}

/// The resource name of the graphics state that sets fill and stroke opacity to
/// `alpha / 255`.
pub(crate) fn alpha_gs_name(alpha: u8) -> String {
    format!("GA{alpha:03}")
}

/// The glyphs for `text`: original (unsubset) glyph ids, kerning as TJ offsets
/// (thousandths of an em, positive moves left) and the text each glyph stands for.
/// Glyph ids are renumbered when the fonts are subset in `Document::finish`.
pub(crate) fn codepoints(weight: Weight, text: &str) -> Vec<Codepoint> {
    let upem = fonts::face(weight).units_per_em();
    fonts::shape(weight, text)
        .into_iter()
        .map(|g| {
            let offset = -f32::from(g.kern_after) * 1000.0 / upem;
            Codepoint {
                gid: g.gid,
                offset: (offset * 100.0).round() / 100.0,
                cid: Some(g.ch.to_string()),
            }
        })
        .collect()
}

/// The glyph run for `text` (see [`codepoints`]).
pub(crate) fn glyph_run(weight: Weight, text: &str) -> TextItem {
    TextItem::GlyphIds(codepoints(weight, text))
}

/// `Tf`: selects the font of `weight` at `size` points.
pub(crate) fn set_font(ops: &mut Vec<Op>, weight: Weight, size: f32) {
    ops.push(Op::SetFont {
        font: PdfFontHandle::External(font_id(weight)),
        size: Pt(r2(size)),
    });
}

/// `Tm`: sets the text matrix (rotation/scale rounded to 1/10000, offsets to 1/100 pt).
pub(crate) fn set_text_matrix(ops: &mut Vec<Op>, matrix: [f32; 6]) {
    let q = |v: f32| (v * 10000.0).round() / 10000.0;
    ops.push(Op::SetTextMatrix {
        matrix: TextMatrix::Raw([
            q(matrix[0]),
            q(matrix[1]),
            q(matrix[2]),
            q(matrix[3]),
            r2(matrix[4]),
            r2(matrix[5]),
        ]),
    });
}

/// Operations that set the font and show `text` with its baseline origin at the
/// given text matrix. Must be inside a text section (BT/ET).
pub(crate) fn show_text(
    ops: &mut Vec<Op>,
    weight: Weight,
    size: f32,
    matrix: [f32; 6],
    text: &str,
) {
    if text.is_empty() {
        return;
    }
    set_font(ops, weight, size);
    set_text_matrix(ops, matrix);
    ops.push(Op::ShowText {
        items: vec![glyph_run(weight, text)],
    });
}
