//! Example chart data with realistic values (the demo organisation's six-month review:
//! the figures `cxm demo` then `cxm results 2` prints), for the charts' snapshot tests
//! (test builds only). Edge cases have their own builders.

use cxm_domain::scoring::at_least;

use super::data::*;

const BLOCKS: [&str; 4] = ["Strategy", "Voice of the Customer", "Process", "Culture"];

/// The default model's phases, as the charts label them.
pub fn example_phases() -> Vec<String> {
    [
        "1 Foundation",
        "2 Developing",
        "3 Aligned",
        "4 Integrated",
        "5 Customer-led",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn names() -> Vec<String> {
    BLOCKS.iter().map(|s| s.to_string()).collect()
}

/// Radar: this round, the baseline and target phase 3.
pub fn example_radar() -> RadarData {
    RadarData {
        axes: names(),
        max: 5.0,
        phases: example_phases(),
        series: vec![
            RadarSeries {
                label: "Target: phase 3".into(),
                values: vec![3.0; 4],
                kind: SeriesKind::Target,
            },
            RadarSeries {
                label: "Baseline assessment, 2026-03-10".into(),
                values: vec![1.602, 1.434, 2.182, 1.394],
                kind: SeriesKind::Previous,
            },
            RadarSeries {
                label: "Six-month review, 2026-09-08".into(),
                values: vec![2.520, 2.617, 3.200, 2.550],
                kind: SeriesKind::Current,
            },
        ],
    }
}

/// Radar of a first round: no comparison, no target.
pub fn example_radar_single() -> RadarData {
    let mut d = example_radar();
    d.series.retain(|s| s.kind == SeriesKind::Current);
    d
}

/// A radar of a consultant's own six-block model with long block names and seven
/// phases: labels anchored by angle, no overlap.
pub fn example_radar_six_blocks() -> RadarData {
    let axes = [
        "Strategy and leadership",
        "Voice of the Customer",
        "Customer journeys and processes",
        "Culture and people",
        "Data and technology",
        "Governance and measurement",
    ];
    RadarData {
        axes: axes.iter().map(|s| s.to_string()).collect(),
        max: 7.0,
        phases: (1..=7).map(|i| format!("{i} Stage {i}")).collect(),
        series: vec![
            RadarSeries {
                label: "Target: phase 4".into(),
                values: vec![4.0; 6],
                kind: SeriesKind::Target,
            },
            RadarSeries {
                label: "Spring 2025 review".into(),
                values: vec![2.1, 3.4, 1.2, 2.8, 0.4, 3.0],
                kind: SeriesKind::Previous,
            },
            RadarSeries {
                label: "Spring 2026 review, all 48 interviews complete".into(),
                values: vec![3.3, 4.6, 2.2, 3.9, 1.5, 3.95],
                kind: SeriesKind::Current,
            },
        ],
    }
}

fn ladder_block(
    name: &str,
    colour: usize,
    reached: u32,
    cells: &[f64],
    bottleneck: bool,
) -> LadderBlock {
    LadderBlock {
        name: name.into(),
        colour,
        reached,
        cells: cells
            .iter()
            .map(|&a| {
                if at_least(a, 0.75) {
                    LadderCell::Mastered(a)
                } else {
                    LadderCell::Below(a)
                }
            })
            .collect(),
        bottleneck,
    }
}

/// Phase ladder of the six-month review: organisation phase 2, Process one phase ahead.
pub fn example_ladder() -> LadderData {
    LadderData {
        phases: example_phases(),
        threshold: 0.75,
        organisation_phase: 2,
        blocks: vec![
            ladder_block("Strategy", 0, 2, &[0.909, 0.880, 0.520, 0.079, 0.072], true),
            ladder_block(
                "Voice of the Customer",
                1,
                2,
                &[0.953, 0.901, 0.617, 0.232, 0.088],
                true,
            ),
            ladder_block("Process", 2, 3, &[0.952, 0.922, 0.804, 0.209, 0.094], false),
            ladder_block("Culture", 3, 2, &[0.921, 0.876, 0.550, 0.250, 0.079], true),
        ],
    }
}

/// A ladder with every cell kind: not applicable, not assessed, a value just below τ
/// (0.7499 must show 0.74), phase 1 not passed (R_b = 0, organisation phase 0).
pub fn example_ladder_edge_cases() -> LadderData {
    use LadderCell::*;
    LadderData {
        phases: example_phases(),
        threshold: 0.75,
        organisation_phase: 0,
        blocks: vec![
            LadderBlock {
                name: "Strategy".into(),
                colour: 0,
                reached: 2,
                cells: vec![
                    Mastered(0.8),
                    NotApplicable,
                    Below(0.7499),
                    Below(0.2),
                    NotAssessed,
                ],
                bottleneck: false,
            },
            LadderBlock {
                name: "Voice of the Customer".into(),
                colour: 1,
                reached: 0,
                cells: vec![
                    Below(0.61),
                    Below(0.3),
                    NotAssessed,
                    NotAssessed,
                    NotAssessed,
                ],
                bottleneck: true,
            },
            LadderBlock {
                name: "Process".into(),
                colour: 2,
                reached: 5,
                cells: vec![
                    Mastered(1.0),
                    Mastered(0.95),
                    NotApplicable,
                    Mastered(0.75),
                    Mastered(0.8),
                ],
                bottleneck: false,
            },
            LadderBlock {
                name: "Culture".into(),
                colour: 3,
                reached: 1,
                cells: vec![
                    Mastered(0.76),
                    Below(0.0),
                    Below(0.05),
                    NotAssessed,
                    Below(0.01),
                ],
                bottleneck: false,
            },
        ],
    }
}

/// Trend over the demo's two rounds.
pub fn example_trend() -> TrendData {
    TrendData {
        rounds: vec!["Mar 2026".into(), "Sep 2026".into()],
        max: 5.0,
        phases: example_phases(),
        blocks: vec![
            ("Strategy".into(), 0, vec![Some(1.602), Some(2.520)]),
            (
                "Voice of the Customer".into(),
                1,
                vec![Some(1.434), Some(2.617)],
            ),
            ("Process".into(), 2, vec![Some(2.182), Some(3.200)]),
            ("Culture".into(), 3, vec![Some(1.394), Some(2.550)]),
        ],
        organisation_phase: vec![1, 2],
    }
}

/// Trend of an organisation's first round: points only.
pub fn example_trend_single() -> TrendData {
    TrendData {
        rounds: vec!["Mar 2026".into()],
        max: 5.0,
        phases: example_phases(),
        blocks: vec![
            ("Strategy".into(), 0, vec![Some(1.602)]),
            ("Voice of the Customer".into(), 1, vec![Some(1.434)]),
            ("Process".into(), 2, vec![Some(2.182)]),
            ("Culture".into(), 3, vec![Some(1.394)]),
        ],
        organisation_phase: vec![1],
    }
}

/// Twelve quarterly rounds over three years, with a round where Culture was not assessed.
pub fn example_trend_long() -> TrendData {
    let rounds: Vec<String> = (0..12)
        .map(|i| {
            let year = 2024 + i / 4;
            let month = ["Mar", "Jun", "Sep", "Dec"][i % 4];
            format!("{month} {year}")
        })
        .collect();
    let s: [f64; 12] = [
        0.82, 1.10, 1.35, 1.62, 1.71, 1.95, 2.20, 2.41, 2.52, 2.78, 3.05, 3.22,
    ];
    let v = [
        0.64, 0.90, 1.20, 1.43, 1.66, 1.90, 2.15, 2.38, 2.62, 2.80, 2.96, 3.10,
    ];
    let p = [
        1.30, 1.62, 1.85, 2.18, 2.40, 2.66, 3.00, 3.20, 3.35, 3.52, 3.70, 4.08,
    ];
    let c = [
        0.55, 0.80, 1.05, 1.39, 1.52, 1.71, 1.90, 2.10, 2.40, 2.55, 2.70, 3.02,
    ];
    let mut culture: Vec<Option<f64>> = c.iter().map(|&x| Some(x)).collect();
    culture[5] = None;
    let org: Vec<u32> = (0..12)
        .map(|i| {
            let mut m = s[i].min(v[i]).min(p[i]);
            if let Some(x) = culture[i] {
                m = m.min(x);
            }
            m.floor() as u32
        })
        .collect();
    TrendData {
        rounds,
        max: 5.0,
        phases: example_phases(),
        blocks: vec![
            ("Strategy".into(), 0, s.iter().map(|&x| Some(x)).collect()),
            (
                "Voice of the Customer".into(),
                1,
                v.iter().map(|&x| Some(x)).collect(),
            ),
            ("Process".into(), 2, p.iter().map(|&x| Some(x)).collect()),
            ("Culture".into(), 3, culture),
        ],
        organisation_phase: org,
    }
}

/// Alignment of the six-month review, plus a role group hidden by the anonymity rule.
pub fn example_heatmap() -> HeatmapData {
    HeatmapData {
        blocks: names(),
        groups: vec![
            HeatmapGroup {
                name: "Executive".into(),
                respondents: 4,
                hidden: false,
            },
            HeatmapGroup {
                name: "Manager".into(),
                respondents: 6,
                hidden: false,
            },
            HeatmapGroup {
                name: "Front line".into(),
                respondents: 6,
                hidden: false,
            },
            HeatmapGroup {
                name: "Non-executive directors".into(),
                respondents: 2,
                hidden: true,
            },
        ],
        cells: vec![
            vec![Some(0.534), Some(0.527), Some(0.500), None],
            vec![Some(0.734), Some(0.560), Some(0.451), None],
            vec![Some(0.641), Some(0.620), Some(0.598), None],
            vec![Some(0.703), Some(0.513), Some(0.409), None],
        ],
        gaps: vec![(0.034, false), (0.283, true), (0.043, false), (0.294, true)],
        gap_threshold: 0.25,
    }
}

/// Heatmap extremes: attainment 0 and 1, a block a group did not assess.
pub fn example_heatmap_edge_cases() -> HeatmapData {
    HeatmapData {
        blocks: names(),
        groups: vec![
            HeatmapGroup {
                name: "Executive".into(),
                respondents: 3,
                hidden: false,
            },
            HeatmapGroup {
                name: "Front line".into(),
                respondents: 12,
                hidden: false,
            },
            HeatmapGroup {
                name: "Manager".into(),
                respondents: 1,
                hidden: true,
            },
        ],
        cells: vec![
            vec![Some(1.0), Some(0.0), None],
            vec![Some(0.25), Some(0.2499), None],
            vec![None, Some(0.9), None],
            vec![Some(0.1), Some(0.75), None],
        ],
        gaps: vec![(1.0, true), (0.0001, false), (0.0, false), (0.65, true)],
        gap_threshold: 0.25,
    }
}

/// Question attainment of Voice of the Customer in the six-month review.
pub fn example_question_bars() -> QuestionBarsData {
    let q = |id: &str, a: f64| (id.to_string(), Some(a));
    QuestionBarsData {
        block: "Voice of the Customer".into(),
        colour: 1,
        threshold: 0.75,
        phases: vec![
            (
                "Phase 1 · Foundation".into(),
                vec![q("VOC-1.1", 0.953), q("VOC-1.2", 1.0), q("VOC-1.3", 0.917)],
            ),
            (
                "Phase 2 · Developing".into(),
                vec![
                    q("VOC-2.1", 0.891),
                    q("VOC-2.2", 0.906),
                    q("VOC-2.3", 0.906),
                ],
            ),
            (
                "Phase 3 · Aligned".into(),
                vec![q("VOC-3.1", 0.5), q("VOC-3.2", 0.656), q("VOC-3.3", 0.703)],
            ),
            (
                "Phase 4 · Integrated".into(),
                vec![
                    q("VOC-4.1", 0.339),
                    q("VOC-4.2", 0.234),
                    q("VOC-4.3", 0.1875),
                ],
            ),
            (
                "Phase 5 · Customer-led".into(),
                vec![q("VOC-5.1", 0.047), q("VOC-5.2", 0.067), q("VOC-5.3", 0.15)],
            ),
        ],
    }
}

/// Question bars with unassessed questions, a value just below τ and zero.
pub fn example_question_bars_edge_cases() -> QuestionBarsData {
    let q = |id: &str, a: Option<f64>| (id.to_string(), a);
    QuestionBarsData {
        block: "Strategy".into(),
        colour: 0,
        threshold: 0.75,
        phases: vec![
            (
                "Phase 1 · Foundation".into(),
                vec![
                    q("STR-1.1", Some(0.7499)),
                    q("STR-1.2", Some(0.75)),
                    q("STR-1.3", Some(0.0)),
                ],
            ),
            (
                "Phase 2 · Developing".into(),
                vec![
                    q("STR-2.1", None),
                    q("STR-2.2", Some(0.76)),
                    q("STR-2.3", None),
                ],
            ),
            ("Phase 3 · Aligned".into(), vec![q("STR-3.1", None)]),
        ],
    }
}

/// A plan item for the examples.
fn plan_item(
    n: u32,
    title: &str,
    block: &str,
    question: Option<&str>,
    owner: Option<&str>,
    due: Option<&str>,
    status: cxm_domain::plan::PlanStatus,
) -> cxm_domain::plan::PlanItem {
    cxm_domain::plan::PlanItem {
        id: format!("00000000-0000-4000-8000-{n:012}"),
        title: title.into(),
        block: block.into(),
        question: question.map(str::to_string),
        owner: owner.map(str::to_string),
        due: due.map(|d| d.parse().expect("a due quarter or date")),
        effort: None,
        status,
        notes: None,
    }
}

/// The day the roadmap examples are reported on.
pub fn example_report_day() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("a date")
}

/// A plan of twelve items over five quarters and one without a date: every status,
/// two overdue, four due in one lane's quarter (one row becomes "+2 more").
pub fn example_plan() -> Vec<cxm_domain::plan::PlanItem> {
    use cxm_domain::plan::PlanStatus::*;
    vec![
        plan_item(
            1,
            "Shared customer measure in every department's goals",
            "strategy",
            Some("STR-3.2"),
            Some("Helen Marsh"),
            Some("2026-Q3"),
            Done,
        ),
        plan_item(
            2,
            "Check departmental targets against journeys",
            "strategy",
            Some("STR-3.5"),
            Some("Helen Marsh"),
            Some("2027-Q1"),
            Planned,
        ),
        plan_item(
            3,
            "Route insight to back-office teams",
            "voice-of-customer",
            Some("VOC-3.1"),
            Some("Priya Raman"),
            Some("2026-Q4"),
            InProgress,
        ),
        plan_item(
            4,
            "Tell customers what changed",
            "voice-of-customer",
            Some("VOC-3.3"),
            Some("Priya Raman"),
            Some("2026-09-30"),
            InProgress,
        ),
        plan_item(
            5,
            "Callback within two working days",
            "voice-of-customer",
            Some("VOC-3.2"),
            Some("Contact centre"),
            Some("2027-Q2"),
            Planned,
        ),
        plan_item(
            6,
            "Yearly accessibility review of main journeys",
            "process",
            Some("PRO-3.5"),
            Some("Tom Okafor"),
            Some("2027-Q3"),
            Planned,
        ),
        plan_item(
            7,
            "Customer promise in every induction",
            "culture",
            Some("CUL-3.5"),
            Some("Ana de la Cruz"),
            Some("2026-Q4"),
            Done,
        ),
        plan_item(
            8,
            "Front line resolves common issues",
            "culture",
            Some("CUL-3.2"),
            Some("Jamie Fletcher"),
            Some("2026-Q4"),
            InProgress,
        ),
        plan_item(
            9,
            "Report a customer problem, hear back",
            "culture",
            Some("CUL-3.4"),
            None,
            Some("2026-Q4"),
            Planned,
        ),
        plan_item(
            10,
            "Explain how each role affects customers",
            "culture",
            Some("CUL-3.1"),
            Some("HR"),
            Some("2026-Q4"),
            Planned,
        ),
        plan_item(
            11,
            "Customer stories at every town hall",
            "culture",
            None,
            Some("Helen Marsh"),
            None,
            Planned,
        ),
        plan_item(
            12,
            "Retire the old complaints form",
            "process",
            None,
            None,
            Some("2027-Q1"),
            Dropped,
        ),
        plan_item(
            13,
            "Journey owners named for the five main journeys",
            "process",
            Some("PRO-2.1"),
            Some("Tom Okafor"),
            Some("2026-Q2"),
            Planned,
        ),
    ]
}

/// The roadmap of [`example_plan`] on [`example_report_day`].
pub fn example_roadmap() -> RoadmapData {
    super::roadmap_data(
        &cxm_domain::Model::default_model(),
        &example_plan(),
        example_report_day(),
    )
}

/// A long plan (shown by half-year), long titles, names and block names, a block the
/// model does not have, an item with neither owner nor date, and five items in one
/// column.
pub fn example_roadmap_edge_cases() -> RoadmapData {
    use cxm_domain::plan::PlanStatus::*;
    let long = "A very long item title that cannot possibly fit in one bar of the timeline";
    let mut plan = vec![
        plan_item(
            1,
            long,
            "strategy",
            None,
            Some("Maximilian Alexander von Hohenberg"),
            Some("2026-Q1"),
            Done,
        ),
        plan_item(
            2,
            "Quick win",
            "customer-data-and-technology-platforms",
            None,
            Some("Li"),
            Some("2028-Q4"),
            Planned,
        ),
        plan_item(
            3,
            "No owner, no date",
            "process",
            None,
            None,
            None,
            InProgress,
        ),
    ];
    for i in 0..5 {
        plan.push(plan_item(
            10 + i,
            &format!("Stacked item {}", i + 1),
            "culture",
            None,
            Some("Ana de la Cruz"),
            Some("2027-Q2"),
            if i % 2 == 0 { Planned } else { InProgress },
        ));
    }
    super::roadmap_data(
        &cxm_domain::Model::default_model(),
        &plan,
        example_report_day(),
    )
}
