//! Engagement files of format 2 merging (issue 14): several laptops converge on the
//! same round whatever the order files travel in; concurrent edits are reported once;
//! deletions stay deleted; a value that lost is kept in the answer's history.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{Duration, TimeZone, Utc};
use cxm_domain::{Answer, score};
use cxm_store::Store;
use proptest::prelude::*;

use crate::common::*;

/// A laptop: its own database and clock (set ahead or behind with `skew`).
struct Laptop {
    store: Store,
    org: i64,
    skew: Arc<AtomicI64>,
}

/// The time every laptop's clock follows, in milliseconds after 2026-01-05 09:00.
fn world() -> Arc<AtomicI64> {
    Arc::new(AtomicI64::new(0))
}

fn laptop(now: &Arc<AtomicI64>) -> (Store, Arc<AtomicI64>) {
    let mut store = Store::open_in_memory().unwrap();
    let skew = Arc::new(AtomicI64::new(0));
    let (now, s) = (Arc::clone(now), Arc::clone(&skew));
    store.set_clock(move || {
        Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap()
            + Duration::milliseconds(now.load(Ordering::SeqCst) + s.load(Ordering::SeqCst))
    });
    (store, skew)
}

/// Three laptops sharing one organisation with one round on the tiny model, made on
/// the first and received by the others.
fn three_laptops(now: &Arc<AtomicI64>) -> Vec<Laptop> {
    let (mut a, skew) = laptop(now);
    a.import_model(TINY_MODEL, "tiny.toml").unwrap();
    let org = a.add_organisation("Acme").unwrap();
    a.add_round(new_round(org, "Baseline", date(2026, 1, 5), Some("tiny@1")))
        .unwrap();
    let file = a.export_engagement(org).unwrap();
    let mut out = vec![Laptop {
        store: a,
        org,
        skew,
    }];
    for _ in 0..2 {
        let (mut s, skew) = laptop(now);
        let org = s.import_engagement(file.as_bytes()).unwrap().organisation;
        out.push(Laptop {
            store: s,
            org,
            skew,
        });
    }
    out
}

fn round_of(l: &Laptop) -> Option<i64> {
    l.store.rounds(Some(l.org)).unwrap().first().map(|r| r.id)
}

/// What every laptop must agree on: the rounds with their status and target, every
/// respondent with answers and notes (as a multiset), and the results.
fn content(l: &Laptop) -> Vec<String> {
    let mut out = Vec::new();
    for r in l.store.rounds(Some(l.org)).unwrap() {
        let data = l.store.round_data(r.id).unwrap();
        out.push(format!(
            "round {} {} {:?} {:?}",
            r.title,
            r.status.as_str(),
            r.target_phase,
            r.phase
        ));
        let mut people: Vec<String> = data
            .respondents
            .iter()
            .map(|p| {
                format!(
                    "{} {} {:?} {:?} {:?} {:?}",
                    p.name,
                    p.role_group,
                    p.department,
                    p.interview_date,
                    p.answers.answers,
                    p.notes
                )
            })
            .collect();
        people.sort();
        out.extend(people);
        out.push(format!(
            "{:?}",
            score(&data.model, &data.scoring_respondents())
        ));
    }
    let mut plan: Vec<String> = l
        .store
        .plan(l.org)
        .unwrap()
        .into_iter()
        .map(|p| format!("plan {:?}", p.item))
        .collect();
    plan.sort();
    out.extend(plan);
    out
}

fn exchange(laptops: &mut [Laptop], from: usize, to: usize) -> cxm_store::ImportedEngagement {
    let file = laptops[from]
        .store
        .export_engagement(laptops[from].org)
        .unwrap();
    laptops[to]
        .store
        .import_engagement(file.as_bytes())
        .unwrap()
}

