//! `cxm report`: the board PDF of a round.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use clap::{Args, ValueEnum};
use cxm_domain::scored::{HistoryPoint, RespondentView, RoundMeta, RoundSource, Scored};
use cxm_report::input::{QuoteAttribution, ReportInput};
use cxm_report::{Paper, PdfOptions};
use cxm_store::{RoundData, RoundInfo, RoundStatus, Store};

use crate::fail::Fail;
use crate::{out, read_file, write_atomically};

/// Paper size.
#[derive(Clone, Copy, ValueEnum)]
pub enum PaperArg {
    /// ISO A4 (210 × 297 mm).
    A4,
    /// US Letter (8.5 × 11 in).
    Letter,
}

/// Arguments of `cxm report`.
#[derive(Args)]
pub struct ReportArgs {
    /// The round to report on.
    round: i64,
    /// Where to write the PDF.
    #[arg(short, long)]
    output: PathBuf,
    /// The round to compare with (default: the organisation's previous round).
    #[arg(long)]
    compare: Option<i64>,
    /// Do not compare with any round.
    #[arg(long, conflicts_with = "compare")]
    no_compare: bool,
    /// Paper size.
    #[arg(long, value_enum, default_value_t = PaperArg::A4)]
    paper: PaperArg,
    /// "Prepared by" text on the cover (default: the report.prepared_by setting).
    #[arg(long)]
    prepared_by: Option<String>,
    /// A PNG logo for the cover.
    #[arg(long)]
    logo: Option<PathBuf>,
    /// Attribute the interview quotes to respondents by name (with role group and
    /// department). By default a quote names only the role group, and the department
    /// where at least the anonymity threshold of respondents share both: interviewees
    /// are usually promised confidentiality.
    #[arg(long)]
    attribute_quotes: bool,
    /// Also write the same report as one HTML page (used by the benchmark).
    #[arg(long, hide = true)]
    html: Option<PathBuf>,
}

/// The generation time: `SOURCE_DATE_EPOCH` when set (reproducible builds), else now.
fn generation_time() -> Result<DateTime<Utc>, Fail> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => v
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|s| DateTime::from_timestamp(s, 0))
            .ok_or_else(|| {
                Fail::msg(format!(
                    "SOURCE_DATE_EPOCH=`{v}` is not a number of seconds since 1970"
                ))
            }),
        Err(_) => Ok(Utc::now()),
    }
}

fn meta(info: &RoundInfo) -> RoundMeta {
    RoundMeta {
        title: info.title.clone(),
        date: info.date,
        open: info.status == RoundStatus::Open,
        target_phase: info.target_phase,
    }
}

/// A round as the report's scoring takes it.
fn source(data: &RoundData) -> RoundSource {
    RoundSource {
        meta: meta(&data.info),
        model: Arc::clone(&data.model),
        respondents: data
            .respondents
            .iter()
            .map(|r| RespondentView {
                name: r.name.clone(),
                role_group: r.answers.role_group,
                department: r.department.clone(),
                answers: r.answers.answers.clone(),
                notes: r.notes.clone(),
            })
            .collect(),
    }
}

/// Run `cxm report`.
pub fn run(store: &Store, args: ReportArgs) -> Result<(), Fail> {
    let when = generation_time()?;
    let data = store.round_data(args.round)?;
    let logo = match &args.logo {
        Some(path) => Some(read_file(path)?),
        None => None,
    };
    let earlier = match (args.compare, args.no_compare) {
        (_, true) => None,
        (Some(id), _) => Some(store.comparison_round(&data, id)?),
        (None, false) => match store.previous_round(args.round)? {
            Some(prev) => Some(store.round_data(prev.id)?),
            None => None,
        },
    };

    let history: Vec<HistoryPoint> = store
        .rounds(Some(data.info.organisation))?
        .into_iter()
        .filter(|r| (r.date, r.id) <= (data.info.date, data.info.id))
        .filter_map(|r| {
            Some(HistoryPoint {
                date: r.date,
                title: r.title.clone(),
                phase: r.phase?,
                maturity: r
                    .block_maturity
                    .iter()
                    .map(|b| (b.block.clone(), b.maturity))
                    .collect(),
            })
        })
        .collect();
    let prepared_by = match args.prepared_by.as_deref().map(str::trim) {
        // The same rules and length as the app's setting.
        Some(p) if !p.is_empty() => Some(cxm_store::logo::clean_prepared_by(p)?),
        Some(_) => None,
        None => store
            .setting("report.prepared_by")?
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty()),
    };
    let scored = Scored::new(
        data.info.organisation_name.clone(),
        source(&data),
        earlier.as_ref().map(source),
        history,
    );
    let input = ReportInput::new(&scored, prepared_by, when.date_naive()).with_quotes(
        if args.attribute_quotes {
            QuoteAttribution::Name
        } else {
            QuoteAttribution::RoleGroup
        },
    );
    let options = PdfOptions {
        paper: match args.paper {
            PaperArg::A4 => Paper::A4,
            PaperArg::Letter => Paper::Letter,
        },
        logo,
        creation: when,
    };
    let pdf = cxm_report::render_pdf(&input, &options).map_err(|e| Fail::msg(e.to_string()))?;
    write_atomically(&args.output, &pdf)?;
    if let Some(html) = &args.html {
        write_atomically(html, cxm_report::render_html(&input).as_bytes())?;
    }
    out(&format!(
        "wrote {} ({} KB) {}",
        args.output.display(),
        pdf.len().div_ceil(1024),
        args.output.display()
    ))
}
