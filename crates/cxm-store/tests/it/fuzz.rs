//! Fuzzing the engagement-file reader and import: damaged bytes, and payloads changed
//! value by value (hostile names, numbers, dates, wrong types) and sealed again, never
//! panic; every refused file leaves the database exactly as it was; every accepted one
//! leaves a database that reads through as the app reads it.
//!
//! Cases per property: 250 by default (each builds a database); `CXM_FUZZ_CASES=N`
//! runs N / 4.

use cxm_domain::Answer;
use cxm_store::Store;
use proptest::prelude::*;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::common::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("CXM_FUZZ_CASES")
            .ok()
            .and_then(|v| v.parse::<u32>().ok())
            .map_or(250, |n| n / 4),
        max_shrink_iters: 200,
        ..ProptestConfig::default()
    }
}

/// A small engagement: a round on the tiny model with three respondents, notes, a
/// closed round on the default model with one.
fn engagement() -> &'static str {
    static FILE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    FILE.get_or_init(|| {
        let mut store = memory_store();
        store.import_model(TINY_MODEL, "tiny.toml").unwrap();
        let org = store.add_organisation("Acme Fuzz").unwrap();
        let r1 = store
            .add_round(new_round(org, "Tiny", date(2025, 1, 10), Some("tiny@1")))
            .unwrap();
        for (i, name) in ["Ana", "Ben", "Chloé"].iter().enumerate() {
            let p = store
                .add_respondent(
                    r1,
                    respondent(name, ["executive", "manager", "front-line"][i]),
                )
                .unwrap();
            store
                .set_answer(p, "A1", Some(Answer::Scale(i as u8)))
                .unwrap();
            store.set_answer(p, "B2", Some(Answer::DontKnow)).unwrap();
            store.set_note(p, "A2", Some(format!("note {i}"))).unwrap();
        }
        let r2 = store
            .add_round(new_round(org, "Default", date(2025, 6, 1), None))
            .unwrap();
        let p = store
            .add_respondent(r2, respondent("Dee", "manager"))
            .unwrap();
        store
            .set_answer(p, "STR-1.1", Some(Answer::Scale(4)))
            .unwrap();
        store.close_round(r2).unwrap();
        store.export_engagement(org).unwrap()
    })
}

fn reseal(file: &str, payload: &Value) -> String {
    let mut doc: Value = serde_json::from_str(file).unwrap();
    let text = serde_json::to_string(payload).unwrap();
    let sha: String = Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    doc["payload_sha256"] = Value::String(sha);
    doc["payload"] = Value::Null;
    serde_json::to_string(&doc)
        .unwrap()
        .replace("\"payload\":null", &format!("\"payload\":{text}"))
}

fn hostile() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        Just(Value::Bool(true)),
        Just(Value::from(-1)),
        Just(Value::from(u64::MAX)),
        Just(Value::from(1.7e308)),
        Just(Value::from("")),
        Just(Value::from("26-03-10")),
        Just(Value::from("2025-02-30")),
        Just(Value::from("\u{1b}[31mred")),
        Just(Value::from("a\u{202E}b")),
        Just(Value::from("\u{200B}")),
        Just(Value::from("ANA")),
        Just(Value::from("9")),
        Just(Value::from("dk")),
        Just(Value::from("tiny@1")),
        Just(Value::from("nope@9")),
        Just(serde_json::json!([])),
        Just(serde_json::json!({})),
        (1usize..30_000).prop_map(|n| Value::from("x".repeat(n))),
        any::<String>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
    ]
}

/// Every leaf and container of `v`, as JSON pointers.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                pointers(
                    child,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                pointers(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Imports `bytes` into a fresh database that holds one organisation already: a refusal
/// must change nothing; an import must leave a database that reads through.
fn import_checked(bytes: &[u8]) -> Result<(), TestCaseError> {
    let (_dir, path, mut store) = file_store();
    store.add_organisation("Acme Fuzz").unwrap();
    let before = dump(&path);
    match store.import_engagement(bytes) {
        Ok(done) => {
            store.verify_content().unwrap();
            store.check_integrity().unwrap();
            // A new organisation beside the one that was there, whatever its name.
            prop_assert_eq!(store.organisations(true).unwrap().len(), 2);
            prop_assert_ne!(done.organisation, 1);
            drop(store);
            Store::open(&path).unwrap().verify_content().unwrap();
        }
        Err(e) => {
            prop_assert!(
                e.to_string().contains("nothing was imported")
                    || e.code() == "conflict"
                    || e.code() == "invalid_model",
                "{}",
                e
            );
            prop_assert_eq!(dump(&path), before, "refused ({}) but changed", e);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn damaged_bytes_are_refused_and_change_nothing(
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        cut in prop::option::of(any::<prop::sample::Index>()),
    ) {
        let mut bytes = engagement().as_bytes().to_vec();
        for (at, byte) in flips {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        if let Some(cut) = cut {
            bytes.truncate(cut.index(bytes.len()));
        }
        import_checked(&bytes)?;
    }

    #[test]
    fn resealed_payloads_changed_value_by_value_import_whole_or_not_at_all(
        changes in prop::collection::vec((any::<prop::sample::Index>(), hostile()), 1..4),
    ) {
        let file = engagement();
        let doc: Value = serde_json::from_str(file).unwrap();
        let mut payload = doc["payload"].clone();
        for (at, value) in changes {
            let mut all = Vec::new();
            pointers(&payload, String::new(), &mut all);
            let pointer = &all[at.index(all.len())];
            if pointer.is_empty() {
                payload = value;
            } else if let Some(slot) = payload.pointer_mut(pointer) {
                *slot = value;
            }
        }
        import_checked(reseal(file, &payload).as_bytes())?;
    }
}
