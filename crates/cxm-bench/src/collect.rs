//! `cxm-bench-collect [DIR] [--respondents N] [--phones N]`: the figures of issue 13,
//! through the app's use cases (`cxm-api`), release build, Markdown on stdout. Run it
//! through `scripts/bench-collect.sh`.
//!
//! 1. A survey through ODK Central: an export of the round's XLSForm with N
//!    respondents (default 5,000) answering the v2 model as their role group is asked
//!    (group-prefixed headers, meta columns, `uuid:` instance ids), previewed and
//!    imported as *Import responses…* does; then that round's results and its board
//!    report; then the same file again (every row already imported).
//! 2. Workshop mode: the collect server on 127.0.0.1 over a real database, N phones
//!    (default 100) submitting at the same moment, each a full questionnaire: latency
//!    per submission (p50, p99, max), every submission stored exactly once, the
//!    process's peak memory, and the app's own calls (`round_page`, on the app's
//!    connection) timed while the phones submit.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

use cxm_api::wire::{CollectStart, CompareWith, NewRoundInput};
use cxm_api::{Api, FakeHost, ReportRequest};
use cxm_domain::Model;

fn arg(args: &[String], name: &str, default: usize) -> usize {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Peak resident memory of this process (`VmHWM`), in MB.
fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn new_round(api: &Api, org: &str) -> i64 {
    let org = api.create_organisation(org).expect("organisation");
    api.create_round(NewRoundInput {
        organisation: org,
        title: "Staff survey".into(),
        date: "2026-11-20".into(),
        target_phase: None,
        model: None,
        copy_respondents_from: None,
    })
    .expect("round")
}

/// An ODK Central CSV export of the round's form with `n` submissions.
fn odk_export(model: &Model, n: usize, seed: u64) -> String {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut header = vec![
        "SubmissionDate".to_string(),
        "intro".into(),
        "role".into(),
        "department".into(),
        "respondent_code".into(),
        "cxm_form".into(),
    ];
    for q in &model.questions {
        header.push(format!("{}-{}", model.blocks[q.block].id, q.id));
    }
    for meta in [
        "meta-instanceID",
        "KEY",
        "SubmitterID",
        "SubmitterName",
        "AttachmentsPresent",
        "AttachmentsExpected",
        "Status",
        "ReviewState",
        "DeviceID",
        "Edits",
        "FormVersion",
    ] {
        header.push(meta.into());
    }
    let mut out = header.join(",") + "\n";
    let departments = ["Sales", "Retail", "Contact centre", "Finance", "Operations"];
    for i in 0..n {
        let g = match rng.u32(0..10) {
            0 => 0,
            1..=3 => 1,
            _ => 2,
        }
        .min(model.role_groups.len() - 1);
        let level = 1.0 + rng.f64() * 2.5;
        let mut row = vec![
            format!("2026-11-{:02}T09:{:02}:00.000Z", 1 + i % 28, i % 60),
            String::new(),
            model.role_groups[g].id.clone(),
            departments[i % departments.len()].into(),
            String::new(),
            model.key(),
        ];
        for (q, question) in model.questions.iter().enumerate() {
            row.push(if !model.asks(q, g) {
                String::new()
            } else if rng.f64() < 0.04 {
                "dk".into()
            } else {
                let phase = f64::from(question.phase);
                let v = (4.0 * (level - phase + 1.0).clamp(0.0, 1.0) + rng.f64() * 1.6 - 0.8)
                    .round()
                    .clamp(0.0, 4.0) as u8;
                format!("{v}")
            });
        }
        let id = format!(
            "uuid:{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            rng.u32(..),
            rng.u16(..),
            rng.u16(..0xfff),
            rng.u16(..0xfff),
            i
        );
        row.extend([
            id.clone(),
            id,
            "5".into(),
            "survey-app".into(),
            "0".into(),
            "0".into(),
            String::new(),
            String::new(),
            format!("collect:{i:08}"),
            "0".into(),
            "1".into(),
        ]);
        out += &row.join(",");
        out.push('\n');
    }
    out
}

fn survey(dir: &Path, respondents: usize) {
    let picked: Arc<Mutex<Option<PathBuf>>> = Arc::default();
    let p = picked.clone();
    let api = Api::open(Some(dir.join("survey.sqlite")))
        .with_host(FakeHost::new().open_dialog(move |_| Ok(p.lock().expect("lock").clone())));
    let round = new_round(&api, "Survey Ltd");
    let model = Model::default_model();
    let csv = odk_export(&model, respondents, 7);
    let file = dir.join("odk-export.csv");
    std::fs::write(&file, &csv).expect("write the export");
    *picked.lock().expect("lock") = Some(file);

    let start = Instant::now();
    let preview = api
        .preview_responses(round)
        .expect("preview")
        .expect("a file");
    let preview_time = start.elapsed();
    assert!(preview.issues.is_empty(), "{:?}", preview.issues);
    let start = Instant::now();
    let done = api
        .import_responses(preview.token.expect("importable"))
        .expect("import");
    let import_time = start.elapsed();
    assert_eq!(done.respondents as usize, respondents);

    let mut results = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        api.results(round, CompareWith::None).expect("results");
        results.push(start.elapsed());
    }
    results.sort();
    let mut reports = Vec::new();
    let mut size = 0;
    for _ in 0..3 {
        let start = Instant::now();
        let report = api
            .report(
                round,
                &ReportRequest {
                    compare_with: CompareWith::None,
                    ..ReportRequest::default()
                },
            )
            .expect("report");
        reports.push(start.elapsed());
        size = report.pdf.len();
    }
    reports.sort();
    let start = Instant::now();
    let again = api
        .preview_responses(round)
        .expect("preview")
        .expect("a file");
    let again_time = start.elapsed();
    assert_eq!(again.already_imported as usize, respondents);

    println!(
        "## A survey through ODK Central ({respondents} respondents, model {})\n",
        model.key()
    );
    println!("| step | time |\n|---|---|");
    println!("| export file | {:.1} MB |", csv.len() as f64 / 1e6);
    println!(
        "| preview (read, parse, check against the round) | {} |",
        ms(preview_time)
    );
    println!("| import (one transaction) | {} |", ms(import_time));
    println!(
        "| preview + import, what the user waits for | {} |",
        ms(preview_time + import_time)
    );
    println!(
        "| results of the round (median of 5) | {} |",
        ms(results[2])
    );
    println!(
        "| board report, {} KB (median of 3) | {} |",
        size / 1024,
        ms(reports[1])
    );
    println!(
        "| the same export again: preview, all {respondents} already imported | {} |\n",
        ms(again_time)
    );
}

