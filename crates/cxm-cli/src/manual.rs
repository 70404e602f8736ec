//! `cxm completions SHELL` and `cxm manpage`: the shell completion scripts
//! (clap_complete) and the manual page (clap_mangen), both made from the clap
//! definition of the commands, so they cannot drift from what `cxm` accepts.
//!
//! The manual is one page, `cxm(1)`: clap_mangen's title, name, synopsis, description
//! and options of `cxm` itself, then every command (nested ones too, with its synopsis,
//! description and options, as clap_mangen renders them), then the sections clap does
//! not know: the environment, the files, the exit status and examples.

use std::io::Write;
use std::path::Path;

use clap::{Command, CommandFactory, ValueEnum};
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, italic, roman};

use crate::fail::{Context, Fail};

/// The shells `cxm completions` writes a script for.
#[derive(Clone, Copy, ValueEnum)]
pub enum CompletionShell {
    /// Bash (with the bash-completion package).
    Bash,
    /// Zsh.
    Zsh,
    /// Fish.
    Fish,
}

/// The help of `cxm completions`: how to install each script.
pub const COMPLETIONS_HELP: &str = "Print the shell completion script for bash, zsh or fish.

Install it once (open a new shell afterwards):

  bash: cxm completions bash > ~/.local/share/bash-completion/completions/cxm
  zsh:  cxm completions zsh > ~/.zfunc/_cxm
        (with `fpath+=~/.zfunc` before `compinit` in ~/.zshrc)
  fish: cxm completions fish > ~/.config/fish/completions/cxm.fish

The installed package already has them.";

/// `cxm completions SHELL`: the script on standard output.
pub fn completions(shell: CompletionShell) -> Result<(), Fail> {
    let shell = match shell {
        CompletionShell::Bash => clap_complete::Shell::Bash,
        CompletionShell::Zsh => clap_complete::Shell::Zsh,
        CompletionShell::Fish => clap_complete::Shell::Fish,
    };
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut without_hidden_commands(), "cxm", &mut script);
    write_out(&script)
}

/// `cxm`'s definition without its hidden commands (`manpage`), which clap_complete
/// would offer: the same version, arguments and visible commands.
fn without_hidden_commands() -> Command {
    let full = crate::Cli::command();
    let visible = full.get_subcommands().filter(|s| !s.is_hide_set()).cloned();
    Command::new("cxm")
        .version(crate::VERSION.as_str())
        .about(full.get_about().cloned().unwrap_or_default())
        .args(full.get_arguments().cloned())
        .subcommands(visible)
        .subcommand_required(full.is_subcommand_required_set())
}

/// `cxm manpage`: the manual page (roff) on standard output.
pub fn manpage() -> Result<(), Fail> {
    write_out(&render(crate::Cli::command()).context("cannot render the manual page")?)
}

fn write_out(bytes: &[u8]) -> Result<(), Fail> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .context("cannot write to standard output")
}

/// An example of the EXAMPLES section: the arguments after `cxm`, and what it does.
/// The tests parse every one with the clap definition.
pub const EXAMPLES: &[(&[&str], &str)] = &[
    (
        &["demo"],
        "Load the demo engagement: an organisation with two rounds. The last word printed is the latest round's id.",
    ),
    (
        &["results", "2", "--json"],
        "The results of round 2 as JSON: the phase, each block's phase and maturity, alignment and the next-phase actions.",
    ),
    (
        &["results", "2", "--explain"],
        "The same as text, every figure with the rule and the numbers behind it.",
    ),
    (
        &["report", "2", "-o", "board-report.pdf"],
        "The board report of round 2 as PDF, compared with the organisation's previous round.",
    ),
    (
        &["--db", "client.sqlite", "org", "list"],
        "The organisations in another database file.",
    ),
    (
        &["installation", "--name", "\"Anna's laptop\""],
        "Name this installation as the other consultants will see it in the team folder.",
    ),
    (
        &["org", "share", "1"],
        "Share organisation 1 in the team folder: cxm sync writes its file there from now on.",
    ),
    (
        &["sync", "~/OneDrive/cx-team"],
        "One pass over the team folder: merge the others' files, write this installation's; lists what came in from whom and any concurrent edit.",
    ),
    (
        &["org", "import", "acme.cxmx", "--dry-run"],
        "What importing an engagement file sent by email would do (a new organisation, or what it adds to and changes in the one stored here), without writing anything.",
    ),
];

