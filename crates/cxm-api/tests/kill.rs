//! The app's own answer path under kill -9: the `Api` runs in a child process (this test
//! binary run again as a worker) answering questions as fast as it can and saying on
//! standard output which answer each reply confirmed; the test kills it at a random
//! moment, then checks that the database is whole, that every confirmed answer is
//! stored, and that each round's summary agrees with its answers.
//!
//! `CXM_KILL_CASES` kills (default 6; more for a long run).
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use cxm_api::Api;
use cxm_api::wire::{NewRoundInput, RespondentInput};
use cxm_store::Store;

const WORKER: &str = "CXM_KILL_WORKER_DB";
const VALUES: [&str; 7] = ["0", "1", "2", "3", "4", "dk", "na"];

/// The worker: answers question after question through the `Api`, printing
/// `respondent question value` after each reply (the moment the UI is told it is saved).
fn work(db: &Path) {
    let api = Api::open(Some(db.to_path_buf()));
    let orgs = api.list_organisations(false).unwrap();
    let org = orgs[0].id;
    let round = api
        .create_round(NewRoundInput {
            organisation: org,
            title: format!("Kill {}", std::process::id()),
            date: "2031-01-01".into(),
            target_phase: None,
            model: None,
            copy_respondents_from: None,
        })
        .unwrap();
    let who = api
        .add_respondent(
            round,
            RespondentInput {
                name: format!("Worker {}", std::process::id()),
                role_group: "manager".into(),
                department: Some("Ops".into()),
                interview_date: None,
            },
        )
        .unwrap();
    let ids: Vec<String> = api
        .questionnaire(who)
        .unwrap()
        .model
        .questions
        .iter()
        .map(|q| q.id.clone())
        .collect();
    for i in 0.. {
        let q = &ids[i % ids.len()];
        let v = VALUES[i % VALUES.len()];
        api.set_answer(who, q, Some(v)).unwrap();
        println!("{who} {q} {v}");
    }
}

#[test]
fn answers_confirmed_before_a_kill_are_stored_and_the_summary_agrees() {
    if let Ok(db) = std::env::var(WORKER) {
        work(Path::new(&db));
        return;
    }
    let cases: usize = std::env::var("CXM_KILL_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(6);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cxm.sqlite");
    Api::open(Some(db.clone())).load_demo().unwrap();
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    for case in 0..cases {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = Duration::from_millis(150 + seed % 600);
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "answers_confirmed_before_a_kill_are_stored_and_the_summary_agrees",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(WORKER, &db)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter(|l| l.split(' ').count() == 3)
                .collect::<Vec<String>>()
        });
        std::thread::sleep(delay);
        child.kill().unwrap();
        child.wait().unwrap();
        let confirmed = reader.join().unwrap();

        let store = Store::open(&db).unwrap();
        store.check_integrity().unwrap();
        store.verify_content().unwrap();
        if let Some(last) = confirmed.last() {
            let mut parts = last.split(' ');
            let who: i64 = parts.next().unwrap().parse().unwrap();
            let (q, v) = (parts.next().unwrap(), parts.next().unwrap());
            let round = store.respondent_round(who).unwrap();
            let data = store.round_data(round).unwrap();
            let person = data.respondents.iter().find(|r| r.id == who).unwrap();
            let i = data.model.question_index(q).unwrap();
            assert_eq!(
                person.answers.answers[i].map(|a| a.to_string()).as_deref(),
                Some(v),
                "case {case}: the last confirmed answer ({last}) was lost"
            );
        }
        for round in store.rounds(None).unwrap() {
            let (_, results) = store.results(round.id).unwrap();
            let data = store.round_data(round.id).unwrap();
            let answered = data.scoring_respondents().iter().any(|r| r.answered() > 0);
            let (phase, respondents) = if answered {
                (Some(results.organisation_phase), results.respondents)
            } else {
                (None, data.respondents.len() as u32)
            };
            assert_eq!(
                (round.phase, round.respondents),
                (phase, respondents),
                "case {case}: round {} summary",
                round.id
            );
        }
        eprintln!(
            "case {case}: killed after {delay:?}, {} answers confirmed",
            confirmed.len()
        );
    }
}
