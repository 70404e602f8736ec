//! The plan's rules (issue 15), worked by hand: the projected phase, and what a later
//! round shows about each item.
//!
//! The test model: blocks `a` (Alpha) and `b` (Beta), phases 1 (One) and 2 (Two), scale
//! 0–4, τ = 0.75, two questions per block and phase (`A1.1`, `A1.2`, … `B2.2`); `A1.1`
//! weighs 2. Version 2 replaces `B2.2` with `B2.3`.
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use cxm_domain::answer::Answer::{self, NotApplicable as NA, Scale};
use cxm_domain::plan::{
    CarryOver, ItemProgress, PlanItem, PlanStatus, PlanSummary, ProgressFlag, Projection,
    carry_over, explain_projection, project, projection_sentences, summary_sentence,
};
use cxm_domain::{Model, Respondent, score};
use proptest::prelude::*;

fn model_source(version: u32) -> String {
    let mut s = format!(
        "format = 1\nid = \"tiny\"\nversion = {version}\ntitle = \"Tiny\"\nthreshold = 0.75\n\
         [scale]\nmax = 4\nlabels = [\"0\", \"1\", \"2\", \"3\", \"4\"]\n\
         [[blocks]]\nid = \"a\"\nname = \"Alpha\"\n[[blocks]]\nid = \"b\"\nname = \"Beta\"\n\
         [[phases]]\nnumber = 1\nname = \"One\"\ndescription = \"First\"\n\
         [[phases]]\nnumber = 2\nname = \"Two\"\ndescription = \"Second\"\n"
    );
    for id in ids(version) {
        let weight = if id == "A1.1" { 2.0 } else { 1.0 };
        s.push_str(&format!(
            "[[questions]]\nid = \"{id}\"\nblock = \"{}\"\nphase = {}\nweight = {weight}\n\
             text = \"Q {id}\"\nguidance = \"g\"\nrecommendation = \"Do {id}\"\n",
            id[..1].to_lowercase(),
            &id[1..2],
        ));
    }
    s
}

fn ids(version: u32) -> [&'static str; 8] {
    let last = if version == 1 { "B2.2" } else { "B2.3" };
    ["A1.1", "A1.2", "A2.1", "A2.2", "B1.1", "B1.2", "B2.1", last]
}

fn model(version: u32) -> Model {
    Model::from_toml(&model_source(version), "tiny.toml").unwrap()
}

/// One respondent answering the questions in model order (`None`: unanswered).
fn one(answers: [Option<Answer>; 8]) -> Vec<Respondent> {
    vec![Respondent {
        role_group: 0,
        answers: answers.to_vec(),
    }]
}

fn scale(values: [u8; 8]) -> Vec<Respondent> {
    one(values.map(|v| Some(Scale(v))))
}

fn item(id: &str, block: &str, question: Option<&str>, status: PlanStatus) -> PlanItem {
    PlanItem {
        id: id.into(),
        title: format!("Item {id}"),
        block: block.into(),
        question: question.map(str::to_string),
        owner: None,
        due: None,
        effort: None,
        status,
        notes: None,
    }
}

