//! A round's results: scored, compared, explained, with its charts.

use cxm_domain::explain;
use cxm_domain::scored::Scored;
use cxm_report::chart_svg;
use cxm_report::charts::{Chart, heatmap_data, ladder_data, radar_data, trend_data};
use cxm_report::input::ReportInput;

use crate::*;

impl Api {
    /// Loads and scores a round with its comparison round (rule 7), the one choice of
    /// it for the results screen, the app's report and `cxm report`.
    pub(crate) fn scored(&self, round: i64, compare_with: CompareWith) -> ApiResult<Loaded> {
        let store = self.store()?;
        let data = store.round_data(round)?;
        let earlier = match compare_with {
            CompareWith::None => None,
            CompareWith::Round { id } => Some(store.comparison_round(&data, id)?),
            CompareWith::Previous => match store.previous_round(round)? {
                Some(prev) => Some(store.round_data(prev.id)?),
                None => None,
            },
        };
        let rounds = store.rounds(Some(data.info.organisation))?;
        let prepared_by = store
            .setting("report.prepared_by")?
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty());
        drop(store);
        let up_to: Vec<cxm_store::RoundInfo> = rounds
            .into_iter()
            .filter(|r| (r.date, r.id) <= (data.info.date, data.info.id))
            .collect();
        let history = history_points(&up_to);
        let comparable = up_to
            .into_iter()
            .rev()
            .filter(|r| r.id != data.info.id)
            .collect();
        let info = data.info.clone();
        let earlier_info = earlier.as_ref().map(|e| e.info.clone());
        let scored = Scored::new(
            data.info.organisation_name.clone(),
            source(data),
            earlier.map(source),
            history,
        );
        Ok(Loaded {
            info,
            earlier: earlier_info,
            comparable,
            scored,
            prepared_by,
        })
    }

    /// `results`.
    pub fn results(&self, round: i64, compare_with: CompareWith) -> ApiResult<ResultsView> {
        let loaded = self.scored(round, compare_with)?;
        let s = &loaded.scored;
        let (m, r) = (&*s.round.model, &s.results);
        let input = ReportInput::new(s, None, loaded.info.date);
        let block_name = |id: &str| {
            m.block_index(id)
                .map(|b| m.blocks[b].name.clone())
                .unwrap_or_else(|| id.to_string())
        };
        let plan = self.plan_results(&loaded)?;
        Ok(ResultsView {
            plan,
            info: round_info(&loaded.info),
            provisional: loaded.info.status == cxm_store::RoundStatus::Open,
            respondents: r.respondents,
            interviews_complete: r.interviews_complete,
            organisation_phase: r.organisation_phase,
            phase_name: if r.organisation_phase == 0 {
                String::new()
            } else {
                m.phase_name(r.organisation_phase)
            },
            bottleneck: r.bottleneck.clone(),
            explanations: ExplanationsView {
                organisation: sentences(explain::organisation_sentences(m, r)),
                blocks: m
                    .blocks
                    .iter()
                    .enumerate()
                    .map(|(i, b)| BlockText {
                        block: b.id.clone(),
                        text: sentences(explain::block_sentences(m, r, i)),
                        maturity: sentence(explain::maturity_sentence(m, r, i)),
                        lowest: explain::block_lowest(m, r, i)
                            .into_iter()
                            .map(|(q, a)| question_figure(m, q, a))
                            .collect(),
                    })
                    .collect(),
            },
            blocks: r
                .blocks
                .iter()
                .enumerate()
                .map(|(i, b)| BlockScore {
                    id: b.id.clone(),
                    name: m.blocks[i].name.clone(),
                    reached_phase: b.reached_phase,
                    maturity: b.maturity,
                    attainment: b.attainment,
                })
                .collect(),
            actions: r
                .actions
                .iter()
                .map(|a| ActionView {
                    tier: u32::from(a.tier),
                    block: a.block.clone(),
                    block_name: block_name(&a.block),
                    question: a.question.clone(),
                    text: a.text.clone(),
                    phase: a.phase,
                    attainment: a.attainment,
                    priority: a.priority,
                    recommendation: a.recommendation.clone(),
                    explanation: sentences(explain::action_sentences(m, r, a)),
                })
                .collect(),
            not_yet_assessed: r
                .not_yet_assessed
                .iter()
                .map(|q| PendingView {
                    block: q.block.clone(),
                    question: q.question.clone(),
                    text: q.text.clone(),
                    phase: q.phase,
                })
                .collect(),
            charts: ChartsView {
                radar: chart_svg(&Chart::Radar(radar_data(&input))),
                ladder: chart_svg(&Chart::Ladder(ladder_data(m, r))),
                trend: (s.history.len() >= 2)
                    .then(|| chart_svg(&Chart::Trend(trend_data(m, &s.history)))),
                heatmap: chart_svg(&Chart::Heatmap(heatmap_data(m, r))),
            },
            compared_with: loaded.earlier.as_ref().map(round_info),
            comparison: s.comparison.as_ref().map(|(_, c)| comparison_view(m, c)),
            comparable_rounds: loaded.comparable.iter().map(round_info).collect(),
            target: loaded.info.target_phase.map(|t| TargetView {
                phase: t,
                phase_name: m.phase_name(t),
                reached: r.organisation_phase >= t,
                text: sentence(explain::target_sentence(m, r.organisation_phase, t)),
            }),
            alignment: alignment_view(m, r, &s.round.respondents),
        })
    }
}
