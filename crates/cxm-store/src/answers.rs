//! Respondents and answers: the questionnaire's writes, CSV imports, and loading a
//! round for scoring.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use cxm_domain::responses_csv::ParsedResponses;
use cxm_domain::text::fold;
use cxm_domain::{Answer, Model, Respondent, Results, score};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::rounds::{RoundCtx, RoundInfo, round_info};
use crate::versions;
use crate::{
    MAX_NAME_CHARS, Result, SqlDate, Store, StoreError, clean_note, clean_text, date_text, summary,
    write_tx,
};

/// A respondent to add with [`Store::add_respondent`] (or the new values for
/// [`Store::update_respondent`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRespondent {
    /// Name or anonymous code, unique in the round (ignoring ASCII case).
    pub name: String,
    /// Role-group id (or name) of the round's model; stored as the id.
    pub role_group: String,
    /// Department, optional.
    pub department: Option<String>,
    /// Interview date, optional.
    pub interview_date: Option<NaiveDate>,
}

/// One respondent of a round with every answer and note.
#[derive(Debug, Clone, PartialEq)]
pub struct RespondentRecord {
    /// Row id.
    pub id: i64,
    /// Name or code.
    pub name: String,
    /// Role-group id.
    pub role_group: String,
    /// Department.
    pub department: Option<String>,
    /// Interview date.
    pub interview_date: Option<NaiveDate>,
    /// Role-group index and answers, indexed like the model's questions: what scoring
    /// takes.
    pub answers: Respondent,
    /// Notes, indexed like the model's questions.
    pub notes: Vec<Option<String>>,
    /// When an answer or note of this respondent last changed (RFC 3339 UTC).
    pub updated_at: Option<String>,
}

/// A round with its model and every respondent's answers.
#[derive(Debug, Clone)]
pub struct RoundData {
    /// The round and its summary.
    pub info: RoundInfo,
    /// The model version the round is pinned to.
    pub model: Arc<Model>,
    /// Respondents in creation order.
    pub respondents: Vec<RespondentRecord>,
}

impl RoundData {
    /// The respondents as scoring takes them.
    pub fn scoring_respondents(&self) -> Vec<Respondent> {
        self.respondents.iter().map(|r| r.answers.clone()).collect()
    }
}

/// A respondent with answers and notes, for [`Store::import_respondents`].
#[derive(Debug, Clone, PartialEq)]
pub struct RespondentImport {
    /// Name or anonymous code, unique in the round.
    pub name: String,
    /// Role-group id or name of the round's model.
    pub role_group: String,
    /// Department, optional.
    pub department: Option<String>,
    /// Interview date, optional.
    pub interview_date: Option<NaiveDate>,
    /// (question id, answer, note); an entry with neither is skipped.
    pub answers: Vec<(String, Option<Answer>, Option<String>)>,
}

pub(crate) enum RoleRef<'a> {
    Index(usize),
    Name(&'a str),
}

pub(crate) enum QuestionRef<'a> {
    Index(usize),
    Id(&'a str),
}

/// One respondent on its way into [`Store::import_rows`].
pub(crate) struct ImportRow<'a> {
    /// Where it came from, for errors ("line 7").
    pub(crate) place: String,
    pub(crate) name: &'a str,
    pub(crate) role_group: RoleRef<'a>,
    pub(crate) department: Option<&'a str>,
    pub(crate) interview_date: Option<NaiveDate>,
    pub(crate) answers: Vec<(QuestionRef<'a>, Option<Answer>, Option<&'a str>)>,
    /// Where it came from outside the app (an inbox submission id, a survey's instance
    /// id): stored as `respondents.source_key`.
    pub(crate) source_key: Option<&'a str>,
}

