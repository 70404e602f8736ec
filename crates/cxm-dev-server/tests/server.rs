//! The development server over real HTTP on 127.0.0.1: who it answers, commands by
//! name with Tauri's JSON arguments, the files of the UI, and the test controls.
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::thread::JoinHandle;

use cxm_dev_server::{CSP, DevServer, Options};
use serde_json::{Value, json};

struct Running {
    port: u16,
    token: String,
    thread: Option<JoinHandle<()>>,
    stopper: cxm_dev_server::Stopper,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stopper.stop();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn start(dir: &Path, ui: Option<&Path>) -> Running {
    let server = DevServer::start(Options {
        db: dir.join("data/cxm.sqlite"),
        ui: ui.map(Path::to_path_buf),
        save_dir: Some(dir.join("saved")),
        check_after: None,
    })
    .unwrap();
    assert!(server.url().starts_with("http://127.0.0.1:"));
    Running {
        port: server.port(),
        token: server.token().to_string(),
        stopper: server.stopper(),
        thread: Some(std::thread::spawn(move || server.run())),
    }
}

/// One request: the status and the body.
fn raw(port: u16, request: &str) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    let text = String::from_utf8_lossy(&out);
    let status = text[9..12].parse().unwrap();
    let at = out.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    (status, out[at..].to_vec())
}

fn request(
    port: u16,
    method: &str,
    path: &str,
    host: &str,
    token: Option<&str>,
    body: &str,
) -> (u16, Vec<u8>) {
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    raw(
        port,
        &format!(
            "{method} {path} HTTP/1.1\r\nHost: {host}\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
}

impl Running {
    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
    fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let (status, bytes) = request(
            self.port,
            "POST",
            path,
            &self.host(),
            Some(&self.token),
            &body.to_string(),
        );
        (status, serde_json::from_slice(&bytes).unwrap())
    }
    fn api(&self, command: &str, args: Value) -> Value {
        let (status, value) = self.post(&format!("/api/{command}"), args);
        assert_eq!(status, 200, "{command}: {value}");
        value
    }
    fn log(&self) -> Value {
        let (status, bytes) = request(
            self.port,
            "GET",
            "/test/log",
            &self.host(),
            Some(&self.token),
            "",
        );
        assert_eq!(status, 200);
        serde_json::from_slice(&bytes).unwrap()
    }
}

#[test]
fn commands_run_by_name_only_with_the_token_and_the_right_host() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path(), None);
    let host = s.host();

    // No token, a wrong one, another site's name: refused before anything runs.
    let (status, body) = request(s.port, "POST", "/api/load_demo", &host, None, "{}");
    assert_eq!(status, 401);
    assert_eq!(
        serde_json::from_slice::<Value>(&body).unwrap()["code"],
        "unauthorized"
    );
    let wrong = "0".repeat(64);
    assert_eq!(
        request(s.port, "POST", "/api/load_demo", &host, Some(&wrong), "{}").0,
        401
    );
    let evil = format!("evil.example:{}", s.port);
    assert_eq!(
        request(
            s.port,
            "POST",
            "/api/load_demo",
            &evil,
            Some(&s.token),
            "{}"
        )
        .0,
        403
    );
    assert_eq!(request(s.port, "GET", "/", &evil, None, "").0, 403);
    let other_port = format!("127.0.0.1:{}", s.port.wrapping_add(1));
    assert_eq!(
        request(
            s.port,
            "POST",
            "/api/load_demo",
            &other_port,
            Some(&s.token),
            ""
        )
        .0,
        403
    );
    assert!(
        s.log()["calls"].as_array().unwrap().is_empty(),
        "nothing ran"
    );

    // camelCase arguments, as Tauri sends them; `localhost` is this machine too.
    let org = s.api("load_demo", json!({}));
    let local = format!("localhost:{}", s.port);
    let (status, body) = request(
        s.port,
        "POST",
        "/api/list_organisations",
        &local,
        Some(&s.token),
        r#"{"includeArchived": false}"#,
    );
    assert_eq!(status, 200);
    let list: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(list[0]["id"], org);
    assert_eq!(list[0]["name"], "Northwind Energy");
    // A command without a result answers null.
    assert_eq!(
        s.api(
            "rename_organisation",
            json!({"id": org, "name": "Northwind plc"})
        ),
        Value::Null
    );

    // Errors: the ApiError, with a 4xx status.
    let (status, e) = s.post("/api/round_page", json!({"id": 9999}));
    assert_eq!((status, e["code"].as_str()), (404, Some("not_found")));
    let (status, e) = s.post("/api/organisation_page", json!({"id": "seven"}));
    assert_eq!((status, e["code"].as_str()), (400, Some("invalid")));
    assert!(
        e["message"].as_str().unwrap().contains("argument `id`"),
        "{e}"
    );
    let (status, e) = s.post("/api/drop_everything", json!({}));
    assert_eq!((status, e["code"].as_str()), (400, Some("invalid")));
    let (status, _) = request(
        s.port,
        "POST",
        "/api/app_status",
        &host,
        Some(&s.token),
        "[1]",
    );
    assert_eq!(status, 400);
    let (status, _) = request(s.port, "GET", "/api/app_status", &host, Some(&s.token), "");
    assert_eq!(status, 405);

    let calls = s.log()["calls"].clone();
    assert_eq!(calls[0]["command"], "load_demo");
    assert_eq!(calls[1]["args"], json!({"includeArchived": false}));
    assert_eq!(calls[3]["error"], "not_found");
}

