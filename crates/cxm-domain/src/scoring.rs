//! Scoring, exactly as rules 1–6 and 8 of PRODUCT.md ("Scoring").
//!
//! Every threshold comparison allows [`TOLERANCE`]. Respondents count equally.

use serde::Serialize;

use crate::answer::{Answer, Respondent};
use crate::model::Model;

/// Tolerance of every threshold comparison (τ and the alignment flag).
pub const TOLERANCE: f64 = 1e-9;
/// A block's alignment gap at or above this is flagged (a full step on a 0–4 scale).
pub const ALIGNMENT_FLAG: f64 = 0.25;

/// `value ≥ threshold`, with the tolerance.
pub fn at_least(value: f64, threshold: f64) -> bool {
    value >= threshold - TOLERANCE
}

/// Where a block-phase stands (rule 2 and the threshold).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PhaseStatus {
    /// Attainment ≥ τ.
    Mastered,
    /// Attainment < τ.
    BelowThreshold,
    /// No assessed question, and every answer given to its questions is n/a.
    NotApplicable,
    /// No assessed question otherwise.
    NotAssessed,
}

impl PhaseStatus {
    /// Whether the walk of rule 3 passes this phase.
    pub fn passes(self) -> bool {
        matches!(self, PhaseStatus::Mastered | PhaseStatus::NotApplicable)
    }
}

/// Counts behind one question's attainment (rule 1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QuestionTally {
    /// Σv over scale answers.
    pub sum: u64,
    /// k_q: respondents who gave a scale value.
    pub scale_answers: u32,
    /// Don't-know answers.
    pub dont_know: u32,
    /// Not-applicable answers.
    pub not_applicable: u32,
}

impl QuestionTally {
    /// a_q = Σv / (k_q · S), `None` when not assessed.
    pub fn attainment(&self, scale_max: u8) -> Option<f64> {
        (self.scale_answers > 0)
            .then(|| self.sum as f64 / (f64::from(self.scale_answers) * f64::from(scale_max)))
    }

    fn add(&mut self, answer: Answer) {
        match answer {
            Answer::Scale(v) => {
                self.sum += u64::from(v);
                self.scale_answers += 1;
            }
            Answer::DontKnow => self.dont_know += 1,
            Answer::NotApplicable => self.not_applicable += 1,
        }
    }
}

/// One question's result over all respondents of the round.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionScore {
    /// Question id.
    pub question: String,
    /// Block id.
    pub block: String,
    /// Phase number.
    pub phase: u32,
    /// a_q, or null when not assessed.
    pub attainment: Option<f64>,
    /// Respondents who gave a scale value (k_q).
    pub answered: u32,
    /// Don't-know answers.
    pub dont_know: u32,
    /// Not-applicable answers.
    pub not_applicable: u32,
}

/// One phase of one block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhaseResult {
    /// Phase number.
    pub phase: u32,
    /// Block-phase attainment A, or null when not assessed / not applicable.
    pub attainment: Option<f64>,
    /// Status against τ.
    pub status: PhaseStatus,
}

/// One building block's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlockResult {
    /// Block id.
    pub id: String,
    /// R_b, the last phase passed (0 when phase 1 does not pass).
    pub reached_phase: u32,
    /// M_b = R_b + A(R_b + 1), or n when R_b = n.
    pub maturity: f64,
    /// Block attainment: weighted mean of a_q over the block's assessed questions.
    pub attainment: Option<f64>,
    /// Every phase 1..=n.
    pub phases: Vec<PhaseResult>,
}

impl BlockResult {
    /// The phase where the walk of rule 3 stopped, if it did (None when R_b = n).
    pub fn stopped_at(&self) -> Option<&PhaseResult> {
        self.phases.get(self.reached_phase as usize)
    }
}

/// One shown role group in one block (rule 6).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupAlignment {
    /// Role-group id.
    pub role_group: String,
    /// Members with at least one scale value in the round.
    pub respondents: u32,
    /// The group's block attainment, null when it assessed none of the block's questions.
    pub attainment: Option<f64>,
    /// The group's R_b.
    pub reached_phase: u32,
}

/// A role group below the anonymity threshold: count only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HiddenGroup {
    /// Role-group id.
    pub role_group: String,
    /// Members with at least one scale value in the round.
    pub respondents: u32,
}

/// Alignment of one block across role groups (rule 6).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlockAlignment {
    /// Block id.
    pub block: String,
    /// Shown groups, in model order.
    pub groups: Vec<GroupAlignment>,
    /// Hidden groups, in model order.
    pub hidden_groups: Vec<HiddenGroup>,
    /// max − min of shown groups' block attainment (0 with fewer than two).
    pub gap: f64,
    /// Whether gap ≥ 0.25.
    pub flagged: bool,
}

