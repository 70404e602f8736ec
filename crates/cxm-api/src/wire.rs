//! What crosses IPC: the arguments and results of the commands in `docs/app-api.md`,
//! as plain serialisable copies of the store's and the domain's types. Only this module
//! knows the wire format. The TypeScript types in `ui/src/lib/bindings/` are generated
//! from these by ts-rs (the `bindings` test; `scripts/check-bindings.sh` fails when they
//! are stale).
//!
//! Ids are SQLite row ids (`i64` in Rust); they are declared `number` for TypeScript,
//! since JSON carries them as numbers and they stay far below 2^53.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Declares [`ErrorCode`]: each variant with its code (the JSON value), once.
macro_rules! error_codes {
    ($($(#[doc = $doc:literal])* $variant:ident = $code:literal,)*) => {
        /// What went wrong, for a program to branch on: the `code` of [`ApiError`]. The
        /// store's codes (`StoreError::CODES`, the CLI's too) and the app's own. The UI
        /// gets these as a union of strings, so a misspelt code fails its type check.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
        pub enum ErrorCode {
            $(
                $(#[doc = $doc])*
                #[serde(rename = $code)]
                $variant,
            )*
        }

        impl ErrorCode {
            /// Every code.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),*];

            /// The code as it crosses IPC (`"not_found"`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code,)*
                }
            }
        }
    };
}

error_codes! {
    /// A row that was asked for does not exist.
    NotFound = "not_found",
    /// An argument was refused (empty name, unknown question, value off the scale, …).
    Invalid = "invalid",
    /// The round is closed: its answers are read-only until it is reopened.
    RoundClosed = "round_closed",
    /// The write conflicts with what is stored (a respondent already in the round, a
    /// model version stored with a different text, …).
    Conflict = "conflict",
    /// The file is not a CX Maturity database (left untouched).
    NotACxmDatabase = "not_a_cxm_database",
    /// The database was written by a newer version (left untouched).
    NewerSchema = "newer_schema",
    /// The database (or a backup to restore) is damaged.
    DamagedDatabase = "damaged_database",
    /// Updating the schema failed (rolled back).
    MigrationFailed = "migration_failed",
    /// A stored value this build cannot read.
    CorruptData = "corrupt_data",
    /// A model file that does not validate: `ApiError.problems` lists each problem.
    InvalidModel = "invalid_model",
    /// Another process held the database too long.
    DatabaseBusy = "database_busy",
    /// The disk is full.
    DiskFull = "disk_full",
    /// The database is read-only.
    ReadOnly = "read_only",
    /// Any other SQLite error.
    Database = "database",
    /// A file could not be read or written.
    Io = "io",
    /// A save path is the database in use or one of its side files (nothing written).
    OutputIsDatabase = "output_is_database",
    /// Not an engagement file.
    NotAnEngagementFile = "not_an_engagement_file",
    /// An engagement file from a newer version.
    NewerEngagementFormat = "newer_engagement_format",
    /// A damaged engagement file.
    DamagedEngagementFile = "damaged_engagement_file",
    /// The app could not open its database.
    NoDatabase = "no_database",
    /// The PDF could not be made.
    Report = "report",
    /// A save or open dialog failed, or the path chosen in it cannot be used.
    Dialog = "dialog",
    /// A bug: a command's task panicked, or its result could not be written.
    Internal = "internal",
    /// `import_responses` with a token that is not the current preview's.
    StalePreview = "stale_preview",
    /// The previewed responses file changed before it was imported.
    FileChanged = "file_changed",
    /// The UI's development server only: a request for another host.
    Forbidden = "forbidden",
    /// The UI's development server only: a request without the server's token.
    Unauthorized = "unauthorized",
    /// Never sent by the backend: what the UI calls a rejection that is not an
    /// `ApiError` (the transport failed).
    Unknown = "unknown",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The one error that crosses IPC: an [`ErrorCode`] for the UI to branch on, a message
/// for a person, and for `invalid_model` each problem of the model file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ApiError {
    /// What went wrong, for the UI to branch on.
    pub code: ErrorCode,
    /// What went wrong, for a person. For `invalid_model`, one problem per line
    /// (`file:line: field: what`), as the CLI prints them.
    pub message: String,
    /// `invalid_model` only: each problem of the model file, in line order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub problems: Option<Vec<ModelProblem>>,
}

/// One problem of a model file that does not validate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ModelProblem {
    /// The file's name (without its folder).
    pub file: String,
    /// 1-based line; `null` for a problem of the whole file (too large, not text, a
    /// part missing).
    pub line: Option<u32>,
    /// 1-based column (in characters) on that line, when known.
    pub column: Option<u32>,
    /// The field, as a path (`questions[7].phase`); `null` for a syntax error or a
    /// problem of the whole file.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// Whether the app could open its database, and where it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AppStatus {
    /// The database file ("" when the platform has no data directory).
    pub db_path: String,
    /// Why the database could not be opened; `null` when it is open.
    pub error: Option<ApiError>,
    /// Number of organisations that are not archived (0 on a first run).
    pub organisations: u32,
}

