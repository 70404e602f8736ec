//! `cxm plan` (issue 15): items from a round's actions or by hand, changed and listed;
//! the plan exported as CSV and a PMO's edits read back, refused as a whole with every
//! problem's cell; the projected phase in `cxm results --json`.
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use std::path::Path;
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

fn fails(db: &Path, args: &[&str]) -> String {
    let out = cxm(db, args);
    assert_eq!(out.status.code(), Some(1), "cxm {args:?} should fail");
    String::from_utf8(out.stderr).unwrap()
}

fn json(db: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&ok(db, args)).unwrap()
}

#[test]
fn a_plan_is_made_changed_exported_and_updated_from_the_pmo_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cxm.sqlite");
    ok(&db, &["demo"]);
    // The demo comes with a plan; this test makes one from scratch.
    for item in json(&db, &["plan", "list", "1", "--json"])["items"]
        .as_array()
        .unwrap()
    {
        ok(&db, &["plan", "delete", &item["id"].to_string(), "--yes"]);
    }
    let results = json(&db, &["results", "1", "--json"]);
    let tier1: Vec<String> = results["actions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["tier"] == 1)
        .map(|a| a["question"].as_str().unwrap().to_string())
        .collect();
    let before = results["projection"]["projected_phase"].as_u64().unwrap();
    assert_eq!(before, results["organisation_phase"].as_u64().unwrap());

    // From an action, with its fields; a bad field refuses it and adds nothing.
    let e = fails(
        &db,
        &[
            "plan",
            "add",
            "1",
            "--from-action",
            "1",
            &tier1[0],
            "--due",
            "soon",
        ],
    );
    assert!(e.contains("2027-Q1 or 2027-03-31"), "{e}");
    assert_eq!(
        json(&db, &["plan", "list", "1", "--json"])["items"],
        Value::Array(vec![])
    );
    for q in &tier1 {
        ok(
            &db,
            &[
                "plan",
                "add",
                "1",
                "--from-action",
                "1",
                q,
                "--owner",
                "Dana Park",
                "--due",
                "2026-Q4",
                "--effort",
                "M",
            ],
        );
    }
    let e = fails(&db, &["plan", "add", "1", "--from-action", "1", &tier1[0]]);
    assert!(e.contains("already in the plan"), "{e}");
    let out = ok(
        &db,
        &[
            "plan",
            "add",
            "1",
            "--title",
            "Map the move-home journey",
            "--block",
            "process",
            "--due",
            "2027-03-31",
        ],
    );
    assert!(
        out.trim().ends_with(&(tier1.len() + 1).to_string()),
        "{out}"
    );
    let e = fails(
        &db,
        &["plan", "add", "1", "--title", "x", "--block", "finance"],
    );
    assert!(e.contains("block `finance` is not in model"), "{e}");

    let plan = json(&db, &["plan", "list", "1", "--json"]);
    let items = plan["items"].as_array().unwrap();
    assert_eq!(items.len(), tier1.len() + 1);
    assert_eq!(items[0]["owner"], "Dana Park");
    assert_eq!(items[0]["planned_from"], 1);
    let first = items[0]["id"].as_i64().unwrap().to_string();
    ok(
        &db,
        &[
            "plan",
            "set",
            &first,
            "--status",
            "in_progress",
            "--owner",
            "",
        ],
    );
    let plan = json(&db, &["plan", "list", "1", "--json"]);
    assert_eq!(plan["items"][0]["status"], "in_progress");
    assert_eq!(plan["items"][0]["owner"], Value::Null);

    // The plan lifts the projected phase.
    let after = json(&db, &["results", "1", "--json", "--explain"]);
    let p = &after["projection"];
    assert!(p["projected_phase"].as_u64().unwrap() > before, "{p}");
    assert_eq!(p["items_counted"].as_u64().unwrap() as usize, tier1.len());
    assert!(p["explanation"].as_str().unwrap().contains("phase"));

    // CSV out, a PMO's edits back in.
    let csv = dir.path().join("plan.csv");
    ok(
        &db,
        &[
            "plan",
            "export",
            "1",
            "-o",
            csv.to_str().unwrap(),
            "--format",
            "csv",
        ],
    );
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    assert!(lines[0].starts_with("Item id,"), "{}", lines[0]);
    lines[1] = lines[1].replace(",In progress,", ",Done,");
    assert!(lines[1].contains(",Done,"), "{}", lines[1]);
    let edited = dir.path().join("edited.csv");
    std::fs::write(&edited, lines.join("\n") + "\n").unwrap();
    let preview = json(
        &db,
        &[
            "plan",
            "import",
            "1",
            edited.to_str().unwrap(),
            "--dry-run",
            "--json",
        ],
    );
    assert_eq!(preview["changes"].as_array().unwrap().len(), 1, "{preview}");
    assert_eq!(preview["changes"][0]["fields"][0]["to"], "done");
    assert_eq!(
        json(&db, &["plan", "list", "1", "--json"])["items"][0]["status"],
        "in_progress"
    );

    // A bad status and an unknown id: refused as a whole, every problem with its cell.
    let mut bad = lines.clone();
    bad[2] = bad[2].replacen(",Planned,", ",Finished,", 1);
    let id = bad[3].split(',').next().unwrap().to_string();
    bad[3] = bad[3].replacen(&id, "0b6c2f3e-5d7a-4c1b-9e8f-1a2b3c4d5e6f", 1);
    let broken = dir.path().join("broken.csv");
    std::fs::write(&broken, bad.join("\n") + "\n").unwrap();
    let bytes = |db: &Path| -> Vec<Option<Vec<u8>>> {
        ["", "-wal"]
            .iter()
            .map(|side| std::fs::read(format!("{}{side}", db.display())).ok())
            .collect()
    };
    let before = bytes(&db);
    let e = fails(&db, &["plan", "import", "1", broken.to_str().unwrap()]);
    assert_eq!(bytes(&db), before, "a refused import changed the database");
    assert!(e.contains("nothing was changed"), "{e}");
    assert!(e.contains("row 3") && e.contains("Finished"), "{e}");
    // Both problems at once: the unknown id too, with its cell.
    assert!(
        e.contains("row 4, column A (Item id)")
            && e.contains("is not an item of this organisation's plan"),
        "{e}"
    );
    assert_eq!(
        json(&db, &["plan", "list", "1", "--json"])["items"][0]["status"],
        "in_progress"
    );

    ok(&db, &["plan", "import", "1", edited.to_str().unwrap()]);
    assert_eq!(
        json(&db, &["plan", "list", "1", "--json"])["items"][0]["status"],
        "done"
    );

    // The workbook: written, an xlsx (zip) file.
    let xlsx = dir.path().join("plan.xlsx");
    ok(&db, &["plan", "export", "1", "-o", xlsx.to_str().unwrap()]);
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));

    fails(&db, &["plan", "delete", &first]);
    ok(&db, &["plan", "delete", &first, "--yes"]);
    assert_eq!(
        json(&db, &["plan", "list", "1", "--json"])["items"]
            .as_array()
            .unwrap()
            .len(),
        tier1.len()
    );
}
