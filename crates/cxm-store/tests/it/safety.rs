//! A client's data kept safe: the faults a hostile test found in the store, each with
//! the test that failed before its fix.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier};

use cxm_domain::Answer;
use cxm_domain::model::BUILT_IN_MODELS;
use cxm_store::backup::{BackupReason, verify_backup};
use cxm_store::{NewRespondent, Store};
use rusqlite::Connection;

use crate::common::*;

fn integrity(path: &Path) -> Vec<String> {
    let conn = Connection::open(path).unwrap();
    conn.prepare("PRAGMA integrity_check")
        .unwrap()
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// A store with an organisation, a round and one answered respondent.
fn with_answers() -> (tempfile::TempDir, PathBuf, Store, i64, i64) {
    let (dir, path, mut store) = file_store();
    let (_, round) = org_with_round(&mut store);
    let r = store
        .add_respondent(round, respondent("Ana", "executive"))
        .unwrap();
    let model = store.model_for_round(round).unwrap();
    answer_all(&mut store, &model, r, |i| {
        Some(Answer::Scale((i % 5) as u8))
    });
    (dir, path, store, round, r)
}

// ----- 1. outputs that are the live database -----

#[test]
fn a_backup_onto_the_live_database_or_its_side_files_is_refused() {
    let (dir, path, store, round, r) = with_answers();
    // The app keeps its own connection open meanwhile.
    let mut app = Store::open(&path).unwrap();
    fs::create_dir(dir.path().join("sub")).unwrap();
    let mut outputs = vec![
        path.clone(),
        dir.path().join("sub/../cxm.sqlite"),
        dir.path().join("cxm.sqlite-wal"),
        dir.path().join("cxm.sqlite-shm"),
    ];
    #[cfg(unix)]
    {
        let link = dir.path().join("link.sqlite");
        std::os::unix::fs::symlink(&path, &link).unwrap();
        let hard = dir.path().join("hard.sqlite");
        fs::hard_link(&path, &hard).unwrap();
        outputs.extend([link, hard]);
    }
    for out in &outputs {
        let e = store.back_up_to(out).unwrap_err();
        assert_eq!(e.code(), "output_is_database", "{}: {e}", out.display());
        let e = store.write_file(out, b"respondent,role\n").unwrap_err();
        assert_eq!(e.code(), "output_is_database", "{}: {e}", out.display());
    }
    // The app's next commits land in a whole database.
    app.set_answer(r, "STR-1.1", Some(Answer::Scale(4)))
        .unwrap();
    drop(app);
    drop(store);
    assert_eq!(integrity(&path), ["ok"]);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.round_data(round).unwrap().respondents.len(), 1);
    // An ordinary file is written.
    let out = dir.path().join("copy.sqlite");
    store.back_up_to(&out).unwrap();
    verify_backup(&out).unwrap();
}

// ----- 2. one bad stored round does not break the listings -----

#[test]
fn a_round_with_an_unreadable_summary_does_not_break_the_listings() {
    let (_dir, path, mut store, round, _) = with_answers();
    let org = store.round(round).unwrap().organisation;
    let other = store
        .add_round(new_round(org, "Later", date(2025, 6, 1), None))
        .unwrap();
    drop(store);
    Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE rounds SET block_maturity = '[{\"block\":\"strategy\",\"reached_phase\":1,\"maturity\":null}]' WHERE id = ?1",
            [round],
        )
        .unwrap();
    let store = Store::open(&path).unwrap();
    let rounds = store.rounds(None).unwrap();
    assert_eq!(rounds.len(), 2);
    let bad = rounds.iter().find(|r| r.id == round).unwrap();
    assert!(bad.block_maturity.is_empty());
    assert!(rounds.iter().any(|r| r.id == other));
    assert_eq!(store.organisations(true).unwrap()[0].rounds.len(), 2);
    // Its results are computed from its answers, as always.
    store.results(round).unwrap();
}

// ----- 3. the demo is one transaction -----

