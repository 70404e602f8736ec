//! The method appendix: the model, the scale, the scoring rules, the respondents and
//! how quotes are attributed.

use cxm_domain::Model;
use cxm_domain::explain::figure;
use cxm_domain::scored::RespondentView;

use super::quotes::rated;
use super::{Ctx, bold_cell, cell};
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
        if !members.is_empty() || !group.description.is_empty() {
            per_group.push(vec![
                cell(&group.name),
                cell(&group.description),
                cell(counted.to_string()),
                cell(if members.is_empty() {
                    "no respondents"
                } else if ctx.hidden_groups().contains(&g) {
                    "hidden (below the anonymity threshold)"
                } else {
                    "shown"
                }),
            ]);
        }
    }
    let mut items = vec![Item::Paragraph(vec![
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
    ])];
    let rules = m.scale.definitions.len() == m.scale.labels.len();
    items.push(Item::Paragraph(vec![
        Span::bold("Scale. "),
        Span::new(if rules {
            format!(
                "Each practice is rated on the scale below, defined once for every question so that two interviewers score the same evidence alike; “{}” and “{}” are recorded but left out of the scores.",
                m.scale.dont_know.to_lowercase(),
                m.scale.not_applicable.to_lowercase()
            )
        } else {
            format!(
                "Each practice is rated {}; “{}” and “{}” are recorded but left out of the scores.",
                scale.join(", "),
                m.scale.dont_know.to_lowercase(),
                m.scale.not_applicable.to_lowercase()
            )
        }),
    ]));
    if rules {
        items.push(Item::Table {
            columns: vec![
                Column::new("Rating", Fr(1.6)),
                Column::new("What it means", Fr(5.0)),
            ],
            rows: m
                .scale
                .labels
                .iter()
                .zip(&m.scale.definitions)
                .enumerate()
                .map(|(v, (label, definition))| {
                    vec![bold_cell(format!("{v} {label}")), cell(definition)]
                })
                .collect(),
        });
    }
    for (label, rule) in [
        (&m.scale.dont_know, &m.scale.dont_know_rule),
        (&m.scale.not_applicable, &m.scale.not_applicable_rule),
    ] {
        if !rule.is_empty() {
            items.push(Item::Paragraph(vec![
                Span::bold(format!("{label}. ")),
                Span::new(rule.clone()),
            ]));
        }
    }
    // τ·S on the scale, when it falls on a point: "0.75 means Largely in place".
    let on_scale = m.threshold * f64::from(m.scale.max);
    let threshold_meaning = if (on_scale - on_scale.round()).abs() < 1e-9 {
        m.scale
            .labels
            .get(on_scale.round() as usize)
            .map(|l| {
                format!(
                    " A threshold of {} means “{}” ({} of {}) on average.",
                    figure(m.threshold),
                    l,
                    on_scale.round(),
                    m.scale.max
                )
            })
            .unwrap_or_default()
    } else {
        String::new()
    };
    items.push(Item::Paragraph(vec![
        Span::bold("Scoring. "),
        Span::new(format!(
            "A question's attainment is the mean of its ratings divided by {max}; every respondent counts equally. A phase's attainment is the weighted mean of its questions. A building block reaches a phase when that phase and every phase below it reach the mastery threshold of {tau} (a phase answered only “not applicable” passes).{threshold_meaning} Maturity is the phase reached plus the attainment of the next phase. The organisation's phase is the lowest phase reached by any block: the model moves as one, so the basics are established in every block at once, and the next phase is credited only when the current one is mastered everywhere. Figures are rounded down, so a value below the threshold never shows as equal to it.",
            max = m.scale.max,
            tau = figure(m.threshold)
        )),
    ]));
    let weighted: Vec<Vec<crate::pdf::Cell>> = m
        .questions
        .iter()
        .filter(|q| q.weight != 1.0)
        .map(|q| {
            vec![
                bold_cell(&q.id),
                cell(format!("× {}", q.weight)),
                cell(if q.weight_reason.is_empty() {
                    q.text.clone()
                } else {
                    format!("{} {}", q.text, q.weight_reason)
                }),
            ]
        })
        .collect();
    if !weighted.is_empty() {
        items.push(Item::Paragraph(vec![
            Span::bold("Weights. "),
            Span::new(format!(
                "{} of the {} questions count for more than one within their phase; each is listed with the reason.",
                weighted.len(),
                m.questions.len()
            )),
        ]));
        items.push(Item::Table {
            columns: vec![
                Column::new("Question", Fr(1.0)),
                Column::new("Weight", Fr(0.8)),
                Column::new("Practice, and why it weighs more", Fr(6.0)),
            ],
            rows: weighted,
        });
    }
    let audiences = m
        .questions
        .iter()
        .filter(|q| q.audience != cxm_domain::model::Audience::All)
        .count();
    let described = m.role_groups.iter().all(|g| !g.description.is_empty());
    if audiences > 0 || described {
        let mut text = String::new();
        if audiences > 0 {
            text.push_str(&format!(
                "Each question is asked of the role groups that can answer it from their own work: {} of the {} questions are asked of every group, {} of some groups only (an answer to any question still counts). ",
                m.questions.len() - audiences,
                m.questions.len(),
                audiences
            ));
        }
        if described {
            text.push_str("The last table of this section says who belongs to each role group.");
        }
        items.push(Item::Paragraph(vec![
            Span::bold("Who is asked what. "),
            Span::new(text.trim_end().to_string()),
        ]));
    }
    items.extend([
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
    ]);
    // The description column only where the model describes its groups.
    let columns = if described {
        vec![
            Column::new("Role group", Fr(1.3)),
            Column::new("Who belongs", Fr(4.2)),
            Column::new("Respondents", Fr(1.2)).with_align(Align::Right),
            Column::new("Alignment view", Fr(1.6)),
        ]
    } else {
        per_group.iter_mut().for_each(|row| {
            row.remove(1);
        });
        vec![
            Column::new("Role group", Fr(2.0)),
            Column::new("Respondents", Fr(1.0)).with_align(Align::Right),
            Column::new("Alignment view", Fr(3.0)),
        ]
    };
    items.push(Item::Table {
        columns,
        rows: per_group,
    });
    Section {
        title: "Method".into(),
        items,
    }
}
