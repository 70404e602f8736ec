//! Backups and restore with SQLite's online backup API.
//!
//! - A backup is a consistent snapshot of the live database, copied page by page in one
//!   read transaction (`sqlite3_backup_step(-1)`), never a file copy: it is taken while
//!   the app keeps writing. It is written to a temporary file in the backup folder,
//!   synced, and renamed into place, so a backup file is always complete.
//! - Backup files live in `<database folder>/backups/`, named
//!   `cxm-backup-YYYYMMDD-HHMMSS-<reason>[-n].sqlite` (UTC), so the name carries its
//!   time and why it was taken ([`BackupReason`]).
//! - [`automatic_backup`]: at most once a day (skipped while the newest backup is younger
//!   than 24 hours), then the oldest beyond the last N are deleted ([`prune_backups`]).
//! - Before every backup the database is checked (`PRAGMA quick_check`): a damaged
//!   database is reported ([`StoreError::DamagedInUse`], with what to do) and not
//!   backed up, so the rotation never replaces good backups with damaged ones.
//! - Temporary files are created exclusively, private to the user, and held locked
//!   while written; ones a killed backup left behind are deleted by the next backup.
//! - [`Store::restore_from`]: the file is checked first ([`verify_backup`]: ours, not
//!   damaged, not from a newer schema, and holding exactly the schema our migrations
//!   create — no foreign table, trigger, view or index); its content is then loaded into
//!   memory, brought up to date and read through as the app reads it (every model
//!   version parsed, every round loaded and scored); only then is it copied *into* the
//!   open connection with the online backup API, which replaces the live database in
//!   one write transaction: either all of it is restored or nothing changes.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, SecondsFormat, TimeDelta, Utc};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::files;
use crate::migrations::{APPLICATION_ID, expected_schema, schema_of};
use crate::{Result, Store, StoreError, open};

/// The backup folder's name, next to the database file.
pub const BACKUP_FOLDER: &str = "backups";
/// How many backups are kept when the setting was never changed.
pub const DEFAULT_KEEP: u32 = 10;
/// The most backups that can be kept.
pub const MAX_KEEP: u32 = 100;
/// An automatic backup is skipped while the newest backup is younger than this.
pub const AUTOMATIC_INTERVAL_HOURS: i64 = 24;

/// Setting: automatic backups on (`"true"`, the default) or off (`"false"`).
pub const SETTING_ENABLED: &str = "backup.enabled";
/// Setting: how many backups to keep (1..=100, default [`DEFAULT_KEEP`]).
pub const SETTING_KEEP: &str = "backup.keep";

const PREFIX: &str = "cxm-backup-";
const SUFFIX: &str = ".sqlite";
const STAMP: &str = "%Y%m%d-%H%M%S";

/// Why a backup was taken (the last part of its file name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BackupReason {
    /// At start, at most once a day.
    Automatic,
    /// "Back up now" (or `cxm backup`).
    Manual,
    /// The state just before a restore replaced it.
    BeforeRestore,
}

impl BackupReason {
    fn tag(self) -> &'static str {
        match self {
            BackupReason::Automatic => "auto",
            BackupReason::Manual => "manual",
            BackupReason::BeforeRestore => "before-restore",
        }
    }

    fn from_tag(tag: &str) -> Option<BackupReason> {
        [
            BackupReason::Automatic,
            BackupReason::Manual,
            BackupReason::BeforeRestore,
        ]
        .into_iter()
        .find(|r| r.tag() == tag)
    }
}

/// One backup file in the backup folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    /// The file.
    pub path: PathBuf,
    /// Its name (what the app sends back to restore it).
    pub file_name: String,
    /// When it was taken (from its name, to the second).
    pub created_at: DateTime<Utc>,
    /// Why.
    pub reason: BackupReason,
    /// Its size in bytes.
    pub bytes: u64,
}

impl BackupInfo {
    /// `created_at` as RFC 3339 UTC text.
    pub fn created_at_text(&self) -> String {
        self.created_at.to_rfc3339_opts(SecondsFormat::Secs, true)
    }
}

/// The backup folder of the database at `db_path`: `<its folder>/backups`.
pub fn backup_dir(db_path: &Path) -> PathBuf {
    db_path
        .parent()
        .map_or_else(|| PathBuf::from(BACKUP_FOLDER), |p| p.join(BACKUP_FOLDER))
}

