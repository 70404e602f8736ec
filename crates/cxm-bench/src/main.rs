//! `cxm-bench [DIR] [--orgs N] [--rounds N] [--respondents N] [--csv-rows N,N,…]
//! [--only database|csv]`: builds a database of organisations × rounds × respondents ×
//! 60 questions (default 200 × 10 × 50 = 6 million answers) and measures what a user
//! waits for; then imports large responses CSVs (default 5,000, 20,000 and 100,000
//! rows) into fresh databases the way `cxm import-responses` does. Run it through
//! `scripts/bench-store.sh` (release build). Prints Markdown tables.
//!
//! Each CSV import runs in a child process of its own (`cxm-bench --csv-child DIR
//! ROWS`), so its peak resident memory (`VmHWM` of `/proc/self/status`) is its own.

use std::path::{Path, PathBuf};
use std::process::Command;
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
    if args.get(1).map(String::as_str) == Some("--csv-child") {
        let dir = PathBuf::from(args.get(2).expect("--csv-child DIR ROWS"));
        let rows = args
            .get(3)
            .and_then(|r| r.parse().ok())
            .expect("--csv-child DIR ROWS");
        csv_child(&dir, rows);
        return;
    }
    let dir = args
        .get(1)
        .filter(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .map(String::as_str);
    let csv_rows: Vec<usize> = args
        .iter()
        .position(|a| a == "--csv-rows")
        .and_then(|i| args.get(i + 1))
        .map(|v| {
            v.split(',')
                .map(|n| {
                    n.trim()
                        .parse()
                        .expect("--csv-rows takes numbers: 5000,20000")
                })
                .collect()
        })
        .unwrap_or_else(|| vec![5_000, 20_000, 100_000]);
    if only == Some("merge") {
        merge(&dir, arg(&args, "--respondents", 5_000));
        return;
    }
    if only != Some("csv") {
        database(&dir, &args);
    }
    if only != Some("database") {
        csv_imports(&dir, &csv_rows);
    }
}

/// Engagement files merging (issue 14): one round of `people` respondents × 60
/// questions exported, imported into a fresh database (a new organisation), merged
/// again (nothing new), and merged after 200 answers changed on the other laptop.
fn merge(dir: &Path, people: usize) {
    let model = Model::default_model();
    let mut rng = fastrand::Rng::with_seed(11);
    let fresh = |name: &str| {
        let path = dir.join(name);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        Store::open(&path).expect("open")
    };
    let mut a = fresh("merge-a.sqlite");
    let org = a.add_organisation("Merge benchmark").expect("org");
    let round = a
        .add_round(NewRound {
            organisation: org,
            title: "Baseline".into(),
            date: NaiveDate::from_ymd_opt(2026, 1, 15).expect("valid date"),
            target_phase: None,
            model: None,
        })
        .expect("round");
    let respondents: Vec<RespondentImport> = (0..people)
        .map(|p| RespondentImport {
            name: format!("R{p:05}"),
            role_group: model.role_groups[p % 3].id.clone(),
            department: None,
            interview_date: None,
            answers: model
                .questions
                .iter()
                .map(|q| (q.id.clone(), answer(&mut rng, 2.5, q.phase), None))
                .collect(),
        })
        .collect();
    a.import_respondents(round, &respondents).expect("import");
    let (file, export) = timed(|| a.export_engagement(org).expect("export"));
    let mut b = fresh("merge-b.sqlite");
    let (first, import) = timed(|| b.import_engagement(file.as_bytes()).expect("import"));
    let (again, same) = timed(|| b.import_engagement(file.as_bytes()).expect("merge"));
    assert!(
        !again.changed,
        "merging the same file again changed something"
    );
    // 200 answers changed on A, then merged into B.
    let data = a.round_data(round).expect("round");
    for i in 0..200 {
        let p = &data.respondents[(i * 37) % data.respondents.len()];
        let q = &model.questions[(i * 13) % model.questions.len()];
        a.set_answer(p.id, &q.id, Some(Answer::Scale((i % 5) as u8)))
            .expect("answer");
    }
    let changed_file = a.export_engagement(org).expect("export");
    let (merged, incremental) =
        timed(|| b.import_engagement(changed_file.as_bytes()).expect("merge"));
    println!("### Engagement files merging ({people} respondents × 60 questions)\n");
    println!("| step | time |");
    println!("|---|---|");
    println!(
        "| export (format 2, {:.1} MB) | {} |",
        file.len() as f64 / 1e6,
        ms(export)
    );
    println!(
        "| import into a fresh database ({} respondents, {} answers) | {} |",
        first.respondents,
        first.answers,
        ms(import)
    );
    println!("| merge the same file again (nothing new) | {} |", ms(same));
    println!(
        "| merge after 200 answers changed on the other laptop ({} changed) | {} |",
        merged
            .round_changes
            .iter()
            .map(|c| c.answers_changed + c.answers_added)
            .sum::<u32>(),
        ms(incremental)
    );
}

