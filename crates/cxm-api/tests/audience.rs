//! Who is asked what: on model version 2 an interview covers the questions the
//! respondent's role group is asked (completion counts only those), while any answer,
//! asked or not, is accepted and scored; a version 1 round asks everyone everything.
//! And a version 2 round compared with a version 1 round is rescored on the questions
//! version 2 kept (same id, block and phase).
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use cxm_api::Api;
use cxm_api::wire::{CompareWith, ComparisonBasis, NewRoundInput, RespondentInput, ResultsView};
use cxm_domain::Model;
use cxm_domain::model::BUILT_IN_MODELS;

fn temp_api() -> (tempfile::TempDir, Api) {
    let dir = tempfile::tempdir().unwrap();
    let api = Api::open(Some(dir.path().join("cxm.sqlite")));
    (dir, api)
}

/// Built-in version `version` (1 or 2).
fn built_in(version: usize) -> Model {
    let (file, source) = BUILT_IN_MODELS[version - 1];
    let model = Model::from_toml(source, file).unwrap();
    assert_eq!(model.key(), format!("cx-maturity@{version}"));
    model
}

fn person(name: &str, role: &str) -> RespondentInput {
    RespondentInput {
        name: name.into(),
        role_group: role.into(),
        department: None,
        interview_date: None,
    }
}

fn round(api: &Api, org: i64, date: &str, model: &str) -> i64 {
    api.create_round(NewRoundInput {
        organisation: org,
        title: format!("Round of {date}"),
        date: date.into(),
        target_phase: None,
        model: Some(model.into()),
        copy_respondents_from: None,
    })
    .unwrap()
}

fn block_attainment(results: &ResultsView, block: &str) -> f64 {
    results
        .blocks
        .iter()
        .find(|b| b.id == block)
        .unwrap()
        .attainment
        .unwrap()
}

#[test]
fn a_front_line_interview_on_version_2_covers_what_front_line_is_asked() {
    let (_dir, api) = temp_api();
    let v2 = built_in(2);
    assert_eq!(v2.key(), Model::default_model().key(), "the default model");
    let n = v2.questions.len();
    let front_line = v2.role_group_index("front-line").unwrap();
    let asked: Vec<bool> = (0..n).map(|q| v2.asks(q, front_line)).collect();
    let n_asked = v2.asked_count(front_line);
    assert_eq!(asked.iter().filter(|&&a| a).count(), n_asked);
    assert!(n_asked < n, "{n_asked} of {n}");

    let org = api.create_organisation("Acme").unwrap();
    let r = round(&api, org, "2026-02-01", "cx-maturity@2");
    let fay = api.add_respondent(r, person("Fay", "front-line")).unwrap();

    // The questionnaire says which questions Fay is asked, as the model does; the
    // questions' audiences on the wire agree.
    let q = api.questionnaire(fay).unwrap();
    assert_eq!(q.model.key, "cx-maturity@2");
    assert_eq!(q.model.questions.len(), n);
    assert_eq!(q.asked, asked);
    for (view, &is_asked) in q.model.questions.iter().zip(&q.asked) {
        assert_eq!(
            view.ask.iter().any(|g| g == "front-line"),
            is_asked,
            "{}",
            view.id
        );
    }
    assert_eq!(
        (
            q.respondent.answered,
            q.respondent.total,
            q.respondent.complete
        ),
        (0, n_asked as u32, false)
    );
    let first_asked = asked.iter().position(|&a| a).unwrap();
    assert!(
        first_asked > 0,
        "version 2 opens with a question for leaders"
    );
    assert_eq!(
        q.resume_index as usize, first_asked,
        "resumes at the first question Fay is asked"
    );
    let page = api.round_page(r).unwrap();
    assert_eq!(page.respondents[0].total as usize, n_asked);
    let expected_asked: Vec<u32> = asked.iter().map(|&a| u32::from(a)).collect();
    assert_eq!(page.asked_per_question, expected_asked);

    // Every asked question answered: complete, the others still unanswered.
    let ids: Vec<String> = q.model.questions.iter().map(|q| q.id.clone()).collect();
    let mut progress = None;
    for (id, _) in ids.iter().zip(&asked).filter(|(_, a)| **a) {
        progress = Some(api.set_answer(fay, id, Some("4")).unwrap());
    }
    let progress = progress.unwrap();
    assert_eq!(
        (progress.answered, progress.total),
        (n_asked as u32, n_asked as u32)
    );
    for b in &progress.blocks {
        let in_block = q
            .model
            .questions
            .iter()
            .zip(&asked)
            .filter(|(question, a)| **a && question.block == b.block)
            .count() as u32;
        assert_eq!((b.answered, b.total), (in_block, in_block), "{}", b.block);
    }
    let q = api.questionnaire(fay).unwrap();
    assert!(q.respondent.complete);
    assert_eq!(q.respondent.answered as usize, n_asked);
    for (answer, &is_asked) in q.answers.iter().zip(&asked) {
        assert_eq!(answer.value.is_some(), is_asked);
    }
    let page = api.round_page(r).unwrap();
    assert!(page.respondents[0].complete);
    assert_eq!(page.info.interviews_complete, 1);
    let before = api.results(r, CompareWith::None).unwrap();
    assert_eq!(before.interviews_complete, 1);
    assert!((block_attainment(&before, "strategy") - 1.0).abs() < 1e-9);

    // An answer to a question Fay is not asked is accepted and scored; her completion
    // does not change.
    let unasked = (0..n)
        .find(|&i| !asked[i] && v2.blocks[v2.questions[i].block].id == "strategy")
        .unwrap();
    let p = api.set_answer(fay, &ids[unasked], Some("0")).unwrap();
    assert_eq!(
        (p.answered, p.total),
        (n_asked as u32, n_asked as u32),
        "completion counts asked questions only"
    );
    let q = api.questionnaire(fay).unwrap();
    assert_eq!(q.answers[unasked].value.as_deref(), Some("0"));
    assert!(q.respondent.complete);
    let page = api.round_page(r).unwrap();
    assert_eq!(page.answered_per_question[unasked], 1);
    assert_eq!(page.asked_per_question[unasked], 0);
    let after = api.results(r, CompareWith::None).unwrap();
    assert_eq!(after.interviews_complete, 1);
    assert!(
        block_attainment(&after, "strategy") < block_attainment(&before, "strategy") - 0.1,
        "the un-asked answer counts: {} then {}",
        block_attainment(&before, "strategy"),
        block_attainment(&after, "strategy")
    );
}

