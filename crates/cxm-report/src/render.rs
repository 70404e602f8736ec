//! Typesetting the report's content into a PDF, and drawing its charts as SVG.

use chrono::{DateTime, Utc};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

use crate::charts::{self, theme};
use crate::content::{self, Align, Chart, Item, Report, Tone};
use crate::pdf::{
    self, Cell, ColWidth, Colour, Column, DocMeta, Document, ParaStyle, PdfBackend, PdfError, Span,
    TableStyle,
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
const GOOD: Colour = Colour::rgb(0, 121, 90);
const ALERT: Colour = Colour::rgb(179, 71, 0);

fn colour(c: plotters::style::RGBColor) -> Colour {
    Colour::rgb(c.0, c.1, c.2)
}

fn spans(s: &[content::Span]) -> Vec<Span> {
    s.iter()
        .map(|s| {
            if s.bold {
                Span::bold(s.text.clone())
            } else {
                Span::new(s.text.clone())
            }
        })
        .collect()
}

/// The logical canvas size a chart is drawn on.
pub fn chart_size(chart: &Chart) -> (u32, u32) {
    match chart {
        Chart::Radar(d) => charts::radar_size(d),
        Chart::Ladder(d) => charts::ladder_size(d),
        Chart::Trend(d) => charts::trend_size(d),
        Chart::Heatmap(d) => charts::heatmap_size(d),
        Chart::QuestionBars(d) => charts::question_bars_size(d),
    }
}

/// Draw a chart on any plotters backend.
pub fn draw_chart<DB: DrawingBackend>(
    chart: &Chart,
    area: &DrawingArea<DB, Shift>,
) -> Result<(), charts::ChartError> {
    match chart {
        Chart::Radar(d) => charts::draw_radar(area, d),
        Chart::Ladder(d) => charts::draw_ladder(area, d),
        Chart::Trend(d) => charts::draw_trend(area, d),
        Chart::Heatmap(d) => charts::draw_heatmap(area, d),
        Chart::QuestionBars(d) => charts::draw_question_bars(area, d),
    }
}

/// A chart as SVG, for the screen and the HTML report, named for screen readers
/// (`aria-label` on its `role="img"` root; the figures are also on the page as text).
pub fn chart_svg(chart: &Chart) -> String {
    let svg = match chart {
        Chart::Radar(d) => charts::radar_svg(d),
        Chart::Ladder(d) => charts::ladder_svg(d),
        Chart::Trend(d) => charts::trend_svg(d),
        Chart::Heatmap(d) => charts::heatmap_svg(d),
        Chart::QuestionBars(d) => charts::question_bars_svg(d),
    };
    svg.replacen(
        " role=\"img\">",
        &format!(" role=\"img\" aria-label=\"{}\">", chart_name(chart)),
        1,
    )
}

/// The accessible name of a chart (plain words: no markup to escape).
fn chart_name(chart: &Chart) -> &'static str {
    match chart {
        Chart::Radar(_) => {
            "Radar chart of each building block's maturity, with the comparison round and the target"
        }
        Chart::Ladder(_) => "Phase ladder: the phase each building block reached",
        Chart::Trend(_) => "Trend of block maturity and the organisation's phase over the rounds",
        Chart::Heatmap(_) => "Alignment heatmap: block attainment by role group",
        Chart::QuestionBars(_) => "Attainment of each question of the block, by phase",
    }
}

