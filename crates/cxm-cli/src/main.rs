//! `cxm`: the scriptable face of CX Maturity.
//!
//! Create commands print the new id as their last token; `--json` output is stable and
//! documented in the README.

mod json;
mod text;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;
use std::time::Duration;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use cxm_domain::{Model, compare, explain, responses_csv};
use cxm_store::{NewRound, Store};
use fail::{Context, Fail};

mod demo;
mod fail;
mod report;

/// CX Maturity: assess an organisation's customer-experience maturity.
#[derive(Parser)]
#[command(name = "cxm", version, about, long_about = None)]
struct Cli {
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
    /// Organisations: add, list, rename, archive, restore.
    #[command(subcommand)]
    Org(OrgCommand),
    /// Rounds (assessments): add, list, close, reopen, delete.
    #[command(subcommand)]
    Round(RoundCommand),
    /// Import respondents and their answers from a wide CSV file (all or nothing).
    ImportResponses {
        /// The round to import into.
        #[arg(long)]
        round: i64,
        /// The CSV file: respondent, role, [department,] question ids…
        file: PathBuf,
    },
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
    /// notes) or its next-phase actions (actions-csv: for an action plan).
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
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    /// The answers, in the layout import-responses reads.
    Csv,
    /// The answers with notes (format cxm-round-answers).
    Json,
    /// The next-phase actions.
    ActionsCsv,
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
    /// Import an engagement file as a new organisation (all or nothing); prints its id last.
    Import {
        /// The engagement file.
        file: PathBuf,
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
/// app (a script would rather wait than fail). `CXM_BUSY_TIMEOUT_SECS` changes it.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// The database this run uses: every file `cxm` writes is checked against it.
static DATABASE: OnceLock<PathBuf> = OnceLock::new();

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let mut err = std::io::stderr().lock();
            let text = format!("error: {e}");
            let _ = writeln!(err, "{}", cxm_domain::text::terminal_safe(&text));
            ExitCode::FAILURE
        }
    }
}

fn db_path(db: Option<&Path>) -> Result<PathBuf, Fail> {
    match db {
        Some(p) => Ok(p.to_path_buf()),
        None => cxm_store::default_db_path()
            .ok_or_else(|| Fail::msg("cannot find the user's data directory; pass --db PATH")),
    }
}

