//! A submission from outside the app — a participant answering on their own phone
//! (`docs/collect-api.md`) — checked against the round's model before it goes anywhere.
//!
//! A submission names its role group, optionally a department and a name or code, and
//! answers by question id (`"3"`, `"dk"`, `"na"`). It carries an id the participant's
//! page made (a UUID), so the same submission sent twice is stored once. [`check`] is
//! pure: it finds every problem at once (the collect server's `422`), and what it
//! returns is what the round's inbox stores.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::answer::Answer;
use crate::model::Model;
use crate::text;

/// A submission as it arrives (the JSON body of `POST /c/{token}/responses`, without
/// the PIN, which the server checks).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSubmission {
    /// The client-made id: a UUID.
    pub submission_id: String,
    /// The role group's id.
    pub role: String,
    /// Department, optional.
    #[serde(default)]
    pub department: Option<String>,
    /// Name or code, optional.
    #[serde(default)]
    pub name: Option<String>,
    /// Answers by question id.
    #[serde(default)]
    pub answers: BTreeMap<String, Cell>,
}

/// An answer as sent: a string (`"3"`, `"dk"`, `"na"`) or a whole number.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Cell {
    /// `"3"`, `"dk"`, `"na"`.
    Text(String),
    /// `3`.
    Number(u64),
}

/// A submission that passed [`check`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    /// The client-made id, as a lowercase hyphenated UUID.
    pub id: String,
    /// Name or code ([`text::clean_name`]), if given.
    pub name: Option<String>,
    /// Index into [`Model::role_groups`].
    pub role_group: usize,
    /// Department ([`text::clean_name`]), if given.
    pub department: Option<String>,
    /// (question index, answer), in model order; only questions the role group is
    /// asked.
    pub answers: Vec<(usize, Answer)>,
}

/// One problem of a submission: the field (`role`, `answers.STR-1.1`, …) and what is
/// wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmissionProblem {
    /// The JSON field: `submission_id`, `role`, `department`, `name`, or
    /// `answers.<question id>`.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl std::fmt::Display for SubmissionProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Whether `id` is a UUID written as 8-4-4-4-12 hexadecimal digits (any case); the
/// lowercase form when it is.
pub fn canonical_uuid(id: &str) -> Option<String> {
    let id = id.trim();
    let groups: Vec<&str> = id.split('-').collect();
    let lengths = [8, 4, 4, 4, 12];
    (groups.len() == 5
        && groups
            .iter()
            .zip(lengths)
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit())))
    .then(|| id.to_ascii_lowercase())
}

/// Checks `raw` against `model`: a UUID id, a role group of the model (by id), a
/// department and name that pass the shared text rules, and answers to questions of
/// the model that the role group is asked, each a value of the model's scale, don't
/// know or n/a. Every problem is returned, in field order.
pub fn check(model: &Model, raw: &RawSubmission) -> Result<Submission, Vec<SubmissionProblem>> {
    let mut problems = Vec::new();
    let mut problem = |field: &str, message: String| {
        problems.push(SubmissionProblem {
            field: field.to_string(),
            message,
        })
    };
    let id = canonical_uuid(&raw.submission_id);
    if id.is_none() {
        problem(
            "submission_id",
            "is not a UUID (8-4-4-4-12 hexadecimal digits)".to_string(),
        );
    }
    let role_group = model.role_groups.iter().position(|g| g.id == raw.role);
    if role_group.is_none() {
        let known: Vec<&str> = model.role_groups.iter().map(|g| g.id.as_str()).collect();
        problem(
            "role",
            format!(
                "`{}` is not a role group of model {} (one of: {})",
                text::terminal_safe(&raw.role),
                model.key(),
                known.join(", ")
            ),
        );
    }
    let mut optional =
        |field: &str, what: &str, value: &Option<String>| match value.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(v) => match text::clean_name(v, what, text::MAX_NAME_CHARS) {
                Ok(v) => Some(v),
                Err(e) => {
                    problem(field, e);
                    None
                }
            },
        };
    let department = optional("department", "department", &raw.department);
    let name = optional("name", "name or code", &raw.name);
    let mut answers = Vec::with_capacity(raw.answers.len());
    for (qid, cell) in &raw.answers {
        let field = format!("answers.{}", text::terminal_safe(qid));
        let Some(q) = model.question_index(qid) else {
            problem(
                &field,
                format!("no question has this id in model {}", model.key()),
            );
            continue;
        };
        let answer = match cell {
            Cell::Number(n) => u8::try_from(*n).ok().map(Answer::Scale),
            Cell::Text(t) => t.parse::<Answer>().ok(),
        };
        let Some(answer) = answer.filter(|a| a.fits(model)) else {
            let shown = match cell {
                Cell::Number(n) => n.to_string(),
                Cell::Text(t) => text::terminal_safe(t).into_owned(),
            };
            problem(
                &field,
                format!(
                    "`{shown}` is not an answer (0 to {}, dk or na)",
                    model.scale.max
                ),
            );
            continue;
        };
        if let Some(g) = role_group
            && !model.asks(q, g)
        {
            problem(
                &field,
                format!(
                    "is not asked of {} in model {}",
                    model.role_groups[g].name,
                    model.key()
                ),
            );
            continue;
        }
        answers.push((q, answer));
    }
    answers.sort_by_key(|&(q, _)| q);
    match (id, role_group) {
        (Some(id), Some(role_group)) if problems.is_empty() => Ok(Submission {
            id,
            name,
            role_group,
            department,
            answers,
        }),
        _ => Err(problems),
    }
}

