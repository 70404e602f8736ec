//! Model versions: import, listing, lookup by key, and the parsed-model cache.

use std::sync::Arc;

use cxm_domain::Model;
use cxm_domain::model::BUILT_IN_MODELS;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::{ModelCache, Result, Store, StoreError, write_tx};

/// One stored model version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModelVersionInfo {
    /// Row id (`model_versions.id`); rounds refer to it.
    pub id: i64,
    /// The model's id (`cx-maturity`).
    pub model_id: String,
    /// The model's version.
    pub version: u32,
    /// `model_id@version`.
    pub key: String,
    /// Title.
    pub title: String,
    /// Number of questions.
    pub questions: u32,
    /// Number of rounds pinned to this version.
    pub rounds: u32,
    /// When it was imported (RFC 3339 UTC).
    pub imported_at: String,
    /// Set by [`Store::import_model`] when the same id, version and source were
    /// already stored (nothing was written).
    pub already_present: bool,
}

const INFO_SELECT: &str = "SELECT m.id, m.model_id, m.version, m.title, m.question_count,
        (SELECT count(*) FROM rounds r WHERE r.model_version_id = m.id), m.imported_at
    FROM model_versions m";

fn info_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<ModelVersionInfo> {
    let model_id: String = row.get(1)?;
    let version: u32 = row.get(2)?;
    Ok(ModelVersionInfo {
        id: row.get(0)?,
        key: format!("{model_id}@{version}"),
        model_id,
        version,
        title: row.get(3)?,
        questions: row.get(4)?,
        rounds: row.get(5)?,
        imported_at: row.get(6)?,
        already_present: false,
    })
}

fn model_info(conn: &Connection, id: i64) -> Result<ModelVersionInfo> {
    conn.query_row(
        &format!("{INFO_SELECT} WHERE m.id = ?1"),
        [id],
        info_from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::not_found("model version", id))
}

/// Splits `id@version` (or just `id`) and finds the row: the exact version, or the
/// latest version of `id`.
pub(crate) fn resolve_key(conn: &Connection, key: &str) -> Result<i64> {
    let key = key.trim();
    let (model_id, version) = match key.rsplit_once('@') {
        Some((id, version)) => {
            let version = version.parse::<u32>().map_err(|_| {
                StoreError::Invalid(format!(
                    "`{key}` is not a model key: use the model id, or id@version such as cx-maturity@1"
                ))
            })?;
            (id, Some(version))
        }
        None => (key, None),
    };
    let found = match version {
        Some(version) => conn
            .query_row(
                "SELECT id FROM model_versions WHERE model_id = ?1 AND version = ?2",
                params![model_id, version],
                |r| r.get(0),
            )
            .optional()?,
        None => conn
            .query_row(
                "SELECT id FROM model_versions WHERE model_id = ?1 ORDER BY version DESC LIMIT 1",
                [model_id],
                |r| r.get(0),
            )
            .optional()?,
    };
    found.ok_or_else(|| StoreError::not_found("model", key))
}

