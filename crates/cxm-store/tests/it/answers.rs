//! Respondents, answers, notes, imports and the round summary.

use cxm_domain::responses_csv::{self, ParsedResponses, ParsedRow};
use cxm_domain::{Answer, score};
use cxm_store::{BlockMaturity, NewRespondent, Store};

use crate::common::*;

/// The stored summary equals a fresh score of the stored answers.
fn assert_summary_is_fresh(store: &Store, round: i64) {
    let data = store.round_data(round).unwrap();
    let results = score(&data.model, &data.scoring_respondents());
    let info = store.round(round).unwrap();
    let answered = data.respondents.iter().any(|r| r.answers.answered() > 0);
    assert_eq!(info.phase, answered.then_some(results.organisation_phase));
    assert_eq!(info.respondents, results.respondents);
    assert_eq!(info.respondents as usize, data.respondents.len());
    assert_eq!(info.interviews_complete, results.interviews_complete);
    if answered {
        assert_eq!(info.block_maturity, BlockMaturity::from_results(&results));
    } else {
        assert!(info.block_maturity.is_empty());
    }
    assert_eq!(store.results(round).unwrap().1, results);
}

/// A deterministic pseudo-random answer.
fn pseudo_answer(seed: usize) -> Option<Answer> {
    match (seed.wrapping_mul(2_654_435_761) >> 7) % 8 {
        0 => None,
        1 => Some(Answer::DontKnow),
        2 => Some(Answer::NotApplicable),
        v => Some(Answer::Scale((v - 3).min(4) as u8)),
    }
}

#[test]
fn set_answer_keeps_notes_and_removes_empty_rows() {
    let (_dir, path, mut store) = file_store();
    let (_, round) = org_with_round(&mut store);
    let r = store
        .add_respondent(round, respondent("Ana", "executive"))
        .unwrap();
    let model = store.model_for_round(round).unwrap();
    let q = model.questions[3].id.clone();

    store.set_answer(r, &q, Some(Answer::Scale(2))).unwrap();
    store
        .set_note(r, &q, Some("Saw the strategy deck".into()))
        .unwrap();
    store.set_answer(r, &q, None).unwrap();
    let data = store.round_data(round).unwrap();
    let rec = &data.respondents[0];
    assert_eq!(rec.answers.answers[3], None);
    assert_eq!(rec.notes[3].as_deref(), Some("Saw the strategy deck"));
    // Three changes under a clock that stands still: each stamp a millisecond after
    // the one it replaced, so the last change wins everywhere.
    assert_eq!(rec.updated_at.as_deref(), Some("2025-03-04T05:06:07.002Z"));
    assert_eq!(count(&path, "answers"), 1);

    store
        .set_answer(r, &q, Some(Answer::NotApplicable))
        .unwrap();
    store.set_note(r, &q, Some("   ".into())).unwrap(); // white space clears
    let data = store.round_data(round).unwrap();
    assert_eq!(
        data.respondents[0].answers.answers[3],
        Some(Answer::NotApplicable)
    );
    assert_eq!(data.respondents[0].notes[3], None);
    store.set_answer(r, &q, None).unwrap();
    assert_eq!(count(&path, "answers"), 0);
    // Clearing what is not there is fine.
    store.set_answer(r, &q, None).unwrap();
    store.set_note(r, &q, None).unwrap();
    assert_eq!(count(&path, "answers"), 0);
    assert_eq!(
        store.round_data(round).unwrap().respondents[0].updated_at,
        None
    );
}