impl<'a> ImportRow<'a> {
    /// A row of a parsed responses file (or survey export, with its key).
    pub(crate) fn parsed(
        row: &'a cxm_domain::responses_csv::ParsedRow,
        source_key: Option<&'a str>,
    ) -> ImportRow<'a> {
        ImportRow {
            place: format!("line {}", row.line),
            name: &row.respondent,
            role_group: RoleRef::Index(row.role_group),
            department: row.department.as_deref(),
            interview_date: None,
            answers: row
                .answers
                .iter()
                .map(|&(q, a)| (QuestionRef::Index(q), Some(a), None))
                .collect(),
            source_key,
        }
    }
}

/// What [`Store::import_responses`] wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    /// Respondents added.
    pub respondents: u32,
    /// Answers stored.
    pub answers: u32,
}

/// One round's respondents in id order (the respondent index).
pub(crate) const ROUND_RESPONDENTS_SQL: &str =
    "SELECT p.id, p.name, p.role_group, p.department, p.interview_date
    FROM respondents p INDEXED BY respondents_by_round
    WHERE p.round_id = ?1
    ORDER BY p.id";

/// The answers and notes of one round's respondents, in respondent id order: the
/// respondent index gives the round's respondents, the answers' primary key each one's
/// answers. Read apart from [`ROUND_RESPONDENTS_SQL`] so that a row is five narrow
/// columns (a 5,000-respondent survey has 200,000 of them).
pub(crate) const ROUND_ANSWERS_SQL: &str =
    "SELECT a.respondent_id, a.question_id, a.value, a.note, a.updated_at
    FROM respondents p INDEXED BY respondents_by_round
    JOIN answers a ON a.respondent_id = p.id
    WHERE p.round_id = ?1
    ORDER BY p.id";

/// Question ids to the model's indexes, fast for the order the answers' primary key
/// gives (each respondent's answers by question id): a cursor over the model's ids in
/// sorted order, moved forward, with the model's map for anything else (an id the model
/// lacks, rows in another order). Always the model's answer; only the speed depends on
/// the order.
pub(crate) struct QuestionLookup<'m> {
    model: &'m Model,
    sorted: Vec<(&'m str, usize)>,
    pos: usize,
}

impl<'m> QuestionLookup<'m> {
    pub(crate) fn new(model: &'m Model) -> QuestionLookup<'m> {
        let mut sorted: Vec<(&str, usize)> = model
            .questions
            .iter()
            .enumerate()
            .map(|(i, q)| (q.id.as_str(), i))
            .collect();
        sorted.sort_unstable();
        QuestionLookup {
            model,
            sorted,
            pos: 0,
        }
    }

    /// The next respondent's answers start.
    pub(crate) fn restart(&mut self) {
        self.pos = 0;
    }

    /// The model's index of question `id` (its UTF-8 bytes, as SQLite hands them).
    pub(crate) fn find(&mut self, id: &[u8]) -> Option<usize> {
        while let Some(&(candidate, q)) = self.sorted.get(self.pos) {
            match candidate.as_bytes().cmp(id) {
                std::cmp::Ordering::Less => self.pos += 1,
                std::cmp::Ordering::Equal => {
                    self.pos += 1;
                    return Some(q);
                }
                std::cmp::Ordering::Greater => break,
            }
        }
        std::str::from_utf8(id)
            .ok()
            .and_then(|id| self.model.question_index(id))
    }
}

/// A text column's bytes as a `String` (SQLite's TEXT is UTF-8; anything else is
/// damage).
fn text_of(bytes: &[u8]) -> Result<String> {
    std::str::from_utf8(bytes)
        .map(str::to_string)
        .map_err(|e| StoreError::Corrupt(format!("a stored text is not UTF-8: {e}")))
}

/// What scoring needs of a round's respondents: role groups and answers, nothing else
/// (the summary refresh after every write; a 100,000-respondent import would otherwise
/// hold every name and note again).
const SCORING_SQL: &str = "SELECT p.id, p.role_group, a.question_id, a.value
    FROM respondents p INDEXED BY respondents_by_round
    LEFT JOIN answers a ON a.respondent_id = p.id AND a.value IS NOT NULL
    WHERE p.round_id = ?1
    ORDER BY p.id";

/// A round's respondents as scoring takes them, read as [`load_respondents`] reads them.
pub(crate) fn load_scoring(
    conn: &Connection,
    round: i64,
    model: &Model,
) -> Result<Vec<Respondent>> {
    let mut stmt = conn.prepare_cached(SCORING_SQL)?;
    let mut rows = stmt.query([round])?;
    let mut out: Vec<Respondent> = Vec::new();
    let mut last_id = None;
    let mut lookup = QuestionLookup::new(model);
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        if last_id != Some(id) {
            last_id = Some(id);
            lookup.restart();
            let role_group = row.get_ref(1)?.as_str()?;
            let group = model.role_group_index(role_group).ok_or_else(|| {
                StoreError::Corrupt(format!(
                    "a respondent of round {round} has role group `{role_group}`, which model {} does not define",
                    model.key()
                ))
            })?;
            out.push(Respondent {
                role_group: group,
                answers: vec![None; model.questions.len()],
            });
        }
        let Some(question) = row.get_ref(2)?.as_bytes_or_null()? else {
            continue;
        };
        let Some(q) = lookup.find(question) else {
            continue;
        };
        let person = out.last_mut().expect("pushed above");
        person.answers[q] = row
            .get::<_, Option<i64>>(3)?
            .and_then(Answer::from_code)
            .filter(|a| a.fits(model));
    }
    Ok(out)
}

