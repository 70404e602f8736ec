//! Opening a database file safely: inspect read-only first, then configure the
//! connection and migrate.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};

use crate::migrations::{APPLICATION_ID, SCHEMA_VERSION, migrations};
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

/// `path` with `suffix` appended to its file name (`cxm.sqlite-wal`).
fn companion(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
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

/// The per-connection settings every connection of ours gets.
pub(crate) fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(Duration::from_millis(5000))?;
    // Returns the mode in force ("memory" for an in-memory database).
    let _mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

/// Brings the schema to [`SCHEMA_VERSION`] in one transaction, with foreign keys off
/// while migrating (SQLite's table-rebuild procedure) and on again afterwards.
pub(crate) fn migrate(conn: &mut Connection, path: Option<&Path>) -> Result<()> {
    let shown = || path.map_or_else(|| PathBuf::from(":memory:"), Path::to_path_buf);
    // Checked again on the read-write connection: a write-ahead log left by a newer
    // build is only visible now.
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    check_schema_version(&shown(), found)?;
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let migrated = migrations().to_latest(conn);
    conn.pragma_update(None, "foreign_keys", "ON")?;
    migrated.map_err(|source| StoreError::Migration {
        path: shown().display().to_string(),
        source,
    })
}
