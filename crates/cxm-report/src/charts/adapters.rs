//! Each chart's data from a round's results: the report's charts, and the app's
//! results screen.

use chrono::{Datelike, NaiveDate};
use cxm_domain::Model;
use cxm_domain::scored::HistoryPoint;
use cxm_domain::scoring::{ALIGNMENT_FLAG, PhaseStatus, Results};

use super::data::{
    HeatmapData, HeatmapGroup, LadderBlock, LadderCell, LadderData, QuestionBarsData, RadarData,
    RadarSeries, SeriesKind, TrendData,
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
