//! The scale target of PRODUCT.md: 200 organisations × 10 rounds × 50 respondents ×
//! 60 questions (6 million answers). Ignored by default (it builds a ~0.5 GB file);
//! run it with
//! `cargo test -p cxm-store --test it -- --ignored --nocapture large_database`.
//! Set `CXM_PERF_DB` to keep (and reuse) the database file; `CXM_PERF_ORGS` to scale.

use std::path::PathBuf;
use std::time::Instant;

use cxm_domain::Answer;
use cxm_domain::responses_csv::{ParsedResponses, ParsedRow};
use cxm_store::Store;

use crate::common::*;

#[test]
#[ignore = "builds a 6-million-answer database; run explicitly"]
fn large_database() {
    let orgs: usize = std::env::var("CXM_PERF_ORGS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let dir = tempfile::tempdir().unwrap();
    let path = std::env::var_os("CXM_PERF_DB")
        .map(PathBuf::from)
        .unwrap_or_else(|| dir.path().join("big.sqlite"));

    if !path.exists() {
        let start = Instant::now();
        let mut store = Store::open(&path).unwrap();
        let model = store.model_by_key("cx-maturity").unwrap().1;
        let mut seed = 1u64;
        for o in 0..orgs {
            let org = store
                .add_organisation(&format!("Organisation {o:03}"))
                .unwrap();
            for r in 0..10 {
                let round = store
                    .add_round(new_round(
                        org,
                        &format!("Round {r}"),
                        date(2016 + r, 3, 1),
                        None,
                    ))
                    .unwrap();
                let rows = (0..50)
                    .map(|p| ParsedRow {
                        line: p as u64 + 2,
                        respondent: format!("P{p:02}"),
                        role_group: p % 3,
                        department: None,
                        answers: (0..model.questions.len())
                            .map(|q| {
                                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                                (q, Answer::Scale(((seed >> 33) % 5) as u8))
                            })
                            .collect(),
                    })
                    .collect();
                let parsed = ParsedResponses {
                    columns: (0..model.questions.len()).collect(),
                    rows,
                };
                store.import_responses(round, &parsed).unwrap();
            }
        }
        eprintln!("built {orgs} organisations in {:?}", start.elapsed());
    }

    let t = Instant::now();
    let store = Store::open(&path).unwrap();
    eprintln!("open: {:?}", t.elapsed());
    let t = Instant::now();
    let listed = store.organisations(false).unwrap();
    eprintln!(
        "organisations(false), {} orgs: {:?}",
        listed.len(),
        t.elapsed()
    );
    let t = Instant::now();
    let rounds = store.rounds(None).unwrap();
    eprintln!("rounds(None), {} rounds: {:?}", rounds.len(), t.elapsed());
    let round = rounds[rounds.len() / 2].id;
    for _ in 0..3 {
        let t = Instant::now();
        let data = store.round_data(round).unwrap();
        let round_data = t.elapsed();
        let t = Instant::now();
        let (_, results) = store.results(round).unwrap();
        eprintln!(
            "round_data ({} respondents): {round_data:?}; results: {:?} (phase {})",
            data.respondents.len(),
            t.elapsed(),
            results.organisation_phase
        );
    }
    let mut store = store;
    let data = store.round_data(round).unwrap();
    let r = data.respondents[0].id;
    let q = data.model.questions[0].id.clone();
    let mut times = Vec::new();
    for i in 0..200 {
        let t = Instant::now();
        store
            .set_answer(r, &q, Some(Answer::Scale((i % 5) as u8)))
            .unwrap();
        times.push(t.elapsed());
    }
    times.sort();
    eprintln!(
        "set_answer: median {:?}, p99 {:?}",
        times[times.len() / 2],
        times[times.len() * 99 / 100]
    );
}
