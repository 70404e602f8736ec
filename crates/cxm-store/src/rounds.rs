//! Rounds: one assessment of one organisation, pinned to one model version.

use chrono::NaiveDate;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSqlOutput, ValueRef};
use rusqlite::{Connection, OptionalExtension, ToSql, params};
use serde::Serialize;

use crate::summary::{BlockMaturity, BlockMaturityColumn};
use crate::{
    MAX_NAME_CHARS, Result, SqlDate, Store, StoreError, clean_text, date_text, models, write_tx,
};

/// Whether a round's answers can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundStatus {
    /// Answers can be given and changed; results are provisional.
    Open,
    /// Answers are read-only until the round is reopened.
    Closed,
}

impl RoundStatus {
    /// `"open"` or `"closed"`, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            RoundStatus::Open => "open",
            RoundStatus::Closed => "closed",
        }
    }
}

impl ToSql for RoundStatus {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(self.as_str().into())
    }
}

impl FromSql for RoundStatus {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value.as_str()? {
            "open" => Ok(RoundStatus::Open),
            "closed" => Ok(RoundStatus::Closed),
            other => Err(FromSqlError::Other(
                format!("unknown round status `{other}`").into(),
            )),
        }
    }
}

/// A round to create with [`Store::add_round`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRound {
    /// The organisation (must exist and not be archived).
    pub organisation: i64,
    /// Title, non-empty.
    pub title: String,
    /// The assessment's date.
    pub date: NaiveDate,
    /// Optional target phase, 1..=n of the round's model.
    pub target_phase: Option<u32>,
    /// `id@version` or `id` (latest version); `None` = the latest version of the
    /// default model.
    pub model: Option<String>,
}

/// A round with its summary, as listings and pages show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoundInfo {
    /// Row id.
    pub id: i64,
    /// Organisation id.
    pub organisation: i64,
    /// Organisation name.
    pub organisation_name: String,
    /// Title.
    pub title: String,
    /// Date of the assessment.
    #[serde(serialize_with = "crate::serde_date::serialize")]
    pub date: NaiveDate,
    /// Open or closed.
    pub status: RoundStatus,
    /// Row id of the pinned model version.
    pub model_version: i64,
    /// `id@version` of the pinned model version.
    pub model_key: String,
    /// Target phase, if one was set.
    pub target_phase: Option<u32>,
    /// Organisation phase P; `None` while no answer has been given.
    pub phase: Option<u32>,
    /// Number of respondents.
    pub respondents: u32,
    /// Respondents who answered every question.
    pub interviews_complete: u32,
    /// R_b and M_b per block, model order; empty while `phase` is `None`.
    pub block_maturity: Vec<BlockMaturity>,
    /// When the round was created (RFC 3339 UTC).
    pub created_at: String,
}

const ROUND_SELECT: &str = "SELECT r.id, r.organisation_id, o.name, r.title, r.date, r.status,
        r.model_version_id, m.model_id || '@' || m.version, r.target_phase, r.phase,
        r.respondents, r.interviews_complete, r.block_maturity, r.created_at
    FROM rounds r
    JOIN organisations o ON o.id = r.organisation_id
    JOIN model_versions m ON m.id = r.model_version_id";

fn round_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<RoundInfo> {
    Ok(RoundInfo {
        id: row.get(0)?,
        organisation: row.get(1)?,
        organisation_name: row.get(2)?,
        title: row.get(3)?,
        date: row.get::<_, SqlDate>(4)?.0,
        status: row.get(5)?,
        model_version: row.get(6)?,
        model_key: row.get(7)?,
        target_phase: row.get(8)?,
        phase: row.get(9)?,
        respondents: row.get(10)?,
        interviews_complete: row.get(11)?,
        block_maturity: row.get::<_, BlockMaturityColumn>(12)?.0,
        created_at: row.get(13)?,
    })
}

