//! Shared fixtures.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use cxm_domain::{Answer, Model};
use cxm_store::{NewRespondent, NewRound, Store};
use rusqlite::{Connection, OpenFlags};

/// A fixed clock: 2025-03-04T05:06:07Z.
pub fn fixed_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 4, 5, 6, 7).unwrap()
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// An in-memory store with the fixed clock.
pub fn memory_store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    store.set_clock(fixed_now);
    store
}

/// A store in a fresh temporary folder, with the fixed clock.
pub fn file_store() -> (tempfile::TempDir, PathBuf, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cxm.sqlite");
    let mut store = Store::open(&path).unwrap();
    store.set_clock(fixed_now);
    (dir, path, store)
}

/// A small model: two blocks × two phases, one question per cell, scale 0–4.
pub const TINY_MODEL: &str = r#"format = 1
id = "tiny"
version = 1
title = "Tiny"

[scale]
max = 4
labels = ["0", "1", "2", "3", "4"]

[[blocks]]
id = "a"
name = "A"

[[blocks]]
id = "b"
name = "B"

[[phases]]
number = 1
name = "One"
description = "First"

[[phases]]
number = 2
name = "Two"
description = "Second"

[[questions]]
id = "A1"
block = "a"
phase = 1
text = "a1"
guidance = "g"
recommendation = "r"

[[questions]]
id = "A2"
block = "a"
phase = 2
text = "a2"
guidance = "g"
recommendation = "r"

[[questions]]
id = "B1"
block = "b"
phase = 1
text = "b1"
guidance = "g"
recommendation = "r"

[[questions]]
id = "B2"
block = "b"
phase = 2
text = "b2"
guidance = "g"
recommendation = "r"
"#;

pub fn new_round(org: i64, title: &str, date: NaiveDate, model: Option<&str>) -> NewRound {
    NewRound {
        organisation: org,
        title: title.into(),
        date,
        target_phase: None,
        model: model.map(str::to_string),
    }
}

pub fn respondent(name: &str, role: &str) -> NewRespondent {
    NewRespondent {
        name: name.into(),
        role_group: role.into(),
        department: None,
        interview_date: None,
    }
}

/// An organisation with one open round on the default model.
pub fn org_with_round(store: &mut Store) -> (i64, i64) {
    let org = store.add_organisation("Acme").unwrap();
    let round = store
        .add_round(new_round(org, "Baseline", date(2025, 1, 15), None))
        .unwrap();
    (org, round)
}

/// Answers every question of `model` for `respondent` with `f(question index)`.
pub fn answer_all(
    store: &mut Store,
    model: &Model,
    respondent: i64,
    f: impl Fn(usize) -> Option<Answer>,
) {
    for (i, q) in model.questions.iter().enumerate() {
        store.set_answer(respondent, &q.id, f(i)).unwrap();
    }
}

/// Every table's rows and schema plus the header fields, read through a separate
/// read-only connection: what "nothing was written" means.
pub fn dump(path: &Path) -> Vec<String> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let mut out = Vec::new();
    for pragma in ["user_version", "application_id"] {
        let v: i64 = conn
            .query_row(&format!("PRAGMA {pragma}"), [], |r| r.get(0))
            .unwrap();
        out.push(format!("{pragma} {v}"));
    }
    let objects: Vec<(String, String, Option<String>)> = conn
        .prepare("SELECT type, name, sql FROM sqlite_schema ORDER BY name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (kind, name, sql) in objects {
        out.push(format!("{kind} {name}: {sql:?}"));
        if kind != "table" {
            continue;
        }
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{name}\"")).unwrap();
        let n = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                let values = (0..n)
                    .map(|i| {
                        r.get::<_, rusqlite::types::Value>(i)
                            .map(|v| format!("{v:?}"))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(format!("  {name}: {}", values.join(" | ")))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        rows.sort();
        out.extend(rows);
    }
    out
}

/// Number of rows in a table, through a separate connection.
pub fn count(path: &Path, table: &str) -> i64 {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}
