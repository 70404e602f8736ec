//! Every version of every answer (issue 14), so that answers changed on several
//! laptops merge to the same result everywhere, and a value that lost is kept.
//!
//! An answer (a respondent's value and note on one question) is a set of versions,
//! each stamped `(at, by)` and naming the version it replaced (its parent). The
//! current answer is the version with the highest stamp; it sits in `answers` when it
//! holds a value or a note, and in `answer_versions` with the others when it is a
//! cleared answer. Merging is the union of the sets, so it gives the same answer
//! whatever the order and however often it is repeated. Two versions with the same
//! parent were made on two laptops from the same answer before they exchanged: a
//! concurrent edit.

use std::collections::{HashMap, HashSet};

use cxm_domain::Answer;
use rusqlite::{Connection, OptionalExtension, params};

use crate::identity::stamp_after;
use crate::{Clock, Result, Store};

/// One version of an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Version {
    pub(crate) at: String,
    pub(crate) by: String,
    /// `Answer::code()`, `None` for no value.
    pub(crate) value: Option<i64>,
    pub(crate) note: Option<String>,
    /// The version it replaced.
    pub(crate) parent: Option<(String, String)>,
}

impl Version {
    pub(crate) fn stamp(&self) -> (&str, &str) {
        (&self.at, &self.by)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.value.is_none() && self.note.is_none()
    }

    pub(crate) fn same_content(&self, other: &Version) -> bool {
        self.value == other.value && self.note == other.note
    }
}

/// The version that is current among `versions`: the highest stamp.
pub(crate) fn newest(versions: &[Version]) -> Option<&Version> {
    versions.iter().max_by(|a, b| a.stamp().cmp(&b.stamp()))
}

/// Versions that share their parent with another version of different content: edits
/// made on two laptops from the same answer before they exchanged.
pub(crate) fn concurrent_groups(versions: &[Version]) -> Vec<Vec<&Version>> {
    let mut by_parent: HashMap<Option<&(String, String)>, Vec<&Version>> = HashMap::new();
    for v in versions {
        by_parent.entry(v.parent.as_ref()).or_default().push(v);
    }
    let mut groups: Vec<Vec<&Version>> = by_parent
        .into_values()
        .filter(|g| g.len() > 1 && g.iter().any(|v| !v.same_content(g[0])))
        .collect();
    for g in &mut groups {
        g.sort_by(|a, b| a.stamp().cmp(&b.stamp()));
    }
    groups.sort_by(|a, b| a[0].stamp().cmp(&b[0].stamp()));
    groups
}

/// The stamps on the way from `v` back to the first version (`v` included).
pub(crate) fn lineage<'v>(versions: &'v [Version], v: &'v Version) -> HashSet<(&'v str, &'v str)> {
    let by_stamp: HashMap<(&str, &str), &Version> =
        versions.iter().map(|v| (v.stamp(), v)).collect();
    let mut out = HashSet::new();
    let mut at = Some(v);
    while let Some(v) = at {
        if !out.insert(v.stamp()) {
            break;
        }
        at = v
            .parent
            .as_ref()
            .and_then(|(a, b)| by_stamp.get(&(a.as_str(), b.as_str())).copied());
    }
    out
}

const CURRENT_SQL: &str = "SELECT updated_at, updated_by, value, note, parent_at, parent_by
    FROM answers WHERE respondent_id = ?1 AND question_id = ?2";
const OTHERS_SQL: &str = "SELECT at, by, value, note, parent_at, parent_by
    FROM answer_versions WHERE respondent_id = ?1 AND question_id = ?2";

fn version_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Version> {
    let parent_at: Option<String> = r.get(4)?;
    let parent_by: Option<String> = r.get(5)?;
    Ok(Version {
        at: r.get(0)?,
        by: r.get(1)?,
        value: r.get(2)?,
        note: r.get(3)?,
        parent: parent_at.zip(parent_by),
    })
}