#[test]
fn a_demo_that_fails_halfway_leaves_nothing_and_can_be_loaded_again() {
    let (_dir, path, mut store) = file_store();
    let before = dump(&path);
    // Make the 21st respondent's insert fail: the demo's second round.
    Connection::open(&path)
        .unwrap()
        .execute_batch(
            "CREATE TABLE fault (armed INTEGER);
             INSERT INTO fault VALUES (1);
             CREATE TRIGGER fail_late BEFORE INSERT ON respondents
             WHEN (SELECT count(*) FROM respondents) > 20 AND (SELECT armed FROM fault) = 1
             BEGIN SELECT RAISE(ABORT, 'injected fault'); END;",
        )
        .unwrap();
    let e = store.load_demo().unwrap_err();
    assert!(e.to_string().contains("injected fault"), "{e}");
    assert_eq!(count(&path, "organisations"), 0);
    assert_eq!(count(&path, "rounds"), 0);
    assert_eq!(count(&path, "respondents"), 0);
    assert!(store.demo_organisation().unwrap().is_none());
    Connection::open(&path)
        .unwrap()
        .execute_batch("DROP TRIGGER fail_late; DROP TABLE fault;")
        .unwrap();
    assert_eq!(dump(&path), before);
    let demo = store.load_demo().unwrap();
    assert_eq!(demo.rounds.len(), 2);
    assert!(store.demo_organisation().unwrap().is_some());
}

#[test]
fn half_a_demo_left_by_an_older_version_is_not_taken_for_the_demo() {
    let (_dir, _path, mut store) = file_store();
    let demo = store.load_demo().unwrap();
    store.delete_round(demo.rounds[1].id).unwrap();
    assert!(store.demo_organisation().unwrap().is_none());
}

// ----- 4. two processes opening a fresh database at once -----

#[test]
fn many_first_opens_at_once_all_succeed_with_one_schema_and_one_default_model() {
    for attempt in 0..3 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fresh").join("cxm.sqlite");
        let n = 12;
        let barrier = Arc::new(Barrier::new(n));
        let handles: Vec<_> = (0..n)
            .map(|_| {
                let (path, barrier) = (path.clone(), Arc::clone(&barrier));
                std::thread::spawn(move || {
                    barrier.wait();
                    Store::open(&path).map(|s| s.models().unwrap().len())
                })
            })
            .collect();
        for h in handles {
            let models = h
                .join()
                .unwrap()
                .unwrap_or_else(|e| panic!("attempt {attempt}: {e}"));
            assert_eq!(models, BUILT_IN_MODELS.len());
        }
        // Each built-in version once, the default among them.
        assert_eq!(count(&path, "model_versions"), BUILT_IN_MODELS.len() as i64);
        let store = Store::open(&path).unwrap();
        let keys: Vec<String> = store.models().unwrap().into_iter().map(|m| m.key).collect();
        assert_eq!(keys, ["cx-maturity@1", "cx-maturity@2"]);
        assert_eq!(store.default_model_key().unwrap(), "cx-maturity@2");
        assert_eq!(integrity(&path), ["ok"]);
    }
}

// ----- 5. damage is noticed, and not backed up over good backups -----

/// Overwrites the headers of two b-tree pages in the middle of the file: the kind of
/// damage a failing disk or a stray write leaves, which SQLite's own reads may not
/// trip over for a while.
fn damage(path: &Path) {
    let mut bytes = fs::read(path).unwrap();
    let pages = bytes.len() / 4096;
    assert!(pages > 8, "{pages} pages");
    for page in [pages / 2, pages / 2 + 1] {
        for b in &mut bytes[page * 4096..page * 4096 + 12] {
            *b = 0xEE;
        }
    }
    fs::write(path, bytes).unwrap();
}

#[test]
fn a_damaged_database_is_reported_and_not_backed_up_over_a_good_backup() {
    let (dir, path, mut store, _, _) = with_answers();
    let backups = dir.path().join("backups");
    let good = store.back_up(&backups, BackupReason::Manual).unwrap();
    // Make the file big enough to damage a data page, then close it cleanly.
    let (_, round) = org_with_round(&mut store);
    let people: Vec<_> = (0..40)
        .map(|i| cxm_store::RespondentImport {
            name: format!("P{i}"),
            role_group: "manager".into(),
            department: None,
            interview_date: None,
            answers: store
                .model_for_round(round)
                .unwrap()
                .questions
                .iter()
                .map(|q| {
                    (
                        q.id.clone(),
                        Some(Answer::Scale(2)),
                        Some("a note".repeat(20)),
                    )
                })
                .collect(),
        })
        .collect();
    store.import_respondents(round, &people).unwrap();
    drop(store);
    damage(&path);
    let store = Store::open(&path).unwrap();
    let problem = store.check_integrity().unwrap_err();
    assert_eq!(problem.code(), "damaged_database", "{problem}");
    assert!(
        problem.to_string().contains("restore the last good backup"),
        "{problem}"
    );
    let e = store
        .back_up(&backups, BackupReason::Automatic)
        .unwrap_err();
    assert_eq!(e.code(), "damaged_database", "{e}");
    let e = cxm_store::backup::automatic_backup(&path, 1, fixed_now() + chrono::TimeDelta::days(2))
        .unwrap_err();
    assert_eq!(e.code(), "damaged_database", "{e}");
    // The good backup is still there, and it is the only one.
    let listed = cxm_store::backup::list_backups(&backups).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].path, good.path);
}