/// Open or closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RoundStatus {
    /// Answers can change; results are provisional.
    Open,
    /// Answers are read-only until the round is reopened.
    Closed,
}

/// An organisation with its rounds, as the organisations screen lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OrganisationSummary {
    /// Id.
    #[ts(type = "number")]
    pub id: i64,
    /// Name.
    pub name: String,
    /// Hidden from the default listing.
    pub archived: bool,
    /// When it was created (RFC 3339 UTC).
    pub created_at: String,
    /// Its rounds, by date then creation.
    pub rounds: Vec<RoundSummary>,
}

/// A round in the organisations listing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RoundSummary {
    /// Id.
    #[ts(type = "number")]
    pub id: i64,
    /// Title.
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Open or closed.
    pub status: RoundStatus,
    /// Organisation phase; `null` while no answer has been given.
    pub phase: Option<u32>,
    /// Number of respondents.
    pub respondents: u32,
    /// Respondents who answered every question.
    pub interviews_complete: u32,
}

/// A round with its summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RoundInfo {
    /// Id.
    #[ts(type = "number")]
    pub id: i64,
    /// Organisation id.
    #[ts(type = "number")]
    pub organisation: i64,
    /// Organisation name.
    pub organisation_name: String,
    /// Title.
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Open or closed.
    pub status: RoundStatus,
    /// `id@version` of the model version the round is pinned to.
    pub model_key: String,
    /// Target phase, if set.
    pub target_phase: Option<u32>,
    /// Organisation phase; `null` while no answer has been given.
    pub phase: Option<u32>,
    /// Number of respondents.
    pub respondents: u32,
    /// Respondents who answered every question.
    pub interviews_complete: u32,
}

/// A stored model version: the model-versions list and the new-round form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ModelVersionInfo {
    /// `id@version`: what `NewRoundInput.model` takes.
    pub key: String,
    /// The model's id.
    pub model_id: String,
    /// Its version.
    pub version: u32,
    /// Title.
    pub title: String,
    /// Number of questions.
    pub questions: u32,
    /// Number of phases.
    pub phases: u32,
    /// Number of building blocks.
    pub blocks: u32,
    /// Rounds pinned to it.
    pub rounds: u32,
    /// When it was stored in this database (RFC 3339 UTC).
    pub imported_at: String,
    /// The version a new round uses when none is chosen (`default_model`).
    pub is_default: bool,
    /// Its text is the default model shipped inside the app (not a user's import).
    pub builtin: bool,
}

/// What `import_model` did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportModelOutcome {
    /// The imported (or already stored) version; `null` when the user cancelled the
    /// file dialog.
    pub model: Option<ModelVersionInfo>,
    /// The same id, version and text were already stored: nothing was written.
    pub already_present: bool,
}

/// The organisation page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OrganisationPage {
    /// The organisation and its rounds (short form).
    pub organisation: OrganisationSummary,
    /// Its rounds, by date then creation.
    pub rounds: Vec<RoundInfo>,
    /// The trend chart (SVG) of its rounds with answers; `null` with fewer than two.
    pub trend_svg: Option<String>,
    /// Model versions a new round can use.
    pub models: Vec<ModelVersionInfo>,
    /// The key a new round uses by default.
    pub default_model: String,
    /// The new round's target phase: one above the phase reached in the latest round
    /// with answers (at most the last phase); `null` without such a round.
    pub suggested_target: Option<u32>,
}

