//! Progress between rounds: the trend over the organisation's rounds, and the
//! comparison with the earlier round block by block and practice by practice.

use cxm_domain::compare::{Basis, QuestionChange};
use cxm_domain::explain::{delta, figure};

use super::{Ctx, bold_cell, cell, change_colour, toned};
use crate::charts::{Chart, trend_data};
use crate::document::{ALERT, GOOD, Item, Section};
use crate::pdf::{Align, ColWidth::Fr, Colour, Column, Span};

pub(super) fn section(ctx: &Ctx<'_>) -> Section {
    let (m, input) = (ctx.m, ctx.input);
    let mut items = Vec::new();
    if input.history.len() > 1 {
        items.push(Item::Chart {
            chart: Chart::Trend(trend_data(m, &input.history)),
            caption: "Maturity of each building block over the organisation's rounds; the dashed step line is the organisation's phase.".into(),
            height: 0.32,
        });
    }
    if let Some((earlier, c)) = &input.comparison {
        items.push(Item::Heading(format!(
            "{} to {}",
            earlier.title, input.round.title
        )));
        if c.basis == Basis::SharedQuestions {
            items.push(Item::Callout(vec![Span::new(format!(
                "The two rounds were answered on different model versions. Both are rescored on the {} questions they share with an unchanged block and phase.",
                c.shared_questions
            ))]));
        }
        let rows = c
            .blocks
            .iter()
            .map(|bc| {
                let phase = if bc.phase_to > bc.phase_from {
                    toned(format!("{} to {}", bc.phase_from, bc.phase_to), GOOD)
                } else if bc.phase_to < bc.phase_from {
                    toned(format!("{} to {}", bc.phase_from, bc.phase_to), ALERT)
                } else {
                    cell(format!("{} to {}", bc.phase_from, bc.phase_to))
                };
                vec![
                    bold_cell(m.block_name(&bc.block)),
                    phase,
                    cell(format!(
                        "{} to {}",
                        figure(bc.maturity_from),
                        figure(bc.maturity_to)
                    )),
                    toned(delta(bc.delta_maturity), change_colour(bc.delta_maturity)),
                    bc.delta_attainment
                        .map(|d| cell(delta(d)))
                        .unwrap_or_else(|| toned("–", Colour::MUTED)),
                ]
            })
            .collect();
        items.push(Item::Table {
            columns: vec![
                Column::new("Building block", Fr(2.6)),
                Column::new("Phase", Fr(1.0)).with_align(Align::Right),
                Column::new("Maturity", Fr(1.6)).with_align(Align::Right),
                Column::new("Change", Fr(1.0)).with_align(Align::Right),
                Column::new("Attainment change", Fr(1.5)).with_align(Align::Right),
            ],
            rows,
        });
        let notable = c.notable_changes(5);
        let list = |changes: &[&QuestionChange]| -> Vec<Vec<Span>> {
            changes
                .iter()
                .map(|q| {
                    vec![
                        Span::bold(format!("{} {} ", q.question, delta(q.delta.unwrap_or(0.0)))),
                        Span::new(ctx.question_text(&q.question).to_string()),
                    ]
                })
                .collect()
        };
        let improved = list(&notable.improved);
        let slipped = list(&notable.slipped);
        items.push(Item::Heading("Most improved practices".into()));
        if improved.is_empty() {
            items.push(Item::Paragraph(vec![Span::new(
                "No practice improved by 0.05 or more.",
            )]));
        } else {
            items.push(Item::Bullets(improved));
        }
        items.push(Item::Heading("Practices that slipped".into()));
        if slipped.is_empty() {
            items.push(Item::Paragraph(vec![Span::new(
                "No practice slipped by 0.05 or more.",
            )]));
        } else {
            items.push(Item::Bullets(slipped));
        }
    }
    Section {
        title: "Progress between rounds".into(),
        items,
    }
}
