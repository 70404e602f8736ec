//! [`PdfBackend`]: a plotters drawing backend that records printpdf operations.
//!
//! A chart is drawn on a logical canvas of `w × h` "pixels" (the size the chart code
//! was written for, e.g. 1000 × 600). The backend maps it linearly, keeping the aspect
//! ratio, onto a rectangle of the page: one logical pixel is `scale` points. Shapes
//! become vector paths, text becomes real text in the embedded Noto Sans, or in the
//! fallback face that has the character (selectable, searchable, extractable; shaped
//! and ordered right to left where the script needs it, see [`fonts`]), circles are
//! four Bézier arcs. Everything is clipped to the chart's rectangle.
//!
//! Conventions (see also [`fonts::plotters_em`]):
//! - **Text size**: a plotters font size `s` is drawn at an em of
//!   `fonts::plotters_em(s)` logical pixels (≈ `s / 1.362` for Noto Sans): the size at
//!   which plotters' own `ab_glyph` measurement is exact, so labels placed from
//!   plotters' measurements fit. Bold when the style is `FontStyle::Bold`; italic and
//!   oblique are drawn upright; the family is always Noto Sans, with its fallback
//!   faces (which plotters' `ab_glyph` does not know: the anchoring and
//!   [`DrawingBackend::estimate_text_size`] measure with [`fonts::text_width`], what
//!   is drawn).
//! - **Anchors**: horizontal left/center/right on the measured advance width; vertical
//!   `Top` puts the capital height at the anchor, `Center` centres the capitals on it,
//!   `Bottom` puts the descender line on it. [`DrawingBackend::estimate_text_size`]
//!   reports the advance width and capital height + descender, consistently.
//! - **Rotation**: `Rotate90` reads downwards, `Rotate270` upwards, `Rotate180` upside
//!   down (as in plotters); anchors apply in the text's own frame.
//! - **Colour**: RGB plus opacity through an ExtGState (`ca`/`CA`); fully transparent
//!   shapes and text are skipped.
//! - **Lines**: width `stroke_width × scale`; a width of 0 draws nothing. plotters does
//!   not pass dash patterns to backends (its dashed series are drawn as short
//!   segments), so there are no PDF dash patterns here.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontStyle, FontTransform,
};
use printpdf::{
    Line, LineCapStyle, LineJoinStyle, Op, PaintMode, Polygon, PolygonRing, Pt, Rect, WindingOrder,
};

use super::fonts::{self, Weight};
use super::ops::{alpha_gs_name, control, r2, rgb, show_text, vertex};

/// Error type of [`PdfBackend`]. Recording operations cannot fail, so this is never
/// produced; it exists because plotters requires one.
#[derive(Debug, thiserror::Error)]
#[error("PDF chart backend: {0}")]
pub struct PdfBackendError(String);

/// What a chart drew: its operations and the opacities it used.
#[derive(Debug, Default)]
pub(crate) struct Recording {
    pub ops: Vec<Op>,
    pub alphas: BTreeSet<u8>,
    fill: Option<(u8, u8, u8)>,
    stroke: Option<(u8, u8, u8)>,
    width: Option<f32>,
    alpha: u8,
}

/// A plotters [`DrawingBackend`] that records printpdf operations for one chart,
/// placed in a rectangle of a page. Obtain one through `Document::chart`,
/// `Document::chart_at` or `Document::charts_row`; chart functions should be generic
/// over `DrawingBackend` and receive a `DrawingArea<PdfBackend, Shift>`.
pub struct PdfBackend {
    size: (u32, u32),
    scale: f32,
    /// Page-space position (points, origin bottom left) of the canvas's top-left corner.
    origin: (f32, f32),
    rec: Rc<RefCell<Recording>>,
}

impl PdfBackend {
    /// A backend for a `size` logical canvas whose top-left corner is at `origin`
    /// (page space, points) and where one logical pixel is `scale` points. The
    /// returned handle receives the operations.
    pub(crate) fn new(
        size: (u32, u32),
        origin: (f32, f32),
        scale: f32,
    ) -> (PdfBackend, Rc<RefCell<Recording>>) {
        let rec = Rc::new(RefCell::new(Recording {
            alpha: 255,
            ..Recording::default()
        }));
        let (w, h) = (size.0 as f32 * scale, size.1 as f32 * scale);
        {
            let mut r = rec.borrow_mut();
            r.ops.push(Op::SaveGraphicsState);
            // Clip to the chart's rectangle.
            r.ops.push(Op::DrawRectangle {
                rectangle: Rect {
                    x: Pt(r2(origin.0)),
                    y: Pt(r2(origin.1 - h)),
                    width: Pt(r2(w)),
                    height: Pt(r2(h)),
                    mode: Some(PaintMode::Clip),
                    winding_order: Some(WindingOrder::NonZero),
                },
            });
            r.ops.push(Op::SetLineJoinStyle {
                join: LineJoinStyle::Round,
            });
            r.ops.push(Op::SetLineCapStyle {
                cap: LineCapStyle::Butt,
            });
        }
        (
            PdfBackend {
                size,
                scale,
                origin,
                rec: rec.clone(),
            },
            rec,
        )
    }

