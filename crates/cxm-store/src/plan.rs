//! The plan (issue 15): items an organisation decided on after an assessment, each
//! with an owner, a due quarter or date, an effort and a status, most linked to the
//! question whose practice they should move. The plan belongs to the organisation and
//! outlives rounds. Items carry a UUID and one change stamp (their fields change
//! together: a PMO's workbook row, an edit in the app), and deleting one leaves a
//! tombstone, so plans merge between laptops like respondents.

use std::sync::Arc;

use cxm_domain::Model;
use cxm_domain::plan::{Due, Effort, PlanItem, PlanStatus};
use rusqlite::{Connection, OptionalExtension, params};

use crate::identity::stamp_after;
use crate::{MAX_NAME_CHARS, Result, Store, StoreError, clean_note, clean_text, write_tx};

/// A new plan item ([`Store::add_plan_items`]).
#[derive(Debug, Clone, PartialEq)]
pub struct NewPlanItem {
    /// What is to be done.
    pub title: String,
    /// Block id.
    pub block: String,
    /// Question id; `None` for a free item.
    pub question: Option<String>,
    /// Owner.
    pub owner: Option<String>,
    /// Due quarter or date.
    pub due: Option<Due>,
    /// Effort.
    pub effort: Option<Effort>,
    /// Status (usually planned).
    pub status: PlanStatus,
    /// Notes.
    pub notes: Option<String>,
    /// The round it is planned from (its results' actions).
    pub planned_from: Option<i64>,
}

/// A change to an item's fields ([`Store::update_plan_item`]): `None` keeps a field;
/// `Some(None)` clears an optional one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanChange {
    /// New title.
    pub title: Option<String>,
    /// New owner.
    pub owner: Option<Option<String>>,
    /// New due.
    pub due: Option<Option<Due>>,
    /// New effort.
    pub effort: Option<Option<Effort>>,
    /// New status.
    pub status: Option<PlanStatus>,
    /// New notes.
    pub notes: Option<Option<String>>,
}

impl PlanChange {
    /// Nothing changes.
    pub fn is_empty(&self) -> bool {
        *self == PlanChange::default()
    }
}

/// A stored plan item.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanItemRecord {
    /// Row id.
    pub id: i64,
    /// The organisation.
    pub organisation: i64,
    /// The item (its `id` is the UUID).
    pub item: PlanItem,
    /// The round it was planned from: id and title, while that round exists here.
    pub planned_from: Option<(i64, String)>,
    /// When it was created here (RFC 3339 UTC).
    pub created_at: String,
    /// When it last changed (`""`: not since it was created).
    pub updated_at: String,
}

const SELECT: &str =
    "SELECT p.id, p.organisation_id, p.uuid, p.title, p.block, p.question, p.owner,
        p.due, p.effort, p.status, p.notes, r.id, r.title, p.created_at, p.updated_at
    FROM plan_items p LEFT JOIN rounds r ON r.uuid = p.planned_from";

fn parse<T: std::str::FromStr<Err = String>>(
    text: Option<String>,
    what: &str,
) -> rusqlite::Result<Option<T>> {
    text.map(|t| {
        t.parse::<T>().map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(
                0,
                rusqlite::types::Type::Text,
                format!("a plan item's {what}: {e}").into(),
            )
        })
    })
    .transpose()
}

fn record(r: &rusqlite::Row<'_>) -> rusqlite::Result<PlanItemRecord> {
    let round_id: Option<i64> = r.get(11)?;
    let round_title: Option<String> = r.get(12)?;
    Ok(PlanItemRecord {
        id: r.get(0)?,
        organisation: r.get(1)?,
        item: PlanItem {
            id: r.get(2)?,
            title: r.get(3)?,
            block: r.get(4)?,
            question: r.get(5)?,
            owner: r.get(6)?,
            due: parse(r.get(7)?, "due")?,
            effort: parse(r.get(8)?, "effort")?,
            status: parse(Some(r.get::<_, String>(9)?), "status")?.expect("given"),
            notes: r.get(10)?,
        },
        planned_from: round_id.zip(round_title),
        created_at: r.get(13)?,
        updated_at: r.get(14)?,
    })
}

