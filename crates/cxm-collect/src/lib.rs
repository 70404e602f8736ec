//! Workshop mode's server: participants answer a round's questionnaire on their own
//! phones, over the local network, and each submission lands in the round's inbox
//! through a [`Sink`] (`docs/collect-api.md` describes the routes).
//!
//! - [`Collector::start`] listens on one address of this machine (never on every
//!   interface), on a new random token (192 bits, in the link) and a new 6-digit PIN
//!   (written on the board), for a number of minutes.
//! - `GET /c/{token}` is the participant's page (`page/`: one HTML document, its style
//!   and script inline, a strict content security policy); `GET /c/{token}/form` the
//!   questionnaire for the page (with the PIN); `POST /c/{token}/responses` a
//!   submission, checked with [`cxm_domain::submission::check`] and handed to the sink.
//! - Ten wrong PINs from one address lock it out for five minutes; bodies over 256 KB
//!   are refused; every refusal is JSON `{"error", "message"}`; nothing a client
//!   sends makes the server panic or store part of a submission.
//! - It stops when asked ([`Collector::stop`], or dropping it), when the time is up,
//!   and when the sink says the round is closed. Once stopped, the port refuses
//!   connections.
//!
//! The HTTP is this crate's own (`http.rs`, one request per connection), served by an
//! accepting thread and a few workers.

mod form;
mod http;
mod lockout;
mod page;
mod secret;

use std::collections::VecDeque;
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use cxm_domain::Model;
use cxm_domain::submission::{RawSubmission, Submission, check};
use serde::Serialize;
use serde_json::{Value, json};

use crate::http::{Connection, ReadError, Refusal, Response};
use crate::lockout::Lockout;

/// How long collecting runs when nothing else is said (the CLI's default).
pub const DEFAULT_MINUTES: u32 = 120;
/// The longest a collection may run: a day.
pub const MAX_MINUTES: u32 = 24 * 60;
/// The largest request body accepted (`413` above it).
pub const MAX_BODY_BYTES: usize = 256 * 1024;
/// Wrong PINs from one address before it is locked out.
pub const MAX_WRONG_PINS: u32 = 10;
/// How long an address is locked out (`429`).
pub const LOCKOUT: Duration = Duration::from_secs(5 * 60);
/// The header that carries the PIN on `GET /c/{token}/form`.
pub const PIN_HEADER: &str = "X-CXM-PIN";

/// Threads that answer requests.
const WORKERS: usize = 8;
/// How often the accepting thread looks for new connections, data on waiting ones,
/// the stop flag and the deadline.
const ACCEPT_POLL: Duration = Duration::from_millis(10);
/// Connections kept at most, waiting for their first byte or for a worker.
const MAX_WAITING: usize = 1024;
/// How long a connection may stay open without sending anything.
const IDLE_LIMIT: Duration = Duration::from_secs(10);
/// How long an idle worker waits before it looks at the stop flag again.
const WORKER_POLL: Duration = Duration::from_millis(200);

/// What the participants answer: the round's title and its model.
#[derive(Debug, Clone)]
pub struct FormSource {
    /// The round's title, shown once the PIN is right.
    pub round_title: String,
    /// The round's model version.
    pub model: Arc<Model>,
}

/// What the sink did with a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    /// Stored now.
    New,
    /// A submission with this id was stored before; nothing changed.
    Already,
}

/// Why the sink did not store a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SinkError {
    /// The round was closed: it takes no more submissions, and collecting stops.
    Closed,
    /// Storing failed (the reason is for the facilitator, not for the participant).
    Failed(String),
}

impl std::fmt::Display for SinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SinkError::Closed => f.write_str("the round is closed"),
            SinkError::Failed(reason) => write!(f, "the submission could not be stored: {reason}"),
        }
    }
}

impl std::error::Error for SinkError {}

/// Where checked submissions go: the round's inbox. Called from the server's worker
/// threads, possibly several at once.
pub trait Sink: Send + Sync + 'static {
    /// Stores a checked submission in the round's inbox; `Already` when one with this
    /// id was stored before.
    fn receive(&self, submission: &Submission) -> Result<Received, SinkError>;
}

