//! Answers from outside the app through the use cases: workshop mode (a real collect
//! server on 127.0.0.1 writing into the round's inbox), the inbox's accept and reject,
//! what stops a collection, the XLSForm export, and survey exports imported once.
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cxm_api::wire::{CollectStart, CollectStop, ErrorCode, NewRoundInput, ResponsesSource};
use cxm_api::{Api, FakeHost};

fn round(api: &Api, model: Option<&str>) -> i64 {
    let org = api.create_organisation("Acme").unwrap();
    api.create_round(NewRoundInput {
        organisation: org,
        title: "Workshop".into(),
        date: "2026-11-20".into(),
        target_phase: None,
        model: model.map(str::to_string),
        copy_respondents_from: None,
    })
    .unwrap()
}

/// One HTTP/1.1 request; (status, body).
fn http(
    url: &str,
    method: &str,
    path_suffix: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String) {
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_once('/').unwrap();
    let mut stream = TcpStream::connect(host).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut req = format!(
        "{method} /{path}{path_suffix} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req += &format!("{k}: {v}\r\n");
    }
    req += "\r\n";
    req += body;
    stream.write_all(req.as_bytes()).unwrap();
    let mut out = String::new();
    stream.read_to_string(&mut out).unwrap();
    let status = out[9..12].parse().unwrap();
    let body = out
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

fn submission(n: u32, pin: &str, role: &str, answers: &[(&str, &str)]) -> String {
    serde_json::json!({
        "submission_id": format!("{n:08x}-0000-4000-8000-{n:012x}"),
        "pin": pin,
        "role": role,
        "department": "Sales",
        "answers": answers.iter().map(|(q, v)| (q.to_string(), serde_json::json!(v))).collect::<serde_json::Map<_, _>>(),
    })
    .to_string()
}

#[test]
fn phones_submit_into_the_inbox_and_the_consultant_accepts_and_rejects() {
    let dir = tempfile::tempdir().unwrap();
    let api = Api::open(Some(dir.path().join("cxm.sqlite")));
    let round = round(&api, None);
    assert_eq!(api.collect_status().unwrap(), None);
    let addresses = api.network_addresses();
    assert!(
        addresses
            .iter()
            .any(|a| a.address == "127.0.0.1" && a.loopback)
    );
    assert!(
        addresses.last().unwrap().loopback,
        "loopback last: {addresses:?}"
    );

    let status = api
        .start_collecting(CollectStart {
            round,
            address: "127.0.0.1".into(),
            port: None,
            minutes: 120,
        })
        .unwrap();
    assert!(status.running && status.url.starts_with("http://127.0.0.1:"));
    assert_eq!(status.pin.len(), 6);
    assert!(status.qr_svg.starts_with("<?xml") && status.qr_svg.contains("<svg"));
    assert!(status.seconds_left > 7000);

    let pin = status.pin.clone();
    let (code, _) = http(&status.url, "GET", "/form", &[("X-CXM-PIN", &pin)], "");
    assert_eq!(code, 200);
    for (n, name) in [(1, "Ana"), (2, "Ben"), (3, "Cleo")] {
        let mut body: serde_json::Value = serde_json::from_str(&submission(
            n,
            &pin,
            "front-line",
            &[("STR-2.3", "3"), ("CUL-1.4", "dk")],
        ))
        .unwrap();
        body["name"] = name.into();
        let (code, _) = http(&status.url, "POST", "/responses", &[], &body.to_string());
        assert_eq!(code, 201);
    }
    // A retry of the same submission: 200, stored once.
    let retry = {
        let mut b: serde_json::Value = serde_json::from_str(&submission(
            1,
            &pin,
            "front-line",
            &[("STR-2.3", "3"), ("CUL-1.4", "dk")],
        ))
        .unwrap();
        b["name"] = "Ana".into();
        b.to_string()
    };
    assert_eq!(http(&status.url, "POST", "/responses", &[], &retry).0, 200);
    let status = api.collect_status().unwrap().unwrap();
    assert_eq!(
        (status.submissions, status.duplicates, status.pending),
        (3, 1, 3)
    );
    assert_eq!(api.round_page(round).unwrap().inbox_pending, 3);

    let inbox = api.inbox(round).unwrap();
    assert!(inbox.open);
    assert_eq!(inbox.entries.len(), 3);
    let ana = &inbox.entries[0];
    assert_eq!(
        (ana.respondent.as_str(), ana.role_name.as_str()),
        ("Ana", "Front line")
    );
    assert_eq!(ana.answers, 2);
    let front_line_asked = api.round_page(round).unwrap().model.role_groups.len();
    assert!(front_line_asked > 0);
    assert_eq!(ana.blocks.iter().map(|b| b.answered).sum::<u32>(), 2);
    assert_eq!(ana.blocks.iter().map(|b| b.asked).sum::<u32>(), ana.asked);

    let ids: Vec<String> = inbox
        .entries
        .iter()
        .map(|e| e.submission_id.clone())
        .collect();
    let done = api.accept_submissions(round, ids[..2].to_vec()).unwrap();
    assert_eq!((done.submissions, done.answers), (2, 4));
    let done = api.reject_submissions(round, ids[2..].to_vec()).unwrap();
    assert_eq!(done.submissions, 1);
    let page = api.round_page(round).unwrap();
    let names: Vec<&str> = page.respondents.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["Ana", "Ben"]);
    assert_eq!(page.inbox_pending, 0);
    let inbox = api.inbox(round).unwrap();
    assert_eq!(
        (inbox.entries.len(), inbox.accepted, inbox.rejected),
        (0, 2, 1)
    );
    assert_eq!(
        api.accept_submissions(round, vec![]).unwrap_err().code,
        ErrorCode::Invalid
    );

    // Closing the round stops the collection: the link no longer answers.
    let url = status.url.clone();
    api.close_round(round).unwrap();
    let status = api.collect_status().unwrap().unwrap();
    assert!(!status.running);
    assert_eq!(status.stopped_because, Some(CollectStop::RoundClosed));
    let host = url
        .strip_prefix("http://")
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_string();
    assert!(TcpStream::connect(&host).is_err(), "the port is closed");
    // A closed round cannot collect.
    let err = api
        .start_collecting(CollectStart {
            round,
            address: "127.0.0.1".into(),
            port: None,
            minutes: 10,
        })
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::RoundClosed);
}

