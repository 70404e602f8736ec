//! The board report as a document: a cover, then sections of headings, paragraphs,
//! lists, tables and charts. Built from a round's results by [`crate::sections`],
//! typeset to PDF by [`crate::render`]. Its runs of text, table columns and cells are
//! the PDF layer's own ([`Span`], [`Column`], [`Cell`]): what the sections build is what
//! is typeset.

use crate::charts::Chart;
use crate::pdf::{Cell, Colour, Column, Span};

/// Table text that is good news (mastered, improved).
pub const GOOD: Colour = Colour::rgb(0, 121, 90);
/// Table text that needs attention (below the threshold, slipped, flagged), and the
/// provisional mark.
pub const ALERT: Colour = Colour::rgb(179, 71, 0);

/// A piece of a section.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A sub-heading.
    Heading(String),
    /// A paragraph.
    Paragraph(Vec<Span>),
    /// A bulleted list.
    Bullets(Vec<Vec<Span>>),
    /// A shaded box (the provisional mark, the key message).
    Callout(Vec<Span>),
    /// A quotation with its attribution.
    Quote {
        /// The quoted note.
        text: String,
        /// Who said it ([`crate::input::QuoteAttribution`]).
        by: String,
    },
    /// A table.
    Table {
        /// Columns.
        columns: Vec<Column>,
        /// Rows.
        rows: Vec<Vec<Cell>>,
    },
    /// A chart, with its caption.
    Chart {
        /// The chart.
        chart: Chart,
        /// Caption under it.
        caption: String,
        /// Height as a fraction of the page's text height (the width is the text width).
        height: f32,
    },
}

/// A section; each starts on a new page.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Title.
    pub title: String,
    /// Content.
    pub items: Vec<Item>,
}

/// The cover.
#[derive(Debug, Clone, PartialEq)]
pub struct Cover {
    /// Organisation.
    pub organisation: String,
    /// "Customer-experience maturity assessment".
    pub title: String,
    /// Round title and date.
    pub round: String,
    /// The organisation's phase in one line.
    pub headline: String,
    /// "Prepared by …".
    pub prepared_by: Option<String>,
    /// "Generated on …".
    pub generated_on: String,
    /// "Provisional: …" when the round is open.
    pub provisional: Option<String>,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Document title (metadata).
    pub title: String,
    /// Footer text.
    pub footer: String,
    /// The cover.
    pub cover: Cover,
    /// Sections, in order.
    pub sections: Vec<Section>,
}
