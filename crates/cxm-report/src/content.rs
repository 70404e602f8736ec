//! The report's old paths, kept while the callers move to the new ones: the round's
//! data is [`cxm_domain::scored`], the report's own input [`crate::input`], the charts'
//! data [`crate::charts`].

// re-export for callers; to be removed
pub use crate::charts::{Chart, heatmap_data, ladder_data, radar_data, trend_data};
// re-export for callers; to be removed
pub use crate::input::QuoteAttribution;
// re-export for callers; to be removed
pub use cxm_domain::scored::{HistoryPoint, RespondentView, RoundMeta};