/// Loads a round's respondents against its model. Answers to question ids the model
/// does not have are ignored.
pub(crate) fn load_respondents(
    conn: &Connection,
    round: i64,
    model: &Model,
) -> Result<Vec<RespondentRecord>> {
    let questions = model.questions.len();
    let mut out: Vec<RespondentRecord> = Vec::new();
    {
        let mut stmt = conn.prepare_cached(ROUND_RESPONDENTS_SQL)?;
        let mut rows = stmt.query([round])?;
        while let Some(row) = rows.next()? {
            let name: String = row.get(1)?;
            let role_group: String = row.get(2)?;
            let group = model.role_group_index(&role_group).ok_or_else(|| {
                StoreError::Corrupt(format!(
                    "respondent `{name}` of round {round} has role group `{role_group}`, which model {} does not define",
                    model.key()
                ))
            })?;
            out.push(RespondentRecord {
                id: row.get(0)?,
                name,
                role_group,
                department: row.get(3)?,
                interview_date: row.get::<_, Option<SqlDate>>(4)?.map(|d| d.0),
                answers: Respondent {
                    role_group: group,
                    answers: vec![None; questions],
                },
                notes: vec![None; questions],
                updated_at: None,
            });
        }
    }
    let mut stmt = conn.prepare_cached(ROUND_ANSWERS_SQL)?;
    let mut rows = stmt.query([round])?;
    let mut lookup = QuestionLookup::new(model);
    // Both queries go in respondent id order: walk the respondents along.
    let mut at = 0;
    // Values read as SQLite hands them (`ValueRef`), without a conversion per cell: a
    // 5,000-respondent survey is 200,000 rows.
    while let Some(row) = rows.next()? {
        let id = row.get_ref(0)?.as_i64()?;
        if out.get(at).is_none_or(|r| r.id != id) {
            at = match out[at..].iter().position(|r| r.id == id) {
                Some(i) => at + i,
                // Not in the first read: the two reads are one snapshot, so never.
                None => continue,
            };
            lookup.restart();
        }
        let record = &mut out[at];
        let updated_at = row.get_ref(4)?.as_bytes()?;
        if record
            .updated_at
            .as_deref()
            .is_none_or(|u| u.as_bytes() < updated_at)
        {
            record.updated_at = Some(text_of(updated_at)?);
        }
        let Some(q) = lookup.find(row.get_ref(1)?.as_bytes()?) else {
            continue;
        };
        record.answers.answers[q] = match row.get_ref(2)? {
            ValueRef::Integer(code) => Answer::from_code(code).filter(|a| a.fits(model)),
            _ => None,
        };
        record.notes[q] = match row.get_ref(3)? {
            ValueRef::Null => None,
            note => Some(text_of(note.as_bytes()?)?),
        };
    }
    Ok(out)
}

