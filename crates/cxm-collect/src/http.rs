//! Just enough HTTP/1.1 for the participant's page, over `std::net`: one request per
//! connection (every response says `Connection: close`), a head of at most
//! [`MAX_HEAD_BYTES`], a body framed by `Content-Length` or chunked and read only when
//! the route wants it, with a limit the caller gives, and time limits on every read and
//! write.
//!
//! Why not a crate: `tiny_http` 0.12, the small server the development server uses,
//! allocates the whole declared `Content-Length` when a request's unread body is
//! dropped, so a single request declaring a body of 100 GB aborts the process — the
//! desktop app. Here a declared length is only ever compared with the limit.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

/// The longest request head (request line and headers).
pub(crate) const MAX_HEAD_BYTES: usize = 16 * 1024;
/// The most header lines.
const MAX_HEADERS: usize = 100;
/// How long a connection may take to send its request head.
const HEAD_TIME: Duration = Duration::from_secs(10);
/// How long a connection may take to send its whole request.
const REQUEST_TIME: Duration = Duration::from_secs(30);
/// How long one read waits before the stop flag and the time limit are checked again.
const READ_SLICE: Duration = Duration::from_millis(250);
/// How long writing a response may take.
const WRITE_TIME: Duration = Duration::from_secs(10);
/// After a refusal sent before the body was read: how long and how much of what the
/// client still sends is read and thrown away, so that closing does not reset the
/// connection before the client has read the refusal.
const LINGER_TIME: Duration = Duration::from_secs(1);
const LINGER_BYTES: usize = 1024 * 1024;

/// A request's method, path and headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Head {
    /// `GET`, `POST`, … (as sent; methods are case-sensitive).
    pub method: String,
    /// The path, without the query string.
    pub path: String,
    /// Whether the request is HTTP/1.1 (else 1.0).
    pub http11: bool,
    /// Header names in lowercase, values trimmed, in order.
    pub headers: Vec<(String, String)>,
    framing: Framing,
}

/// How the body is delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    /// `Content-Length: n` (0 when neither header is present).
    Length(u64),
    /// `Transfer-Encoding: chunked`.
    Chunked,
}

impl Head {
    /// The first value of header `name` (lowercase).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The declared body length, when the body is not chunked.
    pub fn content_length(&self) -> Option<u64> {
        match self.framing {
            Framing::Length(n) => Some(n),
            Framing::Chunked => None,
        }
    }
}

/// Why a request could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ReadError {
    /// Answer with this refusal, then close.
    Refuse(Refusal),
    /// Close without answering: the client went away, the server is stopping, or the
    /// connection failed.
    Abandon,
}

/// An error answer: the status, the error code and the message of the JSON body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
}

impl Refusal {
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Refusal {
        Refusal {
            status,
            code,
            message: message.into(),
        }
    }
}

fn bad_request(message: impl Into<String>) -> ReadError {
    ReadError::Refuse(Refusal::new(400, "bad_request", message))
}

/// The body is larger than the limit.
pub(crate) fn too_large(limit: usize) -> Refusal {
    Refusal::new(
        413,
        "too_large",
        format!(
            "The request body is larger than {} KB.",
            limit.div_ceil(1024)
        ),
    )
}

/// One accepted connection: reads with time limits, remembering what was read past
/// the head.
pub(crate) struct Connection<'a> {
    stream: TcpStream,
    /// Bytes read and not yet used.
    buffer: Vec<u8>,
    /// When the request must have arrived.
    deadline: Instant,
    /// Whether the server is stopping (checked between reads).
    stopping: &'a dyn Fn() -> bool,
    /// Whether the request's body was read to its end.
    body_read: bool,
}