/// A trimmed optional text, `None` when empty, checked as a name.
fn optional_name(text: Option<&str>, what: &str) -> Result<Option<String>> {
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => Ok(Some(clean_text(t, what, MAX_NAME_CHARS)?)),
    }
}

fn optional_note(text: Option<&str>) -> Result<Option<String>> {
    match text.filter(|t| !t.trim().is_empty()) {
        None => Ok(None),
        Some(t) => Ok(Some(clean_note(t, "plan item's notes")?)),
    }
}

/// The model an organisation's plan is checked against: the round planned from, or
/// the organisation's latest round, or the default model.
fn plan_model(
    models: &crate::ModelCache,
    default_model: &str,
    conn: &Connection,
    organisation: i64,
    from: Option<i64>,
) -> Result<Arc<Model>> {
    let version: Option<i64> = match from {
        Some(round) => Some(
            conn.query_row(
                "SELECT model_version_id FROM rounds WHERE id = ?1 AND organisation_id = ?2",
                params![round, organisation],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| {
                StoreError::Invalid(format!(
                    "round {round} is not a round of organisation {organisation}"
                ))
            })?,
        ),
        None => conn
            .query_row(
                "SELECT model_version_id FROM rounds WHERE organisation_id = ?1
                 ORDER BY date DESC, id DESC LIMIT 1",
                [organisation],
                |r| r.get(0),
            )
            .optional()?,
    };
    let version = match version {
        Some(v) => v,
        None => crate::models::resolve_key(conn, default_model)?,
    };
    models.get(conn, version)
}

