//! The team folder (issue 14): several installations of the app work on the same
//! organisations through a folder the firm already keeps in sync (OneDrive,
//! SharePoint, Dropbox, Syncthing, a network share). The live database is never
//! shared: each installation writes its own engagement file per organisation it shares
//! (`<organisation id>.<installation id>.cxmx`, written atomically, replaced only when
//! its data changed), and reads everybody else's, merging each in one transaction
//! (`cxm_store::merge`). No two installations write the same file, so the sync service
//! never makes conflict copies; a file that cannot be read is skipped with a warning
//! and changes nothing.
//!
//! One pass ([`Api::sync_folder`]) reads first, then writes, so the files written
//! carry what came in. The app runs a pass at start, every few minutes while open, and
//! on *Sync now*; `cxm sync DIR [--org ID]` runs one.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use cxm_store::engagement::{ENGAGEMENT_FORMAT, read_engagement};
use cxm_store::merge::RoundChanges;

use crate::data::{MAX_ENGAGEMENT_BYTES, display_name, read_limited};
use crate::engagement::{ENGAGEMENT_EXTENSION, concurrent_edit};
use crate::wire::{
    AnswerVersion, ApiError, DataSource, ErrorCode, SharedOrganisation, SyncReceived, SyncReport,
    SyncSkipped, TeamFolder,
};
use crate::{Api, ApiResult};

/// The setting holding the team folder's path.
pub const SETTING_TEAM_FOLDER: &str = "team.folder";

/// How often the app runs a pass while it is open.
pub const SYNC_EVERY_SECONDS: u32 = 180;

/// The last pass, kept for Settings.
#[derive(Default)]
pub(crate) struct TeamState {
    last: Mutex<Option<SyncReport>>,
    /// One pass at a time.
    running: Mutex<()>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The name of the file this installation writes for an organisation.
pub fn team_file_name(organisation_uuid: &str, installation: &str) -> String {
    format!("{organisation_uuid}.{installation}.{ENGAGEMENT_EXTENSION}")
}

/// The `payload_sha256` of an engagement file already written, if it reads as one.
fn written_checksum(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    if v.get("format")?.as_str()? != ENGAGEMENT_FORMAT {
        return None;
    }
    Some(v.get("payload_sha256")?.as_str()?.to_ascii_lowercase())
}

impl Api {
    /// `team_folder`: the team folder, this installation's name, what is shared, the
    /// last pass.
    pub fn team_folder(&self) -> ApiResult<TeamFolder> {
        let store = self.store()?;
        let me = store.installation()?;
        let shares = store.team_shares()?;
        let mut shared = Vec::new();
        for id in shares {
            shared.push(SharedOrganisation {
                id,
                name: store.organisation(id)?.name,
            });
        }
        Ok(TeamFolder {
            folder: store.setting(SETTING_TEAM_FOLDER)?,
            installation_name: me.name,
            installation_id: me.id,
            shared,
            last_sync: lock(&self.team.last).clone(),
            sync_every_seconds: SYNC_EVERY_SECONDS,
        })
    }

    /// `choose_team_folder`: the folder dialog, then the chosen folder becomes the team
    /// folder; `null` when the user cancelled.
    pub fn choose_team_folder(&self) -> ApiResult<Option<TeamFolder>> {
        let Some(path) = self.host.folder_dialog("Choose the team folder")? else {
            return Ok(None);
        };
        self.set_team_folder(Some(path.display().to_string()))
            .map(Some)
    }

    /// `set_team_folder`: sets (an existing folder) or forgets (`null`) the team folder.
    /// Forgetting it deletes nothing in it.
    pub fn set_team_folder(&self, folder: Option<String>) -> ApiResult<TeamFolder> {
        match folder.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
            None => {
                let mut store = self.store()?;
                store.delete_setting(SETTING_TEAM_FOLDER)?;
            }
            Some(f) => {
                let path = PathBuf::from(f);
                if !path.is_absolute() || !path.is_dir() {
                    return Err(ApiError::invalid(format!(
                        "the team folder `{f}` is not a folder on this computer"
                    )));
                }
                self.store()?
                    .set_setting(SETTING_TEAM_FOLDER, &path.display().to_string())?;
            }
        }
        tracing::info!("team folder set");
        self.team_folder()
    }

