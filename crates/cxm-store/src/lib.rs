//! CX Maturity's storage: one SQLite file holding model versions, organisations,
//! rounds, respondents, answers and settings, and every read and write the app and the
//! CLI make.
//!
//! - [`Store::open`] inspects an existing file read-only before touching it, refuses
//!   foreign, damaged and newer files (leaving them byte-for-byte untouched), then sets
//!   the per-connection pragmas (`foreign_keys=ON`, `journal_mode=WAL`,
//!   `synchronous=NORMAL`, `busy_timeout=5000`), migrates atomically
//!   ([`migrations`]) and stores the bundled default model.
//! - Every write that changes more than one row is one transaction; writes that change
//!   a round's respondents or answers also rewrite the round's summary columns (phase,
//!   respondent counts, per-block maturity) in that transaction, so listings and trend
//!   charts never rescore.
//! - Time comes from the store's clock ([`Store::set_clock`]), never read deep inside;
//!   timestamps are stored as RFC 3339 UTC text.
//! - SQL is parameterised throughout.
//!
//! Bulk loading (benchmarks, large imports) goes through [`Store::import_responses`]:
//! one transaction, prepared statements, one summary refresh per call; there is no
//! separate bulk API. Building the 6-million-answer database of the scale target
//! (2,000 imports of 50 respondents × 60 answers) takes about 30 s on a 2-core
//! machine in a debug build; `round_data` on it takes about 3 ms (the ignored test
//! `perf::large_database` measures both).
//!
//! Durability: WAL with `synchronous=NORMAL` keeps every committed write when the app
//! is killed; only an operating-system crash or power loss can lose the last commits.

#![deny(missing_docs)]

mod about;
mod answers;
pub mod backup;
mod demo;
pub mod engagement;
mod error;
pub mod files;
mod identity;
pub mod inbox;
pub mod logo;
pub mod merge;
pub mod migrations;
mod models;
mod open;
mod orgs;
pub mod plan;
mod rounds;
mod summary;
pub mod transfer;
mod versions;

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use cxm_domain::Model;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ValueRef};
use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior};

pub use answers::{ImportSummary, NewRespondent, RespondentImport, RespondentRecord, RoundData};
pub use backup::{BackupInfo, BackupOptions, BackupReason};
pub use demo::{LoadedDemo, LoadedDemoRound};
pub use engagement::ImportedEngagement;
pub use error::StoreError;
pub use identity::{Installation, OrganisationSource, new_uuid, normal_stamp};
pub use inbox::{InboxCounts, InboxEntry, KeyedImport, Receipt};
pub use logo::Logo;
pub use models::ModelVersionInfo;
pub use orgs::{OrganisationSummary, RoundSummary};
pub use rounds::{NewRound, RoundInfo, RoundStatus};
pub use summary::BlockMaturity;
pub use transfer::ResponsesCheck;
pub use versions::AnswerVersion;

/// `Result` with [`StoreError`].
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The store's source of the current time.
pub type Clock = Box<dyn Fn() -> DateTime<Utc> + Send>;

pub use cxm_domain::text::{MAX_NAME_CHARS, MAX_NOTE_CHARS};

/// How long a write waits for another process's write to finish by default, before it
/// fails with `database_busy`.
pub const DEFAULT_BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Where the app keeps its database: `<data dir>/io.cxmaturity.app/cxm.sqlite`
/// (on Linux `$XDG_DATA_HOME` or `~/.local/share`), the same folder as Tauri's
/// `app_data_dir` for the identifier `io.cxmaturity.app`. `None` when the platform has
/// no data directory.
pub fn default_db_path() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join("io.cxmaturity.app").join("cxm.sqlite"))
}

