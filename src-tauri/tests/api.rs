//! The command layer against a temporary database, without a window: the interview
//! workflow end to end, the errors the UI branches on, the PDF export seam.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use cxm_app::wire::{NewRoundInput, RespondentInput, RoundStatus};
use cxm_app::{Api, Seams};

fn temp_api() -> (tempfile::TempDir, Api) {
    let dir = tempfile::tempdir().unwrap();
    let api = Api::open(Some(dir.path().join("data").join("cxm.sqlite")));
    (dir, api)
}

fn person(name: &str, role: &str) -> RespondentInput {
    RespondentInput {
        name: name.into(),
        role_group: role.into(),
        department: Some("Sales".into()),
        interview_date: Some("2026-02-01".into()),
    }
}

fn round_input(org: i64, title: &str, date: &str, copy: Option<i64>) -> NewRoundInput {
    NewRoundInput {
        organisation: org,
        title: title.into(),
        date: date.into(),
        target_phase: Some(3),
        model: None,
        copy_respondents_from: copy,
    }
}

#[test]
fn app_status_reports_an_open_database() {
    let (dir, api) = temp_api();
    let status = api.app_status();
    assert_eq!(status.error, None);
    assert_eq!(status.organisations, 0);
    assert_eq!(
        Path::new(&status.db_path),
        dir.path().join("data").join("cxm.sqlite")
    );
    api.create_organisation("Acme").unwrap();
    assert_eq!(api.app_status().organisations, 1);
}

#[test]
fn a_foreign_file_is_reported_not_crashed_on_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.sqlite");
    std::fs::write(&path, b"these are my notes, not a database").unwrap();
    let api = Api::open(Some(path.clone()));
    let status = api.app_status();
    let error = status.error.expect("the error is reported");
    assert_eq!(error.code, "not_a_cxm_database");
    assert!(error.message.contains("notes.sqlite"), "{}", error.message);
    assert_eq!(status.db_path, path.display().to_string());
    // Every other command answers no_database, with the reason.
    let e = api.list_organisations(false).unwrap_err();
    assert_eq!(e.code, "no_database");
    assert!(
        e.message.contains("not a CX Maturity database"),
        "{}",
        e.message
    );
    assert_eq!(
        api.create_organisation("X").unwrap_err().code,
        "no_database"
    );
    assert_eq!(api.results(1, None).unwrap_err().code, "no_database");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"these are my notes, not a database"
    );
    // Once the file is moved away, "Try again" (app_status) opens a new database.
    std::fs::rename(&path, dir.path().join("moved.txt")).unwrap();
    let status = api.app_status();
    assert_eq!(status.error, None);
    assert_eq!(status.organisations, 0);
    api.create_organisation("X").unwrap();
    // No data folder at all.
    let none = Api::open(None);
    assert_eq!(none.app_status().error.unwrap().code, "no_database");
}

#[test]
fn organisations_are_created_renamed_archived_and_restored() {
    let (_dir, api) = temp_api();
    let id = api.create_organisation("  Acme ").unwrap();
    api.rename_organisation(id, "Acme Ltd").unwrap();
    let orgs = api.list_organisations(false).unwrap();
    assert_eq!(orgs.len(), 1);
    assert_eq!(orgs[0].name, "Acme Ltd");
    api.archive_organisation(id).unwrap();
    assert!(api.list_organisations(false).unwrap().is_empty());
    assert!(api.list_organisations(true).unwrap()[0].archived);
    api.restore_organisation(id).unwrap();
    assert!(!api.list_organisations(false).unwrap()[0].archived);
    assert_eq!(api.create_organisation(" ").unwrap_err().code, "invalid");
    assert_eq!(
        api.rename_organisation(999, "X").unwrap_err().code,
        "not_found"
    );
}

#[test]
fn the_demo_loads_once_and_scores() {
    let (_dir, api) = temp_api();
    let org = api.load_demo().unwrap();
    assert_eq!(api.load_demo().unwrap(), org, "loading again finds it");
    let page = api.organisation_page(org).unwrap();
    assert!(page.rounds.len() >= 2);
    let trend = page
        .trend_svg
        .expect("two rounds with answers draw a trend");
    assert!(
        trend.starts_with("<svg"),
        "{}",
        &trend[..40.min(trend.len())]
    );
    let last = page.rounds.last().unwrap();
    assert_eq!(
        page.suggested_target,
        Some((last.phase.unwrap() + 1).min(5))
    );
    assert_eq!(page.default_model, "cx-maturity@1");
    assert_eq!(page.models[0].phases, 5);
    let results = api.results(last.id, None).unwrap();
    assert_eq!(
        results.compared_with.as_ref().map(|r| r.id),
        Some(page.rounds[page.rounds.len() - 2].id)
    );
    assert!(results.charts.trend.is_some());
    assert!(!results.actions.is_empty());
    assert!(results.actions.iter().all(|a| !a.explanation.is_empty()));
}

