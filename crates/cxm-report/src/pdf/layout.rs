//! A small typesetting layer over printpdf: a [`Document`] with a flow of blocks
//! (headings, paragraphs, bullets, tables, callouts, charts, images) that wraps text
//! by measured widths and breaks pages automatically, plus absolute helpers for a
//! cover page.
//!
//! Coordinates in the API are millimetres from the top-left corner of the page; font
//! sizes are points. Blocks are appended at the *cursor*, which moves down; when a
//! block does not fit above the bottom margin a new page starts. Rules:
//! - paragraphs and bullets split between lines (never leaving a single first line at
//!   the bottom of a page, nor a single last line at the top of the next);
//! - table rows never split (unless a row is taller than a page); the header row is
//!   repeated on every page the table continues on;
//! - callouts, charts and images move to the next page whole;
//! - headings are kept with the beginning of the next block (its first two lines,
//!   first row, or whole chart).
//!
//! Nothing is written to the PDF until [`Document::finish`], which adds the footers
//! ("Page i of N"), subsets and embeds the fonts, and serialises.

use std::collections::BTreeSet;

use plotters::coord::Shift;
use plotters::drawing::{DrawingArea, IntoDrawingArea};
use printpdf::{
    ExtendedGraphicsState, ExtendedGraphicsStateId, Line, Mm, Op, PaintMode, PdfDocument, PdfPage,
    Pt, RawImage, Rect, XObject, XObjectId, XObjectTransform,
};

use super::PdfError;
use super::backend::{PdfBackend, finish_recording};
use super::fonts::{self, Weight};
use super::ops::{alpha_gs_name, r2, vertex};
use super::text::{
    Align, Colour, EPS, LaidLine, Span, line_ops, single_line, wrap, wrap_max_lines,
};
use super::write::serialise;

/// Points per millimetre.
pub const PT_PER_MM: f32 = 72.0 / 25.4;

fn mm(v: f32) -> f32 {
    v * PT_PER_MM
}

/// Paper sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Paper {
    /// ISO A4, 210 × 297 mm.
    #[default]
    A4,
    /// US Letter, 8.5 × 11 in (215.9 × 279.4 mm).
    Letter,
}

impl Paper {
    /// Width and height in millimetres (portrait).
    pub fn size_mm(self) -> (f32, f32) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::Letter => (215.9, 279.4),
        }
    }
}

/// Document metadata and the footer text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DocMeta {
    /// Title (PDF metadata).
    pub title: String,
    /// Author, e.g. who prepared the report (PDF metadata).
    pub author: String,
    /// Subject (PDF metadata).
    pub subject: String,
    /// Keywords (PDF metadata).
    pub keywords: Vec<String>,
    /// Creation and modification date written into the file, as seconds since the
    /// Unix epoch (UTC). Pass `SOURCE_DATE_EPOCH` when set: the clock is never read.
    pub created_unix: i64,
    /// Text at the left of every page's footer (the right side has "Page i of N").
    pub footer_left: String,
}

/// Style of a paragraph (also used for bullets, callouts and absolute text).
#[derive(Debug, Clone, PartialEq)]
pub struct ParaStyle {
    /// Font size in points.
    pub size_pt: f32,
    /// Line spacing as a multiple of the font size.
    pub line_height: f32,
    /// Space below the paragraph, in millimetres.
    pub space_after_mm: f32,
    /// Alignment.
    pub align: Align,
    /// Left indent, in millimetres.
    pub indent_mm: f32,
    /// Colour of spans that have none of their own.
    pub colour: Colour,
}

impl Default for ParaStyle {
    fn default() -> Self {
        ParaStyle::body()
    }
}

impl ParaStyle {
    /// Body text: 10 pt, 1.4 line spacing, 2.5 mm after, ragged right.
    pub fn body() -> ParaStyle {
        ParaStyle {
            size_pt: 10.0,
            line_height: 1.4,
            space_after_mm: 2.5,
            align: Align::Left,
            indent_mm: 0.0,
            colour: Colour::TEXT,
        }
    }

    /// Small print: 8 pt in the muted colour.
    pub fn small() -> ParaStyle {
        ParaStyle {
            size_pt: 8.0,
            line_height: 1.35,
            space_after_mm: 1.5,
            colour: Colour::MUTED,
            ..ParaStyle::body()
        }
    }

    /// The same style with another size.
    pub fn with_size(mut self, size_pt: f32) -> ParaStyle {
        self.size_pt = size_pt;
        self
    }

    /// The same style with another alignment.
    pub fn with_align(mut self, align: Align) -> ParaStyle {
        self.align = align;
        self
    }

    /// The same style with another default colour.
    pub fn with_colour(mut self, colour: Colour) -> ParaStyle {
        self.colour = colour;
        self
    }

    /// The same style with another space below.
    pub fn with_space_after(mut self, mm: f32) -> ParaStyle {
        self.space_after_mm = mm;
        self
    }

    /// The same style with a left indent.
    pub fn with_indent(mut self, mm: f32) -> ParaStyle {
        self.indent_mm = mm;
        self
    }

    fn line_pt(&self) -> f32 {
        self.size_pt * self.line_height
    }
}

/// Width of a table column.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ColWidth {
    /// A fixed width in millimetres.
    Mm(f32),
    /// A share of the width left after the fixed columns (shares are relative to
    /// each other: `Fr(2.0)` is twice `Fr(1.0)`).
    Fr(f32),
}

/// A table column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Header text (bold, wraps like any cell).
    pub header: String,
    /// Width.
    pub width: ColWidth,
    /// Alignment of the header and the cells.
    pub align: Align,
}

impl Column {
    /// A left-aligned column.
    pub fn new(header: impl Into<String>, width: ColWidth) -> Column {
        Column {
            header: header.into(),
            width,
            align: Align::Left,
        }
    }

    /// The same column with another alignment.
    pub fn with_align(mut self, align: Align) -> Column {
        self.align = align;
        self
    }
}

