//! Backups (online backup API), rotation, the at-most-daily rule, restore and its
//! refusals; the report logo and "prepared by".

use std::fs;
use std::io::Cursor;
use std::path::Path;

use chrono::{DateTime, TimeDelta, Utc};
use cxm_domain::Answer;
use cxm_store::Store;
use cxm_store::backup::{
    self, BackupOptions, BackupReason, automatic_backup, automatic_backup_due, list_backups,
    prune_backups, verify_backup,
};
use cxm_store::logo::{self, LOGO_MAX_HEIGHT, LOGO_MAX_WIDTH, MAX_LOGO_FILE_BYTES};
use cxm_store::migrations::SCHEMA_VERSION;
use image::{DynamicImage, ImageFormat, RgbImage};
use rusqlite::Connection;

use crate::common::*;

/// A store with an organisation, a round and one respondent who answered the first
/// question 3. Returns the respondent and the first question's id.
fn answered(store: &mut Store) -> (i64, String) {
    let (_, round) = org_with_round(store);
    let r = store
        .add_respondent(round, respondent("Ana", "executive"))
        .unwrap();
    let q = store.round_data(round).unwrap().model.questions[0]
        .id
        .clone();
    store.set_answer(r, &q, Some(Answer::Scale(3))).unwrap();
    (r, q)
}

fn first_answer(store: &Store, respondent: i64) -> Option<Answer> {
    let (data, i) = {
        let rounds = store.rounds(None).unwrap();
        let data = store.round_data(rounds[0].id).unwrap();
        let i = data
            .respondents
            .iter()
            .position(|p| p.id == respondent)
            .unwrap();
        (data, i)
    };
    data.respondents[i].answers.answers[0]
}

fn at(hours: i64) -> DateTime<Utc> {
    fixed_now() + TimeDelta::hours(hours)
}

#[test]
fn a_backup_is_a_consistent_copy_that_opens() {
    let (dir, path, mut store) = file_store();
    let (r, _) = answered(&mut store);
    let backups = dir.path().join("backups");
    let made = store.back_up(&backups, BackupReason::Manual).unwrap();
    assert_eq!(made.file_name, "cxm-backup-20250304-050607-manual.sqlite");
    assert_eq!(made.created_at, fixed_now());
    assert!(made.bytes > 0);
    // Only the backup: no temporary file, no journal or log next to it.
    let names: Vec<String> = fs::read_dir(&backups)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, std::slice::from_ref(&made.file_name));
    // A single-file database (rollback journal), with the same content.
    let header = fs::read(&made.path).unwrap();
    assert_eq!(&header[18..20], &[1, 1]);
    verify_backup(&made.path).unwrap();
    assert_eq!(dump(&made.path), dump(&path));
    let copy = Store::open(&made.path).unwrap();
    assert_eq!(first_answer(&copy, r), Some(Answer::Scale(3)));
    // Listed, newest first; a second one in the same second gets its own name.
    let again = store.back_up(&backups, BackupReason::Manual).unwrap();
    assert_eq!(
        again.file_name,
        "cxm-backup-20250304-050607-manual-2.sqlite"
    );
    let listed = list_backups(&backups).unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].file_name, again.file_name);
}

#[test]
fn a_backup_through_its_own_connection_sees_only_committed_data() {
    let (dir, path, mut store) = file_store();
    let (r, q) = answered(&mut store);
    // Another connection holds an uncommitted change: the backup does not wait for it
    // and does not contain it.
    let other = Connection::open(&path).unwrap();
    other
        .execute_batch("BEGIN IMMEDIATE; DELETE FROM answers;")
        .unwrap();
    let made = backup::back_up_file(
        &path,
        &dir.path().join("backups"),
        fixed_now(),
        BackupReason::Automatic,
    )
    .unwrap();
    other.execute_batch("ROLLBACK").unwrap();
    let copy = Store::open(&made.path).unwrap();
    assert_eq!(first_answer(&copy, r), Some(Answer::Scale(3)));
    let _ = q;
}

