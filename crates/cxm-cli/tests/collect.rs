//! `cxm collect`, `cxm inbox`, `cxm export --format xlsform` and survey exports through
//! `cxm import-responses`, end to end through the binary.
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::time::Duration;

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

fn fails(db: &Path, args: &[&str]) -> String {
    let out = cxm(db, args);
    assert!(!out.status.success(), "cxm {args:?} should fail");
    String::from_utf8(out.stderr).unwrap()
}

fn post(url: &str, body: &str) -> u16 {
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_once('/').unwrap();
    let mut s = TcpStream::connect(host).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(
        s,
        "POST /{path}/responses HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out[9..12].parse().unwrap()
}

fn body(n: u32, pin: &str, name: &str) -> String {
    serde_json::json!({
        "submission_id": format!("{n:08x}-1111-4000-8000-{n:012x}"),
        "pin": pin,
        "role": "front-line",
        "department": "Retail",
        "name": name,
        "answers": {"STR-2.3": "3", "CUL-1.4": "2", "CUL-2.4": "na"},
    })
    .to_string()
}

#[test]
fn a_workshop_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cxm.sqlite");
    ok(&db, &["org", "add", "Acme"]);
    ok(
        &db,
        &[
            "round",
            "add",
            "--org",
            "1",
            "--title",
            "Workshop",
            "--date",
            "2026-11-20",
        ],
    );
    let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("cxm"))
        .arg("--db")
        .arg(&db)
        .args(["collect", "1", "--bind", "127.0.0.1", "--minutes", "5"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let (mut url, mut pin) = (String::new(), String::new());
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(u) = line.strip_prefix("link: ") {
            url = u.trim().to_string();
        }
        if let Some(p) = line.strip_prefix("PIN:") {
            pin = p.trim().to_string();
            break;
        }
    }
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert_eq!(pin.len(), 6);
    assert_eq!(post(&url, &body(1, &pin, "Ana")), 201);
    assert_eq!(post(&url, &body(2, &pin, "Ben")), 201);
    assert_eq!(
        post(&url, &body(2, &pin, "Ben")),
        200,
        "a retry is stored once"
    );
    assert_eq!(post(&url, &body(3, "000000", "Eve")), 403);

    let listed = ok(&db, &["inbox", "1"]);
    assert!(
        listed.contains("2 submissions waiting in round 1"),
        "{listed}"
    );
    assert!(
        listed.contains("00000001  Ana  Front line, Retail  3/"),
        "{listed}"
    );
    let json: Value = serde_json::from_str(&ok(&db, &["inbox", "1", "--json"])).unwrap();
    assert_eq!(json["pending"].as_array().unwrap().len(), 2);
    assert_eq!(json["pending"][0]["answers"], 3);
    assert_eq!(json["pending"][1]["respondent"], "Ben");

    // Ids: a unique start of at least 4 characters; an ambiguous or unknown one
    // changes nothing.
    let err = fails(&db, &["inbox", "accept", "1", "0000000"]);
    assert!(err.contains("starts 2 pending submissions"), "{err}");
    let err = fails(&db, &["inbox", "reject", "1", "ffff"]);
    assert!(err.contains("no pending submission"), "{err}");
    let err = fails(&db, &["inbox", "accept", "1", "000"]);
    assert!(err.contains("at least 4 characters"), "{err}");
    let out = ok(&db, &["inbox", "accept", "1", "00000001"]);
    assert!(
        out.contains("accepted 1 submission into round 1: 1 respondent and 3 answers added"),
        "{out}"
    );
    let out = ok(
        &db,
        &[
            "inbox",
            "reject",
            "1",
            "00000002-1111-4000-8000-000000000002",
        ],
    );
    assert!(out.contains("rejected 1 submission"), "{out}");
    let json: Value = serde_json::from_str(&ok(&db, &["inbox", "1", "--json"])).unwrap();
    assert_eq!(
        (json["accepted"].as_u64(), json["rejected"].as_u64()),
        (Some(1), Some(1))
    );
    let respondents: Value =
        serde_json::from_str(&ok(&db, &["export", "1", "--format", "json"])).unwrap();
    assert_eq!(respondents["respondents"][0]["name"], "Ana");

    // Closing the round (here, from another process) stops the collection.
    ok(&db, &["round", "close", "1"]);
    let rest: Vec<String> = lines.map(|l| l.unwrap()).collect();
    let status = child.wait().unwrap();
    assert!(status.success());
    let rest = rest.join("\n");
    assert!(
        rest.contains("stopped collecting (the round was closed)"),
        "{rest}"
    );
    let host = url
        .strip_prefix("http://")
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_string();
    assert!(TcpStream::connect(host).is_err());
    let err = fails(&db, &["collect", "1", "--bind", "127.0.0.1"]);
    assert!(err.contains("closed"), "{err}");
    let out = ok(&db, &["inbox", "accept", "1", "--all"]);
    assert!(out.contains("the inbox of round 1 is empty"), "{out}");
}