/// A next-phase action (rule 8).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Action {
    /// 1: holds the organisation back; 2: next for a block ahead of the organisation.
    pub tier: u8,
    /// Block id.
    pub block: String,
    /// Question id.
    pub question: String,
    /// Question text.
    pub text: String,
    /// Phase number.
    pub phase: u32,
    /// a_q.
    pub attainment: f64,
    /// (τ − a_q) × w_q.
    pub priority: f64,
    /// What to do.
    pub recommendation: String,
}

/// A question of phase P + 1 nobody has assessed yet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PendingQuestion {
    /// Block id.
    pub block: String,
    /// Question id.
    pub question: String,
    /// Question text.
    pub text: String,
    /// Phase number.
    pub phase: u32,
}

/// Everything scoring says about one round. Contains no ids, paths or times.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Results {
    /// P = min R_b (rule 5).
    pub organisation_phase: u32,
    /// Blocks with R_b = P, model order; empty when P = n.
    pub bottleneck: Vec<String>,
    /// Per block, model order.
    pub blocks: Vec<BlockResult>,
    /// Per block, model order.
    pub alignment: Vec<BlockAlignment>,
    /// Next-phase actions, ordered by tier, priority (largest first), model order.
    pub actions: Vec<Action>,
    /// Unassessed questions of phase P + 1, model order.
    pub not_yet_assessed: Vec<PendingQuestion>,
    /// Per question, model order.
    pub questions: Vec<QuestionScore>,
    /// Respondents in the round.
    pub respondents: u32,
    /// Respondents who answered every question (a scale value, don't know or n/a).
    pub interviews_complete: u32,
}

/// Tallies per question over the respondents `members` selects.
pub fn tally<'a>(
    model: &Model,
    members: impl IntoIterator<Item = &'a Respondent>,
) -> Vec<QuestionTally> {
    let mut tallies = vec![QuestionTally::default(); model.questions.len()];
    for r in members {
        for (t, a) in tallies.iter_mut().zip(&r.answers) {
            if let Some(a) = a {
                t.add(*a);
            }
        }
    }
    tallies
}

/// Rule 2 for every phase of `block`, then the status against τ.
pub fn block_phases(model: &Model, tallies: &[QuestionTally], block: usize) -> Vec<PhaseResult> {
    block_phases_with(model, tallies, block, |q| {
        tallies[q].attainment(model.scale.max)
    })
}

/// [`block_phases`] with each question's attainment given by `attainment` (indexed like
/// the model's questions) instead of its tally; the tallies still decide which phases
/// with no assessed question are not applicable. The plan's projection uses it.
pub(crate) fn block_phases_with(
    model: &Model,
    tallies: &[QuestionTally],
    block: usize,
    attainment: impl Fn(usize) -> Option<f64>,
) -> Vec<PhaseResult> {
    let n = model.phases.len();
    let mut weighted = vec![0.0f64; n];
    let mut weights = vec![0.0f64; n];
    let mut answers = vec![0u32; n];
    let mut na = vec![0u32; n];
    for (i, (q, t)) in model.questions.iter().zip(tallies).enumerate() {
        if q.block != block {
            continue;
        }
        let p = q.phase as usize - 1;
        answers[p] += t.scale_answers + t.dont_know + t.not_applicable;
        na[p] += t.not_applicable;
        if let Some(a) = attainment(i) {
            weighted[p] += q.weight * a;
            weights[p] += q.weight;
        }
    }
    (0..n)
        .map(|p| {
            let (attainment, status) = if weights[p] > 0.0 {
                let a = weighted[p] / weights[p];
                let status = if at_least(a, model.threshold) {
                    PhaseStatus::Mastered
                } else {
                    PhaseStatus::BelowThreshold
                };
                (Some(a), status)
            } else if na[p] > 0 && na[p] == answers[p] {
                (None, PhaseStatus::NotApplicable)
            } else {
                (None, PhaseStatus::NotAssessed)
            };
            PhaseResult {
                phase: p as u32 + 1,
                attainment,
                status,
            }
        })
        .collect()
}

/// Rule 3: the last phase passed walking up from phase 1.
pub fn reached_phase(phases: &[PhaseResult]) -> u32 {
    phases.iter().take_while(|p| p.status.passes()).count() as u32
}

/// Rule 4: M_b = R_b + A(R_b + 1), n when R_b = n.
pub fn maturity(phases: &[PhaseResult], reached: u32) -> f64 {
    match phases.get(reached as usize) {
        Some(next) => f64::from(reached) + next.attainment.unwrap_or(0.0),
        None => f64::from(reached),
    }
}

