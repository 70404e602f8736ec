//! Files the application writes besides its database: exports, reports, engagement
//! files and backups, and the folders they live in.
//!
//! - [`write_atomically`]: the bytes go to a temporary file created exclusively
//!   (`O_EXCL`, never through an existing name or symbolic link) in the target's folder,
//!   are synced to disk, then renamed over the target and the folder synced: a reader
//!   sees the old file or the new one, never half of one; a crash leaves at most a
//!   hidden temporary file.
//! - Every file written is private to the user (`0600` on Unix, whatever the umask),
//!   and the folders created for the data and the backups are `0700`.
//! - [`refuse_database`]: no output may be the live database or one of its `-wal`,
//!   `-shm` or `-journal` files, by name (after resolving `..` and symbolic links in the
//!   folder) or by identity (device and inode: a hard link or a symbolic link to it).
//!   Replacing the database under an open connection corrupts it at its next commit.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::{Result, StoreError};

/// The side files SQLite keeps next to a database.
pub const COMPANION_SUFFIXES: [&str; 3] = ["-wal", "-shm", "-journal"];

/// `path` with `suffix` appended to its file name (`cxm.sqlite-wal`).
pub(crate) fn companion(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// `path` with its folder resolved (symbolic links, `..`), the file name kept as it
/// is: what the path names even when the file does not exist yet.
fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match (absolute.parent(), absolute.file_name()) {
        (Some(dir), Some(name)) => std::fs::canonicalize(dir)
            .map(|d| d.join(name))
            .unwrap_or(absolute),
        _ => absolute,
    }
}

#[cfg(unix)]
fn same_inode(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_inode(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    false
}

/// Refuses `output` when it is the database at `db` or one of its side files
/// ([`COMPANION_SUFFIXES`]), by name or as the same file (hard or symbolic link).
/// Returns [`StoreError::OutputIsDatabase`].
pub fn refuse_database(output: &Path, db: &Path) -> Result<()> {
    let refuse = |which: &str| {
        Err(StoreError::OutputIsDatabase {
            path: output.to_path_buf(),
            which: which.to_string(),
        })
    };
    let out_resolved = resolved(output);
    // What `output` is on disk, following links (it may not exist yet).
    let out_meta = std::fs::metadata(output).ok();
    for suffix in std::iter::once("").chain(COMPANION_SUFFIXES) {
        let target = if suffix.is_empty() {
            db.to_path_buf()
        } else {
            companion(db, suffix)
        };
        let which = if suffix.is_empty() {
            "the CX Maturity database".to_string()
        } else {
            format!("the CX Maturity database's {suffix} file")
        };
        if resolved(&target) == out_resolved {
            return refuse(&which);
        }
        if let (Some(out), Ok(t)) = (&out_meta, std::fs::metadata(&target))
            && same_inode(out, &t)
        {
            return refuse(&which);
        }
    }
    Ok(())
}

/// Makes `path` readable and writable by its owner only (`0600`). No-op elsewhere.
pub fn make_private(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(path)?;
        if meta.permissions().mode() & 0o077 != 0 || meta.permissions().mode() & 0o600 != 0o600 {
            let mode = if meta.is_dir() { 0o700 } else { 0o600 };
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Creates `dir` and any missing parents; the folders created are private to the
/// user (`0700`, whatever the umask). An existing folder is left as it is.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    let io = |source| StoreError::Io {
        action: "create the folder",
        path: dir.to_path_buf(),
        source,
    };
    // The folders that do not exist yet, outermost first.
    let mut missing = Vec::new();
    let mut cursor = Some(dir);
    while let Some(d) = cursor.filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
        missing.push(d.to_path_buf());
        cursor = d.parent();
    }
    for d in missing.iter().rev() {
        match std::fs::create_dir(d) {
            Ok(()) => make_private(d).map_err(io)?,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && d.is_dir() => {}
            Err(e) => return Err(io(e)),
        }
    }
    Ok(())
}

/// Syncs a folder so a rename in it survives a crash (Unix; no-op elsewhere).
pub(crate) fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// The folder a file path lives in (`.` for a bare name).
pub(crate) fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// A new, empty temporary file next to `target`, created exclusively and private to
/// the user, named `.<target name>.<random>.tmp`. It is deleted when dropped unless
/// persisted.
pub(crate) fn temp_next_to(target: &Path) -> Result<tempfile::NamedTempFile> {
    let dir = folder_of(target);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| StoreError::Invalid(format!("{} is not a file path", target.display())))?;
    let cannot_write = |source| StoreError::Io {
        action: "write",
        path: target.to_path_buf(),
        source,
    };
    if !dir.is_dir() {
        return Err(cannot_write(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("the folder {} does not exist", dir.display()),
        )));
    }
    tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| {
            // tempfile appends "at path …" (a random name): say it plainly.
            let message = e.to_string();
            let plain = message.split(" at path ").next().unwrap_or(&message);
            cannot_write(std::io::Error::new(e.kind(), plain.to_string()))
        })
}