#[test]
fn a_backup_with_bad_text_in_a_stored_model_is_refused_by_restore() {
    let (dir, path, mut store, round, _) = with_answers();
    let bad = dir.path().join("bad-utf8.sqlite");
    store.back_up_to(&bad).unwrap();
    {
        let conn = Connection::open(&bad).unwrap();
        // Invalid UTF-8 inside the stored model's source: quick_check does not mind.
        conn.execute(
            "UPDATE model_versions SET source = CAST(substr(source, 1, 40) || X'FFFE' || substr(source, 41) AS TEXT)",
            [],
        )
        .unwrap();
        let quick: String = conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(quick, "ok");
    }
    let before = dump(&path);
    let e = store.restore_from(&bad).unwrap_err();
    assert_eq!(e.code(), "damaged_database", "{e}");
    assert!(e.to_string().contains("nothing was restored"), "{e}");
    assert_eq!(dump(&path), before);
    store.results(round).unwrap();

    // A stored answer off its model's scale is refused too.
    let off = dir.path().join("off-scale.sqlite");
    store.back_up_to(&off).unwrap();
    Connection::open(&off)
        .unwrap()
        .execute(
            "UPDATE answers SET value = 9 WHERE question_id = 'STR-1.1'",
            [],
        )
        .unwrap();
    let e = store.restore_from(&off).unwrap_err();
    assert_eq!(e.code(), "damaged_database", "{e}");
    assert_eq!(dump(&path), before);
}

// ----- 6. restore accepts only our schema -----

#[test]
fn restore_refuses_a_backup_with_foreign_triggers_views_or_tables() {
    let (dir, path, mut store, _, _) = with_answers();
    let plants = [
        (
            "trigger",
            "CREATE TRIGGER eat AFTER INSERT ON answers BEGIN DELETE FROM answers WHERE rowid % 2 = 0; END;",
        ),
        (
            "view",
            "CREATE VIEW people AS SELECT name FROM respondents;",
        ),
        ("table", "CREATE TABLE extra (x);"),
        ("index", "CREATE INDEX extra_idx ON answers (note);"),
        (
            "changed table",
            "ALTER TABLE respondents ADD COLUMN secret TEXT;",
        ),
    ];
    for (what, sql) in plants {
        let file = dir
            .path()
            .join(format!("planted-{}.sqlite", what.replace(' ', "-")));
        store.back_up_to(&file).unwrap();
        Connection::open(&file).unwrap().execute_batch(sql).unwrap();
        let before = dump(&path);
        let e = store.restore_from(&file).unwrap_err();
        assert_eq!(e.code(), "not_a_cxm_database", "{what}: {e}");
        assert!(e.to_string().contains("schema"), "{what}: {e}");
        assert_eq!(dump(&path), before, "{what}");
    }
}

// ----- 7. temporary files of killed backups are cleaned -----

#[test]
fn temporary_files_left_by_a_killed_backup_are_cleaned_by_the_next() {
    let (dir, _path, store, _, _) = with_answers();
    let backups = dir.path().join("backups");
    fs::create_dir_all(&backups).unwrap();
    let left = [
        backups.join(".cxm-backup-20250101-000000-auto.sqlite.4242-0.tmp"),
        backups.join(".cxm-backup-20250101-000000-auto.sqlite.4242-0.tmp-journal"),
        backups.join(".cxm-backup-20250102-000000-manual.sqlite.Xa9bQz.tmp"),
    ];
    for f in &left {
        fs::write(f, b"half a backup").unwrap();
    }
    store.back_up(&backups, BackupReason::Manual).unwrap();
    let names: Vec<String> = fs::read_dir(&backups)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(names[0].starts_with("cxm-backup-"), "{names:?}");
}

