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
