//! Import and export commands (issue 6): a round's answers and actions as files, the
//! responses CSV preview and import, and portable engagement files. Each file goes
//! through the save or open dialog (or the `CXM_SAVE_PATH` / `CXM_OPEN_PATH` seams);
//! every write is a temporary file and a rename.

use std::path::{Path, PathBuf};

use cxm_domain::responses_csv::{self, CsvError, ParsedResponses};
use cxm_domain::survey_csv::{self, Flavour};
pub(crate) use cxm_store::engagement::MAX_ENGAGEMENT_BYTES;

use crate::wire::{
    ErrorCode, ExportOutcome, ImportEngagementOutcome, ImportIssue, ImportResponsesOutcome,
    PreviewBlock, PreviewRespondent, ResponsesPreview, ResponsesSource, RoundExportFormat,
};
use crate::{Api, ApiError, ApiResult, DialogSpec, file_name};

/// The largest responses file read (a 500-respondent survey of 60 questions is ~80 KB).
pub const MAX_RESPONSES_BYTES: u64 = 32 * 1024 * 1024;

const CSV_SAVE: DialogSpec = DialogSpec {
    title: "Export to a CSV file",
    filter: "CSV",
    extensions: &["csv"],
};
const JSON_SAVE: DialogSpec = DialogSpec {
    title: "Export the answers as JSON",
    filter: "JSON",
    extensions: &["json"],
};
const RESPONSES_OPEN: DialogSpec = DialogSpec {
    title: "Import responses (CSV, or an ODK Central or KoboToolbox export)",
    filter: "CSV",
    extensions: &["csv", "txt"],
};
const ENGAGEMENT_SAVE: DialogSpec = DialogSpec {
    title: "Export the engagement",
    filter: "CX Maturity engagement",
    extensions: &[crate::engagement::ENGAGEMENT_EXTENSION],
};
/// Engagement files: `.cxmx`, and `.json` as earlier versions named them.
pub(crate) const ENGAGEMENT_OPEN: DialogSpec = DialogSpec {
    title: "Import an engagement file",
    filter: "CX Maturity engagement",
    extensions: &[crate::engagement::ENGAGEMENT_EXTENSION, "json"],
};

/// A previewed responses file, kept until it is imported or discarded.
pub(crate) struct Pending {
    token: u32,
    round: i64,
    path: PathBuf,
    bytes: Vec<u8>,
    parsed: ParsedResponses,
    /// A survey export's instance ids, one per row: imported by key, skipping the rows
    /// seen before.
    keys: Option<Vec<String>>,
}

impl Api {
    /// The path to write: `CXM_SAVE_PATH`, else the save dialog (`None`: cancelled).
    /// A path that is the database in use or one of its side files is refused at once
    /// (`output_is_database`), before any work is done.
    pub(crate) fn save_path(
        &self,
        spec: &DialogSpec,
        suggested: &str,
    ) -> ApiResult<Option<PathBuf>> {
        let chosen = match &self.seams.save_path {
            Some(p) => Some(p.clone()),
            None => self.host.save_dialog(spec, &file_name(suggested))?,
        };
        if let (Some(path), Some(db)) = (&chosen, &self.db_path) {
            cxm_store::files::refuse_database(path, db)?;
        }
        Ok(chosen)
    }

    /// Writes an export where the user chose: never over the database or its side
    /// files, through an exclusive temporary file that is synced and renamed, private to
    /// the user ([`cxm_store::files::write_atomically`]).
    pub(crate) fn write_export(&self, path: &Path, bytes: &[u8]) -> ApiResult<()> {
        Ok(cxm_store::files::write_atomically(
            path,
            bytes,
            self.db_path.as_deref(),
        )?)
    }

    /// The path to read: `CXM_OPEN_PATH`, else the open dialog (`None`: cancelled).
    pub(crate) fn open_path(&self, spec: &DialogSpec) -> ApiResult<Option<PathBuf>> {
        match &self.seams.open_path {
            Some(p) => Ok(Some(p.clone())),
            None => self.host.open_dialog(spec),
        }
    }

