//! The IPC types of the Settings screen (report branding, thresholds, the database's
//! place, backups and restore); re-exported by [`crate::wire`], with bindings
//! generated like the others.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Everything the Settings screen shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SettingsView {
    /// The "prepared by" text of the report's cover ("" when unset).
    pub prepared_by: String,
    /// The longest "prepared by" text, in characters.
    pub prepared_by_max: u32,
    /// The report's logo, `null` when there is none.
    pub logo: Option<LogoView>,
    /// Whether the board report attributes interview quotes by name (off by default:
    /// to the role group, and the department where enough respondents share both).
    pub attribute_quotes: bool,
    /// The default model's thresholds.
    pub thresholds: ThresholdsView,
    /// The database file ("" when the platform has no data folder).
    pub db_path: String,
    /// The backups' folder ("" without a database file).
    pub backup_dir: String,
    /// Backup settings and the backups, newest first.
    pub backups: BackupsView,
}

/// The report logo, as stored (PNG, scaled to fit 1200 × 400 pixels).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LogoView {
    /// `data:image/png;base64,…`, for an `<img>` (the CSP allows `data:` images).
    pub data_url: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// The thresholds the figures are judged by: the default model's, and the alignment flag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ThresholdsView {
    /// The default model version (`id@version`).
    pub model_key: String,
    /// Its title.
    pub model_title: String,
    /// Mastery threshold τ (0..1): a question or phase counts as mastered at or above it.
    pub mastery_threshold: f64,
    /// Role groups with fewer respondents than this are hidden in the alignment.
    pub anonymity_threshold: u32,
    /// An alignment gap at or above this is flagged (0.25).
    pub flag_threshold: f64,
}

/// Backup settings and the backups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct BackupsView {
    /// Automatic backups at start, at most once a day.
    pub enabled: bool,
    /// How many backups are kept (older ones are deleted after each backup).
    pub keep: u32,
    /// The most that can be kept.
    pub max_keep: u32,
    /// The backups, newest first.
    pub list: Vec<BackupEntry>,
    /// Why the last automatic backup failed, `null` when it did not fail.
    pub automatic_error: Option<String>,
}

/// Why a backup was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BackupReason {
    /// At start, at most once a day.
    Automatic,
    /// "Back up now".
    Manual,
    /// The state just before a restore.
    BeforeRestore,
}

/// One backup file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BackupEntry {
    /// The file's name in the backup folder (what `restore_backup` takes).
    pub file_name: String,
    /// When it was taken (RFC 3339 UTC, to the second).
    pub created_at: String,
    /// Its size in bytes.
    #[ts(type = "number")]
    pub bytes: u64,
    /// Why it was taken.
    pub reason: BackupReason,
}

/// What `choose_logo` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ChooseLogoOutcome {
    /// The stored logo; `null` when the user cancelled the dialog (nothing changed).
    pub logo: Option<LogoView>,
}

/// What `restore_backup` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RestoreOutcome {
    /// The backup now in the database.
    pub restored: BackupEntry,
    /// The backup of the state the restore replaced.
    pub safety_backup: BackupEntry,
    /// The state replaced was damaged, so `safety_backup` is a plain copy of its file
    /// (`cxm-damaged-….sqlite` in the backups folder, for examination), kept apart from
    /// the backups: not listed, not restorable.
    pub kept_damaged: bool,
}

/// Whether the database can be trusted and written: what the banner over every screen
/// says. The damage check (SQLite's quick check) runs on its own thread a few seconds
/// after start, so `checked` is false until it has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DatabaseHealth {
    /// Whether the check after start has run.
    pub checked: bool,
    /// What the check found wrong, and what to do; `null` when nothing (or not checked).
    pub damage: Option<String>,
    /// Why the database is open read-only (nothing can be saved); `null` when writable.
    pub read_only: Option<String>,
}

/// Calls `$m!(…)` with every settings wire type (see `wire::export_bindings`).
macro_rules! for_each_settings_wire_type {
    ($m:ident) => {
        $m!(
            BackupEntry,
            DatabaseHealth,
            BackupReason,
            BackupsView,
            ChooseLogoOutcome,
            LogoView,
            RestoreOutcome,
            SettingsView,
            ThresholdsView
        )
    };
}
pub(crate) use for_each_settings_wire_type;
