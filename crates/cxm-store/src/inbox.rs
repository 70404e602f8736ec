//! Answers that come from outside the app: the round's inbox (workshop submissions
//! waiting to be accepted or rejected) and survey exports whose rows carry an instance
//! id (ODK Central, KoboToolbox), imported once each.
//!
//! A submission is stored in the inbox as it was checked
//! ([`cxm_domain::submission::check`]); nothing reaches the round's answers until the
//! person running the round accepts it, which makes it a respondent whose `source_key`
//! is the submission id, in the same transaction that marks it accepted. Accepted or
//! rejected, an entry keeps only its id and status (so a phone that sends it again is
//! told it is stored, and it does not come back). A submission id or an instance id is stored once per
//! round: sent again, it is [`Receipt::Already`]; in a later export, the row is
//! reported as already imported.

use std::collections::{HashMap, HashSet};

use cxm_domain::Answer;
use cxm_domain::responses_csv::ParsedResponses;
use cxm_domain::submission::Submission;
use cxm_domain::text::fold;
use rusqlite::{Connection, params};

use crate::answers::{ImportRow, QuestionRef, RoleRef, folded_names};
use crate::rounds::{RoundCtx, RoundStatus};
use crate::{ImportSummary, Result, Store, StoreError, write_tx};

/// What [`Store::receive_submission`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Receipt {
    /// Stored in the inbox.
    New,
    /// A submission with this id was stored before (pending, accepted or rejected):
    /// nothing changed.
    Already,
}

/// One pending submission of a round's inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxEntry {
    /// The client-made id (a lowercase UUID).
    pub submission_id: String,
    /// Where it came from (`workshop`).
    pub source: String,
    /// When it arrived (RFC 3339 UTC).
    pub received_at: String,
    /// The name or code the participant gave.
    pub name: Option<String>,
    /// The respondent name accepting it would create: the name given, else
    /// `Participant` and the first eight characters of the id.
    pub respondent: String,
    /// Role-group id of the round's model.
    pub role_group: String,
    /// Department, if given.
    pub department: Option<String>,
    /// (question id, answer), in model order.
    pub answers: Vec<(String, Answer)>,
    /// Why accepting it would be refused (a name already in the round, or given by an
    /// earlier submission); empty when it can be accepted.
    pub problems: Vec<String>,
}

/// How many submissions a round's inbox holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InboxCounts {
    /// Waiting for a decision.
    pub pending: u32,
    /// Rejected (only their ids are kept).
    pub rejected: u32,
    /// Accepted: they became respondents (only their ids are kept here).
    pub accepted: u32,
}

/// What [`Store::import_keyed`] did, or would do ([`Store::check_keyed`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyedImport {
    /// Respondents added (or that would be).
    pub respondents: u32,
    /// Answers stored (or that would be).
    pub answers: u32,
    /// (line, key) of every row already imported into the round before: skipped.
    pub already: Vec<(u64, String)>,
    /// (line, name) of every new row whose respondent name is already in the round:
    /// the import is refused while there is one.
    pub existing_names: Vec<(u64, String)>,
    /// The round is closed: nothing can be imported.
    pub closed: bool,
}

/// The respondent name an accepted submission gets when the participant gave none.
pub fn participant_code(submission_id: &str) -> String {
    let short: String = submission_id
        .chars()
        .filter(char::is_ascii_hexdigit)
        .take(8)
        .collect();
    format!("Participant {}", short.to_ascii_uppercase())
}

/// The source keys of a round's respondents.
fn source_keys(conn: &Connection, round: i64) -> Result<HashSet<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT source_key FROM respondents WHERE round_id = ?1 AND source_key IS NOT NULL",
    )?;
    let keys = stmt
        .query_map([round], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<HashSet<String>>>()?;
    Ok(keys)
}

struct StoredEntry {
    submission_id: String,
    source: String,
    received_at: String,
    name: Option<String>,
    role_group: String,
    department: Option<String>,
    answers: String,
}

