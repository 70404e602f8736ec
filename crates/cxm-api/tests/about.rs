//! Help → About and the diagnostics text, against temporary databases without a window:
//! the fields (versions from the domain, the schema from the database, the folders,
//! the platform), About without a database, a diagnostics text with no client data in
//! it after a real session's work, and opening the licence notice.
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use cxm_api::wire::{CompareWith, ErrorCode, NewRoundInput, RespondentInput};
use cxm_api::{Api, FakeHost, PlatformInfo, Seams, dispatch, logging};
use cxm_domain::Model;
use cxm_domain::model::BUILT_IN_MODELS;
use cxm_store::migrations::SCHEMA_VERSION;
use serde_json::{Map, Value, json};

fn db(dir: &Path) -> PathBuf {
    dir.join("data").join("cxm.sqlite")
}

fn webkit() -> PlatformInfo {
    PlatformInfo {
        webview: "WebKitGTK 2.48.3".into(),
    }
}

/// Runs a command as the app does: JSON arguments under camelCase keys, then the
/// support log's event for it (as the desktop app writes after every command).
fn call(api: &Api, command: &str, args: Value) -> Value {
    let args: Map<String, Value> = match args {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    let start = Instant::now();
    let out = dispatch(api, command, &args);
    logging::command_done(
        command,
        start.elapsed(),
        out.as_ref().err().map(|e| &e.code),
    );
    out.unwrap_or_else(|e| panic!("{command}: {e}"))
}

#[test]
fn about_shows_the_versions_the_schema_the_folders_and_the_platform() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-notice.html");
    let api = Api::open(Some(db(dir.path())))
        .with_platform(webkit())
        .with_licence_places(vec![missing]);
    let a = api.about();
    assert_eq!(a.name, "CX Maturity");
    assert_eq!(a.version, env!("CARGO_PKG_VERSION"));
    let keys: Vec<String> = a.models.iter().map(|m| m.key.clone()).collect();
    let expected: Vec<String> = BUILT_IN_MODELS
        .iter()
        .map(|(file, source)| Model::from_toml(source, file).unwrap().key())
        .collect();
    assert_eq!(keys, expected);
    assert_eq!(keys, ["cx-maturity@1", "cx-maturity@2"]);
    assert!(a.models.iter().all(|m| !m.title.is_empty()));
    assert_eq!(a.db_path.as_deref().map(Path::new), Some(&*db(dir.path())));
    assert_eq!(a.schema_version, Some(SCHEMA_VERSION as u32));
    assert_eq!(a.schema_latest, SCHEMA_VERSION as u32);
    assert_eq!(a.database_error, None);
    assert_eq!(a.read_only, None);
    assert_eq!(
        a.data_dir.as_deref().map(Path::new),
        Some(&*dir.path().join("data"))
    );
    assert_eq!(
        a.log_dir.as_deref().map(PathBuf::from),
        Some(cxm_api::logging::log_dir(&db(dir.path())))
    );
    assert_eq!(a.webview.as_deref(), Some("WebKitGTK 2.48.3"));
    assert!(
        a.os.ends_with(&format!(", {}", std::env::consts::ARCH)),
        "{}",
        a.os
    );
    if let Some(pretty) = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|t| cxm_api::about::pretty_name(&t))
    {
        assert!(a.os.starts_with(&pretty), "{} / {pretty}", a.os);
    }
    assert_eq!(a.licences, None);

    // Without a platform (the development server, the CLI): not reported.
    let bare = Api::open(Some(db(dir.path())));
    assert_eq!(bare.about().webview, None);
    let blank = Api::open(Some(db(dir.path()))).with_platform(PlatformInfo {
        webview: "  ".into(),
    });
    assert_eq!(blank.about().webview, None);
}

#[test]
fn about_and_diagnostics_work_without_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let file = db(dir.path());
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, "Quarterly notes, not a database.\n".repeat(100)).unwrap();
    let before = std::fs::read(&file).unwrap();
    let api = Api::open(Some(file.clone())).with_platform(webkit());
    let a = api.about();
    assert_eq!(a.schema_version, None);
    let error = a.database_error.clone().unwrap();
    assert_eq!(error.code, ErrorCode::NotACxmDatabase);
    assert_eq!(a.db_path.as_deref().map(Path::new), Some(&*file));
    assert_eq!(a.models.len(), BUILT_IN_MODELS.len());
    // Through dispatch too, as the UI asks.
    let about = call(&api, "about", json!({}));
    assert_eq!(about["schema_version"], Value::Null);
    assert_eq!(about["database_error"]["code"], "not_a_cxm_database");

    let d = api.diagnostics();
    assert!(d.text.contains("could not be opened"), "{}", d.text);
    assert!(d.text.contains("not_a_cxm_database"), "{}", d.text);
    assert!(d.text.contains("Schema version:   unknown"), "{}", d.text);
    // The file was only looked at.
    assert_eq!(std::fs::read(&file).unwrap(), before);
}

