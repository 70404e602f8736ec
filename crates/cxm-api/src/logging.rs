//! The support log: what the app and `cxm` did, for a person to send to support.
//!
//! Both faces call [`init`] at start with their face (`"app"` or `"cli"`) and the
//! database they use; events go to a file in [`log_dir`], the folder `logs` next to the
//! database, one file a day (`cxm.log.2026-12-03`, UTC dates), the last
//! [`KEEP_FILES`] kept. The folder is private to the user (`0700`) and so are the files
//! (`0600`, also the ones started at midnight). One line per event:
//!
//! ```text
//! 2026-12-03T10:15:02.153Z  INFO app[4242] cxm_api::logging: command done command=export_pdf ms=153 outcome=ok
//! ```
//!
//! — the time (UTC, RFC 3339), the level, the face and its process id, where the event
//! comes from, then its fields. No colours. Only our own crates' events are written
//! (targets starting with `cxm`), at the level `CXM_LOG` names (`error`, `warn`,
//! `info`, `debug`, `trace` or `off`; default `info`). The writer is unbuffered: a line
//! is in the file when the event returns, also when the process is killed afterwards.
//! Logging never stops the app or a command: when the folder or the file cannot be
//! made, [`init`] prints one warning on standard error and the program goes on without
//! a log. [`recent_lines`] reads the end of the log back (Help → About's *Copy
//! diagnostics*).
//!
//! **The rule: the log carries ids and events only.** Never an answer, a note, the name
//! of an organisation, a respondent or a round, a file's contents, or any other text a
//! person typed, and never the path of a file a person chose to import or export (its
//! name may be a client's): log its kind or size instead. Error messages are text made
//! from such names, so log an error's code, not its message. What may go in: ids,
//! counts, sizes, durations, error codes, command names, model keys, the schema version,
//! the database's path, and file names this program made up (backups). A person sends
//! this file to support without reading it first; every event must keep to the rule.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use chrono::{NaiveDate, SecondsFormat, Utc};
use tracing::level_filters::LevelFilter;
use tracing::{Event, Subscriber};
use tracing_appender::rolling::{RollingFileAppender, RollingWriter, Rotation};
use tracing_subscriber::filter::Targets;
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields, MakeWriter};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::registry::LookupSpan;

use crate::wire::ErrorCode;

/// The start of every log file's name; the date follows after a dot.
pub const FILE_PREFIX: &str = "cxm.log";
/// How many daily files are kept (the oldest beyond are deleted when a new one starts).
pub const KEEP_FILES: usize = 7;
/// The environment variable with the log level.
pub const LEVEL_VARIABLE: &str = "CXM_LOG";
/// The level when `CXM_LOG` is not set.
pub const DEFAULT_LEVEL: LevelFilter = LevelFilter::INFO;
/// Events whose target starts with this are written: our crates (`cxm_api`, `cxm_store`,
/// `cxm_app`, the `cxm` binary, …), never a library's, which knows nothing of the rule.
const OUR_TARGETS: &str = "cxm";
/// The date in a log file's name.
const DATE_FORMAT: &str = "%Y-%m-%d";

/// The log folder of the database at `db_path`: `logs` in the database's folder (the
/// data directory, or the folder of `--db`/`CXM_DB`).
pub fn log_dir(db_path: &Path) -> PathBuf {
    db_path
        .parent()
        .unwrap_or_else(|| Path::new(""))
        .join("logs")
}

/// Logging is on while this lives: the global subscriber writes to [`LogGuard::dir`].
/// The writer is unbuffered, so there is nothing to flush when it is dropped; keep it
/// for the life of the program all the same (`let _log = logging::init(…)`), so the
/// day a buffer is added, lines are flushed at exit.
#[derive(Debug)]
#[must_use = "logging stays on, but keep the guard for the life of the program"]
pub struct LogGuard {
    dir: PathBuf,
}

