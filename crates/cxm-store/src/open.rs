//! Opening a database file safely: inspect read-only first, then configure the
//! connection and migrate.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, ErrorCode, OpenFlags};

use cxm_domain::Model;
use cxm_domain::model::BUILT_IN_MODELS;

use crate::files::companion;
use crate::migrations::{APPLICATION_ID, SCHEMA_VERSION};
use crate::{Result, StoreError};

/// The first 16 bytes of every SQLite database file.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Checks an existing, non-empty file without writing to it (read-only connection, no
/// pragma changes): refuses anything that is not an SQLite file, another application's
/// SQLite database, a damaged file, or one written by a newer schema.
pub(crate) fn inspect_existing(path: &Path) -> Result<()> {
    let foreign = |reason: String| StoreError::Foreign {
        path: path.to_path_buf(),
        reason,
    };
    let mut header = Vec::with_capacity(100);
    File::open(path)
        .and_then(|f| f.take(100).read_to_end(&mut header))
        .map_err(|source| StoreError::Io {
            action: "read",
            path: path.to_path_buf(),
            source,
        })?;
    if !header.starts_with(SQLITE_MAGIC) {
        return Err(foreign("not an SQLite file".into()));
    }

    // A read-only connection to a WAL-mode file creates `-wal` and `-shm` files next to
    // it. When there is no `-wal` file, the main file holds everything: read it as
    // immutable, which creates nothing. Otherwise (a live or crashed writer) the log
    // must be read too, and its companions exist already.
    let wal_mode = header.get(18..20) == Some(&[2, 2][..]);
    let immutable = wal_mode && !companion(path, "-wal").exists();
    let probe = || -> rusqlite::Result<(i64, i64, i64)> {
        let conn = if immutable {
            Connection::open_with_flags(
                immutable_uri(path),
                OpenFlags::SQLITE_OPEN_READ_ONLY
                    | OpenFlags::SQLITE_OPEN_URI
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?
        } else {
            Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?
        };
        // Another process may be creating or migrating it this very moment: wait for it
        // as every connection of ours does.
        conn.busy_timeout(crate::DEFAULT_BUSY_TIMEOUT)?;
        let application_id = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let user_version = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let objects = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
        Ok((application_id, user_version, objects))
    };
    let (application_id, user_version, objects) =
        probe().map_err(|e| match e.sqlite_error_code() {
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => StoreError::Damaged {
                path: path.to_path_buf(),
                detail: e.to_string(),
            },
            // A write-ahead log that cannot be read: it needs a -shm file next to it,
            // which a read-only folder (a CD, a read-only share) cannot get.
            Some(ErrorCode::CannotOpen | ErrorCode::ReadOnly)
                if !immutable && !companion(path, "-shm").exists() =>
            {
                StoreError::ReadOnly {
                    path: path.to_path_buf(),
                    reason: format!(
                        "it has a write-ahead log, {}, holding its latest changes, and SQLite needs to create {} next to it to read that log, which this folder does not allow; copy the database together with its -wal file to a folder you can write to, and open the copy",
                        companion(path, "-wal").display(),
                        companion(path, "-shm").display()
                    ),
                }
            }
            _ => StoreError::Sqlite(e),
        })?;

    let ours = i64::from(APPLICATION_ID);
    if application_id != ours {
        if application_id != 0 {
            // The header field is 32 bits; show it as such.
            let id = application_id as u32;
            return Err(foreign(format!(
                "an SQLite database of another application, application_id {id:#010x}"
            )));
        }
        if objects > 0 {
            return Err(foreign("an SQLite database of another application".into()));
        }
        // An SQLite file with nothing in it: ours to use.
    }
    check_schema_version(path, user_version)
}

/// A `file:` URI opening `path` read-only and immutable (no locks, no companion files).
fn immutable_uri(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut uri = String::from("file:");
    let bytes = absolute.as_os_str().as_encoded_bytes();
    if !bytes.starts_with(b"/") {
        uri.push('/'); // file:/C:/… on Windows
    }
    for &b in bytes {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' | b':' => {
                uri.push(b as char)
            }
            b'\\' => uri.push('/'),
            _ => uri.push_str(&format!("%{b:02X}")),
        }
    }
    uri.push_str("?mode=ro&immutable=1");
    uri
}

