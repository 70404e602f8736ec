//! A building block's page: its explanation, its questions' bars and table, and the
//! notes quoted from the interviews.

use cxm_domain::explain::{self, figure};
use cxm_domain::scoring::at_least;

use super::quotes::{QuoteSource, quote_sources};
use super::{Ctx, bold_cell, cell, toned};
use crate::charts::{Chart, question_bars_data};
use crate::document::{ALERT, GOOD, Item, Section};
use crate::input::QuoteAttribution;
use crate::pdf::{Align, ColWidth::Fr, Colour, Column, Span, isolate};

pub(super) fn section(ctx: &Ctx<'_>, bi: usize) -> Section {
    let (m, r, input) = (ctx.m, ctx.r, ctx.input);
    let block = &m.blocks[bi];
    let result = &r.blocks[bi];
    let mut items = Vec::new();
    if !block.description.is_empty() {
        items.push(Item::Paragraph(vec![Span::new(block.description.clone())]));
    }
    items.push(Item::Callout(vec![Span::new(explain::block(m, r, bi))]));
    items.push(Item::Chart {
        chart: Chart::QuestionBars(question_bars_data(m, r, bi)),
        caption: format!(
            "Question attainment in {}, by phase; the line marks the threshold of {}.",
            block.name,
            figure(m.threshold)
        ),
        height: 0.42,
    });
    let rows = m
        .questions
        .iter()
        .enumerate()
        .filter(|(_, q)| q.block == bi)
        .map(|(i, q)| {
            let s = &r.questions[i];
            let (att, tone) = match s.attainment {
                Some(a) if at_least(a, m.threshold) => (figure(a), Some(GOOD)),
                Some(a) => (
                    figure(a),
                    (q.phase <= result.reached_phase + 1).then_some(ALERT),
                ),
                None => ("–".into(), Some(Colour::MUTED)),
            };
            let unsure = s.dont_know + s.not_applicable;
            vec![
                bold_cell(&q.id),
                cell(q.phase.to_string()),
                cell(&q.text),
                toned(att, tone),
                cell(s.answered.to_string()),
                if unsure > 0 {
                    cell(unsure.to_string())
                } else {
                    toned("–", Colour::MUTED)
                },
            ]
        })
        .collect();
    items.push(Item::Table {
        columns: vec![
            Column::new("ID", Fr(0.95)),
            Column::new("Phase", Fr(0.75)).with_align(Align::Right),
            Column::new("Practice", Fr(5.0)),
            Column::new("Attainment", Fr(1.25)).with_align(Align::Right),
            Column::new("Rated", Fr(0.8)).with_align(Align::Right),
            Column::new("dk/na", Fr(0.8)).with_align(Align::Right),
        ],
        rows,
    });

    // Respondents' notes on this block's questions, the ones that say most first.
    let sources = quote_sources(m, input.respondents);
    let mut quotes = Vec::new();
    for (i, q) in m
        .questions
        .iter()
        .enumerate()
        .filter(|(_, q)| q.block == bi)
    {
        for (person, source) in input.respondents.iter().zip(&sources) {
            if let Some(note) = person.notes.get(i).and_then(|n| n.as_deref()) {
                let who = match (input.quotes, source) {
                    (_, QuoteSource::Anonymous) => "a respondent".to_string(),
                    (QuoteAttribution::RoleGroup, QuoteSource::Group(g)) => {
                        isolate(&m.role_groups[*g].name)
                    }
                    (QuoteAttribution::RoleGroup, QuoteSource::GroupAndDepartment(g, d)) => {
                        format!("{} ({})", isolate(&m.role_groups[*g].name), isolate(d))
                    }
                    (QuoteAttribution::Name, QuoteSource::Group(g))
                    | (QuoteAttribution::Name, QuoteSource::GroupAndDepartment(g, _)) => {
                        let mut by = format!(
                            "{}, {}",
                            isolate(&person.name),
                            isolate(&m.role_groups[*g].name)
                        );
                        if let Some(d) = person
                            .department
                            .as_deref()
                            .map(str::trim)
                            .filter(|d| !d.is_empty())
                        {
                            by.push_str(&format!(" ({})", isolate(d)));
                        }
                        by
                    }
                };
                quotes.push((q.phase, note.to_string(), format!("{who}, on {}", q.id)));
            }
        }
    }
    if !quotes.is_empty() {
        items.push(Item::Heading("From the interviews".into()));
        // Notes nearest the organisation's frontier first; at most six.
        let frontier = r.organisation_phase + 1;
        quotes.sort_by_key(|(phase, _, _)| phase.abs_diff(frontier));
        let mut seen = std::collections::HashSet::new();
        for (_, text, by) in quotes
            .into_iter()
            .filter(|(_, text, _)| seen.insert(text.clone()))
            .take(6)
        {
            items.push(Item::Quote { text, by });
        }
    }
    Section {
        title: block.name.clone(),
        items,
    }
}