    /// `export_round`: the round's answers (CSV or JSON) or next-phase actions (CSV),
    /// written where the user chooses. Cancelling writes nothing (`path: null`).
    pub fn export_round(&self, round: i64, format: RoundExportFormat) -> ApiResult<ExportOutcome> {
        let export = self.round_export(round, format)?;
        let spec = match format {
            RoundExportFormat::AnswersJson => JSON_SAVE,
            RoundExportFormat::AnswersCsv | RoundExportFormat::ActionsCsv => CSV_SAVE,
        };
        let Some(path) = self.save_path(&spec, &export.suggested_name)? else {
            return Ok(ExportOutcome {
                path: None,
                opened: false,
            });
        };
        self.write_export(&path, export.text.as_bytes())?;
        Ok(ExportOutcome {
            path: Some(path.display().to_string()),
            opened: false,
        })
    }

    /// `preview_responses`: asks for a responses CSV and checks it against the round
    /// (every check of the import: cells, columns, roles, names, a respondent already in
    /// the round, a closed round) without writing anything. `None`: cancelled.
    pub fn preview_responses(&self, round: i64) -> ApiResult<Option<ResponsesPreview>> {
        let Some(path) = self.open_path(&RESPONSES_OPEN)? else {
            return Ok(None);
        };
        let bytes = read_limited(&path, MAX_RESPONSES_BYTES, "a responses file")?;
        let name = display_name(&path);
        let store = self.store()?;
        let info = store.round(round)?;
        let model = store.model_for_round(round)?;
        let mut preview = ResponsesPreview {
            token: None,
            file_name: name,
            source: ResponsesSource::Csv,
            already_imported: 0,
            left_out: Vec::new(),
            ignored_columns: Vec::new(),
            round,
            respondents: Vec::new(),
            blocks: Vec::new(),
            answers: 0,
            issues: Vec::new(),
            more_issues: false,
        };
        let closed = info.status == cxm_store::RoundStatus::Closed;
        let flavour = survey_csv::detect(&bytes);
        // A zipped download (ODK Central's "CSV (zip)") goes to the survey reader,
        // which says to unzip it.
        let zipped = bytes.starts_with(b"PK\x03\x04");
        preview.source = match flavour {
            None => ResponsesSource::Csv,
            Some(Flavour::OdkCentral) => ResponsesSource::OdkCentral,
            Some(Flavour::KoboToolbox) => ResponsesSource::Kobotoolbox,
        };
        let parsed: Result<(ParsedResponses, Option<Vec<String>>), CsvError> = match flavour {
            None if !zipped => responses_csv::parse(&model, &bytes).map(|p| (p, None)),
            _ => survey_csv::parse(&model, &bytes).map(|s| {
                preview.left_out = s
                    .left_out
                    .iter()
                    .map(|l| ImportIssue {
                        line: Some(l.line as u32),
                        column: None,
                        column_name: None,
                        message: format!("not imported: {}", l.reason),
                    })
                    .collect();
                preview.ignored_columns = s.ignored_columns;
                (s.responses, Some(s.keys))
            }),
        };
        let parsed = match parsed {
            Ok(parsed) => Some(parsed),
            Err(e) => {
                preview.more_issues = e.truncated;
                preview.issues = e
                    .issues
                    .into_iter()
                    .map(|i| ImportIssue {
                        line: Some(i.line as u32),
                        column: i.column.as_ref().map(|c| c.0 as u32),
                        column_name: i.column.map(|c| c.1).filter(|n| !n.is_empty()),
                        message: i.message,
                    })
                    .collect();
                None
            }
        };
        if let Some((parsed, keys)) = &parsed {
            let name_column = match flavour {
                None => "respondent",
                Some(_) => survey_csv::CODE_FIELD,
            };
            let column = responses_csv::header_column(&bytes, name_column).map(|c| c as u32);
            // The rows the import would add: for a survey export, those not seen before.
            let mut new_row = vec![true; parsed.rows.len()];
            match keys {
                None => {
                    let check = store.check_responses(round, parsed)?;
                    for (line, who) in &check.existing {
                        preview.issues.push(ImportIssue {
                            line: Some(*line as u32),
                            column,
                            column_name: column.map(|_| "respondent".to_string()),
                            message: format!(
                                "respondent `{who}` is already in this round (remove the row, or rename the respondent)"
                            ),
                        });
                    }
                }
                Some(keys) => {
                    let check = store.check_keyed(round, parsed, keys)?;
                    for (line, who) in &check.existing_names {
                        preview.issues.push(ImportIssue {
                            line: Some(*line as u32),
                            column,
                            column_name: column.map(|_| name_column.to_string()),
                            message: format!(
                                "respondent `{who}` is already in this round (give this submission another respondent code)"
                            ),
                        });
                    }
                    preview.already_imported = check.already.len() as u32;
                    let already: std::collections::HashSet<u64> =
                        check.already.iter().map(|(line, _)| *line).collect();
                    for (i, row) in parsed.rows.iter().enumerate() {
                        new_row[i] = !already.contains(&row.line);
                    }
                }
            }
            let rows: Vec<&responses_csv::ParsedRow> = parsed
                .rows
                .iter()
                .zip(&new_row)
                .filter_map(|(row, new)| new.then_some(row))
                .collect();
            for row in &rows {
                preview.respondents.push(PreviewRespondent {
                    line: row.line as u32,
                    name: row.respondent.clone(),
                    role_group: model.role_groups[row.role_group].id.clone(),
                    role_name: model.role_groups[row.role_group].name.clone(),
                    department: row.department.clone(),
                    answers: row.answers.len() as u32,
                });
            }
            preview.answers = rows.iter().map(|r| r.answers.len() as u32).sum();
            preview.blocks = model
                .blocks
                .iter()
                .enumerate()
                .map(|(b, block)| {
                    let in_block = |q: usize| model.questions[q].block == b;
                    PreviewBlock {
                        id: block.id.clone(),
                        name: block.name.clone(),
                        questions: (0..model.questions.len()).filter(|&q| in_block(q)).count()
                            as u32,
                        columns: parsed.columns.iter().filter(|&&q| in_block(q)).count() as u32,
                        answers: rows
                            .iter()
                            .flat_map(|r| &r.answers)
                            .filter(|(q, _)| in_block(*q))
                            .count() as u32,
                    }
                })
                .collect();
        }
        if closed {
            preview.issues.insert(
                0,
                ImportIssue {
                    line: None,
                    column: None,
                    column_name: None,
                    message: format!(
                        "round {round} is closed: its answers are read-only; reopen it to import"
                    ),
                },
            );
        }
        drop(store);
        let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        *pending = None;
        if preview.issues.is_empty()
            && let Some((parsed, keys)) = parsed
        {
            let token = next_token();
            preview.token = Some(token);
            *pending = Some(Pending {
                token,
                round,
                path,
                bytes,
                parsed,
                keys,
            });
        }
        Ok(Some(preview))
    }

