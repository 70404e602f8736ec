//! Identity that survives a copy (issue 14): this installation's id and name, the
//! UUIDs of organisations, rounds and respondents, and the stamps of last-writer-wins
//! registers.
//!
//! A change is stamped `(at, by)`: `at` is RFC 3339 UTC with milliseconds (one fixed
//! format, so stamps compare as text), `by` the installation's id. The most recent
//! stamp wins, the installation id breaking ties, so every laptop picks the same
//! winner. A new stamp is always later than the one it replaces (one millisecond
//! after it when this laptop's clock is behind), so a change made after seeing
//! another laptop's change wins over it whatever the clocks say.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::{MAX_NAME_CHARS, Result, Store, StoreError, clean_text};

/// An installation of the app (a laptop): its id and the name its user gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Installation {
    /// A UUID made when its database was created (or migrated to schema 3).
    pub id: String,
    /// "Anna's laptop": set in Settings, travels in engagement files.
    pub name: String,
    /// This installation.
    pub this: bool,
}

/// Where an organisation's data came from ([`Store::organisation_sources`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrganisationSource {
    /// The installation.
    pub installation: Installation,
    /// Respondents whose details it last changed (or created).
    pub respondents: u32,
    /// Current answers and notes it last changed.
    pub answers: u32,
    /// `exported_at` of its engagement file last merged here; `None` for this
    /// installation and for one whose data came through another's file.
    pub file_written_at: Option<String>,
    /// When that file was merged here.
    pub merged_at: Option<String>,
}

/// A new random (version 4) UUID, lowercase with hyphens.
pub fn new_uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// `text` as a stamp's time (RFC 3339 UTC, milliseconds), `None` when it is not an
/// RFC 3339 time.
pub fn normal_stamp(text: &str) -> Option<String> {
    DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(|t| format_stamp(t.with_timezone(&Utc)))
}

pub(crate) fn format_stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Whether `text` can be an installation id (a UUID, or any short id of letters,
/// digits and hyphens; `''` for a row's creation).
pub(crate) fn valid_installation_id(text: &str) -> bool {
    text.len() <= 64
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The name a new installation starts with: the computer's host name.
fn default_name() -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty() && h.chars().count() <= 60);
    match host {
        Some(h) => h,
        None => "This computer".to_string(),
    }
}

/// A stamp's time for a change replacing the version stamped `previous`: now, or one
/// millisecond after `previous` when this clock is behind it.
pub(crate) fn stamp_after(clock: &crate::Clock, previous: Option<&str>) -> String {
    let now = clock();
    let after = previous
        .filter(|p| !p.is_empty())
        .and_then(|p| DateTime::parse_from_rfc3339(p).ok())
        .map(|p| p.with_timezone(&Utc) + Duration::milliseconds(1));
    format_stamp(match after {
        Some(a) if a > now => a,
        _ => now,
    })
}

/// This installation's id (the row `this = 1`).
pub(crate) fn this_installation(conn: &Connection) -> Result<(String, String)> {
    conn.query_row(
        "SELECT id, name FROM installations WHERE this = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?
    .ok_or_else(|| StoreError::Corrupt("the database has no installation id".into()))
}

/// Records another installation's name when the stamp is newer (or it is new here).
pub(crate) fn learn_installation(conn: &Connection, id: &str, name: &str, at: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO installations (id, name, name_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_at = excluded.name_at
         WHERE this = 0 AND excluded.name_at > name_at AND excluded.name IS NOT name",
    )?
    .execute(params![id, name, at])?;
    Ok(())
}

impl Store {
    /// Reads this installation's id; names it after the computer the first time.
    pub(crate) fn load_installation(&mut self) -> Result<()> {
        let (id, name) = this_installation(&self.conn)?;
        if name.is_empty() && self.read_only.is_none() {
            let at = self.now();
            self.conn.execute(
                "UPDATE installations SET name = ?1, name_at = ?2 WHERE this = 1",
                params![default_name(), at],
            )?;
        }
        self.installation = id;
        Ok(())
    }

    /// This installation: its id and name.
    pub fn installation(&self) -> Result<Installation> {
        let (id, name) = this_installation(&self.conn)?;
        Ok(Installation {
            id,
            name,
            this: true,
        })
    }

    /// Renames this installation ("Anna's laptop"); the name travels in the engagement
    /// files it writes from now on.
    pub fn set_installation_name(&mut self, name: &str) -> Result<()> {
        let name = clean_text(name, "installation name", MAX_NAME_CHARS)?;
        let at = self.now();
        self.conn.execute(
            "UPDATE installations SET name = ?1, name_at = ?2 WHERE this = 1",
            params![name, at],
        )?;
        Ok(())
    }

    /// An organisation's UUID.
    pub fn organisation_uuid(&self, id: i64) -> Result<String> {
        self.conn
            .query_row("SELECT uuid FROM organisations WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| StoreError::not_found("organisation", id))
    }

    /// The organisation with this UUID, if stored here.
    pub fn organisation_by_uuid(&self, uuid: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM organisations WHERE uuid = ?1",
                [uuid.trim().to_ascii_lowercase()],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Where an organisation's data came from: every installation that created or
    /// last changed one of its respondents or current answers, this one first, then by
    /// name; with the last file of each merged here.
    pub fn organisation_sources(&self, organisation: i64) -> Result<Vec<OrganisationSource>> {
        self.organisation_exists(organisation)?;
        let tx = crate::read_snapshot(&self.conn)?;
        let mut stmt = tx.prepare(
            "WITH people AS (
                 SELECT p.id, p.updated_by FROM respondents p JOIN rounds r ON r.id = p.round_id
                 WHERE r.organisation_id = ?1),
             who AS (
                 SELECT updated_by AS by, 1 AS respondents, 0 AS answers FROM people
                 UNION ALL
                 SELECT a.updated_by, 0, 1 FROM answers a JOIN people p ON p.id = a.respondent_id
                 UNION ALL
                 SELECT installation_id, 0, 0 FROM exchanges WHERE organisation_id = ?1
                 UNION ALL
                 SELECT id, 0, 0 FROM installations WHERE this = 1)
             SELECT i.id, i.name, i.this, sum(w.respondents), sum(w.answers),
                    x.file_written_at, x.merged_at
             FROM who w JOIN installations i ON i.id = w.by
             LEFT JOIN exchanges x ON x.organisation_id = ?1 AND x.installation_id = i.id
             GROUP BY i.id
             ORDER BY i.this DESC, i.name, i.id",
        )?;
        let rows = stmt.query_map([organisation], |r| {
            Ok(OrganisationSource {
                installation: Installation {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    this: r.get::<_, i64>(2)? == 1,
                },
                respondents: r.get(3)?,
                answers: r.get(4)?,
                file_written_at: r.get(5)?,
                merged_at: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The organisations shared in the team folder, by id.
    pub fn team_shares(&self) -> Result<Vec<i64>> {
        let mut stmt = self
            .conn
            .prepare("SELECT organisation_id FROM team_shares ORDER BY organisation_id")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Shares (or stops sharing) an organisation in the team folder.
    pub fn set_team_share(&mut self, organisation: i64, shared: bool) -> Result<()> {
        self.organisation_exists(organisation)?;
        if shared {
            self.conn.execute(
                "INSERT OR IGNORE INTO team_shares (organisation_id) VALUES (?1)",
                [organisation],
            )?;
        } else {
            self.conn.execute(
                "DELETE FROM team_shares WHERE organisation_id = ?1",
                [organisation],
            )?;
        }
        Ok(())
    }
}