/// `create_round`'s input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NewRoundInput {
    /// Organisation id.
    #[ts(type = "number")]
    pub organisation: i64,
    /// Title.
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Target phase (1..=n), or `null`.
    pub target_phase: Option<u32>,
    /// Model key (`id@version` or `id`); `null` = the default model's latest version.
    pub model: Option<String>,
    /// Copy this round's respondents (names, role groups, departments; no answers).
    #[ts(type = "number | null")]
    pub copy_respondents_from: Option<i64>,
}

/// A building block or role group: id and name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NamedRef {
    /// Stable id.
    pub id: String,
    /// Display name.
    pub name: String,
}

/// A phase of the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PhaseView {
    /// 1..=n.
    pub number: u32,
    /// Name.
    pub name: String,
    /// What the phase means.
    pub description: String,
}

/// The answer scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ScaleView {
    /// S: values are 0..=S.
    pub max: u32,
    /// Label of each value 0..=S.
    pub labels: Vec<String>,
    /// Label of "don't know" (`"dk"`).
    pub dont_know: String,
    /// Label of "not applicable" (`"na"`).
    pub not_applicable: String,
    /// What each value 0..=S means (empty when the model gives no definitions).
    pub definitions: Vec<String>,
    /// When to answer don't know ("" when the model gives no rule).
    pub dont_know_rule: String,
    /// When to answer not applicable ("" when the model gives no rule).
    pub not_applicable_rule: String,
}

/// A role group of the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RoleGroupView {
    /// Stable id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Who belongs to it, in one line ("" when the model gives none).
    pub description: String,
}

/// A question as the questionnaire shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct QuestionView {
    /// Id (`S1.1`).
    pub id: String,
    /// Building block id.
    pub block: String,
    /// Phase number.
    pub phase: u32,
    /// The question.
    pub text: String,
    /// Guidance for the interviewer.
    pub guidance: String,
    /// The role groups (ids) it is asked of in an interview; every group when the
    /// model gives no audience.
    pub ask: Vec<String>,
}

/// A round's model version, as the round page and questionnaire need it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ModelView {
    /// `id@version`.
    pub key: String,
    /// Title.
    pub title: String,
    /// Mastery threshold τ.
    pub threshold: f64,
    /// The answer scale.
    pub scale: ScaleView,
    /// Building blocks, model order.
    pub blocks: Vec<NamedRef>,
    /// Phases 1..=n.
    pub phases: Vec<PhaseView>,
    /// Role groups, model order.
    pub role_groups: Vec<RoleGroupView>,
    /// Questions, model order (the questionnaire's order).
    pub questions: Vec<QuestionView>,
}

/// A respondent with completion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RespondentRow {
    /// Id.
    #[ts(type = "number")]
    pub id: i64,
    /// Name or code.
    pub name: String,
    /// Role group id.
    pub role_group: String,
    /// Department.
    pub department: Option<String>,
    /// `YYYY-MM-DD`.
    pub interview_date: Option<String>,
    /// Questions of the respondent's role group answered (a value, don't know or n/a).
    pub answered: u32,
    /// Questions the respondent's role group is asked.
    pub total: u32,
    /// Every question the role group is asked answered.
    pub complete: bool,
}

/// The round page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RoundPage {
    /// The round.
    pub info: RoundInfo,
    /// Its model version.
    pub model: ModelView,
    /// Its respondents, in the order they were added.
    pub respondents: Vec<RespondentRow>,
    /// Per question (indexed like `model.questions`), how many respondents gave it any
    /// answer: a scale value, don't know or n/a.
    pub answered_per_question: Vec<u32>,
    /// Per question, how many respondents' role groups are asked it.
    pub asked_per_question: Vec<u32>,
    /// Submissions from phones waiting in the round's inbox.
    pub inbox_pending: u32,
}

/// `add_respondent`'s and `update_respondent`'s input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RespondentInput {
    /// Name or code.
    pub name: String,
    /// Role group id (or name).
    pub role_group: String,
    /// Department, or `null`.
    pub department: Option<String>,
    /// `YYYY-MM-DD`, or `null`.
    pub interview_date: Option<String>,
}

/// One question's answer and note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AnswerCell {
    /// `"0"`..`"S"`, `"dk"`, `"na"`, or `null` (unanswered).
    pub value: Option<String>,
    /// The note, or `null`.
    pub note: Option<String>,
}