impl LogGuard {
    /// The folder the log files are written to.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// The folder of the subscriber this process installed, once installed.
static INSTALLED: OnceLock<PathBuf> = OnceLock::new();

/// Installs the support log for the program `face` (`"app"` or `"cli"`) over the
/// database at `db_path`: a global subscriber writing our events at the level of
/// `CXM_LOG` to the day's file in [`log_dir`]. `None`, after one warning on standard
/// error, when there is no database path or the folder or file cannot be made; `None`
/// without a word when `CXM_LOG` is `off` (no folder, no file) or this process
/// installed it before (a second call changes nothing).
pub fn init(face: &'static str, db_path: Option<&Path>) -> Option<LogGuard> {
    static ONCE: Mutex<()> = Mutex::new(());
    let _one_at_a_time = ONCE.lock().unwrap_or_else(|p| p.into_inner());
    if INSTALLED.get().is_some() {
        return None;
    }
    let warn = |why: String| eprintln!("warning: no support log: {why}");
    let Some(db_path) = db_path else {
        warn("there is no database folder to write it to".into());
        return None;
    };
    let level = match level_from(std::env::var(LEVEL_VARIABLE).ok().as_deref()) {
        Ok(level) => level,
        Err(why) => {
            eprintln!("warning: {why}; logging at `{DEFAULT_LEVEL}`");
            DEFAULT_LEVEL
        }
    };
    if level == LevelFilter::OFF {
        return None;
    }
    let dir = log_dir(db_path);
    let files = match PrivateDailyFiles::open(&dir) {
        Ok(files) => files,
        Err(why) => {
            warn(why);
            return None;
        }
    };
    let subscriber = tracing_subscriber::registry()
        .with(Targets::new().with_target(OUR_TARGETS, level))
        .with(
            tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .event_format(Line {
                    face,
                    pid: std::process::id(),
                })
                .with_writer(files),
        );
    // Another subscriber (a test's, a library's) wins: this process logs there.
    tracing::subscriber::set_global_default(subscriber).ok()?;
    let _ = INSTALLED.set(dir.clone());
    Some(LogGuard { dir })
}

/// `CXM_LOG`'s value as a level: unset or blank is the default, else one of `off`,
/// `error`, `warn`, `info`, `debug`, `trace` (any case). Only a level: a filter string
/// naming other crates' targets could let a library's text into the log.
pub fn level_from(value: Option<&str>) -> Result<LevelFilter, String> {
    match value.map(str::trim) {
        None | Some("") => Ok(DEFAULT_LEVEL),
        Some(v) => LevelFilter::from_str(v).map_err(|_| {
            format!(
                "{LEVEL_VARIABLE}=`{}` is not a log level (off, error, warn, info, debug or trace)",
                v.escape_debug()
            )
        }),
    }
}

/// The last `n` lines of the log of the database at `db_path`, oldest first, across
/// the daily files (the newest file's lines last). Empty when there is no log. Lines
/// that are not UTF-8 are read with replacement characters.
pub fn recent_lines(db_path: &Path, n: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    if n == 0 {
        return lines;
    }
    // Newest file first, until `n` lines are gathered.
    for path in log_files(&log_dir(db_path)).iter().rev() {
        let Ok(file) = File::open(path) else {
            continue;
        };
        let mut file_lines: Vec<String> = BufReader::new(file)
            .split(b'\n')
            .map_while(Result::ok)
            .map(|l| String::from_utf8_lossy(&l).into_owned())
            .collect();
        let keep = (n - lines.len()).min(file_lines.len());
        let mut newer = std::mem::take(&mut lines);
        lines = file_lines.split_off(file_lines.len() - keep);
        lines.append(&mut newer);
        if lines.len() == n {
            break;
        }
    }
    lines
}

/// The log files in `dir` (`cxm.log.YYYY-MM-DD`), oldest first. Other files are left
/// out.
fn log_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut dated: Vec<(NaiveDate, PathBuf)> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| {
            let name = e.file_name();
            let date = name
                .to_str()?
                .strip_prefix(FILE_PREFIX)?
                .strip_prefix('.')?
                .to_owned();
            let date = NaiveDate::parse_from_str(&date, DATE_FORMAT).ok()?;
            Some((date, e.path()))
        })
        .collect();
    dated.sort();
    dated.into_iter().map(|(_, path)| path).collect()
}

