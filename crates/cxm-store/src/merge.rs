//! Merging an engagement file of format 2 into this database (issue 14): organisations,
//! rounds and respondents are matched by UUID; new ones are added, known ones take the
//! most recent change of each register; answers take the union of their versions
//! ([`crate::versions`]); tombstones delete, and keep deleted, what they name.
//!
//! Every rule depends only on the data, never on the order files arrive in or on which
//! laptop merges, so laptops that have merged the same files hold the same rounds,
//! respondents and answers: merging is commutative, associative and idempotent (the
//! convergence property test in `tests/it/merge.rs`). It runs in one transaction: a
//! file with any problem changes nothing. A preview is the same merge rolled back.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use cxm_domain::text::fold;
use cxm_domain::{Answer, Model};
use rusqlite::{Connection, OptionalExtension, params};

use crate::engagement::{
    EngagementAnswer, EngagementFile, EngagementRespondent, EngagementRound, invalid, parse_date,
};
use crate::identity::{learn_installation, normal_stamp, valid_installation_id};
use crate::versions::{self, Version};
use crate::{
    ImportedEngagement, MAX_NAME_CHARS, Result, Store, StoreError, clean_note, clean_text, summary,
    write_tx,
};

/// One side of a concurrent edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditSide {
    /// The answer, as in files (`"0"`..`"S"`, `"dk"`, `"na"`); `None`: none.
    pub answer: Option<String>,
    /// The note.
    pub note: Option<String>,
    /// When.
    pub at: String,
    /// The installation's name.
    pub by: String,
}

/// The same answer changed on two laptops since they last exchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConcurrentEdit {
    /// The round's title.
    pub round: String,
    /// The respondent's name.
    pub respondent: String,
    /// The respondent's UUID (with `question`, what the edit is about).
    pub respondent_uuid: String,
    /// The question id.
    pub question: String,
    /// The version kept (the most recent change).
    pub kept: EditSide,
    /// The version(s) it won over, kept in the answer's history.
    pub replaced: Vec<EditSide>,
}

/// What a merge changed in one round.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoundChanges {
    /// Title.
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `id@version`.
    pub model: String,
    /// `open` or `closed` after the merge.
    pub status: String,
    /// New here.
    pub added: bool,
    /// Deleted by the file's tombstone.
    pub deleted: bool,
    /// Its status changed (closed or reopened on another laptop).
    pub status_changed: bool,
    /// Its target phase changed.
    pub target_changed: bool,
    /// Respondents added.
    pub respondents_added: u32,
    /// Respondents whose details changed.
    pub respondents_changed: u32,
    /// Respondents deleted (by a tombstone in the file).
    pub respondents_deleted: u32,
    /// Answers (scale values, don't know, n/a) added.
    pub answers_added: u32,
    /// Answers or notes changed or cleared.
    pub answers_changed: u32,
    /// Respondents in the round after the merge.
    pub respondents: u32,
}

impl RoundChanges {
    fn any(&self) -> bool {
        self.added
            || self.deleted
            || self.status_changed
            || self.target_changed
            || self.respondents_added + self.respondents_changed + self.respondents_deleted > 0
            || self.answers_added + self.answers_changed > 0
    }
}

/// A parsed, validated version of an answer in the file.
fn file_version(a: &EngagementAnswer, model: &Model, place: &str) -> Result<(usize, Version)> {
    let q = model.question_index(&a.question).ok_or_else(|| {
        invalid(
            place,
            format!(
                "question `{}` does not exist in model {}",
                a.question,
                model.key()
            ),
        )
    })?;
    let value = match a.answer.as_deref() {
        None => None,
        Some(text) => Some(
            text.parse::<Answer>()
                .ok()
                .filter(|x| x.fits(model))
                .ok_or_else(|| {
                    invalid(
                        place,
                        format!(
                            "`{text}` is not an answer to `{}` (0 to {}, dk or na)",
                            a.question, model.scale.max
                        ),
                    )
                })?
                .code(),
        ),
    };
    let note = match a.note.as_deref().filter(|n| !n.trim().is_empty()) {
        Some(n) => Some(
            clean_note(n, &format!("note to `{}`", a.question)).map_err(|e| invalid(place, e))?,
        ),
        None => None,
    };
    let stamp = |at: &str, by: &str, what: &str| -> Result<(String, String)> {
        let at = normal_stamp(at).ok_or_else(|| {
            invalid(
                place,
                format!(
                    "the {what} time `{at}` of `{}` is not an RFC 3339 time",
                    a.question
                ),
            )
        })?;
        if !valid_installation_id(by) || by.is_empty() {
            return Err(invalid(
                place,
                format!("the {what} of `{}` names no installation", a.question),
            ));
        }
        Ok((at, by.to_string()))
    };
    let (at, by) = stamp(&a.updated_at, a.by.as_deref().unwrap_or(""), "change")?;
    let parent = match (&a.parent_at, &a.parent_by) {
        (Some(pa), Some(pb)) => Some(stamp(pa, pb, "previous change")?),
        _ => None,
    };
    Ok((
        q,
        Version {
            at,
            by,
            value,
            note,
            parent,
        },
    ))
}