fn planned(id: &str, question: &str) -> PlanItem {
    item(
        id,
        &question[..1].to_lowercase(),
        Some(question),
        PlanStatus::Planned,
    )
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

/// (reached now, reached projected, maturity now, maturity projected, planned, holds back)
fn block(p: &Projection, b: usize) -> (u32, u32, f64, f64, u32, bool) {
    let x = &p.blocks[b];
    (
        x.reached_now,
        x.reached_projected,
        x.maturity_now,
        x.maturity_projected,
        x.planned,
        x.holds_back,
    )
}

/// Alpha: phase 1 (2·1 + 1)/3 = 1.00 passed, phase 2 (0.5 + 0.5)/2 = 0.50: R 1, M 1.50.
/// Beta: phase 1 0.75 passed (at the threshold), phase 2 0.25: R 1, M 1.25. P = 1.
const BASE: [u8; 8] = [4, 4, 2, 2, 3, 3, 1, 1];

#[test]
fn a_block_with_nothing_planned_holds_the_projected_phase_back() {
    let m = model(1);
    let people = scale(BASE);
    let items = [planned("1", "A2.1"), planned("2", "A2.2")];
    let p = project(&m, &people, &items);
    assert_eq!((p.current_phase, p.projected_phase), (1, 1));
    assert_eq!((p.items_counted, p.items_not_scored), (2, 0));
    // Alpha phase 2 becomes (0.75 + 0.75)/2 = 0.75: passed, the top, M = 2.
    assert_eq!(block(&p, 0), (1, 2, 1.5, 2.0, 2, false));
    assert_eq!(block(&p, 1), (1, 1, 1.25, 1.25, 0, true));
    assert_eq!(p.blocks[0].block, "a");
    assert_eq!(
        explain_projection(&m, &p),
        "Even if every planned item brings its practice to the threshold 0.75, the organisation stays in phase 1 (One). \
         The plan would lift Alpha from phase 1 to phase 2. \
         Beta would still hold the organisation back at phase 1: nothing is planned in its phase 2 (Two)."
    );
    let marks: Vec<_> = projection_sentences(&m, &p)
        .iter()
        .map(|s| s.mark)
        .collect();
    use cxm_domain::explain::Mark;
    assert_eq!(marks, [Mark::Stop, Mark::Pass, Mark::Stop]);

    // One item in Beta's phase 2: (0.75 + 0.25)/2 = 0.50, still below; not "nothing planned".
    let mut more = items.to_vec();
    more.push(planned("3", "B2.1"));
    let p = project(&m, &people, &more);
    assert_eq!(p.projected_phase, 1);
    assert_eq!(block(&p, 1), (1, 1, 1.25, 1.5, 1, false));
    assert_eq!(
        explain_projection(&m, &p),
        "Even if every planned item brings its practice to the threshold 0.75, the organisation stays in phase 1 (One). \
         The plan would lift Alpha from phase 1 to phase 2. \
         Within the phase reached, it would raise the maturity of Beta from 1.25 to 1.50. \
         Beta would stay at phase 1: the plan has items in its phase 2 (Two), but they do not bring that phase to the threshold 0.75."
    );

    // Both of Beta's phase-2 questions: the organisation reaches the top phase.
    more.push(planned("4", "B2.2"));
    let p = project(&m, &people, &more);
    assert_eq!((p.current_phase, p.projected_phase), (1, 2));
    assert!(p.blocks.iter().all(|b| !b.holds_back), "{p:?}");
    assert_eq!(block(&p, 1), (1, 2, 1.25, 2.0, 2, false));
    assert_eq!(
        explain_projection(&m, &p),
        "If every planned item brings its practice to the threshold 0.75, the organisation moves from phase 1 (One) to phase 2 (Two), the top phase. \
         The plan would lift Alpha from phase 1 to phase 2 and Beta from phase 1 to phase 2."
    );
}

#[test]
fn dropped_items_count_nowhere() {
    let m = model(1);
    let people = scale(BASE);
    let kept = [planned("1", "A2.1"), planned("2", "A2.2")];
    let mut with_dropped = kept.to_vec();
    with_dropped.push(item("3", "b", Some("B2.1"), PlanStatus::Dropped));
    with_dropped.push(item("4", "b", Some("B2.2"), PlanStatus::Dropped));
    with_dropped.push(item("5", "b", None, PlanStatus::Dropped));
    let p = project(&m, &people, &with_dropped);
    assert_eq!(p, project(&m, &people, &kept));
    assert_eq!((p.items_counted, p.items_not_scored), (2, 0));
    assert_eq!(p.blocks[1].planned, 0);
    assert!(p.blocks[1].holds_back);
}

#[test]
fn free_items_and_unknown_questions_are_planned_but_not_scored() {
    let m = model(1);
    let people = scale(BASE);
    let items = [
        planned("1", "A2.1"),
        planned("2", "A2.2"),
        item("3", "b", None, PlanStatus::InProgress),
        // a question an earlier model version had: planned in its own block, no figure
        item("4", "b", Some("B9.9"), PlanStatus::Planned),
        // neither its block nor its question is in the model: counted nowhere
        item("5", "gone", None, PlanStatus::Done),
    ];
    let p = project(&m, &people, &items);
    assert_eq!((p.items_counted, p.items_not_scored), (2, 3));
    assert_eq!(block(&p, 1), (1, 1, 1.25, 1.25, 2, true));
    assert_eq!(p.projected_phase, 1);
    let text = explain_projection(&m, &p);
    assert!(
        text.ends_with(
            "3 items move no figure (free items, or linked to a question this model does not have)."
        ),
        "{text}"
    );
    assert!(
        text.contains("Beta would still hold the organisation back at phase 1"),
        "{text}"
    );

    // Free items only: the plan changes nothing, and says so.
    let p = project(&m, &people, &items[2..3]);
    assert_eq!(
        explain_projection(&m, &p),
        "The plan changes nothing: no item (dropped ones aside) is linked to a question of this model, so the organisation stays in phase 1 (One). \
         Alpha and Beta would still hold the organisation back at phase 1: nothing is planned in their phase 2 (Two). \
         1 item moves no figure (free items, or linked to a question this model does not have)."
    );
}

#[test]
fn an_item_on_a_question_nobody_assessed_counts_as_reaching_the_threshold() {
    let m = model(1);
    // Beta phase 2 not assessed: R 1, M = 1 + 0. One item on B2.1 makes it the phase's
    // only assessed question, at 0.75: the phase passes (unassessed weights drop out).
    let people = one([
        Some(Scale(4)),
        Some(Scale(4)),
        Some(Scale(4)),
        Some(Scale(4)),
        Some(Scale(3)),
        Some(Scale(3)),
        None,
        None,
    ]);
    let p = project(&m, &people, &[planned("1", "B2.1")]);
    assert_eq!((p.current_phase, p.projected_phase), (1, 2));
    assert_eq!(block(&p, 1), (1, 2, 1.0, 2.0, 1, false));

    // With B2.1 answered 1 (0.25), an item on the unassessed B2.2 gives (0.25 + 0.75)/2.
    let mut people = people;
    people[0].answers[6] = Some(Scale(1));
    let p = project(&m, &people, &[planned("1", "B2.2")]);
    assert_eq!(block(&p, 1), (1, 1, 1.25, 1.5, 1, false));

    // A phase answered n/a everywhere passes already; an item on it keeps it passed.
    people[0].answers[6] = Some(NA);
    people[0].answers[7] = Some(NA);
    let now = score(&m, &people);
    assert_eq!(now.blocks[1].reached_phase, 2);
    let p = project(&m, &people, &[planned("1", "B2.2")]);
    assert_eq!(block(&p, 1), (2, 2, 2.0, 2.0, 1, false));
}

#[test]
fn an_item_on_a_question_already_at_the_threshold_changes_nothing() {
    let m = model(1);
    // Alpha phase 1: A1.1 (weight 2) at 0.25, A1.2 at 1.00: (0.5 + 1)/3 = 0.50, below.
    let people = scale([1, 4, 4, 4, 4, 4, 4, 4]);
    let none = project(&m, &people, &[]);
    assert_eq!((none.current_phase, none.projected_phase), (0, 0));
    let p = project(&m, &people, &[planned("1", "A1.2")]);
    let figures = |p: &Projection| -> Vec<(u32, u32, f64, f64)> {
        p.blocks
            .iter()
            .map(|b| {
                (
                    b.reached_now,
                    b.reached_projected,
                    b.maturity_now,
                    b.maturity_projected,
                )
            })
            .collect()
    };
    assert_eq!(figures(&p), figures(&none));
    assert_eq!(figures(&p), [(0, 0, 0.5, 0.5), (2, 2, 2.0, 2.0)]);
    assert_eq!(p.projected_phase, 0);
    assert_eq!(p.items_counted, 1);
    assert_eq!(
        explain_projection(&m, &p),
        "The plan changes nothing: no item targets a practice below the threshold (or not yet assessed) in the phase where its block stops, so the organisation stays below phase 1. \
         Alpha would stay below phase 1: the plan has items in its phase 1 (One), but they do not bring that phase to the threshold 0.75."
    );
    // The weighted one does it: (2·0.75 + 1)/3 = 0.83.
    let p = project(&m, &people, &[planned("1", "A1.1")]);
    assert_eq!((p.current_phase, p.projected_phase), (0, 2));
    assert_eq!(
        explain_projection(&m, &p),
        "If every planned item brings its practice to the threshold 0.75, the organisation moves from below phase 1 to phase 2 (Two), the top phase. \
         The plan would lift Alpha from below phase 1 to phase 2."
    );
}

/// Earlier round on version 1, later round on version 2 (`B2.2` gone, `B2.3` new).
fn rounds() -> (Model, cxm_domain::Results, cxm_domain::Results) {
    let (v1, v2) = (model(1), model(2));
    let before = score(
        &v1,
        &one([
            Some(Scale(4)),
            Some(Scale(2)),
            Some(Scale(2)),
            Some(Scale(2)),
            Some(Scale(2)),
            None,
            Some(Scale(1)),
            Some(Scale(3)),
        ]),
    );
    let now = score(&v2, &scale([2, 1, 2, 4, 4, 4, 3, 4]));
    (v2, before, now)
}

#[test]
fn carry_over_flags_each_item_against_both_rounds() {
    let (v2, before, now) = rounds();
    let items = [
        item("i1", "a", Some("A2.1"), PlanStatus::Done), // 0.50 -> 0.50
        item("i2", "a", Some("A2.2"), PlanStatus::Done), // 0.50 -> 1.00
        item("i3", "b", Some("B2.1"), PlanStatus::Planned), // 0.25 -> 0.75, exactly τ
        item("i4", "b", Some("B2.2"), PlanStatus::Done), // 0.75 -> not in version 2
        item("i5", "b", Some("B2.3"), PlanStatus::InProgress), // not in version 1 -> 1.00
        item("i6", "a", None, PlanStatus::Done),         // free
        item("i7", "a", Some("A1.1"), PlanStatus::Dropped), // 1.00 -> 0.50
        item("i8", "a", Some("A1.2"), PlanStatus::Done), // 0.50 -> 0.25
    ];
    let c: CarryOver = carry_over(&v2, &before, &now, &items);
    type Row<'a> = (&'a str, Option<f64>, Option<f64>, Option<ProgressFlag>);
    let got: Vec<Row> = c
        .items
        .iter()
        .map(|p: &ItemProgress| (p.item.as_str(), p.then, p.now, p.flag))
        .collect();
    use ProgressFlag::{DoneButNotMoved as NotMoved, LiftedOverThreshold as Lifted};
    assert_eq!(
        got,
        [
            ("i1", Some(0.5), Some(0.5), Some(NotMoved)),
            ("i2", Some(0.5), Some(1.0), Some(Lifted)),
            ("i3", Some(0.25), Some(0.75), Some(Lifted)),
            ("i4", Some(0.75), None, None),
            ("i5", None, Some(1.0), Some(Lifted)),
            ("i6", None, None, None),
            ("i7", Some(1.0), Some(0.5), None),
            ("i8", Some(0.5), Some(0.25), Some(NotMoved)),
        ]
    );
    assert_eq!(c.items[3].question.as_deref(), Some("B2.2"));
    assert_eq!(c.items[5].question, None);
    // B1.1 went 0.50 -> 1.00 with no item; B1.2 was not assessed before (a first
    // measurement is not a move); A2.2 and B2.1 crossed too, but have items.
    assert_eq!(c.moved_without_plan, ["B1.1"]);
    assert_eq!(
        c.summary,
        PlanSummary {
            items: 8,
            done: 5,
            done_lifted: 1,
            in_progress: 1,
            planned: 1,
            dropped: 1,
        }
    );
    assert_eq!(
        summary_sentence(&c.summary),
        "5 of 8 items done; 1 of them lifted its practice over the threshold. 1 item was dropped."
    );
    let json = serde_json::to_value(&c).unwrap();
    assert_eq!(json["items"][0]["flag"], "done_but_not_moved");
    assert_eq!(json["items"][1]["flag"], "lifted_over_threshold");
}