pub(crate) fn round_info(conn: &Connection, round: i64) -> Result<RoundInfo> {
    conn.prepare_cached(&format!("{ROUND_SELECT} WHERE r.id = ?1"))?
        .query_row([round], round_from_row)
        .optional()?
        .ok_or_else(|| StoreError::not_found("round", round))
}

/// What a write needs to know about the round it changes.
pub(crate) struct RoundCtx {
    pub id: i64,
    pub status: RoundStatus,
    pub model_version: i64,
}

impl RoundCtx {
    pub fn of_round(conn: &Connection, round: i64) -> Result<RoundCtx> {
        conn.prepare_cached("SELECT id, status, model_version_id FROM rounds WHERE id = ?1")?
            .query_row([round], |r| {
                Ok(RoundCtx {
                    id: r.get(0)?,
                    status: r.get(1)?,
                    model_version: r.get(2)?,
                })
            })
            .optional()?
            .ok_or_else(|| StoreError::not_found("round", round))
    }

    pub fn of_respondent(conn: &Connection, respondent: i64) -> Result<RoundCtx> {
        conn.prepare_cached(
            "SELECT r.id, r.status, r.model_version_id
             FROM respondents p JOIN rounds r ON r.id = p.round_id
             WHERE p.id = ?1",
        )?
        .query_row([respondent], |r| {
            Ok(RoundCtx {
                id: r.get(0)?,
                status: r.get(1)?,
                model_version: r.get(2)?,
            })
        })
        .optional()?
        .ok_or_else(|| StoreError::not_found("respondent", respondent))
    }

    /// Refuses a closed round.
    pub fn ensure_open(&self) -> Result<()> {
        match self.status {
            RoundStatus::Open => Ok(()),
            RoundStatus::Closed => Err(StoreError::ClosedRound { round: self.id }),
        }
    }
}

impl Store {
    /// Starts a round (open, no respondents) and returns its id.
    ///
    /// Refuses an unknown or archived organisation, an empty title, an unknown model
    /// and a target phase outside 1..=n of the model.
    pub fn add_round(&mut self, round: NewRound) -> Result<i64> {
        let title = clean_text(&round.title, "round title", MAX_NAME_CHARS)?;
        let date = date_text(round.date, "round date")?;
        let now = self.now();
        let tx = write_tx(&mut self.conn)?;
        let archived: Option<String> = tx
            .query_row(
                "SELECT archived_at FROM organisations WHERE id = ?1",
                [round.organisation],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::not_found("organisation", round.organisation))?;
        if archived.is_some() {
            return Err(StoreError::Invalid(format!(
                "organisation {} is archived; restore it before starting a round",
                round.organisation
            )));
        }
        let key = round.model.as_deref().unwrap_or(&self.default_model_id);
        let model_version = models::resolve_key(&tx, key)?;
        let model = self.models.get(&tx, model_version)?;
        if let Some(target) = round.target_phase {
            let n = model.phase_count();
            if !(1..=n).contains(&target) {
                return Err(StoreError::Invalid(format!(
                    "target phase {target} does not exist: model {} has phases 1 to {n}",
                    model.key()
                )));
            }
        }
        tx.execute(
            "INSERT INTO rounds (organisation_id, title, date, model_version_id, target_phase, status, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                round.organisation,
                title,
                date,
                model_version,
                round.target_phase,
                RoundStatus::Open,
                now
            ],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(id)
    }

    /// Rounds with their summaries, ordered by organisation, date and id; all of them,
    /// or one organisation's.
    pub fn rounds(&self, organisation: Option<i64>) -> Result<Vec<RoundInfo>> {
        match organisation {
            Some(org) => {
                self.organisation_exists(org)?;
                let mut stmt = self.conn.prepare_cached(&format!(
                    "{ROUND_SELECT} WHERE r.organisation_id = ?1 ORDER BY r.date, r.id"
                ))?;
                let rows = stmt.query_map([org], round_from_row)?;
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            }
            None => {
                let mut stmt = self.conn.prepare_cached(&format!(
                    "{ROUND_SELECT} ORDER BY r.organisation_id, r.date, r.id"
                ))?;
                let rows = stmt.query_map([], round_from_row)?;
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            }
        }
    }

