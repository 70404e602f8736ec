//! The board report: the one way a round becomes a PDF, for the app's *Export PDF* and
//! for `cxm report`. Both take the stored logo, "prepared by" and quote attribution;
//! the CLI's flags override them ([`ReportRequest`]). The organisation's plan goes in
//! too (the roadmap, and the projected phase), with its summary since the comparison
//! round when there is one.

use chrono::{DateTime, Utc};
use cxm_domain::plan::{PlanItem, carry_over, summary_sentence};
use cxm_report::input::{QuoteAttribution, ReportInput};
use cxm_report::{Paper, PdfOptions};

use crate::wire::{CompareWith, ExportOutcome};
use crate::{Api, ApiError, ApiResult, DialogSpec, file_name};

/// What a report is made with, beyond the stored settings.
#[derive(Debug, Clone)]
pub struct ReportRequest {
    /// The round compared with.
    pub compare_with: CompareWith,
    /// The paper size.
    pub paper: Paper,
    /// "Prepared by" instead of the stored setting (`Some("")`: none).
    pub prepared_by: Option<String>,
    /// A logo file's bytes (PNG or JPEG, checked and scaled like the app's) instead of
    /// the stored logo.
    pub logo: Option<(String, Vec<u8>)>,
    /// Whether quotes are attributed by name, instead of the stored setting.
    pub attribute_quotes: Option<bool>,
    /// The generation time written in the report (default: `SOURCE_DATE_EPOCH`, else
    /// the host's clock).
    pub creation: Option<DateTime<Utc>>,
    /// Also the same report as one HTML page (the benchmark's twin; feature `bench`).
    pub html: bool,
}

impl Default for ReportRequest {
    fn default() -> ReportRequest {
        ReportRequest {
            compare_with: CompareWith::Previous,
            paper: Paper::A4,
            prepared_by: None,
            logo: None,
            attribute_quotes: None,
            creation: None,
            html: false,
        }
    }
}

/// A rendered board report.
#[derive(Debug, Clone)]
pub struct Report {
    /// The PDF file's bytes.
    pub pdf: Vec<u8>,
    /// The same report as one HTML page, when asked (feature `bench`).
    pub html: Option<String>,
    /// The file name offered in the save dialog: "Organisation - Round.pdf".
    pub suggested_name: String,
}

/// The reproducible-build clock: `SOURCE_DATE_EPOCH` (seconds since 1970) when it is
/// set, so the same data gives the same PDF bytes; `None` when unset.
pub fn source_date_epoch() -> ApiResult<Option<DateTime<Utc>>> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => v
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|s| DateTime::from_timestamp(s, 0))
            .map(Some)
            .ok_or_else(|| {
                ApiError::invalid(format!(
                    "SOURCE_DATE_EPOCH=`{v}` is not a number of seconds since 1970"
                ))
            }),
        Err(_) => Ok(None),
    }
}

impl Api {
    /// The board report of `round`: scored and compared as asked, with the stored
    /// branding unless `request` overrides it. The store lock is held only to read.
    pub fn report(&self, round: i64, request: &ReportRequest) -> ApiResult<Report> {
        let loaded = self.scored(round, request.compare_with)?;
        let (stored_logo, stored_by_name, plan, carried, earlier) = {
            let store = self.store()?;
            let records = store.plan(loaded.info.organisation)?;
            // What the plan did since the comparison round: the items planned before this
            // round (as the results page counts them).
            let carried = crate::plan::carried_items(&records, loaded.info.id);
            let plan: Vec<PlanItem> = records.into_iter().map(|r| r.item).collect();
            // The comparison round (loaded already), only when a plan needs its results.
            let earlier = loaded.scored.earlier.as_ref().filter(|_| !plan.is_empty());
            (
                store.logo()?.map(|l| l.png),
                crate::settings::attribute_quotes(&store)?,
                plan,
                carried,
                earlier,
            )
        };
        let plan_summary = earlier.map(|source| {
            let before = cxm_domain::score(&source.model, &source.scoring());
            let now = &loaded.scored;
            summary_sentence(&carry_over(&now.round.model, &before, &now.results, &carried).summary)
        });
        let logo = match &request.logo {
            Some((name, bytes)) => Some(cxm_store::logo::prepare_logo(name, bytes)?.png),
            None => stored_logo,
        };
        let prepared_by = match request.prepared_by.as_deref().map(str::trim) {
            // The same rules and length as the app's setting.
            Some("") => None,
            Some(p) => Some(cxm_store::logo::clean_prepared_by(p)?),
            None => loaded.prepared_by.clone(),
        };
        let by_name = request.attribute_quotes.unwrap_or(stored_by_name);
        let creation = match request.creation {
            Some(t) => t,
            None => source_date_epoch()?.unwrap_or_else(|| self.host.now()),
        };
        let input = ReportInput::new(&loaded.scored, prepared_by, creation.date_naive())
            .with_quotes(if by_name {
                QuoteAttribution::Name
            } else {
                QuoteAttribution::RoleGroup
            })
            .with_plan(plan, plan_summary);
        let pdf = cxm_report::render_pdf(
            &input,
            &PdfOptions {
                paper: request.paper,
                logo,
                creation,
            },
        )
        .map_err(|e| ApiError::new(crate::wire::ErrorCode::Report, e.to_string()))?;
        #[cfg(feature = "bench")]
        let html = request.html.then(|| cxm_report::render_html(&input));
        #[cfg(not(feature = "bench"))]
        let html = request.html.then(String::new).and(None);
        Ok(Report {
            pdf,
            html,
            suggested_name: file_name(&format!(
                "{} - {}.pdf",
                loaded.info.organisation_name, loaded.info.title
            )),
        })
    }

