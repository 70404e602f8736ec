//! The UI's development server: the built UI (`ui/dist`) and every command of
//! [`cxm_api`] over HTTP, so the UI runs in an ordinary browser against the real
//! backend — the browser tests (`ui/tests/browser/`) and work on the UI without the
//! desktop app. A development tool only: the app never contains it.
//!
//! - It listens on `127.0.0.1` only, on a port the system picks, and answers only
//!   requests whose `Host` is `127.0.0.1:PORT` or `localhost:PORT` (a page of another
//!   site that resolves its name to this machine is refused).
//! - `POST /api/<command>` with the command's arguments as a JSON object (camelCase
//!   keys, exactly as Tauri's IPC sends them) runs [`cxm_api::dispatch`]: `200` with
//!   the result as JSON, or `4xx` with the `ApiError` (`{code, message}`).
//! - Every `/api/…` and `/test/…` request needs the token the server prints at start,
//!   as `Authorization: Bearer <token>`. The UI reads it from its address
//!   (`?token=…`) and sends it with each command.
//! - Any other `GET` serves a file of the built UI (`--ui`), with the app's content
//!   security policy (connections to this server only).
//! - `/test/…` are the tests' controls, in place of what the platform does: what the
//!   open, folder and save dialogs answer, a failure for the next call of a command, a delay
//!   before every command, the log of calls and dialogs, the check the app runs after
//!   start, and stopping the server (see `control` in the source for each).

use std::collections::{HashMap, VecDeque};
use std::io::{Cursor, Read};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant};

use cxm_api::wire::{ApiError, ErrorCode};
use cxm_api::{Api, DialogSpec, FakeHost};
use serde_json::{Map, Value, json};
use tiny_http::{Header, Method, Request, Response, Server};

/// The largest request body read (a command's arguments are small).
const MAX_BODY: u64 = 16 * 1024 * 1024;
/// How long stopping waits for requests still running.
const STOP_GRACE: Duration = Duration::from_secs(3);

/// The content security policy of the served pages: the app's (`tauri.conf.json`),
/// with connections to this server instead of Tauri's IPC.
pub const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'";

/// How the server starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The database (created when missing; a file that cannot be opened is reported
    /// by `app_status`, as in the app).
    pub db: PathBuf,
    /// The built UI to serve (`ui/dist`); without it only the API answers.
    pub ui: Option<PathBuf>,
    /// Where the save dialog saves (created if missing), under the name the command
    /// suggests; `None`: the save dialog is cancelled (until `/test/save-dialog` says
    /// otherwise).
    pub save_dir: Option<PathBuf>,
    /// When the check the app runs after start (damage, then the automatic backup)
    /// runs on its own; `None`: only when `/test/check` asks.
    pub check_after: Option<Duration>,
}

/// What the save dialog answers.
#[derive(Debug, Clone, PartialEq, Eq)]
enum SaveTo {
    /// Cancelled.
    Cancel,
    /// This folder, under the suggested name.
    Dir(PathBuf),
    /// This file, whatever the suggested name.
    File(PathBuf),
}