/// Where and how long to listen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// One address of this machine ([`local_addresses`]); `0.0.0.0` and `::` are
    /// refused.
    pub bind: IpAddr,
    /// The port; 0 lets the system choose a free one.
    pub port: u16,
    /// Minutes until collecting stops by itself, 1 to [`MAX_MINUTES`].
    pub minutes: u32,
}

/// Why collecting stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// [`Collector::stop`] was called, or the collector dropped.
    Stopped,
    /// The minutes set ran out.
    TimeUp,
    /// The sink said the round is closed ([`SinkError::Closed`]).
    RoundClosed,
}

/// A collector's state, for the app's panel and the CLI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Status {
    /// Whether it still takes submissions.
    pub running: bool,
    /// The participants' link ([`Collector::url`]).
    pub url: String,
    /// The PIN ([`Collector::pin`]).
    pub pin: String,
    /// Whole seconds until it stops by itself, rounded up; 0 once stopped.
    pub seconds_left: u64,
    /// Submissions stored new since it started.
    pub submissions: u32,
    /// Submissions that had been stored before (a participant's retry).
    pub duplicates: u32,
    /// Why it stopped, once it has.
    pub stopped_because: Option<StopReason>,
}

/// Why collecting could not start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartError {
    /// `0.0.0.0` or `::`: one address must be chosen.
    EveryInterface(IpAddr),
    /// Minutes outside 1..=[`MAX_MINUTES`].
    Minutes(u32),
    /// Something else listens on this address and port.
    PortInUse(SocketAddr),
    /// Listening failed otherwise (an address not of this machine, a port that needs
    /// administrator rights, …).
    Bind {
        /// The address and port.
        address: SocketAddr,
        /// What the system said, in words.
        message: String,
    },
    /// The system's random number source failed (no token or PIN could be made).
    Random(String),
    /// The server's threads could not be started.
    Threads(String),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::EveryInterface(ip) => write!(
                f,
                "choose one address: binding to every interface ({ip}) is not allowed"
            ),
            StartError::Minutes(m) => {
                write!(f, "collecting runs for 1 to {MAX_MINUTES} minutes, not {m}")
            }
            StartError::PortInUse(address) => write!(
                f,
                "port {} on {} is already in use: choose another port, or 0 for any free one",
                address.port(),
                address.ip()
            ),
            StartError::Bind { address, message } => {
                write!(f, "cannot listen on {address}: {message}")
            }
            StartError::Random(message) => write!(
                f,
                "the system's random number source failed, so no link or PIN could be made: {message}"
            ),
            StartError::Threads(message) => {
                write!(f, "the server's threads could not be started: {message}")
            }
        }
    }
}

impl std::error::Error for StartError {}

/// A running (or stopped) workshop server. Dropping it stops it.
pub struct Collector {
    shared: Arc<Shared>,
    threads: Mutex<Vec<JoinHandle<()>>>,
}

impl std::fmt::Debug for Collector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Collector")
            .field("url", &self.shared.url)
            .field("running", &!self.shared.is_over())
            .finish_non_exhaustive()
    }
}

/// What the threads share.
struct Shared {
    sink: Arc<dyn Sink>,
    model: Arc<Model>,
    token: String,
    pin: String,
    url: String,
    page: page::Page,
    /// `GET /form`'s body, made once.
    form: Vec<u8>,
    deadline: Instant,
    /// Set once: no more requests are taken.
    stop: AtomicBool,
    run: Mutex<Run>,
    /// Signalled when the port is closed.
    closed: Condvar,
    submissions: AtomicU32,
    duplicates: AtomicU32,
    lockout: Mutex<Lockout>,
    /// Connections with data, for the workers.
    queue: Mutex<VecDeque<(TcpStream, SocketAddr)>>,
    /// Signalled when a connection is queued, and on stop.
    ready: Condvar,
}

#[derive(Debug, Default)]
struct Run {
    reason: Option<StopReason>,
    /// The listening socket is closed.
    closed: bool,
}