#[test]
fn about_without_a_data_folder_says_so() {
    let api = Api::open(None);
    let a = api.about();
    assert_eq!(a.db_path, None);
    assert_eq!(a.data_dir, None);
    assert_eq!(a.log_dir, None);
    assert_eq!(a.database_error.unwrap().code, ErrorCode::NoDatabase);
    let d = api.diagnostics();
    assert_eq!(d.log_lines, 0);
    assert!(d.text.contains("Database:         (none)"), "{}", d.text);
}

/// Strings that must never leave the machine in a diagnostics text: every kind of
/// client data, each distinctive enough not to occur by chance.
const CLIENT: &[&str] = &[
    "Zebrafinch Holdings",
    "Quokka Quarterly Review",
    "Second Wombat Round",
    "Xanthippe Okonkwo-Larsen",
    "Bartholomew Quince",
    "Marzipan Logistics Unit",
    "the narwhal escalation backlog",
    "Prepared by Okapi Consulting",
];
/// The unusual word of each of [`CLIENT`], lower case.
const DISTINCTIVE: &[&str] = &[
    "zebrafinch",
    "quokka",
    "wombat",
    "xanthippe",
    "okonkwo",
    "bartholomew",
    "quince",
    "marzipan",
    "narwhal",
    "okapi",
];

#[test]
fn the_diagnostics_text_holds_every_field_and_no_client_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(dir.path());
    let notice = dir.path().join("THIRD-PARTY-LICENSES.html");
    std::fs::write(&notice, "<html>licences</html>").unwrap();
    // The support log, as the app starts it (the first in this test process: the only
    // test here that installs it).
    let guard = logging::init("app", Some(&path)).expect("the log starts");
    assert_eq!(guard.dir(), logging::log_dir(&path));
    let api = Api::open(Some(path.clone()))
        .with_platform(webkit())
        .with_licence_places(vec![notice.clone()]);
    logging::database_opened(&path, false);

    // A session's work, through dispatch as the UI sends it.
    let org = call(&api, "create_organisation", json!({"name": CLIENT[0]}));
    let round = call(
        &api,
        "create_round",
        json!({"input": {"organisation": org, "title": CLIENT[1], "date": "2026-02-01",
            "target_phase": null, "model": null, "copy_respondents_from": null}}),
    );
    let round = round.as_i64().unwrap();
    let mut people = Vec::new();
    for (name, group) in [(CLIENT[3], "executive"), (CLIENT[4], "front-line")] {
        let id = api
            .add_respondent(
                round,
                RespondentInput {
                    name: name.into(),
                    role_group: group.into(),
                    department: Some(CLIENT[5].into()),
                    interview_date: Some("2026-02-02".into()),
                },
            )
            .unwrap();
        people.push(id);
    }
    let questions = api.questionnaire(people[0]).unwrap();
    for (i, q) in questions.model.questions.iter().enumerate().take(12) {
        for r in &people {
            let value = ["0", "1", "2", "3", "4", "dk", "na"][i % 7];
            let _ = call(
                &api,
                "set_answer",
                json!({"respondent": r, "questionId": q.id, "value": value}),
            );
        }
    }
    let first = &questions.model.questions[0].id;
    call(
        &api,
        "set_note",
        json!({"respondent": people[0], "questionId": first, "note": CLIENT[6]}),
    );
    call(&api, "set_prepared_by", json!({"text": CLIENT[7]}));
    call(&api, "list_organisations", json!({"includeArchived": true}));
    call(&api, "round_page", json!({"id": round}));
    call(
        &api,
        "results",
        json!({"round": round, "compareWith": {"kind": "previous"}}),
    );
    let later = api
        .create_round(NewRoundInput {
            organisation: org.as_i64().unwrap(),
            title: CLIENT[2].into(),
            date: "2026-08-01".into(),
            target_phase: Some(3),
            model: None,
            copy_respondents_from: Some(round),
        })
        .unwrap();
    api.results(later, CompareWith::Previous).unwrap();
    call(&api, "settings", json!({}));
    api.back_up_now().unwrap();
    api.check_database();

    let d = api.diagnostics();
    let via_dispatch = call(&api, "diagnostics", json!({}));
    assert!(via_dispatch["text"].is_string());
    let about = serde_json::to_string(&api.about()).unwrap();
    for text in [
        d.text.as_str(),
        via_dispatch["text"].as_str().unwrap(),
        &about,
    ] {
        let lower = text.to_lowercase();
        for secret in CLIENT {
            assert!(
                !lower.contains(&secret.to_lowercase()),
                "{secret:?} in:\n{text}"
            );
        }
        // Nor any part of them: the unusual word in each.
        for word in DISTINCTIVE {
            assert!(!lower.contains(word), "{word:?} in:\n{text}");
        }
    }

    // Every field About shows is there.
    let a = api.about();
    for (what, expected) in [
        ("version", format!("CX Maturity {}", a.version)),
        ("a model", "cx-maturity@1".to_string()),
        ("the default model", "cx-maturity@2".to_string()),
        ("the OS", a.os.clone()),
        ("the web view", "WebKitGTK 2.48.3".to_string()),
        ("the database", path.display().to_string()),
        (
            "the schema",
            format!("Schema version:   {SCHEMA_VERSION} (this version writes {SCHEMA_VERSION})"),
        ),
        ("the state", "Database state:   open".to_string()),
        ("the damage check", "no damage found".to_string()),
        ("the data folder", a.data_dir.clone().unwrap()),
        ("the log folder", a.log_dir.clone().unwrap()),
        ("the licences", a.licences.clone().unwrap()),
    ] {
        assert!(
            d.text.contains(&expected),
            "{what}: {expected:?} not in:\n{}",
            d.text
        );
    }
    assert_eq!(
        a.licences.as_deref().map(Path::new),
        Some(&*std::fs::canonicalize(&notice).unwrap())
    );
    // The log's last lines are in it, as the log has them: this session's commands.
    // (Other tests of this process may log meanwhile: each line is looked up.)
    let log = logging::recent_lines(&path, 10_000);
    assert!(
        (20..=200).contains(&d.log_lines),
        "{} log lines of {}",
        d.log_lines,
        log.len()
    );
    let header = format!("The last {} log lines", d.log_lines);
    let copied: Vec<&str> = d
        .text
        .lines()
        .skip_while(|l| !l.starts_with(&header))
        .skip(1)
        .collect();
    assert_eq!(copied.len(), d.log_lines as usize, "{}", d.text);
    for line in &copied {
        assert!(log.iter().any(|l| l == line), "{line:?} is not in the log");
    }
    assert!(d.text.contains("command=set_note"), "{}", d.text);
    assert!(d.text.contains("command=create_round"), "{}", d.text);
    assert!(d.text.contains("backup written"), "{}", d.text);
    drop(guard);
}

