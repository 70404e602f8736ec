//! Portable engagement files: one organisation with its rounds, respondents, answers,
//! notes and the model versions they use, as one JSON file another installation
//! imports without clashing ids. The format is `docs/engagement-format.md`.
//!
//! The file is an envelope (`format`, `format_version`, `app_version`, `exported_at`,
//! `organisation`, `payload_sha256`) around `payload`, written as one compact line;
//! the checksum is the SHA-256 of exactly those bytes, so any change, damage or
//! truncation is detected before anything is read from it. Importing checks the
//! envelope, the checksum, then every row against its model, and writes everything in
//! one transaction with new ids: any problem changes nothing.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use cxm_domain::{Answer, Model};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

use crate::models::insert_model;
use crate::{
    MAX_NAME_CHARS, Result, SqlDate, Store, StoreError, clean_note, clean_text, date_text, summary,
    write_tx,
};

/// `format` of an engagement file.
pub const ENGAGEMENT_FORMAT: &str = "cx-maturity-engagement";
/// The `format_version` this build writes, and the newest it reads. Version 2 (issue
/// 14) adds ids, change stamps, answer histories and deletions, so files merge into
/// the same organisation; version 1 files still import (as a new organisation).
pub const ENGAGEMENT_FORMAT_VERSION: u32 = 2;
/// The largest engagement file read (a 50-respondent, 10-round engagement is ~3 MB).
pub const MAX_ENGAGEMENT_BYTES: u64 = 256 * 1024 * 1024;

/// Error codes of a refused engagement file ([`StoreError::ImportFile`]).
pub mod codes {
    /// Not JSON, or JSON that is not an engagement file.
    pub const FOREIGN: &str = "not_an_engagement_file";
    /// Written by a newer version of CX Maturity (a higher `format_version`).
    pub const NEWER: &str = "newer_engagement_format";
    /// Ours, but damaged or truncated (checksum, JSON syntax, structure).
    pub const DAMAGED: &str = "damaged_engagement_file";
}

/// A checked engagement file: the envelope's fields that matter and the payload.
#[derive(Debug, Clone, PartialEq)]
pub struct EngagementFile {
    /// 1 or 2.
    pub format_version: u32,
    /// When it was written (`exported_at`), if the file says.
    pub exported_at: Option<String>,
    /// The installation that wrote it (format 2).
    pub installation: Option<EngagementInstallation>,
    /// The data.
    pub payload: EngagementPayload,
}

/// The data of an engagement file (its `payload`). Fields marked *(2)* are in format 2
/// only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngagementPayload {
    /// The organisation.
    pub organisation: EngagementOrganisation,
    /// *(2)* The installations that made changes in the file, with their names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub installations: Vec<EngagementInstallation>,
    /// Every model version a round uses, with its TOML source.
    pub models: Vec<EngagementModel>,
    /// The rounds, by date then creation.
    pub rounds: Vec<EngagementRound>,
    /// *(2)* Rounds, respondents and plan items deleted (ids only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tombstones: Vec<EngagementTombstone>,
    /// *(2, issue 15)* The organisation's plan.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plan: Vec<EngagementPlanItem>,
}

/// A plan item of an engagement file (format 2, issue 15).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngagementPlanItem {
    /// Its UUID.
    pub uuid: String,
    /// What is to be done.
    pub title: String,
    /// Block id.
    pub block: String,
    /// Question id; `null` for a free item.
    pub question: Option<String>,
    /// Owner.
    pub owner: Option<String>,
    /// `2027-Q1` or `2027-03-31`.
    pub due: Option<String>,
    /// `S`, `M` or `L`.
    pub effort: Option<String>,
    /// `planned`, `in_progress`, `done` or `dropped`.
    pub status: String,
    /// Notes.
    pub notes: Option<String>,
    /// The UUID of the round it was planned from.
    pub planned_from: Option<String>,
    /// The item's change stamp.
    pub updated_at: Option<String>,
    /// *
    pub updated_by: Option<String>,
}

/// The organisation of an engagement file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngagementOrganisation {
    /// *(2)* Its UUID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    /// Its name.
    pub name: String,
    /// *(2)* When the name last changed (`""`: since it was created).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_at: Option<String>,
    /// *(2)* Where (an installation id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_by: Option<String>,
}

