//! The one error type of the store, with a stable code per kind.

use std::path::PathBuf;

use cxm_domain::ModelError;

/// Everything that can go wrong in the store. Every message says what and where; the
/// [`StoreError::code`] is a short, stable identifier for programs (the app's
/// `{code, message}` IPC error, the CLI's exit status).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// A row that was asked for does not exist.
    #[error("{what} {id} not found")]
    NotFound {
        /// What kind of row: `"round"`, `"organisation"`, `"respondent"`, `"model"`, …
        what: &'static str,
        /// Its id or key, as given.
        id: String,
    },
    /// An argument was refused (empty name, unknown question, value off the scale, …).
    #[error("{0}")]
    Invalid(String),
    /// The round is closed: its respondents and answers are read-only until it is reopened.
    #[error("round {round} is closed: its answers are read-only until it is reopened")]
    ClosedRound {
        /// The round's id.
        round: i64,
    },
    /// The write conflicts with what is stored (a respondent already in the round, a
    /// model version already imported with different content, …).
    #[error("{0}")]
    Conflict(String),
    /// The file exists but is not a CX Maturity database. It was left untouched.
    #[error("{} is not a CX Maturity database ({reason})", path.display())]
    Foreign {
        /// The file.
        path: PathBuf,
        /// Why: "not an SQLite file", "an SQLite database of another application", …
        reason: String,
    },
    /// The database was written by a newer build. It was left untouched.
    #[error(
        "{} was written by a newer version of CX Maturity (schema {found}, this build knows {known}); upgrade the app",
        path.display()
    )]
    NewerSchema {
        /// The file.
        path: PathBuf,
        /// The schema version found in the file.
        found: i64,
        /// The newest schema version this build knows.
        known: usize,
    },
    /// The file starts like an SQLite database but SQLite cannot read it. It was left untouched.
    #[error("{} is damaged (it was left untouched): {detail}", path.display())]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What SQLite said.
        detail: String,
    },
    /// The database in use is damaged (found by `PRAGMA quick_check` before a backup,
    /// or by [`crate::Store::check_integrity`]). No backup was made over good ones.
    #[error(
        "{} is damaged ({detail}). No backup was made, so your existing backups are kept as they are: restore the last good backup (Settings → Backups in the app, or `cxm restore FILE --yes`); keep a copy of the damaged file if you want it examined",
        path.display()
    )]
    DamagedInUse {
        /// The database file.
        path: PathBuf,
        /// What the check found.
        detail: String,
    },
    /// Updating the schema failed; the migration was rolled back and the database is as
    /// it was before.
    #[error("cannot update the schema of {path} (it was left as it was): {detail}")]
    Migration {
        /// The file, or `:memory:`.
        path: String,
        /// What failed.
        detail: String,
    },
    /// A stored value this build cannot read (should not happen; the schema's checks
    /// prevent it).
    #[error("the database holds a value this build cannot read: {0}")]
    Corrupt(String),
    /// A model file (imported, or stored) that does not validate; carries the file, line
    /// and field of every problem.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// Any other SQLite error.
    #[error("{}", sqlite_message(.0))]
    Sqlite(#[from] rusqlite::Error),
    /// An output file (export, report, backup) would overwrite the live database or one
    /// of its side files. Nothing was written.
    #[error(
        "{} is {which}: writing there would destroy it while it is in use; nothing was written — choose another file",
        path.display()
    )]
    OutputIsDatabase {
        /// The output path as given.
        path: PathBuf,
        /// "the CX Maturity database", "the CX Maturity database's -wal file", …
        which: String,
    },
    /// The database cannot be written (opened read-only: a write was refused), or
    /// cannot be read where it is without writing next to it.
    #[error("{} is read-only: {reason}; nothing was changed", path.display())]
    ReadOnly {
        /// The database file.
        path: PathBuf,
        /// Why it is read-only.
        reason: String,
    },
    /// A file-system operation failed.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        /// What was attempted: `"create the folder"`, `"read"`, …
        action: &'static str,
        /// On which path.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// A file to import that is refused before anything is written: not ours, from a
    /// newer version, or damaged (the engagement file's codes in
    /// [`crate::engagement::codes`]).
    #[error("{message}")]
    ImportFile {
        /// `not_an_engagement_file`, `newer_engagement_format` or `damaged_engagement_file`.
        code: &'static str,
        /// What is wrong, for a person.
        message: String,
    },
}