    /// Points per logical pixel.
    pub fn scale(&self) -> f32 {
        self.scale
    }

    /// Page-space x of a logical x.
    fn x(&self, x: f32) -> f32 {
        self.origin.0 + x * self.scale
    }

    /// Page-space y of a logical y (logical y grows downwards).
    fn y(&self, y: f32) -> f32 {
        self.origin.1 - y * self.scale
    }

    fn map(&self, p: BackendCoord) -> (f32, f32) {
        (self.x(p.0 as f32), self.y(p.1 as f32))
    }
}

/// Closes a recording: restores the graphics state opened in [`PdfBackend::new`].
pub(crate) fn finish_recording(rec: &Rc<RefCell<Recording>>) -> (Vec<Op>, BTreeSet<u8>) {
    let mut r = rec.borrow_mut();
    r.ops.push(Op::RestoreGraphicsState);
    (std::mem::take(&mut r.ops), std::mem::take(&mut r.alphas))
}

/// Opacity of a plotters colour as 0..=255.
fn alpha_u8(c: &BackendColor) -> u8 {
    (c.alpha.clamp(0.0, 1.0) * 255.0).round() as u8
}

impl Recording {
    fn set_alpha(&mut self, a: u8) {
        if a != self.alpha {
            self.alphas.insert(a);
            self.ops.push(Op::LoadGraphicsState {
                gs: printpdf::ExtendedGraphicsStateId(alpha_gs_name(a)),
            });
            self.alpha = a;
        }
    }

    fn set_fill(&mut self, c: &BackendColor) {
        self.set_alpha(alpha_u8(c));
        if self.fill != Some(c.rgb) {
            self.ops.push(Op::SetFillColor {
                col: rgb(c.rgb.0, c.rgb.1, c.rgb.2),
            });
            self.fill = Some(c.rgb);
        }
    }

    fn set_stroke(&mut self, c: &BackendColor, width: f32) {
        self.set_alpha(alpha_u8(c));
        if self.stroke != Some(c.rgb) {
            self.ops.push(Op::SetOutlineColor {
                col: rgb(c.rgb.0, c.rgb.1, c.rgb.2),
            });
            self.stroke = Some(c.rgb);
        }
        let width = r2(width);
        if self.width != Some(width) {
            self.ops.push(Op::SetOutlineThickness { pt: Pt(width) });
            self.width = Some(width);
        }
    }
}

type DResult = Result<(), DrawingErrorKind<PdfBackendError>>;

impl DrawingBackend for PdfBackend {
    type ErrorType = PdfBackendError;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> DResult {
        Ok(())
    }