/// An installation named in an engagement file (format 2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngagementInstallation {
    /// Its id.
    pub id: String,
    /// Its name ("Anna's laptop").
    pub name: String,
    /// When it got that name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_at: Option<String>,
}

/// A deleted round or respondent (format 2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngagementTombstone {
    /// `round` or `respondent`.
    pub kind: String,
    /// Its UUID.
    pub uuid: String,
    /// When.
    pub deleted_at: String,
    /// Where (an installation id).
    pub deleted_by: String,
}

/// A model version of an engagement file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngagementModel {
    /// `id@version`.
    pub key: String,
    /// The TOML source, exactly as stored.
    pub source: String,
}

/// A round of an engagement file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngagementRound {
    /// *(2)* Its UUID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    /// Title.
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `open` or `closed`.
    pub status: String,
    /// *(2)* The status's change stamp.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_at: Option<String>,
    /// *(2)*
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_by: Option<String>,
    /// Target phase.
    pub target_phase: Option<u32>,
    /// *(2)* The target's change stamp.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_at: Option<String>,
    /// *(2)*
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_by: Option<String>,
    /// The pinned model version, `id@version` (one of the file's `models`).
    pub model: String,
    /// Respondents in creation order.
    pub respondents: Vec<EngagementRespondent>,
}

/// A respondent of an engagement file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngagementRespondent {
    /// *(2)* Their UUID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    /// Name or code.
    pub name: String,
    /// Role-group id of the round's model.
    pub role_group: String,
    /// Department.
    pub department: Option<String>,
    /// Interview date, `YYYY-MM-DD`.
    pub interview_date: Option<String>,
    /// *(2)* Where they came from outside the app (a survey's instance id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_key: Option<String>,
    /// *(2)* The details' change stamp.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// *(2)*
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_by: Option<String>,
    /// Answers and notes: the current version of each.
    pub answers: Vec<EngagementAnswer>,
    /// *(2)* Every other version: replaced ones, and cleared answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<EngagementAnswer>,
}

/// An answer (and/or note) of an engagement file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngagementAnswer {
    /// Question id.
    pub question: String,
    /// `"0"`..S, `"dk"`, `"na"`, or `null` (only a note).
    pub answer: Option<String>,
    /// The note.
    pub note: Option<String>,
    /// When it last changed (RFC 3339 UTC).
    pub updated_at: String,
    /// *(2)* Where (an installation id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// *(2)* The version it replaced: its time…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_at: Option<String>,
    /// *(2)* …and installation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_by: Option<String>,
}

#[derive(Serialize)]
struct EnvelopeOut<'a> {
    format: &'a str,
    format_version: u32,
    app_version: &'a str,
    exported_at: &'a str,
    organisation: &'a str,
    installation: &'a EngagementInstallation,
    payload_sha256: String,
    payload: &'a RawValue,
}

#[derive(Deserialize)]
struct EnvelopeIn {
    format: Option<serde_json::Value>,
    format_version: Option<serde_json::Value>,
    app_version: Option<serde_json::Value>,
    exported_at: Option<serde_json::Value>,
    installation: Option<serde_json::Value>,
    payload_sha256: Option<serde_json::Value>,
    payload: Option<Box<RawValue>>,
}

/// What [`Store::import_engagement`] did (or, previewed, would do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedEngagement {
    /// The organisation's id (`0` in a preview of a new one).
    pub organisation: i64,
    /// The file's format version.
    pub format_version: u32,
    /// Merged into an organisation stored here already (format 2, same UUID).
    pub merged: bool,
    /// Anything changed (a merge of what is here already changes nothing).
    pub changed: bool,
    /// The organisation's name before the file renamed it.
    pub renamed_from: Option<String>,
    /// The id of the installation that wrote the file (format 2).
    pub from_installation: Option<String>,
    /// Its name.
    pub from_name: Option<String>,
    /// What changed, round by round (every round for a new organisation).
    pub round_changes: Vec<crate::merge::RoundChanges>,
    /// Answers changed on two laptops since they last exchanged.
    pub concurrent: Vec<crate::merge::ConcurrentEdit>,
    /// What the user should know (the same name twice in a round, …).
    pub warnings: Vec<String>,
    /// Plan items added.
    pub plan_added: u32,
    /// Plan items changed.
    pub plan_changed: u32,
    /// Plan items deleted.
    pub plan_deleted: u32,
    /// Its name here: the file's, or `"<name> (imported YYYY-MM-DD)"` when an
    /// organisation of that name already exists.
    pub name: String,
    /// Whether the name was changed to avoid a clash.
    pub renamed: bool,
    /// Rounds, respondents and answers (scale values, don't know, n/a) created.
    pub rounds: u32,
    /// Respondents created.
    pub respondents: u32,
    /// Answers created.
    pub answers: u32,
    /// Model versions the file brought that were not stored yet (`id@version`).
    pub models_added: Vec<String>,
    /// Model versions already stored with the identical text, reused.
    pub models_reused: Vec<String>,
}

