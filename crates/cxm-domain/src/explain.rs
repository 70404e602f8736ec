//! Explanations: why each block reached the phase it did, why the organisation is
//! where it is, why an action is listed — the rule and the numbers, as sentences the
//! app and the report show verbatim.

use serde::Serialize;

use crate::model::Model;
use crate::scoring::{Action, PhaseStatus, Results, TOLERANCE};

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

/// The lowest-scoring questions of a block's phase that are below τ, up to three,
/// as "STR-3.2 (0.41)".
fn lowest_questions(model: &Model, results: &Results, block: usize, phase: u32) -> Vec<String> {
    let mut below: Vec<(f64, usize)> = model
        .questions
        .iter()
        .enumerate()
        .filter(|(_, q)| q.block == block && q.phase == phase)
        .filter_map(|(i, _)| results.questions[i].attainment.map(|a| (a, i)))
        .filter(|(a, _)| !crate::scoring::at_least(*a, model.threshold))
        .collect();
    below.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    below
        .iter()
        .take(3)
        .map(|&(a, i)| format!("{} ({})", model.questions[i].id, figure(a)))
        .collect()
}

/// Why block `b` reached the phase it did (rules 2–4), with the numbers.
pub fn block(model: &Model, results: &Results, b: usize) -> String {
    let result = &results.blocks[b];
    let name = &model.blocks[b].name;
    let tau = figure(model.threshold);
    let n = model.phase_count();
    let mut s = if result.reached_phase == 0 {
        format!("{name} has not reached phase 1.")
    } else if result.reached_phase == n {
        format!(
            "{name} reached the top phase, {}: every phase passed.",
            phase_label(model, n)
        )
    } else {
        format!(
            "{name} reached {}.",
            phase_label(model, result.reached_phase)
        )
    };
    for p in &result.phases {
        let stop = p.phase == result.reached_phase + 1;
        let line = match (p.status, p.attainment) {
            (PhaseStatus::Mastered, Some(a)) => {
                format!(
                    " Phase {}: attainment {} meets the threshold {tau}, passed.",
                    p.phase,
                    figure(a)
                )
            }
            (PhaseStatus::NotApplicable, _) => format!(
                " Phase {}: not applicable (every answer to its questions was n/a), passed.",
                p.phase
            ),
            (PhaseStatus::BelowThreshold, Some(a)) => {
                let lowest = lowest_questions(model, results, b, p.phase);
                let mut line = format!(
                    " Phase {}: attainment {} is below the threshold {tau}{}.",
                    p.phase,
                    figure(a),
                    if stop { ", so the walk stops here" } else { "" }
                );
                if stop && !lowest.is_empty() {
                    line.push_str(&format!(
                        " The lowest questions are {}.",
                        join_names(&lowest)
                    ));
                }
                line
            }
            _ => format!(
                " Phase {}: not assessed (no question of this phase has a scale answer){}.",
                p.phase,
                if stop { ", so the walk stops here" } else { "" }
            ),
        };
        s.push_str(&line);
        if stop {
            break;
        }
    }
    let next = result.phases.get(result.reached_phase as usize);
    match next {
        Some(next) => s.push_str(&format!(
            " Maturity = reached phase + attainment of the next phase = {} + {} = {}.",
            result.reached_phase,
            figure(next.attainment.unwrap_or(0.0)),
            figure(result.maturity)
        )),
        None => s.push_str(&format!(" Maturity = {n}, the top of the scale.")),
    }
    s
}

/// Why the organisation is in its phase (rule 5), with the numbers.
pub fn organisation(model: &Model, results: &Results) -> String {
    let p = results.organisation_phase;
    let n = model.phase_count();
    let name_of = |id: &str| {
        model
            .block_index(id)
            .map(|b| model.blocks[b].name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let mut s = if p == 0 {
        "The organisation is not yet at phase 1.".to_string()
    } else {
        format!("The organisation is in {}.", phase_label(model, p))
    };
    s.push_str(
        " The model moves as one: the organisation's phase is the lowest phase reached by any building block.",
    );
    if p == n {
        s.push_str(" Every block passed every phase, so there is no bottleneck.");
        return s;
    }
    let bottleneck: Vec<String> = results.bottleneck.iter().map(|id| name_of(id)).collect();
    let verb = if bottleneck.len() == 1 { "is" } else { "are" };
    if p == 0 {
        s.push_str(&format!(
            " {} {verb} below phase 1 (the bottleneck).",
            join_names(&bottleneck)
        ));
    } else {
        s.push_str(&format!(
            " {} {verb} at phase {p} (the bottleneck).",
            join_names(&bottleneck)
        ));
    }
    let ahead: Vec<String> = results
        .blocks
        .iter()
        .zip(&model.blocks)
        .filter(|(r, _)| r.reached_phase > p)
        .map(|(r, b)| format!("{} reached phase {}", b.name, r.reached_phase))
        .collect();
    if !ahead.is_empty() {
        s.push_str(&format!(" {}.", capitalise(&join_names(&ahead))));
    }
    let needs: Vec<String> = results
        .bottleneck
        .iter()
        .filter_map(|id| {
            let b = model.block_index(id)?;
            let phase = results.blocks[b].phases.get(p as usize)?;
            Some(match phase.attainment {
                Some(a) => format!("{} (now {})", model.blocks[b].name, figure(a)),
                None => format!("{} (not assessed yet)", model.blocks[b].name),
            })
        })
        .collect();
    s.push_str(&format!(
        " To enter phase {}, phase {} attainment must reach {} in {}.",
        p + 1,
        p + 1,
        figure(model.threshold),
        join_names(&needs)
    ));
    s
}

/// Why an action is listed, in its tier and at its priority (rule 8).
pub fn action(model: &Model, results: &Results, action: &Action) -> String {
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
    format!(
        "{why} Priority = (threshold - attainment) × weight = ({tau} - {}) × {} = {}.",
        figure(action.attainment),
        trim_weight(weight),
        figure(action.priority)
    )
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
}