#[test]
fn rotation_keeps_the_newest_and_deletes_the_oldest() {
    let (dir, _path, mut store) = file_store();
    answered(&mut store);
    let backups = dir.path().join("backups");
    for h in 0..5 {
        store.set_clock(move || at(h * 30));
        store.back_up(&backups, BackupReason::Automatic).unwrap();
    }
    // Files that are not backups are never touched.
    fs::write(backups.join("notes.txt"), "mine").unwrap();
    let deleted = prune_backups(&backups, 3).unwrap();
    assert_eq!(deleted.len(), 2);
    let left: Vec<DateTime<Utc>> = list_backups(&backups)
        .unwrap()
        .iter()
        .map(|b| b.created_at)
        .collect();
    assert_eq!(left, [at(120), at(90), at(60)]);
    assert!(backups.join("notes.txt").exists());
    // At least one is always kept.
    prune_backups(&backups, 0).unwrap();
    assert_eq!(list_backups(&backups).unwrap().len(), 1);
}

#[test]
fn automatic_backups_are_at_most_daily_and_rotate() {
    let (dir, path, mut store) = file_store();
    answered(&mut store);
    assert!(automatic_backup_due(None, at(0)));
    assert!(!automatic_backup_due(Some(at(0)), at(23)));
    assert!(automatic_backup_due(Some(at(0)), at(24)));
    assert!(
        automatic_backup_due(Some(at(5)), at(0)),
        "a backup from the future"
    );

    let first = automatic_backup(&path, 2, at(0))
        .unwrap()
        .expect("the first backup");
    assert_eq!(first.reason, BackupReason::Automatic);
    assert!(first.path.starts_with(dir.path().join("backups")));
    assert_eq!(automatic_backup(&path, 2, at(1)).unwrap(), None);
    assert_eq!(automatic_backup(&path, 2, at(23)).unwrap(), None);
    assert!(automatic_backup(&path, 2, at(24)).unwrap().is_some());
    assert!(automatic_backup(&path, 2, at(48)).unwrap().is_some());
    let left: Vec<DateTime<Utc>> = list_backups(&backup::backup_dir(&path))
        .unwrap()
        .iter()
        .map(|b| b.created_at)
        .collect();
    assert_eq!(left, [at(48), at(24)]);
    // A manual backup counts as the day's backup.
    store.set_clock(|| at(60));
    store
        .back_up(&backup::backup_dir(&path), BackupReason::Manual)
        .unwrap();
    assert_eq!(automatic_backup(&path, 2, at(72)).unwrap(), None);
}

#[test]
fn backup_options_default_and_round_trip() {
    let mut store = memory_store();
    assert_eq!(store.backup_options().unwrap(), BackupOptions::default());
    assert_eq!(BackupOptions::default().keep, 10);
    let off = BackupOptions {
        enabled: false,
        keep: 3,
    };
    store.set_backup_options(off).unwrap();
    assert_eq!(store.backup_options().unwrap(), off);
    let bad = store
        .set_backup_options(BackupOptions {
            enabled: true,
            keep: 0,
        })
        .unwrap_err();
    assert_eq!(bad.code(), "invalid");
    assert_eq!(store.backup_options().unwrap(), off);
}