impl<'a> Connection<'a> {
    /// Takes over `stream` (made blocking, with time limits).
    pub fn new(stream: TcpStream, stopping: &'a dyn Fn() -> bool) -> io::Result<Connection<'a>> {
        stream.set_nonblocking(false)?;
        stream.set_write_timeout(Some(WRITE_TIME))?;
        stream.set_nodelay(true)?;
        Ok(Connection {
            stream,
            buffer: Vec::new(),
            deadline: Instant::now() + REQUEST_TIME,
            stopping,
            body_read: false,
        })
    }

    /// Reads more bytes into the buffer, up to `until`. `Ok(false)` at the end of the
    /// stream.
    fn fill(&mut self, until: Instant) -> Result<bool, ReadError> {
        let mut chunk = [0u8; 8192];
        loop {
            if (self.stopping)() {
                return Err(ReadError::Abandon);
            }
            let now = Instant::now();
            if now >= until.min(self.deadline) {
                return Err(ReadError::Refuse(Refusal::new(
                    408,
                    "timeout",
                    "The request took too long to arrive.",
                )));
            }
            let wait = (until.min(self.deadline) - now).min(READ_SLICE);
            self.stream
                .set_read_timeout(Some(wait.max(Duration::from_millis(1))))
                .map_err(|_| ReadError::Abandon)?;
            match self.stream.read(&mut chunk) {
                Ok(0) => return Ok(false),
                Ok(n) => {
                    self.buffer.extend_from_slice(&chunk[..n]);
                    return Ok(true);
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock
                            | io::ErrorKind::TimedOut
                            | io::ErrorKind::Interrupted
                    ) => {}
                Err(_) => return Err(ReadError::Abandon),
            }
        }
    }

    /// Reads and parses the request head.
    pub fn read_head(&mut self) -> Result<Head, ReadError> {
        let until = Instant::now() + HEAD_TIME;
        let end = loop {
            if let Some(end) = head_end(&self.buffer) {
                break end;
            }
            if self.buffer.len() > MAX_HEAD_BYTES {
                return Err(ReadError::Refuse(Refusal::new(
                    431,
                    "head_too_large",
                    format!(
                        "The request line and headers are longer than {} KB.",
                        MAX_HEAD_BYTES / 1024
                    ),
                )));
            }
            if !self.fill(until)? {
                // The client closed before a whole head: nothing to answer to.
                return Err(ReadError::Abandon);
            }
        };
        if end > MAX_HEAD_BYTES {
            return Err(ReadError::Refuse(Refusal::new(
                431,
                "head_too_large",
                format!(
                    "The request line and headers are longer than {} KB.",
                    MAX_HEAD_BYTES / 1024
                ),
            )));
        }
        let head: Vec<u8> = self.buffer.drain(..end).collect();
        let head = parse_head(&head)?;
        // Without a body there is nothing left to read.
        self.body_read = head.framing == Framing::Length(0);
        Ok(head)
    }

    /// Reads the body `head` announces, refusing one over `limit` bytes (`413`) —
    /// by its declared length before reading anything, and while reading a chunked
    /// one. Answers `100 Continue` first when the client waits for it.
    pub fn read_body(&mut self, head: &Head, limit: usize) -> Result<Vec<u8>, ReadError> {
        if let Some(n) = head.content_length()
            && n > limit as u64
        {
            return Err(ReadError::Refuse(too_large(limit)));
        }
        if head.http11
            && head
                .header("expect")
                .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"))
            && self.buffer.is_empty()
        {
            self.stream
                .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
                .map_err(|_| ReadError::Abandon)?;
        }
        let body = match head.framing {
            Framing::Length(n) => {
                let n = n as usize; // ≤ limit
                while self.buffer.len() < n {
                    if !self.fill(self.deadline)? {
                        return Err(bad_request(
                            "The connection closed before the whole body arrived.",
                        ));
                    }
                }
                self.buffer.drain(..n).collect()
            }
            Framing::Chunked => self.read_chunked(limit)?,
        };
        self.body_read = true;
        Ok(body)
    }

    /// One line (without its line ending) of a chunked body, at most `max` bytes.
    fn read_line(&mut self, max: usize) -> Result<Vec<u8>, ReadError> {
        loop {
            if let Some(i) = self.buffer.iter().position(|&b| b == b'\n') {
                let mut line: Vec<u8> = self.buffer.drain(..=i).collect();
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Ok(line);
            }
            if self.buffer.len() > max {
                return Err(bad_request("A line of the chunked body is too long."));
            }
            if !self.fill(self.deadline)? {
                return Err(bad_request(
                    "The connection closed before the whole body arrived.",
                ));
            }
        }
    }

    fn read_chunked(&mut self, limit: usize) -> Result<Vec<u8>, ReadError> {
        let mut body = Vec::new();
        loop {
            let line = self.read_line(1024)?;
            let size = line.split(|&b| b == b';').next().unwrap_or_default();
            let size = std::str::from_utf8(size)
                .ok()
                .map(str::trim)
                .filter(|s| !s.is_empty() && s.len() <= 16)
                .and_then(|s| u64::from_str_radix(s, 16).ok())
                .ok_or_else(|| bad_request("A chunk size of the chunked body is not valid."))?;
            if size == 0 {
                break;
            }
            if size > (limit - body.len()) as u64 {
                return Err(ReadError::Refuse(too_large(limit)));
            }
            let size = size as usize;
            while self.buffer.len() < size {
                if !self.fill(self.deadline)? {
                    return Err(bad_request(
                        "The connection closed before the whole body arrived.",
                    ));
                }
            }
            body.extend(self.buffer.drain(..size));
            if !self.read_line(2)?.is_empty() {
                return Err(bad_request(
                    "A chunk of the chunked body is longer than its size.",
                ));
            }
        }
        // Trailer fields, up to the empty line; ignored.
        let mut trailer = 0;
        loop {
            let line = self.read_line(MAX_HEAD_BYTES)?;
            if line.is_empty() {
                break;
            }
            trailer += line.len();
            if trailer > MAX_HEAD_BYTES {
                return Err(bad_request("The chunked body's trailer is too long."));
            }
        }
        Ok(body)
    }

    /// Sends `response` (without its body when `head_only`: the answer to `HEAD`) and
    /// closes the connection. When the request's body was not read, what the client
    /// still sends is read for a moment first, so that it gets the answer rather than a
    /// reset connection.
    pub fn respond(mut self, response: &Response, head_only: bool) {
        let mut bytes = response.to_bytes();
        if head_only {
            bytes.truncate(bytes.len() - response.body.len());
        }
        let _ = self.stream.write_all(&bytes);
        let _ = self.stream.flush();
        let _ = self.stream.shutdown(Shutdown::Write);
        if !self.body_read {
            self.linger();
        }
    }

    fn linger(&mut self) {
        let until = Instant::now() + LINGER_TIME;
        let mut chunk = [0u8; 8192];
        let mut drained = 0;
        while drained < LINGER_BYTES {
            let now = Instant::now();
            if now >= until {
                break;
            }
            if self
                .stream
                .set_read_timeout(Some((until - now).max(Duration::from_millis(1))))
                .is_err()
            {
                break;
            }
            match self.stream.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => drained += n,
            }
        }
    }
}

