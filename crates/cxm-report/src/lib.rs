//! CX Maturity's charts and board report. Charts are pure functions of scoring results,
//! drawn with plotters two ways: SVG for the screen, vector operations for the PDF.
//! The PDF is built with printpdf, with an embedded Noto Sans and real, selectable text.
//! No Tauri, no database: inputs come in as values.
//!
//! A report goes [`input::ReportInput`] → [`sections::build`] → [`document::Report`] →
//! [`render`] (PDF), or `html` (one HTML page, with the feature `bench`).

pub mod charts;
pub mod document;
#[cfg(feature = "bench")]
pub mod html;
pub mod input;
pub mod pdf;
pub mod render;
pub mod sections;

pub use charts::chart_svg;
pub use render::{Paper, PdfOptions, ReportError};

/// Builds and typesets the board report as PDF bytes.
pub fn render_pdf(
    input: &input::ReportInput<'_>,
    options: &PdfOptions,
) -> Result<Vec<u8>, ReportError> {
    render::render(&sections::build(input), options)
}

/// The same report as one HTML page (same text, charts as inline SVG): the benchmark's
/// point of comparison (`scripts/bench-report.sh`).
#[cfg(feature = "bench")]
pub fn render_html(input: &input::ReportInput<'_>) -> String {
    html::render(&sections::build(input))
}
