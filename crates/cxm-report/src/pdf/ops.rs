//! Small builders for printpdf operations shared by the chart backend and the layout:
//! colours, rounding, font resource ids and glyph runs.

use printpdf::{
    Codepoint, Color, FontId, LinePoint, Op, PdfFontHandle, Point, Pt, Rgb, TextItem, TextMatrix,
};

use super::fonts::{self, Face, Run, Weight};

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

/// The resource name of the font for `face`. Chosen by us, not by printpdf's
/// process-wide id counter, so documents are identical byte for byte (and never one
/// of the names printpdf reserves for the 14 standard fonts, `F1`–`F14`).
pub(crate) fn font_id(face: Face) -> FontId {
    FontId(format!("C{}", face.slot()))
}

/// The face a font resource name stands for.
pub(crate) fn face_of_id(id: &FontId) -> Option<Face> {
    let slot: usize = id.0.strip_prefix('C')?.parse().ok()?;
    Face::from_slot(slot)
}

/// The resource name of the graphics state that sets fill and stroke opacity to
/// `alpha / 255`.
pub(crate) fn alpha_gs_name(alpha: u8) -> String {
    format!("GA{alpha:03}")
}

/// The advance of `gid` as the PDF's `/W` array states it (thousandths of an em,
/// rounded to an integer); TJ offsets are computed against this number, so every
/// glyph lands exactly where the shaper put it.
pub(crate) fn pdf_width(face: Face, gid: u16) -> f32 {
    let f = fonts::face_of(face);
    (f32::from(f.advance(gid)) * 1000.0 / f.units_per_em()).round()
}

/// A TJ offset (thousandths of an em) rounded to 1/100.
fn round_offset(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

/// Text-showing items for shaped runs of one face: glyph ids (original, renumbered
/// when the fonts are subset in `Document::finish`) with the text each stands for,
/// TJ offsets that put every glyph where the shaper placed it, and the vertical
/// displacement of marks (text rise).
#[derive(Debug, Default)]
pub(crate) struct GlyphItems {
    /// Segments at one text rise (points): items shown with one TJ.
    segments: Vec<(f32, Vec<TextItem>)>,
    /// Offset (thousandths of an em) to apply before the next glyph.
    pending: f32,
}

impl GlyphItems {
    /// Appends the glyphs of `run`.
    pub(crate) fn push_run(&mut self, run: &Run) {
        let f = fonts::face_of(run.face);
        let k = 1000.0 / f.units_per_em();
        for g in &run.glyphs {
            let rise = g.y_offset as f32 * k; // thousandths of an em; scaled in `show`
            if self.segments.last().is_none_or(|(r, _)| *r != rise) {
                self.segments.push((rise, Vec::new()));
            }
            // Move from the pen to the glyph's origin, draw, then on to the pen's next
            // position: TJ numbers move left, hence the signs.
            let before = self.pending - g.x_offset as f32 * k;
            let after = -((g.advance - g.x_offset) as f32 * k - pdf_width(run.face, g.gid));
            let items = &mut self.segments.last_mut().expect("pushed above").1;
            if before != 0.0 {
                items.push(TextItem::Offset(round_offset(before)));
            }
            let cp = Codepoint {
                gid: g.gid,
                offset: round_offset(after),
                cid: Some(g.text.to_text()),
            };
            match items.last_mut() {
                Some(TextItem::GlyphIds(v)) => v.push(cp),
                _ => items.push(TextItem::GlyphIds(vec![cp])),
            }
            self.pending = 0.0;
        }
    }

    /// Widens the last glyph's advance by `extra` thousandths of an em (justified
    /// spaces).
    pub(crate) fn add_space(&mut self, extra: f32) {
        let last = self
            .segments
            .last_mut()
            .and_then(|(_, items)| items.last_mut());
        match last {
            Some(TextItem::GlyphIds(v)) if !v.is_empty() => {
                let cp = v.last_mut().expect("not empty");
                cp.offset = round_offset(cp.offset - extra);
            }
            _ => self.pending -= extra,
        }
    }

    /// The operations that show the glyphs at font size `size` (the font and text
    /// matrix already set).
    pub(crate) fn show(self, ops: &mut Vec<Op>, size: f32) {
        let mut risen = false;
        for (rise, items) in self.segments {
            if items.is_empty() {
                continue;
            }
            if rise != 0.0 || risen {
                ops.push(Op::SetLineOffset {
                    multiplier: r2(rise * size / 1000.0),
                });
                risen = rise != 0.0;
            }
            ops.push(Op::ShowText { items });
        }
        if risen {
            ops.push(Op::SetLineOffset { multiplier: 0.0 });
        }
    }
}

/// `Tf`: selects `face` at `size` points.
pub(crate) fn set_font(ops: &mut Vec<Op>, face: Face, size: f32) {
    ops.push(Op::SetFont {
        font: PdfFontHandle::External(font_id(face)),
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

/// Operations that show `text` in `weight` with its baseline origin at the given
/// text matrix: shaped runs in visual order, each in its face. Must be inside a text
/// section (BT/ET).
pub(crate) fn show_text(
    ops: &mut Vec<Op>,
    weight: Weight,
    size: f32,
    matrix: [f32; 6],
    text: &str,
) {
    let runs = fonts::shape_line(weight, text);
    if runs.iter().all(|r| r.glyphs.is_empty()) {
        return;
    }
    set_text_matrix(ops, matrix);
    // Each TJ leaves the pen where the next run starts.
    let mut font = None;
    for run in runs.iter().filter(|r| !r.glyphs.is_empty()) {
        if font != Some(run.face) {
            set_font(ops, run.face, size);
            font = Some(run.face);
        }
        let mut items = GlyphItems::default();
        items.push_run(run);
        items.show(ops, size);
    }
}