/// A table cell.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cell {
    /// Content.
    pub spans: Vec<Span>,
    /// Background colour (overrides the zebra stripe).
    pub fill: Option<Colour>,
    /// Keep the content on one line, ending it with "…" if it is too wide, instead of
    /// wrapping.
    pub single_line: bool,
}

impl Cell {
    /// A cell with plain text.
    pub fn text(text: impl Into<String>) -> Cell {
        Cell::spans(vec![Span::new(text)])
    }

    /// A cell with bold text.
    pub fn bold(text: impl Into<String>) -> Cell {
        Cell::spans(vec![Span::bold(text)])
    }

    /// A cell with styled spans.
    pub fn spans(spans: Vec<Span>) -> Cell {
        Cell {
            spans,
            ..Cell::default()
        }
    }

    /// The same cell with every span in `colour`.
    pub fn with_colour(mut self, colour: Colour) -> Cell {
        for s in &mut self.spans {
            s.colour = Some(colour);
        }
        self
    }

    /// The same cell with a background.
    pub fn with_fill(mut self, fill: Colour) -> Cell {
        self.fill = Some(fill);
        self
    }

    /// The same cell kept on one line (ellipsis when too wide).
    pub fn single_line(mut self) -> Cell {
        self.single_line = true;
        self
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::text(s)
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::text(s)
    }
}

/// Look of a table.
#[derive(Debug, Clone, PartialEq)]
pub struct TableStyle {
    /// Font size in points.
    pub size_pt: f32,
    /// Line spacing as a multiple of the font size.
    pub line_height: f32,
    /// Cell padding, in millimetres.
    pub padding_mm: f32,
    /// Background of the header row.
    pub header_fill: Option<Colour>,
    /// Text colour of the header row.
    pub header_colour: Colour,
    /// Background of every second body row.
    pub zebra: Option<Colour>,
    /// Text colour of cells.
    pub colour: Colour,
    /// Colour of the lines between rows.
    pub rule: Colour,
    /// Space below the table, in millimetres.
    pub space_after_mm: f32,
}

impl Default for TableStyle {
    fn default() -> Self {
        TableStyle {
            size_pt: 9.0,
            line_height: 1.3,
            padding_mm: 1.6,
            header_fill: Some(Colour::LIGHT),
            header_colour: Colour::TEXT,
            zebra: None,
            colour: Colour::TEXT,
            rule: Colour::RULE,
            space_after_mm: 4.0,
        }
    }
}

/// One chart of a [`Document::charts_row`].
pub struct RowChart<'a> {
    /// Logical canvas width the chart is drawn for.
    pub logical_w: u32,
    /// Logical canvas height.
    pub logical_h: u32,
    /// Draws the chart.
    pub draw: ChartFn<'a>,
}

/// A boxed chart drawing function.
pub type ChartFn<'a> = Box<dyn FnOnce(&DrawingArea<PdfBackend, Shift>) -> Result<(), String> + 'a>;

impl<'a> RowChart<'a> {
    /// A chart for a `logical_w × logical_h` canvas.
    pub fn new(
        logical_w: u32,
        logical_h: u32,
        draw: impl FnOnce(&DrawingArea<PdfBackend, Shift>) -> Result<(), String> + 'a,
    ) -> RowChart<'a> {
        RowChart {
            logical_w,
            logical_h,
            draw: Box::new(draw),
        }
    }
}

/// A heading waiting to be placed with the block that follows it.
#[derive(Debug, Clone)]
struct PendingHeading {
    lines: Vec<LaidLine>,
    size: f32,
    line_h: f32,
    before: f32,
    after: f32,
}

#[derive(Debug, Default)]
struct Page {
    ops: Vec<Op>,
    footer: bool,
}

/// Space after charts and images, in points.
const BLOCK_GAP_MM: f32 = 3.0;
/// Footer font size.
const FOOTER_PT: f32 = 8.0;
/// Headings longer than this many lines end with "…".
const HEADING_MAX_LINES: usize = 3;

/// A document being laid out. See the [module documentation](self).
pub struct Document {
    meta: DocMeta,
    page_w: f32,
    page_h: f32,
    margin: [f32; 4], // top, right, bottom, left (pt)
    pages: Vec<Page>,
    /// Cursor: distance of the next block's top from the top of the page (pt).
    y: f32,
    /// The current page was started by an automatic break.
    auto_page: bool,
    pending: Vec<PendingHeading>,
    heading_colour: Colour,
    alphas: BTreeSet<u8>,
    images: Vec<(XObjectId, RawImage)>,
}

impl Document {
    /// An empty document (one blank page) on `paper` with 20 mm margins.
    pub fn new(paper: Paper, meta: DocMeta) -> Document {
        let (w, h) = paper.size_mm();
        let mut doc = Document {
            meta,
            page_w: mm(w),
            page_h: mm(h),
            margin: [mm(20.0), mm(20.0), mm(20.0), mm(20.0)],
            pages: Vec::new(),
            y: 0.0,
            auto_page: false,
            pending: Vec::new(),
            heading_colour: Colour::TEXT,
            alphas: BTreeSet::new(),
            images: Vec::new(),
        };
        doc.new_page(false);
        doc
    }

    /// Sets the margins (top, right, bottom, left) in millimetres; applies from the
    /// next page on (and to the current page's remaining flow).
    pub fn set_margins_mm(&mut self, top: f32, right: f32, bottom: f32, left: f32) {
        let at_top = self.at_top();
        self.margin = [mm(top), mm(right), mm(bottom), mm(left)];
        if at_top {
            self.y = self.margin[0];
        }
    }

    /// Sets the colour of headings (default: the text colour).
    pub fn set_heading_colour(&mut self, colour: Colour) {
        self.heading_colour = colour;
    }

    /// Page width and height in millimetres.
    pub fn page_size_mm(&self) -> (f32, f32) {
        (self.page_w / PT_PER_MM, self.page_h / PT_PER_MM)
    }