impl Submission {
    /// The answers by question id (`"3"`, `"dk"`, `"na"`), as the inbox stores them.
    pub fn answers_by_id(&self, model: &Model) -> BTreeMap<String, String> {
        self.answers
            .iter()
            .map(|&(q, a)| (model.questions[q].id.clone(), a.to_string()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(role: &str, answers: &[(&str, &str)]) -> RawSubmission {
        RawSubmission {
            submission_id: "0F8FAD5B-D9CB-469F-A165-70867728950E".into(),
            role: role.into(),
            department: Some("  Sales ".into()),
            name: None,
            answers: answers
                .iter()
                .map(|(q, v)| (q.to_string(), Cell::Text(v.to_string())))
                .collect(),
        }
    }

    #[test]
    fn a_good_submission_is_normalised() {
        let model = Model::default_model();
        let s = check(
            &model,
            &raw("executive", &[("VOC-1.1", "dk"), ("STR-1.1", "3")]),
        )
        .unwrap();
        assert_eq!(s.id, "0f8fad5b-d9cb-469f-a165-70867728950e");
        assert_eq!(s.department.as_deref(), Some("Sales"));
        assert_eq!(s.name, None);
        let ids: Vec<&str> = s
            .answers
            .iter()
            .map(|&(q, _)| model.questions[q].id.as_str())
            .collect();
        assert_eq!(ids, ["STR-1.1", "VOC-1.1"], "model order");
        assert_eq!(s.answers[0].1, Answer::Scale(3));
        assert_eq!(s.answers_by_id(&model)["VOC-1.1"], "dk");
    }

    #[test]
    fn every_problem_is_named_with_its_field() {
        let model = Model::default_model();
        let mut r = raw(
            "boss",
            &[("STR-9.9", "3"), ("STR-1.1", "7"), ("VOC-1.1", "maybe")],
        );
        r.submission_id = "not-a-uuid".into();
        r.name = Some("a\u{202e}b".into());
        let problems = check(&model, &r).unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "submission_id",
                "role",
                "name",
                "answers.STR-1.1",
                "answers.STR-9.9",
                "answers.VOC-1.1"
            ]
        );
        assert!(problems[3].message.contains("0 to 4"), "{}", problems[3]);
    }

    #[test]
    fn a_question_not_asked_of_the_role_group_is_refused() {
        let model = Model::default_model();
        let front = model.role_group_index("front-line").unwrap();
        let unasked = (0..model.questions.len())
            .find(|&q| !model.asks(q, front))
            .map(|q| model.questions[q].id.clone())
            .expect("v2 has questions front line is not asked");
        let problems = check(&model, &raw("front-line", &[(&unasked, "2")])).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].message.contains("not asked of"),
            "{}",
            problems[0]
        );
        // The same answer from an executive is fine.
        assert!(check(&model, &raw("executive", &[(&unasked, "2")])).is_ok());
    }

    #[test]
    fn numbers_are_answers_too() {
        let model = Model::default_model();
        let mut r = raw("manager", &[]);
        r.answers.insert("STR-1.1".into(), Cell::Number(4));
        r.answers.insert("STR-1.2".into(), Cell::Number(300));
        let problems = check(&model, &r).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, "answers.STR-1.2");
    }

    #[test]
    fn uuids() {
        assert!(canonical_uuid("0f8fad5b-d9cb-469f-a165-70867728950e").is_some());
        assert!(canonical_uuid("0f8fad5bd9cb469fa16570867728950e").is_none());
        assert!(canonical_uuid("0f8fad5b-d9cb-469f-a165-70867728950g").is_none());
        assert!(canonical_uuid("").is_none());
    }
}