    /// `set_installation_name`: this installation's name, as the others see it.
    pub fn set_installation_name(&self, name: &str) -> ApiResult<TeamFolder> {
        self.store()?.set_installation_name(name)?;
        self.team_folder()
    }

    /// `share_organisation`: shares (or stops sharing) an organisation in the team
    /// folder. Stopping leaves the file written so far where it is.
    pub fn share_organisation(&self, organisation: i64, shared: bool) -> ApiResult<TeamFolder> {
        self.store()?.set_team_share(organisation, shared)?;
        self.team_folder()
    }

    /// `sync_now`: one pass over the team folder set in Settings.
    pub fn sync_now(&self) -> ApiResult<SyncReport> {
        let folder = self.store()?.setting(SETTING_TEAM_FOLDER)?.ok_or_else(|| {
            ApiError::invalid("no team folder is set: choose one in Settings → Team folder")
        })?;
        self.sync_folder(Path::new(&folder), None)
    }

    /// One pass over `folder`: merges every other installation's file (each in one
    /// transaction; one that cannot be read is skipped and changes nothing), shares the
    /// organisations that came in, then writes this installation's file for each shared
    /// organisation whose data changed. `only` limits both to one organisation (which
    /// is then written whether shared or not: `cxm sync DIR --org ID`).
    pub fn sync_folder(&self, folder: &Path, only: Option<i64>) -> ApiResult<SyncReport> {
        let _one = lock(&self.team.running);
        if !folder.is_dir() {
            return Err(ApiError::new(
                ErrorCode::NotFound,
                format!(
                    "the team folder {} cannot be found (is the drive connected and the sync service running?)",
                    folder.display()
                ),
            ));
        }
        let (me, only_uuid) = {
            let store = self.store()?;
            let only_uuid = only.map(|o| store.organisation_uuid(o)).transpose()?;
            (store.installation()?.id, only_uuid)
        };
        let mut report = SyncReport {
            at: self
                .host
                .now()
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            folder: folder.display().to_string(),
            files_read: 0,
            files_written: 0,
            received: Vec::new(),
            concurrent: Vec::new(),
            skipped: Vec::new(),
            warnings: Vec::new(),
        };
        let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
            .map_err(|e| {
                ApiError::new(
                    ErrorCode::Io,
                    format!("the team folder {} cannot be read: {e}", folder.display()),
                )
            })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.is_file()
                    && p.extension().and_then(|e| e.to_str()) == Some(ENGAGEMENT_EXTENSION)
                    && !p
                        .file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.ends_with(&format!(".{me}.{ENGAGEMENT_EXTENSION}")))
            })
            .collect();
        files.sort();
        let mut seen_edits: HashSet<(String, String, String)> = HashSet::new();
        for path in files {
            let name = display_name(&path);
            let bytes = match read_limited(&path, MAX_ENGAGEMENT_BYTES, "an engagement file") {
                Ok(b) => b,
                Err(e) => {
                    report.skipped.push(SyncSkipped {
                        file_name: name,
                        reason: e.message,
                    });
                    continue;
                }
            };
            // Read once. Only files that merge: a format-1 file would be imported as a
            // copy on every pass. Another organisation than the one asked for: not read.
            let file = match read_engagement(&bytes) {
                Ok(f) => f,
                Err(e) => {
                    report.files_read += 1; // read, and found damaged or foreign
                    let e = ApiError::from(e);
                    tracing::warn!(code = ?e.code, "team file skipped");
                    report.skipped.push(SyncSkipped {
                        file_name: name,
                        reason: e.message,
                    });
                    continue;
                }
            };
            if file.format_version < 2 {
                report.skipped.push(SyncSkipped {
                    file_name: name,
                    reason: "written by an older version of CX Maturity (engagement format 1), which cannot be merged; import it once with Import engagement…, and ask its author to update".into(),
                });
                continue;
            }
            if only_uuid
                .as_ref()
                .is_some_and(|u| file.payload.organisation.uuid.as_deref() != Some(u.as_str()))
            {
                continue;
            }
            report.files_read += 1;
            let done = match self.store()?.import_engagement_file(&file) {
                Ok(d) => d,
                Err(e) => {
                    let e = ApiError::from(e);
                    tracing::warn!(code = ?e.code, "team file skipped");
                    report.skipped.push(SyncSkipped {
                        file_name: name,
                        reason: e.message,
                    });
                    continue;
                }
            };
            if !done.merged {
                self.store()?.set_team_share(done.organisation, true)?;
            }
            for c in &done.concurrent {
                if seen_edits.insert((
                    c.respondent_uuid.clone(),
                    c.question.clone(),
                    c.kept.at.clone(),
                )) {
                    report.concurrent.push(concurrent_edit(c));
                }
            }
            report.warnings.extend(done.warnings.iter().cloned());
            if done.changed {
                let count =
                    |f: fn(&RoundChanges) -> u32| done.round_changes.iter().map(f).sum::<u32>();
                report.received.push(SyncReceived {
                    file_name: name,
                    from: done
                        .from_name
                        .clone()
                        .unwrap_or_else(|| "an unknown installation".into()),
                    organisation_id: done.organisation,
                    organisation: done.name.clone(),
                    new_organisation: !done.merged,
                    rounds_added: done.rounds,
                    rounds_deleted: count(|c| u32::from(c.deleted)),
                    respondents_added: done.respondents,
                    respondents_changed: count(|c| c.respondents_changed),
                    respondents_deleted: count(|c| c.respondents_deleted),
                    answers_added: done.answers,
                    answers_changed: count(|c| c.answers_changed),
                });
            }
        }
        report.warnings.sort();
        report.warnings.dedup();

        // This installation's files.
        let shared: Vec<i64> = match only {
            Some(o) => vec![o],
            None => self.store()?.team_shares()?,
        };
        for org in shared {
            let store = self.store()?;
            let uuid = store.organisation_uuid(org)?;
            let target = folder.join(team_file_name(&uuid, &me));
            let Some(text) =
                store.export_engagement_unless(org, written_checksum(&target).as_deref())?
            else {
                continue; // nothing changed since this installation's file was written
            };
            store.write_file(&target, text.as_bytes())?;
            report.files_written += 1;
        }
        tracing::info!(
            read = report.files_read,
            written = report.files_written,
            skipped = report.skipped.len(),
            concurrent = report.concurrent.len(),
            "team folder synchronised"
        );
        *lock(&self.team.last) = Some(report.clone());
        Ok(report)
    }

    /// `organisation_sources`: the installations an organisation's data came from, this
    /// one first, with the last file of each merged here.
    pub fn organisation_sources(&self, organisation: i64) -> ApiResult<Vec<DataSource>> {
        Ok(self
            .store()?
            .organisation_sources(organisation)?
            .into_iter()
            .map(|s| DataSource {
                name: s.installation.name,
                this: s.installation.this,
                respondents: s.respondents,
                answers: s.answers,
                file_written_at: s.file_written_at,
                merged_at: s.merged_at,
            })
            .collect())
    }

    /// `answer_history`: every version of a respondent's answer to one question, newest
    /// first: who changed it, when, and which were concurrent edits.
    pub fn answer_history(
        &self,
        respondent: i64,
        question_id: &str,
    ) -> ApiResult<Vec<AnswerVersion>> {
        Ok(self
            .store()?
            .answer_history(respondent, question_id)?
            .into_iter()
            .map(|v| AnswerVersion {
                at: v.at,
                by: v.by_name,
                this: v.by_this,
                answer: v.answer.map(|a| a.to_string()),
                note: v.note,
                current: v.current,
                concurrent: v.concurrent,
            })
            .collect())
    }
}
