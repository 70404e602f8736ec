//! The PDF layer: the embedded fonts, their fallbacks for other scripts and their
//! metrics ([`fonts`]), shaping, bidirectional ordering and line breaking ([`text`]),
//! a plotters backend that draws charts as PDF vectors and real text ([`backend`]),
//! and a small typesetting layer with page breaking, tables and footers ([`layout`]).
//!
//! ```no_run
//! use cxm_report::pdf::{Document, DocMeta, Paper, ParaStyle, Span};
//!
//! let mut doc = Document::new(Paper::A4, DocMeta {
//!     title: "CX maturity report".into(),
//!     created_unix: 1_700_000_000,
//!     footer_left: "Acme Ltd · Round 3".into(),
//!     ..DocMeta::default()
//! });
//! doc.heading(1, "Executive summary");
//! doc.paragraph(&[Span::new("The organisation is in "), Span::bold("phase 2"), Span::new(".")],
//!               &ParaStyle::body());
//! let bytes = doc.finish().unwrap();
//! # let _ = bytes;
//! ```

pub mod backend;
pub mod fonts;
mod fonts_pdf;
pub mod layout;
mod ops;
pub mod text;
mod write;

#[cfg(test)]
mod tests;

pub use backend::PdfBackend;
pub use fonts::{Weight, register_chart_fonts, text_width};
pub use layout::{
    Cell, ChartFn, ColWidth, Column, DocMeta, Document, PT_PER_MM, Paper, ParaStyle, RowChart,
    TableStyle,
};
pub use text::{Align, Colour, Span, isolate, plain};
pub use write::PRODUCER;

/// Errors of the PDF layer.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The logo (or another image) is not a usable PNG.
    #[error("image: {0}")]
    Image(String),
    /// A chart function failed, or the chart has no room.
    #[error("chart: {0}")]
    Chart(String),
    /// A table is malformed (row length, column widths).
    #[error("table: {0}")]
    Table(String),
    /// A font could not be subset.
    #[error("font: {0}")]
    Font(String),
    /// The PDF could not be written.
    #[error("writing the PDF: {0}")]
    Write(String),
}
