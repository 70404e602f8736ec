//! A round's data scored, and compared with an earlier round: the one path from loaded
//! data to results for every face (the `cxm report` command, the app's results screen
//! and its PDF export). Loading the data is the caller's business; this module only
//! takes values.

use std::sync::Arc;

use chrono::NaiveDate;

use crate::compare::{Comparison, Side, compare};
use crate::scoring::{Results, score};
use crate::{Answer, Model, Respondent};

/// A round as the report and the results screen name it.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundMeta {
    /// Title ("Six-month review").
    pub title: String,
    /// The round's date.
    pub date: NaiveDate,
    /// Whether the round is still open (results provisional).
    pub open: bool,
    /// Target phase.
    pub target_phase: Option<u32>,
}

/// One respondent with their answers and notes (the report quotes the notes).
#[derive(Debug, Clone, PartialEq)]
pub struct RespondentView {
    /// Name or code (a report prints it only when quotes are attributed by name).
    pub name: String,
    /// Role-group index.
    pub role_group: usize,
    /// Department.
    pub department: Option<String>,
    /// Answers, indexed like the model's questions.
    pub answers: Vec<Option<Answer>>,
    /// Notes, indexed like the model's questions.
    pub notes: Vec<Option<String>>,
}

impl RespondentView {
    /// The respondent as scoring sees them.
    pub fn scoring(&self) -> Respondent {
        Respondent {
            role_group: self.role_group,
            answers: self.answers.clone(),
        }
    }
}

/// A round of the organisation as the trend chart shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryPoint {
    /// The round's date.
    pub date: NaiveDate,
    /// Round title.
    pub title: String,
    /// Organisation phase.
    pub phase: u32,
    /// (block id, M_b).
    pub maturity: Vec<(String, f64)>,
}

/// One round's data: how it is named, its model version and respondents.
#[derive(Debug, Clone)]
pub struct RoundSource {
    /// Title, date, open, target.
    pub meta: RoundMeta,
    /// The model version the round is pinned to.
    pub model: Arc<Model>,
    /// Its respondents with their answers and notes.
    pub respondents: Vec<RespondentView>,
}

impl RoundSource {
    /// The respondents as scoring takes them.
    pub fn scoring(&self) -> Vec<Respondent> {
        self.respondents
            .iter()
            .map(RespondentView::scoring)
            .collect()
    }
}

/// A round scored, and compared with an earlier round when one is given: everything a
/// report of the round is made from.
#[derive(Debug, Clone)]
pub struct Scored {
    /// The organisation's name.
    pub organisation: String,
    /// The round reported on.
    pub round: RoundSource,
    /// Its results ([`score`]).
    pub results: Results,
    /// The earlier round and the comparison earlier → this round ([`compare`]).
    pub comparison: Option<(RoundMeta, Comparison)>,
    /// The earlier round's answers as loaded (what a plan's carry-over scores, so the
    /// round is not read twice).
    pub earlier: Option<RoundSource>,
    /// The organisation's rounds with answers up to and including this one, oldest
    /// first (the trend chart).
    pub history: Vec<HistoryPoint>,
}

impl Scored {
    /// Scores `round` and compares `earlier` (if any) with it.
    pub fn new(
        organisation: impl Into<String>,
        round: RoundSource,
        earlier: Option<RoundSource>,
        history: Vec<HistoryPoint>,
    ) -> Scored {
        let respondents = round.scoring();
        let results = score(&round.model, &respondents);
        let comparison = earlier.as_ref().map(|e| {
            let earlier_respondents = e.scoring();
            let c = compare(
                Side {
                    model: &e.model,
                    respondents: &earlier_respondents,
                },
                Side {
                    model: &round.model,
                    respondents: &respondents,
                },
            );
            (e.meta.clone(), c)
        });
        Scored {
            organisation: organisation.into(),
            round,
            results,
            comparison,
            earlier,
            history,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(title: &str, date: NaiveDate, value: u8, model: &Arc<Model>) -> RoundSource {
        RoundSource {
            meta: RoundMeta {
                title: title.into(),
                date,
                open: false,
                target_phase: Some(2),
            },
            model: Arc::clone(model),
            respondents: vec![RespondentView {
                name: "A".into(),
                role_group: 0,
                department: None,
                answers: vec![Some(Answer::Scale(value)); model.questions.len()],
                notes: vec![None; model.questions.len()],
            }],
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn scores_and_compares_like_the_domain() {
        let model = Arc::new(Model::default_model());
        let later = source("Later", day(2026, 6, 1), 4, &model);
        let earlier = source("Earlier", day(2026, 1, 1), 2, &model);
        let scored = Scored::new("Acme", later.clone(), Some(earlier.clone()), vec![]);
        let expected = score(&model, &later.scoring());
        assert_eq!(scored.results, expected);
        let (meta, c) = scored.comparison.as_ref().unwrap();
        assert_eq!(meta.title, "Earlier");
        assert_eq!(c.phase_to, expected.organisation_phase);
        assert_eq!(scored.organisation, "Acme");
        assert!(
            Scored::new("Acme", later, None, vec![])
                .comparison
                .is_none()
        );
    }
}
