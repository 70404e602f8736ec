//! `GET /c/{token}/form`: what the participant's page needs of the round and its
//! model, and nothing else — no phases, weights, recommendations, results or answers.

use cxm_domain::Model;
use cxm_domain::model::Audience;
use serde_json::{Value, json};

/// The form as JSON (`docs/collect-api.md`).
pub(crate) fn form(round_title: &str, model: &Model) -> Value {
    let scale = &model.scale;
    let questions: Vec<Value> = model
        .questions
        .iter()
        .map(|q| {
            let ask = match &q.audience {
                Audience::All => json!("all"),
                Audience::Groups(groups) => Value::Array(
                    groups
                        .iter()
                        .filter_map(|&g| model.role_groups.get(g))
                        .map(|g| json!(g.id))
                        .collect(),
                ),
            };
            json!({
                "id": q.id,
                "block": model.blocks.get(q.block).map(|b| b.id.as_str()),
                "text": q.text,
                "help": q.guidance,
                "ask": ask,
            })
        })
        .collect();
    json!({
        "round_title": round_title,
        "model": model.key(),
        "scale": {
            "min": 0,
            "max": scale.max,
            "labels": scale.labels,
            "definitions": scale.definitions,
            "dont_know": scale.dont_know,
            "dont_know_rule": scale.dont_know_rule,
            "not_applicable": scale.not_applicable,
            "not_applicable_rule": scale.not_applicable_rule,
        },
        "role_groups": model.role_groups.iter().map(|g| json!({
            "id": g.id,
            "name": g.name,
            "description": g.description,
        })).collect::<Vec<_>>(),
        "blocks": model.blocks.iter().map(|b| json!({"id": b.id, "name": b.name})).collect::<Vec<_>>(),
        "questions": questions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_has_the_questions_and_audiences_and_no_scoring() {
        let model = Model::default_model();
        let form = form("Workshop, March", &model);
        assert_eq!(form["round_title"], "Workshop, March");
        assert_eq!(form["model"], "cx-maturity@2");
        assert_eq!(form["scale"]["max"], 4);
        assert_eq!(form["scale"]["labels"].as_array().map(Vec::len), Some(5));
        assert_eq!(
            form["questions"].as_array().map(Vec::len),
            Some(model.questions.len())
        );
        let first = &form["questions"][0];
        assert_eq!(first["id"], model.questions[0].id);
        assert_eq!(first["block"], "strategy");
        assert_eq!(first["help"], model.questions[0].guidance);
        // Every role group's asked questions, as the page counts them.
        for (g, group) in model.role_groups.iter().enumerate() {
            let asked = form["questions"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|q| {
                    q["ask"] == "all"
                        || q["ask"]
                            .as_array()
                            .is_some_and(|a| a.iter().any(|id| id == group.id.as_str()))
                })
                .count();
            assert_eq!(asked, model.asked_count(g), "{}", group.id);
        }
        let mut keys: Vec<&String> = form
            .as_object()
            .map(|o| o.keys().collect())
            .unwrap_or_default();
        keys.sort();
        assert_eq!(
            keys,
            [
                "blocks",
                "model",
                "questions",
                "role_groups",
                "round_title",
                "scale"
            ]
        );
        let text = form.to_string();
        for word in ["phase", "weight", "recommendation", "threshold"] {
            assert!(
                !text.contains(&format!("\"{word}")),
                "{word} is not in the form"
            );
        }
    }
}
