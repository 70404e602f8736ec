//! Engagement files: round trips into a fresh database, and every refusal leaving the
//! database untouched.

use cxm_domain::model::BUILT_IN_MODELS;
use cxm_domain::{Answer, score};
use cxm_store::engagement::{codes, read_engagement};
use cxm_store::{RoundData, Store};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::common::*;

/// The demo, plus a closed round on the tiny custom model with a note-only answer.
fn source_store() -> (tempfile::TempDir, std::path::PathBuf, Store, i64) {
    let (dir, path, mut store) = file_store();
    let demo = store.load_demo().unwrap();
    store.import_model(TINY_MODEL, "tiny.toml").unwrap();
    let mut custom = new_round(
        demo.organisation,
        "Custom method",
        date(2026, 10, 1),
        Some("tiny@1"),
    );
    custom.target_phase = Some(2);
    let round = store.add_round(custom).unwrap();
    let p = store
        .add_respondent(round, respondent("R-01", "front-line"))
        .unwrap();
    store.set_answer(p, "A1", Some(Answer::Scale(3))).unwrap();
    store.set_answer(p, "B1", Some(Answer::DontKnow)).unwrap();
    store
        .set_note(p, "A2", Some("Only a note, no answer.".into()))
        .unwrap();
    store.close_round(round).unwrap();
    (dir, path, store, demo.organisation)
}

/// What must survive the trip: per round its facts, respondents, answers and notes.
fn facts(data: &RoundData) -> Value {
    serde_json::json!({
        "title": data.info.title,
        "date": data.info.date.to_string(),
        "status": data.info.status.as_str(),
        "target": data.info.target_phase,
        "model": data.info.model_key,
        "phase": data.info.phase,
        "respondents": data.respondents.iter().map(|r| serde_json::json!({
            "name": r.name,
            "role": r.role_group,
            "department": r.department,
            "interview": r.interview_date.map(|d| d.to_string()),
            "answers": r.answers.answers.iter().map(|a| a.map(|a| a.to_string())).collect::<Vec<_>>(),
            "notes": r.notes,
            "updated_at": r.updated_at,
        })).collect::<Vec<_>>(),
    })
}

fn org_facts(store: &Store, org: i64) -> Vec<(Value, cxm_domain::Results)> {
    store
        .rounds(Some(org))
        .unwrap()
        .iter()
        .map(|r| {
            let data = store.round_data(r.id).unwrap();
            let results = score(&data.model, &data.scoring_respondents());
            (facts(&data), results)
        })
        .collect()
}

#[test]
fn an_engagement_moves_to_a_fresh_database_unchanged() {
    let (_dir, _path, store, org) = source_store();
    let file = store.export_engagement(org).unwrap();
    let (_dir2, _path2, mut fresh) = file_store();
    let done = fresh.import_engagement(file.as_bytes()).unwrap();
    assert_eq!(done.name, "Northwind Energy");
    assert!(!done.renamed);
    assert_eq!(done.rounds, 3);
    assert_eq!(done.respondents, 31);
    assert_eq!(done.models_added, vec!["tiny@1".to_string()]);
    // The demo is on the default model, which every database holds.
    assert_eq!(done.models_reused, vec!["cx-maturity@2".to_string()]);
    assert_eq!(org_facts(&store, org), org_facts(&fresh, done.organisation));
    // The imported model is the same text, so exporting again gives the same payload.
    let again = fresh.export_engagement(done.organisation).unwrap();
    let payload = |t: &str| serde_json::from_str::<Value>(t).unwrap()["payload"].clone();
    assert_eq!(payload(&file), payload(&again));
    assert_eq!(
        fresh.model_source("tiny@1").unwrap(),
        store.model_source("tiny@1").unwrap()
    );
}

