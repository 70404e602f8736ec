//! `cxm`: the scriptable face of CX Maturity.
//!
//! A thin face: it parses arguments, runs the app's use case in `cxm-api` where the app
//! has the same one (organisations, rounds, the demo, imports and exports, the report,
//! the model list and import; a path on the command line answers the app's save or open
//! dialog, see [`host::CliHost`]), and prints text or JSON. What only the command line
//! does (`results` and `compare` with their JSON contract, `model show` and `export`,
//! `check`, `backup`, `restore`) reads the store and the domain directly.
//!
//! Create commands print the new id as their last token; `--json` output is stable and
//! documented in the README. `cxm completions` and the hidden `cxm manpage` print the
//! shell completions and the manual page, made from these definitions ([`manual`]).
//!
//! Every command but those two writes to the support log ([`cxm_api::logging`], next
//! to the database): its name (never its arguments), the database opened, counts, and
//! how it ended.

mod collect;
mod demo;
mod fail;
mod host;
mod interview;
mod json;
mod manual;
mod plan;
mod report;
mod team;
mod text;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Subcommand, ValueEnum};
use cxm_api::Api;
use cxm_api::wire::{NewRoundInput, RoundExportFormat};
use cxm_domain::{Model, compare, explain};
use cxm_store::Store;
use fail::{Context, Fail};
use host::CliHost;

/// `cxm --version`: the version and the keys of the models built in
/// (`cxm 0.1.0 (built-in models: cx-maturity@1, cx-maturity@2)`).
static VERSION: LazyLock<String> = LazyLock::new(|| {
    let models: Vec<String> = cxm_domain::model::BUILT_IN_MODELS
        .iter()
        .map(|(file, source)| {
            // A test of the domain checks every built-in model; the file name would do.
            Model::from_toml(source, file).map_or_else(|_| (*file).to_string(), |m| m.key())
        })
        .collect();
    format!(
        "{} (built-in models: {})",
        env!("CARGO_PKG_VERSION"),
        models.join(", ")
    )
});

