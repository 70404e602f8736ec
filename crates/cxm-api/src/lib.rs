//! The application's use cases: one method of [`Api`] per command of `docs/app-api.md`,
//! in plain Rust over the store, the domain and the report, with their wire types
//! ([`wire`], from which the UI's TypeScript types are generated). No Tauri and no clap:
//! the desktop app registers these as its IPC commands ([`for_each_command!`]), the
//! `cxm` CLI calls them, and the UI's development server serves them over HTTP for the
//! browser tests. What the platform does (dialogs, opening a file, the clock) goes
//! through [`Host`].
//!
//! The database is opened at start; when that fails the error is kept,
//! [`Api::app_status`] reports it (and tries again, so "Try again" works once the user
//! has moved the file) and every other command answers `no_database`.
//! The store sits behind a mutex; long work that does not need it (charts, the PDF,
//! the save dialog) runs after the lock is released.

use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use chrono::NaiveDate;
use cxm_domain::Model;
use cxm_domain::compare::{Basis, Comparison, NOTABLE_CHANGE, QuestionChange};
use cxm_domain::explain::{self};
use cxm_domain::scored::{HistoryPoint, RespondentView, RoundMeta, RoundSource, Scored};
use cxm_domain::scoring::{self, Results};
use cxm_store::{NewRespondent, RespondentRecord, RoundData, Store, StoreError};

use crate::wire::*;

pub mod about;
mod cli;
mod collect;
mod commands;
mod data;
mod engagement;
mod host;
mod interview;
pub mod logging;
mod models;
mod organisations;
mod plan;
pub mod plan_files;
mod plan_io;
mod report;
mod results;
mod rounds;
mod settings;
mod team;
pub mod wire;
mod wire_collect;
mod wire_engagement;
mod wire_plan;
mod wire_settings;
pub mod xlsform;

pub use about::PlatformInfo;
pub use cli::{DemoOutcome, RoundExport};
pub use collect::{MAX_COLLECT_MINUTES, qr_svg, qr_text};
pub use commands::{CommandSpec, camel_case, commands, dispatch, typescript_client};
/// The paper sizes of [`ReportRequest::paper`].
pub use cxm_report::Paper;
pub use engagement::ENGAGEMENT_EXTENSION;
pub use host::{DialogSpec, FakeHost, Host};
pub use report::{Report, ReportRequest, source_date_epoch};
pub use settings::{AUTOMATIC_BACKUP_DELAY, SETTING_ATTRIBUTE_QUOTES};
pub use team::{SETTING_TEAM_FOLDER, SYNC_EVERY_SECONDS, team_file_name};

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        let code = ErrorCode::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == e.code())
            .unwrap_or(ErrorCode::Internal);
        let mut error = ApiError::new(code, e.to_string());
        if let StoreError::Model(model) = &e {
            error.problems = Some(model_problems(model));
        }
        error
    }
}

impl ApiError {
    /// An error with this code and message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            message: message.into(),
            problems: None,
        }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::Invalid, message)
    }

    /// `invalid_model` for a problem of the whole file `file` (too large, not text).
    pub(crate) fn model_file(file: &str, problem: String) -> ApiError {
        ApiError {
            code: ErrorCode::InvalidModel,
            message: format!("{file}: {problem}"),
            problems: Some(vec![ModelProblem {
                file: file.to_string(),
                line: None,
                column: None,
                field: None,
                message: problem,
            }]),
        }
    }
}

/// Each problem of a model file, placed.
pub(crate) fn model_problems(e: &cxm_domain::ModelError) -> Vec<ModelProblem> {
    let number = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    e.issues
        .iter()
        .map(|i| ModelProblem {
            file: e.file.clone(),
            line: i.line.map(number),
            column: i.column.map(number),
            field: (!i.field.is_empty()).then(|| i.field.clone()),
            message: i.message.clone(),
        })
        .collect()
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for ApiError {}

/// `Result` with [`ApiError`].
pub type ApiResult<T> = Result<T, ApiError>;

/// The end-to-end tests' seams, read from the environment by [`Seams::from_env`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Seams {
    /// `CXM_SAVE_PATH`: `export_pdf` writes here without showing the save dialog.
    pub save_path: Option<PathBuf>,
    /// `CXM_OPEN_PATH`: `import_model` reads this file without showing the open dialog.
    pub open_path: Option<PathBuf>,
    /// `CXM_NO_OPEN=1`: `export_pdf` does not open the written file.
    pub no_open: bool,
}