    /// `import_responses`: imports the previewed file, all or nothing. Refused when the
    /// preview is no longer current (`stale_preview`), when the file changed since the
    /// preview (`file_changed`), or when the round changed so that the import's checks
    /// fail (`round_closed`, `conflict`); nothing is written then.
    pub fn import_responses(&self, token: u32) -> ApiResult<ImportResponsesOutcome> {
        let pending = {
            let mut slot = self.pending.lock().unwrap_or_else(|p| p.into_inner());
            match slot.take() {
                Some(p) if p.token == token => p,
                other => {
                    *slot = other;
                    return Err(ApiError::new(
                        ErrorCode::StalePreview,
                        "this preview is no longer current: choose the file again",
                    ));
                }
            }
        };
        let now = read_limited(&pending.path, MAX_RESPONSES_BYTES, "a responses file")?;
        if now != pending.bytes {
            return Err(ApiError::new(
                ErrorCode::FileChanged,
                format!(
                    "{} changed since the preview; nothing was imported. Preview it again.",
                    display_name(&pending.path)
                ),
            ));
        }
        let mut store = self.store()?;
        let out = match &pending.keys {
            None => {
                let done = store.import_responses(pending.round, &pending.parsed)?;
                ImportResponsesOutcome {
                    respondents: done.respondents,
                    answers: done.answers,
                    already_imported: 0,
                }
            }
            Some(keys) => {
                let done = store.import_keyed(pending.round, &pending.parsed, keys)?;
                ImportResponsesOutcome {
                    respondents: done.respondents,
                    answers: done.answers,
                    already_imported: done.already.len() as u32,
                }
            }
        };
        tracing::info!(
            round = pending.round,
            respondents = out.respondents,
            answers = out.answers,
            already_imported = out.already_imported,
            "responses imported"
        );
        Ok(out)
    }