/// The validated columns of a respondent.
struct RespondentFields {
    name: String,
    role_group: String,
    department: Option<String>,
    interview_date: Option<String>,
}

impl RespondentFields {
    fn validate(model: &Model, r: &NewRespondent) -> Result<RespondentFields> {
        let name = clean_text(&r.name, "respondent's name", MAX_NAME_CHARS)?;
        let group = model.role_group_index(&r.role_group).ok_or_else(|| {
            let known: Vec<&str> = model.role_groups.iter().map(|g| g.id.as_str()).collect();
            StoreError::Invalid(format!(
                "unknown role group `{}` (model {} has: {})",
                r.role_group.trim(),
                model.key(),
                known.join(", ")
            ))
        })?;
        let department = match r.department.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(d) => Some(clean_text(d, "department", MAX_NAME_CHARS)?),
        };
        let interview_date = r
            .interview_date
            .map(|d| date_text(d, "interview date"))
            .transpose()?;
        Ok(RespondentFields {
            name,
            role_group: model.role_groups[group].id.clone(),
            department,
            interview_date,
        })
    }
}

/// The names of a round's respondents by [`fold`] (case, composition and spacing
/// ignored): the key two respondents of one round must not share.
pub(crate) fn folded_names(
    conn: &Connection,
    round: i64,
    except: Option<i64>,
) -> Result<HashMap<String, String>> {
    let mut stmt =
        conn.prepare_cached("SELECT name FROM respondents WHERE round_id = ?1 AND id IS NOT ?2")?;
    let rows = stmt.query_map(params![round, except], |r| r.get::<_, String>(0))?;
    let mut names = HashMap::new();
    for name in rows {
        let name = name?;
        names.insert(fold(&name), name);
    }
    Ok(names)
}

fn ensure_new_name(conn: &Connection, round: i64, name: &str, except: Option<i64>) -> Result<()> {
    if let Some(existing) = folded_names(conn, round, except)?.get(&fold(name)) {
        return Err(StoreError::Conflict(if existing == name {
            format!("respondent `{name}` is already in round {round}")
        } else {
            format!("respondent `{name}` is already in round {round} (as `{existing}`)")
        }));
    }
    Ok(())
}

/// The model's spelling of a question id, or an error naming the model.
pub(crate) fn question<'m>(model: &'m Model, question_id: &str) -> Result<&'m str> {
    model
        .question_index(question_id)
        .map(|i| model.questions[i].id.as_str())
        .ok_or_else(|| {
            StoreError::Invalid(format!(
                "question `{question_id}` is not in model {}",
                model.key()
            ))
        })
}

fn check_fits(model: &Model, answer: Answer) -> Result<()> {
    if answer.fits(model) {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!(
            "answer {answer} is off the scale of model {} (0 to {}, dk or na)",
            model.key(),
            model.scale.max
        )))
    }
}

impl Store {
    /// Adds a respondent to an open round and returns its id.
    pub fn add_respondent(&mut self, round: i64, respondent: NewRespondent) -> Result<i64> {
        let now = self.now();
        let tx = write_tx(&mut self.conn)?;
        let ctx = RoundCtx::of_round(&tx, round)?;
        ctx.ensure_open()?;
        let model = self.models.get(&tx, ctx.model_version)?;
        let f = RespondentFields::validate(&model, &respondent)?;
        ensure_new_name(&tx, round, &f.name, None)?;
        tx.execute(
            "INSERT INTO respondents (round_id, name, role_group, department, interview_date, created_at, updated_at, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)",
            params![round, f.name, f.role_group, f.department, f.interview_date, now, self.installation],
        )?;
        let id = tx.last_insert_rowid();
        summary::refresh(&tx, round, &model)?;
        tx.commit()?;
        Ok(id)
    }