#[test]
fn collecting_is_refused_with_a_reason_for_bad_settings_and_stops_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let api = Api::open(Some(dir.path().join("cxm.sqlite")));
    let round = round(&api, None);
    let start = |address: &str, minutes| {
        api.start_collecting(CollectStart {
            round,
            address: address.into(),
            port: None,
            minutes,
        })
    };
    assert_eq!(start("127.0.0.1", 0).unwrap_err().code, ErrorCode::Invalid);
    assert_eq!(
        start("127.0.0.1", 24 * 60 + 1).unwrap_err().code,
        ErrorCode::Invalid
    );
    assert_eq!(start("my laptop", 10).unwrap_err().code, ErrorCode::Invalid);
    let err = start("0.0.0.0", 10).unwrap_err();
    assert!(err.message.contains("one address"), "{}", err.message);
    assert_eq!(api.collect_status().unwrap(), None, "nothing started");
    assert_eq!(api.round_page(round).unwrap().inbox_pending, 0);
    assert_eq!(api.inbox(9999).unwrap_err().code, ErrorCode::NotFound);

    let first = start("127.0.0.1", 10).unwrap();
    // Starting again (another link, another PIN) stops the first.
    let second = start("127.0.0.1", 10).unwrap();
    assert_ne!(first.url, second.url);
    let host = |url: &str| {
        url.strip_prefix("http://")
            .unwrap()
            .split('/')
            .next()
            .unwrap()
            .to_string()
    };
    assert!(TcpStream::connect(host(&first.url)).is_err());
    api.stop_collecting();
    let status = api.collect_status().unwrap().unwrap();
    assert_eq!(status.stopped_because, Some(CollectStop::Stopped));
    assert_eq!(status.seconds_left, 0);
    assert!(TcpStream::connect(host(&second.url)).is_err());
    // Deleting the round of a running collection stops it too.
    start("127.0.0.1", 10).unwrap();
    api.delete_round(round).unwrap();
    let status = api.collect_status().unwrap().unwrap();
    assert_eq!(status.stopped_because, Some(CollectStop::RoundClosed));
}

type Picked = Arc<Mutex<Option<PathBuf>>>;

