//! The plan (issue 15): what an organisation decided to do after an assessment — items
//! with an owner, a due quarter or date, an effort and a status, most of them linked to
//! the question whose practice they should move. The plan belongs to the organisation
//! and outlives rounds; a later round shows what each item moved.
//!
//! Pure: no I/O, no clock (today comes in as an argument).

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::answer::Respondent;
use crate::explain::{self, Mark, Sentence, figure};
use crate::model::Model;
use crate::scoring::{self, Results};

/// Where an item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    /// Agreed, not started.
    Planned,
    /// Started.
    InProgress,
    /// Finished.
    Done,
    /// Given up (kept, not projected).
    Dropped,
}

impl PlanStatus {
    /// Every status, in the order a plan lists them.
    pub const ALL: [PlanStatus; 4] = [
        PlanStatus::Planned,
        PlanStatus::InProgress,
        PlanStatus::Done,
        PlanStatus::Dropped,
    ];

    /// As stored and written in files: `planned`, `in_progress`, `done`, `dropped`.
    pub fn as_str(self) -> &'static str {
        match self {
            PlanStatus::Planned => "planned",
            PlanStatus::InProgress => "in_progress",
            PlanStatus::Done => "done",
            PlanStatus::Dropped => "dropped",
        }
    }

    /// As a person reads it: "Planned", "In progress", "Done", "Dropped".
    pub fn label(self) -> &'static str {
        match self {
            PlanStatus::Planned => "Planned",
            PlanStatus::InProgress => "In progress",
            PlanStatus::Done => "Done",
            PlanStatus::Dropped => "Dropped",
        }
    }

    /// Still to do: planned or in progress.
    pub fn is_open(self) -> bool {
        matches!(self, PlanStatus::Planned | PlanStatus::InProgress)
    }
}

impl fmt::Display for PlanStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PlanStatus {
    type Err = String;

    /// `planned`, `in_progress` (or `in progress`, `in-progress`), `done`, `dropped`,
    /// ignoring case and surrounding space; the labels too.
    fn from_str(s: &str) -> Result<PlanStatus, String> {
        let key = s.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        PlanStatus::ALL
            .into_iter()
            .find(|x| x.as_str() == key)
            .ok_or_else(|| {
                format!(
                    "`{}` is not a status (planned, in progress, done or dropped)",
                    s.trim()
                )
            })
    }
}

/// How much work an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Effort {
    /// Small.
    S,
    /// Medium.
    M,
    /// Large.
    L,
}

impl Effort {
    /// Every effort, small first.
    pub const ALL: [Effort; 3] = [Effort::S, Effort::M, Effort::L];

    /// `S`, `M` or `L`.
    pub fn as_str(self) -> &'static str {
        match self {
            Effort::S => "S",
            Effort::M => "M",
            Effort::L => "L",
        }
    }
}

impl fmt::Display for Effort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Effort {
    type Err = String;

    /// `S`, `M`, `L` (any case), or `small`, `medium`, `large`.
    fn from_str(s: &str) -> Result<Effort, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "s" | "small" => Ok(Effort::S),
            "m" | "medium" => Ok(Effort::M),
            "l" | "large" => Ok(Effort::L),
            _ => Err(format!("`{}` is not an effort (S, M or L)", s.trim())),
        }
    }
}

/// When an item is due: a quarter (`2027-Q1`) or a date (`2027-03-31`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Due {
    /// A calendar quarter.
    Quarter {
        /// The year.
        year: i32,
        /// 1 to 4.
        quarter: u32,
    },
    /// A day.
    Date(NaiveDate),
}

impl Due {
    /// The last day it covers: the quarter's last day, or the date.
    pub fn last_day(self) -> NaiveDate {
        match self {
            Due::Date(d) => d,
            Due::Quarter { year, quarter } => {
                let (y, m) = if quarter == 4 {
                    (year + 1, 1)
                } else {
                    (year, quarter * 3 + 1)
                };
                NaiveDate::from_ymd_opt(y, m, 1)
                    .and_then(|d| d.pred_opt())
                    .expect("a quarter's end is a date")
            }
        }
    }

