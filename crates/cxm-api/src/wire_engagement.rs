//! What crosses IPC for engagement files opened in the app (issue 16): the preview shown
//! before an engagement file is imported, whether it was chosen with *Import
//! engagement…*, double-clicked in the file manager, or handed to the running app by a
//! second launch. Like [`crate::wire`], from which these are re-exported, the
//! TypeScript types are generated from them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::wire::RoundStatus;

/// What importing an engagement file would do, worked out by a dry run on the
/// database as it is (nothing written yet). `import_previewed_engagement(token)`
/// imports exactly the bytes previewed; `discard_engagement(token)` forgets them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EngagementPreview {
    /// Names this preview for `import_previewed_engagement` / `discard_engagement`.
    pub token: u32,
    /// The file's name (without its folder).
    pub file_name: String,
    /// The organisation's name in the file.
    pub organisation: String,
    /// The name it will have here: the file's, or with "(imported YYYY-MM-DD)" when an
    /// organisation of that name exists already.
    pub imported_as: String,
    /// `imported_as` differs from the file's name.
    pub renamed: bool,
    /// The file's format version (1: before merging existed; imported as a new
    /// organisation).
    pub format_version: u32,
    /// The organisation is stored here already (the same organisation, by its id):
    /// the file is merged into it rather than added.
    pub merge: bool,
    /// The organisation it merges into (when `merge`).
    #[ts(type = "number | null")]
    pub organisation_id: Option<i64>,
    /// The name of the installation that wrote the file ("Ben's laptop"), format 2.
    pub from: Option<String>,
    /// Anything would change; `false` for a file whose every change is here already.
    pub changed: bool,
    /// The rounds it adds or changes (every round of a new organisation), by date.
    pub rounds: Vec<EngagementPreviewRound>,
    /// Respondents added, in all rounds.
    pub respondents: u32,
    /// Answers (scale values, don't know, n/a) added, in all rounds.
    pub answers: u32,
    /// Respondents whose name, role group, department or interview date changes.
    pub respondents_changed: u32,
    /// Respondents deleted (deleted on another laptop).
    pub respondents_deleted: u32,
    /// Answers or notes changed or cleared.
    pub answers_changed: u32,
    /// Rounds deleted (deleted on another laptop).
    pub rounds_deleted: u32,
    /// Answers changed on two laptops since they last exchanged: the most recent
    /// change is kept, the other stays in the answer's history.
    pub concurrent: Vec<ConcurrentEdit>,
    /// What to know before importing (two respondents of one round with the same name,
    /// the same survey submission imported on two laptops, …).
    pub warnings: Vec<String>,
    /// Model versions the file brings that this database does not have (`id@version`).
    pub models_added: Vec<String>,
    /// Model versions the file uses that are stored here with the identical text.
    pub models_reused: Vec<String>,
    /// More files are waiting to be previewed after this one (several files were
    /// opened at once).
    pub more_waiting: u32,
}

/// One round of a previewed engagement file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EngagementPreviewRound {
    /// Title.
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Open or closed (kept on import).
    pub status: RoundStatus,
    /// The pinned model version, `id@version`.
    pub model: String,
    /// New here (`false`: merged into the round stored here).
    pub added: bool,
    /// Deleted on another laptop: removed here with its respondents.
    pub deleted: bool,
    /// Closed or reopened on another laptop.
    pub status_changed: bool,
    /// Respondents added.
    pub respondents: u32,
    /// Answers (scale values, don't know, n/a) added.
    pub answers: u32,
    /// Respondents whose details change.
    pub respondents_changed: u32,
    /// Respondents deleted.
    pub respondents_deleted: u32,
    /// Answers or notes changed or cleared.
    pub answers_changed: u32,
}

/// One side of a concurrent edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EditSide {
    /// `"0"`..`"S"`, `"dk"`, `"na"`; `null`: no answer.
    pub answer: Option<String>,
    /// The note.
    pub note: Option<String>,
    /// When (RFC 3339 UTC).
    pub at: String,
    /// The installation's name.
    pub by: String,
}

/// The same answer changed on two laptops since they last exchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ConcurrentEdit {
    /// The round's title.
    pub round: String,
    /// The respondent's name.
    pub respondent: String,
    /// The question id.
    pub question: String,
    /// The change kept (the most recent).
    pub kept: EditSide,
    /// The change(s) it won over (kept in the answer's history).
    pub replaced: Vec<EditSide>,
}

