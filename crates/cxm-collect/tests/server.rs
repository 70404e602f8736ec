//! The workshop server over real sockets on 127.0.0.1, with an in-memory inbox: every
//! route and refusal of `docs/collect-api.md`, a retry stored once, stopping (asked, time
//! up, round closed) closing the port, and 100 phones sending at once.
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use std::collections::BTreeSet;
use std::io::{ErrorKind, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::time::Duration;

use cxm_collect::{
    Collector, FormSource, LOCKOUT, MAX_BODY_BYTES, MAX_WRONG_PINS, Options, Received, Sink,
    SinkError, StartError, StopReason,
};
use cxm_domain::Model;
use cxm_domain::submission::Submission;
use serde_json::{Value, json};

// ----- an inbox in memory -----

#[derive(Default)]
struct Memory {
    stored: Mutex<Vec<Submission>>,
    /// Answer `SinkError::Closed`.
    closed: AtomicBool,
    /// Answer `SinkError::Failed`.
    failing: AtomicBool,
    /// Panic.
    panicking: AtomicBool,
}

impl Sink for Memory {
    fn receive(&self, submission: &Submission) -> Result<Received, SinkError> {
        if self.closed.load(Ordering::SeqCst) {
            return Err(SinkError::Closed);
        }
        if self.failing.load(Ordering::SeqCst) {
            return Err(SinkError::Failed(
                "disk I/O error at /home/facilitator/cxm.sqlite".into(),
            ));
        }
        assert!(!self.panicking.load(Ordering::SeqCst), "the sink panics");
        let mut stored = self.stored.lock().unwrap();
        if stored.iter().any(|s| s.id == submission.id) {
            return Ok(Received::Already);
        }
        stored.push(submission.clone());
        Ok(Received::New)
    }
}

impl Memory {
    fn ids(&self) -> Vec<String> {
        self.stored
            .lock()
            .unwrap()
            .iter()
            .map(|s| s.id.clone())
            .collect()
    }
}

fn model() -> Arc<Model> {
    Arc::new(Model::default_model())
}

fn form() -> FormSource {
    FormSource {
        round_title: "Workshop, 12 March".into(),
        model: model(),
    }
}

const LOCALHOST: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

fn options() -> Options {
    Options {
        bind: LOCALHOST,
        port: 0,
        minutes: 60,
    }
}

fn start() -> (Collector, Arc<Memory>) {
    let memory = Arc::new(Memory::default());
    let collector = Collector::start(memory.clone(), form(), options()).unwrap();
    (collector, memory)
}

// ----- a hand-written HTTP/1.1 client -----

#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    fn text(&self) -> String {
        String::from_utf8(self.body.clone()).unwrap()
    }

    /// The error code of an error reply, checking its shape.
    fn error(&self) -> String {
        let v = self.json();
        assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
        assert_eq!(
            self.header("content-type"),
            Some("application/json; charset=utf-8")
        );
        v["error"].as_str().unwrap().to_string()
    }
}

/// The collector's address and link path.
fn target(c: &Collector) -> (SocketAddr, String) {
    let url = c.url();
    let rest = url.strip_prefix("http://").unwrap();
    let slash = rest.find('/').unwrap();
    (rest[..slash].parse().unwrap(), rest[slash..].to_string())
}

fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).unwrap();
    // A safety net against a hung test, not a measure of speed.
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    stream
}

/// Reads a whole reply (the server closes after each), skipping a `100 Continue`.
fn read_reply(mut stream: TcpStream) -> Reply {
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    parse_reply(&bytes)
}

fn parse_reply(mut bytes: &[u8]) -> Reply {
    loop {
        let end = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no head in {:?}", String::from_utf8_lossy(bytes)));
        let head = std::str::from_utf8(&bytes[..end]).unwrap();
        let mut lines = head.split("\r\n");
        let status: u16 = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers: Vec<(String, String)> = lines
            .map(|l| {
                let (n, v) = l.split_once(':').unwrap();
                (n.to_string(), v.trim().to_string())
            })
            .collect();
        let rest = &bytes[end + 4..];
        if status == 100 {
            bytes = rest;
            continue;
        }
        let length: usize = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .map(|(_, v)| v.parse().unwrap())
            .unwrap();
        assert_eq!(rest.len(), length, "the body is as long as announced");
        return Reply {
            status,
            headers,
            body: rest.to_vec(),
        };
    }
}

