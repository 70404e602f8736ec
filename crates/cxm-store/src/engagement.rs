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

use chrono::DateTime;
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
/// The `format_version` this build writes, and the newest it reads.
pub const ENGAGEMENT_FORMAT_VERSION: u32 = 1;
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

/// The data of an engagement file (its `payload`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngagementPayload {
    /// The organisation.
    pub organisation: EngagementOrganisation,
    /// Every model version a round uses, with its TOML source.
    pub models: Vec<EngagementModel>,
    /// The rounds, by date then creation.
    pub rounds: Vec<EngagementRound>,
}

/// The organisation of an engagement file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngagementOrganisation {
    /// Its name.
    pub name: String,
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
    /// Title.
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `open` or `closed`.
    pub status: String,
    /// Target phase.
    pub target_phase: Option<u32>,
    /// The pinned model version, `id@version` (one of the file's `models`).
    pub model: String,
    /// Respondents in creation order.
    pub respondents: Vec<EngagementRespondent>,
}

/// A respondent of an engagement file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngagementRespondent {
    /// Name or code.
    pub name: String,
    /// Role-group id of the round's model.
    pub role_group: String,
    /// Department.
    pub department: Option<String>,
    /// Interview date, `YYYY-MM-DD`.
    pub interview_date: Option<String>,
    /// Answers and notes.
    pub answers: Vec<EngagementAnswer>,
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
}

#[derive(Serialize)]
struct EnvelopeOut<'a> {
    format: &'a str,
    format_version: u32,
    app_version: &'a str,
    exported_at: &'a str,
    organisation: &'a str,
    payload_sha256: String,
    payload: &'a RawValue,
}

#[derive(Deserialize)]
struct EnvelopeIn {
    format: Option<serde_json::Value>,
    format_version: Option<serde_json::Value>,
    app_version: Option<serde_json::Value>,
    payload_sha256: Option<serde_json::Value>,
    payload: Option<Box<RawValue>>,
}

/// What [`Store::import_engagement`] created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedEngagement {
    /// The new organisation's id.
    pub organisation: i64,
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
pub fn read_engagement(bytes: &[u8]) -> Result<EngagementPayload> {
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
    serde_json::from_str::<EngagementPayload>(payload.get())
        .map_err(|e| damaged(format!("unexpected data: {e}")))
}

/// Where a problem is, for errors: "round 2 “Review”, respondent 3 `R-07`".
fn invalid(place: &str, what: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid(format!(
        "the engagement file cannot be imported: {place}: {what} (nothing was imported)"
    ))
}

fn parse_date(text: &str, what: &str, place: &str) -> Result<String> {
    let date = crate::parse_date(text).map_err(|_| {
        invalid(
            place,
            format!("the {what} `{text}` is not a YYYY-MM-DD date"),
        )
    })?;
    date_text(date, what).map_err(|e| invalid(place, e))
}