/// Rule 5: P = min over blocks of R_b (0 for a model without blocks).
pub(crate) fn organisation_phase(reached: impl IntoIterator<Item = u32>) -> u32 {
    reached.into_iter().min().unwrap_or(0)
}

/// Weighted mean of a_q over the block's assessed questions.
pub fn block_attainment(model: &Model, tallies: &[QuestionTally], block: usize) -> Option<f64> {
    let (mut weighted, mut weights) = (0.0, 0.0);
    for (q, t) in model.questions.iter().zip(tallies) {
        if q.block == block
            && let Some(a) = t.attainment(model.scale.max)
        {
            weighted += q.weight * a;
            weights += q.weight;
        }
    }
    (weights > 0.0).then(|| weighted / weights)
}

/// Score a round: all of rules 1–6 and 8.
pub fn score(model: &Model, respondents: &[Respondent]) -> Results {
    let tallies = tally(model, respondents);
    let n = model.phase_count();
    let blocks: Vec<BlockResult> = (0..model.blocks.len())
        .map(|b| {
            let phases = block_phases(model, &tallies, b);
            let reached = reached_phase(&phases);
            BlockResult {
                id: model.blocks[b].id.clone(),
                reached_phase: reached,
                maturity: maturity(&phases, reached),
                attainment: block_attainment(model, &tallies, b),
                phases,
            }
        })
        .collect();
    let organisation_phase = organisation_phase(blocks.iter().map(|b| b.reached_phase));
    let bottleneck = if organisation_phase == n {
        Vec::new()
    } else {
        blocks
            .iter()
            .filter(|b| b.reached_phase == organisation_phase)
            .map(|b| b.id.clone())
            .collect()
    };

    let questions: Vec<QuestionScore> = model
        .questions
        .iter()
        .zip(&tallies)
        .map(|(q, t)| QuestionScore {
            question: q.id.clone(),
            block: model.blocks[q.block].id.clone(),
            phase: q.phase,
            attainment: t.attainment(model.scale.max),
            answered: t.scale_answers,
            dont_know: t.dont_know,
            not_applicable: t.not_applicable,
        })
        .collect();

    let (actions, not_yet_assessed) = actions(model, &blocks, &questions, organisation_phase);

    Results {
        organisation_phase,
        bottleneck,
        alignment: alignment(model, respondents),
        blocks,
        actions,
        not_yet_assessed,
        questions,
        respondents: respondents.len() as u32,
        interviews_complete: respondents.iter().filter(|r| r.is_complete(model)).count() as u32,
    }
}

/// The members of role group `group` who count for it (rule 6): those with at least one
/// scale value in the round.
fn group_members(respondents: &[Respondent], group: usize) -> Vec<&Respondent> {
    respondents
        .iter()
        .filter(|r| r.role_group == group && r.has_scale_value())
        .collect()
}

/// One role group's own figures (rule 6), for the alignment detail: who counts, and —
/// only when the group is shown — the attainment of each question from its answers alone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupQuestions {
    /// Index into [`Model::role_groups`].
    pub role_group: usize,
    /// Members with at least one scale value in the round.
    pub respondents: u32,
    /// a_q from this group's respondents alone, indexed like the model's questions
    /// (`None`: the group did not assess it). `None` as a whole when the group is hidden
    /// by the anonymity threshold: a hidden group has no per-question figures.
    pub attainment: Option<Vec<Option<f64>>>,
}

impl GroupQuestions {
    /// Whether the anonymity threshold hides the group.
    pub fn hidden(&self) -> bool {
        self.attainment.is_none()
    }
}

/// Rule 1 per role group: every group with at least one respondent, model order, with
/// per-question attainment for the groups the anonymity threshold shows.
pub fn group_questions(model: &Model, respondents: &[Respondent]) -> Vec<GroupQuestions> {
    (0..model.role_groups.len())
        .filter_map(|g| {
            let members = group_members(respondents, g);
            let count = members.len() as u32;
            (count > 0).then(|| GroupQuestions {
                role_group: g,
                respondents: count,
                attainment: (count >= model.anonymity_threshold).then(|| {
                    tally(model, members)
                        .iter()
                        .map(|t| t.attainment(model.scale.max))
                        .collect()
                }),
            })
        })
        .collect()
}