/// Sends `raw` as it is and reads the reply.
fn raw(addr: SocketAddr, raw: &[u8]) -> Reply {
    let mut stream = connect(addr);
    stream.write_all(raw).unwrap();
    read_reply(stream)
}

fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Reply {
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 192.168.1.20:8080\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (n, v) in headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    raw(addr, &bytes)
}

fn get(c: &Collector, suffix: &str, headers: &[(&str, &str)]) -> Reply {
    let (addr, path) = target(c);
    request(addr, "GET", &format!("{path}{suffix}"), headers, b"")
}

fn post(c: &Collector, body: &Value) -> Reply {
    let (addr, path) = target(c);
    request(
        addr,
        "POST",
        &format!("{path}/responses"),
        &[("Content-Type", "application/json")],
        body.to_string().as_bytes(),
    )
}

/// A front-line submission with the PIN, answering the first `n` questions front line
/// is asked.
fn submission(c: &Collector, id: &str, n: usize) -> Value {
    let model = model();
    let front = model.role_group_index("front-line").unwrap();
    let answers: serde_json::Map<String, Value> = (0..model.questions.len())
        .filter(|&q| model.asks(q, front))
        .take(n)
        .enumerate()
        .map(|(i, q)| {
            (
                model.questions[q].id.clone(),
                json!(["0", "1", "2", "3", "4", "dk", "na"][i % 7]),
            )
        })
        .collect();
    json!({
        "submission_id": id,
        "pin": c.pin(),
        "role": "front-line",
        "department": "Contact centre",
        "name": "R-17",
        "answers": answers,
    })
}

fn uuid(n: u32) -> String {
    format!("0f8fad5b-d9cb-469f-a165-{n:012x}")
}

fn wrong_pin(c: &Collector) -> String {
    if c.pin() == "000000" {
        "000001"
    } else {
        "000000"
    }
    .to_string()
}

fn refused(addr: SocketAddr) -> bool {
    matches!(TcpStream::connect(addr), Err(e) if e.kind() == ErrorKind::ConnectionRefused)
}

// ----- the page -----

#[test]
fn the_page_is_one_document_with_a_strict_policy() {
    let (c, _) = start();
    let r = get(&c, "", &[]);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    let csp = r.header("content-security-policy").unwrap();
    let parts: Vec<&str> = csp.split("; ").collect();
    assert_eq!(parts.len(), 8, "{csp}");
    assert_eq!(parts[0], "default-src 'none'");
    assert!(
        parts[1].starts_with("script-src 'sha256-") && parts[1].ends_with("='"),
        "{csp}"
    );
    assert!(
        parts[2].starts_with("style-src 'sha256-") && parts[2].ends_with("='"),
        "{csp}"
    );
    assert_eq!(
        parts[3..],
        [
            "connect-src 'self'",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'"
        ]
    );
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(r.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(r.header("cache-control"), Some("no-store"));

    let html = r.text();
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("name=\"viewport\""));
    assert_eq!(html.matches("<script").count(), 1, "one inline script");
    assert_eq!(html.matches("<style").count(), 1, "one inline style");
    assert!(!html.contains("<script src"), "no script file");
    assert!(!html.contains("rel=\"stylesheet\""), "no style sheet file");
    // No remote content: no address anywhere, every src/href a data: URL or a fragment.
    assert!(
        !html.contains("http:") && !html.contains("https:"),
        "no URL in the page"
    );
    assert!(!html.contains("//cdn") && !html.contains("@import") && !html.contains("url("));
    for attribute in ["src=\"", "href=\""] {
        for (i, _) in html.match_indices(attribute) {
            let value = &html[i + attribute.len()..];
            assert!(
                value.starts_with("data:") || value.starts_with('#'),
                "{attribute}{}",
                &value[..value.len().min(40)]
            );
        }
    }
    assert!(html.contains("Your answers go straight to the facilitator's laptop on this network"));
    // Nothing of the round before the PIN: the page is the same for every collector.
    assert!(!html.contains("Workshop, 12 March"));
    let other = Collector::start(
        Arc::new(Memory::default()),
        FormSource {
            round_title: "Another round".into(),
            model: model(),
        },
        options(),
    )
    .unwrap();
    let again = get(&other, "", &[]);
    assert_eq!(again.body, r.body, "no token, PIN or title in the page");
    assert_eq!(again.header("content-security-policy"), Some(csp));
}