    /// One round with its summary.
    pub fn round(&self, round: i64) -> Result<RoundInfo> {
        round_info(&self.conn, round)
    }

    /// The same organisation's round just before this one (by date, then creation
    /// order), if any: the baseline for progress.
    pub fn previous_round(&self, round: i64) -> Result<Option<RoundInfo>> {
        let current = self.round(round)?;
        let date = date_text(current.date, "round date")?;
        Ok(self
            .conn
            .prepare_cached(&format!(
                "{ROUND_SELECT} WHERE r.organisation_id = ?1 AND (r.date, r.id) < (?2, ?3)
                 ORDER BY r.date DESC, r.id DESC LIMIT 1"
            ))?
            .query_row(
                params![current.organisation, date, current.id],
                round_from_row,
            )
            .optional()?)
    }

    /// Closes a round: its respondents and answers become read-only.
    pub fn close_round(&mut self, round: i64) -> Result<()> {
        self.set_round_status(round, RoundStatus::Closed)
    }

    /// Reopens a closed round.
    pub fn reopen_round(&mut self, round: i64) -> Result<()> {
        self.set_round_status(round, RoundStatus::Open)
    }

    fn set_round_status(&mut self, round: i64, status: RoundStatus) -> Result<()> {
        let tx = write_tx(&mut self.conn)?;
        let current: (RoundStatus, String) = tx
            .query_row(
                "SELECT status, status_at FROM rounds WHERE id = ?1",
                [round],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::not_found("round", round))?;
        if current.0 == status {
            return Ok(());
        }
        let at = crate::identity::stamp_after(&self.clock, Some(&current.1));
        tx.execute(
            "UPDATE rounds SET status = ?2, status_at = ?3, status_by = ?4 WHERE id = ?1",
            params![round, status, at, self.installation],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Sets (or clears) a round's target phase, which must exist in its model.
    pub fn set_round_target(&mut self, round: i64, target: Option<u32>) -> Result<()> {
        let tx = write_tx(&mut self.conn)?;
        let ctx = RoundCtx::of_round(&tx, round)?;
        let model = self.models.get(&tx, ctx.model_version)?;
        if let Some(t) = target {
            let n = model.phase_count();
            if !(1..=n).contains(&t) {
                return Err(StoreError::Invalid(format!(
                    "target phase {t} does not exist: model {} has phases 1 to {n}",
                    model.key()
                )));
            }
        }
        let (same, stamp): (bool, String) = tx.query_row(
            "SELECT target_phase IS ?2, target_at FROM rounds WHERE id = ?1",
            params![round, target],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if same {
            return Ok(());
        }
        let at = crate::identity::stamp_after(&self.clock, Some(&stamp));
        tx.execute(
            "UPDATE rounds SET target_phase = ?2, target_at = ?3, target_by = ?4 WHERE id = ?1",
            params![round, target, at, self.installation],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Deletes a round with its respondents and answers (one statement; the foreign
    /// keys cascade), leaving a tombstone so that no engagement file merged later
    /// brings it back. Closed rounds can be deleted too.
    pub fn delete_round(&mut self, round: i64) -> Result<()> {
        let now = self.now();
        let tx = write_tx(&mut self.conn)?;
        tx.execute(
            "INSERT OR IGNORE INTO tombstones (uuid, kind, organisation_uuid, deleted_at, deleted_by)
             SELECT r.uuid, 'round', o.uuid, ?2, ?3
             FROM rounds r JOIN organisations o ON o.id = r.organisation_id WHERE r.id = ?1",
            params![round, now, self.installation],
        )?;
        let changed = tx.execute("DELETE FROM rounds WHERE id = ?1", [round])?;
        if changed == 0 {
            return Err(StoreError::not_found("round", round));
        }
        tx.commit()?;
        Ok(())
    }
}
