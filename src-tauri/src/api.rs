//! The command layer: one method per command of `docs/app-api.md`, in plain Rust over
//! the library crates, so it is tested without a window. The Tauri commands in
//! `lib.rs` only run these off the main thread.
//!
//! The database is opened at start; when that fails the error is kept,
//! [`Api::app_status`] reports it (and tries again, so "Try again" works once the user
//! has moved the file) and every other command answers `no_database`.
//! The store sits behind a mutex; long work that does not need it (charts, the PDF,
//! the save dialog) runs after the lock is released.

use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Mutex, MutexGuard};

use chrono::{NaiveDate, Utc};
use cxm_domain::compare::{Basis, Comparison, NOTABLE_CHANGE, QuestionChange};
use cxm_domain::explain::{self, explain};
use cxm_domain::scoring::{self, Results};
use cxm_domain::{Answer, Model};
use cxm_report::content::{
    Chart, HistoryPoint, QuoteAttribution, RespondentView, RoundMeta, heatmap_data, ladder_data,
    radar_data, trend_data,
};
use cxm_report::source::{RoundSource, Scored};
use cxm_report::{Paper, PdfOptions, chart_svg};
use cxm_store::{NewRespondent, NewRound, RespondentRecord, RoundData, Store, StoreError};

use crate::wire::{self, *};

mod data;

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        ApiError::new(e.code(), e.to_string())
    }
}

impl ApiError {
    /// An error with this code and message.
    pub fn new(code: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            code: code.to_string(),
            message: message.into(),
        }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> ApiError {
        ApiError::new("invalid", message)
    }
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

/// What a save or open dialog asks for: its title and its file filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DialogSpec {
    /// The dialog's title.
    pub title: &'static str,
    /// The filter's name ("PDF", "CSV", …).
    pub filter: &'static str,
    /// The filter's extensions, without dots.
    pub extensions: &'static [&'static str],
}

impl DialogSpec {
    /// `export_pdf`'s save dialog.
    pub const PDF: DialogSpec = DialogSpec {
        title: "Export the board report",
        filter: "PDF",
        extensions: &["pdf"],
    };
    /// `import_model`'s open dialog.
    pub const MODEL: DialogSpec = DialogSpec {
        title: "Import a model file",
        filter: "Model (TOML)",
        extensions: &["toml"],
    };
    /// `choose_logo`'s open dialog.
    pub const LOGO: DialogSpec = DialogSpec {
        title: "Choose the report logo",
        filter: "Image (PNG or JPEG)",
        extensions: &["png", "jpg", "jpeg"],
    };
}

/// Asks where to save: gets what to ask and the suggested file name, returns the
/// chosen path or `None` when the user cancelled.
pub type SaveDialog = Box<dyn Fn(&DialogSpec, &str) -> ApiResult<Option<PathBuf>> + Send + Sync>;
/// Asks which file to open: the chosen path, or `None` when the user cancelled.
pub type OpenDialog = Box<dyn Fn(&DialogSpec) -> ApiResult<Option<PathBuf>> + Send + Sync>;
/// Opens a file with the system viewer; `false` when that could not be done.
pub type Opener = Box<dyn Fn(&Path) -> bool + Send + Sync>;

/// The largest model file `import_model` reads (the default model is under 50 KB).
pub const MAX_MODEL_FILE_BYTES: u64 = 4 * 1024 * 1024;
/// `compare_with` of `results` and `export_pdf` for "no comparison" (ids start at 1):
/// the results and the report show this round alone.
pub const NO_COMPARISON: i64 = 0;
/// How many lowest questions a block explanation or an alignment cell lists.
const LOWEST_SHOWN: usize = 3;
/// How many questions the comparison lists as improved, and as slipped.
const CHANGES_SHOWN: usize = 5;

