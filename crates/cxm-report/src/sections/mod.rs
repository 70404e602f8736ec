//! What the board report says: its cover and sections, built from a round's results
//! ([`build`]), one module per section, independent of how they are typeset.

use chrono::{Datelike, NaiveDate};
use cxm_domain::Model;
use cxm_domain::scoring::{Results, at_least};

use crate::document::{ALERT, Cover, GOOD, Report};
use crate::input::ReportInput;
use crate::pdf::{Cell, Colour, isolate};

mod actions;
mod alignment;
mod block;
mod method;
mod position;
mod progress;
mod quotes;
mod roadmap;
mod summary;

pub use quotes::{QuoteSource, quote_sources};

/// Builds the report from its input.
pub fn build(input: &ReportInput<'_>) -> Report {
    let ctx = Ctx {
        input,
        m: input.model,
        r: input.results,
    };
    let round_line = format!(
        "{} · {}",
        isolate(&input.round.title),
        long_date(input.round.date)
    );
    let provisional = input.round.open.then(|| {
        format!(
            "Provisional: the round is still open; {} of {} interviews are complete. Figures may change.",
            ctx.r.interviews_complete, ctx.r.respondents
        )
    });
    let mut sections = vec![summary::section(&ctx), position::section(&ctx)];
    if input.history.len() > 1 || input.comparison.is_some() {
        sections.push(progress::section(&ctx));
    }
    sections.push(alignment::section(&ctx));
    for b in 0..ctx.m.blocks.len() {
        sections.push(block::section(&ctx, b));
    }
    sections.push(actions::section(&ctx));
    if !input.plan.is_empty() {
        sections.push(roadmap::section(&ctx));
    }
    sections.push(method::section(&ctx));
    Report {
        title: format!("CX maturity assessment: {}", isolate(input.organisation)),
        footer: format!("{} · {}", isolate(input.organisation), round_line),
        cover: Cover {
            organisation: input.organisation.to_string(),
            title: "Customer-experience maturity assessment".to_string(),
            round: round_line,
            headline: format!(
                "The organisation is {}.",
                ctx.phase_phrase(ctx.r.organisation_phase)
            ),
            prepared_by: input.prepared_by.clone(),
            generated_on: format!("Generated on {}", long_date(input.generated_on)),
            provisional,
        },
        sections,
    }
}

/// What every section is built from.
struct Ctx<'a> {
    input: &'a ReportInput<'a>,
    m: &'a Model,
    r: &'a Results,
}

impl Ctx<'_> {
    fn group_name(&self, id: &str) -> String {
        self.m
            .role_group_index(id)
            .map(|g| self.m.role_groups[g].name.clone())
            .unwrap_or_else(|| id.to_string())
    }

    fn phase_phrase(&self, p: u32) -> String {
        if p == 0 {
            "not yet at phase 1".to_string()
        } else {
            format!("in phase {p}, {}", self.m.phase_name(p))
        }
    }

    fn question_text(&self, id: &str) -> &str {
        self.m
            .question_index(id)
            .map(|i| self.m.questions[i].text.as_str())
            .unwrap_or("")
    }

    fn hidden_groups(&self) -> Vec<usize> {
        self.r
            .alignment
            .first()
            .map(|a| {
                a.hidden_groups
                    .iter()
                    .filter_map(|h| self.m.role_group_index(&h.role_group))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// `2026-09-08` → `8 September 2026`.
fn long_date(date: NaiveDate) -> String {
    format!("{} {} {}", date.day(), date.format("%B"), date.year())
}

/// `a`, `a and b`, `a, b and c`.
fn join(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A table cell. Its text is a value of its own (a name, a figure): it takes its own
/// direction.
fn cell(text: impl AsRef<str>) -> Cell {
    Cell::text(isolate(text.as_ref()))
}

/// A table cell in bold.
fn bold_cell(text: impl AsRef<str>) -> Cell {
    Cell::bold(isolate(text.as_ref()))
}

/// A table cell in `colour` ([`GOOD`], [`ALERT`], [`Colour::MUTED`]), if any.
fn toned(text: impl AsRef<str>, colour: impl Into<Option<Colour>>) -> Cell {
    match colour.into() {
        Some(colour) => cell(text).with_colour(colour),
        None => cell(text),
    }
}

/// Whether a change between rounds is a rise, beyond the tolerance of every threshold
/// comparison.
fn rose(change: f64) -> bool {
    !at_least(0.0, change)
}

/// The colour of a change between rounds: a rise is good news, a fall needs
/// attention, anything within the tolerance is neither.
fn change_colour(change: f64) -> Option<Colour> {
    if rose(change) {
        Some(GOOD)
    } else if !at_least(change, 0.0) {
        Some(ALERT)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_in_words() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(long_date(day(2026, 9, 8)), "8 September 2026");
        assert_eq!(long_date(day(2027, 1, 31)), "31 January 2027");
    }

    #[test]
    fn a_change_within_the_tolerance_is_no_change() {
        assert!(rose(0.01) && !rose(1e-10) && !rose(0.0) && !rose(-0.01));
        assert_eq!(change_colour(0.01), Some(GOOD));
        assert_eq!(change_colour(-0.01), Some(ALERT));
        assert_eq!(change_colour(1e-9), None);
        assert_eq!(change_colour(-1e-9), None);
    }
}