#[test]
fn the_form_needs_the_pin_and_has_no_scoring() {
    let (c, _) = start();
    let none = get(&c, "/form", &[]);
    assert_eq!((none.status, none.error()), (403, "wrong_pin".to_string()));
    let wrong = get(&c, "/form", &[("X-CXM-PIN", &wrong_pin(&c))]);
    assert_eq!(
        (wrong.status, wrong.error()),
        (403, "wrong_pin".to_string())
    );
    assert!(!wrong.text().contains("Workshop, 12 March"));

    let r = get(&c, "/form", &[("x-cxm-pin", &c.pin())]);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let form = r.json();
    let model = model();
    let mut keys: Vec<&str> = form
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "blocks",
            "model",
            "questions",
            "role_groups",
            "round_title",
            "scale"
        ]
    );
    assert_eq!(form["round_title"], "Workshop, 12 March");
    assert_eq!(form["model"], "cx-maturity@2");
    assert_eq!(form["scale"]["min"], 0);
    assert_eq!(form["scale"]["max"], 4);
    assert_eq!(form["scale"]["labels"][3], "Largely in place");
    assert_eq!(form["scale"]["dont_know"], "Don't know");
    assert_eq!(form["scale"]["not_applicable"], "Not applicable");
    assert_eq!(form["role_groups"][2]["id"], "front-line");
    assert_eq!(form["role_groups"][2]["name"], "Front line");
    assert_eq!(
        form["blocks"][1],
        json!({"id": "voice-of-customer", "name": "Voice of the Customer"})
    );
    let questions = form["questions"].as_array().unwrap();
    assert_eq!(questions.len(), model.questions.len());
    for (q, json) in model.questions.iter().zip(questions) {
        let mut keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(keys, ["ask", "block", "help", "id", "text"], "{}", q.id);
        assert_eq!(json["id"], q.id);
        assert_eq!(json["text"], q.text);
    }
    assert_eq!(questions[0]["ask"], json!(["executive", "manager"]));
    let text = r.text();
    for word in [
        "\"phase",
        "\"weight",
        "\"recommendation",
        "\"threshold",
        "\"phases",
    ] {
        assert!(!text.contains(word), "{word} is not in the form");
    }
}

// ----- refusals -----

#[test]
fn unknown_tokens_and_paths_are_404_and_other_methods_405() {
    let (c, memory) = start();
    let (addr, path) = target(&c);
    let other = format!("/c/{}", "0".repeat(48));
    let short = &path[..path.len() - 1];
    for (method, p) in [
        ("GET", other.clone()),
        ("GET", format!("{other}/form")),
        ("POST", format!("{other}/responses")),
        ("GET", short.to_string()),
        ("GET", "/".into()),
        ("GET", "/favicon.ico".into()),
        ("GET", "/c/".into()),
        ("GET", format!("{path}/nothing")),
        ("GET", format!("{path}/form/more")),
        ("DELETE", format!("{other}/form")),
    ] {
        let r = request(addr, method, &p, &[("X-CXM-PIN", &c.pin())], b"");
        assert_eq!(
            (r.status, r.error()),
            (404, "not_found".to_string()),
            "{method} {p}"
        );
    }
    for (method, suffix, allow) in [
        ("POST", "", "GET"),
        ("DELETE", "/form", "GET"),
        ("GET", "/responses", "POST"),
        ("PUT", "/responses", "POST"),
    ] {
        let r = request(addr, method, &format!("{path}{suffix}"), &[], b"");
        assert_eq!(r.status, 405, "{method} {suffix}");
        assert_eq!(r.header("allow"), Some(allow));
        assert_eq!(r.error(), "method_not_allowed");
    }
    // HEAD: the same refusal, without a body.
    let mut stream = connect(addr);
    write!(stream, "HEAD {path} HTTP/1.1\r\n\r\n").unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.starts_with("HTTP/1.1 405 "), "{text}");
    assert!(
        text.contains("\r\nAllow: GET\r\n") && text.ends_with("\r\n\r\n"),
        "{text}"
    );
    // A query string does not matter.
    assert_eq!(get(&c, "?utm_source=qr", &[]).status, 200);
    assert!(memory.ids().is_empty());
}