fn open(db: Option<&Path>) -> Result<Store, Fail> {
    let path = db_path(db)?;
    let mut store = Store::open(&path)?;
    let wait = std::env::var("CXM_BUSY_TIMEOUT_SECS")
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

fn print_json(value: &impl serde::Serialize) -> Result<(), Fail> {
    out(&serde_json::to_string_pretty(value).expect("serialisable"))
}

fn run(cli: Cli) -> Result<(), Fail> {
    let db = cli.db.as_deref();
    if let Ok(path) = db_path(db) {
        let _ = DATABASE.set(path);
    }
    match cli.command {
        Command::Model(ModelCommand::Validate { file }) => {
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
        Command::Model(ModelCommand::Import { file }) => {
            let source = String::from_utf8(read_file(&file)?)
                .map_err(|_| Fail::msg(format!("{}: not UTF-8 text", file.display())))?;
            let mut store = open(db)?;
            let info = store.import_model(&source, &file_name(&file))?;
            let verb = if info.already_present {
                "already imported"
            } else {
                "imported"
            };
            out(&format!(
                "{verb} model {} ({}, {} questions) {}@{}",
                info.title, info.model_id, info.questions, info.model_id, info.version
            ))
        }
        Command::Model(ModelCommand::List { json }) => {
            let store = open(db)?;
            let models = store.models()?;
            if json {
                print_json(&json::models(&models))
            } else {
                out(&text::models(&models))
            }
        }
        Command::Model(ModelCommand::Show { model, json }) => {
            let store = open(db)?;
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
        Command::Model(ModelCommand::Export { model }) => {
            let store = open(db)?;
            let key = match model {
                Some(key) => key,
                None => store.default_model_key()?,
            };
            out(&store.model_source(&key)?)
        }
        Command::Org(cmd) => org(db, cmd),
        Command::Round(cmd) => round(db, cmd),
        Command::ImportResponses { round, file } => {
            let data = read_file(&file)?;
            let mut store = open(db)?;
            let model = store.model_for_round(round)?;
            let parsed = responses_csv::parse(&model, &data).map_err(|e| {
                Fail::msg(format!(
                    "{} was not imported (nothing was written):\n{e}",
                    file.display()
                ))
            })?;
            let summary = store.import_responses(round, &parsed).map_err(|e| {
                Fail::msg(format!(
                    "{} was not imported (nothing was written): {e}",
                    file.display()
                ))
            })?;
            out(&format!(
                "imported {} respondents and {} answers into round {round}",
                summary.respondents, summary.answers
            ))
        }
        Command::Results {
            round,
            json,
            explain: with_explanations,
        } => {
            let store = open(db)?;
            let data = store.round_data(round)?;
            let results = cxm_domain::score(&data.model, &scoring(&data));
            let explanations = with_explanations.then(|| explain(&data.model, &results));
            if json {
                print_json(&json::results(&data, &results, explanations.as_ref()))
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
            let store = open(db)?;
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
            let (ra, rb) = (scoring(&a), scoring(&b));
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
                print_json(&comparison)
            } else {
                out(&text::comparison(&a, &b, &comparison))
            }
        }
        Command::Export {
            round,
            format,
            output,
        } => {
            let store = open(db)?;
            let data = store.round_data(round)?;
            let body = match format {
                ExportFormat::Csv => cxm_store::transfer::answers_csv(&data),
                ExportFormat::Json => {
                    serde_json::to_string_pretty(&json::export(&data)).expect("serialisable") + "\n"
                }
                ExportFormat::ActionsCsv => {
                    let results = cxm_domain::score(&data.model, &scoring(&data));
                    cxm_store::transfer::actions_csv(&data, &results)
                }
            };
            match output {
                Some(path) => write_atomically(&path, body.as_bytes()),
                // Data, not messages: written as it is.
                None => std::io::stdout()
                    .lock()
                    .write_all(body.as_bytes())
                    .context("cannot write to standard output"),
            }
        }
        Command::Report(args) => {
            let store = open(db)?;
            report::run(&store, args)
        }
        Command::DbPath => out(&db_path(db)?.display().to_string()),
        Command::Check => {
            let store = open(db)?;
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
                db_path(db)?.display(),
                orgs.len()
            ))
        }
        Command::Backup { output } => {
            let store = open(db)?;
            store.back_up_to(&output)?;
            out(&format!("backed up the database to {}", output.display()))
        }
        Command::Restore { file, yes } => {
            if let Some(db) = DATABASE.get() {
                cxm_store::files::refuse_database(&file, db).map_err(|_| {
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
            let mut store = open(db)?;
            store.restore_from(&file)?;
            out(&format!("restored the database from {}", file.display()))
        }
        Command::Demo { again } => {
            let mut store = open(db)?;
            demo::load(&mut store, again)
        }
    }
}

/// The round's respondents as scoring sees them.
fn scoring(data: &cxm_store::RoundData) -> Vec<cxm_domain::Respondent> {
    data.respondents.iter().map(|r| r.answers.clone()).collect()
}

/// Writes an output file the way the store writes every file
/// ([`cxm_store::files::write_atomically`]): never over the database in use or its side
/// files, through an exclusive temporary file that is synced and renamed, private to
/// the user.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Fail> {
    Ok(cxm_store::files::write_atomically(
        path,
        bytes,
        DATABASE.get().map(PathBuf::as_path),
    )?)
}

fn org(db: Option<&Path>, cmd: OrgCommand) -> Result<(), Fail> {
    let mut store = open(db)?;
    match cmd {
        OrgCommand::Add { name } => {
            let id = store.add_organisation(&name)?;
            out(&format!("added organisation “{}” {id}", name.trim()))
        }
        OrgCommand::List { json, all } => {
            let orgs = store.organisations(all)?;
            if json {
                print_json(&json::organisations(&orgs))
            } else {
                out(&text::organisations(&orgs))
            }
        }
        OrgCommand::Rename { id, name } => {
            store.rename_organisation(id, &name)?;
            out(&format!("renamed organisation {id} to “{}”", name.trim()))
        }
        OrgCommand::Archive { id } => {
            store.archive_organisation(id)?;
            out(&format!("archived organisation {id}"))
        }
        OrgCommand::Restore { id } => {
            store.restore_organisation(id)?;
            out(&format!("restored organisation {id}"))
        }
        OrgCommand::Export { id, output } => {
            let text = store.export_engagement(id)?;
            write_atomically(&output, text.as_bytes())?;
            let org = store.organisation(id)?;
            out(&format!(
                "exported organisation “{}” with {} rounds to {}",
                org.name,
                org.rounds.len(),
                output.display()
            ))
        }
        OrgCommand::Import { file } => {
            let meta =
                std::fs::metadata(&file).context(format!("cannot read {}", file.display()))?;
            if meta.len() > cxm_store::engagement::MAX_ENGAGEMENT_BYTES {
                return Err(Fail::msg(format!(
                    "{} is too large for an engagement file ({} MB); nothing was imported",
                    file.display(),
                    meta.len() / (1024 * 1024)
                )));
            }
            let data = read_file(&file)?;
            let done = store
                .import_engagement(&data)
                .map_err(|e| Fail::msg(format!("{}: {e}", file.display())))?;
            if done.renamed {
                eprintln!(
                    "note: an organisation of that name already exists; imported as “{}”",
                    done.name
                );
            }
            out(&format!(
                "imported organisation “{}” ({} rounds, {} respondents, {} answers{}) {}",
                done.name,
                done.rounds,
                done.respondents,
                done.answers,
                if done.models_added.is_empty() {
                    String::new()
                } else {
                    format!("; new models: {}", done.models_added.join(", "))
                },
                done.organisation
            ))
        }
    }
}

fn round(db: Option<&Path>, cmd: RoundCommand) -> Result<(), Fail> {
    let mut store = open(db)?;
    match cmd {
        RoundCommand::Add(add) => {
            let id = store.add_round(NewRound {
                organisation: add.org,
                title: add.title,
                date: add.date,
                target_phase: add.target,
                model: add.model,
            })?;
            let info = store.round(id)?;
            out(&format!(
                "added round “{}” ({}, model {}) to {} {id}",
                info.title, info.date, info.model_key, info.organisation_name
            ))
        }
        RoundCommand::List { org, json } => {
            let rounds = store.rounds(org)?;
            if json {
                print_json(&json::rounds(&rounds))
            } else {
                out(&text::rounds(&rounds))
            }
        }
        RoundCommand::Close { id } => {
            store.close_round(id)?;
            out(&format!(
                "closed round {id}: its answers are read-only until it is reopened"
            ))
        }
        RoundCommand::Reopen { id } => {
            store.reopen_round(id)?;
            out(&format!("reopened round {id}"))
        }
        RoundCommand::Delete { id, yes } => {
            let info = store.round(id)?;
            if !yes {
                return Err(Fail::msg(format!(
                    "this deletes round {id} “{}” with its {} respondents and their answers; run again with --yes to confirm",
                    info.title, info.respondents
                )));
            }
            store.delete_round(id)?;
            out(&format!("deleted round {id} “{}”", info.title))
        }
    }
}
