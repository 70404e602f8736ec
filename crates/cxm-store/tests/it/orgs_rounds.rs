//! Organisations and rounds: validation, archive, listing with phases, previous round,
//! closing, deleting.

use cxm_domain::Answer;
use cxm_store::{NewRound, RoundStatus};

use crate::common::*;

#[test]
fn organisation_names_are_trimmed_and_checked() {
    let mut store = memory_store();
    let id = store.add_organisation("  Acme  ").unwrap();
    let org = store.organisation(id).unwrap();
    assert_eq!(org.name, "Acme");
    assert_eq!(org.created_at, "2025-03-04T05:06:07.000Z");
    assert!(!org.archived);
    // Names need not be unique.
    store.add_organisation("Acme").unwrap();

    assert_eq!(store.add_organisation("   ").unwrap_err().code(), "invalid");
    let long = "x".repeat(201);
    let err = store.add_organisation(&long).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the organisation name is too long (201 characters; at most 200)"
    );
    store.add_organisation(&"é".repeat(200)).unwrap();

    store.rename_organisation(id, "Acme Ltd").unwrap();
    assert_eq!(store.organisation(id).unwrap().name, "Acme Ltd");
    let missing = store.rename_organisation(999, "X").unwrap_err();
    assert_eq!(missing.code(), "not_found");
    assert_eq!(missing.to_string(), "organisation 999 not found");
}

#[test]
fn archived_organisations_are_hidden_and_cannot_start_rounds() {
    let mut store = memory_store();
    let a = store.add_organisation("Alpha").unwrap();
    let b = store.add_organisation("beta").unwrap();
    store.archive_organisation(b).unwrap();
    store.archive_organisation(b).unwrap(); // idempotent

    let active = store.organisations(false).unwrap();
    assert_eq!(active.iter().map(|o| o.id).collect::<Vec<_>>(), [a]);
    let all = store.organisations(true).unwrap();
    assert_eq!(
        all.iter().map(|o| (o.id, o.archived)).collect::<Vec<_>>(),
        [(a, false), (b, true)]
    );

    let err = store
        .add_round(new_round(b, "R", date(2025, 1, 1), None))
        .unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert!(err.to_string().contains("archived"), "{err}");

    store.restore_organisation(b).unwrap();
    assert_eq!(store.organisations(false).unwrap().len(), 2);
    store
        .add_round(new_round(b, "R", date(2025, 1, 1), None))
        .unwrap();
    assert_eq!(
        store.archive_organisation(42).unwrap_err().code(),
        "not_found"
    );
}

#[test]
fn add_round_validates_its_fields() {
    let mut store = memory_store();
    let org = store.add_organisation("Acme").unwrap();
    let base = || NewRound {
        organisation: org,
        title: "Baseline".into(),
        date: date(2025, 2, 1),
        target_phase: Some(5),
        model: None,
    };
    let id = store.add_round(base()).unwrap();
    let info = store.round(id).unwrap();
    assert_eq!(info.target_phase, Some(5));
    assert_eq!(info.status, RoundStatus::Open);
    assert_eq!(info.phase, None);
    assert_eq!(info.respondents, 0);
    assert!(info.block_maturity.is_empty());
    assert_eq!(info.organisation_name, "Acme");

    let e = store
        .add_round(NewRound {
            target_phase: Some(6),
            ..base()
        })
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "target phase 6 does not exist: model cx-maturity@2 has phases 1 to 5"
    );
    let e = store
        .add_round(NewRound {
            target_phase: Some(0),
            ..base()
        })
        .unwrap_err();
    assert_eq!(e.code(), "invalid");
    let e = store
        .add_round(NewRound {
            title: " ".into(),
            ..base()
        })
        .unwrap_err();
    assert_eq!(e.to_string(), "the round title must not be empty");
    let e = store
        .add_round(NewRound {
            organisation: 77,
            ..base()
        })
        .unwrap_err();
    assert_eq!(e.to_string(), "organisation 77 not found");
    let e = store
        .add_round(NewRound {
            model: Some("other".into()),
            ..base()
        })
        .unwrap_err();
    assert_eq!(e.to_string(), "model other not found");
    assert_eq!(store.rounds(None).unwrap().len(), 1);
}