    /// Width of the text column (page width minus side margins), in millimetres.
    pub fn content_width_mm(&self) -> f32 {
        self.content_w() / PT_PER_MM
    }

    /// Left margin in millimetres.
    pub fn left_margin_mm(&self) -> f32 {
        self.margin[3] / PT_PER_MM
    }

    /// Number of pages so far.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// The cursor: distance from the top of the page to where the next block goes,
    /// in millimetres (pending headings not yet counted).
    pub fn cursor_mm(&self) -> f32 {
        self.y / PT_PER_MM
    }

    /// Moves the cursor to `y_mm` from the top of the current page (e.g. to start
    /// the flow below a cover's absolute content).
    pub fn set_cursor_mm(&mut self, y_mm: f32) {
        self.flush_pending(0.0);
        self.y = mm(y_mm).clamp(0.0, self.page_h);
    }

    /// Height left on the current page below the cursor (and below any pending
    /// headings), in millimetres.
    pub fn remaining_height_mm(&self) -> f32 {
        let pending: f32 = self
            .pending
            .iter()
            .map(|h| h.before + h.lines.len() as f32 * h.line_h + h.after)
            .sum();
        ((self.bottom() - self.y - pending) / PT_PER_MM).max(0.0)
    }

    /// Starts a new page unless `h_mm` fits below the cursor.
    pub fn ensure_space(&mut self, h_mm: f32) {
        self.flush_pending(mm(h_mm));
        if !self.fits(mm(h_mm)) && !self.at_top() {
            self.new_page(true);
        }
    }

    /// Starts a new page (pending headings go onto the new page).
    pub fn page_break(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        self.new_page(false);
        self.pending = pending;
    }

    /// Leaves no footer on the current page (e.g. a cover page; it still counts in
    /// "Page i of N").
    pub fn no_footer_on_this_page(&mut self) {
        if let Some(p) = self.pages.last_mut() {
            p.footer = false;
        }
    }

    /// Vertical space. Ignored at the top of a page that an automatic break started;
    /// at the bottom of a page it only goes as far as the bottom margin.
    pub fn space(&mut self, h_mm: f32) {
        if let Some(last) = self.pending.last_mut() {
            last.after += mm(h_mm);
            return;
        }
        if self.auto_page && self.at_top() {
            return;
        }
        self.y = (self.y + mm(h_mm)).min(self.bottom());
    }

    /// A heading of `level` 1 (largest) to 3, kept on the same page as the start of
    /// whatever block comes next; at most three lines (ending with "…" when longer).
    pub fn heading(&mut self, level: u8, text: &str) {
        let (size, before, after) = match level {
            0 | 1 => (17.0, 7.0, 3.5),
            2 => (13.0, 5.5, 2.5),
            _ => (11.0, 4.0, 1.5),
        };
        let spans = [Span::bold(text)];
        let lines = wrap_max_lines(
            &spans,
            self.heading_colour,
            size,
            self.content_w(),
            HEADING_MAX_LINES,
        );
        if lines.is_empty() {
            return;
        }
        self.pending.push(PendingHeading {
            lines,
            size,
            line_h: size * 1.25,
            before: mm(before),
            after: mm(after),
        });
    }

    /// A paragraph of styled spans, wrapped to the text column (less the style's
    /// indent) and split across pages between lines.
    pub fn paragraph(&mut self, spans: &[Span], style: &ParaStyle) {
        let x = self.margin[3] + mm(style.indent_mm);
        let width = self.content_w() - mm(style.indent_mm);
        let lines = wrap(spans, style.colour, style.size_pt, width);
        self.flow_lines(&lines, x, width, style);
        self.y += mm(style.space_after_mm);
    }

    /// A bulleted list in body style; each item is a list of spans.
    pub fn bullets(&mut self, items: &[Vec<Span>]) {
        self.bullets_with(items, &ParaStyle::body());
    }

    /// A bulleted list: "•" at the style's indent, text hanging 5 mm further in;
    /// 1 mm between items, the style's space after the list.
    pub fn bullets_with(&mut self, items: &[Vec<Span>], style: &ParaStyle) {
        let bullet_x = self.margin[3] + mm(style.indent_mm);
        let x = bullet_x + mm(5.0);
        let width = self.content_w() - mm(style.indent_mm) - mm(5.0);
        for (i, item) in items.iter().enumerate() {
            let lines = wrap(item, style.colour, style.size_pt, width);
            if lines.is_empty() {
                continue;
            }
            // The bullet goes next to the item's first line, wherever that landed.
            if let Some((page, top)) = self.flow_lines(&lines, x, width, style) {
                let bullet = single_line(&[Span::new("•")], style.colour, style.size_pt, mm(5.0));
                let baseline =
                    self.page_h - (top + baseline_offset(style.size_pt, style.line_pt()));
                let ops = &mut self.pages[page].ops;
                line_ops(
                    ops,
                    &bullet,
                    bullet_x,
                    baseline,
                    style.size_pt,
                    mm(5.0),
                    Align::Left,
                );
            }
            if i + 1 < items.len() {
                self.y += mm(1.0);
            }
        }
        self.y += mm(style.space_after_mm);
    }

    /// A horizontal hairline across the text column, with 2 mm above and below.
    pub fn rule(&mut self) {
        self.flush_pending(mm(4.0));
        if !self.fits(mm(4.0)) {
            self.new_page(true);
            return;
        }
        self.y += mm(2.0);
        let y = self.page_h - self.y;
        let (x0, x1) = (self.margin[3], self.page_w - self.margin[1]);
        let ops = &mut self.page().ops;
        ops.push(Op::SaveGraphicsState);
        ops.push(Op::SetOutlineColor {
            col: Colour::RULE.pdf(),
        });
        ops.push(Op::SetOutlineThickness { pt: Pt(0.5) });
        ops.push(Op::DrawLine {
            line: Line {
                points: vec![vertex(x0, y), vertex(x1, y)],
                is_closed: false,
            },
        });
        ops.push(Op::RestoreGraphicsState);
        self.y += mm(2.0);
    }