/// Moves a finished temporary file over `target` (replacing it) and syncs the folder.
pub(crate) fn persist(tmp: tempfile::NamedTempFile, target: &Path) -> Result<()> {
    if target.is_dir() {
        return Err(StoreError::Invalid(format!(
            "{} is a folder: choose a file name",
            target.display()
        )));
    }
    tmp.persist(target).map_err(|e| StoreError::Io {
        action: "move the new file into place at",
        path: target.to_path_buf(),
        source: e.error,
    })?;
    sync_dir(folder_of(target));
    Ok(())
}

/// Writes `bytes` to `target` atomically and privately (see the module's
/// documentation); with `database` set, refuses a target that is that database or one
/// of its side files first. An existing file at `target` is replaced.
pub fn write_atomically(target: &Path, bytes: &[u8], database: Option<&Path>) -> Result<()> {
    if let Some(db) = database {
        refuse_database(target, db)?;
    }
    let mut tmp = temp_next_to(target)?;
    let io = |source| StoreError::Io {
        action: "write",
        path: target.to_path_buf(),
        source,
    };
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    persist(tmp, target)
}

/// Deletes the temporary files that a backup killed halfway left in `dir`: hidden
/// files named after a backup and ending in `.tmp` (and their SQLite side files), that
/// no running backup holds locked. Returns how many were deleted.
pub(crate) fn clean_stale_temporaries(dir: &Path, stem: &str) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut deleted = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix('.') else {
            continue;
        };
        if !rest.starts_with(stem) {
            continue;
        }
        let main = ["-journal", "-wal", "-shm"]
            .iter()
            .find_map(|s| rest.strip_suffix(s))
            .unwrap_or(rest);
        if !main.ends_with(".tmp") {
            continue;
        }
        let path = entry.path();
        // A backup in progress holds its temporary file locked.
        let main_path = dir.join(format!(".{main}"));
        let in_use = match File::open(&main_path) {
            Ok(f) => match f.try_lock() {
                Ok(()) => false,
                Err(std::fs::TryLockError::WouldBlock) => true,
                Err(std::fs::TryLockError::Error(_)) => true,
            },
            Err(_) => false, // the main file is gone: a leftover side file
        };
        if !in_use && std::fs::remove_file(&path).is_ok() {
            deleted += 1;
        }
    }
    deleted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn writes_replace_the_target_privately_and_leave_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.csv");
        std::fs::write(&target, "old").unwrap();
        write_atomically(&target, b"new", None).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        #[cfg(unix)]
        assert_eq!(mode(&target), 0o600);
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["out.csv"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_at_the_target_is_replaced_not_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, "keep me").unwrap();
        let target = dir.path().join("out.csv");
        std::os::unix::fs::symlink(&victim, &target).unwrap();
        write_atomically(&target, b"data", None).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "data");
    }

    #[test]
    fn the_database_and_its_side_files_are_refused_however_they_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("cxm.sqlite");
        std::fs::write(&db, "db").unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let cases = [
            db.clone(),
            dir.path().join("sub/../cxm.sqlite"),
            dir.path().join("cxm.sqlite-wal"),
            dir.path().join("cxm.sqlite-shm"),
            dir.path().join("./cxm.sqlite-journal"),
        ];
        for out in &cases {
            let e = refuse_database(out, &db).unwrap_err();
            assert_eq!(e.code(), "output_is_database", "{}", out.display());
        }
        #[cfg(unix)]
        {
            let link = dir.path().join("link.pdf");
            std::os::unix::fs::symlink(&db, &link).unwrap();
            assert!(refuse_database(&link, &db).is_err());
            let hard = dir.path().join("hard.csv");
            std::fs::hard_link(&db, &hard).unwrap();
            let e = write_atomically(&hard, b"x", Some(&db)).unwrap_err();
            assert!(e.to_string().contains("is the CX Maturity database"), "{e}");
            let linked_dir = dir.path().join("linked");
            std::os::unix::fs::symlink(dir.path(), &linked_dir).unwrap();
            assert!(refuse_database(&linked_dir.join("cxm.sqlite-wal"), &db).is_err());
        }
        assert_eq!(std::fs::read_to_string(&db).unwrap(), "db");
        refuse_database(&dir.path().join("other.sqlite"), &db).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn created_folders_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("a/b/c");
        create_private_dir(&deep).unwrap();
        for d in ["a", "a/b", "a/b/c"] {
            assert_eq!(mode(&dir.path().join(d)), 0o700, "{d}");
        }
    }

    #[test]
    fn stale_temporaries_are_cleaned_but_not_one_in_use() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir
            .path()
            .join(".cxm-backup-20260101-000000-auto.sqlite.4242-0.tmp");
        std::fs::write(&stale, "half").unwrap();
        let stale_journal = dir
            .path()
            .join(".cxm-backup-20260101-000000-auto.sqlite.4242-0.tmp-journal");
        std::fs::write(&stale_journal, "j").unwrap();
        let busy = dir
            .path()
            .join(".cxm-backup-20260102-000000-auto.sqlite.abc.tmp");
        let held = File::create(&busy).unwrap();
        held.lock().unwrap();
        let other = dir.path().join(".notes.tmp");
        std::fs::write(&other, "not ours").unwrap();
        assert_eq!(clean_stale_temporaries(dir.path(), "cxm-backup-"), 2);
        assert!(!stale.exists() && !stale_journal.exists());
        assert!(busy.exists() && other.exists());
        drop(held);
    }
}