/// The questionnaire of one respondent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Questionnaire {
    /// The respondent.
    pub respondent: RespondentRow,
    /// The round.
    pub round: RoundInfo,
    /// The round's model version.
    pub model: ModelView,
    /// Answers, indexed like `model.questions`.
    pub answers: Vec<AnswerCell>,
    /// Per question, whether the respondent's role group is asked it (the
    /// questionnaire offers these; the interviewer can show the rest).
    pub asked: Vec<bool>,
    /// Where to resume: the first unanswered question the respondent is asked (0 when
    /// every one is answered).
    pub resume_index: u32,
}

/// Completion of one building block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct BlockProgress {
    /// Block id.
    pub block: String,
    /// Questions of the block the respondent is asked that are answered.
    pub answered: u32,
    /// Questions of the block the respondent is asked.
    pub total: u32,
}

/// A respondent's completion after an answer (of the questions their role group is
/// asked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Progress {
    /// Questions asked that are answered.
    pub answered: u32,
    /// Questions the respondent's role group is asked.
    pub total: u32,
    /// Per block, model order.
    pub blocks: Vec<BlockProgress>,
}

/// How a sentence of an explanation reads: the mark the UI gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SentenceMark {
    /// A statement.
    Plain,
    /// Something met: a phase passed.
    Pass,
    /// Something that holds a figure back or is missing: the walk stops at a phase
    /// below the threshold or not assessed, the bottleneck, a target not reached.
    Stop,
}

/// One sentence of an explanation, as the domain wrote it (the UI shows one per line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Sentence {
    /// How it reads.
    pub mark: SentenceMark,
    /// The sentence, with its full stop.
    pub text: String,
}

/// The explanation of one block's position.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct BlockText {
    /// Block id.
    pub block: String,
    /// Why the block reached its phase: the walk up the phases with each attainment
    /// against the threshold, where and why it stopped, the lowest questions there, and
    /// the maturity sum.
    pub text: Vec<Sentence>,
    /// How the maturity figure is made ("Maturity = reached phase + attainment of the
    /// next phase = 2 + 0.62 = 2.62."), also the last sentence of `text`.
    pub maturity: Sentence,
    /// The questions below the threshold in the phase where the walk stopped, lowest
    /// first, up to three (empty when the block reached the top or the phase is not
    /// assessed).
    pub lowest: Vec<QuestionFigure>,
}

/// A question with an attainment: a block's or a role group's lowest questions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct QuestionFigure {
    /// Question id.
    pub question: String,
    /// The practice.
    pub text: String,
    /// Its phase.
    pub phase: u32,
    /// a_q (0..1), from the respondents in scope (the round, or one role group).
    pub attainment: f64,
    /// Below the mastery threshold.
    pub below_threshold: bool,
}

/// The sentences behind the figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ExplanationsView {
    /// Why the organisation is in its phase.
    pub organisation: Vec<Sentence>,
    /// Each block's position, model order.
    pub blocks: Vec<BlockText>,
}

/// One block's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct BlockScore {
    /// Block id.
    pub id: String,
    /// Block name.
    pub name: String,
    /// R_b: the phase the block reached.
    pub reached_phase: u32,
    /// M_b: the phase reached plus progress into the next one.
    pub maturity: f64,
    /// The block's attainment over all its questions; `null` when nothing is rated.
    pub attainment: Option<f64>,
}

/// A next-phase action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ActionView {
    /// 1: holds the organisation back; 2: next step for a block ahead.
    pub tier: u32,
    /// Block id.
    pub block: String,
    /// Block name.
    pub block_name: String,
    /// Question id.
    pub question: String,
    /// The practice.
    pub text: String,
    /// Its phase.
    pub phase: u32,
    /// Its attainment (below the threshold).
    pub attainment: f64,
    /// (threshold − attainment) × weight.
    pub priority: f64,
    /// What to do.
    pub recommendation: String,
    /// Why it is on the list: its tier, and how its priority is made.
    pub explanation: Vec<Sentence>,
}

/// A question of the next phase that no one has rated yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PendingView {
    /// Block id.
    pub block: String,
    /// Question id.
    pub question: String,
    /// The practice.
    pub text: String,
    /// Its phase.
    pub phase: u32,
}

