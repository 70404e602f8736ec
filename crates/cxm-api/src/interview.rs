//! The interview: respondents, the questionnaire, answers and notes.

use std::str::FromStr;

use cxm_domain::Answer;

use crate::*;

impl Api {
    /// `add_respondent`.
    pub fn add_respondent(&self, round: i64, input: RespondentInput) -> ApiResult<i64> {
        let respondent = new_respondent(input)?;
        Ok(self.store()?.add_respondent(round, respondent)?)
    }

    /// `update_respondent`.
    pub fn update_respondent(&self, id: i64, input: RespondentInput) -> ApiResult<()> {
        let respondent = new_respondent(input)?;
        Ok(self.store()?.update_respondent(id, respondent)?)
    }

    /// `remove_respondent`.
    pub fn remove_respondent(&self, id: i64) -> ApiResult<()> {
        Ok(self.store()?.remove_respondent(id)?)
    }

    /// `questionnaire`.
    pub fn questionnaire(&self, respondent: i64) -> ApiResult<Questionnaire> {
        let (data, i) = respondent_data(&*self.store()?, respondent)?;
        let record = &data.respondents[i];
        let answers = record
            .answers
            .answers
            .iter()
            .zip(&record.notes)
            .map(|(a, n)| AnswerCell {
                value: a.map(|a| a.to_string()),
                note: n.clone(),
            })
            .collect();
        let group = record.answers.role_group;
        let asked: Vec<bool> = (0..data.model.questions.len())
            .map(|q| data.model.asks(q, group))
            .collect();
        let resume_index = record
            .answers
            .answers
            .iter()
            .zip(&asked)
            .position(|(a, &asked)| a.is_none() && asked)
            .unwrap_or(0) as u32;
        Ok(Questionnaire {
            respondent: respondent_row(record, &data.model),
            round: round_info(&data.info),
            model: model_view(&data.model),
            answers,
            asked,
            resume_index,
        })
    }

    /// `set_answer`: `value` is `"0"`..`"S"`, `"dk"`, `"na"`, or `None` to clear.
    /// Returns the respondent's completion after the write.
    pub fn set_answer(
        &self,
        respondent: i64,
        question_id: &str,
        value: Option<&str>,
    ) -> ApiResult<Progress> {
        let answer = match value.map(str::trim) {
            None | Some("") => None,
            Some(v) => Some(Answer::from_str(v).map_err(|e| ApiError::invalid(e.to_string()))?),
        };
        let mut store = self.store()?;
        store.set_answer(respondent, question_id, answer)?;
        let (data, i) = respondent_data(&store, respondent)?;
        drop(store);
        Ok(progress(&data.respondents[i], &data.model))
    }

    /// `set_note`: `None` or blank clears it.
    pub fn set_note(
        &self,
        respondent: i64,
        question_id: &str,
        note: Option<String>,
    ) -> ApiResult<()> {
        Ok(self.store()?.set_note(respondent, question_id, note)?)
    }
}