/// Parses a backup file name: its time, reason and number within its second (1, 2, …).
/// `None` for any other file.
fn parse_name(name: &str) -> Option<(DateTime<Utc>, BackupReason, u32)> {
    let rest = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let stamp = rest.get(..15)?;
    let time = NaiveDateTime::parse_from_str(stamp, STAMP).ok()?.and_utc();
    let tail = rest.get(15..)?.strip_prefix('-')?;
    // "<reason>" or "<reason>-<n>" (a second backup in the same second).
    match BackupReason::from_tag(tail) {
        Some(reason) => Some((time, reason, 1)),
        None => {
            let (tag, n) = tail.rsplit_once('-')?;
            Some((time, BackupReason::from_tag(tag)?, n.parse().ok()?))
        }
    }
}

/// The backups in `dir`, newest first (by time, then number within the second). A missing folder has none.
pub fn list_backups(dir: &Path) -> Result<Vec<BackupInfo>> {
    let io = |source| StoreError::Io {
        action: "list the backups in",
        path: dir.to_path_buf(),
        source,
    };
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(e)),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(io)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((created_at, reason, n)) = parse_name(&name) else {
            continue;
        };
        let Ok(meta) = entry.metadata() else {
            continue; // deleted meanwhile
        };
        if !meta.is_file() {
            continue;
        }
        found.push((
            n,
            BackupInfo {
                path: entry.path(),
                file_name: name,
                created_at,
                reason,
                bytes: meta.len(),
            },
        ));
    }
    found.sort_by(|(na, a), (nb, b)| {
        (b.created_at, nb, &b.file_name).cmp(&(a.created_at, na, &a.file_name))
    });
    Ok(found.into_iter().map(|(_, b)| b).collect())
}

/// Deletes the oldest backups in `dir` beyond the newest `keep` (at least one is always
/// kept). Returns the deleted files.
pub fn prune_backups(dir: &Path, keep: u32) -> Result<Vec<PathBuf>> {
    let keep = keep.max(1) as usize;
    let mut deleted = Vec::new();
    for old in list_backups(dir)?.into_iter().skip(keep) {
        match std::fs::remove_file(&old.path) {
            Ok(()) => deleted.push(old.path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(StoreError::Io {
                    action: "delete the old backup",
                    path: old.path,
                    source,
                });
            }
        }
    }
    Ok(deleted)
}

/// Whether an automatic backup is due at `now`, given the newest backup's time: when
/// there is none, or it is at least 24 hours old (or dated in the future: a clock that
/// was wrong must not stop backups for good).
pub fn automatic_backup_due(newest: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    match newest {
        None => true,
        Some(t) => {
            let age = now - t;
            age >= TimeDelta::hours(AUTOMATIC_INTERVAL_HOURS) || age < TimeDelta::zero()
        }
    }
}

/// The automatic backup of the database at `db_path`, as the app runs it at start:
/// skipped (`Ok(None)`) while the newest backup in its backup folder is younger than
/// 24 hours; otherwise a backup through a separate read-only connection (the app's own
/// connection keeps working meanwhile), then the oldest beyond `keep` are deleted.
pub fn automatic_backup(
    db_path: &Path,
    keep: u32,
    now: DateTime<Utc>,
) -> Result<Option<BackupInfo>> {
    let dir = backup_dir(db_path);
    let newest = list_backups(&dir)?.first().map(|b| b.created_at);
    if !automatic_backup_due(newest, now) {
        return Ok(None);
    }
    let made = back_up_file(db_path, &dir, now, BackupReason::Automatic)?;
    prune_backups(&dir, keep)?;
    Ok(Some(made))
}

/// Backs up the database file at `db_path` into `dir` through its own read-only
/// connection (so the caller's connection is not held meanwhile). The file is checked
/// as [`Store::open`] checks it first.
pub fn back_up_file(
    db_path: &Path,
    dir: &Path,
    now: DateTime<Utc>,
    reason: BackupReason,
) -> Result<BackupInfo> {
    open::inspect_existing(db_path)?;
    let src = Connection::open_with_flags(
        db_path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    src.busy_timeout(Duration::from_millis(5000))?;
    write_backup(&src, Some(db_path), dir, now, reason)
}

/// The backup settings: automatic backups on or off, and how many backups to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackupOptions {
    /// Automatic backups at start (at most daily).
    pub enabled: bool,
    /// How many backups to keep (1..=[`MAX_KEEP`]).
    pub keep: u32,
}

impl Default for BackupOptions {
    fn default() -> BackupOptions {
        BackupOptions {
            enabled: true,
            keep: DEFAULT_KEEP,
        }
    }
}