/// Every version of one answer (the current one in `answers` first, if any).
pub(crate) fn versions_of(
    conn: &Connection,
    respondent: i64,
    question: &str,
) -> Result<Vec<Version>> {
    let mut out: Vec<Version> = conn
        .prepare_cached(CURRENT_SQL)?
        .query_row(params![respondent, question], version_from_row)
        .optional()?
        .into_iter()
        .collect();
    let mut stmt = conn.prepare_cached(OTHERS_SQL)?;
    for v in stmt.query_map(params![respondent, question], version_from_row)? {
        out.push(v?);
    }
    Ok(out)
}

/// Every version of every answer of one respondent, by question id.
pub(crate) fn respondent_versions(
    conn: &Connection,
    respondent: i64,
) -> Result<HashMap<String, Vec<Version>>> {
    let mut out: HashMap<String, Vec<Version>> = HashMap::new();
    for sql in [
        "SELECT updated_at, updated_by, value, note, parent_at, parent_by, question_id
         FROM answers WHERE respondent_id = ?1",
        "SELECT at, by, value, note, parent_at, parent_by, question_id
         FROM answer_versions WHERE respondent_id = ?1",
    ] {
        let mut stmt = conn.prepare_cached(sql)?;
        let rows = stmt.query_map([respondent], |r| {
            Ok((r.get::<_, String>(6)?, version_from_row(r)?))
        })?;
        for row in rows {
            let (q, v) = row?;
            out.entry(q).or_default().push(v);
        }
    }
    Ok(out)
}

/// Stores exactly `versions` as the answer's versions: the newest in `answers` when it
/// holds something, every other one in `answer_versions`.
pub(crate) fn settle(
    conn: &Connection,
    respondent: i64,
    question: &str,
    versions: &[Version],
) -> Result<()> {
    conn.prepare_cached("DELETE FROM answers WHERE respondent_id = ?1 AND question_id = ?2")?
        .execute(params![respondent, question])?;
    conn.prepare_cached(
        "DELETE FROM answer_versions WHERE respondent_id = ?1 AND question_id = ?2",
    )?
    .execute(params![respondent, question])?;
    insert_versions(conn, respondent, question, versions)
}

