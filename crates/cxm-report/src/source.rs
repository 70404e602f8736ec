//! The old path of a scored round, kept while the callers move to
//! [`cxm_domain::scored`] (and [`crate::input::ReportInput::new`] for the report's
//! input).

// re-export for callers; to be removed
pub use cxm_domain::scored::{RoundSource, Scored};