    /// The quarter it falls in (a date's quarter), for a timeline by quarter.
    pub fn quarter(self) -> (i32, u32) {
        match self {
            Due::Quarter { year, quarter } => (year, quarter),
            Due::Date(d) => (d.year(), d.month0() / 3 + 1),
        }
    }
}

impl fmt::Display for Due {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Due::Quarter { year, quarter } => write!(f, "{year:04}-Q{quarter}"),
            Due::Date(d) => write!(f, "{}", d.format("%Y-%m-%d")),
        }
    }
}

impl FromStr for Due {
    type Err = String;

    /// `2027-Q1` (also `2027 Q1`, `Q1 2027`, any case) or `2027-03-31`.
    fn from_str(s: &str) -> Result<Due, String> {
        let t = s.trim().to_ascii_uppercase();
        let bad = || {
            format!(
                "`{}` is not a due quarter or date (write 2027-Q1 or 2027-03-31)",
                s.trim()
            )
        };
        let quarter = |y: &str, q: &str| -> Option<Due> {
            let year: i32 = y.parse().ok().filter(|y| (1000..=9999).contains(y))?;
            let quarter: u32 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
            (y.len() == 4).then_some(Due::Quarter { year, quarter })
        };
        if let Some((y, q)) = t.split_once("-Q").or_else(|| t.split_once(" Q")) {
            return quarter(y.trim(), q.trim()).ok_or_else(bad);
        }
        if let Some(rest) = t.strip_prefix('Q')
            && let Some((q, y)) = rest.split_once([' ', '-'])
        {
            return quarter(y.trim(), q.trim()).ok_or_else(bad);
        }
        if t.len() == 10 {
            return NaiveDate::parse_from_str(&t, "%Y-%m-%d")
                .map(Due::Date)
                .map_err(|_| bad());
        }
        Err(bad())
    }
}

impl Serialize for Due {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Due {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Due, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// One item of a plan, as the rules see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanItem {
    /// Its id (a UUID; the item id in the Excel plan).
    pub id: String,
    /// What is to be done (from the action's recommendation, editable).
    pub title: String,
    /// The building block (id) it belongs to.
    pub block: String,
    /// The question (id) whose practice it should move; `None` for a free item.
    pub question: Option<String>,
    /// Who owns it.
    pub owner: Option<String>,
    /// When it is due.
    pub due: Option<Due>,
    /// How much work it is.
    pub effort: Option<Effort>,
    /// Where it stands.
    pub status: PlanStatus,
    /// Notes.
    pub notes: Option<String>,
}

impl PlanItem {
    /// Past due and still open on `today`.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.status.is_open() && self.due.is_some_and(|d| d.last_day() < today)
    }
}

/// What the plan would do if every item not dropped brought its question to the
/// threshold τ (see [`project`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Projection {
    /// The organisation phase now (rule 5, as [`scoring::score`] computes it).
    pub current_phase: u32,
    /// The organisation phase if every counted item's question reached τ.
    pub projected_phase: u32,
    /// Per block, model order.
    pub blocks: Vec<ProjectedBlock>,
    /// Items not dropped, linked to a question the model has.
    pub items_counted: u32,
    /// Items not dropped that move no figure: free items, and items linked to a question
    /// the model does not have.
    pub items_not_scored: u32,
}

/// One building block now and as the plan projects it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectedBlock {
    /// Block id.
    pub block: String,
    /// R_b now.
    pub reached_now: u32,
    /// R_b with the plan done.
    pub reached_projected: u32,
    /// M_b now.
    pub maturity_now: f64,
    /// M_b with the plan done.
    pub maturity_projected: f64,
    /// Items not dropped in this block, linked or free (a linked item counts in its
    /// question's block, a free one in its own block).
    pub planned: u32,
    /// This block limits the projected phase (it is a projected bottleneck block) and
    /// no counted item targets a question of its next phase (projected phase + 1).
    pub holds_back: bool,
}