    /// A shaded box across the text column with wrapped body text: for the
    /// PROVISIONAL mark and key messages. Moves to the next page whole when it does
    /// not fit (and splits between lines only when taller than a page).
    pub fn callout(&mut self, spans: &[Span], fill: Colour, border: Colour) {
        self.callout_with(
            spans,
            fill,
            border,
            &ParaStyle::body().with_space_after(4.0),
        );
    }

    /// [`callout`](Self::callout) with a text style.
    pub fn callout_with(
        &mut self,
        spans: &[Span],
        fill: Colour,
        border: Colour,
        style: &ParaStyle,
    ) {
        let (pad_x, pad_y, bar) = (mm(4.0), mm(2.8), mm(1.4));
        let box_x = self.margin[3] + mm(style.indent_mm);
        let box_w = self.content_w() - mm(style.indent_mm);
        let text_x = box_x + bar + pad_x;
        let text_w = box_w - bar - 2.0 * pad_x;
        let lines = wrap(spans, style.colour, style.size_pt, text_w);
        if lines.is_empty() {
            return;
        }
        let lh = style.line_pt();
        let total = lines.len() as f32 * lh + 2.0 * pad_y;
        self.flush_pending(total.min(2.0 * lh + 2.0 * pad_y));
        if !self.fits(total) && !self.at_top() && total <= self.capacity() {
            self.new_page(true);
        }
        let mut start = 0;
        while start < lines.len() {
            let room = ((self.bottom() - self.y - 2.0 * pad_y + EPS) / lh).floor() as usize;
            if room == 0 {
                self.new_page(true);
                continue;
            }
            let end = (start + room).min(lines.len());
            let h = (end - start) as f32 * lh + 2.0 * pad_y;
            let top = self.y;
            let (page_h, y_pdf) = (self.page_h, self.page_h - top - h);
            let ops = &mut self.page().ops;
            ops.push(Op::SaveGraphicsState);
            rect_ops(ops, box_x, y_pdf, box_w, h, Some(fill), Some((border, 0.6)));
            rect_ops(ops, box_x, y_pdf, bar, h, Some(border), None);
            ops.push(Op::RestoreGraphicsState);
            for (i, line) in lines[start..end].iter().enumerate() {
                let line_top = top + pad_y + i as f32 * lh;
                let baseline = page_h - (line_top + baseline_offset(style.size_pt, lh));
                line_ops(
                    ops,
                    line,
                    text_x,
                    baseline,
                    style.size_pt,
                    text_w,
                    style.align,
                );
            }
            self.y += h;
            start = end;
            if start < lines.len() {
                self.new_page(true);
            }
        }
        self.y += mm(style.space_after_mm);
    }

    /// A table. Columns are sized from their widths (fixed first, then shares of the
    /// rest of the text column); cells wrap within their column; rows never split
    /// across pages unless taller than a page; the header row repeats at the top of
    /// every page the table continues on.
    ///
    /// Errors when a row has a different number of cells than there are columns, or
    /// the fixed widths are wider than the text column.
    pub fn table(
        &mut self,
        columns: &[Column],
        rows: &[Vec<Cell>],
        style: &TableStyle,
    ) -> Result<(), PdfError> {
        if columns.is_empty() {
            return Err(PdfError::Table("a table needs at least one column".into()));
        }
        if let Some((i, r)) = rows
            .iter()
            .enumerate()
            .find(|(_, r)| r.len() != columns.len())
        {
            return Err(PdfError::Table(format!(
                "row {} has {} cells, the table has {} columns",
                i + 1,
                r.len(),
                columns.len()
            )));
        }
        let widths = self.column_widths(columns)?;
        let pad = mm(style.padding_mm);
        let size = style.size_pt;
        let lh = size * style.line_height;
        let layout_cell = |spans: &[Span], single: bool, colour: Colour, w: f32| {
            let inner = (w - 2.0 * pad).max(1.0);
            if single {
                vec![single_line(spans, colour, size, inner)]
            } else {
                wrap(spans, colour, size, inner)
            }
        };
        let header: Vec<Vec<LaidLine>> = columns
            .iter()
            .zip(&widths)
            .map(|(c, w)| {
                layout_cell(
                    &[Span::bold(c.header.clone())],
                    false,
                    style.header_colour,
                    *w,
                )
            })
            .collect();
        let body: Vec<Vec<Vec<LaidLine>>> = rows
            .iter()
            .map(|r| {
                r.iter()
                    .zip(&widths)
                    .map(|(c, w)| layout_cell(&c.spans, c.single_line, style.colour, *w))
                    .collect()
            })
            .collect();
        let row_h = |cells: &[Vec<LaidLine>]| {
            cells.iter().map(Vec::len).max().unwrap_or(0).max(1) as f32 * lh + 2.0 * pad
        };
        let header_h = row_h(&header);
        let first_h = body.first().map_or(0.0, |r| row_h(r));
        let t = TableGeom {
            widths,
            aligns: columns.iter().map(|c| c.align).collect(),
            pad,
            size,
            lh,
        };
        self.flush_pending(header_h + first_h.min(self.capacity() - header_h));
        if !self.fits(header_h + first_h) && !self.at_top() {
            self.new_page(true);
        }
        self.table_header(&t, &header, style, header_h);
        for (i, cells) in body.iter().enumerate() {
            let h = row_h(cells);
            let fills: Vec<Option<Colour>> = rows[i]
                .iter()
                .map(|c| c.fill.or(if i % 2 == 1 { style.zebra } else { None }))
                .collect();
            if self.fits(h) {
                self.table_row(&t, cells, &fills, 0, usize::MAX, h, style.rule, 0.4);
                continue;
            }
            if h + header_h <= self.capacity() {
                self.new_page(true);
                self.table_header(&t, &header, style, header_h);
                self.table_row(&t, cells, &fills, 0, usize::MAX, h, style.rule, 0.4);
                continue;
            }
            // A row taller than a page: split it between lines.
            let max_lines = cells.iter().map(Vec::len).max().unwrap_or(1);
            let mut start = 0;
            while start < max_lines {
                let room = ((self.bottom() - self.y - 2.0 * pad + EPS) / lh).floor() as usize;
                if room == 0 {
                    self.new_page(true);
                    self.table_header(&t, &header, style, header_h);
                    continue;
                }
                let end = (start + room).min(max_lines);
                let h = (end - start) as f32 * lh + 2.0 * pad;
                self.table_row(&t, cells, &fills, start, end, h, style.rule, 0.4);
                start = end;
                if start < max_lines {
                    self.new_page(true);
                    self.table_header(&t, &header, style, header_h);
                }
            }
        }
        self.y += mm(style.space_after_mm);
        Ok(())
    }

