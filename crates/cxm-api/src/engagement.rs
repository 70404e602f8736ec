//! Engagement files opened in the app (issue 16): a preview first, then the import.
//!
//! A file reaches the app three ways: *Import engagement…* (the open dialog), the app's
//! command line (a double-click on a `.cxmx` file in the file manager starts
//! `cx-maturity FILE`), or a second launch handing its files to the running app (single
//! instance). The shell queues the last two with [`Api::open_files_later`]; the UI asks
//! for the next one with `next_opened_engagement`. Either way the file is read once,
//! checked by a dry run of the import on the database as it is (the store's own
//! transaction, rolled back), and shown; *Import* then imports exactly the bytes shown,
//! in one transaction, and any change to the database since the preview is caught by
//! the same checks again.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use cxm_store::engagement::read_engagement;

use crate::data::{ENGAGEMENT_OPEN, MAX_ENGAGEMENT_BYTES, display_name, read_limited};
use cxm_store::ImportedEngagement;
use cxm_store::merge::RoundChanges;

use crate::wire::{
    ApiError, ConcurrentEdit, EditSide, EngagementPreview, EngagementPreviewRound, ErrorCode,
    ImportEngagementOutcome, RoundStatus,
};
use crate::{Api, ApiResult};

/// The engagement file extension: JSON inside (`docs/engagement-format.md`); `.json`
/// files are read as well.
pub const ENGAGEMENT_EXTENSION: &str = "cxmx";

/// The files waiting to be previewed, and the one previewed.
#[derive(Default)]
pub(crate) struct Opened {
    queue: Mutex<VecDeque<PathBuf>>,
    previewed: Mutex<Option<Previewed>>,
}

/// A previewed file: its bytes, kept until imported or discarded.
struct Previewed {
    token: u32,
    path: PathBuf,
    bytes: Vec<u8>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Adds the file's name to a refusal, so a person knows which file it was.
fn about_file(path: &Path) -> impl FnOnce(ApiError) -> ApiError + '_ {
    move |mut e| {
        e.message = format!("{}: {}", display_name(path), e.message);
        e
    }
}

impl Api {
    /// Queues files the app was asked to open (its command line, or a second launch),
    /// for `next_opened_engagement`. Relative paths are taken from `cwd`.
    pub fn open_files_later(&self, paths: impl IntoIterator<Item = PathBuf>, cwd: &Path) {
        let mut queue = lock(&self.engagement.queue);
        for p in paths {
            let p = if p.is_absolute() { p } else { cwd.join(p) };
            if !queue.contains(&p) {
                queue.push_back(p);
            }
        }
    }

    /// `next_opened_engagement`: the preview of the next file the app was asked to open;
    /// `null` when none is waiting. A file that cannot be imported is refused with its
    /// name and why (nothing is written), and leaves the queue.
    pub fn next_opened_engagement(&self) -> ApiResult<Option<EngagementPreview>> {
        let next = lock(&self.engagement.queue).pop_front();
        match next {
            None => Ok(None),
            Some(path) => self.preview_engagement_at(&path).map(Some),
        }
    }

    /// `choose_engagement`: the open dialog (`.cxmx`, or `.json` of earlier versions),
    /// then the chosen file's preview; `null` when the user cancelled.
    pub fn choose_engagement(&self) -> ApiResult<Option<EngagementPreview>> {
        let Some(path) = self.open_path(&ENGAGEMENT_OPEN)? else {
            return Ok(None);
        };
        self.preview_engagement_at(&path).map(Some)
    }

    /// Reads `path` and previews its import: every check of the import, on the
    /// database as it is, writing nothing; what a merge would add and change, and
    /// every concurrent edit.
    pub fn preview_engagement_at(&self, path: &Path) -> ApiResult<EngagementPreview> {
        let bytes = read_limited(path, MAX_ENGAGEMENT_BYTES, "an engagement file")?;
        let file = read_engagement(&bytes).map_err(|e| about_file(path)(e.into()))?;
        let dry = self
            .store()?
            .preview_engagement_file(&file)
            .map_err(|e| about_file(path)(ApiError::from(e)))?;
        let token = crate::data::next_token();
        *lock(&self.engagement.previewed) = Some(Previewed {
            token,
            path: path.to_path_buf(),
            bytes,
        });
        tracing::info!(
            token,
            merge = dry.merged,
            rounds = dry.rounds,
            respondents = dry.respondents,
            concurrent = dry.concurrent.len(),
            "engagement file previewed"
        );
        let count = |f: fn(&RoundChanges) -> u32| dry.round_changes.iter().map(f).sum::<u32>();
        Ok(EngagementPreview {
            token,
            file_name: display_name(path),
            organisation: file.payload.organisation.name.trim().to_string(),
            imported_as: dry.name.clone(),
            renamed: dry.renamed,
            format_version: dry.format_version,
            merge: dry.merged,
            organisation_id: dry.merged.then_some(dry.organisation),
            from: dry.from_name.clone(),
            changed: dry.changed,
            rounds: dry.round_changes.iter().map(preview_round).collect(),
            respondents: dry.respondents,
            answers: dry.answers,
            respondents_changed: count(|c| c.respondents_changed),
            respondents_deleted: count(|c| c.respondents_deleted),
            answers_changed: count(|c| c.answers_changed),
            rounds_deleted: count(|c| u32::from(c.deleted)),
            concurrent: dry.concurrent.iter().map(concurrent_edit).collect(),
            warnings: dry.warnings.clone(),
            models_added: dry.models_added,
            models_reused: dry.models_reused,
            more_waiting: lock(&self.engagement.queue).len() as u32,
        })
    }