#[test]
fn ten_wrong_pins_lock_the_address_out() {
    let (c, memory) = start();
    for i in 0..MAX_WRONG_PINS {
        let r = if i % 2 == 0 {
            get(&c, "/form", &[("X-CXM-PIN", &wrong_pin(&c))])
        } else {
            let mut body = submission(&c, &uuid(i), 3);
            body["pin"] = json!(wrong_pin(&c));
            post(&c, &body)
        };
        assert_eq!(
            (r.status, r.error()),
            (403, "wrong_pin".to_string()),
            "attempt {}",
            i + 1
        );
    }
    // Now even the right PIN is refused, on both routes, and nothing is stored.
    let r = get(&c, "/form", &[("X-CXM-PIN", &c.pin())]);
    assert_eq!(
        (r.status, r.error()),
        (429, "too_many_attempts".to_string())
    );
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!(
        retry > 0 && retry <= LOCKOUT.as_secs(),
        "Retry-After: {retry}"
    );
    assert!(
        r.json()["message"].as_str().unwrap().contains("5 minutes"),
        "{}",
        r.text()
    );
    let r = post(&c, &submission(&c, &uuid(99), 3));
    assert_eq!(
        (r.status, r.error()),
        (429, "too_many_attempts".to_string())
    );
    assert!(memory.ids().is_empty());
    // The page itself is still served.
    assert_eq!(get(&c, "", &[]).status, 200);
}

#[test]
fn the_right_pin_clears_the_count_of_wrong_ones() {
    let (c, _) = start();
    for _ in 0..MAX_WRONG_PINS - 1 {
        assert_eq!(
            get(&c, "/form", &[("X-CXM-PIN", &wrong_pin(&c))]).status,
            403
        );
    }
    assert_eq!(get(&c, "/form", &[("X-CXM-PIN", &c.pin())]).status, 200);
    for _ in 0..MAX_WRONG_PINS - 1 {
        assert_eq!(
            get(&c, "/form", &[("X-CXM-PIN", &wrong_pin(&c))]).status,
            403
        );
    }
    assert_eq!(get(&c, "/form", &[("X-CXM-PIN", &c.pin())]).status, 200);
}

#[test]
fn bodies_over_256_kb_are_413_by_length_or_while_chunked() {
    let (c, memory) = start();
    let (addr, path) = target(&c);
    // Declared too long: refused before reading anything.
    let head = format!(
        "POST {path}/responses HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n",
        MAX_BODY_BYTES + 1
    );
    let r = raw(addr, head.as_bytes());
    assert_eq!((r.status, r.error()), (413, "too_large".to_string()));
    // Declared absurdly long (a server that allocates what is declared would die).
    let r = raw(
        addr,
        format!("POST {path}/responses HTTP/1.1\r\nContent-Length: 99999999999999\r\n\r\n")
            .as_bytes(),
    );
    assert_eq!(r.status, 413);
    // Sent too long in full: the reply arrives although the body was not read.
    let mut body = submission(&c, &uuid(1), 5);
    body["name"] = json!("x".repeat(MAX_BODY_BYTES));
    let r = post(&c, &body);
    assert_eq!(r.status, 413);
    // Chunked, with no length announced: counted while reading.
    let chunk = vec![b' '; 64 * 1024];
    let mut bytes = format!("POST {path}/responses HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")
        .into_bytes();
    for _ in 0..5 {
        bytes.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        bytes.extend_from_slice(&chunk);
        bytes.extend_from_slice(b"\r\n");
    }
    bytes.extend_from_slice(b"0\r\n\r\n");
    let r = raw(addr, &bytes);
    assert_eq!((r.status, r.error()), (413, "too_large".to_string()));
    assert!(memory.ids().is_empty());
    // And the server is still there.
    assert_eq!(post(&c, &submission(&c, &uuid(2), 5)).status, 201);
}