/// The phase the organisation would reach if the plan were done.
///
/// Every item not dropped whose question the model has counts: that question's
/// attainment becomes max(a_q, τ), and a question nobody has assessed yet counts as
/// reaching τ. Dropped items, free items and items linked to a question the model does
/// not have change nothing. Blocks, reached phases, maturity and the organisation phase
/// are then computed by the same code as [`scoring::score`] (rules 2–5).
pub fn project(model: &Model, respondents: &[Respondent], items: &[PlanItem]) -> Projection {
    let tau = model.threshold;
    let tallies = scoring::tally(model, respondents);
    let mut targeted = vec![false; model.questions.len()];
    let mut planned = vec![0u32; model.blocks.len()];
    let (mut items_counted, mut items_not_scored) = (0, 0);
    for item in items.iter().filter(|i| i.status != PlanStatus::Dropped) {
        match item
            .question
            .as_deref()
            .and_then(|q| model.question_index(q))
        {
            Some(q) => {
                items_counted += 1;
                targeted[q] = true;
                planned[model.questions[q].block] += 1;
            }
            None => {
                items_not_scored += 1;
                if let Some(b) = model.block_index(&item.block) {
                    planned[b] += 1;
                }
            }
        }
    }
    let projected: Vec<Option<f64>> = tallies
        .iter()
        .zip(&targeted)
        .map(|(t, &raised)| {
            let a = t.attainment(model.scale.max);
            if raised {
                Some(a.map_or(tau, |a| a.max(tau)))
            } else {
                a
            }
        })
        .collect();

    let walks: Vec<(u32, f64, u32, f64)> = (0..model.blocks.len())
        .map(|b| {
            let now = scoring::block_phases(model, &tallies, b);
            let planned = scoring::block_phases_with(model, &tallies, b, |q| projected[q]);
            let (r_now, r_planned) = (
                scoring::reached_phase(&now),
                scoring::reached_phase(&planned),
            );
            (
                r_now,
                scoring::maturity(&now, r_now),
                r_planned,
                scoring::maturity(&planned, r_planned),
            )
        })
        .collect();
    let current_phase = scoring::organisation_phase(walks.iter().map(|w| w.0));
    let projected_phase = scoring::organisation_phase(walks.iter().map(|w| w.2));
    let n = model.phase_count();
    let blocks = walks
        .iter()
        .enumerate()
        .map(
            |(b, &(reached_now, maturity_now, reached_projected, maturity_projected))| {
                let next_planned = model
                    .questions
                    .iter()
                    .zip(&targeted)
                    .any(|(q, &t)| t && q.block == b && q.phase == projected_phase + 1);
                ProjectedBlock {
                    block: model.blocks[b].id.clone(),
                    reached_now,
                    reached_projected,
                    maturity_now,
                    maturity_projected,
                    planned: planned[b],
                    holds_back: projected_phase < n
                        && reached_projected == projected_phase
                        && !next_planned,
                }
            },
        )
        .collect();
    Projection {
        current_phase,
        projected_phase,
        blocks,
        items_counted,
        items_not_scored,
    }
}

/// What a later round shows about an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgressFlag {
    /// Done, but its question's attainment is not above what it was (both rounds
    /// assessed it).
    DoneButNotMoved,
    /// Its question was below τ (or not assessed) in the earlier round and is at or
    /// above τ in the later one.
    LiftedOverThreshold,
}

/// One item between two rounds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemProgress {
    /// The item's id.
    pub item: String,
    /// Its question id, `None` for a free item.
    pub question: Option<String>,
    /// The question's attainment in the earlier round (`None`: not assessed there, or
    /// not in that round's model).
    pub then: Option<f64>,
    /// The question's attainment in the later round (`None` likewise).
    pub now: Option<f64>,
    /// What stands out, if anything.
    pub flag: Option<ProgressFlag>,
}

/// Items by status, and the done ones that lifted their practice over τ.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PlanSummary {
    /// Every item.
    pub items: u32,
    /// Done.
    pub done: u32,
    /// Done and flagged [`ProgressFlag::LiftedOverThreshold`].
    pub done_lifted: u32,
    /// In progress.
    pub in_progress: u32,
    /// Planned, not started.
    pub planned: u32,
    /// Dropped.
    pub dropped: u32,
}

