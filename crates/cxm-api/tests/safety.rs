//! A client's data kept safe, through the app's commands without a window: no save
//! dialog can write over the database, exports are private, strict dates, and the
//! damage check after start with what the app then does (no backup over good ones, a
//! restore of the last good backup that still works, the banner's state).
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};
use cxm_api::wire::{CompareWith, ErrorCode, NewRoundInput, RespondentInput, RoundExportFormat};
use cxm_api::{Api, FakeHost, Seams};

fn db(dir: &Path) -> PathBuf {
    dir.join("data").join("cxm.sqlite")
}

/// An app whose save dialog answers `save`.
fn api_saving_to(dir: &Path, save: &Path) -> Api {
    let save = save.to_path_buf();
    Api::open(Some(db(dir)))
        .with_host(FakeHost::new().save_dialog(move |_, _| Ok(Some(save.clone()))))
}

fn round(api: &Api) -> i64 {
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
    let ids: Vec<String> = api
        .questionnaire(r)
        .unwrap()
        .model
        .questions
        .iter()
        .map(|q| q.id.clone())
        .collect();
    for (i, q) in ids.iter().enumerate() {
        api.set_answer(r, q, Some(["1", "2", "3"][i % 3])).unwrap();
    }
    round
}

#[test]
fn no_save_dialog_can_write_over_the_database_or_its_side_files() {
    let dir = tempfile::tempdir().unwrap();
    let live = db(dir.path());
    let setup = Api::open(Some(live.clone()));
    let r = round(&setup);
    let wal = PathBuf::from(format!("{}-wal", live.display()));
    let link = dir.path().join("report.pdf");
    std::os::unix::fs::symlink(&live, &link).unwrap();
    for target in [&live, &wal, &link] {
        let api = api_saving_to(dir.path(), target);
        for result in [
            api.export_pdf(r, CompareWith::Previous).map(|_| ()),
            api.export_round(r, RoundExportFormat::AnswersCsv)
                .map(|_| ()),
            api.export_round(r, RoundExportFormat::ActionsCsv)
                .map(|_| ()),
            api.export_engagement(1).map(|_| ()),
        ] {
            let e = result.unwrap_err();
            assert_eq!(
                e.code,
                ErrorCode::OutputIsDatabase,
                "{}: {}",
                target.display(),
                e.message
            );
        }
        // The seam that stands in for the dialog is refused the same way.
        let seamed = Api::open(Some(live.clone())).with_seams(Seams::from_vars(|k| {
            (k == "CXM_SAVE_PATH").then(|| target.display().to_string())
        }));
        assert_eq!(
            seamed
                .export_pdf(r, CompareWith::Previous)
                .unwrap_err()
                .code,
            ErrorCode::OutputIsDatabase
        );
    }
    // Everything still reads, and the setup connection still writes.
    assert_eq!(
        setup.results(r, CompareWith::Previous).unwrap().respondents,
        1
    );
    setup.create_organisation("Later").unwrap();
    assert!(setup.database_health().unwrap().damage.is_none());
    assert_eq!(setup.check_database(), None);
}

#[test]
fn exports_are_private_to_the_user() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("answers.csv");
    let api = api_saving_to(dir.path(), &out);
    let r = round(&api);
    api.export_round(r, RoundExportFormat::AnswersCsv).unwrap();
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let folder = std::fs::metadata(dir.path().join("data"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(folder, 0o700);
}

#[test]
fn a_date_with_a_two_digit_year_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let api = Api::open(Some(db(dir.path())));
    let org = api.create_organisation("Acme").unwrap();
    let e = api
        .create_round(NewRoundInput {
            organisation: org,
            title: "Old".into(),
            date: "26-03-10".into(),
            target_phase: None,
            model: None,
            copy_respondents_from: None,
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Invalid);
    assert!(e.message.contains("YYYY-MM-DD"), "{}", e.message);
}

/// Overwrites the headers of two b-tree pages near the end of the file: pages of the
/// demo's answers, written last (the built-in models' text, which opening the database
/// reads, fills the first pages), so the damage is only found by the check after start.
fn damage(path: &Path) {
    let mut bytes = std::fs::read(path).unwrap();
    let pages = bytes.len() / 4096;
    assert!(pages > 8, "{pages} pages");
    for page in [pages - 3, pages - 2] {
        for b in &mut bytes[page * 4096..page * 4096 + 12] {
            *b = 0xEE;
        }
    }
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn damage_found_after_start_is_shown_is_not_backed_up_and_a_good_backup_still_restores() {
    let dir = tempfile::tempdir().unwrap();
    let live = db(dir.path());
    let good = {
        let api = Api::open(Some(live.clone()));
        api.load_demo().unwrap();
        let health = api.database_health().unwrap();
        assert!(!health.checked && health.damage.is_none() && health.read_only.is_none());
        let made = api.back_up_now().unwrap();
        assert_eq!(api.check_database(), None);
        assert!(api.database_health().unwrap().checked);
        made
    };
    damage(&live);

    let api = Api::open(Some(live.clone()));
    let problem = api.check_database().expect("the damage is found");
    assert!(
        problem.contains("restore the last good backup"),
        "{problem}"
    );
    let health = api.database_health().unwrap();
    assert!(health.checked);
    assert_eq!(health.damage.as_deref(), Some(problem.as_str()));
    // Neither a backup now nor the automatic one replaces the good backups.
    let e = api.back_up_now().unwrap_err();
    assert_eq!(e.code, ErrorCode::DamagedDatabase);
    let later = Utc.with_ymd_and_hms(2040, 1, 1, 0, 0, 0).unwrap();
    assert_eq!(
        api.automatic_backup_at(later).unwrap_err().code,
        ErrorCode::DamagedDatabase
    );
    let listed = api.settings().unwrap().backups.list;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].file_name, good.file_name);

    // Restoring the last good backup works; the damaged file is kept apart.
    let outcome = api.restore_backup(&good.file_name).unwrap();
    assert!(outcome.kept_damaged);
    assert!(
        outcome.safety_backup.file_name.starts_with("cxm-damaged-"),
        "{}",
        outcome.safety_backup.file_name
    );
    assert!(
        dir.path()
            .join("data/backups")
            .join(&outcome.safety_backup.file_name)
            .exists()
    );
    assert_eq!(api.database_health().unwrap().damage, None);
    assert_eq!(api.check_database(), None);
    let orgs = api.list_organisations(false).unwrap();
    assert_eq!(orgs.len(), 1);
    // The kept copy is not offered as a backup.
    let listed = api.settings().unwrap().backups.list;
    assert!(
        listed
            .iter()
            .all(|b| !b.file_name.starts_with("cxm-damaged-"))
    );
}