/// The tests' controls and what the server saw: shared by the request handlers and
/// the platform ([`FakeHost`]) under the API.
#[derive(Debug)]
struct Controls {
    /// What every open dialog answers (`None`: cancelled).
    open: Option<PathBuf>,
    /// What every folder dialog answers (`None`: cancelled).
    folder: Option<PathBuf>,
    save: SaveTo,
    /// Per command, the errors its next calls answer, in order.
    failures: HashMap<String, VecDeque<ApiError>>,
    /// Waited before every command.
    latency: Duration,
    /// `{command, args, error?}`, oldest first.
    calls: Vec<Value>,
    /// `{kind, title, suggested?, answer}`, oldest first.
    dialogs: Vec<Value>,
    /// Files opened with the "system viewer".
    opened: Vec<String>,
    /// Files shown in the "file manager".
    revealed: Vec<String>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn path_text(p: &Path) -> String {
    p.display().to_string()
}

/// The platform under the API: dialogs answered as the controls say, and recorded.
fn host(controls: &Arc<Mutex<Controls>>) -> FakeHost {
    let save = Arc::clone(controls);
    let open = Arc::clone(controls);
    let folder = Arc::clone(controls);
    let opened = Arc::clone(controls);
    let revealed = Arc::clone(controls);
    FakeHost::new()
        .save_dialog(move |spec: &DialogSpec, suggested: &str| {
            let mut c = lock(&save);
            let answer = match &c.save {
                SaveTo::Cancel => None,
                SaveTo::Dir(dir) => Some(dir.join(suggested)),
                SaveTo::File(file) => Some(file.clone()),
            };
            c.dialogs.push(json!({
                "kind": "save",
                "title": spec.title,
                "filter": spec.filter,
                "suggested": suggested,
                "answer": answer.as_deref().map(path_text),
            }));
            Ok(answer)
        })
        .open_dialog(move |spec: &DialogSpec| {
            let mut c = lock(&open);
            let answer = c.open.clone();
            c.dialogs.push(json!({
                "kind": "open",
                "title": spec.title,
                "filter": spec.filter,
                "answer": answer.as_deref().map(path_text),
            }));
            Ok(answer)
        })
        .folder_dialog(move |title: &str| {
            let mut c = lock(&folder);
            let answer = c.folder.clone();
            c.dialogs.push(json!({
                "kind": "folder",
                "title": title,
                "answer": answer.as_deref().map(path_text),
            }));
            Ok(answer)
        })
        .opener(move |p: &Path| {
            lock(&opened).opened.push(path_text(p));
            true
        })
        .revealer(move |p: &Path| {
            lock(&revealed).revealed.push(path_text(p));
            true
        })
}

struct State {
    api: Api,
    token: String,
    port: u16,
    ui: Option<PathBuf>,
    controls: Arc<Mutex<Controls>>,
    http: Arc<Server>,
}

/// A started server; [`DevServer::run`] serves until `/test/quit` or
/// [`Stopper::stop`].
pub struct DevServer {
    state: Arc<State>,
}

/// Stops a [`DevServer`] from another thread.
#[derive(Clone)]
pub struct Stopper(Arc<Server>);

impl Stopper {
    /// Stops taking requests; [`DevServer::run`] returns once those running are done.
    pub fn stop(&self) {
        self.0.unblock();
    }
}

impl std::fmt::Debug for DevServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DevServer")
            .field("port", &self.state.port)
            .finish_non_exhaustive()
    }
}

/// 32 random bytes from the operating system, as hex.
fn new_token() -> std::io::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

impl DevServer {
    /// Opens the database and binds `127.0.0.1` on a free port.
    pub fn start(options: Options) -> std::io::Result<DevServer> {
        let http = Server::http("127.0.0.1:0").map_err(|e| std::io::Error::other(e.to_string()))?;
        let port = http
            .server_addr()
            .to_ip()
            .map(|a| a.port())
            .ok_or_else(|| std::io::Error::other("not listening on an IP address"))?;
        if let Some(dir) = &options.save_dir {
            std::fs::create_dir_all(dir)?;
        }
        let controls = Arc::new(Mutex::new(Controls {
            open: None,
            folder: None,
            save: options.save_dir.clone().map_or(SaveTo::Cancel, SaveTo::Dir),
            failures: HashMap::new(),
            latency: Duration::ZERO,
            calls: Vec::new(),
            dialogs: Vec::new(),
            opened: Vec::new(),
            revealed: Vec::new(),
        }));
        let api = Api::open(Some(options.db.clone())).with_host(host(&controls));
        let state = Arc::new(State {
            api,
            token: new_token()?,
            port,
            ui: options.ui.clone(),
            controls,
            http: Arc::new(http),
        });
        if let Some(delay) = options.check_after {
            let weak: Weak<State> = Arc::downgrade(&state);
            std::thread::Builder::new()
                .name("cxm-dev-check".into())
                .spawn(move || {
                    std::thread::sleep(delay);
                    if let Some(state) = weak.upgrade() {
                        check_after_start(&state.api);
                    }
                })?;
        }
        Ok(DevServer { state })
    }

    /// The port on `127.0.0.1`.
    pub fn port(&self) -> u16 {
        self.state.port
    }

    /// The token every `/api/…` and `/test/…` request must send.
    pub fn token(&self) -> &str {
        &self.state.token
    }