fn check_schema_version(path: &Path, found: i64) -> Result<()> {
    if found > SCHEMA_VERSION as i64 {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found,
            known: SCHEMA_VERSION,
        });
    }
    if found < 0 {
        return Err(StoreError::Damaged {
            path: path.to_path_buf(),
            detail: format!("invalid schema version {found}"),
        });
    }
    Ok(())
}

/// Why the database at `path` must be opened read-only, or `None` when it can be
/// written: the file (when it exists) must open for writing, and its folder must let
/// SQLite create its `-wal` and `-shm` files.
pub(crate) fn read_only_reason(path: &Path, folder: &Path, exists: bool) -> Option<String> {
    if exists
        && let Err(e) = std::fs::OpenOptions::new().write(true).open(path)
        && e.kind() == std::io::ErrorKind::PermissionDenied
    {
        return Some("the file cannot be written".into());
    }
    match tempfile::tempfile_in(folder) {
        Ok(_) => None,
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
            ) =>
        {
            Some(format!("its folder {} cannot be written", folder.display()))
        }
        Err(_) => None,
    }
}

/// Creates an empty database file private to the user (`0600`), so SQLite's `-wal` and
/// `-shm` files, which copy its permissions, are private too. An existing file is
/// left alone (another process created it first).
pub(crate) fn create_private_file(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => crate::files::make_private(path).map_err(|source| StoreError::Io {
            action: "create",
            path: path.to_path_buf(),
            source,
        }),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(source) => Err(StoreError::Io {
            action: "create",
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Opens an existing database read-only. A write-ahead-log database without a `-wal`
/// file is read as immutable (nothing to create next to it); one with a `-wal` file
/// needs its `-shm` file too, which a read-only folder cannot get.
pub(crate) fn open_read_only(path: &Path, reason: &str) -> Result<Connection> {
    let wal = companion(path, "-wal");
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if !wal.exists() {
        return Ok(Connection::open_with_flags(
            immutable_uri(path),
            flags | OpenFlags::SQLITE_OPEN_URI,
        )?);
    }
    let conn = Connection::open_with_flags(path, flags)?;
    match conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(_) => Ok(conn),
        Err(e) => Err(StoreError::ReadOnly {
            path: path.to_path_buf(),
            reason: format!(
                "{reason}, and its write-ahead log {} cannot be read without a -shm file SQLite is not allowed to create there ({e}); copy the database together with its -wal file to a folder you can write to",
                wal.display()
            ),
        }),
    }
}

/// The per-connection settings every connection of ours gets.
/// (The write-ahead log is switched on by [`use_wal`], after migrating: see there.)
pub(crate) fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(crate::DEFAULT_BUSY_TIMEOUT)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

/// Switches the connection to the write-ahead log (`journal_mode=WAL`,
/// `synchronous=NORMAL`). Called after [`migrate_and_seed`]: a fresh file is created
/// and migrated in rollback-journal mode, where another process's read waits for the
/// commit under a lock, and only then turned to WAL, so no other process can see a
/// half-created database. Changing the journal mode takes an exclusive lock without
/// SQLite's busy handler, so a busy database is retried here for the busy timeout.
pub(crate) fn use_wal(conn: &Connection) -> Result<()> {
    let deadline = std::time::Instant::now() + crate::DEFAULT_BUSY_TIMEOUT;
    loop {
        match conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0)) {
            // "wal", or "memory" for an in-memory database.
            Ok(mode) if mode.eq_ignore_ascii_case("wal") || mode == "memory" => break,
            Ok(_) | Err(_) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Ok(mode) => {
                return Err(StoreError::Sqlite(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                    Some(format!("the journal mode stayed {mode}")),
                )));
            }
            Err(e) => return Err(e.into()),
        }
    }
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // A page cache of up to 64 MB (SQLite's default is 2 MB): a 5,000-respondent
    // survey's answers are about 15 MB of pages, read again for every look at its
    // results; a cache that holds them saves re-reading them from the operating system.
    // Taken only as pages are read.
    conn.pragma_update(None, "cache_size", -65_536)?;
    Ok(())
}

