//! The demo report's text, as the sections build it, pinned by an insta snapshot: a
//! change of wording is a reviewed diff (`cargo insta review`, or
//! `INSTA_UPDATE=always cargo test -p cxm-report --test report_text` then read the
//! `.snap` file's diff).
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

mod common;

use common::{Engagement, Names};
use cxm_domain::Model;
use cxm_report::document::{ALERT, GOOD, Item, Report};
use cxm_report::input::QuoteAttribution;
use cxm_report::pdf::{Colour, Span};
use cxm_report::sections::build;

/// Bold runs as `**…**`, line breaks as ` / `; the bidi isolates around typed values
/// (drawn as nothing) left out.
fn spans(spans: &[Span]) -> String {
    spans
        .iter()
        .map(|s| match (s.bold, s.text.as_str()) {
            (_, "\n") => " / ".to_string(),
            (true, text) => {
                let text = plain(text);
                let word = text.trim_end();
                format!("**{word}**{}", &text[word.len()..])
            }
            (false, text) => plain(text),
        })
        .collect()
}

fn plain(text: &str) -> String {
    text.replace(['\u{2068}', '\u{2069}'], "")
}

/// The colour of a table cell, in words.
fn tone(colour: Option<Colour>) -> &'static str {
    match colour {
        None => "",
        Some(GOOD) => "(good) ",
        Some(ALERT) => "(alert) ",
        Some(Colour::MUTED) => "(muted) ",
        Some(_) => "(coloured) ",
    }
}

/// The report as plain text: the cover, then each section's items in order; tables as
/// rows of cells with their tone, charts as their kind, caption and texts.
fn text(report: &Report) -> String {
    let c = &report.cover;
    let mut out = vec![
        format!("title: {}", plain(&report.title)),
        format!("footer: {}", plain(&report.footer)),
        String::new(),
        "# Cover".to_string(),
        plain(&c.title),
        plain(&c.organisation),
        plain(&c.round),
        plain(&c.headline),
    ];
    out.extend(c.provisional.as_deref().map(plain));
    out.extend(
        c.prepared_by
            .as_deref()
            .map(|p| format!("Prepared by {}", plain(p))),
    );
    out.push(plain(&c.generated_on));
    for section in &report.sections {
        out.push(String::new());
        out.push(format!("# {}", plain(&section.title)));
        for item in &section.items {
            out.push(String::new());
            match item {
                Item::Heading(h) => out.push(format!("## {}", plain(h))),
                Item::Paragraph(s) => out.push(spans(s)),
                Item::Bullets(list) => out.extend(list.iter().map(|s| format!("- {}", spans(s)))),
                Item::Callout(s) => out.push(format!("[box] {}", spans(s))),
                Item::Quote { text, by } => {
                    out.push(format!("> “{}” – {}", plain(text), plain(by)))
                }
                Item::Table { columns, rows } => {
                    let header: Vec<&str> = columns.iter().map(|c| c.header.as_str()).collect();
                    out.push(format!("| {} |", header.join(" | ")));
                    for row in rows {
                        let cells: Vec<String> = row
                            .iter()
                            .map(|cell| {
                                let colour = cell.spans.first().and_then(|s| s.colour);
                                format!("{}{}", tone(colour), spans(&cell.spans))
                            })
                            .collect();
                        out.push(format!("| {} |", cells.join(" | ")));
                    }
                }
                Item::Chart { chart, caption, .. } => {
                    let kind = format!("{chart:?}");
                    let kind = kind.split('(').next().unwrap_or_default();
                    out.push(format!("[chart: {kind}] {}", plain(caption)));
                    let texts: Vec<String> = chart.texts().into_iter().map(plain).collect();
                    out.push(format!("  texts: {}", texts.join(" · ")));
                }
            }
        }
    }
    out.join("\n") + "\n"
}

#[test]
fn the_demo_reports_text() {
    let demo = Engagement::new(
        Model::default_model(),
        &Names {
            prepared_by: Some("Jane Doe"),
            ..Names::default()
        },
    );
    // Quotes attributed as by default: to role groups, never to names.
    let input = demo.input().with_quotes(QuoteAttribution::RoleGroup);
    insta::assert_snapshot!(text(&build(&input)));
}
