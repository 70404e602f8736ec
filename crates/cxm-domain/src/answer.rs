//! Answers and the responses of one round, as scoring sees them.

use std::fmt;
use std::str::FromStr;

use crate::model::Model;

/// One answer to one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Answer {
    /// A value on the scale, `0..=S`.
    Scale(u8),
    /// Don't know: recorded, excluded from scores.
    DontKnow,
    /// Not applicable: recorded, excluded from scores; a phase answered only n/a is not applicable.
    NotApplicable,
}

impl Answer {
    /// The compact integer stored in the database: `0..=S`, −1 don't know, −2 n/a.
    pub fn code(self) -> i64 {
        match self {
            Answer::Scale(v) => i64::from(v),
            Answer::DontKnow => -1,
            Answer::NotApplicable => -2,
        }
    }

    /// Inverse of [`Answer::code`].
    pub fn from_code(code: i64) -> Option<Answer> {
        match code {
            -1 => Some(Answer::DontKnow),
            -2 => Some(Answer::NotApplicable),
            0..=255 => Some(Answer::Scale(code as u8)),
            _ => None,
        }
    }

    /// The scale value, if this is one.
    pub fn value(self) -> Option<u8> {
        match self {
            Answer::Scale(v) => Some(v),
            _ => None,
        }
    }

    /// Whether the answer is valid on `model`'s scale.
    pub fn fits(self, model: &Model) -> bool {
        match self {
            Answer::Scale(v) => v <= model.scale.max,
            _ => true,
        }
    }
}

impl fmt::Display for Answer {
    /// The CSV spelling: the number, `dk` or `na`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Answer::Scale(v) => write!(f, "{v}"),
            Answer::DontKnow => f.write_str("dk"),
            Answer::NotApplicable => f.write_str("na"),
        }
    }
}

/// Why a text is not an answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an answer (use a whole number, dk or na)")]
pub struct ParseAnswerError(pub String);

impl FromStr for Answer {
    type Err = ParseAnswerError;
    /// Reads `3`, `dk`, `na`, `n/a`, `don't know` (any case). The range is not checked.
    fn from_str(s: &str) -> Result<Answer, ParseAnswerError> {
        let t = s.trim();
        let lower = t.to_ascii_lowercase();
        match lower.as_str() {
            "dk" | "don't know" | "dont know" | "don’t know" => return Ok(Answer::DontKnow),
            "na" | "n/a" | "not applicable" => return Ok(Answer::NotApplicable),
            _ => {}
        }
        if !t.is_empty()
            && t.bytes().all(|b| b.is_ascii_digit())
            && let Ok(v) = t.parse::<u8>()
        {
            return Ok(Answer::Scale(v));
        }
        Err(ParseAnswerError(t.to_string()))
    }
}

/// One respondent's answers in one round, indexed like [`Model::questions`].
#[derive(Debug, Clone, PartialEq)]
pub struct Respondent {
    /// Index into [`Model::role_groups`].
    pub role_group: usize,
    /// `answers[i]` answers `model.questions[i]`; `None` = unanswered.
    pub answers: Vec<Option<Answer>>,
}

impl Respondent {
    /// A respondent with no answers yet.
    pub fn new(model: &Model, role_group: usize) -> Respondent {
        Respondent {
            role_group,
            answers: vec![None; model.questions.len()],
        }
    }

    /// Whether at least one answer is a scale value (what makes a group respondent).
    pub fn has_scale_value(&self) -> bool {
        self.answers
            .iter()
            .any(|a| matches!(a, Some(Answer::Scale(_))))
    }

    /// Whether every question the respondent's role group is asked has an answer
    /// (scale, don't know or n/a): a complete interview. Questions outside the
    /// group's audience may be answered too, but are not needed.
    pub fn is_complete(&self, model: &Model) -> bool {
        self.answers
            .iter()
            .enumerate()
            .all(|(q, a)| a.is_some() || !model.asks(q, self.role_group))
    }

    /// Number of the questions the respondent's role group is asked that have an
    /// answer: the interview's completion, out of [`Model::asked_count`].
    pub fn answered_of_asked(&self, model: &Model) -> usize {
        self.answers
            .iter()
            .enumerate()
            .filter(|&(q, a)| a.is_some() && model.asks(q, self.role_group))
            .count()
    }

    /// Number of questions answered.
    pub fn answered(&self) -> usize {
        self.answers.iter().filter(|a| a.is_some()).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_codes() {
        assert_eq!("3".parse::<Answer>(), Ok(Answer::Scale(3)));
        assert_eq!(" DK ".parse::<Answer>(), Ok(Answer::DontKnow));
        assert_eq!("n/a".parse::<Answer>(), Ok(Answer::NotApplicable));
        assert!("3.5".parse::<Answer>().is_err());
        assert!("-1".parse::<Answer>().is_err());
        assert!("".parse::<Answer>().is_err());
        for a in [
            Answer::Scale(0),
            Answer::Scale(4),
            Answer::DontKnow,
            Answer::NotApplicable,
        ] {
            assert_eq!(Answer::from_code(a.code()), Some(a));
            assert_eq!(a.to_string().parse::<Answer>(), Ok(a));
        }
    }
}