/// Locks `m`, also after a thread panicked holding it (the data stays consistent:
/// every critical section here is a single update).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Shared {
    /// Whether the server is stopping.
    fn stopping(&self) -> bool {
        self.stop.load(Ordering::Acquire)
    }

    /// Whether the server is stopping or its time is up (then it starts stopping).
    fn is_over(&self) -> bool {
        if self.stopping() {
            return true;
        }
        if Instant::now() >= self.deadline {
            self.request_stop(StopReason::TimeUp);
            return true;
        }
        false
    }

    /// Starts stopping, for `reason` unless it already stopped for another.
    fn request_stop(&self, reason: StopReason) {
        {
            let mut run = lock(&self.run);
            run.reason.get_or_insert(reason);
            self.stop.store(true, Ordering::Release);
        }
        let _queue = lock(&self.queue);
        self.ready.notify_all();
    }
}

/// Marks the port closed when dropped (after the listener, also on a panic).
struct MarkClosed<'a>(&'a Shared);

impl Drop for MarkClosed<'_> {
    fn drop(&mut self) {
        lock(&self.0.run).closed = true;
        self.0.closed.notify_all();
    }
}

impl Collector {
    /// Starts listening on `options.bind`:`options.port` for `options.minutes`.
    pub fn start(
        sink: Arc<dyn Sink>,
        form: FormSource,
        options: Options,
    ) -> Result<Collector, StartError> {
        if options.bind.is_unspecified() {
            return Err(StartError::EveryInterface(options.bind));
        }
        if options.minutes == 0 || options.minutes > MAX_MINUTES {
            return Err(StartError::Minutes(options.minutes));
        }
        let run_for = Duration::from_secs(u64::from(options.minutes) * 60);
        Collector::start_with_deadline(sink, form, options.bind, options.port, run_for)
    }

    /// [`Collector::start`] with any running time (the tests' short deadlines).
    #[doc(hidden)]
    pub fn start_with_deadline(
        sink: Arc<dyn Sink>,
        form: FormSource,
        bind: IpAddr,
        port: u16,
        run_for: Duration,
    ) -> Result<Collector, StartError> {
        if bind.is_unspecified() {
            return Err(StartError::EveryInterface(bind));
        }
        let random = |e: getrandom::Error| StartError::Random(e.to_string());
        let token = secret::token().map_err(random)?;
        let pin = secret::pin().map_err(random)?;
        let address = SocketAddr::new(bind, port);
        let listener = TcpListener::bind(address).map_err(|e| bind_error(address, &e))?;
        let local = listener
            .local_addr()
            .and_then(|a| listener.set_nonblocking(true).map(|()| a))
            .map_err(|e| bind_error(address, &e))?;
        let url = match local.ip() {
            IpAddr::V4(ip) => format!("http://{ip}:{}/c/{token}", local.port()),
            IpAddr::V6(ip) => format!("http://[{ip}]:{}/c/{token}", local.port()),
        };
        let form_json = form::form(&form.round_title, &form.model)
            .to_string()
            .into_bytes();
        let shared = Arc::new(Shared {
            sink,
            model: form.model,
            token,
            pin,
            url,
            page: page::page(),
            form: form_json,
            deadline: Instant::now() + run_for,
            stop: AtomicBool::new(false),
            run: Mutex::new(Run::default()),
            closed: Condvar::new(),
            submissions: AtomicU32::new(0),
            duplicates: AtomicU32::new(0),
            lockout: Mutex::new(Lockout::default()),
            queue: Mutex::new(VecDeque::new()),
            ready: Condvar::new(),
        });
        let collector = Collector {
            shared: Arc::clone(&shared),
            threads: Mutex::new(Vec::with_capacity(WORKERS + 1)),
        };
        let accepting = {
            let s = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("cxm-collect-accept".into())
                .spawn(move || accept_loop(listener, &s))
        };
        match accepting {
            Ok(thread) => lock(&collector.threads).push(thread),
            Err(e) => {
                // The listener went with the thread that never ran: the port is closed.
                shared.request_stop(StopReason::Stopped);
                lock(&shared.run).closed = true;
                return Err(StartError::Threads(e.to_string()));
            }
        }
        for i in 0..WORKERS {
            let s = Arc::clone(&shared);
            let spawned = std::thread::Builder::new()
                .name(format!("cxm-collect-{i}"))
                .spawn(move || worker(&s));
            match spawned {
                Ok(thread) => lock(&collector.threads).push(thread),
                // Dropping the collector stops the threads that did start.
                Err(e) => return Err(StartError::Threads(e.to_string())),
            }
        }
        Ok(collector)
    }