/// The 6-million-answer database: build, open, list, results, a 500-row import.
fn database(dir: &Path, args: &[String]) {
    let orgs = arg(args, "--orgs", 200);
    let rounds = arg(args, "--rounds", 10);
    let people = arg(args, "--respondents", 50);
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
    let csv = responses_csv_text(&model, 500, &mut rng);
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

/// A responses CSV of `rows` respondents answering every question of `model` (3% don't
/// know), as a survey tool exports it: one name in ten quoted with a comma and an
/// accent, one in a hundred with a decomposed accent, a department on every row.
fn responses_csv_text(model: &Model, rows: usize, rng: &mut fastrand::Rng) -> String {
    let mut csv = String::from("respondent,role,department");
    for q in &model.questions {
        csv.push(',');
        csv.push_str(&q.id);
    }
    csv.push('\n');
    for p in 0..rows {
        let name = match p % 100 {
            0 => format!("Toma\u{301}s Ortega {p:06}"),
            n if n % 10 == 0 => format!("\"Ortega, José {p:06}\""),
            _ => format!("P{p:06}"),
        };
        csv.push_str(&format!(
            "{name},{},Dept {}",
            model.role_groups[p % model.role_groups.len()].id,
            p % 7
        ));
        let level = 1.0 + (p % 9) as f64 * 0.4;
        for q in &model.questions {
            csv.push(',');
            if let Some(a) = answer(rng, level, q.phase) {
                csv.push_str(&a.to_string());
            }
        }
        csv.push('\n');
    }
    csv
}

/// Peak resident memory of this process so far, in bytes (Linux: `VmHWM`).
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// CPU time this thread has run so far (Linux: `/proc/thread-self/schedstat`), which,
/// unlike the wall clock, does not grow while other processes hold the cores.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// `f`'s wall-clock and CPU time.
fn timed_cpu<T>(f: impl FnOnce() -> T) -> (T, Duration, Option<Duration>) {
    let cpu = cpu_time();
    let (out, wall) = timed(f);
    let used = cpu.zip(cpu_time()).map(|(a, b)| b.saturating_sub(a));
    (out, wall, used)
}

/// One CSV import, in this (child) process: read `DIR/responses-ROWS.csv`, open a fresh
/// database, add an organisation and a round, then parse and import exactly as `cxm
/// import-responses` does. Then, for the share of the import the summary refresh
/// takes, the round is loaded and scored once more (what the refresh does) and timed.
/// Prints `key=value` pairs on one line (times in seconds, memory in bytes, -1 when
/// unknown).
fn csv_child(dir: &Path, rows: usize) {
    let csv_path = dir.join(format!("responses-{rows}.csv"));
    let db = dir.join(format!("import-{rows}.sqlite"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let data = std::fs::read(&csv_path).expect("read the CSV");
    let mut store = Store::open(&db).expect("open");
    let org = store.add_organisation("Survey").expect("org");
    let round = store
        .add_round(NewRound {
            organisation: org,
            title: "Survey".into(),
            date: NaiveDate::from_ymd_opt(2026, 1, 15).expect("valid date"),
            target_phase: None,
            model: None,
        })
        .expect("round");
    let model = store.model_for_round(round).expect("model");
    let (parsed, parse, parse_cpu) =
        timed_cpu(|| responses_csv::parse(&model, &data).expect("valid CSV"));
    assert_eq!(parsed.rows.len(), rows);
    let peak_parse = peak_memory();
    let (summary, import, import_cpu) =
        timed_cpu(|| store.import_responses(round, &parsed).expect("import"));
    assert_eq!(summary.respondents as usize, rows);
    let peak = peak_memory();
    drop(parsed);
    let (results, rescore) = timed(|| {
        let data = store.round_data(round).expect("round");
        score(&data.model, &data.scoring_respondents())
    });
    assert_eq!(results.respondents as usize, rows);
    let secs = |d: Option<Duration>| d.map_or(-1.0, |d| d.as_secs_f64());
    let bytes = |b: Option<u64>| b.map_or(-1, |b| b as i64);
    println!(
        "bytes={} answers={} parse={} parse_cpu={} import={} import_cpu={} rescore={} peak_parse={} peak={}",
        data.len(),
        summary.answers,
        parse.as_secs_f64(),
        secs(parse_cpu),
        import.as_secs_f64(),
        secs(import_cpu),
        rescore.as_secs_f64(),
        bytes(peak_parse),
        bytes(peak),
    );
    drop(store);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
}

/// Large responses CSVs, each imported by a child process into a fresh database.
fn csv_imports(dir: &Path, sizes: &[usize]) {
    let model = Model::default_model();
    let exe = std::env::current_exe().expect("own path");
    println!();
    println!(
        "| responses CSV, {} questions | file | parse | import (store) | of which reload + score | parse + import | CPU time | peak memory after parse / import |",
        model.questions.len()
    );
    println!("|---|---|---|---|---|---|---|---|");
    for &rows in sizes {
        let mut rng = fastrand::Rng::with_seed(rows as u64);
        let csv_path = dir.join(format!("responses-{rows}.csv"));
        std::fs::write(&csv_path, responses_csv_text(&model, rows, &mut rng)).expect("write CSV");
        let out = Command::new(&exe)
            .arg("--csv-child")
            .arg(dir)
            .arg(rows.to_string())
            .output()
            .expect("run the import");
        let _ = std::fs::remove_file(&csv_path);
        assert!(
            out.status.success(),
            "the {rows}-row import failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let line = String::from_utf8_lossy(&out.stdout);
        let get = |key: &str| -> f64 {
            line.split_whitespace()
                .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("no {key} in the child's output: {line}"))
        };
        let mb = |b: f64| {
            if b < 0.0 {
                "n/a".to_string()
            } else {
                format!("{:.0} MB", b / 1e6)
            }
        };
        let cpu = if get("parse_cpu") < 0.0 || get("import_cpu") < 0.0 {
            "n/a".to_string()
        } else {
            format!("{:.2} s", get("parse_cpu") + get("import_cpu"))
        };
        println!(
            "| {rows} rows, {:.0} answers | {:.1} MB | {:.2} s | {:.2} s | {:.2} s | {:.2} s | {cpu} | {} / {} |",
            get("answers"),
            get("bytes") / 1e6,
            get("parse"),
            get("import"),
            get("rescore"),
            get("parse") + get("import"),
            mb(get("peak_parse")),
            mb(get("peak")),
        );
    }
}
