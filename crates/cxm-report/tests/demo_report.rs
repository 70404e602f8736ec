//! The demo's report built without a database: every character it prints exists in
//! the embedded font, and rendering is deterministic within one process.
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

mod common;

use common::{Engagement, Names, options};
use cxm_domain::Model;
use cxm_report::document::{Item, Report};
use cxm_report::input::{QuoteAttribution, ReportInput};
use cxm_report::pdf::fonts::{Weight, has_glyph};
use cxm_report::render_pdf;
use cxm_report::sections::build;

fn texts(report: &Report) -> Vec<String> {
    let mut all = vec![report.title.clone(), report.footer.clone()];
    let c = &report.cover;
    all.extend([
        c.organisation.clone(),
        c.title.clone(),
        c.round.clone(),
        c.headline.clone(),
        c.generated_on.clone(),
    ]);
    all.extend(c.prepared_by.clone());
    all.extend(c.provisional.clone());
    for s in &report.sections {
        all.push(s.title.clone());
        for item in &s.items {
            match item {
                Item::Heading(h) => all.push(h.clone()),
                Item::Paragraph(sp) | Item::Callout(sp) => {
                    all.extend(sp.iter().map(|s| s.text.clone()))
                }
                Item::Bullets(list) => all.extend(list.iter().flatten().map(|s| s.text.clone())),
                Item::Quote { text, by } => all.extend([text.clone(), by.clone()]),
                Item::Table { columns, rows } => {
                    all.extend(columns.iter().map(|c| c.header.clone()));
                    for cell in rows.iter().flatten() {
                        all.extend(cell.spans.iter().map(|s| s.text.clone()));
                    }
                }
                Item::Chart { caption, .. } => all.push(caption.clone()),
            }
        }
    }
    all
}

/// The demo's two rounds scored and compared, as the other report tests build them
/// (`common::Engagement`), with the input's quotes attributed as by default.
struct DemoReport(Engagement);

impl std::ops::Deref for DemoReport {
    type Target = Engagement;
    fn deref(&self) -> &Engagement {
        &self.0
    }
}

impl std::ops::DerefMut for DemoReport {
    fn deref_mut(&mut self) -> &mut Engagement {
        &mut self.0
    }
}

impl DemoReport {
    fn new() -> DemoReport {
        DemoReport(Engagement::new(
            Model::default_model(),
            &Names {
                prepared_by: Some("Jane Doe"),
                ..Names::default()
            },
        ))
    }

    /// The later round's report input (quotes attributed as by default).
    fn input(&self) -> ReportInput<'_> {
        self.0.input().with_quotes(QuoteAttribution::RoleGroup)
    }

    /// Every respondent's name in either round.
    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .data
            .rounds
            .iter()
            .flat_map(|r| r.respondents.iter().map(|p| p.name.clone()))
            .collect();
        names.sort();
        names.dedup();
        names
    }
}

/// The PDF's text as poppler's `pdftotext` extracts it, one space between words.
fn pdf_text(pdf: &[u8], name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("demo-report-{name}-{}.pdf", std::process::id()));
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/test.sh");
    let _ = std::fs::remove_file(&path);
    assert!(out.status.success(), "pdftotext failed");
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every quote's attribution, in report order.
fn attributions(report: &Report) -> Vec<String> {
    report
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .filter_map(|i| match i {
            // Typed values are bidi isolates (they draw nothing): compare the words.
            Item::Quote { by, .. } => Some(by.replace(['\u{2068}', '\u{2069}'], "")),
            _ => None,
        })
        .collect()
}

/// The method appendix's paragraph that starts with `label`.
fn method_paragraph(report: &Report, label: &str) -> String {
    let method = report
        .sections
        .iter()
        .find(|s| s.title == "Method")
        .expect("a method appendix");
    method
        .items
        .iter()
        .find_map(|i| match i {
            Item::Paragraph(spans) if spans.first().is_some_and(|s| s.text == label) => {
                Some(spans.iter().map(|s| s.text.as_str()).collect::<String>())
            }
            _ => None,
        })
        .unwrap_or_else(|| panic!("no {label:?} paragraph in the method appendix"))
}

