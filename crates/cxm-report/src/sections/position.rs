//! Where the organisation stands: its explanation, the radar of block maturity and
//! the phase ladder.

use cxm_domain::explain::{self, figure};

use super::Ctx;
use crate::charts::{Chart, ladder_data, radar_data};
use crate::document::{Item, Section};
use crate::pdf::Span;

pub(super) fn section(ctx: &Ctx<'_>) -> Section {
    let (m, r) = (ctx.m, ctx.r);
    let n = m.phase_count();
    let radar = radar_data(ctx.input);
    let ladder = ladder_data(m, r);
    let explanation = explain::explain(m, r);
    Section {
        title: "Where the organisation stands".into(),
        items: vec![
            Item::Paragraph(vec![Span::new(explanation.organisation)]),
            Item::Chart {
                chart: Chart::Radar(radar),
                caption: format!(
                    "Maturity of each building block (0 to {n}): the phase reached plus progress into the next phase."
                ),
                height: 0.42,
            },
            Item::Chart {
                chart: Chart::Ladder(ladder),
                caption: format!(
                    "Phase ladder: attainment of each phase against the threshold of {}. The organisation's phase is the lowest phase every block has reached.",
                    figure(m.threshold)
                ),
                height: 0.3,
            },
        ],
    }
}
