//! The roadmap: the demo engagement's report with a plan of fourteen items has a
//! *Roadmap* section after the actions (the timeline chart, then the table, overdue
//! items marked as of the report's date), the plan summary and the projected phase in
//! the executive summary; without a plan the report is what it was.
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

mod common;

use common::{Engagement, Names, TempFile, look, normalise, options, poppler, words};
use cxm_domain::Model;
use cxm_domain::plan::{
    PlanItem, PlanStatus, carry_over, explain_projection, project, summary_sentence,
};
use cxm_domain::scored::RespondentView;
use cxm_report::charts::{Chart, MAX_STACK};
use cxm_report::document::{ALERT, Item, Report, Section};
use cxm_report::render_pdf;
use cxm_report::sections::build;

fn item(
    title: &str,
    block: &str,
    question: Option<&str>,
    owner: Option<&str>,
    due: Option<&str>,
    effort: &str,
    status: PlanStatus,
) -> PlanItem {
    PlanItem {
        id: String::new(),
        title: title.into(),
        block: block.into(),
        question: question.map(str::to_string),
        owner: owner.map(str::to_string),
        due: due.map(|d| d.parse().unwrap()),
        effort: Some(effort.parse().unwrap()),
        status,
        notes: None,
    }
}

/// Fourteen items on the demo's tier-1 actions (and two free ones), reported on
/// 22 November 2026: two open items are overdue (due in Q2 2026 and on 30 September
/// 2026), one item was dropped, one has no due date, and four share Culture's Q4 2026.
fn plan() -> Vec<PlanItem> {
    use PlanStatus::*;
    let mut plan = vec![
        item(
            "Shared customer measure in every department's goals",
            "strategy",
            Some("STR-3.2"),
            Some("Helen Marsh"),
            Some("2026-Q3"),
            "M",
            Done,
        ),
        item(
            "Check departmental targets against the main journeys",
            "strategy",
            Some("STR-3.5"),
            Some("Helen Marsh"),
            Some("2027-Q1"),
            "M",
            Planned,
        ),
        item(
            "Route customer insight to back-office teams",
            "voice-of-customer",
            Some("VOC-3.1"),
            Some("Priya Raman"),
            Some("2026-Q4"),
            "L",
            InProgress,
        ),
        item(
            "Tell customers what changed after their feedback",
            "voice-of-customer",
            Some("VOC-3.3"),
            Some("Priya Raman"),
            Some("2026-09-30"),
            "S",
            InProgress,
        ),
        item(
            "Call back unhappy customers within two working days",
            "voice-of-customer",
            Some("VOC-3.2"),
            Some("Contact centre"),
            Some("2027-Q2"),
            "M",
            Planned,
        ),
        item(
            "Yearly accessibility review of the main journeys",
            "process",
            Some("PRO-3.5"),
            Some("Tom Okafor"),
            Some("2027-Q3"),
            "M",
            Planned,
        ),
        item(
            "Customer promise in every induction",
            "culture",
            Some("CUL-3.5"),
            Some("Ana de la Cruz"),
            Some("2026-Q4"),
            "S",
            Done,
        ),
        item(
            "Front line resolves the common issues",
            "culture",
            Some("CUL-3.2"),
            Some("Jamie Fletcher"),
            Some("2026-Q4"),
            "L",
            InProgress,
        ),
        item(
            "Report a customer problem and hear back",
            "culture",
            Some("CUL-3.4"),
            None,
            Some("2026-Q4"),
            "M",
            Planned,
        ),
        item(
            "Explain how each role affects customers",
            "culture",
            Some("CUL-3.1"),
            Some("HR"),
            Some("2026-Q4"),
            "M",
            Planned,
        ),
        item(
            "Customer stories at every town hall",
            "culture",
            None,
            Some("Helen Marsh"),
            None,
            "S",
            Planned,
        ),
        item(
            "Retire the old complaints form",
            "process",
            None,
            None,
            Some("2027-Q1"),
            "S",
            Dropped,
        ),
        item(
            "Name an owner for each main journey",
            "process",
            Some("PRO-2.1"),
            Some("Tom Okafor"),
            Some("2026-Q2"),
            "S",
            Planned,
        ),
        item(
            "Each team knows its customer measure",
            "strategy",
            Some("STR-3.4"),
            Some("Helen Marsh"),
            Some("2027-Q1"),
            "S",
            Planned,
        ),
    ];
    for (n, item) in plan.iter_mut().enumerate() {
        item.id = format!("00000000-0000-4000-8000-{:012}", n + 1);
    }
    plan
}

fn demo() -> Engagement {
    Engagement::new(
        Model::default_model(),
        &Names {
            prepared_by: Some("Jane Doe"),
            ..Names::default()
        },
    )
}

/// The demo's report input with `plan` and its summary since the baseline.
fn with_plan(demo: &Engagement, plan: Vec<PlanItem>) -> cxm_report::input::ReportInput<'_> {
    let summary = summary_sentence(
        &carry_over(&demo.model, &demo.results[0], &demo.results[1], &plan).summary,
    );
    demo.input().with_plan(plan, Some(summary))
}

