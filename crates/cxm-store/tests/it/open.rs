//! Opening files: refusals leave the file untouched; reopening keeps data.

use std::fs;
use std::path::Path;

use cxm_domain::model::BUILT_IN_MODELS;
use cxm_domain::{Answer, Model};
use cxm_store::migrations::{APPLICATION_ID, SCHEMA_VERSION};
use cxm_store::{Store, StoreError, default_db_path};
use rusqlite::Connection;

use crate::common::*;

/// The folder's file names and sizes, and the file's bytes.
fn snapshot(path: &Path) -> (Vec<(String, u64)>, Vec<u8>) {
    let mut files: Vec<(String, u64)> = fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().unwrap().len(),
            )
        })
        .collect();
    files.sort();
    (files, fs::read(path).unwrap())
}

/// Opens `path`, expects a refusal, and checks nothing changed on disk.
fn refused(path: &Path) -> StoreError {
    let before = snapshot(path);
    let err = Store::open(path).unwrap_err();
    assert_eq!(snapshot(path), before, "{err}");
    // A second attempt fails the same way (nothing was half-done).
    assert_eq!(Store::open(path).unwrap_err().code(), err.code());
    err
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("budget.xlsx");
    fs::write(&path, b"respondent,role\nA,executive\n").unwrap();
    let err = refused(&path);
    assert_eq!(err.code(), "not_a_cxm_database");
    assert_eq!(
        err.to_string(),
        format!(
            "{} is not a CX Maturity database (not an SQLite file)",
            path.display()
        )
    );
}

#[test]
fn a_short_file_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("short");
    fs::write(&path, b"SQLite").unwrap();
    assert_eq!(refused(&path).code(), "not_a_cxm_database");
}

#[test]
fn another_applications_sqlite_file_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("contacts.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x');")
            .unwrap();
    }
    let err = refused(&path);
    assert_eq!(err.code(), "not_a_cxm_database");
    assert!(
        err.to_string()
            .ends_with("is not a CX Maturity database (an SQLite database of another application)"),
        "{err}"
    );
}

#[test]
fn an_sqlite_file_with_another_application_id_is_refused_even_when_empty() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA application_id = 305419896;")
            .unwrap();
    }
    let err = refused(&path);
    assert!(
        err.to_string().contains("application_id 0x12345678"),
        "{err}"
    );
}

#[test]
fn a_wal_mode_foreign_file_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    // Characters that mean something in a URI must not confuse the read-only probe.
    let folder = dir.path().join("a b#c?d%e&f é");
    fs::create_dir(&folder).unwrap();
    let path = folder.join("wal.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; CREATE TABLE t (x); INSERT INTO t VALUES (1);",
        )
        .unwrap();
    }
    assert_eq!(refused(&path).code(), "not_a_cxm_database");
}

#[test]
fn a_database_of_a_newer_schema_is_refused_and_untouched() {
    let (_dir, path, store) = file_store();
    drop(store);
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION as i64 + 1)
            .unwrap();
    }
    let err = refused(&path);
    assert_eq!(err.code(), "newer_schema");
    assert_eq!(
        err.to_string(),
        format!(
            "{} was written by a newer version of CX Maturity (schema {}, this build knows {}); upgrade the app",
            path.display(),
            SCHEMA_VERSION + 1,
            SCHEMA_VERSION
        )
    );
}

#[test]
fn a_damaged_database_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("damaged.sqlite");
    let mut bytes = b"SQLite format 3\0".to_vec();
    bytes.extend(std::iter::repeat_n(0xAB, 4000));
    fs::write(&path, &bytes).unwrap();
    let err = refused(&path);
    assert_eq!(err.code(), "damaged_database", "{err}");
    assert!(err.to_string().contains("left untouched"), "{err}");
}

#[test]
fn a_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let err = Store::open(dir.path()).unwrap_err();
    assert_eq!(err.code(), "not_a_cxm_database");
}

#[test]
fn empty_files_and_empty_sqlite_databases_are_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.sqlite");
    fs::write(&empty, b"").unwrap();
    Store::open(&empty).unwrap();

    let blank = dir.path().join("blank.sqlite");
    Connection::open(&blank)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); DROP TABLE t;")
        .unwrap();
    assert!(fs::metadata(&blank).unwrap().len() > 0);
    Store::open(&blank).unwrap();
    let conn = Connection::open(&blank).unwrap();
    let id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(id, APPLICATION_ID);
}

#[test]
fn open_creates_parent_folders_and_uses_wal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a").join("b").join("cxm.sqlite");
    let store = Store::open(&path).unwrap();
    assert_eq!(store.path(), Some(path.as_path()));
    let conn = Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION as i64);
}

#[test]
fn reopening_keeps_data_and_does_not_duplicate_the_default_model() {
    let (_dir, path, mut store) = file_store();
    let (org, round) = org_with_round(&mut store);
    let r = store
        .add_respondent(round, respondent("Ana", "executive"))
        .unwrap();
    let model = store.model_for_round(round).unwrap();
    store
        .set_answer(r, &model.questions[0].id, Some(Answer::Scale(3)))
        .unwrap();
    store.set_setting("brand", "Acme").unwrap();
    let before = dump(&path);
    drop(store);

    let store = Store::open(&path).unwrap();
    assert_eq!(dump(&path), before);
    assert_eq!(store.models().unwrap().len(), BUILT_IN_MODELS.len());
    assert_eq!(store.organisation(org).unwrap().rounds.len(), 1);
    let data = store.round_data(round).unwrap();
    assert_eq!(
        data.respondents[0].answers.answers[0],
        Some(Answer::Scale(3))
    );
    assert_eq!(store.setting("brand").unwrap().as_deref(), Some("Acme"));
}

#[test]
fn in_memory_store_has_the_default_model_and_no_path() {
    let store = Store::open_in_memory().unwrap();
    assert_eq!(store.path(), None);
    // Every built-in version, oldest first; the newest is the default.
    let models = store.models().unwrap();
    let keys: Vec<&str> = models.iter().map(|m| m.key.as_str()).collect();
    assert_eq!(keys, ["cx-maturity@1", "cx-maturity@2"]);
    for (info, (file, source)) in models.iter().zip(BUILT_IN_MODELS) {
        let built_in = Model::from_toml(source, file).unwrap();
        assert_eq!(info.key, built_in.key());
        assert_eq!(info.questions as usize, built_in.questions.len());
    }
    assert_eq!(models[0].questions, 60, "version 1 is unchanged");
    assert_eq!(
        models[1].questions as usize,
        Model::default_model().questions.len()
    );
    assert_eq!(store.default_model_key().unwrap(), "cx-maturity@2");
}

#[test]
fn default_db_path_is_in_the_apps_data_folder() {
    let path = default_db_path().expect("a data folder on this platform");
    assert!(
        path.ends_with("io.cxmaturity.app/cxm.sqlite"),
        "{}",
        path.display()
    );
    assert_eq!(path.parent().unwrap().parent(), dirs::data_dir().as_deref());
}

#[test]
fn a_foreign_file_in_use_by_its_application_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("live.db");
    let owner = Connection::open(&path).unwrap();
    owner
        .execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    assert!(dir.path().join("live.db-wal").exists());
    assert_eq!(refused(&path).code(), "not_a_cxm_database");
    drop(owner);
}
