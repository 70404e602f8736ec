//! `cxm report` and the app's *Export PDF* are one use case (`cxm_api::Api::report`):
//! for the same round, the same stored settings (logo, "prepared by", quotes by name)
//! and the same generation time they write the same bytes.
//!
//! The CLI gets its time from `SOURCE_DATE_EPOCH`; the app's side gets the same time
//! from its host's clock, so this process's environment is never changed (when
//! `SOURCE_DATE_EPOCH` is already set, both sides read it).
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use chrono::DateTime;
use cxm_api::wire::CompareWith;
use cxm_api::{Api, FakeHost, Seams};

/// The generation time of both reports: 21 September 2026.
const EPOCH: i64 = 1_790_000_000;

fn cxm(db: &Path, epoch: &str, args: &[&str]) -> String {
    let out = Command::cargo_bin("cxm")
        .unwrap()
        .arg("--db")
        .arg(db)
        .args(args)
        .env("SOURCE_DATE_EPOCH", epoch)
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

/// A valid 1×1 RGBA PNG.
const TINY_PNG: [u8; 70] = [
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0,
    0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

#[test]
fn cxm_report_writes_the_same_pdf_as_the_apps_export_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cxm.sqlite");
    let from_env = std::env::var("SOURCE_DATE_EPOCH").ok();
    let epoch = from_env.clone().unwrap_or_else(|| EPOCH.to_string());
    let round: i64 = cxm(&db, &epoch, &["demo"])
        .split_whitespace()
        .last()
        .unwrap()
        .parse()
        .unwrap();

    // The branding and the quote setting, stored through the app's Settings commands.
    let logo = dir.path().join("logo.png");
    std::fs::write(&logo, TINY_PNG).unwrap();
    {
        let chosen = logo.clone();
        let api = Api::open(Some(db.clone()))
            .with_host(FakeHost::new().open_dialog(move |_| Ok(Some(chosen.clone()))));
        assert!(api.choose_logo().unwrap().logo.is_some());
        api.set_prepared_by("Jane Doe, CX Partners").unwrap();
        api.set_attribute_quotes(true).unwrap();
    }

    let cli_pdf = dir.path().join("cli.pdf");
    cxm(
        &db,
        &epoch,
        &[
            "report",
            &round.to_string(),
            "-o",
            cli_pdf.to_str().unwrap(),
        ],
    );

    let app_pdf: PathBuf = dir.path().join("app.pdf");
    let save_to = app_pdf.clone();
    let api = Api::open(Some(db.clone()))
        .with_host(
            FakeHost::new()
                .save_dialog(move |_, _| Ok(Some(save_to.clone())))
                .clock(|| DateTime::from_timestamp(EPOCH, 0).unwrap()),
        )
        .with_seams(Seams {
            no_open: true,
            ..Seams::default()
        });
    let done = api.export_pdf(round, CompareWith::Previous).unwrap();
    assert_eq!(done.path, Some(app_pdf.display().to_string()));
    assert!(!done.opened);

    let (cli, app) = (
        std::fs::read(&cli_pdf).unwrap(),
        std::fs::read(&app_pdf).unwrap(),
    );
    assert!(cli == app, "cxm report and Export PDF differ");

    // The stored settings are in it: the logo, "prepared by", quotes by name.
    let text = pdftotext(&cli_pdf);
    assert!(text.contains("Prepared by Jane Doe, CX Partners"), "{text}");
    assert!(text.contains("– Helen Marsh, Executive (Executive board), on VOC-3.1"));
    if from_env.is_none() {
        assert!(text.contains("Generated on 21 September 2026"));
    }
    let images = std::process::Command::new("pdfimages")
        .arg("-list")
        .arg(&cli_pdf)
        .output()
        .unwrap();
    let images = String::from_utf8(images.stdout).unwrap();
    assert_eq!(
        images
            .lines()
            .filter(|l| l.split_whitespace().nth(2) == Some("image"))
            .count(),
        1,
        "the logo:\n{images}"
    );

    // The flags override the stored settings, for the CLI only.
    let anonymous = dir.path().join("anonymous.pdf");
    cxm(
        &db,
        &epoch,
        &[
            "report",
            &round.to_string(),
            "-o",
            anonymous.to_str().unwrap(),
            "--no-attribute-quotes",
        ],
    );
    let text = pdftotext(&anonymous);
    assert!(!text.contains("Helen Marsh"));
    assert!(text.contains("– Executive, on VOC-3.1"));
}