/// The file as format 1 wrote it: no ids, stamps, histories or deletions.
pub fn as_format_1(file: &str) -> String {
    let mut doc: Value = serde_json::from_str(file).unwrap();
    doc["format_version"] = 1.into();
    doc.as_object_mut().unwrap().remove("installation");
    let text = serde_json::to_string(&doc).unwrap();
    reseal(&text, |p| {
        let strip = |v: &mut Value, keys: &[&str]| {
            for k in keys {
                v.as_object_mut().unwrap().remove(*k);
            }
        };
        strip(p, &["installations", "tombstones"]);
        strip(&mut p["organisation"], &["uuid", "name_at", "name_by"]);
        for r in p["rounds"].as_array_mut().unwrap() {
            strip(
                r,
                &["uuid", "status_at", "status_by", "target_at", "target_by"],
            );
            for person in r["respondents"].as_array_mut().unwrap() {
                strip(
                    person,
                    &["uuid", "source_key", "updated_at", "updated_by", "history"],
                );
                for a in person["answers"].as_array_mut().unwrap() {
                    strip(a, &["by", "parent_at", "parent_by"]);
                }
            }
        }
    })
}

#[test]
fn a_file_merged_into_its_own_database_changes_nothing() {
    let (_dir, path, mut store, org) = source_store();
    let file = store.export_engagement(org).unwrap();
    let before = dump(&path);
    let done = store.import_engagement(file.as_bytes()).unwrap();
    assert!(done.merged && !done.changed, "{done:?}");
    assert_eq!(done.organisation, org);
    assert!(done.concurrent.is_empty() && done.round_changes.is_empty());
    assert_eq!(dump(&path), before);
}

#[test]
fn importing_next_to_a_namesake_renames_and_never_reuses_ids() {
    let (_dir, _path, mut store, org) = source_store();
    let file = as_format_1(&store.export_engagement(org).unwrap());
    let first = store.import_engagement(file.as_bytes()).unwrap();
    assert_ne!(first.organisation, org);
    assert!(first.renamed);
    assert_eq!(first.name, "Northwind Energy (imported 2025-03-04)");
    assert!(first.models_added.is_empty());
    let second = store.import_engagement(file.as_bytes()).unwrap();
    assert_eq!(second.name, "Northwind Energy (imported 2025-03-04) 2");
    // The original is untouched, and the copies have the same results.
    assert_eq!(
        org_facts(&store, org),
        org_facts(&store, first.organisation)
    );
    assert_eq!(store.rounds(Some(org)).unwrap().len(), 3);
}

/// The file with `change` applied to its payload, and a correct checksum.
pub fn reseal(file: &str, change: impl FnOnce(&mut Value)) -> String {
    let mut doc: Value = serde_json::from_str(file).unwrap();
    let mut payload = doc["payload"].clone();
    change(&mut payload);
    let text = serde_json::to_string(&payload).unwrap();
    let sha: String = Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    doc["payload_sha256"] = Value::String(sha);
    doc["payload"] = Value::Null;
    let outer = serde_json::to_string(&doc).unwrap();
    outer.replace("\"payload\":null", &format!("\"payload\":{text}"))
}

#[test]
fn a_resealed_file_is_accepted_so_the_refusals_below_are_for_their_own_reasons() {
    let (_dir, _path, store, org) = source_store();
    let file = store.export_engagement(org).unwrap();
    let same = reseal(&file, |_| {});
    assert!(read_engagement(same.as_bytes()).is_ok());
}

