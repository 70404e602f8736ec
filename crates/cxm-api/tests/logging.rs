//! The support log (`cxm_api::logging`): the line format, private files, one install
//! per process, and reading the last lines back across daily files.
//!
//! The global subscriber can be installed once per process: only
//! `the_log_is_private_one_line_per_event_and_installed_once` installs it; the other
//! tests here only read files.
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::Duration;

use cxm_api::logging::{self, FILE_PREFIX, command_done, init, log_dir, recent_lines};
use cxm_api::wire::ErrorCode;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// `2026-12-03T10:15:02.153Z  INFO app[4242] target: rest` → (time, level, face[pid], rest).
fn parts(line: &str) -> (&str, &str, &str, &str) {
    let (time, rest) = line.split_once(' ').unwrap();
    let rest = rest.trim_start();
    let (level, rest) = rest.split_once(' ').unwrap();
    let (face, rest) = rest.split_once(' ').unwrap();
    (time, level, face, rest)
}

#[test]
fn the_log_is_private_one_line_per_event_and_installed_once() {
    let dir = tempfile::tempdir().unwrap();
    // The data folder does not exist yet: it is made private, like the store makes it.
    let data = dir.path().join("data");
    let db = data.join("cxm.sqlite");
    let guard = init("app", Some(&db)).expect("logging starts");
    assert_eq!(guard.dir(), log_dir(&db));
    assert_eq!(log_dir(&db), data.join("logs"));

    command_done("export_pdf", Duration::from_millis(153), None);
    command_done(
        "import_model",
        Duration::from_millis(7),
        Some(&ErrorCode::InvalidModel),
    );
    // A poll the UI repeats every few seconds is a debug line; its failure is not.
    command_done("collect_status", Duration::from_millis(1), None);
    command_done(
        "inbox",
        Duration::from_millis(2),
        Some(&ErrorCode::NotFound),
    );
    // A library's event never reaches the file, whatever its level.
    tracing::error!(target: "hyper::client", "a library's text");
    // Ours below the level are left out (the default level is info).
    let level = logging::level_from(std::env::var("CXM_LOG").ok().as_deref()).unwrap();
    tracing::debug!(target: "cxm_api::detail", "a detail");

    // A second install (another test, a second window) changes nothing.
    let other = dir.path().join("other").join("cxm.sqlite");
    assert!(init("cli", Some(&other)).is_none());
    assert!(!dir.path().join("other").exists());

    let today = format!("{FILE_PREFIX}.{}", chrono::Utc::now().format("%Y-%m-%d"));
    let file = log_dir(&db).join(&today);
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&log_dir(&db)), 0o700);
    assert_eq!(mode(&file), 0o600);

    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(text.ends_with('\n'));
    assert!(!text.contains("a library's text"), "{text}");
    assert_eq!(
        text.contains("a detail"),
        level >= tracing::level_filters::LevelFilter::DEBUG,
        "{text}"
    );
    assert_eq!(
        text.contains("command=collect_status"),
        level >= tracing::level_filters::LevelFilter::DEBUG,
        "{text}"
    );
    assert!(
        text.contains("command=inbox ms=2 outcome=error code=not_found"),
        "{text}"
    );
    let pid = format!("app[{}]", std::process::id());
    let done = lines
        .iter()
        .find(|l| l.contains("command=export_pdf"))
        .unwrap();
    let (time, level_text, face, rest) = parts(done);
    let parsed = chrono::DateTime::parse_from_rfc3339(time).unwrap();
    assert_eq!(parsed.offset().local_minus_utc(), 0, "UTC: {time}");
    assert!(time.ends_with('Z'), "{time}");
    assert_eq!(level_text, "INFO");
    assert_eq!(face, pid);
    assert!(
        rest.ends_with("command done command=export_pdf ms=153 outcome=ok"),
        "{rest}"
    );
    let failed = lines
        .iter()
        .find(|l| l.contains("command=import_model"))
        .unwrap();
    let (_, level_text, face, rest) = parts(failed);
    assert_eq!(level_text, "WARN");
    assert_eq!(face, pid);
    assert!(
        rest.ends_with("command=import_model ms=7 outcome=error code=invalid_model"),
        "{rest}"
    );
    // No colours, no control characters.
    assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text}");

    // Read back as Help → About's diagnostics do.
    let last = recent_lines(&db, 2);
    assert_eq!(last, lines[lines.len() - 2..].to_vec());
    drop(guard);
}

#[test]
fn recent_lines_are_the_newest_across_the_daily_files_oldest_first() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cxm.sqlite");
    assert!(recent_lines(&db, 10).is_empty(), "no log folder yet");
    let logs = log_dir(&db);
    std::fs::create_dir(&logs).unwrap();
    let write = |name: &str, text: &str| std::fs::write(logs.join(name), text).unwrap();
    // Written out of order: the date in the name decides, not the time written.
    write(&format!("{FILE_PREFIX}.2026-12-03"), "c1\nc2\n");
    write(&format!("{FILE_PREFIX}.2026-11-30"), "a1\na2\na3\n");
    // The last line of a file cut short by a crash still counts.
    write(&format!("{FILE_PREFIX}.2026-12-01"), "b1\nb2");
    // Not log files: left out.
    write("notes.txt", "x1\n");
    write(&format!("{FILE_PREFIX}.not-a-date"), "x2\n");
    write(&format!("{FILE_PREFIX}.2026-12-04.bak"), "x3\n");
    std::fs::create_dir(logs.join(format!("{FILE_PREFIX}.2026-12-05"))).unwrap();

    assert_eq!(recent_lines(&db, 0), Vec::<String>::new());
    assert_eq!(recent_lines(&db, 1), ["c2"]);
    assert_eq!(recent_lines(&db, 2), ["c1", "c2"]);
    assert_eq!(recent_lines(&db, 3), ["b2", "c1", "c2"]);
    assert_eq!(recent_lines(&db, 5), ["a3", "b1", "b2", "c1", "c2"]);
    assert_eq!(
        recent_lines(&db, 200),
        ["a1", "a2", "a3", "b1", "b2", "c1", "c2"]
    );
}