    /// `import_previewed_engagement`: imports the file previewed under `token` — the
    /// bytes shown, not the file as it may be now — as a new organisation, in one
    /// transaction. An unknown token (discarded, or imported already) is refused.
    pub fn import_previewed_engagement(&self, token: u32) -> ApiResult<ImportEngagementOutcome> {
        let previewed = {
            let mut slot = lock(&self.engagement.previewed);
            match slot.as_ref() {
                Some(p) if p.token == token => slot.take(),
                _ => None,
            }
        };
        let Some(p) = previewed else {
            return Err(ApiError::new(
                ErrorCode::StalePreview,
                "this preview is no longer current (imported or cancelled already): open the file again",
            ));
        };
        self.import_engagement_bytes(&p.path, &p.bytes)
    }

    /// Imports an engagement file's `bytes` (read from `path`, named in any refusal) as
    /// a new organisation, in one transaction: what `import_previewed_engagement` and
    /// `cxm org import` share.
    pub(crate) fn import_engagement_bytes(
        &self,
        path: &Path,
        bytes: &[u8],
    ) -> ApiResult<ImportEngagementOutcome> {
        let done = self
            .store()?
            .import_engagement(bytes)
            .map_err(|e| about_file(path)(ApiError::from(e)))?;
        tracing::info!(
            organisation = done.organisation,
            merged = done.merged,
            changed = done.changed,
            rounds = done.rounds,
            respondents = done.respondents,
            answers = done.answers,
            concurrent = done.concurrent.len(),
            "engagement imported"
        );
        Ok(outcome(done))
    }

    /// `discard_engagement`: forgets the previewed file (Cancel). Unknown tokens are
    /// ignored.
    pub fn discard_engagement(&self, token: u32) {
        let mut slot = lock(&self.engagement.previewed);
        if slot.as_ref().is_some_and(|p| p.token == token) {
            *slot = None;
        }
    }
}

fn preview_round(c: &RoundChanges) -> EngagementPreviewRound {
    EngagementPreviewRound {
        title: c.title.clone(),
        date: c.date.clone(),
        status: if c.status == "closed" {
            RoundStatus::Closed
        } else {
            RoundStatus::Open
        },
        model: c.model.clone(),
        added: c.added,
        deleted: c.deleted,
        status_changed: c.status_changed,
        respondents: c.respondents_added,
        answers: c.answers_added,
        respondents_changed: c.respondents_changed,
        respondents_deleted: c.respondents_deleted,
        answers_changed: c.answers_changed,
    }
}

fn edit_side(s: &cxm_store::merge::EditSide) -> EditSide {
    EditSide {
        answer: s.answer.clone(),
        note: s.note.clone(),
        at: s.at.clone(),
        by: s.by.clone(),
    }
}

/// A concurrent edit as the UI shows it.
pub(crate) fn concurrent_edit(c: &cxm_store::merge::ConcurrentEdit) -> ConcurrentEdit {
    ConcurrentEdit {
        round: c.round.clone(),
        respondent: c.respondent.clone(),
        question: c.question.clone(),
        kept: edit_side(&c.kept),
        replaced: c.replaced.iter().map(edit_side).collect(),
    }
}

/// What an import did, as the UI and the CLI show it.
pub(crate) fn outcome(done: ImportedEngagement) -> ImportEngagementOutcome {
    let count = |f: fn(&RoundChanges) -> u32| done.round_changes.iter().map(f).sum::<u32>();
    ImportEngagementOutcome {
        organisation: Some(done.organisation),
        respondents_changed: count(|c| c.respondents_changed),
        respondents_deleted: count(|c| c.respondents_deleted),
        answers_changed: count(|c| c.answers_changed),
        rounds_deleted: count(|c| u32::from(c.deleted)),
        concurrent: done.concurrent.iter().map(concurrent_edit).collect(),
        merged: done.merged,
        changed: done.changed,
        warnings: done.warnings,
        name: done.name,
        renamed: done.renamed,
        rounds: done.rounds,
        respondents: done.respondents,
        answers: done.answers,
        models_added: done.models_added,
    }
}
