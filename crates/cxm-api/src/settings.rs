//! The Settings screen's commands: report branding (prepared by, logo, who quotes are
//! attributed to), the thresholds,
//! where the database lives, and backups with restore. Plain methods of [`Api`], like
//! the others in `api.rs`, tested without a window.
//!
//! Backups go through `cxm_store::backup`: taken with SQLite's online backup API
//! through their own read-only connection (the app's connection, behind the store's
//! mutex, keeps saving answers meanwhile), one at a time (a backup lock), into
//! `<database folder>/backups/`. The automatic one runs on its own thread a few
//! seconds after start ([`Api::spawn_automatic_backup`]), at most once a day.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use cxm_domain::scoring;
use cxm_store::backup::{self as store_backup, BackupOptions, MAX_KEEP};
use cxm_store::logo::{self as store_logo, Logo};
use cxm_store::{BackupInfo, Store};

use crate::wire::{
    ApiError, BackupEntry, BackupReason, BackupsView, ChooseLogoOutcome, DatabaseHealth, ErrorCode,
    LogoView, RestoreOutcome, SettingsView, ThresholdsView,
};
use crate::{Api, ApiResult, DialogSpec};

/// The setting that makes the board report attribute quotes by name: `true` or
/// `false`; missing (or anything else) is `false`, quotes by role group.
pub const SETTING_ATTRIBUTE_QUOTES: &str = "report.attribute_quotes";

/// Whether the board report attributes quotes by name ([`SETTING_ATTRIBUTE_QUOTES`]).
pub(crate) fn attribute_quotes(store: &Store) -> ApiResult<bool> {
    Ok(store.setting(SETTING_ATTRIBUTE_QUOTES)?.as_deref() == Some("true"))
}

/// How long after start the automatic backup waits, so the first screen never competes
/// with it.
pub const AUTOMATIC_BACKUP_DELAY: Duration = Duration::from_secs(3);

/// The Settings screen's backup state, kept in [`Api`].
pub struct SettingsHooks {
    /// One backup or restore at a time.
    backup_lock: Mutex<()>,
    /// Why the last automatic backup failed.
    automatic_error: Mutex<Option<String>>,
    /// The damage check after start: `None` until it ran, then what it found (`None`
    /// inside: nothing).
    integrity: Mutex<Option<Option<String>>>,
}

impl Default for SettingsHooks {
    fn default() -> SettingsHooks {
        SettingsHooks {
            backup_lock: Mutex::new(()),
            automatic_error: Mutex::new(None),
            integrity: Mutex::new(None),
        }
    }
}

impl std::fmt::Debug for SettingsHooks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SettingsHooks").finish_non_exhaustive()
    }
}

fn logo_view(logo: &Logo) -> LogoView {
    LogoView {
        data_url: format!("data:image/png;base64,{}", logo.base64()),
        width: logo.width,
        height: logo.height,
    }
}