#[test]
fn the_licence_notice_opens_with_the_system_viewer_or_says_where_it_is_installed() {
    let dir = tempfile::tempdir().unwrap();
    let opened = Arc::new(Mutex::new(Vec::<PathBuf>::new()));
    let host = {
        let opened = Arc::clone(&opened);
        FakeHost::new().opener(move |p| {
            opened.lock().unwrap().push(p.to_path_buf());
            true
        })
    };
    let missing = dir.path().join("nowhere").join("THIRD-PARTY-LICENSES.html");
    let api = Api::open(Some(db(dir.path())))
        .with_host(host)
        .with_licence_places(vec![missing.clone()]);
    let e = api.open_licences().unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
    assert!(
        e.message.starts_with(
            "The licence notice is installed with the package (/usr/share/doc/cx-maturity/THIRD-PARTY-LICENSES.html); in a build from source, run `bash scripts/licences.sh`"
        ),
        "{}",
        e.message
    );
    assert!(
        e.message.contains(&missing.display().to_string()),
        "{}",
        e.message
    );
    assert!(opened.lock().unwrap().is_empty());
    let via = dispatch(&api, "open_licences", &Map::new()).unwrap_err();
    assert_eq!(via.code, ErrorCode::NotFound);

    // Installed: opened, by its real path.
    let doc = dir.path().join("share/doc/cx-maturity");
    std::fs::create_dir_all(&doc).unwrap();
    std::fs::write(doc.join("THIRD-PARTY-LICENSES.html"), "<html></html>").unwrap();
    let dotted = dir
        .path()
        .join("bin/../share/doc/cx-maturity/THIRD-PARTY-LICENSES.html");
    std::fs::create_dir_all(dir.path().join("bin")).unwrap();
    let api = api.with_licence_places(vec![missing.clone(), dotted]);
    assert!(api.open_licences().unwrap());
    let real = std::fs::canonicalize(doc.join("THIRD-PARTY-LICENSES.html")).unwrap();
    assert_eq!(*opened.lock().unwrap(), vec![real.clone()]);
    assert_eq!(api.about().licences.as_deref().map(Path::new), Some(&*real));

    // No viewer (CXM_NO_OPEN, or the opener failed): false, not an error.
    let api = api.with_seams(Seams::from_vars(|k| {
        (k == "CXM_NO_OPEN").then(|| "1".into())
    }));
    assert!(!api.open_licences().unwrap());
    assert_eq!(opened.lock().unwrap().len(), 1);
    let refusing = Api::open(Some(db(dir.path())))
        .with_host(FakeHost::new().opener(|_| false))
        .with_licence_places(vec![real]);
    assert!(!refusing.open_licences().unwrap());
}
