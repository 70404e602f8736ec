//! Pins every JSON output of the `cxm` binary byte for byte: each `--json` variant
//! (`model list`, `model show`, `org list`, `round list`, `results` with and without
//! `--explain`, `compare`), the JSON files it writes (`export --format json`, the
//! engagement file of `org export`), and what a `--json` command prints when it fails
//! (plain text on standard error, nothing on standard output: there is no JSON error
//! form). The README calls the JSON output a stable contract; these snapshots are what
//! a rewrite of the CLI must keep.
//!
//! Each test builds its own database with the CLI itself: the demo (`cxm demo`, seeded,
//! the same every time) or a small hand-made engagement on a five-question model
//! (`small`), with fixed `--date`s. No JSON output depends on `SOURCE_DATE_EPOCH` (only
//! the PDF report reads it). The only values redacted are timestamps the store takes
//! from the clock, and the engagement file's checksum over them (see [`redact`] and
//! the tests that call it); everything else — key order, pretty printing, number
//! formatting, escapes, the single trailing newline — is compared exactly.
//!
//! Update with `INSTA_UPDATE=always cargo test -p cxm-cli --test json_snapshots`, then
//! review the diff of `tests/snapshots/`. A missing snapshot fails (in CI too).
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use std::path::PathBuf;

use assert_cmd::Command;

struct Db {
    dir: tempfile::TempDir,
    path: PathBuf,
}

impl Db {
    fn new() -> Db {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("test.sqlite");
        Db { dir, path }
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::cargo_bin("cxm").unwrap();
        c.arg("--db").arg(&self.path).args(args);
        c
    }

