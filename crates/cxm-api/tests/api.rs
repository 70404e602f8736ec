//! The command layer against a temporary database, without a window: the interview
//! workflow end to end, the errors the UI branches on, the PDF export seam.
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use cxm_api::wire::{CompareWith, ErrorCode, NewRoundInput, RespondentInput, RoundStatus};
use cxm_api::{Api, FakeHost, Seams};

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
    assert_eq!(error.code, ErrorCode::NotACxmDatabase);
    assert!(error.message.contains("notes.sqlite"), "{}", error.message);
    assert_eq!(status.db_path, path.display().to_string());
    // Every other command answers no_database, with the reason.
    let e = api.list_organisations(false).unwrap_err();
    assert_eq!(e.code, ErrorCode::NoDatabase);
    assert!(
        e.message.contains("not a CX Maturity database"),
        "{}",
        e.message
    );
    assert_eq!(
        api.create_organisation("X").unwrap_err().code,
        ErrorCode::NoDatabase
    );
    assert_eq!(
        api.results(1, CompareWith::Previous).unwrap_err().code,
        ErrorCode::NoDatabase
    );
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
    assert_eq!(none.app_status().error.unwrap().code, ErrorCode::NoDatabase);
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
    assert_eq!(
        api.create_organisation(" ").unwrap_err().code,
        ErrorCode::Invalid
    );
    assert_eq!(
        api.rename_organisation(999, "X").unwrap_err().code,
        ErrorCode::NotFound
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
    assert_eq!(page.default_model, Model::default_model().key());
    assert_eq!(page.default_model, "cx-maturity@2");
    assert!(page.models.iter().all(|m| m.phases == 5));
    let results = api.results(last.id, CompareWith::Previous).unwrap();
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
    // The default model; each respondent is asked what their role group is asked.
    let model = Model::default_model();
    assert_eq!(page.info.model_key, model.key());
    assert_eq!(page.model.questions.len(), model.questions.len());
    assert!(
        page.respondents
            .iter()
            .all(|r| r.answered == 0 && !r.complete)
    );
    for r in &page.respondents {
        let group = model.role_group_index(&r.role_group).unwrap();
        assert_eq!(r.total as usize, model.asked_count(group), "{}", r.name);
    }
    let ann = page.respondents[0].id;
    // Ann is an executive: asked every question.
    let executive = model.role_group_index("executive").unwrap();
    let n = model.questions.len();
    assert_eq!(model.asked_count(executive), n);

    // A copy that fails creates no round.
    let other = api.create_organisation("Other").unwrap();
    let rounds_before = api.organisation_page(other).unwrap().rounds.len();
    let e = api
        .create_round(round_input(other, "X", "2026-01-01", Some(first)))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Invalid);
    assert_eq!(
        api.organisation_page(other).unwrap().rounds.len(),
        rounds_before
    );
    assert_eq!(
        api.create_round(round_input(org, "X", "15/01/2026", None))
            .unwrap_err()
            .code,
        ErrorCode::Invalid
    );

    // The questionnaire: answer everything for Ann, by value codes.
    let q = api.questionnaire(ann).unwrap();
    assert_eq!(q.resume_index, 0);
    assert_eq!(q.answers.len(), n);
    assert!(q.asked.iter().all(|&a| a));
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
    assert_eq!((progress.answered, progress.total), (n as u32, n as u32));
    assert_eq!(progress.blocks.len(), 4);
    let in_block = |block: &str| {
        q.model
            .questions
            .iter()
            .filter(|question| question.block == block)
            .count() as u32
    };
    assert!(
        progress
            .blocks
            .iter()
            .all(|b| b.answered == in_block(&b.block) && b.total == in_block(&b.block))
    );

    // Change one answer, clear another: the progress follows.
    let p = api.set_answer(ann, &ids[0], Some("1")).unwrap();
    assert_eq!(p.answered, n as u32);
    let p = api.set_answer(ann, &ids[5], None).unwrap();
    assert_eq!(p.answered, n as u32 - 1);
    let block = &q.model.questions[5].block;
    let b = p.blocks.iter().find(|b| &b.block == block).unwrap();
    assert_eq!(
        (b.answered, b.total),
        (in_block(block) - 1, in_block(block))
    );
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
        ErrorCode::Invalid
    );
    assert_eq!(
        api.set_answer(ann, &ids[0], Some("maybe"))
            .unwrap_err()
            .code,
        ErrorCode::Invalid
    );
    assert_eq!(
        api.set_answer(ann, "NOPE", Some("1")).unwrap_err().code,
        ErrorCode::Invalid
    );
    assert_eq!(
        api.set_answer(9999, &ids[0], Some("1")).unwrap_err().code,
        ErrorCode::NotFound
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
    let results = api.results(round, CompareWith::Previous).unwrap();
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
    let no_compare = api.results(first, CompareWith::Previous).unwrap();
    assert_eq!(no_compare.compared_with, None);
    assert_eq!(
        api.results(round, CompareWith::Round { id: round })
            .unwrap_err()
            .code,
        ErrorCode::Invalid
    );
    assert_eq!(
        api.results(first, CompareWith::Round { id: round })
            .unwrap_err()
            .code,
        ErrorCode::Invalid
    );
    assert_eq!(
        api.results(9999, CompareWith::Previous).unwrap_err().code,
        ErrorCode::NotFound
    );

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
        .with_host(
            FakeHost::new()
                .save_dialog(|_, _| panic!("the seam replaces the dialog"))
                .opener(move |p| {
                    seen.lock().unwrap().push(p.to_path_buf());
                    true
                }),
        );
    drop(api);
    let outcome = exporting.export_pdf(round, CompareWith::Previous).unwrap();
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
        ErrorCode::RoundClosed
    );
    assert_eq!(
        api.set_note(ann, &ids[5], Some("x".into()))
            .unwrap_err()
            .code,
        ErrorCode::RoundClosed
    );
    assert_eq!(
        api.add_respondent(round, person("Dan", "manager"))
            .unwrap_err()
            .code,
        ErrorCode::RoundClosed
    );
    let closed = api.results(round, CompareWith::Previous).unwrap();
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
        ErrorCode::Conflict
    );
    api.remove_respondent(carol).unwrap();
    assert_eq!(api.round_page(round).unwrap().respondents.len(), 2);
    api.delete_round(round).unwrap();
    assert_eq!(api.round_page(round).unwrap_err().code, ErrorCode::NotFound);
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
    let api = api.with_host(FakeHost::new().save_dialog(move |_, name| {
        log.lock().unwrap().push(name.to_string());
        Ok(None)
    }));
    let outcome = api.export_pdf(round, CompareWith::Previous).unwrap();
    assert_eq!(outcome.path, None);
    assert!(!outcome.opened);
    assert_eq!(*asked.lock().unwrap(), ["Acme - EU - Q1- baseline.pdf"]);

    let target = dir.path().join("chosen.pdf");
    let chosen = target.clone();
    let api = api.with_host(
        FakeHost::new()
            .save_dialog(move |_, _| Ok(Some(chosen.clone())))
            .opener(|p| p.exists()),
    );
    let outcome = api.export_pdf(round, CompareWith::Previous).unwrap();
    assert_eq!(outcome.path, Some(target.display().to_string()));
    assert!(outcome.opened, "the opener sees the written file");
    assert!(std::fs::read(&target).unwrap().starts_with(b"%PDF-"));
}