fn section<'a>(report: &'a Report, title: &str) -> Option<&'a Section> {
    report.sections.iter().find(|s| s.title == title)
}

fn pdf_text(pdf: &[u8], name: &str) -> String {
    let file = TempFile::with(&format!("roadmap-{name}.pdf"), pdf);
    normalise(&poppler("pdftotext", &[], &file.0))
}

/// Typed values are bidi isolates (they draw nothing): compare the words.
fn plain(text: &str) -> String {
    text.replace(['\u{2068}', '\u{2069}'], "")
}

#[test]
fn a_report_with_a_plan_has_a_roadmap_and_a_projected_phase() {
    let demo = demo();
    let plan = plan();
    let input = with_plan(&demo, plan.clone());
    let report = build(&input);

    // The roadmap comes right after the actions.
    let titles: Vec<&str> = report.sections.iter().map(|s| s.title.as_str()).collect();
    let at = titles.iter().position(|t| *t == "Roadmap").unwrap();
    assert_eq!(titles[at - 1], "Next-phase actions", "{titles:?}");
    let roadmap = &report.sections[at];

    // The chart first, with every item not dropped; then the table of all items, the
    // dropped one last.
    let chart = roadmap
        .items
        .iter()
        .find_map(|i| match i {
            Item::Chart {
                chart: Chart::Roadmap(d),
                ..
            } => Some(d),
            _ => None,
        })
        .expect("a roadmap chart");
    let charted: Vec<&str> = chart
        .lanes
        .iter()
        .flat_map(|l| l.items.iter().map(|i| i.title.as_str()))
        .collect();
    assert_eq!(charted.len(), 13);
    assert!(!charted.contains(&"Retire the old complaints form"));
    assert_eq!(
        chart.columns,
        [
            "Q2 2026", "Q3 2026", "Q4 2026", "Q1 2027", "Q2 2027", "Q3 2027", "No date"
        ]
    );
    let lanes: Vec<&str> = chart.lanes.iter().map(|l| l.block.as_str()).collect();
    assert_eq!(
        lanes,
        ["Strategy", "Voice of the Customer", "Process", "Culture"]
    );
    let overdue_on_chart: Vec<&str> = chart
        .lanes
        .iter()
        .flat_map(|l| &l.items)
        .filter(|i| i.overdue)
        .map(|i| i.title.as_str())
        .collect();
    assert_eq!(
        overdue_on_chart,
        [
            "Tell customers what changed after their feedback",
            "Name an owner for each main journey"
        ]
    );
    // Culture's Q4 2026 has four items: more than a column stacks.
    let culture_q4 = chart.lanes[3]
        .items
        .iter()
        .filter(|i| i.column == 2)
        .count();
    assert!(culture_q4 > MAX_STACK);

    let (columns, rows) = roadmap
        .items
        .iter()
        .find_map(|i| match i {
            Item::Table { columns, rows } => Some((columns, rows)),
            _ => None,
        })
        .unwrap();
    let headers: Vec<&str> = columns.iter().map(|c| c.header.as_str()).collect();
    assert_eq!(
        headers,
        [
            "#",
            "Item",
            "Block · question",
            "Owner",
            "Due",
            "Effort",
            "Status"
        ]
    );
    let row_text = |row: &Vec<cxm_report::pdf::Cell>| -> Vec<String> {
        row.iter()
            .map(|c| plain(&c.spans.iter().map(|s| s.text.as_str()).collect::<String>()))
            .collect()
    };
    let table: Vec<Vec<String>> = rows.iter().map(row_text).collect();
    assert_eq!(table.len(), 14);
    // Ordered by due day, the undated item after the dated ones, the dropped one last.
    assert_eq!(
        table[0],
        [
            "1",
            "Name an owner for each main journey",
            "Process · PRO-2.1",
            "Tom Okafor",
            "2026-Q2\noverdue",
            "S",
            "Planned"
        ]
    );
    assert_eq!(
        table[1][1],
        "Shared customer measure in every department's goals"
    );
    assert_eq!(table[1][6], "Done");
    assert_eq!(table[2][4], "2026-09-30\noverdue");
    assert_eq!(table[12][1], "Customer stories at every town hall");
    assert!(table[12][2].ends_with("· –"), "{}", table[12][2]);
    assert_eq!(table[12][4], "–");
    assert_eq!(table[13][1], "Retire the old complaints form");
    assert_eq!(table[13][6], "Dropped");
    // The overdue ones, and only they, are marked (in the alert colour).
    let marked: Vec<&str> = table
        .iter()
        .filter(|r| r[4].ends_with("overdue"))
        .map(|r| r[1].as_str())
        .collect();
    assert_eq!(
        marked,
        [
            "Name an owner for each main journey",
            "Tell customers what changed after their feedback"
        ]
    );
    assert!(
        rows[0][4]
            .spans
            .iter()
            .filter(|s| s.text != "\n")
            .all(|s| s.colour == Some(ALERT))
    );
    assert!(rows[1][4].spans.iter().all(|s| s.colour.is_none()));
    // An item due this quarter (Q4 2026, which ends after 22 November) is not overdue.
    assert!(table.iter().any(|r| r[4] == "2026-Q4"));

    // The executive summary: the plan since the baseline, and the projected phase with
    // its explanation.
    let respondents: Vec<_> = demo.views.iter().map(RespondentView::scoring).collect();
    let projection = project(&demo.model, &respondents, &plan);
    assert!(
        projection.projected_phase > projection.current_phase,
        "{}",
        explain_projection(&demo.model, &projection)
    );
    let explanation = explain_projection(&demo.model, &projection);
    let summary = section(&report, "Executive summary").unwrap();
    let paragraph = |label: &str| -> String {
        summary
            .items
            .iter()
            .find_map(|i| match i {
                Item::Paragraph(spans) if spans[0].text == label => Some(plain(
                    &spans.iter().map(|s| s.text.as_str()).collect::<String>(),
                )),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no {label:?} paragraph"))
    };
    assert_eq!(
        paragraph("Plan. "),
        "Plan. Since the Baseline assessment: 2 of 14 items done; none of them lifted a practice over the threshold. 1 item was dropped."
    );
    assert_eq!(
        paragraph("Projected phase. "),
        format!("Projected phase. {explanation} The roadmap lists the items.")
    );
    assert!(
        explanation.starts_with(&format!(
            "If every planned item brings its practice to the threshold 0.75, the organisation moves from phase {} ",
            projection.current_phase
        )),
        "{explanation}"
    );

    // In the PDF: the heading, the chart's own text, the rows, the marks, the summary.
    let pdf = render_pdf(&input, &options()).unwrap();
    look("roadmap", &pdf);
    let text = pdf_text(&pdf, "plan");
    for expected in [
        "Roadmap",
        "Plan items",
        "Q4 2026",
        "No date",
        "report date, 22 Nov 2026",
        "overdue on 22 Nov 2026",
        "+2 more",
        // Two-digit numbers stay on one line.
        "10 Each team knows its customer measure Strategy · STR-3.4",
        "Name an owner for each main journey Process · PRO-2.1 Tom Okafor 2026-Q2 overdue",
        "Retire the old complaints form",
        "2 open items are past their due date on 22 November 2026: they are marked overdue.",
        "The organisation's plan has 14 items: 8 planned, 3 in progress, 2 done and 1 dropped.",
        "Plan. Since the Baseline assessment: 2 of 14 items done",
        "Projected phase. If every planned item brings its practice to the threshold 0.75",
    ] {
        let expected = normalise(expected);
        assert!(text.contains(&expected), "{expected:?} not in the PDF");
    }
    // Every word of every page inside the margins, none overlapping another.
    let file = TempFile::with("roadmap-layout.pdf", &pdf);
    common::assert_laid_out_inside_margins(&words(&file.0));
    assert!(pdf.len() < 400 * 1024, "{} bytes", pdf.len());
}

#[test]
fn a_report_with_a_plan_is_the_same_bytes_every_time() {
    let demo = demo();
    let input = with_plan(&demo, plan());
    let a = render_pdf(&input, &options()).unwrap();
    assert_eq!(a, render_pdf(&input, &options()).unwrap());
    assert_ne!(a, demo.pdf(), "the plan is in the report");
}

#[test]
fn without_a_plan_there_is_no_roadmap_and_no_projection() {
    let demo = demo();
    let without = build(&demo.input());
    assert!(section(&without, "Roadmap").is_none());
    let summary = section(&without, "Executive summary").unwrap();
    assert!(!summary.items.iter().any(|i| matches!(
        i,
        Item::Paragraph(s) if s[0].text == "Projected phase. " || s[0].text == "Plan. "
    )));
    // An empty plan (with or without a summary) is no plan: the same report.
    assert_eq!(build(&demo.input().with_plan(Vec::new(), None)), without);
    assert_eq!(
        build(
            &demo
                .input()
                .with_plan(Vec::new(), Some("The plan has no items yet.".into()))
        ),
        without
    );
    let text = pdf_text(&demo.pdf(), "none");
    assert!(!text.contains("Roadmap") && !text.contains("Projected phase"));
}

#[test]
fn a_plan_of_dropped_items_has_a_table_but_no_chart() {
    let demo = demo();
    let mut plan = plan();
    for item in &mut plan {
        item.status = PlanStatus::Dropped;
    }
    let report = build(&with_plan(&demo, plan));
    let roadmap = section(&report, "Roadmap").unwrap();
    assert!(
        !roadmap
            .items
            .iter()
            .any(|i| matches!(i, Item::Chart { .. }))
    );
    assert!(
        roadmap
            .items
            .iter()
            .any(|i| matches!(i, Item::Table { rows, .. } if rows.len() == 14))
    );
    let intro = match &roadmap.items[0] {
        Item::Paragraph(s) => s[0].text.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(intro, "The organisation's plan has 14 items: 14 dropped.");
}