/// The charts, as SVG documents (the report's charts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ChartsView {
    /// Radar of M_b: this round, the comparison round and the target.
    pub radar: String,
    /// The phase ladder.
    pub ladder: String,
    /// The organisation's trend up to this round; `null` with fewer than two rounds
    /// with answers.
    pub trend: Option<String>,
    /// Alignment by role group.
    pub heatmap: String,
}

/// Whether the round reached its target phase.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TargetView {
    /// The target phase.
    pub phase: u32,
    /// Its name.
    pub phase_name: String,
    /// The organisation phase is at or above it.
    pub reached: bool,
    /// The sentence ("The round's target, phase 3, is reached.").
    pub text: Sentence,
}

/// What a comparison is based on (rule 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ComparisonBasis {
    /// Both rounds use the same model version: every question is compared.
    SameModel,
    /// Different model versions: both rounds are rescored on the questions they share
    /// (same id, block and phase).
    SharedQuestions,
}

/// How one block moved between the compared round and this one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct BlockChangeView {
    /// Block id.
    pub id: String,
    /// Block name.
    pub name: String,
    /// R_b in the compared (earlier) round.
    pub phase_from: u32,
    /// R_b in this round.
    pub phase_to: u32,
    /// M_b in the compared round.
    pub maturity_from: f64,
    /// M_b in this round.
    pub maturity_to: f64,
    /// ΔM_b = this round − compared round.
    pub delta_maturity: f64,
    /// Δ block attainment; `null` when either round rated none of the block's questions.
    pub delta_attainment: Option<f64>,
}

/// A question that moved between the two rounds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct QuestionChangeView {
    /// Question id.
    pub question: String,
    /// The practice (this round's model).
    pub text: String,
    /// Block id.
    pub block: String,
    /// Block name.
    pub block_name: String,
    /// Phase.
    pub phase: u32,
    /// Δa_q = this round − compared round.
    pub delta: f64,
}

/// Progress from the compared (earlier) round to this one (rule 7).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ComparisonView {
    /// Same model version, or rescored on the shared questions.
    pub basis: ComparisonBasis,
    /// Number of questions compared.
    pub shared_questions: u32,
    /// When the model versions differ: "Compared on the N questions both model versions
    /// share …"; `null` on the same model.
    pub basis_note: Option<String>,
    /// Organisation phase in the compared round (on the compared questions).
    pub phase_from: u32,
    /// Organisation phase in this round (on the compared questions).
    pub phase_to: u32,
    /// Blocks present in both rounds, this round's model order.
    pub blocks: Vec<BlockChangeView>,
    /// Questions that rose by at least `notable_change`, largest first (up to 5).
    pub improved: Vec<QuestionChangeView>,
    /// Questions that fell by at least `notable_change`, largest fall first (up to 5).
    pub slipped: Vec<QuestionChangeView>,
    /// The noise floor of `improved` and `slipped` (0.05).
    pub notable_change: f64,
}

/// A role group in the alignment view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AlignmentGroup {
    /// Role-group id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Members with at least one scale value in the round.
    pub respondents: u32,
    /// Fewer respondents than the anonymity threshold: no figures are shown.
    pub hidden: bool,
    /// Why a hidden group shows no figures (names the threshold); `null` when shown.
    pub note: Option<String>,
}

/// One shown role group's figures in one block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AlignmentCell {
    /// Role-group id.
    pub group: String,
    /// The group's block attainment (0..1); `null` when it rated none of the block's
    /// questions.
    pub attainment: Option<f64>,
    /// The group's R_b.
    pub reached_phase: u32,
    /// The group's lowest-rated questions of the block, lowest first, up to three.
    pub lowest: Vec<QuestionFigure>,
}

/// One block across the role groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AlignmentBlock {
    /// Block id.
    pub id: String,
    /// Block name.
    pub name: String,
    /// max − min of the shown groups' block attainment; `null` when fewer than two
    /// shown groups rated the block's questions (no gap to measure).
    pub gap: Option<f64>,
    /// `gap` ≥ `flag_threshold`.
    pub flagged: bool,
    /// The gap explained, with the groups and figures behind it.
    pub text: Sentence,
    /// One cell per shown group, in the order of `AlignmentView.groups`.
    pub cells: Vec<AlignmentCell>,
}

