//! What the report is made from: a round scored and compared
//! ([`cxm_domain::scored::Scored`]), with what only the report needs — the cover's
//! "prepared by" and generation date, how quotes are attributed, and the
//! organisation's plan (the roadmap).

use chrono::NaiveDate;
use cxm_domain::Model;
use cxm_domain::compare::Comparison;
use cxm_domain::plan::PlanItem;
use cxm_domain::scored::{HistoryPoint, RespondentView, RoundMeta, Scored};
use cxm_domain::scoring::Results;

/// How the notes quoted in the building blocks' sections are attributed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QuoteAttribution {
    /// The default: to the respondent's role group, and to their department only where
    /// enough respondents share both ([`crate::sections::quote_sources`]); never to a
    /// name.
    #[default]
    RoleGroup,
    /// By name, with role group and department: only when the user chooses it
    /// (`cxm report --attribute-quotes`, the app's `report.attribute_quotes` setting).
    /// Members of a hidden role group (and respondents who gave no rating) are still
    /// quoted without names.
    Name,
}

/// Everything the report is made from.
#[derive(Debug, Clone)]
pub struct ReportInput<'a> {
    /// Organisation name.
    pub organisation: &'a str,
    /// The round reported on.
    pub round: RoundMeta,
    /// Its model version.
    pub model: &'a Model,
    /// Its respondents.
    pub respondents: &'a [RespondentView],
    /// Its results.
    pub results: &'a Results,
    /// The comparison round and the comparison (earlier → this round).
    pub comparison: Option<(RoundMeta, &'a Comparison)>,
    /// Every round of the organisation up to and including this one, oldest first.
    pub history: Vec<HistoryPoint>,
    /// "Prepared by" text for the cover.
    pub prepared_by: Option<String>,
    /// The generation date (the caller takes it from SOURCE_DATE_EPOCH when set).
    pub generated_on: NaiveDate,
    /// How quotes are attributed (by default to role groups, never to names).
    pub quotes: QuoteAttribution,
    /// The organisation's plan, any order (the report orders it with
    /// [`crate::charts::plan_order`]); empty: no roadmap and no projected phase.
    pub plan: Vec<PlanItem>,
    /// The plan since the comparison round in one sentence
    /// ([`cxm_domain::plan::summary_sentence`] of its carry-over), for the executive
    /// summary; `None` without a comparison round or a plan.
    pub plan_summary: Option<String>,
}

impl<'a> ReportInput<'a> {
    /// The report's input for a scored round, with the cover's "prepared by" and
    /// generation date; quotes are attributed to role groups, never to names, unless
    /// the caller chooses otherwise ([`ReportInput::with_quotes`]).
    pub fn new(
        scored: &'a Scored,
        prepared_by: Option<String>,
        generated_on: NaiveDate,
    ) -> ReportInput<'a> {
        ReportInput {
            organisation: &scored.organisation,
            round: scored.round.meta.clone(),
            model: &scored.round.model,
            respondents: &scored.round.respondents,
            results: &scored.results,
            comparison: scored.comparison.as_ref().map(|(m, c)| (m.clone(), c)),
            history: scored.history.clone(),
            prepared_by,
            generated_on,
            quotes: QuoteAttribution::RoleGroup,
            plan: Vec::new(),
            plan_summary: None,
        }
    }

    /// The same input with the organisation's plan and, when there is a comparison
    /// round, the plan's summary since then.
    pub fn with_plan(self, plan: Vec<PlanItem>, plan_summary: Option<String>) -> Self {
        ReportInput {
            plan,
            plan_summary,
            ..self
        }
    }

    /// The same input with quotes attributed as `quotes`.
    pub fn with_quotes(self, quotes: QuoteAttribution) -> Self {
        ReportInput { quotes, ..self }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use cxm_domain::Answer;
    use cxm_domain::scored::RoundSource;

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

    #[test]
    fn a_scored_round_is_the_reports_input() {
        let model = Arc::new(Model::default_model());
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let later = source("Later", day(6, 1), 4, &model);
        let earlier = source("Earlier", day(1, 1), 2, &model);
        let scored = Scored::new("Acme", later, Some(earlier), vec![]);
        let input = ReportInput::new(&scored, None, day(6, 2));
        assert_eq!(input.organisation, "Acme");
        assert_eq!(input.quotes, QuoteAttribution::RoleGroup);
        assert_eq!(input.comparison.as_ref().unwrap().0.title, "Earlier");
        let radar = crate::charts::radar_data(&input);
        assert_eq!(radar.series.len(), 3); // target, earlier, this round
    }
}
