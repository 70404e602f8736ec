//! The plan as a file (issue 15): the PMO's workbook (or CSV) written where the user
//! chooses, and its updates read back — owner, due, effort, status and notes by item id
//! — previewed with every problem and its cell, then applied all or nothing.

use std::path::Path;
use std::sync::Mutex;

use crate::data::{display_name, read_limited};
use crate::plan_files::{CellProblem, PlanRow, plan_csv, plan_xlsx, read_plan_file};
use crate::wire::{
    ApiError, CellProblemView, ErrorCode, ExportOutcome, FieldChange, PlanFormat, PlanItemChange,
    PlanUpdatesOutcome, PlanUpdatesPreview,
};
use crate::{Api, ApiResult, DialogSpec};

/// The largest plan file read.
const MAX_PLAN_BYTES: u64 = 16 * 1024 * 1024;

const XLSX_SAVE: DialogSpec = DialogSpec {
    title: "Export the plan (Excel)",
    filter: "Excel workbook",
    extensions: &["xlsx"],
};
const CSV_SAVE: DialogSpec = DialogSpec {
    title: "Export the plan (CSV)",
    filter: "CSV",
    extensions: &["csv"],
};
const PLAN_OPEN: DialogSpec = DialogSpec {
    title: "Import plan updates (the Excel plan, or its CSV)",
    filter: "Plan",
    extensions: &["xlsx", "csv"],
};

/// A previewed plan file.
#[derive(Default)]
pub(crate) struct PlanImports {
    pending: Mutex<Option<PendingPlan>>,
}

struct PendingPlan {
    token: u32,
    changes: Vec<(i64, cxm_store::plan::PlanChange)>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn problem_view(p: &CellProblem) -> CellProblemView {
    CellProblemView {
        sheet: p.sheet.clone(),
        row: p.row,
        column: p.column.clone(),
        header: p.header.clone(),
        message: p.message.clone(),
        text: p.to_string(),
    }
}

impl Api {
    /// The plan file's bytes and a suggested file name.
    pub fn plan_file(&self, organisation: i64, format: PlanFormat) -> ApiResult<(Vec<u8>, String)> {
        let view = self.plan(organisation)?;
        let rows: Vec<PlanRow> = {
            let store = self.store()?;
            let records = store.plan(organisation)?;
            records
                .into_iter()
                .zip(&view.items)
                .map(|(r, v)| PlanRow {
                    item: r.item,
                    block_name: v.block_name.clone(),
                    question_text: v.question_text.clone(),
                    planned_from: r.planned_from.map(|(_, t)| t),
                })
                .collect()
        };
        let name = &view.organisation_name;
        Ok(match format {
            PlanFormat::Xlsx => (
                plan_xlsx(name, &rows, self.host.now())
                    .map_err(|e| ApiError::new(ErrorCode::Io, e))?,
                format!("{name} - plan.xlsx"),
            ),
            PlanFormat::Csv => (plan_csv(&rows).into_bytes(), format!("{name} - plan.csv")),
        })
    }

    /// `export_plan`: the plan as a workbook or CSV, written where the user chooses.
    pub fn export_plan(&self, organisation: i64, format: PlanFormat) -> ApiResult<ExportOutcome> {
        let (bytes, suggested) = self.plan_file(organisation, format)?;
        let spec = match format {
            PlanFormat::Xlsx => XLSX_SAVE,
            PlanFormat::Csv => CSV_SAVE,
        };
        let Some(path) = self.save_path(&spec, &suggested)? else {
            return Ok(ExportOutcome {
                path: None,
                opened: false,
            });
        };
        self.write_export(&path, &bytes)?;
        tracing::info!(organisation, bytes = bytes.len(), "plan exported");
        Ok(ExportOutcome {
            path: Some(path.display().to_string()),
            opened: false,
        })
    }

    /// `choose_plan_updates`: the open dialog, then the preview of the chosen file's
    /// updates; `null` when the user cancelled.
    pub fn choose_plan_updates(&self, organisation: i64) -> ApiResult<Option<PlanUpdatesPreview>> {
        let Some(path) = self.open_path(&PLAN_OPEN)? else {
            return Ok(None);
        };
        self.preview_plan_updates_at(organisation, &path).map(Some)
    }

