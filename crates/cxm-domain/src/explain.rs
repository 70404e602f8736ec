//! Explanations: why each block reached the phase it did, why the organisation is
//! where it is, why an action is listed — the rule and the numbers, as sentences the
//! app and the report show verbatim.
//!
//! Each explanation is made as a list of [`Sentence`]s, each with its [`Mark`] (the app
//! shows one sentence per line, marked); the plain-text functions (`block`,
//! `organisation`, …) join those sentences with a space, for the CLI and the report.

use serde::Serialize;

use crate::compare::{Basis, Comparison};
use crate::model::Model;
use crate::scoring::{self, Action, BlockAlignment, PhaseStatus, Results, TOLERANCE};

/// Format a figure rounded *down* to two decimals, so a value below τ never shows as
/// equal to it. Values within the tolerance of the next hundredth round up to it, like
/// the threshold comparison itself.
pub fn figure(x: f64) -> String {
    let hundredths = ((x + TOLERANCE) * 100.0).floor();
    format!("{:.2}", hundredths / 100.0)
}

/// A signed change rounded toward zero to two decimals (`+0.12`, `-0.05`, `±0.00`).
///
/// Explanations use only characters the report's font (Noto Sans) has: no `≥`, `≤`,
/// `→` or `−` (U+2212).
pub fn delta(x: f64) -> String {
    let hundredths = if x >= 0.0 {
        ((x + TOLERANCE) * 100.0).floor()
    } else {
        ((x - TOLERANCE) * 100.0).ceil()
    };
    if hundredths == 0.0 {
        "±0.00".to_string()
    } else if hundredths > 0.0 {
        format!("+{:.2}", hundredths / 100.0)
    } else {
        format!("-{:.2}", -hundredths / 100.0)
    }
}

/// How a sentence of an explanation reads, for the mark the app gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// A statement.
    Plain,
    /// Something met: a phase passed.
    Pass,
    /// Something that holds a figure back or is missing: the walk stops at a phase
    /// below the threshold or not assessed, the bottleneck, a target not reached.
    Stop,
}

/// One sentence of an explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sentence {
    /// How it reads.
    pub mark: Mark,
    /// The sentence, ending with its full stop.
    pub text: String,
}

impl Sentence {
    fn new(mark: Mark, text: impl Into<String>) -> Sentence {
        Sentence {
            mark,
            text: text.into(),
        }
    }

    fn plain(text: impl Into<String>) -> Sentence {
        Sentence::new(Mark::Plain, text)
    }
}

/// The sentences as one text, separated by a space: the explanation as the CLI and the
/// report print it.
pub fn text(sentences: &[Sentence]) -> String {
    sentences
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Explanations of one round's results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanations {
    /// Why the organisation is in its phase.
    pub organisation: String,
    /// Why each block reached its phase, model order.
    pub blocks: Vec<BlockExplanation>,
}

/// Why one block reached its phase.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlockExplanation {
    /// Block id.
    pub block: String,
    /// The sentences.
    pub text: String,
}

/// Explain every figure of `results` (scored with `model`).
pub fn explain(model: &Model, results: &Results) -> Explanations {
    Explanations {
        organisation: organisation(model, results),
        blocks: (0..model.blocks.len())
            .map(|b| BlockExplanation {
                block: model.blocks[b].id.clone(),
                text: block(model, results, b),
            })
            .collect(),
    }
}

fn phase_label(model: &Model, phase: u32) -> String {
    format!("phase {phase} ({})", model.phase_name(phase))
}

fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The lowest questions of the phase where block `b`'s walk stopped that are below τ,
/// up to three, lowest first (ties in model order): `(question index, attainment)`.
/// Empty when the block reached the top phase or the stopping phase is not assessed.
pub fn block_lowest(model: &Model, results: &Results, b: usize) -> Vec<(usize, f64)> {
    let Some(stop) = results.blocks[b].stopped_at() else {
        return Vec::new();
    };
    if stop.status != PhaseStatus::BelowThreshold {
        return Vec::new();
    }
    let attainment: Vec<Option<f64>> = results.questions.iter().map(|q| q.attainment).collect();
    scoring::lowest_questions(model, &attainment, b, Some(stop.phase))
        .into_iter()
        .filter(|(_, a)| !scoring::at_least(*a, model.threshold))
        .take(3)
        .collect()
}

/// Why block `b` reached the phase it did (rules 2–4), with the numbers.
pub fn block(model: &Model, results: &Results, b: usize) -> String {
    text(&block_sentences(model, results, b))
}