impl ImportedEngagement {
    pub(crate) fn empty() -> ImportedEngagement {
        ImportedEngagement {
            organisation: 0,
            format_version: ENGAGEMENT_FORMAT_VERSION,
            merged: false,
            changed: false,
            renamed_from: None,
            from_installation: None,
            from_name: None,
            round_changes: Vec::new(),
            concurrent: Vec::new(),
            warnings: Vec::new(),
            plan_added: 0,
            plan_changed: 0,
            plan_deleted: 0,
            name: String::new(),
            renamed: false,
            rounds: 0,
            respondents: 0,
            answers: 0,
            models_added: Vec::new(),
            models_reused: Vec::new(),
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn refused(code: &'static str, message: impl Into<String>) -> StoreError {
    StoreError::ImportFile {
        code,
        message: message.into(),
    }
}

fn damaged(message: impl std::fmt::Display) -> StoreError {
    refused(
        codes::DAMAGED,
        format!("the engagement file is damaged ({message}); nothing was imported"),
    )
}

/// Reads and verifies an engagement file: the envelope, the format version, the
/// checksum and the payload's structure. Pure: writes nothing.
pub fn read_engagement(bytes: &[u8]) -> Result<EngagementFile> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let ours = bytes
        .windows(ENGAGEMENT_FORMAT.len())
        .any(|w| w == ENGAGEMENT_FORMAT.as_bytes());
    let foreign = |why: &str| {
        refused(
            codes::FOREIGN,
            format!("this is not a CX Maturity engagement file ({why}); nothing was imported"),
        )
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(foreign("the file is empty"));
    }
    let envelope: EnvelopeIn = match serde_json::from_slice(bytes) {
        Ok(e) => e,
        Err(e) if ours && e.is_eof() => {
            return Err(damaged(format!(
                "it is truncated: it ends at line {} before the data is complete",
                e.line()
            )));
        }
        Err(e) if ours && e.is_syntax() => {
            return Err(damaged(format!(
                "not valid JSON at line {}, column {}",
                e.line(),
                e.column()
            )));
        }
        Err(e) if e.is_data() => return Err(foreign("JSON, but not an engagement")),
        Err(_) => return Err(foreign("not JSON")),
    };
    match envelope.format.as_ref().and_then(|f| f.as_str()) {
        Some(ENGAGEMENT_FORMAT) => {}
        Some(other) => return Err(foreign(&format!("its format is `{other}`"))),
        None => return Err(foreign("it has no `format` field")),
    }
    let version = envelope
        .format_version
        .as_ref()
        .and_then(|v| v.as_u64())
        .filter(|&v| v >= 1)
        .ok_or_else(|| damaged("its `format_version` is missing or not a positive number"))?;
    if version > u64::from(ENGAGEMENT_FORMAT_VERSION) {
        let by = envelope
            .app_version
            .as_ref()
            .and_then(|v| v.as_str())
            .map(|v| format!(" (CX Maturity {v})"))
            .unwrap_or_default();
        return Err(refused(
            codes::NEWER,
            format!(
                "the engagement file was written by a newer version of CX Maturity{by}: format version {version}, this version reads up to {ENGAGEMENT_FORMAT_VERSION}; update the app to import it (nothing was imported)"
            ),
        ));
    }
    let payload = envelope
        .payload
        .ok_or_else(|| damaged("it has no `payload`"))?;
    let expected = envelope
        .payload_sha256
        .as_ref()
        .and_then(|v| v.as_str())
        .ok_or_else(|| damaged("it has no `payload_sha256` checksum"))?;
    let actual = hex(&Sha256::digest(payload.get().as_bytes()));
    if !actual.eq_ignore_ascii_case(expected.trim()) {
        return Err(damaged(
            "its checksum does not match its data: the file was changed or damaged after it was exported",
        ));
    }
    let payload = serde_json::from_str::<EngagementPayload>(payload.get())
        .map_err(|e| damaged(format!("unexpected data: {e}")))?;
    let installation = match envelope.installation {
        None | Some(serde_json::Value::Null) => None,
        Some(v) => Some(
            serde_json::from_value::<EngagementInstallation>(v)
                .map_err(|e| damaged(format!("its `installation` is not one: {e}")))?,
        ),
    };
    if version >= 2 && installation.is_none() {
        return Err(damaged("it does not say which installation wrote it"));
    }
    Ok(EngagementFile {
        format_version: version as u32,
        exported_at: envelope
            .exported_at
            .as_ref()
            .and_then(|v| v.as_str())
            .map(str::to_string),
        installation,
        payload,
    })
}

/// Where a problem is, for errors: "round 2 “Review”, respondent 3 `R-07`".
pub(crate) fn invalid(place: &str, what: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid(format!(
        "the engagement file cannot be imported: {place}: {what} (nothing was imported)"
    ))
}

pub(crate) fn parse_date(text: &str, what: &str, place: &str) -> Result<String> {
    let date = crate::parse_date(text).map_err(|_| {
        invalid(
            place,
            format!("the {what} `{text}` is not a YYYY-MM-DD date"),
        )
    })?;
    date_text(date, what).map_err(|e| invalid(place, e))
}

/// Parses every model of the file (pure) and checks each declares its key.
fn parse_models(payload: &EngagementPayload) -> Result<Vec<(String, Arc<Model>, String)>> {
    let mut parsed: Vec<(String, Arc<Model>, String)> = Vec::new();
    for m in &payload.models {
        let model = Model::from_toml(
            &m.source,
            &format!("model {} in the engagement file", m.key),
        )
        .map_err(|e| invalid(&format!("model {}", m.key), e))?;
        if model.key() != m.key.trim() {
            return Err(invalid(
                &format!("model {}", m.key),
                format!("its text declares {}", model.key()),
            ));
        }
        if parsed.iter().any(|(k, _, _)| k == m.key.trim()) {
            return Err(invalid(&format!("model {}", m.key), "it is listed twice"));
        }
        parsed.push((m.key.trim().to_string(), Arc::new(model), m.source.clone()));
    }
    Ok(parsed)
}

/// Stores the file's models: an identical stored one is reused, a missing one added,
/// the same `id@version` with another text refused. Returns the rows by key.
pub(crate) fn store_models(
    tx: &rusqlite::Connection,
    parsed: &[(String, Arc<Model>, String)],
    now: &str,
    done: &mut ImportedEngagement,
) -> Result<HashMap<String, (i64, Arc<Model>)>> {
    let mut model_rows: HashMap<String, (i64, Arc<Model>)> = HashMap::new();
    for (key, model, source) in parsed {
        let existing: Option<(i64, String)> = tx
            .query_row(
                "SELECT id, source FROM model_versions WHERE model_id = ?1 AND version = ?2",
                params![model.id, model.version],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let id = match existing {
            Some((id, stored)) if &stored == source => {
                done.models_reused.push(model.key());
                id
            }
            Some(_) => {
                return Err(StoreError::Conflict(format!(
                    "the engagement file cannot be imported: model {} is already stored here with a different text, and its rounds were answered on the file's text; import the file into another database, or ask for a model with a higher version (nothing was imported)",
                    model.key()
                )));
            }
            None => {
                done.models_added.push(model.key());
                insert_model(tx, model, source, now)?
            }
        };
        model_rows.insert(key.clone(), (id, Arc::clone(model)));
    }
    Ok(model_rows)
}

type AnswerRow = (
    String,
    Option<i64>,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<String>,
);

fn answer_of(row: AnswerRow) -> (String, EngagementAnswer) {
    let (question, value, note, at, by, parent_at, parent_by) = row;
    (
        question.clone(),
        EngagementAnswer {
            question,
            answer: value.and_then(Answer::from_code).map(|a| a.to_string()),
            note,
            updated_at: at,
            by: Some(by),
            parent_at,
            parent_by,
        },
    )
}

fn some(text: String) -> Option<String> {
    Some(text)
}

impl Store {
    /// The organisation `id` as an engagement file (JSON text, format 2): its rounds,
    /// respondents, answers with notes and every earlier version, the deletions, the
    /// model versions with their TOML source, with the ids and change stamps that let
    /// another installation merge it. Records that data left here at this time
    /// (versions older than that are never rewritten in place).
    pub fn export_engagement(&self, id: i64) -> Result<String> {
        Ok(self
            .export_engagement_unless(id, None)?
            .expect("no checksum to compare with"))
    }

    /// [`Store::export_engagement`], unless the file would carry the same data as one
    /// written before, whose `payload_sha256` is `written` (the team folder: a file is
    /// replaced only when something changed). The data is read once.
    pub fn export_engagement_unless(
        &self,
        id: i64,
        written: Option<&str>,
    ) -> Result<Option<String>> {
        let payload = self.engagement_data(id)?;
        let payload_text = serde_json::to_string(&payload).expect("serialisable");
        let sha = hex(&Sha256::digest(payload_text.as_bytes()));
        if written.is_some_and(|w| w.eq_ignore_ascii_case(&sha)) {
            return Ok(None);
        }
        let exported_at = self.now();
        let me = self.installation()?;
        let me_at: String = self.conn.query_row(
            "SELECT name_at FROM installations WHERE this = 1",
            [],
            |r| r.get(0),
        )?;
        let raw = RawValue::from_string(payload_text).expect("valid JSON");
        let envelope = EnvelopeOut {
            format: ENGAGEMENT_FORMAT,
            format_version: ENGAGEMENT_FORMAT_VERSION,
            app_version: env!("CARGO_PKG_VERSION"),
            exported_at: &exported_at,
            organisation: &payload.organisation.name,
            installation: &EngagementInstallation {
                id: me.id,
                name: me.name,
                name_at: Some(me_at),
            },
            payload_sha256: sha,
            payload: &raw,
        };
        let text = serde_json::to_string_pretty(&envelope).expect("serialisable") + "\n";
        if self.read_only.is_none() {
            self.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [crate::versions::EXPORTED_THROUGH, exported_at.as_str()],
            )?;
        }
        Ok(Some(text))
    }

    fn engagement_data(&self, id: i64) -> Result<EngagementPayload> {
        let tx = crate::read_snapshot(&self.conn)?; // one snapshot
        let (uuid, name, name_at, name_by): (String, String, String, String) = tx
            .query_row(
                "SELECT uuid, name, name_at, name_by FROM organisations WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::not_found("organisation", id))?;
        let mut models: Vec<EngagementModel> = Vec::new();
        {
            let mut stmt = tx.prepare(
                "SELECT m.model_id || '@' || m.version, m.source FROM model_versions m
                 WHERE m.id IN (SELECT model_version_id FROM rounds WHERE organisation_id = ?1)
                 ORDER BY m.model_id, m.version",
            )?;
            let rows = stmt.query_map([id], |r| {
                Ok(EngagementModel {
                    key: r.get(0)?,
                    source: r.get(1)?,
                })
            })?;
            for m in rows {
                models.push(m?);
            }
        }
        let mut rounds: Vec<(i64, EngagementRound)> = Vec::new();
        {
            let mut stmt = tx.prepare(
                "SELECT r.id, r.title, r.date, r.status, r.target_phase, m.model_id || '@' || m.version,
                        r.uuid, r.status_at, r.status_by, r.target_at, r.target_by
                 FROM rounds r JOIN model_versions m ON m.id = r.model_version_id
                 WHERE r.organisation_id = ?1 ORDER BY r.date, r.id",
            )?;
            let rows = stmt.query_map([id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    EngagementRound {
                        uuid: Some(r.get(6)?),
                        title: r.get(1)?,
                        date: r.get::<_, SqlDate>(2)?.0.format("%Y-%m-%d").to_string(),
                        status: r.get(3)?,
                        status_at: Some(r.get(7)?),
                        status_by: Some(r.get(8)?),
                        target_phase: r.get(4)?,
                        target_at: Some(r.get(9)?),
                        target_by: Some(r.get(10)?),
                        model: r.get(5)?,
                        respondents: Vec::new(),
                    },
                ))
            })?;
            for r in rows {
                rounds.push(r?);
            }
        }
        let mut by: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
        by.insert(name_by.clone());
        let mut people = tx.prepare(
            "SELECT id, name, role_group, department, interview_date, uuid, source_key, updated_at, updated_by
             FROM respondents WHERE round_id = ?1 ORDER BY id",
        )?;
        let mut current = tx.prepare(
            "SELECT question_id, value, note, updated_at, updated_by, parent_at, parent_by FROM answers
             WHERE respondent_id = ?1 ORDER BY question_id",
        )?;
        let mut others = tx.prepare(
            "SELECT question_id, value, note, at, by, parent_at, parent_by FROM answer_versions
             WHERE respondent_id = ?1 ORDER BY question_id, at, by",
        )?;
        let row = |r: &rusqlite::Row<'_>| -> rusqlite::Result<AnswerRow> {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        };
        for (round_id, round) in &mut rounds {
            by.insert(round.status_by.clone().unwrap_or_default());
            by.insert(round.target_by.clone().unwrap_or_default());
            let list: Vec<(i64, EngagementRespondent)> = people
                .query_map([*round_id], |r| {
                    Ok((
                        r.get(0)?,
                        EngagementRespondent {
                            uuid: Some(r.get(5)?),
                            name: r.get(1)?,
                            role_group: r.get(2)?,
                            department: r.get(3)?,
                            interview_date: r.get(4)?,
                            source_key: r.get(6)?,
                            updated_at: Some(r.get(7)?),
                            updated_by: Some(r.get(8)?),
                            answers: Vec::new(),
                            history: Vec::new(),
                        },
                    ))
                })?
                .collect::<rusqlite::Result<_>>()?;
            for (respondent_id, mut person) in list {
                by.insert(person.updated_by.clone().unwrap_or_default());
                for a in current.query_map([respondent_id], row)? {
                    let (_, a) = answer_of(a?);
                    by.insert(a.by.clone().unwrap_or_default());
                    person.answers.push(a);
                }
                for a in others.query_map([respondent_id], row)? {
                    let (_, a) = answer_of(a?);
                    by.insert(a.by.clone().unwrap_or_default());
                    person.history.push(a);
                }
                round.respondents.push(person);
            }
        }
        drop(people);
        drop(current);
        drop(others);
        let tombstones: Vec<EngagementTombstone> = {
            let mut stmt = tx.prepare(
                "SELECT kind, uuid, deleted_at, deleted_by FROM tombstones
                 WHERE organisation_uuid = ?1 ORDER BY uuid",
            )?;
            let rows = stmt.query_map([&uuid], |r| {
                Ok(EngagementTombstone {
                    kind: r.get(0)?,
                    uuid: r.get(1)?,
                    deleted_at: r.get(2)?,
                    deleted_by: r.get(3)?,
                })
            })?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for t in &tombstones {
            by.insert(t.deleted_by.clone());
        }
        let plan: Vec<EngagementPlanItem> = {
            let mut stmt = tx.prepare(
                "SELECT uuid, title, block, question, owner, due, effort, status, notes, planned_from,
                        updated_at, updated_by
                 FROM plan_items WHERE organisation_id = ?1 ORDER BY id",
            )?;
            let rows = stmt.query_map([id], |r| {
                Ok(EngagementPlanItem {
                    uuid: r.get(0)?,
                    title: r.get(1)?,
                    block: r.get(2)?,
                    question: r.get(3)?,
                    owner: r.get(4)?,
                    due: r.get(5)?,
                    effort: r.get(6)?,
                    status: r.get(7)?,
                    notes: r.get(8)?,
                    planned_from: r.get(9)?,
                    updated_at: Some(r.get(10)?),
                    updated_by: Some(r.get(11)?),
                })
            })?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for p in &plan {
            by.insert(p.updated_by.clone().unwrap_or_default());
        }
        let installations: Vec<EngagementInstallation> = {
            let mut stmt =
                tx.prepare_cached("SELECT name, name_at FROM installations WHERE id = ?1")?;
            let mut out = Vec::new();
            for id in by.iter().filter(|b| !b.is_empty()) {
                if let Some((name, name_at)) = stmt
                    .query_row([id], |r| {
                        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                    })
                    .optional()?
                {
                    out.push(EngagementInstallation {
                        id: id.clone(),
                        name,
                        name_at: Some(name_at),
                    });
                }
            }
            out
        };
        Ok(EngagementPayload {
            organisation: EngagementOrganisation {
                uuid: Some(uuid),
                name,
                name_at: some(name_at),
                name_by: some(name_by),
            },
            installations,
            models,
            rounds: rounds.into_iter().map(|(_, r)| r).collect(),
            tombstones,
            plan,
        })
    }

    /// Imports an engagement file ([`read_engagement`]) in one transaction; any problem
    /// writes nothing.
    ///
    /// - Format 2, organisation stored here (same UUID): merged
    ///   ([`crate::merge`]): new rounds and respondents added, each change the most
    ///   recent one, deletions applied, concurrent edits reported. The same file twice
    ///   changes nothing.
    /// - Format 2, organisation not here: added with its ids, so later files merge.
    /// - Format 1: a new organisation with new ids; named `"<name> (imported
    ///   YYYY-MM-DD)"` (then `… 2`, …) when an organisation of that name exists.
    ///
    /// Model versions: an identical stored one is reused, a missing one imported; the
    /// same `id@version` stored with a different text is a [`StoreError::Conflict`].
    pub fn import_engagement(&mut self, bytes: &[u8]) -> Result<ImportedEngagement> {
        self.engagement_import(bytes, true)
    }

    /// What [`Store::import_engagement`] would do with `bytes`, without writing: the
    /// same checks and the same writes in a transaction that is rolled back, so a file
    /// the preview accepts is one the import accepts (on the database as it is now).
    /// `organisation` in the answer is `0` for a new organisation (the stored one's when
    /// the file merges).
    pub fn preview_engagement(&mut self, bytes: &[u8]) -> Result<ImportedEngagement> {
        self.engagement_import(bytes, false)
    }

    /// [`Store::import_engagement`] of a file read already ([`read_engagement`]).
    pub fn import_engagement_file(&mut self, file: &EngagementFile) -> Result<ImportedEngagement> {
        self.import_file(file, true)
    }

    /// [`Store::preview_engagement`] of a file read already ([`read_engagement`]).
    pub fn preview_engagement_file(&mut self, file: &EngagementFile) -> Result<ImportedEngagement> {
        self.import_file(file, false)
    }

    fn engagement_import(&mut self, bytes: &[u8], commit: bool) -> Result<ImportedEngagement> {
        self.import_file(&read_engagement(bytes)?, commit)
    }

    fn import_file(&mut self, file: &EngagementFile, commit: bool) -> Result<ImportedEngagement> {
        let parsed = parse_models(&file.payload)?;
        if file.format_version >= 2 {
            return self.merge_engagement(file, &parsed, commit);
        }
        let payload = &file.payload;
        let now = self.now();
        let today = (self.clock)().date_naive();

        let org_name = clean_text(
            &payload.organisation.name,
            "organisation name",
            MAX_NAME_CHARS,
        )
        .map_err(|e| invalid("the organisation", e))?;

        let tx = write_tx(&mut self.conn)?;
        let mut done = ImportedEngagement::empty();
        done.format_version = file.format_version;
        done.changed = true;
        let model_rows = store_models(&tx, &parsed, &now, &mut done)?;

        // The organisation, under a name no other organisation has.
        let existing: HashSet<String> = {
            let mut stmt = tx.prepare_cached("SELECT name FROM organisations")?;
            let names = stmt.query_map([], |r| r.get::<_, String>(0))?;
            names
                .map(|n| n.map(|n| cxm_domain::text::fold(&n)))
                .collect::<rusqlite::Result<_>>()?
        };
        let taken =
            |name: &str| -> Result<bool> { Ok(existing.contains(&cxm_domain::text::fold(name))) };
        let mut name = org_name.clone();
        if taken(&name)? {
            let base: String = org_name.chars().take(MAX_NAME_CHARS - 40).collect();
            let stem = format!("{base} (imported {})", today.format("%Y-%m-%d"));
            name = stem.clone();
            let mut n = 2;
            while taken(&name)? {
                name = format!("{stem} {n}");
                n += 1;
            }
            done.renamed = true;
        }
        tx.execute(
            "INSERT INTO organisations (name, created_at) VALUES (?1, ?2)",
            params![name, now],
        )?;
        let organisation = tx.last_insert_rowid();

        for (ri, round) in payload.rounds.iter().enumerate() {
            let place = format!("round {} “{}”", ri + 1, round.title.trim());
            let title = clean_text(&round.title, "round title", MAX_NAME_CHARS)
                .map_err(|e| invalid(&place, e))?;
            let date = parse_date(&round.date, "round date", &place)?;
            let status = match round.status.as_str() {
                "open" | "closed" => round.status.as_str(),
                other => {
                    return Err(invalid(
                        &place,
                        format!("the status `{other}` is neither open nor closed"),
                    ));
                }
            };
            let (model_row, model) =
                model_rows.get(round.model.trim()).cloned().ok_or_else(|| {
                    invalid(
                        &place,
                        format!(
                            "it uses model {}, which the file does not include",
                            round.model
                        ),
                    )
                })?;
            if let Some(t) = round.target_phase
                && !(1..=model.phase_count()).contains(&t)
            {
                return Err(invalid(
                    &place,
                    format!(
                        "target phase {t} does not exist in model {} (phases 1 to {})",
                        model.key(),
                        model.phase_count()
                    ),
                ));
            }
            tx.execute(
                "INSERT INTO rounds (organisation_id, title, date, model_version_id, target_phase, status, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![organisation, title, date, model_row, round.target_phase, status, now],
            )?;
            let round_id = tx.last_insert_rowid();
            let mut names: HashSet<String> = HashSet::new();
            for (pi, person) in round.respondents.iter().enumerate() {
                let place = format!("{place}, respondent {} `{}`", pi + 1, person.name.trim());
                let pname = clean_text(&person.name, "respondent's name", MAX_NAME_CHARS)
                    .map_err(|e| invalid(&place, e))?;
                if !names.insert(cxm_domain::text::fold(&pname)) {
                    return Err(invalid(
                        &place,
                        "the name appears twice in the round (names are compared ignoring case, accents' encoding and spacing)",
                    ));
                }
                let group = model.role_group_index(&person.role_group).ok_or_else(|| {
                    invalid(
                        &place,
                        format!(
                            "role group `{}` does not exist in model {}",
                            person.role_group,
                            model.key()
                        ),
                    )
                })?;
                let department = match person.department.as_deref().map(str::trim) {
                    None | Some("") => None,
                    Some(d) => Some(
                        clean_text(d, "department", MAX_NAME_CHARS)
                            .map_err(|e| invalid(&place, e))?,
                    ),
                };
                let interview = person
                    .interview_date
                    .as_deref()
                    .map(|d| parse_date(d, "interview date", &place))
                    .transpose()?;
                tx.prepare_cached(
                    "INSERT INTO respondents (round_id, name, role_group, department, interview_date, created_at, updated_at, updated_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)",
                )?
                .execute(params![
                    round_id,
                    pname,
                    model.role_groups[group].id,
                    department,
                    interview,
                    now,
                    self.installation
                ])?;
                let respondent = tx.last_insert_rowid();
                let mut seen: HashSet<usize> = HashSet::new();
                for a in &person.answers {
                    let q = model.question_index(&a.question).ok_or_else(|| {
                        invalid(
                            &place,
                            format!(
                                "question `{}` does not exist in model {}",
                                a.question,
                                model.key()
                            ),
                        )
                    })?;
                    if !seen.insert(q) {
                        return Err(invalid(
                            &place,
                            format!("question `{}` is answered twice", a.question),
                        ));
                    }
                    let answer = match a.answer.as_deref() {
                        None => None,
                        Some(text) => Some(
                            text.parse::<Answer>()
                                .ok()
                                .filter(|x| x.fits(&model))
                                .ok_or_else(|| {
                                    invalid(
                                        &place,
                                        format!(
                                            "`{text}` is not an answer to `{}` (0 to {}, dk or na)",
                                            a.question, model.scale.max
                                        ),
                                    )
                                })?,
                        ),
                    };
                    let note = match a.note.as_deref().filter(|n| !n.trim().is_empty()) {
                        Some(n) => Some(
                            clean_note(n, &format!("note to `{}`", a.question))
                                .map_err(|e| invalid(&place, e))?,
                        ),
                        None => None,
                    };
                    if answer.is_none() && note.is_none() {
                        continue;
                    }
                    let updated_at =
                        crate::identity::normal_stamp(&a.updated_at).unwrap_or_else(|| now.clone());
                    tx.prepare_cached(
                        "INSERT INTO answers (respondent_id, question_id, value, note, updated_at, updated_by)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    )?
                    .execute(params![
                        respondent,
                        model.questions[q].id,
                        answer.map(Answer::code),
                        note,
                        updated_at,
                        self.installation
                    ])?;
                    if answer.is_some() {
                        done.answers += 1;
                    }
                }
                done.respondents += 1;
            }
            summary::refresh(&tx, round_id, &model)?;
            done.rounds += 1;
        }
        done.name = name;
        if commit {
            tx.commit()?;
            done.organisation = organisation;
        } // else: dropped, rolled back
        Ok(done)
    }
}