#[test]
fn every_bad_file_is_refused_with_a_clear_error_and_changes_nothing() {
    let (_dir, _path, store, org) = source_store();
    let file = store.export_engagement(org).unwrap();
    drop(store);
    let (_dir2, path2, mut target) = file_store();
    target.add_organisation("Someone else").unwrap();
    let before = dump(&path2);

    let at = file.find("\"answer\":\"4\"").unwrap();
    let flipped = format!("{}\"answer\":\"3\"{}", &file[..at], &file[at + 12..]);
    let with_version = |v: u64| {
        let mut doc: Value = serde_json::from_str(&file).unwrap();
        doc["format_version"] = v.into();
        serde_json::to_string_pretty(&doc).unwrap()
    };
    let mut wrong_magic: Value = serde_json::from_str(&file).unwrap();
    wrong_magic["format"] = "cx-maturity-backup".into();
    let cases: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        (
            "damaged checksum",
            flipped.into_bytes(),
            codes::DAMAGED,
            "checksum does not match",
        ),
        (
            "truncated",
            file.as_bytes()[..file.len() / 2].to_vec(),
            codes::DAMAGED,
            "truncated",
        ),
        (
            "truncated at the very end",
            file.trim_end().as_bytes()[..file.trim_end().len() - 1].to_vec(),
            codes::DAMAGED,
            "truncated",
        ),
        (
            "not JSON",
            b"%PDF-1.7 not an engagement".to_vec(),
            codes::FOREIGN,
            "not JSON",
        ),
        ("empty", Vec::new(), codes::FOREIGN, "empty"),
        (
            "foreign JSON",
            br#"{"name": "a to-do list", "items": []}"#.to_vec(),
            codes::FOREIGN,
            "no `format`",
        ),
        (
            "a JSON array",
            b"[1, 2, 3]".to_vec(),
            codes::FOREIGN,
            "not an engagement",
        ),
        (
            "wrong magic",
            serde_json::to_vec(&wrong_magic).unwrap(),
            codes::FOREIGN,
            "cx-maturity-backup",
        ),
        (
            "newer format",
            with_version(3).into_bytes(),
            codes::NEWER,
            "newer version of CX Maturity",
        ),
        (
            "format version 0",
            with_version(0).into_bytes(),
            codes::DAMAGED,
            "format_version",
        ),
        (
            "an unknown question (sealed correctly)",
            reseal(&file, |p| {
                p["rounds"][1]["respondents"][4]["answers"][0]["question"] = "NOPE-1".into()
            })
            .into_bytes(),
            "invalid",
            "question `NOPE-1` does not exist",
        ),
        (
            "an answer off the scale (sealed correctly)",
            reseal(&file, |p| {
                p["rounds"][0]["respondents"][0]["answers"][0]["answer"] = "7".into()
            })
            .into_bytes(),
            "invalid",
            "`7` is not an answer",
        ),
        (
            "a round on a model the file lacks",
            reseal(&file, |p| p["rounds"][0]["model"] = "other@3".into()).into_bytes(),
            "invalid",
            "which the file does not include",
        ),
    ];
    for (what, bytes, code, needle) in cases {
        let e = target.import_engagement(&bytes).unwrap_err();
        assert_eq!(e.code(), code, "{what}: {e}");
        let message = e.to_string();
        assert!(message.contains(needle), "{what}: {message}");
        assert!(
            message.contains("nothing was imported"),
            "{what}: {message}"
        );
        assert_eq!(dump(&path2), before, "{what}: the database changed");
    }

    // The target gets a different `tiny@1`: the file's rounds cannot be pinned to it.
    target
        .import_model(
            &TINY_MODEL.replace("title = \"Tiny\"", "title = \"Tiny, edited\""),
            "tiny.toml",
        )
        .unwrap();
    let before = dump(&path2);
    let e = target.import_engagement(file.as_bytes()).unwrap_err();
    assert_eq!(e.code(), "conflict", "{e}");
    assert!(
        e.to_string()
            .contains("tiny@1 is already stored here with a different text"),
        "{e}"
    );
    assert_eq!(dump(&path2), before, "model conflict: the database changed");
}

#[test]
fn the_sealed_invalid_rows_would_have_been_written_after_the_organisation() {
    // A bad row in the last round: the organisation, models and earlier rounds were
    // already inserted in the transaction when it fails; nothing of them stays.
    let (_dir, _path, store, org) = source_store();
    let file = store.export_engagement(org).unwrap();
    let bad = reseal(&file, |p| {
        p["rounds"][2]["respondents"][0]["role_group"] = "intern".into()
    });
    let (_dir2, path2, mut target) = file_store();
    let before = dump(&path2);
    let e = target.import_engagement(bad.as_bytes()).unwrap_err();
    assert!(e.to_string().contains("role group `intern`"), "{e}");
    assert_eq!(dump(&path2), before);
    // Only the built-in versions: not the file's tiny@1.
    assert_eq!(
        count(&path2, "model_versions"),
        BUILT_IN_MODELS.len() as i64
    );
}

