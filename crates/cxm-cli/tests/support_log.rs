//! The support log through the binary: a session full of a client's data leaves none of
//! it in the log, only command names, ids and outcomes; the folder and files are
//! private; a log that cannot be written never stops a command; `CXM_LOG` sets the
//! level.
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// What must never reach the log: names, titles, answers' text, notes, a file's name.
const SECRETS: &[&str] = &[
    "Zyxwv",
    "Secret Org",
    "Qwerty",
    "Hushhush",
    "Secretdept",
    "confidential-note-text",
    "Plughxyzzy",
];

struct Session {
    dir: tempfile::TempDir,
    db: PathBuf,
}

impl Session {
    fn new() -> Session {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("data").join("cxm.sqlite");
        Session { dir, db }
    }

    fn file(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    fn run(&self, args: &[&str]) -> std::process::Output {
        Command::cargo_bin("cxm")
            .unwrap()
            .env_remove("CXM_LOG")
            .arg("--db")
            .arg(&self.db)
            .args(args)
            .output()
            .unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "cxm {args:?} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "cxm {args:?}");
        String::from_utf8(out.stdout).unwrap()
    }

    /// Fails with a message (which may name the client); returns it.
    fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(out.status.code(), Some(1), "cxm {args:?}");
        String::from_utf8(out.stderr).unwrap()
    }

    fn logs(&self) -> PathBuf {
        self.db.parent().unwrap().join("logs")
    }

    /// Every log file's text, concatenated.
    fn log_text(&self) -> String {
        let mut text = String::new();
        for entry in std::fs::read_dir(self.logs()).unwrap() {
            text += &std::fs::read_to_string(entry.unwrap().path()).unwrap();
        }
        text
    }
}

