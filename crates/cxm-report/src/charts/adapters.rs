//! Each chart's data from a round's results: the report's charts, and the app's
//! results screen.

use chrono::{Datelike, NaiveDate};
use cxm_domain::Model;
use cxm_domain::scored::HistoryPoint;
use cxm_domain::scoring::{ALIGNMENT_FLAG, PhaseStatus, Results};

use cxm_domain::plan::{PlanItem, PlanStatus};

use super::data::{
    HeatmapData, HeatmapGroup, LadderBlock, LadderCell, LadderData, QuestionBarsData, RadarData,
    RadarSeries, RoadmapData, RoadmapItem, RoadmapLane, RoadmapStatus, SeriesKind, TrendData,
};
use crate::input::ReportInput;
use crate::pdf::isolate;

/// `2026-09-08` → `Sep 2026`.
fn short_date(date: NaiveDate) -> String {
    format!("{} {}", date.format("%b"), date.year())
}

/// The radar's data: each block's maturity in this round, in the comparison round (if
/// any) and the target phase (if set). The report's "where the organisation stands"
/// chart, and the app's results screen.
pub fn radar_data(input: &ReportInput<'_>) -> RadarData {
    let (m, r) = (input.model, input.results);
    let mut series = Vec::new();
    if let Some(target) = input.round.target_phase {
        series.push(RadarSeries {
            label: format!("Target: phase {target}"),
            values: vec![f64::from(target); m.blocks.len()],
            kind: SeriesKind::Target,
        });
    }
    if let Some((earlier, c)) = &input.comparison {
        series.push(RadarSeries {
            label: format!("{}, {}", isolate(&earlier.title), short_date(earlier.date)),
            values: r
                .blocks
                .iter()
                .map(|b| {
                    c.blocks
                        .iter()
                        .find(|bc| bc.block == b.id)
                        .map(|bc| bc.maturity_from)
                        .unwrap_or(0.0)
                })
                .collect(),
            kind: SeriesKind::Previous,
        });
    }
    series.push(RadarSeries {
        label: format!(
            "{}, {}",
            isolate(&input.round.title),
            short_date(input.round.date)
        ),
        values: r.blocks.iter().map(|b| b.maturity).collect(),
        kind: SeriesKind::Current,
    });
    RadarData {
        axes: m.blocks.iter().map(|b| b.name.clone()).collect(),
        phases: phase_names(m),
        max: f64::from(m.phase_count()),
        series,
    }
}

/// "1 Foundation", "2 Developing", …
fn phase_names(m: &Model) -> Vec<String> {
    m.phases
        .iter()
        .map(|p| format!("{} {}", p.number, p.name))
        .collect()
}