/// Settings → Team folder: the folder, this installation's name, the organisations
/// shared, and the last synchronisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TeamFolder {
    /// The folder (kept in sync by OneDrive, SharePoint, Dropbox, Syncthing, a network
    /// share…); `null` when none is set.
    pub folder: Option<String>,
    /// This installation's name, as others see it ("Anna's laptop").
    pub installation_name: String,
    /// This installation's id (the end of the file names it writes).
    pub installation_id: String,
    /// Organisations shared there, with their names.
    pub shared: Vec<SharedOrganisation>,
    /// The last synchronisation since the app started; `null` before the first.
    pub last_sync: Option<SyncReport>,
    /// How often the app runs a pass while it is open, in seconds.
    pub sync_every_seconds: u32,
}

/// An organisation shared in the team folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SharedOrganisation {
    /// Its id.
    #[ts(type = "number")]
    pub id: i64,
    /// Its name.
    pub name: String,
}

/// What one pass over the team folder did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SyncReport {
    /// When it ran (RFC 3339 UTC).
    pub at: String,
    /// The folder.
    pub folder: String,
    /// Other installations' files read.
    pub files_read: u32,
    /// This installation's files written (only those whose data changed).
    pub files_written: u32,
    /// What came in, per file that changed something.
    pub received: Vec<SyncReceived>,
    /// Concurrent edits found, each listed once.
    pub concurrent: Vec<ConcurrentEdit>,
    /// Files skipped, with why (nothing of theirs was merged).
    pub skipped: Vec<SyncSkipped>,
    /// What to know (names twice in a round, …).
    pub warnings: Vec<String>,
}

/// What one file of the team folder brought.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SyncReceived {
    /// The file's name.
    pub file_name: String,
    /// Who wrote it ("Ben's laptop").
    pub from: String,
    /// The organisation.
    #[ts(type = "number")]
    pub organisation_id: i64,
    /// Its name.
    pub organisation: String,
    /// The organisation is new here.
    pub new_organisation: bool,
    /// Rounds added.
    pub rounds_added: u32,
    /// Rounds deleted.
    pub rounds_deleted: u32,
    /// Respondents added.
    pub respondents_added: u32,
    /// Respondents changed.
    pub respondents_changed: u32,
    /// Respondents deleted.
    pub respondents_deleted: u32,
    /// Answers added.
    pub answers_added: u32,
    /// Answers or notes changed.
    pub answers_changed: u32,
}

/// A file of the team folder that could not be merged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SyncSkipped {
    /// The file's name.
    pub file_name: String,
    /// Why (the refusal's message).
    pub reason: String,
}

/// An installation an organisation's data came from (the organisation page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DataSource {
    /// The installation's name.
    pub name: String,
    /// This installation.
    pub this: bool,
    /// Respondents it created or last changed.
    pub respondents: u32,
    /// Current answers and notes it last changed.
    pub answers: u32,
    /// `exported_at` of its file last merged here (RFC 3339 UTC); `null` for this
    /// installation and one whose data came only through another's file.
    pub file_written_at: Option<String>,
    /// When that file was merged here.
    pub merged_at: Option<String>,
}

/// One version of an answer (the questionnaire's history), newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AnswerVersion {
    /// When (RFC 3339 UTC); `""` for an answer kept from before versions were recorded.
    pub at: String,
    /// The installation's name.
    pub by: String,
    /// This installation.
    pub this: bool,
    /// `"0"`..`"S"`, `"dk"`, `"na"`; `null`: no answer (cleared, or only a note).
    pub answer: Option<String>,
    /// The note.
    pub note: Option<String>,
    /// The current version.
    pub current: bool,
    /// Changed on another laptop from the same answer before they exchanged (a
    /// concurrent edit).
    pub concurrent: bool,
}

/// Every root type of this module, for [`crate::wire`]'s binding export.
macro_rules! for_each_engagement_wire_type {
    ($m:ident) => {
        $m!(
            EngagementPreview,
            EngagementPreviewRound,
            EditSide,
            ConcurrentEdit,
            TeamFolder,
            SharedOrganisation,
            SyncReport,
            SyncReceived,
            SyncSkipped,
            DataSource,
            AnswerVersion
        )
    };
}
pub(crate) use for_each_engagement_wire_type;