/// Successful runs of these are logged at `debug` only: the UI asks for them every few
/// seconds while a screen is open (a workshop's live count, the inbox, the damage check
/// after start), and at `info` they would push everything else out of the last 200
/// lines the diagnostics carry.
pub const POLLED_COMMANDS: &[&str] = &["collect_status", "inbox", "database_health"];

/// One event for an app command: its name, how long it took, and how it ended
/// (`outcome=ok`, or `outcome=error code=invalid`: the code, never the message).
pub fn command_done(name: &str, elapsed: Duration, error: Option<&ErrorCode>) {
    let ms = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX);
    match error {
        None if POLLED_COMMANDS.contains(&name) => {
            tracing::debug!(command = %name, ms, outcome = %"ok", "command done")
        }
        None => tracing::info!(command = %name, ms, outcome = %"ok", "command done"),
        Some(code) => tracing::warn!(
            command = %name,
            ms,
            outcome = %"error",
            code = %code.as_str(),
            "command done"
        ),
    }
}

/// The database at `path` is open, with this build's schema (the store migrates it on
/// opening), read-only or not.
pub fn database_opened(path: &Path, read_only: bool) {
    tracing::info!(
        path = ?path,
        schema = cxm_store::migrations::SCHEMA_VERSION,
        read_only,
        "database opened"
    );
}

/// A backup was written: its file name (made from the time and the reason) and size.
pub(crate) fn backup_written(file_name: &str, bytes: u64) {
    tracing::info!(file = %file_name, bytes, "backup written");
}

/// The automatic backup failed, with this code.
pub(crate) fn backup_failed(code: ErrorCode) {
    tracing::warn!(code = %code.as_str(), "automatic backup failed");
}

/// Workshop mode started for `round`, serving on the port of `url` (only the port is
/// logged: the link holds the token).
pub(crate) fn collecting_started(round: i64, url: &str) {
    tracing::info!(round, port = port_of(url), "collecting started");
}

/// Workshop mode for `round` was stopped.
pub(crate) fn collecting_stopped(round: i64) {
    tracing::info!(round, "collecting stopped");
}

/// The port of `http://host:port/…` (0 when there is none): a number, so nothing else
/// of the link can reach the log.
fn port_of(url: &str) -> u16 {
    url.split_once("://")
        .map_or(url, |(_, rest)| rest)
        .split('/')
        .next()
        .and_then(|authority| authority.rsplit_once(':'))
        .and_then(|(_, port)| port.parse().ok())
        .unwrap_or(0)
}

/// The line format: `time level face[pid] target: message fields`.
struct Line {
    face: &'static str,
    pid: u32,
}

impl<S, N> FormatEvent<S, N> for Line
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> std::fmt::Result {
        let meta = event.metadata();
        write!(
            writer,
            "{} {:>5} {}[{}] {}: ",
            Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
            meta.level(),
            self.face,
            self.pid,
            meta.target()
        )?;
        ctx.field_format().format_fields(writer.by_ref(), event)?;
        writeln!(writer)
    }
}

/// tracing-appender's daily files, made private: it creates each day's file with the
/// default permissions, so the first write of a day makes the file `0600`.
struct PrivateDailyFiles {
    appender: RollingFileAppender,
    dir: PathBuf,
    /// The file last made private.
    private: Mutex<String>,
}