fn request(url: &str, method: &str, suffix: &str, body: &str) -> (u16, String) {
    let rest = url.strip_prefix("http://").expect("http url");
    let (host, path) = rest.split_once('/').expect("a path");
    let mut s = TcpStream::connect(host).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    write!(
        s,
        "{method} /{path}{suffix} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .expect("send");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("read");
    let status = out.get(9..12).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, out)
}

fn workshop(dir: &Path, phones: usize) {
    let api = Arc::new(Api::open(Some(dir.join("workshop.sqlite"))));
    let round = new_round(&api, "Workshop Ltd");
    let before_mb = peak_mb();
    let status = api
        .start_collecting(CollectStart {
            round,
            address: "127.0.0.1".into(),
            port: None,
            minutes: 30,
        })
        .expect("start");
    let model = Model::default_model();
    let barrier = Arc::new(Barrier::new(phones + 1));
    let mut threads = Vec::new();
    for i in 0..phones {
        let (url, pin, barrier) = (status.url.clone(), status.pin.clone(), barrier.clone());
        let g = i % model.role_groups.len();
        let answers: serde_json::Map<String, serde_json::Value> = (0..model.questions.len())
            .filter(|&q| model.asks(q, g))
            .map(|q| {
                (
                    model.questions[q].id.clone(),
                    format!("{}", (i + q) % 5).into(),
                )
            })
            .collect();
        let body = serde_json::json!({
            "submission_id": format!("{i:08x}-2222-4000-8000-{i:012x}"),
            "pin": pin,
            "role": model.role_groups[g].id,
            "department": "Workshop",
            "name": format!("Participant {i}"),
            "answers": answers,
        })
        .to_string();
        threads.push(std::thread::spawn(move || {
            barrier.wait();
            let start = Instant::now();
            let (code, _) = request(&url, "POST", "/responses", &body);
            (code, start.elapsed())
        }));
    }
    // The app's window meanwhile: its own calls on its own connection.
    let app = {
        let api = api.clone();
        std::thread::spawn(move || {
            let mut times = Vec::new();
            let start = Instant::now();
            while start.elapsed() < Duration::from_millis(1500) {
                let t = Instant::now();
                api.round_page(round).expect("round page");
                times.push(t.elapsed());
                std::thread::sleep(Duration::from_millis(20));
            }
            times
        })
    };
    barrier.wait();
    let wall = Instant::now();
    let mut latencies = Vec::new();
    for t in threads {
        let (code, took) = t.join().expect("phone");
        assert_eq!(code, 201, "every phone's first send is stored");
        latencies.push(took);
    }
    let wall = wall.elapsed();
    let mut app_times = app.join().expect("app");
    app_times.sort();
    latencies.sort();
    let pending = api.inbox(round).expect("inbox").entries.len();
    assert_eq!(pending, phones, "every submission stored exactly once");
    let after_mb = peak_mb();
    api.stop_collecting();
    println!("## Workshop mode: {phones} phones submitting at once (127.0.0.1)\n");
    println!("| figure | value |\n|---|---|");
    println!("| submissions stored (each exactly once) | {pending} of {phones} |");
    println!("| latency p50 | {} |", ms(percentile(&latencies, 0.5)));
    println!("| latency p99 | {} |", ms(percentile(&latencies, 0.99)));
    println!("| latency max | {} |", ms(latencies[latencies.len() - 1]));
    println!("| all {phones} stored after | {} |", ms(wall));
    println!(
        "| the app's round page meanwhile (its own connection): median / max of {} calls | {} / {} |",
        app_times.len(),
        ms(app_times[app_times.len() / 2]),
        ms(app_times[app_times.len() - 1])
    );
    println!(
        "| peak memory of the process before / after the load | {before_mb:.0} MB / {after_mb:.0} MB |\n"
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = args
        .get(1)
        .filter(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let respondents = arg(&args, "--respondents", 5000);
    let phones = arg(&args, "--phones", 100);
    survey(&dir, respondents);
    workshop(&dir, phones);
}