/// Alignment by role group (rule 6): the heatmap's data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AlignmentView {
    /// Groups with fewer respondents than this are hidden.
    pub anonymity_threshold: u32,
    /// A block's gap at or above this is flagged (0.25).
    pub flag_threshold: f64,
    /// Role groups with at least one respondent, model order, shown and hidden.
    pub groups: Vec<AlignmentGroup>,
    /// Per block, model order.
    pub blocks: Vec<AlignmentBlock>,
}

/// A round's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ResultsView {
    /// The round.
    pub info: RoundInfo,
    /// The round is open: figures may change.
    pub provisional: bool,
    /// Respondents.
    pub respondents: u32,
    /// Complete interviews.
    pub interviews_complete: u32,
    /// P (0 = not yet at phase 1).
    pub organisation_phase: u32,
    /// The phase's name ("" for phase 0).
    pub phase_name: String,
    /// Ids of the blocks that hold the organisation at its phase (model order; their
    /// names are in `blocks`); empty when every block passed every phase.
    pub bottleneck: Vec<String>,
    /// The explanations.
    pub explanations: ExplanationsView,
    /// Per block, model order.
    pub blocks: Vec<BlockScore>,
    /// Next-phase actions, in order (tier, then priority).
    pub actions: Vec<ActionView>,
    /// Next-phase questions not yet rated.
    pub not_yet_assessed: Vec<PendingView>,
    /// The charts.
    pub charts: ChartsView,
    /// The round compared with (radar, progress), if any.
    pub compared_with: Option<RoundInfo>,
    /// Progress from `compared_with` to this round; `null` without a comparison round.
    pub comparison: Option<ComparisonView>,
    /// The rounds `compare_with` accepts: the organisation's earlier rounds (by date,
    /// then creation), newest first. A round without answers has `phase: null`.
    pub comparable_rounds: Vec<RoundInfo>,
    /// The target phase and whether it is reached; `null` when the round has no target.
    pub target: Option<TargetView>,
    /// Alignment by role group.
    pub alignment: AlignmentView,
    /// The organisation's plan on this round: the projected phase, and what it did
    /// since the previous round.
    pub plan: crate::wire_plan::PlanResultsView,
}

/// What `export_pdf` did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ExportOutcome {
    /// Where the PDF was written; `null` when the user cancelled the dialog.
    pub path: Option<String>,
    /// Whether the system viewer was started.
    pub opened: bool,
}

/// Which round a round's results and report are compared with (rule 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CompareWith {
    /// The organisation's previous round (by date), when there is one.
    Previous,
    /// No comparison: the round alone.
    None,
    /// This round (one of `ResultsView.comparable_rounds`).
    Round {
        /// The round's id.
        #[ts(type = "number")]
        id: i64,
    },
}

/// Every root type the commands send or receive; `export_bindings` writes these and
/// the types they use.
macro_rules! for_each_wire_type {
    ($m:ident) => {
        $m!(
            ActionView,
            AlignmentBlock,
            AlignmentCell,
            AlignmentGroup,
            AlignmentView,
            AnswerCell,
            ApiError,
            AppStatus,
            ErrorCode,
            ModelProblem,
            Sentence,
            SentenceMark,
            BlockChangeView,
            BlockProgress,
            BlockScore,
            BlockText,
            ChartsView,
            CompareWith,
            ComparisonBasis,
            ComparisonView,
            ExplanationsView,
            ExportOutcome,
            ImportModelOutcome,
            ModelVersionInfo,
            ModelView,
            NamedRef,
            NewRoundInput,
            OrganisationPage,
            OrganisationSummary,
            PendingView,
            PhaseView,
            Progress,
            QuestionChangeView,
            QuestionFigure,
            QuestionView,
            Questionnaire,
            RespondentInput,
            RespondentRow,
            ResultsView,
            RoleGroupView,
            RoundInfo,
            RoundPage,
            RoundStatus,
            RoundSummary,
            ScaleView,
            TargetView,
            RoundExportFormat,
            ResponsesPreview,
            ResponsesSource,
            PreviewRespondent,
            PreviewBlock,
            ImportIssue,
            ImportResponsesOutcome,
            ImportEngagementOutcome,
            AboutInfo,
            BuiltInModel,
            Diagnostics
        )
    };
}

/// The header ts-rs writes at the top of each generated file.
const GENERATED: &str = "// This file was generated by [ts-rs]";

