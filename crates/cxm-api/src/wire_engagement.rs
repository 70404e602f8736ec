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
    /// The rounds it brings, in the file's order (by date).
    pub rounds: Vec<EngagementPreviewRound>,
    /// Respondents in all rounds.
    pub respondents: u32,
    /// Answers (scale values, don't know, n/a) in all rounds.
    pub answers: u32,
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
    /// Respondents.
    pub respondents: u32,
    /// Answers (scale values, don't know, n/a).
    pub answers: u32,
}

/// Every root type of this module, for [`crate::wire`]'s binding export.
macro_rules! for_each_engagement_wire_type {
    ($m:ident) => {
        $m!(EngagementPreview, EngagementPreviewRound)
    };
}
pub(crate) use for_each_engagement_wire_type;
