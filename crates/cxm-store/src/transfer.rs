//! A round's answers and actions as files (the CLI's `cxm export`, the app's export
//! buttons), and the dry run of a responses CSV import (the app's preview).

use cxm_domain::responses_csv::{self, ParsedResponses};
use cxm_domain::{Results, actions_csv};
use serde_json::{Value, json};

use crate::answers::RoundData;
use crate::rounds::{RoundCtx, RoundStatus};
use crate::{Result, Store};

/// `format` of the round answers JSON.
pub const ROUND_ANSWERS_FORMAT: &str = "cxm-round-answers";
/// `format_version` of the round answers JSON this build writes.
pub const ROUND_ANSWERS_VERSION: u32 = 1;

/// The round's answers in the wide CSV layout `cxm import-responses` reads: every
/// question of the round's model as a column, respondents in creation order.
pub fn answers_csv(data: &RoundData) -> String {
    let rows: Vec<responses_csv::RowOut<'_>> = data
        .respondents
        .iter()
        .map(|r| responses_csv::RowOut {
            respondent: &r.name,
            role_group: r.answers.role_group,
            department: r.department.as_deref().unwrap_or(""),
            answers: &r.answers.answers,
        })
        .collect();
    responses_csv::write(&data.model, &rows)
}

/// The round with every answer and note (`format` `cxm-round-answers`, documented in
/// the README's "JSON output"): the model key, the organisation's name, the round and
/// its respondents with role, department, interview date and their answers and notes
/// (questions with neither are left out).
pub fn answers_json(data: &RoundData) -> Value {
    let m = &data.model;
    json!({
        "format": ROUND_ANSWERS_FORMAT,
        "format_version": ROUND_ANSWERS_VERSION,
        "model": m.key(),
        "organisation": data.info.organisation_name,
        "round": {
            "title": data.info.title,
            "date": data.info.date.format("%Y-%m-%d").to_string(),
            "status": data.info.status.as_str(),
            "target_phase": data.info.target_phase,
        },
        "respondents": data.respondents.iter().map(|r| json!({
            "name": r.name,
            "role": m.role_groups[r.answers.role_group].id,
            "department": r.department,
            "interview_date": r.interview_date.map(|d| d.format("%Y-%m-%d").to_string()),
            "answers": m.questions.iter().enumerate().filter_map(|(i, q)| {
                let answer = r.answers.answers[i];
                let note = r.notes[i].as_deref();
                (answer.is_some() || note.is_some()).then(|| json!({
                    "question": q.id,
                    "answer": answer.map(|a| a.to_string()),
                    "note": note,
                }))
            }).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// The next-phase actions of the round (scored as `results`) as CSV
/// ([`cxm_domain::actions_csv`]).
pub fn actions_csv(data: &RoundData, results: &Results) -> String {
    actions_csv::write(&data.model, results)
}

/// What [`Store::check_responses`] found: the store's own reasons to refuse a parsed
/// responses file, before anything is written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponsesCheck {
    /// The round is closed (its answers are read-only).
    pub closed: bool,
    /// (line, name) of every row whose respondent is already in the round.
    pub existing: Vec<(u64, String)>,
}

impl ResponsesCheck {
    /// Whether [`Store::import_responses`] would accept the file.
    pub fn ok(&self) -> bool {
        !self.closed && self.existing.is_empty()
    }
}

impl Store {
    /// The dry run of [`Store::import_responses`]: the same checks against the round
    /// (closed; a respondent already in it, compared as the import compares names),
    /// reading only. `responses` must have been parsed against the round's model.
    pub fn check_responses(
        &self,
        round: i64,
        responses: &ParsedResponses,
    ) -> Result<ResponsesCheck> {
        let tx = crate::read_snapshot(&self.conn)?; // one snapshot
        let ctx = RoundCtx::of_round(&tx, round)?;
        let mut check = ResponsesCheck {
            closed: ctx.status == RoundStatus::Closed,
            existing: Vec::new(),
        };
        let taken = crate::answers::folded_names(&tx, round, None)?;
        for row in &responses.rows {
            if taken.contains_key(&cxm_domain::text::fold(&row.respondent)) {
                check.existing.push((row.line, row.respondent.clone()));
            }
        }
        Ok(check)
    }
}
