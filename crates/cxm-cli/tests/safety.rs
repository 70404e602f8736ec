//! A client's data kept safe, through the `cxm` binary: outputs never replace the
//! database, files are private whatever the umask, hostile text is refused or shown
//! escaped, a read-only folder, a held lock, many first opens at once, and damage.
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Output, Stdio};
use std::time::Duration;

use assert_cmd::Command;
use cxm_domain::model::BUILT_IN_MODELS;

fn cxm_bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("cxm")
}

fn cxm(db: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("cxm")
        .unwrap()
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap()
}

fn ok(db: &Path, args: &[&str]) -> String {
    let out = cxm(db, args);
    assert!(
        out.status.success(),
        "cxm {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn fails(db: &Path, args: &[&str]) -> String {
    let out = cxm(db, args);
    assert!(!out.status.success(), "cxm {args:?} succeeded");
    assert_eq!(out.status.code(), Some(1), "cxm {args:?}");
    String::from_utf8(out.stderr).unwrap()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn integrity(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn no_output_option_can_replace_the_database_or_its_side_files() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cxm.sqlite");
    ok(&db, &["demo"]);
    // The app has the database open meanwhile (its -wal and -shm files exist).
    let app = rusqlite::Connection::open(&db).unwrap();
    app.execute_batch("PRAGMA journal_mode = WAL; SELECT count(*) FROM rounds;")
        .unwrap();
    let link = dir.path().join("link.pdf");
    std::os::unix::fs::symlink(&db, &link).unwrap();
    let hard = dir.path().join("hard.csv");
    std::fs::hard_link(&db, &hard).unwrap();
    let dotdot = dir.path().join("sub/../cxm.sqlite");
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let wal = dir.path().join("cxm.sqlite-wal");
    let shm = dir.path().join("cxm.sqlite-shm");
    let targets = [&db, &link, &hard, &dotdot, &wal, &shm];
    for target in targets {
        let t = target.to_str().unwrap();
        for args in [
            vec!["export", "2", "--format", "csv", "-o", t],
            vec!["export", "2", "--format", "actions-csv", "-o", t],
            vec!["export", "2", "--format", "json", "-o", t],
            vec!["report", "2", "-o", t],
            vec!["org", "export", "1", "-o", t],
            vec!["backup", "-o", t],
        ] {
            let err = fails(&db, &args);
            assert!(
                err.contains("is the CX Maturity database") && err.contains("nothing was written"),
                "{args:?}: {err}"
            );
        }
        let err = fails(&db, &["restore", t, "--yes"]);
        assert!(err.contains("not a backup of it"), "{t}: {err}");
    }
    // The app keeps writing to a whole database.
    app.execute("INSERT INTO settings VALUES ('after', 'ok')", [])
        .unwrap();
    drop(app);
    assert_eq!(integrity(&db), "ok");
    let list = ok(&db, &["round", "list"]);
    assert!(list.contains("Six-month review"), "{list}");
}

#[test]
fn files_are_private_whatever_the_umask() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let db = data.join("cxm.sqlite");
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let script = format!(
        "umask 000 && {cxm} --db {db} demo && {cxm} --db {db} export 2 -o {o}/answers.csv \
         && {cxm} --db {db} export 2 --format actions-csv -o {o}/actions.csv \
         && {cxm} --db {db} export 2 --format json -o {o}/answers.json \
         && {cxm} --db {db} org export 1 -o {o}/acme.json && {cxm} --db {db} backup -o {o}/copy.sqlite \
         && SOURCE_DATE_EPOCH=1700000000 {cxm} --db {db} report 2 -o {o}/board.pdf",
        cxm = cxm_bin().display(),
        db = db.display(),
        o = out_dir.display()
    );
    let status = Process::new("sh")
        .arg("-c")
        .arg(&script)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&db), 0o600);
    for f in [
        "answers.csv",
        "actions.csv",
        "answers.json",
        "acme.json",
        "copy.sqlite",
        "board.pdf",
    ] {
        assert_eq!(mode(&out_dir.join(f)), 0o600, "{f}");
    }
    // No temporary file was left next to the outputs.
    let names: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
}

