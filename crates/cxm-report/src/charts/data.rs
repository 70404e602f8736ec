//! What each chart draws: plain data, built from scoring results by
//! [`radar_data`](super::radar_data) and the other adapters, and drawn by the chart
//! functions. Names are display names; `block` indexes are positions in
//! [`crate::charts::theme::BLOCK_COLOURS`].

/// One series of the radar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct RadarSeries {
    /// Legend label ("Six-month review, 2026-09-08").
    pub label: String,
    /// One value per axis, 0..=max (M_b per block).
    pub values: Vec<f64>,
    /// How the series is drawn.
    pub kind: SeriesKind,
}

/// Drawing style of a radar series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesKind {
    /// This round: filled, strong.
    Current,
    /// The comparison round: dashed outline.
    Previous,
    /// The target phase: a ring at the same value on every axis.
    Target,
}

/// Radar of block maturity M_b.
#[derive(Debug, Clone, PartialEq)]
pub struct RadarData {
    /// Axis labels: block names, model order.
    pub axes: Vec<String>,
    /// n, the number of phases: the outer ring. Rings at 1..=n are labelled.
    pub max: f64,
    /// Phase names, 1..=n ("1 Foundation"), for the rings' key; may be empty.
    pub phases: Vec<String>,
    /// Series, drawn in order (target first, then previous, then current, on top).
    pub series: Vec<RadarSeries>,
}

/// One phase cell of the ladder.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LadderCell {
    /// Attainment ≥ τ: the phase is passed.
    Mastered(f64),
    /// Attainment < τ.
    Below(f64),
    /// Every answer was n/a: passes.
    NotApplicable,
    /// No assessed question.
    NotAssessed,
}

/// One block's row of the ladder.
#[derive(Debug, Clone, PartialEq)]
pub struct LadderBlock {
    /// Block name.
    pub name: String,
    /// Colour index (block position in the model).
    pub colour: usize,
    /// R_b.
    pub reached: u32,
    /// Phase 1..=n.
    pub cells: Vec<LadderCell>,
    /// Whether the block is part of the bottleneck.
    pub bottleneck: bool,
}

/// Phase ladder: per block, the phases reached and the progress into the next one.
#[derive(Debug, Clone, PartialEq)]
pub struct LadderData {
    /// Phase names, 1..=n ("1 Foundation").
    pub phases: Vec<String>,
    /// τ.
    pub threshold: f64,
    /// The organisation's phase P.
    pub organisation_phase: u32,
    /// Blocks, model order.
    pub blocks: Vec<LadderBlock>,
}

/// Trend of M_b over the organisation's rounds.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendData {
    /// One label per round, oldest first ("Mar 2026").
    pub rounds: Vec<String>,
    /// n: the y axis runs 0..=max, gridlines labelled with phase numbers.
    pub max: f64,
    /// Phase names, 1..=n ("1 Foundation"), labelling the gridlines; may be empty
    /// (numbers only).
    pub phases: Vec<String>,
    /// Per block: name, colour index, M_b per round (None where the block is absent).
    pub blocks: Vec<(String, usize, Vec<Option<f64>>)>,
    /// The organisation's phase per round (drawn as a step line).
    pub organisation_phase: Vec<u32>,
}

/// A role group column of the heatmap.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatmapGroup {
    /// Group name.
    pub name: String,
    /// Respondents in the group.
    pub respondents: u32,
    /// Hidden by the anonymity threshold: named, no figures.
    pub hidden: bool,
}

/// Alignment heatmap: block × role group.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatmapData {
    /// Row labels: block names.
    pub blocks: Vec<String>,
    /// Columns.
    pub groups: Vec<HeatmapGroup>,
    /// `cells[block][group]`: block attainment 0..=1, None when hidden or not assessed.
    pub cells: Vec<Vec<Option<f64>>>,
    /// Per block: the gap (max − min) and whether it is flagged.
    pub gaps: Vec<(f64, bool)>,
    /// The gap from which a block is flagged (0.25), for the legend.
    pub gap_threshold: f64,
}

/// Question attainment bars of one block, grouped by phase.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionBarsData {
    /// Block name.
    pub block: String,
    /// Colour index.
    pub colour: usize,
    /// τ: the threshold line.
    pub threshold: f64,
    /// Per phase: its label ("Phase 3") and its questions (id, a_q or None).
    pub phases: Vec<QuestionGroup>,
}

/// A phase's questions in [`QuestionBarsData`]: its label ("Phase 3 · Aligned") and its
/// questions, each (id, a_q), a_q `None` when not assessed.
pub type QuestionGroup = (String, Vec<(String, Option<f64>)>);

/// Where a plan item stands, as the roadmap draws it (dropped items are left out).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RoadmapStatus {
    /// Finished: a solid bar.
    Done,
    /// Started: a light bar with a solid outline.
    InProgress,
    /// Agreed, not started: a white bar with a dashed outline.
    Planned,
}

/// One plan item on the roadmap.
#[derive(Debug, Clone, PartialEq)]
pub struct RoadmapItem {
    /// Its number in the report's table of items.
    pub number: usize,
    /// Its title (cut to fit its bar).
    pub title: String,
    /// Its owner (shown whole when it fits, else as initials).
    pub owner: Option<String>,
    /// The column it is due in (an index into [`RoadmapData::columns`]).
    pub column: usize,
    /// Where it stands.
    pub status: RoadmapStatus,
    /// Still open after its due day, on the report's date.
    pub overdue: bool,
}

/// One building block's swim-lane.
#[derive(Debug, Clone, PartialEq)]
pub struct RoadmapLane {
    /// Block name.
    pub block: String,
    /// Colour index (block position in the model).
    pub colour: usize,
    /// Its items, in the order they are stacked within a column.
    pub items: Vec<RoadmapItem>,
}

/// The plan as a timeline: columns of due quarters (or years, for a long plan), a
/// swim-lane per building block, items as bars.
#[derive(Debug, Clone, PartialEq)]
pub struct RoadmapData {
    /// Column labels, earliest first ("Q1 2027", or "2027" when the plan spans more
    /// than [`crate::charts::ROADMAP_QUARTERS`] quarters), then "No date" when
    /// [`RoadmapData::undated`].
    pub columns: Vec<String>,
    /// Quarters per dated column: 1, 2 (half-years) or 4 (years).
    pub quarters_per_column: u32,
    /// Whether the last column holds the items without a due date.
    pub undated: bool,
    /// Lanes, model order; only blocks with items.
    pub lanes: Vec<RoadmapLane>,
    /// The report's date as a position along the dated columns (2.5: halfway through
    /// the third), when it falls within them.
    pub today: Option<f64>,
    /// The report's date in words, for the legend ("22 Nov 2026").
    pub today_label: String,
}
