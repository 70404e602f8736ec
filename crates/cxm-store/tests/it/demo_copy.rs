//! Loading the demo, and copying a round's respondents into a new round.

use cxm_domain::Answer;

use crate::common::*;

#[test]
fn the_demo_loads_with_its_rounds_and_is_found_again() {
    let mut store = memory_store();
    assert_eq!(store.demo_organisation().unwrap(), None);
    let demo = store.load_demo().unwrap();
    assert!(demo.rounds.len() >= 2);
    let found = store.demo_organisation().unwrap().unwrap();
    assert_eq!(found.id, demo.organisation);
    assert_eq!(found.name, demo.name);
    let last = demo.rounds.last().unwrap();
    let info = store.round(last.id).unwrap();
    assert_eq!(info.respondents as usize, last.respondents);
    assert!(info.phase.is_some());
    // Archived, it is no longer "loaded"; a second copy is a new organisation.
    store.archive_organisation(demo.organisation).unwrap();
    assert_eq!(store.demo_organisation().unwrap(), None);
    assert_ne!(store.load_demo().unwrap().organisation, demo.organisation);
}

#[test]
fn copying_respondents_takes_names_groups_and_departments_only() {
    let mut store = memory_store();
    let (org, first) = org_with_round(&mut store);
    let model = store.model_for_round(first).unwrap();
    let mut a = respondent("Ann", "executive");
    a.department = Some("Board".into());
    a.interview_date = Some(date(2025, 1, 20));
    let ann = store.add_respondent(first, a).unwrap();
    store
        .add_respondent(first, respondent("Bob", "front-line"))
        .unwrap();
    answer_all(&mut store, &model, ann, |_| Some(Answer::Scale(3)));
    store
        .set_note(ann, &model.questions[0].id, Some("a note".into()))
        .unwrap();
    store.close_round(first).unwrap();

    let second = store
        .add_round(new_round(org, "Review", date(2025, 7, 1), None))
        .unwrap();
    assert_eq!(store.copy_respondents(first, second).unwrap(), 2);
    let data = store.round_data(second).unwrap();
    let people: Vec<(&str, &str, Option<&str>)> = data
        .respondents
        .iter()
        .map(|r| {
            (
                r.name.as_str(),
                r.role_group.as_str(),
                r.department.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        people,
        [
            ("Ann", "executive", Some("Board")),
            ("Bob", "front-line", None)
        ]
    );
    assert!(data.respondents.iter().all(|r| r.answers.answered() == 0
        && r.notes.iter().all(Option::is_none)
        && r.interview_date.is_none()));
    assert_eq!(store.round(second).unwrap().respondents, 2);

    // Again: every name is taken, nothing is written.
    let err = store.copy_respondents(first, second).unwrap_err();
    assert_eq!(err.code(), "conflict");
    assert_eq!(store.round(second).unwrap().respondents, 2);
    // Itself, another organisation's round, a missing round, a closed target.
    assert_eq!(
        store.copy_respondents(second, second).unwrap_err().code(),
        "invalid"
    );
    let other = store.add_organisation("Other").unwrap();
    let foreign = store
        .add_round(new_round(other, "X", date(2025, 2, 1), None))
        .unwrap();
    assert_eq!(
        store.copy_respondents(first, foreign).unwrap_err().code(),
        "invalid"
    );
    assert_eq!(store.round(foreign).unwrap().respondents, 0);
    assert_eq!(
        store.copy_respondents(999, second).unwrap_err().code(),
        "not_found"
    );
    let third = store
        .add_round(new_round(org, "Closed", date(2025, 9, 1), None))
        .unwrap();
    store.close_round(third).unwrap();
    assert_eq!(
        store.copy_respondents(first, third).unwrap_err().code(),
        "round_closed"
    );
}
