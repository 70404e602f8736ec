//! Engagement files opened in the app (issue 16): the preview before the import — from
//! the open dialog, or queued from the app's command line / a second launch — is a dry
//! run that writes nothing, the import brings exactly what was previewed, and refused
//! files change nothing.
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use cxm_api::wire::{ErrorCode, RoundStatus};
use cxm_api::{Api, DialogSpec, FakeHost};

type Picked = Arc<Mutex<Option<PathBuf>>>;

/// An Api whose open dialog answers with what the test puts in the returned slot, and
/// records the extensions it offered.
fn api_opening(db: &Path) -> (Api, Picked, Arc<Mutex<Vec<String>>>) {
    let picked = Picked::default();
    let offered = Arc::new(Mutex::new(Vec::new()));
    let (p, o) = (picked.clone(), offered.clone());
    let api = Api::open(Some(db.to_path_buf())).with_host(FakeHost::new().open_dialog(
        move |spec: &DialogSpec| {
            o.lock().unwrap().push(spec.extensions.join(","));
            Ok(p.lock().unwrap().clone())
        },
    ));
    (api, picked, offered)
}

/// The demo engagement (Northwind, 2 rounds, 30 respondents) written to `dir/NAME`.
fn demo_file(dir: &Path, name: &str) -> PathBuf {
    let save = dir.join(name);
    let a = Api::open(Some(dir.join("source.sqlite"))).with_host(FakeHost::new().save_dialog({
        let save = save.clone();
        move |_: &DialogSpec, suggested: &str| {
            assert!(suggested.ends_with(" - engagement.cxmx"), "{suggested}");
            Ok(Some(save.clone()))
        }
    }));
    let org = a.load_demo().unwrap();
    a.export_engagement(org).unwrap();
    save
}

fn organisations(api: &Api) -> Vec<String> {
    api.list_organisations(true)
        .unwrap()
        .into_iter()
        .map(|o| o.name)
        .collect()
}

#[test]
fn the_preview_shows_what_the_import_adds_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = demo_file(dir.path(), "Northwind - engagement.cxmx");
    let (api, picked, offered) = api_opening(&dir.path().join("b.sqlite"));

    // Cancelled dialog: nothing.
    assert_eq!(api.choose_engagement().unwrap(), None);
    assert_eq!(offered.lock().unwrap()[0], "cxmx,json");

    *picked.lock().unwrap() = Some(file.clone());
    let p = api.choose_engagement().unwrap().unwrap();
    assert_eq!(p.file_name, "Northwind - engagement.cxmx");
    assert_eq!(p.organisation, "Northwind Energy");
    assert_eq!(p.imported_as, "Northwind Energy");
    assert!(!p.renamed);
    assert_eq!(p.rounds.len(), 2);
    assert_eq!(p.respondents, 30);
    assert_eq!(
        p.rounds.iter().map(|r| r.respondents).sum::<u32>(),
        p.respondents
    );
    assert_eq!(p.rounds.iter().map(|r| r.answers).sum::<u32>(), p.answers);
    assert!(p.rounds.iter().all(|r| r.status == RoundStatus::Closed));
    assert!(p.models_reused.contains(&"cx-maturity@2".to_string()));
    assert_eq!(p.more_waiting, 0);
    // A dry run: nothing written.
    assert!(organisations(&api).is_empty());

    let done = api.import_previewed_engagement(p.token).unwrap();
    assert_eq!(done.name, "Northwind Energy");
    assert_eq!(
        (done.rounds, done.respondents, done.answers),
        (2, p.respondents, p.answers)
    );
    assert_eq!(organisations(&api), vec!["Northwind Energy"]);
    // The token is spent: a second import is refused, nothing is added twice.
    let e = api.import_previewed_engagement(p.token).unwrap_err();
    assert_eq!(e.code, ErrorCode::StalePreview);
    assert!(e.message.contains("no longer current"), "{}", e.message);
    assert_eq!(organisations(&api).len(), 1);

    // The same file again: the same organisation (by its id in the file), so it
    // merges, and nothing in it is new.
    let again = api.choose_engagement().unwrap().unwrap();
    assert!(again.merge && !again.changed, "{again:?}");
    assert!(!again.renamed);
    assert_eq!(again.imported_as, "Northwind Energy");
    assert_eq!(again.organisation_id, done.organisation);
    assert!(again.rounds.is_empty() && again.concurrent.is_empty());
    let done = api.import_previewed_engagement(again.token).unwrap();
    assert!(done.merged && !done.changed);
    assert_eq!(organisations(&api), vec!["Northwind Energy"]);
}

