//! `cxm org import FILE [--dry-run] [--json]` with engagement files of format 2: the
//! preview writes nothing and says whether the file is a new organisation or merges
//! into one stored here; the same file twice changes nothing the second time.
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

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

fn json(db: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&ok(db, args)).unwrap()
}

/// The database file and its side files, byte for byte.
fn bytes(db: &Path) -> Vec<Option<Vec<u8>>> {
    ["", "-wal", "-journal"]
        .iter()
        .map(|side| std::fs::read(format!("{}{side}", db.display())).ok())
        .collect()
}

/// Two databases, Anna's with the demo and Ben's with a copy of it from Anna's file, to
/// which Ben reopened the latest round, added a respondent with one answer and cleared
/// one answer; Ben's file.
struct Pair {
    _dir: tempfile::TempDir,
    anna: PathBuf,
    ben: PathBuf,
    anna_file: PathBuf,
    ben_file: PathBuf,
}

fn pair() -> Pair {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n);
    let (anna, ben, anna_file, ben_file) = (
        p("anna.sqlite"),
        p("ben.sqlite"),
        p("anna.cxmx"),
        p("ben.cxmx"),
    );
    ok(&anna, &["installation", "--name", "Anna's laptop"]);
    ok(&ben, &["installation", "--name", "Ben's laptop"]);
    ok(&anna, &["demo"]);
    ok(
        &anna,
        &["org", "export", "1", "-o", anna_file.to_str().unwrap()],
    );
    ok(&ben, &["org", "add", "Ben's own client"]);
    let out = ok(&ben, &["org", "import", anna_file.to_str().unwrap()]);
    assert!(out.ends_with(" 2\n"), "{out}");
    // The demo's rounds are closed: Ben reopens the latest, "Six-month review".
    ok(&ben, &["round", "reopen", "2"]);
    let out = ok(
        &ben,
        &["respondent", "add", "2", "Zoë", "--role", "manager"],
    );
    assert!(
        out.starts_with("added respondent “Zoë” to round 2"),
        "{out}"
    );
    ok(&ben, &["answer", "set", "2", "Zoë", "STR-1.1", "3"]);
    let first = json(&ben, &["respondent", "list", "2", "--json"])[0].clone();
    let name = first["name"].as_str().unwrap().to_string();
    ok(&ben, &["answer", "clear", "2", &name, "STR-1.2"]);
    ok(
        &ben,
        &["org", "export", "2", "-o", ben_file.to_str().unwrap()],
    );
    Pair {
        _dir: dir,
        anna,
        ben,
        anna_file,
        ben_file,
    }
}