impl Seams {
    /// The seams from the process environment.
    pub fn from_env() -> Seams {
        Seams::from_vars(|k| std::env::var(k).ok())
    }

    /// The seams from any variable lookup (tests pass a map).
    pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> Seams {
        Seams {
            save_path: get("CXM_SAVE_PATH")
                .filter(|p| !p.trim().is_empty())
                .map(PathBuf::from),
            open_path: get("CXM_OPEN_PATH")
                .filter(|p| !p.trim().is_empty())
                .map(PathBuf::from),
            no_open: get("CXM_NO_OPEN").is_some_and(|v| !matches!(v.trim(), "" | "0")),
        }
    }
}

/// The largest model file `import_model` reads (the default model is under 50 KB).
pub const MAX_MODEL_FILE_BYTES: u64 = 4 * 1024 * 1024;
/// How many lowest questions a block explanation or an alignment cell lists.
const LOWEST_SHOWN: usize = 3;
/// How many questions the comparison lists as improved, and as slipped.
const CHANGES_SHOWN: usize = 5;

/// The app's commands over one database.
pub struct Api {
    pub(crate) store: Mutex<Result<Store, ApiError>>,
    pub(crate) db_path: Option<PathBuf>,
    pub(crate) seams: Seams,
    pub(crate) host: Box<dyn Host>,
    /// Settings and backups (`api_settings.rs`).
    pub(crate) settings: crate::settings::SettingsHooks,
    /// The responses file previewed last, until it is imported or discarded.
    pending: Mutex<Option<data::Pending>>,
    /// Workshop mode: the running (or last) collection.
    collecting: Mutex<Option<collect::Collecting>>,
    /// Help → About: the platform's web view, where the licence notice is looked for.
    pub(crate) about: about::AboutHooks,
    /// Engagement files opened in the app, and the one previewed.
    engagement: engagement::Opened,
    /// The team folder's last pass.
    team: team::TeamState,
    /// The plan file previewed.
    plan_imports: plan_io::PlanImports,
}

impl std::fmt::Debug for Api {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Api")
            .field("db_path", &self.db_path)
            .field("store", &self.store)
            .field("seams", &self.seams)
            .finish_non_exhaustive()
    }
}

/// The database the app opens: `CXM_DB` when set, else the same file as `cxm`
/// ([`cxm_store::default_db_path`]).
pub fn db_path_from_env() -> Option<PathBuf> {
    std::env::var_os("CXM_DB")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(cxm_store::default_db_path)
}

impl Api {
    /// Opens the database at `path` (`None`: the platform has no data directory). A
    /// failure is kept, never raised: see [`Api::app_status`]. No save dialog and no
    /// viewer until [`Api::with_host`] gives them.
    pub fn open(path: Option<PathBuf>) -> Api {
        Api {
            store: Mutex::new(open_store(path.as_deref())),
            db_path: path,
            seams: Seams::default(),
            host: Box::new(FakeHost::default()),
            settings: Default::default(),
            pending: Mutex::new(None),
            collecting: Mutex::new(None),
            about: Default::default(),
            engagement: Default::default(),
            team: Default::default(),
            plan_imports: Default::default(),
        }
    }

    /// Over a store the caller opened its own way (the CLI: its busy timeout and
    /// read-only notice), at `path`.
    pub fn from_store(store: Store, path: PathBuf) -> Api {
        let mut api = Api::open(None);
        api.store = Mutex::new(Ok(store));
        api.db_path = Some(path);
        api
    }

    /// Sets the end-to-end seams.
    pub fn with_seams(mut self, seams: Seams) -> Api {
        self.seams = seams;
        self
    }

    /// Sets the platform: dialogs, the system viewer, the file manager, the clock.
    pub fn with_host(mut self, host: impl Host + 'static) -> Api {
        self.host = Box::new(host);
        self
    }

