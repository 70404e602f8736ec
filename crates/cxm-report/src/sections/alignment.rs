//! Alignment by role group: the heatmap, the hidden groups and the flagged blocks.

use cxm_domain::explain::figure;
use cxm_domain::scoring::ALIGNMENT_FLAG;

use super::{Ctx, join};
use crate::charts::{Chart, heatmap_data};
use crate::document::{Item, Section};
use crate::pdf::Span;

pub(super) fn section(ctx: &Ctx<'_>) -> Section {
    let (m, r) = (ctx.m, ctx.r);
    let mut items = vec![Item::Paragraph(vec![Span::new(format!(
        "How each role group rates each building block: block attainment (0 to 1) from that group's answers alone. A gap of {} or more between groups, a full step on the scale, is flagged.",
        figure(ALIGNMENT_FLAG)
    ))])];
    items.push(Item::Chart {
        chart: Chart::Heatmap(heatmap_data(m, r)),
        caption: "Alignment by role group. Groups below the anonymity threshold are named but not scored.".into(),
        height: 0.32,
    });
    let hidden = ctx.hidden_groups();
    if !hidden.is_empty() {
        let names: Vec<String> = r.alignment[0]
            .hidden_groups
            .iter()
            .map(|h| {
                format!(
                    "{} ({} respondent{})",
                    ctx.group_name(&h.role_group),
                    h.respondents,
                    if h.respondents == 1 { "" } else { "s" }
                )
            })
            .collect();
        items.push(Item::Callout(vec![
            Span::bold("Hidden groups. "),
            Span::new(format!(
                "{} {} fewer respondents than the anonymity threshold of {}, so {} figures are not shown; their answers still count in the organisation's results.",
                join(&names),
                if names.len() == 1 { "has" } else { "have" },
                m.anonymity_threshold,
                if names.len() == 1 { "its" } else { "their" }
            )),
        ]));
    }
    for a in r.alignment.iter().filter(|a| a.flagged) {
        let groups: Vec<String> = a
            .groups
            .iter()
            .map(|g| {
                format!(
                    "{} {}",
                    ctx.group_name(&g.role_group),
                    g.attainment.map(figure).unwrap_or_else(|| "–".into())
                )
            })
            .collect();
        items.push(Item::Paragraph(vec![
            Span::bold(format!(
                "{}: gap {}. ",
                m.block_name(&a.block),
                figure(a.gap)
            )),
            Span::new(format!("{}.", groups.join(", "))),
        ]));
    }
    Section {
        title: "Alignment by role group".into(),
        items,
    }
}