/// An open CX Maturity database.
///
/// Reads take `&self`, writes `&mut self`. The store is `Send` but not `Sync`: share it
/// between threads behind a `Mutex`.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    clock: Clock,
    models: ModelCache,
    default_model_id: String,
    /// Why the database was opened read-only, `None` when it can be written.
    read_only: Option<String>,
    /// This installation's id: the `by` of every change stamped here.
    installation: String,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("default_model_id", &self.default_model_id)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (or creates) the database at `path`, creating its parent folders.
    ///
    /// An existing non-empty file is first inspected read-only; it is refused, and left
    /// byte-for-byte untouched, when it is not an SQLite file, is another
    /// application's SQLite database, is damaged, or was written by a newer schema
    /// ([`StoreError::Foreign`], [`StoreError::Damaged`], [`StoreError::NewerSchema`]).
    /// Then the connection is configured, the schema migrated to the latest version and
    /// the bundled default model stored if missing, in one write transaction that also
    /// serialises several processes opening a fresh file at once.
    ///
    /// Files are private to the user: folders created here are `0700`; the database
    /// and its side files `0600` (an existing database is made so).
    ///
    /// A database whose file or folder cannot be written is opened read-only (see
    /// [`Store::read_only`]): reading works, every write fails with `read_only`.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref();
        let folder = files::folder_of(path);
        if !folder.exists() {
            files::create_private_dir(folder)?;
        }
        let is_default = default_db_path().is_some_and(|d| d == path);
        if is_default {
            // The app's own folder: private, whatever an older version left.
            let _ = files::make_private(folder);
        }
        let exists = match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                return Err(StoreError::Foreign {
                    path: path.to_path_buf(),
                    reason: "it is a folder".into(),
                });
            }
            Ok(meta) => {
                if meta.len() > 0 {
                    open::inspect_existing(path)?;
                }
                true
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
            Err(source) => {
                return Err(StoreError::Io {
                    action: "read",
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        let read_only = open::read_only_reason(path, folder, exists);
        let conn = match &read_only {
            None => {
                if !exists {
                    open::create_private_file(path)?;
                }
                for p in std::iter::once(path.to_path_buf())
                    .chain(files::COMPANION_SUFFIXES.map(|s| files::companion(path, s)))
                {
                    if p.exists() {
                        let _ = files::make_private(&p);
                    }
                }
                Connection::open_with_flags(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_WRITE
                        | OpenFlags::SQLITE_OPEN_CREATE
                        | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?
            }
            Some(reason) => {
                if !exists {
                    return Err(StoreError::ReadOnly {
                        path: path.to_path_buf(),
                        reason: format!("{reason}, so a new database cannot be created there"),
                    });
                }
                open::open_read_only(path, reason)?
            }
        };
        Store::init(conn, Some(path.to_path_buf()), read_only)
    }

    /// A fresh database in memory, migrated and holding the default model (for tests).
    pub fn open_in_memory() -> Result<Store> {
        Store::init(Connection::open_in_memory()?, None, None)
    }

    fn init(
        mut conn: Connection,
        path: Option<PathBuf>,
        read_only: Option<String>,
    ) -> Result<Store> {
        // Opening reads pages beyond the header (the schema, the stored models): one
        // SQLite finds damaged is a damaged database, with what to do (restore the last
        // good backup), not a bare SQL error.
        let shown = path.clone();
        let damaged = move |e: StoreError| match e {
            StoreError::Sqlite(inner)
                if matches!(
                    inner.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
                ) =>
            {
                StoreError::DamagedInUse {
                    path: shown.clone().unwrap_or_else(|| PathBuf::from(":memory:")),
                    detail: inner.to_string(),
                }
            }
            other => other,
        };
        open::configure(&conn)?;
        match &read_only {
            None => {
                open::migrate_and_seed(&mut conn, path.as_deref()).map_err(&damaged)?;
                open::use_wal(&conn)?;
            }
            Some(reason) => {
                open::check_current(&conn, path.as_deref(), reason).map_err(&damaged)?;
            }
        }
        let mut store = Store {
            conn,
            path,
            clock: Box::new(Utc::now),
            models: ModelCache::default(),
            default_model_id: String::new(),
            read_only,
            installation: String::new(),
        };
        store.ensure_default_model().map_err(&damaged)?;
        store.load_installation().map_err(&damaged)?;
        Ok(store)
    }

    /// Why the database was opened read-only ("its folder … cannot be written"), or
    /// `None` when changes can be saved.
    pub fn read_only(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    /// How long a write waits for another process's write before failing with
    /// `database_busy` ([`DEFAULT_BUSY_TIMEOUT`] unless changed; the CLI waits longer).
    pub fn set_busy_timeout(&mut self, timeout: std::time::Duration) {
        let _ = self.conn.busy_timeout(timeout);
    }

    /// Writes an export (a CSV, a PDF, an engagement file) to `target`: atomically,
    /// private to the user, and never over this database or its side files
    /// ([`files::write_atomically`]).
    pub fn write_file(&self, target: &Path, bytes: &[u8]) -> Result<()> {
        files::write_atomically(target, bytes, self.path.as_deref())
    }

    /// Refuses `target` as an output when it is this database or one of its side files.
    pub fn check_output(&self, target: &Path) -> Result<()> {
        match &self.path {
            Some(db) => files::refuse_database(target, db),
            None => Ok(()),
        }
    }

    /// Runs `body` as one transaction: every write it makes commits together, or —
    /// when it returns an error — none does. Writes inside use savepoints.
    pub(crate) fn atomically<T>(
        &mut self,
        body: impl FnOnce(&mut Store) -> Result<T>,
    ) -> Result<T> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        match body(self) {
            Ok(value) => match self.conn.execute_batch("COMMIT") {
                Ok(()) => Ok(value),
                Err(e) => {
                    let _ = self.conn.execute_batch("ROLLBACK");
                    self.models = ModelCache::default();
                    Err(e.into())
                }
            },
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                // Rows read inside may have been rolled back: forget them.
                self.models = ModelCache::default();
                Err(e)
            }
        }
    }

    /// The database file, `None` for an in-memory store.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Replaces the clock that stamps `created_at`, `updated_at`, … (tests use a fixed one).
    pub fn set_clock(&mut self, clock: impl Fn() -> DateTime<Utc> + Send + 'static) {
        self.clock = Box::new(clock);
    }

    /// The clock's current time as stored: RFC 3339, UTC, milliseconds.
    fn now(&self) -> String {
        (self.clock)().to_rfc3339_opts(SecondsFormat::Millis, true)
    }

    /// A setting's value, `None` when it was never set.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Removes a setting (nothing when it was not set).
    pub fn delete_setting(&mut self, key: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM settings WHERE key = ?1", [key])?;
        Ok(())
    }

    /// Sets (or replaces) a setting.
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        if key.trim().is_empty() {
            return Err(StoreError::Invalid(
                "a setting needs a non-empty key".into(),
            ));
        }
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }
}

/// Parsed models by `model_versions.id`. Model-version rows are never updated and
/// their ids never reused, so entries never go stale. Only committed rows are cached.
#[derive(Default)]
struct ModelCache(RefCell<HashMap<i64, Arc<Model>>>);

/// A write transaction: `BEGIN IMMEDIATE` (the write lock at once, so a concurrent
/// writer makes it wait for the busy timeout instead of failing halfway), or a
/// savepoint inside a transaction already open ([`Store::atomically`]).
pub(crate) enum WriteTx<'c> {
    Tx(Transaction<'c>),
    Savepoint(rusqlite::Savepoint<'c>),
}

impl std::ops::Deref for WriteTx<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        match self {
            WriteTx::Tx(t) => t,
            WriteTx::Savepoint(s) => s,
        }
    }
}

