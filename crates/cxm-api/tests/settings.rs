//! The Settings commands against a temporary database, without a window: branding
//! (prepared by, logo through the open-file seam), thresholds, the database's place,
//! backups (now, automatic at most daily, rotation) and restore with its refusals; who
//! the report's quotes are attributed to.
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use cxm_api::wire::{BackupReason, CompareWith, ErrorCode, NewRoundInput, RespondentInput};
use cxm_api::{Api, FakeHost, Seams};

fn t(hours: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap() + TimeDelta::hours(hours)
}

fn db(dir: &Path) -> PathBuf {
    dir.join("data").join("cxm.sqlite")
}

/// An app whose open-file seam reads `open`.
fn api_opening(dir: &Path, open: &Path) -> Api {
    let open = open.display().to_string();
    Api::open(Some(db(dir))).with_seams(Seams::from_vars(move |k| {
        (k == "CXM_OPEN_PATH").then(|| open.clone())
    }))
}

/// An organisation, a round and a respondent who answered the first question `value`.
/// Returns the respondent and the first question's id.
fn answered(api: &Api, value: &str) -> (i64, String) {
    let org = api.create_organisation("Acme").unwrap();
    let round = api
        .create_round(NewRoundInput {
            organisation: org,
            title: "Baseline".into(),
            date: "2026-02-01".into(),
            target_phase: None,
            model: None,
            copy_respondents_from: None,
        })
        .unwrap();
    let r = api
        .add_respondent(
            round,
            RespondentInput {
                name: "Ana".into(),
                role_group: "executive".into(),
                department: None,
                interview_date: None,
            },
        )
        .unwrap();
    let q = api.questionnaire(r).unwrap().model.questions[0].id.clone();
    api.set_answer(r, &q, Some(value)).unwrap();
    (r, q)
}

fn first_answer(api: &Api, respondent: i64) -> Option<String> {
    api.questionnaire(respondent).unwrap().answers[0]
        .value
        .clone()
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
        width,
        height,
        image::Rgb([20, 90, 160]),
    ));
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

#[test]
fn settings_show_the_thresholds_the_database_and_no_backups_yet() {
    let dir = tempfile::tempdir().unwrap();
    let api = Api::open(Some(db(dir.path())));
    let s = api.settings().unwrap();
    assert_eq!(s.prepared_by, "");
    assert_eq!(s.logo, None);
    assert_eq!(
        s.thresholds.model_key,
        cxm_domain::Model::default_model().key()
    );
    assert_eq!(s.thresholds.model_key, "cx-maturity@2");
    assert_eq!(s.thresholds.mastery_threshold, 0.75);
    assert_eq!(s.thresholds.anonymity_threshold, 3);
    assert_eq!(s.thresholds.flag_threshold, 0.25);
    assert_eq!(Path::new(&s.db_path), db(dir.path()));
    assert_eq!(
        Path::new(&s.backup_dir),
        dir.path().join("data").join("backups")
    );
    assert!(s.backups.enabled);
    assert_eq!(s.backups.keep, 10);
    assert!(s.backups.list.is_empty());
    assert_eq!(s.backups.automatic_error, None);
}

#[test]
fn prepared_by_and_the_logo_reach_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let logo_file = dir.path().join("logo.png");
    let pdf = dir.path().join("board.pdf");
    let target = pdf.display().to_string();
    let open = logo_file.display().to_string();
    let api = Api::open(Some(db(dir.path()))).with_seams(Seams::from_vars(move |k| match k {
        "CXM_OPEN_PATH" => Some(open.clone()),
        "CXM_SAVE_PATH" => Some(target.clone()),
        "CXM_NO_OPEN" => Some("1".into()),
        _ => None,
    }));
    api.set_prepared_by("  Jane Doe, Acme Consulting ").unwrap();
    assert_eq!(
        api.settings().unwrap().prepared_by,
        "Jane Doe, Acme Consulting"
    );
    assert_eq!(
        api.set_prepared_by(&"x".repeat(201)).unwrap_err().code,
        ErrorCode::Invalid
    );

    // Not an image: refused by name, nothing stored.
    std::fs::write(&logo_file, b"this is text").unwrap();
    let e = api.choose_logo().unwrap_err();
    assert_eq!(e.code, ErrorCode::Invalid);
    assert_eq!(e.message, "logo.png is not a PNG or JPEG image");
    assert_eq!(api.settings().unwrap().logo, None);

    // A wide PNG: scaled to fit 1200 × 400.
    std::fs::write(&logo_file, png(3000, 500)).unwrap();
    let logo = api.choose_logo().unwrap().logo.expect("stored");
    assert_eq!((logo.width, logo.height), (1200, 200));
    assert!(logo.data_url.starts_with("data:image/png;base64,iVBOR"));
    assert_eq!(api.settings().unwrap().logo, Some(logo));

    let (r, _) = answered(&api, "3");
    let round = api.questionnaire(r).unwrap().round.id;
    api.export_pdf(round, CompareWith::Previous).unwrap();
    let with_logo = std::fs::read(&pdf).unwrap();
    api.remove_logo().unwrap();
    assert_eq!(api.settings().unwrap().logo, None);
    api.export_pdf(round, CompareWith::Previous).unwrap();
    let without = std::fs::read(&pdf).unwrap();
    let images = |b: &[u8]| b.windows(5).filter(|w| w == b"Image").count();
    assert!(
        with_logo.len() > without.len() && images(&with_logo) > images(&without),
        "the logo is in the PDF: {} vs {} bytes",
        with_logo.len(),
        without.len()
    );
}