#[test]
fn any_item_on_a_question_keeps_it_out_of_moved_without_plan() {
    let (v2, before, now) = rounds();
    let c = carry_over(
        &v2,
        &before,
        &now,
        &[item("x", "b", Some("B1.1"), PlanStatus::Dropped)],
    );
    // A2.2 and B2.1 have no item now; B1.1's item is dropped but still linked.
    assert_eq!(c.moved_without_plan, ["A2.2", "B2.1"]);
    assert_eq!(c.items[0].flag, Some(ProgressFlag::LiftedOverThreshold));
    assert_eq!(c.summary.done_lifted, 0, "lifted, but not done");

    let empty = carry_over(&v2, &before, &now, &[]);
    assert!(empty.items.is_empty());
    assert_eq!(empty.moved_without_plan, ["A2.2", "B1.1", "B2.1"]);
    assert_eq!(
        summary_sentence(&empty.summary),
        "The plan has no items yet."
    );
}

#[test]
fn one_item_plans_read_as_one_item() {
    let (v2, before, now) = rounds();
    let say = |status: PlanStatus, question: &str| {
        let c = carry_over(
            &v2,
            &before,
            &now,
            &[item("x", "a", Some(question), status)],
        );
        summary_sentence(&c.summary)
    };
    assert_eq!(
        say(PlanStatus::Done, "A2.2"),
        "The plan's one item is done; it lifted its practice over the threshold."
    );
    assert_eq!(
        say(PlanStatus::Done, "A2.1"),
        "The plan's one item is done; it lifted no practice over the threshold."
    );
    assert_eq!(
        say(PlanStatus::InProgress, "A2.2"),
        "The plan's one item is in progress."
    );
    assert_eq!(
        say(PlanStatus::Planned, "A2.2"),
        "The plan's one item is planned, not started yet."
    );
    assert_eq!(
        say(PlanStatus::Dropped, "A2.2"),
        "The plan's one item was dropped."
    );
}

