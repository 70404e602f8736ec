//! The plan through the use cases (issue 15): actions planned from a round's results,
//! edited field by field, the projected phase and the carry-over on the next round.
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use cxm_api::wire::{CompareWith, ErrorCode};
use cxm_api::{Api, FakeHost};

#[test]
fn actions_become_plan_items_and_the_next_round_shows_what_they_did() {
    let dir = tempfile::tempdir().unwrap();
    let api = Api::open(Some(dir.path().join("cxm.sqlite"))).with_host(FakeHost::new());
    let org = api.load_demo().unwrap();
    let rounds = api.organisation_page(org).unwrap().rounds;
    let (baseline, review) = (rounds[0].id, rounds[1].id);
    demo_plan_shows_the_carry_over_its_flags_and_the_projection(&api, review);
    // From here on, a plan made from scratch.
    for item in api.plan(org).unwrap().items {
        api.delete_plan_item(item.id).unwrap();
    }

    let results = api.results(baseline, CompareWith::None).unwrap();
    assert_eq!(results.plan.items, 0);
    assert_eq!(
        results.plan.projection.projected_phase,
        results.organisation_phase
    );
    let tier1: Vec<String> = results
        .actions
        .iter()
        .filter(|a| a.tier == 1)
        .map(|a| a.question.clone())
        .collect();
    assert!(!tier1.is_empty());
    let added = api.plan_actions(baseline, tier1.clone()).unwrap();
    assert_eq!(added.added.len(), tier1.len());
    // Planned twice: skipped.
    let again = api.plan_actions(baseline, vec![tier1[0].clone()]).unwrap();
    assert!(again.added.is_empty());
    assert_eq!(again.already, vec![tier1[0].clone()]);
    let e = api
        .plan_actions(baseline, vec!["NOPE-1".into()])
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Invalid);

    let results = api.results(baseline, CompareWith::None).unwrap();
    assert_eq!(results.plan.items as usize, tier1.len());
    assert_eq!(results.plan.planned_questions.len(), tier1.len());
    let p = &results.plan.projection;
    assert!(p.projected_phase > p.current_phase, "{p:?}");
    assert!(p.explanation.contains("phase"), "{}", p.explanation);
    assert!(results.plan.carry_over.is_none(), "a first round");

    // Edited field by field; refusals say what.
    let plan = api.plan(org).unwrap();
    let item = plan.items[0].id;
    let v = api
        .set_plan_field(item, "owner", Some("Dana Park".into()))
        .unwrap();
    assert_eq!(v.owner.as_deref(), Some("Dana Park"));
    let v = api
        .set_plan_field(item, "due", Some("2026-Q2".into()))
        .unwrap();
    assert_eq!(v.due_quarter.as_deref(), Some("2026-Q2"));
    api.set_plan_field(item, "status", Some("done".into()))
        .unwrap();
    let e = api
        .set_plan_field(item, "due", Some("next spring".into()))
        .unwrap_err();
    assert!(e.message.contains("2027-Q1 or 2027-03-31"), "{}", e.message);
    let e = api.set_plan_field(item, "colour", None).unwrap_err();
    assert!(e.message.contains("not a field"), "{}", e.message);
    assert_eq!(api.plan(org).unwrap().owners, vec!["Dana Park"]);

    // The later round: each item then and now, and the summary.
    let later = api.results(review, CompareWith::None).unwrap();
    let c = later.plan.carry_over.unwrap();
    assert_eq!(c.previous_round.id, baseline);
    assert_eq!(c.items.len(), tier1.len());
    assert!(c.summary.contains("1 of"), "{}", c.summary);
    assert!(
        c.items
            .iter()
            .all(|i| i.then.is_some() || i.question.is_none())
    );

    api.delete_plan_item(item).unwrap();
    assert_eq!(api.plan(org).unwrap().items.len(), tier1.len() - 1);
}

/// The demo's plan: made after the baseline and partly done by the review, with items
/// added after the review; its results show all of it at once.
fn demo_plan_shows_the_carry_over_its_flags_and_the_projection(api: &Api, review: i64) {
    let r = api.results(review, CompareWith::None).unwrap();
    let c = r
        .plan
        .carry_over
        .as_ref()
        .expect("a carry-over on the review");
    let flags: Vec<&str> = c.items.iter().filter_map(|i| i.flag.as_deref()).collect();
    assert!(flags.contains(&"lifted_over_threshold"), "{flags:?}");
    assert!(flags.contains(&"done_but_not_moved"), "{flags:?}");
    assert!(!c.moved_without_plan.is_empty());
    assert!(
        c.summary
            .contains("lifted their practice over the threshold"),
        "{}",
        c.summary
    );
    let p = &r.plan.projection;
    assert!(
        p.blocks.iter().any(|b| b.reached_projected > b.reached_now),
        "{p:?}"
    );
    assert!(p.blocks.iter().any(|b| b.holds_back), "{p:?}");
    assert!(
        p.explanation.contains("hold the organisation back"),
        "{}",
        p.explanation
    );
    let plan = api.plan(r.info.organisation).unwrap();
    assert!(plan.items.iter().any(|i| i.overdue));
    assert!(plan.items.iter().any(|i| i.status == "dropped"));
    assert!(plan.items.iter().any(|i| i.question.is_none()));
}