fn entry(b: &BackupInfo) -> BackupEntry {
    BackupEntry {
        file_name: b.file_name.clone(),
        created_at: b.created_at_text(),
        bytes: b.bytes,
        reason: match b.reason {
            cxm_store::BackupReason::Automatic => BackupReason::Automatic,
            cxm_store::BackupReason::Manual => BackupReason::Manual,
            cxm_store::BackupReason::BeforeRestore => BackupReason::BeforeRestore,
        },
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Api {
    /// The database file, or `no_database` for an app without one.
    fn db_file(&self) -> ApiResult<&Path> {
        self.db_path
            .as_deref()
            .ok_or_else(|| ApiError::new(ErrorCode::NoDatabase, "the app has no database file"))
    }

    fn backup_folder(&self) -> ApiResult<PathBuf> {
        Ok(store_backup::backup_dir(self.db_file()?))
    }

    /// `settings`.
    pub fn settings(&self) -> ApiResult<SettingsView> {
        let store = self.store()?;
        let prepared_by = store.prepared_by()?.unwrap_or_default();
        let logo = store.logo()?.as_ref().map(logo_view);
        let attribute_quotes = attribute_quotes(&store)?;
        let key = store.default_model_key()?;
        let (_, model) = store.model_by_key(&key)?;
        let options = store.backup_options()?;
        drop(store);
        let thresholds = ThresholdsView {
            model_key: key,
            model_title: model.title.clone(),
            mastery_threshold: model.threshold,
            anonymity_threshold: model.anonymity_threshold,
            flag_threshold: scoring::ALIGNMENT_FLAG,
        };
        let (backup_dir, list) = match self.backup_folder() {
            Ok(dir) => {
                let list = store_backup::list_backups(&dir)?;
                (dir.display().to_string(), list.iter().map(entry).collect())
            }
            Err(_) => (String::new(), Vec::new()),
        };
        Ok(SettingsView {
            prepared_by,
            prepared_by_max: store_logo::MAX_PREPARED_BY_CHARS as u32,
            logo,
            attribute_quotes,
            thresholds,
            db_path: self
                .db_path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            backup_dir,
            backups: BackupsView {
                enabled: options.enabled,
                keep: options.keep,
                max_keep: MAX_KEEP,
                list,
                automatic_error: lock(&self.settings.automatic_error).clone(),
            },
        })
    }

    /// `set_prepared_by`: blank text removes it.
    pub fn set_prepared_by(&self, text: &str) -> ApiResult<()> {
        Ok(self.store()?.set_prepared_by(text)?)
    }

    /// `set_attribute_quotes`: whether the board report (`export_pdf`) attributes
    /// interview quotes by name instead of by role group.
    pub fn set_attribute_quotes(&self, on: bool) -> ApiResult<()> {
        Ok(self
            .store()?
            .set_setting(SETTING_ATTRIBUTE_QUOTES, if on { "true" } else { "false" })?)
    }

    /// `choose_logo`: asks for a PNG or JPEG file (or takes `CXM_OPEN_PATH`), checks it,
    /// scales it to fit 1200 × 400 pixels and stores it as PNG. A file that is not a PNG
    /// or JPEG image, or too large, is refused (`invalid`) and nothing changes.
    pub fn choose_logo(&self) -> ApiResult<ChooseLogoOutcome> {
        let path = match &self.seams.open_path {
            Some(p) => p.clone(),
            None => match self.host.open_dialog(&DialogSpec::LOGO)? {
                Some(p) => p,
                None => return Ok(ChooseLogoOutcome { logo: None }),
            },
        };
        let logo = store_logo::read_logo_file(&path)?;
        self.store()?.set_logo(Some(&logo))?;
        Ok(ChooseLogoOutcome {
            logo: Some(logo_view(&logo)),
        })
    }

    /// `remove_logo`.
    pub fn remove_logo(&self) -> ApiResult<()> {
        Ok(self.store()?.set_logo(None)?)
    }

    /// `set_backup_options`: automatic backups on or off, how many to keep (1..=100).
    /// Fewer to keep deletes the oldest beyond the new number now.
    pub fn set_backup_options(&self, enabled: bool, keep: u32) -> ApiResult<()> {
        self.store()?
            .set_backup_options(BackupOptions { enabled, keep })?;
        if let Ok(dir) = self.backup_folder() {
            let _guard = lock(&self.settings.backup_lock);
            store_backup::prune_backups(&dir, keep)?;
        }
        Ok(())
    }

    /// `back_up_now`: a backup now, then the oldest beyond the number to keep are deleted.
    pub fn back_up_now(&self) -> ApiResult<BackupEntry> {
        self.back_up_now_at(self.host.now())
    }

    /// `back_up_now` at a given time (tests).
    pub fn back_up_now_at(&self, now: DateTime<Utc>) -> ApiResult<BackupEntry> {
        let keep = self.store()?.backup_options()?.keep;
        let db = self.db_file()?;
        let dir = self.backup_folder()?;
        let _guard = lock(&self.settings.backup_lock);
        let made = store_backup::back_up_file(db, &dir, now, cxm_store::BackupReason::Manual)?;
        crate::logging::backup_written(&made.file_name, made.bytes);
        store_backup::prune_backups(&dir, keep)?;
        Ok(entry(&made))
    }

    /// The automatic backup at `now`: nothing when automatic backups are off or the
    /// newest backup is younger than 24 hours (`Ok(None)`). A failure is kept for the
    /// Settings screen (`backups.automatic_error`) and returned.
    pub fn automatic_backup_at(&self, now: DateTime<Utc>) -> ApiResult<Option<BackupEntry>> {
        let result = (|| -> ApiResult<Option<BackupEntry>> {
            let options = self.store()?.backup_options()?;
            if !options.enabled {
                return Ok(None);
            }
            let db = self.db_file()?;
            let _guard = lock(&self.settings.backup_lock);
            Ok(store_backup::automatic_backup(db, options.keep, now)?.map(|b| entry(&b)))
        })();
        match &result {
            Ok(Some(b)) => crate::logging::backup_written(&b.file_name, b.bytes),
            Err(e) => crate::logging::backup_failed(e.code),
            Ok(None) => {}
        }
        *lock(&self.settings.automatic_error) = result.as_ref().err().map(|e| e.message.clone());
        result
    }

    /// Checks the database file for damage (SQLite's quick check, through its own
    /// read-only connection, so answers keep being saved meanwhile) and keeps what it
    /// found for [`Api::database_health`]. Returns the problem, if any.
    pub fn check_database(&self) -> Option<String> {
        let found = match self.db_file() {
            Ok(db) => match store_backup::check_file_integrity(db) {
                Ok(()) => None,
                Err(e) if e.code() == "damaged_database" => Some(e.to_string()),
                // Busy, or unreadable for another reason: not damage; say nothing.
                Err(_) => None,
            },
            Err(_) => None,
        };
        *lock(&self.settings.integrity) = Some(found.clone());
        found
    }

    /// `database_health`: the damage found by the check after start, and whether the
    /// database is open read-only.
    pub fn database_health(&self) -> ApiResult<DatabaseHealth> {
        let read_only = self.store()?.read_only().map(|why| {
            format!(
                "The database is open read-only ({why}): you can look at everything, but nothing you change can be saved. Move it to a folder you can write to, or ask for write access."
            )
        });
        let integrity = lock(&self.settings.integrity).clone();
        Ok(DatabaseHealth {
            checked: integrity.is_some(),
            damage: integrity.flatten(),
            read_only,
        })
    }

    /// Runs the damage check, then the automatic backup, on a thread of its own after
    /// [`AUTOMATIC_BACKUP_DELAY`]: the window never waits for them. A damaged database
    /// is not backed up (the good backups stay as they are). Without a database it does
    /// nothing.
    pub fn spawn_automatic_backup(api: &Arc<Api>) {
        let api = Arc::clone(api);
        let spawned = std::thread::Builder::new()
            .name("cxm-backup".into())
            .spawn(move || {
                std::thread::sleep(AUTOMATIC_BACKUP_DELAY);
                if api.store().is_err() {
                    return;
                }
                if let Some(problem) = api.check_database() {
                    eprintln!("cx-maturity: {problem}");
                    *lock(&api.settings.automatic_error) = Some(problem);
                    return;
                }
                if let Err(e) = api.automatic_backup_at(api.host.now()) {
                    eprintln!("cx-maturity: the automatic backup failed: {}", e.message);
                }
            });
        if let Err(e) = spawned {
            eprintln!("cx-maturity: the automatic backup could not start: {e}");
        }
    }

    /// `restore_backup`: replaces the database's content with the backup `file_name`
    /// (a name from `settings.backups.list`). The file is checked first (a CX Maturity
    /// database this build can open, not damaged); a refused file changes nothing.
    /// Then the current state is backed up (`before_restore`), and the backup is copied
    /// into the open database with the online backup API, atomically.
    pub fn restore_backup(&self, file_name: &str) -> ApiResult<RestoreOutcome> {
        // The database is about to be replaced: a collection would write into it.
        self.round_gone(None);
        self.restore_backup_at(file_name, self.host.now())
    }

    /// `restore_backup` at a given time (tests).
    pub fn restore_backup_at(
        &self,
        file_name: &str,
        now: DateTime<Utc>,
    ) -> ApiResult<RestoreOutcome> {
        let db = self.db_file()?.to_path_buf();
        let dir = self.backup_folder()?;
        let _guard = lock(&self.settings.backup_lock);
        let chosen = store_backup::list_backups(&dir)?
            .into_iter()
            .find(|b| b.file_name == file_name)
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::NotFound,
                    format!(
                        "there is no backup named {file_name:?} in {}",
                        dir.display()
                    ),
                )
            })?;
        store_backup::verify_backup(&chosen.path)?;
        // Checked before the safety backup, so a refused restore leaves no trace.
        self.store()?;
        // The state before, kept: a backup; or, when the database is damaged (the
        // backup refuses it), a plain copy of its file, kept apart from the backups.
        let (safety, kept_damaged) = match store_backup::back_up_file(
            &db,
            &dir,
            now,
            cxm_store::BackupReason::BeforeRestore,
        ) {
            Ok(made) => (made, false),
            Err(e) if e.code() == "damaged_database" => {
                (store_backup::keep_damaged_copy(&db, &dir, now)?, true)
            }
            Err(e) => return Err(e.into()),
        };
        let mut store = self.store()?;
        let restored: &mut Store = &mut store;
        restored.restore_from(&chosen.path)?;
        drop(store);
        // The database now in use is the backup, which was checked.
        *lock(&self.settings.integrity) = Some(None);
        Ok(RestoreOutcome {
            restored: entry(&chosen),
            safety_backup: entry(&safety),
            kept_damaged,
        })
    }

    /// `reveal_database`: shows the database file in the file manager; `false` when
    /// that could not be done (or `CXM_NO_OPEN` is set).
    pub fn reveal_database(&self) -> ApiResult<bool> {
        let db = self.db_file()?;
        Ok(!self.seams.no_open && self.host.reveal(db))
    }
}
