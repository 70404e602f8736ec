//! The kill -9 loop: every multi-row write `cxm` makes, killed at random moments, leaves
//! the database whole and the write either done completely or not at all.
//!
//! Each operation runs once to measure how long it takes, then `CXM_KILL_CASES` times
//! (default 6, so CI stays quick; `CXM_KILL_CASES=200` for a long run) with a SIGKILL
//! at a random moment within that time. After each kill: `PRAGMA integrity_check` says
//! ok, the operation's effect is all or nothing, and `cxm` still works on the file.
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags};

fn cxm_bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("cxm")
}

fn cases() -> usize {
    std::env::var("CXM_KILL_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(6)
}

fn run(db: &Path, args: &[&str]) -> String {
    let out = Process::new(cxm_bin())
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cxm {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn spawn(db: &Path, args: &[&str]) -> Child {
    Process::new(cxm_bin())
        .arg("--db")
        .arg(db)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn query(db: &Path, sql: &str) -> i64 {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn integrity(db: &Path) -> String {
    let conn = Connection::open(db).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

/// A small deterministic generator (xorshift), so a failing case can be replayed with
/// `CXM_KILL_SEED`.
struct Rng(u64);

impl Rng {
    fn new() -> Rng {
        let seed = std::env::var("CXM_KILL_SEED")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0x9E37_79B9_7F4A_7C15);
        Rng(seed)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// One operation under test: how to prepare a fresh case, the command, and the check
/// that its effect is all or nothing.
struct Operation {
    name: &'static str,
    prepare: Box<dyn Fn(&Path)>,
    args: Vec<String>,
    check: Box<dyn Fn(&Path)>,
}

/// Runs `op` once to time it, then `cases()` times killed at random moments.
fn kill_loop(op: &Operation, rng: &mut Rng, work: &Path) {
    let db = work.join(format!("{}.sqlite", op.name));
    let args: Vec<&str> = op.args.iter().map(String::as_str).collect();
    let clean = |db: &Path| {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
    };
    clean(&db);
    (op.prepare)(&db);
    let started = Instant::now();
    run(&db, &args);
    let took = started.elapsed().as_micros() as u64;
    (op.check)(&db);
    let mut killed_midway = 0;
    for case in 0..cases() {
        clean(&db);
        (op.prepare)(&db);
        let delay = Duration::from_micros(rng.below(took + took / 5 + 1));
        let mut child = spawn(&db, &args);
        std::thread::sleep(delay);
        let _ = child.kill();
        let status = child.wait().unwrap();
        if !status.success() {
            killed_midway += 1;
        }
        assert_eq!(
            integrity(&db),
            "ok",
            "{} case {case} (killed after {delay:?})",
            op.name
        );
        (op.check)(&db);
        // The file still works for the next command.
        run(&db, &["round", "list"]);
    }
    eprintln!(
        "{}: {} cases, {killed_midway} killed before finishing (a clean run takes {} ms)",
        op.name,
        cases(),
        took / 1000
    );
}

#[test]
fn every_multi_row_write_killed_at_random_is_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().to_path_buf();
    let mut rng = Rng::new();

    // Shared inputs: a demo database, its engagement file, a backup of it with a marker,
    // and a 2,000-row responses file.
    let source = work.join("source.sqlite");
    run(&source, &["demo"]);
    let engagement = work.join("northwind.json");
    run(
        &source,
        &["org", "export", "1", "-o", engagement.to_str().unwrap()],
    );
    let backup = work.join("backup.sqlite");
    Connection::open(&source)
        .unwrap()
        .execute("INSERT INTO settings VALUES ('marker', 'backup')", [])
        .unwrap();
    run(&source, &["backup", "-o", backup.to_str().unwrap()]);
    let model: serde_json::Value =
        serde_json::from_str(&run(&source, &["model", "show", "--json"])).unwrap();
    let questions: Vec<String> = model["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap().to_string())
        .collect();
    let csv = work.join("responses.csv");
    let mut text = format!("respondent,role,department,{}\n", questions.join(","));
    for i in 0..2000 {
        let cells: Vec<String> = (0..questions.len())
            .map(|q| ((i + q) % 5).to_string())
            .collect();
        text.push_str(&format!("P{i:05},manager,Ops,{}\n", cells.join(",")));
    }
    std::fs::write(&csv, text).unwrap();
    let answers_per_import = 2000 * questions.len() as i64;
    let answers_per_demo = query(&source, "SELECT count(*) FROM answers");

    let with_round = |db: &Path| {
        run(db, &["org", "add", "Acme"]);
        run(
            db,
            &[
                "round",
                "add",
                "--org",
                "1",
                "--title",
                "Survey",
                "--date",
                "2026-01-15",
            ],
        );
    };
    let with_demo = {
        let source = source.clone();
        move |db: &Path| {
            std::fs::copy(&source, db).unwrap();
            Connection::open(db)
                .unwrap()
                .execute("DELETE FROM settings WHERE key = 'marker'", [])
                .unwrap();
        }
    };
    let out = work.join("out");
    std::fs::create_dir_all(&out).unwrap();

    let operations = vec![
        Operation {
            name: "demo",
            prepare: Box::new(|_| {}),
            args: vec!["demo".into()],
            check: Box::new(move |db| {
                // A fresh database, killed maybe before it even existed.
                if !db.exists() || query(db, "SELECT count(*) FROM sqlite_schema") == 0 {
                    return;
                }
                let orgs = query(db, "SELECT count(*) FROM organisations");
                let people = query(db, "SELECT count(*) FROM respondents");
                let answers = query(db, "SELECT count(*) FROM answers");
                assert!(
                    (orgs, people, answers) == (0, 0, 0)
                        || (orgs, people, answers) == (1, 30, answers_per_demo),
                    "half a demo: {orgs} organisations, {people} respondents, {answers} answers"
                );
            }),
        },
        Operation {
            name: "import-responses",
            prepare: Box::new(with_round),
            args: vec![
                "import-responses".into(),
                "--round".into(),
                "1".into(),
                csv.display().to_string(),
            ],
            check: Box::new(move |db| {
                let people = query(db, "SELECT count(*) FROM respondents");
                let answers = query(db, "SELECT count(*) FROM answers");
                let summary = query(db, "SELECT respondents FROM rounds WHERE id = 1");
                assert!(
                    (people, answers, summary) == (0, 0, 0)
                        || (people, answers, summary) == (2000, answers_per_import, 2000),
                    "half an import: {people} respondents, {answers} answers, summary says {summary}"
                );
            }),
        },
        Operation {
            name: "org-import",
            prepare: Box::new(with_round),
            args: vec![
                "org".into(),
                "import".into(),
                engagement.display().to_string(),
            ],
            check: Box::new(move |db| {
                let orgs = query(db, "SELECT count(*) FROM organisations");
                let people = query(db, "SELECT count(*) FROM respondents");
                let rounds = query(db, "SELECT count(*) FROM rounds");
                assert!(
                    (orgs, rounds, people) == (1, 1, 0) || (orgs, rounds, people) == (2, 3, 30),
                    "half an engagement: {orgs} organisations, {rounds} rounds, {people} respondents"
                );
            }),
        },
        Operation {
            name: "restore",
            prepare: Box::new(with_round),
            args: vec![
                "restore".into(),
                backup.display().to_string(),
                "--yes".into(),
            ],
            check: Box::new(|db| {
                let marker = query(
                    db,
                    "SELECT count(*) FROM settings WHERE key = 'marker' AND value = 'backup'",
                );
                let people = query(db, "SELECT count(*) FROM respondents");
                let orgs = query(db, "SELECT count(*) FROM organisations");
                assert!(
                    (marker, orgs, people) == (0, 1, 0) || (marker, orgs, people) == (1, 1, 30),
                    "half a restore: marker {marker}, {orgs} organisations, {people} respondents"
                );
            }),
        },
        Operation {
            name: "backup",
            prepare: Box::new({
                let with_demo = with_demo.clone();
                let out = out.clone();
                move |db| {
                    with_demo(db);
                    let _ = std::fs::remove_file(out.join("copy.sqlite"));
                }
            }),
            args: vec![
                "backup".into(),
                "-o".into(),
                out.join("copy.sqlite").display().to_string(),
            ],
            check: Box::new({
                let out = out.clone();
                move |_| {
                    let copy = out.join("copy.sqlite");
                    if copy.exists() {
                        assert_eq!(integrity(&copy), "ok");
                        assert_eq!(query(&copy, "SELECT count(*) FROM respondents"), 30);
                    }
                }
            }),
        },
        Operation {
            name: "round-delete",
            prepare: Box::new(with_demo.clone()),
            args: vec!["round".into(), "delete".into(), "2".into(), "--yes".into()],
            check: Box::new(|db| {
                let rounds = query(db, "SELECT count(*) FROM rounds");
                let people = query(db, "SELECT count(*) FROM respondents");
                assert!(
                    (rounds, people) == (2, 30) || (rounds, people) == (1, 14),
                    "half a delete: {rounds} rounds, {people} respondents"
                );
            }),
        },
        Operation {
            name: "org-export",
            prepare: Box::new({
                let with_demo = with_demo.clone();
                let out = out.clone();
                move |db| {
                    with_demo(db);
                    let _ = std::fs::remove_file(out.join("export.json"));
                }
            }),
            args: vec![
                "org".into(),
                "export".into(),
                "1".into(),
                "-o".into(),
                out.join("export.json").display().to_string(),
            ],
            check: Box::new({
                let out = out.clone();
                move |_| {
                    let file = out.join("export.json");
                    if file.exists() {
                        let text = std::fs::read_to_string(&file).unwrap();
                        serde_json::from_str::<serde_json::Value>(&text)
                            .unwrap_or_else(|e| panic!("half an export file: {e}"));
                    }
                }
            }),
        },
    ];
    for op in &operations {
        kill_loop(op, &mut rng, &work);
    }
}