    /// Reads a plan file and works out what it changes; writes nothing. Every problem
    /// is listed with its cell; an item id that is not one of the organisation's items
    /// is one.
    pub fn preview_plan_updates_at(
        &self,
        organisation: i64,
        path: &Path,
    ) -> ApiResult<PlanUpdatesPreview> {
        let bytes = read_limited(path, MAX_PLAN_BYTES, "a plan file")?;
        let mut problems: Vec<CellProblemView> = Vec::new();
        let mut changes: Vec<PlanItemChange> = Vec::new();
        let mut pending: Vec<(i64, cxm_store::plan::PlanChange)> = Vec::new();
        let mut unchanged = 0;
        let read = read_plan_file(&bytes);
        problems.extend(read.problems.iter().map(problem_view));
        {
            let store = self.store()?;
            store.organisation(organisation)?;
            // Every id in the file, rows with other problems included: all at once.
            let mut unknown = Vec::new();
            for u in &read.ids {
                if store.plan_item_by_uuid(organisation, &u.item)?.is_none() {
                    unknown.push(u.id_problem(format!(
                        "`{}` is not an item of this organisation's plan (was the row copied from another plan, or the item deleted?)",
                        u.item
                    )));
                }
            }
            problems.extend(unknown.iter().map(problem_view));
            problems.sort_by_key(|p| (p.row, p.column.len(), p.column.clone()));
            for u in read.updates {
                let Some(id) = store.plan_item_by_uuid(organisation, &u.item)? else {
                    continue; // reported above
                };
                let current = store.plan_item(id)?.item;
                let mut fields = Vec::new();
                let mut change = cxm_store::plan::PlanChange::default();
                if current.owner != u.owner {
                    fields.push(FieldChange {
                        field: "owner".into(),
                        from: current.owner.clone(),
                        to: u.owner.clone(),
                    });
                    change.owner = Some(u.owner.clone());
                }
                if current.due != u.due {
                    fields.push(FieldChange {
                        field: "due".into(),
                        from: current.due.map(|d| d.to_string()),
                        to: u.due.map(|d| d.to_string()),
                    });
                    change.due = Some(u.due);
                }
                if current.effort != u.effort {
                    fields.push(FieldChange {
                        field: "effort".into(),
                        from: current.effort.map(|e| e.to_string()),
                        to: u.effort.map(|e| e.to_string()),
                    });
                    change.effort = Some(u.effort);
                }
                if current.status != u.status {
                    fields.push(FieldChange {
                        field: "status".into(),
                        from: Some(current.status.as_str().to_string()),
                        to: Some(u.status.as_str().to_string()),
                    });
                    change.status = Some(u.status);
                }
                if current.notes != u.notes {
                    fields.push(FieldChange {
                        field: "notes".into(),
                        from: current.notes.clone(),
                        to: u.notes.clone(),
                    });
                    change.notes = Some(u.notes.clone());
                }
                if fields.is_empty() {
                    unchanged += 1;
                } else {
                    changes.push(PlanItemChange {
                        item: id,
                        title: current.title.clone(),
                        fields,
                    });
                    pending.push((id, change));
                }
            }
        }
        let token = crate::data::next_token();
        *lock(&self.plan_imports.pending) = problems.is_empty().then_some(PendingPlan {
            token,
            changes: pending,
        });
        tracing::info!(
            organisation,
            changes = changes.len(),
            problems = problems.len(),
            "plan updates previewed"
        );
        Ok(PlanUpdatesPreview {
            token,
            file_name: display_name(path),
            changes,
            unchanged,
            problems,
        })
    }

    /// `import_plan_updates`: applies the previewed changes, all or nothing. A preview
    /// with problems, or one discarded or applied already, is refused.
    pub fn import_plan_updates(&self, token: u32) -> ApiResult<PlanUpdatesOutcome> {
        let pending = {
            let mut slot = lock(&self.plan_imports.pending);
            match slot.as_ref() {
                Some(p) if p.token == token => slot.take(),
                _ => None,
            }
        };
        let Some(p) = pending else {
            return Err(ApiError::new(
                ErrorCode::StalePreview,
                "this preview cannot be imported (it listed problems, or was imported or cancelled already): open the file again",
            ));
        };
        let changed = self.store()?.update_plan_items(&p.changes)?;
        tracing::info!(changed, "plan updates imported");
        Ok(PlanUpdatesOutcome { changed })
    }

    /// `discard_plan_updates`: forgets a preview (Cancel).
    pub fn discard_plan_updates(&self, token: u32) {
        let mut slot = lock(&self.plan_imports.pending);
        if slot.as_ref().is_some_and(|p| p.token == token) {
            *slot = None;
        }
    }
}
