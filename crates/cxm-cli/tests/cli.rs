//! End-to-end tests of the `cxm` binary: each test gets its own database file.
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use cxm_domain::Model;
use serde_json::Value;

struct Db {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl Db {
    fn new() -> Db {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("test.sqlite");
        Db { _dir: dir, path }
    }

    fn dir(&self) -> &Path {
        self._dir.path()
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::cargo_bin("cxm").unwrap();
        c.arg("--db").arg(&self.path).args(args);
        c
    }

    /// Run successfully and return stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd(args).output().unwrap();
        assert!(
            out.status.success(),
            "cxm {args:?} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Run, expect failure, return stderr.
    fn fails(&self, args: &[&str]) -> String {
        let out = self.cmd(args).output().unwrap();
        assert!(!out.status.success(), "cxm {args:?} should fail");
        String::from_utf8(out.stderr).unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    /// Run a create command and return the id it prints last.
    fn id(&self, args: &[&str]) -> String {
        let out = self.ok(args);
        let last = out.split_whitespace().last().unwrap().to_string();
        assert!(last.parse::<i64>().is_ok(), "last token of {out:?}");
        last
    }

    fn org_and_round(&self) -> (String, String) {
        let org = self.id(&["org", "add", "Acme Insurance"]);
        let round = self.id(&[
            "round",
            "add",
            "--org",
            &org,
            "--title",
            "Baseline",
            "--date",
            "2026-01-15",
            "--target",
            "2",
        ]);
        (org, round)
    }

    fn write(&self, name: &str, text: &str) -> String {
        let p = self.dir().join(name);
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    }

    /// Everything a user can see, to check that a failed command changed nothing.
    fn snapshot(&self, round: &str) -> (Value, Value, String, Value) {
        (
            self.json(&["org", "list", "--json", "--all"]),
            self.json(&["round", "list", "--json"]),
            self.ok(&["export", round, "--format", "json"]),
            self.json(&["model", "list", "--json"]),
        )
    }
}

/// Questions of the default model (cx-maturity@2).
const GOOD_CSV: &str = "respondent,role,department,STR-1.1,STR-1.2,STR-1.4,VOC-1.1\n\
    Ana,executive,Board,4,3,dk,4\n\
    Ben,front-line,Contact centre,2,na,1,\n\
    Cleo,manager,Ops,3,3,3,2\n";

#[test]
fn create_commands_print_the_id_last_and_lists_show_it() {
    let db = Db::new();
    let (org, round) = db.org_and_round();
    let orgs = db.json(&["org", "list", "--json"]);
    assert_eq!(orgs[0]["id"].to_string(), org);
    assert_eq!(orgs[0]["name"], "Acme Insurance");
    let rounds = db.json(&["round", "list", "--org", &org, "--json"]);
    assert_eq!(rounds[0]["id"].to_string(), round);
    assert_eq!(rounds[0]["org"].to_string(), org);
    assert_eq!(rounds[0]["title"], "Baseline");
    assert_eq!(rounds[0]["date"], "2026-01-15");
    assert_eq!(rounds[0]["status"], "open");
    // New rounds use the default model.
    assert_eq!(rounds[0]["model"], Model::default_model().key());
    db.ok(&["org", "archive", &org]);
    assert_eq!(db.json(&["org", "list", "--json"]), Value::Array(vec![]));
    assert_eq!(
        db.json(&["org", "list", "--json", "--all"])[0]["archived"],
        true
    );
}

#[test]
fn model_show_json_has_the_documented_fields() {
    let db = Db::new();
    let m = db.json(&["model", "show", "--json"]);
    let default = Model::default_model();
    assert_eq!(m["id"], "cx-maturity");
    assert_eq!(m["version"], 2);
    assert_eq!(m["version"], default.version);
    assert_eq!(m["threshold"], 0.75);
    assert_eq!(m["anonymity_threshold"], 3);
    assert_eq!(m["scale"]["max"], 4);
    assert_eq!(m["scale"]["labels"].as_array().unwrap().len(), 5);
    assert_eq!(m["phases"].as_array().unwrap().len(), 5);
    assert_eq!(m["phases"][0]["number"], 1);
    assert_eq!(m["blocks"][0]["id"], "strategy");
    assert_eq!(m["role_groups"][2]["id"], "front-line");
    let q = &m["questions"][0];
    for key in [
        "id",
        "block",
        "phase",
        "weight",
        "text",
        "guidance",
        "recommendation",
    ] {
        assert!(!q[key].is_null(), "{key}");
    }
    assert_eq!(
        m["questions"].as_array().unwrap().len(),
        default.questions.len()
    );
    assert_eq!(m["questions"].as_array().unwrap().len(), 70);
    // Both built-in versions are in every database.
    let list = db.ok(&["model", "list"]);
    assert!(list.contains("cx-maturity@1"), "{list}");
    assert!(list.contains("cx-maturity@2"), "{list}");
}

#[test]
fn import_scores_and_explains() {
    let db = Db::new();
    let (_, round) = db.org_and_round();
    let csv = db.write("r.csv", GOOD_CSV);
    let out = db.ok(&["import-responses", "--round", &round, &csv]);
    assert!(
        out.contains("imported 3 respondents and 11 answers"),
        "{out}"
    );
    let r = db.json(&["results", &round, "--json"]);
    assert_eq!(r["provisional"], true);
    assert_eq!(r["organisation_phase"], 0);
    // STR-1.1: (4 + 2 + 3) / (3 · 4) = 0.75
    let str11 = r["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["question"] == "STR-1.1")
        .unwrap();
    assert_eq!(str11["attainment"], 0.75);
    for key in [
        "organisation_phase",
        "provisional",
        "bottleneck",
        "blocks",
        "alignment",
        "actions",
        "not_yet_assessed",
    ] {
        assert!(r.get(key).is_some(), "{key}");
    }
    let block = &r["blocks"][0];
    for key in ["id", "reached_phase", "maturity", "phases"] {
        assert!(block.get(key).is_some(), "{key}");
    }
    assert!(
        block["phases"][0].get("attainment").is_some()
            && block["phases"][0].get("status").is_some()
    );
    let text = db.ok(&["results", &round, "--explain"]);
    assert!(text.contains("PROVISIONAL"), "{text}");
    assert!(
        text.contains("The organisation is not yet at phase 1."),
        "{text}"
    );
    let explained = db.json(&["results", &round, "--json", "--explain"]);
    assert!(
        explained["explanations"]["organisation"]
            .as_str()
            .unwrap()
            .contains("phase 1")
    );
}

#[test]
fn a_bad_csv_changes_nothing_and_names_line_and_column() {
    let db = Db::new();
    let (_, round) = db.org_and_round();
    let good = db.write("good.csv", GOOD_CSV);
    db.ok(&["import-responses", "--round", &round, &good]);
    let before = db.snapshot(&round);

    let cases = [
        (
            "bad cell",
            "respondent,role,STR-1.1\nDee,manager,7\n",
            "line 2, column 3 (STR-1.1): `7` is not an answer",
        ),
        (
            "unknown column",
            "respondent,role,STR-9.9\nDee,manager,1\n",
            "line 1, column 3 (STR-9.9): unknown column",
        ),
        (
            "unknown role",
            "respondent,role,STR-1.1\nDee,intern,1\n",
            "line 2, column 2 (role): unknown role `intern`",
        ),
        (
            "named twice",
            "respondent,role\nDee,manager\nDee,executive\n",
            "line 3, column 1 (respondent): respondent `Dee` is named twice (also line 2)",
        ),
        (
            "already in round",
            "respondent,role,STR-1.1\nDee,manager,1\nAna,manager,2\n",
            "line 3",
        ),
    ];
    for (what, csv, expected) in cases {
        let file = db.write("bad.csv", csv);
        let err = db.fails(&["import-responses", "--round", &round, &file]);
        assert!(err.contains(expected), "{what}: {err}");
        assert!(err.contains("nothing was written"), "{what}: {err}");
        assert_eq!(db.snapshot(&round), before, "{what} changed the database");
    }
    assert!(
        db.fails(&[
            "import-responses",
            "--round",
            &round,
            &format!("{}/missing.csv", db.dir().display())
        ])
        .contains("cannot read")
    );

    db.ok(&["round", "close", &round]);
    let before = db.snapshot(&round);
    let file = db.write("more.csv", "respondent,role,STR-1.1\nDee,manager,1\n");
    let err = db.fails(&["import-responses", "--round", &round, &file]);
    assert!(err.contains("closed"), "{err}");
    assert_eq!(db.snapshot(&round), before);
    db.ok(&["round", "reopen", &round]);
    db.ok(&["import-responses", "--round", &round, &file]);
}

#[test]
fn export_then_import_gives_the_same_results() {
    let db = Db::new();
    let (org, round) = db.org_and_round();
    db.ok(&["demo"]);
    let demo_round = db
        .json(&["round", "list", "--json"])
        .as_array()
        .unwrap()
        .last()
        .unwrap()["id"]
        .to_string();
    let csv = db.ok(&["export", &demo_round, "--format", "csv"]);
    let file = db.write("export.csv", &csv);
    db.ok(&["import-responses", "--round", &round, &file]);
    let mut a = db.json(&["results", &demo_round, "--json"]);
    let mut b = db.json(&["results", &round, "--json"]);
    for r in [&mut a, &mut b] {
        let o = r.as_object_mut().unwrap();
        o.remove("provisional");
        o.remove("target_phase");
        // The projected phase depends on each organisation's plan too (the demo's
        // organisation has one).
        o.remove("projection");
    }
    assert_eq!(a, b);
    // -o writes a file.
    let out = db.dir().join("answers.json");
    db.ok(&[
        "export",
        &round,
        "--format",
        "json",
        "-o",
        out.to_str().unwrap(),
    ]);
    let json: Value = serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    assert_eq!(json["respondents"].as_array().unwrap().len(), 16);
    let _ = org;
}

#[test]
fn results_json_is_the_same_in_any_database() {
    let (a, b) = (Db::new(), Db::new());
    a.org_and_round();
    a.org_and_round();
    let last = |db: &Db| {
        let out = db.ok(&["demo"]);
        out.split_whitespace().last().unwrap().to_string()
    };
    let (ra, rb) = (last(&a), last(&b));
    assert_ne!(ra, rb, "different ids");
    assert_eq!(
        a.ok(&["results", &ra, "--json"]),
        b.ok(&["results", &rb, "--json"])
    );
    // Loading the demo again does not duplicate it.
    assert!(a.ok(&["demo"]).contains("already loaded"));
}

#[test]
fn demo_results_and_comparison() {
    let db = Db::new();
    let out = db.ok(&["demo"]);
    let rounds = db.json(&["round", "list", "--json"]);
    let (first, second) = (rounds[0]["id"].to_string(), rounds[1]["id"].to_string());
    assert!(out.trim_end().ends_with(&second), "{out}");
    let r1 = db.json(&["results", &first, "--json"]);
    let r2 = db.json(&["results", &second, "--json"]);
    assert!(r2["organisation_phase"].as_u64() > r1["organisation_phase"].as_u64());
    assert!(r2["respondents"].as_u64().unwrap() >= 12);
    assert!(
        r2["alignment"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["flagged"] == true)
    );
    let c = db.json(&["compare", &first, &second, "--json"]);
    assert_eq!(c["basis"], "same_model");
    for key in [
        "block",
        "delta_maturity",
        "delta_attainment",
        "phase_from",
        "phase_to",
    ] {
        assert!(c["blocks"][0].get(key).is_some(), "{key}");
    }
    assert!(
        c["questions"][0].get("question").is_some() && c["questions"][0].get("delta").is_some()
    );
    let text = db.ok(&["compare", &second, &first]);
    assert!(
        text.contains("Baseline assessment (2026-03-10) → Six-month review (2026-09-08)"),
        "{text}"
    );
    insta::assert_snapshot!("demo_results", db.ok(&["results", &second, "--explain"]));
}

#[test]
fn model_files_are_validated_with_lines() {
    let db = Db::new();
    // The default model is version 2; both built-in versions are already stored.
    let source = db.ok(&["model", "export"]);
    assert!(
        source.contains("\nversion = 2\n"),
        "exports the default model"
    );
    let good = db.write("mine.toml", &source.replace("version = 2", "version = 3"));
    db.ok(&["model", "validate", &good]);
    let out = db.ok(&["model", "import", &good]);
    assert!(!out.contains("already imported"), "{out}");
    assert!(out.trim_end().ends_with("cx-maturity@3"), "{out}");
    assert!(
        db.ok(&["model", "import", &good])
            .contains("already imported")
    );
    let changed = db.write(
        "changed.toml",
        &source
            .replace("version = 2", "version = 3")
            .replace("threshold = 0.75", "threshold = 0.8"),
    );
    assert!(
        db.fails(&["model", "import", &changed])
            .contains("different content")
    );

    let broken = source.replacen("phase = 2", "phase = 9", 1);
    let line = broken.lines().position(|l| l == "phase = 9").unwrap() + 1;
    let bad = db.write("broken.toml", &broken);
    let err = db.fails(&["model", "validate", &bad]);
    assert!(
        err.contains(&format!("broken.toml:{line}: questions[")),
        "{err}"
    );
    assert!(err.contains(".phase: phase 9 does not exist"), "{err}");
    let before = db.json(&["model", "list", "--json"]);
    db.fails(&["model", "import", &bad]);
    assert_eq!(db.json(&["model", "list", "--json"]), before);

    let org = db.id(&["org", "add", "Beta"]);
    let round = db.id(&[
        "round",
        "add",
        "--org",
        &org,
        "--title",
        "T",
        "--date",
        "2026-02-01",
        "--model",
        "cx-maturity@3",
    ]);
    assert_eq!(
        db.json(&["round", "list", "--json"])[0]["model"],
        "cx-maturity@3"
    );
    assert!(
        db.fails(&[
            "round",
            "add",
            "--org",
            &org,
            "--title",
            "T",
            "--date",
            "2026-02-01",
            "--target",
            "9"
        ])
        .contains("target")
    );
    let _ = round;
}

#[test]
fn foreign_files_are_refused_and_left_untouched() {
    let db = Db::new();
    std::fs::write(&db.path, b"hello, I am a spreadsheet\n").unwrap();
    let err = db.fails(&["org", "list"]);
    assert!(err.contains("not a CX Maturity database"), "{err}");
    assert_eq!(
        std::fs::read(&db.path).unwrap(),
        b"hello, I am a spreadsheet\n"
    );
}

fn pdftotext(path: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/test.sh");
    assert!(out.status.success());
    // One space between words, so sentences that wrap still match; pages stay apart.
    String::from_utf8(out.stdout)
        .unwrap()
        .split('\u{c}')
        .map(|page| page.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\u{c}")
}

#[test]
fn the_board_report_is_complete_reproducible_and_real_text() {
    let db = Db::new();
    let round = db
        .ok(&["demo"])
        .split_whitespace()
        .last()
        .unwrap()
        .to_string();
    let a = db.dir().join("a.pdf");
    let b = db.dir().join("b.pdf");
    for path in [&a, &b] {
        let out = db
            .cmd(&[
                "report",
                &round,
                "-o",
                path.to_str().unwrap(),
                "--prepared-by",
                "Jane Doe, CX Partners",
            ])
            .env("SOURCE_DATE_EPOCH", "1790000000")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            String::from_utf8_lossy(&out.stdout)
                .trim_end()
                .ends_with(path.to_str().unwrap())
        );
    }
    let bytes = std::fs::read(&a).unwrap();
    assert_eq!(
        bytes,
        std::fs::read(&b).unwrap(),
        "same data and date: byte-identical"
    );
    assert!(bytes.len() < 400 * 1024, "{} bytes", bytes.len());

    let text = pdftotext(&a);
    for expected in [
        "Northwind Energy",
        "Prepared by Jane Doe, CX Partners",
        "Generated on 21 September 2026",
        "Executive summary",
        "What holds it back.",
        "Strengths.",
        "Biggest gaps.",
        "Since the Baseline assessment (10 March 2026), the organisation moved from phase 1 to phase 2.",
        "Where the organisation stands",
        "Progress between rounds",
        "Alignment by role group",
        "Voice of the Customer: gap 0.26",
        "From the interviews",
        "Tier 1: what holds the organisation back",
        "Tier 2: next steps for blocks ahead",
        "Method",
        "Page 2 of",
        // Chart labels are real text, not outlines.
        "Organisation phase 2",
        "threshold 0.75",
    ] {
        assert!(text.contains(expected), "missing {expected:?}");
    }
    let pages = text.matches('\u{c}').count();
    assert!(pages >= 8, "{pages} pages");

    let fonts = std::process::Command::new("pdffonts")
        .arg(&a)
        .output()
        .unwrap();
    let fonts = String::from_utf8(fonts.stdout).unwrap();
    assert!(
        fonts.contains("NotoSans-Regular") && fonts.contains("NotoSans-Bold"),
        "{fonts}"
    );
    assert!(
        fonts.lines().skip(2).all(|l| l.contains(" yes yes yes ")),
        "embedded subsets with ToUnicode:\n{fonts}"
    );
}

#[test]
fn report_options_and_bad_input() {
    let db = Db::new();
    let out = db.ok(&["demo"]);
    let round = out.split_whitespace().last().unwrap().to_string();
    let first = db.json(&["round", "list", "--json"])[0]["id"].to_string();
    let letter = db.dir().join("letter.pdf");
    db.ok(&[
        "report",
        &first,
        "-o",
        letter.to_str().unwrap(),
        "--paper",
        "letter",
    ]);
    let info = std::process::Command::new("pdfinfo")
        .arg(&letter)
        .output()
        .unwrap();
    let info = String::from_utf8(info.stdout).unwrap();
    assert!(info.contains("612 x 792 pts"), "{info}");
    assert!(
        !pdftotext(&letter).contains("Progress between rounds"),
        "the first round has nothing to compare with"
    );

    // A logo is embedded.
    let logo = db.dir().join("logo.png");
    std::fs::write(&logo, tiny_png()).unwrap();
    let with_logo = db.dir().join("logo.pdf");
    db.ok(&[
        "report",
        &round,
        "-o",
        with_logo.to_str().unwrap(),
        "--logo",
        logo.to_str().unwrap(),
    ]);
    let images = std::process::Command::new("pdfimages")
        .arg("-list")
        .arg(&with_logo)
        .output()
        .unwrap();
    let images = String::from_utf8(images.stdout).unwrap();
    assert_eq!(
        images
            .lines()
            .filter(|l| l.split_whitespace().nth(2) == Some("image"))
            .count(),
        1,
        "one image:\n{images}"
    );

    // Bad input: a clear error and no file, not even a half-written one.
    let target = db.dir().join("never.pdf");
    let t = target.to_str().unwrap();
    assert!(
        db.fails(&["report", "999", "-o", t])
            .contains("round 999 not found")
    );
    let not_png = db.write("logo.txt", "not an image");
    assert!(
        db.fails(&["report", &round, "-o", t, "--logo", &not_png])
            .contains("logo")
    );
    assert!(
        db.fails(&["report", &round, "-o", t, "--logo", "/nonexistent/logo.png"])
            .contains("cannot read /nonexistent/logo.png")
    );
    assert!(
        db.fails(&["report", &round, "-o", t, "--compare", &round])
            .contains("different round")
    );
    assert!(
        db.fails(&["report", &first, "-o", t, "--compare", &round])
            .contains("must be an earlier one")
    );
    assert!(!target.exists());
    let err = db.fails(&["report", &round, "-o", "/nonexistent-dir/report.pdf"]);
    assert!(
        err.contains("cannot write /nonexistent-dir/report.pdf"),
        "{err}"
    );
    let leftovers: Vec<_> = std::fs::read_dir(db.dir())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

/// A valid 1×1 RGBA PNG.
fn tiny_png() -> Vec<u8> {
    vec![
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F,
        0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8,
        0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00,
        0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ]
}
