//! What crosses IPC for the plan (issue 15). Like [`crate::wire`], from which these are
//! re-exported, the TypeScript types are generated from them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An organisation's plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlanView {
    /// The organisation.
    #[ts(type = "number")]
    pub organisation: i64,
    /// Its name.
    pub organisation_name: String,
    /// The items: by due day (none last), then creation.
    pub items: Vec<PlanItemView>,
    /// Every owner named in the plan, sorted (the owner filter).
    pub owners: Vec<String>,
    /// The day `overdue` was judged on (`YYYY-MM-DD`).
    pub today: String,
    /// The building blocks of the plan's model (the organisation's latest round's, or
    /// the default model): what an item typed in can belong to.
    pub blocks: Vec<crate::wire::NamedRef>,
    /// Its questions, model order: what an item typed in can target.
    pub questions: Vec<PlanQuestion>,
}

/// A question an item can target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PlanQuestion {
    /// Question id.
    pub id: String,
    /// Its block id.
    pub block: String,
    /// Its phase.
    pub phase: u32,
    /// The practice.
    pub text: String,
}

/// One plan item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlanItemView {
    /// Its id here.
    #[ts(type = "number")]
    pub id: i64,
    /// Its UUID (the item id in the Excel plan).
    pub uuid: String,
    /// What is to be done.
    pub title: String,
    /// Block id.
    pub block: String,
    /// Block name (from the organisation's latest model; the id when it lacks it).
    pub block_name: String,
    /// Question id; `null` for a free item.
    pub question: Option<String>,
    /// The practice the question describes.
    pub question_text: Option<String>,
    /// Owner.
    pub owner: Option<String>,
    /// `2027-Q1` or `2027-03-31`.
    pub due: Option<String>,
    /// The quarter it falls in (`2027-Q2` for a date in May), for a timeline.
    pub due_quarter: Option<String>,
    /// `S`, `M` or `L`.
    pub effort: Option<String>,
    /// `planned`, `in_progress`, `done` or `dropped`.
    pub status: String,
    /// Notes.
    pub notes: Option<String>,
    /// The round it was planned from, while it exists here.
    pub planned_from: Option<PlannedFrom>,
    /// Past its due day and still open.
    pub overdue: bool,
}

/// The round a plan item was planned from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PlannedFrom {
    /// Round id.
    #[ts(type = "number")]
    pub id: i64,
    /// Its title.
    pub title: String,
}

/// A plan item typed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PlanItemInput {
    /// What is to be done.
    pub title: String,
    /// Block id.
    pub block: String,
    /// Question id (optional).
    pub question: Option<String>,
    /// Owner.
    pub owner: Option<String>,
    /// `2027-Q1` or `2027-03-31`.
    pub due: Option<String>,
    /// `S`, `M` or `L`.
    pub effort: Option<String>,
    /// `planned` (default), `in_progress`, `done`, `dropped`.
    pub status: Option<String>,
    /// Notes.
    pub notes: Option<String>,
}

/// What *Add to plan* / *Plan all tier-1 actions* did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PlanAdded {
    /// Items added.
    #[ts(type = "number[]")]
    pub added: Vec<i64>,
    /// Questions skipped: an open item (planned or in progress) already targets them.
    pub already: Vec<String>,
}

/// The plan on a round's results page: what it would do (the projected phase) and,
/// from the second round on, what it did since the previous round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlanResultsView {
    /// Items in the organisation's plan (any status).
    pub items: u32,
    /// Questions an open item (planned or in progress) targets: their actions show
    /// "In plan".
    pub planned_questions: Vec<String>,
    /// The phase the organisation would reach if every item not dropped brought its
    /// question to the threshold.
    pub projection: ProjectionView,
    /// What the plan did since the previous round; `null` for a first round or when no
    /// item was planned before this round.
    pub carry_over: Option<CarryOverView>,
}

/// The projected phase, explained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ProjectionView {
    /// The organisation phase now.
    pub current_phase: u32,
    /// The phase with the plan done.
    pub projected_phase: u32,
    /// Its name ("Aligned"; "Not yet at phase 1" for 0).
    pub projected_phase_name: String,
    /// Which blocks the plan lifts, which still hold the organisation back.
    pub explanation: String,
    /// Items that move a figure (not dropped, on a question of the round's model).
    pub items_counted: u32,
    /// Items not dropped that move no figure (free items, other models' questions).
    pub items_not_scored: u32,
    /// Per block, model order.
    pub blocks: Vec<ProjectedBlockView>,
}