impl ModelCache {
    /// The parsed model of a `model_versions` row, parsed once.
    pub(crate) fn get(&self, conn: &Connection, id: i64) -> Result<Arc<Model>> {
        if let Some(model) = self.0.borrow().get(&id) {
            return Ok(Arc::clone(model));
        }
        let (key, source): (String, String) = conn
            .query_row(
                "SELECT model_id || '@' || version, source FROM model_versions WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::not_found("model version", id))?;
        let model = Arc::new(Model::from_toml(&source, &format!("stored model {key}"))?);
        self.0.borrow_mut().insert(id, Arc::clone(&model));
        Ok(model)
    }
}

impl Store {
    /// Stores the built-in model versions that are missing and remembers the default
    /// model's id.
    pub(crate) fn ensure_default_model(&mut self) -> Result<()> {
        for (file, source) in BUILT_IN_MODELS {
            let model = Model::from_toml(source, file)?;
            // The stored source is the truth for rounds pinned to it; it is cached from
            // the bundled text only when the two are identical.
            let existing: Option<(i64, bool)> = self
                .conn
                .query_row(
                    "SELECT id, source = ?3 FROM model_versions WHERE model_id = ?1 AND version = ?2",
                    params![model.id, model.version, source],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            self.default_model_id = model.id.clone();
            let id = match existing {
                Some((_, false)) => continue,
                Some((id, true)) => id,
                // A read-only database without it: rounds use the models it holds.
                None if self.read_only.is_some() => continue,
                None => insert_model(&self.conn, &model, source, &self.now())?,
            };
            self.models.0.borrow_mut().insert(id, Arc::new(model));
        }
        Ok(())
    }

    /// Validates and stores a model file. `file_name` names the file in errors
    /// ([`StoreError::Model`] lists every problem with its line and field).
    ///
    /// The same id and version already stored with the identical source returns that
    /// version with `already_present: true`; with a different source it is a
    /// [`StoreError::Conflict`].
    pub fn import_model(&mut self, source: &str, file_name: &str) -> Result<ModelVersionInfo> {
        let model = Model::from_toml(source, file_name)?;
        let now = self.now();
        let tx = write_tx(&mut self.conn)?;
        let existing: Option<(i64, String)> = tx
            .query_row(
                "SELECT id, source FROM model_versions WHERE model_id = ?1 AND version = ?2",
                params![model.id, model.version],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match existing {
            Some((id, stored)) if stored == source => {
                let mut info = model_info(&tx, id)?;
                info.already_present = true;
                Ok(info)
            }
            Some(_) => Err(StoreError::Conflict(format!(
                "model {} version {} is already imported with different content; give the new file a higher version",
                model.id, model.version
            ))),
            None => {
                let id = insert_model(&tx, &model, source, &now)?;
                let info = model_info(&tx, id)?;
                tx.commit()?;
                Ok(info)
            }
        }
    }

    /// Every stored model version, by model id then version.
    pub fn models(&self) -> Result<Vec<ModelVersionInfo>> {
        let mut stmt = self
            .conn
            .prepare(&format!("{INFO_SELECT} ORDER BY m.model_id, m.version"))?;
        let rows = stmt.query_map([], info_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A stored model by key: `id@version`, or `id` for its latest version. Returns the
    /// row id and the parsed model.
    pub fn model_by_key(&self, key: &str) -> Result<(i64, Arc<Model>)> {
        let id = resolve_key(&self.conn, key)?;
        Ok((id, self.models.get(&self.conn, id)?))
    }

    /// The model version a round is pinned to.
    pub fn model_for_round(&self, round: i64) -> Result<Arc<Model>> {
        let id: i64 = self
            .conn
            .query_row(
                "SELECT model_version_id FROM rounds WHERE id = ?1",
                [round],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::not_found("round", round))?;
        self.models.get(&self.conn, id)
    }

    /// Key (`id@version`) of the latest stored version of the bundled default model's
    /// id: what a new round uses unless told otherwise.
    pub fn default_model_key(&self) -> Result<String> {
        let id = resolve_key(&self.conn, &self.default_model_id)?;
        Ok(model_info(&self.conn, id)?.key)
    }

    /// The TOML source a model version was imported from (`id@version`, or `id` for its
    /// latest version): a starting point for a model of one's own.
    pub fn model_source(&self, key: &str) -> Result<String> {
        let id = resolve_key(&self.conn, key)?;
        Ok(self.conn.query_row(
            "SELECT source FROM model_versions WHERE id = ?1",
            [id],
            |row| row.get(0),
        )?)
    }

    /// Id of the bundled default model (`cx-maturity`).
    pub fn default_model_id(&self) -> &str {
        &self.default_model_id
    }
}

pub(crate) fn insert_model(
    conn: &Connection,
    model: &Model,
    source: &str,
    now: &str,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO model_versions (model_id, version, title, source, question_count, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            model.id,
            model.version,
            model.title,
            source,
            model.questions.len() as i64,
            now
        ],
    )?;
    Ok(conn.last_insert_rowid())
}
