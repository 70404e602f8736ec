//! CX Maturity's domain: the questionnaire model, scoring (PRODUCT.md rules 1–8),
//! comparisons between rounds, a round scored and compared ([`scored`]), next-phase
//! actions, explanations, the responses CSV layout and the demo data. Pure: no I/O, no
//! database, no UI.

pub mod actions_csv;
pub mod answer;
pub mod compare;
mod csv_read;
pub mod demo;
pub mod explain;
pub mod model;
pub mod plan;
pub mod responses_csv;
pub mod scored;
pub mod scoring;
pub mod submission;
pub mod survey_csv;
pub mod text;

pub use answer::{Answer, Respondent};
pub use compare::{Comparison, Side, compare};
pub use explain::{Explanations, explain};
pub use model::{Model, ModelError};
pub use scoring::{Results, score};