// ----- part 2: progress, explanations, alignment, model versions ---------------------

use cxm_api::wire::{ComparisonBasis, ModelProblem, ResultsView, Sentence, SentenceMark};
use cxm_domain::Model;
use cxm_domain::model::{BUILT_IN_MODELS, DEFAULT_MODEL_TOML};

/// Answers every question of `respondent`'s model: `value(index, question id)`, `None`
/// leaves the question unanswered.
fn answer_all<'a>(api: &Api, respondent: i64, value: impl Fn(usize, &str) -> Option<&'a str>) {
    let q = api.questionnaire(respondent).unwrap();
    for (i, question) in q.model.questions.iter().enumerate() {
        if let Some(v) = value(i, &question.id) {
            api.set_answer(respondent, &question.id, Some(v)).unwrap();
        }
    }
}

fn with_target(
    mut input: NewRoundInput,
    target: Option<u32>,
    model: Option<&str>,
) -> NewRoundInput {
    input.target_phase = target;
    input.model = model.map(str::to_string);
    input
}

/// The default model (built-in version 2) as version 3, with STR-1.4 replaced by a new
/// question STR-1.4b.
fn model_v3() -> String {
    let v3 = DEFAULT_MODEL_TOML
        .replacen("\nversion = 2\n", "\nversion = 3\n", 1)
        .replacen("id = \"STR-1.4\"", "id = \"STR-1.4b\"", 1);
    assert_eq!(
        v3.len(),
        DEFAULT_MODEL_TOML.len() + 1,
        "both replacements made"
    );
    v3
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn comparison_of(results: &ResultsView) -> &cxm_api::wire::ComparisonView {
    results.comparison.as_ref().expect("a comparison")
}

#[test]
fn results_compare_rounds_on_one_model_and_across_model_versions() {
    let dir = tempfile::tempdir().unwrap();
    let v3_path = dir.path().join("cx-maturity-v3.toml");
    std::fs::write(&v3_path, model_v3()).unwrap();
    let api = Api::open(Some(dir.path().join("cxm.sqlite"))).with_seams(Seams {
        open_path: Some(v3_path),
        ..Seams::default()
    });
    let org = api.create_organisation("Acme").unwrap();

    // Round 1: everything at 2 (0.5). Round 2: one question up to 4, one down to 0, one
    // "don't know" (not assessed: never listed as a change).
    let r1 = api
        .create_round(with_target(
            round_input(org, "Baseline", "2026-01-15", None),
            Some(3),
            None,
        ))
        .unwrap();
    let ann1 = api.add_respondent(r1, person("Ann", "executive")).unwrap();
    answer_all(&api, ann1, |_, _| Some("2"));
    let r2 = api
        .create_round(with_target(
            round_input(org, "Review", "2026-06-01", None),
            Some(1),
            None,
        ))
        .unwrap();
    let ann2 = api.add_respondent(r2, person("Ann", "executive")).unwrap();
    answer_all(&api, ann2, |i, _| {
        Some(match i {
            0 => "4",
            3 => "0",
            5 => "dk",
            _ => "2",
        })
    });

    let first = api.results(r1, CompareWith::Previous).unwrap();
    assert_eq!(first.comparison, None, "no earlier round");
    assert!(first.comparable_rounds.is_empty());
    let target = first.target.as_ref().unwrap();
    assert_eq!((target.phase, target.reached), (3, false));
    assert_eq!(target.phase_name, "Aligned");
    assert_eq!(
        target.text,
        Sentence {
            mark: SentenceMark::Stop,
            text: "The round's target was phase 3 (Aligned); it is not reached yet.".into()
        }
    );

    let results = api.results(r2, CompareWith::Previous).unwrap();
    assert_eq!(results.compared_with.as_ref().map(|r| r.id), Some(r1));
    let ids: Vec<i64> = results.comparable_rounds.iter().map(|r| r.id).collect();
    assert_eq!(ids, [r1]);
    let c = comparison_of(&results);
    assert_eq!(c.basis, ComparisonBasis::SameModel);
    let n = Model::default_model().questions.len();
    assert_eq!(c.shared_questions as usize, n);
    assert_eq!(c.basis_note, None);
    assert_eq!(c.phase_from, first.organisation_phase);
    assert_eq!(c.phase_to, results.organisation_phase);
    assert_eq!(c.blocks.len(), 4);
    for (change, now) in c.blocks.iter().zip(&results.blocks) {
        let before = first.blocks.iter().find(|b| b.id == change.id).unwrap();
        assert_eq!(change.name, now.name);
        assert_eq!(
            (change.phase_from, change.phase_to),
            (before.reached_phase, now.reached_phase)
        );
        assert!(close(change.maturity_from, before.maturity));
        assert!(close(change.maturity_to, now.maturity));
        assert!(close(change.delta_maturity, now.maturity - before.maturity));
        let da = now.attainment.unwrap() - before.attainment.unwrap();
        assert!(close(change.delta_attainment.unwrap(), da));
    }
    assert!(c.blocks[0].delta_maturity > 0.0, "Strategy moved");
    assert!(
        close(c.blocks[1].delta_maturity, 0.0),
        "Voice of the Customer did not"
    );
    let page = api.round_page(r2).unwrap();
    let qs = &page.model.questions;
    assert_eq!(c.improved.len(), 1);
    let up = &c.improved[0];
    assert_eq!(up.question, qs[0].id);
    assert_eq!(up.text, qs[0].text);
    assert_eq!(
        (up.block.as_str(), up.block_name.as_str()),
        ("strategy", "Strategy")
    );
    assert_eq!(up.phase, 1);
    assert!(close(up.delta, 0.5));
    assert_eq!(c.slipped.len(), 1);
    assert_eq!(c.slipped[0].question, qs[3].id);
    assert!(close(c.slipped[0].delta, -0.5));
    assert!(close(c.notable_change, 0.05));
    let target = results.target.as_ref().unwrap();
    assert_eq!(target.reached, results.organisation_phase >= 1);
    // Choosing the previous round explicitly gives the same comparison.
    assert_eq!(
        api.results(r2, CompareWith::Round { id: r1 })
            .unwrap()
            .comparison,
        results.comparison
    );
    assert_eq!(
        api.results(r1, CompareWith::Round { id: r2 })
            .unwrap_err()
            .code,
        ErrorCode::Invalid,
        "later round"
    );
    // No comparison (0): this round alone, the earlier rounds still offered.
    let alone = api.results(r2, CompareWith::None).unwrap();
    assert_eq!(alone.compared_with, None);
    assert_eq!(alone.comparison, None);
    let ids: Vec<i64> = alone.comparable_rounds.iter().map(|r| r.id).collect();
    assert_eq!(ids, [r1]);
    assert_eq!(alone.organisation_phase, results.organisation_phase);
    assert_ne!(
        alone.charts.radar, results.charts.radar,
        "no earlier round drawn"
    );

    // A round on version 3 (imported through the open seam): compared on the n - 1
    // shared questions, with the sentence saying so; every question at 4 reaches the
    // target.
    let imported = api.import_model().unwrap().model.unwrap();
    assert_eq!(imported.key, "cx-maturity@3");
    let r3 = api
        .create_round(with_target(
            round_input(org, "Year two", "2026-12-01", None),
            Some(3),
            Some("cx-maturity@3"),
        ))
        .unwrap();
    let ann3 = api.add_respondent(r3, person("Ann", "executive")).unwrap();
    answer_all(&api, ann3, |_, _| Some("4"));
    let results = api.results(r3, CompareWith::Previous).unwrap();
    assert_eq!(results.info.model_key, "cx-maturity@3");
    assert_eq!(results.compared_with.as_ref().map(|r| r.id), Some(r2));
    let ids: Vec<i64> = results.comparable_rounds.iter().map(|r| r.id).collect();
    assert_eq!(ids, [r2, r1], "earlier rounds, newest first");
    let c = comparison_of(&results);
    assert_eq!(c.basis, ComparisonBasis::SharedQuestions);
    assert_eq!(c.shared_questions as usize, n - 1);
    let note = c.basis_note.as_deref().unwrap();
    assert!(
        note.starts_with(&format!(
            "Compared on the {} questions both model versions share",
            n - 1
        )),
        "{note}"
    );
    assert_eq!(c.improved.len(), 5, "at most five listed");
    assert!(
        c.improved
            .iter()
            .all(|q| q.question != "STR-1.4b" && q.question != "STR-1.4")
    );
    assert!(c.slipped.is_empty());
    let target = results.target.as_ref().unwrap();
    assert_eq!(results.organisation_phase, 5);
    assert!(target.reached);
    assert_eq!(
        target.text,
        Sentence {
            mark: SentenceMark::Plain,
            text: "The round's target, phase 3, is reached.".into()
        }
    );
    let vs_first = api.results(r3, CompareWith::Round { id: r1 }).unwrap();
    assert_eq!(vs_first.compared_with.as_ref().map(|r| r.id), Some(r1));
    assert_eq!(comparison_of(&vs_first).shared_questions as usize, n - 1);
    // No target: no target view.
    let r4 = api
        .create_round(with_target(
            round_input(org, "Spot check", "2027-01-01", None),
            None,
            None,
        ))
        .unwrap();
    assert_eq!(api.results(r4, CompareWith::Previous).unwrap().target, None);
}

#[test]
fn alignment_hides_small_groups_and_lists_each_cells_lowest_questions() {
    let (_dir, api) = temp_api();
    let org = api.create_organisation("Acme").unwrap();
    let round = api
        .create_round(round_input(org, "Baseline", "2026-01-15", None))
        .unwrap();
    // Three executives: all 4, except STR-1.2 (0, 0, 0), STR-2.2 (1, 1, 1) and STR-3.1
    // (2, 2, 1). Three managers: all 3, one "don't know" on question 20. One front-line
    // respondent (hidden: below the threshold of 3) answers questions 0..=9 with 1 and
    // question 10 n/a, whether their role group is asked them or not. A fourth manager has no answers: not a group respondent.
    for (name, low) in [("E1", "2"), ("E2", "2"), ("E3", "1")] {
        let id = api
            .add_respondent(round, person(name, "executive"))
            .unwrap();
        answer_all(&api, id, |_, q| {
            Some(match q {
                "STR-1.2" => "0",
                "STR-2.2" => "1",
                "STR-3.1" => low,
                _ => "4",
            })
        });
    }
    for name in ["M1", "M2", "M3"] {
        let id = api.add_respondent(round, person(name, "manager")).unwrap();
        answer_all(&api, id, |i, _| {
            Some(if name == "M1" && i == 20 { "dk" } else { "3" })
        });
    }
    api.add_respondent(round, person("M4", "manager")).unwrap();
    let front = api
        .add_respondent(round, person("F1", "front-line"))
        .unwrap();
    answer_all(&api, front, |i, _| match i {
        0..=9 => Some("1"),
        10 => Some("na"),
        _ => None,
    });

    // Answers given per question: any answer counts (don't know and n/a too), also to
    // the questions F1's role group is not asked (most of the first ten).
    let page = api.round_page(round).unwrap();
    assert_eq!(
        page.answered_per_question.len(),
        Model::default_model().questions.len()
    );
    assert!(page.answered_per_question[..=10].iter().all(|&n| n == 7));
    assert!(page.answered_per_question[11..].iter().all(|&n| n == 6));
    assert_eq!(page.info.interviews_complete, 6);

    let results = api.results(round, CompareWith::Previous).unwrap();
    let a = &results.alignment;
    assert_eq!(a.anonymity_threshold, 3);
    assert!(close(a.flag_threshold, 0.25));
    let groups: Vec<(&str, u32, bool)> = a
        .groups
        .iter()
        .map(|g| (g.id.as_str(), g.respondents, g.hidden))
        .collect();
    assert_eq!(
        groups,
        [
            ("executive", 3, false),
            ("manager", 3, false),
            ("front-line", 1, true)
        ]
    );
    assert_eq!(a.groups[0].note, None);
    let note = a.groups[2].note.as_deref().unwrap();
    assert!(
        note.starts_with("Front line: 1 respondent, fewer than the anonymity threshold of 3"),
        "{note}"
    );
    // The hidden group has no cell and no per-question figure anywhere.
    assert_eq!(a.blocks.len(), 4);
    for block in &a.blocks {
        let cells: Vec<&str> = block.cells.iter().map(|c| c.group.as_str()).collect();
        assert_eq!(cells, ["executive", "manager"], "{}", block.id);
        assert!(!block.text.text.is_empty());
    }
    let blocks_json = serde_json::to_string(&a.blocks).unwrap();
    assert!(!blocks_json.contains("\"front-line\""), "{blocks_json}");

    // Strategy: the executives' three lowest, worked by hand.
    let strategy = &a.blocks[0];
    assert_eq!(
        (strategy.id.as_str(), strategy.name.as_str()),
        ("strategy", "Strategy")
    );
    let exec = &strategy.cells[0];
    let lowest: Vec<(&str, f64, bool)> = exec
        .lowest
        .iter()
        .map(|q| (q.question.as_str(), q.attainment, q.below_threshold))
        .collect();
    assert_eq!(lowest.len(), 3);
    assert_eq!((lowest[0].0, lowest[0].2), ("STR-1.2", true));
    assert!(close(lowest[0].1, 0.0));
    assert_eq!(lowest[1].0, "STR-2.2");
    assert!(close(lowest[1].1, 0.25));
    assert_eq!(lowest[2].0, "STR-3.1");
    assert!(close(lowest[2].1, 5.0 / 12.0));
    let str12 = page
        .model
        .questions
        .iter()
        .find(|q| q.id == "STR-1.2")
        .unwrap();
    assert_eq!(exec.lowest[0].text, str12.text);
    assert_eq!(exec.lowest[0].phase, 1);
    // Managers rated everything 0.75: the first three in model order, at the threshold.
    let manager = &strategy.cells[1];
    let ids: Vec<&str> = manager.lowest.iter().map(|q| q.question.as_str()).collect();
    let first_three: Vec<&str> = page
        .model
        .questions
        .iter()
        .filter(|q| q.block == "strategy")
        .take(3)
        .map(|q| q.id.as_str())
        .collect();
    assert_eq!(ids, first_three);
    assert_eq!(ids, ["STR-1.1", "STR-1.2", "STR-1.4"]);
    assert!(
        manager
            .lowest
            .iter()
            .all(|q| close(q.attainment, 0.75) && !q.below_threshold)
    );
    assert!(close(manager.attainment.unwrap(), 0.75));
    assert_eq!(manager.reached_phase, 5);
    // Culture: executives 1.0 against managers 0.75, a gap of exactly 0.25, flagged.
    let culture = &a.blocks[3];
    assert!(close(culture.gap.unwrap(), 0.25) && culture.flagged);
    assert!(
        culture
            .text
            .text
            .contains("1.00 (Executive) - 0.75 (Manager) = 0.25, at or above the flag"),
        "{}",
        culture.text.text
    );

    // Every figure explained: Strategy stops at phase 1 (reaches 0) on STR-1.2
    // (0 + 9 + 1) / 28.
    let why = &results.explanations.blocks[0];
    assert_eq!(why.block, "strategy");
    let lowest: Vec<&str> = why.lowest.iter().map(|q| q.question.as_str()).collect();
    assert_eq!(lowest, ["STR-1.2"]);
    assert!(close(why.lowest[0].attainment, 10.0 / 28.0));
    // The walk, one marked sentence per step: phase 1 below the threshold stops it,
    // then its lowest questions and the maturity sum.
    let marks: Vec<SentenceMark> = why.text.iter().map(|s| s.mark).collect();
    assert_eq!(
        marks,
        [
            SentenceMark::Stop,
            SentenceMark::Stop,
            SentenceMark::Plain,
            SentenceMark::Plain
        ],
        "{:?}",
        why.text
    );
    assert_eq!(why.text[0].text, "Strategy has not reached phase 1.");
    assert!(
        why.text[1].text.ends_with("so the walk stops here."),
        "{:?}",
        why.text
    );
    assert_eq!(why.text[2].text, "The lowest questions are STR-1.2 (0.35).");
    assert!(
        why.maturity
            .text
            .starts_with("Maturity = reached phase + attainment of the next phase = 0 + ")
    );
    assert!(
        results
            .explanations
            .blocks
            .iter()
            .all(|b| b.text.last() == Some(&b.maturity))
    );
    assert!(!results.explanations.organisation.is_empty());
    assert!(
        results
            .actions
            .iter()
            .all(|x| x.explanation.len() == 2 && x.explanation[1].text.starts_with("Priority = "))
    );
}

#[test]
fn model_versions_are_listed_and_imported_with_readable_errors() {
    let dir = tempfile::tempdir().unwrap();
    let picked = Arc::new(Mutex::new(None::<PathBuf>));
    let choice = Arc::clone(&picked);
    let api = Api::open(Some(dir.path().join("cxm.sqlite")))
        .with_host(FakeHost::new().open_dialog(move |_| Ok(choice.lock().unwrap().clone())));
    let pick = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        *picked.lock().unwrap() = Some(path);
    };

    // Both built-in versions, the newest the default.
    let models = api.list_models().unwrap();
    assert_eq!(models.len(), 2);
    let (v1, v2) = (&models[0], &models[1]);
    assert_eq!(v1.key, "cx-maturity@1");
    assert_eq!(
        (v1.questions, v1.phases, v1.blocks, v1.rounds),
        (60, 5, 4, 0)
    );
    assert!(!v1.is_default && v1.builtin);
    assert!(v1.imported_at.starts_with("20"), "{}", v1.imported_at);
    assert_eq!(v2.key, "cx-maturity@2");
    assert_eq!(
        (v2.questions, v2.phases, v2.blocks, v2.rounds),
        (70, 5, 4, 0)
    );
    assert!(v2.is_default && v2.builtin);
    assert!(v2.imported_at.starts_with("20"), "{}", v2.imported_at);

    // Cancelling the dialog imports nothing.
    let cancelled = api.import_model().unwrap();
    assert_eq!(cancelled.model, None);
    assert!(!cancelled.already_present);

    // A broken file: every problem on its own line, with file, line and field.
    let broken = DEFAULT_MODEL_TOML
        .replacen("\nversion = 2\n", "\nversion = 3\n", 1)
        .replacen("phase = 1\nweight = 2.0", "phase = 9\nweight = -1.0", 1);
    assert_eq!(broken.len(), DEFAULT_MODEL_TOML.len() + 1, "both replaced");
    pick("broken.toml", broken.as_bytes());
    let e = api.import_model().unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidModel);
    let lines: Vec<&str> = e.message.lines().collect();
    assert!(lines.len() >= 2, "{}", e.message);
    let problems = e.problems.as_deref().unwrap();
    assert_eq!(
        problems.len(),
        lines.len(),
        "one problem per line of the message"
    );
    assert!(
        lines.iter().all(|l| l.starts_with("broken.toml:")),
        "{}",
        e.message
    );
    let line_of = |needle: &str| {
        DEFAULT_MODEL_TOML
            .lines()
            .position(|l| l == needle)
            .map(|i| i + 1)
            .unwrap()
    };
    // STR-1.1's phase and weight lines (the file keeps the default model's layout).
    let phase_line = line_of("id = \"STR-1.1\"") + 2;
    let weight_line = phase_line + 1;
    assert!(
        e.message
            .contains(&format!("broken.toml:{phase_line}: questions[0].phase: ")),
        "{}",
        e.message
    );
    assert!(
        e.message
            .contains(&format!("broken.toml:{weight_line}: questions[0].weight: ")),
        "{}",
        e.message
    );
    // The same problems, placed: file, line, column and field apart from the message.
    let phase = problems
        .iter()
        .find(|p| p.field.as_deref() == Some("questions[0].phase"))
        .unwrap();
    assert_eq!(phase.file, "broken.toml");
    assert_eq!(phase.line, Some(phase_line as u32));
    assert_eq!(phase.column, Some(9), "after `phase = `");
    assert!(
        e.message.contains(&format!(
            "broken.toml:{phase_line}: questions[0].phase: {}",
            phase.message
        )),
        "{}",
        e.message
    );
    pick("syntax.toml", b"format = 1\nid = ");
    let e = api.import_model().unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidModel);
    assert!(e.message.starts_with("syntax.toml:2: "), "{}", e.message);
    let syntax = &e.problems.as_deref().unwrap()[0];
    assert_eq!((syntax.line, syntax.field.as_deref()), (Some(2), None));
    pick("binary.toml", &[0xff, 0xfe, 0x00, 0x41]);
    let e = api.import_model().unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidModel);
    assert!(e.message.starts_with("binary.toml: "), "{}", e.message);
    assert_eq!(
        e.problems,
        Some(vec![ModelProblem {
            file: "binary.toml".into(),
            line: None,
            column: None,
            field: None,
            message: "not a text file (a model file is TOML text in UTF-8)".into()
        }])
    );
    *picked.lock().unwrap() = Some(dir.path().join("missing.toml"));
    assert_eq!(api.import_model().unwrap_err().code, ErrorCode::Io);
    assert_eq!(api.list_models().unwrap().len(), 2, "nothing stored");

    // A valid version 3: imported, listed, the new default for rounds.
    pick("cx-maturity-v3.toml", model_v3().as_bytes());
    let outcome = api.import_model().unwrap();
    assert!(!outcome.already_present);
    let v3 = outcome.model.unwrap();
    assert_eq!(v3.key, "cx-maturity@3");
    assert_eq!(v3.version, 3);
    assert!(v3.is_default && !v3.builtin);
    let models = api.list_models().unwrap();
    let keys: Vec<(&str, bool, bool)> = models
        .iter()
        .map(|m| (m.key.as_str(), m.is_default, m.builtin))
        .collect();
    assert_eq!(
        keys,
        [
            ("cx-maturity@1", false, true),
            ("cx-maturity@2", false, true),
            ("cx-maturity@3", true, false)
        ]
    );
    // The same file again changes nothing; other text under the same version conflicts.
    let again = api.import_model().unwrap();
    assert!(again.already_present);
    assert_eq!(again.model.unwrap().key, "cx-maturity@3");
    // A built-in version's own text is already there too.
    pick("cx-maturity-v1.toml", BUILT_IN_MODELS[0].1.as_bytes());
    let builtin = api.import_model().unwrap();
    assert!(builtin.already_present);
    assert_eq!(builtin.model.unwrap().key, "cx-maturity@1");
    pick(
        "changed.toml",
        model_v3()
            .replacen("title = \"CX Maturity\"", "title = \"Mine\"", 1)
            .as_bytes(),
    );
    assert_eq!(api.import_model().unwrap_err().code, ErrorCode::Conflict);
    // The organisation page offers the same list.
    let org = api.create_organisation("Acme").unwrap();
    let page = api.organisation_page(org).unwrap();
    assert_eq!(page.models, api.list_models().unwrap());
    assert_eq!(page.default_model, "cx-maturity@3");
}

#[test]
fn every_store_code_is_an_error_code_with_the_same_json_value() {
    for code in cxm_store::StoreError::CODES {
        let known = ErrorCode::ALL.iter().find(|c| c.as_str() == *code);
        assert!(known.is_some(), "the store's {code} has no ErrorCode");
    }
    for code in ErrorCode::ALL {
        assert_eq!(
            serde_json::to_value(code).unwrap(),
            serde_json::Value::String(code.as_str().into())
        );
        let back: ErrorCode = serde_json::from_value(serde_json::to_value(code).unwrap()).unwrap();
        assert_eq!(back, *code);
    }
    // Only `invalid_model` carries problems; other errors stay `{code, message}`.
    let dir = tempfile::tempdir().unwrap();
    let api = Api::open(Some(dir.path().join("cxm.sqlite")));
    let e = api.create_organisation(" ").unwrap_err();
    assert_eq!(
        serde_json::to_value(&e).unwrap(),
        serde_json::json!({ "code": "invalid", "message": e.message })
    );
}