#[test]
fn many_item_summaries() {
    let s = |items, done, done_lifted, dropped| {
        summary_sentence(&PlanSummary {
            items,
            done,
            done_lifted,
            in_progress: 0,
            planned: items - done - dropped,
            dropped,
        })
    };
    assert_eq!(
        s(10, 7, 5, 0),
        "7 of 10 items done; 5 of them lifted their practice over the threshold."
    );
    assert_eq!(
        s(10, 7, 7, 2),
        "7 of 10 items done; all of them lifted their practice over the threshold. 2 items were dropped."
    );
    assert_eq!(
        s(3, 2, 0, 0),
        "2 of 3 items done; none of them lifted a practice over the threshold."
    );
    assert_eq!(
        s(3, 1, 1, 0),
        "1 of 3 items done; it lifted its practice over the threshold."
    );
    assert_eq!(
        s(4, 0, 0, 1),
        "None of the 4 items is done yet. 1 item was dropped."
    );
}

fn answer() -> impl Strategy<Value = Option<Answer>> {
    prop_oneof![
        3 => (0u8..=4).prop_map(|v| Some(Scale(v))),
        1 => Just(Some(Answer::DontKnow)),
        1 => Just(Some(NA)),
        1 => Just(None),
    ]
}

fn people() -> impl Strategy<Value = Vec<Respondent>> {
    prop::collection::vec(
        prop::collection::vec(answer(), 8).prop_map(|answers| Respondent {
            role_group: 0,
            answers,
        }),
        0..5,
    )
}