/// The whole manual page of `cmd` (the `cxm` command).
pub fn render(cmd: Command) -> std::io::Result<Vec<u8>> {
    let mut cmd = without_help_commands(cmd);
    cmd.build();
    let usage_error = usage_error_status(&cmd);
    let version = cmd.get_version().unwrap_or_default().to_string();
    let man = Man::new(cmd.clone())
        .source(format!("cxm {}", env!("CARGO_PKG_VERSION")))
        .manual("CX Maturity")
        .date(page_date());
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;

    let mut roff = Roff::new();
    roff.control("SH", ["COMMANDS"]);
    roff.to_writer(&mut page)?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        command_section(sub, &mut page)?;
    }

    let mut roff = Roff::new();
    environment(&cmd, &mut roff);
    files(&mut roff);
    exit_status(&mut roff, usage_error);
    examples(&mut roff);
    roff.control("SH", ["VERSION"]);
    roff.text([roman(version)]);
    roff.to_writer(&mut page)?;
    // Every part rendered on its own starts with roff's apostrophe preamble: keep the
    // first.
    let preamble = Roff::new().render();
    let text = String::from_utf8_lossy(&page).replace(&preamble, "");
    Ok(ascii(&format!("{preamble}{text}")).into_bytes())
}

/// `text` with every character beyond ASCII written as roff's `\[uXXXX]`, so the page
/// reads the same in every roff, with or without a UTF-8 preprocessor.
fn ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&format!("\\[u{:04X}]", u32::from(c)));
        }
    }
    out
}

/// `cmd` and its commands without clap's `help` command (`--help` stays).
fn without_help_commands(cmd: Command) -> Command {
    cmd.disable_help_subcommand(true)
        .mut_subcommands(without_help_commands)
}

/// The exit status of a command line clap refuses.
fn usage_error_status(cmd: &Command) -> i32 {
    cmd.clone()
        .try_get_matches_from(["cxm", "--no-such-option"])
        .map_or_else(|e| e.exit_code(), |_| 2)
}

/// The page's date: `SOURCE_DATE_EPOCH`'s day when set (reproducible packages), else
/// today's.
fn page_date() -> String {
    cxm_api::source_date_epoch()
        .ok()
        .flatten()
        .unwrap_or_else(chrono::Utc::now)
        .format("%Y-%m-%d")
        .to_string()
}

/// One command's part of COMMANDS (`cxm org add`: its synopsis, description and
/// options), then its own commands'. The help flag and the global `--db` (in OPTIONS
/// above) are left out.
fn command_section(sub: &Command, page: &mut Vec<u8>) -> std::io::Result<()> {
    let name = sub.get_bin_name().unwrap_or_else(|| sub.get_name());
    let mut roff = Roff::new();
    roff.control("SS", [name]);
    roff.to_writer(page)?;
    let sub_page = sub.clone().mut_args(|a| {
        if a.get_id() == "help" || a.is_global_set() {
            a.hide(true)
        } else {
            a
        }
    });
    let man = Man::new(sub_page.clone());
    let mut part = Vec::new();
    man.render_synopsis_section(&mut part)?;
    man.render_description_section(&mut part)?;
    if sub_page.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut part)?;
    }
    // The parts' own `.SH` headings would end COMMANDS: a paragraph break instead.
    for line in String::from_utf8_lossy(&part).lines() {
        if line.starts_with(".SH") {
            page.extend_from_slice(b".PP\n");
        } else {
            page.extend_from_slice(line.as_bytes());
            page.push(b'\n');
        }
    }
    for child in sub.get_subcommands().filter(|s| !s.is_hide_set()) {
        command_section(child, page)?;
    }
    Ok(())
}

/// A `.TP` entry: `term` in bold, then `text`.
fn entry(roff: &mut Roff, term: &str, text: &str) {
    roff.control("TP", []);
    roff.text([bold(term)]);
    roff.text([roman(text)]);
}

fn environment(cmd: &Command, roff: &mut Roff) {
    roff.control("SH", ["ENVIRONMENT"]);
    // The options that read a variable, from the clap definition.
    for arg in cmd.get_arguments() {
        if let (Some(env), Some(long)) = (arg.get_env(), arg.get_long()) {
            let mut help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
            if !help.is_empty() && !help.ends_with('.') {
                help.push('.');
            }
            entry(
                roff,
                &env.to_string_lossy(),
                &format!("{help} Read when --{long} is not given."),
            );
        }
    }
    entry(
        roff,
        cxm_api::logging::LEVEL_VARIABLE,
        &format!(
            "The support log's level: off, error, warn, info (the default), debug or trace. \
             Another value is refused with a warning and {} is used.",
            cxm_api::logging::DEFAULT_LEVEL
        ),
    );
    entry(
        roff,
        crate::BUSY_TIMEOUT_VARIABLE,
        &format!(
            "How many seconds to wait for another program's write to the database (the \
             desktop app's, another cxm's) before giving up; default {}.",
            crate::BUSY_TIMEOUT.as_secs()
        ),
    );
    entry(
        roff,
        "SOURCE_DATE_EPOCH",
        "Seconds since 1970: the date written in reports, so the same data gives the \
         same PDF.",
    );
}