#[test]
fn the_interview_workflow_end_to_end() {
    let (dir, api) = temp_api();
    let org = api.create_organisation("Acme Insurance").unwrap();

    // A first round with two people, then a second one copying them.
    let first = api
        .create_round(round_input(org, "Baseline", "2026-01-15", None))
        .unwrap();
    api.add_respondent(first, person("Ann", "executive"))
        .unwrap();
    api.add_respondent(first, person("Bob", "front-line"))
        .unwrap();
    let round = api
        .create_round(round_input(org, "Review", "2026-07-01", Some(first)))
        .unwrap();
    let carol = api
        .add_respondent(round, person("Carol", "manager"))
        .unwrap();
    let page = api.round_page(round).unwrap();
    let names: Vec<&str> = page.respondents.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["Ann", "Bob", "Carol"]);
    assert_eq!(page.info.status, RoundStatus::Open);
    assert_eq!(page.info.target_phase, Some(3));
    assert_eq!(page.model.questions.len(), 60);
    assert!(
        page.respondents
            .iter()
            .all(|r| r.answered == 0 && !r.complete)
    );
    let ann = page.respondents[0].id;

    // A copy that fails creates no round.
    let other = api.create_organisation("Other").unwrap();
    let rounds_before = api.organisation_page(other).unwrap().rounds.len();
    let e = api
        .create_round(round_input(other, "X", "2026-01-01", Some(first)))
        .unwrap_err();
    assert_eq!(e.code, "invalid");
    assert_eq!(
        api.organisation_page(other).unwrap().rounds.len(),
        rounds_before
    );
    assert_eq!(
        api.create_round(round_input(org, "X", "15/01/2026", None))
            .unwrap_err()
            .code,
        "invalid"
    );

    // The questionnaire: answer everything for Ann, by value codes.
    let q = api.questionnaire(ann).unwrap();
    assert_eq!(q.resume_index, 0);
    assert_eq!(q.answers.len(), 60);
    assert!(
        q.answers
            .iter()
            .all(|a| a.value.is_none() && a.note.is_none())
    );
    let ids: Vec<String> = q.model.questions.iter().map(|q| q.id.clone()).collect();
    let mut last = None;
    for (i, id) in ids.iter().enumerate() {
        let value = ["3", "4", "dk", "2", "na"][i % 5];
        last = Some(api.set_answer(ann, id, Some(value)).unwrap());
    }
    let progress = last.unwrap();
    assert_eq!((progress.answered, progress.total), (60, 60));
    assert_eq!(progress.blocks.len(), 4);
    assert!(
        progress
            .blocks
            .iter()
            .all(|b| b.answered == 15 && b.total == 15)
    );

    // Change one answer, clear another: the progress follows.
    let p = api.set_answer(ann, &ids[0], Some("1")).unwrap();
    assert_eq!(p.answered, 60);
    let p = api.set_answer(ann, &ids[5], None).unwrap();
    assert_eq!(p.answered, 59);
    let block = &q.model.questions[5].block;
    let b = p.blocks.iter().find(|b| &b.block == block).unwrap();
    assert_eq!((b.answered, b.total), (14, 15));
    let q = api.questionnaire(ann).unwrap();
    assert_eq!(q.answers[0].value.as_deref(), Some("1"));
    assert_eq!(q.answers[2].value.as_deref(), Some("dk"));
    assert_eq!(q.answers[4].value.as_deref(), Some("na"));
    assert_eq!(q.answers[5].value, None);
    assert_eq!(
        q.resume_index, 5,
        "resumes at the first unanswered question"
    );
    assert!(!q.respondent.complete);
    assert_eq!(
        api.set_answer(ann, &ids[0], Some("7")).unwrap_err().code,
        "invalid"
    );
    assert_eq!(
        api.set_answer(ann, &ids[0], Some("maybe"))
            .unwrap_err()
            .code,
        "invalid"
    );
    assert_eq!(
        api.set_answer(ann, "NOPE", Some("1")).unwrap_err().code,
        "invalid"
    );
    assert_eq!(
        api.set_answer(9999, &ids[0], Some("1")).unwrap_err().code,
        "not_found"
    );

    // Notes: set, keep the answer, clear.
    api.set_note(ann, &ids[1], Some("We have a written strategy.".into()))
        .unwrap();
    api.set_note(ann, &ids[5], Some("Not sure yet".into()))
        .unwrap();
    let q = api.questionnaire(ann).unwrap();
    assert_eq!(q.answers[1].value.as_deref(), Some("4"));
    assert_eq!(
        q.answers[1].note.as_deref(),
        Some("We have a written strategy.")
    );
    api.set_note(ann, &ids[5], None).unwrap();
    assert_eq!(api.questionnaire(ann).unwrap().answers[5].note, None);

    // A few answers from Carol too.
    for id in &ids[..10] {
        api.set_answer(carol, id, Some("2")).unwrap();
    }

    // Results: provisional, charts present, compared with the first round.
    let results = api.results(round, None).unwrap();
    assert!(results.provisional);
    assert_eq!(results.respondents, 3);
    assert_eq!(results.interviews_complete, 0);
    assert_eq!(results.blocks.len(), 4);
    assert!(!results.explanations.organisation.is_empty());
    for svg in [
        &results.charts.radar,
        &results.charts.ladder,
        &results.charts.heatmap,
    ] {
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert!(
            !svg.contains("style="),
            "no inline style: the CSP needs none"
        );
    }
    assert_eq!(results.charts.trend, None, "the first round has no answers");
    assert_eq!(results.compared_with.as_ref().map(|r| r.id), Some(first));
    let no_compare = api.results(first, None).unwrap();
    assert_eq!(no_compare.compared_with, None);
    assert_eq!(api.results(round, Some(round)).unwrap_err().code, "invalid");
    assert_eq!(api.results(first, Some(round)).unwrap_err().code, "invalid");
    assert_eq!(api.results(9999, None).unwrap_err().code, "not_found");

    // Export through the seam: a PDF where CXM_SAVE_PATH points, nothing opened.
    let target = dir.path().join("out").join("board.pdf");
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    let opened = Arc::new(Mutex::new(Vec::<PathBuf>::new()));
    let seen = Arc::clone(&opened);
    let exporting = Api::open(Some(dir.path().join("data").join("cxm.sqlite")))
        .with_seams(Seams::from_vars(|k| match k {
            "CXM_SAVE_PATH" => Some(target.display().to_string()),
            "CXM_NO_OPEN" => Some("1".into()),
            _ => None,
        }))
        .with_save_dialog(|_| panic!("the seam replaces the dialog"))
        .with_opener(move |p| {
            seen.lock().unwrap().push(p.to_path_buf());
            true
        });
    drop(api);
    let outcome = exporting.export_pdf(round, None).unwrap();
    assert_eq!(outcome.path, Some(target.display().to_string()));
    assert!(!outcome.opened);
    assert!(opened.lock().unwrap().is_empty());
    let pdf = std::fs::read(&target).unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    assert!(pdf.len() > 10_000);
    let leftovers: Vec<_> = std::fs::read_dir(target.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left: {leftovers:?}");
    let api = exporting;

    // Close the round: answers are refused with round_closed; reopen restores them.
    api.close_round(round).unwrap();
    assert_eq!(
        api.set_answer(ann, &ids[5], Some("3")).unwrap_err().code,
        "round_closed"
    );
    assert_eq!(
        api.set_note(ann, &ids[5], Some("x".into()))
            .unwrap_err()
            .code,
        "round_closed"
    );
    assert_eq!(
        api.add_respondent(round, person("Dan", "manager"))
            .unwrap_err()
            .code,
        "round_closed"
    );
    let closed = api.results(round, None).unwrap();
    assert!(!closed.provisional);
    assert_eq!(closed.info.status, RoundStatus::Closed);
    api.reopen_round(round).unwrap();
    api.set_answer(ann, &ids[5], Some("3")).unwrap();

    // Respondents: edit and remove; delete the round.
    api.update_respondent(carol, person("Carol M.", "manager"))
        .unwrap();
    assert_eq!(
        api.update_respondent(carol, person("Ann", "manager"))
            .unwrap_err()
            .code,
        "conflict"
    );
    api.remove_respondent(carol).unwrap();
    assert_eq!(api.round_page(round).unwrap().respondents.len(), 2);
    api.delete_round(round).unwrap();
    assert_eq!(api.round_page(round).unwrap_err().code, "not_found");
}