/// What the plan did between two rounds, and what moved without it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CarryOver {
    /// Every item, plan order.
    pub items: Vec<ItemProgress>,
    /// Question ids (later model order) that crossed τ upwards — assessed below τ in
    /// the earlier round, at or above τ in the later one — with no item of any status
    /// linked to them.
    pub moved_without_plan: Vec<String>,
    /// The counts.
    pub summary: PlanSummary,
}

/// The plan between an earlier round (`before`) and a later one (`now`, scored with
/// `model_now`): each item's question then and now, its flag, the questions that
/// crossed τ without an item, and the counts. Questions are matched by id, so rounds
/// on different model versions compare on the ids they share.
///
/// Flags: [`ProgressFlag::LiftedOverThreshold`] when the question was below τ or not
/// assessed before and is at or above τ now, whatever the item's status;
/// [`ProgressFlag::DoneButNotMoved`] when the item is done and both rounds assessed its
/// question and its attainment now is not above then. An item whose question either
/// round did not assess is not called "not moved": there is nothing to compare.
pub fn carry_over(
    model_now: &Model,
    before: &Results,
    now: &Results,
    items: &[PlanItem],
) -> CarryOver {
    let tau = model_now.threshold;
    let attainment = |results: &Results, id: &str| {
        results
            .questions
            .iter()
            .find(|q| q.question == id)
            .and_then(|q| q.attainment)
    };
    let below = |a: Option<f64>| a.is_none_or(|a| !scoring::at_least(a, tau));
    let mut summary = PlanSummary {
        items: items.len() as u32,
        ..PlanSummary::default()
    };
    let progress: Vec<ItemProgress> = items
        .iter()
        .map(|item| {
            let (then, now) = match item.question.as_deref() {
                Some(q) => (attainment(before, q), attainment(now, q)),
                None => (None, None),
            };
            let lifted = below(then) && now.is_some_and(|a| scoring::at_least(a, tau));
            let flag = if lifted {
                Some(ProgressFlag::LiftedOverThreshold)
            } else if item.status == PlanStatus::Done
                && let (Some(t), Some(n)) = (then, now)
                && scoring::at_least(t, n)
            {
                Some(ProgressFlag::DoneButNotMoved)
            } else {
                None
            };
            match item.status {
                PlanStatus::Planned => summary.planned += 1,
                PlanStatus::InProgress => summary.in_progress += 1,
                PlanStatus::Dropped => summary.dropped += 1,
                PlanStatus::Done => {
                    summary.done += 1;
                    if lifted {
                        summary.done_lifted += 1;
                    }
                }
            }
            ItemProgress {
                item: item.id.clone(),
                question: item.question.clone(),
                then,
                now,
                flag,
            }
        })
        .collect();
    let moved_without_plan = model_now
        .questions
        .iter()
        .filter(|q| {
            !items
                .iter()
                .any(|i| i.question.as_deref() == Some(q.id.as_str()))
        })
        .filter(|q| {
            let then = attainment(before, &q.id);
            then.is_some()
                && below(then)
                && attainment(now, &q.id).is_some_and(|a| scoring::at_least(a, tau))
        })
        .map(|q| q.id.clone())
        .collect();
    CarryOver {
        items: progress,
        moved_without_plan,
        summary,
    }
}

/// The summary in words: "7 of 10 items done; 5 of them lifted their practice over
/// the threshold." — then how many were dropped, if any. A plan of one item says what
/// that item is; an empty plan says so.
pub fn summary_sentence(summary: &PlanSummary) -> String {
    let PlanSummary {
        items,
        done,
        done_lifted: lifted,
        in_progress,
        dropped,
        ..
    } = *summary;
    if items == 0 {
        return "The plan has no items yet.".to_string();
    }
    if items == 1 {
        return match (done, lifted, in_progress, dropped) {
            (1, 1, _, _) => {
                "The plan's one item is done; it lifted its practice over the threshold."
            }
            (1, _, _, _) => {
                "The plan's one item is done; it lifted no practice over the threshold."
            }
            (_, _, 1, _) => "The plan's one item is in progress.",
            (_, _, _, 1) => "The plan's one item was dropped.",
            _ => "The plan's one item is planned, not started yet.",
        }
        .to_string();
    }
    let mut s = if done == 0 {
        format!("None of the {items} items is done yet")
    } else {
        format!("{done} of {items} items done")
    };
    match (done, lifted) {
        (0, _) => {}
        (1, 1) => s.push_str("; it lifted its practice over the threshold"),
        (1, _) => s.push_str("; it lifted no practice over the threshold"),
        (_, 0) => s.push_str("; none of them lifted a practice over the threshold"),
        (d, l) if l == d => s.push_str("; all of them lifted their practice over the threshold"),
        (_, 1) => s.push_str("; 1 of them lifted its practice over the threshold"),
        (_, l) => s.push_str(&format!(
            "; {l} of them lifted their practice over the threshold"
        )),
    }
    s.push('.');
    match dropped {
        0 => {}
        1 => s.push_str(" 1 item was dropped."),
        d => s.push_str(&format!(" {d} items were dropped.")),
    }
    s
}

