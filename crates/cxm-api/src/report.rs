//! The board report: the one way a round becomes a PDF, for the app's *Export PDF* and
//! for `cxm report`. Both take the stored logo, "prepared by" and quote attribution;
//! the CLI's flags override them ([`ReportRequest`]).

use chrono::{DateTime, Utc};
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
        let (stored_logo, stored_by_name) = {
            let store = self.store()?;
            (
                store.logo()?.map(|l| l.png),
                crate::settings::attribute_quotes(&store)?,
            )
        };
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
            });
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