#[test]
fn the_import_brings_the_bytes_previewed_not_the_file_as_it_is_now() {
    let dir = tempfile::tempdir().unwrap();
    let file = demo_file(dir.path(), "n.cxmx");
    let (api, picked, _) = api_opening(&dir.path().join("b.sqlite"));
    *picked.lock().unwrap() = Some(file.clone());
    let p = api.choose_engagement().unwrap().unwrap();
    std::fs::write(&file, "damaged since").unwrap();
    let done = api.import_previewed_engagement(p.token).unwrap();
    assert_eq!(done.respondents, 30);
}

#[test]
fn cancel_forgets_the_preview() {
    let dir = tempfile::tempdir().unwrap();
    let file = demo_file(dir.path(), "n.cxmx");
    let (api, picked, _) = api_opening(&dir.path().join("b.sqlite"));
    *picked.lock().unwrap() = Some(file);
    let p = api.choose_engagement().unwrap().unwrap();
    api.discard_engagement(p.token);
    assert!(api.import_previewed_engagement(p.token).is_err());
    assert!(organisations(&api).is_empty());
}

#[test]
fn files_opened_with_the_app_are_previewed_one_after_the_other() {
    let dir = tempfile::tempdir().unwrap();
    let first = demo_file(dir.path(), "first.cxmx");
    let second = dir.path().join("second.json"); // the earlier extension still reads
    std::fs::copy(&first, &second).unwrap();
    let bad = dir.path().join("notes.cxmx");
    std::fs::write(&bad, "{\"hello\": 1}").unwrap();
    let (api, _, _) = api_opening(&dir.path().join("b.sqlite"));
    assert_eq!(api.next_opened_engagement().unwrap(), None);

    // As the command line gives them: relative to the launch's folder; twice the same
    // file is queued once.
    api.open_files_later(
        [
            PathBuf::from("first.cxmx"),
            bad.clone(),
            PathBuf::from("first.cxmx"),
            second.clone(),
        ],
        dir.path(),
    );
    let p = api.next_opened_engagement().unwrap().unwrap();
    assert_eq!(p.file_name, "first.cxmx");
    assert_eq!(p.more_waiting, 2);
    api.import_previewed_engagement(p.token).unwrap();

    // A file that is not an engagement: refused with its name, nothing written, and
    // it leaves the queue.
    let e = api.next_opened_engagement().unwrap_err();
    assert_eq!(e.code, ErrorCode::NotAnEngagementFile);
    assert!(e.message.starts_with("notes.cxmx: "), "{}", e.message);
    assert_eq!(organisations(&api).len(), 1);

    let p = api.next_opened_engagement().unwrap().unwrap();
    assert_eq!(p.file_name, "second.json");
    assert!(p.merge && !p.changed, "{p:?}");
    assert_eq!(p.more_waiting, 0);
    api.discard_engagement(p.token);
    assert_eq!(api.next_opened_engagement().unwrap(), None);
    assert_eq!(organisations(&api).len(), 1);
}

#[test]
fn a_missing_or_damaged_file_is_refused_before_the_preview() {
    let dir = tempfile::tempdir().unwrap();
    let file = demo_file(dir.path(), "n.cxmx");
    let text = std::fs::read_to_string(&file).unwrap();
    let damaged = dir.path().join("cut.cxmx");
    std::fs::write(&damaged, &text[..text.len() / 2]).unwrap();
    let (api, _, _) = api_opening(&dir.path().join("b.sqlite"));
    api.open_files_later(
        [
            dir.path().join("gone.cxmx"),
            damaged,
            dir.path().to_path_buf(),
        ],
        dir.path(),
    );
    let e = api.next_opened_engagement().unwrap_err();
    assert_eq!(e.code, ErrorCode::Io);
    assert!(e.message.contains("gone.cxmx"), "{}", e.message);
    let e = api.next_opened_engagement().unwrap_err();
    assert_eq!(e.code, ErrorCode::DamagedEngagementFile);
    assert!(e.message.starts_with("cut.cxmx: "), "{}", e.message);
    let e = api.next_opened_engagement().unwrap_err();
    assert!(e.message.contains("is not a file"), "{}", e.message);
    assert!(organisations(&api).is_empty());
}
