//! The next-phase actions: tier 1 (what holds the organisation back), tier 2 (next
//! steps for blocks ahead), and the practices not yet assessed.

use cxm_domain::explain::figure;

use super::{Ctx, bold_cell, cell, toned};
use crate::document::{ALERT, Item, Section};
use crate::pdf::{Align, Cell, ColWidth::Fr, Column, Span, isolate};

pub(super) fn section(ctx: &Ctx<'_>) -> Section {
    let (m, r) = (ctx.m, ctx.r);
    let p = r.organisation_phase;
    let mut items = vec![Item::Paragraph(vec![Span::new(format!(
        "Practices below the threshold of {}, most valuable first. Priority = (threshold - attainment) × weight. Tier 1 holds the organisation back (phases up to {}, in every block); tier 2 is what comes next for blocks already ahead of the organisation.",
        figure(m.threshold),
        p + 1
    ))])];
    for tier in [1u8, 2] {
        let rows: Vec<Vec<Cell>> = r
            .actions
            .iter()
            .filter(|a| a.tier == tier)
            .map(|a| {
                vec![
                    bold_cell(&a.question),
                    cell(m.block_name(&a.block)),
                    Cell::spans(vec![
                        Span::new(isolate(&a.text)),
                        Span::new("\n"),
                        Span::bold("Recommendation: "),
                        Span::new(isolate(&a.recommendation)),
                    ]),
                    toned(figure(a.attainment), ALERT),
                    cell(figure(a.priority)),
                ]
            })
            .collect();
        items.push(Item::Heading(if tier == 1 {
            "Tier 1: what holds the organisation back".into()
        } else {
            "Tier 2: next steps for blocks ahead".into()
        }));
        if rows.is_empty() {
            items.push(Item::Paragraph(vec![Span::new(if tier == 1 {
                "None: every assessed practice up to the next phase meets the threshold."
            } else {
                "None."
            })]));
        } else {
            items.push(Item::Table {
                columns: vec![
                    Column::new("ID", Fr(0.95)),
                    Column::new("Block", Fr(1.5)),
                    Column::new("Practice and recommendation", Fr(5.0)),
                    Column::new("Attainment", Fr(1.25)).with_align(Align::Right),
                    Column::new("Priority", Fr(1.0)).with_align(Align::Right),
                ],
                rows,
            });
        }
    }
    if !r.not_yet_assessed.is_empty() {
        items.push(Item::Heading(format!("Not yet assessed (phase {})", p + 1)));
        items.push(Item::Bullets(
            r.not_yet_assessed
                .iter()
                .map(|q| {
                    vec![
                        Span::bold(format!("{} ", q.question)),
                        Span::new(q.text.clone()),
                    ]
                })
                .collect(),
        ));
    }
    Section {
        title: "Next-phase actions".into(),
        items,
    }
}