#[test]
fn a_dry_run_shows_the_merge_and_writes_nothing() {
    let p = pair();
    let before = bytes(&p.anna);
    let text = ok(
        &p.anna,
        &["org", "import", p.ben_file.to_str().unwrap(), "--dry-run"],
    );
    assert!(
        text.starts_with(
            "ben.cxmx: merges into organisation “Northwind Energy” 1, written by Ben's laptop\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("in all: 1 respondent added, 1 answer added, 1 answer or note changed\n"),
        "{text}"
    );
    assert!(
        text.contains("“Six-month review” (cx-maturity@2, open): now open; 1 respondent added, 1 answer added, 1 answer or note changed\n"),
        "{text}"
    );
    assert!(text.ends_with("dry run: nothing was written\n"), "{text}");
    assert_eq!(bytes(&p.anna), before, "the dry run wrote nothing");

    let preview = json(
        &p.anna,
        &[
            "org",
            "import",
            p.ben_file.to_str().unwrap(),
            "--dry-run",
            "--json",
        ],
    );
    assert_eq!(preview["merge"], true);
    assert_eq!(preview["org"], 1);
    assert_eq!(preview["from"], "Ben's laptop");
    assert_eq!(preview["changed"], true);
    assert_eq!(preview["format_version"], 2);
    assert_eq!(preview["respondents_added"], 1);
    assert_eq!(preview["answers_added"], 1);
    assert_eq!(preview["answers_changed"], 1);
    assert_eq!(preview["concurrent"], Value::Array(vec![]));
    let rounds = preview["rounds"].as_array().unwrap();
    assert_eq!(rounds.len(), 1, "{preview}");
    assert_eq!(rounds[0]["title"], "Six-month review");
    assert_eq!(rounds[0]["added"], false);
    assert_eq!(rounds[0]["status"], "open");
    assert_eq!(rounds[0]["status_changed"], true);
    assert_eq!(bytes(&p.anna), before, "the dry run wrote nothing");

    // A file of an organisation not stored here: a new organisation.
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("fresh.sqlite");
    let text = ok(
        &fresh,
        &["org", "import", p.anna_file.to_str().unwrap(), "--dry-run"],
    );
    assert!(
        text.starts_with(
            "anna.cxmx: a new organisation “Northwind Energy”, written by Anna's laptop\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("in all: 2 rounds added, 30 respondents added"),
        "{text}"
    );
    assert_eq!(
        json(&fresh, &["org", "list", "--json", "--all"]),
        Value::Array(vec![])
    );
}

#[test]
fn importing_the_same_file_twice_changes_nothing_the_second_time() {
    let p = pair();
    let out = ok(&p.anna, &["org", "import", p.ben_file.to_str().unwrap()]);
    assert_eq!(
        out,
        "merged ben.cxmx into organisation “Northwind Energy”: 1 respondent added, 1 answer added, 1 answer or note changed 1\n"
    );
    let after = (
        ok(&p.anna, &["results", "2", "--json", "--explain"]),
        ok(&p.anna, &["export", "2", "--format", "json"]),
        ok(&p.anna, &["org", "list", "--json", "--all"]),
    );
    assert_eq!(
        after.0,
        ok(&p.ben, &["results", "2", "--json", "--explain"]),
        "Anna's round is Ben's"
    );
    // The preview says so, and the import changes nothing.
    let text = ok(
        &p.anna,
        &["org", "import", p.ben_file.to_str().unwrap(), "--dry-run"],
    );
    assert!(
        text.contains("\nnothing new: everything in this file is here already\n"),
        "{text}"
    );
    let before = bytes(&p.anna);
    let done = json(
        &p.anna,
        &["org", "import", p.ben_file.to_str().unwrap(), "--json"],
    );
    assert_eq!(done["merged"], true, "{done}");
    assert_eq!(done["changed"], false, "{done}");
    assert_eq!(done["org"], 1);
    assert_eq!(bytes(&p.anna), before, "nothing was written");
    for key in [
        "respondents_added",
        "respondents_changed",
        "respondents_deleted",
        "answers_added",
        "answers_changed",
        "rounds_added",
        "rounds_deleted",
    ] {
        assert_eq!(done[key], 0, "{key}: {done}");
    }
    let out = ok(&p.anna, &["org", "import", p.ben_file.to_str().unwrap()]);
    assert_eq!(
        out,
        "nothing new in ben.cxmx: organisation “Northwind Energy” has all of it already 1\n"
    );
    assert_eq!(
        (
            ok(&p.anna, &["results", "2", "--json", "--explain"]),
            ok(&p.anna, &["export", "2", "--format", "json"]),
            ok(&p.anna, &["org", "list", "--json", "--all"]),
        ),
        after
    );
    // Anna's own file back into her database: nothing new either.
    let out = ok(&p.anna, &["org", "import", p.anna_file.to_str().unwrap()]);
    assert!(out.starts_with("nothing new in anna.cxmx"), "{out}");
}

#[test]
fn respondent_and_answer_commands_name_what_is_wrong() {
    let p = pair();
    let fails = |args: &[&str]| -> String {
        let out = cxm(&p.ben, args);
        assert_eq!(out.status.code(), Some(1), "cxm {args:?}");
        String::from_utf8(out.stderr).unwrap()
    };
    let err = fails(&["answer", "set", "2", "Nobody", "STR-1.1", "2"]);
    assert!(err.contains("has no respondent “Nobody”"), "{err}");
    let err = fails(&["answer", "set", "2", "Zoë", "NOPE-1", "2"]);
    assert!(err.contains("NOPE-1"), "{err}");
    let err = fails(&["answer", "set", "2", "Zoë", "STR-1.1", "9"]);
    assert!(err.contains('9'), "{err}");
    let err = fails(&["respondent", "add", "2", "zoë", "--role", "manager"]);
    assert!(err.to_lowercase().contains("zoë"), "{err}");
    // By id as well as by name.
    let zoe = json(&p.ben, &["respondent", "list", "2", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "Zoë")
        .unwrap()["id"]
        .to_string();
    ok(&p.ben, &["answer", "set", "2", &zoe, "STR-1.2", "na"]);
    let history = json(
        &p.ben,
        &["answer", "history", "2", "Zoë", "STR-1.2", "--json"],
    );
    assert_eq!(history[0]["answer"], "na", "{history}");
    assert_eq!(history[0]["by"], "Ben's laptop");
    assert_eq!(history[0]["this"], true);
}