#[test]
fn restore_brings_back_the_old_data() {
    let (dir, path, mut store) = file_store();
    let (r, q) = answered(&mut store);
    let made = store
        .back_up(&dir.path().join("backups"), BackupReason::Manual)
        .unwrap();
    // Later: the answer changes, a model version and an organisation are added.
    store.set_answer(r, &q, Some(Answer::Scale(1))).unwrap();
    store.import_model(TINY_MODEL, "tiny.toml").unwrap();
    store.add_organisation("Later Ltd").unwrap();
    store.set_setting("report.prepared_by", "Later").unwrap();

    store.restore_from(&made.path).unwrap();
    assert_eq!(first_answer(&store, r), Some(Answer::Scale(3)));
    assert_eq!(store.organisations(true).unwrap().len(), 1);
    assert!(store.models().unwrap().iter().all(|m| m.model_id != "tiny"));
    assert_eq!(store.setting("report.prepared_by").unwrap(), None);
    // The restored database keeps working: writes, and a model id reused after the
    // restore is read as the new model, not a cached old one.
    store.import_model(TINY_MODEL, "tiny.toml").unwrap();
    let org = store.add_organisation("After").unwrap();
    let round = store
        .add_round(new_round(org, "T", date(2025, 2, 1), Some("tiny@1")))
        .unwrap();
    assert_eq!(store.round_data(round).unwrap().model.id, "tiny");
    drop(store);
    // And it is still our database, with everything on disk.
    let reopened = Store::open(&path).unwrap();
    assert_eq!(first_answer(&reopened, r), Some(Answer::Scale(3)));
    assert_eq!(reopened.organisations(true).unwrap().len(), 2);
}

/// Expects `restore_from(file)` to be refused with `code`, with the live database and
/// the file unchanged.
fn refused(store: &mut Store, path: &Path, file: &Path, code: &str) {
    let before = dump(path);
    let file_before = fs::read(file).ok();
    let err = store.restore_from(file).unwrap_err();
    assert_eq!(err.code(), code, "{err}");
    assert_eq!(dump(path), before, "{err}");
    assert_eq!(fs::read(file).ok(), file_before);
    assert!(verify_backup(file).is_err());
}

#[test]
fn restore_refuses_foreign_damaged_and_newer_files_and_changes_nothing() {
    let (dir, path, mut store) = file_store();
    let (r, q) = answered(&mut store);
    let good = store
        .back_up(&dir.path().join("backups"), BackupReason::Manual)
        .unwrap();
    store.set_answer(r, &q, Some(Answer::Scale(1))).unwrap();

    let text = dir.path().join("notes.sqlite");
    fs::write(&text, b"not a database at all, just notes".repeat(50)).unwrap();
    refused(&mut store, &path, &text, "not_a_cxm_database");

    let empty = dir.path().join("empty.sqlite");
    fs::write(&empty, b"").unwrap();
    refused(&mut store, &path, &empty, "not_a_cxm_database");

    let other_app = dir.path().join("other.sqlite");
    Connection::open(&other_app)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    refused(&mut store, &path, &other_app, "not_a_cxm_database");

    let blank_sqlite = dir.path().join("blank.sqlite");
    Connection::open(&blank_sqlite)
        .unwrap()
        .execute_batch("PRAGMA user_version = 0; VACUUM;")
        .unwrap();
    refused(&mut store, &path, &blank_sqlite, "not_a_cxm_database");

    let newer = dir.path().join("newer.sqlite");
    fs::copy(&good.path, &newer).unwrap();
    Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", SCHEMA_VERSION as i64 + 1)
        .unwrap();
    refused(&mut store, &path, &newer, "newer_schema");

    let damaged = dir.path().join("damaged.sqlite");
    let mut bytes = fs::read(&good.path).unwrap();
    let page = 4096;
    assert!(bytes.len() > 4 * page);
    for b in &mut bytes[page..3 * page] {
        *b = 0xA5;
    }
    fs::write(&damaged, &bytes).unwrap();
    refused(&mut store, &path, &damaged, "damaged_database");

    let truncated = dir.path().join("truncated.sqlite");
    let bytes = fs::read(&good.path).unwrap();
    fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    refused(&mut store, &path, &truncated, "damaged_database");

    // The live database still works, and the good backup still restores.
    assert_eq!(first_answer(&store, r), Some(Answer::Scale(1)));
    store.restore_from(&good.path).unwrap();
    assert_eq!(first_answer(&store, r), Some(Answer::Scale(3)));
}

// ----- the logo and "prepared by" -----