#[test]
fn chunked_bodies_and_expect_continue_are_understood() {
    let (c, memory) = start();
    let (addr, path) = target(&c);
    let body = submission(&c, &uuid(7), 10).to_string().into_bytes();
    let (a, b) = body.split_at(body.len() / 2);
    let mut bytes = format!("POST {path}/responses HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")
        .into_bytes();
    for part in [a, b] {
        bytes.extend_from_slice(format!("{:X};ext=1\r\n", part.len()).as_bytes());
        bytes.extend_from_slice(part);
        bytes.extend_from_slice(b"\r\n");
    }
    bytes.extend_from_slice(b"0\r\nX-Trailer: yes\r\n\r\n");
    assert_eq!(raw(addr, &bytes).status, 201);

    // curl's way: the head, then the body once the server says 100 Continue.
    let body = submission(&c, &uuid(8), 10).to_string();
    let mut stream = connect(addr);
    write!(
        stream,
        "POST {path}/responses HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    let mut interim = [0u8; 25];
    stream.read_exact(&mut interim).unwrap();
    assert_eq!(&interim, b"HTTP/1.1 100 Continue\r\n\r\n");
    stream.write_all(body.as_bytes()).unwrap();
    assert_eq!(read_reply(stream).status, 201);
    assert_eq!(memory.ids(), [uuid(7), uuid(8)]);
}

#[test]
fn malformed_requests_are_400_and_store_nothing() {
    let (c, memory) = start();
    let (addr, path) = target(&c);
    let responses = format!("{path}/responses");
    let pin = c.pin();
    let mut cases: Vec<(String, Vec<u8>)> = vec![
        ("not JSON".into(), b"submission_id=1&pin=2".to_vec()),
        ("empty".into(), Vec::new()),
        ("an array".into(), b"[1, 2]".to_vec()),
        ("a string".into(), b"\"hello\"".to_vec()),
        (
            "cut short".into(),
            format!("{{\"pin\": \"{pin}\", \"submission_id\":").into_bytes(),
        ),
        ("not UTF-8".into(), vec![b'{', 0xff, 0xfe, b'}']),
        (
            "nested a thousand deep".into(),
            format!("{}{}", "[".repeat(1000), "]".repeat(1000)).into_bytes(),
        ),
    ];
    let mut shapes = vec![
        ("an unknown field", json!({"extra": true})),
        ("a number for the role", json!({"role": 3})),
        ("answers as a list", json!({"answers": ["3"]})),
        (
            "an answer as an object",
            json!({"answers": {"STR-1.1": {"v": 3}}}),
        ),
        ("a negative answer", json!({"answers": {"STR-1.1": -1}})),
    ];
    let mut missing = submission(&c, &uuid(1), 2);
    missing.as_object_mut().unwrap().remove("submission_id");
    shapes.push(("no submission id", missing));
    for (what, change) in shapes {
        let mut body = submission(&c, &uuid(1), 2);
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        if what == "no submission id" {
            body = change;
        }
        cases.push((what.to_string(), body.to_string().into_bytes()));
    }
    for (what, body) in cases {
        let r = request(addr, "POST", &responses, &[], &body);
        assert_eq!(
            (r.status, r.error()),
            (400, "bad_request".to_string()),
            "{what}: {}",
            r.text()
        );
    }
    // Broken HTTP.
    for (what, bytes) in [
        ("no version", format!("GET {path}\r\n\r\n")),
        ("HTTP/2", format!("GET {path} HTTP/2.0\r\n\r\n")),
        (
            "a header without a colon",
            format!("GET {path} HTTP/1.1\r\nHost\r\n\r\n"),
        ),
        (
            "a bad length",
            format!("POST {responses} HTTP/1.1\r\nContent-Length: ten\r\n\r\n"),
        ),
        (
            "two lengths",
            format!("POST {responses} HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"),
        ),
        (
            "length and chunked",
            format!(
                "POST {responses} HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"
            ),
        ),
        (
            "a bad chunk size",
            format!("POST {responses} HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
        ),
        (
            "a huge head",
            format!(
                "GET {path} HTTP/1.1\r\nX-Big: {}\r\n\r\n",
                "a".repeat(20_000)
            ),
        ),
    ] {
        let r = raw(addr, bytes.as_bytes());
        assert!(
            (400..500).contains(&r.status) || r.status == 505,
            "{what}: {}",
            r.status
        );
        r.error();
    }
    // A body shorter than announced, then the client stops sending.
    let mut stream = connect(addr);
    write!(
        stream,
        "POST {responses} HTTP/1.1\r\nContent-Length: 100\r\n\r\n{{\"pin\""
    )
    .unwrap();
    stream.shutdown(std::net::Shutdown::Write).unwrap();
    let r = read_reply(stream);
    assert_eq!(r.status, 400);
    assert!(memory.ids().is_empty());
    // No PIN at all is a wrong PIN, whatever else is wrong.
    let r = request(addr, "POST", &responses, &[], b"{\"role\": 3}");
    assert_eq!(r.status, 403);
    assert!(memory.ids().is_empty());
    assert_eq!(
        post(&c, &submission(&c, &uuid(2), 2)).status,
        201,
        "still serving"
    );
}

#[test]
fn every_problem_of_a_submission_is_listed_in_a_422() {
    let (c, memory) = start();
    let model = model();
    let front = model.role_group_index("front-line").unwrap();
    let unasked = (0..model.questions.len())
        .find(|&q| !model.asks(q, front))
        .map(|q| model.questions[q].id.clone())
        .unwrap();
    let body = json!({
        "submission_id": "not-a-uuid",
        "pin": c.pin(),
        "role": "boss",
        "name": "a\u{202e}b",
        "answers": {"STR-9.9": "3", "STR-1.1": "7", "VOC-1.1": "maybe"},
    });
    let r = post(&c, &body);
    assert_eq!((r.status, r.error()), (422, "invalid".to_string()));
    let v = r.json();
    assert_eq!(v["message"], "The submission has 6 problems.");
    let fields: Vec<&str> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "submission_id",
            "role",
            "name",
            "answers.STR-1.1",
            "answers.STR-9.9",
            "answers.VOC-1.1"
        ]
    );
    for p in v["problems"].as_array().unwrap() {
        assert!(p["message"].as_str().is_some_and(|m| !m.is_empty()), "{p}");
    }
    // A question the role group is not asked, among good answers: nothing is stored.
    let mut body = submission(&c, &uuid(3), 4);
    body["answers"][&unasked] = json!("2");
    let r = post(&c, &body);
    assert_eq!(r.status, 422);
    let problems = r.json()["problems"].clone();
    assert_eq!(problems.as_array().unwrap().len(), 1);
    assert_eq!(problems[0]["field"], format!("answers.{unasked}"));
    assert!(
        problems[0]["message"]
            .as_str()
            .unwrap()
            .contains("not asked of Front line")
    );
    assert!(memory.ids().is_empty());
    assert_eq!(c.status().submissions, 0);
}

