//! `cxm inbox` and `cxm collect`: the round's inbox, and workshop mode in the
//! foreground (the app's use cases in `cxm-api`).

use std::time::{Duration, Instant};

use clap::{Args, Subcommand};
use cxm_api::Api;
use cxm_api::wire::{CollectStart, CollectStop, InboxView, RoundStatus};

use crate::fail::Fail;
use crate::{Db, json, out, print_json};

/// `cxm inbox`.
#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct InboxArgs {
    #[command(subcommand)]
    action: Option<InboxCommand>,
    /// Round id: list its pending submissions.
    #[arg(required = true)]
    round: Option<i64>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
enum InboxCommand {
    /// Accept submissions: each becomes a respondent (all or nothing).
    Accept {
        /// Round id.
        round: i64,
        /// Accept every pending submission.
        #[arg(long, conflicts_with = "ids")]
        all: bool,
        /// Submission ids (or a unique start of one, at least 4 characters).
        #[arg(required_unless_present = "all")]
        ids: Vec<String>,
    },
    /// Reject submissions: their answers are deleted (all or nothing).
    Reject {
        /// Round id.
        round: i64,
        /// Submission ids (or a unique start of one, at least 4 characters).
        #[arg(required = true)]
        ids: Vec<String>,
    },
}

/// `cxm collect`.
#[derive(Args)]
pub struct CollectArgs {
    /// Round id (open).
    round: i64,
    /// The address to listen on (default: this computer's first local-network address).
    #[arg(long, value_name = "ADDR")]
    bind: Option<String>,
    /// The port (default: any free port).
    #[arg(long, value_name = "N")]
    port: Option<u16>,
    /// Stop after this many minutes.
    #[arg(long, value_name = "M", default_value_t = 120)]
    minutes: u32,
}

/// `cxm inbox …`.
pub fn inbox(db: &Db, args: InboxArgs) -> Result<(), Fail> {
    let api = db.api()?;
    match args.action {
        None => {
            let round = args.round.expect("clap requires the round");
            let view = api.inbox(round)?;
            if args.json {
                print_json(&json::inbox(&view))
            } else {
                out(&inbox_text(&view))
            }
        }
        Some(InboxCommand::Accept { round, all, ids }) => {
            let view = api.inbox(round)?;
            let ids = if all {
                view.entries
                    .iter()
                    .map(|e| e.submission_id.clone())
                    .collect()
            } else {
                resolve(&view, &ids)?
            };
            if ids.is_empty() {
                return out(&format!(
                    "the inbox of round {round} is empty: nothing to accept"
                ));
            }
            let done = api.accept_submissions(round, ids)?;
            out(&format!(
                "accepted {} into round {round}: {} and {} added",
                count(done.submissions, "submission"),
                count(done.submissions, "respondent"),
                count(done.answers, "answer")
            ))
        }
        Some(InboxCommand::Reject { round, ids }) => {
            let view = api.inbox(round)?;
            let ids = resolve(&view, &ids)?;
            let done = api.reject_submissions(round, ids)?;
            out(&format!(
                "rejected {} of round {round} (their answers are deleted)",
                count(done.submissions, "submission")
            ))
        }
    }
}

/// Full submission ids for what was typed: a whole id, or a unique start of one.
fn resolve(view: &InboxView, typed: &[String]) -> Result<Vec<String>, Fail> {
    let mut ids = Vec::with_capacity(typed.len());
    for t in typed {
        let t = t.trim().to_ascii_lowercase();
        if t.len() < 4 {
            return Err(Fail::msg(format!(
                "`{t}`: give at least 4 characters of a submission id (`cxm inbox {}` lists them)",
                view.round
            )));
        }
        let matches: Vec<&str> = view
            .entries
            .iter()
            .map(|e| e.submission_id.as_str())
            .filter(|id| id.starts_with(&t))
            .collect();
        match matches.as_slice() {
            [one] => {
                if !ids.iter().any(|i: &String| i == one) {
                    ids.push(one.to_string());
                }
            }
            [] => {
                return Err(Fail::msg(format!(
                    "no pending submission of round {} starts with `{t}` (nothing was changed)",
                    view.round
                )));
            }
            _ => {
                return Err(Fail::msg(format!(
                    "`{t}` starts {} pending submissions: give more of the id (nothing was changed)",
                    matches.len()
                )));
            }
        }
    }
    Ok(ids)
}

