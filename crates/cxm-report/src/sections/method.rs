//! The method appendix: the model, the scale, the scoring rules, the respondents and
//! how quotes are attributed.

use cxm_domain::Model;
use cxm_domain::explain::figure;
use cxm_domain::scored::RespondentView;

use super::quotes::rated;
use super::{Ctx, cell};
use crate::document::{Item, Section};
use crate::input::QuoteAttribution;
use crate::pdf::{Align, ColWidth::Fr, Column, Span};

/// The method appendix's sentence on how this report attributes quotes.
fn quotes_rule(m: &Model, quotes: QuoteAttribution) -> String {
    let k = m.anonymity_threshold;
    match quotes {
        QuoteAttribution::RoleGroup => format!(
            "Notes from the interviews are quoted without names. Each is attributed to the respondent's role group, and to their department only where at least {k} respondents of the round share both that role group and that department; where that would leave fewer than {k} of a group's respondents without a department, the smallest such department is not named either. Notes from members of a hidden group, and from respondents who gave no rating, are attributed to “a respondent”."
        ),
        QuoteAttribution::Name => "As chosen for this report, notes from the interviews are attributed by name, with the respondent's role group and department. Notes from members of a hidden group, and from respondents who gave no rating, are quoted without names, attributed to “a respondent”.".to_string(),
    }
}

pub(super) fn section(ctx: &Ctx<'_>) -> Section {
    let (m, r, input) = (ctx.m, ctx.r, ctx.input);
    let scale: Vec<String> = m
        .scale
        .labels
        .iter()
        .enumerate()
        .map(|(v, l)| format!("{v} {l}"))
        .collect();
    let mut per_group = Vec::new();
    for (g, group) in m.role_groups.iter().enumerate() {
        // Counted as the alignment counts them: members who gave at least one rating.
        let members: Vec<&RespondentView> = input
            .respondents
            .iter()
            .filter(|p| p.role_group == g)
            .collect();
        let counted = members.iter().filter(|p| rated(p)).count();
        if !members.is_empty() {
            per_group.push(vec![
                cell(&group.name),
                cell(counted.to_string()),
                cell(if ctx.hidden_groups().contains(&g) {
                    "hidden (below the anonymity threshold)"
                } else {
                    "shown"
                }),
            ]);
        }
    }
    Section {
        title: "Method".into(),
        items: vec![
            Item::Paragraph(vec![
                Span::bold("Model. "),
                Span::new(format!(
                    "{} ({} version {}): {} building blocks, {} phases, {} questions.",
                    m.title,
                    m.id,
                    m.version,
                    m.blocks.len(),
                    m.phase_count(),
                    m.questions.len()
                )),
            ]),
            Item::Paragraph(vec![
                Span::bold("Scale. "),
                Span::new(format!(
                    "Each practice is rated {}; “{}” and “{}” are recorded but left out of the scores.",
                    scale.join(", "),
                    m.scale.dont_know.to_lowercase(),
                    m.scale.not_applicable.to_lowercase()
                )),
            ]),
            Item::Paragraph(vec![
                Span::bold("Scoring. "),
                Span::new(format!(
                    "A question's attainment is the mean of its ratings divided by {max}; every respondent counts equally. A phase's attainment is the weighted mean of its questions. A building block reaches a phase when that phase and every phase below it reach the mastery threshold of {tau} (a phase answered only “not applicable” passes). Maturity is the phase reached plus the attainment of the next phase. The organisation's phase is the lowest phase reached by any block: the model moves as one. Figures are rounded down, so a value below the threshold never shows as equal to it.",
                    max = m.scale.max,
                    tau = figure(m.threshold)
                )),
            ]),
            Item::Paragraph(vec![
                Span::bold("Respondents. "),
                Span::new(format!(
                    "{} respondents, {} complete interviews. A respondent counts in their role group when they gave at least one rating; a role group with fewer than {} respondents is hidden in the alignment view.",
                    r.respondents, r.interviews_complete, m.anonymity_threshold
                )),
            ]),
            Item::Paragraph(vec![
                Span::bold("Quotes. "),
                Span::new(quotes_rule(m, input.quotes)),
            ]),
            Item::Table {
                columns: vec![
                    Column::new("Role group", Fr(2.0)),
                    Column::new("Respondents", Fr(1.0)).with_align(Align::Right),
                    Column::new("Alignment view", Fr(3.0)),
                ],
                rows: per_group,
            },
        ],
    }
}