// ----- storing -----

#[test]
fn a_submission_is_stored_once_and_its_retry_answers_200() {
    let (c, memory) = start();
    let id = "0F8FAD5B-D9CB-469F-A165-70867728950E";
    let body = submission(&c, id, 12);
    let first = post(&c, &body);
    assert_eq!(first.status, 201);
    assert_eq!(
        first.json(),
        json!({"submission_id": id.to_ascii_lowercase()})
    );
    assert_eq!(first.header("cache-control"), Some("no-store"));
    let again = post(&c, &body);
    assert_eq!(again.status, 200);
    assert_eq!(again.json(), first.json());
    assert_eq!(memory.ids(), [id.to_ascii_lowercase()]);
    let stored = memory.stored.lock().unwrap()[0].clone();
    assert_eq!(stored.answers.len(), 12);
    assert_eq!(stored.department.as_deref(), Some("Contact centre"));
    assert_eq!(stored.name.as_deref(), Some("R-17"));
    let status = c.status();
    assert_eq!((status.submissions, status.duplicates), (1, 1));
    assert!(status.running);
}

#[test]
fn a_failing_sink_is_a_500_without_its_details_and_a_panicking_one_too() {
    let (c, memory) = start();
    memory.failing.store(true, Ordering::SeqCst);
    let r = post(&c, &submission(&c, &uuid(1), 3));
    assert_eq!((r.status, r.error()), (500, "failed".to_string()));
    assert!(
        !r.text().contains("sqlite") && !r.text().contains("/home"),
        "{}",
        r.text()
    );
    memory.failing.store(false, Ordering::SeqCst);
    memory.panicking.store(true, Ordering::SeqCst);
    let r = post(&c, &submission(&c, &uuid(2), 3));
    assert_eq!((r.status, r.error()), (500, "failed".to_string()));
    memory.panicking.store(false, Ordering::SeqCst);
    // The same submission, sent again, is stored now.
    assert_eq!(post(&c, &submission(&c, &uuid(1), 3)).status, 201);
    assert_eq!(memory.ids(), [uuid(1)]);
    assert!(c.status().running);
}