/// Items on any question of version 1, on an unknown one, or free, with any status.
fn items() -> impl Strategy<Value = Vec<PlanItem>> {
    let statuses = prop::sample::select(PlanStatus::ALL.to_vec());
    prop::collection::vec((0usize..10, statuses), 0..6).prop_map(|xs| {
        xs.into_iter()
            .enumerate()
            .map(|(n, (q, status))| {
                let question = match q {
                    0..8 => Some(ids(1)[q]),
                    8 => Some("Z1.1"),
                    _ => None,
                };
                item(
                    &n.to_string(),
                    if q < 4 { "a" } else { "b" },
                    question,
                    status,
                )
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn the_plan_never_lowers_a_phase_and_no_plan_changes_nothing(
        people in people(),
        items in items(),
        extra in items(),
    ) {
        let m = model(1);
        let now = score(&m, &people);
        let p = project(&m, &people, &items);
        prop_assert_eq!(p.current_phase, now.organisation_phase);
        prop_assert!(p.projected_phase >= p.current_phase);
        let open = items.iter().filter(|i| i.status != PlanStatus::Dropped).count() as u32;
        prop_assert_eq!(p.items_counted + p.items_not_scored, open);
        for (b, r) in p.blocks.iter().zip(&now.blocks) {
            prop_assert_eq!(b.reached_now, r.reached_phase);
            prop_assert!(close(b.maturity_now, r.maturity));
            prop_assert!(b.reached_projected >= b.reached_now);
            prop_assert!(b.maturity_projected >= b.maturity_now - 1e-9);
            prop_assert!(p.projected_phase <= b.reached_projected);
        }

        // No items, or only dropped ones: the projection is the round as it is.
        let dropped: Vec<PlanItem> = items
            .iter()
            .cloned()
            .map(|mut i| { i.status = PlanStatus::Dropped; i })
            .collect();
        for none in [project(&m, &people, &[]), project(&m, &people, &dropped)] {
            prop_assert_eq!(none.projected_phase, none.current_phase);
            for b in &none.blocks {
                prop_assert_eq!(b.reached_projected, b.reached_now);
                prop_assert!(close(b.maturity_projected, b.maturity_now));
                prop_assert_eq!(b.planned, 0);
            }
        }

        // More items never project a lower phase.
        let mut more = items.clone();
        more.extend(extra);
        prop_assert!(project(&m, &people, &more).projected_phase >= p.projected_phase);
        prop_assert!(!explain_projection(&m, &p).is_empty());
    }
}
