//! Typesetting the report ([`Report`]) into a PDF.

use chrono::{DateTime, Utc};
use plotters::coord::Shift;
use plotters::prelude::DrawingArea;

use crate::charts::{Chart, theme};
use crate::document::{ALERT, Cover, Item, Report};
use crate::pdf::{
    self, Colour, DocMeta, Document, ParaStyle, PdfBackend, PdfError, Span, TableStyle, isolate,
};

/// Paper size.
pub use crate::pdf::Paper;

/// How to write the PDF.
#[derive(Debug, Clone)]
pub struct PdfOptions {
    /// A4 or Letter.
    pub paper: Paper,
    /// A PNG logo for the cover.
    pub logo: Option<Vec<u8>>,
    /// The creation time written into the file (from SOURCE_DATE_EPOCH when set).
    pub creation: DateTime<Utc>,
}

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The logo is not a PNG that can be used.
    #[error("the logo cannot be used: {0}")]
    Logo(String),
    /// The PDF could not be produced.
    #[error("the report could not be written: {0}")]
    Pdf(#[from] PdfError),
}

const CALLOUT_FILL: Colour = Colour::rgb(234, 242, 250);
const PROVISIONAL_FILL: Colour = Colour::rgb(253, 240, 229);

fn colour(c: plotters::style::RGBColor) -> Colour {
    Colour::rgb(c.0, c.1, c.2)
}

/// Every text the report prints, charts included.
fn report_texts(report: &Report) -> Vec<&str> {
    let c = &report.cover;
    let mut all: Vec<&str> = vec![
        &report.footer,
        &c.organisation,
        &c.title,
        &c.round,
        &c.headline,
        &c.generated_on,
    ];
    all.extend(c.prepared_by.as_deref());
    all.extend(c.provisional.as_deref());
    for section in &report.sections {
        all.push(&section.title);
        for item in &section.items {
            match item {
                Item::Heading(h) => all.push(h),
                Item::Paragraph(s) | Item::Callout(s) => {
                    all.extend(s.iter().map(|s| s.text.as_str()))
                }
                Item::Bullets(list) => all.extend(list.iter().flatten().map(|s| s.text.as_str())),
                Item::Quote { text, by } => all.extend([text.as_str(), by.as_str()]),
                Item::Table { columns, rows } => {
                    all.extend(columns.iter().map(|c| c.header.as_str()));
                    for cell in rows.iter().flatten() {
                        all.extend(cell.spans.iter().map(|s| s.text.as_str()));
                    }
                }
                Item::Chart { chart, caption, .. } => {
                    all.push(caption);
                    all.extend(chart.texts());
                }
            }
        }
    }
    all
}