// ----- stopping -----

#[test]
fn a_closed_round_is_410_and_stops_the_server() {
    let (c, memory) = start();
    let (addr, _) = target(&c);
    assert_eq!(post(&c, &submission(&c, &uuid(1), 3)).status, 201);
    memory.closed.store(true, Ordering::SeqCst);
    let r = post(&c, &submission(&c, &uuid(2), 3));
    assert_eq!((r.status, r.error()), (410, "closed".to_string()));
    let status = c.status();
    assert!(!status.running);
    assert_eq!(status.stopped_because, Some(StopReason::RoundClosed));
    assert_eq!(status.seconds_left, 0);
    assert!(c.wait(Duration::from_secs(30)), "stopped by itself");
    assert!(refused(addr), "the port is closed");
    c.stop();
    assert_eq!(
        c.status().stopped_because,
        Some(StopReason::RoundClosed),
        "the first reason stays"
    );
}

#[test]
fn after_stop_the_port_refuses_connections() {
    let (c, _) = start();
    let (addr, _) = target(&c);
    assert_eq!(get(&c, "", &[]).status, 200);
    assert!(c.status().running);
    assert!(!c.wait(Duration::ZERO), "still running");
    // A connection that has sent nothing yet does not hold the stop up.
    let idle = connect(addr);
    c.stop();
    assert!(refused(addr));
    assert!(c.wait(Duration::ZERO));
    let status = c.status();
    assert!(!status.running);
    assert_eq!(status.stopped_because, Some(StopReason::Stopped));
    c.stop(); // again: nothing happens
    assert!(refused(addr));
    drop(idle);

    // Dropping a collector stops it too.
    let (c, _) = start();
    let (addr, _) = target(&c);
    assert_eq!(get(&c, "", &[]).status, 200);
    drop(c);
    assert!(refused(addr));
}

#[test]
fn time_up_stops_the_server() {
    let memory = Arc::new(Memory::default());
    let c =
        Collector::start_with_deadline(memory, form(), LOCALHOST, 0, Duration::from_millis(300))
            .unwrap();
    let (addr, _) = target(&c);
    assert!(c.wait(Duration::from_secs(60)), "stopped by itself");
    let status = c.status();
    assert!(!status.running);
    assert_eq!(status.stopped_because, Some(StopReason::TimeUp));
    assert_eq!(status.seconds_left, 0);
    assert!(refused(addr));
}

#[test]
fn stop_can_be_called_from_several_threads() {
    let (c, _) = start();
    let (addr, _) = target(&c);
    let c = Arc::new(c);
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let c = Arc::clone(&c);
            std::thread::spawn(move || {
                c.stop();
                refused(addr)
            })
        })
        .collect();
    for t in threads {
        assert!(t.join().unwrap(), "closed once stop() returned");
    }
}

// ----- starting -----

