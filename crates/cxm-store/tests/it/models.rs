//! Model versions: import, conflicts, validation errors, keys.

use cxm_domain::model::BUILT_IN_MODELS;
use cxm_store::StoreError;

use crate::common::*;

#[test]
fn importing_a_model_twice_is_harmless_and_a_changed_file_conflicts() {
    let mut store = memory_store();
    let first = store.import_model(TINY_MODEL, "tiny.toml").unwrap();
    assert!(!first.already_present);
    assert_eq!(first.key, "tiny@1");
    assert_eq!(first.questions, 4);
    assert_eq!(first.rounds, 0);
    assert_eq!(first.imported_at, "2025-03-04T05:06:07.000Z");

    let again = store.import_model(TINY_MODEL, "tiny.toml").unwrap();
    assert!(again.already_present);
    assert_eq!(again.id, first.id);

    let changed = TINY_MODEL.replace("title = \"Tiny\"", "title = \"Tiny, edited\"");
    let err = store.import_model(&changed, "tiny.toml").unwrap_err();
    assert_eq!(err.code(), "conflict");
    assert_eq!(
        err.to_string(),
        "model tiny version 1 is already imported with different content; give the new file a higher version"
    );

    let v2 = changed.replace("version = 1", "version = 2");
    let second = store.import_model(&v2, "tiny-v2.toml").unwrap();
    assert_eq!(second.key, "tiny@2");
    // The two built-in versions of cx-maturity, tiny@1 and tiny@2.
    assert_eq!(store.models().unwrap().len(), BUILT_IN_MODELS.len() + 2);
}

#[test]
fn an_invalid_model_is_refused_with_file_line_and_field() {
    let mut store = memory_store();
    let broken = TINY_MODEL.replacen("phase = 2", "phase = 7", 1);
    let err = store.import_model(&broken, "mine.toml").unwrap_err();
    assert_eq!(err.code(), "invalid_model");
    let StoreError::Model(model_error) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(model_error.file, "mine.toml");
    let issue = model_error
        .issues
        .iter()
        .find(|i| i.field == "questions[1].phase")
        .expect("the phase is named");
    assert_eq!(issue.line, Some(39));
    assert!(
        err.to_string()
            .contains("mine.toml:39: questions[1].phase: phase 7 does not exist"),
        "{err}"
    );
    assert_eq!(
        store.models().unwrap().len(),
        BUILT_IN_MODELS.len(),
        "nothing stored"
    );

    let syntax = store
        .import_model("format = 1\nid = ", "bad.toml")
        .unwrap_err();
    assert!(syntax.to_string().starts_with("bad.toml:2: "), "{syntax}");
}

#[test]
fn model_keys_pick_a_version_or_the_latest() {
    let mut store = memory_store();
    store.import_model(TINY_MODEL, "tiny.toml").unwrap();
    let v3 = TINY_MODEL.replace("version = 1", "version = 3");
    store.import_model(&v3, "tiny.toml").unwrap();

    let (_, latest) = store.model_by_key("tiny").unwrap();
    assert_eq!(latest.key(), "tiny@3");
    let (id1, one) = store.model_by_key(" tiny@1 ").unwrap();
    assert_eq!(one.key(), "tiny@1");
    assert_eq!(store.model_by_key("tiny@1").unwrap().0, id1);

    let missing = store.model_by_key("tiny@2").unwrap_err();
    assert_eq!(missing.code(), "not_found");
    assert_eq!(missing.to_string(), "model tiny@2 not found");
    assert_eq!(store.model_by_key("tiny@x").unwrap_err().code(), "invalid");
    assert_eq!(store.model_by_key("nope").unwrap_err().code(), "not_found");

    // A round pins the version it was started with.
    let org = store.add_organisation("Acme").unwrap();
    let round = store
        .add_round(new_round(org, "R", date(2025, 1, 1), Some("tiny@1")))
        .unwrap();
    assert_eq!(store.model_for_round(round).unwrap().key(), "tiny@1");
    assert_eq!(store.round(round).unwrap().model_key, "tiny@1");
    let infos = store.models().unwrap();
    let tiny1 = infos.iter().find(|m| m.key == "tiny@1").unwrap();
    assert_eq!(tiny1.rounds, 1);
}

#[test]
fn rounds_default_to_the_latest_default_model() {
    let mut store = memory_store();
    let (_, round) = org_with_round(&mut store);
    assert_eq!(store.round(round).unwrap().model_key, "cx-maturity@2");
    assert_eq!(store.default_model_id(), "cx-maturity");
}