    fn column_widths(&self, columns: &[Column]) -> Result<Vec<f32>, PdfError> {
        let total = self.content_w();
        let fixed: f32 = columns
            .iter()
            .map(|c| match c.width {
                ColWidth::Mm(v) => mm(v.max(0.0)),
                ColWidth::Fr(_) => 0.0,
            })
            .sum();
        if fixed > total + EPS {
            return Err(PdfError::Table(format!(
                "fixed column widths add up to {:.1} mm, the text column is {:.1} mm",
                fixed / PT_PER_MM,
                total / PT_PER_MM
            )));
        }
        let shares: f32 = columns
            .iter()
            .map(|c| match c.width {
                ColWidth::Fr(f) => f.max(0.0),
                ColWidth::Mm(_) => 0.0,
            })
            .sum();
        let rest = total - fixed;
        Ok(columns
            .iter()
            .map(|c| match c.width {
                ColWidth::Mm(v) => mm(v.max(0.0)),
                ColWidth::Fr(f) if shares > 0.0 => rest * f.max(0.0) / shares,
                ColWidth::Fr(_) => 0.0,
            })
            .collect())
    }

    fn table_header(
        &mut self,
        t: &TableGeom,
        header: &[Vec<LaidLine>],
        style: &TableStyle,
        h: f32,
    ) {
        let fills = vec![style.header_fill; header.len()];
        self.table_row(
            t,
            header,
            &fills,
            0,
            usize::MAX,
            h,
            style.header_colour,
            0.8,
        );
    }

    /// Draws lines `from..to` of each cell of a row at the cursor, `h` tall, with a
    /// rule underneath; moves the cursor below it.
    #[allow(clippy::too_many_arguments)]
    fn table_row(
        &mut self,
        t: &TableGeom,
        cells: &[Vec<LaidLine>],
        fills: &[Option<Colour>],
        from: usize,
        to: usize,
        h: f32,
        rule: Colour,
        rule_w: f32,
    ) {
        let top = self.y;
        let x0 = self.margin[3];
        let page_h = self.page_h;
        let total_w: f32 = t.widths.iter().sum();
        let ops = &mut self.page().ops;
        ops.push(Op::SaveGraphicsState);
        let mut x = x0;
        for (w, fill) in t.widths.iter().zip(fills) {
            if let Some(f) = fill {
                rect_ops(ops, x, page_h - top - h, *w, h, Some(*f), None);
            }
            x += w;
        }
        ops.push(Op::SetOutlineColor { col: rule.pdf() });
        ops.push(Op::SetOutlineThickness { pt: Pt(rule_w) });
        ops.push(Op::DrawLine {
            line: Line {
                points: vec![
                    vertex(x0, page_h - top - h),
                    vertex(x0 + total_w, page_h - top - h),
                ],
                is_closed: false,
            },
        });
        ops.push(Op::RestoreGraphicsState);
        let mut x = x0;
        for ((lines, w), align) in cells.iter().zip(&t.widths).zip(&t.aligns) {
            let end = to.min(lines.len());
            for (i, line) in lines.iter().enumerate().take(end).skip(from) {
                let line_top = top + t.pad + (i - from) as f32 * t.lh;
                let baseline = page_h - (line_top + baseline_offset(t.size, t.lh));
                line_ops(
                    ops,
                    line,
                    x + t.pad,
                    baseline,
                    t.size,
                    w - 2.0 * t.pad,
                    *align,
                );
            }
            x += w;
        }
        self.y += h;
    }

    /// Draws a chart at the cursor, centred in the text column: the `logical_w ×
    /// logical_h` canvas is scaled to fit `width_mm × height_mm` keeping its aspect
    /// ratio (width capped to the text column). Starts a new page first if it does
    /// not fit. The chart function's error is returned as [`PdfError::Chart`].
    pub fn chart<F>(
        &mut self,
        width_mm: f32,
        height_mm: f32,
        logical_w: u32,
        logical_h: u32,
        draw: F,
    ) -> Result<(), PdfError>
    where
        F: FnOnce(&DrawingArea<PdfBackend, Shift>) -> Result<(), String>,
    {
        let (cw, ch, scale) = fit(
            mm(width_mm).min(self.content_w()),
            mm(height_mm),
            logical_w,
            logical_h,
        )?;
        self.flush_pending(ch);
        if !self.fits(ch) && !self.at_top() {
            self.new_page(true);
        }
        let x = self.margin[3] + (self.content_w() - cw) / 2.0;
        let top = self.y;
        self.draw_chart(x, top, scale, logical_w, logical_h, draw)?;
        self.y += ch + mm(BLOCK_GAP_MM);
        Ok(())
    }