    fn present(&mut self) -> DResult {
        Ok(())
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> DResult {
        if alpha_u8(&color) == 0 {
            return Ok(());
        }
        let (x, y) = self.map(point);
        let mut r = self.rec.borrow_mut();
        r.set_fill(&color);
        r.ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: Pt(r2(x)),
                y: Pt(r2(y - self.scale)),
                width: Pt(r2(self.scale)),
                height: Pt(r2(self.scale)),
                mode: Some(PaintMode::Fill),
                winding_order: None,
            },
        });
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> DResult {
        self.draw_path([from, to], style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> DResult {
        let color = style.color();
        if alpha_u8(&color) == 0 || (!fill && style.stroke_width() == 0) {
            return Ok(());
        }
        let (x0, y0) = self.map(upper_left);
        let (x1, y1) = self.map(bottom_right);
        let (left, right) = (x0.min(x1), x0.max(x1));
        let (bottom, top) = (y0.min(y1), y0.max(y1));
        let mut r = self.rec.borrow_mut();
        if fill {
            r.set_fill(&color);
        } else {
            r.set_stroke(&color, style.stroke_width() as f32 * self.scale);
        }
        r.ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: Pt(r2(left)),
                y: Pt(r2(bottom)),
                width: Pt(r2(right - left)),
                height: Pt(r2(top - bottom)),
                mode: Some(if fill {
                    PaintMode::Fill
                } else {
                    PaintMode::Stroke
                }),
                winding_order: None,
            },
        });
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> DResult {
        let color = style.color();
        if alpha_u8(&color) == 0 || style.stroke_width() == 0 {
            return Ok(());
        }
        let points: Vec<_> = path
            .into_iter()
            .map(|p| {
                let (x, y) = self.map(p);
                vertex(x, y)
            })
            .collect();
        if points.len() < 2 {
            return Ok(());
        }
        let mut r = self.rec.borrow_mut();
        r.set_stroke(&color, style.stroke_width() as f32 * self.scale);
        r.ops.push(Op::DrawLine {
            line: Line {
                points,
                is_closed: false,
            },
        });
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> DResult {
        let color = style.color();
        if alpha_u8(&color) == 0 || radius == 0 || (!fill && style.stroke_width() == 0) {
            return Ok(());
        }
        let (cx, cy) = self.map(center);
        let rr = radius as f32 * self.scale;
        // Four cubic arcs; k is the standard control distance for a quarter circle.
        let k = 0.552_284_8 * rr;
        let mut pts = vec![vertex(cx + rr, cy)];
        let quarter = |pts: &mut Vec<_>, c1: (f32, f32), c2: (f32, f32), end: (f32, f32)| {
            pts.push(control(c1.0, c1.1));
            pts.push(control(c2.0, c2.1));
            pts.push(vertex(end.0, end.1));
        };
        quarter(
            &mut pts,
            (cx + rr, cy + k),
            (cx + k, cy + rr),
            (cx, cy + rr),
        );
        quarter(
            &mut pts,
            (cx - k, cy + rr),
            (cx - rr, cy + k),
            (cx - rr, cy),
        );
        quarter(
            &mut pts,
            (cx - rr, cy - k),
            (cx - k, cy - rr),
            (cx, cy - rr),
        );
        quarter(
            &mut pts,
            (cx + k, cy - rr),
            (cx + rr, cy - k),
            (cx + rr, cy),
        );
        let mut r = self.rec.borrow_mut();
        if fill {
            r.set_fill(&color);
            r.ops.push(Op::DrawPolygon {
                polygon: Polygon {
                    rings: vec![PolygonRing { points: pts }],
                    mode: PaintMode::Fill,
                    winding_order: WindingOrder::NonZero,
                },
            });
        } else {
            r.set_stroke(&color, style.stroke_width() as f32 * self.scale);
            r.ops.push(Op::DrawLine {
                line: Line {
                    points: pts,
                    is_closed: true,
                },
            });
        }
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> DResult {
        let color = style.color();
        if alpha_u8(&color) == 0 {
            return Ok(());
        }
        let points: Vec<_> = vert
            .into_iter()
            .map(|p| {
                let (x, y) = self.map(p);
                vertex(x, y)
            })
            .collect();
        if points.len() < 3 {
            return Ok(());
        }
        let mut r = self.rec.borrow_mut();
        r.set_fill(&color);
        r.ops.push(Op::DrawPolygon {
            polygon: Polygon {
                rings: vec![PolygonRing { points }],
                mode: PaintMode::Fill,
                winding_order: WindingOrder::NonZero,
            },
        });
        Ok(())
    }

    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &TStyle,
        pos: BackendCoord,
    ) -> DResult {
        let color = style.color();
        if alpha_u8(&color) == 0 || text.is_empty() {
            return Ok(());
        }
        let weight = weight_of_style(style.style());
        let em = fonts::plotters_em(weight, style.size()) as f32; // logical px
        let width = fonts::text_width(weight, em, text);
        // Offsets of the baseline start from the anchor, in the text's own frame
        // (logical px, x along the text, y downwards).
        let dx = match style.anchor().h_pos {
            HPos::Left => 0.0,
            HPos::Center => -width / 2.0,
            HPos::Right => -width,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => fonts::cap_height(weight, em),
            VPos::Center => fonts::cap_height(weight, em) / 2.0,
            VPos::Bottom => fonts::descender(weight, em),
        };
        // Direction of the text in logical (y-down) space.
        let (ux, uy) = match style.transform() {
            FontTransform::None => (1.0, 0.0),
            FontTransform::Rotate90 => (0.0, 1.0),
            FontTransform::Rotate180 => (-1.0, 0.0),
            FontTransform::Rotate270 => (0.0, -1.0),
        };
        // The frame's "down" is the direction rotated a quarter turn clockwise on screen.
        let (vx, vy) = (-uy, ux);
        let sx = pos.0 as f32 + dx * ux + dy * vx;
        let sy = pos.1 as f32 + dx * uy + dy * vy;
        // In page space y grows upwards: flip the direction's y.
        let (a, b) = (ux, -uy);
        let matrix = [a, b, -b, a, self.x(sx), self.y(sy)];
        let size_pt = em * self.scale;
        let mut r = self.rec.borrow_mut();
        r.set_fill(&color);
        r.ops.push(Op::StartTextSection);
        show_text(&mut r.ops, weight, size_pt, matrix, text);
        r.ops.push(Op::EndTextSection);
        Ok(())
    }

    fn estimate_text_size<TStyle: BackendTextStyle>(
        &self,
        text: &str,
        style: &TStyle,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        let weight = weight_of_style(style.style());
        let em = fonts::plotters_em(weight, style.size()) as f32;
        let w = fonts::text_width(weight, em, text);
        let h = fonts::cap_height(weight, em) - fonts::descender(weight, em);
        Ok((w.round() as u32, h.round() as u32))
    }
}

fn weight_of_style(s: FontStyle) -> Weight {
    Weight::from_bold(matches!(s, FontStyle::Bold))
}