    fn lock(&self) -> MutexGuard<'_, Result<Store, ApiError>> {
        // A panic while the lock was held cannot leave half a write: every write is a
        // transaction. Keep going.
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn store(&self) -> ApiResult<StoreGuard<'_>> {
        let guard = self.lock();
        match &*guard {
            Ok(_) => Ok(StoreGuard(guard)),
            Err(e) => Err(ApiError::new(
                ErrorCode::NoDatabase,
                format!("the database could not be opened: {}", e.message),
            )),
        }
    }
}

pub(crate) fn open_store(path: Option<&Path>) -> Result<Store, ApiError> {
    match path {
        Some(p) => Store::open(p)
            .inspect(|s| crate::logging::database_opened(p, s.read_only().is_some()))
            .map_err(ApiError::from),
        None => Err(ApiError::new(
            ErrorCode::NoDatabase,
            "this system has no per-user data folder for the database; set CXM_DB to the database file to use",
        )),
    }
}

/// The open store, locked.
pub(crate) struct StoreGuard<'a>(MutexGuard<'a, Result<Store, ApiError>>);

impl Deref for StoreGuard<'_> {
    type Target = Store;
    fn deref(&self) -> &Store {
        self.0.as_ref().expect("StoreGuard holds an open store")
    }
}

impl DerefMut for StoreGuard<'_> {
    fn deref_mut(&mut self) -> &mut Store {
        self.0.as_mut().expect("StoreGuard holds an open store")
    }
}

/// A round scored for the results screen or the report.
pub(crate) struct Loaded {
    info: cxm_store::RoundInfo,
    earlier: Option<cxm_store::RoundInfo>,
    /// The organisation's earlier rounds, newest first.
    comparable: Vec<cxm_store::RoundInfo>,
    scored: Scored,
    prepared_by: Option<String>,
}

/// The rounds with answers, as trend points (the rounds are oldest first).
pub(crate) fn history_points(rounds: &[cxm_store::RoundInfo]) -> Vec<HistoryPoint> {
    rounds
        .iter()
        .filter_map(|r| {
            Some(HistoryPoint {
                date: r.date,
                title: r.title.clone(),
                phase: r.phase?,
                maturity: r
                    .block_maturity
                    .iter()
                    .map(|b| (b.block.clone(), b.maturity))
                    .collect(),
            })
        })
        .collect()
}

/// A round as the report's scoring takes it (its respondents moved, not copied: a
/// 5,000-respondent survey holds 350,000 answers and notes).
pub(crate) fn source(data: RoundData) -> RoundSource {
    RoundSource {
        meta: RoundMeta {
            title: data.info.title.clone(),
            date: data.info.date,
            open: data.info.status == cxm_store::RoundStatus::Open,
            target_phase: data.info.target_phase,
        },
        model: data.model,
        respondents: data
            .respondents
            .into_iter()
            .map(|r| RespondentView {
                name: r.name,
                role_group: r.answers.role_group,
                department: r.department,
                answers: r.answers.answers,
                notes: r.notes,
            })
            .collect(),
    }
}

/// The round of `respondent` and the respondent's index in it.
pub(crate) fn respondent_data(store: &Store, respondent: i64) -> ApiResult<(RoundData, usize)> {
    let round = store.respondent_round(respondent)?;
    let data = store.round_data(round)?;
    let i = data
        .respondents
        .iter()
        .position(|r| r.id == respondent)
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotFound,
                format!("respondent {respondent} not found"),
            )
        })?;
    Ok((data, i))
}

/// A date written `YYYY-MM-DD` with a four-digit year ([`cxm_store::parse_date`]).
pub(crate) fn parse_date(text: &str, what: &str) -> ApiResult<NaiveDate> {
    cxm_store::parse_date(text).map_err(|why| ApiError::invalid(format!("the {what}: {why}")))
}

pub(crate) fn new_respondent(input: RespondentInput) -> ApiResult<NewRespondent> {
    let interview_date = match input.interview_date.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(d) => Some(parse_date(d, "interview date")?),
    };
    Ok(NewRespondent {
        name: input.name,
        role_group: input.role_group,
        department: input.department,
        interview_date,
    })
}