fn files(roff: &mut Roff) {
    // The default database's place under the data directory, as the store makes it.
    let relative = cxm_store::default_db_path()
        .and_then(|p| {
            let file = p.file_name()?.to_owned();
            let folder = p.parent()?.file_name()?.to_owned();
            Some(Path::new(&folder).join(file))
        })
        .unwrap_or_else(|| "cxm.sqlite".into());
    let db = Path::new("$XDG_DATA_HOME").join(&relative);
    let logs = cxm_api::logging::log_dir(&db);
    let backups = cxm_store::backup::backup_dir(&db);
    roff.control("SH", ["FILES"]);
    entry(
        roff,
        &db.display().to_string(),
        &format!(
            "The database, shared with the desktop app (cx-maturity), unless --db or \
             CXM_DB names another. XDG_DATA_HOME defaults to ~/.local/share; on macOS the \
             folder is ~/Library/Application Support/{}.",
            relative.parent().unwrap_or(Path::new("")).display()
        ),
    );
    entry(
        roff,
        &logs
            .join(format!("{}.YYYY-MM-DD", cxm_api::logging::FILE_PREFIX))
            .display()
            .to_string(),
        &format!(
            "The support log, in the folder logs next to the database in use: one file a \
             day (UTC), the last {} kept, private to the user. It holds ids and events \
             only (which command ran, how long it took, how it ended, error codes), never \
             answers, notes, or the names of organisations, respondents or rounds, so it \
             can be sent to support as it is.",
            cxm_api::logging::KEEP_FILES
        ),
    );
    entry(
        roff,
        &format!("{}/", backups.display()),
        "The desktop app's automatic and manual backups of the database (cxm restore \
         takes one back).",
    );
}

fn exit_status(roff: &mut Roff, usage_error: i32) {
    roff.control("SH", ["EXIT STATUS"]);
    entry(
        roff,
        "0",
        "The command did what it was asked (also --help and --version).",
    );
    entry(
        roff,
        &crate::FAILED.to_string(),
        "The command failed: the reason is on standard error, after \"error: \".",
    );
    entry(
        roff,
        &usage_error.to_string(),
        "The command line is wrong: an unknown command or option, or an argument missing \
         or malformed. The usage is on standard error.",
    );
    roff.control("PP", []);
    roff.text([
        roman("cxm collect serves until the time set or Ctrl-C; stopped by Ctrl-C it ends as "),
        roman("the shell reports for an interrupted program (130). "),
        roman("cxm sync ends with 0 when the pass ran, even when it skipped files it could not "),
        roman("read (each named on standard error after \"warning: \"); 1 when it could not run."),
    ]);
}

fn examples(roff: &mut Roff) {
    roff.control("SH", ["EXAMPLES"]);
    for (args, what) in EXAMPLES {
        roff.control("TP", []);
        roff.text([bold("cxm "), bold(args.join(" "))]);
        roff.text([roman(*what)]);
    }
    roff.control("TP", []);
    roff.text([
        bold("cxm completions bash > "),
        italic("~/.local/share/bash-completion/completions/cxm"),
    ]);
    roff.text([roman(
        "Install the bash completion for your user (see cxm completions --help for zsh and fish).",
    )]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_definition_is_consistent() {
        crate::Cli::command().debug_assert();
    }

    #[test]
    fn every_example_is_a_command_line_cxm_accepts() {
        for (args, _) in EXAMPLES {
            let words = std::iter::once("cxm").chain(args.iter().copied());
            if let Err(e) = crate::Cli::command().try_get_matches_from(words) {
                panic!("cxm {}: {e}", args.join(" "));
            }
        }
    }

    #[test]
    fn characters_beyond_ascii_become_roff_escapes() {
        assert_eq!(
            ascii("“Baseline” — é 😀"),
            r"\[u201C]Baseline\[u201D] \[u2014] \[u00E9] \[u1F600]"
        );
        assert_eq!(ascii("plain -text"), "plain -text");
    }
}