fn phase_words(model: &Model, phase: u32) -> String {
    if phase == 0 {
        "below phase 1".to_string()
    } else {
        format!("phase {phase} ({})", model.phase_name(phase))
    }
}

fn join(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// [`explain_projection`]'s sentences, marked like every other explanation: the
/// projected phase, the blocks the plan lifts, the blocks that would still hold the
/// organisation back (marked), and the items that move no figure.
pub fn projection_sentences(model: &Model, projection: &Projection) -> Vec<Sentence> {
    let plain = |text: String| Sentence {
        mark: Mark::Plain,
        text,
    };
    let tau = figure(model.threshold);
    let (p_now, p) = (projection.current_phase, projection.projected_phase);
    let n = model.phase_count();
    let name = |id: &str| model.block_name(id).to_string();
    let mut s = Vec::new();
    let changed = projection.blocks.iter().any(|b| {
        b.reached_projected != b.reached_now
            || (b.maturity_projected - b.maturity_now).abs() > scoring::TOLERANCE
    });
    if !changed {
        let why = if projection.items_counted == 0 {
            "no item (dropped ones aside) is linked to a question of this model"
        } else {
            "no item targets a practice below the threshold (or not yet assessed) in the phase where its block stops"
        };
        s.push(Sentence {
            mark: Mark::Stop,
            text: format!(
                "The plan changes nothing: {why}, so the organisation stays {}.",
                if p_now == 0 {
                    "below phase 1".to_string()
                } else {
                    format!("in {}", phase_words(model, p_now))
                }
            ),
        });
    } else if p > p_now {
        s.push(Sentence {
            mark: Mark::Pass,
            text: format!(
                "If every planned item brings its practice to the threshold {tau}, the organisation moves from {} to {}{}.",
                phase_words(model, p_now),
                phase_words(model, p),
                if p == n { ", the top phase" } else { "" }
            ),
        });
    } else {
        s.push(Sentence {
            mark: if p < n { Mark::Stop } else { Mark::Plain },
            text: format!(
                "Even if every planned item brings its practice to the threshold {tau}, the organisation stays {}.",
                if p == 0 {
                    "below phase 1".to_string()
                } else {
                    format!("in {}", phase_words(model, p))
                }
            ),
        });
    }
    let lifted: Vec<String> = projection
        .blocks
        .iter()
        .filter(|b| b.reached_projected > b.reached_now)
        .map(|b| {
            format!(
                "{} from {} to phase {}",
                name(&b.block),
                if b.reached_now == 0 {
                    "below phase 1".to_string()
                } else {
                    format!("phase {}", b.reached_now)
                },
                b.reached_projected
            )
        })
        .collect();
    if !lifted.is_empty() {
        s.push(Sentence {
            mark: Mark::Pass,
            text: format!("The plan would lift {}.", join(&lifted)),
        });
    }
    let within: Vec<String> = projection
        .blocks
        .iter()
        .filter(|b| {
            b.reached_projected == b.reached_now
                && b.maturity_projected - b.maturity_now > scoring::TOLERANCE
        })
        .map(|b| {
            format!(
                "{} from {} to {}",
                name(&b.block),
                figure(b.maturity_now),
                figure(b.maturity_projected)
            )
        })
        .collect();
    if !within.is_empty() {
        s.push(plain(format!(
            "Within the phase reached, it would raise the maturity of {}.",
            join(&within)
        )));
    }
    if p < n {
        let next = format!("phase {} ({})", p + 1, model.phase_name(p + 1));
        let at = if p == 0 {
            "below phase 1".to_string()
        } else {
            format!("at phase {p}")
        };
        let holding: Vec<String> = projection
            .blocks
            .iter()
            .filter(|b| b.holds_back)
            .map(|b| name(&b.block))
            .collect();
        if !holding.is_empty() {
            let their = if holding.len() == 1 { "its" } else { "their" };
            s.push(Sentence {
                mark: Mark::Stop,
                text: format!(
                    "{} would still hold the organisation back {at}: nothing is planned in {their} {next}.",
                    join(&holding),
                ),
            });
        }
        let short: Vec<String> = projection
            .blocks
            .iter()
            .filter(|b| b.reached_projected == p && !b.holds_back)
            .map(|b| name(&b.block))
            .collect();
        if !short.is_empty() {
            let their = if short.len() == 1 { "its" } else { "their" };
            s.push(Sentence {
                mark: Mark::Stop,
                text: format!(
                    "{} would stay {at}{}: the plan has items in {their} {next}, but they do not bring that phase to the threshold {tau}.",
                    join(&short),
                    if holding.is_empty() { "" } else { " too" }
                ),
            });
        }
    }
    if projection.items_not_scored > 0 {
        s.push(plain(format!(
            "{} no figure (free items, or linked to a question this model does not have).",
            if projection.items_not_scored == 1 {
                "1 item moves".to_string()
            } else {
                format!("{} items move", projection.items_not_scored)
            }
        )));
    }
    s
}

/// The projected phase explained like every other figure (see [`projection_sentences`]),
/// as one text.
pub fn explain_projection(model: &Model, projection: &Projection) -> String {
    explain::text(&projection_sentences(model, projection))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_quarters_and_dates_read_and_write_one_way() {
        for (text, shown, last) in [
            ("2027-Q1", "2027-Q1", "2027-03-31"),
            ("2027 q4", "2027-Q4", "2027-12-31"),
            ("Q2 2027", "2027-Q2", "2027-06-30"),
            ("2027-05-17", "2027-05-17", "2027-05-17"),
        ] {
            let due: Due = text.parse().unwrap();
            assert_eq!(due.to_string(), shown);
            assert_eq!(due.last_day().to_string(), last);
        }
        for bad in ["2027-Q5", "27-Q1", "2027-02-30", "soon", "", "2027-Q"] {
            let e = bad.parse::<Due>().unwrap_err();
            assert!(e.contains("2027-Q1 or 2027-03-31"), "{bad}: {e}");
        }
        assert_eq!("2027-05-17".parse::<Due>().unwrap().quarter(), (2027, 2));
    }

    #[test]
    fn statuses_and_efforts_read_their_words() {
        assert_eq!(
            "In progress".parse::<PlanStatus>(),
            Ok(PlanStatus::InProgress)
        );
        assert_eq!("DONE".parse::<PlanStatus>(), Ok(PlanStatus::Done));
        assert!(
            "finished"
                .parse::<PlanStatus>()
                .unwrap_err()
                .contains("planned, in progress")
        );
        assert_eq!("m".parse::<Effort>(), Ok(Effort::M));
        assert_eq!("Large".parse::<Effort>(), Ok(Effort::L));
        assert!("XL".parse::<Effort>().is_err());
    }

    #[test]
    fn an_open_item_past_its_due_day_is_overdue() {
        let mut item = PlanItem {
            id: "x".into(),
            title: "t".into(),
            block: "strategy".into(),
            question: None,
            owner: None,
            due: Some("2027-Q1".parse().unwrap()),
            effort: None,
            status: PlanStatus::InProgress,
            notes: None,
        };
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(!item.overdue(day("2027-03-31")));
        assert!(item.overdue(day("2027-04-01")));
        item.status = PlanStatus::Done;
        assert!(!item.overdue(day("2027-04-01")));
    }
}
