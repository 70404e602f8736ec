//! Three laptops working on one organisation (issue 14), all through the `cxm` binary:
//! three databases (each its own installation) and one team folder, or engagement files
//! sent by email. Each laptop adds its own respondents, two change the same answer
//! before they exchange, one removes a respondent; after the exchanges all three hold
//! the same respondents, answers and results, and one more exchange changes nothing.
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

/// One laptop: its database (its own installation) and its name.
struct Laptop {
    db: PathBuf,
    name: &'static str,
}

impl Laptop {
    fn run(&self, args: &[&str]) -> Output {
        Command::cargo_bin("cxm")
            .unwrap()
            .arg("--db")
            .arg(&self.db)
            .args(args)
            .output()
            .unwrap()
    }

    /// Runs successfully; standard output.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{}: cxm {args:?} failed:\n{}",
            self.name,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    /// The id a create command printed last.
    fn id(&self, args: &[&str]) -> String {
        let out = self.ok(args);
        let last = out.split_whitespace().last().unwrap().to_string();
        assert!(last.parse::<i64>().is_ok(), "last word of {out:?}");
        last
    }

    /// The id of this laptop's organisation `name` (ids differ between laptops).
    fn org(&self, name: &str) -> String {
        let orgs = self.json(&["org", "list", "--json", "--all"]);
        let found: Vec<&Value> = orgs
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["name"] == name)
            .collect();
        assert_eq!(found.len(), 1, "{}: organisations {orgs}", self.name);
        found[0]["id"].to_string()
    }

    /// The id of this laptop's round `title` of organisation `org_name`.
    fn round(&self, org_name: &str, title: &str) -> String {
        let rounds = self.json(&["round", "list", "--json"]);
        let found: Vec<&Value> = rounds
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["organisation_name"] == org_name && r["title"] == title)
            .collect();
        assert_eq!(found.len(), 1, "{}: rounds {rounds}", self.name);
        found[0]["id"].to_string()
    }

    /// Everything a person sees of the round: its results with every explanation, and
    /// its respondents with their answers and notes (in name order: the order they were
    /// added differs between laptops).
    fn content(&self) -> (String, Value, Vec<String>) {
        let round = self.round(ORG, ROUND);
        let results = self.ok(&["results", &round, "--json", "--explain"]);
        let mut answers = self.json(&["export", &round, "--format", "json"]);
        answers["respondents"]
            .as_array_mut()
            .unwrap()
            .sort_by_key(|r| r["name"].as_str().unwrap().to_string());
        let mut csv: Vec<String> = self
            .ok(&["export", &round])
            .lines()
            .map(str::to_string)
            .collect();
        csv.sort();
        (results, answers, csv)
    }

    /// The respondents' names, sorted.
    fn respondents(&self) -> Vec<String> {
        let round = self.round(ORG, ROUND);
        let list = self.json(&["respondent", "list", &round, "--json"]);
        let mut names: Vec<String> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap().to_string())
            .collect();
        names.sort();
        names
    }

    /// The answer to `question` of respondent `who`, as the answers CSV has it.
    fn answer(&self, who: &str, question: &str) -> String {
        let round = self.round(ORG, ROUND);
        let csv = self.ok(&["export", &round]);
        let mut lines = csv.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let column = header.iter().position(|h| *h == question).unwrap();
        let row = lines
            .find(|l| l.split(',').next() == Some(who))
            .unwrap_or_else(|| panic!("{}: no {who} in {csv}", self.name));
        row.split(',').nth(column).unwrap().to_string()
    }

    /// One `cxm sync DIR --json` pass: its report, after checking it ran (exit 0) and
    /// that every file skipped is also named on standard error.
    fn sync(&self, dir: &Path) -> Value {
        let out = self.run(&["sync", dir.to_str().unwrap(), "--json"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{}: sync failed: {err}", self.name);
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        for skipped in report["skipped"].as_array().unwrap() {
            let line = format!(
                "warning: skipped {}",
                skipped["file_name"].as_str().unwrap()
            );
            assert!(err.contains(&line), "{}: {line} in {err}", self.name);
        }
        report
    }

    /// One `cxm sync DIR` pass as text.
    fn sync_text(&self, dir: &Path) -> String {
        self.ok(&["sync", dir.to_str().unwrap()])
    }
}

const ORG: &str = "Acme Insurance";
const ROUND: &str = "Baseline";

/// Three laptops and a team folder in one temporary folder.
struct Team {
    dir: tempfile::TempDir,
    laptops: [Laptop; 3],
}

impl Team {
    fn new() -> Team {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("team")).unwrap();
        let laptops = ["Anna's laptop", "Ben's laptop", "Cleo's laptop"].map(|name| Laptop {
            db: dir
                .path()
                .join(format!("{}.sqlite", &name[..name.find('\'').unwrap()])),
            name,
        });
        for l in &laptops {
            let me = l.json(&["installation", "--name", l.name, "--json"]);
            assert_eq!(me["name"], l.name);
        }
        Team { dir, laptops }
    }

    fn folder(&self) -> PathBuf {
        self.dir.path().join("team")
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The team folder's files and their bytes.
    fn folder_bytes(&self) -> BTreeMap<String, Vec<u8>> {
        std::fs::read_dir(self.folder())
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect()
    }

    /// One sync by each laptop, in `order`; the reports.
    fn pass(&self, order: [usize; 3]) -> Vec<Value> {
        order
            .iter()
            .map(|&i| self.laptops[i].sync(&self.folder()))
            .collect()
    }

    /// All three laptops show the same round.
    fn assert_converged(&self) {
        let [a, b, c] = &self.laptops;
        let first = a.content();
        assert_eq!(first, b.content(), "Anna's and Ben's laptops differ");
        assert_eq!(first, c.content(), "Anna's and Cleo's laptops differ");
    }
}

/// A responses CSV (the layout `cxm import-responses` reads) with these respondents.
fn responses(rows: &[(&str, &str, [&str; 4])]) -> String {
    let mut csv = String::from("respondent,role,department,STR-1.1,STR-1.2,VOC-1.1,CUL-1.1\n");
    for (name, role, answers) in rows {
        csv += &format!("{name},{role},,{}\n", answers.join(","));
    }
    csv
}

/// Anna creates the organisation with its round; Cleo has an organisation of her own
/// first (so the ids differ between laptops, and one organisation is not shared).
fn start(t: &Team) {
    let [a, _, c] = &t.laptops;
    c.id(&["org", "add", "Cleo's own client"]);
    let org = a.id(&["org", "add", ORG]);
    a.id(&[
        "round",
        "add",
        "--org",
        &org,
        "--title",
        ROUND,
        "--date",
        "2026-03-02",
    ]);
}

/// Ben and Cleo each add two respondents (ids differ: look the round up by title).
fn add_respondents(t: &Team) {
    let [_, b, c] = &t.laptops;
    for (l, rows) in [
        (
            b,
            responses(&[
                ("Bea", "executive", ["2", "3", "4", "1"]),
                ("Bob", "manager", ["1", "dk", "2", "2"]),
            ]),
        ),
        (
            c,
            responses(&[
                ("Cem", "front-line", ["3", "3", "na", "0"]),
                ("Cat", "manager", ["4", "4", "4", "4"]),
            ]),
        ),
    ] {
        let file = t.file(&format!("{}.csv", &l.name[..3]));
        std::fs::write(&file, rows).unwrap();
        let round = l.round(ORG, ROUND);
        let out = l.ok(&[
            "import-responses",
            "--round",
            &round,
            file.to_str().unwrap(),
        ]);
        assert!(out.contains("imported 2 respondents"), "{out}");
    }
}

/// Anna and Ben change Bea's STR-1.1 (2 when they last exchanged) to different values,
/// Ben after Anna; Cleo removes Cat.
fn edit_concurrently(t: &Team) {
    let [a, b, c] = &t.laptops;
    for l in [a, b] {
        assert_eq!(l.answer("Bea", "STR-1.1"), "2", "{}", l.name);
    }
    let ra = a.round(ORG, ROUND);
    a.ok(&["answer", "set", &ra, "Bea", "STR-1.1", "1"]);
    let rb = b.round(ORG, ROUND);
    let out = b.ok(&["answer", "set", &rb, "bea", "STR-1.1", "3"]);
    assert!(out.starts_with("set STR-1.1 of “Bea” to 3"), "{out}");
    let rc = c.round(ORG, ROUND);
    // Without --yes nothing is removed.
    let refused = c.run(&["respondent", "remove", &rc, "Cat"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--yes"));
    c.ok(&["respondent", "remove", &rc, "Cat", "--yes"]);
}

/// A concurrent edit as the JSON reports list it: Bea's STR-1.1, the values kept and
/// replaced.
fn bea_edit(list: &Value) -> Vec<(String, Vec<String>)> {
    list.as_array()
        .unwrap()
        .iter()
        .filter(|c| c["respondent"] == "Bea" && c["question"] == "STR-1.1")
        .map(|c| {
            assert_eq!(c["round"], ROUND);
            let replaced = c["replaced"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["answer"].as_str().unwrap().to_string())
                .collect();
            (c["kept"]["answer"].as_str().unwrap().to_string(), replaced)
        })
        .collect()
}

fn three_laptops_share_a_team_folder(order: [usize; 3], text_first: bool) {
    let t = Team::new();
    let [a, b, c] = &t.laptops;
    start(&t);

    // Nothing is shared until Anna chooses it.
    let first = a.sync(&t.folder());
    assert_eq!(first["files_written"], 0, "{first}");
    let out = a.run(&["sync", t.folder().to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cxm org share ID"),
        "{out:?}"
    );
    let org = a.org(ORG);
    let shared = a.ok(&["org", "share", &org]);
    assert!(shared.contains("is shared"), "{shared}");
    assert_eq!(
        a.json(&["installation", "--json"])["shared"][0]["name"],
        ORG
    );
    assert_eq!(a.sync(&t.folder())["files_written"], 1);

    // Ben and Cleo receive it as a new organisation, shared from then on: Ben from
    // Anna; Cleo from whichever of Anna's and Ben's files is read first (the second
    // brings nothing new).
    for (l, from) in [
        (b, &["Anna's laptop"][..]),
        (c, &["Anna's laptop", "Ben's laptop"]),
    ] {
        let report = l.sync(&t.folder());
        let received = report["received"].as_array().unwrap();
        assert_eq!(received.len(), 1, "{report}");
        assert!(
            from.contains(&received[0]["from"].as_str().unwrap()),
            "{report}"
        );
        assert_eq!(received[0]["organisation_name"], ORG);
        assert_eq!(received[0]["new_organisation"], true);
        assert_eq!(received[0]["rounds_added"], 1);
        assert_eq!(report["files_written"], 1, "{report}");
        let me = l.json(&["installation", "--json"]);
        assert_eq!(me["shared"].as_array().unwrap().len(), 1, "{me}");
        assert_eq!(me["shared"][0]["name"], ORG);
    }
    // One file per installation, all of one organisation: Cleo's own client is not shared.
    let files = t.folder_bytes();
    assert_eq!(files.len(), 3, "{:?}", files.keys());
    let mut prefixes: Vec<&str> = files.keys().map(|n| n.split('.').next().unwrap()).collect();
    prefixes.dedup();
    assert_eq!(prefixes.len(), 1, "{:?}", files.keys());
    for l in [a, b, c] {
        let id = l.json(&["installation", "--json"])["id"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(
            files.keys().any(|n| n.ends_with(&format!(".{id}.cxmx"))),
            "{}'s file in {:?}",
            l.name,
            files.keys()
        );
    }

    add_respondents(&t);
    t.pass(order);
    t.pass(order);
    for l in [a, b, c] {
        assert_eq!(l.respondents(), ["Bea", "Bob", "Cat", "Cem"], "{}", l.name);
    }
    t.assert_converged();

    edit_concurrently(&t);
    let mut edits = Vec::new();
    if text_first {
        // The text report names the concurrent edit, what was kept and what replaced.
        let texts: Vec<String> = order
            .iter()
            .map(|&i| t.laptops[i].sync_text(&t.folder()))
            .collect();
        let all = texts.join("\n");
        assert!(
            all.contains("concurrent edit: round “Baseline”, respondent “Bea”, question STR-1.1:"),
            "{all}"
        );
        assert!(all.contains("  kept      3  by Ben's laptop at "), "{all}");
        assert!(all.contains("  replaced  1  by Anna's laptop at "), "{all}");
        for text in &texts {
            assert!(text.matches("concurrent edit:").count() <= 1, "{text}");
        }
    } else {
        for report in t.pass(order) {
            let found = bea_edit(&report["concurrent"]);
            assert!(found.len() <= 1, "listed once: {report}");
            edits.extend(found);
        }
        // The most recent change (Ben's, made after Anna's) is kept.
        assert!(!edits.is_empty(), "the concurrent edit is reported");
        for (kept, replaced) in &edits {
            assert_eq!(
                (kept.as_str(), replaced.as_slice()),
                ("3", &["1".to_string()][..])
            );
        }
    }
    t.pass(order);
    t.pass(order);

    for l in [a, b, c] {
        assert_eq!(l.respondents(), ["Bea", "Bob", "Cem"], "{}", l.name);
        assert_eq!(l.answer("Bea", "STR-1.1"), "3", "{}", l.name);
        // Anna's value stays in the answer's history, marked as a concurrent edit.
        let round = l.round(ORG, ROUND);
        let history = l.json(&["answer", "history", &round, "Bea", "STR-1.1", "--json"]);
        let versions = history.as_array().unwrap();
        assert_eq!(versions[0]["answer"], "3", "{}: {history}", l.name);
        assert_eq!(versions[0]["current"], true);
        assert_eq!(versions[0]["by"], "Ben's laptop");
        assert!(
            versions
                .iter()
                .any(|v| v["answer"] == "1" && v["by"] == "Anna's laptop"),
            "{}: {history}",
            l.name
        );
        assert!(
            versions.iter().any(|v| v["concurrent"] == true),
            "{history}"
        );
    }
    t.assert_converged();

    // A third pass changes nothing: no file written, nothing received, same bytes.
    let folder = t.folder_bytes();
    let content = a.content();
    for report in t.pass(order) {
        assert_eq!(report["files_written"], 0, "{report}");
        assert_eq!(report["files_read"], 2, "{report}");
        assert_eq!(report["received"], Value::Array(vec![]), "{report}");
        assert_eq!(report["concurrent"], Value::Array(vec![]), "{report}");
        assert_eq!(report["skipped"], Value::Array(vec![]), "{report}");
    }
    assert_eq!(t.folder_bytes(), folder);
    t.assert_converged();
    assert_eq!(a.content(), content);

    // A damaged file and a truncated one in the folder are skipped with a warning;
    // nothing changes.
    let theirs = &folder.values().next().unwrap();
    let mut flipped = theirs.to_vec();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x01;
    std::fs::write(t.folder().join("x.y.cxmx"), &flipped).unwrap();
    std::fs::write(t.folder().join("t.z.cxmx"), &theirs[..theirs.len() / 3]).unwrap();
    let dbs: Vec<Vec<u8>> = t
        .laptops
        .iter()
        .map(|l| std::fs::read(&l.db).unwrap())
        .collect();
    for report in t.pass(order) {
        let skipped: Vec<&str> = report["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                assert!(!s["reason"].as_str().unwrap().is_empty(), "{s}");
                s["file_name"].as_str().unwrap()
            })
            .collect();
        assert_eq!(skipped, ["t.z.cxmx", "x.y.cxmx"], "{report}");
        assert_eq!(report["files_written"], 0, "{report}");
        assert_eq!(report["received"], Value::Array(vec![]), "{report}");
    }
    t.assert_converged();
    assert_eq!(a.content(), content);
    for (l, before) in t.laptops.iter().zip(&dbs) {
        assert_eq!(
            &std::fs::read(&l.db).unwrap(),
            before,
            "{}'s database",
            l.name
        );
    }
    // The text says so too, on standard error; the exit status is still 0.
    let out = a.run(&["sync", t.folder().to_str().unwrap()]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("warning: skipped x.y.cxmx: "), "{err}");
    assert!(err.contains("(nothing of it was merged)"), "{err}");
}

#[test]
fn three_laptops_converge_through_the_team_folder() {
    three_laptops_share_a_team_folder([0, 1, 2], false);
}

#[test]
fn three_laptops_converge_in_another_order_with_text_reports() {
    three_laptops_share_a_team_folder([2, 0, 1], true);
}

#[test]
fn sync_refuses_a_missing_folder_and_an_unknown_organisation() {
    let t = Team::new();
    let a = &t.laptops[0];
    let missing = t.file("nowhere");
    let out = a.run(&["sync", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot be found"), "{err}");
    let out = a.run(&["sync", t.folder().to_str().unwrap(), "--org", "42"]);
    assert_eq!(out.status.code(), Some(1));
    // Without DIR and no team folder set in the app.
    let out = a.run(&["sync"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no team folder"));
    assert_eq!(t.folder_bytes().len(), 0);
}

/// `--org ID` writes that organisation's file for this pass only, shared or not.
#[test]
fn sync_with_org_writes_one_organisation_without_sharing_it() {
    let t = Team::new();
    let [a, b, _] = &t.laptops;
    start(&t);
    let org = a.org(ORG);
    let round = a.round(ORG, ROUND);
    let out = a.ok(&["respondent", "add", &round, "Ann", "--role", "executive"]);
    assert!(out.starts_with("added respondent “Ann” to round"), "{out}");
    a.ok(&["answer", "set", &round, "Ann", "STR-1.1", "dk"]);
    let report = a.json(&[
        "sync",
        t.folder().to_str().unwrap(),
        "--org",
        &org,
        "--json",
    ]);
    assert_eq!(report["files_written"], 1, "{report}");
    assert_eq!(
        a.json(&["installation", "--json"])["shared"],
        Value::Array(vec![])
    );
    let report = b.sync(&t.folder());
    assert_eq!(report["received"][0]["organisation_name"], ORG, "{report}");
    // Sharing stopped: the file stays, nothing more is written.
    a.ok(&["org", "share", &org]);
    let off = a.ok(&["org", "share", &org, "--off"]);
    assert!(off.contains("no longer shared"), "{off}");
    a.ok(&["respondent", "add", &round, "Abe", "--role", "manager"]);
    assert_eq!(a.sync(&t.folder())["files_written"], 0);
    assert_eq!(t.folder_bytes().len(), 2);
    // Where the data came from.
    let sources = b.json(&["org", "sources", &b.org(ORG), "--json"]);
    assert_eq!(sources[0]["this"], true, "{sources}");
    assert_eq!(sources[0]["name"], "Ben's laptop");
    assert!(
        sources
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["name"] == "Anna's laptop"
                && s["respondents"] == 1
                && s["answers"] == 1
                && s["merged_at"].is_string()),
        "{sources}"
    );
    let text = b.ok(&["org", "sources", &b.org(ORG)]);
    assert!(text.contains("Ben's laptop (this)"), "{text}");
}

/// The same organisation exchanged by email: each laptop exports its file and imports
/// the others' in its own order; they converge the same way.
#[test]
fn three_laptops_converge_by_email() {
    let t = Team::new();
    let [a, b, c] = &t.laptops;
    start(&t);
    let first = t.file("anna-0.cxmx");
    a.ok(&["org", "export", &a.org(ORG), "-o", first.to_str().unwrap()]);
    for l in [b, c] {
        let preview = l.json(&[
            "org",
            "import",
            first.to_str().unwrap(),
            "--dry-run",
            "--json",
        ]);
        assert_eq!(preview["merge"], false, "{preview}");
        assert_eq!(preview["changed"], true);
        assert_eq!(preview["from"], "Anna's laptop");
        assert_eq!(preview["organisation_name"], ORG);
        assert_eq!(preview["rounds"][0]["added"], true);
        let out = l.ok(&["org", "import", first.to_str().unwrap()]);
        assert!(
            out.starts_with(&format!("imported organisation “{ORG}” (1 round")),
            "{out}"
        );
    }
    add_respondents(&t);

    // Each exports, then imports the two others' files in the order given.
    let exchange = |n: usize, orders: [[usize; 2]; 3]| -> Vec<String> {
        let files: Vec<PathBuf> = t
            .laptops
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let f = t.file(&format!("{n}-{i}.cxmx"));
                l.ok(&["org", "export", &l.org(ORG), "-o", f.to_str().unwrap()]);
                f
            })
            .collect();
        let mut outputs = Vec::new();
        for (l, order) in t.laptops.iter().zip(orders) {
            for i in order {
                outputs.push(l.ok(&["org", "import", files[i].to_str().unwrap()]));
            }
        }
        outputs
    };
    exchange(1, [[1, 2], [2, 0], [0, 1]]);
    for l in [a, b, c] {
        assert_eq!(l.respondents(), ["Bea", "Bob", "Cat", "Cem"], "{}", l.name);
    }
    t.assert_converged();

    edit_concurrently(&t);
    // Before importing, Anna previews Ben's file: the concurrent edit, Ben's value kept.
    let ben = t.file("ben.cxmx");
    b.ok(&["org", "export", &b.org(ORG), "-o", ben.to_str().unwrap()]);
    let preview = a.json(&[
        "org",
        "import",
        ben.to_str().unwrap(),
        "--dry-run",
        "--json",
    ]);
    assert_eq!(preview["merge"], true, "{preview}");
    assert_eq!(preview["org"].to_string(), a.org(ORG));
    assert_eq!(preview["changed"], true);
    assert_eq!(
        bea_edit(&preview["concurrent"]),
        [("3".to_string(), vec!["1".to_string()])],
        "{preview}"
    );
    assert_eq!(a.answer("Bea", "STR-1.1"), "1", "the dry run wrote nothing");

    let outputs = exchange(2, [[2, 1], [0, 2], [1, 0]]);
    let all = outputs.join("\n");
    assert!(
        all.contains("concurrent edit: round “Baseline”, respondent “Bea”, question STR-1.1:"),
        "{all}"
    );
    assert!(
        all.contains("merged 2-2.cxmx into organisation “Acme Insurance”: 1 respondent deleted"),
        "{all}"
    );
    for l in [a, b, c] {
        assert_eq!(l.respondents(), ["Bea", "Bob", "Cem"], "{}", l.name);
        assert_eq!(l.answer("Bea", "STR-1.1"), "3", "{}", l.name);
    }
    t.assert_converged();

    // One more exchange: every preview says nothing new, and every import changes nothing.
    let content = a.content();
    for (i, l) in t.laptops.iter().enumerate() {
        let f = t.file(&format!("3-{i}.cxmx"));
        l.ok(&["org", "export", &l.org(ORG), "-o", f.to_str().unwrap()]);
    }
    for (i, l) in t.laptops.iter().enumerate() {
        for j in (0..3).filter(|&j| j != i) {
            let f = t.file(&format!("3-{j}.cxmx"));
            let text = l.ok(&["org", "import", f.to_str().unwrap(), "--dry-run"]);
            assert!(
                text.contains("\nnothing new: everything in this file is here already\n"),
                "{text}"
            );
            let out = l.ok(&["org", "import", f.to_str().unwrap()]);
            assert!(
                out.starts_with(&format!("nothing new in 3-{j}.cxmx")),
                "{out}"
            );
        }
    }
    t.assert_converged();
    assert_eq!(a.content(), content);
}