impl WriteTx<'_> {
    pub(crate) fn commit(self) -> Result<()> {
        match self {
            WriteTx::Tx(t) => t.commit()?,
            WriteTx::Savepoint(s) => s.commit()?,
        }
        Ok(())
    }
}

/// Starts a write transaction ([`WriteTx`]).
fn write_tx(conn: &mut Connection) -> Result<WriteTx<'_>> {
    if conn.is_autocommit() {
        Ok(WriteTx::Tx(conn.transaction_with_behavior(
            TransactionBehavior::Immediate,
        )?))
    } else {
        Ok(WriteTx::Savepoint(conn.savepoint()?))
    }
}

/// One consistent read: a deferred transaction of its own, or — inside a write that
/// is already open ([`Store::atomically`]) — that transaction, which is already one
/// snapshot (and sees the write's own rows). Ends (nothing to keep) when dropped.
pub(crate) struct ReadSnapshot<'a> {
    conn: &'a Connection,
    began: bool,
}

/// Starts a [`ReadSnapshot`].
fn read_snapshot(conn: &Connection) -> Result<ReadSnapshot<'_>> {
    let began = conn.is_autocommit();
    if began {
        conn.execute_batch("BEGIN DEFERRED")?;
    }
    Ok(ReadSnapshot { conn, began })
}