/// Where the head ends (after the empty line), if it has arrived; line endings may be
/// CRLF or LF.
fn head_end(buffer: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let Some(p) = buffer[i..].iter().position(|&b| b == b'\n') {
        let at = i + p + 1;
        match buffer.get(at) {
            Some(b'\n') => return Some(at + 1),
            Some(b'\r') if buffer.get(at + 1) == Some(&b'\n') => return Some(at + 2),
            _ => {}
        }
        i = at;
    }
    None
}

/// Whether `b` may appear in a method or a header name (RFC 9110 `tchar`).
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Parses a request head (ending with its empty line).
fn parse_head(head: &[u8]) -> Result<Head, ReadError> {
    let text =
        std::str::from_utf8(head).map_err(|_| bad_request("The request head is not UTF-8."))?;
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let request_line = lines.next().unwrap_or_default();
    let parts: Vec<&str> = request_line.split(' ').collect();
    let [method, target, version] = parts[..] else {
        return Err(bad_request(
            "The request line is not `METHOD /path HTTP/1.1`.",
        ));
    };
    if method.is_empty() || !method.bytes().all(is_token_byte) {
        return Err(bad_request("The request method is not valid."));
    }
    if !target.starts_with('/') || target.bytes().any(|b| b.is_ascii_control()) {
        return Err(bad_request("The request path must start with `/`."));
    }
    let http11 = match version {
        "HTTP/1.1" => true,
        "HTTP/1.0" => false,
        _ => {
            return Err(ReadError::Refuse(Refusal::new(
                505,
                "http_version",
                "Only HTTP/1.0 and HTTP/1.1 are spoken here.",
            )));
        }
    };
    let path = target
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .to_string();
    let mut headers = Vec::new();
    for line in lines {
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            return Err(bad_request("Folded header lines are not accepted."));
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(bad_request("A header line has no `:`."));
        };
        if name.is_empty() || !name.bytes().all(is_token_byte) {
            return Err(bad_request("A header name is not valid."));
        }
        headers.push((
            name.to_ascii_lowercase(),
            value.trim_matches([' ', '\t']).to_string(),
        ));
        if headers.len() > MAX_HEADERS {
            return Err(ReadError::Refuse(Refusal::new(
                431,
                "head_too_large",
                format!("The request has more than {MAX_HEADERS} headers."),
            )));
        }
    }
    let framing = framing(&headers)?;
    Ok(Head {
        method: method.to_string(),
        path,
        http11,
        headers,
        framing,
    })
}