#[test]
fn start_refuses_every_interface_bad_minutes_and_a_port_in_use() {
    let sink = || -> Arc<dyn Sink> { Arc::new(Memory::default()) };
    for bind in [
        IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        IpAddr::V6(Ipv6Addr::UNSPECIFIED),
    ] {
        let e = Collector::start(sink(), form(), Options { bind, ..options() }).unwrap_err();
        assert_eq!(e, StartError::EveryInterface(bind));
        assert!(
            e.to_string()
                .starts_with("choose one address: binding to every interface")
        );
    }
    for minutes in [0, 24 * 60 + 1] {
        let e = Collector::start(
            sink(),
            form(),
            Options {
                minutes,
                ..options()
            },
        )
        .unwrap_err();
        assert_eq!(e, StartError::Minutes(minutes));
    }
    let c = Collector::start(
        sink(),
        form(),
        Options {
            minutes: 24 * 60,
            ..options()
        },
    )
    .unwrap();
    let (addr, _) = target(&c);
    let e = Collector::start(
        sink(),
        form(),
        Options {
            port: addr.port(),
            ..options()
        },
    )
    .unwrap_err();
    assert_eq!(e, StartError::PortInUse(addr));
    assert!(e.to_string().contains("already in use"), "{e}");
    let status = c.status();
    assert!(
        status.seconds_left > 23 * 3600 && status.seconds_left <= 24 * 3600,
        "{}",
        status.seconds_left
    );
}

#[test]
fn each_start_has_a_new_token_and_pin_and_the_link_names_the_address() {
    let (a, _) = start();
    let (b, _) = start();
    let token = |c: &Collector| c.url().rsplit('/').next().unwrap().to_string();
    assert_ne!(token(&a), token(&b));
    assert_eq!(token(&a).len(), 48);
    assert!(
        token(&a)
            .bytes()
            .all(|x| x.is_ascii_hexdigit() && !x.is_ascii_uppercase())
    );
    assert!(a.url().starts_with("http://127.0.0.1:"));
    for c in [&a, &b] {
        assert_eq!(c.pin().len(), 6);
        assert!(c.pin().bytes().all(|x| x.is_ascii_digit()));
        assert_eq!(c.status().pin, c.pin());
        assert_eq!(c.status().url, c.url());
    }
    // The old link does not open the new collector.
    let (addr, _) = target(&b);
    assert_eq!(
        request(addr, "GET", &format!("/c/{}", token(&a)), &[], b"").status,
        404
    );

    // IPv6: the address in brackets, where this machine has ::1.
    let v6 = Options {
        bind: IpAddr::V6(Ipv6Addr::LOCALHOST),
        ..options()
    };
    match Collector::start(Arc::new(Memory::default()), form(), v6) {
        Ok(c) => {
            assert!(c.url().starts_with("http://[::1]:"), "{}", c.url());
            assert_eq!(get(&c, "", &[]).status, 200);
        }
        Err(StartError::Bind { .. }) => {
            eprintln!("no IPv6 loopback here: the bracket form is not checked")
        }
        Err(e) => panic!("{e}"),
    }
}

// ----- load -----

#[test]
fn a_hundred_phones_at_once_are_each_stored_exactly_once() {
    const PHONES: u32 = 100;
    const RETRIES: u32 = 20;
    let (c, memory) = start();
    let c = Arc::new(c);
    let barrier = Arc::new(Barrier::new((PHONES + RETRIES) as usize));
    let threads: Vec<_> = (0..PHONES + RETRIES)
        .map(|i| {
            let c = Arc::clone(&c);
            let barrier = Arc::clone(&barrier);
            // The retries send again what phones 0..20 send.
            let id = uuid(i % PHONES);
            std::thread::spawn(move || {
                let body = submission(&c, &id, 1 + (i as usize % 28));
                barrier.wait();
                let r = post(&c, &body);
                (
                    r.status,
                    r.json()["submission_id"].as_str().map(str::to_string),
                    id,
                )
            })
        })
        .collect();
    let mut created = 0;
    let mut again = 0;
    for t in threads {
        let (status, returned, id) = t.join().unwrap();
        assert_eq!(returned.as_deref(), Some(id.as_str()));
        match status {
            201 => created += 1,
            200 => again += 1,
            other => panic!("status {other}"),
        }
    }
    assert_eq!((created, again), (PHONES, RETRIES));
    let ids = memory.ids();
    assert_eq!(ids.len(), PHONES as usize, "each stored once");
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), PHONES as usize);
    let status = c.status();
    assert_eq!((status.submissions, status.duplicates), (PHONES, RETRIES));
}