/// The assessed questions of `block` (and of `phase`, when given) ranked from the lowest
/// attainment up, ties in model order: `(question index, attainment)`. `attainment` is
/// indexed like the model's questions (a round's, or one role group's).
pub fn lowest_questions(
    model: &Model,
    attainment: &[Option<f64>],
    block: usize,
    phase: Option<u32>,
) -> Vec<(usize, f64)> {
    let mut ranked: Vec<(usize, f64)> = model
        .questions
        .iter()
        .zip(attainment)
        .enumerate()
        .filter(|(_, (q, _))| q.block == block && phase.is_none_or(|p| q.phase == p))
        .filter_map(|(i, (_, a))| a.map(|a| (i, a)))
        .collect();
    ranked.sort_by(|x, y| x.1.total_cmp(&y.1).then(x.0.cmp(&y.0)));
    ranked
}

/// Per question, how many respondents gave it any answer (a scale value, don't know or
/// n/a), indexed like the model's questions: the progress of a round in progress.
pub fn answers_given(model: &Model, respondents: &[Respondent]) -> Vec<u32> {
    tally(model, respondents)
        .iter()
        .map(|t| t.scale_answers + t.dont_know + t.not_applicable)
        .collect()
}

/// Rule 6.
fn alignment(model: &Model, respondents: &[Respondent]) -> Vec<BlockAlignment> {
    struct Group {
        id: String,
        respondents: u32,
        shown: Option<(Vec<Option<f64>>, Vec<u32>)>,
    }
    let groups: Vec<Group> = model
        .role_groups
        .iter()
        .enumerate()
        .map(|(g, group)| {
            let members = group_members(respondents, g);
            let count = members.len() as u32;
            let shown = (count >= model.anonymity_threshold).then(|| {
                let tallies = tally(model, members);
                (0..model.blocks.len())
                    .map(|b| {
                        let phases = block_phases(model, &tallies, b);
                        (block_attainment(model, &tallies, b), reached_phase(&phases))
                    })
                    .unzip()
            });
            Group {
                id: group.id.clone(),
                respondents: count,
                shown,
            }
        })
        .filter(|g| g.respondents > 0)
        .collect();

    (0..model.blocks.len())
        .map(|b| {
            let shown: Vec<GroupAlignment> = groups
                .iter()
                .filter_map(|g| {
                    g.shown.as_ref().map(|(att, reached)| GroupAlignment {
                        role_group: g.id.clone(),
                        respondents: g.respondents,
                        attainment: att[b],
                        reached_phase: reached[b],
                    })
                })
                .collect();
            let values: Vec<f64> = shown.iter().filter_map(|g| g.attainment).collect();
            let gap = if values.len() < 2 {
                0.0
            } else {
                let max = values.iter().copied().fold(f64::MIN, f64::max);
                let min = values.iter().copied().fold(f64::MAX, f64::min);
                max - min
            };
            BlockAlignment {
                block: model.blocks[b].id.clone(),
                hidden_groups: groups
                    .iter()
                    .filter(|g| g.shown.is_none())
                    .map(|g| HiddenGroup {
                        role_group: g.id.clone(),
                        respondents: g.respondents,
                    })
                    .collect(),
                groups: shown,
                flagged: at_least(gap, ALIGNMENT_FLAG),
                gap,
            }
        })
        .collect()
}

/// Rule 8.
fn actions(
    model: &Model,
    blocks: &[BlockResult],
    questions: &[QuestionScore],
    organisation_phase: u32,
) -> (Vec<Action>, Vec<PendingQuestion>) {
    let tau = model.threshold;
    let mut actions: Vec<(usize, Action)> = Vec::new();
    let mut pending = Vec::new();
    for (i, (q, s)) in model.questions.iter().zip(questions).enumerate() {
        let reached = blocks[q.block].reached_phase;
        let tier = if q.phase <= organisation_phase + 1 {
            Some(1)
        } else if reached > organisation_phase && q.phase == reached + 1 {
            Some(2)
        } else {
            None
        };
        match (tier, s.attainment) {
            (Some(tier), Some(a)) if !at_least(a, tau) => actions.push((
                i,
                Action {
                    tier,
                    block: s.block.clone(),
                    question: q.id.clone(),
                    text: q.text.clone(),
                    phase: q.phase,
                    attainment: a,
                    priority: (tau - a) * q.weight,
                    recommendation: q.recommendation.clone(),
                },
            )),
            _ => {}
        }
        if s.attainment.is_none() && q.phase == organisation_phase + 1 {
            pending.push(PendingQuestion {
                block: s.block.clone(),
                question: q.id.clone(),
                text: q.text.clone(),
                phase: q.phase,
            });
        }
    }
    actions.sort_by(|(ia, a), (ib, b)| {
        a.tier
            .cmp(&b.tier)
            .then(b.priority.total_cmp(&a.priority))
            .then(ia.cmp(ib))
    });
    (actions.into_iter().map(|(_, a)| a).collect(), pending)
}