    /// `export_pdf`: the board report ([`Api::report`], quotes attributed by name only
    /// when the `report.attribute_quotes` setting is on), through the save dialog (or
    /// `CXM_SAVE_PATH`), written atomically and opened with the system viewer (unless
    /// `CXM_NO_OPEN`). Cancelling the dialog writes nothing.
    pub fn export_pdf(&self, round: i64, compare_with: CompareWith) -> ApiResult<ExportOutcome> {
        let report = self.report(
            round,
            &ReportRequest {
                compare_with,
                ..ReportRequest::default()
            },
        )?;
        let Some(path) = self.save_path(&DialogSpec::PDF, &report.suggested_name)? else {
            return Ok(ExportOutcome {
                path: None,
                opened: false,
            });
        };
        self.write_export(&path, &report.pdf)?;
        let opened = !self.seams.no_open && self.host.open_file(&path);
        Ok(ExportOutcome {
            path: Some(path.display().to_string()),
            opened,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::process::Command;

    use cxm_domain::plan::{PlanStatus, explain_projection, project};
    use cxm_store::plan::NewPlanItem;

    use super::*;

    fn pdftotext(pdf: &[u8], dir: &std::path::Path) -> String {
        let path = dir.join("report.pdf");
        std::fs::write(&path, pdf).unwrap();
        let out = Command::new("pdftotext")
            .arg(&path)
            .arg("-")
            .output()
            .expect("pdftotext (poppler-utils)");
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn the_report_carries_the_organisations_plan_and_its_summary_since_the_comparison_round() {
        let dir = tempfile::tempdir().unwrap();
        let api = Api::open(Some(dir.path().join("cxm.sqlite")));
        let org = api.load_demo().unwrap();
        // The demo comes with a plan; this test starts from none.
        for item in api.plan(org).unwrap().items {
            api.delete_plan_item(item.id).unwrap();
        }
        let page = api.organisation_page(org).unwrap();
        let (first, last) = (
            page.rounds.first().unwrap().id,
            page.rounds.last().unwrap().id,
        );
        let request = |compare_with| ReportRequest {
            compare_with,
            creation: DateTime::from_timestamp(1_790_000_000, 0),
            ..ReportRequest::default()
        };
        let before = api.report(last, &request(CompareWith::Previous)).unwrap();
        api.store()
            .unwrap()
            .add_plan_items(
                org,
                &[NewPlanItem {
                    title: "Route customer insight to back-office teams".into(),
                    block: "voice-of-customer".into(),
                    question: Some("VOC-3.1".into()),
                    owner: Some("Priya Raman".into()),
                    due: Some("2026-Q4".parse().unwrap()),
                    effort: None,
                    status: PlanStatus::Done,
                    notes: None,
                    planned_from: Some(first),
                }],
            )
            .unwrap();
        let plan: Vec<PlanItem> = api
            .store()
            .unwrap()
            .plan(org)
            .unwrap()
            .into_iter()
            .map(|r| r.item)
            .collect();

        let with = api.report(last, &request(CompareWith::Previous)).unwrap();
        assert_ne!(with.pdf, before.pdf);
        let text = pdftotext(&with.pdf, dir.path());
        assert!(text.contains("Roadmap"));
        assert!(text.contains("Route customer insight to back-office teams"));
        // The summary since the comparison round, from the two rounds' results.
        let loaded = api.scored(last, CompareWith::Previous).unwrap();
        let earlier = api.store().unwrap().round_data(first).unwrap();
        let then = cxm_domain::score(&earlier.model, &earlier.scoring_respondents());
        let sentence = summary_sentence(
            &carry_over(
                &loaded.scored.round.model,
                &then,
                &loaded.scored.results,
                &plan,
            )
            .summary,
        );
        assert!(
            text.contains(&format!("Plan. Since the Baseline assessment: {sentence}")),
            "{sentence}"
        );
        // The projected phase on this round's answers.
        let respondents: Vec<_> = loaded
            .scored
            .round
            .respondents
            .iter()
            .map(cxm_domain::scored::RespondentView::scoring)
            .collect();
        let projection = project(&loaded.scored.round.model, &respondents, &plan);
        let explanation = explain_projection(&loaded.scored.round.model, &projection);
        let first = explanation.split(". ").next().unwrap();
        assert!(
            text.contains(&format!("Projected phase. {first}")),
            "{explanation}"
        );

        // Without a comparison round: the roadmap and the projection, no summary.
        let alone = pdftotext(
            &api.report(last, &request(CompareWith::None)).unwrap().pdf,
            dir.path(),
        );
        assert!(alone.contains("Roadmap") && alone.contains("Projected phase."));
        assert!(!alone.contains("Plan. Since"));
    }
}