    /// The participants' link: `http://{ip}:{port}/c/{token}` (an IPv6 address in
    /// brackets).
    pub fn url(&self) -> String {
        self.shared.url.clone()
    }

    /// The PIN: six digits.
    pub fn pin(&self) -> String {
        self.shared.pin.clone()
    }

    /// The state now.
    pub fn status(&self) -> Status {
        let s = &self.shared;
        let running = !s.is_over();
        let seconds_left = if running {
            let left = s.deadline.saturating_duration_since(Instant::now());
            left.as_secs() + u64::from(left.subsec_nanos() > 0)
        } else {
            0
        };
        Status {
            running,
            url: s.url.clone(),
            pin: s.pin.clone(),
            seconds_left,
            submissions: s.submissions.load(Ordering::Acquire),
            duplicates: s.duplicates.load(Ordering::Acquire),
            stopped_because: lock(&s.run).reason,
        }
    }

    /// Stops collecting: no new request is taken, requests in progress finish (a
    /// call of [`Sink::receive`] included — do not call this while holding a lock the
    /// sink takes), and once it returns the port refuses connections. Calling it
    /// again does nothing.
    pub fn stop(&self) {
        self.shared.request_stop(StopReason::Stopped);
        let threads = std::mem::take(&mut *lock(&self.threads));
        let me = std::thread::current().id();
        for thread in threads {
            if thread.thread().id() != me {
                let _ = thread.join();
            }
        }
        // Also when another thread's call joined the accepting thread.
        let mut run = lock(&self.shared.run);
        while !run.closed {
            run = self
                .shared
                .closed
                .wait(run)
                .unwrap_or_else(|p| p.into_inner());
        }
    }

    /// Waits until collecting has stopped (by [`Collector::stop`], the time set or the
    /// round closing) and the port is closed, at most `timeout`; whether it has.
    pub fn wait(&self, timeout: Duration) -> bool {
        let run = lock(&self.shared.run);
        let (run, _) = self
            .shared
            .closed
            .wait_timeout_while(run, timeout, |r| !r.closed)
            .unwrap_or_else(|p| p.into_inner());
        run.closed
    }
}