// ----- 10. private files -----

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn the_data_folder_database_backups_and_exports_are_private() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let path = data.join("cxm.sqlite");
    let mut store = Store::open(&path).unwrap();
    let org = store.add_organisation("Acme").unwrap();
    assert_eq!(mode(&data), 0o700);
    for f in [
        path.clone(),
        PathBuf::from(format!("{}-wal", path.display())),
        PathBuf::from(format!("{}-shm", path.display())),
    ] {
        assert_eq!(mode(&f), 0o600, "{}", f.display());
    }
    let backups = data.join("backups");
    let made = store.back_up(&backups, BackupReason::Manual).unwrap();
    assert_eq!(mode(&backups), 0o700);
    assert_eq!(mode(&made.path), 0o600);
    let out = dir.path().join("acme.cxmx");
    store
        .write_file(&out, store.export_engagement(org).unwrap().as_bytes())
        .unwrap();
    assert_eq!(mode(&out), 0o600);
    let copy = dir.path().join("copy.sqlite");
    store.back_up_to(&copy).unwrap();
    assert_eq!(mode(&copy), 0o600);
    drop(store);

    // A database left world-readable by an older version is made private on open.
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    let _store = Store::open(&path).unwrap();
    assert_eq!(mode(&path), 0o600);
}

// ----- 12, 13. names -----

#[test]
fn names_with_control_characters_are_refused_everywhere_in_the_store() {
    let (_dir, _path, mut store, round, r) = with_answers();
    for bad in [
        "\u{1b}[31mRed",
        "a\0b",
        "x\u{202E}y",
        "\u{200B}\u{200B}",
        "two\nlines",
    ] {
        assert_eq!(
            store.add_organisation(bad).unwrap_err().code(),
            "invalid",
            "{bad:?}"
        );
        assert_eq!(
            store
                .add_respondent(round, respondent(bad, "manager"))
                .unwrap_err()
                .code(),
            "invalid",
            "{bad:?}"
        );
        let mut dept = respondent("Bo", "manager");
        dept.department = Some(bad.into());
        assert_eq!(
            store.add_respondent(round, dept).unwrap_err().code(),
            "invalid"
        );
        assert_eq!(
            store
                .add_round(new_round(1, bad, date(2025, 2, 2), None))
                .unwrap_err()
                .code(),
            "invalid"
        );
        assert_eq!(
            store
                .update_respondent(r, respondent(bad, "executive"))
                .unwrap_err()
                .code(),
            "invalid"
        );
    }
    // A note may hold line breaks, not escape sequences.
    store
        .set_note(r, "STR-1.1", Some("line one\nline two".into()))
        .unwrap();
    assert_eq!(
        store
            .set_note(r, "STR-1.1", Some("\u{1b}]8;;http://evil\u{7}click".into()))
            .unwrap_err()
            .code(),
        "invalid"
    );
}

#[test]
fn names_that_differ_only_in_case_or_composition_are_one_person() {
    let (_dir, _path, mut store, round, _) = with_answers();
    store
        .add_respondent(round, respondent("Tomás Ortega", "manager"))
        .unwrap();
    for same in ["TOMÁS ORTEGA", "Toma\u{301}s Ortega", "tomás  ortega"] {
        let e = store
            .add_respondent(round, respondent(same, "manager"))
            .unwrap_err();
        assert_eq!(e.code(), "conflict", "{same:?}: {e}");
    }
    let people = [cxm_store::RespondentImport {
        name: "TOMÁS ORTEGA".into(),
        role_group: "manager".into(),
        department: None,
        interview_date: None,
        answers: Vec::new(),
    }];
    assert_eq!(
        store.import_respondents(round, &people).unwrap_err().code(),
        "conflict"
    );
    // Stored composed (NFC).
    let id = store
        .add_respondent(
            round,
            NewRespondent {
                name: "Rene\u{301}e".into(),
                ..respondent("x", "manager")
            },
        )
        .unwrap();
    let data = store.round_data(round).unwrap();
    assert!(
        data.respondents
            .iter()
            .any(|p| p.id == id && p.name == "Renée")
    );
}

// ----- 16. messages -----

#[test]
fn a_lock_held_too_long_says_another_process_is_writing() {
    let (_dir, path, mut store, round, _) = with_answers();
    store.set_busy_timeout(std::time::Duration::from_millis(200));
    let other = Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let e = store
        .add_respondent(round, respondent("Late", "manager"))
        .unwrap_err();
    assert_eq!(e.code(), "database_busy");
    assert!(e.to_string().contains("another CX Maturity process"), "{e}");
    other.execute_batch("ROLLBACK").unwrap();
    store
        .add_respondent(round, respondent("Late", "manager"))
        .unwrap();
}
