//! The executive summary: where the organisation stands and why, its strengths, its
//! biggest gaps, the change since the comparison round, the plan (its summary since
//! then and the phase it would reach), the alignment of role groups, and the key
//! figures of each building block.

use cxm_domain::compare::Basis;
use cxm_domain::explain::{self, delta, figure};
use cxm_domain::plan::{explain_projection, project};
use cxm_domain::scored::RespondentView;

use super::{Ctx, bold_cell, cell, change_colour, join, long_date, rose, toned};
use crate::document::{Item, Section};
use crate::pdf::{Align, ColWidth::Fr, Colour, Column, Span, isolate};

pub(super) fn section(ctx: &Ctx<'_>) -> Section {
    let (m, r, input) = (ctx.m, ctx.r, ctx.input);
    let p = r.organisation_phase;
    let n = m.phase_count();
    let mut items = Vec::new();
    if input.round.open {
        items.push(Item::Callout(vec![
            Span::bold("Provisional. "),
            Span::new(format!(
                "The round is still open: {} of {} interviews are complete, so these figures may change.",
                r.interviews_complete, r.respondents
            )),
        ]));
    }

    // Where the organisation stands.
    let meaning = if p == 0 {
        format!(
            "Phase 1, {}, is not yet mastered in every building block.",
            m.phase_name(1)
        )
    } else {
        m.phases[p as usize - 1].description.clone()
    };
    items.push(Item::Paragraph(vec![
        Span::new(format!("{} is ", isolate(input.organisation))),
        Span::bold(ctx.phase_phrase(p)),
        Span::new(format!(" of {n}. {meaning}")),
    ]));

    // The bottleneck and why.
    if p < n {
        let stuck: Vec<String> = r
            .bottleneck
            .iter()
            .map(|id| {
                let block = &r.blocks[m.block_index(id).unwrap_or(0)];
                match block.phases.get(p as usize).and_then(|ph| ph.attainment) {
                    Some(a) => format!("{} ({})", isolate(m.block_name(id)), figure(a)),
                    None => format!("{} (not assessed)", isolate(m.block_name(id))),
                }
            })
            .collect();
        let verb = if stuck.len() == 1 { "holds" } else { "hold" };
        items.push(Item::Paragraph(vec![
            Span::bold("What holds it back. "),
            Span::new(format!(
                "{} {verb} the organisation at this phase: phase {} attainment is below the threshold of {} needed to move on. The model moves as one, so the organisation advances when every building block has mastered the next phase.",
                join(&stuck),
                p + 1,
                figure(m.threshold)
            )),
        ]));
    } else {
        items.push(Item::Paragraph(vec![
            Span::bold("No bottleneck. "),
            Span::new("Every building block has mastered every phase of the model."),
        ]));
    }
    if let Some(target) = input.round.target_phase {
        items.push(Item::Paragraph(vec![
            Span::bold("Target. "),
            Span::new(explain::target(m, p, target)),
        ]));
    }

    // Strengths: the most mature block (the furthest up the ladder, then the furthest
    // into its next phase), so it is never one the bottleneck names while another
    // block reached a higher phase.
    let mut blocks: Vec<(f64, f64, usize)> = r
        .blocks
        .iter()
        .enumerate()
        .filter_map(|(i, b)| b.attainment.map(|a| (b.maturity, a, i)))
        .collect();
    blocks.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(b.1.total_cmp(&a.1))
            .then(a.2.cmp(&b.2))
    });
    let mut questions: Vec<(f64, usize)> = r
        .questions
        .iter()
        .enumerate()
        .filter_map(|(i, q)| q.attainment.map(|a| (a, i)))
        .filter(|(_, i)| m.questions[*i].phase > 1 || p <= 1)
        .collect();
    questions.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    if let Some(&(maturity, _, bi)) = blocks.first() {
        let mut strengths = vec![
            Span::bold("Strengths. "),
            Span::new(format!(
                "{} is the most mature building block (reached phase {}, maturity {}).",
                m.blocks[bi].name,
                r.blocks[bi].reached_phase,
                figure(maturity)
            )),
        ];
        let top: Vec<String> = questions
            .iter()
            .take(2)
            .map(|&(a, i)| {
                format!(
                    "“{}” ({}, {})",
                    m.questions[i].text.trim_end_matches('.'),
                    m.questions[i].id,
                    figure(a)
                )
            })
            .collect();
        if !top.is_empty() {
            strengths.push(Span::new(format!(
                " Across the model, the most firmly established practices beyond the basics: {}.",
                join(&top)
            )));
        }
        items.push(Item::Paragraph(strengths));
    }

    // Biggest gaps.
    let gaps: Vec<Vec<Span>> = r
        .actions
        .iter()
        .filter(|a| a.tier == 1)
        .take(3)
        .map(|a| {
            vec![
                Span::bold(format!("{} ", m.block_name(&a.block))),
                Span::new(format!(
                    "({}, phase {}, attainment {}): {}",
                    a.question,
                    a.phase,
                    figure(a.attainment),
                    a.recommendation
                )),
            ]
        })
        .collect();
    if !gaps.is_empty() {
        items.push(Item::Paragraph(vec![
            Span::bold("Biggest gaps. "),
            Span::new("The first actions that would move the organisation forward:"),
        ]));
        items.push(Item::Bullets(gaps));
    }

    // Change since the comparison round.
    if let Some((earlier, c)) = &input.comparison {
        let mut rises: Vec<(f64, &str)> = c
            .blocks
            .iter()
            .map(|bc| (bc.delta_maturity, m.block_name(&bc.block)))
            .collect();
        rises.sort_by(|a, b| b.0.total_cmp(&a.0));
        let phase_change = if c.phase_to > c.phase_from {
            format!("moved from phase {} to phase {}", c.phase_from, c.phase_to)
        } else if c.phase_to < c.phase_from {
            format!("fell from phase {} to phase {}", c.phase_from, c.phase_to)
        } else {
            format!("stayed in phase {}", c.phase_to)
        };
        let mut text = format!(
            "Since the {} ({}), the organisation {phase_change}.",
            earlier.title,
            long_date(earlier.date)
        );
        if let Some((d, name)) = rises.first() {
            let up = c.blocks.iter().filter(|bc| rose(bc.delta_maturity)).count();
            text.push_str(&format!(
                " Maturity rose in {up} of {} building blocks; the largest change is in {name} ({}).",
                c.blocks.len(),
                delta(*d)
            ));
        }
        if c.basis == Basis::SharedQuestions {
            text.push_str(&format!(
                " The rounds used different model versions; the comparison uses the {} questions they share.",
                c.shared_questions
            ));
        }
        items.push(Item::Paragraph(vec![
            Span::bold("Change. "),
            Span::new(text),
        ]));
    }

    // The plan: what it did since the comparison round, and the phase it would reach.
    if !input.plan.is_empty() {
        if let Some(summary) = &input.plan_summary {
            items.push(Item::Paragraph(vec![
                Span::bold("Plan. "),
                Span::new(format!(
                    "Since the {}: {summary}",
                    input
                        .comparison
                        .as_ref()
                        .map_or("previous round".to_string(), |(e, _)| isolate(&e.title))
                )),
            ]));
        }
        let respondents: Vec<_> = input
            .respondents
            .iter()
            .map(RespondentView::scoring)
            .collect();
        let projection = project(m, &respondents, &input.plan);
        items.push(Item::Paragraph(vec![
            Span::bold("Projected phase. "),
            Span::new(format!(
                "{} The roadmap lists the items.",
                explain_projection(m, &projection)
            )),
        ]));
    }

    // Alignment flags.
    let flagged: Vec<String> = r
        .alignment
        .iter()
        .filter(|a| a.flagged)
        .map(|a| {
            let hi = a
                .groups
                .iter()
                .filter(|g| g.attainment.is_some())
                .max_by(|x, y| {
                    x.attainment
                        .unwrap_or(0.0)
                        .total_cmp(&y.attainment.unwrap_or(0.0))
                });
            let lo = a
                .groups
                .iter()
                .filter(|g| g.attainment.is_some())
                .min_by(|x, y| {
                    x.attainment
                        .unwrap_or(0.0)
                        .total_cmp(&y.attainment.unwrap_or(0.0))
                });
            match (hi, lo) {
                (Some(hi), Some(lo)) => format!(
                    "{} ({} {} against {} {})",
                    m.block_name(&a.block),
                    ctx.group_name(&hi.role_group),
                    figure(hi.attainment.unwrap_or(0.0)),
                    ctx.group_name(&lo.role_group).to_lowercase(),
                    figure(lo.attainment.unwrap_or(0.0))
                ),
                _ => m.block_name(&a.block).to_string(),
            }
        })
        .collect();
    if flagged.is_empty() {
        items.push(Item::Paragraph(vec![
            Span::bold("Alignment. "),
            Span::new("The role groups broadly agree: no building block shows a gap of a full scale step between groups."),
        ]));
    } else {
        items.push(Item::Paragraph(vec![
            Span::bold("Alignment. "),
            Span::new(format!(
                "Role groups see {} differently, by at least a full step on the scale: {}. Where leadership rates a practice higher than the people who live it, ask for the evidence.",
                if flagged.len() == 1 { "one building block" } else { "some building blocks" },
                join(&flagged)
            )),
        ]));
    }

    // Key figures.
    let mut columns = vec![
        Column::new("Building block", Fr(3.0)),
        Column::new("Phase reached", Fr(1.4)).with_align(Align::Right),
        Column::new("Maturity", Fr(1.2)).with_align(Align::Right),
    ];
    if input.comparison.is_some() {
        columns.push(Column::new("Change", Fr(1.2)).with_align(Align::Right));
    }
    let rows = r
        .blocks
        .iter()
        .enumerate()
        .map(|(i, block)| {
            let mut row = vec![
                if r.bottleneck.contains(&block.id) {
                    bold_cell(&m.blocks[i].name)
                } else {
                    cell(&m.blocks[i].name)
                },
                cell(block.reached_phase.to_string()),
                cell(figure(block.maturity)),
            ];
            if let Some((_, c)) = &input.comparison {
                let d = c
                    .blocks
                    .iter()
                    .find(|bc| bc.block == block.id)
                    .map(|bc| bc.delta_maturity);
                row.push(match d {
                    Some(d) => toned(delta(d), change_colour(d)),
                    None => toned("–", Colour::MUTED),
                });
            }
            row
        })
        .collect();
    items.push(Item::Table { columns, rows });
    Section {
        title: "Executive summary".into(),
        items,
    }
}
