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

mod answers;
pub mod backup;
mod demo;
pub mod engagement;
mod error;
pub mod logo;
pub mod migrations;
mod models;
mod open;
mod orgs;
mod rounds;
mod summary;
pub mod transfer;

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
pub use logo::Logo;
pub use models::ModelVersionInfo;
pub use orgs::{OrganisationSummary, RoundSummary};
pub use rounds::{NewRound, RoundInfo, RoundStatus};
pub use summary::BlockMaturity;
pub use transfer::ResponsesCheck;

/// `Result` with [`StoreError`].
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The store's source of the current time.
pub type Clock = Box<dyn Fn() -> DateTime<Utc> + Send>;

/// Longest organisation, round, respondent and department name, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Longest note, in characters.
pub const MAX_NOTE_CHARS: usize = 20_000;

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
    /// Then the connection is configured, the schema migrated to the latest version in
    /// one transaction, and the bundled default model stored if missing.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| StoreError::Io {
                action: "create the folder",
                path: parent.to_path_buf(),
                source,
            })?;
        }
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                return Err(StoreError::Foreign {
                    path: path.to_path_buf(),
                    reason: "it is a folder".into(),
                });
            }
            Ok(meta) if meta.len() > 0 => open::inspect_existing(path)?,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(StoreError::Io {
                    action: "read",
                    path: path.to_path_buf(),
                    source,
                });
            }
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        Store::init(conn, Some(path.to_path_buf()))
    }

    /// A fresh database in memory, migrated and holding the default model (for tests).
    pub fn open_in_memory() -> Result<Store> {
        Store::init(Connection::open_in_memory()?, None)
    }

    fn init(mut conn: Connection, path: Option<PathBuf>) -> Result<Store> {
        open::configure(&conn)?;
        open::migrate(&mut conn, path.as_deref())?;
        let mut store = Store {
            conn,
            path,
            clock: Box::new(Utc::now),
            models: ModelCache::default(),
            default_model_id: String::new(),
        };
        store.ensure_default_model()?;
        Ok(store)
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

/// Starts a write transaction, taking the write lock at once (`BEGIN IMMEDIATE`) so a
/// concurrent writer makes it wait (busy timeout) instead of failing halfway.
fn write_tx(conn: &mut Connection) -> Result<Transaction<'_>> {
    Ok(conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
}

/// Trims `value` and checks it is non-empty and at most `max` characters.
fn clean_text(value: &str, what: &str, max: usize) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(StoreError::Invalid(format!("the {what} must not be empty")));
    }
    let chars = value.chars().count();
    if chars > max {
        return Err(StoreError::Invalid(format!(
            "the {what} is too long ({chars} characters; at most {max})"
        )));
    }
    Ok(value.to_string())
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