    /// `discard_responses`: forgets the previewed file (Cancel). Unknown tokens are ignored.
    pub fn discard_responses(&self, token: u32) {
        let mut slot = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        if slot.as_ref().is_some_and(|p| p.token == token) {
            *slot = None;
        }
    }

    /// `export_engagement`: the organisation as one engagement file
    /// (`docs/engagement-format.md`), written where the user chooses.
    pub fn export_engagement(&self, organisation: i64) -> ApiResult<ExportOutcome> {
        let (text, name) = {
            let store = self.store()?;
            let text = store.export_engagement(organisation)?;
            (text, store.organisation(organisation)?.name)
        };
        let Some(path) = self.save_path(
            &ENGAGEMENT_SAVE,
            &format!(
                "{name} - engagement.{}",
                crate::engagement::ENGAGEMENT_EXTENSION
            ),
        )?
        else {
            return Ok(ExportOutcome {
                path: None,
                opened: false,
            });
        };
        self.write_export(&path, text.as_bytes())?;
        Ok(ExportOutcome {
            path: Some(path.display().to_string()),
            opened: false,
        })
    }

    /// `cxm org import`: asks for an engagement file (the CLI's host answers with the
    /// path given) and imports it as a new organisation in one transaction, without a
    /// preview (the app previews first: `choose_engagement`). A foreign, newer, damaged
    /// or conflicting file is refused with its code and changes nothing.
    pub fn import_engagement(&self) -> ApiResult<ImportEngagementOutcome> {
        let Some(path) = self.open_path(&ENGAGEMENT_OPEN)? else {
            return Ok(ImportEngagementOutcome {
                organisation: None,
                name: String::new(),
                renamed: false,
                rounds: 0,
                respondents: 0,
                answers: 0,
                models_added: Vec::new(),
                merged: false,
                changed: false,
                respondents_changed: 0,
                respondents_deleted: 0,
                answers_changed: 0,
                rounds_deleted: 0,
                concurrent: Vec::new(),
                warnings: Vec::new(),
            });
        };
        let bytes = read_limited(&path, MAX_ENGAGEMENT_BYTES, "an engagement file")?;
        self.import_engagement_bytes(&path, &bytes)
    }
}

pub(crate) fn next_token() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

pub(crate) fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Reads a file the user picked, refusing folders and files over `max` bytes.
pub(crate) fn read_limited(path: &Path, max: u64, what: &str) -> ApiResult<Vec<u8>> {
    let io = |e: std::io::Error| {
        ApiError::new(
            ErrorCode::Io,
            format!("cannot read {}: {e}", path.display()),
        )
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(ApiError::invalid(format!(
            "{} is not a file",
            path.display()
        )));
    }
    if meta.len() > max {
        return Err(ApiError::invalid(format!(
            "{}: {} MB is too large for {what} (at most {} MB)",
            display_name(path),
            meta.len() / (1024 * 1024),
            max / (1024 * 1024)
        )));
    }
    std::fs::read(path).map_err(io)
}
