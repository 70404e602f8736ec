//! The CLI's JSON output: the one place that knows its shape. Documented in the
//! README ("JSON output"); field names here are a stable contract.

use cxm_domain::explain::Explanations;
use cxm_domain::{Model, Results};
use cxm_store::{ModelVersionInfo, OrganisationSummary, RoundData, RoundInfo};
use serde::Serialize;
use serde_json::{Value, json};

/// `cxm model show --json`.
pub fn model(m: &Model) -> Value {
    json!({
        "id": m.id,
        "version": m.version,
        "title": m.title,
        "description": m.description,
        "threshold": m.threshold,
        "anonymity_threshold": m.anonymity_threshold,
        "scale": {
            "max": m.scale.max,
            "labels": m.scale.labels,
            "dont_know": m.scale.dont_know,
            "not_applicable": m.scale.not_applicable,
        },
        "phases": m.phases.iter().map(|p| json!({
            "number": p.number, "name": p.name, "description": p.description,
        })).collect::<Vec<_>>(),
        "blocks": m.blocks.iter().map(|b| json!({
            "id": b.id, "name": b.name, "description": b.description,
        })).collect::<Vec<_>>(),
        "role_groups": m.role_groups.iter().map(|g| json!({"id": g.id, "name": g.name})).collect::<Vec<_>>(),
        "questions": m.questions.iter().map(|q| json!({
            "id": q.id,
            "block": m.blocks[q.block].id,
            "phase": q.phase,
            "weight": q.weight,
            "text": q.text,
            "guidance": q.guidance,
            "recommendation": q.recommendation,
        })).collect::<Vec<_>>(),
    })
}

/// `cxm model list --json`.
pub fn models(list: &[ModelVersionInfo]) -> Value {
    Value::Array(
        list.iter()
            .map(|m| {
                json!({
                    "id": m.model_id,
                    "version": m.version,
                    "key": format!("{}@{}", m.model_id, m.version),
                    "title": m.title,
                    "questions": m.questions,
                    "rounds": m.rounds,
                    "imported_at": m.imported_at,
                })
            })
            .collect(),
    )
}

/// `cxm org list --json`.
pub fn organisations(list: &[OrganisationSummary]) -> Value {
    Value::Array(
        list.iter()
            .map(|o| {
                json!({
                    "id": o.id,
                    "name": o.name,
                    "archived": o.archived,
                    "created_at": o.created_at,
                    "rounds": o.rounds.iter().map(|r| json!({
                        "id": r.id,
                        "title": r.title,
                        "date": r.date,
                        "status": r.status,
                        "phase": r.phase,
                        "respondents": r.respondents,
                        "interviews_complete": r.interviews_complete,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

fn round_value(r: &RoundInfo) -> Value {
    json!({
        "id": r.id,
        "org": r.organisation,
        "organisation_name": r.organisation_name,
        "title": r.title,
        "date": r.date,
        "status": r.status,
        "model": r.model_key,
        "target_phase": r.target_phase,
        "phase": r.phase,
        "respondents": r.respondents,
        "interviews_complete": r.interviews_complete,
    })
}

/// `cxm round list --json`.
pub fn rounds(list: &[RoundInfo]) -> Value {
    Value::Array(list.iter().map(round_value).collect())
}

#[derive(Serialize)]
struct ResultsOut<'a> {
    model: String,
    provisional: bool,
    target_phase: Option<u32>,
    #[serde(flatten)]
    results: &'a Results,
    #[serde(skip_serializing_if = "Option::is_none")]
    explanations: Option<&'a Explanations>,
}

/// `cxm results --json`: scores only — no database ids, paths or timestamps.
pub fn results(data: &RoundData, results: &Results, explanations: Option<&Explanations>) -> Value {
    serde_json::to_value(ResultsOut {
        model: data.model.key(),
        provisional: data.info.status == cxm_store::RoundStatus::Open,
        target_phase: data.info.target_phase,
        results,
        explanations,
    })
    .expect("serialisable")
}

/// `cxm export --format json`: the round with every answer and note.
pub fn export(data: &RoundData) -> Value {
    cxm_store::transfer::answers_json(data)
}