#[derive(Debug, Clone)]
enum Op {
    Add(usize, usize, usize),
    Answer(usize, usize, usize, Option<u8>),
    Note(usize, usize, usize, Option<u8>),
    Remove(usize, usize),
    Close(usize),
    Reopen(usize),
    Skew(usize, i64),
    Exchange(usize, usize),
    Plan(usize, usize),
    PlanStatus(usize, usize, usize),
    PlanDelete(usize, usize),
}

fn op() -> impl Strategy<Value = Op> {
    let l = 0..3usize;
    prop_oneof![
        2 => (l.clone(), 0..4usize, 0..3usize).prop_map(|(l, n, r)| Op::Add(l, n, r)),
        6 => (l.clone(), 0..6usize, 0..4usize, proptest::option::weighted(0.85, 0..7u8))
            .prop_map(|(l, p, q, a)| Op::Answer(l, p, q, a)),
        2 => (l.clone(), 0..6usize, 0..4usize, proptest::option::of(0..3u8))
            .prop_map(|(l, p, q, n)| Op::Note(l, p, q, n)),
        1 => (l.clone(), 0..6usize).prop_map(|(l, p)| Op::Remove(l, p)),
        1 => l.clone().prop_map(Op::Close),
        1 => l.clone().prop_map(Op::Reopen),
        1 => (l.clone(), -90_000i64..90_000).prop_map(|(l, s)| Op::Skew(l, s)),
        4 => (l.clone(), 0..3usize).prop_map(|(a, b)| Op::Exchange(a, b)),
        1 => (l.clone(), 0..4usize).prop_map(|(l, q)| Op::Plan(l, q)),
        2 => (l.clone(), 0..4usize, 0..4usize).prop_map(|(l, p, s)| Op::PlanStatus(l, p, s)),
        1 => (l.clone(), 0..4usize).prop_map(|(l, p)| Op::PlanDelete(l, p)),
    ]
}

fn answer(code: u8) -> Answer {
    match code {
        5 => Answer::DontKnow,
        6 => Answer::NotApplicable,
        v => Answer::Scale(v),
    }
}

/// The respondent `p` of laptop `l` (by position in its round), if any.
fn person(l: &Laptop, p: usize) -> Option<i64> {
    let round = round_of(l)?;
    let data = l.store.round_data(round).unwrap();
    let n = data.respondents.len();
    (n > 0).then(|| data.respondents[p % n].id)
}

fn apply(laptops: &mut [Laptop], now: &Arc<AtomicI64>, op: &Op) {
    now.fetch_add(700, Ordering::SeqCst);
    let questions = ["A1", "A2", "B1", "B2"];
    let roles = ["executive", "manager", "front-line"];
    // Refusals (a closed round, a name taken) are the app's rules: the laptop's user
    // sees them and nothing changes.
    match *op {
        Op::Add(l, n, r) => {
            if let Some(round) = round_of(&laptops[l]) {
                let _ = laptops[l]
                    .store
                    .add_respondent(round, respondent(&format!("R-0{n}"), roles[r]));
            }
        }
        Op::Answer(l, p, q, a) => {
            if let Some(id) = person(&laptops[l], p) {
                let _ = laptops[l].store.set_answer(id, questions[q], a.map(answer));
            }
        }
        Op::Note(l, p, q, n) => {
            if let Some(id) = person(&laptops[l], p) {
                let _ = laptops[l]
                    .store
                    .set_note(id, questions[q], n.map(|n| format!("note {n}")));
            }
        }
        Op::Remove(l, p) => {
            if let Some(id) = person(&laptops[l], p) {
                let _ = laptops[l].store.remove_respondent(id);
            }
        }
        Op::Close(l) => {
            if let Some(round) = round_of(&laptops[l]) {
                laptops[l].store.close_round(round).unwrap();
            }
        }
        Op::Reopen(l) => {
            if let Some(round) = round_of(&laptops[l]) {
                laptops[l].store.reopen_round(round).unwrap();
            }
        }
        Op::Skew(l, s) => laptops[l].skew.store(s, Ordering::SeqCst),
        Op::Exchange(a, b) if a != b => {
            exchange(laptops, a, b);
        }
        Op::Exchange(..) => {}
        Op::Plan(l, q) => {
            let laptop = &mut laptops[l];
            laptop
                .store
                .add_plan_items(
                    laptop.org,
                    &[cxm_store::plan::NewPlanItem {
                        title: format!("Move {}", questions[q]),
                        block: if q < 2 { "a" } else { "b" }.into(),
                        question: Some(questions[q].into()),
                        owner: None,
                        due: None,
                        effort: None,
                        status: cxm_domain::plan::PlanStatus::Planned,
                        notes: None,
                        planned_from: None,
                    }],
                )
                .unwrap();
        }
        Op::PlanStatus(l, p, s) => {
            let laptop = &mut laptops[l];
            let plan = laptop.store.plan(laptop.org).unwrap();
            if !plan.is_empty() {
                let id = plan[p % plan.len()].id;
                let change = cxm_store::plan::PlanChange {
                    status: Some(cxm_domain::plan::PlanStatus::ALL[s]),
                    owner: Some(Some(format!("Owner {s}"))),
                    ..Default::default()
                };
                laptop.store.update_plan_item(id, &change).unwrap();
            }
        }
        Op::PlanDelete(l, p) => {
            let laptop = &mut laptops[l];
            let plan = laptop.store.plan(laptop.org).unwrap();
            if !plan.is_empty() {
                laptop
                    .store
                    .delete_plan_item(plan[p % plan.len()].id)
                    .unwrap();
            }
        }
    }
}