    /// Draws a chart in a box at an absolute position of the current page (`x_mm`,
    /// `y_mm` from the top-left corner), the canvas scaled to fit the box keeping its
    /// aspect ratio and centred in it. Does not move the cursor.
    #[allow(clippy::too_many_arguments)]
    pub fn chart_at<F>(
        &mut self,
        x_mm: f32,
        y_mm: f32,
        width_mm: f32,
        height_mm: f32,
        logical_w: u32,
        logical_h: u32,
        draw: F,
    ) -> Result<(), PdfError>
    where
        F: FnOnce(&DrawingArea<PdfBackend, Shift>) -> Result<(), String>,
    {
        let (bw, bh) = (mm(width_mm), mm(height_mm));
        let (cw, ch, scale) = fit(bw, bh, logical_w, logical_h)?;
        let x = mm(x_mm) + (bw - cw) / 2.0;
        let top = mm(y_mm) + (bh - ch) / 2.0;
        self.draw_chart(x, top, scale, logical_w, logical_h, draw)
    }

    /// Charts side by side across the text column, `gap_mm` apart, each fitted into
    /// an equal share of the width and `height_mm`. Moves to a new page first if the
    /// row does not fit.
    pub fn charts_row(
        &mut self,
        height_mm: f32,
        gap_mm: f32,
        charts: Vec<RowChart<'_>>,
    ) -> Result<(), PdfError> {
        if charts.is_empty() {
            return Ok(());
        }
        let n = charts.len() as f32;
        let cell_w = (self.content_w() - mm(gap_mm) * (n - 1.0)) / n;
        let mut row_h = 0.0f32;
        for c in &charts {
            row_h = row_h.max(fit(cell_w, mm(height_mm), c.logical_w, c.logical_h)?.1);
        }
        self.flush_pending(row_h);
        if !self.fits(row_h) && !self.at_top() {
            self.new_page(true);
        }
        let top = self.y;
        for (i, c) in charts.into_iter().enumerate() {
            let (cw, ch, scale) = fit(cell_w, row_h, c.logical_w, c.logical_h)?;
            let x = self.margin[3] + i as f32 * (cell_w + mm(gap_mm)) + (cell_w - cw) / 2.0;
            self.draw_chart(
                x,
                top + (row_h - ch) / 2.0,
                scale,
                c.logical_w,
                c.logical_h,
                c.draw,
            )?;
        }
        self.y += row_h + mm(BLOCK_GAP_MM);
        Ok(())
    }

    fn draw_chart<F>(
        &mut self,
        x: f32,
        top: f32,
        scale: f32,
        logical_w: u32,
        logical_h: u32,
        draw: F,
    ) -> Result<(), PdfError>
    where
        F: FnOnce(&DrawingArea<PdfBackend, Shift>) -> Result<(), String>,
    {
        fonts::register_chart_fonts();
        let (backend, rec) = PdfBackend::new((logical_w, logical_h), (x, self.page_h - top), scale);
        let area = backend.into_drawing_area();
        draw(&area).map_err(PdfError::Chart)?;
        drop(area);
        let (ops, alphas) = finish_recording(&rec);
        self.page().ops.extend(ops);
        self.alphas.extend(alphas);
        Ok(())
    }

    /// A PNG image (a logo) at the cursor, left-aligned, scaled to fit
    /// `max_w_mm × max_h_mm` keeping its aspect ratio. Returns the placed size in
    /// millimetres. Errors when the bytes are not a decodable PNG.
    pub fn image_png(
        &mut self,
        bytes: &[u8],
        max_w_mm: f32,
        max_h_mm: f32,
    ) -> Result<(f32, f32), PdfError> {
        let (id, w, h) = self.add_png(bytes, mm(max_w_mm).min(self.content_w()), mm(max_h_mm))?;
        self.flush_pending(h);
        if !self.fits(h) && !self.at_top() {
            self.new_page(true);
        }
        let (x, top) = (self.margin[3], self.y);
        self.place_image(id, x, top, w, h);
        self.y += h + mm(BLOCK_GAP_MM);
        Ok((w / PT_PER_MM, h / PT_PER_MM))
    }

    /// A PNG image at an absolute position of the current page (top-left corner at
    /// `x_mm`, `y_mm`), scaled to fit `max_w_mm × max_h_mm` keeping its aspect ratio.
    /// Returns the placed size in millimetres; does not move the cursor.
    pub fn image_png_at(
        &mut self,
        x_mm: f32,
        y_mm: f32,
        bytes: &[u8],
        max_w_mm: f32,
        max_h_mm: f32,
    ) -> Result<(f32, f32), PdfError> {
        let (id, w, h) = self.add_png(bytes, mm(max_w_mm), mm(max_h_mm))?;
        self.place_image(id, mm(x_mm), mm(y_mm), w, h);
        Ok((w / PT_PER_MM, h / PT_PER_MM))
    }

    fn add_png(
        &mut self,
        bytes: &[u8],
        max_w: f32,
        max_h: f32,
    ) -> Result<(XObjectId, f32, f32), PdfError> {
        const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
        if !bytes.starts_with(SIGNATURE) {
            return Err(PdfError::Image("the file is not a PNG image".into()));
        }
        let mut warnings = Vec::new();
        let image = RawImage::decode_from_bytes(bytes, &mut warnings)
            .map_err(|e| PdfError::Image(format!("the PNG image cannot be decoded: {e}")))?;
        if image.width == 0 || image.height == 0 {
            return Err(PdfError::Image("the PNG image is empty".into()));
        }
        let (iw, ih) = (image.width as f32, image.height as f32);
        let s = (max_w / iw).min(max_h / ih);
        if s.is_nan() || s <= 0.0 {
            return Err(PdfError::Image("no room for the image".into()));
        }
        let id = XObjectId(format!("Im{}", self.images.len() + 1));
        self.images.push((id.clone(), image));
        Ok((id, iw * s, ih * s))
    }

    fn place_image(&mut self, id: XObjectId, x: f32, top: f32, w: f32, h: f32) {
        let y = self.page_h - top - h;
        self.page().ops.push(Op::UseXobject {
            id,
            transform: XObjectTransform {
                translate_x: Some(Pt(r2(x))),
                translate_y: Some(Pt(r2(y))),
                scale_x: Some(r2(w)),
                scale_y: Some(r2(h)),
                no_auto_scale: true,
                ..XObjectTransform::default()
            },
        });
    }