/// Writes the TypeScript bindings of every wire type into `dir` (one file per type,
/// plus `index.ts` re-exporting them all) and removes generated files of types that no
/// longer exist. Returns the type names, sorted.
pub fn export_bindings(dir: &std::path::Path) -> std::io::Result<Vec<String>> {
    let mut names: Vec<String> = Vec::new();
    macro_rules! export {
        ($($t:ident),*) => {
            $(
                <$t as TS>::export_all_to(dir).map_err(std::io::Error::other)?;
                names.push(stringify!($t).to_string());
            )*
        };
    }
    for_each_wire_type!(export);
    crate::wire_settings::for_each_settings_wire_type!(export);
    crate::wire_collect::for_each_collect_wire_type!(export);
    crate::wire_engagement::for_each_engagement_wire_type!(export);
    crate::wire_plan::for_each_plan_wire_type!(export);
    names.sort();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let is_ts = path.extension().is_some_and(|e| e == "ts");
        if is_ts
            && stem != "index"
            && !names.iter().any(|n| n == stem)
            && std::fs::read_to_string(&path)?.starts_with(GENERATED)
        {
            std::fs::remove_file(&path)?;
        }
    }
    let mut index = format!(
        "{GENERATED}(https://github.com/Aleph-Alpha/ts-rs) through `cargo test -p cxm-api`. Do not edit this file manually.\n\n"
    );
    for name in &names {
        index.push_str(&format!("export type {{ {name} }} from \"./{name}\";\n"));
    }
    std::fs::write(dir.join("index.ts"), index)?;
    Ok(names)
}

pub use crate::wire_collect::*;
pub use crate::wire_engagement::*;
pub use crate::wire_plan::*;
pub use crate::wire_settings::*;
// ----- import and export (issue 6): round exports, the responses CSV preview,
// engagement files -----

/// What `export_round` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RoundExportFormat {
    /// The answers in the wide CSV layout `cxm import-responses` reads.
    AnswersCsv,
    /// The answers and notes as JSON (`format` `cxm-round-answers`).
    AnswersJson,
    /// The next-phase actions as CSV, for an action plan.
    ActionsCsv,
}

/// One problem of a responses file: where (line and column, 1-based) and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportIssue {
    /// Line of the file; `null` for a problem of the round, not of the file (closed).
    pub line: Option<u32>,
    /// Column of the file, when known.
    pub column: Option<u32>,
    /// That column's header, when known.
    pub column_name: Option<String>,
    /// What is wrong, for a person.
    pub message: String,
}

/// A respondent the previewed file would add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PreviewRespondent {
    /// Line of the file.
    pub line: u32,
    /// Name or code.
    pub name: String,
    /// Role-group id.
    pub role_group: String,
    /// Role-group name.
    pub role_name: String,
    /// Department.
    pub department: Option<String>,
    /// Answers given (values, don't know, n/a).
    pub answers: u32,
}

/// A building block in the preview: how many of its questions the file has columns
/// for, and how many answers it brings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PreviewBlock {
    /// Block id.
    pub id: String,
    /// Block name.
    pub name: String,
    /// The block's questions in the model.
    pub questions: u32,
    /// Of those, the ones with a column in the file.
    pub columns: u32,
    /// Answers to the block's questions in the file.
    pub answers: u32,
}

/// What `preview_responses` found in the chosen file, before anything is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ResponsesPreview {
    /// Give this to `import_responses` (or `discard_responses`); `null` when the file
    /// has problems and cannot be imported.
    pub token: Option<u32>,
    /// The file's name (without its folder).
    pub file_name: String,
    /// What kind of file it is.
    pub source: ResponsesSource,
    /// Rows of a survey export that were imported into the round before (by instance
    /// id): skipped, not an error. Always 0 for a plain responses CSV.
    pub already_imported: u32,
    /// Rows of a survey export that are not imported although nothing is wrong with
    /// the file (a reviewer rejected them in ODK Central or KoboToolbox), with why.
    pub left_out: Vec<ImportIssue>,
    /// Columns of a survey export that were ignored (the tool's meta columns, …).
    pub ignored_columns: Vec<String>,
    /// The round it would be imported into.
    #[ts(type = "number")]
    pub round: i64,
    /// The respondents it would add, in file order (empty when the file has problems
    /// that keep it from being read).
    pub respondents: Vec<PreviewRespondent>,
    /// Per block of the round's model, in model order.
    pub blocks: Vec<PreviewBlock>,
    /// Answers in all.
    pub answers: u32,
    /// Every problem, in file order (at most 50; see `more_issues`).
    pub issues: Vec<ImportIssue>,
    /// More problems were found than listed.
    pub more_issues: bool,
}

