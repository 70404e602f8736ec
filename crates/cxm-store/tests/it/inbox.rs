//! The round's inbox (workshop submissions) and keyed survey imports.

use cxm_domain::Answer;
use cxm_domain::responses_csv;
use cxm_domain::submission::{Cell, RawSubmission, check};
use cxm_store::{InboxCounts, Receipt, Store};

use crate::common::*;

fn uuid(n: u32) -> String {
    format!("{n:08x}-0000-4000-8000-{n:012x}")
}

fn submit(store: &mut Store, round: i64, n: u32, name: Option<&str>, role: &str) -> Receipt {
    let model = store.model_for_round(round).unwrap();
    let ask: Vec<String> = {
        let g = model.role_group_index(role).unwrap();
        (0..model.questions.len())
            .filter(|&q| model.asks(q, g))
            .take(3)
            .map(|q| model.questions[q].id.clone())
            .collect()
    };
    let raw = RawSubmission {
        submission_id: uuid(n),
        role: role.into(),
        department: Some("Sales".into()),
        name: name.map(str::to_string),
        answers: ask
            .iter()
            .enumerate()
            .map(|(i, q)| (q.clone(), Cell::Text(["3", "dk", "na"][i].into())))
            .collect(),
    };
    let checked = check(&model, &raw).unwrap();
    store.receive_submission(round, &checked).unwrap()
}

#[test]
fn a_submission_waits_in_the_inbox_until_accepted_and_is_stored_once() {
    let (_dir, path, mut store) = file_store();
    let (_, round) = org_with_round(&mut store);
    assert_eq!(
        submit(&mut store, round, 1, Some("Ana"), "front-line"),
        Receipt::New
    );
    assert_eq!(
        submit(&mut store, round, 1, Some("Ana"), "front-line"),
        Receipt::Already
    );
    assert_eq!(submit(&mut store, round, 2, None, "manager"), Receipt::New);
    // Nothing in the round yet: the summary and the respondents are untouched.
    assert!(store.round_data(round).unwrap().respondents.is_empty());
    let inbox = store.inbox(round).unwrap();
    assert_eq!(inbox.len(), 2);
    assert_eq!(inbox[0].respondent, "Ana");
    assert_eq!(inbox[0].department.as_deref(), Some("Sales"));
    assert_eq!(inbox[0].answers.len(), 3);
    assert_eq!(inbox[0].answers[1].1, Answer::DontKnow);
    assert_eq!(inbox[1].respondent, "Participant 00000002");
    assert!(inbox.iter().all(|e| e.problems.is_empty()));
    // It survives a restart.
    drop(store);
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.inbox(round).unwrap().len(), 2);

    let done = store.accept_submissions(round, &[uuid(2)]).unwrap();
    assert_eq!((done.respondents, done.answers), (1, 3));
    let data = store.round_data(round).unwrap();
    assert_eq!(data.respondents.len(), 1);
    assert_eq!(data.respondents[0].name, "Participant 00000002");
    assert_eq!(data.info.respondents, 1, "the summary follows");
    // Accepted: no longer pending, and sending it again stores nothing.
    assert_eq!(store.inbox(round).unwrap().len(), 1);
    assert_eq!(
        submit(&mut store, round, 2, None, "manager"),
        Receipt::Already
    );
    assert_eq!(store.reject_submissions(round, &[uuid(1)]).unwrap(), 1);
    assert_eq!(
        submit(&mut store, round, 1, Some("Ana"), "front-line"),
        Receipt::Already
    );
    assert!(store.inbox(round).unwrap().is_empty());
    assert_eq!(
        store.inbox_counts(round).unwrap(),
        InboxCounts {
            pending: 0,
            accepted: 1,
            rejected: 1
        }
    );
}