    /// Text at an absolute position of the current page: the first line's box starts
    /// at `y_mm` from the top, lines wrap at `max_width_mm` from `x_mm` and align
    /// within it. Returns the height used in millimetres; does not move the cursor
    /// and never breaks pages.
    pub fn text_at(
        &mut self,
        x_mm: f32,
        y_mm: f32,
        spans: &[Span],
        style: &ParaStyle,
        max_width_mm: f32,
    ) -> f32 {
        self.text_at_max_lines(x_mm, y_mm, spans, style, max_width_mm, usize::MAX)
    }

    /// [`text_at`](Self::text_at) in at most `max_lines` lines, the last one ending
    /// with "…" when the text needs more.
    pub fn text_at_max_lines(
        &mut self,
        x_mm: f32,
        y_mm: f32,
        spans: &[Span],
        style: &ParaStyle,
        max_width_mm: f32,
        max_lines: usize,
    ) -> f32 {
        let width = mm(max_width_mm);
        let lines = wrap_max_lines(spans, style.colour, style.size_pt, width, max_lines);
        let lh = style.line_pt();
        let (x, top, page_h) = (mm(x_mm), mm(y_mm), self.page_h);
        let ops = &mut self.page().ops;
        for (i, line) in lines.iter().enumerate() {
            let baseline = page_h - (top + i as f32 * lh + baseline_offset(style.size_pt, lh));
            line_ops(ops, line, x, baseline, style.size_pt, width, style.align);
        }
        lines.len() as f32 * lh / PT_PER_MM
    }

    /// The number of lines [`text_at`](Self::text_at) would set `spans` in, at most
    /// `max_width_mm` wide; draws nothing.
    pub fn text_lines(&self, spans: &[Span], style: &ParaStyle, max_width_mm: f32) -> usize {
        wrap(spans, style.colour, style.size_pt, mm(max_width_mm)).len()
    }

    /// A rectangle at an absolute position of the current page (top-left corner at
    /// `x_mm`, `y_mm`), filled and/or outlined (`stroke`: colour and width in points).
    pub fn rect_at(
        &mut self,
        x_mm: f32,
        y_mm: f32,
        w_mm: f32,
        h_mm: f32,
        fill: Option<Colour>,
        stroke: Option<(Colour, f32)>,
    ) {
        let y = self.page_h - mm(y_mm) - mm(h_mm);
        let ops = &mut self.page().ops;
        ops.push(Op::SaveGraphicsState);
        rect_ops(ops, mm(x_mm), y, mm(w_mm), mm(h_mm), fill, stroke);
        ops.push(Op::RestoreGraphicsState);
    }

    /// A straight line between two absolute positions of the current page.
    pub fn line_at(
        &mut self,
        from_mm: (f32, f32),
        to_mm: (f32, f32),
        colour: Colour,
        width_pt: f32,
    ) {
        let page_h = self.page_h;
        let ops = &mut self.page().ops;
        ops.push(Op::SaveGraphicsState);
        ops.push(Op::SetOutlineColor { col: colour.pdf() });
        ops.push(Op::SetOutlineThickness {
            pt: Pt(r2(width_pt)),
        });
        ops.push(Op::DrawLine {
            line: Line {
                points: vec![
                    vertex(mm(from_mm.0), page_h - mm(from_mm.1)),
                    vertex(mm(to_mm.0), page_h - mm(to_mm.1)),
                ],
                is_closed: false,
            },
        });
        ops.push(Op::RestoreGraphicsState);
    }

    /// Finishes the document: places pending headings, adds every page's footer
    /// (`footer_left` on the left, "Page i of N" on the right), embeds the used
    /// glyphs of the fonts as subsets, writes the metadata (dates from
    /// [`DocMeta::created_unix`], producer "CX Maturity") and serialises with
    /// compressed streams. The same inputs give the same bytes.
    pub fn finish(mut self) -> Result<Vec<u8>, PdfError> {
        self.flush_pending(0.0);
        self.add_footers();
        let Document {
            meta,
            page_w,
            page_h,
            pages,
            alphas,
            images,
            ..
        } = self;
        let mut doc = PdfDocument::new(&meta.title);
        // Charts that use opacity switch back with the opaque state `GA255`.
        let opaque = (!alphas.is_empty()).then_some(255);
        for a in alphas.iter().copied().chain(opaque) {
            let gs = ExtendedGraphicsState::default()
                .with_current_fill_alpha(f32::from(a) / 255.0)
                .with_current_stroke_alpha(f32::from(a) / 255.0);
            doc.resources
                .extgstates
                .map
                .insert(ExtendedGraphicsStateId(alpha_gs_name(a)), gs);
        }
        for (id, image) in images {
            doc.resources.xobjects.map.insert(id, XObject::Image(image));
        }
        let pages: Vec<PdfPage> = pages
            .into_iter()
            .map(|p| PdfPage::new(Mm(page_w / PT_PER_MM), Mm(page_h / PT_PER_MM), p.ops))
            .collect();
        doc.pages = pages;
        serialise(doc, &meta)
    }

    fn add_footers(&mut self) {
        let n = self.pages.len();
        let size = FOOTER_PT;
        let baseline = mm(12.0);
        let (left, right) = (self.margin[3], self.page_w - self.margin[1]);
        for i in 0..n {
            if !self.pages[i].footer {
                continue;
            }
            let number = single_line(
                &[Span::new(format!("Page {} of {}", i + 1, n))],
                Colour::MUTED,
                size,
                right - left,
            );
            let room = (right - left - number.width - mm(6.0)).max(0.0);
            let label = single_line(
                &[Span::new(self.meta.footer_left.clone())],
                Colour::MUTED,
                size,
                room,
            );
            let ops = &mut self.pages[i].ops;
            line_ops(ops, &label, left, baseline, size, room, Align::Left);
            line_ops(
                ops,
                &number,
                right - number.width,
                baseline,
                size,
                number.width,
                Align::Left,
            );
        }
    }