fn config() -> ProptestConfig {
    ProptestConfig {
        // `CXM_MERGE_CASES=2000` for a long run.
        cases: std::env::var("CXM_MERGE_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(40),
        max_shrink_iters: 400,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// Whatever the three laptops do and in whatever order they exchange files, once
    /// every laptop has merged every other's file they hold the same rounds,
    /// respondents, answers, notes and results; and exchanging again changes nothing.
    #[test]
    fn three_laptops_converge(
        ops in proptest::collection::vec(op(), 1..45),
        order in Just(()).prop_perturb(|_, mut rng| {
            let mut pairs: Vec<(usize, usize)> =
                (0..3).flat_map(|a| (0..3).map(move |b| (a, b))).filter(|(a, b)| a != b).collect();
            for i in (1..pairs.len()).rev() {
                pairs.swap(i, (rng.next_u32() as usize) % (i + 1));
            }
            pairs
        }),
    ) {
        let now = world();
        let mut laptops = three_laptops(&now);
        for op in &ops {
            apply(&mut laptops, &now, op);
        }
        // Everyone's changes reach everyone: two passes in a random order.
        for _ in 0..2 {
            for &(a, b) in &order {
                exchange(&mut laptops, a, b);
            }
        }
        let first = content(&laptops[0]);
        for l in &laptops[1..] {
            prop_assert_eq!(&content(l), &first);
        }
        // A third pass changes nothing anywhere.
        for &(a, b) in &order {
            let done = exchange(&mut laptops, a, b);
            prop_assert!(!done.changed, "{:?}", done);
        }
        prop_assert_eq!(&content(&laptops[2]), &first);
    }
}

fn answer_of(l: &Laptop, name: &str, q: &str) -> Option<Answer> {
    let data = l.store.round_data(round_of(l).unwrap()).unwrap();
    let qi = data.model.question_index(q).unwrap();
    data.respondents
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.answers.answers[qi])
}

fn id_of(l: &Laptop, name: &str) -> i64 {
    let data = l.store.round_data(round_of(l).unwrap()).unwrap();
    data.respondents.iter().find(|p| p.name == name).unwrap().id
}

#[test]
fn a_concurrent_edit_is_reported_once_the_latest_kept_and_the_other_in_the_history() {
    let now = world();
    let mut l = three_laptops(&now);
    let round = round_of(&l[0]).unwrap();
    let ana = l[0]
        .store
        .add_respondent(round, respondent("Ana", "executive"))
        .unwrap();
    l[0].store
        .set_answer(ana, "A1", Some(Answer::Scale(2)))
        .unwrap();
    exchange(&mut l, 0, 1);
    // Both change the same answer before exchanging again: B's change is later.
    now.fetch_add(1000, Ordering::SeqCst);
    l[0].store
        .set_answer(ana, "A1", Some(Answer::Scale(3)))
        .unwrap();
    now.fetch_add(1000, Ordering::SeqCst);
    let ana_b = id_of(&l[1], "Ana");
    l[1].store
        .set_answer(ana_b, "A1", Some(Answer::Scale(4)))
        .unwrap();

    let done = exchange(&mut l, 1, 0);
    assert_eq!(done.concurrent.len(), 1, "{done:?}");
    let c = &done.concurrent[0];
    assert_eq!((c.respondent.as_str(), c.question.as_str()), ("Ana", "A1"));
    assert_eq!(c.kept.answer.as_deref(), Some("4"));
    assert_eq!(c.replaced.len(), 1);
    assert_eq!(c.replaced[0].answer.as_deref(), Some("3"));
    assert_eq!(answer_of(&l[0], "Ana", "A1"), Some(Answer::Scale(4)));
    // The other laptop learns of it too, once; C (which changed nothing) as well.
    let back = exchange(&mut l, 0, 1);
    assert_eq!(back.concurrent.len(), 1, "{back:?}");
    assert_eq!(answer_of(&l[1], "Ana", "A1"), Some(Answer::Scale(4)));
    assert!(exchange(&mut l, 0, 1).concurrent.is_empty());
    assert!(exchange(&mut l, 1, 0).concurrent.is_empty());

    // The history: 4 (current, concurrent), 3 (concurrent), 2.
    let history = l[0].store.answer_history(ana, "A1").unwrap();
    let values: Vec<(Option<Answer>, bool, bool)> = history
        .iter()
        .map(|v| (v.answer, v.current, v.concurrent))
        .collect();
    assert_eq!(
        values,
        [
            (Some(Answer::Scale(4)), true, true),
            (Some(Answer::Scale(3)), false, true),
            (Some(Answer::Scale(2)), false, false),
        ]
    );
    assert!(!history[0].by_this && history[1].by_this);

    // A change made after seeing the other's wins, even on a clock far behind.
    l[0].skew.store(-3_600_000, Ordering::SeqCst);
    l[0].store
        .set_answer(ana, "A1", Some(Answer::Scale(1)))
        .unwrap();
    let done = exchange(&mut l, 0, 1);
    assert!(done.concurrent.is_empty(), "{done:?}");
    assert_eq!(answer_of(&l[1], "Ana", "A1"), Some(Answer::Scale(1)));
}

#[test]
fn a_deleted_respondent_or_round_never_comes_back() {
    let now = world();
    let mut l = three_laptops(&now);
    let round = round_of(&l[0]).unwrap();
    let ana = l[0]
        .store
        .add_respondent(round, respondent("Ana", "executive"))
        .unwrap();
    l[0].store
        .set_answer(ana, "A1", Some(Answer::Scale(2)))
        .unwrap();
    exchange(&mut l, 0, 1);
    exchange(&mut l, 0, 2);
    // C deletes Ana; B, not knowing, changes her answer.
    let ana_c = id_of(&l[2], "Ana");
    l[2].store.remove_respondent(ana_c).unwrap();
    let ana_b = id_of(&l[1], "Ana");
    now.fetch_add(5000, Ordering::SeqCst);
    l[1].store
        .set_answer(ana_b, "A1", Some(Answer::Scale(4)))
        .unwrap();
    let done = exchange(&mut l, 2, 1);
    assert_eq!(done.round_changes[0].respondents_deleted, 1, "{done:?}");
    exchange(&mut l, 1, 0);
    exchange(&mut l, 1, 2);
    exchange(&mut l, 0, 2);
    for laptop in &l {
        let data = laptop.store.round_data(round_of(laptop).unwrap()).unwrap();
        assert!(data.respondents.is_empty(), "{:?}", data.respondents);
    }
    // A round deleted on one laptop goes on every laptop, and stays gone.
    let old = l[0].store.export_engagement(l[0].org).unwrap();
    let r0 = round_of(&l[0]).unwrap();
    l[0].store.delete_round(r0).unwrap();
    let done = exchange(&mut l, 0, 1);
    assert!(done.round_changes.iter().any(|c| c.deleted), "{done:?}");
    assert!(round_of(&l[1]).is_none());
    let again = l[1].store.import_engagement(old.as_bytes()).unwrap();
    assert!(!again.changed, "{again:?}");
    assert!(round_of(&l[1]).is_none());
}

#[test]
fn two_files_merged_in_either_order_give_the_same_content() {
    let now = world();
    let mut l = three_laptops(&now);
    for (i, name) in ["Ana", "Ben", "Cleo"].iter().enumerate() {
        let round = round_of(&l[i]).unwrap();
        let p = l[i]
            .store
            .add_respondent(round, respondent(name, "manager"))
            .unwrap();
        l[i].store
            .set_answer(p, "B1", Some(Answer::Scale(i as u8 + 1)))
            .unwrap();
        l[i].store
            .set_note(p, "B2", Some(format!("said by {name}")))
            .unwrap();
        now.fetch_add(10, Ordering::SeqCst);
    }
    // B and C both go to A, in two orders, starting from the same A.
    let fb = l[1].store.export_engagement(l[1].org).unwrap();
    let fc = l[2].store.export_engagement(l[2].org).unwrap();
    let fa = l[0].store.export_engagement(l[0].org).unwrap();
    let (mut x, _) = laptop(&now);
    let (mut y, _) = laptop(&now);
    let org_x = x.import_engagement(fa.as_bytes()).unwrap().organisation;
    let org_y = y.import_engagement(fa.as_bytes()).unwrap().organisation;
    x.import_engagement(fb.as_bytes()).unwrap();
    x.import_engagement(fc.as_bytes()).unwrap();
    y.import_engagement(fc.as_bytes()).unwrap();
    y.import_engagement(fb.as_bytes()).unwrap();
    let x = Laptop {
        store: x,
        org: org_x,
        skew: world(),
    };
    let y = Laptop {
        store: y,
        org: org_y,
        skew: world(),
    };
    assert_eq!(content(&x), content(&y));
    assert_eq!(
        round_data_people(&x),
        ["Ana", "Ben", "Cleo"].map(String::from).to_vec()
    );
}

fn round_data_people(l: &Laptop) -> Vec<String> {
    let data = l.store.round_data(round_of(l).unwrap()).unwrap();
    let mut names: Vec<String> = data.respondents.iter().map(|p| p.name.clone()).collect();
    names.sort();
    names
}

#[test]
fn two_interviewers_each_adding_r01_keep_two_respondents_and_are_told() {
    let now = world();
    let mut l = three_laptops(&now);
    for (i, laptop) in l.iter_mut().take(2).enumerate() {
        let round = round_of(laptop).unwrap();
        let p = laptop
            .store
            .add_respondent(round, respondent("R-01", "executive"))
            .unwrap();
        laptop
            .store
            .set_answer(p, "A1", Some(Answer::Scale(i as u8)))
            .unwrap();
    }
    let done = exchange(&mut l, 1, 0);
    assert_eq!(done.round_changes[0].respondents_added, 1);
    assert!(
        done.warnings[0].contains("2 respondents named “R-01”"),
        "{:?}",
        done.warnings
    );
    assert_eq!(round_data_people(&l[0]), ["R-01", "R-01"]);
}

#[test]
fn a_note_typed_in_pauses_is_one_version_until_it_leaves_the_laptop() {
    let now = world();
    let mut l = three_laptops(&now);
    let round = round_of(&l[0]).unwrap();
    let p = l[0]
        .store
        .add_respondent(round, respondent("Ana", "executive"))
        .unwrap();
    for text in ["Board", "Board pack", "Board pack has a customer page"] {
        now.fetch_add(900, Ordering::SeqCst);
        l[0].store.set_note(p, "A1", Some(text.into())).unwrap();
    }
    let history = l[0].store.answer_history(p, "A1").unwrap();
    assert_eq!(history.len(), 1, "{history:?}");
    // Once a file was written, the next change is a new version.
    exchange(&mut l, 0, 1);
    now.fetch_add(900, Ordering::SeqCst);
    l[0].store
        .set_note(
            p,
            "A1",
            Some("Board pack has a customer page monthly".into()),
        )
        .unwrap();
    assert_eq!(l[0].store.answer_history(p, "A1").unwrap().len(), 2);
    let done = exchange(&mut l, 0, 1);
    assert!(done.concurrent.is_empty() && done.changed, "{done:?}");
}

#[test]
fn a_file_written_by_a_newer_format_or_damaged_changes_nothing_and_format_1_still_imports() {
    let now = world();
    let l = three_laptops(&now);
    let file = l[0].store.export_engagement(l[0].org).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&file).unwrap();
    assert_eq!(doc["format_version"], 2);
    assert!(doc["installation"]["id"].is_string());
    let old = crate::engagement::as_format_1(&file);
    let (_dir, _path, mut target) = file_store();
    let done = target.import_engagement(old.as_bytes()).unwrap();
    assert!(!done.merged && done.format_version == 1);
    let again = target.import_engagement(old.as_bytes()).unwrap();
    assert_ne!(
        again.organisation, done.organisation,
        "format 1: a copy each time"
    );
}