impl std::ops::Deref for ReadSnapshot<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn
    }
}

impl Drop for ReadSnapshot<'_> {
    fn drop(&mut self) {
        if self.began {
            // Read only: nothing to commit or lose.
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

/// A name as stored ([`cxm_domain::text::clean_name`]): trimmed, NFC, no control
/// characters or bidirectional overrides, something visible, at most `max` characters.
fn clean_text(value: &str, what: &str, max: usize) -> Result<String> {
    cxm_domain::text::clean_name(value, what, max).map_err(StoreError::Invalid)
}

/// A note as stored: like [`clean_text`], but line breaks and tabs are kept.
fn clean_note(value: &str, what: &str) -> Result<String> {
    cxm_domain::text::clean_text(value, what, MAX_NOTE_CHARS).map_err(StoreError::Invalid)
}

/// Parses a date written `YYYY-MM-DD` exactly (four-digit year, two-digit month and
/// day): `26-03-10` is refused, not read as the year 26.
pub fn parse_date(text: &str) -> std::result::Result<NaiveDate, String> {
    let t = text.trim();
    let shape_ok = t.len() == 10
        && t.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shape_ok {
        return Err(format!("`{t}` is not a date written YYYY-MM-DD"));
    }
    let date = NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .map_err(|_| format!("`{t}` is not a date in the calendar"))?;
    use chrono::Datelike;
    if date.year() < 1 {
        return Err(format!("`{t}` is out of range (years 1 to 9999)"));
    }
    Ok(date)
}

/// A date as stored: `YYYY-MM-DD`, years 1 to 9999.
fn date_text(date: NaiveDate, what: &str) -> Result<String> {
    use chrono::Datelike;
    if !(1..=9999).contains(&date.year()) {
        return Err(StoreError::Invalid(format!(
            "the {what} {date} is out of range (years 1 to 9999)"
        )));
    }
    Ok(date.format("%Y-%m-%d").to_string())
}

/// Reads a stored `YYYY-MM-DD` date.
struct SqlDate(NaiveDate);

impl FromSql for SqlDate {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = value.as_str()?;
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(SqlDate)
            .map_err(|e| FromSqlError::Other(format!("date `{text}`: {e}").into()))
    }
}

/// Serialises dates as `YYYY-MM-DD` (chrono's serde feature is not enabled).
mod serde_date {
    use chrono::NaiveDate;
    use serde::Serializer;

    pub fn serialize<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&date.format("%Y-%m-%d"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_is_send() {
        fn assert_send<T: Send>() {}
        assert_send::<Store>();
        fn assert_error<T: std::error::Error + Send + Sync + 'static>() {}
        assert_error::<StoreError>();
    }

    #[test]
    fn pragmas_are_set_per_connection() {
        let store = Store::open_in_memory().unwrap();
        let get = |p: &str| -> i64 {
            store
                .conn
                .query_row(&format!("PRAGMA {p}"), [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(get("foreign_keys"), 1);
        assert_eq!(get("synchronous"), 1); // NORMAL
        assert_eq!(get("busy_timeout"), 5000);
        assert_eq!(get("cache_size"), -65_536); // 64 MB at most
    }

    #[test]
    fn settings_round_trip() {
        let mut store = Store::open_in_memory().unwrap();
        assert_eq!(store.setting("brand").unwrap(), None);
        store.set_setting("brand", "Acme").unwrap();
        store.set_setting("brand", "Acme Consulting").unwrap();
        assert_eq!(
            store.setting("brand").unwrap().as_deref(),
            Some("Acme Consulting")
        );
        assert_eq!(store.set_setting(" ", "x").unwrap_err().code(), "invalid");
    }
}
