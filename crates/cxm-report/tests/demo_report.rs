//! The demo's report built without a database: every character it prints exists in
//! the embedded font, and rendering is deterministic within one process.

use cxm_domain::demo::demo;
use cxm_domain::{Model, Side, compare, score};
use cxm_report::content::{self, HistoryPoint, Item, ReportInput, RespondentView, RoundMeta};
use cxm_report::pdf::fonts::{Weight, has_glyph};
use cxm_report::{Paper, PdfOptions, render_html, render_pdf};

fn texts(report: &content::Report) -> Vec<String> {
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
                        all.push(cell.text.clone());
                        if let Some((l, d)) = &cell.detail {
                            all.extend([l.clone(), d.clone()]);
                        }
                    }
                }
                Item::Chart { caption, .. } => all.push(caption.clone()),
            }
        }
    }
    all
}

#[test]
fn every_character_of_the_demo_report_is_in_the_font() {
    let model = Model::default_model();
    let data = demo(&model);
    let (before, after) = (
        data.rounds[0].scoring_respondents(),
        data.rounds[1].scoring_respondents(),
    );
    let (r1, r2) = (score(&model, &before), score(&model, &after));
    let comparison = compare(
        Side {
            model: &model,
            respondents: &before,
        },
        Side {
            model: &model,
            respondents: &after,
        },
    );
    let views: Vec<RespondentView> = data.rounds[1]
        .respondents
        .iter()
        .map(|r| RespondentView {
            name: r.name.clone(),
            role_group: r.role_group,
            department: Some(r.department.clone()),
            answers: r.answers.clone(),
            notes: r.notes.clone(),
        })
        .collect();
    let meta = |r: &cxm_domain::demo::DemoRound| RoundMeta {
        title: r.title.clone(),
        date: r.date.clone(),
        open: true,
        target_phase: r.target_phase,
    };
    let history = [(&data.rounds[0], &r1), (&data.rounds[1], &r2)]
        .iter()
        .map(|(round, res)| HistoryPoint {
            date: round.date.clone(),
            title: round.title.clone(),
            phase: res.organisation_phase,
            maturity: res
                .blocks
                .iter()
                .map(|b| (b.id.clone(), b.maturity))
                .collect(),
        })
        .collect();
    let input = ReportInput {
        organisation: &data.organisation,
        round: meta(&data.rounds[1]),
        model: &model,
        respondents: &views,
        results: &r2,
        comparison: Some((meta(&data.rounds[0]), &comparison)),
        history,
        prepared_by: Some("Jane Doe".into()),
        generated_on: "2026-11-22".into(),
    };
    let report = content::build(&input);
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
    let options = PdfOptions {
        paper: Paper::A4,
        logo: None,
        creation: chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap(),
    };
    let a = render_pdf(&input, &options).unwrap();
    assert_eq!(a, render_pdf(&input, &options).unwrap());
    let html = render_html(&input);
    assert!(html.contains("<svg") && html.contains("Executive summary"));
    // Every chart is named for screen readers.
    let charts = html.matches("<svg ").count();
    assert!(charts >= 8, "{charts} charts");
    assert_eq!(html.matches(" role=\"img\" aria-label=\"").count(), charts);
    assert!(html.contains("aria-label=\"Radar chart of each building block"));
}
