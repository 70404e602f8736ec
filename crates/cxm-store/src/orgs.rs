//! Organisations, and the organisations listing with each round's phase.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use crate::rounds::RoundStatus;
use crate::{MAX_NAME_CHARS, Result, SqlDate, Store, StoreError, clean_text};

/// An organisation with its rounds, as the organisations screen lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrganisationSummary {
    /// Row id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// When it was created (RFC 3339 UTC).
    pub created_at: String,
    /// Whether it is archived (hidden from the default listing).
    pub archived: bool,
    /// Its rounds, by date then creation order.
    pub rounds: Vec<RoundSummary>,
}

/// A round in the organisations listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoundSummary {
    /// Row id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Date of the assessment.
    #[serde(serialize_with = "crate::serde_date::serialize")]
    pub date: NaiveDate,
    /// Open or closed.
    pub status: RoundStatus,
    /// Organisation phase P; `None` while no answer has been given.
    pub phase: Option<u32>,
    /// Number of respondents.
    pub respondents: u32,
    /// Respondents who answered every question.
    pub interviews_complete: u32,
}

/// Which organisations a listing covers.
enum Scope {
    All,
    Active,
    One(i64),
}

impl Store {
    /// Creates an organisation and returns its id. The name is trimmed, non-empty and
    /// at most [`MAX_NAME_CHARS`] characters; names need not be unique.
    pub fn add_organisation(&mut self, name: &str) -> Result<i64> {
        let name = clean_text(name, "organisation name", MAX_NAME_CHARS)?;
        let now = self.now();
        self.conn.execute(
            "INSERT INTO organisations (name, created_at) VALUES (?1, ?2)",
            params![name, now],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Renames an organisation.
    pub fn rename_organisation(&mut self, id: i64, name: &str) -> Result<()> {
        let name = clean_text(name, "organisation name", MAX_NAME_CHARS)?;
        let stamp: Option<String> = self
            .conn
            .query_row(
                "SELECT name_at FROM organisations WHERE id = ?1 AND name IS NOT ?2",
                params![id, name],
                |r| r.get(0),
            )
            .optional()?;
        let Some(stamp) = stamp else {
            self.organisation_exists(id)?;
            return Ok(()); // the same name
        };
        let at = crate::identity::stamp_after(&self.clock, Some(&stamp));
        let changed = self.conn.execute(
            "UPDATE organisations SET name = ?2, name_at = ?3, name_by = ?4 WHERE id = ?1",
            params![id, name, at, self.installation],
        )?;
        if changed == 0 {
            return Err(StoreError::not_found("organisation", id));
        }
        Ok(())
    }

    /// Archives an organisation: hidden from `organisations(false)`, no new rounds.
    /// Archiving an archived organisation keeps its first archive time.
    pub fn archive_organisation(&mut self, id: i64) -> Result<()> {
        let now = self.now();
        let changed = self.conn.execute(
            "UPDATE organisations SET archived_at = coalesce(archived_at, ?2) WHERE id = ?1",
            params![id, now],
        )?;
        if changed == 0 {
            return Err(StoreError::not_found("organisation", id));
        }
        Ok(())
    }

    /// Restores an archived organisation.
    pub fn restore_organisation(&mut self, id: i64) -> Result<()> {
        let changed = self.conn.execute(
            "UPDATE organisations SET archived_at = NULL WHERE id = ?1",
            [id],
        )?;
        if changed == 0 {
            return Err(StoreError::not_found("organisation", id));
        }
        Ok(())
    }

    /// One organisation with its rounds.
    pub fn organisation(&self, id: i64) -> Result<OrganisationSummary> {
        self.list(Scope::One(id))?
            .pop()
            .ok_or_else(|| StoreError::not_found("organisation", id))
    }

    /// Organisations by name (case-insensitive), each with its rounds and their phases;
    /// archived ones only when `include_archived`. Two queries in all.
    pub fn organisations(&self, include_archived: bool) -> Result<Vec<OrganisationSummary>> {
        self.list(if include_archived {
            Scope::All
        } else {
            Scope::Active
        })
    }

    pub(crate) fn organisation_exists(&self, id: i64) -> Result<()> {
        self.conn
            .prepare_cached("SELECT 1 FROM organisations WHERE id = ?1")?
            .query_row([id], |_| Ok(()))
            .optional()?
            .ok_or_else(|| StoreError::not_found("organisation", id))
    }

    fn list(&self, scope: Scope) -> Result<Vec<OrganisationSummary>> {
        const ORGS: &str =
            "SELECT id, name, created_at, archived_at IS NOT NULL FROM organisations";
        const ORDER: &str = "ORDER BY name COLLATE NOCASE, id";
        const ROUNDS: &str = "SELECT organisation_id, id, title, date, status, phase, respondents,
            interviews_complete FROM rounds";
        const ROUND_ORDER: &str = "ORDER BY organisation_id, date, id";
        let (orgs_sql, rounds_sql, id) = match scope {
            Scope::All => (
                format!("{ORGS} {ORDER}"),
                format!("{ROUNDS} {ROUND_ORDER}"),
                None,
            ),
            Scope::Active => (
                format!("{ORGS} WHERE archived_at IS NULL {ORDER}"),
                format!(
                    "{ROUNDS} WHERE organisation_id IN
                        (SELECT id FROM organisations WHERE archived_at IS NULL) {ROUND_ORDER}"
                ),
                None,
            ),
            Scope::One(id) => (
                format!("{ORGS} WHERE id = ?1"),
                format!("{ROUNDS} WHERE organisation_id = ?1 {ROUND_ORDER}"),
                Some(id),
            ),
        };
        let params: &[&dyn rusqlite::ToSql] = match &id {
            Some(id) => &[id],
            None => &[],
        };

        let tx = crate::read_snapshot(&self.conn)?; // one snapshot for both queries
        let mut orgs: Vec<OrganisationSummary> = tx
            .prepare_cached(&orgs_sql)?
            .query_map(params, |r| {
                Ok(OrganisationSummary {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    created_at: r.get(2)?,
                    archived: r.get(3)?,
                    rounds: Vec::new(),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let index: HashMap<i64, usize> = orgs.iter().enumerate().map(|(i, o)| (o.id, i)).collect();
        let mut stmt = tx.prepare_cached(&rounds_sql)?;
        let mut rows = stmt.query(params)?;
        while let Some(r) = rows.next()? {
            let org: i64 = r.get(0)?;
            if let Some(&i) = index.get(&org) {
                orgs[i].rounds.push(RoundSummary {
                    id: r.get(1)?,
                    title: r.get(2)?,
                    date: r.get::<_, SqlDate>(3)?.0,
                    status: r.get(4)?,
                    phase: r.get(5)?,
                    respondents: r.get(6)?,
                    interviews_complete: r.get(7)?,
                });
            }
        }
        Ok(orgs)
    }
}