    /// `http://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.state.port)
    }

    /// A handle that stops the server from another thread.
    pub fn stopper(&self) -> Stopper {
        Stopper(Arc::clone(&self.state.http))
    }

    /// Serves, one thread per request, until stopped; then waits a little for the
    /// requests still running and closes the database (so a write-ahead log is folded
    /// back into the file).
    pub fn run(self) {
        let http = Arc::clone(&self.state.http);
        for request in http.incoming_requests() {
            let state = Arc::clone(&self.state);
            let spawned = std::thread::Builder::new()
                .name("cxm-dev-request".into())
                .spawn(move || handle(&state, request));
            if let Err(e) = spawned {
                eprintln!("cxm-dev-server: no thread for a request: {e}");
            }
        }
        let deadline = Instant::now() + STOP_GRACE;
        while Arc::strong_count(&self.state) > 1 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// What the app does a few seconds after start (`Api::spawn_automatic_backup`): the
/// damage check, then, when the database is whole, the automatic backup.
fn check_after_start(api: &Api) -> Value {
    if api.database_health().is_err() {
        return json!({ "ran": false, "damage": null, "backup": null, "backup_error": null });
    }
    if let Some(problem) = api.check_database() {
        return json!({ "ran": true, "damage": problem, "backup": null, "backup_error": null });
    }
    let (backup, error) = match api.automatic_backup_at(chrono::Utc::now()) {
        Ok(made) => (
            serde_json::to_value(made).unwrap_or(Value::Null),
            Value::Null,
        ),
        Err(e) => (Value::Null, serde_json::to_value(e).unwrap_or(Value::Null)),
    };
    json!({ "ran": true, "damage": null, "backup": backup, "backup_error": error })
}

type Reply = Response<Cursor<Vec<u8>>>;

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("a valid header")
}

fn with_common_headers(r: Reply) -> Reply {
    r.with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
        .with_header(header("Referrer-Policy", "no-referrer"))
}

fn json_reply(status: u16, value: &Value) -> Reply {
    let body = serde_json::to_vec(value).unwrap_or_else(|_| b"null".to_vec());
    with_common_headers(
        Response::from_data(body)
            .with_status_code(status)
            .with_header(header("Content-Type", "application/json; charset=utf-8")),
    )
}

/// An error of the server itself (not of a command): an `ApiError` like the commands'.
fn error_reply(status: u16, code: ErrorCode, message: &str) -> Reply {
    api_error_reply(status, &ApiError::new(code, message))
}

fn api_error_reply(status: u16, error: &ApiError) -> Reply {
    json_reply(status, &serde_json::to_value(error).unwrap_or(Value::Null))
}

/// The HTTP status of an `ApiError` by its code.
fn status_of(error: &ApiError) -> u16 {
    match error.code {
        ErrorCode::NotFound => 404,
        ErrorCode::Internal => 500,
        _ => 400,
    }
}

fn header_value<'a>(request: &'a Request, name: &'static str) -> Option<&'a str> {
    request
        .headers()
        .iter()
        .find(|h| h.field.equiv(name))
        .map(|h| h.value.as_str())
}

/// Whether two strings are equal, in time that does not depend on where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn handle(state: &State, mut request: Request) {
    let quit = request.method() == &Method::Post && request.url() == "/test/quit";
    let reply = route(state, &mut request);
    let ok = reply.status_code().0 == 200;
    if let Err(e) = request.respond(reply) {
        eprintln!("cxm-dev-server: could not answer: {e}");
    }
    if quit && ok {
        state.http.unblock();
    }
}

fn route(state: &State, request: &mut Request) -> Reply {
    let host_ok = header_value(request, "Host").is_some_and(|h| {
        h == format!("127.0.0.1:{}", state.port) || h == format!("localhost:{}", state.port)
    });
    if !host_ok {
        return error_reply(
            403,
            ErrorCode::Forbidden,
            "this server answers only requests for 127.0.0.1 or localhost on its port",
        );
    }
    let url = request.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or("/").to_string();
    let method = request.method().clone();
    let protected = path.starts_with("/api/") || path.starts_with("/test/");
    if !protected {
        return match method {
            Method::Get | Method::Head => serve_file(state, &path),
            _ => error_reply(405, ErrorCode::Invalid, "only GET for the UI's files"),
        };
    }
    let authorised = header_value(request, "Authorization")
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(|t| same(t.trim(), &state.token));
    if !authorised {
        return error_reply(
            401,
            ErrorCode::Unauthorized,
            "send the token the server printed at start: Authorization: Bearer <token>",
        );
    }
    let body = match read_body(request) {
        Ok(b) => b,
        Err(reply) => return reply,
    };
    if let Some(command) = path.strip_prefix("/api/") {
        if method != Method::Post {
            return error_reply(405, ErrorCode::Invalid, "commands are POST /api/<command>");
        }
        return api_call(state, command, body);
    }
    control(state, &method, &path["/test/".len()..], body)
}