impl Store {
    /// The backup settings (defaults for settings never set or unreadable).
    pub fn backup_options(&self) -> Result<BackupOptions> {
        let default = BackupOptions::default();
        let enabled = self
            .setting(SETTING_ENABLED)?
            .map_or(default.enabled, |v| v.trim() != "false");
        let keep = self
            .setting(SETTING_KEEP)?
            .and_then(|v| v.trim().parse::<u32>().ok())
            .filter(|k| (1..=MAX_KEEP).contains(k))
            .unwrap_or(default.keep);
        Ok(BackupOptions { enabled, keep })
    }

    /// Stores the backup settings; `keep` must be 1..=[`MAX_KEEP`].
    pub fn set_backup_options(&mut self, options: BackupOptions) -> Result<()> {
        if !(1..=MAX_KEEP).contains(&options.keep) {
            return Err(StoreError::Invalid(format!(
                "the number of backups to keep must be 1 to {MAX_KEEP}, not {}",
                options.keep
            )));
        }
        let tx = crate::write_tx(&mut self.conn)?;
        for (k, v) in [
            (SETTING_ENABLED, options.enabled.to_string()),
            (SETTING_KEEP, options.keep.to_string()),
        ] {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [k, v.as_str()],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Backs up this database into `dir` through this connection, named with the
    /// store's clock (see the module's documentation). An in-memory store can be backed
    /// up too. A damaged database is not backed up ([`StoreError::DamagedInUse`]).
    pub fn back_up(&self, dir: &Path, reason: BackupReason) -> Result<BackupInfo> {
        write_backup(
            &self.conn,
            self.path.as_deref(),
            dir,
            (self.clock)(),
            reason,
        )
    }

    /// Writes a consistent copy of this database to exactly `dest` (through a temporary
    /// file next to it and a rename; an existing file is replaced). For `cxm backup -o`.
    /// Refused when `dest` is this database or one of its side files, or when the
    /// database is damaged.
    pub fn back_up_to(&self, dest: &Path) -> Result<()> {
        self.check_output(dest)?;
        ensure_whole(&self.conn, self.path.as_deref())?;
        copy_to(&self.conn, dest)
    }

    /// `PRAGMA quick_check` of this database: `Err(`[`StoreError::DamagedInUse`]`)`,
    /// saying what to do, when it finds damage.
    pub fn check_integrity(&self) -> Result<()> {
        ensure_whole(&self.conn, self.path.as_deref())
    }

    /// Replaces this database's content with the backup at `file`, atomically.
    ///
    /// The file is checked first ([`verify_backup`]); a foreign, damaged or newer file,
    /// or one with a schema of its own, is refused and nothing changes. Its content is
    /// then copied into memory, migrated when it comes from an older version, and read
    /// through (every model version, organisation and round; a value this build cannot
    /// read refuses the file). Then the online backup API copies it into this
    /// connection in one write transaction.
    pub fn restore_from(&mut self, file: &Path) -> Result<()> {
        if let Some(db) = &self.path
            && files::refuse_database(file, db).is_err()
        {
            return Err(StoreError::Invalid(format!(
                "{} is the database in use, not a backup of it: choose a backup file; nothing was restored",
                file.display()
            )));
        }
        verify_backup(file)?;
        let checked = load_checked(file)?;
        {
            let backup = Backup::new(&checked.conn, &mut self.conn)?;
            run(&backup)?;
        }
        drop(checked);
        // Model-version ids may now mean other versions.
        self.models = crate::ModelCache::default();
        open::configure(&self.conn)?;
        open::migrate_and_seed(&mut self.conn, self.path.as_deref())?;
        open::use_wal(&self.conn)?;
        self.ensure_default_model()?;
        Ok(())
    }
}

/// The backup at `file` loaded into memory, brought to the current schema, and read
/// through as the app reads it. Refused as [`StoreError::Damaged`] (saying nothing was
/// restored) when anything in it cannot be read.
fn load_checked(file: &Path) -> Result<Store> {
    let unreadable = |e: StoreError| StoreError::Damaged {
        path: file.to_path_buf(),
        detail: format!(
            "it holds data this version of CX Maturity cannot read ({e}); nothing was restored"
        ),
    };
    let src = Connection::open_with_flags(
        file,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let mut memory = Connection::open_in_memory()?;
    {
        let backup = Backup::new(&src, &mut memory)?;
        run(&backup)?;
    }
    drop(src);
    let store = Store::init(memory, None, None).map_err(unreadable)?;
    store.verify_content().map_err(unreadable)?;
    Ok(store)
}

impl Store {
    /// Reads everything the app reads: every model version parsed, every organisation
    /// listed, every round loaded with its respondents and answers (none off its
    /// model's scale) and scored, every setting read. The first problem is returned.
    /// A restore runs it on the backup; `cxm check` on the database.
    pub fn verify_content(&self) -> Result<()> {
        for info in self.models()? {
            self.models.get(&self.conn, info.id)?;
        }
        self.organisations(true)?;
        for round in self.rounds(None)? {
            let data = self.round_data(round.id)?;
            // Loading skips a value off the scale; a backup must not hold one.
            let off_scale: Option<i64> = self
                .conn
                .query_row(
                    "SELECT a.value FROM answers a JOIN respondents p ON p.id = a.respondent_id
                     WHERE p.round_id = ?1 AND a.value IS NOT NULL AND NOT (a.value BETWEEN -2 AND ?2)
                     LIMIT 1",
                    rusqlite::params![round.id, data.model.scale.max],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(v) = off_scale {
                return Err(StoreError::Corrupt(format!(
                    "round {} “{}” holds an answer with the code {v}, off the scale of model {}",
                    round.id,
                    round.title,
                    data.model.key()
                )));
            }
            cxm_domain::score(&data.model, &data.scoring_respondents());
        }
        let mut stmt = self.conn.prepare("SELECT key, value FROM settings")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            row?;
        }
        Ok(())
    }
}

/// `PRAGMA quick_check` over `conn`: `Ok` when it says "ok", else the damage found
/// as [`StoreError::DamagedInUse`] for `path`.
fn ensure_whole(conn: &Connection, path: Option<&Path>) -> Result<()> {
    let damaged = |detail: String| StoreError::DamagedInUse {
        path: path.map_or_else(|| PathBuf::from(":memory:"), Path::to_path_buf),
        detail,
    };
    let found: Vec<String> = match conn.prepare("PRAGMA quick_check").and_then(|mut s| {
        s.query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()
    }) {
        Ok(found) => found,
        Err(e) => match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
                return Err(damaged(e.to_string()));
            }
            _ => return Err(e.into()),
        },
    };
    if found == ["ok"] {
        Ok(())
    } else {
        let mut detail: Vec<String> = found.into_iter().take(3).collect();
        detail.push("…".into());
        Err(damaged(detail.join("; ")))
    }
}

/// Keeps a byte-for-byte copy of a damaged database (and its `-wal` file, if any) in
/// `dir` as `cxm-damaged-YYYYMMDD-HHMMSS.sqlite`, before a restore replaces it: the
/// online backup refuses a damaged database, and the file may be worth examining. The
/// copy is not named like a backup, so it is never listed, rotated or restored.
pub fn keep_damaged_copy(db_path: &Path, dir: &Path, now: DateTime<Utc>) -> Result<BackupInfo> {
    files::create_private_dir(dir)?;
    let name = format!("cxm-damaged-{}.sqlite", now.format(STAMP));
    let path = dir.join(&name);
    for (from, to) in [
        (db_path.to_path_buf(), path.clone()),
        (
            files::companion(db_path, "-wal"),
            files::companion(&path, "-wal"),
        ),
    ] {
        if !from.exists() {
            continue;
        }
        let bytes = std::fs::read(&from).map_err(|source| StoreError::Io {
            action: "read",
            path: from.clone(),
            source,
        })?;
        files::write_atomically(&to, &bytes, None)?;
    }
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    Ok(BackupInfo {
        path,
        file_name: name,
        created_at: DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now),
        reason: BackupReason::BeforeRestore,
        bytes,
    })
}