/// The cover's note when some characters have no glyph in any font the report can
/// use: which ones (they print as boxes), and, for Japanese, Chinese or Korean
/// without Noto Sans CJK installed, how to get it.
pub fn missing_font_note(report: &Report) -> Option<String> {
    let mut missing: Vec<char> = Vec::new();
    for text in report_texts(report) {
        for c in pdf::fonts::missing_characters(text) {
            if !missing.contains(&c) {
                missing.push(c);
            }
        }
    }
    if missing.is_empty() {
        return None;
    }
    // Without Noto Sans CJK, the cover says how to get it rather than listing every
    // Han character; other characters are listed (a few) with their code points.
    let cjk_hint = !pdf::fonts::cjk_available() && missing.iter().any(|c| pdf::fonts::is_cjk(*c));
    let listed: Vec<char> = missing
        .iter()
        .copied()
        .filter(|c| !(cjk_hint && pdf::fonts::is_cjk(*c)))
        .collect();
    const SHOWN: usize = 8;
    let mut note = String::new();
    if cjk_hint {
        note.push_str(&format!(
            "Japanese, Chinese and Korean text appears as boxes: the Noto Sans CJK fonts are not installed. Install them (on Debian and Ubuntu the fonts-noto-cjk package; elsewhere put {} and {} in a fonts folder, or in the folder named by {}) and write the report again.",
            pdf::fonts::CJK_FILES[0],
            pdf::fonts::CJK_FILES[1],
            pdf::fonts::FONT_DIR_ENV,
        ));
    }
    if !listed.is_empty() {
        let list: Vec<String> = listed
            .iter()
            .take(SHOWN)
            .map(|c| format!("{c} (U+{:04X})", *c as u32))
            .collect();
        let more = match listed.len().saturating_sub(SHOWN) {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        if !note.is_empty() {
            note.push(' ');
        }
        note.push_str(&format!(
            "Some characters cannot be shown with the fonts available and appear as boxes: {}{more}.",
            list.join(", ")
        ));
    }
    Some(note)
}

fn place_chart(doc: &mut Document, chart: &Chart, height_fraction: f32) -> Result<(), PdfError> {
    let (w, h) = chart.size();
    let height_mm = height_fraction * text_height_mm(doc);
    // Keep the chart with its caption.
    let drawn_mm = height_mm.min(doc.content_width_mm() * h as f32 / w as f32);
    doc.ensure_space(drawn_mm + 10.0);
    doc.chart(
        doc.content_width_mm(),
        height_mm,
        w,
        h,
        |area: &DrawingArea<PdfBackend, Shift>| chart.draw(area).map_err(|e| e.0),
    )
}

fn text_height_mm(doc: &Document) -> f32 {
    // Page height less the 20 mm margins and the footer.
    doc.page_size_mm().1 - 47.0
}

/// Typeset `report` as a PDF.
pub fn render(report: &Report, options: &PdfOptions) -> Result<Vec<u8>, ReportError> {
    pdf::register_chart_fonts();
    let mut doc = Document::new(
        options.paper,
        DocMeta {
            title: report.title.clone(),
            author: report.cover.prepared_by.clone().unwrap_or_default(),
            subject: format!("{}: {}", report.cover.title, report.cover.round),
            keywords: vec!["customer experience".into(), "maturity".into()],
            created_unix: options.creation.timestamp(),
            footer_left: report.footer.clone(),
        },
    );
    doc.set_heading_colour(colour(theme::BLOCK_COLOURS[0]));
    let note = missing_font_note(report);
    cover(
        &mut doc,
        &report.cover,
        note.as_deref(),
        options.logo.as_deref(),
    )?;
    for section in &report.sections {
        doc.page_break();
        doc.heading(1, &isolate(&section.title));
        for item in &section.items {
            item_pdf(&mut doc, item)?;
        }
    }
    Ok(doc.finish()?)
}

/// The cover: a band of the block colours, the logo, then from 30 % down the page
/// the title, the organisation, the round, the headline, the provisional mark and any
/// note about missing fonts; "Prepared by" and the date at the foot. Long names get a
/// smaller size and at most a few lines (the last ending with "…"), and the upper
/// block moves up when it would reach the foot, so nothing overlaps.
fn cover(
    doc: &mut Document,
    cover: &Cover,
    note: Option<&str>,
    logo: Option<&[u8]>,
) -> Result<(), ReportError> {
    doc.no_footer_on_this_page();
    let (page_w, page_h) = doc.page_size_mm();
    let left = doc.left_margin_mm();
    let width = doc.content_width_mm();
    // A band of the four block colours across the top.
    let band = page_w / 4.0;
    for (i, c) in theme::BLOCK_COLOURS.iter().take(4).enumerate() {
        doc.rect_at(
            i as f32 * band,
            0.0,
            band + 0.2,
            6.0,
            Some(colour(*c)),
            None,
        );
    }
    if let Some(logo) = logo {
        doc.image_png_at(left + width - 50.0, 20.0, logo, 50.0, 25.0)
            .map_err(|e| ReportError::Logo(e.to_string()))?;
    }

    // What goes on the cover, with its style and most lines.
    let label = ParaStyle::body()
        .with_size(13.0)
        .with_colour(colour(theme::BLOCK_COLOURS[0]));
    let title = [Span::bold(cover.title.clone())];
    let organisation = [Span::bold(isolate(&cover.organisation))];
    // The organisation's name in the largest size that keeps it to three lines.
    let mut big = ParaStyle::body().with_size(30.0);
    for size in [30.0, 24.0, 20.0] {
        big = ParaStyle::body().with_size(size);
        if doc.text_lines(&organisation, &big, width) <= 3 {
            break;
        }
    }
    let sub = ParaStyle::body().with_size(14.0).with_colour(Colour::MUTED);
    let round = [Span::new(isolate(&cover.round))];
    let headline_style = ParaStyle::body().with_size(16.0);
    let headline = [Span::bold(cover.headline.clone())];
    let boxed = ParaStyle::body().with_size(11.0).with_colour(ALERT);
    let marks: Vec<[Span; 1]> = cover
        .provisional
        .iter()
        .map(|p| [Span::bold(p.clone())])
        .chain(note.map(|n| [Span::new(n.to_string())]))
        .collect();
    let foot = ParaStyle::body().with_size(11.0).with_colour(Colour::MUTED);
    let mut foot_spans = Vec::new();
    if let Some(by) = &cover.prepared_by {
        foot_spans.push(Span::new(format!("Prepared by {}\n", isolate(by))));
    }
    foot_spans.push(Span::new(cover.generated_on.clone()));
    const ORGANISATION_LINES: usize = 5;
    const ROUND_LINES: usize = 4;
    const HEADLINE_LINES: usize = 3;
    const FOOT_LINES: usize = 5;
    const MARK_LINES: usize = 8;

    // Heights (mm), then where the upper block starts: 30 % down the page, or higher
    // when it would come within 10 mm of the foot (but below the logo).
    let lines_mm =
        |n: usize, style: &ParaStyle| n as f32 * style.size_pt * style.line_height / pdf::PT_PER_MM;
    let height = |spans: &[Span], style: &ParaStyle, w: f32, most: usize| {
        lines_mm(doc.text_lines(spans, style, w).min(most), style)
    };
    let foot_h = height(&foot_spans, &foot, width, FOOT_LINES);
    let foot_top = page_h - 28.0 - foot_h;
    let marks_h: f32 = marks
        .iter()
        .map(|m| height(m, &boxed, width - 8.0, MARK_LINES) + 12.0)
        .sum();
    let upper = height(&title, &label, width, 2)
        + 4.0
        + height(&organisation, &big, width, ORGANISATION_LINES)
        + 6.0
        + height(&round, &sub, width, ROUND_LINES)
        + 14.0
        + 6.0
        + height(&headline, &headline_style, width, HEADLINE_LINES)
        + 8.0
        + marks_h;
    let highest = if logo.is_some() { 50.0 } else { 22.0 };
    let mut y = (page_h * 0.30).min(foot_top - 10.0 - upper).max(highest);

    y += doc.text_at_max_lines(left, y, &title, &label, width, 2) + 4.0;
    y += doc.text_at_max_lines(left, y, &organisation, &big, width, ORGANISATION_LINES) + 6.0;
    y += doc.text_at_max_lines(left, y, &round, &sub, width, ROUND_LINES) + 14.0;
    doc.line_at(
        (left, y),
        (left + 40.0, y),
        colour(theme::BLOCK_COLOURS[0]),
        1.5,
    );
    y += 6.0;
    y += doc.text_at_max_lines(left, y, &headline, &headline_style, width, HEADLINE_LINES) + 8.0;
    for mark in &marks {
        let h = doc.text_at_max_lines(left + 4.0, y + 3.0, mark, &boxed, width - 8.0, MARK_LINES);
        doc.rect_at(left, y, width, h + 6.0, None, Some((ALERT, 1.0)));
        y += h + 12.0;
    }
    // The foot stays at the foot, unless the upper block (at its most) reaches it.
    let foot_y = foot_top.max(y + 2.0);
    doc.text_at_max_lines(left, foot_y, &foot_spans, &foot, width, FOOT_LINES);
    Ok(())
}

fn item_pdf(doc: &mut Document, item: &Item) -> Result<(), PdfError> {
    match item {
        Item::Heading(text) => doc.heading(2, text),
        Item::Paragraph(spans) => doc.paragraph(spans, &ParaStyle::body()),
        Item::Bullets(list) => doc.bullets(list),
        Item::Callout(spans) => {
            let provisional = spans
                .first()
                .is_some_and(|f| f.text.starts_with("Provisional"));
            if provisional {
                doc.callout(spans, PROVISIONAL_FILL, ALERT);
            } else {
                doc.callout(spans, CALLOUT_FILL, colour(theme::BLOCK_COLOURS[0]));
            }
        }
        Item::Quote { text, by } => {
            let quote = ParaStyle::body().with_indent(6.0).with_space_after(0.8);
            doc.paragraph(&[Span::new(format!("“{}”", isolate(text)))], &quote);
            let attribution = ParaStyle::small()
                .with_indent(6.0)
                .with_colour(Colour::MUTED);
            doc.paragraph(&[Span::new(format!("– {by}"))], &attribution);
        }
        Item::Table { columns, rows } => doc.table(columns, rows, &TableStyle::default())?,
        Item::Chart {
            chart,
            caption,
            height,
        } => {
            place_chart(doc, chart, *height)?;
            doc.paragraph(
                &[Span::new(caption.clone())],
                &ParaStyle::small()
                    .with_colour(Colour::MUTED)
                    .with_space_after(4.0),
            );
        }
    }
    Ok(())
}
