//! Respondents and single answers from the command line: `cxm respondent` and
//! `cxm answer`, over the app's interview use cases (`add_respondent`,
//! `remove_respondent`, `set_answer`, `answer_history`). A respondent is named by its
//! name in the round (as the app shows it) or by its id.

use clap::Subcommand;
use cxm_api::Api;
use cxm_api::wire::{RespondentInput, RespondentRow};

use crate::fail::Fail;
use crate::{Db, json, out, print_json, text};

#[derive(Subcommand)]
pub enum RespondentCommand {
    /// List a round's respondents with their progress.
    List {
        /// Round id.
        round: i64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Add a respondent to a round; prints its id last.
    Add {
        /// Round id.
        round: i64,
        /// Name or code (unique in the round).
        name: String,
        /// Role group: its id or name in the round's model.
        #[arg(long)]
        role: String,
        /// Department.
        #[arg(long)]
        department: Option<String>,
        /// Interview date, YYYY-MM-DD.
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
    /// Remove a respondent with their answers (other installations remove them at their
    /// next sync).
    Remove {
        /// Round id.
        round: i64,
        /// The respondent's name or id.
        respondent: String,
        /// Confirm the removal.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Subcommand)]
pub enum AnswerCommand {
    /// Set one answer of a respondent.
    Set {
        /// Round id.
        round: i64,
        /// The respondent's name or id.
        respondent: String,
        /// The question id (`cxm model show`).
        question: String,
        /// A value of the model's scale (0, 1, …), dk (don't know) or na (not applicable).
        value: String,
    },
    /// Clear one answer of a respondent.
    Clear {
        /// Round id.
        round: i64,
        /// The respondent's name or id.
        respondent: String,
        /// The question id.
        question: String,
    },
    /// Every version of one answer, newest first: who changed it, when, and which were
    /// concurrent edits.
    History {
        /// Round id.
        round: i64,
        /// The respondent's name or id.
        respondent: String,
        /// The question id.
        question: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// The respondent of `round` named `who`: by name (compared as the app compares names),
/// else by id.
fn find(api: &Api, round: i64, who: &str) -> Result<RespondentRow, Fail> {
    let page = api.round_page(round)?;
    let wanted = cxm_domain::text::fold(who.trim());
    let named: Vec<&RespondentRow> = page
        .respondents
        .iter()
        .filter(|r| cxm_domain::text::fold(&r.name) == wanted)
        .collect();
    match named.as_slice() {
        [one] => return Ok((*one).clone()),
        [] => {}
        many => {
            let ids: Vec<String> = many.iter().map(|r| r.id.to_string()).collect();
            return Err(Fail::msg(format!(
                "round {round} has {} respondents named “{}” (ids {}): give the id instead",
                many.len(),
                who.trim(),
                ids.join(", ")
            )));
        }
    }
    if let Ok(id) = who.trim().parse::<i64>()
        && let Some(r) = page.respondents.iter().find(|r| r.id == id)
    {
        return Ok(r.clone());
    }
    Err(Fail::msg(format!(
        "round {round} “{}” has no respondent “{}” (`cxm respondent list {round}` lists them)",
        page.info.title,
        who.trim()
    )))
}

/// `cxm respondent …`.
pub fn respondent(db: &Db, cmd: RespondentCommand) -> Result<(), Fail> {
    let api = db.api()?;
    match cmd {
        RespondentCommand::List { round, json } => {
            let page = api.round_page(round)?;
            if json {
                print_json(&json::respondents(&page.respondents))
            } else {
                out(&text::respondents(&page.respondents))
            }
        }
        RespondentCommand::Add {
            round,
            name,
            role,
            department,
            date,
        } => {
            let id = api.add_respondent(
                round,
                RespondentInput {
                    name: name.clone(),
                    role_group: role,
                    department,
                    interview_date: date,
                },
            )?;
            out(&format!(
                "added respondent “{}” to round {round} {id}",
                name.trim()
            ))
        }
        RespondentCommand::Remove {
            round,
            respondent,
            yes,
        } => {
            let r = find(&api, round, &respondent)?;
            if !yes {
                return Err(Fail::msg(format!(
                    "this removes respondent “{}” ({} answers) from round {round}; run again with --yes to confirm",
                    r.name, r.answered
                )));
            }
            api.remove_respondent(r.id)?;
            out(&format!(
                "removed respondent “{}” from round {round}",
                r.name
            ))
        }
    }
}

/// `cxm answer …`.
pub fn answer(db: &Db, cmd: AnswerCommand) -> Result<(), Fail> {
    let api = db.api()?;
    match cmd {
        AnswerCommand::Set {
            round,
            respondent,
            question,
            value,
        } => {
            let r = find(&api, round, &respondent)?;
            let progress = api.set_answer(r.id, &question, Some(&value))?;
            out(&format!(
                "set {question} of “{}” to {}: {}/{} answered",
                r.name,
                value.trim(),
                progress.answered,
                progress.total
            ))
        }
        AnswerCommand::Clear {
            round,
            respondent,
            question,
        } => {
            let r = find(&api, round, &respondent)?;
            let progress = api.set_answer(r.id, &question, None)?;
            out(&format!(
                "cleared {question} of “{}”: {}/{} answered",
                r.name, progress.answered, progress.total
            ))
        }
        AnswerCommand::History {
            round,
            respondent,
            question,
            json,
        } => {
            let r = find(&api, round, &respondent)?;
            let list = api.answer_history(r.id, &question)?;
            if json {
                print_json(&json::answer_history(&list))
            } else {
                out(&text::answer_history(&list))
            }
        }
    }
}