#[test]
fn hostile_text_is_refused_and_what_is_already_stored_is_printed_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cxm.sqlite");
    let err = fails(&db, &["org", "add", "\u{1b}]0;owned\u{7}Acme"]);
    assert!(err.contains("escape character"), "{err}");
    assert!(
        !err.contains('\u{1b}'),
        "the error echoes the escape: {err:?}"
    );
    let err = fails(&db, &["org", "add", "Acme\u{202E}gpj.exe"]);
    assert!(err.contains("bidirectional override"), "{err}");
    let err = fails(&db, &["org", "add", "\u{200B}\u{200B}"]);
    assert!(err.contains("nothing visible"), "{err}");

    // A name stored by an older version is printed with its escapes visible.
    ok(&db, &["org", "add", "Placeholder"]);
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE organisations SET name = ?1",
            ["Evil\u{1b}[2J\u{1b}[31mCorp\u{202E}"],
        )
        .unwrap();
    let list = ok(&db, &["org", "list"]);
    assert!(
        !list.contains('\u{1b}') && !list.contains('\u{202E}'),
        "{list:?}"
    );
    assert!(list.contains("Evil\\u{1b}[2J"), "{list}");
}

#[test]
fn dates_must_have_four_digit_years() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cxm.sqlite");
    ok(&db, &["org", "add", "Acme"]);
    let out = cxm(
        &db,
        &[
            "round", "add", "--org", "1", "--title", "T", "--date", "26-03-10",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not a date written YYYY-MM-DD"), "{err}");
    ok(
        &db,
        &[
            "round",
            "add",
            "--org",
            "1",
            "--title",
            "T",
            "--date",
            "2026-03-10",
        ],
    );
}

/// Runs `cxm` as the unprivileged user `nobody` when the tests run as root (root may
/// write anywhere), else as the current user.
fn as_unprivileged(db: &Path, args: &[&str]) -> Output {
    let root = Process::new("id").arg("-u").output().unwrap().stdout == b"0\n";
    let mut cmd = if root {
        let mut c = Process::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(cxm_bin());
        c
    } else {
        Process::new(cxm_bin())
    };
    cmd.arg("--db")
        .arg(db)
        .args(args)
        .env("HOME", "/nonexistent");
    cmd.output().unwrap()
}

#[test]
fn a_database_in_a_read_only_folder_opens_read_only_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("shared");
    let db = folder.join("cxm.sqlite");
    ok(&db, &["demo"]);
    // Readable by everyone, writable by nobody but the owner.
    for (path, m) in [
        (dir.path(), 0o755),
        (folder.as_path(), 0o555),
        (db.as_path(), 0o444),
    ] {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(m)).unwrap();
    }
    let out = as_unprivileged(&db, &["round", "list"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("is open read-only"), "{err}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Six-month review"));
    let out = as_unprivileged(&db, &["results", "2", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = as_unprivileged(&db, &["org", "add", "New"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("read-only") && err.contains("nothing was changed"),
        "{err}"
    );
    assert!(
        !err.contains("attempt to write a readonly database"),
        "{err}"
    );
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o700)).unwrap();
}