/// Stores `versions` for an answer that has none stored yet (a respondent new here).
pub(crate) fn insert_versions(
    conn: &Connection,
    respondent: i64,
    question: &str,
    versions: &[Version],
) -> Result<()> {
    let current = newest(versions);
    for v in versions {
        let (pa, pb) = v.parent.clone().unzip();
        if current.is_some_and(|c| c.stamp() == v.stamp()) && !v.is_empty() {
            conn.prepare_cached(
                "INSERT INTO answers (respondent_id, question_id, value, note, updated_at, updated_by, parent_at, parent_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![respondent, question, v.value, v.note, v.at, v.by, pa, pb])?;
        } else {
            conn.prepare_cached(
                "INSERT OR IGNORE INTO answer_versions (respondent_id, question_id, at, by, value, note, parent_at, parent_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![respondent, question, v.at, v.by, v.value, v.note, pa, pb])?;
        }
    }
    Ok(())
}

/// How long a note typed here keeps being rewritten in place rather than adding a
/// version per pause in typing (only while no engagement file was written since).
const NOTE_TYPING_SECONDS: i64 = 60;

/// Records a change made here: the answer becomes (`value`, `note`), as a new version
/// replacing the current one (kept in the history). No change, no version. A note
/// being typed (same value, this installation's version of the last minute, not yet in
/// any engagement file) is rewritten in place. Returns whether anything changed.
pub(crate) fn local_change(
    conn: &Connection,
    clock: &Clock,
    installation: &str,
    respondent: i64,
    question: &str,
    value: Option<i64>,
    note: Option<String>,
) -> Result<bool> {
    let versions = versions_of(conn, respondent, question)?;
    let current = newest(&versions).cloned();
    let next = Version {
        at: String::new(),
        by: installation.to_string(),
        value,
        note,
        parent: None,
    };
    match &current {
        None if next.is_empty() => return Ok(false),
        Some(c) if c.same_content(&next) => return Ok(false),
        _ => {}
    }
    let at = stamp_after(clock, current.as_ref().map(|c| c.at.as_str()));
    let typing = current.as_ref().is_some_and(|c| {
        c.by == installation
            && c.value == value
            && !c.at.is_empty()
            && exported_through(conn).is_none_or(|e| c.at > e)
            && chrono::DateTime::parse_from_rfc3339(&c.at).is_ok_and(|t| {
                clock().signed_duration_since(t) < chrono::Duration::seconds(NOTE_TYPING_SECONDS)
            })
    });
    let mut all: Vec<Version> = versions;
    let parent = match (&current, typing) {
        (Some(c), true) => {
            all.retain(|v| v.stamp() != c.stamp());
            c.parent.clone()
        }
        (Some(c), false) => Some((c.at.clone(), c.by.clone())),
        (None, _) => None,
    };
    all.push(Version { at, parent, ..next });
    settle(conn, respondent, question, &all)?;
    Ok(true)
}

/// The settings key holding when an engagement file was last written here: versions
/// older than that may be on other laptops and are never rewritten.
pub(crate) const EXPORTED_THROUGH: &str = "sync.exported_through";

fn exported_through(conn: &Connection) -> Option<String> {
    conn.query_row(
        "SELECT value FROM settings WHERE key = ?1",
        [EXPORTED_THROUGH],
        |r| r.get(0),
    )
    .ok()
}

/// One version of an answer, for the questionnaire's history.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerVersion {
    /// When (RFC 3339 UTC); `""` for an answer from before versions were kept.
    pub at: String,
    /// The installation's id.
    pub by: String,
    /// Its name ("Anna's laptop").
    pub by_name: String,
    /// Whether it is this installation.
    pub by_this: bool,
    /// The value (`None`: none, or cleared).
    pub answer: Option<Answer>,
    /// The note.
    pub note: Option<String>,
    /// The current version.
    pub current: bool,
    /// Made on another laptop from the same answer before they exchanged.
    pub concurrent: bool,
}

impl Store {
    /// Every version of a respondent's answer to one question, newest first.
    pub fn answer_history(&self, respondent: i64, question_id: &str) -> Result<Vec<AnswerVersion>> {
        let ctx = crate::rounds::RoundCtx::of_respondent(&self.conn, respondent)?;
        let model = self.models.get(&self.conn, ctx.model_version)?;
        let question = crate::answers::question(&model, question_id)?;
        let versions = versions_of(&self.conn, respondent, question)?;
        let current = newest(&versions).map(|v| v.stamp());
        let concurrent: HashSet<(&str, &str)> = concurrent_groups(&versions)
            .into_iter()
            .flatten()
            .map(|v| v.stamp())
            .collect();
        let names: HashMap<String, (String, bool)> = {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT id, name, this FROM installations")?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    (r.get::<_, String>(1)?, r.get::<_, i64>(2)? == 1),
                ))
            })?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut out: Vec<AnswerVersion> = versions
            .iter()
            .map(|v| {
                let (by_name, by_this) = names
                    .get(&v.by)
                    .cloned()
                    .unwrap_or_else(|| ("an unknown installation".into(), false));
                AnswerVersion {
                    at: v.at.clone(),
                    by: v.by.clone(),
                    by_name,
                    by_this,
                    answer: v.value.and_then(Answer::from_code),
                    note: v.note.clone(),
                    current: Some(v.stamp()) == current,
                    concurrent: concurrent.contains(&v.stamp()),
                }
            })
            .collect();
        out.sort_by(|a, b| (&b.at, &b.by).cmp(&(&a.at, &a.by)));
        Ok(out)
    }
}