/// One block now and with the plan done.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ProjectedBlockView {
    /// Block id.
    pub block: String,
    /// Block name.
    pub block_name: String,
    /// Phase reached now.
    pub reached_now: u32,
    /// Phase reached with the plan done.
    pub reached_projected: u32,
    /// Items not dropped in the block.
    pub planned: u32,
    /// It limits the projected phase and nothing is planned in its next phase.
    pub holds_back: bool,
}

/// The plan between the previous round and this one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CarryOverView {
    /// The previous round.
    pub previous_round: PlannedFrom,
    /// "7 of 10 items done; 5 of them lifted their practice over the threshold."
    pub summary: String,
    /// Every item planned before this round.
    pub items: Vec<ItemProgressView>,
    /// Practices that crossed the threshold with no plan item.
    pub moved_without_plan: Vec<MovedView>,
}

/// One item between the two rounds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ItemProgressView {
    /// The item's id.
    #[ts(type = "number")]
    pub item: i64,
    /// Its title.
    pub title: String,
    /// Its question.
    pub question: Option<String>,
    /// The practice.
    pub question_text: Option<String>,
    /// Its status.
    pub status: String,
    /// The question's attainment in the previous round.
    pub then: Option<f64>,
    /// … in this round.
    pub now: Option<f64>,
    /// `done_but_not_moved`, `lifted_over_threshold`, or `null`.
    pub flag: Option<String>,
}

/// A practice that crossed the threshold without a plan item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MovedView {
    /// Question id.
    pub question: String,
    /// The practice.
    pub text: String,
    /// Attainment in the previous round.
    pub then: Option<f64>,
    /// … in this one.
    pub now: Option<f64>,
}

/// The plan's file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PlanFormat {
    /// A formatted workbook for the PMO (drop-down lists, frozen panes, item ids).
    Xlsx,
    /// CSV, the same columns.
    Csv,
}

/// What importing a PMO's plan updates would change (nothing written yet).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlanUpdatesPreview {
    /// Names this preview for `import_plan_updates` / `discard_plan_updates`.
    pub token: u32,
    /// The file's name.
    pub file_name: String,
    /// The items that change, with each field before and after.
    pub changes: Vec<PlanItemChange>,
    /// Items in the file with nothing changed.
    pub unchanged: u32,
    /// Every problem, with its cell; the import is refused while there is one.
    pub problems: Vec<CellProblemView>,
}

/// One item a workbook changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PlanItemChange {
    /// The item's id here.
    #[ts(type = "number")]
    pub item: i64,
    /// Its title.
    pub title: String,
    /// The fields that change.
    pub fields: Vec<FieldChange>,
}

/// One field before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FieldChange {
    /// `owner`, `due`, `effort`, `status` or `notes`.
    pub field: String,
    /// Before (`null`: empty).
    pub from: Option<String>,
    /// After.
    pub to: Option<String>,
}

/// A problem in a plan file, with its cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CellProblemView {
    /// The sheet (`Plan`); empty for a CSV file.
    pub sheet: String,
    /// The row as a spreadsheet shows it; 0 for the whole file.
    pub row: u32,
    /// The column letter.
    pub column: String,
    /// The column's header.
    pub header: String,
    /// What is wrong.
    pub message: String,
    /// All of it as one line: "Plan!H4 (Status): …".
    pub text: String,
}

/// What `import_plan_updates` changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PlanUpdatesOutcome {
    /// Items changed.
    pub changed: u32,
}

/// Every root type of this module, for [`crate::wire`]'s binding export.
macro_rules! for_each_plan_wire_type {
    ($m:ident) => {
        $m!(
            PlanView,
            PlanQuestion,
            PlanItemView,
            PlannedFrom,
            PlanItemInput,
            PlanAdded,
            PlanResultsView,
            ProjectionView,
            ProjectedBlockView,
            CarryOverView,
            ItemProgressView,
            MovedView,
            PlanFormat,
            PlanUpdatesPreview,
            PlanItemChange,
            FieldChange,
            CellProblemView,
            PlanUpdatesOutcome
        )
    };
}
pub(crate) use for_each_plan_wire_type;