#[test]
fn organisations_listing_shows_each_rounds_phase_in_date_order() {
    let mut store = memory_store();
    store.import_model(TINY_MODEL, "tiny.toml").unwrap();
    let (_, model) = store.model_by_key("tiny").unwrap();
    let zed = store.add_organisation("Zed").unwrap();
    let acme = store.add_organisation("acme").unwrap();

    // Zed: a later round answered fully (phase 2), an earlier round with phase 1 only.
    let later = store
        .add_round(new_round(zed, "Later", date(2025, 6, 1), Some("tiny")))
        .unwrap();
    let earlier = store
        .add_round(new_round(zed, "Earlier", date(2025, 1, 1), Some("tiny")))
        .unwrap();
    let r = store
        .add_respondent(later, respondent("A", "executive"))
        .unwrap();
    answer_all(&mut store, &model, r, |_| Some(Answer::Scale(4)));
    let r = store
        .add_respondent(earlier, respondent("A", "executive"))
        .unwrap();
    answer_all(&mut store, &model, r, |i| {
        Some(Answer::Scale(if i % 2 == 0 { 4 } else { 1 }))
    });
    // Acme: an empty round.
    let empty = store
        .add_round(new_round(acme, "Empty", date(2025, 3, 1), Some("tiny")))
        .unwrap();

    let orgs = store.organisations(false).unwrap();
    assert_eq!(
        orgs.iter().map(|o| o.name.as_str()).collect::<Vec<_>>(),
        ["acme", "Zed"]
    );
    let acme_rounds = &orgs[0].rounds;
    assert_eq!(acme_rounds.len(), 1);
    assert_eq!((acme_rounds[0].id, acme_rounds[0].phase), (empty, None));
    let zed_rounds: Vec<_> = orgs[1]
        .rounds
        .iter()
        .map(|r| {
            (
                r.id,
                r.title.as_str(),
                r.phase,
                r.respondents,
                r.interviews_complete,
            )
        })
        .collect();
    assert_eq!(
        zed_rounds,
        [
            (earlier, "Earlier", Some(1), 1, 1),
            (later, "Later", Some(2), 1, 1)
        ]
    );

    // rounds() agrees and carries the per-block maturity for trend charts.
    let infos = store.rounds(Some(zed)).unwrap();
    assert_eq!(
        infos.iter().map(|r| r.id).collect::<Vec<_>>(),
        [earlier, later]
    );
    let m: Vec<(String, u32, f64)> = infos[0]
        .block_maturity
        .iter()
        .map(|b| (b.block.clone(), b.reached_phase, b.maturity))
        .collect();
    assert_eq!(m, [("a".into(), 1, 1.25), ("b".into(), 1, 1.25)]);
    assert_eq!(store.rounds(None).unwrap().len(), 3);
    assert_eq!(store.rounds(Some(999)).unwrap_err().code(), "not_found");

    // The listing serialises with dates as YYYY-MM-DD and snake_case statuses.
    let json = serde_json::to_value(&orgs[0]).unwrap();
    assert_eq!(json["rounds"][0]["date"], "2025-03-01");
    assert_eq!(json["rounds"][0]["status"], "open");
}

#[test]
fn previous_round_is_by_date_then_creation_order() {
    let mut store = memory_store();
    let org = store.add_organisation("Acme").unwrap();
    let other = store.add_organisation("Other").unwrap();
    let jan = store
        .add_round(new_round(org, "Jan", date(2025, 1, 1), None))
        .unwrap();
    let jun = store
        .add_round(new_round(org, "Jun", date(2025, 6, 1), None))
        .unwrap();
    let jun_b = store
        .add_round(new_round(org, "Jun b", date(2025, 6, 1), None))
        .unwrap();
    let mar = store
        .add_round(new_round(org, "Mar", date(2025, 3, 1), None))
        .unwrap();
    store
        .add_round(new_round(other, "Feb", date(2025, 2, 1), None))
        .unwrap();

    let prev = |r| store.previous_round(r).unwrap().map(|p| p.id);
    assert_eq!(prev(jan), None);
    assert_eq!(prev(mar), Some(jan));
    assert_eq!(prev(jun), Some(mar));
    assert_eq!(prev(jun_b), Some(jun));
    assert_eq!(store.previous_round(999).unwrap_err().code(), "not_found");
}

#[test]
fn deleting_a_round_deletes_its_respondents_and_answers() {
    let (_dir, path, mut store) = file_store();
    let (_, round) = org_with_round(&mut store);
    let (_, keep) = org_with_round(&mut store);
    let model = store.model_for_round(round).unwrap();
    for name in ["A", "B"] {
        let r = store
            .add_respondent(round, respondent(name, "manager"))
            .unwrap();
        answer_all(&mut store, &model, r, |_| Some(Answer::Scale(2)));
        store
            .set_note(r, &model.questions[0].id, Some("seen".into()))
            .unwrap();
    }
    let k = store
        .add_respondent(keep, respondent("K", "manager"))
        .unwrap();
    store
        .set_answer(k, &model.questions[0].id, Some(Answer::DontKnow))
        .unwrap();
    assert_eq!(count(&path, "respondents"), 3);
    // Every question for A and B, one for K.
    assert_eq!(
        count(&path, "answers"),
        2 * model.questions.len() as i64 + 1
    );

    store.close_round(round).unwrap();
    store.delete_round(round).unwrap();
    assert_eq!(count(&path, "rounds"), 1);
    assert_eq!(count(&path, "respondents"), 1);
    assert_eq!(count(&path, "answers"), 1);
    assert_eq!(store.round(round).unwrap_err().code(), "not_found");
    assert_eq!(store.delete_round(round).unwrap_err().code(), "not_found");
}

#[test]
fn foreign_keys_are_enforced_on_the_stores_connection() {
    let (_dir, path, mut store) = file_store();
    let (_, round) = org_with_round(&mut store);
    drop(store);
    // A connection configured like the store's refuses orphans …
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "foreign_keys", "ON").unwrap();
    let orphan = conn.execute(
        "INSERT INTO respondents (round_id, name, role_group, created_at) VALUES (?1, 'x', 'manager', 't')",
        [round + 100],
    );
    assert!(orphan.is_err());
    // … and the schema's check refuses impossible values.
    let bad = conn.execute("UPDATE rounds SET status = 'done' WHERE id = ?1", [round]);
    assert!(bad.is_err());
}

#[test]
fn closing_and_reopening_a_round() {
    let mut store = memory_store();
    let (_, round) = org_with_round(&mut store);
    store.close_round(round).unwrap();
    assert_eq!(store.round(round).unwrap().status, RoundStatus::Closed);
    store.reopen_round(round).unwrap();
    assert_eq!(store.round(round).unwrap().status, RoundStatus::Open);
    assert_eq!(store.close_round(999).unwrap_err().code(), "not_found");
}