#[test]
fn a_cancelled_logo_dialog_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let asked = Arc::new(Mutex::new(0));
    let count = Arc::clone(&asked);
    let api = Api::open(Some(db(dir.path()))).with_host(FakeHost::new().open_dialog(move |spec| {
        assert_eq!(spec.title, "Choose the report logo");
        *count.lock().unwrap() += 1;
        Ok(None)
    }));
    assert_eq!(api.choose_logo().unwrap().logo, None);
    assert_eq!(*asked.lock().unwrap(), 1);
    assert_eq!(api.settings().unwrap().logo, None);
}

#[test]
fn back_up_now_lists_backups_and_keeps_the_last_n() {
    let dir = tempfile::tempdir().unwrap();
    let api = Api::open(Some(db(dir.path())));
    answered(&api, "3");
    api.set_backup_options(true, 3).unwrap();
    for h in 0..5 {
        let made = api.back_up_now_at(t(h)).unwrap();
        assert_eq!(made.reason, BackupReason::Manual);
        assert!(made.bytes > 0);
    }
    let s = api.settings().unwrap();
    assert_eq!(s.backups.keep, 3);
    let times: Vec<&str> = s
        .backups
        .list
        .iter()
        .map(|b| b.created_at.as_str())
        .collect();
    assert_eq!(
        times,
        [
            "2026-03-01T13:00:00Z",
            "2026-03-01T12:00:00Z",
            "2026-03-01T11:00:00Z"
        ]
    );
    // Keeping fewer deletes the oldest now.
    api.set_backup_options(false, 1).unwrap();
    assert_eq!(api.settings().unwrap().backups.list.len(), 1);
    assert_eq!(
        api.set_backup_options(true, 0).unwrap_err().code,
        ErrorCode::Invalid
    );
    assert_eq!(
        api.set_backup_options(true, 101).unwrap_err().code,
        ErrorCode::Invalid
    );
}

#[test]
fn the_automatic_backup_is_at_most_daily_and_can_be_turned_off() {
    let dir = tempfile::tempdir().unwrap();
    let api = Api::open(Some(db(dir.path())));
    answered(&api, "3");
    let first = api.automatic_backup_at(t(0)).unwrap().expect("a backup");
    assert_eq!(first.reason, BackupReason::Automatic);
    assert_eq!(api.automatic_backup_at(t(12)).unwrap(), None);
    assert!(api.automatic_backup_at(t(24)).unwrap().is_some());
    api.set_backup_options(false, 10).unwrap();
    assert_eq!(api.automatic_backup_at(t(72)).unwrap(), None);
    assert_eq!(api.settings().unwrap().backups.list.len(), 2);
    // The thread version waits, then runs; here it finds today's backup and stops.
    api.set_backup_options(true, 10).unwrap();
    let api = Arc::new(api);
    Api::spawn_automatic_backup(&api);
}

#[test]
fn restore_brings_back_the_old_answer_after_a_safety_backup() {
    let dir = tempfile::tempdir().unwrap();
    let api = Api::open(Some(db(dir.path())));
    let (r, q) = answered(&api, "3");
    api.set_prepared_by("Before").unwrap();
    let backup = api.back_up_now_at(t(0)).unwrap();
    api.set_answer(r, &q, Some("1")).unwrap();
    api.set_prepared_by("After").unwrap();
    api.create_organisation("Later Ltd").unwrap();
    assert_eq!(first_answer(&api, r).as_deref(), Some("1"));

    let outcome = api.restore_backup_at(&backup.file_name, t(1)).unwrap();
    assert_eq!(outcome.restored, backup);
    assert_eq!(outcome.safety_backup.reason, BackupReason::BeforeRestore);
    assert_eq!(first_answer(&api, r).as_deref(), Some("3"));
    assert_eq!(api.settings().unwrap().prepared_by, "Before");
    assert_eq!(api.list_organisations(true).unwrap().len(), 1);
    // The safety backup holds the state the restore replaced: restoring it undoes it.
    let s = api.settings().unwrap();
    assert_eq!(s.backups.list[0], outcome.safety_backup);
    api.restore_backup_at(&outcome.safety_backup.file_name, t(2))
        .unwrap();
    assert_eq!(first_answer(&api, r).as_deref(), Some("1"));
    assert_eq!(api.list_organisations(true).unwrap().len(), 2);
}