/// `name` with the characters file systems refuse replaced.
pub(crate) fn file_name(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '-',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

// ----- store and domain → wire -----

pub(crate) fn status(s: cxm_store::RoundStatus) -> wire::RoundStatus {
    match s {
        cxm_store::RoundStatus::Open => wire::RoundStatus::Open,
        cxm_store::RoundStatus::Closed => wire::RoundStatus::Closed,
    }
}

pub(crate) fn organisation_summary(o: &cxm_store::OrganisationSummary) -> OrganisationSummary {
    OrganisationSummary {
        id: o.id,
        name: o.name.clone(),
        archived: o.archived,
        created_at: o.created_at.clone(),
        rounds: o
            .rounds
            .iter()
            .map(|r| RoundSummary {
                id: r.id,
                title: r.title.clone(),
                date: r.date.to_string(),
                status: status(r.status),
                phase: r.phase,
                respondents: r.respondents,
                interviews_complete: r.interviews_complete,
            })
            .collect(),
    }
}

pub(crate) fn round_info(r: &cxm_store::RoundInfo) -> RoundInfo {
    RoundInfo {
        id: r.id,
        organisation: r.organisation,
        organisation_name: r.organisation_name.clone(),
        title: r.title.clone(),
        date: r.date.to_string(),
        status: status(r.status),
        model_key: r.model_key.clone(),
        target_phase: r.target_phase,
        phase: r.phase,
        respondents: r.respondents,
        interviews_complete: r.interviews_complete,
    }
}

pub(crate) fn model_view(m: &Model) -> ModelView {
    ModelView {
        key: m.key(),
        title: m.title.clone(),
        threshold: m.threshold,
        scale: ScaleView {
            max: u32::from(m.scale.max),
            labels: m.scale.labels.clone(),
            dont_know: m.scale.dont_know.clone(),
            not_applicable: m.scale.not_applicable.clone(),
            definitions: m.scale.definitions.clone(),
            dont_know_rule: m.scale.dont_know_rule.clone(),
            not_applicable_rule: m.scale.not_applicable_rule.clone(),
        },
        blocks: m
            .blocks
            .iter()
            .map(|b| NamedRef {
                id: b.id.clone(),
                name: b.name.clone(),
            })
            .collect(),
        phases: m
            .phases
            .iter()
            .map(|p| PhaseView {
                number: p.number,
                name: p.name.clone(),
                description: p.description.clone(),
            })
            .collect(),
        role_groups: m
            .role_groups
            .iter()
            .map(|g| RoleGroupView {
                id: g.id.clone(),
                name: g.name.clone(),
                description: g.description.clone(),
            })
            .collect(),
        questions: m
            .questions
            .iter()
            .map(|q| QuestionView {
                id: q.id.clone(),
                block: m.blocks[q.block].id.clone(),
                phase: q.phase,
                text: q.text.clone(),
                guidance: q.guidance.clone(),
                ask: m
                    .role_groups
                    .iter()
                    .enumerate()
                    .filter(|&(g, _)| q.audience.includes(g))
                    .map(|(_, g)| g.id.clone())
                    .collect(),
            })
            .collect(),
    }
}

pub(crate) fn respondent_row(r: &RespondentRecord, m: &Model) -> RespondentRow {
    RespondentRow {
        id: r.id,
        name: r.name.clone(),
        role_group: r.role_group.clone(),
        department: r.department.clone(),
        interview_date: r.interview_date.map(|d| d.to_string()),
        answered: r.answers.answered_of_asked(m) as u32,
        total: m.asked_count(r.answers.role_group) as u32,
        complete: r.answers.is_complete(m),
    }
}

pub(crate) fn progress(r: &RespondentRecord, m: &Model) -> Progress {
    let mut blocks: Vec<BlockProgress> = m
        .blocks
        .iter()
        .map(|b| BlockProgress {
            block: b.id.clone(),
            answered: 0,
            total: 0,
        })
        .collect();
    let group = r.answers.role_group;
    for (q, a) in m.questions.iter().zip(&r.answers.answers) {
        if !q.audience.includes(group) {
            continue;
        }
        let b = &mut blocks[q.block];
        b.total += 1;
        b.answered += u32::from(a.is_some());
    }
    Progress {
        answered: r.answers.answered_of_asked(m) as u32,
        total: m.asked_count(group) as u32,
        blocks,
    }
}

/// Every stored model version, as the model list and the new-round form show it.
pub(crate) fn model_versions(store: &Store) -> ApiResult<Vec<ModelVersionInfo>> {
    let default_key = store.default_model_key()?;
    let mut models = Vec::new();
    for m in store.models()? {
        let (_, model) = store.model_by_key(&m.key)?;
        let source = store.model_source(&m.key)?;
        let builtin = cxm_domain::model::BUILT_IN_MODELS
            .iter()
            .any(|(_, text)| *text == source);
        models.push(ModelVersionInfo {
            is_default: m.key == default_key,
            builtin,
            key: m.key,
            model_id: m.model_id,
            version: m.version,
            title: m.title,
            questions: m.questions,
            phases: model.phase_count(),
            blocks: model.blocks.len() as u32,
            rounds: m.rounds,
            imported_at: m.imported_at,
        });
    }
    Ok(models)
}

/// Reads a model file the user picked: its name (for the errors) and its text.
pub(crate) fn read_model_file(path: &Path) -> ApiResult<(String, String)> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let io = |e: std::io::Error| {
        ApiError::new(
            ErrorCode::Io,
            format!("cannot read {}: {e}", path.display()),
        )
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(ApiError::invalid(format!(
            "{} is not a file",
            path.display()
        )));
    }
    if meta.len() > MAX_MODEL_FILE_BYTES {
        return Err(ApiError::model_file(
            &name,
            format!(
                "the file is {} KB, too large for a model file (at most {} KB)",
                meta.len() / 1024,
                MAX_MODEL_FILE_BYTES / 1024
            ),
        ));
    }
    let bytes = std::fs::read(path).map_err(io)?;
    let source = String::from_utf8(bytes).map_err(|_| {
        ApiError::model_file(
            &name,
            "not a text file (a model file is TOML text in UTF-8)".to_string(),
        )
    })?;
    Ok((name, source))
}