fn shown(path: Option<&Path>) -> PathBuf {
    path.map_or_else(|| PathBuf::from(":memory:"), Path::to_path_buf)
}

/// Whether the schema is current and the bundled default model stored: nothing for
/// [`migrate_and_seed`] to do.
fn up_to_date(conn: &Connection, built_in: &[(Model, &str)], latest: usize) -> Result<bool> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version != latest as i64 {
        return Ok(false);
    }
    let mut stmt =
        conn.prepare_cached("SELECT 1 FROM model_versions WHERE model_id = ?1 AND version = ?2")?;
    for (model, _) in built_in {
        if !stmt.exists(rusqlite::params![model.id, model.version])? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Brings the schema to [`SCHEMA_VERSION`] and stores the bundled default model when
/// missing, in one write transaction taken at once (`BEGIN IMMEDIATE`): of several
/// processes opening a fresh file together, one migrates and seeds while the others
/// wait, then find it done. Foreign keys are off while migrating (SQLite's
/// table-rebuild procedure) and checked before committing. A failure rolls everything
/// back.
pub(crate) fn migrate_and_seed(conn: &mut Connection, path: Option<&Path>) -> Result<()> {
    migrate_with(conn, path, crate::migrations::MIGRATION_SQL)
}

/// [`migrate_and_seed`] with the list of migrations given (tests try a broken one).
pub(crate) fn migrate_with(
    conn: &mut Connection,
    path: Option<&Path>,
    list: &[&str],
) -> Result<()> {
    let built_in = BUILT_IN_MODELS
        .iter()
        .map(|(file, source)| Ok((Model::from_toml(source, file)?, *source)))
        .collect::<Result<Vec<_>>>()?;
    // Checked on the read-write connection: a write-ahead log left by a newer build is
    // only visible now.
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    check_schema_version(&shown(path), found)?;
    if up_to_date(conn, &built_in, list.len())? {
        return Ok(());
    }
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let result = (|| -> Result<()> {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Another process may have done it while this one waited for the lock.
        let found: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        check_schema_version(&shown(path), found)?;
        for (i, sql) in list.iter().enumerate().skip(found as usize) {
            tx.execute_batch(sql).map_err(|e| StoreError::Migration {
                path: shown(path).display().to_string(),
                detail: format!("migration {}: {e}", i + 1),
            })?;
            tx.pragma_update(None, "user_version", i as i64 + 1)?;
        }
        let violations: i64 =
            tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })?;
        if violations > 0 {
            return Err(StoreError::Migration {
                path: shown(path).display().to_string(),
                detail: format!("{violations} rows break a foreign key after migrating"),
            });
        }
        // Every built-in model version, oldest first (a database made by an older build
        // gains the newer ones; its rounds stay pinned to theirs).
        for (model, source) in &built_in {
            let seeded = tx
                .prepare_cached(
                    "SELECT 1 FROM model_versions WHERE model_id = ?1 AND version = ?2",
                )?
                .exists(rusqlite::params![model.id, model.version])?;
            if !seeded {
                let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
                crate::models::insert_model(&tx, model, source, &now)?;
            }
        }
        tx.commit()?;
        Ok(())
    })();
    conn.pragma_update(None, "foreign_keys", "ON")?;
    result
}

/// For a read-only database: the schema must be current (it cannot be migrated).
pub(crate) fn check_current(conn: &Connection, path: Option<&Path>, reason: &str) -> Result<()> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    check_schema_version(&shown(path), found)?;
    if found < SCHEMA_VERSION as i64 {
        return Err(StoreError::ReadOnly {
            path: shown(path),
            reason: format!(
                "{reason}; it was written by an older version of CX Maturity and needs an update of its schema (version {found} to {SCHEMA_VERSION}), which cannot be written there"
            ),
        });
    }
    Ok(())
}