fn api_with_dialogs(dir: &std::path::Path) -> (Api, Picked, Picked) {
    let (open, save) = (Picked::default(), Picked::default());
    let (o, s) = (open.clone(), save.clone());
    let api = Api::open(Some(dir.join("cxm.sqlite"))).with_host(
        FakeHost::new()
            .open_dialog(move |_| Ok(o.lock().unwrap().clone()))
            .save_dialog(move |_, _| Ok(s.lock().unwrap().clone())),
    );
    (api, open, save)
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../cxm-domain/tests/survey")
        .join(name)
}

#[test]
fn a_survey_export_is_recognised_and_a_later_export_imports_only_new_submissions() {
    let dir = tempfile::tempdir().unwrap();
    let (api, open, _) = api_with_dialogs(dir.path());
    let round = round(&api, None);
    let odk = std::fs::read_to_string(fixture("odk-central-v2.csv")).unwrap();
    let mut lines: Vec<&str> = odk.lines().collect();
    assert!(
        lines.len() >= 4,
        "the fixture has a header and several submissions"
    );
    // First an early export with the first two submissions.
    let early = dir.path().join("early.csv");
    std::fs::write(&early, lines[..3].join("\n") + "\n").unwrap();
    *open.lock().unwrap() = Some(early);
    let p = api.preview_responses(round).unwrap().unwrap();
    assert_eq!(p.source, ResponsesSource::OdkCentral);
    assert!(p.issues.is_empty(), "{:?}", p.issues);
    assert_eq!((p.respondents.len(), p.already_imported), (2, 0));
    let done = api.import_responses(p.token.unwrap()).unwrap();
    assert_eq!((done.respondents, done.already_imported), (2, 0));

    // The whole, longer export later: only the new ones come in.
    let later = dir.path().join("later.csv");
    std::fs::write(&later, &odk).unwrap();
    *open.lock().unwrap() = Some(later.clone());
    let p = api.preview_responses(round).unwrap().unwrap();
    // One submission of the fixture was rejected by a reviewer in ODK Central: listed,
    // not imported.
    assert_eq!(p.left_out.len(), 1);
    assert!(
        p.left_out[0].message.contains("rejected by a reviewer"),
        "{:?}",
        p.left_out
    );
    assert!(p.ignored_columns.iter().any(|c| c == "SubmissionDate"));
    let total = lines.len() - 1 - p.left_out.len();
    assert_eq!(
        (p.respondents.len(), p.already_imported as usize),
        (total - 2, 2)
    );
    let done = api.import_responses(p.token.unwrap()).unwrap();
    assert_eq!(
        (done.respondents as usize, done.already_imported),
        (total - 2, 2)
    );
    assert_eq!(api.round_page(round).unwrap().respondents.len(), total);

    // The same file again: nothing new, not an error.
    let p = api.preview_responses(round).unwrap().unwrap();
    assert!(p.issues.is_empty());
    assert_eq!(
        (p.respondents.len(), p.already_imported as usize),
        (0, total)
    );

    // A file of the v1 round's form is refused with a clear message.
    let v1 = round_v1(&api);
    *open.lock().unwrap() = Some(later);
    let p = api.preview_responses(v1).unwrap().unwrap();
    assert!(p.token.is_none());
    assert!(
        p.issues.iter().any(|i| i.message.contains("cx-maturity@2")),
        "{:?}",
        p.issues
    );
    lines.clear();
}

fn round_v1(api: &Api) -> i64 {
    let org = api.create_organisation("Older Ltd").unwrap();
    api.create_round(NewRoundInput {
        organisation: org,
        title: "On v1".into(),
        date: "2026-11-20".into(),
        target_phase: None,
        model: Some("cx-maturity@1".into()),
        copy_respondents_from: None,
    })
    .unwrap()
}

#[test]
fn the_survey_form_is_written_where_the_user_chooses() {
    let dir = tempfile::tempdir().unwrap();
    let (api, _, save) = api_with_dialogs(dir.path());
    let round = round(&api, None);
    assert_eq!(
        api.export_xlsform(round).unwrap().path,
        None,
        "cancelled: nothing written"
    );
    let path = dir.path().join("form.xlsx");
    *save.lock().unwrap() = Some(path.clone());
    let done = api.export_xlsform(round).unwrap();
    assert_eq!(done.path.as_deref(), Some(path.to_str().unwrap()));
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"PK"), "an xlsx is a zip");
    let (name, again) = api.round_xlsform(round).unwrap();
    assert_eq!(name, "Acme - Workshop - survey form.xlsx");
    assert!(!again.is_empty());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}