fn register(
    at: &Option<String>,
    by: &Option<String>,
    place: &str,
    what: &str,
) -> Result<(String, String)> {
    let at = match at.as_deref() {
        None | Some("") => String::new(),
        Some(t) => normal_stamp(t).ok_or_else(|| {
            invalid(
                place,
                format!("the {what} change time `{t}` is not an RFC 3339 time"),
            )
        })?,
    };
    let by = by.clone().unwrap_or_default();
    if !valid_installation_id(&by) {
        return Err(invalid(
            place,
            format!("the {what} change names no installation"),
        ));
    }
    Ok((at, by))
}

fn uuid_of(uuid: &Option<String>, place: &str, what: &str) -> Result<String> {
    let u = uuid
        .as_deref()
        .map(|u| u.trim().to_ascii_lowercase())
        .filter(|u| !u.is_empty() && valid_installation_id(u))
        .ok_or_else(|| invalid(place, format!("the {what} has no id (uuid)")))?;
    Ok(u)
}

fn side(v: &Version, names: &HashMap<String, String>) -> EditSide {
    EditSide {
        answer: v.value.and_then(Answer::from_code).map(|a| a.to_string()),
        note: v.note.clone(),
        at: v.at.clone(),
        by: names
            .get(&v.by)
            .cloned()
            .unwrap_or_else(|| "an unknown installation".into()),
    }
}