#[test]
fn every_character_of_the_demo_report_is_in_the_font() {
    let demo = DemoReport::new();
    let model = &demo.model;
    let input = demo.input();
    let report = build(&input);
    let mut missing: Vec<char> = texts(&report)
        .iter()
        .flat_map(|t| t.chars())
        .filter(|&c| c != '\n' && !(has_glyph(Weight::Regular, c) && has_glyph(Weight::Bold, c)))
        .collect();
    missing.sort_unstable();
    missing.dedup();
    assert!(missing.is_empty(), "characters the font lacks: {missing:?}");
    // The model's own texts too: questions, guidance and recommendations are quoted.
    for q in &model.questions {
        for c in q.text.chars().chain(q.recommendation.chars()) {
            assert!(has_glyph(Weight::Regular, c), "{} has {c:?}", q.id);
        }
    }

    // An open round is marked provisional on the cover and in the summary.
    assert!(
        report
            .cover
            .provisional
            .as_deref()
            .unwrap_or("")
            .contains("15 of 16 interviews")
    );
    // Rendering twice in one process gives the same bytes.
    let options = options();
    let a = render_pdf(&input, &options).unwrap();
    assert_eq!(a, render_pdf(&input, &options).unwrap());
}

#[test]
fn by_default_quotes_name_no_one_only_role_groups_and_departments_with_enough_respondents() {
    let demo = DemoReport::new();
    let input = demo.input();
    let report = build(&input);
    let text = pdf_text(&render_pdf(&input, &options()).unwrap(), "default");
    assert!(text.contains("From the interviews"), "the demo has quotes");
    // No respondent's name (nor surname) anywhere: quotes, tables, appendix.
    for name in demo.names() {
        let surname = name.split_whitespace().last().unwrap();
        assert!(!text.contains(surname), "{name} in the PDF");
    }

    // Each quote is attributed to a role group, with the department only where at least
    // the anonymity threshold of the round's respondents share both.
    let by = attributions(&report);
    assert_eq!(by.len(), 24, "{by:#?}");
    let groups: Vec<&str> = demo
        .model
        .role_groups
        .iter()
        .map(|g| g.name.as_str())
        .collect();
    for b in &by {
        let (who, question) = b.rsplit_once(", on ").expect("“…, on QUESTION”");
        assert!(
            demo.model.question_index(question).is_some(),
            "{b}: a question id last"
        );
        let group = who.split(" (").next().unwrap();
        assert!(groups.contains(&group), "{b}: a role group first");
    }
    for group in &groups {
        assert!(
            by.iter().any(|b| b.starts_with(group)),
            "a quote of the {group} group: {by:#?}"
        );
    }
    // The demo's review: only the contact centre has three respondents (all front line);
    // every other department has one or two and is never named.
    let mut departments: Vec<&str> = demo.data.rounds[1]
        .respondents
        .iter()
        .map(|r| r.department.as_str())
        .collect();
    departments.sort_unstable();
    departments.dedup();
    for d in departments {
        let members = demo.data.rounds[1]
            .respondents
            .iter()
            .filter(|r| r.department == d)
            .count();
        let named = by.iter().filter(|b| b.contains(&format!("({d})"))).count();
        if members < 3 {
            assert_eq!(named, 0, "{d} has {members} respondents: {by:#?}");
        }
    }
    // A department named is shared, with the role group, by at least the anonymity
    // threshold of the round's respondents: in the demo, the contact centre's front line.
    let threshold = demo.model.anonymity_threshold as usize;
    let mut named = 0;
    for b in by.iter().filter(|b| b.contains('(')) {
        let (group, rest) = b.split_once(" (").unwrap();
        let department = rest.split_once("), on ").unwrap().0;
        let sharing = demo.data.rounds[1]
            .respondents
            .iter()
            .filter(|r| {
                demo.model.role_groups[r.role_group].name == group && r.department == department
            })
            .count();
        assert!(sharing >= threshold, "{b}: {sharing} respondents share it");
        named += 1;
    }
    assert!(
        named > 0
            && by
                .iter()
                .all(|b| !b.contains('(') || b.starts_with("Front line (Contact centre), on ")),
        "{by:#?}"
    );
    // The appendix says how quotes are attributed, in the PDF too.
    let quotes = method_paragraph(&report, "Quotes. ");
    assert!(
        quotes.contains("quoted without names")
            && quotes.contains("at least 3 respondents of the round share both"),
        "{quotes}"
    );
    assert!(text.contains("Quotes. Notes from the interviews are quoted without names"));
}