/// Checks the database file at `db_path` for damage through its own read-only
/// connection (`PRAGMA quick_check`), as the app does after it starts.
pub fn check_file_integrity(db_path: &Path) -> Result<()> {
    let conn = Connection::open_with_flags(
        db_path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_millis(5000))?;
    ensure_whole(&conn, Some(db_path))
}

/// Checks that `file` is a CX Maturity database this build can open, without writing to
/// it: an SQLite file with our `application_id`, a schema no newer than this build's,
/// and no damage (`PRAGMA quick_check`). Anything else is refused with
/// [`StoreError::Foreign`], [`StoreError::Damaged`] or [`StoreError::NewerSchema`].
pub fn verify_backup(file: &Path) -> Result<()> {
    let meta = std::fs::metadata(file).map_err(|source| StoreError::Io {
        action: "read",
        path: file.to_path_buf(),
        source,
    })?;
    let foreign = |reason: &str| StoreError::Foreign {
        path: file.to_path_buf(),
        reason: reason.into(),
    };
    if !meta.is_file() {
        return Err(foreign("it is not a file"));
    }
    if meta.len() == 0 {
        return Err(foreign("the file is empty"));
    }
    open::inspect_existing(file)?;
    let damaged = |detail: String| StoreError::Damaged {
        path: file.to_path_buf(),
        detail,
    };
    let conn = Connection::open_with_flags(
        file,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_millis(5000))?;
    let application_id: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(|e| damaged(e.to_string()))?;
    if application_id != i64::from(APPLICATION_ID) {
        // inspect_existing lets an empty SQLite file through (ours to fill); a backup
        // must hold a database.
        return Err(foreign("an SQLite file without CX Maturity data"));
    }
    let check: Vec<String> = conn
        .prepare("PRAGMA quick_check")
        .and_then(|mut s| {
            s.query_map([], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .map_err(|e| damaged(e.to_string()))?;
    if check != ["ok"] {
        return Err(damaged(check.join("; ")));
    }
    // Exactly the schema our migrations create at its version: a trigger, view, table
    // or index of someone else's would run, or hide, behind our writes.
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| damaged(e.to_string()))?;
    let found = schema_of(&conn).map_err(|e| damaged(e.to_string()))?;
    let expected = expected_schema(version.max(0) as usize)?;
    if version < 1 || found != expected {
        let extra: Vec<String> = found
            .iter()
            .filter(|o| !expected.contains(o))
            .map(|(kind, name, _, _)| format!("{kind} `{name}`"))
            .collect();
        let missing: Vec<String> = expected
            .iter()
            .filter(|o| !found.contains(o))
            .map(|(kind, name, _, _)| format!("{kind} `{name}`"))
            .collect();
        let mut what = Vec::new();
        if !extra.is_empty() {
            what.push(format!("not ours or changed: {}", extra.join(", ")));
        }
        if !missing.is_empty() {
            what.push(format!("missing or changed: {}", missing.join(", ")));
        }
        return Err(foreign(&format!(
            "its schema is not the one CX Maturity creates ({}); nothing was restored",
            what.join("; ")
        )));
    }
    Ok(())
}

/// Steps a backup to the end in one step (one read transaction on the source: a
/// consistent snapshot), retrying while the source or destination is busy.
fn run(backup: &Backup<'_, '_>) -> Result<()> {
    for _ in 0..100 {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More | StepResult::Busy | StepResult::Locked => {
                std::thread::sleep(Duration::from_millis(50));
            }
            _ => std::thread::sleep(Duration::from_millis(50)),
        }
    }
    Err(StoreError::Sqlite(rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
        Some("the database stayed busy during the backup".into()),
    )))
}