#[test]
fn collect_refuses_bad_settings() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cxm.sqlite");
    ok(&db, &["org", "add", "Acme"]);
    ok(
        &db,
        &[
            "round",
            "add",
            "--org",
            "1",
            "--title",
            "W",
            "--date",
            "2026-11-20",
        ],
    );
    let err = fails(&db, &["collect", "1", "--bind", "0.0.0.0"]);
    assert!(err.contains("one address"), "{err}");
    let err = fails(
        &db,
        &["collect", "1", "--bind", "127.0.0.1", "--minutes", "0"],
    );
    assert!(err.contains("1 to 1440 minutes"), "{err}");
    let err = fails(&db, &["collect", "7", "--bind", "127.0.0.1"]);
    assert!(err.contains("not found"), "{err}");
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../cxm-domain/tests/survey")
        .join(name)
}

#[test]
fn a_survey_through_odk_or_kobo() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cxm.sqlite");
    ok(&db, &["org", "add", "Acme"]);
    ok(
        &db,
        &[
            "round",
            "add",
            "--org",
            "1",
            "--title",
            "Staff survey",
            "--date",
            "2026-11-20",
        ],
    );
    let form = dir.path().join("form.xlsx");
    let out = ok(
        &db,
        &[
            "export",
            "1",
            "--format",
            "xlsform",
            "-o",
            form.to_str().unwrap(),
        ],
    );
    assert!(out.contains("wrote the survey form of round 1"), "{out}");
    assert!(std::fs::read(&form).unwrap().starts_with(b"PK"));
    let err = fails(&db, &["export", "1", "--format", "xlsform"]);
    assert!(err.contains("-o"), "{err}");

    let odk = fixture("odk-central-v2.csv");
    let out = ok(
        &db,
        &["import-responses", "--round", "1", odk.to_str().unwrap()],
    );
    assert!(out.starts_with("imported 5 respondents"), "{out}");
    assert!(
        out.contains("rejected by a reviewer in ODK Central"),
        "{out}"
    );
    let again = ok(
        &db,
        &["import-responses", "--round", "1", odk.to_str().unwrap()],
    );
    assert!(
        again.starts_with("imported 0 respondents and 0 answers into round 1; 5 submissions were imported before and were skipped"),
        "{again}"
    );
    let kobo = fixture("kobo-v2.csv");
    let out = ok(
        &db,
        &["import-responses", "--round", "1", kobo.to_str().unwrap()],
    );
    assert!(out.starts_with("imported "), "{out}");

    // Another model version's round refuses the export, naming both versions.
    ok(
        &db,
        &[
            "round",
            "add",
            "--org",
            "1",
            "--title",
            "Old",
            "--date",
            "2026-11-21",
            "--model",
            "cx-maturity@1",
        ],
    );
    let err = fails(
        &db,
        &["import-responses", "--round", "2", odk.to_str().unwrap()],
    );
    assert!(
        err.contains("cx-maturity@2") && err.contains("cx-maturity@1"),
        "{err}"
    );
    assert!(err.contains("nothing was written"), "{err}");
}