fn inbox_text(view: &InboxView) -> String {
    let mut s = String::new();
    if view.entries.is_empty() {
        s.push_str(&format!("the inbox of round {} is empty", view.round));
    } else {
        s.push_str(&format!(
            "{} waiting in round {}:\n",
            count(view.entries.len() as u32, "submission"),
            view.round
        ));
        for e in &view.entries {
            let dept = e
                .department
                .as_deref()
                .map(|d| format!(", {d}"))
                .unwrap_or_default();
            s.push_str(&format!(
                "  {}  {}  {}{}  {}/{} answered  ({})\n",
                e.short_id, e.respondent, e.role_name, dept, e.answers, e.asked, e.received_at
            ));
            for p in &e.problems {
                s.push_str(&format!("      problem: {p}\n"));
            }
        }
        s.push_str(&format!(
            "accept with `cxm inbox accept {} --all` (or ids), reject with `cxm inbox reject {} ID…`",
            view.round, view.round
        ));
    }
    if view.accepted + view.rejected > 0 {
        s.push_str(&format!(
            "\n{} accepted and {} rejected before",
            count(view.accepted, "submission"),
            view.rejected
        ));
    }
    if !view.open {
        s.push_str("\nthe round is closed: reopen it to accept submissions");
    }
    s
}

/// `cxm collect`: workshop mode in the foreground until Ctrl-C, the time set, or the
/// round being closed.
pub fn collect(db: &Db, args: CollectArgs) -> Result<(), Fail> {
    let api = db.api()?;
    let address = match args.bind {
        Some(a) => a,
        None => api
            .network_addresses()
            .into_iter()
            .next()
            .map(|a| a.address)
            .ok_or_else(|| Fail::msg("this computer has no network address; pass --bind"))?,
    };
    let status = api.start_collecting(CollectStart {
        round: args.round,
        address,
        port: args.port,
        minutes: args.minutes,
    })?;
    let qr = cxm_api::qr_text(&status.url)?;
    out(&format!(
        "collecting answers for round {} “{}” for {}\n\n{qr}\nlink: {}\nPIN:  {}\n\n\
         Participants open the link (or scan the code) on a phone on this network and enter the PIN.\n\
         The connection is plain HTTP on the local network: run it only on a network you control.\n\
         Submissions wait in the round's inbox: `cxm inbox {}`. Stop with Ctrl-C.",
        status.round,
        status.round_title,
        count(args.minutes, "minute"),
        status.url,
        status.pin,
        status.round
    ))?;
    watch(&api, status.round)
}

fn watch(api: &Api, round: i64) -> Result<(), Fail> {
    let mut shown = 0;
    let mut last_check = Instant::now();
    loop {
        let stopped = api.wait_for_collection(Duration::from_millis(500));
        let Some(status) = api.collect_status()? else {
            return Ok(());
        };
        if status.submissions != shown {
            shown = status.submissions;
            out(&format!(
                "{} received ({} waiting in the inbox)",
                count(shown, "submission"),
                status.pending
            ))?;
        }
        if stopped || !status.running {
            let why = match status.stopped_because {
                Some(CollectStop::TimeUp) => "the time set ran out",
                Some(CollectStop::RoundClosed) => "the round was closed",
                _ => "it was stopped",
            };
            return out(&format!(
                "stopped collecting ({why}): {} received; review them with `cxm inbox {round}`",
                count(status.submissions, "submission")
            ));
        }
        // The round closed elsewhere (the app): stop too.
        if last_check.elapsed() >= Duration::from_secs(2) {
            last_check = Instant::now();
            if api.round(round)?.status == RoundStatus::Closed {
                api.round_gone(Some(round));
            }
        }
    }
}

/// "1 submission", "3 submissions".
fn count(n: u32, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}
