//! `create_round` with copied respondents is one transaction: a failure part-way (here
//! a trigger refusing the copied respondents, and any later delete of a round, as a
//! crash would) leaves no round behind.
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use cxm_api::Api;
use cxm_api::wire::{NewRoundInput, RespondentInput};

fn round(org: i64, title: &str, copy: Option<i64>) -> NewRoundInput {
    NewRoundInput {
        organisation: org,
        title: title.into(),
        date: "2026-03-01".into(),
        target_phase: None,
        model: None,
        copy_respondents_from: copy,
    }
}

#[test]
fn a_round_whose_respondents_cannot_be_copied_is_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cxm.sqlite");
    let api = Api::open(Some(db.clone()));
    let org = api.create_organisation("Acme").unwrap();
    let first = api.create_round(round(org, "Q1", None)).unwrap();
    api.add_respondent(
        first,
        RespondentInput {
            name: "Ana".into(),
            role_group: "executive".into(),
            department: None,
            interview_date: None,
        },
    )
    .unwrap();
    let before = api.organisation_page(org).unwrap().rounds.len();

    // The copy fails; and nothing may depend on deleting the half-made round afterwards
    // (a process killed between two transactions never gets to).
    let faults = rusqlite::Connection::open(&db).unwrap();
    faults
        .execute_batch(
            "CREATE TRIGGER no_copies BEFORE INSERT ON respondents
               BEGIN SELECT RAISE(ABORT, 'injected fault'); END;
             CREATE TRIGGER no_deletes BEFORE DELETE ON rounds
               BEGIN SELECT RAISE(ABORT, 'injected crash'); END;",
        )
        .unwrap();
    let e = api.create_round(round(org, "Q2", Some(first))).unwrap_err();
    assert!(e.message.contains("injected fault"), "{e}");
    assert_eq!(
        api.organisation_page(org).unwrap().rounds.len(),
        before,
        "no half-made round"
    );
}