/// The phase ladder's data.
pub fn ladder_data(m: &Model, r: &Results) -> LadderData {
    LadderData {
        phases: phase_names(m),
        threshold: m.threshold,
        organisation_phase: r.organisation_phase,
        blocks: r
            .blocks
            .iter()
            .enumerate()
            .map(|(i, b)| LadderBlock {
                name: m.blocks[i].name.clone(),
                colour: i,
                reached: b.reached_phase,
                bottleneck: r.bottleneck.contains(&b.id),
                cells: b
                    .phases
                    .iter()
                    .map(|p| match (p.status, p.attainment) {
                        (PhaseStatus::Mastered, Some(a)) => LadderCell::Mastered(a),
                        (PhaseStatus::BelowThreshold, Some(a)) => LadderCell::Below(a),
                        (PhaseStatus::NotApplicable, _) => LadderCell::NotApplicable,
                        _ => LadderCell::NotAssessed,
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The trend chart's data from the organisation's rounds.
pub fn trend_data(m: &Model, history: &[HistoryPoint]) -> TrendData {
    TrendData {
        rounds: history.iter().map(|h| short_date(h.date)).collect(),
        phases: phase_names(m),
        max: f64::from(m.phase_count()),
        blocks: m
            .blocks
            .iter()
            .enumerate()
            .map(|(i, block)| {
                (
                    block.name.clone(),
                    i,
                    history
                        .iter()
                        .map(|h| {
                            h.maturity
                                .iter()
                                .find(|(id, _)| *id == block.id)
                                .map(|(_, v)| *v)
                        })
                        .collect(),
                )
            })
            .collect(),
        organisation_phase: history.iter().map(|h| h.phase).collect(),
    }
}

/// The alignment heatmap's data.
pub fn heatmap_data(m: &Model, r: &Results) -> HeatmapData {
    let counts: Vec<(usize, u32, bool)> = m
        .role_groups
        .iter()
        .enumerate()
        .filter_map(|(g, group)| {
            let first = r.alignment.first()?;
            if let Some(shown) = first.groups.iter().find(|x| x.role_group == group.id) {
                Some((g, shown.respondents, false))
            } else {
                first
                    .hidden_groups
                    .iter()
                    .find(|x| x.role_group == group.id)
                    .map(|h| (g, h.respondents, true))
            }
        })
        .collect();
    HeatmapData {
        blocks: m.blocks.iter().map(|b| b.name.clone()).collect(),
        groups: counts
            .iter()
            .map(|&(g, n, hidden)| HeatmapGroup {
                name: m.role_groups[g].name.clone(),
                respondents: n,
                hidden,
            })
            .collect(),
        cells: r
            .alignment
            .iter()
            .map(|a| {
                counts
                    .iter()
                    .map(|&(g, _, _)| {
                        a.groups
                            .iter()
                            .find(|x| x.role_group == m.role_groups[g].id)
                            .and_then(|x| x.attainment)
                    })
                    .collect()
            })
            .collect(),
        gaps: r.alignment.iter().map(|a| (a.gap, a.flagged)).collect(),
        gap_threshold: ALIGNMENT_FLAG,
    }
}

/// The question bars of block `b` (its index in the model): each question's
/// attainment, by phase, against the threshold.
pub fn question_bars_data(m: &Model, r: &Results, b: usize) -> QuestionBarsData {
    QuestionBarsData {
        block: m.blocks[b].name.clone(),
        colour: b,
        threshold: m.threshold,
        phases: m
            .phases
            .iter()
            .map(|p| {
                (
                    format!("Phase {} · {}", p.number, p.name),
                    m.questions
                        .iter()
                        .enumerate()
                        .filter(|(_, q)| q.block == b && q.phase == p.number)
                        .map(|(i, q)| (q.id.clone(), r.questions[i].attainment))
                        .collect(),
                )
            })
            .collect(),
    }
}

/// The most columns of quarters the roadmap shows; a longer plan is shown by half-year,
/// or by year when even that takes more columns.
pub const ROADMAP_QUARTERS: usize = 6;

/// The plan in the order the report lists it, numbered from 1 in that order: items not
/// dropped first, by due day (items without a due date after those with one), then by
/// block (model order), then as stored; dropped items last, in the same order.
pub fn plan_order<'a>(m: &Model, plan: &'a [PlanItem]) -> Vec<&'a PlanItem> {
    let mut items: Vec<(usize, &PlanItem)> = plan.iter().enumerate().collect();
    items.sort_by_key(|&(i, item)| {
        let due = item.due.map(|d| d.last_day());
        (
            item.status == PlanStatus::Dropped,
            due.is_none(),
            due,
            m.block_index(&item.block).unwrap_or(usize::MAX),
            i,
        )
    });
    items.into_iter().map(|(_, item)| item).collect()
}

/// The first day of quarter `qi` (counted as year × 4 + quarter − 1).
fn quarter_start(qi: i64) -> NaiveDate {
    let year = qi.div_euclid(4) as i32;
    let month = (qi.rem_euclid(4) * 3 + 1) as u32;
    NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MIN)
}

/// The roadmap's data: the plan's items not dropped ([`plan_order`] numbers them), by
/// building block and due column, and the report's date `today` on the same axis.
pub fn roadmap_data(m: &Model, plan: &[PlanItem], today: NaiveDate) -> RoadmapData {
    let ordered = plan_order(m, plan);
    let shown: Vec<(usize, &PlanItem)> = ordered
        .iter()
        .enumerate()
        .filter(|(_, item)| item.status != PlanStatus::Dropped)
        .map(|(i, item)| (i + 1, *item))
        .collect();
    let quarter_index = |(year, quarter): (i32, u32)| i64::from(year) * 4 + i64::from(quarter) - 1;
    let dated: Vec<i64> = shown
        .iter()
        .filter_map(|(_, item)| item.due.map(|d| quarter_index(d.quarter())))
        .collect();
    let (first, last) = (
        dated.iter().copied().min().unwrap_or(0),
        dated.iter().copied().max().unwrap_or(0),
    );
    // Quarters per column: 1, 2 (half-years) or 4 (years), the smallest that fits.
    let per = [1i64, 2, 4]
        .into_iter()
        .find(|&k| (last.div_euclid(k) - first.div_euclid(k) + 1) as usize <= ROADMAP_QUARTERS)
        .unwrap_or(4);
    let (c0, c1) = (first.div_euclid(per), last.div_euclid(per));
    let mut columns: Vec<String> = if dated.is_empty() {
        Vec::new()
    } else {
        (c0..=c1)
            .map(|c| {
                let start = quarter_start(c * per);
                match per {
                    1 => format!("Q{} {}", start.month0() / 3 + 1, start.year()),
                    2 => format!("H{} {}", start.month0() / 6 + 1, start.year()),
                    _ => start.year().to_string(),
                }
            })
            .collect()
    };
    let dated_columns = columns.len();
    let undated = shown.iter().any(|(_, item)| item.due.is_none());
    if undated {
        columns.push("No date".to_string());
    }
    let column = |item: &PlanItem| match item.due {
        Some(d) => (quarter_index(d.quarter()).div_euclid(per) - c0) as usize,
        None => dated_columns,
    };
    let today_at = (!dated.is_empty())
        .then(|| {
            let c = quarter_index((today.year(), today.month0() / 3 + 1)).div_euclid(per);
            let (start, end) = (quarter_start(c * per), quarter_start((c + 1) * per));
            let days = (end - start).num_days().max(1) as f64;
            (c - c0) as f64 + (today - start).num_days() as f64 / days
        })
        .filter(|&x| (0.0..=dated_columns as f64).contains(&x));
    // Lanes in model order, then blocks the model does not have, as stored.
    let mut blocks: Vec<&str> = Vec::new();
    for (_, item) in &shown {
        if !blocks.contains(&item.block.as_str()) {
            blocks.push(&item.block);
        }
    }
    blocks.sort_by_key(|b| m.block_index(b).unwrap_or(usize::MAX));
    let lanes = blocks
        .iter()
        .enumerate()
        .map(|(lane, &block)| RoadmapLane {
            block: m.block_name(block).to_string(),
            colour: m.block_index(block).unwrap_or(m.blocks.len() + lane),
            items: shown
                .iter()
                .filter(|(_, item)| item.block == block)
                .map(|&(number, item)| RoadmapItem {
                    number,
                    title: item.title.clone(),
                    owner: item.owner.clone(),
                    column: column(item),
                    status: match item.status {
                        PlanStatus::Done => RoadmapStatus::Done,
                        PlanStatus::InProgress => RoadmapStatus::InProgress,
                        _ => RoadmapStatus::Planned,
                    },
                    overdue: item.overdue(today),
                })
                .collect(),
        })
        .collect();
    RoadmapData {
        columns,
        quarters_per_column: per as u32,
        undated,
        lanes,
        today: today_at,
        today_label: format!("{} {}", today.day(), short_date(today)),
    }
}
