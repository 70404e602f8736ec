//! From a round's plain data to the report's input: scoring the round, comparing it with
//! an earlier one, in one place for every face (the `cxm report` command and the app's
//! results screen and PDF export). Loading the data is the caller's business; this
//! module only takes values.

use std::sync::Arc;

use cxm_domain::compare::{Comparison, Side, compare};
use cxm_domain::scoring::Results;
use cxm_domain::{Model, Respondent, score};

use crate::content::{HistoryPoint, QuoteAttribution, ReportInput, RespondentView, RoundMeta};

impl RespondentView {
    /// The respondent as scoring sees them.
    pub fn scoring(&self) -> Respondent {
        Respondent {
            role_group: self.role_group,
            answers: self.answers.clone(),
        }
    }
}

/// One round's data: how the report names it, its model version and respondents.
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
    fn scoring(&self) -> Vec<Respondent> {
        self.respondents
            .iter()
            .map(RespondentView::scoring)
            .collect()
    }
}

/// A round scored, and compared with an earlier round when one is given: everything a
/// [`ReportInput`] borrows.
#[derive(Debug, Clone)]
pub struct Scored {
    /// The organisation's name.
    pub organisation: String,
    /// The round reported on.
    pub round: RoundSource,
    /// Its results ([`cxm_domain::score`]).
    pub results: Results,
    /// The earlier round and the comparison earlier → this round
    /// ([`cxm_domain::compare`]).
    pub comparison: Option<(RoundMeta, Comparison)>,
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
        let comparison = earlier.map(|e| {
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
            (e.meta, c)
        });
        Scored {
            organisation: organisation.into(),
            round,
            results,
            comparison,
            history,
        }
    }

    /// The report's input, with the cover's "prepared by" and generation date
    /// (`YYYY-MM-DD`); quotes are attributed to role groups, never to names, unless the
    /// caller chooses otherwise ([`ReportInput::with_quotes`]).
    pub fn input(&self, prepared_by: Option<String>, generated_on: String) -> ReportInput<'_> {
        ReportInput {
            organisation: &self.organisation,
            round: self.round.meta.clone(),
            model: &self.round.model,
            respondents: &self.round.respondents,
            results: &self.results,
            comparison: self.comparison.as_ref().map(|(m, c)| (m.clone(), c)),
            history: self.history.clone(),
            prepared_by,
            generated_on,
            quotes: QuoteAttribution::RoleGroup,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cxm_domain::Answer;

    fn source(title: &str, date: &str, value: u8, model: &Arc<Model>) -> RoundSource {
        RoundSource {
            meta: RoundMeta {
                title: title.into(),
                date: date.into(),
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

    #[test]
    fn scores_and_compares_like_the_domain() {
        let model = Arc::new(Model::default_model());
        let later = source("Later", "2026-06-01", 4, &model);
        let earlier = source("Earlier", "2026-01-01", 2, &model);
        let scored = Scored::new("Acme", later.clone(), Some(earlier.clone()), vec![]);
        let expected = score(&model, &later.scoring());
        assert_eq!(scored.results, expected);
        let (meta, c) = scored.comparison.as_ref().unwrap();
        assert_eq!(meta.title, "Earlier");
        assert_eq!(c.phase_to, expected.organisation_phase);
        let input = scored.input(None, "2026-06-02".into());
        assert_eq!(input.organisation, "Acme");
        let radar = crate::content::radar_data(&input);
        assert_eq!(radar.series.len(), 3); // target, earlier, this round
        assert!(
            Scored::new("Acme", later, None, vec![])
                .comparison
                .is_none()
        );
    }
}