#[test]
fn a_held_lock_makes_cxm_wait_and_then_explain() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cxm.sqlite");
    ok(&db, &["org", "add", "Acme"]);
    let holder = rusqlite::Connection::open(&db).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    // cxm waits for the lock (up to 30 s by default) and succeeds once it is released.
    let child = Process::new(cxm_bin())
        .arg("--db")
        .arg(&db)
        .args(["org", "add", "Waited"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    holder.execute_batch("COMMIT").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // With a short wait, it says who holds the database.
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let out = Command::cargo_bin("cxm")
        .unwrap()
        .env("CXM_BUSY_TIMEOUT_SECS", "1")
        .arg("--db")
        .arg(&db)
        .args(["org", "add", "Impatient"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("another CX Maturity process"), "{err}");
    holder.execute_batch("ROLLBACK").unwrap();
}

#[test]
fn many_processes_opening_a_fresh_database_at_once_all_succeed() {
    for _ in 0..2 {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("new").join("cxm.sqlite");
        let children: Vec<_> = (0..24)
            .map(|i| {
                Process::new(cxm_bin())
                    .arg("--db")
                    .arg(&db)
                    .args(if i % 2 == 0 {
                        vec!["model", "list"]
                    } else {
                        vec!["org", "add", "Concurrent"]
                    })
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        // Every built-in model version stored once.
        let list = ok(&db, &["model", "list", "--json"]);
        let models: serde_json::Value = serde_json::from_str(&list).unwrap();
        let keys: Vec<&str> = models
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["key"].as_str().unwrap())
            .collect();
        assert_eq!(keys, ["cx-maturity@1", "cx-maturity@2"]);
        assert_eq!(keys.len(), BUILT_IN_MODELS.len());
        let orgs = ok(&db, &["org", "list", "--json"]);
        let orgs: serde_json::Value = serde_json::from_str(&orgs).unwrap();
        assert_eq!(orgs.as_array().unwrap().len(), 12);
    }
}

#[test]
fn check_finds_damage_and_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let whole_db = dir.path().join("whole.sqlite");
    ok(&whole_db, &["demo"]);
    let whole = ok(&whole_db, &["check"]);
    assert!(whole.contains("is whole"), "{whole}");
    // Damage in the answers, and damage in the stored model versions (which every
    // open reads): `check` finds either and says what to do, and no backup is made.
    for table in ["answers", "model_versions"] {
        let pages: Vec<i64> = {
            let conn = rusqlite::Connection::open_with_flags(
                &whole_db,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
            )
            .unwrap();
            let mut stmt = conn
                .prepare("SELECT pageno FROM dbstat WHERE name = ?1 ORDER BY pageno")
                .unwrap();
            stmt.query_map([table], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        assert!(pages.len() >= 4, "{table}: {pages:?}");
        let db = dir.path().join(format!("{table}.sqlite"));
        let mut bytes = std::fs::read(&whole_db).unwrap();
        for page in &pages[pages.len() / 2..pages.len() / 2 + 2] {
            let start = (*page as usize - 1) * 4096;
            for b in &mut bytes[start..start + 12] {
                *b = 0xEE;
            }
        }
        std::fs::write(&db, bytes).unwrap();
        let err = fails(&db, &["check"]);
        assert!(
            err.contains("is damaged") && err.contains("restore the last good backup"),
            "damaged {table}: {err}"
        );
        let err = fails(
            &db,
            &[
                "backup",
                "-o",
                dir.path().join("b.sqlite").to_str().unwrap(),
            ],
        );
        assert!(err.contains("No backup was made"), "damaged {table}: {err}");
    }
}

#[test]
fn the_prepared_by_text_has_the_apps_rules_and_length() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cxm.sqlite");
    ok(&db, &["demo"]);
    let out = dir.path().join("board.pdf");
    let o = out.to_str().unwrap();
    let long = "x".repeat(10_000);
    let err = fails(&db, &["report", "2", "-o", o, "--prepared-by", &long]);
    assert!(
        err.contains("is too long (10000 characters; at most 200)"),
        "{err}"
    );
    let err = fails(
        &db,
        &["report", "2", "-o", o, "--prepared-by", "Jane\u{1b}[8m Doe"],
    );
    assert!(err.contains("escape character"), "{err}");
    assert!(!out.exists());
    ok(
        &db,
        &["report", "2", "-o", o, "--prepared-by", &"y".repeat(200)],
    );
}

#[test]
fn a_copy_with_its_write_ahead_log_on_read_only_media_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    let media = dir.path().join("media");
    std::fs::create_dir(&media).unwrap();
    let db = src.join("cxm.sqlite");
    ok(&db, &["demo"]);
    // A writer keeps the database open, so its latest changes sit in the -wal file; the
    // files are copied as they are (without the -shm file) onto read-only media.
    let writer = rusqlite::Connection::open(&db).unwrap();
    writer
        .execute_batch("INSERT INTO settings VALUES ('late', 'change')")
        .unwrap();
    for suffix in ["", "-wal"] {
        std::fs::copy(
            format!("{}{suffix}", db.display()),
            format!("{}/cxm.sqlite{suffix}", media.display()),
        )
        .unwrap();
    }
    drop(writer);
    let copy = media.join("cxm.sqlite");
    for (path, m) in [
        (dir.path().to_path_buf(), 0o755),
        (copy.clone(), 0o444),
        (media.join("cxm.sqlite-wal"), 0o444),
        (media.clone(), 0o555),
    ] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(m)).unwrap();
    }
    let out = as_unprivileged(&copy, &["round", "list"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("is read-only")
            && err.contains("copy the database together with its -wal file"),
        "{err}"
    );
    assert!(
        !err.contains("damaged") && !err.contains("unable to open"),
        "{err}"
    );
    std::fs::set_permissions(&media, std::fs::Permissions::from_mode(0o700)).unwrap();
}