fn installation_names(conn: &Connection) -> Result<HashMap<String, String>> {
    let mut stmt = conn.prepare_cached("SELECT id, name FROM installations")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Store {
    /// Merges a format-2 engagement file (read and checked by the caller) in one
    /// transaction; `commit: false` rolls it back (the preview).
    pub(crate) fn merge_engagement(
        &mut self,
        file: &EngagementFile,
        parsed: &[(String, Arc<Model>, String)],
        commit: bool,
    ) -> Result<ImportedEngagement> {
        let payload = &file.payload;
        let now = self.now();
        let me = self.installation.clone();
        let org_uuid = uuid_of(
            &payload.organisation.uuid,
            "the organisation",
            "organisation",
        )?;
        let org_name = clean_text(
            &payload.organisation.name,
            "organisation name",
            MAX_NAME_CHARS,
        )
        .map_err(|e| invalid("the organisation", e))?;
        let org_reg = register(
            &payload.organisation.name_at,
            &payload.organisation.name_by,
            "the organisation",
            "name",
        )?;

        let tx = write_tx(&mut self.conn)?;
        let mut done = ImportedEngagement::empty();
        let model_rows = crate::engagement::store_models(&tx, parsed, &now, &mut done)?;

        // Installations named in the file (never this one's name).
        for i in &payload.installations {
            if !valid_installation_id(&i.id) || i.id.is_empty() {
                return Err(invalid(
                    "the installations",
                    format!("`{}` is not an installation id", i.id),
                ));
            }
            let name = clean_text(&i.name, "installation name", MAX_NAME_CHARS)
                .map_err(|e| invalid("the installations", e))?;
            let at = register(&i.name_at, &Some(i.id.clone()), "the installations", "name")?.0;
            learn_installation(&tx, &i.id, &name, &at)?;
        }
        if let Some(w) = &file.installation {
            if !valid_installation_id(&w.id) || w.id.is_empty() {
                return Err(invalid(
                    "the file's writer",
                    format!("`{}` is not an installation id", w.id),
                ));
            }
            let name = clean_text(&w.name, "installation name", MAX_NAME_CHARS)
                .map_err(|e| invalid("the file's writer", e))?;
            // Its name, stamped when it was given (older files: when written).
            let at = w
                .name_at
                .as_deref()
                .or(file.exported_at.as_deref())
                .and_then(normal_stamp)
                .unwrap_or_default();
            learn_installation(&tx, &w.id, &name, &at)?;
            done.from_installation = Some(w.id.clone());
            done.from_name = Some(name);
        }

        // The organisation.
        let local: Option<(i64, String, String, String)> = tx
            .query_row(
                "SELECT id, name, name_at, name_by FROM organisations WHERE uuid = ?1",
                [&org_uuid],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let organisation = match local {
            Some((id, name, at, by)) => {
                done.merged = true;
                if org_reg > (at, by) && name != org_name {
                    tx.execute(
                        "UPDATE organisations SET name = ?2, name_at = ?3, name_by = ?4 WHERE id = ?1",
                        params![id, org_name, org_reg.0, org_reg.1],
                    )?;
                    done.renamed_from = Some(name);
                    done.name = org_name.clone();
                } else {
                    done.name = name;
                }
                id
            }
            None => {
                let same_name: bool = tx
                    .prepare_cached("SELECT name FROM organisations")?
                    .query_map([], |r| r.get::<_, String>(0))?
                    .filter_map(|n| n.ok())
                    .any(|n| fold(&n) == fold(&org_name));
                if same_name {
                    done.warnings.push(format!(
                        "another organisation named “{org_name}” is stored here already; this one is a different organisation (it was created on another laptop), so both are kept — rename one if that is confusing"
                    ));
                }
                tx.execute(
                    "INSERT INTO organisations (uuid, name, created_at, name_at, name_by)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![org_uuid, org_name, now, org_reg.0, org_reg.1],
                )?;
                done.name = org_name.clone();
                tx.last_insert_rowid()
            }
        };

        // Tombstones: the file's and ours.
        for t in &payload.tombstones {
            let place = "the deletions";
            let uuid = uuid_of(&Some(t.uuid.clone()), place, "deleted row")?;
            if !["round", "respondent", "plan_item"].contains(&t.kind.as_str()) {
                return Err(invalid(
                    place,
                    format!("`{}` is not something that can be deleted", t.kind),
                ));
            }
            let (at, by) = register(
                &Some(t.deleted_at.clone()),
                &Some(t.deleted_by.clone()),
                place,
                "deletion",
            )?;
            tx.prepare_cached(
                "INSERT OR IGNORE INTO tombstones (uuid, kind, organisation_uuid, deleted_at, deleted_by)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![uuid, t.kind, org_uuid, at, by])?;
        }
        let dead: HashSet<String> = {
            let mut stmt =
                tx.prepare_cached("SELECT uuid FROM tombstones WHERE organisation_uuid = ?1")?;
            let rows = stmt.query_map([&org_uuid], |r| r.get::<_, String>(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let names = installation_names(&tx)?;

        let mut rounds: BTreeMap<i64, RoundChanges> = BTreeMap::new();
        for (ri, round) in payload.rounds.iter().enumerate() {
            let place = format!("round {} “{}”", ri + 1, round.title.trim());
            let uuid = uuid_of(&round.uuid, &place, "round")?;
            if dead.contains(&uuid) {
                continue;
            }
            let (round_id, model, mut changes) =
                merge_round(&tx, round, &uuid, organisation, &place, &model_rows, &now)?;
            let mut touched = changes.added;
            let mut seen: HashSet<String> = HashSet::new();
            for (pi, person) in round.respondents.iter().enumerate() {
                let place = format!("{place}, respondent {} `{}`", pi + 1, person.name.trim());
                let puuid = uuid_of(&person.uuid, &place, "respondent")?;
                if !seen.insert(puuid.clone()) {
                    return Err(invalid(&place, "it appears twice in the round"));
                }
                if dead.contains(&puuid) {
                    continue;
                }
                touched |= merge_respondent(
                    &tx,
                    person,
                    &puuid,
                    round_id,
                    &model,
                    &place,
                    &now,
                    &me,
                    &names,
                    &round.title,
                    &mut changes,
                    &mut done,
                )?;
            }
            if touched {
                summary::refresh(&tx, round_id, &model)?;
            }
            rounds.insert(round_id, changes);
        }

        // What the tombstones delete that is still here.
        {
            let mut stmt = tx.prepare(
                "SELECT r.id, r.title, r.date, m.model_id || '@' || m.version, r.status FROM rounds r
                 JOIN model_versions m ON m.id = r.model_version_id
                 JOIN tombstones t ON t.uuid = r.uuid
                 WHERE r.organisation_id = ?1",
            )?;
            let gone: Vec<(i64, String, String, String, String)> = stmt
                .query_map([organisation], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            for (id, title, date, model, status) in gone {
                tx.execute("DELETE FROM rounds WHERE id = ?1", [id])?;
                rounds.insert(
                    id,
                    RoundChanges {
                        title,
                        date,
                        model,
                        status,
                        deleted: true,
                        ..Default::default()
                    },
                );
            }
        }
        {
            let mut stmt = tx.prepare(
                "SELECT p.id, p.round_id FROM respondents p
                 JOIN rounds r ON r.id = p.round_id
                 JOIN tombstones t ON t.uuid = p.uuid
                 WHERE r.organisation_id = ?1",
            )?;
            let gone: Vec<(i64, i64)> = stmt
                .query_map([organisation], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let mut refresh: HashSet<i64> = HashSet::new();
            for (id, round) in gone {
                tx.execute("DELETE FROM respondents WHERE id = ?1", [id])?;
                if let Some(c) = rounds.get_mut(&round) {
                    c.respondents_deleted += 1;
                } else {
                    let mut c = round_changes(&tx, round)?;
                    c.respondents_deleted = 1;
                    rounds.insert(round, c);
                }
                refresh.insert(round);
            }
            for round in refresh {
                let model = model_of(&tx, &self.models, round)?;
                summary::refresh(&tx, round, &model)?;
            }
        }

        merge_plan(&tx, &payload.plan, organisation, &dead, &now, &mut done)?;

        // Names twice in a round (two interviewers each added an `R-01`): kept, said.
        for (&round, c) in &mut rounds {
            if c.deleted {
                continue;
            }
            let mut stmt = tx.prepare_cached("SELECT name FROM respondents WHERE round_id = ?1")?;
            let list: Vec<String> = stmt
                .query_map([round], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            c.respondents = list.len() as u32;
            let mut count: BTreeMap<String, (String, u32)> = BTreeMap::new();
            for n in list {
                count.entry(fold(&n)).or_insert((n, 0)).1 += 1;
            }
            for (name, n) in count.into_values().filter(|(_, n)| *n > 1) {
                if c.respondents_added > 0 {
                    done.warnings.push(format!(
                        "round “{}” now has {n} respondents named “{name}” (added on different laptops); they are kept apart — rename one on the round page so that everyone can tell them apart",
                        c.title
                    ));
                }
            }
        }

        // The file's writer: the last exchange with it.
        if let Some(w) = &file.installation
            && w.id != me
            && let Some(written) = file.exported_at.as_deref().and_then(normal_stamp)
        {
            tx.execute(
                "INSERT INTO exchanges (organisation_id, installation_id, file_written_at, merged_at)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (organisation_id, installation_id) DO UPDATE
                 SET file_written_at = excluded.file_written_at, merged_at = excluded.merged_at
                 WHERE excluded.file_written_at > file_written_at",
                params![organisation, w.id, written, now],
            )?;
        }

        for c in rounds.values() {
            done.rounds += u32::from(c.added);
            done.respondents += c.respondents_added;
            done.answers += c.answers_added;
        }
        done.changed = !done.merged
            || done.renamed_from.is_some()
            || !done.models_added.is_empty()
            || done.plan_added + done.plan_changed + done.plan_deleted > 0
            || rounds.values().any(RoundChanges::any);
        done.round_changes = rounds
            .into_values()
            .filter(|c| c.any() || !done.merged)
            .collect();
        done.concurrent.sort_by(|a, b| {
            (&a.round, &a.respondent, &a.question).cmp(&(&b.round, &b.respondent, &b.question))
        });
        if commit {
            tx.commit()?;
            done.organisation = organisation;
        } else if done.merged {
            done.organisation = organisation; // stored already: the same id after commit
        }
        Ok(done)
    }
}

fn model_of(conn: &Connection, models: &crate::ModelCache, round: i64) -> Result<Arc<Model>> {
    let ctx = crate::rounds::RoundCtx::of_round(conn, round)?;
    models.get(conn, ctx.model_version)
}

fn round_changes(conn: &Connection, round: i64) -> Result<RoundChanges> {
    Ok(conn.query_row(
        "SELECT r.title, r.date, m.model_id || '@' || m.version, r.status FROM rounds r
         JOIN model_versions m ON m.id = r.model_version_id WHERE r.id = ?1",
        [round],
        |r| {
            Ok(RoundChanges {
                title: r.get(0)?,
                date: r.get(1)?,
                model: r.get(2)?,
                status: r.get(3)?,
                ..Default::default()
            })
        },
    )?)
}

/// A stored round as a merge reads it: id, organisation, model version, status and its
/// stamp, target phase and its stamp.
type LocalRound = (
    i64,
    i64,
    i64,
    String,
    String,
    String,
    Option<u32>,
    String,
    String,
);

/// A stored respondent as a merge reads it: id, round, name, the details' stamp, the
/// other details joined, source key.
type LocalRespondent = (
    i64,
    i64,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);

/// Adds the round, or merges its registers into the stored one.
fn merge_round(
    tx: &Connection,
    round: &EngagementRound,
    uuid: &str,
    organisation: i64,
    place: &str,
    model_rows: &HashMap<String, (i64, Arc<Model>)>,
    now: &str,
) -> Result<(i64, Arc<Model>, RoundChanges)> {
    let title =
        clean_text(&round.title, "round title", MAX_NAME_CHARS).map_err(|e| invalid(place, e))?;
    let date = parse_date(&round.date, "round date", place)?;
    let status = match round.status.as_str() {
        "open" | "closed" => round.status.as_str(),
        other => {
            return Err(invalid(
                place,
                format!("the status `{other}` is neither open nor closed"),
            ));
        }
    };
    let (model_row, model) = model_rows.get(round.model.trim()).cloned().ok_or_else(|| {
        invalid(
            place,
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
            place,
            format!(
                "target phase {t} does not exist in model {} (phases 1 to {})",
                model.key(),
                model.phase_count()
            ),
        ));
    }
    let status_reg = register(&round.status_at, &round.status_by, place, "status")?;
    let target_reg = register(&round.target_at, &round.target_by, place, "target")?;
    let mut changes = RoundChanges {
        title: title.clone(),
        date: date.clone(),
        model: model.key(),
        status: status.to_string(),
        ..Default::default()
    };
    let local: Option<LocalRound> = tx
        .query_row(
            "SELECT id, organisation_id, model_version_id, status, status_at, status_by,
                    target_phase, target_at, target_by
             FROM rounds WHERE uuid = ?1",
            [uuid],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                ))
            },
        )
        .optional()?;
    let Some((id, org, model_version, l_status, s_at, s_by, l_target, t_at, t_by)) = local else {
        tx.execute(
            "INSERT INTO rounds (uuid, organisation_id, title, date, model_version_id, target_phase, status, created_at,
                                 status_at, status_by, target_at, target_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                uuid, organisation, title, date, model_row, round.target_phase, status, now,
                status_reg.0, status_reg.1, target_reg.0, target_reg.1
            ],
        )?;
        changes.added = true;
        return Ok((tx.last_insert_rowid(), model, changes));
    };
    if org != organisation {
        return Err(StoreError::Conflict(format!(
            "the engagement file cannot be imported: {place} belongs to another organisation here (nothing was imported)"
        )));
    }
    if model_version != model_row {
        return Err(StoreError::Conflict(format!(
            "the engagement file cannot be imported: {place} is pinned to model {} in the file but to another model version here (nothing was imported)",
            model.key()
        )));
    }
    changes.status = l_status.clone();
    if status_reg > (s_at, s_by) {
        tx.execute(
            "UPDATE rounds SET status = ?2, status_at = ?3, status_by = ?4 WHERE id = ?1",
            params![id, status, status_reg.0, status_reg.1],
        )?;
        changes.status_changed = l_status != status;
        changes.status = status.to_string();
    }
    if target_reg > (t_at, t_by) {
        tx.execute(
            "UPDATE rounds SET target_phase = ?2, target_at = ?3, target_by = ?4 WHERE id = ?1",
            params![id, round.target_phase, target_reg.0, target_reg.1],
        )?;
        changes.target_changed = l_target != round.target_phase;
    }
    Ok((id, model, changes))
}

/// Adds the respondent or merges their details, then merges every answer's versions.
/// Returns whether anything that scoring reads changed.
#[allow(clippy::too_many_arguments)]
fn merge_respondent(
    tx: &Connection,
    person: &EngagementRespondent,
    uuid: &str,
    round_id: i64,
    model: &Model,
    place: &str,
    now: &str,
    me: &str,
    names: &HashMap<String, String>,
    round_title: &str,
    changes: &mut RoundChanges,
    done: &mut ImportedEngagement,
) -> Result<bool> {
    let name = clean_text(&person.name, "respondent's name", MAX_NAME_CHARS)
        .map_err(|e| invalid(place, e))?;
    let group = model.role_group_index(&person.role_group).ok_or_else(|| {
        invalid(
            place,
            format!(
                "role group `{}` does not exist in model {}",
                person.role_group,
                model.key()
            ),
        )
    })?;
    let group = model.role_groups[group].id.clone();
    let department = match person.department.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(d) => {
            Some(clean_text(d, "department", MAX_NAME_CHARS).map_err(|e| invalid(place, e))?)
        }
    };
    let interview = person
        .interview_date
        .as_deref()
        .map(|d| parse_date(d, "interview date", place))
        .transpose()?;
    let source_key = person
        .source_key
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_string);
    let reg = register(&person.updated_at, &person.updated_by, place, "details")?;

    // Every version in the file, validated, by question.
    let mut incoming: BTreeMap<usize, Vec<Version>> = BTreeMap::new();
    let mut current_seen: HashSet<usize> = HashSet::new();
    for a in &person.answers {
        let (q, v) = file_version(a, model, place)?;
        if !current_seen.insert(q) {
            return Err(invalid(
                place,
                format!("question `{}` is answered twice", a.question),
            ));
        }
        incoming.entry(q).or_default().push(v);
    }
    for a in &person.history {
        let (q, v) = file_version(a, model, place)?;
        incoming.entry(q).or_default().push(v);
    }

    let local: Option<LocalRespondent> = tx
        .query_row(
            "SELECT id, round_id, name, updated_at, updated_by, role_group || '|' || coalesce(department, '') || '|' || coalesce(interview_date, ''), source_key
             FROM respondents WHERE uuid = ?1",
            [uuid],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
        )
        .optional()?;
    let mut scoring_changed = false;
    let is_new = local.is_none();
    let (respondent, local_versions) = match local {
        Some((id, round, l_name, at, by, rest, _)) => {
            if round != round_id {
                return Err(StoreError::Conflict(format!(
                    "the engagement file cannot be imported: {place} is in another round here (nothing was imported)"
                )));
            }
            if reg > (at, by) {
                let new_rest = format!(
                    "{group}|{}|{}",
                    department.as_deref().unwrap_or(""),
                    interview.as_deref().unwrap_or("")
                );
                tx.execute(
                    "UPDATE respondents SET name = ?2, role_group = ?3, department = ?4, interview_date = ?5,
                         updated_at = ?6, updated_by = ?7
                     WHERE id = ?1",
                    params![id, name, group, department, interview, reg.0, reg.1],
                )?;
                if l_name != name || rest.as_deref() != Some(new_rest.as_str()) {
                    changes.respondents_changed += 1;
                    scoring_changed = true;
                }
            }
            (id, versions::respondent_versions(tx, id)?)
        }
        None => {
            // The same survey submission imported on two laptops: one respondent,
            // the one with the smaller id, on every laptop.
            if let Some(key) = &source_key {
                let twin: Option<(i64, String)> = tx
                    .query_row(
                        "SELECT id, uuid FROM respondents WHERE round_id = ?1 AND source_key = ?2",
                        params![round_id, key],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?;
                if let Some((twin_id, twin_uuid)) = twin {
                    let org_uuid: String = tx.query_row(
                        "SELECT o.uuid FROM rounds r JOIN organisations o ON o.id = r.organisation_id WHERE r.id = ?1",
                        [round_id],
                        |r| r.get(0),
                    )?;
                    let loser = if twin_uuid.as_str() < uuid {
                        uuid.to_string()
                    } else {
                        twin_uuid.clone()
                    };
                    tx.execute(
                        "INSERT OR IGNORE INTO tombstones (uuid, kind, organisation_uuid, deleted_at, deleted_by)
                         VALUES (?1, 'respondent', ?2, ?3, ?4)",
                        params![loser, org_uuid, now, me],
                    )?;
                    done.warnings.push(format!(
                        "round “{round_title}”: `{name}` is the same survey submission ({key}) imported on two laptops; it is counted once"
                    ));
                    if loser == uuid {
                        return Ok(false);
                    }
                    tx.execute("DELETE FROM respondents WHERE id = ?1", [twin_id])?;
                    changes.respondents_deleted += 1;
                }
            }
            tx.prepare_cached(
                "INSERT INTO respondents (uuid, round_id, name, role_group, department, interview_date, created_at,
                                          source_key, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![
                uuid, round_id, name, group, department, interview, now, source_key, reg.0, reg.1
            ])?;
            changes.respondents_added += 1;
            scoring_changed = true;
            (tx.last_insert_rowid(), HashMap::new())
        }
    };

    for (q, file_versions) in incoming {
        let question = model.questions[q].id.as_str();
        let mut all: Vec<Version> = local_versions.get(question).cloned().unwrap_or_default();
        let known: HashSet<(String, String)> =
            all.iter().map(|v| (v.at.clone(), v.by.clone())).collect();
        let fresh: Vec<Version> = file_versions
            .into_iter()
            .filter(|v| !known.contains(&(v.at.clone(), v.by.clone())))
            .collect();
        if fresh.is_empty() {
            continue;
        }
        let before = versions::newest(&all).cloned();
        let fresh_stamps: HashSet<(String, String)> =
            fresh.iter().map(|v| (v.at.clone(), v.by.clone())).collect();
        all.extend(fresh);
        // One version per stamp (a file listing one twice).
        all.sort_by(|a, b| a.stamp().cmp(&b.stamp()));
        all.dedup_by(|a, b| a.stamp() == b.stamp());
        if is_new {
            versions::insert_versions(tx, respondent, question, &all)?;
        } else {
            versions::settle(tx, respondent, question, &all)?;
        }
        let after = versions::newest(&all).cloned().expect("not empty");
        match &before {
            Some(b) if b.same_content(&after) => {}
            Some(b) if b.value.is_none() && after.value.is_some() => {
                changes.answers_added += 1;
                scoring_changed = true;
            }
            Some(b) => {
                changes.answers_changed += 1;
                scoring_changed |= b.value != after.value;
            }
            None if after.value.is_some() => {
                changes.answers_added += 1;
                scoring_changed = true;
            }
            None if !after.is_empty() => changes.answers_changed += 1,
            None => {}
        }
        // Concurrent edits this file reveals: a group of siblings with a new member.
        let line = versions::lineage(&all, &after);
        for group in versions::concurrent_groups(&all) {
            if !group
                .iter()
                .any(|v| fresh_stamps.contains(&(v.at.clone(), v.by.clone())))
            {
                continue;
            }
            let replaced: Vec<EditSide> = group
                .iter()
                .filter(|v| !line.contains(&v.stamp()))
                .map(|v| side(v, names))
                .collect();
            if replaced.is_empty() {
                continue;
            }
            done.concurrent.push(ConcurrentEdit {
                round: round_title.trim().to_string(),
                respondent: name.clone(),
                respondent_uuid: uuid.to_string(),
                question: question.to_string(),
                kept: side(&after, names),
                replaced,
            });
        }
    }
    Ok(scoring_changed)
}

/// The file's plan: items added or, by their stamp, changed; items a tombstone names
/// deleted.
fn merge_plan(
    tx: &Connection,
    plan: &[crate::engagement::EngagementPlanItem],
    organisation: i64,
    dead: &HashSet<String>,
    now: &str,
    done: &mut ImportedEngagement,
) -> Result<()> {
    use cxm_domain::plan::{Due, Effort, PlanStatus};
    for (i, p) in plan.iter().enumerate() {
        let place = format!("plan item {} “{}”", i + 1, p.title.trim());
        let uuid = uuid_of(&Some(p.uuid.clone()), &place, "plan item")?;
        if dead.contains(&uuid) {
            continue;
        }
        let title =
            clean_text(&p.title, "plan item's title", 500).map_err(|e| invalid(&place, e))?;
        let id_like = |t: &str| !t.is_empty() && t.len() <= 64 && !t.chars().any(char::is_control);
        let block = p.block.trim().to_string();
        if !id_like(&block) {
            return Err(invalid(&place, "it names no block"));
        }
        let question = p
            .question
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(str::to_string);
        if question.as_deref().is_some_and(|q| !id_like(q)) {
            return Err(invalid(&place, "its question id is not one"));
        }
        let status: PlanStatus = p.status.parse().map_err(|e: String| invalid(&place, e))?;
        let effort = p
            .effort
            .as_deref()
            .map(str::parse::<Effort>)
            .transpose()
            .map_err(|e| invalid(&place, e))?;
        let due = p
            .due
            .as_deref()
            .map(str::parse::<Due>)
            .transpose()
            .map_err(|e| invalid(&place, e))?;
        let owner = match p.owner.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(o) => {
                Some(clean_text(o, "owner", MAX_NAME_CHARS).map_err(|e| invalid(&place, e))?)
            }
        };
        let notes = match p.notes.as_deref().filter(|n| !n.trim().is_empty()) {
            None => None,
            Some(n) => Some(clean_note(n, "plan item's notes").map_err(|e| invalid(&place, e))?),
        };
        let reg = register(&p.updated_at, &p.updated_by, &place, "item")?;
        let values = params![
            title,
            block,
            question,
            owner,
            due.map(|d| d.to_string()),
            effort.map(|e| e.as_str()),
            status.as_str(),
            notes,
            reg.0,
            reg.1
        ];
        let local: Option<(i64, i64, String, String)> = tx
            .query_row(
                "SELECT id, organisation_id, updated_at, updated_by FROM plan_items WHERE uuid = ?1",
                [&uuid],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        match local {
            None => {
                tx.prepare_cached(
                    "INSERT INTO plan_items (title, block, question, owner, due, effort, status, notes,
                                             updated_at, updated_by, uuid, organisation_id, planned_from, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                )?
                .execute(rusqlite::params_from_iter(
                    values
                        .iter()
                        .copied()
                        .chain([
                            &uuid as &dyn rusqlite::ToSql,
                            &organisation,
                            &p.planned_from,
                            &now,
                        ]),
                ))?;
                done.plan_added += 1;
            }
            Some((_, org, ..)) if org != organisation => {
                return Err(StoreError::Conflict(format!(
                    "the engagement file cannot be imported: {place} belongs to another organisation here (nothing was imported)"
                )));
            }
            Some((id, _, at, by)) => {
                if reg > (at, by) {
                    tx.prepare_cached(
                        "UPDATE plan_items SET title = ?1, block = ?2, question = ?3, owner = ?4, due = ?5,
                             effort = ?6, status = ?7, notes = ?8, updated_at = ?9, updated_by = ?10
                         WHERE id = ?11",
                    )?
                    .execute(rusqlite::params_from_iter(
                        values.iter().copied().chain([&id as &dyn rusqlite::ToSql]),
                    ))?;
                    done.plan_changed += 1;
                }
            }
        }
    }
    done.plan_deleted += tx.execute(
        "DELETE FROM plan_items WHERE organisation_id = ?1
         AND uuid IN (SELECT uuid FROM tombstones WHERE kind = 'plan_item')",
        [organisation],
    )? as u32;
    Ok(())
}