#[test]
fn the_ui_is_served_with_the_apps_policy_and_nothing_outside_it() {
    let dir = tempfile::tempdir().unwrap();
    let ui = dir.path().join("dist");
    std::fs::create_dir_all(ui.join("assets")).unwrap();
    std::fs::write(ui.join("index.html"), "<!doctype html><p>hi</p>").unwrap();
    std::fs::write(ui.join("assets/app.js"), "console.log(1)").unwrap();
    std::fs::write(ui.join(".secret"), "no").unwrap();
    std::fs::write(dir.path().join("outside.txt"), "no").unwrap();
    let s = start(dir.path(), Some(&ui));
    let host = s.host();

    let get = |path: &str| {
        let mut stream = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut out = String::new();
        stream.read_to_string(&mut out).unwrap();
        out
    };
    let index = get("/?token=abc");
    assert!(index.starts_with("HTTP/1.1 200"), "{index}");
    assert!(index.contains("<p>hi</p>"));
    assert!(
        index.contains(&format!("Content-Security-Policy: {CSP}")),
        "{index}"
    );
    let js = get("/assets/app.js");
    assert!(js.contains("Content-Type: text/javascript"), "{js}");
    for path in [
        "/../outside.txt",
        "/assets/../../outside.txt",
        "/.secret",
        "/%2e%2e/outside.txt",
        "/nope.js",
    ] {
        assert!(get(path).starts_with("HTTP/1.1 404"), "{path}");
    }
}

#[test]
fn dialogs_failures_and_the_check_after_start_are_the_tests_to_set() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path(), None);
    let org = s.api("load_demo", json!({}));

    // The open dialog: cancelled until told otherwise, then the file it is given.
    assert_eq!(s.api("import_model", json!({}))["model"], Value::Null);
    let model = dir.path().join("broken.toml");
    std::fs::write(&model, "this is = not [ a model").unwrap();
    s.post(
        "/test/open-dialog",
        json!({"path": model.display().to_string()}),
    );
    let (status, e) = s.post("/api/import_model", json!({}));
    assert_eq!((status, e["code"].as_str()), (400, Some("invalid_model")));

    // The save dialog: the folder given at start, under the suggested name.
    let out = s.api("export_engagement", json!({"organisation": org}));
    let path = out["path"].as_str().unwrap();
    assert!(
        path.ends_with("Northwind Energy - engagement.cxmx"),
        "{path}"
    );
    assert!(Path::new(path).is_file());
    s.post("/test/save-dialog", json!({}));
    assert_eq!(
        s.api("export_engagement", json!({"organisation": org}))["path"],
        Value::Null
    );
    let dialogs = s.log()["dialogs"].clone();
    assert_eq!(dialogs[0]["kind"], "open");
    assert_eq!(dialogs[0]["answer"], Value::Null);
    assert_eq!(dialogs[2]["kind"], "save");
    assert_eq!(
        dialogs[2]["suggested"],
        "Northwind Energy - engagement.cxmx"
    );

    // A failure for the next call only.
    s.post(
        "/test/fail",
        json!({"command": "list_models", "code": "database", "message": "the disk is full"}),
    );
    let (status, e) = s.post("/api/list_models", json!({}));
    assert_eq!(status, 400);
    assert_eq!(
        e,
        json!({"code": "database", "message": "the disk is full"})
    );
    assert!(s.api("list_models", json!({})).is_array());
    // Only a code the UI knows (ErrorCode) can be injected.
    let (status, e) = s.post(
        "/test/fail",
        json!({"command": "list_models", "code": "disk_ful"}),
    );
    assert_eq!((status, e["code"].as_str()), (400, Some("invalid")));
    assert!(s.api("list_models", json!({})).is_array());

    // The check after start: not run until asked, then the automatic backup.
    assert_eq!(s.api("database_health", json!({}))["checked"], false);
    let (_, check) = s.post("/test/check", json!({}));
    assert_eq!(check["damage"], Value::Null);
    assert_eq!(check["backup"]["reason"], "automatic");
    let health = s.api("database_health", json!({}));
    assert_eq!(
        health,
        json!({"checked": true, "damage": null, "read_only": null})
    );
    let (status, _) = s.post("/test/nothing", json!({}));
    assert_eq!(status, 404);
}

#[test]
fn quit_closes_the_database_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = start(dir.path(), None);
    s.api("load_demo", json!({}));
    let (status, _) = s.post("/test/quit", json!({}));
    assert_eq!(status, 200);
    s.thread.take().unwrap().join().unwrap();
    // The write-ahead log was folded back: the file alone holds everything.
    assert!(!dir.path().join("data/cxm.sqlite-wal").exists());
    let again = start(dir.path(), None);
    let list = again.api("list_organisations", json!({"includeArchived": false}));
    assert_eq!(list.as_array().unwrap().len(), 1);
}

#[test]
fn a_file_that_is_not_a_database_is_reported_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    let db = dir.path().join("data/cxm.sqlite");
    let bytes = b"Quarterly notes, not a database.\n".repeat(100);
    std::fs::write(&db, &bytes).unwrap();
    let s = start(dir.path(), None);
    let status = s.api("app_status", json!({}));
    assert!(status["error"]["code"].is_string(), "{status}");
    assert_eq!(status["db_path"], db.display().to_string());
    let (code, e) = s.post("/api/list_organisations", json!({"includeArchived": false}));
    assert_eq!((code, e["code"].as_str()), (400, Some("no_database")));
    assert_eq!(std::fs::read(&db).unwrap(), bytes);
}
