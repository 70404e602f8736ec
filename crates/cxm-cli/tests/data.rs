//! `cxm org export` / `cxm org import` and the round exports, end to end through the
//! binary: each test gets its own database files.
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn cxm(db: &Path, args: &[&str]) -> std::process::Output {
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

fn last_id(out: &str) -> String {
    let last = out.split_whitespace().last().unwrap().to_string();
    assert!(last.parse::<i64>().is_ok(), "last token of {out:?}");
    last
}

struct Dir(tempfile::TempDir);

impl Dir {
    fn new() -> Dir {
        Dir(tempfile::tempdir().unwrap())
    }
    fn path(&self, name: &str) -> PathBuf {
        self.0.path().join(name)
    }
}

#[test]
fn an_organisation_moves_between_databases_with_the_same_results_answers_and_notes() {
    let d = Dir::new();
    let (a, b, file) = (
        d.path("a.sqlite"),
        d.path("b.sqlite"),
        d.path("acme.cxm.json"),
    );
    ok(&a, &["demo"]);
    let out = ok(&a, &["org", "export", "1", "-o", file.to_str().unwrap()]);
    assert!(out.contains("2 rounds"), "{out}");
    ok(&b, &["org", "add", "Someone else"]);
    let out = ok(&b, &["org", "import", file.to_str().unwrap()]);
    let org = last_id(&out);
    assert_eq!(org, "2");
    assert!(out.contains("30 respondents"), "{out}");
    let rounds: Value =
        serde_json::from_str(&ok(&b, &["round", "list", "--org", &org, "--json"])).unwrap();
    let ids: Vec<String> = rounds
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].to_string())
        .collect();
    assert_eq!(ids.len(), 2);
    for (old, new) in ["1", "2"].iter().zip(&ids) {
        assert_eq!(
            ok(&a, &["results", old, "--json", "--explain"]),
            ok(&b, &["results", new, "--json", "--explain"]),
            "round {old} → {new}"
        );
        let answers = |db: &Path, id: &str| {
            let mut v: Value =
                serde_json::from_str(&ok(db, &["export", id, "--format", "json"])).unwrap();
            v["organisation"] = Value::Null;
            v
        };
        assert_eq!(answers(&a, old), answers(&b, new));
        assert_eq!(
            ok(&a, &["export", old, "--format", "csv"]),
            ok(&b, &["export", new, "--format", "csv"])
        );
    }
    // Importing into the database it came from merges it into itself: nothing new.
    let before = ok(&a, &["org", "list", "--json", "--all"]);
    let out = ok(&a, &["org", "import", file.to_str().unwrap()]);
    assert!(out.contains("nothing new"), "{out}");
    assert_eq!(last_id(&out), "1");
    assert_eq!(ok(&a, &["org", "list", "--json", "--all"]), before);
    // Another organisation of the same name (created elsewhere): both are kept, with a
    // warning.
    let c = d.path("c.sqlite");
    let orgs: Value = serde_json::from_str(&before).unwrap();
    let name = orgs[0]["name"].as_str().unwrap();
    ok(&c, &["org", "add", name]);
    let out = cxm(&c, &["org", "import", file.to_str().unwrap()]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("warning: another organisation named “{name}”")),
        "{err}"
    );
    assert_eq!(last_id(&String::from_utf8_lossy(&out.stdout)), "2");
}

#[test]
fn a_damaged_engagement_file_is_refused_and_changes_nothing() {
    let d = Dir::new();
    let (a, b, file) = (d.path("a.sqlite"), d.path("b.sqlite"), d.path("e.json"));
    ok(&a, &["demo"]);
    ok(&a, &["org", "export", "1", "-o", file.to_str().unwrap()]);
    let text = std::fs::read_to_string(&file).unwrap();
    ok(&b, &["org", "add", "Mine"]);
    let before = std::fs::read(&b).unwrap();
    for (what, bytes) in [
        ("truncated", text.as_bytes()[..text.len() - 200].to_vec()),
        (
            "edited",
            text.replacen("\"answer\":\"2\"", "\"answer\":\"4\"", 1)
                .into_bytes(),
        ),
        ("foreign", br#"{"hello": "world"}"#.to_vec()),
    ] {
        let bad = d.path("bad.json");
        std::fs::write(&bad, &bytes).unwrap();
        let out = cxm(&b, &["org", "import", bad.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{what}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("nothing was imported"), "{what}: {err}");
        assert_eq!(std::fs::read(&b).unwrap(), before, "{what}");
    }
    assert!(ok(&b, &["org", "list"]).contains("Mine"));
}

#[test]
fn the_actions_csv_lists_the_next_phase_actions_for_an_action_plan() {
    let d = Dir::new();
    let a = d.path("a.sqlite");
    ok(&a, &["demo"]);
    let csv = ok(&a, &["export", "2", "--format", "actions-csv"]);
    let results: Value = serde_json::from_str(&ok(&a, &["results", "2", "--json"])).unwrap();
    let actions = results["actions"].as_array().unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "tier,block,block_name,question,text,phase,phase_name,attainment,priority,recommendation"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), actions.len());
    let first = rows[0];
    assert!(
        first.starts_with(&format!(
            "{},{},",
            actions[0]["tier"],
            actions[0]["block"].as_str().unwrap()
        )),
        "{first}"
    );
    assert!(first.contains(actions[0]["question"].as_str().unwrap()));
    let file = d.path("actions.csv");
    ok(
        &a,
        &[
            "export",
            "2",
            "--format",
            "actions-csv",
            "-o",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), csv);
}

#[test]
fn a_backup_restores_the_data_it_was_taken_with() {
    let d = Dir::new();
    let (db, copy) = (d.path("live.sqlite"), d.path("before.sqlite"));
    ok(&db, &["demo"]);
    let before = ok(&db, &["results", "2", "--json"]);
    let out = ok(&db, &["backup", "-o", copy.to_str().unwrap()]);
    assert!(out.contains("backed up"), "{out}");
    // A change after the backup…
    ok(&db, &["round", "delete", "2", "--yes"]);
    assert!(!cxm(&db, &["results", "2"]).status.success());
    // …is undone by the restore, which asks for --yes first.
    let refused = cxm(&db, &["restore", copy.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--yes"));
    assert!(
        !cxm(&db, &["results", "2"]).status.success(),
        "nothing restored yet"
    );
    ok(&db, &["restore", copy.to_str().unwrap(), "--yes"]);
    assert_eq!(ok(&db, &["results", "2", "--json"]), before);
}

#[test]
fn a_file_that_is_not_a_backup_is_refused_and_nothing_changes() {
    let d = Dir::new();
    let (db, notes) = (d.path("live.sqlite"), d.path("notes.sqlite"));
    ok(&db, &["demo"]);
    std::fs::write(&notes, b"meeting notes, not a database\n".repeat(50)).unwrap();
    let before = std::fs::read(&db).unwrap();
    let out = cxm(&db, &["restore", notes.to_str().unwrap(), "--yes"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a CX Maturity database"), "{err}");
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "the database is unchanged"
    );
    assert!(std::fs::read(&notes).unwrap().starts_with(b"meeting notes"));
}