#[test]
fn export_asks_the_dialog_and_a_cancel_writes_nothing() {
    let (dir, api) = temp_api();
    let org = api.create_organisation("Acme / EU").unwrap();
    let round = api
        .create_round(round_input(org, "Q1: baseline", "2026-01-15", None))
        .unwrap();
    let asked = Arc::new(Mutex::new(Vec::<String>::new()));
    let log = Arc::clone(&asked);
    let api = api.with_save_dialog(move |name| {
        log.lock().unwrap().push(name.to_string());
        Ok(None)
    });
    let outcome = api.export_pdf(round, None).unwrap();
    assert_eq!(outcome.path, None);
    assert!(!outcome.opened);
    assert_eq!(*asked.lock().unwrap(), ["Acme - EU - Q1- baseline.pdf"]);

    let target = dir.path().join("chosen.pdf");
    let chosen = target.clone();
    let api = api
        .with_save_dialog(move |_| Ok(Some(chosen.clone())))
        .with_opener(|p| p.exists());
    let outcome = api.export_pdf(round, None).unwrap();
    assert_eq!(outcome.path, Some(target.display().to_string()));
    assert!(outcome.opened, "the opener sees the written file");
    assert!(std::fs::read(&target).unwrap().starts_with(b"%PDF-"));
}