#[test]
fn the_csv_dry_run_finds_what_the_import_would_refuse_and_writes_nothing() {
    let (_dir, path, mut store) = file_store();
    let (_, round) = org_with_round(&mut store);
    store
        .add_respondent(round, respondent("Ana", "executive"))
        .unwrap();
    let model = store.model_for_round(round).unwrap();
    let q = &model.questions[0].id;
    let csv = format!("respondent,role,{q}\nBen,manager,3\nana,executive,2\n");
    let parsed = cxm_domain::responses_csv::parse(&model, csv.as_bytes()).unwrap();
    let before = dump(&path);
    let check = store.check_responses(round, &parsed).unwrap();
    assert_eq!(check.existing, vec![(3, "ana".to_string())]);
    assert!(!check.closed && !check.ok());
    store.close_round(round).unwrap();
    let before_closed = dump(&path);
    assert_ne!(before, before_closed);
    let check = store.check_responses(round, &parsed).unwrap();
    assert!(check.closed);
    assert_eq!(dump(&path), before_closed);
    assert_eq!(
        cxm_domain::responses_csv::header_column(csv.as_bytes(), "respondent"),
        Some(1)
    );
}

#[test]
fn hostile_names_dates_and_models_in_a_sealed_file_are_refused_and_change_nothing() {
    let (_dir, _path, store, org) = source_store();
    let file = store.export_engagement(org).unwrap();
    drop(store);
    let (_dir2, path2, mut target) = file_store();
    let before = dump(&path2);
    let overflowing = TINY_MODEL.replace("phase = 1\n", "phase = 1\nweight = 1.7e308\n");
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "an escape sequence in a respondent's name",
            reseal(&file, |p| {
                p["rounds"][0]["respondents"][0]["name"] = "\u{1b}]0;pwned\u{7}Helen".into()
            }),
            "escape character",
        ),
        (
            "a bidirectional override in the organisation's name",
            reseal(&file, |p| {
                p["organisation"]["name"] = "Acme\u{202E}gpj.exe".into()
            }),
            "bidirectional override",
        ),
        (
            "a name of zero-width characters",
            reseal(&file, |p| {
                p["rounds"][1]["respondents"][2]["department"] = "\u{200B}\u{200D}".into()
            }),
            "nothing visible",
        ),
        (
            "a two-digit year",
            reseal(&file, |p| p["rounds"][0]["date"] = "26-03-10".into()),
            "is not a YYYY-MM-DD date",
        ),
        (
            "a two-digit year in an interview date",
            reseal(&file, |p| {
                p["rounds"][0]["respondents"][0]["interview_date"] = "26-3-10".into()
            }),
            "is not a YYYY-MM-DD date",
        ),
        (
            "one person twice, in capitals",
            reseal(&file, |p| {
                let mut first = p["rounds"][0]["respondents"][0].clone();
                first["name"] = first["name"].as_str().unwrap().to_uppercase().into();
                p["rounds"][0]["respondents"][1] = first;
            }),
            "appears twice in the round",
        ),
        (
            "a model whose weights overflow",
            reseal(&file, |p| {
                let models = p["models"].as_array_mut().unwrap();
                let tiny = models.iter_mut().find(|m| m["key"] == "tiny@1").unwrap();
                tiny["source"] = overflowing.clone().into();
            }),
            "must be from 0.1 to 100",
        ),
    ];
    for (what, text, needle) in cases {
        let e = target
            .import_engagement(text.as_bytes())
            .err()
            .unwrap_or_else(|| panic!("{what}: imported"));
        assert_eq!(e.code(), "invalid", "{what}: {e}");
        assert!(e.to_string().contains(needle), "{what}: {e}");
        assert!(
            e.to_string().contains("nothing was imported"),
            "{what}: {e}"
        );
        assert_eq!(dump(&path2), before, "{what}: the database changed");
    }
}

#[test]
fn an_organisation_named_alike_in_another_case_or_composition_is_taken() {
    let (_dir, _path, store, org) = source_store();
    let file = store.export_engagement(org).unwrap();
    let (_dir2, _path2, mut target) = file_store();
    target.add_organisation("NORTHWIND ENERGY").unwrap();
    // Format 1: a copy, renamed.
    let done = target
        .import_engagement(as_format_1(&file).as_bytes())
        .unwrap();
    assert!(done.renamed, "{}", done.name);
    // Format 2: another organisation (another id) keeps its name, with a warning.
    let done = target.import_engagement(file.as_bytes()).unwrap();
    assert!(!done.renamed && !done.merged, "{done:?}");
    assert_eq!(done.name, "Northwind Energy");
    assert!(
        done.warnings[0].contains("is stored here already"),
        "{:?}",
        done.warnings
    );
}