#[test]
fn answers_are_checked_against_the_rounds_model() {
    let mut store = memory_store();
    let (_, round) = org_with_round(&mut store);
    let r = store
        .add_respondent(round, respondent("Ana", "executive"))
        .unwrap();
    let model = store.model_for_round(round).unwrap();
    let q = &model.questions[0].id;

    let e = store
        .set_answer(r, "NOPE-1", Some(Answer::Scale(1)))
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "question `NOPE-1` is not in model cx-maturity@2"
    );
    let e = store.set_answer(r, q, Some(Answer::Scale(5))).unwrap_err();
    assert_eq!(e.code(), "invalid");
    assert!(e.to_string().contains("off the scale"), "{e}");
    let e = store
        .set_answer(999, q, Some(Answer::Scale(1)))
        .unwrap_err();
    assert_eq!(e.to_string(), "respondent 999 not found");
    let e = store.set_note(r, q, Some("x".repeat(20_001))).unwrap_err();
    assert_eq!(e.code(), "invalid");
    assert_eq!(store.round(round).unwrap().phase, None);
}

#[test]
fn respondents_are_validated_and_unique_per_round() {
    let mut store = memory_store();
    let (_, round) = org_with_round(&mut store);
    let (_, other) = org_with_round(&mut store);
    let id = store
        .add_respondent(
            round,
            NewRespondent {
                name: " Ana ".into(),
                role_group: "Front line".into(),
                department: Some("  ".into()),
                interview_date: Some(date(2025, 1, 20)),
            },
        )
        .unwrap();
    let rec = &store.round_data(round).unwrap().respondents[0];
    assert_eq!(rec.id, id);
    assert_eq!(rec.name, "Ana");
    assert_eq!(rec.role_group, "front-line");
    assert_eq!(rec.answers.role_group, 2);
    assert_eq!(rec.department, None);
    assert_eq!(rec.interview_date, Some(date(2025, 1, 20)));

    let e = store
        .add_respondent(round, respondent("ANA", "manager"))
        .unwrap_err();
    assert_eq!(e.code(), "conflict");
    assert_eq!(
        e.to_string(),
        format!("respondent `ANA` is already in round {round} (as `Ana`)")
    );
    store
        .add_respondent(other, respondent("Ana", "manager"))
        .unwrap();
    let e = store
        .add_respondent(round, respondent("Bo", "boss"))
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "unknown role group `boss` (model cx-maturity@2 has: executive, manager, front-line)"
    );
    assert_eq!(
        store
            .add_respondent(round, respondent("", "manager"))
            .unwrap_err()
            .code(),
        "invalid"
    );
    assert_eq!(
        store
            .add_respondent(999, respondent("Bo", "manager"))
            .unwrap_err()
            .to_string(),
        "round 999 not found"
    );

    let bo = store
        .add_respondent(round, respondent("Bo", "manager"))
        .unwrap();
    assert_eq!(
        store
            .update_respondent(bo, respondent("ana", "manager"))
            .unwrap_err()
            .code(),
        "conflict"
    );
    store
        .update_respondent(
            bo,
            NewRespondent {
                name: "Bo".into(),
                role_group: "executive".into(),
                department: Some("Sales".into()),
                interview_date: None,
            },
        )
        .unwrap();
    let data = store.round_data(round).unwrap();
    let names: Vec<_> = data.respondents.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["Ana", "Bo"], "creation order");
    assert_eq!(data.respondents[1].department.as_deref(), Some("Sales"));
    assert_eq!(data.respondents[1].role_group, "executive");
    assert_eq!(store.respondent_round(bo).unwrap(), round);

    store.remove_respondent(bo).unwrap();
    assert_eq!(store.round(round).unwrap().respondents, 1);
    assert_eq!(store.remove_respondent(bo).unwrap_err().code(), "not_found");
}