    /// Runs successfully; returns standard output.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd(args).output().unwrap();
        assert!(
            out.status.success(),
            "cxm {args:?} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs a JSON command successfully with nothing on standard error; returns its
    /// standard output, checked to be one JSON document and exactly one line end (insta
    /// ignores trailing line ends, so they are pinned here).
    fn json(&self, args: &[&str]) -> String {
        let out = self.cmd(args).output().unwrap();
        assert!(
            out.status.success(),
            "cxm {args:?} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "cxm {args:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        is_one_json_document(&text);
        text
    }

    /// Runs a create command, checks the id it prints last.
    fn id(&self, args: &[&str], expected: i64) {
        let out = self.ok(args);
        let last = out.split_whitespace().last().unwrap();
        assert_eq!(last, expected.to_string(), "cxm {args:?} printed {out:?}");
    }

    fn write(&self, name: &str, text: &str) -> String {
        let p = self.dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

fn is_one_json_document(text: &str) {
    assert!(
        text.ends_with('\n') && !text.ends_with("\n\n"),
        "JSON output must end with exactly one line end: {text:?}"
    );
    serde_json::from_str::<serde_json::Value>(text).expect("one JSON document");
}

/// Compares `text` with the snapshot `name`; `command` is written into the snapshot's
/// header so every `.snap` file says what produced it.
fn pin(name: &str, command: &str, text: &str) {
    insta::with_settings!({ description => command, omit_expression => true }, {
        insta::assert_snapshot!(name, text);
    });
}

/// Replaces the value of every `"key": "…"` (pretty) and `"key":"…"` (compact JSON)
/// in `text` with `placeholder`, after checking each value with `shape`. Panics when
/// nothing was replaced, so a redaction never silently stops applying.
fn redact(text: &str, key: &str, shape: fn(&str) -> bool, placeholder: &str) -> String {
    redact_with(text, key, |value, _| {
        assert!(shape(value), "{key}: unexpected value {value:?}");
        placeholder.to_string()
    })
}

/// Replaces the value of every `"key": "…"` and `"key":"…"` in `text` with what
/// `replace` makes of it (and of how many came before it). Panics when there was none.
fn redact_with(text: &str, key: &str, mut replace: impl FnMut(&str, usize) -> String) -> String {
    let mut text = text.to_string();
    let mut count = 0;
    for pattern in [format!("\"{key}\": \""), format!("\"{key}\":\"")] {
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(at) = rest.find(&pattern) {
            let start = at + pattern.len();
            let end = start + rest[start..].find('"').expect("closing quote");
            let value = &rest[start..end];
            out.push_str(&rest[..start]);
            out.push_str(&replace(value, count));
            rest = &rest[end..];
            count += 1;
        }
        out.push_str(rest);
        text = out;
    }
    assert!(count > 0, "no {key} to redact in {text}");
    text
}

/// A change stamp's time: a clock timestamp, or `""` for a value never changed since
/// it was created (kept as it is).
fn stamp(value: &str, _: usize) -> String {
    if value.is_empty() {
        String::new()
    } else {
        assert!(clock_timestamp(value), "unexpected stamp {value:?}");
        "[at]".into()
    }
}

/// A random UUID (version 4), lower case.
fn uuid_v4(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 36
        && b[14] == b'4'
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_digit() || (b'a'..=b'f').contains(c),
        })
}

/// A timestamp the store takes from the clock: RFC 3339, UTC, milliseconds
/// (`2026-01-15T09:30:00.123Z`).
fn clock_timestamp(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 24
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'.',
            23 => *c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

/// A SHA-256 in lower-case hex.
fn sha256_hex(v: &str) -> bool {
    v.len() == 64
        && v.bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
}

/// The seeded demo: rounds 1 (Baseline assessment) and 2 (Six-month review) of
/// organisation 1, Northwind Energy.
fn demo() -> Db {
    let db = Db::new();
    let out = db.ok(&["demo"]);
    assert!(out.ends_with("latest round 2\n"), "{out}");
    db
}

/// A five-question model (two blocks, two phases, two role groups, scale 0..2, a
/// weight, a block without description, a quote in a question).
const MINI_MODEL: &str = r#"format = 1
id = "mini"
version = 1
title = "Mini model"
threshold = 0.6
anonymity_threshold = 2

[scale]
max = 2
labels = ["No", "Partly", "Yes"]

[[blocks]]
id = "strategy"
name = "Strategy"
description = "Where the organisation is going."

[[blocks]]
id = "voice"
name = "Voice of the customer"

[[phases]]
number = 1
name = "Start"
description = "The basics are in place."

[[phases]]
number = 2
name = "Grow"
description = "Practices are shared and measured."

[[role_groups]]
id = "leadership"
name = "Leadership"

[[role_groups]]
id = "staff"
name = "Staff"

[[questions]]
id = "S-1.1"
block = "strategy"
phase = 1
text = "A CX vision is written down."
guidance = "Ask for the document."
recommendation = "Write the vision with the board."

[[questions]]
id = "S-1.2"
block = "strategy"
phase = 1
weight = 2.0
text = "Leaders talk about customers \"every week\"."
guidance = "Look at meeting agendas."
recommendation = "Put customers first on the agenda."

[[questions]]
id = "S-2.1"
block = "strategy"
phase = 2
text = "CX goals are in every plan."
guidance = "Read two department plans."
recommendation = "Add one CX goal to each plan."

[[questions]]
id = "V-1.1"
block = "voice"
phase = 1
text = "Feedback is collected."
guidance = "Which channels?"
recommendation = "Start a simple survey."

[[questions]]
id = "V-2.1"
block = "voice"
phase = 2
text = "Feedback reaches the people who can act on it."
guidance = "Follow one complaint."
recommendation = "Send a weekly digest."
"#;

/// Round 1: every kind of cell (0..2, dk, na, empty), a department left empty, a role
/// by name, a non-ASCII name and one with quotes.
const ROUND_1_CSV: &str = "respondent,role,department,S-1.1,S-1.2,S-2.1,V-1.1,V-2.1\n\
    Ana Ørsted,leadership,Board,2,2,1,2,dk\n\
    Ben,Staff,Contact centre,1,na,0,2,\n\
    Cleo,staff,,2,1,dk,1,1\n\
    \"Dan \"\"D\"\" Smith\",leadership,Board,2,2,2,2,2\n";

/// Round 2 (on mini@2): a group of one, hidden by the anonymity threshold 2.
const ROUND_2_CSV: &str = "respondent,role,S-1.1,S-1.2,S-2.1,V-1.1,V-2.2\n\
    Ana Ørsted,leadership,2,2,2,2,2\n\
    Dan,leadership,2,2,1,2,1\n\
    Eve,staff,1,1,0,dk,na\n";

/// A small hand-made engagement, built with the CLI:
/// - models mini@1 and mini@2 (V-2.1 replaced by V-2.2: four shared questions);
/// - organisation 1 “Acme “Insurance” & Søn” with round 1 Baseline (mini@1, closed,
///   four respondents), round 2 Follow-up (mini@2, open, three respondents) and round 3
///   Not started (mini@2, open, nobody yet);
/// - organisation 2 Archived Ltd (archived) with round 4 Old (default model, empty).
fn small() -> Db {
    let db = Db::new();
    let v1 = db.write("mini.toml", MINI_MODEL);
    let v2 = db.write(
        "mini2.toml",
        &MINI_MODEL
            .replace("version = 1", "version = 2")
            .replace("title = \"Mini model\"", "title = \"Mini model, revised\"")
            .replace("V-2.1", "V-2.2"),
    );
    db.ok(&["model", "import", &v1]);
    db.ok(&["model", "import", &v2]);
    db.id(&["org", "add", "Acme “Insurance” & Søn"], 1);
    db.id(&["org", "add", "Archived Ltd"], 2);
    db.id(
        &[
            "round",
            "add",
            "--org",
            "1",
            "--title",
            "Baseline",
            "--date",
            "2026-01-15",
            "--target",
            "2",
            "--model",
            "mini@1",
        ],
        1,
    );
    let csv = db.write("round1.csv", ROUND_1_CSV);
    db.ok(&["import-responses", "--round", "1", &csv]);
    db.ok(&["round", "close", "1"]);
    db.id(
        &[
            "round",
            "add",
            "--org",
            "1",
            "--title",
            "Follow-up",
            "--date",
            "2026-07-01",
            "--model",
            "mini@2",
        ],
        2,
    );
    let csv = db.write("round2.csv", ROUND_2_CSV);
    db.ok(&["import-responses", "--round", "2", &csv]);
    db.id(
        &[
            "round",
            "add",
            "--org",
            "1",
            "--title",
            "Not started",
            "--date",
            "2026-12-01",
            "--target",
            "1",
            "--model",
            "mini@2",
        ],
        3,
    );
    db.id(
        &[
            "round",
            "add",
            "--org",
            "2",
            "--title",
            "Old",
            "--date",
            "2025-06-30",
        ],
        4,
    );
    db.ok(&["org", "archive", "2"]);
    db
}

// --- model list / model show ---------------------------------------------------------

// Redacted: `imported_at` of every model version — the clock time when the database
// was created (the built-in models) or the model was imported.
#[test]
fn model_list() {
    let db = Db::new();
    let out = db.json(&["model", "list", "--json"]);
    let out = redact(&out, "imported_at", clock_timestamp, "[imported_at]");
    pin(
        "model_list_fresh",
        "cxm model list --json (new database)",
        &out,
    );

    let db = small();
    let out = db.json(&["model", "list", "--json"]);
    let out = redact(&out, "imported_at", clock_timestamp, "[imported_at]");
    pin(
        "model_list_small",
        "cxm model list --json (small: mini@1, mini@2 imported, rounds pinned)",
        &out,
    );
}

#[test]
fn model_show() {
    let db = Db::new();
    let out = db.json(&["model", "show", "--json"]);
    pin(
        "model_show_default",
        "cxm model show --json (the default model)",
        &out,
    );
    // The same model named by id and by id@version prints the same bytes.
    assert_eq!(db.json(&["model", "show", "cx-maturity", "--json"]), out);
    assert_eq!(db.json(&["model", "show", "cx-maturity@2", "--json"]), out);
    // The first built-in version stays in every database, unchanged.
    pin(
        "model_show_v1",
        "cxm model show cx-maturity@1 --json (the first built-in version)",
        &db.json(&["model", "show", "cx-maturity@1", "--json"]),
    );

    let db = small();
    pin(
        "model_show_mini_v1",
        "cxm model show mini@1 --json",
        &db.json(&["model", "show", "mini@1", "--json"]),
    );
    let latest = db.json(&["model", "show", "mini", "--json"]);
    pin(
        "model_show_mini_latest",
        "cxm model show mini --json (latest: mini@2)",
        &latest,
    );
    assert_eq!(db.json(&["model", "show", "mini@2", "--json"]), latest);
}

// --- org list ----------------------------------------------------------------------------

// Redacted: `created_at` of every organisation — the clock time of `org add` / `demo`.
#[test]
fn org_list() {
    let db = Db::new();
    pin(
        "org_list_empty",
        "cxm org list --json (no organisations)",
        &db.json(&["org", "list", "--json"]),
    );

    let db = demo();
    let out = db.json(&["org", "list", "--json"]);
    let out = redact(&out, "created_at", clock_timestamp, "[created_at]");
    pin("org_list_demo", "cxm org list --json (demo)", &out);

    let db = small();
    let out = db.json(&["org", "list", "--json"]);
    let out = redact(&out, "created_at", clock_timestamp, "[created_at]");
    pin(
        "org_list_small",
        "cxm org list --json (small: the archived organisation left out)",
        &out,
    );
    let out = db.json(&["org", "list", "--json", "--all"]);
    let out = redact(&out, "created_at", clock_timestamp, "[created_at]");
    pin(
        "org_list_small_all",
        "cxm org list --json --all (small: with the archived organisation)",
        &out,
    );
}

// --- round list --------------------------------------------------------------------------

#[test]
fn round_list() {
    let db = Db::new();
    pin(
        "round_list_empty",
        "cxm round list --json (no rounds)",
        &db.json(&["round", "list", "--json"]),
    );

    let db = demo();
    pin(
        "round_list_demo",
        "cxm round list --json (demo)",
        &db.json(&["round", "list", "--json"]),
    );

    let db = small();
    pin(
        "round_list_small",
        "cxm round list --json (small: every round, the archived organisation's too)",
        &db.json(&["round", "list", "--json"]),
    );
    pin(
        "round_list_small_org_1",
        "cxm round list --org 1 --json (small)",
        &db.json(&["round", "list", "--org", "1", "--json"]),
    );
    pin(
        "round_list_small_org_2",
        "cxm round list --org 2 --json (small: the archived organisation)",
        &db.json(&["round", "list", "--org", "2", "--json"]),
    );
}

// --- results -----------------------------------------------------------------------------

#[test]
fn results() {
    let db = demo();
    pin(
        "results_demo_round_1",
        "cxm results 1 --json (demo, baseline)",
        &db.json(&["results", "1", "--json"]),
    );
    pin(
        "results_demo_round_2",
        "cxm results 2 --json (demo, six-month review)",
        &db.json(&["results", "2", "--json"]),
    );
    pin(
        "results_demo_round_2_explain",
        "cxm results 2 --json --explain (demo)",
        &db.json(&["results", "2", "--json", "--explain"]),
    );
    // Flag order does not matter.
    assert_eq!(
        db.json(&["results", "--explain", "2", "--json"]),
        db.json(&["results", "2", "--json", "--explain"])
    );

    let db = small();
    pin(
        "results_small_closed",
        "cxm results 1 --json (small: closed round, dk/na/blank answers, a flagged gap)",
        &db.json(&["results", "1", "--json"]),
    );
    pin(
        "results_small_closed_explain",
        "cxm results 1 --json --explain (small: closed round)",
        &db.json(&["results", "1", "--json", "--explain"]),
    );
    pin(
        "results_small_open_explain",
        "cxm results 2 --json --explain (small: open round, provisional, a hidden group)",
        &db.json(&["results", "2", "--json", "--explain"]),
    );
    pin(
        "results_small_empty",
        "cxm results 3 --json (small: open round with no respondents)",
        &db.json(&["results", "3", "--json"]),
    );
    pin(
        "results_small_empty_explain",
        "cxm results 3 --json --explain (small: open round with no respondents)",
        &db.json(&["results", "3", "--json", "--explain"]),
    );
}

// --- compare -----------------------------------------------------------------------------

#[test]
fn compare() {
    let db = demo();
    let out = db.json(&["compare", "1", "2", "--json"]);
    pin(
        "compare_demo",
        "cxm compare 1 2 --json (demo: same model)",
        &out,
    );
    // Later round first: the same JSON, and a note on standard error.
    let reversed = db.cmd(&["compare", "2", "1", "--json"]).output().unwrap();
    assert!(reversed.status.success());
    assert_eq!(String::from_utf8(reversed.stdout).unwrap(), out);
    assert_eq!(
        String::from_utf8(reversed.stderr).unwrap(),
        "note: round 1 (2026-03-10) is older than round 2 (2026-09-08); comparing 1 → 2\n"
    );

    let db = small();
    pin(
        "compare_small_versions",
        "cxm compare 1 2 --json (small: mini@1 → mini@2, shared questions)",
        &db.json(&["compare", "1", "2", "--json"]),
    );
    pin(
        "compare_small_to_empty",
        "cxm compare 2 3 --json (small: same model, the later round has no answers)",
        &db.json(&["compare", "2", "3", "--json"]),
    );
}

// --- export --format json ----------------------------------------------------------------

#[test]
fn export_json() {
    let db = demo();
    let out = db.json(&["export", "1", "--format", "json"]);
    pin(
        "export_json_demo_round_1",
        "cxm export 1 --format json (demo baseline: notes, interview dates)",
        &out,
    );

    let db = small();
    let out = db.json(&["export", "1", "--format", "json"]);
    pin(
        "export_json_small_round_1",
        "cxm export 1 --format json (small: closed round, dk/na/blank, no department)",
        &out,
    );
    // `-o FILE` writes the same bytes, and prints nothing.
    let file = db.file("answers.json");
    let printed = db.ok(&[
        "export",
        "1",
        "--format",
        "json",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(printed, "");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), out);

    pin(
        "export_json_small_round_3",
        "cxm export 3 --format json (small: open round with no respondents)",
        &db.json(&["export", "3", "--format", "json"]),
    );
}

// --- org export: the engagement file -------------------------------------------------------

// Redacted: `exported_at` (the clock time of the export), every `updated_at` in the
// payload (the clock time of `import-responses`), the other change stamps' times
// (`name_at`, `status_at`, `target_at`; `""` kept), the UUIDs (random: numbered in
// the order they appear), this installation's id (random), and `payload_sha256` (the
// SHA-256 of the payload's bytes, so it changes with all of those). The checksum is
// checked instead by importing the unredacted file into another database.
#[test]
fn engagement_file() {
    let db = small();
    // The default name is the computer's.
    let me: serde_json::Value =
        serde_json::from_str(&db.ok(&["installation", "--name", "Test laptop", "--json"])).unwrap();
    let installation = me["id"].as_str().unwrap().to_string();
    assert!(uuid_v4(&installation), "{installation}");
    let file = db.file("acme.json");
    db.ok(&["org", "export", "1", "-o", file.to_str().unwrap()]);
    let text = std::fs::read_to_string(&file).unwrap();
    is_one_json_document(&text);

    let other = Db::new();
    let imported = other.ok(&["org", "import", file.to_str().unwrap()]);
    assert!(
        imported.starts_with("imported organisation “Acme “Insurance” & Søn” (3 rounds"),
        "{imported}"
    );

    let text = redact(&text, "exported_at", clock_timestamp, "[exported_at]");
    let text = redact(&text, "updated_at", clock_timestamp, "[updated_at]");
    let text = redact(&text, "payload_sha256", sha256_hex, "[payload_sha256]");
    let mut text = text.replace(&installation, "[installation]");
    for key in ["name_at", "status_at", "target_at"] {
        text = redact_with(&text, key, stamp);
    }
    let text = redact_with(&text, "uuid", |v, n| {
        assert!(uuid_v4(v), "uuid: unexpected value {v:?}");
        format!("[uuid {}]", n + 1)
    });
    pin(
        "engagement_file_small",
        "cxm org export 1 -o FILE; the file (small)",
        &text,
    );
}

// --- failures of --json commands -----------------------------------------------------------

/// A `--json` command that fails prints nothing on standard output and `error: …` on
/// standard error, with exit status 1: there is no JSON error form.
#[test]
fn json_command_errors() {
    let db = small();
    let mut log = String::new();
    for args in [
        &["model", "show", "nope", "--json"][..],
        &["model", "show", "mini@9", "--json"],
        &["round", "list", "--org", "999", "--json"],
        &["results", "999", "--json"],
        &["results", "999", "--json", "--explain"],
        &["compare", "1", "1", "--json"],
        &["compare", "1", "999", "--json"],
        &["compare", "1", "4", "--json"],
        &["export", "999", "--format", "json"],
    ] {
        let out = db.cmd(args).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "cxm {args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stdout), "", "cxm {args:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.starts_with("error: "), "cxm {args:?}: {stderr}");
        log.push_str(&format!("$ cxm {}\n{stderr}", args.join(" ")));
    }
    pin(
        "json_command_errors",
        "failing --json commands (small): standard error, exit status 1, empty standard output",
        &log,
    );
}