fn last_id(out: &str) -> String {
    let last = out.split_whitespace().last().unwrap().to_string();
    assert!(last.parse::<i64>().is_ok(), "last token of {out:?}");
    last
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_session_with_a_clients_data_leaves_only_ids_and_events_in_the_log() {
    let s = Session::new();
    let org = last_id(&s.ok(&["org", "add", "Zyxwv Secret Org"]));
    let round = last_id(&s.ok(&[
        "round",
        "add",
        "--org",
        &org,
        "--title",
        "Hushhush Baseline",
        "--date",
        "2026-01-15",
    ]));
    let csv = s.file("Zyxwv answers.csv");
    std::fs::write(
        &csv,
        "respondent,role,department,STR-1.1,STR-1.2,STR-1.4,VOC-1.1\n\
         Qwerty Person,executive,Secretdept,4,3,dk,4\n\
         Plughxyzzy Other,manager,Secretdept,2,1,1,3\n",
    )
    .unwrap();
    s.ok(&["import-responses", "--round", &round, &csv]);
    // A note, as the app's interview writes it.
    let conn = rusqlite::Connection::open(&s.db).unwrap();
    let noted = conn
        .execute(
            "UPDATE answers SET note = 'confidential-note-text' WHERE question_id = 'STR-1.1'",
            [],
        )
        .unwrap();
    assert_eq!(noted, 2);
    drop(conn);

    let answers = s.ok(&["export", &round, "--format", "json"]);
    assert!(answers.contains("confidential-note-text"), "{answers}");
    s.ok(&["results", &round, "--json"]);
    s.ok(&["results", &round, "--explain"]);
    let engagement = s.file("Zyxwv Secret Org.json");
    s.ok(&["org", "export", &org, "-o", &engagement]);
    // Imported next to the original: renamed, with a note naming it on standard error.
    let imported = s.run(&["org", "import", &engagement]);
    assert!(imported.status.success());
    let copy = last_id(&String::from_utf8(imported.stdout).unwrap());
    s.ok(&["org", "rename", &copy, "Zyxwv Secret Org copy"]);
    s.ok(&["report", &round, "-o", &s.file("Zyxwv board.pdf")]);
    s.ok(&["round", "list", "--json"]);
    s.ok(&["model", "list"]);
    // Failures whose messages name the client.
    let refused = s.fails(&["round", "delete", &round]);
    assert!(refused.contains("Hushhush"), "{refused}");
    let missing = s.fails(&["import-responses", "--round", &round, &s.file("Qwerty.csv")]);
    assert!(missing.contains("Qwerty"), "{missing}");
    // A wrong command line is clap's: not run, not logged.
    assert_eq!(s.run(&["org", "add"]).status.code(), Some(2));

    let text = s.log_text();
    for secret in SECRETS {
        assert!(
            !text.to_lowercase().contains(&secret.to_lowercase()),
            "{secret} in the log:\n{text}"
        );
    }
    // No path a person chose (the folder of the files above), only the database's.
    let chosen = s.dir.path().join("Zyxwv").display().to_string();
    assert!(!text.contains(&chosen));
    assert!(
        text.contains(&format!("{:?}", s.db.display().to_string())),
        "{text}"
    );
    // The commands by name, each started and done, and how they ended.
    for name in [
        "org add",
        "round add",
        "import-responses",
        "export",
        "results",
        "org export",
        "org import",
        "org rename",
        "report",
        "round list",
        "model list",
        "round delete",
    ] {
        let started = format!("command started command=\"{name}\"");
        let done = format!("command done command=\"{name}\"");
        assert!(text.contains(&started), "{started}:\n{text}");
        assert!(text.contains(&done), "{done}:\n{text}");
    }
    assert!(text.contains("command=\"round delete\" ms="), "{text}");
    let delete = text
        .lines()
        .find(|l| l.contains("command done command=\"round delete\""))
        .unwrap();
    assert!(delete.ends_with("outcome=error status=1"), "{delete}");
    assert!(delete.contains(" WARN cli["), "{delete}");
    let results = text
        .lines()
        .find(|l| l.contains("command done command=\"results\""))
        .unwrap();
    assert!(results.ends_with("outcome=ok"), "{results}");
    // Counts, not contents.
    assert!(
        text.contains(&format!(
            "responses imported round={round} respondents=2 answers=8 already_imported=0"
        )),
        "{text}"
    );
    assert!(text.contains("engagement imported organisation="), "{text}");
    assert!(text.contains("database opened path="), "{text}");
    // clap refused `org add` with no name before anything ran.
    assert_eq!(
        text.matches("command started command=\"org add\"").count(),
        1,
        "{text}"
    );

    assert_eq!(mode(&s.logs()), 0o700);
    let files: Vec<PathBuf> = std::fs::read_dir(s.logs())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(!files.is_empty());
    for file in &files {
        assert_eq!(mode(file), 0o600, "{}", file.display());
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let date = name.strip_prefix("cxm.log.").unwrap();
        assert!(
            chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok(),
            "{name}"
        );
    }
}

#[test]
fn cxm_log_sets_the_level_and_a_wrong_value_is_said_once() {
    let s = Session::new();
    s.ok(&["org", "list"]);
    let before = s.log_text();
    assert!(
        before.contains("command done command=\"org list\""),
        "{before}"
    );
    // `off`: nothing more is written.
    let out = Command::cargo_bin("cxm")
        .unwrap()
        .env("CXM_LOG", "off")
        .arg("--db")
        .arg(&s.db)
        .args(["round", "list"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(s.log_text(), before);
    // `warn`: only what went wrong.
    let out = Command::cargo_bin("cxm")
        .unwrap()
        .env("CXM_LOG", "warn")
        .arg("--db")
        .arg(&s.db)
        .args(["results", "999"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = s.log_text();
    assert!(
        !text.contains("command started command=\"results\""),
        "{text}"
    );
    assert!(text.contains("command done command=\"results\""), "{text}");
    // Not a level: one warning, the command runs and logs at info.
    let out = Command::cargo_bin("cxm")
        .unwrap()
        .env("CXM_LOG", "cxm=trace")
        .arg("--db")
        .arg(&s.db)
        .args(["model", "list"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("CXM_LOG=`cxm=trace` is not a log level"),
        "{err}"
    );
    assert!(s.log_text().contains("command done command=\"model list\""));
}

#[test]
fn a_log_that_cannot_be_written_never_stops_a_command() {
    let s = Session::new();
    std::fs::create_dir_all(s.db.parent().unwrap()).unwrap();
    // `logs` is taken by a file: no folder can be made there.
    std::fs::write(s.logs(), "not a folder").unwrap();
    let file_mode = mode(&s.logs());
    let out = s.run(&["org", "add", "Acme"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("warning: no support log: "), "{err}");
    let out = s.run(&["org", "list", "--json"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("Acme"));
    // The file is left as it was.
    assert_eq!(std::fs::read_to_string(s.logs()).unwrap(), "not a folder");
    assert_eq!(mode(&s.logs()), file_mode);
}