#[test]
fn a_restore_of_a_foreign_or_unknown_file_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let api = Api::open(Some(db(dir.path())));
    let (r, q) = answered(&api, "3");
    api.back_up_now_at(t(0)).unwrap();
    api.set_answer(r, &q, Some("1")).unwrap();
    let backups = dir.path().join("data").join("backups");
    // A file with a backup's name that is not a database.
    let fake = "cxm-backup-20260301-100000-manual.sqlite";
    std::fs::write(backups.join(fake), b"holiday photos".repeat(100)).unwrap();
    let before = api.settings().unwrap().backups.list;
    let e = api.restore_backup_at(fake, t(2)).unwrap_err();
    assert_eq!(e.code, ErrorCode::NotACxmDatabase, "{}", e.message);
    assert_eq!(first_answer(&api, r).as_deref(), Some("1"));
    assert_eq!(
        api.settings().unwrap().backups.list,
        before,
        "no safety backup for a refused restore"
    );
    // Only names in the list: no paths.
    for name in ["../cxm.sqlite", "cxm-backup-x.sqlite", ""] {
        assert_eq!(
            api.restore_backup_at(name, t(3)).unwrap_err().code,
            ErrorCode::NotFound
        );
    }
    assert_eq!(first_answer(&api, r).as_deref(), Some("1"));
}

#[test]
fn the_database_is_shown_in_the_file_manager_unless_the_seam_says_no() {
    let dir = tempfile::tempdir().unwrap();
    let shown = Arc::new(Mutex::new(Vec::<PathBuf>::new()));
    let seen = Arc::clone(&shown);
    let api = Api::open(Some(db(dir.path()))).with_host(FakeHost::new().revealer(move |p| {
        seen.lock().unwrap().push(p.to_path_buf());
        true
    }));
    assert!(api.reveal_database().unwrap());
    assert_eq!(*shown.lock().unwrap(), [db(dir.path())]);
    let quiet = api_opening(dir.path(), Path::new("unused"))
        .with_seams(Seams::from_vars(|k| {
            (k == "CXM_NO_OPEN").then(|| "1".into())
        }))
        .with_host(FakeHost::new().revealer(|_| panic!("CXM_NO_OPEN opens nothing")));
    assert!(!quiet.reveal_database().unwrap());
}

/// The PDF's text (poppler's `pdftotext`), one space between words.
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
fn quotes_name_interviewees_in_the_exported_report_only_when_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("board.pdf");
    let target = pdf.display().to_string();
    let exporting = move |dir: &Path| {
        let target = target.clone();
        Api::open(Some(db(dir))).with_seams(Seams::from_vars(move |k| match k {
            "CXM_SAVE_PATH" => Some(target.clone()),
            "CXM_NO_OPEN" => Some("1".into()),
            _ => None,
        }))
    };
    let api = exporting(dir.path());
    assert!(!api.settings().unwrap().attribute_quotes, "off by default");
    let org = api.load_demo().unwrap();
    let round = api
        .organisation_page(org)
        .unwrap()
        .rounds
        .iter()
        .max_by_key(|r| r.date.clone())
        .unwrap()
        .id;
    let names: Vec<String> = cxm_domain::demo::demo(&cxm_domain::Model::default_model()).rounds[1]
        .respondents
        .iter()
        .map(|r| r.name.clone())
        .collect();
    let export = |api: &Api| {
        api.export_pdf(round, CompareWith::Previous).unwrap();
        pdftotext(&pdf)
    };

    // By default: role groups, never a name.
    let text = export(&api);
    for name in &names {
        assert!(
            !text.contains(name.as_str()),
            "{name} in the default report"
        );
    }
    assert!(text.contains("– Executive, on VOC-3.1"));
    assert!(text.contains("Quotes. Notes from the interviews are quoted without names."));

    // Chosen: stored in the settings table, shown, and used by the export.
    api.set_attribute_quotes(true).unwrap();
    assert!(api.settings().unwrap().attribute_quotes);
    let stored = cxm_store::Store::open(db(dir.path()))
        .unwrap()
        .setting("report.attribute_quotes")
        .unwrap();
    assert_eq!(stored.as_deref(), Some("true"));
    let text = export(&api);
    assert!(text.contains("– Helen Marsh, Executive (Executive board), on VOC-3.1"));
    assert!(text.contains(
        "Quotes. As chosen for this report, notes from the interviews are attributed by name"
    ));
    // Kept when the app starts again.
    drop(api);
    let api = exporting(dir.path());
    assert!(api.settings().unwrap().attribute_quotes);
    assert!(export(&api).contains("Helen Marsh"));

    // Off again: no names.
    api.set_attribute_quotes(false).unwrap();
    assert!(!api.settings().unwrap().attribute_quotes);
    let text = export(&api);
    assert!(!names.iter().any(|n| text.contains(n.as_str())));
}