    /// Replaces a respondent's name, role group, department and interview date (a new
    /// stamp on the respondent's details; no change, no stamp).
    pub fn update_respondent(&mut self, id: i64, respondent: NewRespondent) -> Result<()> {
        let tx = write_tx(&mut self.conn)?;
        let ctx = RoundCtx::of_respondent(&tx, id)?;
        ctx.ensure_open()?;
        let model = self.models.get(&tx, ctx.model_version)?;
        let f = RespondentFields::validate(&model, &respondent)?;
        ensure_new_name(&tx, ctx.id, &f.name, Some(id))?;
        let (same, stamp): (bool, String) = tx.query_row(
            "SELECT name IS ?2 COLLATE BINARY AND role_group IS ?3 AND department IS ?4 AND interview_date IS ?5, updated_at
             FROM respondents WHERE id = ?1",
            params![id, f.name, f.role_group, f.department, f.interview_date],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if same {
            return Ok(());
        }
        let at = crate::identity::stamp_after(&self.clock, Some(&stamp));
        tx.execute(
            "UPDATE respondents SET name = ?2, role_group = ?3, department = ?4, interview_date = ?5,
                 updated_at = ?6, updated_by = ?7
             WHERE id = ?1",
            params![id, f.name, f.role_group, f.department, f.interview_date, at, self.installation],
        )?;
        summary::refresh(&tx, ctx.id, &model)?;
        tx.commit()?;
        Ok(())
    }

    /// Removes a respondent and their answers from an open round, leaving a tombstone
    /// so that no engagement file merged later brings them back.
    pub fn remove_respondent(&mut self, id: i64) -> Result<()> {
        let now = self.now();
        let tx = write_tx(&mut self.conn)?;
        let ctx = RoundCtx::of_respondent(&tx, id)?;
        ctx.ensure_open()?;
        let model = self.models.get(&tx, ctx.model_version)?;
        tx.execute(
            "INSERT OR IGNORE INTO tombstones (uuid, kind, organisation_uuid, deleted_at, deleted_by)
             SELECT p.uuid, 'respondent', o.uuid, ?2, ?3
             FROM respondents p JOIN rounds r ON r.id = p.round_id JOIN organisations o ON o.id = r.organisation_id
             WHERE p.id = ?1",
            params![id, now, self.installation],
        )?;
        tx.execute("DELETE FROM respondents WHERE id = ?1", [id])?;
        summary::refresh(&tx, ctx.id, &model)?;
        tx.commit()?;
        Ok(())
    }

    /// Sets (`Some`) or clears (`None`) a respondent's answer to one question, keeping
    /// its note, and refreshes the round's summary. The question must be in the round's
    /// model and the answer on its scale; the round must be open. The answer it
    /// replaces stays in the answer's history ([`Store::answer_history`]).
    pub fn set_answer(
        &mut self,
        respondent: i64,
        question_id: &str,
        answer: Option<Answer>,
    ) -> Result<()> {
        let tx = write_tx(&mut self.conn)?;
        let ctx = RoundCtx::of_respondent(&tx, respondent)?;
        ctx.ensure_open()?;
        let model = self.models.get(&tx, ctx.model_version)?;
        let question = question(&model, question_id)?;
        if let Some(answer) = answer {
            check_fits(&model, answer)?;
        }
        let note = versions::versions_of(&tx, respondent, question)?;
        let note = versions::newest(&note).and_then(|v| v.note.clone());
        let changed = versions::local_change(
            &tx,
            &self.clock,
            &self.installation,
            respondent,
            question,
            answer.map(Answer::code),
            note,
        )?;
        if changed {
            summary::refresh(&tx, ctx.id, &model)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// Sets (`Some`) or clears (`None`, or only white space) a respondent's note on one
    /// question, keeping the answer. Notes do not change scores, so the summary is left
    /// as it is. The round must be open.
    pub fn set_note(
        &mut self,
        respondent: i64,
        question_id: &str,
        note: Option<String>,
    ) -> Result<()> {
        let note = match note.filter(|n| !n.trim().is_empty()) {
            Some(n) => Some(clean_note(&n, "note")?),
            None => None,
        };
        let tx = write_tx(&mut self.conn)?;
        let ctx = RoundCtx::of_respondent(&tx, respondent)?;
        ctx.ensure_open()?;
        let model = self.models.get(&tx, ctx.model_version)?;
        let question = question(&model, question_id)?;
        let value = versions::versions_of(&tx, respondent, question)?;
        let value = versions::newest(&value).and_then(|v| v.value);
        if versions::local_change(
            &tx,
            &self.clock,
            &self.installation,
            respondent,
            question,
            value,
            note,
        )? {
            tx.commit()?;
        }
        Ok(())
    }

    /// Imports a parsed responses file into an open round: all or nothing, in one
    /// transaction with prepared statements (also the fast path for bulk loading).
    ///
    /// `responses` must have been parsed against the round's model
    /// ([`Store::model_for_round`]). Refuses a closed round, and a respondent who is
    /// already in the round (naming the CSV line); nothing is written on any error.
    pub fn import_responses(
        &mut self,
        round: i64,
        responses: &ParsedResponses,
    ) -> Result<ImportSummary> {
        let rows = responses
            .rows
            .iter()
            .map(|row| ImportRow::parsed(row, None));
        self.import_rows(round, rows)
    }

    /// Adds respondents with their answers and notes to an open round: all or nothing,
    /// in one transaction (the demo, engagement files, benchmarks). Question ids and
    /// role groups are checked against the round's model; errors name the respondent.
    pub fn import_respondents(
        &mut self,
        round: i64,
        respondents: &[RespondentImport],
    ) -> Result<ImportSummary> {
        let rows = respondents.iter().enumerate().map(|(i, r)| ImportRow {
            place: format!("respondent {} (`{}`)", i + 1, r.name),
            name: &r.name,
            role_group: RoleRef::Name(&r.role_group),
            department: r.department.as_deref(),
            interview_date: r.interview_date,
            answers: r
                .answers
                .iter()
                .map(|(q, a, n)| (QuestionRef::Id(q), *a, n.as_deref()))
                .collect(),
            source_key: None,
        });
        self.import_rows(round, rows)
    }

    pub(crate) fn import_rows<'a>(
        &mut self,
        round: i64,
        rows: impl Iterator<Item = ImportRow<'a>>,
    ) -> Result<ImportSummary> {
        let now = self.now();
        let tx = write_tx(&mut self.conn)?;
        let ctx = RoundCtx::of_round(&tx, round)?;
        ctx.ensure_open()?;
        let model = self.models.get(&tx, ctx.model_version)?;
        let mut done = ImportSummary::default();
        {
            // Names already in the round, and those added by this import, by fold.
            let mut taken = folded_names(&tx, round, None)?;
            let mut insert_respondent = tx.prepare_cached(
                "INSERT INTO respondents (round_id, name, role_group, department, interview_date, created_at, source_key, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?6, ?8)",
            )?;
            let mut insert_answer = tx.prepare_cached(
                "INSERT INTO answers (respondent_id, question_id, value, note, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            // Which row last answered each question: catches a question answered twice.
            let mut answered_by = vec![0usize; model.questions.len()];
            for (n, row) in rows.enumerate() {
                let place = &row.place;
                let invalid = |what: String| StoreError::Invalid(format!("{place}: {what}"));
                let name = clean_text(row.name, "respondent's name", MAX_NAME_CHARS)
                    .map_err(|e| invalid(e.to_string()))?;
                let group = match row.role_group {
                    RoleRef::Index(g) => model.role_groups.get(g).ok_or_else(|| {
                        invalid(format!(
                            "role group #{g} does not exist in model {}",
                            model.key()
                        ))
                    }),
                    RoleRef::Name(g) => model
                        .role_group_index(g)
                        .map(|g| &model.role_groups[g])
                        .ok_or_else(|| {
                            invalid(format!(
                                "role group `{g}` does not exist in model {}",
                                model.key()
                            ))
                        }),
                }?;
                let department = match row.department.map(str::trim) {
                    None | Some("") => None,
                    Some(d) => Some(
                        clean_text(d, "department", MAX_NAME_CHARS)
                            .map_err(|e| invalid(e.to_string()))?,
                    ),
                };
                if let Some(existing) = taken.get(&fold(&name)) {
                    return Err(StoreError::Conflict(if *existing == name {
                        format!("{place}: respondent `{name}` is already in round {round}")
                    } else {
                        format!(
                            "{place}: respondent `{name}` is already in round {round} (as `{existing}`)"
                        )
                    }));
                }
                taken.insert(fold(&name), name.clone());
                let interview_date = row
                    .interview_date
                    .map(|d| date_text(d, "interview date"))
                    .transpose()
                    .map_err(|e| invalid(e.to_string()))?;
                insert_respondent.execute(params![
                    round,
                    name,
                    group.id,
                    department,
                    interview_date,
                    now,
                    row.source_key,
                    self.installation
                ])?;
                let respondent = tx.last_insert_rowid();
                for (q, answer, note) in row.answers {
                    let q = match q {
                        QuestionRef::Index(q) => Some(q)
                            .filter(|&q| q < model.questions.len())
                            .ok_or_else(|| {
                                invalid(format!(
                                    "question #{q} does not exist in model {}",
                                    model.key()
                                ))
                            }),
                        QuestionRef::Id(id) => model.question_index(id).ok_or_else(|| {
                            invalid(format!(
                                "question `{id}` does not exist in model {}",
                                model.key()
                            ))
                        }),
                    }?;
                    let question = &model.questions[q];
                    if answered_by[q] == n + 1 {
                        return Err(invalid(format!(
                            "question `{}` is answered twice",
                            question.id
                        )));
                    }
                    answered_by[q] = n + 1;
                    let note = match note.filter(|n| !n.trim().is_empty()) {
                        Some(n) => Some(
                            clean_note(n, &format!("note to `{}`", question.id))
                                .map_err(|e| invalid(e.to_string()))?,
                        ),
                        None => None,
                    };
                    if answer.is_none() && note.is_none() {
                        continue;
                    }
                    if let Some(answer) = answer {
                        check_fits(&model, answer).map_err(|e| invalid(e.to_string()))?;
                        done.answers += 1;
                    }
                    insert_answer.execute(params![
                        respondent,
                        question.id,
                        answer.map(Answer::code),
                        note,
                        now,
                        self.installation
                    ])?;
                }
                done.respondents += 1;
            }
        }
        summary::refresh(&tx, round, &model)?;
        tx.commit()?;
        Ok(done)
    }

    /// A round, its model and every respondent's answers and notes, read in one
    /// snapshot (three indexed queries): the questionnaire's and the results' source.
    pub fn round_data(&self, round: i64) -> Result<RoundData> {
        let tx = crate::read_snapshot(&self.conn)?;
        let info = round_info(&tx, round)?;
        let model = self.models.get(&tx, info.model_version)?;
        let respondents = load_respondents(&tx, round, &model)?;
        drop(tx);
        Ok(RoundData {
            info,
            model,
            respondents,
        })
    }

    /// Round `id` as the comparison round of `data`'s round: it must be another,
    /// earlier round (by date, then creation) of the same organisation.
    pub fn comparison_round(&self, data: &RoundData, id: i64) -> Result<RoundData> {
        if id == data.info.id {
            return Err(StoreError::Invalid(format!(
                "compare round {id} with a different round, not with itself"
            )));
        }
        let other = self.round_data(id)?;
        if other.info.organisation != data.info.organisation {
            return Err(StoreError::Invalid(format!(
                "round {id} belongs to {}, not to {}: compare rounds of one organisation",
                other.info.organisation_name, data.info.organisation_name
            )));
        }
        if (other.info.date, other.info.id) > (data.info.date, data.info.id) {
            return Err(StoreError::Invalid(format!(
                "round {id} ({}) is later than round {} ({}): the comparison round must be an earlier one",
                other.info.date, data.info.id, data.info.date
            )));
        }
        Ok(other)
    }

    /// A round scored: [`Store::round_data`] then [`cxm_domain::score`].
    pub fn results(&self, round: i64) -> Result<(RoundInfo, Results)> {
        let data = self.round_data(round)?;
        let results = score(&data.model, &data.scoring_respondents());
        Ok((data.info, results))
    }

    /// The round a respondent belongs to.
    pub fn respondent_round(&self, respondent: i64) -> Result<i64> {
        self.conn
            .query_row(
                "SELECT round_id FROM respondents WHERE id = ?1",
                [respondent],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::not_found("respondent", respondent))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hot path must read through the indexes, never scan the answers.
    #[test]
    fn round_answers_query_uses_the_indexes() {
        let store = Store::open_in_memory().unwrap();
        for sql in [ROUND_ANSWERS_SQL, SCORING_SQL] {
            let mut stmt = store
                .conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap();
            let plan: Vec<String> = stmt
                .query_map([1], |r| r.get::<_, String>(3))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            let plan = plan.join("\n");
            assert!(
                plan.contains("SEARCH p USING INDEX respondents_by_round (round_id=?)")
                    || plan.contains(
                        "SEARCH p USING COVERING INDEX respondents_by_round (round_id=?)"
                    ),
                "{plan}"
            );
            assert!(
                plan.contains("SEARCH a USING PRIMARY KEY (respondent_id=?)"),
                "{plan}"
            );
            assert!(!plan.contains("TEMP B-TREE"), "{plan}");
            assert!(!plan.contains("SCAN"), "{plan}");
        }
    }

    #[test]
    fn the_question_lookup_gives_the_models_index_in_any_order() {
        let model = Model::default_model();
        let mut ids: Vec<&str> = model.questions.iter().map(|q| q.id.as_str()).collect();
        ids.sort_unstable();
        let check = |lookup: &mut QuestionLookup<'_>, id: &str| {
            assert_eq!(lookup.find(id.as_bytes()), model.question_index(id), "{id}");
        };
        let mut lookup = QuestionLookup::new(&model);
        // The primary key's order, with ids the model lacks in between.
        for id in &ids {
            check(&mut lookup, &format!("{id}x"));
            check(&mut lookup, id);
        }
        check(&mut lookup, "ZZZ-9.9");
        // Any other order: reversed, and without a restart.
        for id in ids.iter().rev() {
            check(&mut lookup, id);
        }
        lookup.restart();
        for id in ids.iter().step_by(3).chain(ids.iter().skip(1).step_by(3)) {
            check(&mut lookup, id);
        }
    }

    #[test]
    fn the_scoring_loader_reads_what_the_full_loader_reads() {
        let mut store = Store::open_in_memory().unwrap();
        let demo = store.load_demo().unwrap();
        for round in demo.rounds {
            let model = store.model_for_round(round.id).unwrap();
            let full: Vec<Respondent> = load_respondents(&store.conn, round.id, &model)
                .unwrap()
                .into_iter()
                .map(|r| r.answers)
                .collect();
            let light = load_scoring(&store.conn, round.id, &model).unwrap();
            assert_eq!(full, light);
            assert_eq!(light.len(), round.respondents);
        }
    }

    #[test]
    fn listing_queries_use_the_indexes() {
        let store = Store::open_in_memory().unwrap();
        let plan = |sql: &str| -> String {
            let mut stmt = store
                .conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap();
            stmt.query_map([], |r| r.get::<_, String>(3))
                .unwrap()
                .collect::<rusqlite::Result<Vec<_>>>()
                .unwrap()
                .join("\n")
        };
        let p = plan(
            "SELECT id, phase FROM rounds WHERE organisation_id = 1 ORDER BY organisation_id, date, id",
        );
        assert!(p.contains("USING INDEX rounds_by_organisation"), "{p}");
        assert!(!p.contains("TEMP B-TREE"), "{p}");
    }
}