/// The request's body as a JSON object (an empty body is `{}`).
fn read_body(request: &mut Request) -> Result<Map<String, Value>, Reply> {
    let mut bytes = Vec::new();
    let read = request
        .as_reader()
        .take(MAX_BODY + 1)
        .read_to_end(&mut bytes);
    if let Err(e) = read {
        return Err(error_reply(
            400,
            ErrorCode::Invalid,
            &format!("the body could not be read: {e}"),
        ));
    }
    if bytes.len() as u64 > MAX_BODY {
        return Err(error_reply(
            413,
            ErrorCode::Invalid,
            "the body is too large",
        ));
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(error_reply(
            400,
            ErrorCode::Invalid,
            "the body must be a JSON object",
        )),
        Err(e) => Err(error_reply(
            400,
            ErrorCode::Invalid,
            &format!("the body is not JSON: {e}"),
        )),
    }
}

fn api_call(state: &State, command: &str, args: Map<String, Value>) -> Reply {
    let (index, latency, failure) = {
        let mut c = lock(&state.controls);
        c.calls
            .push(json!({ "command": command, "args": Value::Object(args.clone()) }));
        let failure = c.failures.get_mut(command).and_then(VecDeque::pop_front);
        (c.calls.len() - 1, c.latency, failure)
    };
    if !latency.is_zero() {
        std::thread::sleep(latency);
    }
    let result = match failure {
        Some(error) => Err(error),
        None => cxm_api::dispatch(&state.api, command, &args),
    };
    match result {
        Ok(value) => json_reply(200, &value),
        Err(error) => {
            if let Some(call) = lock(&state.controls).calls.get_mut(index) {
                call["error"] = serde_json::to_value(error.code).unwrap_or(Value::Null);
            }
            api_error_reply(status_of(&error), &error)
        }
    }
}

fn text_arg<'a>(body: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>, Reply> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(error_reply(
            400,
            ErrorCode::Invalid,
            &format!("`{key}` must be a string or null"),
        )),
    }
}

