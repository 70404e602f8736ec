//! `cxm report`: the board PDF of a round, made by the app's report use case
//! ([`Api::report`]) with the stored logo, "prepared by" and quote setting, which the
//! flags override.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use cxm_api::wire::CompareWith;
use cxm_api::{Api, Paper, ReportRequest};

use crate::fail::Fail;
use crate::{out, read_file};

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
    /// "Prepared by" text on the cover (default: the report.prepared_by setting; ""
    /// for none).
    #[arg(long)]
    prepared_by: Option<String>,
    /// A PNG or JPEG logo for the cover, checked and scaled like the app's (default:
    /// the logo stored in the app's Settings).
    #[arg(long)]
    logo: Option<PathBuf>,
    /// Attribute the interview quotes to respondents by name (with role group and
    /// department). Without it the report.attribute_quotes setting (the app's Settings)
    /// decides, and it is off unless turned on: a quote names only the role group, and
    /// the department where at least the anonymity threshold of respondents share both,
    /// since interviewees are usually promised confidentiality.
    #[arg(long)]
    attribute_quotes: bool,
    /// Attribute the quotes to role groups, whatever the report.attribute_quotes setting.
    #[arg(long, conflicts_with = "attribute_quotes")]
    no_attribute_quotes: bool,
    /// Also write the same report as one HTML page (used by the benchmark).
    #[arg(long, hide = true)]
    html: Option<PathBuf>,
}

/// Run `cxm report`: the PDF (and the HTML page) written atomically next to their
/// target, never over the database at `db`.
pub fn run(api: &Api, db: &Path, args: ReportArgs) -> Result<(), Fail> {
    let logo = match &args.logo {
        Some(path) => Some((path.display().to_string(), read_file(path)?)),
        None => None,
    };
    let request = ReportRequest {
        compare_with: match (args.compare, args.no_compare) {
            (_, true) => CompareWith::None,
            (Some(id), false) => CompareWith::Round { id },
            (None, false) => CompareWith::Previous,
        },
        paper: match args.paper {
            PaperArg::A4 => Paper::A4,
            PaperArg::Letter => Paper::Letter,
        },
        prepared_by: args.prepared_by,
        logo,
        attribute_quotes: match (args.attribute_quotes, args.no_attribute_quotes) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        },
        // `SOURCE_DATE_EPOCH` when set, else now.
        creation: None,
        html: args.html.is_some(),
    };
    let report = api.report(args.round, &request)?;
    cxm_store::files::write_atomically(&args.output, &report.pdf, Some(db))?;
    if let (Some(path), Some(html)) = (&args.html, &report.html) {
        cxm_store::files::write_atomically(path, html.as_bytes(), Some(db))?;
    }
    out(&format!(
        "wrote {} ({} KB) {}",
        args.output.display(),
        report.pdf.len().div_ceil(1024),
        args.output.display()
    ))
}