/// [`block`]'s sentences: where the block stands, each phase of the walk up to where
/// it stopped (with the lowest questions there), and the maturity sum.
pub fn block_sentences(model: &Model, results: &Results, b: usize) -> Vec<Sentence> {
    let result = &results.blocks[b];
    let name = &model.blocks[b].name;
    let tau = figure(model.threshold);
    let n = model.phase_count();
    let mut s = vec![if result.reached_phase == 0 {
        Sentence::new(Mark::Stop, format!("{name} has not reached phase 1."))
    } else if result.reached_phase == n {
        Sentence::new(
            Mark::Pass,
            format!(
                "{name} reached the top phase, {}: every phase passed.",
                phase_label(model, n)
            ),
        )
    } else {
        Sentence::plain(format!(
            "{name} reached {}.",
            phase_label(model, result.reached_phase)
        ))
    }];
    for p in &result.phases {
        let stop = p.phase == result.reached_phase + 1;
        match (p.status, p.attainment) {
            (PhaseStatus::Mastered, Some(a)) => s.push(Sentence::new(
                Mark::Pass,
                format!(
                    "Phase {}: attainment {} meets the threshold {tau}, passed.",
                    p.phase,
                    figure(a)
                ),
            )),
            (PhaseStatus::NotApplicable, _) => s.push(Sentence::new(
                Mark::Pass,
                format!(
                    "Phase {}: not applicable (every answer to its questions was n/a), passed.",
                    p.phase
                ),
            )),
            (PhaseStatus::BelowThreshold, Some(a)) => {
                s.push(Sentence::new(
                    Mark::Stop,
                    format!(
                        "Phase {}: attainment {} is below the threshold {tau}{}.",
                        p.phase,
                        figure(a),
                        if stop { ", so the walk stops here" } else { "" }
                    ),
                ));
                let lowest: Vec<String> = if stop {
                    block_lowest(model, results, b)
                        .iter()
                        .map(|&(i, a)| format!("{} ({})", model.questions[i].id, figure(a)))
                        .collect()
                } else {
                    Vec::new()
                };
                if !lowest.is_empty() {
                    s.push(Sentence::plain(format!(
                        "The lowest questions are {}.",
                        join_names(&lowest)
                    )));
                }
            }
            _ => s.push(Sentence::new(
                Mark::Stop,
                format!(
                    "Phase {}: not assessed (no question of this phase has a scale answer){}.",
                    p.phase,
                    if stop { ", so the walk stops here" } else { "" }
                ),
            )),
        }
        if stop {
            break;
        }
    }
    s.push(maturity_sentence(model, results, b));
    s
}

/// How block `b`'s maturity figure M_b is made (rule 4), with the numbers.
pub fn maturity(model: &Model, results: &Results, b: usize) -> String {
    maturity_sentence(model, results, b).text
}

/// [`maturity`] as a sentence: marked when the next phase is not assessed (it counts 0).
pub fn maturity_sentence(model: &Model, results: &Results, b: usize) -> Sentence {
    let result = &results.blocks[b];
    match result.stopped_at() {
        Some(next) => {
            let not_assessed = next.status == PhaseStatus::NotAssessed;
            Sentence::new(
                if not_assessed {
                    Mark::Stop
                } else {
                    Mark::Plain
                },
                format!(
                    "Maturity = reached phase + attainment of the next phase = {} + {} = {}.{}",
                    result.reached_phase,
                    figure(next.attainment.unwrap_or(0.0)),
                    figure(result.maturity),
                    if not_assessed {
                        " (A phase not assessed counts 0.)"
                    } else {
                        ""
                    }
                ),
            )
        }
        None => Sentence::plain(format!(
            "Maturity = {}, the top of the scale.",
            model.phase_count()
        )),
    }
}

/// Whether the organisation phase `phase` reaches a round's target phase, as a sentence.
pub fn target(model: &Model, phase: u32, target: u32) -> String {
    target_sentence(model, phase, target).text
}

/// [`target`], marked when the target is not reached.
pub fn target_sentence(model: &Model, phase: u32, target: u32) -> Sentence {
    if phase >= target {
        Sentence::plain(format!("The round's target, phase {target}, is reached."))
    } else {
        Sentence::new(
            Mark::Stop,
            format!(
                "The round's target was phase {target} ({}); it is not reached yet.",
                model.phase_name(target)
            ),
        )
    }
}

/// What a comparison across model versions is based on, as a sentence; `None` when
/// both rounds use the same model version.
pub fn comparison_basis(comparison: &Comparison) -> Option<String> {
    (comparison.basis == Basis::SharedQuestions).then(|| {
        format!(
            "Compared on the {} questions both model versions share (same id, block and phase); both rounds are rescored on them.",
            comparison.shared_questions
        )
    })
}