fn pending(conn: &Connection, round: i64) -> Result<Vec<StoredEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT submission_id, source, received_at, name, role_group, department, answers
         FROM inbox WHERE round_id = ?1 AND status = 'pending' ORDER BY id",
    )?;
    let rows = stmt
        .query_map([round], |r| {
            Ok(StoredEntry {
                submission_id: r.get(0)?,
                source: r.get(1)?,
                received_at: r.get(2)?,
                name: r.get(3)?,
                role_group: r.get(4)?,
                department: r.get(5)?,
                answers: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

impl StoredEntry {
    fn respondent(&self) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| participant_code(&self.submission_id))
    }

    /// The answers in model order; an id or value the model does not know is damage.
    fn answers(&self, model: &cxm_domain::Model) -> Result<Vec<(String, Answer)>> {
        let map: HashMap<String, String> = serde_json::from_str(&self.answers).map_err(|e| {
            StoreError::Corrupt(format!(
                "inbox submission {} has unreadable answers: {e}",
                self.submission_id
            ))
        })?;
        let mut answers = Vec::with_capacity(map.len());
        for (qid, value) in map {
            let q = model.question_index(&qid);
            let a = value.parse::<Answer>().ok().filter(|a| a.fits(model));
            match (q, a) {
                (Some(q), Some(a)) => answers.push((q, a)),
                _ => {
                    return Err(StoreError::Corrupt(format!(
                        "inbox submission {} has answer `{value}` to `{qid}`, which model {} does not allow",
                        self.submission_id,
                        model.key()
                    )));
                }
            }
        }
        answers.sort_by_key(|&(q, _)| q);
        Ok(answers
            .into_iter()
            .map(|(q, a)| (model.questions[q].id.clone(), a))
            .collect())
    }
}

impl Store {
    /// Stores a checked submission in the inbox of an open round: [`Receipt::Already`]
    /// (and nothing written) when a submission with this id is in the inbox or was
    /// accepted into the round before. `submission` must have been checked against the
    /// round's model ([`Store::model_for_round`]); a closed round refuses it
    /// ([`StoreError::ClosedRound`]).
    pub fn receive_submission(&mut self, round: i64, submission: &Submission) -> Result<Receipt> {
        let now = self.now();
        let tx = write_tx(&mut self.conn)?;
        let ctx = RoundCtx::of_round(&tx, round)?;
        let model = self.models.get(&tx, ctx.model_version)?;
        let seen: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM inbox WHERE round_id = ?1 AND submission_id = ?2)
                 OR EXISTS (SELECT 1 FROM respondents WHERE round_id = ?1 AND source_key = ?2)",
            params![round, submission.id],
            |r| r.get(0),
        )?;
        if seen {
            return Ok(Receipt::Already);
        }
        ctx.ensure_open()?;
        let group = model
            .role_groups
            .get(submission.role_group)
            .ok_or_else(|| {
                StoreError::Invalid(format!(
                    "submission {}: role group #{} is not in model {}",
                    submission.id,
                    submission.role_group,
                    model.key()
                ))
            })?;
        if let Some(&(q, _)) = submission
            .answers
            .iter()
            .find(|&&(q, a)| q >= model.questions.len() || !a.fits(&model))
        {
            return Err(StoreError::Invalid(format!(
                "submission {}: answer to question #{q} does not fit model {}",
                submission.id,
                model.key()
            )));
        }
        let answers = serde_json::to_string(&submission.answers_by_id(&model))
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        tx.execute(
            "INSERT INTO inbox (round_id, submission_id, source, received_at, name, role_group, department, answers)
             VALUES (?1, ?2, 'workshop', ?3, ?4, ?5, ?6, ?7)",
            params![
                round,
                submission.id,
                now,
                submission.name,
                group.id,
                submission.department,
                answers
            ],
        )?;
        tx.commit()?;
        Ok(Receipt::New)
    }

    /// The round's pending submissions, in the order they arrived, each with what
    /// accepting it would create and the problems that would refuse it.
    pub fn inbox(&self, round: i64) -> Result<Vec<InboxEntry>> {
        let tx = crate::read_snapshot(&self.conn)?;
        let ctx = RoundCtx::of_round(&tx, round)?;
        let model = self.models.get(&tx, ctx.model_version)?;
        let taken = folded_names(&tx, round, None)?;
        let mut earlier: HashMap<String, String> = HashMap::new();
        let mut out = Vec::new();
        for entry in pending(&tx, round)? {
            let respondent = entry.respondent();
            let key = fold(&respondent);
            let mut problems = Vec::new();
            if let Some(existing) = taken.get(&key) {
                problems.push(format!(
                    "a respondent named “{existing}” is already in this round"
                ));
            } else if let Some(other) = earlier.get(&key) {
                problems.push(format!(
                    "submission {} earlier in the inbox has the same name",
                    &other[..8.min(other.len())]
                ));
            } else {
                earlier.insert(key, entry.submission_id.clone());
            }
            out.push(InboxEntry {
                answers: entry.answers(&model)?,
                respondent,
                submission_id: entry.submission_id,
                source: entry.source,
                received_at: entry.received_at,
                name: entry.name,
                role_group: entry.role_group,
                department: entry.department,
                problems,
            });
        }
        Ok(out)
    }

    /// How many submissions the round's inbox holds, has rejected, and has accepted.
    pub fn inbox_counts(&self, round: i64) -> Result<InboxCounts> {
        let tx = crate::read_snapshot(&self.conn)?;
        RoundCtx::of_round(&tx, round)?;
        let (pending, accepted, rejected): (u32, u32, u32) = tx.query_row(
            "SELECT count(*) FILTER (WHERE status = 'pending'),
                    count(*) FILTER (WHERE status = 'accepted'),
                    count(*) FILTER (WHERE status = 'rejected')
             FROM inbox WHERE round_id = ?1",
            [round],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        Ok(InboxCounts {
            pending,
            rejected,
            accepted,
        })
    }

    /// Accepts pending submissions of an open round: each becomes a respondent (its
    /// answers stored, its `source_key` the submission id) and leaves the inbox, all in
    /// one transaction. All or nothing: an id that is not pending in the round, or a
    /// respondent name already in the round, refuses the whole batch.
    pub fn accept_submissions(&mut self, round: i64, ids: &[String]) -> Result<ImportSummary> {
        self.atomically(|store| {
            let tx = &store.conn;
            let ctx = RoundCtx::of_round(tx, round)?;
            ctx.ensure_open()?;
            let model = store.models.get(tx, ctx.model_version)?;
            let mut by_id: HashMap<String, StoredEntry> = pending(tx, round)?
                .into_iter()
                .map(|e| (e.submission_id.clone(), e))
                .collect();
            let mut chosen = Vec::with_capacity(ids.len());
            for id in ids {
                let entry = by_id.remove(id).ok_or_else(|| StoreError::NotFound {
                    what: "pending submission",
                    id: id.clone(),
                })?;
                chosen.push(entry);
            }
            type Prepared<'e> = (String, Vec<(String, Answer)>, &'e StoredEntry);
            let prepared: Vec<Prepared<'_>> = chosen
                .iter()
                .map(|e| Ok((e.respondent(), e.answers(&model)?, e)))
                .collect::<Result<_>>()?;
            let rows = prepared.iter().map(|(name, answers, e)| ImportRow {
                place: format!("submission {}", e.submission_id),
                name,
                role_group: RoleRef::Name(&e.role_group),
                department: e.department.as_deref(),
                interview_date: None,
                answers: answers
                    .iter()
                    .map(|(q, a)| (QuestionRef::Id(q), Some(*a), None))
                    .collect(),
                source_key: Some(&e.submission_id),
            });
            let done = store.import_rows(round, rows)?;
            let mut accepted = store.conn.prepare_cached(
                "UPDATE inbox SET status = 'accepted', name = NULL, department = NULL, answers = '{}'
                 WHERE round_id = ?1 AND submission_id = ?2",
            )?;
            for e in &chosen {
                accepted.execute(params![round, e.submission_id])?;
            }
            Ok(done)
        })
    }

    /// Rejects pending submissions: their content is deleted, their ids kept so the
    /// same submission is not stored again. All or nothing; returns how many.
    pub fn reject_submissions(&mut self, round: i64, ids: &[String]) -> Result<u32> {
        let tx = write_tx(&mut self.conn)?;
        RoundCtx::of_round(&tx, round)?;
        let mut n = 0;
        {
            let mut reject = tx.prepare_cached(
                "UPDATE inbox SET status = 'rejected', name = NULL, department = NULL, answers = '{}'
                 WHERE round_id = ?1 AND submission_id = ?2 AND status = 'pending'",
            )?;
            for id in ids {
                if reject.execute(params![round, id])? == 0 {
                    return Err(StoreError::NotFound {
                        what: "pending submission",
                        id: id.clone(),
                    });
                }
                n += 1;
            }
        }
        tx.commit()?;
        Ok(n)
    }

    /// The dry run of [`Store::import_keyed`]: what it would add, which rows were
    /// imported before, which names are taken, whether the round is closed.
    pub fn check_keyed(
        &self,
        round: i64,
        responses: &ParsedResponses,
        keys: &[String],
    ) -> Result<KeyedImport> {
        let tx = crate::read_snapshot(&self.conn)?;
        let ctx = RoundCtx::of_round(&tx, round)?;
        let seen = source_keys(&tx, round)?;
        let taken = folded_names(&tx, round, None)?;
        let mut out = KeyedImport {
            closed: ctx.status == RoundStatus::Closed,
            ..KeyedImport::default()
        };
        for (row, key) in responses.rows.iter().zip(keys) {
            if seen.contains(key) {
                out.already.push((row.line, key.clone()));
            } else {
                if taken.contains_key(&fold(&row.respondent)) {
                    out.existing_names.push((row.line, row.respondent.clone()));
                }
                out.respondents += 1;
                out.answers += row.answers.len() as u32;
            }
        }
        Ok(out)
    }

    /// Imports a survey export whose rows carry a key (the submission's instance id,
    /// `keys[i]` for `responses.rows[i]`): rows whose key is already a respondent of the
    /// round are skipped and reported; the others are added as [`Store::import_responses`]
    /// adds them (all or nothing, one transaction), each keeping its key.
    pub fn import_keyed(
        &mut self,
        round: i64,
        responses: &ParsedResponses,
        keys: &[String],
    ) -> Result<KeyedImport> {
        if keys.len() != responses.rows.len() {
            return Err(StoreError::Invalid(format!(
                "{} keys for {} rows",
                keys.len(),
                responses.rows.len()
            )));
        }
        self.atomically(|store| {
            let seen = source_keys(&store.conn, round)?;
            let mut out = KeyedImport::default();
            let rows: Vec<(&cxm_domain::responses_csv::ParsedRow, &String)> = responses
                .rows
                .iter()
                .zip(keys)
                .filter(|(row, key)| {
                    let old = seen.contains(*key);
                    if old {
                        out.already.push((row.line, (*key).clone()));
                    }
                    !old
                })
                .collect();
            let done = store.import_rows(
                round,
                rows.iter()
                    .map(|(row, key)| ImportRow::parsed(row, Some(key.as_str()))),
            )?;
            out.respondents = done.respondents;
            out.answers = done.answers;
            Ok(out)
        })
    }
}