impl Store {
    /// An organisation's plan: by due day (items without one last), then creation.
    pub fn plan(&self, organisation: i64) -> Result<Vec<PlanItemRecord>> {
        self.organisation_exists(organisation)?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SELECT} WHERE p.organisation_id = ?1 ORDER BY p.id"
        ))?;
        let mut items: Vec<PlanItemRecord> = stmt
            .query_map([organisation], record)?
            .collect::<rusqlite::Result<_>>()?;
        items.sort_by_key(|r| {
            (
                r.item.due.map(|d| d.last_day()).is_none(),
                r.item.due.map(|d| d.last_day()),
                r.id,
            )
        });
        Ok(items)
    }

    /// One plan item.
    pub fn plan_item(&self, id: i64) -> Result<PlanItemRecord> {
        self.conn
            .prepare_cached(&format!("{SELECT} WHERE p.id = ?1"))?
            .query_row([id], record)
            .optional()?
            .ok_or_else(|| StoreError::not_found("plan item", id))
    }

    /// The plan item with this UUID (the id in the Excel plan), if stored here.
    pub fn plan_item_by_uuid(&self, organisation: i64, uuid: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM plan_items WHERE organisation_id = ?1 AND uuid = ?2",
                params![organisation, uuid.trim().to_ascii_lowercase()],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Adds items to an organisation's plan, all or nothing: each block (and question)
    /// must be in the model of the round planned from (or of the organisation's latest
    /// round). Returns their ids.
    pub fn add_plan_items(&mut self, organisation: i64, items: &[NewPlanItem]) -> Result<Vec<i64>> {
        self.organisation_exists(organisation)?;
        let now = self.now();
        let tx = write_tx(&mut self.conn)?;
        let mut ids = Vec::new();
        for (n, item) in items.iter().enumerate() {
            let place = |e: StoreError| match e {
                StoreError::Invalid(m) if items.len() > 1 => {
                    StoreError::Invalid(format!("plan item {}: {m}", n + 1))
                }
                other => other,
            };
            // The model, read through a store view of this transaction's connection.
            let model = plan_model(
                &self.models,
                &self.default_model_id,
                &tx,
                organisation,
                item.planned_from,
            )
            .map_err(place)?;
            let title = clean_text(&item.title, "plan item's title", 500).map_err(place)?;
            let block = model
                .blocks
                .iter()
                .find(|b| b.id == item.block.trim())
                .map(|b| b.id.clone())
                .ok_or_else(|| {
                    place(StoreError::Invalid(format!(
                        "block `{}` is not in model {} (it has: {})",
                        item.block.trim(),
                        model.key(),
                        model
                            .blocks
                            .iter()
                            .map(|b| b.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )))
                })?;
            let question = match item
                .question
                .as_deref()
                .map(str::trim)
                .filter(|q| !q.is_empty())
            {
                None => None,
                Some(q) => {
                    let i = model.question_index(q).ok_or_else(|| {
                        place(StoreError::Invalid(format!(
                            "question `{q}` is not in model {}",
                            model.key()
                        )))
                    })?;
                    let question = &model.questions[i];
                    let of = &model.blocks[question.block].id;
                    if *of != block {
                        return Err(place(StoreError::Invalid(format!(
                            "question `{q}` belongs to block `{of}`, not `{block}`"
                        ))));
                    }
                    Some(question.id.clone())
                }
            };
            let owner = optional_name(item.owner.as_deref(), "owner").map_err(place)?;
            let notes = optional_note(item.notes.as_deref()).map_err(place)?;
            let from: Option<String> = match item.planned_from {
                Some(r) => {
                    Some(tx.query_row("SELECT uuid FROM rounds WHERE id = ?1", [r], |x| x.get(0))?)
                }
                None => None,
            };
            tx.prepare_cached(
                "INSERT INTO plan_items (organisation_id, title, block, question, owner, due, effort, status, notes,
                                         planned_from, created_at, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12)",
            )?
            .execute(params![
                organisation,
                title,
                block,
                question,
                owner,
                item.due.map(|d| d.to_string()),
                item.effort.map(|e| e.as_str()),
                item.status.as_str(),
                notes,
                from,
                now,
                self.installation
            ])?;
            ids.push(tx.last_insert_rowid());
        }
        tx.commit()?;
        Ok(ids)
    }

    /// Changes an item's fields (one new stamp; no change, no stamp).
    pub fn update_plan_item(&mut self, id: i64, change: &PlanChange) -> Result<()> {
        let current = self.plan_item(id)?;
        let mut item = current.item.clone();
        if let Some(t) = &change.title {
            item.title = clean_text(t, "plan item's title", 500)?;
        }
        if let Some(o) = &change.owner {
            item.owner = optional_name(o.as_deref(), "owner")?;
        }
        if let Some(d) = change.due {
            item.due = d;
        }
        if let Some(e) = change.effort {
            item.effort = e;
        }
        if let Some(s) = change.status {
            item.status = s;
        }
        if let Some(n) = &change.notes {
            item.notes = optional_note(n.as_deref())?;
        }
        if item == current.item {
            return Ok(());
        }
        let at = stamp_after(&self.clock, Some(&current.updated_at));
        self.conn.execute(
            "UPDATE plan_items SET title = ?2, owner = ?3, due = ?4, effort = ?5, status = ?6, notes = ?7,
                 updated_at = ?8, updated_by = ?9
             WHERE id = ?1",
            params![
                id,
                item.title,
                item.owner,
                item.due.map(|d| d.to_string()),
                item.effort.map(|e| e.as_str()),
                item.status.as_str(),
                item.notes,
                at,
                self.installation
            ],
        )?;
        Ok(())
    }

    /// Applies several changes in one transaction, all or nothing (a PMO's workbook).
    pub fn update_plan_items(&mut self, changes: &[(i64, PlanChange)]) -> Result<u32> {
        self.atomically(|store| {
            let mut n = 0;
            for (id, change) in changes {
                let before = store.plan_item(*id)?.updated_at;
                store.update_plan_item(*id, change)?;
                if store.plan_item(*id)?.updated_at != before {
                    n += 1;
                }
            }
            Ok(n)
        })
    }

    /// Deletes a plan item, leaving a tombstone so that no engagement file merged
    /// later brings it back.
    pub fn delete_plan_item(&mut self, id: i64) -> Result<()> {
        let now = self.now();
        let tx = write_tx(&mut self.conn)?;
        tx.execute(
            "INSERT OR IGNORE INTO tombstones (uuid, kind, organisation_uuid, deleted_at, deleted_by)
             SELECT p.uuid, 'plan_item', o.uuid, ?2, ?3
             FROM plan_items p JOIN organisations o ON o.id = p.organisation_id WHERE p.id = ?1",
            params![id, now, self.installation],
        )?;
        if tx.execute("DELETE FROM plan_items WHERE id = ?1", [id])? == 0 {
            return Err(StoreError::not_found("plan item", id));
        }
        tx.commit()?;
        Ok(())
    }
}