    /// The operations recorded so far, per page (for tests).
    #[cfg(test)]
    pub(crate) fn page_ops(&self) -> Vec<&[Op]> {
        self.pages.iter().map(|p| p.ops.as_slice()).collect()
    }

    /// Right edge of the text column in page space (for tests).
    #[cfg(test)]
    pub(crate) fn right_edge_pt(&self) -> f32 {
        self.page_w - self.margin[1]
    }

    // ---- flow internals -------------------------------------------------------

    fn content_w(&self) -> f32 {
        self.page_w - self.margin[1] - self.margin[3]
    }

    fn bottom(&self) -> f32 {
        self.page_h - self.margin[2]
    }

    /// Height of the flow area of a fresh page.
    fn capacity(&self) -> f32 {
        self.bottom() - self.margin[0]
    }

    fn fits(&self, h: f32) -> bool {
        self.y + h <= self.bottom() + EPS
    }

    fn at_top(&self) -> bool {
        self.y <= self.margin[0] + EPS
    }

    fn page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("a document always has a page")
    }

    fn new_page(&mut self, auto: bool) {
        self.pages.push(Page {
            ops: Vec::new(),
            footer: true,
        });
        self.y = self.margin[0];
        self.auto_page = auto;
    }

    /// Places pending headings, first moving to a new page unless they fit together
    /// with `next` points of the following block.
    fn flush_pending(&mut self, next: f32) {
        if self.pending.is_empty() {
            return;
        }
        let pending = std::mem::take(&mut self.pending);
        let mut total = next;
        for (i, h) in pending.iter().enumerate() {
            let before = if i == 0 && self.at_top() {
                0.0
            } else {
                h.before
            };
            total += before + h.lines.len() as f32 * h.line_h + h.after;
        }
        if !self.fits(total) && !self.at_top() {
            self.new_page(true);
        }
        for h in pending {
            if !self.at_top() {
                self.y += h.before;
            }
            let style = ParaStyle {
                size_pt: h.size,
                line_height: h.line_h / h.size,
                space_after_mm: 0.0,
                align: Align::Left,
                indent_mm: 0.0,
                colour: self.heading_colour,
            };
            let (x, w) = (self.margin[3], self.content_w());
            self.flow_lines(&h.lines, x, w, &style);
            self.y += h.after;
        }
    }

    /// Flows laid-out lines at the cursor, breaking pages between lines (no single
    /// first line at the bottom of a page, no single last line at the top of the
    /// next). Returns the page index and top of the first line.
    fn flow_lines(
        &mut self,
        lines: &[LaidLine],
        x: f32,
        width: f32,
        style: &ParaStyle,
    ) -> Option<(usize, f32)> {
        if lines.is_empty() {
            return None;
        }
        let lh = style.line_pt();
        let n = lines.len();
        self.flush_pending(lh * n.min(2) as f32);
        if n >= 2 && !self.fits(2.0 * lh) && !self.at_top() {
            self.new_page(true);
        }
        let mut first = None;
        for (i, line) in lines.iter().enumerate() {
            let widow = n - i == 2 && i >= 2 && !self.fits(2.0 * lh);
            if (!self.fits(lh) || widow) && !self.at_top() {
                self.new_page(true);
            }
            if first.is_none() {
                first = Some((self.pages.len() - 1, self.y));
            }
            let baseline = self.page_h - (self.y + baseline_offset(style.size_pt, lh));
            let size = style.size_pt;
            let ops = &mut self.page().ops;
            line_ops(ops, line, x, baseline, size, width, style.align);
            self.y += lh;
        }
        first
    }
}

/// Column widths and metrics of a table being drawn.
struct TableGeom {
    widths: Vec<f32>,
    aligns: Vec<Align>,
    pad: f32,
    size: f32,
    lh: f32,
}

/// Distance from the top of a line box to the baseline: capitals centred in the box.
fn baseline_offset(size: f32, line_h: f32) -> f32 {
    (line_h + fonts::cap_height(Weight::Regular, size)) / 2.0
}

/// Scales a logical canvas into a box keeping the aspect ratio: (width, height,
/// points per logical pixel).
fn fit(
    box_w: f32,
    box_h: f32,
    logical_w: u32,
    logical_h: u32,
) -> Result<(f32, f32, f32), PdfError> {
    if logical_w == 0 || logical_h == 0 {
        return Err(PdfError::Chart("the chart canvas has zero size".into()));
    }
    let scale = (box_w / logical_w as f32).min(box_h / logical_h as f32);
    if scale.is_nan() || scale <= 0.0 {
        return Err(PdfError::Chart("no room for the chart".into()));
    }
    Ok((logical_w as f32 * scale, logical_h as f32 * scale, scale))
}

/// A filled and/or stroked rectangle (page space, bottom-left corner at `x`, `y`).
fn rect_ops(
    ops: &mut Vec<Op>,
    x: f32,
    y: f32,
    w: f32,
    h: f32,
    fill: Option<Colour>,
    stroke: Option<(Colour, f32)>,
) {
    let mode = match (fill, stroke) {
        (Some(_), Some(_)) => PaintMode::FillStroke,
        (Some(_), None) => PaintMode::Fill,
        (None, Some(_)) => PaintMode::Stroke,
        (None, None) => return,
    };
    if let Some(f) = fill {
        ops.push(Op::SetFillColor { col: f.pdf() });
    }
    if let Some((c, w)) = stroke {
        ops.push(Op::SetOutlineColor { col: c.pdf() });
        ops.push(Op::SetOutlineThickness { pt: Pt(r2(w)) });
    }
    ops.push(Op::DrawRectangle {
        rectangle: Rect {
            x: Pt(r2(x)),
            y: Pt(r2(y)),
            width: Pt(r2(w)),
            height: Pt(r2(h)),
            mode: Some(mode),
            winding_order: None,
        },
    });
}
