//! Writes the Vitest fixtures the UI's unit tests took from the old TypeScript fake
//! backend, now made by the real API, into `ui/src/lib/fixtures/`
//! (`scripts/check-bindings.sh` fails when the committed files differ).
//!
//! - `default-model-view.json`: the default model as a round's page sends it
//!   (`RoundPage.model`), for `answered.test.ts`.
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use std::path::PathBuf;

use cxm_api::Api;
use cxm_api::wire::NewRoundInput;

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/fixtures")
}

fn write(name: &str, value: &impl serde::Serialize) {
    let dir = fixtures_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let mut text = serde_json::to_string_pretty(value).unwrap();
    text.push('\n');
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn the_default_model_as_a_round_page_sends_it() {
    let dir = tempfile::tempdir().unwrap();
    let api = Api::open(Some(dir.path().join("cxm.sqlite")));
    let organisation = api.create_organisation("Fixture").unwrap();
    let round = api
        .create_round(NewRoundInput {
            organisation,
            title: "Fixture".into(),
            date: "2026-01-01".into(),
            target_phase: None,
            model: None,
            copy_respondents_from: None,
        })
        .unwrap();
    let page = api.round_page(round).unwrap();
    let model = serde_json::to_value(&page.model).unwrap();
    assert_eq!(model["key"], cxm_domain::Model::default_model().key());
    assert_eq!(model["key"], "cx-maturity@2");
    assert!(model["questions"].as_array().unwrap().len() >= 20);
    write("default-model-view.json", &page.model);
}