impl Store {
    /// The organisation `id` as an engagement file (JSON text): its rounds (title,
    /// date, status, target, model version), respondents, answers with notes, and the
    /// model versions they use with their TOML source.
    pub fn export_engagement(&self, id: i64) -> Result<String> {
        let tx = crate::read_snapshot(&self.conn)?; // one snapshot
        let name: String = tx
            .query_row("SELECT name FROM organisations WHERE id = ?1", [id], |r| {
                r.get(0)
            })
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
                "SELECT r.id, r.title, r.date, r.status, r.target_phase, m.model_id || '@' || m.version
                 FROM rounds r JOIN model_versions m ON m.id = r.model_version_id
                 WHERE r.organisation_id = ?1 ORDER BY r.date, r.id",
            )?;
            let rows = stmt.query_map([id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    EngagementRound {
                        title: r.get(1)?,
                        date: r.get::<_, SqlDate>(2)?.0.format("%Y-%m-%d").to_string(),
                        status: r.get(3)?,
                        target_phase: r.get(4)?,
                        model: r.get(5)?,
                        respondents: Vec::new(),
                    },
                ))
            })?;
            for r in rows {
                rounds.push(r?);
            }
        }
        let mut people = tx.prepare(
            "SELECT id, name, role_group, department, interview_date FROM respondents
             WHERE round_id = ?1 ORDER BY id",
        )?;
        let mut answers = tx.prepare(
            "SELECT question_id, value, note, updated_at FROM answers
             WHERE respondent_id = ?1 ORDER BY question_id",
        )?;
        for (round_id, round) in &mut rounds {
            let list: Vec<(i64, EngagementRespondent)> = people
                .query_map([*round_id], |r| {
                    Ok((
                        r.get(0)?,
                        EngagementRespondent {
                            name: r.get(1)?,
                            role_group: r.get(2)?,
                            department: r.get(3)?,
                            interview_date: r.get(4)?,
                            answers: Vec::new(),
                        },
                    ))
                })?
                .collect::<rusqlite::Result<_>>()?;
            for (respondent_id, mut person) in list {
                person.answers = answers
                    .query_map([respondent_id], |r| {
                        Ok(EngagementAnswer {
                            question: r.get(0)?,
                            answer: r
                                .get::<_, Option<i64>>(1)?
                                .and_then(Answer::from_code)
                                .map(|a| a.to_string()),
                            note: r.get(2)?,
                            updated_at: r.get(3)?,
                        })
                    })?
                    .collect::<rusqlite::Result<_>>()?;
                round.respondents.push(person);
            }
        }
        drop(people);
        drop(answers);
        drop(tx);
        let payload = EngagementPayload {
            organisation: EngagementOrganisation { name: name.clone() },
            models,
            rounds: rounds.into_iter().map(|(_, r)| r).collect(),
        };
        let payload = serde_json::to_string(&payload).expect("serialisable");
        let raw = RawValue::from_string(payload).expect("valid JSON");
        let exported_at = self.now();
        let envelope = EnvelopeOut {
            format: ENGAGEMENT_FORMAT,
            format_version: ENGAGEMENT_FORMAT_VERSION,
            app_version: env!("CARGO_PKG_VERSION"),
            exported_at: &exported_at,
            organisation: &name,
            payload_sha256: hex(&Sha256::digest(raw.get().as_bytes())),
            payload: &raw,
        };
        Ok(serde_json::to_string_pretty(&envelope).expect("serialisable") + "\n")
    }

    /// Imports an engagement file ([`read_engagement`]) as a new organisation, in one
    /// transaction with new ids for everything. Model versions: an identical stored
    /// one is reused, a missing one imported; the same `id@version` stored with a
    /// different text is a [`StoreError::Conflict`]. When an organisation of the same
    /// name (ignoring case) exists, the new one is named `"<name> (imported
    /// YYYY-MM-DD)"` (then `… 2`, `… 3`). The organisation is active (not archived);
    /// rounds keep their status. Any problem writes nothing.
    pub fn import_engagement(&mut self, bytes: &[u8]) -> Result<ImportedEngagement> {
        self.engagement_import(bytes, true)
    }

    /// What [`Store::import_engagement`] would do with `bytes`, without writing: the
    /// same checks and the same writes in a transaction that is rolled back, so a file
    /// the preview accepts is one the import accepts (on the database as it is now).
    /// `organisation` in the answer is `0`.
    pub fn preview_engagement(&mut self, bytes: &[u8]) -> Result<ImportedEngagement> {
        self.engagement_import(bytes, false)
    }

    fn engagement_import(&mut self, bytes: &[u8], commit: bool) -> Result<ImportedEngagement> {
        let payload = read_engagement(bytes)?;
        let now = self.now();
        let today = (self.clock)().date_naive();

        // Every model parsed before the transaction (pure).
        let mut parsed: Vec<(&EngagementModel, Arc<Model>)> = Vec::new();
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
            if parsed.iter().any(|(p, _)| p.key == m.key) {
                return Err(invalid(&format!("model {}", m.key), "it is listed twice"));
            }
            parsed.push((m, Arc::new(model)));
        }
        let org_name = clean_text(
            &payload.organisation.name,
            "organisation name",
            MAX_NAME_CHARS,
        )
        .map_err(|e| invalid("the organisation", e))?;

        let tx = write_tx(&mut self.conn)?;
        let mut done = ImportedEngagement {
            organisation: 0,
            name: String::new(),
            renamed: false,
            rounds: 0,
            respondents: 0,
            answers: 0,
            models_added: Vec::new(),
            models_reused: Vec::new(),
        };
        let mut model_rows: HashMap<&str, (i64, Arc<Model>)> = HashMap::new();
        for (m, model) in &parsed {
            let existing: Option<(i64, String)> = tx
                .query_row(
                    "SELECT id, source FROM model_versions WHERE model_id = ?1 AND version = ?2",
                    params![model.id, model.version],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let id = match existing {
                Some((id, source)) if source == m.source => {
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
                    insert_model(&tx, model, &m.source, &now)?
                }
            };
            model_rows.insert(m.key.trim(), (id, Arc::clone(model)));
        }

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
                    "INSERT INTO respondents (round_id, name, role_group, department, interview_date, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?
                .execute(params![
                    round_id,
                    pname,
                    model.role_groups[group].id,
                    department,
                    interview,
                    now
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
                    let updated_at = DateTime::parse_from_rfc3339(a.updated_at.trim())
                        .map(|_| a.updated_at.trim().to_string())
                        .unwrap_or_else(|_| now.clone());
                    tx.prepare_cached(
                        "INSERT INTO answers (respondent_id, question_id, value, note, updated_at)
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                    )?
                    .execute(params![
                        respondent,
                        model.questions[q].id,
                        answer.map(Answer::code),
                        note,
                        updated_at
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