/// The tests' controls.
fn control(state: &State, method: &Method, what: &str, body: Map<String, Value>) -> Reply {
    let ok = json!({ "ok": true });
    match (method, what) {
        (Method::Get, "log") => {
            let c = lock(&state.controls);
            json_reply(
                200,
                &json!({
                    "calls": c.calls,
                    "dialogs": c.dialogs,
                    "opened": c.opened,
                    "revealed": c.revealed,
                }),
            )
        }
        // `{"path": "/x/model.toml"}`: every open dialog answers this file from now on;
        // `{"path": null}`: every open dialog is cancelled.
        (Method::Post, "open-dialog") => match text_arg(&body, "path") {
            Ok(path) => {
                lock(&state.controls).open = path.map(PathBuf::from);
                json_reply(200, &ok)
            }
            Err(reply) => reply,
        },
        // `{"path": "/x/team"}`: every folder dialog answers this folder from now on;
        // `{"path": null}`: every folder dialog is cancelled.
        (Method::Post, "folder-dialog") => match text_arg(&body, "path") {
            Ok(path) => {
                lock(&state.controls).folder = path.map(PathBuf::from);
                json_reply(200, &ok)
            }
            Err(reply) => reply,
        },
        // `{"dir": "/x"}`: saves go into this folder under the suggested name;
        // `{"path": "/x/a.pdf"}`: into this file; `{}` or nulls: cancelled.
        (Method::Post, "save-dialog") => {
            let (dir, file) = match (text_arg(&body, "dir"), text_arg(&body, "path")) {
                (Ok(d), Ok(f)) => (d, f),
                (Err(reply), _) | (_, Err(reply)) => return reply,
            };
            lock(&state.controls).save = match (dir, file) {
                (_, Some(f)) => SaveTo::File(PathBuf::from(f)),
                (Some(d), None) => SaveTo::Dir(PathBuf::from(d)),
                (None, None) => SaveTo::Cancel,
            };
            json_reply(200, &ok)
        }
        // `{"command": "set_answer", "code": "database", "message": "the disk is full"}`:
        // the next call of that command answers this error, without running.
        (Method::Post, "fail") => {
            let command = text_arg(&body, "command");
            let code = text_arg(&body, "code");
            let message = text_arg(&body, "message");
            match (command, code, message) {
                (Ok(Some(command)), Ok(Some(code)), Ok(message)) => {
                    let Ok(code) = serde_json::from_value::<ErrorCode>(json!(code)) else {
                        return error_reply(
                            400,
                            ErrorCode::Invalid,
                            &format!("`{code}` is not an error code (see ErrorCode)"),
                        );
                    };
                    let error =
                        ApiError::new(code, message.unwrap_or("failed on purpose (test control)"));
                    lock(&state.controls)
                        .failures
                        .entry(command.to_string())
                        .or_default()
                        .push_back(error);
                    json_reply(200, &ok)
                }
                _ => error_reply(
                    400,
                    ErrorCode::Invalid,
                    "give `command` and `code` (and a `message`)",
                ),
            }
        }
        // `{"ms": 300}`: every command waits this long first.
        (Method::Post, "latency") => match body.get("ms").and_then(Value::as_u64) {
            Some(ms) => {
                lock(&state.controls).latency = Duration::from_millis(ms);
                json_reply(200, &ok)
            }
            None => error_reply(400, ErrorCode::Invalid, "give `ms`, a whole number"),
        },
        // What the app runs a few seconds after start, now.
        (Method::Post, "check") => json_reply(200, &check_after_start(&state.api)),
        (Method::Post, "quit") => json_reply(200, &ok),
        _ => error_reply(
            404,
            ErrorCode::NotFound,
            &format!("there is no test control `{what}`"),
        ),
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("ttf") => "font/ttf",
        Some("woff2") => "font/woff2",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// A file of the built UI: plain relative paths only (no `..`, no hidden files, no
/// escapes); `/` is `index.html`.
fn serve_file(state: &State, path: &str) -> Reply {
    let Some(root) = &state.ui else {
        return error_reply(
            404,
            ErrorCode::NotFound,
            "no UI to serve: start the server with --ui DIR",
        );
    };
    let relative = if path == "/" {
        "index.html"
    } else {
        &path[1..]
    };
    let relative = Path::new(relative);
    let plain = relative.components().all(|c| match c {
        Component::Normal(part) => part
            .to_str()
            .is_some_and(|s| !s.starts_with('.') && !s.contains(['%', '\\'])),
        _ => false,
    });
    if !plain {
        return error_reply(404, ErrorCode::NotFound, "no such file");
    }
    let file = root.join(relative);
    match std::fs::read(&file) {
        Ok(bytes) => {
            let kind = content_type(&file);
            let mut reply = with_common_headers(
                Response::from_data(bytes).with_header(header("Content-Type", kind)),
            );
            if kind.starts_with("text/html") {
                reply = reply.with_header(header("Content-Security-Policy", CSP));
            }
            reply
        }
        Err(_) => error_reply(404, ErrorCode::NotFound, "no such file"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_hex() {
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn comparison_is_exact() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "abcd"));
        assert!(!same("", "a"));
    }

    #[test]
    fn the_folder_dialog_answers_what_the_tests_set_and_is_logged() {
        use cxm_api::Host;
        let controls = Arc::new(Mutex::new(Controls {
            open: None,
            folder: None,
            save: SaveTo::Cancel,
            failures: HashMap::new(),
            latency: Duration::ZERO,
            calls: Vec::new(),
            dialogs: Vec::new(),
            opened: Vec::new(),
            revealed: Vec::new(),
        }));
        let host = host(&controls);
        assert_eq!(
            Host::folder_dialog(&host, "Choose the team folder").unwrap(),
            None
        );
        lock(&controls).folder = Some(PathBuf::from("/x/team"));
        assert_eq!(
            Host::folder_dialog(&host, "Choose the team folder").unwrap(),
            Some(PathBuf::from("/x/team"))
        );
        let dialogs = lock(&controls).dialogs.clone();
        assert_eq!(
            dialogs,
            vec![
                json!({"kind": "folder", "title": "Choose the team folder", "answer": null}),
                json!({"kind": "folder", "title": "Choose the team folder", "answer": "/x/team"}),
            ]
        );
    }

    #[test]
    fn errors_map_to_statuses() {
        let status = |code| status_of(&ApiError::new(code, "x"));
        assert_eq!(status(ErrorCode::NotFound), 404);
        assert_eq!(status(ErrorCode::Internal), 500);
        assert_eq!(status(ErrorCode::InvalidModel), 400);
        assert_eq!(status(ErrorCode::ReadOnly), 400);
    }
}