/// CX Maturity's command line: assess an organisation's customer-experience maturity.
///
/// Models, organisations, rounds, interviews' answers from files and phones, results,
/// comparisons, exports and the board report, and the exchange with other consultants'
/// installations (a team folder, engagement files), over the same database as the
/// desktop app (cx-maturity). Create commands print the new id as their last word; --json
/// output is a stable contract for scripts.
#[derive(clap::Parser)]
#[command(name = "cxm", version = VERSION.as_str())]
pub(crate) struct Cli {
    /// The database file (default: cxm.sqlite in the app's data directory, shared with the desktop app).
    #[arg(long, global = true, value_name = "PATH", env = "CXM_DB")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Questionnaire models: show, validate, import, list.
    #[command(subcommand)]
    Model(ModelCommand),
    /// Organisations: add, list, rename, archive, restore, export, import (merging),
    /// share in the team folder, sources.
    #[command(subcommand)]
    Org(OrgCommand),
    /// Rounds (assessments): add, list, close, reopen, delete.
    #[command(subcommand)]
    Round(RoundCommand),
    /// A round's respondents: list, add, remove.
    #[command(subcommand)]
    Respondent(interview::RespondentCommand),
    /// One answer of a respondent: set, clear, history (who changed it, when).
    #[command(subcommand)]
    Answer(interview::AnswerCommand),
    /// An organisation's plan: list, add (from a round's action or by hand), set,
    /// delete.
    #[command(subcommand)]
    Plan(plan::PlanCommand),
    /// One pass over the team folder: merge the other installations' files of the
    /// shared organisations, write this installation's.
    #[command(long_about = team::SYNC_HELP)]
    Sync(team::SyncArgs),
    /// This installation: its id and name (as the others see it in the team folder),
    /// the team folder and the organisations shared.
    Installation {
        /// Set this installation's name, e.g. "Anna's laptop".
        #[arg(long)]
        name: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Import respondents and their answers from a wide CSV file, or from ODK Central's
    /// or KoboToolbox's CSV export of the survey form (all or nothing; a survey's rows
    /// imported before are skipped).
    ImportResponses {
        /// The round to import into.
        #[arg(long)]
        round: i64,
        /// The CSV file: respondent, role, [department,] question ids…; or a survey export.
        file: PathBuf,
    },
    /// A round's inbox: list the submissions from phones waiting for a decision, accept
    /// them (they become respondents) or reject them.
    Inbox(collect::InboxArgs),
    /// Collect answers on phones (workshop mode): serve the round's questionnaire on the
    /// local network until Ctrl-C or the time set; submissions wait in the inbox.
    Collect(collect::CollectArgs),
    /// Score a round.
    Results {
        /// Round id.
        round: i64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Explain every figure: the rule and the numbers behind it.
        #[arg(long)]
        explain: bool,
    },
    /// Compare two rounds of one organisation (earlier first).
    Compare {
        /// The earlier round.
        earlier: i64,
        /// The later round.
        later: i64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Export a round's answers (CSV: the layout import-responses reads; JSON: with
    /// notes), its next-phase actions (actions-csv: for an action plan), or its survey
    /// form for ODK Central and KoboToolbox (xlsform: needs -o).
    Export {
        /// Round id.
        round: i64,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
        format: ExportFormat,
        /// Write to this file instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Write the board report of a round as PDF.
    Report(report::ReportArgs),
    /// Print the database path in use.
    DbPath,
    /// Check the database for damage (SQLite's quick check) and read everything in it
    /// as the app does; says what to do when something is wrong.
    Check,
    /// Write a consistent copy of the database (SQLite's online backup), e.g. before
    /// moving it or for your own backup scheme. The app also keeps rotating backups.
    Backup {
        /// The copy to write (replaced if it exists).
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Replace the database's content with a backup (checked first: a foreign, damaged or
    /// newer file is refused and nothing changes).
    Restore {
        /// The backup file.
        file: PathBuf,
        /// Confirm: everything in the database is replaced.
        #[arg(long)]
        yes: bool,
    },
    /// Load the demo engagement (the same data every time).
    Demo {
        /// Add another copy even if the demo organisation is already there.
        #[arg(long)]
        again: bool,
    },
    /// Print the shell completion script for bash, zsh or fish (see --help to install it).
    #[command(long_about = manual::COMPLETIONS_HELP)]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: manual::CompletionShell,
    },
    /// Print the manual page (roff), made from these commands: `cxm manpage | gzip >
    /// cxm.1.gz` for a package.
    #[command(hide = true)]
    Manpage,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    /// The answers, in the layout import-responses reads.
    Csv,
    /// The answers with notes (format cxm-round-answers).
    Json,
    /// The next-phase actions.
    ActionsCsv,
    /// The survey form as an XLSForm workbook (for ODK Central and KoboToolbox).
    Xlsform,
}

#[derive(Subcommand)]
enum ModelCommand {
    /// Show a model (default: the latest version of the default model).
    Show {
        /// `id@version` or `id` (latest version).
        model: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check a model file and report every problem with its line and field.
    Validate {
        /// The TOML file.
        file: PathBuf,
    },
    /// Import a model file into the database.
    Import {
        /// The TOML file.
        file: PathBuf,
    },
    /// List the models and versions in the database.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print a model's TOML source (a starting point for your own model).
    Export {
        /// `id@version` or `id` (latest version).
        model: Option<String>,
    },
}

#[derive(Subcommand)]
enum OrgCommand {
    /// Add an organisation; prints its id last.
    Add {
        /// Name.
        name: String,
    },
    /// List organisations with each round's phase.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Include archived organisations.
        #[arg(long)]
        all: bool,
    },
    /// Rename an organisation.
    Rename {
        /// Organisation id.
        id: i64,
        /// New name.
        name: String,
    },
    /// Archive an organisation (hidden from lists; nothing is deleted).
    Archive {
        /// Organisation id.
        id: i64,
    },
    /// Restore an archived organisation.
    Restore {
        /// Organisation id.
        id: i64,
    },
    /// Write an organisation with its rounds, respondents, answers, notes and models as
    /// one engagement file (docs/engagement-format.md).
    Export {
        /// Organisation id.
        id: i64,
        /// The engagement file to write.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Import an engagement file (all or nothing): a new organisation, or merged into
    /// the same organisation stored here already (by its id in the file, not its name);
    /// prints the organisation's id last. --dry-run shows what it would do.
    Import {
        /// The engagement file.
        file: PathBuf,
        /// Show what importing would add, change and delete, and any concurrent edit;
        /// write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Share an organisation in the team folder: `cxm sync` writes its file there for the
    /// other installations (--off: stop; the file written so far stays).
    Share {
        /// Organisation id.
        id: i64,
        /// Stop sharing it.
        #[arg(long)]
        off: bool,
    },
    /// The installations an organisation's data came from, this one first: respondents
    /// and answers each last changed, the last file of each merged here.
    Sources {
        /// Organisation id.
        id: i64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum RoundCommand {
    /// Add a round; prints its id last.
    Add(RoundAdd),
    /// List rounds.
    List {
        /// Only this organisation's rounds.
        #[arg(long)]
        org: Option<i64>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Close a round: its answers become read-only.
    Close {
        /// Round id.
        id: i64,
    },
    /// Reopen a closed round.
    Reopen {
        /// Round id.
        id: i64,
    },
    /// Delete a round with its respondents and answers.
    Delete {
        /// Round id.
        id: i64,
        /// Confirm the deletion.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Args)]
struct RoundAdd {
    /// Organisation id.
    #[arg(long)]
    org: i64,
    /// Title, e.g. "Baseline assessment".
    #[arg(long)]
    title: String,
    /// Date of the round, YYYY-MM-DD.
    #[arg(long, value_parser = cxm_store::parse_date)]
    date: NaiveDate,
    /// Target phase.
    #[arg(long)]
    target: Option<u32>,
    /// Model version, `id@version` (default: the latest default model).
    #[arg(long)]
    model: Option<String>,
}

/// How long `cxm` waits for another process's write before giving up: longer than the
/// app (a script would rather wait than fail). [`BUSY_TIMEOUT_VARIABLE`] changes it.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);
/// The variable with the seconds to wait instead of [`BUSY_TIMEOUT`].
const BUSY_TIMEOUT_VARIABLE: &str = "CXM_BUSY_TIMEOUT_SECS";

/// The exit status of a command that failed (clap's for a wrong command line is 2).
const FAILED: u8 = 1;

fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let name = command_name(&matches);
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let db = Db { flag: cli.db };
    // For packages and shells: no database and no log.
    let result = if matches!(cli.command, Command::Completions { .. } | Command::Manpage) {
        run(&db, cli.command)
    } else {
        let _log = db
            .path()
            .ok()
            .and_then(|path| cxm_api::logging::init("cli", Some(&path)));
        tracing::info!(command = ?name, "command started");
        let started = Instant::now();
        let result = run(&db, cli.command);
        let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        // The outcome, never the message: it names organisations, rounds, files.
        match &result {
            Ok(()) => tracing::info!(command = ?name, ms, outcome = %"ok", "command done"),
            Err(_) => tracing::warn!(
                command = ?name,
                ms,
                outcome = %"error",
                status = FAILED,
                "command done"
            ),
        }
        result
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let mut err = std::io::stderr().lock();
            let text = format!("error: {e}");
            let _ = writeln!(err, "{}", cxm_domain::text::terminal_safe(&text));
            ExitCode::from(FAILED)
        }
    }
}

/// The command's name as the clap definition spells it (`org add`, `results`): no
/// argument, so nothing a person typed.
fn command_name(matches: &ArgMatches) -> String {
    let mut names = Vec::new();
    let mut m = matches;
    while let Some((name, sub)) = m.subcommand() {
        names.push(name);
        m = sub;
    }
    names.join(" ")
}

/// The database this run uses (`--db`, `CXM_DB` or the default), opened on demand:
/// as a [`Store`] for the commands only the CLI has, or as the app's [`Api`] over it.
pub(crate) struct Db {
    flag: Option<PathBuf>,
}

impl Db {
    /// The database file: every file `cxm` writes is checked against it.
    fn path(&self) -> Result<PathBuf, Fail> {
        match &self.flag {
            Some(p) => Ok(p.clone()),
            None => cxm_store::default_db_path()
                .ok_or_else(|| Fail::msg("cannot find the user's data directory; pass --db PATH")),
        }
    }

    /// Opens the store, waiting for other writers up to [`BUSY_TIMEOUT`], with a note on
    /// standard error when it is read-only.
    fn store(&self) -> Result<Store, Fail> {
        let path = self.path()?;
        let mut store = Store::open(&path)?;
        cxm_api::logging::database_opened(&path, store.read_only().is_some());
        let wait = std::env::var(BUSY_TIMEOUT_VARIABLE)
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map_or(BUSY_TIMEOUT, Duration::from_secs);
        store.set_busy_timeout(wait);
        if let Some(reason) = store.read_only() {
            eprintln!(
                "{}",
                cxm_domain::text::terminal_safe(&format!(
                    "note: {} is open read-only ({reason}): commands that change data will fail",
                    path.display()
                ))
            );
        }
        Ok(store)
    }

    /// The app's use cases over the store; dialogs cancel (none is used).
    fn api(&self) -> Result<Api, Fail> {
        Ok(Api::from_store(self.store()?, self.path()?))
    }

    /// The app's use cases, with the save or open dialog answered by a path given on
    /// the command line.
    fn api_with(&self, host: CliHost) -> Result<Api, Fail> {
        Ok(self.api()?.with_host(host))
    }
}

pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, Fail> {
    std::fs::read(path).context(format!("cannot read {}", path.display()))
}

fn file_name(path: &Path) -> String {
    path.display().to_string()
}

/// Prints `text` (and a line end) on standard output, with anything a terminal would
/// interpret (escape sequences, other control characters, bidirectional overrides in
/// names that reached the database before they were refused) made visible.
pub(crate) fn out(text: &str) -> Result<(), Fail> {
    let text = &*cxm_domain::text::terminal_safe(text);
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .context("cannot write to standard output")?;
    if !text.ends_with('\n') {
        stdout
            .write_all(b"\n")
            .context("cannot write to standard output")?;
    }
    Ok(())
}

pub(crate) fn print_json(value: &impl serde::Serialize) -> Result<(), Fail> {
    out(&serde_json::to_string_pretty(value).expect("serialisable"))
}

fn run(db: &Db, command: Command) -> Result<(), Fail> {
    match command {
        Command::Model(cmd) => model(db, cmd),
        Command::Org(cmd) => org(db, cmd),
        Command::Round(cmd) => round(db, cmd),
        Command::Respondent(cmd) => interview::respondent(db, cmd),
        Command::Answer(cmd) => interview::answer(db, cmd),
        Command::Sync(args) => team::sync(db, args),
        Command::Plan(cmd) => plan::plan(db, cmd),
        Command::Installation { name, json } => team::installation(db, name, json),
        Command::ImportResponses { round, file } => import_responses(db, round, &file),
        Command::Inbox(args) => collect::inbox(db, args),
        Command::Collect(args) => collect::collect(db, args),
        Command::Results {
            round,
            json,
            explain: with_explanations,
        } => {
            let store = db.store()?;
            let data = store.round_data(round)?;
            let results = cxm_domain::score(&data.model, &data.scoring_respondents());
            let explanations = with_explanations.then(|| explain(&data.model, &results));
            if json {
                // What the organisation's plan would reach (issue 15).
                let items: Vec<cxm_domain::plan::PlanItem> = store
                    .plan(data.info.organisation)?
                    .into_iter()
                    .map(|r| r.item)
                    .collect();
                let p = cxm_domain::plan::project(&data.model, &data.scoring_respondents(), &items);
                let projection = json::projection(&data.model, &p, with_explanations);
                print_json(&json::results(
                    &data,
                    &results,
                    explanations.as_ref(),
                    projection,
                ))
            } else {
                out(&text::results(&data, &results, explanations.as_ref()))
            }
        }
        Command::Compare {
            earlier,
            later,
            json,
        } => {
            if earlier == later {
                return Err(Fail::msg(format!(
                    "compare needs two different rounds (got round {earlier} twice)"
                )));
            }
            let store = db.store()?;
            let mut a = store.round_data(earlier)?;
            let mut b = store.round_data(later)?;
            if a.info.organisation != b.info.organisation {
                return Err(Fail::msg(format!(
                    "rounds {earlier} and {later} belong to different organisations ({} and {}); compare rounds of one organisation",
                    a.info.organisation_name, b.info.organisation_name
                )));
            }
            if (b.info.date, b.info.id) < (a.info.date, a.info.id) {
                eprintln!(
                    "note: round {later} ({}) is older than round {earlier} ({}); comparing {later} → {earlier}",
                    b.info.date, a.info.date
                );
                std::mem::swap(&mut a, &mut b);
            }
            let (ra, rb) = (a.scoring_respondents(), b.scoring_respondents());
            let comparison = compare(
                cxm_domain::Side {
                    model: &a.model,
                    respondents: &ra,
                },
                cxm_domain::Side {
                    model: &b.model,
                    respondents: &rb,
                },
            );
            if json {
                print_json(&json::comparison(&comparison))
            } else {
                out(&text::comparison(&a, &b, &comparison))
            }
        }
        Command::Export {
            round,
            format,
            output,
        } => {
            let format = match format {
                ExportFormat::Csv => RoundExportFormat::AnswersCsv,
                ExportFormat::Json => RoundExportFormat::AnswersJson,
                ExportFormat::ActionsCsv => RoundExportFormat::ActionsCsv,
                ExportFormat::Xlsform => {
                    let path = output.ok_or_else(|| {
                        Fail::msg("an XLSForm is a workbook, not text: write it to a file with -o FORM.xlsx")
                    })?;
                    let done = db
                        .api_with(CliHost::saving_to(&path))?
                        .export_xlsform(round)?;
                    return out(&format!(
                        "wrote the survey form of round {round} to {}",
                        done.path.unwrap_or_default()
                    ));
                }
            };
            match output {
                // The app's export, its save dialog answered with `-o`.
                Some(path) => {
                    db.api_with(CliHost::saving_to(&path))?
                        .export_round(round, format)?;
                    Ok(())
                }
                // Data, not messages: written as it is.
                None => std::io::stdout()
                    .lock()
                    .write_all(db.api()?.round_export(round, format)?.text.as_bytes())
                    .context("cannot write to standard output"),
            }
        }
        Command::Report(args) => report::run(&db.api()?, &db.path()?, args),
        Command::DbPath => out(&db.path()?.display().to_string()),
        Command::Check => {
            let store = db.store()?;
            store.check_integrity()?;
            store.verify_content().map_err(|e| {
                Fail::msg(format!(
                    "the database holds data this version cannot read: {e}; restore the last good backup (`cxm restore FILE --yes`)"
                ))
            })?;
            let orgs = store.organisations(true)?;
            let rounds: usize = orgs.iter().map(|o| o.rounds.len()).sum();
            out(&format!(
                "{} is whole: no damage found, and its {} organisations and {rounds} rounds read correctly",
                db.path()?.display(),
                orgs.len()
            ))
        }
        Command::Backup { output } => {
            let store = db.store()?;
            store.back_up_to(&output)?;
            out(&format!("backed up the database to {}", output.display()))
        }
        Command::Restore { file, yes } => {
            if let Ok(path) = db.path() {
                cxm_store::files::refuse_database(&file, &path).map_err(|_| {
                    Fail::msg(format!(
                        "{} is the database in use, not a backup of it: choose a backup file; nothing was restored",
                        file.display()
                    ))
                })?;
            }
            cxm_store::backup::verify_backup(&file)?;
            if !yes {
                return Err(Fail::msg(format!(
                    "this replaces everything in the database with the backup {}; run again with --yes to confirm",
                    file.display()
                )));
            }
            let mut store = db.store()?;
            store.restore_from(&file)?;
            out(&format!("restored the database from {}", file.display()))
        }
        Command::Demo { again } => demo::load(&db.api()?, again),
        Command::Completions { shell } => manual::completions(shell),
        Command::Manpage => manual::manpage(),
    }
}

fn model(db: &Db, cmd: ModelCommand) -> Result<(), Fail> {
    match cmd {
        ModelCommand::Validate { file } => {
            let source = String::from_utf8(read_file(&file)?)
                .map_err(|_| Fail::msg(format!("{}: not UTF-8 text", file.display())))?;
            let model = Model::from_toml(&source, &file_name(&file))?;
            out(&format!(
                "{}: valid — model {} ({}), {} blocks, {} phases, {} questions",
                file.display(),
                model.key(),
                model.title,
                model.blocks.len(),
                model.phases.len(),
                model.questions.len()
            ))
        }
        ModelCommand::Import { file } => {
            // The app's import, its open dialog answered with the file.
            let done = db.api_with(CliHost::opening(&file))?.import_model()?;
            let info = done
                .model
                .ok_or_else(|| Fail::msg(format!("{} was not imported", file.display())))?;
            let verb = if done.already_present {
                "already imported"
            } else {
                "imported"
            };
            out(&format!(
                "{verb} model {} ({}, {} questions) {}@{}",
                info.title, info.model_id, info.questions, info.model_id, info.version
            ))
        }
        ModelCommand::List { json } => {
            let models = db.api()?.list_models()?;
            if json {
                print_json(&json::models(&models))
            } else {
                out(&text::models(&models))
            }
        }
        ModelCommand::Show { model, json } => {
            let store = db.store()?;
            let key = match model {
                Some(key) => key,
                None => store.default_model_key()?,
            };
            let (_, model) = store.model_by_key(&key)?;
            if json {
                print_json(&json::model(&model))
            } else {
                out(&text::model(&model))
            }
        }
        ModelCommand::Export { model } => {
            let store = db.store()?;
            let key = match model {
                Some(key) => key,
                None => store.default_model_key()?,
            };
            out(&store.model_source(&key)?)
        }
    }
}

/// `cxm import-responses`: the app's preview (every check, nothing written), then its
/// import of the previewed file, all or nothing.
fn import_responses(db: &Db, round: i64, file: &Path) -> Result<(), Fail> {
    let api = db.api_with(CliHost::opening(file))?;
    let preview = api
        .preview_responses(round)?
        .ok_or_else(|| Fail::msg(format!("{} was not imported", file.display())))?;
    let Some(token) = preview.token else {
        let mut problems: Vec<String> = preview
            .issues
            .iter()
            .map(|i| {
                let mut place = String::new();
                if let Some(line) = i.line {
                    place = format!("line {line}");
                    match (i.column, &i.column_name) {
                        (Some(c), Some(name)) => place += &format!(", column {c} ({name})"),
                        (Some(c), None) => place += &format!(", column {c}"),
                        _ => {}
                    }
                    place += ": ";
                }
                place + &i.message
            })
            .collect();
        if preview.more_issues {
            problems.push("… and more; fix these first".into());
        }
        return Err(Fail::msg(format!(
            "{} was not imported (nothing was written):\n{}",
            file.display(),
            problems.join("\n")
        )));
    };
    let done = api.import_responses(token)?;
    let mut message = format!(
        "imported {} respondents and {} answers into round {round}",
        done.respondents, done.answers
    );
    if done.already_imported > 0 {
        message += &format!(
            "; {} submissions were imported before and were skipped",
            done.already_imported
        );
    }
    for left in &preview.left_out {
        message += &format!("\nline {}: {}", left.line.unwrap_or(0), left.message);
    }
    out(&message)
}

fn org(db: &Db, cmd: OrgCommand) -> Result<(), Fail> {
    match cmd {
        OrgCommand::Add { name } => {
            let id = db.api()?.create_organisation(&name)?;
            out(&format!("added organisation “{}” {id}", name.trim()))
        }
        OrgCommand::List { json, all } => {
            let orgs = db.api()?.list_organisations(all)?;
            if json {
                print_json(&json::organisations(&orgs))
            } else {
                out(&text::organisations(&orgs))
            }
        }
        OrgCommand::Rename { id, name } => {
            db.api()?.rename_organisation(id, &name)?;
            out(&format!("renamed organisation {id} to “{}”", name.trim()))
        }
        OrgCommand::Archive { id } => {
            db.api()?.archive_organisation(id)?;
            out(&format!("archived organisation {id}"))
        }
        OrgCommand::Restore { id } => {
            db.api()?.restore_organisation(id)?;
            out(&format!("restored organisation {id}"))
        }
        OrgCommand::Export { id, output } => {
            // The app's export, its save dialog answered with `-o`.
            let api = db.api_with(CliHost::saving_to(&output))?;
            api.export_engagement(id)?;
            let org = api.organisation(id)?;
            out(&format!(
                "exported organisation “{}” with {} rounds to {}",
                org.name,
                org.rounds.len(),
                output.display()
            ))
        }
        OrgCommand::Import {
            file,
            dry_run,
            json,
        } => team::import(db, &file, dry_run, json),
        OrgCommand::Share { id, off } => team::share(db, id, off),
        OrgCommand::Sources { id, json } => team::sources(db, id, json),
    }
}

fn round(db: &Db, cmd: RoundCommand) -> Result<(), Fail> {
    let api = db.api()?;
    match cmd {
        RoundCommand::Add(add) => {
            let id = api.create_round(NewRoundInput {
                organisation: add.org,
                title: add.title,
                date: add.date.to_string(),
                target_phase: add.target,
                model: add.model,
                copy_respondents_from: None,
            })?;
            let info = api.round(id)?;
            out(&format!(
                "added round “{}” ({}, model {}) to {} {id}",
                info.title, info.date, info.model_key, info.organisation_name
            ))
        }
        RoundCommand::List { org, json } => {
            let rounds = api.list_rounds(org)?;
            if json {
                print_json(&json::rounds(&rounds))
            } else {
                out(&text::rounds(&rounds))
            }
        }
        RoundCommand::Close { id } => {
            api.close_round(id)?;
            out(&format!(
                "closed round {id}: its answers are read-only until it is reopened"
            ))
        }
        RoundCommand::Reopen { id } => {
            api.reopen_round(id)?;
            out(&format!("reopened round {id}"))
        }
        RoundCommand::Delete { id, yes } => {
            let info = api.round(id)?;
            if !yes {
                return Err(Fail::msg(format!(
                    "this deletes round {id} “{}” with its {} respondents and their answers; run again with --yes to confirm",
                    info.title, info.respondents
                )));
            }
            api.delete_round(id)?;
            out(&format!("deleted round {id} “{}”", info.title))
        }
    }
}