#[test]
fn a_closed_round_refuses_every_write_until_reopened() {
    let mut store = memory_store();
    let (_, round) = org_with_round(&mut store);
    let model = store.model_for_round(round).unwrap();
    let q = model.questions[0].id.clone();
    let r = store
        .add_respondent(round, respondent("Ana", "executive"))
        .unwrap();
    store.close_round(round).unwrap();

    let closed = |e: cxm_store::StoreError| {
        assert_eq!(e.code(), "round_closed");
        assert_eq!(
            e.to_string(),
            format!("round {round} is closed: its answers are read-only until it is reopened")
        );
    };
    closed(
        store
            .add_respondent(round, respondent("Bo", "manager"))
            .unwrap_err(),
    );
    closed(
        store
            .update_respondent(r, respondent("Ann", "manager"))
            .unwrap_err(),
    );
    closed(store.set_answer(r, &q, Some(Answer::Scale(1))).unwrap_err());
    closed(store.set_note(r, &q, Some("n".into())).unwrap_err());
    closed(store.remove_respondent(r).unwrap_err());
    let csv = format!("respondent,role,{q}\nBo,manager,3\n");
    let parsed = responses_csv::parse(&model, csv.as_bytes()).unwrap();
    closed(store.import_responses(round, &parsed).unwrap_err());

    store.reopen_round(round).unwrap();
    store.set_answer(r, &q, Some(Answer::Scale(1))).unwrap();
    store.set_note(r, &q, Some("n".into())).unwrap();
    store.import_responses(round, &parsed).unwrap();
    store
        .update_respondent(r, respondent("Ann", "manager"))
        .unwrap();
    store.remove_respondent(r).unwrap();
    assert_eq!(store.round(round).unwrap().respondents, 1);
}

#[test]
fn the_summary_follows_every_write() {
    let mut store = memory_store();
    let (_, round) = org_with_round(&mut store);
    let model = store.model_for_round(round).unwrap();
    assert_summary_is_fresh(&store, round);

    let mut ids = Vec::new();
    for (i, role) in [
        "executive",
        "manager",
        "front-line",
        "manager",
        "front-line",
    ]
    .iter()
    .enumerate()
    {
        let id = store
            .add_respondent(round, respondent(&format!("R{i}"), role))
            .unwrap();
        assert_summary_is_fresh(&store, round);
        ids.push(id);
    }
    // Everyone answers every question; one complete interview at "4" everywhere.
    answer_all(&mut store, &model, ids[0], |_| Some(Answer::Scale(4)));
    assert_summary_is_fresh(&store, round);
    assert_eq!(store.round(round).unwrap().phase, Some(5));
    for (k, &id) in ids.iter().enumerate().skip(1) {
        answer_all(&mut store, &model, id, |i| pseudo_answer(i * 7 + k));
    }
    assert_summary_is_fresh(&store, round);
    assert!(store.round(round).unwrap().phase.unwrap() < 5);

    store
        .set_answer(ids[1], &model.questions[0].id, None)
        .unwrap();
    assert_summary_is_fresh(&store, round);
    store.remove_respondent(ids[2]).unwrap();
    assert_summary_is_fresh(&store, round);
    store
        .update_respondent(ids[3], respondent("R3", "executive"))
        .unwrap();
    assert_summary_is_fresh(&store, round);

    let header: Vec<&str> = model.questions.iter().map(|q| q.id.as_str()).collect();
    let mut csv = format!("respondent,role,department,{}\n", header.join(","));
    for n in 0..4 {
        let cells: Vec<String> = (0..header.len())
            .map(|i| {
                pseudo_answer(i + 31 * n)
                    .map(|a| a.to_string())
                    .unwrap_or_default()
            })
            .collect();
        csv.push_str(&format!("CSV-{n},manager,Ops,{}\n", cells.join(",")));
    }
    let parsed = responses_csv::parse(&model, csv.as_bytes()).unwrap();
    let summary = store.import_responses(round, &parsed).unwrap();
    assert_eq!(summary.respondents, 4);
    let expected: usize = parsed.rows.iter().map(|r| r.answers.len()).sum();
    assert_eq!(summary.answers as usize, expected);
    assert_summary_is_fresh(&store, round);
    assert_eq!(store.round(round).unwrap().respondents, 8);

    for id in ids.iter().filter(|&&id| id != ids[2]) {
        store.remove_respondent(*id).unwrap();
    }
    assert_summary_is_fresh(&store, round);
}

