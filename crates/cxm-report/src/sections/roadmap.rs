//! The roadmap: the organisation's plan as a timeline by quarter (the chart) and as a
//! table of items, those still open after their due day marked overdue as of the
//! report's date. Left out when the plan is empty.

use cxm_domain::plan::{PlanItem, PlanStatus};

use super::{Ctx, bold_cell, cell, join, long_date, toned};
use crate::charts::{Chart, plan_order, roadmap_data};
use crate::document::{ALERT, GOOD, Item, Section};
use crate::pdf::{Cell, ColWidth::Fr, Colour, Column, Span};

/// "3 done, 4 in progress, 4 planned and 1 dropped": the statuses that have items.
fn counts(plan: &[PlanItem]) -> String {
    let parts: Vec<String> = PlanStatus::ALL
        .iter()
        .filter_map(|&s| {
            let n = plan.iter().filter(|i| i.status == s).count();
            (n > 0).then(|| format!("{n} {}", s.label().to_lowercase()))
        })
        .collect();
    join(&parts)
}

pub(super) fn section(ctx: &Ctx<'_>) -> Section {
    let (m, input) = (ctx.m, ctx.input);
    let today = input.generated_on;
    let plan = &input.plan;
    let ordered = plan_order(m, plan);
    let overdue = plan.iter().filter(|i| i.overdue(today)).count();
    let open = plan.iter().filter(|i| i.status.is_open()).count();
    let mut intro = format!(
        "The organisation's plan has {}: {}.",
        if plan.len() == 1 {
            "one item".to_string()
        } else {
            format!("{} items", plan.len())
        },
        counts(plan)
    );
    match overdue {
        0 if open > 0 => intro.push_str(&format!(
            " No open item is past its due date on {}.",
            long_date(today)
        )),
        0 => {}
        1 => intro.push_str(&format!(
            " 1 open item is past its due date on {}: it is marked overdue.",
            long_date(today)
        )),
        n => intro.push_str(&format!(
            " {n} open items are past their due date on {}: they are marked overdue.",
            long_date(today)
        )),
    }
    let mut items = vec![Item::Paragraph(vec![Span::new(intro)])];

    if plan.iter().any(|i| i.status != PlanStatus::Dropped) {
        let data = roadmap_data(m, plan, today);
        let unit = match data.quarters_per_column {
            1 => "quarter",
            2 => "half-year",
            _ => "year",
        };
        let mut caption = format!(
            "The plan by due {unit}, one lane per building block; each item carries its number in the table below and its owner. A solid bar is done, a light one in progress, a dashed outline planned; a flag marks an item overdue."
        );
        if plan.iter().any(|i| i.status == PlanStatus::Dropped) {
            caption.push_str(" Dropped items are left out.");
        }
        items.push(Item::Chart {
            chart: Chart::Roadmap(data),
            caption,
            height: 0.62,
        });
    }

    let dash = || toned("–", Colour::MUTED);
    let rows: Vec<Vec<Cell>> = ordered
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let dropped = item.status == PlanStatus::Dropped;
            let muted = |c: Cell| {
                if dropped {
                    c.with_colour(Colour::MUTED)
                } else {
                    c
                }
            };
            let due = match item.due {
                Some(d) if item.overdue(today) => Cell::spans(vec![
                    Span::new(d.to_string()).with_colour(ALERT),
                    Span::new("\n"),
                    Span::bold("overdue").with_colour(ALERT),
                ]),
                Some(d) => muted(cell(d.to_string())),
                None => dash(),
            };
            let status = match item.status {
                PlanStatus::Done => toned(item.status.label(), GOOD),
                PlanStatus::Dropped => toned(item.status.label(), Colour::MUTED),
                s => cell(s.label()),
            };
            vec![
                muted(bold_cell((i + 1).to_string())),
                muted(cell(&item.title)),
                muted(cell(match item.question.as_deref() {
                    Some(q) => format!("{} · {q}", m.block_name(&item.block)),
                    None => format!("{} · –", m.block_name(&item.block)),
                })),
                item.owner
                    .as_deref()
                    .map(|o| muted(cell(o)))
                    .unwrap_or_else(dash),
                due,
                item.effort
                    .map(|e| muted(cell(e.as_str())))
                    .unwrap_or_else(dash),
                status,
            ]
        })
        .collect();
    items.push(Item::Heading("Plan items".into()));
    items.push(Item::Table {
        columns: vec![
            Column::new("#", Fr(0.6)),
            Column::new("Item", Fr(5.0)),
            Column::new("Block · question", Fr(2.1)),
            Column::new("Owner", Fr(1.7)),
            Column::new("Due", Fr(1.6)),
            Column::new("Effort", Fr(1.0)),
            Column::new("Status", Fr(1.85)),
        ],
        rows,
    });
    let free = plan
        .iter()
        .filter(|i| i.question.is_none() && i.status != PlanStatus::Dropped)
        .count();
    if free > 0 {
        items.push(Item::Paragraph(vec![Span::new(format!(
            "{} no question (–): {} not counted in the projected phase.",
            if free == 1 {
                "1 item is linked to".to_string()
            } else {
                format!("{free} items are linked to")
            },
            if free == 1 { "it is" } else { "they are" }
        ))]));
    }
    Section {
        title: "Roadmap".into(),
        items,
    }
}