pub(crate) fn block_name(m: &Model, id: &str) -> String {
    m.block_index(id)
        .map(|b| m.blocks[b].name.clone())
        .unwrap_or_else(|| id.to_string())
}

/// An explanation's sentence for the wire.
pub(crate) fn sentence(s: explain::Sentence) -> Sentence {
    Sentence {
        mark: match s.mark {
            explain::Mark::Plain => SentenceMark::Plain,
            explain::Mark::Pass => SentenceMark::Pass,
            explain::Mark::Stop => SentenceMark::Stop,
        },
        text: s.text,
    }
}

/// An explanation's sentences for the wire.
pub(crate) fn sentences(list: Vec<explain::Sentence>) -> Vec<Sentence> {
    list.into_iter().map(sentence).collect()
}

/// Question `q` of `m` with attainment `a`.
pub(crate) fn question_figure(m: &Model, q: usize, a: f64) -> QuestionFigure {
    let question = &m.questions[q];
    QuestionFigure {
        question: question.id.clone(),
        text: question.text.clone(),
        phase: question.phase,
        attainment: a,
        below_threshold: !scoring::at_least(a, m.threshold),
    }
}

/// Rule 7's comparison for the screen; `m` is this (the later) round's model.
pub(crate) fn comparison_view(m: &Model, c: &Comparison) -> ComparisonView {
    // A notable change always has a delta (both rounds assessed the question).
    let change = |q: &QuestionChange| {
        Some(QuestionChangeView {
            question: q.question.clone(),
            text: m
                .question_index(&q.question)
                .map(|i| m.questions[i].text.clone())
                .unwrap_or_default(),
            block: q.block.clone(),
            block_name: block_name(m, &q.block),
            phase: q.phase,
            delta: q.delta?,
        })
    };
    let notable = c.notable_changes(CHANGES_SHOWN);
    ComparisonView {
        basis: match c.basis {
            Basis::SameModel => ComparisonBasis::SameModel,
            Basis::SharedQuestions => ComparisonBasis::SharedQuestions,
        },
        shared_questions: c.shared_questions as u32,
        basis_note: explain::comparison_basis(c),
        phase_from: c.phase_from,
        phase_to: c.phase_to,
        blocks: c
            .blocks
            .iter()
            .map(|b| BlockChangeView {
                id: b.block.clone(),
                name: block_name(m, &b.block),
                phase_from: b.phase_from,
                phase_to: b.phase_to,
                maturity_from: b.maturity_from,
                maturity_to: b.maturity_to,
                delta_maturity: b.delta_maturity,
                delta_attainment: b.delta_attainment,
            })
            .collect(),
        improved: notable.improved.into_iter().filter_map(change).collect(),
        slipped: notable.slipped.into_iter().filter_map(change).collect(),
        notable_change: NOTABLE_CHANGE,
    }
}