/// The app's commands over one database.
pub struct Api {
    pub(crate) store: Mutex<Result<Store, ApiError>>,
    pub(crate) db_path: Option<PathBuf>,
    pub(crate) seams: Seams,
    save_dialog: SaveDialog,
    pub(crate) open_dialog: OpenDialog,
    opener: Opener,
    /// Settings and backups (`api_settings.rs`).
    pub(crate) settings: crate::api_settings::SettingsHooks,
    /// The responses file previewed last, until it is imported or discarded.
    pending: Mutex<Option<data::Pending>>,
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
    /// viewer until [`Api::with_save_dialog`] and [`Api::with_opener`] give them.
    pub fn open(path: Option<PathBuf>) -> Api {
        Api {
            store: Mutex::new(open_store(path.as_deref())),
            db_path: path,
            seams: Seams::default(),
            save_dialog: Box::new(|_, _| Ok(None)),
            open_dialog: Box::new(|_| Ok(None)),
            opener: Box::new(|_| false),
            settings: Default::default(),
            pending: Mutex::new(None),
        }
    }

    /// Sets the end-to-end seams.
    pub fn with_seams(mut self, seams: Seams) -> Api {
        self.seams = seams;
        self
    }

    /// Sets the save dialog.
    pub fn with_save_dialog(
        mut self,
        dialog: impl Fn(&DialogSpec, &str) -> ApiResult<Option<PathBuf>> + Send + Sync + 'static,
    ) -> Api {
        self.save_dialog = Box::new(dialog);
        self
    }

    /// Sets the open-file dialog (`import_model`, `preview_responses`, `import_engagement`).
    pub fn with_open_dialog(
        mut self,
        dialog: impl Fn(&DialogSpec) -> ApiResult<Option<PathBuf>> + Send + Sync + 'static,
    ) -> Api {
        self.open_dialog = Box::new(dialog);
        self
    }