#[test]
fn import_refuses_a_respondent_already_in_the_round_and_writes_nothing() {
    let (_dir, path, mut store) = file_store();
    let (_, round) = org_with_round(&mut store);
    let model = store.model_for_round(round).unwrap();
    let q = &model.questions[0].id;
    store
        .add_respondent(round, respondent("B-2", "manager"))
        .unwrap();
    let before = dump(&path);

    let csv = format!("respondent,role,{q}\n\nA-1,executive,4\nb-2,manager,3\nC-3,front-line,2\n");
    let parsed = responses_csv::parse(&model, csv.as_bytes()).unwrap();
    let err = store.import_responses(round, &parsed).unwrap_err();
    assert_eq!(err.code(), "conflict");
    assert_eq!(
        err.to_string(),
        format!("line 4: respondent `b-2` is already in round {round} (as `B-2`)")
    );
    assert_eq!(dump(&path), before);
}

#[test]
fn import_into_a_closed_round_writes_nothing() {
    let (_dir, path, mut store) = file_store();
    let (_, round) = org_with_round(&mut store);
    let model = store.model_for_round(round).unwrap();
    store.close_round(round).unwrap();
    let before = dump(&path);
    let csv = format!(
        "respondent,role,{}\nA-1,executive,4\n",
        model.questions[0].id
    );
    let parsed = responses_csv::parse(&model, csv.as_bytes()).unwrap();
    let err = store.import_responses(round, &parsed).unwrap_err();
    assert_eq!(err.code(), "round_closed");
    assert_eq!(dump(&path), before);
}

#[test]
fn import_refuses_rows_that_do_not_fit_the_model_and_writes_nothing() {
    let (_dir, path, mut store) = file_store();
    let (_, round) = org_with_round(&mut store);
    let before = dump(&path);
    let row = |line, answers: Vec<(usize, Answer)>| ParsedRow {
        line,
        respondent: format!("R{line}"),
        role_group: 0,
        department: None,
        answers,
    };
    let cases = [
        (
            row(3, vec![(999, Answer::Scale(1))]),
            "line 3: question #999 does not exist in model cx-maturity@2",
        ),
        (
            row(3, vec![(0, Answer::Scale(9))]),
            "line 3: answer 9 is off the scale",
        ),
        (
            row(3, vec![(0, Answer::Scale(1)), (0, Answer::Scale(2))]),
            "line 3: question `",
        ),
        (
            ParsedRow {
                role_group: 7,
                ..row(3, vec![])
            },
            "line 3: role group #7 does not exist",
        ),
    ];
    for (bad, message) in cases {
        let parsed = ParsedResponses {
            columns: vec![0],
            rows: vec![row(2, vec![(0, Answer::Scale(4))]), bad],
        };
        let err = store.import_responses(round, &parsed).unwrap_err();
        assert!(err.to_string().starts_with(message), "{err}");
        assert_eq!(dump(&path), before);
    }
}

#[test]
fn round_data_ignores_answers_to_questions_the_model_does_not_have() {
    let (_dir, path, mut store) = file_store();
    let (_, round) = org_with_round(&mut store);
    let r = store
        .add_respondent(round, respondent("Ana", "executive"))
        .unwrap();
    let model = store.model_for_round(round).unwrap();
    store
        .set_answer(r, &model.questions[1].id, Some(Answer::Scale(4)))
        .unwrap();
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute(
            "INSERT INTO answers (respondent_id, question_id, value, updated_at)
             VALUES (?1, 'RETIRED-9', 2, '2025-03-05T00:00:00.000Z')",
            [r],
        )
        .unwrap();
    }
    let data = store.round_data(round).unwrap();
    let rec = &data.respondents[0];
    assert_eq!(rec.answers.answered(), 1);
    assert_eq!(rec.answers.answers[1], Some(Answer::Scale(4)));
    assert_eq!(data.info.id, round);
    assert_eq!(data.model.key(), "cx-maturity@2");
}

mod property {
    use proptest::prelude::*;

    use super::*;

    #[derive(Debug, Clone)]
    enum Op {
        Add(usize),
        Answer(usize, usize, Option<Answer>),
        Remove(usize),
    }