/// Rule 6 for the screen: the groups (hidden ones with a note and no figures), and per
/// block each shown group's figures and lowest questions.
pub(crate) fn alignment_view(
    m: &Model,
    r: &Results,
    respondents: &[RespondentView],
) -> AlignmentView {
    let scoring: Vec<_> = respondents.iter().map(RespondentView::scoring).collect();
    let groups = scoring::group_questions(m, &scoring);
    AlignmentView {
        anonymity_threshold: m.anonymity_threshold,
        flag_threshold: scoring::ALIGNMENT_FLAG,
        groups: groups
            .iter()
            .map(|g| AlignmentGroup {
                id: m.role_groups[g.role_group].id.clone(),
                name: m.role_groups[g.role_group].name.clone(),
                respondents: g.respondents,
                hidden: g.hidden(),
                note: g
                    .hidden()
                    .then(|| explain::hidden_group(m, g.role_group, g.respondents)),
            })
            .collect(),
        blocks: r
            .alignment
            .iter()
            .enumerate()
            .map(|(b, a)| AlignmentBlock {
                id: a.block.clone(),
                name: m.blocks[b].name.clone(),
                gap: (a.groups.iter().filter(|g| g.attainment.is_some()).count() >= 2)
                    .then_some(a.gap),
                flagged: a.flagged,
                text: sentence(explain::alignment_gap_sentence(m, a)),
                cells: a
                    .groups
                    .iter()
                    .map(|cell| {
                        let lowest = groups
                            .iter()
                            .find(|g| m.role_groups[g.role_group].id == cell.role_group)
                            .and_then(|g| g.attainment.as_ref())
                            .map(|att| {
                                scoring::lowest_questions(m, att, b, None)
                                    .into_iter()
                                    .take(LOWEST_SHOWN)
                                    .map(|(q, a)| question_figure(m, q, a))
                                    .collect()
                            })
                            .unwrap_or_default();
                        AlignmentCell {
                            group: cell.role_group.clone(),
                            attainment: cell.attainment,
                            reached_phase: cell.reached_phase,
                            lowest,
                        }
                    })
                    .collect(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seams_come_from_the_environment_variables() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(Seams::from_vars(vars(&[])), Seams::default());
        assert_eq!(
            Seams::from_vars(vars(&[
                ("CXM_SAVE_PATH", "/tmp/x.pdf"),
                ("CXM_NO_OPEN", "1")
            ])),
            Seams {
                save_path: Some(PathBuf::from("/tmp/x.pdf")),
                open_path: None,
                no_open: true
            }
        );
        assert!(!Seams::from_vars(vars(&[("CXM_NO_OPEN", "0")])).no_open);
        assert_eq!(
            Seams::from_vars(vars(&[("CXM_SAVE_PATH", " ")])).save_path,
            None
        );
        assert_eq!(
            Seams::from_vars(vars(&[("CXM_OPEN_PATH", "/tmp/model.toml")])).open_path,
            Some(PathBuf::from("/tmp/model.toml"))
        );
    }

    #[test]
    fn file_names_lose_what_file_systems_refuse() {
        assert_eq!(file_name("Acme / EU: Q1?.pdf"), "Acme - EU- Q1-.pdf");
        assert_eq!(file_name("Café - Baseline.pdf"), "Café - Baseline.pdf");
    }
}
