//! `cxm-bench [DIR] [--orgs N] [--rounds N] [--respondents N]`: builds a database of
//! organisations × rounds × respondents × 60 questions (default 200 × 10 × 50 = 6
//! million answers) and measures what a user waits for. Run it through
//! `scripts/bench-store.sh` (release build). Prints a Markdown table.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use cxm_domain::{Answer, Model, responses_csv, score};
use cxm_store::{NewRound, RespondentImport, Store};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

fn arg(args: &[String], name: &str, default: usize) -> usize {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn answer(rng: &mut fastrand::Rng, level: f64, phase: u32) -> Option<Answer> {
    let r = rng.f64();
    if r < 0.03 {
        return Some(Answer::DontKnow);
    }
    let v =
        (4.0 * (level - f64::from(phase) + 1.0).clamp(0.0, 1.0) + rng.f64() * 1.6 - 0.8).round();
    Some(Answer::Scale(v.clamp(0.0, 4.0) as u8))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = args
        .get(1)
        .filter(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let orgs = arg(&args, "--orgs", 200);
    let rounds = arg(&args, "--rounds", 10);
    let people = arg(&args, "--respondents", 50);
    let path = dir.join("cxm-bench.sqlite");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }

    let model = Model::default_model();
    let mut rng = fastrand::Rng::with_seed(7);
    let start = NaiveDate::from_ymd_opt(2020, 1, 15).expect("valid date");

    // Build.
    let (last_round, build) = timed(|| {
        let mut store = Store::open(&path).expect("open");
        let mut last = 0;
        for o in 0..orgs {
            let org = store
                .add_organisation(&format!("Organisation {o:03}"))
                .expect("org");
            for r in 0..rounds {
                let round = store
                    .add_round(NewRound {
                        organisation: org,
                        title: format!("Round {}", r + 1),
                        date: start + chrono::Months::new(6 * r as u32),
                        target_phase: None,
                        model: None,
                    })
                    .expect("round");
                let level = 1.0 + (o % 4) as f64 * 0.5 + r as f64 * 0.25;
                let respondents: Vec<RespondentImport> = (0..people)
                    .map(|p| RespondentImport {
                        name: format!("R{p:03}"),
                        role_group: model.role_groups[p % 3].id.clone(),
                        department: None,
                        interview_date: None,
                        answers: model
                            .questions
                            .iter()
                            .map(|q| (q.id.clone(), answer(&mut rng, level, q.phase), None))
                            .collect(),
                    })
                    .collect();
                store
                    .import_respondents(round, &respondents)
                    .expect("import");
                last = round;
            }
        }
        last
    });
    let answers = orgs * rounds * people * model.questions.len();
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0)
        + std::fs::metadata(format!("{}-wal", path.display()))
            .map(|m| m.len())
            .unwrap_or(0);

    // Open (cold process state: a fresh connection each time).
    let open_times: Vec<Duration> = (0..7)
        .map(|_| timed(|| Store::open(&path).expect("open")).1)
        .collect();
    let store = Store::open(&path).expect("open");
    let list_times: Vec<Duration> = (0..7)
        .map(|_| {
            let (list, t) = timed(|| store.organisations(false).expect("list"));
            assert_eq!(list.len(), orgs);
            assert!(
                list.iter()
                    .all(|o| o.rounds.iter().all(|r| r.phase.is_some()))
            );
            t
        })
        .collect();
    let result_times: Vec<Duration> = (0..7)
        .map(|i| {
            let round = last_round - (i as i64 * 37) % (orgs * rounds) as i64;
            timed(|| {
                let data = store.round_data(round).expect("round");
                let respondents: Vec<_> =
                    data.respondents.iter().map(|r| r.answers.clone()).collect();
                score(&data.model, &respondents)
            })
            .1
        })
        .collect();
    drop(store);

    // A 500-respondent CSV into a new round of the first organisation.
    let mut csv = String::from("respondent,role,department");
    for q in &model.questions {
        csv.push(',');
        csv.push_str(&q.id);
    }
    csv.push('\n');
    for p in 0..500 {
        csv.push_str(&format!(
            "P{p:04},{},Dept {}",
            model.role_groups[p % 3].id,
            p % 7
        ));
        for q in &model.questions {
            csv.push(',');
            if let Some(a) = answer(&mut rng, 2.5, q.phase) {
                csv.push_str(&a.to_string());
            }
        }
        csv.push('\n');
    }
    let mut store = Store::open(&path).expect("open");
    let round = store
        .add_round(NewRound {
            organisation: 1,
            title: "Survey".into(),
            date: start,
            target_phase: None,
            model: None,
        })
        .expect("round");
    let (_, import) = timed(|| {
        let parsed = responses_csv::parse(&model, csv.as_bytes()).expect("valid CSV");
        store.import_responses(round, &parsed).expect("import")
    });

    println!("| measure | result |");
    println!("|---|---|");
    println!(
        "| database | {orgs} organisations × {rounds} rounds × {people} respondents × {} questions = {answers} answers |",
        model.questions.len()
    );
    println!("| build | {:.1} s |", build.as_secs_f64());
    println!("| file size | {:.0} MB |", size as f64 / 1e6);
    println!("| open (median of 7) | {} |", ms(median(open_times)));
    println!(
        "| list organisations with each round's phase (median of 7) | {} |",
        ms(median(list_times))
    );
    println!(
        "| one round's results: load + score (median of 7) | {} |",
        ms(median(result_times))
    );
    println!(
        "| import a 500-respondent CSV (parse + write + summary) | {} |",
        ms(import)
    );
}