/// The body's framing: `Transfer-Encoding: chunked`, or one `Content-Length` (several
/// equal ones are one), never both.
fn framing(headers: &[(String, String)]) -> Result<Framing, ReadError> {
    let encodings: Vec<&str> = headers
        .iter()
        .filter(|(n, _)| n == "transfer-encoding")
        .map(|(_, v)| v.as_str())
        .collect();
    let lengths: Vec<&str> = headers
        .iter()
        .filter(|(n, _)| n == "content-length")
        .flat_map(|(_, v)| v.split(','))
        .map(str::trim)
        .collect();
    if !encodings.is_empty() {
        if !lengths.is_empty() {
            return Err(bad_request(
                "A request may not have both Content-Length and Transfer-Encoding.",
            ));
        }
        return if encodings.len() == 1 && encodings[0].eq_ignore_ascii_case("chunked") {
            Ok(Framing::Chunked)
        } else {
            Err(ReadError::Refuse(Refusal::new(
                501,
                "not_implemented",
                "Only the chunked transfer encoding is understood.",
            )))
        };
    }
    let Some(first) = lengths.first() else {
        return Ok(Framing::Length(0));
    };
    if lengths.iter().any(|l| l != first)
        || first.is_empty()
        || first.len() > 19
        || !first.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(bad_request("The Content-Length header is not valid."));
    }
    first
        .parse()
        .map(Framing::Length)
        .map_err(|_| bad_request("The Content-Length header is not valid."))
}

/// A response: status, content type, extra headers and body. Every response says
/// `Connection: close`, `Cache-Control: no-store`, `X-Content-Type-Options: nosniff`
/// and `Referrer-Policy: no-referrer`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// A JSON response.
    pub fn json(status: u16, value: &serde_json::Value) -> Response {
        Response {
            status,
            content_type: "application/json; charset=utf-8",
            headers: Vec::new(),
            body: value.to_string().into_bytes(),
        }
    }

    /// An error: `{"error": code, "message": text}`.
    pub fn error(refusal: &Refusal) -> Response {
        Response::json(
            refusal.status,
            &serde_json::json!({"error": refusal.code, "message": refusal.message}),
        )
    }

    /// Adds a header.
    pub fn with(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }

    fn to_bytes(&self) -> Vec<u8> {
        let mut out = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\n",
            self.status,
            reason(self.status),
            self.content_type,
            self.body.len()
        );
        for (name, value) in &self.headers {
            out.push_str(name);
            out.push_str(": ");
            out.push_str(value);
            out.push_str("\r\n");
        }
        out.push_str("\r\n");
        let mut bytes = out.into_bytes();
        bytes.extend_from_slice(&self.body);
        bytes
    }
}