impl StoreError {
    /// Every code [`StoreError::code`] returns (the app's `ErrorCode` has one variant
    /// for each).
    pub const CODES: &'static [&'static str] = &[
        "not_found",
        "invalid",
        "round_closed",
        "conflict",
        "not_a_cxm_database",
        "newer_schema",
        "damaged_database",
        "migration_failed",
        "corrupt_data",
        "invalid_model",
        "database_busy",
        "disk_full",
        "read_only",
        "database",
        "io",
        "output_is_database",
        crate::engagement::codes::FOREIGN,
        crate::engagement::codes::NEWER,
        crate::engagement::codes::DAMAGED,
    ];

    /// A short, stable snake_case code for programs to branch on (one of
    /// [`StoreError::CODES`]).
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::NotFound { .. } => "not_found",
            StoreError::Invalid(_) => "invalid",
            StoreError::ClosedRound { .. } => "round_closed",
            StoreError::Conflict(_) => "conflict",
            StoreError::Foreign { .. } => "not_a_cxm_database",
            StoreError::NewerSchema { .. } => "newer_schema",
            StoreError::Damaged { .. } | StoreError::DamagedInUse { .. } => "damaged_database",
            StoreError::Migration { .. } => "migration_failed",
            StoreError::Corrupt(_) => "corrupt_data",
            StoreError::Model(_) => "invalid_model",
            StoreError::Sqlite(e) => match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                    "database_busy"
                }
                Some(rusqlite::ErrorCode::DiskFull) => "disk_full",
                Some(rusqlite::ErrorCode::ReadOnly) => "read_only",
                _ => "database",
            },
            StoreError::Io { .. } => "io",
            StoreError::OutputIsDatabase { .. } => "output_is_database",
            StoreError::ReadOnly { .. } => "read_only",
            StoreError::ImportFile { code, .. } => code,
        }
    }

    pub(crate) fn not_found(what: &'static str, id: impl ToString) -> StoreError {
        StoreError::NotFound {
            what,
            id: id.to_string(),
        }
    }
}

/// SQLite's errors in words a user can act on.
fn sqlite_message(e: &rusqlite::Error) -> String {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
            "the database is busy: another CX Maturity process (the app or `cxm`) is writing to it and did not finish in time; nothing was changed — try again when it has finished".into()
        }
        Some(rusqlite::ErrorCode::ReadOnly) => {
            "the database is read-only (its file or folder cannot be written); nothing was changed".into()
        }
        Some(rusqlite::ErrorCode::DiskFull) => {
            "the disk is full; nothing was changed — free some space and try again".into()
        }
        _ => format!("database error: {e}"),
    }
}

impl From<rusqlite::types::FromSqlError> for StoreError {
    fn from(e: rusqlite::types::FromSqlError) -> StoreError {
        StoreError::Corrupt(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_listed() {
        let path = PathBuf::from("x.sqlite");
        let sqlite = |code| {
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(code),
                None,
            ))
        };
        let errors = [
            StoreError::not_found("round", 1),
            StoreError::Invalid("x".into()),
            StoreError::ClosedRound { round: 1 },
            StoreError::Conflict("x".into()),
            StoreError::Foreign {
                path: path.clone(),
                reason: "x".into(),
            },
            StoreError::NewerSchema {
                path: path.clone(),
                found: 9,
                known: 1,
            },
            StoreError::Damaged {
                path: path.clone(),
                detail: "x".into(),
            },
            StoreError::DamagedInUse {
                path: path.clone(),
                detail: "x".into(),
            },
            StoreError::Migration {
                path: "x".into(),
                detail: "x".into(),
            },
            StoreError::Corrupt("x".into()),
            StoreError::Model(ModelError {
                file: "m.toml".into(),
                issues: Vec::new(),
            }),
            sqlite(rusqlite::ffi::SQLITE_BUSY),
            sqlite(rusqlite::ffi::SQLITE_LOCKED),
            sqlite(rusqlite::ffi::SQLITE_FULL),
            sqlite(rusqlite::ffi::SQLITE_READONLY),
            sqlite(rusqlite::ffi::SQLITE_ERROR),
            StoreError::OutputIsDatabase {
                path: path.clone(),
                which: "x".into(),
            },
            StoreError::ReadOnly {
                path: path.clone(),
                reason: "x".into(),
            },
            StoreError::Io {
                action: "read",
                path,
                source: std::io::Error::other("x"),
            },
            StoreError::ImportFile {
                code: crate::engagement::codes::FOREIGN,
                message: "x".into(),
            },
            StoreError::ImportFile {
                code: crate::engagement::codes::NEWER,
                message: "x".into(),
            },
            StoreError::ImportFile {
                code: crate::engagement::codes::DAMAGED,
                message: "x".into(),
            },
        ];
        let mut seen: Vec<&str> = errors.iter().map(StoreError::code).collect();
        for code in &seen {
            assert!(StoreError::CODES.contains(code), "{code} is not in CODES");
        }
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(
            seen.len(),
            StoreError::CODES.len(),
            "every listed code is used"
        );
    }
}