    /// Sets how a written PDF is opened.
    pub fn with_opener(mut self, opener: impl Fn(&Path) -> bool + Send + Sync + 'static) -> Api {
        self.opener = Box::new(opener);
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
                "no_database",
                format!("the database could not be opened: {}", e.message),
            )),
        }
    }

    // ----- status and organisations -----

    /// `app_status`.
    pub fn app_status(&self) -> AppStatus {
        let db_path = self
            .db_path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        let mut guard = self.lock();
        if guard.is_err() {
            *guard = open_store(self.db_path.as_deref());
        }
        let counted = match &*guard {
            Err(e) => Err(e.clone()),
            Ok(store) => store.organisations(false).map_err(ApiError::from),
        };
        let (error, organisations) = match counted {
            Ok(orgs) => (None, orgs.len() as u32),
            Err(e) => (Some(e), 0),
        };
        AppStatus {
            db_path,
            error,
            organisations,
        }
    }

    /// `list_organisations`.
    pub fn list_organisations(
        &self,
        include_archived: bool,
    ) -> ApiResult<Vec<OrganisationSummary>> {
        let store = self.store()?;
        Ok(store
            .organisations(include_archived)?
            .iter()
            .map(organisation_summary)
            .collect())
    }

    /// `create_organisation`.
    pub fn create_organisation(&self, name: &str) -> ApiResult<i64> {
        Ok(self.store()?.add_organisation(name)?)
    }

    /// `rename_organisation`.
    pub fn rename_organisation(&self, id: i64, name: &str) -> ApiResult<()> {
        Ok(self.store()?.rename_organisation(id, name)?)
    }

    /// `archive_organisation`.
    pub fn archive_organisation(&self, id: i64) -> ApiResult<()> {
        Ok(self.store()?.archive_organisation(id)?)
    }

    /// `restore_organisation`.
    pub fn restore_organisation(&self, id: i64) -> ApiResult<()> {
        Ok(self.store()?.restore_organisation(id)?)
    }

    /// `load_demo`: the demo organisation's id; loads it unless it is already there.
    pub fn load_demo(&self) -> ApiResult<i64> {
        let mut store = self.store()?;
        if let Some(existing) = store.demo_organisation()? {
            return Ok(existing.id);
        }
        Ok(store.load_demo()?.organisation)
    }

    /// `organisation_page`.
    pub fn organisation_page(&self, id: i64) -> ApiResult<OrganisationPage> {
        let store = self.store()?;
        let organisation = store.organisation(id)?;
        let rounds = store.rounds(Some(id))?;
        let models = model_versions(&store)?;
        let default_model = store.default_model_key()?;
        let latest_scored = rounds.iter().rev().find(|r| r.phase.is_some());
        let (trend_svg, suggested_target) = match latest_scored {
            Some(last) => {
                let model = store.model_for_round(last.id)?;
                let history = history_points(&rounds);
                let trend = (history.len() >= 2)
                    .then(|| chart_svg(&Chart::Trend(trend_data(&model, &history))));
                let reached = last.phase.unwrap_or(0);
                (trend, Some((reached + 1).min(model.phase_count())))
            }
            None => (None, None),
        };
        Ok(OrganisationPage {
            organisation: organisation_summary(&organisation),
            rounds: rounds.iter().map(round_info).collect(),
            trend_svg,
            models,
            default_model,
            suggested_target,
        })
    }

    // ----- rounds -----

    /// `create_round`: the new round's id. With `copy_respondents_from`, the round is
    /// created with that round's respondents, or not at all.
    pub fn create_round(&self, input: NewRoundInput) -> ApiResult<i64> {
        let date = parse_date(&input.date, "round date")?;
        let mut store = self.store()?;
        let id = store.add_round(NewRound {
            organisation: input.organisation,
            title: input.title,
            date,
            target_phase: input.target_phase,
            model: input.model.filter(|m| !m.trim().is_empty()),
        })?;
        if let Some(from) = input.copy_respondents_from
            && let Err(e) = store.copy_respondents(from, id)
        {
            store.delete_round(id)?;
            return Err(e.into());
        }
        Ok(id)
    }

    /// `delete_round`.
    pub fn delete_round(&self, id: i64) -> ApiResult<()> {
        Ok(self.store()?.delete_round(id)?)
    }

    /// `close_round`.
    pub fn close_round(&self, id: i64) -> ApiResult<()> {
        Ok(self.store()?.close_round(id)?)
    }

    /// `reopen_round`.
    pub fn reopen_round(&self, id: i64) -> ApiResult<()> {
        Ok(self.store()?.reopen_round(id)?)
    }

    /// `round_page`.
    pub fn round_page(&self, id: i64) -> ApiResult<RoundPage> {
        let data = self.store()?.round_data(id)?;
        let answered_per_question =
            scoring::answers_given(&data.model, &data.scoring_respondents());
        Ok(RoundPage {
            answered_per_question,
            info: round_info(&data.info),
            model: model_view(&data.model),
            respondents: data
                .respondents
                .iter()
                .map(|r| respondent_row(r, &data.model))
                .collect(),
        })
    }

    // ----- model versions -----

    /// `list_models`: every stored model version, by model id then version.
    pub fn list_models(&self) -> ApiResult<Vec<ModelVersionInfo>> {
        model_versions(&*self.store()?)
    }

    /// `import_model`: asks for a model file (or takes `CXM_OPEN_PATH`), validates it and
    /// stores it as a new model version. A file that does not validate is refused with
    /// `invalid_model`, one problem per line of the message (`file:line: field: what`).
    /// Cancelling the dialog imports nothing.
    pub fn import_model(&self) -> ApiResult<ImportModelOutcome> {
        let path = match &self.seams.open_path {
            Some(p) => p.clone(),
            None => match (self.open_dialog)(&DialogSpec::MODEL)? {
                Some(p) => p,
                None => {
                    return Ok(ImportModelOutcome {
                        model: None,
                        already_present: false,
                    });
                }
            },
        };
        let (name, source) = read_model_file(&path)?;
        let mut store = self.store()?;
        let imported = store.import_model(&source, &name)?;
        let already_present = imported.already_present;
        let model = model_versions(&store)?
            .into_iter()
            .find(|m| m.key == imported.key)
            .ok_or_else(|| ApiError::new("internal", "the imported model is not listed"))?;
        Ok(ImportModelOutcome {
            model: Some(model),
            already_present,
        })
    }

    // ----- respondents and answers -----

    /// `add_respondent`.
    pub fn add_respondent(&self, round: i64, input: RespondentInput) -> ApiResult<i64> {
        let respondent = new_respondent(input)?;
        Ok(self.store()?.add_respondent(round, respondent)?)
    }

    /// `update_respondent`.
    pub fn update_respondent(&self, id: i64, input: RespondentInput) -> ApiResult<()> {
        let respondent = new_respondent(input)?;
        Ok(self.store()?.update_respondent(id, respondent)?)
    }

    /// `remove_respondent`.
    pub fn remove_respondent(&self, id: i64) -> ApiResult<()> {
        Ok(self.store()?.remove_respondent(id)?)
    }

    /// `questionnaire`.
    pub fn questionnaire(&self, respondent: i64) -> ApiResult<Questionnaire> {
        let (data, i) = respondent_data(&*self.store()?, respondent)?;
        let record = &data.respondents[i];
        let answers = record
            .answers
            .answers
            .iter()
            .zip(&record.notes)
            .map(|(a, n)| AnswerCell {
                value: a.map(|a| a.to_string()),
                note: n.clone(),
            })
            .collect();
        let resume_index = record
            .answers
            .answers
            .iter()
            .position(Option::is_none)
            .unwrap_or(0) as u32;
        Ok(Questionnaire {
            respondent: respondent_row(record, &data.model),
            round: round_info(&data.info),
            model: model_view(&data.model),
            answers,
            resume_index,
        })
    }

    /// `set_answer`: `value` is `"0"`..`"S"`, `"dk"`, `"na"`, or `None` to clear.
    /// Returns the respondent's completion after the write.
    pub fn set_answer(
        &self,
        respondent: i64,
        question_id: &str,
        value: Option<&str>,
    ) -> ApiResult<Progress> {
        let answer = match value.map(str::trim) {
            None | Some("") => None,
            Some(v) => Some(Answer::from_str(v).map_err(|e| ApiError::invalid(e.to_string()))?),
        };
        let mut store = self.store()?;
        store.set_answer(respondent, question_id, answer)?;
        let (data, i) = respondent_data(&store, respondent)?;
        drop(store);
        Ok(progress(&data.respondents[i], &data.model))
    }

    /// `set_note`: `None` or blank clears it.
    pub fn set_note(
        &self,
        respondent: i64,
        question_id: &str,
        note: Option<String>,
    ) -> ApiResult<()> {
        Ok(self.store()?.set_note(respondent, question_id, note)?)
    }

    // ----- results and the report -----

    /// Loads and scores a round with its comparison round: `compare_with`, or by
    /// default the organisation's previous round; [`NO_COMPARISON`] for none.
    fn scored(&self, round: i64, compare_with: Option<i64>) -> ApiResult<Loaded> {
        let store = self.store()?;
        let data = store.round_data(round)?;
        let earlier = match compare_with {
            Some(NO_COMPARISON) => None,
            Some(id) => Some(store.comparison_round(&data, id)?),
            None => match store.previous_round(round)? {
                Some(prev) => Some(store.round_data(prev.id)?),
                None => None,
            },
        };
        let rounds = store.rounds(Some(data.info.organisation))?;
        let prepared_by = store
            .setting("report.prepared_by")?
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty());
        drop(store);
        let up_to: Vec<cxm_store::RoundInfo> = rounds
            .into_iter()
            .filter(|r| (r.date, r.id) <= (data.info.date, data.info.id))
            .collect();
        let history = history_points(&up_to);
        let comparable = up_to
            .into_iter()
            .rev()
            .filter(|r| r.id != data.info.id)
            .collect();
        let scored = Scored::new(
            data.info.organisation_name.clone(),
            source(&data),
            earlier.as_ref().map(source),
            history,
        );
        Ok(Loaded {
            info: data.info,
            earlier: earlier.map(|e| e.info),
            comparable,
            scored,
            prepared_by,
        })
    }

    /// `results`.
    pub fn results(&self, round: i64, compare_with: Option<i64>) -> ApiResult<ResultsView> {
        let loaded = self.scored(round, compare_with)?;
        let s = &loaded.scored;
        let (m, r) = (&*s.round.model, &s.results);
        let input = s.input(None, String::new());
        let block_name = |id: &str| {
            m.block_index(id)
                .map(|b| m.blocks[b].name.clone())
                .unwrap_or_else(|| id.to_string())
        };
        let explanations = explain(m, r);
        Ok(ResultsView {
            info: round_info(&loaded.info),
            provisional: loaded.info.status == cxm_store::RoundStatus::Open,
            respondents: r.respondents,
            interviews_complete: r.interviews_complete,
            organisation_phase: r.organisation_phase,
            phase_name: if r.organisation_phase == 0 {
                String::new()
            } else {
                m.phase_name(r.organisation_phase)
            },
            bottleneck: r.bottleneck.iter().map(|b| block_name(b)).collect(),
            explanations: ExplanationsView {
                organisation: explanations.organisation,
                blocks: explanations
                    .blocks
                    .into_iter()
                    .enumerate()
                    .map(|(i, b)| BlockText {
                        block: b.block,
                        text: b.text,
                        maturity: explain::maturity(m, r, i),
                        lowest: explain::block_lowest(m, r, i)
                            .into_iter()
                            .map(|(q, a)| question_figure(m, q, a))
                            .collect(),
                    })
                    .collect(),
            },
            blocks: r
                .blocks
                .iter()
                .enumerate()
                .map(|(i, b)| BlockScore {
                    id: b.id.clone(),
                    name: m.blocks[i].name.clone(),
                    reached_phase: b.reached_phase,
                    maturity: b.maturity,
                    attainment: b.attainment,
                })
                .collect(),
            actions: r
                .actions
                .iter()
                .map(|a| ActionView {
                    tier: u32::from(a.tier),
                    block: a.block.clone(),
                    block_name: block_name(&a.block),
                    question: a.question.clone(),
                    text: a.text.clone(),
                    phase: a.phase,
                    attainment: a.attainment,
                    priority: a.priority,
                    recommendation: a.recommendation.clone(),
                    explanation: explain::action(m, r, a),
                })
                .collect(),
            not_yet_assessed: r
                .not_yet_assessed
                .iter()
                .map(|q| PendingView {
                    block: q.block.clone(),
                    question: q.question.clone(),
                    text: q.text.clone(),
                    phase: q.phase,
                })
                .collect(),
            charts: ChartsView {
                radar: chart_svg(&Chart::Radar(radar_data(&input))),
                ladder: chart_svg(&Chart::Ladder(ladder_data(m, r))),
                trend: (s.history.len() >= 2)
                    .then(|| chart_svg(&Chart::Trend(trend_data(m, &s.history)))),
                heatmap: chart_svg(&Chart::Heatmap(heatmap_data(m, r))),
            },
            compared_with: loaded.earlier.as_ref().map(round_info),
            comparison: s.comparison.as_ref().map(|(_, c)| comparison_view(m, c)),
            comparable_rounds: loaded.comparable.iter().map(round_info).collect(),
            target: loaded.info.target_phase.map(|t| TargetView {
                phase: t,
                phase_name: m.phase_name(t),
                reached: r.organisation_phase >= t,
                text: explain::target(m, r.organisation_phase, t),
            }),
            alignment: alignment_view(m, r, &s.round.respondents),
        })
    }

    /// `export_pdf`: renders the board report (quotes attributed by name only when the
    /// `report.attribute_quotes` setting is on), asks where to save it (or takes
    /// `CXM_SAVE_PATH`), writes it through a temporary file and opens it with the
    /// system viewer (unless `CXM_NO_OPEN`). Cancelling the dialog writes nothing.
    pub fn export_pdf(&self, round: i64, compare_with: Option<i64>) -> ApiResult<ExportOutcome> {
        let loaded = self.scored(round, compare_with)?;
        let (logo, by_name) = {
            let store = self.store()?;
            (
                store.logo()?.map(|l| l.png),
                crate::api_settings::attribute_quotes(&store)?,
            )
        };
        let now = Utc::now();
        let input = loaded
            .scored
            .input(
                loaded.prepared_by.clone(),
                now.format("%Y-%m-%d").to_string(),
            )
            .with_quotes(if by_name {
                QuoteAttribution::Name
            } else {
                QuoteAttribution::RoleGroup
            });
        let pdf = cxm_report::render_pdf(
            &input,
            &PdfOptions {
                paper: Paper::A4,
                logo,
                creation: now,
            },
        )
        .map_err(|e| ApiError::new("report", e.to_string()))?;
        let suggested = file_name(&format!(
            "{} - {}.pdf",
            loaded.info.organisation_name, loaded.info.title
        ));
        let Some(path) = self.save_path(&DialogSpec::PDF, &suggested)? else {
            return Ok(ExportOutcome {
                path: None,
                opened: false,
            });
        };
        self.write_export(&path, &pdf)?;
        let opened = !self.seams.no_open && (self.opener)(&path);
        Ok(ExportOutcome {
            path: Some(path.display().to_string()),
            opened,
        })
    }
}