#[test]
fn a_department_is_named_only_where_enough_respondents_share_it_and_the_role_group() {
    let mut demo = DemoReport::new();
    let person =
        |demo: &DemoReport, name: &str| demo.views.iter().position(|p| p.name == name).unwrap();
    let voc_3_1 = demo.model.question_index("VOC-3.1").unwrap();
    // The contact centre's three front-line respondents are enough: a note of one of
    // them is attributed to the front line in the contact centre.
    let jamie = person(&demo, "Jamie Fletcher");
    assert_eq!(
        demo.views[jamie].department.as_deref(),
        Some("Contact centre")
    );
    demo.views[jamie].notes[voc_3_1] =
        Some("Insight from the callback survey reaches our team leads every Monday.".into());
    // A manager moves to the contact centre: the department now has four respondents,
    // but she is its only manager, so her notes do not name it.
    let sofia = person(&demo, "Sofia Lindqvist");
    demo.views[sofia].department = Some(" contact Centre ".into());
    let report = build(&demo.input());
    let by = attributions(&report);
    assert!(
        by.contains(&"Front line (Contact centre), on VOC-3.1".to_string()),
        "{by:#?}"
    );
    assert!(by.contains(&"Manager, on VOC-2.2".to_string()), "{by:#?}");
    assert!(!by.iter().any(|b| b.starts_with("Manager (")), "{by:#?}");
}

#[test]
fn quotes_name_respondents_only_when_chosen_and_the_appendix_says_so() {
    let demo = DemoReport::new();
    let input = demo.input().with_quotes(QuoteAttribution::Name);
    let report = build(&input);
    let by = attributions(&report);
    assert_eq!(by.len(), 24);
    // Every quote names its respondent (the demo has no hidden group), with role group
    // and department as before.
    let round = &demo.data.rounds[1].respondents;
    for b in &by {
        let who = round
            .iter()
            .find(|p| b.starts_with(&format!("{}, ", p.name)))
            .unwrap_or_else(|| panic!("{b}: no name"));
        let group = &demo.model.role_groups[who.role_group].name;
        assert!(
            b.starts_with(&format!("{}, {group} ({}), on ", who.name, who.department)),
            "{b}"
        );
    }
    assert!(by.contains(&"Helen Marsh, Executive (Executive board), on VOC-3.1".to_string()));
    let text = pdf_text(&render_pdf(&input, &options()).unwrap(), "names");
    assert!(text.contains("– Helen Marsh, Executive (Executive board), on VOC-3.1"));
    let quotes = method_paragraph(&report, "Quotes. ");
    assert!(
        quotes.starts_with(
            "Quotes. As chosen for this report, notes from the interviews are attributed by name"
        ),
        "{quotes}"
    );
    assert!(text.contains(
        "Quotes. As chosen for this report, notes from the interviews are attributed by name"
    ));
    assert!(!text.contains("quoted without names."));
}

/// The HTML twin of the benchmark (feature `bench`): the same text, every chart named
/// for screen readers, quotes attributed as in the PDF.
#[cfg(feature = "bench")]
#[test]
fn the_html_page_has_the_reports_text_and_charts() {
    use cxm_report::render_html;

    let demo = DemoReport::new();
    let html = render_html(&demo.input());
    assert!(html.contains("<svg") && html.contains("Executive summary"));
    let charts = html.matches("<svg ").count();
    assert!(charts >= 8, "{charts} charts");
    assert_eq!(html.matches(" role=\"img\" aria-label=\"").count(), charts);
    assert!(html.contains("aria-label=\"Radar chart of each building block"));
    // No respondent's name (nor surname) by default; names when chosen.
    for name in demo.names() {
        let surname = name.split_whitespace().last().unwrap();
        assert!(!html.contains(surname), "{name} in the HTML");
    }
    assert!(
        render_html(&demo.input().with_quotes(QuoteAttribution::Name))
            .replace(['\u{2068}', '\u{2069}'], "")
            .contains("Helen Marsh, Executive (Executive board), on VOC-3.1")
    );
}
