//! Writes the Vitest fixtures of the UI's own modules (`format.test.ts`,
//! `models.test.ts`) into `ui/src/lib/fixtures/`: what the real API sends, so the UI is
//! tested against the backend's output and not against a copy of it typed by hand
//! (`scripts/test.sh` fails when the committed files differ).
//!
//! - `demo-results.json`: `results` of the demo's latest round, compared with the
//!   previous one (the charts' SVG left out: `""`).
//! - `model-import-errors.json`: `import_model`'s `invalid_model` errors for a model file
//!   with problems in two fields (`broken`), a syntax error (`syntax`) and a file that is
//!   not text (`not_text`).
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use cxm_api::wire::{CompareWith, ErrorCode};
use cxm_api::{Api, FakeHost};
use cxm_domain::model::DEFAULT_MODEL_TOML;
use serde_json::{Value, json};

fn write(name: &str, value: &Value) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/fixtures");
    std::fs::create_dir_all(&dir).unwrap();
    let mut text = serde_json::to_string_pretty(value).unwrap();
    text.push('\n');
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn the_demo_results_as_the_results_screen_gets_them() {
    let dir = tempfile::tempdir().unwrap();
    let api = Api::open(Some(dir.path().join("cxm.sqlite")));
    let organisation = api.load_demo().unwrap();
    let page = api.organisation_page(organisation).unwrap();
    let latest = page.rounds.last().unwrap().id;
    let results = api.results(latest, CompareWith::Previous).unwrap();
    // What the UI's tests rely on: a comparison, a bottleneck, actions, a target.
    assert!(results.comparison.is_some());
    assert!(!results.bottleneck.is_empty() && !results.actions.is_empty());
    assert!(results.target.is_some());
    let mut value = serde_json::to_value(&results).unwrap();
    for chart in ["radar", "ladder", "trend", "heatmap"] {
        if value["charts"][chart].is_string() {
            value["charts"][chart] = json!("");
        }
    }
    write("demo-results.json", &value);
}

#[test]
fn model_import_errors_as_the_models_screen_gets_them() {
    let dir = tempfile::tempdir().unwrap();
    let picked = Arc::new(Mutex::new(None::<PathBuf>));
    let choice = Arc::clone(&picked);
    let api = Api::open(Some(dir.path().join("cxm.sqlite")))
        .with_host(FakeHost::new().open_dialog(move |_| Ok(choice.lock().unwrap().clone())));
    let import = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        *picked.lock().unwrap() = Some(path);
        let e = api.import_model().unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidModel, "{e}");
        assert!(e.problems.as_ref().is_some_and(|p| !p.is_empty()), "{e}");
        serde_json::to_value(&e).unwrap()
    };
    let broken = DEFAULT_MODEL_TOML
        .replacen("version = 1", "version = 2", 1)
        .replacen("phase = 1\nweight = 2.0", "phase = 9\nweight = -1.0", 1);
    let errors = json!({
        "broken": import("my-method.toml", broken.as_bytes()),
        "syntax": import("syntax.toml", b"format = 1\nid = "),
        "not_text": import("binary.toml", &[0xff, 0xfe, 0x00, 0x41]),
    });
    write("model-import-errors.json", &errors);
}