/// A free name for a backup taken at `now` in `dir`.
fn backup_name(dir: &Path, now: DateTime<Utc>, reason: BackupReason) -> String {
    let stamp = now.format(STAMP);
    let tag = reason.tag();
    let mut name = format!("{PREFIX}{stamp}-{tag}{SUFFIX}");
    let mut n = 2;
    while dir.join(&name).exists() {
        name = format!("{PREFIX}{stamp}-{tag}-{n}{SUFFIX}");
        n += 1;
    }
    name
}

fn write_backup(
    src: &Connection,
    src_path: Option<&Path>,
    dir: &Path,
    now: DateTime<Utc>,
    reason: BackupReason,
) -> Result<BackupInfo> {
    files::create_private_dir(dir)?;
    let _ = files::make_private(dir);
    files::clean_stale_temporaries(dir, PREFIX);
    ensure_whole(src, src_path)?;
    let name = backup_name(dir, now, reason);
    let path = dir.join(&name);
    copy_to(src, &path)?;
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    Ok(BackupInfo {
        path,
        file_name: name,
        created_at: DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now),
        reason,
        bytes,
    })
}

/// Copies the database of `src` to `dest`: online backup into a temporary file in the
/// same folder (created exclusively, private, held locked so a cleaner leaves it alone;
/// a single file: rollback journal, no `-wal`), synced, then renamed.
fn copy_to(src: &Connection, dest: &Path) -> Result<()> {
    let tmp = files::temp_next_to(dest)?;
    let io = |action, source| StoreError::Io {
        action,
        path: tmp.path().to_path_buf(),
        source,
    };
    tmp.as_file().lock().map_err(|e| io("lock", e))?;
    {
        let mut dst = Connection::open(tmp.path())?;
        {
            let backup = Backup::new(src, &mut dst)?;
            run(&backup)?;
        }
        // A self-contained file: no write-ahead log next to it.
        let _mode: String =
            dst.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0))?;
    }
    tmp.as_file().sync_all().map_err(|e| io("write", e))?;
    files::persist(tmp, dest)
}