/// The reason phrase of the statuses this server sends.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        410 => "Gone",
        413 => "Content Too Large",
        422 => "Unprocessable Content",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(text: &str) -> Result<Head, ReadError> {
        parse_head(text.as_bytes())
    }

    fn refused(r: Result<Head, ReadError>) -> u16 {
        match r {
            Err(ReadError::Refuse(refusal)) => refusal.status,
            other => panic!("not refused: {other:?}"),
        }
    }

    #[test]
    fn heads_are_parsed() {
        let h = head("POST /c/abc/responses?x=1 HTTP/1.1\r\nHost: 10.0.0.2:8080\r\nContent-Length: 12\r\nX-CXM-PIN:  123456 \r\n\r\n")
            .expect("a good head");
        assert_eq!(h.method, "POST");
        assert_eq!(h.path, "/c/abc/responses");
        assert!(h.http11);
        assert_eq!(h.header("x-cxm-pin"), Some("123456"));
        assert_eq!(h.content_length(), Some(12));
        let h = head("GET / HTTP/1.0\n\n").expect("LF line endings");
        assert!(!h.http11);
        assert_eq!(h.content_length(), Some(0));
        let h = head("POST / HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n").expect("chunked");
        assert_eq!(h.content_length(), None);
    }

    #[test]
    fn bad_heads_are_refused() {
        assert_eq!(refused(head("GET /\r\n\r\n")), 400);
        assert_eq!(refused(head("GET  / HTTP/1.1\r\n\r\n")), 400);
        assert_eq!(refused(head("GET x HTTP/1.1\r\n\r\n")), 400);
        assert_eq!(refused(head("G(T / HTTP/1.1\r\n\r\n")), 400);
        assert_eq!(refused(head("GET / HTTP/2\r\n\r\n")), 505);
        assert_eq!(refused(head("GET / HTTP/1.1\r\nHost\r\n\r\n")), 400);
        assert_eq!(refused(head("GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n")), 400);
        assert_eq!(
            refused(head("GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n")),
            400
        );
        assert_eq!(
            refused(head(
                "GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"
            )),
            400
        );
        assert_eq!(
            refused(head(
                "GET / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n"
            )),
            400
        );
        assert_eq!(
            refused(head(
                "POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"
            )),
            400
        );
        assert_eq!(
            refused(head("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n")),
            501
        );
        let many: String = (0..=MAX_HEADERS).map(|i| format!("X-{i}: y\r\n")).collect();
        assert_eq!(refused(head(&format!("GET / HTTP/1.1\r\n{many}\r\n"))), 431);
        // The same length twice is one length.
        let h = head("GET / HTTP/1.1\r\nContent-Length: 3, 3\r\n\r\n").expect("equal lengths");
        assert_eq!(h.content_length(), Some(3));
    }

    #[test]
    fn the_end_of_a_head_is_found() {
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nA: b\r\n\r\nbody"), Some(24));
        assert_eq!(head_end(b"GET / HTTP/1.1\nA: b\n\nbody"), Some(21));
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nA: b\r\n"), None);
        assert_eq!(head_end(b""), None);
    }

    #[test]
    fn responses_carry_the_common_headers() {
        let r = Response::error(&Refusal::new(404, "not_found", "Nothing here."))
            .with("Retry-After", "5");
        let text = String::from_utf8(r.to_bytes()).expect("UTF-8");
        assert!(text.starts_with("HTTP/1.1 404 Not Found\r\n"), "{text}");
        for header in [
            "Connection: close",
            "Cache-Control: no-store",
            "X-Content-Type-Options: nosniff",
            "Referrer-Policy: no-referrer",
            "Retry-After: 5",
            "Content-Type: application/json; charset=utf-8",
        ] {
            assert!(
                text.contains(&format!("{header}\r\n")),
                "{header} in {text}"
            );
        }
        assert!(
            text.ends_with("\r\n\r\n{\"error\":\"not_found\",\"message\":\"Nothing here.\"}"),
            "{text}"
        );
    }
}
