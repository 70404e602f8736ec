//! Progress between two rounds of one organisation (rule 7).

use std::collections::HashMap;

use serde::Serialize;

use crate::answer::Respondent;
use crate::model::Model;
use crate::scoring::{Results, score};

/// One side of a comparison: the model a round was answered with and its respondents.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    /// The round's pinned model version.
    pub model: &'a Model,
    /// The round's respondents, answers indexed like `model.questions`.
    pub respondents: &'a [Respondent],
}

/// What the comparison is based on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Both rounds use the same model version: every question is compared.
    SameModel,
    /// The model versions differ: both rounds are rescored on the questions they share
    /// with unchanged block and phase.
    SharedQuestions,
}

/// Change of one block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlockChange {
    /// Block id.
    pub block: String,
    /// ΔM_b = later − earlier.
    pub delta_maturity: f64,
    /// Δ block attainment, null when either side has none.
    pub delta_attainment: Option<f64>,
    /// R_b in the earlier round.
    pub phase_from: u32,
    /// R_b in the later round.
    pub phase_to: u32,
    /// M_b in the earlier round.
    pub maturity_from: f64,
    /// M_b in the later round.
    pub maturity_to: f64,
}

/// Change of one question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionChange {
    /// Question id.
    pub question: String,
    /// Block id (in the later model).
    pub block: String,
    /// Phase (in the later model).
    pub phase: u32,
    /// Δa_q, null where either side is not assessed.
    pub delta: Option<f64>,
}

/// Rule 7's comparison of an earlier and a later round.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Same model, or rescored on shared questions.
    pub basis: Basis,
    /// Number of questions compared.
    pub shared_questions: usize,
    /// Organisation phase before.
    pub phase_from: u32,
    /// Organisation phase after.
    pub phase_to: u32,
    /// Blocks present in both models, in the later model's order.
    pub blocks: Vec<BlockChange>,
    /// Compared questions, in the later model's order.
    pub questions: Vec<QuestionChange>,
    /// Results of the earlier round on the compared questions.
    #[serde(skip)]
    pub earlier: Results,
    /// Results of the later round on the compared questions.
    #[serde(skip)]
    pub later: Results,
}

/// The smallest change of a question's attainment called an improvement or a slip:
/// changes smaller than a twentieth of the scale are noise, not news.
pub const NOTABLE_CHANGE: f64 = 0.05;

/// The questions that moved most between two rounds (rule 7's Δa_q), beyond
/// [`NOTABLE_CHANGE`].
#[derive(Debug, Clone, PartialEq)]
pub struct NotableChanges<'a> {
    /// Δa_q ≥ [`NOTABLE_CHANGE`], largest rise first (ties by question id).
    pub improved: Vec<&'a QuestionChange>,
    /// Δa_q ≤ −[`NOTABLE_CHANGE`], largest fall first.
    pub slipped: Vec<&'a QuestionChange>,
}

impl Comparison {
    /// Up to `limit` questions that improved most and up to `limit` that slipped most;
    /// questions not assessed on either side are left out.
    pub fn notable_changes(&self, limit: usize) -> NotableChanges<'_> {
        let mut moved: Vec<(f64, &QuestionChange)> = self
            .questions
            .iter()
            .filter_map(|q| q.delta.map(|d| (d, q)))
            .collect();
        moved.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.question.cmp(&b.1.question)));
        NotableChanges {
            improved: moved
                .iter()
                .filter(|(d, _)| *d >= NOTABLE_CHANGE)
                .take(limit)
                .map(|(_, q)| *q)
                .collect(),
            slipped: moved
                .iter()
                .rev()
                .filter(|(d, _)| *d <= -NOTABLE_CHANGE)
                .take(limit)
                .map(|(_, q)| *q)
                .collect(),
        }
    }
}

fn remap(respondents: &[Respondent], mapping: &[usize]) -> Vec<Respondent> {
    respondents
        .iter()
        .map(|r| Respondent {
            role_group: r.role_group,
            answers: mapping.iter().map(|&old| r.answers[old]).collect(),
        })
        .collect()
}

/// Compare `earlier` with `later`. When their models differ (id or version), both are
/// rescored on the question ids present in both with the same block id and phase.
pub fn compare(earlier: Side<'_>, later: Side<'_>) -> Comparison {
    let same = earlier.model.id == later.model.id && earlier.model.version == later.model.version;
    let (earlier_results, later_results, e_model, l_model) = if same {
        (
            score(earlier.model, earlier.respondents),
            score(later.model, later.respondents),
            earlier.model.clone(),
            later.model.clone(),
        )
    } else {
        let shared = |this: &Model, other: &Model, q: &crate::model::Question| {
            other.question_index(&q.id).is_some_and(|j| {
                let o = &other.questions[j];
                o.phase == q.phase && other.blocks[o.block].id == this.blocks[q.block].id
            })
        };
        let (em, emap) = earlier
            .model
            .restricted(|_, q| shared(earlier.model, later.model, q));
        let (lm, lmap) = later
            .model
            .restricted(|_, q| shared(later.model, earlier.model, q));
        (
            score(&em, &remap(earlier.respondents, &emap)),
            score(&lm, &remap(later.respondents, &lmap)),
            em,
            lm,
        )
    };

    let earlier_blocks: HashMap<&str, usize> = earlier_results
        .blocks
        .iter()
        .enumerate()
        .map(|(i, b)| (b.id.as_str(), i))
        .collect();
    let blocks = later_results
        .blocks
        .iter()
        .filter_map(|l| {
            let e = &earlier_results.blocks[*earlier_blocks.get(l.id.as_str())?];
            Some(BlockChange {
                block: l.id.clone(),
                delta_maturity: l.maturity - e.maturity,
                delta_attainment: match (l.attainment, e.attainment) {
                    (Some(l), Some(e)) => Some(l - e),
                    _ => None,
                },
                phase_from: e.reached_phase,
                phase_to: l.reached_phase,
                maturity_from: e.maturity,
                maturity_to: l.maturity,
            })
        })
        .collect();

    let questions = l_model
        .questions
        .iter()
        .zip(&later_results.questions)
        .map(|(q, l)| {
            let e = e_model
                .question_index(&q.id)
                .map(|j| &earlier_results.questions[j]);
            QuestionChange {
                question: q.id.clone(),
                block: l.block.clone(),
                phase: q.phase,
                delta: match (l.attainment, e.and_then(|e| e.attainment)) {
                    (Some(l), Some(e)) => Some(l - e),
                    _ => None,
                },
            }
        })
        .collect();

    Comparison {
        basis: if same {
            Basis::SameModel
        } else {
            Basis::SharedQuestions
        },
        shared_questions: l_model.questions.len(),
        phase_from: earlier_results.organisation_phase,
        phase_to: later_results.organisation_phase,
        blocks,
        questions,
        earlier: earlier_results,
        later: later_results,
    }
}