#[test]
fn a_front_line_interview_on_version_1_covers_every_question() {
    let (_dir, api) = temp_api();
    let v1 = built_in(1);
    let n = v1.questions.len();
    assert_eq!(n, 60);
    let org = api.create_organisation("Acme").unwrap();
    let r = round(&api, org, "2026-02-01", "cx-maturity@1");
    let bob = api.add_respondent(r, person("Bob", "front-line")).unwrap();
    let q = api.questionnaire(bob).unwrap();
    assert_eq!(q.model.key, "cx-maturity@1");
    assert_eq!(q.asked, vec![true; n]);
    assert!(
        q.model
            .questions
            .iter()
            .all(|view| view.ask == ["executive", "manager", "front-line"])
    );
    assert_eq!(q.respondent.total as usize, n);
    assert_eq!(q.resume_index, 0);
    let ids: Vec<String> = q.model.questions.iter().map(|q| q.id.clone()).collect();
    for id in &ids[..n - 1] {
        api.set_answer(bob, id, Some("2")).unwrap();
    }
    let row = &api.round_page(r).unwrap().respondents[0];
    assert_eq!((row.answered as usize, row.complete), (n - 1, false));
    let p = api.set_answer(bob, &ids[n - 1], Some("na")).unwrap();
    assert_eq!((p.answered as usize, p.total as usize), (n, n));
    assert!(api.questionnaire(bob).unwrap().respondent.complete);
}

#[test]
fn a_version_2_round_is_compared_with_a_version_1_round_on_the_questions_version_2_kept() {
    let (_dir, api) = temp_api();
    let (v1, v2) = (built_in(1), built_in(2));
    // Kept: the same id in the same block and phase.
    let kept = |this: &Model, other: &Model, i: usize| {
        let q = &this.questions[i];
        other.question_index(&q.id).is_some_and(|j| {
            let o = &other.questions[j];
            o.phase == q.phase && other.blocks[o.block].id == this.blocks[q.block].id
        })
    };
    let shared: Vec<&str> = (0..v2.questions.len())
        .filter(|&i| kept(&v2, &v1, i))
        .map(|i| v2.questions[i].id.as_str())
        .collect();
    assert!(!shared.is_empty() && shared.len() < v1.questions.len());

    // Both rounds: 4 on the kept questions, 0 on every other (retired in version 1,
    // new in version 2). Rescored on the kept questions alone, every block is at 5 in
    // both rounds; any other question in the comparison would pull a block down.
    let org = api.create_organisation("Acme").unwrap();
    let rounds = [
        (round(&api, org, "2025-06-01", "cx-maturity@1"), &v1, &v2),
        (round(&api, org, "2026-06-01", "cx-maturity@2"), &v2, &v1),
    ];
    for (r, model, other) in rounds {
        let ann = api.add_respondent(r, person("Ann", "executive")).unwrap();
        for (i, q) in model.questions.iter().enumerate() {
            let value = if kept(model, other, i) { "4" } else { "0" };
            api.set_answer(ann, &q.id, Some(value)).unwrap();
        }
    }
    let (earlier, later) = (rounds[0].0, rounds[1].0);

    let results = api.results(later, CompareWith::Previous).unwrap();
    assert_eq!(results.info.model_key, "cx-maturity@2");
    assert_eq!(results.compared_with.as_ref().map(|r| r.id), Some(earlier));
    assert_eq!(
        results.compared_with.as_ref().unwrap().model_key,
        "cx-maturity@1"
    );
    let c = results.comparison.as_ref().expect("a comparison");
    assert_eq!(c.basis, ComparisonBasis::SharedQuestions);
    assert_eq!(c.shared_questions as usize, shared.len());
    let note = c.basis_note.as_deref().unwrap();
    assert!(
        note.starts_with(&format!(
            "Compared on the {} questions both model versions share",
            shared.len()
        )),
        "{note}"
    );
    assert_eq!(c.blocks.len(), 4);
    for b in &c.blocks {
        assert_eq!((b.phase_from, b.phase_to), (5, 5), "{}", b.id);
        assert!((b.maturity_from - 5.0).abs() < 1e-9, "{}", b.id);
        assert!((b.maturity_to - 5.0).abs() < 1e-9, "{}", b.id);
        assert!(b.delta_attainment.unwrap().abs() < 1e-9, "{}", b.id);
    }
    assert_eq!((c.phase_from, c.phase_to), (5, 5));
    assert!(c.improved.is_empty() && c.slipped.is_empty());
    // On its own model the round is held back by the new questions at 0.
    assert!(results.organisation_phase < 5);
    // The same comparison when the earlier round is chosen explicitly.
    let chosen = api
        .results(later, CompareWith::Round { id: earlier })
        .unwrap();
    assert_eq!(chosen.comparison, results.comparison);
}
