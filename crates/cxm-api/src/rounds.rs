//! Rounds: create (with copied respondents), close, reopen, delete, a round's page.

use cxm_domain::scoring::{self};
use cxm_store::NewRound;

use crate::*;

impl Api {
    /// `create_round`: the new round's id. With `copy_respondents_from`, the round is
    /// created with that round's respondents, or not at all.
    pub fn create_round(&self, input: NewRoundInput) -> ApiResult<i64> {
        let date = parse_date(&input.date, "round date")?;
        let round = NewRound {
            organisation: input.organisation,
            title: input.title,
            date,
            target_phase: input.target_phase,
            model: input.model.filter(|m| !m.trim().is_empty()),
        };
        Ok(self
            .store()?
            .add_round_copying(round, input.copy_respondents_from)?)
    }

    /// `delete_round`.
    pub fn delete_round(&self, id: i64) -> ApiResult<()> {
        self.store()?.delete_round(id)?;
        self.round_gone(Some(id));
        Ok(())
    }

    /// `close_round`.
    /// Collecting on phones for the round stops.
    pub fn close_round(&self, id: i64) -> ApiResult<()> {
        self.store()?.close_round(id)?;
        self.round_gone(Some(id));
        Ok(())
    }

    /// `reopen_round`.
    pub fn reopen_round(&self, id: i64) -> ApiResult<()> {
        Ok(self.store()?.reopen_round(id)?)
    }

    /// `round_page`.
    pub fn round_page(&self, id: i64) -> ApiResult<RoundPage> {
        let (data, inbox) = {
            let store = self.store()?;
            (store.round_data(id)?, store.inbox_counts(id)?)
        };
        let respondents = data.scoring_respondents();
        let answered_per_question = scoring::answers_given(&data.model, &respondents);
        let asked_per_question = (0..data.model.questions.len())
            .map(|q| {
                respondents
                    .iter()
                    .filter(|r| data.model.asks(q, r.role_group))
                    .count() as u32
            })
            .collect();
        Ok(RoundPage {
            inbox_pending: inbox.pending,
            answered_per_question,
            asked_per_question,
            info: round_info(&data.info),
            model: model_view(&data.model),
            respondents: data
                .respondents
                .iter()
                .map(|r| respondent_row(r, &data.model))
                .collect(),
        })
    }
}