/// What `import_responses` wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportResponsesOutcome {
    /// Respondents added.
    pub respondents: u32,
    /// Answers stored.
    pub answers: u32,
    /// Rows of a survey export skipped because they were imported before.
    pub already_imported: u32,
}

/// What kind of responses file a preview read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ResponsesSource {
    /// The wide responses CSV (`respondent`, `role`, question ids).
    Csv,
    /// ODK Central's CSV export of the survey form (`cxm export --format xlsform`).
    OdkCentral,
    /// KoboToolbox's CSV export of the survey form.
    Kobotoolbox,
}

/// What `import_engagement` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportEngagementOutcome {
    /// The new organisation; `null` when the user cancelled the dialog.
    #[ts(type = "number | null")]
    pub organisation: Option<i64>,
    /// Its name (the file's, or with "(imported YYYY-MM-DD)" when the name was taken).
    pub name: String,
    /// The name was changed to avoid a clash.
    pub renamed: bool,
    /// Rounds created.
    pub rounds: u32,
    /// Respondents created.
    pub respondents: u32,
    /// Answers created.
    pub answers: u32,
    /// Model versions the file added (`id@version`).
    pub models_added: Vec<String>,
    /// Merged into an organisation stored here already.
    pub merged: bool,
    /// Anything changed.
    pub changed: bool,
    /// Respondents whose details changed.
    pub respondents_changed: u32,
    /// Respondents deleted.
    pub respondents_deleted: u32,
    /// Answers or notes changed or cleared.
    pub answers_changed: u32,
    /// Rounds deleted.
    pub rounds_deleted: u32,
    /// Concurrent edits (the most recent change kept, the other in the history).
    pub concurrent: Vec<crate::wire_engagement::ConcurrentEdit>,
    /// What to know.
    pub warnings: Vec<String>,
}

// ----- Help → About and the diagnostics for support (issue 16) -----

/// What Help → About shows (`about`): versions, where the data lives, the platform.
/// Nothing of a client's: no names, answers or notes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AboutInfo {
    /// The app's name ("CX Maturity").
    pub name: String,
    /// The app's version (the workspace's, `0.1.0`).
    pub version: String,
    /// The models built into this version, oldest first.
    pub models: Vec<BuiltInModel>,
    /// The database file; `null` when the platform has no data folder.
    pub db_path: Option<String>,
    /// The database's schema version (SQLite's `user_version`); `null` when the
    /// database could not be opened.
    pub schema_version: Option<u32>,
    /// The schema version this build writes.
    pub schema_latest: u32,
    /// Why the database could not be opened (or read); `null` when it is open.
    pub database_error: Option<ApiError>,
    /// Why the database is open read-only; `null` when changes can be saved.
    pub read_only: Option<String>,
    /// The folder of the database (backups and the log are kept beside it).
    pub data_dir: Option<String>,
    /// The folder of the log files.
    pub log_dir: Option<String>,
    /// The operating system: `/etc/os-release`'s `PRETTY_NAME` on Linux, and the
    /// processor architecture ("Debian GNU/Linux 12 (bookworm), x86_64").
    pub os: String,
    /// The web view's engine and version ("WebKitGTK 2.48.3"); `null` when the host
    /// did not say (the development server, the CLI).
    pub webview: Option<String>,
    /// The third-party licence notice (HTML) when it is installed; `null` otherwise.
    pub licences: Option<String>,
}

/// A model built into the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BuiltInModel {
    /// `id@version` (`cx-maturity@2`).
    pub key: String,
    /// The model's title.
    pub title: String,
}

/// The diagnostics text for support (`diagnostics`): every field of [`AboutInfo`],
/// the state of the database and the last log lines. No client data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Diagnostics {
    /// The plain text to copy, exactly.
    pub text: String,
    /// How many log lines it holds (at most 200).
    pub log_lines: u32,
}