impl Drop for Collector {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The error for a failed bind, in words.
fn bind_error(address: SocketAddr, e: &io::Error) -> StartError {
    let message = match e.kind() {
        io::ErrorKind::AddrInUse => return StartError::PortInUse(address),
        io::ErrorKind::AddrNotAvailable => {
            format!("{} is not an address of this machine", address.ip())
        }
        io::ErrorKind::PermissionDenied => format!(
            "port {} needs administrator rights; choose one above 1023, or 0",
            address.port()
        ),
        _ => e.to_string(),
    };
    StartError::Bind { address, message }
}

/// This machine's addresses to listen on, for the user to choose from: non-loopback
/// IPv4 first, then non-loopback IPv6, then loopback (`127.0.0.1` at least). Link-local
/// IPv6 addresses (`fe80::…`), which cannot be listened on or put in a link without
/// their interface, are left out.
pub fn local_addresses() -> Vec<IpAddr> {
    let mut found: Vec<IpAddr> = if_addrs::get_if_addrs()
        .map(|interfaces| interfaces.iter().map(if_addrs::Interface::ip).collect())
        .unwrap_or_default();
    found.retain(|ip| {
        !ip.is_unspecified()
            && !ip.is_multicast()
            && !matches!(ip, IpAddr::V6(v6) if (v6.segments()[0] & 0xffc0) == 0xfe80)
    });
    let mut unique = Vec::with_capacity(found.len() + 1);
    for ip in found {
        if !unique.contains(&ip) {
            unique.push(ip);
        }
    }
    if !unique.iter().any(IpAddr::is_loopback) {
        unique.push(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    unique.sort_by_key(|ip| (ip.is_loopback(), ip.is_ipv6()));
    unique
}

// ----- the accepting thread -----

/// A connection accepted, not yet sent anything.
struct Waiting {
    stream: TcpStream,
    peer: SocketAddr,
    since: Instant,
}

/// Accepts connections until the server stops, then closes the port. A connection
/// goes to the workers once it has sent something, so connections a browser opens
/// ahead of time do not hold a worker; one idle for [`IDLE_LIMIT`] is closed.
fn accept_loop(listener: TcpListener, shared: &Shared) {
    let _closed = MarkClosed(shared);
    let listener = listener; // dropped (the port closed) before `_closed` marks it
    let mut waiting: Vec<Waiting> = Vec::new();
    while !shared.is_over() {
        // Until none is left (WouldBlock) or on any other error (a connection reset
        // before it was accepted, no file descriptors left: tried again next round).
        for _ in 0..MAX_WAITING {
            let Ok((stream, peer)) = listener.accept() else {
                break;
            };
            if waiting.len() < MAX_WAITING && stream.set_nonblocking(true).is_ok() {
                waiting.push(Waiting {
                    stream,
                    peer,
                    since: Instant::now(),
                });
            }
        }
        let now = Instant::now();
        let mut ready = Vec::new();
        let mut idle = Vec::with_capacity(waiting.len());
        for w in waiting.drain(..) {
            let mut byte = [0u8; 1];
            match w.stream.peek(&mut byte) {
                // Closed before sending anything.
                Ok(0) => {}
                Ok(_) => ready.push((w.stream, w.peer)),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    if now.duration_since(w.since) < IDLE_LIMIT {
                        idle.push(w);
                    }
                }
                Err(_) => {}
            }
        }
        waiting = idle;
        if !ready.is_empty() {
            let mut queue = lock(&shared.queue);
            for connection in ready {
                if queue.len() < MAX_WAITING {
                    queue.push_back(connection);
                }
            }
            shared.ready.notify_all();
        }
        std::thread::sleep(ACCEPT_POLL);
    }
    drop(waiting);
    drop(listener);
}

// ----- the workers -----

fn worker(shared: &Shared) {
    while let Some((stream, peer)) = next_connection(shared) {
        // A panic (say, in the sink) ends that request, never the worker.
        let _ = catch_unwind(AssertUnwindSafe(|| serve(shared, stream, peer)));
    }
}

/// The next connection with data, or `None` once the server stops (connections
/// still queued are closed).
fn next_connection(shared: &Shared) -> Option<(TcpStream, SocketAddr)> {
    let mut queue = lock(&shared.queue);
    loop {
        if shared.stopping() {
            queue.clear();
            return None;
        }
        if let Some(connection) = queue.pop_front() {
            return Some(connection);
        }
        queue = shared
            .ready
            .wait_timeout(queue, WORKER_POLL)
            .unwrap_or_else(|p| p.into_inner())
            .0;
    }
}

/// What to do with a connection after its request.
enum Reply {
    Send(Response),
    /// Close without an answer.
    Abandon,
}

impl From<Response> for Reply {
    fn from(r: Response) -> Reply {
        Reply::Send(r)
    }
}

impl From<ReadError> for Reply {
    fn from(e: ReadError) -> Reply {
        match e {
            ReadError::Refuse(refusal) => Reply::Send(Response::error(&refusal)),
            ReadError::Abandon => Reply::Abandon,
        }
    }
}

fn error(status: u16, code: &'static str, message: impl Into<String>) -> Response {
    Response::error(&Refusal::new(status, code, message))
}

/// Reads one request from `stream` and answers it.
fn serve(shared: &Shared, stream: TcpStream, peer: SocketAddr) {
    let stopping = || shared.stopping();
    let Ok(mut connection) = Connection::new(stream, &stopping) else {
        return;
    };
    let (reply, head_only) = match connection.read_head() {
        Ok(head) => (
            catch_unwind(AssertUnwindSafe(|| {
                handle(shared, &mut connection, &head, peer.ip())
            }))
            .unwrap_or_else(|_| {
                Reply::Send(error(
                    500,
                    "failed",
                    "Something went wrong on the facilitator's laptop. Try again in a moment.",
                ))
            }),
            head.method == "HEAD",
        ),
        Err(e) => (Reply::from(e), false),
    };
    if let Reply::Send(response) = reply {
        connection.respond(&response, head_only);
    }
}

/// The routes under `/c/{token}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    Page,
    Form,
    Responses,
}

/// The route `path` names, if its token is ours.
fn route(path: &str, token: &str) -> Option<Route> {
    let rest = path.strip_prefix("/c/")?;
    let (given, what) = rest.split_once('/').unwrap_or((rest, ""));
    if !secret::same(given.as_bytes(), token.as_bytes()) {
        return None;
    }
    match what {
        "" => Some(Route::Page),
        "form" => Some(Route::Form),
        "responses" => Some(Route::Responses),
        _ => None,
    }
}

fn not_found() -> Response {
    error(
        404,
        "not_found",
        "There is nothing here. Check the link, or ask the facilitator for the current one.",
    )
}

fn handle(shared: &Shared, connection: &mut Connection, head: &http::Head, ip: IpAddr) -> Reply {
    let Some(route) = route(&head.path, &shared.token) else {
        return not_found().into();
    };
    if shared.is_over() {
        return error(
            503,
            "stopped",
            "The facilitator has stopped collecting answers.",
        )
        .into();
    }
    let method = head.method.as_str();
    match (route, method) {
        (Route::Page, "GET") => Response {
            status: 200,
            content_type: "text/html; charset=utf-8",
            headers: Vec::new(),
            body: shared.page.html.clone().into_bytes(),
        }
        .with("Content-Security-Policy", shared.page.csp.clone())
        .with("X-Frame-Options", "DENY")
        .into(),
        (Route::Form, "GET") => {
            if let Some(refusal) = locked_out(shared, ip) {
                return refusal.into();
            }
            if let Err(refusal) =
                check_pin(shared, ip, head.header(&PIN_HEADER.to_ascii_lowercase()))
            {
                return refusal.into();
            }
            Response {
                status: 200,
                content_type: "application/json; charset=utf-8",
                headers: Vec::new(),
                body: shared.form.clone(),
            }
            .into()
        }
        (Route::Responses, "POST") => match receive(shared, connection, head, ip) {
            Ok(response) => response.into(),
            Err(reply) => reply,
        },
        (Route::Page | Route::Form, _) => error(
            405,
            "method_not_allowed",
            format!("{method} is not allowed here; use GET."),
        )
        .with("Allow", "GET")
        .into(),
        (Route::Responses, _) => error(
            405,
            "method_not_allowed",
            format!("{method} is not allowed here; use POST."),
        )
        .with("Allow", "POST")
        .into(),
    }
}

/// `429` when `ip` is locked out.
fn locked_out(shared: &Shared, ip: IpAddr) -> Option<Response> {
    let left = lock(&shared.lockout).locked(ip, Instant::now())?;
    let seconds = left.as_secs() + u64::from(left.subsec_nanos() > 0);
    let minutes = seconds.div_ceil(60);
    Some(
        error(
            429,
            "too_many_attempts",
            format!(
                "Too many wrong PINs from this device. Try again in {minutes} minute{}.",
                if minutes == 1 { "" } else { "s" }
            ),
        )
        .with("Retry-After", seconds.to_string()),
    )
}

/// The PIN `given`: right, or `403` (counted towards the lockout).
fn check_pin(shared: &Shared, ip: IpAddr, given: Option<&str>) -> Result<(), Response> {
    if given.is_some_and(|p| secret::same(p.as_bytes(), shared.pin.as_bytes())) {
        lock(&shared.lockout).right(ip);
        return Ok(());
    }
    lock(&shared.lockout).wrong(ip, Instant::now());
    Err(error(
        403,
        "wrong_pin",
        "The PIN is not right. Check the PIN the facilitator shows.",
    ))
}

/// `POST /c/{token}/responses`.
fn receive(
    shared: &Shared,
    connection: &mut Connection,
    head: &http::Head,
    ip: IpAddr,
) -> Result<Response, Reply> {
    if let Some(refusal) = locked_out(shared, ip) {
        return Ok(refusal);
    }
    let body = connection.read_body(head, MAX_BODY_BYTES)?;
    let bad = |message: String| error(400, "bad_request", message);
    let mut object = match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(object)) => object,
        Ok(_) => return Ok(bad("The body must be a JSON object.".into())),
        Err(e) => return Ok(bad(format!("The body is not JSON: {e}."))),
    };
    let pin = object.remove("pin");
    check_pin(shared, ip, pin.as_ref().and_then(Value::as_str))?;
    let raw: RawSubmission = serde_json::from_value(Value::Object(object)).map_err(|e| {
        bad(format!(
            "The submission does not have the expected fields: {e}."
        ))
    })?;
    let submission = check(&shared.model, &raw).map_err(|problems| {
        Response::json(
            422,
            &json!({
                "error": "invalid",
                "message": format!(
                    "The submission has {} problem{}.",
                    problems.len(),
                    if problems.len() == 1 { "" } else { "s" }
                ),
                "problems": problems
                    .iter()
                    .map(|p| json!({"field": p.field, "message": p.message}))
                    .collect::<Vec<_>>(),
            }),
        )
    })?;
    let stored = |status: u16| Response::json(status, &json!({"submission_id": submission.id}));
    Ok(match shared.sink.receive(&submission) {
        Ok(Received::New) => {
            shared.submissions.fetch_add(1, Ordering::AcqRel);
            stored(201)
        }
        Ok(Received::Already) => {
            shared.duplicates.fetch_add(1, Ordering::AcqRel);
            stored(200)
        }
        Err(SinkError::Closed) => {
            shared.request_stop(StopReason::RoundClosed);
            error(
                410,
                "closed",
                "This round is closed: it takes no more answers.",
            )
        }
        Err(SinkError::Failed(_)) => error(
            500,
            "failed",
            "The answers could not be stored on the facilitator's laptop. Try again in a moment.",
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_need_the_token() {
        let t = "ab".repeat(24);
        assert_eq!(route(&format!("/c/{t}"), &t), Some(Route::Page));
        assert_eq!(route(&format!("/c/{t}/form"), &t), Some(Route::Form));
        assert_eq!(
            route(&format!("/c/{t}/responses"), &t),
            Some(Route::Responses)
        );
        assert_eq!(route(&format!("/c/{t}/other"), &t), None);
        assert_eq!(route(&format!("/c/{t}/form/x"), &t), None);
        assert_eq!(route(&format!("/c/{}", "cd".repeat(24)), &t), None);
        assert_eq!(route(&format!("/c/{}", &t[..46]), &t), None);
        assert_eq!(route("/c/", &t), None);
        assert_eq!(route("/", &t), None);
        assert_eq!(route(&format!("/x/{t}"), &t), None);
    }

    #[test]
    fn addresses_put_loopback_last() {
        let found = local_addresses();
        assert!(!found.is_empty());
        let first_loopback = found
            .iter()
            .position(IpAddr::is_loopback)
            .expect("loopback");
        assert!(
            found[first_loopback..].iter().all(IpAddr::is_loopback),
            "{found:?}"
        );
        assert!(found.iter().all(|ip| !ip.is_unspecified()), "{found:?}");
        let first_v6 = found[..first_loopback].iter().position(IpAddr::is_ipv6);
        if let Some(i) = first_v6 {
            assert!(
                found[i..first_loopback].iter().all(IpAddr::is_ipv6),
                "{found:?}"
            );
        }
    }

    #[test]
    fn a_collector_can_be_shared_between_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<Collector>();
        shared::<Status>();
    }

    #[test]
    fn status_serialises_for_the_app_and_the_cli() {
        let status = Status {
            running: false,
            url: "http://10.0.0.2:8080/c/ab".into(),
            pin: "012345".into(),
            seconds_left: 0,
            submissions: 3,
            duplicates: 1,
            stopped_because: Some(StopReason::TimeUp),
        };
        assert_eq!(
            serde_json::to_value(&status).expect("JSON"),
            json!({
                "running": false,
                "url": "http://10.0.0.2:8080/c/ab",
                "pin": "012345",
                "seconds_left": 0,
                "submissions": 3,
                "duplicates": 1,
                "stopped_because": "time_up",
            })
        );
    }

    #[test]
    fn start_errors_read_well() {
        let e = StartError::EveryInterface(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        assert_eq!(
            e.to_string(),
            "choose one address: binding to every interface (0.0.0.0) is not allowed"
        );
        assert_eq!(
            StartError::Minutes(0).to_string(),
            "collecting runs for 1 to 1440 minutes, not 0"
        );
    }
}