impl PrivateDailyFiles {
    /// Creates the private folder `dir` (and missing parents) and today's file, private
    /// from the start. Every check the appender would complain about on standard error
    /// is made first, so a failure is one message.
    fn open(dir: &Path) -> Result<PrivateDailyFiles, String> {
        cxm_store::files::create_private_dir(dir).map_err(|e| e.to_string())?;
        if !dir.is_dir() {
            return Err(format!("{} is not a folder", dir.display()));
        }
        cxm_store::files::make_private(dir)
            .map_err(|e| format!("cannot make {} private: {e}", dir.display()))?;
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let today = dir.join(today_file());
        let mut options = std::fs::OpenOptions::new();
        options.append(true).create(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options
            .open(&today)
            .map_err(|e| format!("cannot write {}: {e}", today.display()))?;
        let appender = RollingFileAppender::builder()
            .rotation(Rotation::DAILY)
            .filename_prefix(FILE_PREFIX)
            .max_log_files(KEEP_FILES)
            .build(dir)
            .map_err(|e| format!("cannot write in {}: {e}", dir.display()))?;
        let files = PrivateDailyFiles {
            appender,
            dir: dir.to_path_buf(),
            private: Mutex::new(String::new()),
        };
        if !files.make_today_private() {
            return Err(format!(
                "cannot make {} private",
                files.dir.join(today_file()).display()
            ));
        }
        Ok(files)
    }

    /// Makes today's file private unless done before; false when that failed.
    fn make_today_private(&self) -> bool {
        let name = today_file();
        let mut done = self.private.lock().unwrap_or_else(|p| p.into_inner());
        if *done == name {
            return true;
        }
        // Fails when the appender has not started today's file yet (just after
        // midnight): the next event tries again.
        let ok = cxm_store::files::make_private(&self.dir.join(&name)).is_ok();
        if ok {
            *done = name;
        }
        ok
    }
}

/// Today's file name (the appender's days are UTC days too).
fn today_file() -> String {
    format!("{FILE_PREFIX}.{}", Utc::now().format(DATE_FORMAT))
}

impl<'a> MakeWriter<'a> for PrivateDailyFiles {
    type Writer = RollingWriter<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        // The appender starts the new day's file here, before the line is written.
        let writer = self.appender.make_writer();
        self.make_today_private();
        writer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_folder_is_next_to_the_database() {
        assert_eq!(
            log_dir(Path::new("/data/io.cxmaturity.app/cxm.sqlite")),
            Path::new("/data/io.cxmaturity.app/logs")
        );
        assert_eq!(log_dir(Path::new("cxm.sqlite")), Path::new("logs"));
    }

    #[test]
    fn only_the_port_of_a_link_is_kept() {
        assert_eq!(port_of("http://192.168.1.20:41234/c/SECRET-TOKEN"), 41234);
        assert_eq!(port_of("http://[fe80::1]:8080/c/SECRET-TOKEN"), 8080);
        assert_eq!(port_of("http://example/c/x:99"), 0);
        assert_eq!(port_of(""), 0);
    }

    #[cfg(unix)]
    #[test]
    fn a_new_day_file_with_the_default_permissions_is_made_private() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let dir = tempfile::tempdir().unwrap();
        let logs = dir.path().join("data").join("logs");
        let files = PrivateDailyFiles::open(&logs).unwrap();
        let today = logs.join(today_file());
        assert_eq!(mode(&dir.path().join("data")), 0o700);
        assert_eq!(mode(&logs), 0o700);
        assert_eq!(mode(&today), 0o600);
        // What the appender leaves when it starts a new day's file (umask 022).
        std::fs::set_permissions(&today, std::fs::Permissions::from_mode(0o644)).unwrap();
        files.private.lock().unwrap().clear();
        let _writer = files.make_writer();
        assert_eq!(mode(&today), 0o600);
        // A folder someone opened up is closed again on start.
        std::fs::set_permissions(&logs, std::fs::Permissions::from_mode(0o755)).unwrap();
        drop(PrivateDailyFiles::open(&logs).unwrap());
        assert_eq!(mode(&logs), 0o700);
    }

    #[test]
    fn a_folder_that_cannot_be_made_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("logs");
        std::fs::write(&file, "not a folder").unwrap();
        assert!(PrivateDailyFiles::open(&file).is_err());
    }

    #[test]
    fn the_level_is_a_level_or_the_default() {
        assert_eq!(level_from(None), Ok(LevelFilter::INFO));
        assert_eq!(level_from(Some(" ")), Ok(LevelFilter::INFO));
        assert_eq!(level_from(Some("debug")), Ok(LevelFilter::DEBUG));
        assert_eq!(level_from(Some("WARN")), Ok(LevelFilter::WARN));
        assert_eq!(level_from(Some("off")), Ok(LevelFilter::OFF));
        let err = level_from(Some("cxm=debug,hyper=trace")).unwrap_err();
        assert!(err.contains("CXM_LOG=`cxm=debug,hyper=trace`"), "{err}");
    }
}
