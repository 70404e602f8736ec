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