    fn answer() -> impl Strategy<Value = Option<Answer>> {
        prop_oneof![
            Just(None),
            Just(Some(Answer::DontKnow)),
            Just(Some(Answer::NotApplicable)),
            (0u8..=4).prop_map(|v| Some(Answer::Scale(v))),
        ]
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            1 => (0usize..3).prop_map(Op::Add),
            6 => (0usize..8, 0usize..4, answer()).prop_map(|(r, q, a)| Op::Answer(r, q, a)),
            1 => (0usize..8).prop_map(Op::Remove),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        /// Whatever sequence of writes, the stored summary is a fresh score.
        #[test]
        fn the_summary_is_always_a_fresh_score(ops in proptest::collection::vec(op(), 1..40)) {
            let mut store = memory_store();
            store.import_model(TINY_MODEL, "tiny.toml").unwrap();
            let (_, model) = store.model_by_key("tiny").unwrap();
            let org = store.add_organisation("Acme").unwrap();
            let round = store.add_round(new_round(org, "R", date(2025, 1, 1), Some("tiny"))).unwrap();
            let roles = ["executive", "manager", "front-line"];
            let mut people: Vec<i64> = Vec::new();
            for (n, op) in ops.into_iter().enumerate() {
                match op {
                    Op::Add(role) => people.push(
                        store.add_respondent(round, respondent(&format!("P{n}"), roles[role])).unwrap(),
                    ),
                    Op::Answer(r, q, a) if !people.is_empty() => {
                        let id = people[r % people.len()];
                        store.set_answer(id, &model.questions[q].id, a).unwrap();
                    }
                    Op::Remove(r) if !people.is_empty() => {
                        let id = people.remove(r % people.len());
                        store.remove_respondent(id).unwrap();
                    }
                    _ => {}
                }
                assert_summary_is_fresh(&store, round);
            }
        }
    }
}

#[test]
fn import_respondents_keeps_notes_and_dates_and_is_all_or_nothing() {
    let (_dir, path, mut store) = file_store();
    let (_, round) = org_with_round(&mut store);
    let model = store.model_for_round(round).unwrap();
    let (q0, q1) = (model.questions[0].id.clone(), model.questions[1].id.clone());
    let person = |name: &str, answers: Vec<(String, Option<Answer>, Option<String>)>| {
        cxm_store::RespondentImport {
            name: name.into(),
            role_group: "Front line".into(),
            department: Some("Billing".into()),
            interview_date: Some(date(2026, 3, 12)),
            answers,
        }
    };
    let good = vec![person(
        "Ana",
        vec![
            (
                q0.clone(),
                Some(Answer::Scale(3)),
                Some("Saw the document".into()),
            ),
            (q1.clone(), None, Some("  only a note ".into())),
        ],
    )];
    let done = store.import_respondents(round, &good).unwrap();
    assert_eq!((done.respondents, done.answers), (1, 1));
    let data = store.round_data(round).unwrap();
    let ana = &data.respondents[0];
    assert_eq!(ana.role_group, "front-line");
    assert_eq!(ana.interview_date, Some(date(2026, 3, 12)));
    assert_eq!(ana.notes[0].as_deref(), Some("Saw the document"));
    assert_eq!(ana.notes[1].as_deref(), Some("only a note"));
    assert_eq!(ana.answers.answers[1], None);
    assert_eq!(data.info.respondents, 1);

    let before = dump(&path);
    let bad = vec![
        person("Ben", vec![(q0.clone(), Some(Answer::Scale(2)), None)]),
        person(
            "Cleo",
            vec![("NOPE-1".into(), Some(Answer::Scale(2)), None)],
        ),
    ];
    let err = store.import_respondents(round, &bad).unwrap_err();
    assert_eq!(
        err.to_string(),
        "respondent 2 (`Cleo`): question `NOPE-1` does not exist in model cx-maturity@2"
    );
    assert_eq!(dump(&path), before);
    let err = store
        .import_respondents(round, &[person("ana", vec![])])
        .unwrap_err();
    assert!(err.to_string().contains("already in round"), "{err}");
    assert_eq!(dump(&path), before);
}