/// Why a role group shows no figures (rule 6): its count against the anonymity
/// threshold.
pub fn hidden_group(model: &Model, group: usize, respondents: u32) -> String {
    let name = &model.role_groups[group].name;
    format!(
        "{name}: {respondents} respondent{}, fewer than the anonymity threshold of {}, so the group's figures are hidden. Its answers still count in the organisation's results.",
        if respondents == 1 { "" } else { "s" },
        model.anonymity_threshold
    )
}

/// A block's alignment gap (rule 6): the spread between the shown groups and whether it
/// is flagged.
pub fn alignment_gap(model: &Model, alignment: &BlockAlignment) -> String {
    alignment_gap_sentence(model, alignment).text
}

/// [`alignment_gap`] as a sentence (a statement: the flag is shown beside it).
pub fn alignment_gap_sentence(model: &Model, alignment: &BlockAlignment) -> Sentence {
    Sentence::plain(gap_text(model, alignment))
}

fn gap_text(model: &Model, alignment: &BlockAlignment) -> String {
    let name = model
        .block_index(&alignment.block)
        .map(|b| model.blocks[b].name.as_str())
        .unwrap_or(alignment.block.as_str());
    let group_name = |id: &str| {
        model
            .role_group_index(id)
            .map(|g| model.role_groups[g].name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let rated: Vec<(f64, &str)> = alignment
        .groups
        .iter()
        .filter_map(|g| g.attainment.map(|a| (a, g.role_group.as_str())))
        .collect();
    let flag = figure(scoring::ALIGNMENT_FLAG);
    if rated.len() < 2 {
        return format!(
            "{name}: fewer than two role groups with figures, so there is no gap to measure."
        );
    }
    let hi = rated
        .iter()
        .copied()
        .fold(rated[0], |m, x| if x.0 > m.0 { x } else { m });
    let lo = rated
        .iter()
        .copied()
        .fold(rated[0], |m, x| if x.0 < m.0 { x } else { m });
    format!(
        "{name}: gap = highest - lowest group attainment = {} ({}) - {} ({}) = {}, {} the flag at {flag} (a full step on the scale).",
        figure(hi.0),
        group_name(hi.1),
        figure(lo.0),
        group_name(lo.1),
        figure(alignment.gap),
        if alignment.flagged {
            "at or above"
        } else {
            "below"
        }
    )
}

/// Why the organisation is in its phase (rule 5), with the numbers.
pub fn organisation(model: &Model, results: &Results) -> String {
    text(&organisation_sentences(model, results))
}

/// [`organisation`]'s sentences: the phase, the rule, the bottleneck (marked), the blocks
/// ahead, and what it takes to enter the next phase (marked when a bottleneck block's
/// next phase is not assessed yet).
pub fn organisation_sentences(model: &Model, results: &Results) -> Vec<Sentence> {
    let p = results.organisation_phase;
    let n = model.phase_count();
    let name_of = |id: &str| {
        model
            .block_index(id)
            .map(|b| model.blocks[b].name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let mut s = vec![Sentence::plain(if p == 0 {
        "The organisation is not yet at phase 1.".to_string()
    } else {
        format!("The organisation is in {}.", phase_label(model, p))
    })];
    s.push(Sentence::plain(
        "The model moves as one: the organisation's phase is the lowest phase reached by any building block.",
    ));
    if p == n {
        s.push(Sentence::new(
            Mark::Stop,
            "Every block passed every phase, so there is no bottleneck.",
        ));
        return s;
    }
    let bottleneck: Vec<String> = results.bottleneck.iter().map(|id| name_of(id)).collect();
    let verb = if bottleneck.len() == 1 { "is" } else { "are" };
    s.push(Sentence::new(
        Mark::Stop,
        if p == 0 {
            format!(
                "{} {verb} below phase 1 (the bottleneck).",
                join_names(&bottleneck)
            )
        } else {
            format!(
                "{} {verb} at phase {p} (the bottleneck).",
                join_names(&bottleneck)
            )
        },
    ));
    let ahead: Vec<String> = results
        .blocks
        .iter()
        .zip(&model.blocks)
        .filter(|(r, _)| r.reached_phase > p)
        .map(|(r, b)| format!("{} reached phase {}", b.name, r.reached_phase))
        .collect();
    if !ahead.is_empty() {
        s.push(Sentence::plain(format!(
            "{}.",
            capitalise(&join_names(&ahead))
        )));
    }
    let mut not_assessed = false;
    let needs: Vec<String> = results
        .bottleneck
        .iter()
        .filter_map(|id| {
            let b = model.block_index(id)?;
            let phase = results.blocks[b].phases.get(p as usize)?;
            Some(match phase.attainment {
                Some(a) => format!("{} (now {})", model.blocks[b].name, figure(a)),
                None => {
                    not_assessed = true;
                    format!("{} (not assessed yet)", model.blocks[b].name)
                }
            })
        })
        .collect();
    s.push(Sentence::new(
        if not_assessed {
            Mark::Stop
        } else {
            Mark::Plain
        },
        format!(
            "To enter phase {}, phase {} attainment must reach {} in {}.",
            p + 1,
            p + 1,
            figure(model.threshold),
            join_names(&needs)
        ),
    ));
    s
}

/// Why an action is listed, in its tier and at its priority (rule 8).
pub fn action(model: &Model, results: &Results, action: &Action) -> String {
    text(&action_sentences(model, results, action))
}

/// [`action`]'s sentences: why its tier (marked: the attainment is below the threshold)
/// and how its priority is made.
pub fn action_sentences(model: &Model, results: &Results, action: &Action) -> Vec<Sentence> {
    let p = results.organisation_phase;
    let tau = figure(model.threshold);
    let weight = model
        .question_index(&action.question)
        .map(|i| model.questions[i].weight)
        .unwrap_or(1.0);
    let why = if action.tier == 1 {
        format!(
            "Tier 1 (holds the organisation back): phase {} is at most the organisation's phase + 1 = {}, and the question's attainment {} is below the threshold {tau}.",
            action.phase,
            p + 1,
            figure(action.attainment)
        )
    } else {
        let block_name = model
            .block_index(&action.block)
            .map(|b| model.blocks[b].name.clone())
            .unwrap_or_default();
        format!(
            "Tier 2 (next for a block ahead of the organisation): {block_name} reached phase {} > {p}, this question belongs to its next phase {}, and its attainment {} is below the threshold {tau}.",
            action.phase - 1,
            action.phase,
            figure(action.attainment)
        )
    };
    vec![
        Sentence::new(Mark::Stop, why),
        Sentence::plain(format!(
            "Priority = (threshold - attainment) × weight = ({tau} - {}) × {} = {}.",
            figure(action.attainment),
            trim_weight(weight),
            figure(action.priority)
        )),
    ]
}

fn trim_weight(w: f64) -> String {
    let s = format!("{w:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_round_down() {
        assert_eq!(figure(0.749999), "0.74");
        assert_eq!(figure(0.75), "0.75");
        assert_eq!(figure(0.29), "0.29");
        assert_eq!(figure(0.7499999999999), "0.75");
        assert_eq!(figure(2.0), "2.00");
        assert_eq!(figure(0.666_666), "0.66");
        assert_eq!(delta(0.125), "+0.12");
        assert_eq!(delta(-0.125), "-0.12");
        assert_eq!(delta(0.0), "±0.00");
    }

    /// Blocks `a` (Alpha) and `b` (Beta), phases 1–3, scale 0–4, τ = 0.75, two questions
    /// per block and phase (`A1.1`, `A1.2`, … `B3.2`).
    fn model() -> Model {
        let mut s = String::from(
            "format = 1\nid = \"t\"\nversion = 1\ntitle = \"T\"\nthreshold = 0.75\n\
             [scale]\nmax = 4\nlabels = [\"0\", \"1\", \"2\", \"3\", \"4\"]\n\
             [[blocks]]\nid = \"a\"\nname = \"Alpha\"\n[[blocks]]\nid = \"b\"\nname = \"Beta\"\n\
             [[role_groups]]\nid = \"exec\"\nname = \"Executive\"\n",
        );
        for (n, name) in [(1, "One"), (2, "Two"), (3, "Three")] {
            s.push_str(&format!(
                "[[phases]]\nnumber = {n}\nname = \"{name}\"\ndescription = \"d\"\n"
            ));
        }
        for block in ["a", "b"] {
            for phase in 1..=3 {
                for n in 1..=2 {
                    let id = format!("{}{phase}.{n}", block.to_uppercase());
                    s.push_str(&format!(
                        "[[questions]]\nid = \"{id}\"\nblock = \"{block}\"\nphase = {phase}\n\
                         text = \"Q\"\nguidance = \"g\"\nrecommendation = \"r\"\n"
                    ));
                }
            }
        }
        Model::from_toml(&s, "t.toml").unwrap()
    }

    /// One respondent answering the model's questions in order (`None`: unanswered).
    fn scored(m: &Model, answers: [Option<u8>; 12]) -> Results {
        let respondent = crate::Respondent {
            role_group: 0,
            answers: answers
                .iter()
                .map(|a| a.map(crate::Answer::Scale))
                .collect(),
        };
        crate::score(m, &[respondent])
    }

    fn marks(sentences: &[Sentence]) -> Vec<Mark> {
        sentences.iter().map(|s| s.mark).collect()
    }

    #[test]
    fn a_block_walk_is_one_marked_sentence_per_step() {
        let m = model();
        // Alpha: phase 1 passed, phase 2 at 0.50; Beta: phase 1 not assessed.
        let r = scored(
            &m,
            [
                Some(4),
                Some(4),
                Some(2),
                Some(2),
                Some(4),
                Some(4),
                None,
                None,
                None,
                None,
                None,
                None,
            ],
        );
        let alpha = block_sentences(&m, &r, 0);
        assert_eq!(
            marks(&alpha),
            [
                Mark::Plain,
                Mark::Pass,
                Mark::Stop,
                Mark::Plain,
                Mark::Plain
            ]
        );
        assert_eq!(alpha[0].text, "Alpha reached phase 1 (One).");
        assert_eq!(
            alpha[2].text,
            "Phase 2: attainment 0.50 is below the threshold 0.75, so the walk stops here."
        );
        assert_eq!(
            alpha[3].text,
            "The lowest questions are A2.1 (0.50) and A2.2 (0.50)."
        );
        assert_eq!(block(&m, &r, 0), text(&alpha), "the text is the sentences");
        assert_eq!(maturity(&m, &r, 0), alpha[4].text);

        let beta = block_sentences(&m, &r, 1);
        assert_eq!(marks(&beta), [Mark::Stop, Mark::Stop, Mark::Stop]);
        assert_eq!(
            beta[2].text,
            "Maturity = reached phase + attainment of the next phase = 0 + 0.00 = 0.00. (A phase not assessed counts 0.)"
        );
        assert_eq!(
            block(&m, &r, 1),
            "Beta has not reached phase 1. Phase 1: not assessed (no question of this phase has a scale answer), so the walk stops here. \
             Maturity = reached phase + attainment of the next phase = 0 + 0.00 = 0.00. (A phase not assessed counts 0.)"
        );
    }

    #[test]
    fn the_organisation_marks_its_bottleneck_and_what_is_missing() {
        let m = model();
        let r = scored(
            &m,
            [
                Some(4),
                Some(4),
                Some(2),
                Some(2),
                Some(4),
                Some(4),
                None,
                None,
                None,
                None,
                None,
                None,
            ],
        );
        let why = organisation_sentences(&m, &r);
        assert_eq!(
            marks(&why),
            [
                Mark::Plain,
                Mark::Plain,
                Mark::Stop,
                Mark::Plain,
                Mark::Stop
            ]
        );
        assert_eq!(why[2].text, "Beta is below phase 1 (the bottleneck).");
        assert_eq!(why[3].text, "Alpha reached phase 1.");
        assert_eq!(
            why[4].text,
            "To enter phase 1, phase 1 attainment must reach 0.75 in Beta (not assessed yet)."
        );
        assert_eq!(organisation(&m, &r), text(&why));

        let top = scored(&m, [Some(4); 12]);
        let why = organisation_sentences(&m, &top);
        assert_eq!(
            why.last().unwrap().text,
            "Every block passed every phase, so there is no bottleneck."
        );
        assert_eq!(organisation(&m, &top), text(&why));
        let alpha = block_sentences(&m, &top, 0);
        assert_eq!(alpha[0].mark, Mark::Pass, "{}", alpha[0].text);
        assert_eq!(
            alpha.last().unwrap().text,
            "Maturity = 3, the top of the scale."
        );
    }

    #[test]
    fn actions_and_targets_are_marked_sentences() {
        let m = model();
        let r = scored(
            &m,
            [
                Some(4),
                Some(4),
                Some(2),
                Some(3),
                None,
                None,
                Some(4),
                Some(4),
                Some(3),
                Some(3),
                None,
                None,
            ],
        );
        let a = &r.actions[0];
        let why = action_sentences(&m, &r, a);
        assert_eq!(marks(&why), [Mark::Stop, Mark::Plain]);
        assert!(
            why[1]
                .text
                .starts_with("Priority = (threshold - attainment) × weight = (0.75 - 0.50) × 1 = "),
            "{}",
            why[1].text
        );
        assert_eq!(action(&m, &r, a), text(&why));
        assert_eq!(target_sentence(&m, 1, 2).mark, Mark::Stop);
        assert_eq!(
            target(&m, 1, 2),
            "The round's target was phase 2 (Two); it is not reached yet."
        );
        assert_eq!(target_sentence(&m, 2, 2).mark, Mark::Plain);
    }
}