fn place_chart(doc: &mut Document, chart: &Chart, height_fraction: f32) -> Result<(), PdfError> {
    let (w, h) = chart_size(chart);
    let height_mm = height_fraction * text_height_mm(doc);
    // Keep the chart with its caption.
    let drawn_mm = height_mm.min(doc.content_width_mm() * h as f32 / w as f32);
    doc.ensure_space(drawn_mm + 10.0);
    doc.chart(
        doc.content_width_mm(),
        height_mm,
        w,
        h,
        |area: &DrawingArea<PdfBackend, Shift>| draw_chart(chart, area).map_err(|e| e.0),
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
    cover(&mut doc, &report.cover, options.logo.as_deref())?;
    for section in &report.sections {
        doc.page_break();
        doc.heading(1, &section.title);
        for item in &section.items {
            item_pdf(&mut doc, item)?;
        }
    }
    Ok(doc.finish()?)
}

fn cover(
    doc: &mut Document,
    cover: &content::Cover,
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
    let mut y = page_h * 0.30;
    let label = ParaStyle::body()
        .with_size(13.0)
        .with_colour(colour(theme::BLOCK_COLOURS[0]));
    y += doc.text_at(left, y, &[Span::bold(cover.title.clone())], &label, width) + 4.0;
    let big = ParaStyle::body().with_size(30.0);
    y += doc.text_at(
        left,
        y,
        &[Span::bold(cover.organisation.clone())],
        &big,
        width,
    ) + 6.0;
    let sub = ParaStyle::body().with_size(14.0).with_colour(Colour::MUTED);
    y += doc.text_at(left, y, &[Span::new(cover.round.clone())], &sub, width) + 14.0;
    doc.line_at(
        (left, y),
        (left + 40.0, y),
        colour(theme::BLOCK_COLOURS[0]),
        1.5,
    );
    y += 6.0;
    let headline = ParaStyle::body().with_size(16.0);
    y += doc.text_at(
        left,
        y,
        &[Span::bold(cover.headline.clone())],
        &headline,
        width,
    ) + 8.0;
    if let Some(p) = &cover.provisional {
        let style = ParaStyle::body().with_size(11.0).with_colour(ALERT);
        let h = doc.text_at(
            left + 4.0,
            y + 3.0,
            &[Span::bold(p.clone())],
            &style,
            width - 8.0,
        );
        doc.rect_at(left, y, width, h + 6.0, None, Some((ALERT, 1.0)));
        y += h + 12.0;
    }
    let _ = y;
    let foot = ParaStyle::body().with_size(11.0).with_colour(Colour::MUTED);
    let mut lines = Vec::new();
    if let Some(by) = &cover.prepared_by {
        lines.push(Span::new(format!("Prepared by {by}\n")));
    }
    lines.push(Span::new(cover.generated_on.clone()));
    doc.text_at(left, page_h - 50.0, &lines, &foot, width);
    Ok(())
}

fn item_pdf(doc: &mut Document, item: &Item) -> Result<(), PdfError> {
    match item {
        Item::Heading(text) => doc.heading(2, text),
        Item::Paragraph(s) => doc.paragraph(&spans(s), &ParaStyle::body()),
        Item::Bullets(list) => {
            let list: Vec<Vec<Span>> = list.iter().map(|s| spans(s)).collect();
            doc.bullets(&list);
        }
        Item::Callout(s) => {
            let provisional = s.first().is_some_and(|f| f.text.starts_with("Provisional"));
            if provisional {
                doc.callout(&spans(s), PROVISIONAL_FILL, ALERT);
            } else {
                doc.callout(&spans(s), CALLOUT_FILL, colour(theme::BLOCK_COLOURS[0]));
            }
        }
        Item::Quote { text, by } => {
            let quote = ParaStyle::body().with_indent(6.0).with_space_after(0.8);
            doc.paragraph(&[Span::new(format!("“{text}”"))], &quote);
            let attribution = ParaStyle::small()
                .with_indent(6.0)
                .with_colour(Colour::MUTED);
            doc.paragraph(&[Span::new(format!("– {by}"))], &attribution);
        }
        Item::Table { columns, rows } => {
            let columns: Vec<Column> = columns
                .iter()
                .map(|c| {
                    Column::new(c.header.clone(), ColWidth::Fr(c.width)).with_align(match c.align {
                        Align::Left => pdf::Align::Left,
                        Align::Right => pdf::Align::Right,
                    })
                })
                .collect();
            let rows: Vec<Vec<Cell>> = rows
                .iter()
                .map(|row| {
                    row.iter()
                        .map(|c| {
                            let cell = match (&c.detail, c.bold) {
                                (Some((label, detail)), _) => Cell::spans(vec![
                                    Span::new(c.text.clone()).with_bold(c.bold),
                                    Span::new("\n"),
                                    Span::bold(label.clone()),
                                    Span::new(detail.clone()),
                                ]),
                                (None, true) => Cell::bold(c.text.clone()),
                                (None, false) => Cell::text(c.text.clone()),
                            };
                            match c.tone {
                                Tone::Plain => cell,
                                Tone::Good => cell.with_colour(GOOD),
                                Tone::Alert => cell.with_colour(ALERT),
                                Tone::Muted => cell.with_colour(Colour::MUTED),
                            }
                        })
                        .collect()
                })
                .collect();
            doc.table(&columns, &rows, &TableStyle::default())?;
        }
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