fn open_store(path: Option<&Path>) -> Result<Store, ApiError> {
    match path {
        Some(p) => Store::open(p).map_err(ApiError::from),
        None => Err(ApiError::new(
            "no_database",
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
struct Loaded {
    info: cxm_store::RoundInfo,
    earlier: Option<cxm_store::RoundInfo>,
    /// The organisation's earlier rounds, newest first.
    comparable: Vec<cxm_store::RoundInfo>,
    scored: Scored,
    prepared_by: Option<String>,
}

/// The rounds with answers, as trend points (the rounds are oldest first).
fn history_points(rounds: &[cxm_store::RoundInfo]) -> Vec<HistoryPoint> {
    rounds
        .iter()
        .filter_map(|r| {
            Some(HistoryPoint {
                date: r.date.to_string(),
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

/// A round as the report's scoring takes it.
fn source(data: &RoundData) -> RoundSource {
    RoundSource {
        meta: RoundMeta {
            title: data.info.title.clone(),
            date: data.info.date.to_string(),
            open: data.info.status == cxm_store::RoundStatus::Open,
            target_phase: data.info.target_phase,
        },
        model: std::sync::Arc::clone(&data.model),
        respondents: data
            .respondents
            .iter()
            .map(|r| RespondentView {
                name: r.name.clone(),
                role_group: r.answers.role_group,
                department: r.department.clone(),
                answers: r.answers.answers.clone(),
                notes: r.notes.clone(),
            })
            .collect(),
    }
}

/// The round of `respondent` and the respondent's index in it.
fn respondent_data(store: &Store, respondent: i64) -> ApiResult<(RoundData, usize)> {
    let round = store.respondent_round(respondent)?;
    let data = store.round_data(round)?;
    let i = data
        .respondents
        .iter()
        .position(|r| r.id == respondent)
        .ok_or_else(|| ApiError::new("not_found", format!("respondent {respondent} not found")))?;
    Ok((data, i))
}

/// A date written `YYYY-MM-DD` with a four-digit year ([`cxm_store::parse_date`]).
fn parse_date(text: &str, what: &str) -> ApiResult<NaiveDate> {
    cxm_store::parse_date(text).map_err(|why| ApiError::invalid(format!("the {what}: {why}")))
}

fn new_respondent(input: RespondentInput) -> ApiResult<NewRespondent> {
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
fn file_name(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '-',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

// ----- store and domain → wire -----

fn status(s: cxm_store::RoundStatus) -> wire::RoundStatus {
    match s {
        cxm_store::RoundStatus::Open => wire::RoundStatus::Open,
        cxm_store::RoundStatus::Closed => wire::RoundStatus::Closed,
    }
}

fn organisation_summary(o: &cxm_store::OrganisationSummary) -> OrganisationSummary {
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

fn round_info(r: &cxm_store::RoundInfo) -> RoundInfo {
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

fn model_view(m: &Model) -> ModelView {
    ModelView {
        key: m.key(),
        title: m.title.clone(),
        threshold: m.threshold,
        scale: ScaleView {
            max: u32::from(m.scale.max),
            labels: m.scale.labels.clone(),
            dont_know: m.scale.dont_know.clone(),
            not_applicable: m.scale.not_applicable.clone(),
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
            .map(|g| NamedRef {
                id: g.id.clone(),
                name: g.name.clone(),
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
            })
            .collect(),
    }
}

fn respondent_row(r: &RespondentRecord, m: &Model) -> RespondentRow {
    RespondentRow {
        id: r.id,
        name: r.name.clone(),
        role_group: r.role_group.clone(),
        department: r.department.clone(),
        interview_date: r.interview_date.map(|d| d.to_string()),
        answered: r.answers.answered() as u32,
        total: m.questions.len() as u32,
        complete: r.answers.is_complete(),
    }
}

fn progress(r: &RespondentRecord, m: &Model) -> Progress {
    let mut blocks: Vec<BlockProgress> = m
        .blocks
        .iter()
        .map(|b| BlockProgress {
            block: b.id.clone(),
            answered: 0,
            total: 0,
        })
        .collect();
    for (q, a) in m.questions.iter().zip(&r.answers.answers) {
        let b = &mut blocks[q.block];
        b.total += 1;
        b.answered += u32::from(a.is_some());
    }
    Progress {
        answered: r.answers.answered() as u32,
        total: m.questions.len() as u32,
        blocks,
    }
}

/// Every stored model version, as the model list and the new-round form show it.
fn model_versions(store: &Store) -> ApiResult<Vec<ModelVersionInfo>> {
    let default_key = store.default_model_key()?;
    let mut models = Vec::new();
    for m in store.models()? {
        let (_, model) = store.model_by_key(&m.key)?;
        let builtin = store.model_source(&m.key)? == cxm_domain::model::DEFAULT_MODEL_TOML;
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
fn read_model_file(path: &Path) -> ApiResult<(String, String)> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let io =
        |e: std::io::Error| ApiError::new("io", format!("cannot read {}: {e}", path.display()));
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(ApiError::invalid(format!(
            "{} is not a file",
            path.display()
        )));
    }
    if meta.len() > MAX_MODEL_FILE_BYTES {
        return Err(ApiError::new(
            "invalid_model",
            format!(
                "{name}: the file is {} KB, too large for a model file (at most {} KB)",
                meta.len() / 1024,
                MAX_MODEL_FILE_BYTES / 1024
            ),
        ));
    }
    let bytes = std::fs::read(path).map_err(io)?;
    let source = String::from_utf8(bytes).map_err(|_| {
        ApiError::new(
            "invalid_model",
            format!("{name}: not a text file (a model file is TOML text in UTF-8)"),
        )
    })?;
    Ok((name, source))
}

fn block_name(m: &Model, id: &str) -> String {
    m.block_index(id)
        .map(|b| m.blocks[b].name.clone())
        .unwrap_or_else(|| id.to_string())
}

/// Question `q` of `m` with attainment `a`.
fn question_figure(m: &Model, q: usize, a: f64) -> QuestionFigure {
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
fn comparison_view(m: &Model, c: &Comparison) -> ComparisonView {
    let change = |q: &QuestionChange| QuestionChangeView {
        question: q.question.clone(),
        text: m
            .question_index(&q.question)
            .map(|i| m.questions[i].text.clone())
            .unwrap_or_default(),
        block: q.block.clone(),
        block_name: block_name(m, &q.block),
        phase: q.phase,
        delta: q.delta.unwrap_or(0.0),
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
        improved: notable.improved.into_iter().map(change).collect(),
        slipped: notable.slipped.into_iter().map(change).collect(),
        notable_change: NOTABLE_CHANGE,
    }
}

/// Rule 6 for the screen: the groups (hidden ones with a note and no figures), and per
/// block each shown group's figures and lowest questions.
fn alignment_view(m: &Model, r: &Results, respondents: &[RespondentView]) -> AlignmentView {
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
                gap: a.gap,
                flagged: a.flagged,
                text: explain::alignment_gap(m, a),
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