#[test]
fn accepting_is_all_or_nothing() {
    let (_dir, path, mut store) = file_store();
    let (_, round) = org_with_round(&mut store);
    store
        .add_respondent(round, respondent("ANA", "manager"))
        .unwrap();
    submit(&mut store, round, 1, Some("Bo"), "front-line");
    submit(&mut store, round, 2, Some("ana"), "front-line");
    submit(&mut store, round, 3, Some("bo"), "executive");
    let inbox = store.inbox(round).unwrap();
    assert!(inbox[0].problems.is_empty());
    assert!(
        inbox[1].problems[0].contains("already in this round"),
        "{:?}",
        inbox[1]
    );
    assert!(inbox[2].problems[0].contains("same name"), "{:?}", inbox[2]);
    let before = dump(&path);
    let err = store
        .accept_submissions(round, &[uuid(1), uuid(2)])
        .unwrap_err();
    assert_eq!(err.code(), "conflict");
    assert!(
        err.to_string().contains(&format!("submission {}", uuid(2))),
        "{err}"
    );
    let err = store
        .accept_submissions(round, &[uuid(1), uuid(9)])
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
    let err = store
        .reject_submissions(round, &[uuid(1), uuid(9)])
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert_eq!(dump(&path), before, "nothing written");
    store.accept_submissions(round, &[uuid(1)]).unwrap();
    assert_eq!(store.round_data(round).unwrap().respondents.len(), 2);
}

#[test]
fn a_closed_round_accepts_nothing() {
    let (_dir, path, mut store) = file_store();
    let (_, round) = org_with_round(&mut store);
    submit(&mut store, round, 1, None, "manager");
    store.close_round(round).unwrap();
    let before = dump(&path);
    let model = store.model_for_round(round).unwrap();
    let raw = RawSubmission {
        submission_id: uuid(5),
        role: "manager".into(),
        ..RawSubmission::default()
    };
    let err = store
        .receive_submission(round, &check(&model, &raw).unwrap())
        .unwrap_err();
    assert_eq!(err.code(), "round_closed");
    // The one already stored is still "stored" for a phone that retries.
    assert_eq!(
        submit(&mut store, round, 1, None, "manager"),
        Receipt::Already
    );
    let err = store.accept_submissions(round, &[uuid(1)]).unwrap_err();
    assert_eq!(err.code(), "round_closed");
    assert_eq!(dump(&path), before);
}

#[test]
fn deleting_a_round_deletes_its_inbox() {
    let (_dir, _path, mut store) = file_store();
    let (_, round) = org_with_round(&mut store);
    submit(&mut store, round, 1, None, "manager");
    store.delete_round(round).unwrap();
    assert_eq!(store.inbox(round).unwrap_err().code(), "not_found");
}

#[test]
fn a_keyed_import_adds_only_rows_it_has_not_seen() {
    let (_dir, path, mut store) = file_store();
    let (_, round) = org_with_round(&mut store);
    let model = store.model_for_round(round).unwrap();
    let q = &model.questions[0].id;
    let first = format!("respondent,role,{q}\nR-1,executive,4\nR-2,manager,3\n");
    let parsed = responses_csv::parse(&model, first.as_bytes()).unwrap();
    let keys = vec!["k1".to_string(), "k2".to_string()];
    let done = store.import_keyed(round, &parsed, &keys).unwrap();
    assert_eq!(
        (done.respondents, done.answers, done.already.len()),
        (2, 2, 0)
    );

    // A later, longer export: two rows seen before, one new.
    let later = format!("respondent,role,{q}\nR-1,executive,4\nR-2,manager,3\nR-3,front-line,1\n");
    let parsed = responses_csv::parse(&model, later.as_bytes()).unwrap();
    let keys = vec!["k1".into(), "k2".into(), "k3".into()];
    let check = store.check_keyed(round, &parsed, &keys).unwrap();
    assert_eq!(check.respondents, 1);
    assert_eq!(
        check.already,
        vec![(2, "k1".to_string()), (3, "k2".to_string())]
    );
    assert!(check.existing_names.is_empty() && !check.closed);
    let done = store.import_keyed(round, &parsed, &keys).unwrap();
    assert_eq!((done.respondents, done.already.len()), (1, 2));
    // The same file again changes nothing.
    let before = dump(&path);
    let done = store.import_keyed(round, &parsed, &keys).unwrap();
    assert_eq!((done.respondents, done.already.len()), (0, 3));
    assert_eq!(dump(&path), before);

    // A new row whose name is taken refuses the whole file.
    let clash = format!("respondent,role,{q}\nR-4,manager,2\nr-1,manager,2\n");
    let parsed = responses_csv::parse(&model, clash.as_bytes()).unwrap();
    let keys = vec!["k4".into(), "k5".into()];
    let check = store.check_keyed(round, &parsed, &keys).unwrap();
    assert_eq!(check.existing_names, vec![(3, "r-1".to_string())]);
    assert_eq!(
        store
            .import_keyed(round, &parsed, &keys)
            .unwrap_err()
            .code(),
        "conflict"
    );
    assert_eq!(dump(&path), before);
}
