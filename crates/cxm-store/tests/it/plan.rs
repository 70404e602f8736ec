//! The plan (issue 15): items added from a round's model, changed with one stamp,
//! deleted with a tombstone, merged between laptops, refused with what is wrong.

use cxm_domain::plan::{Due, Effort, PlanStatus};
use cxm_store::plan::{NewPlanItem, PlanChange};

use crate::common::*;

fn item(title: &str, block: &str, question: Option<&str>) -> NewPlanItem {
    NewPlanItem {
        title: title.into(),
        block: block.into(),
        question: question.map(str::to_string),
        owner: None,
        due: None,
        effort: None,
        status: PlanStatus::Planned,
        notes: None,
        planned_from: None,
    }
}

#[test]
fn items_are_added_changed_listed_by_due_day_and_deleted() {
    let (_dir, path, mut store) = file_store();
    let (org, round) = org_with_round(&mut store);
    let mut from = item("Name a sponsor", "strategy", Some("STR-1.1"));
    from.planned_from = Some(round);
    from.due = Some("2027-Q2".parse().unwrap());
    let ids = store
        .add_plan_items(
            org,
            &[
                from,
                item("Map the journeys", "process", None),
                NewPlanItem {
                    due: Some("2027-01-31".parse().unwrap()),
                    effort: Some(Effort::S),
                    ..item("Weekly VoC digest", "voice-of-customer", Some("VOC-2.2"))
                },
            ],
        )
        .unwrap();
    let plan = store.plan(org).unwrap();
    let titles: Vec<&str> = plan.iter().map(|p| p.item.title.as_str()).collect();
    assert_eq!(
        titles,
        ["Weekly VoC digest", "Name a sponsor", "Map the journeys"]
    );
    assert_eq!(plan[1].planned_from.as_ref().unwrap().0, round);
    assert!(plan[0].item.id.len() == 36);

    let change = PlanChange {
        owner: Some(Some("  Dana Park ".into())),
        status: Some(PlanStatus::InProgress),
        due: Some(Some(Due::Quarter {
            year: 2027,
            quarter: 3,
        })),
        ..Default::default()
    };
    store.update_plan_item(ids[0], &change).unwrap();
    let p = store.plan_item(ids[0]).unwrap();
    assert_eq!(p.item.owner.as_deref(), Some("Dana Park"));
    assert_eq!(p.item.status, PlanStatus::InProgress);
    assert_eq!(p.item.due.unwrap().to_string(), "2027-Q3");
    assert!(!p.updated_at.is_empty());
    // The same change again: no new stamp.
    let stamp = p.updated_at.clone();
    store.update_plan_item(ids[0], &change).unwrap();
    assert_eq!(store.plan_item(ids[0]).unwrap().updated_at, stamp);

    store.delete_plan_item(ids[1]).unwrap();
    assert_eq!(store.plan(org).unwrap().len(), 2);
    assert_eq!(count(&path, "tombstones"), 1);
    assert_eq!(
        store.delete_plan_item(ids[1]).unwrap_err().code(),
        "not_found"
    );
}

#[test]
fn a_wrong_block_or_question_refuses_every_item_and_says_which() {
    let (_dir, path, mut store) = file_store();
    let (org, _) = org_with_round(&mut store);
    let before = dump(&path);
    let cases = [
        (
            item("x", "finance", None),
            "block `finance` is not in model",
        ),
        (
            item("x", "strategy", Some("NOPE-1")),
            "question `NOPE-1` is not in model",
        ),
        (
            item("x", "culture", Some("STR-1.1")),
            "belongs to block `strategy`",
        ),
        (item("   ", "strategy", None), "title"),
    ];
    for (bad, needle) in cases {
        let e = store
            .add_plan_items(org, &[item("fine", "strategy", None), bad])
            .unwrap_err();
        assert!(e.to_string().contains(needle), "{e}");
        assert!(e.to_string().contains("plan item 2"), "{e}");
    }
    assert_eq!(dump(&path), before);
}

#[test]
fn a_plan_travels_in_the_engagement_file_and_merges() {
    let (_dir, _path, mut a) = file_store();
    let (org, round) = org_with_round(&mut a);
    let mut first = item("Name a sponsor", "strategy", Some("STR-1.1"));
    first.planned_from = Some(round);
    let ids = a
        .add_plan_items(org, &[first, item("Free item", "culture", None)])
        .unwrap();
    let file = a.export_engagement(org).unwrap();
    let (_dir2, _path2, mut b) = file_store();
    let done = b.import_engagement(file.as_bytes()).unwrap();
    assert_eq!(done.plan_added, 2);
    let b_org = done.organisation;
    let plan = b.plan(b_org).unwrap();
    assert_eq!(plan.len(), 2);
    assert_eq!(plan[0].planned_from.as_ref().unwrap().1, "Baseline");

    // A's later change reaches B; B's deletion reaches A.
    a.set_clock(|| fixed_now() + chrono::Duration::seconds(5));
    a.update_plan_item(
        ids[0],
        &PlanChange {
            status: Some(PlanStatus::Done),
            ..Default::default()
        },
    )
    .unwrap();
    let free = plan.iter().find(|p| p.item.question.is_none()).unwrap().id;
    b.delete_plan_item(free).unwrap();
    let done = b
        .import_engagement(a.export_engagement(org).unwrap().as_bytes())
        .unwrap();
    assert_eq!((done.plan_changed, done.plan_deleted), (1, 0), "{done:?}");
    let done = a
        .import_engagement(b.export_engagement(b_org).unwrap().as_bytes())
        .unwrap();
    assert_eq!(done.plan_deleted, 1);
    let statuses = |s: &cxm_store::Store, o: i64| -> Vec<PlanStatus> {
        s.plan(o).unwrap().iter().map(|p| p.item.status).collect()
    };
    assert_eq!(statuses(&a, org), [PlanStatus::Done]);
    assert_eq!(statuses(&b, b_org), [PlanStatus::Done]);
}
