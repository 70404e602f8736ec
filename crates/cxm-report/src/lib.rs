//! CX Maturity's charts and board report. Charts are pure functions of scoring results,
//! drawn with plotters two ways: SVG for the screen, vector operations for the PDF.
//! The PDF is built with printpdf, with an embedded Noto Sans and real, selectable text.
//! No Tauri, no database: inputs come in as values.

pub mod charts;
pub mod content;
pub mod html;
pub mod pdf;
pub mod render;
pub mod source;

pub use render::{Paper, PdfOptions, ReportError, chart_svg};

/// Build and typeset the board report as PDF bytes.
pub fn render_pdf(
    input: &content::ReportInput<'_>,
    options: &PdfOptions,
) -> Result<Vec<u8>, ReportError> {
    render::render(&content::build(input), options)
}

/// The same report as one HTML page (same text, charts as inline SVG).
pub fn render_html(input: &content::ReportInput<'_>) -> String {
    html::render(&content::build(input))
}