#[test]
fn a_survey_export_imported_on_two_laptops_counts_each_submission_once() {
    let now = world();
    let mut l = three_laptops(&now);
    let model = l[0]
        .store
        .model_for_round(round_of(&l[0]).unwrap())
        .unwrap();
    // Both import the same ODK export (instance ids k1, k2); the second laptop a later
    // one with k3 too.
    let csv = |rows: &str| {
        cxm_domain::responses_csv::parse(&model, format!("respondent,role,A1\n{rows}").as_bytes())
            .unwrap()
    };
    let first = csv("S-1,executive,4\nS-2,manager,3\n");
    let later = csv("S-1,executive,4\nS-2,manager,3\nS-3,front-line,1\n");
    let keys = |n: usize| (1..=n).map(|i| format!("uuid:k{i}")).collect::<Vec<_>>();
    let r0 = round_of(&l[0]).unwrap();
    let r1 = round_of(&l[1]).unwrap();
    l[0].store.import_keyed(r0, &first, &keys(2)).unwrap();
    l[1].store.import_keyed(r1, &later, &keys(3)).unwrap();
    let done = exchange(&mut l, 1, 0);
    assert!(
        done.warnings
            .iter()
            .any(|w| w.contains("the same survey submission")),
        "{:?}",
        done.warnings
    );
    exchange(&mut l, 0, 1);
    exchange(&mut l, 0, 2);
    exchange(&mut l, 1, 2);
    for laptop in &l {
        assert_eq!(round_data_people(laptop), ["S-1", "S-2", "S-3"]);
    }
    assert_eq!(content(&l[0]), content(&l[1]));
    assert_eq!(content(&l[0]), content(&l[2]));
    // The export again on the first laptop: everything is there already.
    let again = l[0].store.import_keyed(r0, &later, &keys(3)).unwrap();
    assert_eq!((again.respondents, again.already.len()), (0, 3));
}
