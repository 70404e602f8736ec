//! The plan from the command line (issue 15): `cxm plan list|add|set|delete|export|
//! import`, over the app's use cases (`plan`, `plan_actions`, `add_plan_item`,
//! `update_plan_item`, `delete_plan_item`, the plan workbook).

use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use cxm_api::wire::{PlanFormat, PlanItemInput, PlanItemView};

use crate::fail::Fail;
use crate::host::CliHost;
use crate::{Db, json, out, print_json};

#[derive(Subcommand)]
pub enum PlanCommand {
    /// An organisation's plan: every item with its owner, due, effort and status.
    List {
        /// Organisation id.
        org: i64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Add an item: from a round's next-phase action (`--from-action ROUND QUESTION`,
    /// titled with its recommendation), or by hand (`--title T --block B`). Prints its
    /// id last.
    Add {
        /// Organisation id.
        org: i64,
        /// The round and the question of one of its actions.
        #[arg(long, num_args = 2, value_names = ["ROUND", "QUESTION"], conflicts_with_all = ["title", "block"])]
        from_action: Option<Vec<String>>,
        /// What is to be done (by hand).
        #[arg(long, requires = "block")]
        title: Option<String>,
        /// Its building block id (by hand).
        #[arg(long, requires = "title")]
        block: Option<String>,
        /// The question it should move (by hand; optional).
        #[arg(long, requires = "title")]
        question: Option<String>,
        /// Owner.
        #[arg(long)]
        owner: Option<String>,
        /// Due quarter or date: 2027-Q1 or 2027-03-31.
        #[arg(long)]
        due: Option<String>,
        /// Effort: S, M or L.
        #[arg(long)]
        effort: Option<String>,
        /// Status: planned (default), in_progress, done, dropped.
        #[arg(long)]
        status: Option<String>,
        /// Notes.
        #[arg(long)]
        notes: Option<String>,
    },
    /// Change an item's fields (all at once, or none); an empty value clears an
    /// optional one (`--owner ""`).
    Set {
        /// The item's id (`cxm plan list`).
        item: i64,
        /// Status: planned, in_progress, done, dropped.
        #[arg(long)]
        status: Option<String>,
        /// Owner.
        #[arg(long)]
        owner: Option<String>,
        /// Due quarter or date: 2027-Q1 or 2027-03-31.
        #[arg(long)]
        due: Option<String>,
        /// Effort: S, M or L.
        #[arg(long)]
        effort: Option<String>,
        /// Title.
        #[arg(long)]
        title: Option<String>,
        /// Notes.
        #[arg(long)]
        notes: Option<String>,
    },
    /// Write the plan as a formatted Excel workbook for the client's PMO (drop-down
    /// lists for status and effort, frozen header, the item id in column A) or as CSV.
    Export {
        /// Organisation id.
        org: i64,
        /// Where to write it.
        #[arg(short, long)]
        output: PathBuf,
        /// `xlsx` (default) or `csv`.
        #[arg(long, value_enum, default_value = "xlsx")]
        format: FileFormat,
    },
    /// Read a PMO's updates back (owner, due, effort, status, notes by item id): every
    /// problem with its cell, and nothing written unless the whole file is right.
    Import {
        /// Organisation id.
        org: i64,
        /// The workbook (or CSV) exported with `cxm plan export`, as edited.
        file: PathBuf,
        /// Show what would change; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print the preview as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Delete an item (other installations delete it at their next sync).
    Delete {
        /// The item's id.
        item: i64,
        /// Confirm the deletion.
        #[arg(long)]
        yes: bool,
    },
}

/// A plan file's format.
#[derive(Clone, Copy, ValueEnum)]
pub enum FileFormat {
    /// Excel workbook.
    Xlsx,
    /// CSV.
    Csv,
}

fn line(i: &PlanItemView) -> String {
    let mut parts = vec![format!("{:>4}  {}", i.id, i.title)];
    let mut facts = vec![i.status.replace('_', " ")];
    facts.push(match &i.question {
        Some(q) => format!("{} {q}", i.block_name),
        None => i.block_name.clone(),
    });
    if let Some(o) = &i.owner {
        facts.push(o.clone());
    }
    if let Some(d) = &i.due {
        facts.push(format!("due {d}"));
    }
    if let Some(e) = &i.effort {
        facts.push(format!("effort {e}"));
    }
    if i.overdue {
        facts.push("OVERDUE".into());
    }
    parts.push(format!("      {}", facts.join(" · ")));
    parts.join("\n")
}

fn empty_clears(v: Option<String>) -> Option<Option<String>> {
    v.map(|v| Some(v).filter(|v| !v.trim().is_empty()))
}

/// `cxm plan …`.
pub fn plan(db: &Db, cmd: PlanCommand) -> Result<(), Fail> {
    match cmd {
        PlanCommand::List { org, json } => {
            let view = db.api()?.plan(org)?;
            if json {
                return print_json(&json::plan(&view));
            }
            if view.items.is_empty() {
                return out(&format!(
                    "{} has no plan yet: add items with `cxm plan add {org} --from-action ROUND QUESTION`",
                    view.organisation_name
                ));
            }
            let text: Vec<String> = view.items.iter().map(line).collect();
            out(&format!(
                "plan of {} ({} items)\n{}",
                view.organisation_name,
                view.items.len(),
                text.join("\n")
            ))
        }
        PlanCommand::Add {
            org,
            from_action,
            title,
            block,
            question,
            owner,
            due,
            effort,
            status,
            notes,
        } => {
            let api = db.api()?;
            let id = match (from_action, title, block) {
                (Some(pair), _, _) => {
                    let round: i64 = pair[0]
                        .parse()
                        .map_err(|_| Fail::msg(format!("`{}` is not a round id", pair[0])))?;
                    let round_org = api.round_page(round)?.info.organisation;
                    if round_org != org {
                        return Err(Fail::msg(format!(
                            "round {round} is not a round of organisation {org}"
                        )));
                    }
                    let given: Vec<(&str, Option<String>)> = [
                        ("owner", owner),
                        ("due", due),
                        ("effort", effort),
                        ("status", status),
                        ("notes", notes),
                    ]
                    .into_iter()
                    .filter(|(_, v)| v.is_some())
                    .collect();
                    let added = api.plan_action_with(round, &pair[1], &given)?;
                    let Some(&id) = added.added.first() else {
                        return Err(Fail::msg(format!(
                            "question {} is already in the plan (an item planned or in progress targets it)",
                            pair[1]
                        )));
                    };
                    id
                }
                (None, Some(title), Some(block)) => api.add_plan_item(
                    org,
                    PlanItemInput {
                        title,
                        block,
                        question,
                        owner,
                        due,
                        effort,
                        status,
                        notes,
                    },
                )?,
                _ => {
                    return Err(Fail::msg(
                        "say what to add: --from-action ROUND QUESTION, or --title T --block B",
                    ));
                }
            };
            out(&format!("added plan item {id}"))
        }
        PlanCommand::Set {
            item,
            status,
            owner,
            due,
            effort,
            title,
            notes,
        } => {
            let mut fields: Vec<(&str, Option<String>)> = Vec::new();
            for (name, value) in [
                ("status", status.map(Some)),
                ("owner", empty_clears(owner)),
                ("due", empty_clears(due)),
                ("effort", empty_clears(effort)),
                ("title", title.map(Some)),
                ("notes", empty_clears(notes)),
            ] {
                if let Some(v) = value {
                    fields.push((name, v));
                }
            }
            if fields.is_empty() {
                return Err(Fail::msg(
                    "nothing to change: give --status, --owner, --due, --effort, --title or --notes",
                ));
            }
            let view = db.api()?.update_plan_item(item, &fields)?;
            out(&line(&view))
        }
        PlanCommand::Export {
            org,
            output,
            format,
        } => {
            // The app's export, its save dialog answered with `-o`.
            let api = db.api_with(CliHost::saving_to(&output))?;
            let format = match format {
                FileFormat::Xlsx => PlanFormat::Xlsx,
                FileFormat::Csv => PlanFormat::Csv,
            };
            api.export_plan(org, format)?;
            out(&format!("wrote the plan to {}", output.display()))
        }
        PlanCommand::Import {
            org,
            file,
            dry_run,
            json,
        } => {
            let api = db.api()?;
            let preview = api.preview_plan_updates_at(org, &file)?;
            if json {
                print_json(&json::plan_updates(&preview))?;
            } else {
                let mut text = Vec::new();
                for c in &preview.changes {
                    text.push(format!("{:>4}  {}", c.item, c.title));
                    for f in &c.fields {
                        text.push(format!(
                            "      {}: {} → {}",
                            f.field,
                            f.from.as_deref().unwrap_or("(empty)"),
                            f.to.as_deref().unwrap_or("(empty)")
                        ));
                    }
                }
                text.push(format!(
                    "{} items change, {} unchanged",
                    preview.changes.len(),
                    preview.unchanged
                ));
                out(&text.join("\n"))?;
            }
            if !preview.problems.is_empty() {
                let lines: Vec<String> = preview.problems.iter().map(|p| p.text.clone()).collect();
                return Err(Fail::msg(format!(
                    "{} cannot be imported; nothing was changed:\n{}",
                    file.display(),
                    lines.join("\n")
                )));
            }
            if dry_run {
                return if json {
                    Ok(())
                } else {
                    out("dry run: nothing was written")
                };
            }
            let done = api.import_plan_updates(preview.token)?;
            if json {
                Ok(())
            } else {
                out(&format!("updated {} plan items", done.changed))
            }
        }
        PlanCommand::Delete { item, yes } => {
            if !yes {
                return Err(Fail::msg(format!(
                    "deleting plan item {item} cannot be undone: add --yes"
                )));
            }
            db.api()?.delete_plan_item(item)?;
            out(&format!("deleted plan item {item}"))
        }
    }
}
