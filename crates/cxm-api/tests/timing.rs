//! `Api::set_answer` timed over 200 answers: the IPC path of an answer minus the web
//! view (parse, write in one transaction with the round's summary, read the progress).
//! A measurement, not a test: `cargo test -p cxm-api
//! --test timing -- --ignored --nocapture`.
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use std::time::Instant;

use cxm_api::Api;
use cxm_api::wire::{NewRoundInput, RespondentInput};

#[test]
#[ignore = "a measurement; run it with --ignored --nocapture"]
fn set_answer_p50_p99_over_200_answers() {
    let dir = tempfile::tempdir().unwrap();
    let api = Api::open(Some(dir.path().join("cxm.sqlite")));
    // A realistic round: the demo's organisation gets a new round with 12 people.
    let org = api.load_demo().unwrap();
    let round = api
        .create_round(NewRoundInput {
            organisation: org,
            title: "Timing".into(),
            date: "2030-01-01".into(),
            target_phase: None,
            model: None,
            copy_respondents_from: None,
        })
        .unwrap();
    let people: Vec<i64> = (0..12)
        .map(|i| {
            api.add_respondent(
                round,
                RespondentInput {
                    name: format!("P{i}"),
                    role_group: ["executive", "manager", "front-line"][i % 3].into(),
                    department: None,
                    interview_date: None,
                },
            )
            .unwrap()
        })
        .collect();
    let ids: Vec<String> = api
        .questionnaire(people[0])
        .unwrap()
        .model
        .questions
        .iter()
        .map(|q| q.id.clone())
        .collect();
    let mut times = Vec::with_capacity(200);
    for i in 0..200 {
        // Three full interviews and part of a fourth, as a consultant would.
        let who = people[i / ids.len()];
        let id = &ids[i % ids.len()];
        let value = ["0", "1", "2", "3", "4", "dk", "na"][i % 7];
        let start = Instant::now();
        api.set_answer(who, id, Some(value)).unwrap();
        times.push(start.elapsed());
    }
    times.sort();
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    println!(
        "set_answer over {} answers: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        times.len(),
        ms(times[times.len() / 2]),
        ms(times[times.len() * 99 / 100 - 1]),
        ms(times[times.len() - 1])
    );
}
