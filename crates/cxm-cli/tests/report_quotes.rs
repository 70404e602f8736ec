//! `cxm report` and who the board report's quotes are attributed to: role groups by
//! default, names only with `--attribute-quotes`.
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use std::path::Path;

use assert_cmd::Command;
use cxm_domain::Model;
use cxm_domain::demo::demo;

fn cxm(db: &Path, args: &[&str]) -> String {
    let out = Command::cargo_bin("cxm")
        .unwrap()
        .arg("--db")
        .arg(db)
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1790000000")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cxm {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The PDF's text, one space between words.
fn pdftotext(path: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/test.sh");
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn quotes_name_no_one_unless_attribute_quotes_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cxm.sqlite");
    let round = cxm(&db, &["demo"])
        .split_whitespace()
        .last()
        .unwrap()
        .to_string();
    let names: Vec<String> = demo(&Model::default_model()).rounds[1]
        .respondents
        .iter()
        .map(|r| r.name.clone())
        .collect();

    let plain = dir.path().join("plain.pdf");
    cxm(&db, &["report", &round, "-o", plain.to_str().unwrap()]);
    let text = pdftotext(&plain);
    for name in &names {
        assert!(
            !text.contains(name.as_str()),
            "{name} in the default report"
        );
    }
    assert!(
        text.contains("– Executive, on VOC-3.1"),
        "quotes carry role groups"
    );
    assert!(text.contains("Quotes. Notes from the interviews are quoted without names."));

    let named = dir.path().join("named.pdf");
    cxm(
        &db,
        &[
            "report",
            &round,
            "-o",
            named.to_str().unwrap(),
            "--attribute-quotes",
        ],
    );
    let text = pdftotext(&named);
    assert!(text.contains("– Helen Marsh, Executive (Executive board), on VOC-3.1"));
    assert!(text.contains(
        "Quotes. As chosen for this report, notes from the interviews are attributed by name"
    ));
    // The same choice gives the same bytes.
    let again = dir.path().join("again.pdf");
    cxm(
        &db,
        &[
            "report",
            &round,
            "-o",
            again.to_str().unwrap(),
            "--attribute-quotes",
        ],
    );
    assert_eq!(
        std::fs::read(&named).unwrap(),
        std::fs::read(&again).unwrap()
    );
    assert_ne!(
        std::fs::read(&named).unwrap(),
        std::fs::read(&plain).unwrap()
    );

    // The option is listed in the command's help.
    let help = cxm(&db, &["report", "--help"]);
    assert!(help.contains("--attribute-quotes"), "{help}");
}