fn encoded(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    image.write_to(&mut Cursor::new(&mut out), format).unwrap();
    out
}

fn png_size(png: &[u8]) -> (u32, u32) {
    let img = image::load_from_memory_with_format(png, ImageFormat::Png).unwrap();
    (img.width(), img.height())
}

#[test]
fn a_logo_that_is_not_an_image_is_refused_by_name() {
    let e = logo::prepare_logo("logo.png", b"GIF89a not what we take").unwrap_err();
    assert_eq!(e.code(), "invalid");
    assert_eq!(e.to_string(), "logo.png is not a PNG or JPEG image");
    let e = logo::prepare_logo("logo.png", b"\x89PNG\r\n\x1a\n broken").unwrap_err();
    assert!(
        e.to_string()
            .starts_with("logo.png cannot be read as an image"),
        "{e}"
    );
}

#[test]
fn a_logo_that_is_too_large_is_refused() {
    let big = vec![0u8; MAX_LOGO_FILE_BYTES as usize + 1];
    let e = logo::prepare_logo("huge.png", &big).unwrap_err();
    assert!(
        e.to_string().starts_with("huge.png is too large (10.0 MB"),
        "{e}"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("huge.jpg");
    fs::write(&file, &big).unwrap();
    let e = logo::read_logo_file(&file).unwrap_err();
    assert!(e.to_string().starts_with("huge.jpg is too large"), "{e}");
    // Too many pixels: refused before decoding.
    let wide = DynamicImage::ImageRgb8(RgbImage::new(10_001, 1));
    let e = logo::prepare_logo("wide.png", &encoded(&wide, ImageFormat::Png)).unwrap_err();
    assert!(e.to_string().contains("10001 × 1 pixels"), "{e}");
}

#[test]
fn a_jpeg_logo_becomes_a_scaled_png_and_is_stored() {
    let photo = DynamicImage::ImageRgb8(RgbImage::from_fn(2400, 600, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
    }));
    let logo = logo::prepare_logo("logo.jpg", &encoded(&photo, ImageFormat::Jpeg)).unwrap();
    assert!(logo.png.starts_with(b"\x89PNG"));
    assert_eq!((logo.width, logo.height), (1200, 300));
    assert_eq!(png_size(&logo.png), (1200, 300));
    assert!(logo.width <= LOGO_MAX_WIDTH && logo.height <= LOGO_MAX_HEIGHT);
    // A tall one fits the height; a small one is not enlarged.
    let tall = DynamicImage::ImageRgb8(RgbImage::new(300, 900));
    let t = logo::prepare_logo("t.png", &encoded(&tall, ImageFormat::Png)).unwrap();
    assert_eq!((t.width, t.height), (133, 400));
    let small = DynamicImage::ImageRgba8(image::RgbaImage::new(120, 40));
    let s = logo::prepare_logo("s.png", &encoded(&small, ImageFormat::Png)).unwrap();
    assert_eq!((s.width, s.height), (120, 40));

    let mut store = memory_store();
    assert_eq!(store.logo().unwrap(), None);
    store.set_logo(Some(&logo)).unwrap();
    assert_eq!(store.logo().unwrap(), Some(logo));
    store.set_logo(None).unwrap();
    assert_eq!(store.logo().unwrap(), None);
}

#[test]
fn prepared_by_is_trimmed_and_limited() {
    let mut store = memory_store();
    assert_eq!(store.prepared_by().unwrap(), None);
    store
        .set_prepared_by("  Jane Doe, Acme Consulting ")
        .unwrap();
    assert_eq!(
        store.prepared_by().unwrap().as_deref(),
        Some("Jane Doe, Acme Consulting")
    );
    assert_eq!(
        store.set_prepared_by(&"x".repeat(201)).unwrap_err().code(),
        "invalid"
    );
    store.set_prepared_by("  ").unwrap();
    assert_eq!(store.prepared_by().unwrap(), None);
}
