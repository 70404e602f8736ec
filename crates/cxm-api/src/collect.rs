//! Answers from outside the app (issue 13): the round's inbox, workshop mode (a
//! [`cxm_collect::Collector`] on the local network writing into the inbox through its
//! own connection to the database), and the round's survey form as an XLSForm for ODK
//! Central and KoboToolbox.
//!
//! One collection runs at a time. It stops when the user stops it, when its time is
//! up, when its round is closed or deleted or the database is restored, and when the
//! [`Api`] is dropped (the app quits).

use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use cxm_collect::{Collector, FormSource, Options, Received, Sink, SinkError, StopReason};
use cxm_domain::submission::Submission;
use cxm_store::{Receipt, Store, StoreError};

use crate::wire::{
    CollectStart, CollectStatus, CollectStop, ErrorCode, ExportOutcome, InboxBlock, InboxDecision,
    InboxEntryView, InboxView, NetworkAddress,
};
use crate::xlsform::{FormRound, xlsform};
use crate::{Api, ApiError, ApiResult, DialogSpec};

/// The longest a collection can be set to run: a day.
pub const MAX_COLLECT_MINUTES: u32 = 24 * 60;

const XLSFORM_SAVE: DialogSpec = DialogSpec {
    title: "Export the survey form (XLSForm)",
    filter: "Excel workbook",
    extensions: &["xlsx"],
};

/// The running (or last) collection.
pub(crate) struct Collecting {
    round: i64,
    round_title: String,
    address: String,
    qr_svg: String,
    collector: Collector,
    /// Set when the app stopped it because the round went away (closed, deleted,
    /// database restored): the server only knows it was stopped.
    round_gone: bool,
}

/// The collect server's way into the database: a connection of its own, so the app's
/// window is never kept waiting by a room full of phones.
struct StoreSink {
    store: Mutex<Store>,
    round: i64,
}

impl Sink for StoreSink {
    fn receive(&self, submission: &Submission) -> Result<Received, SinkError> {
        let mut store = self.store.lock().unwrap_or_else(|p| p.into_inner());
        match store.receive_submission(self.round, submission) {
            Ok(Receipt::New) => Ok(Received::New),
            Ok(Receipt::Already) => Ok(Received::Already),
            Err(StoreError::ClosedRound { .. } | StoreError::NotFound { .. }) => {
                Err(SinkError::Closed)
            }
            Err(e) => Err(SinkError::Failed(e.to_string())),
        }
    }
}

/// The link as a QR code (SVG), dark on white with a quiet zone, for a phone's camera.
pub fn qr_svg(url: &str) -> ApiResult<String> {
    let code = qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::M)
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("QR code: {e}")))?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build())
}

/// The link as a QR code in text (two rows per character), for a terminal.
pub fn qr_text(url: &str) -> ApiResult<String> {
    let code = qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::M)
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("QR code: {e}")))?;
    Ok(code
        .render::<qrcode::render::unicode::Dense1x2>()
        .dark_color(qrcode::render::unicode::Dense1x2::Light)
        .light_color(qrcode::render::unicode::Dense1x2::Dark)
        .quiet_zone(true)
        .build())
}

fn stop_reason(reason: StopReason) -> CollectStop {
    match reason {
        StopReason::Stopped => CollectStop::Stopped,
        StopReason::TimeUp => CollectStop::TimeUp,
        StopReason::RoundClosed => CollectStop::RoundClosed,
    }
}

impl Api {
    fn collecting(&self) -> MutexGuard<'_, Option<Collecting>> {
        self.collecting.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// `inbox`: the round's pending submissions with what each would add.
    pub fn inbox(&self, round: i64) -> ApiResult<InboxView> {
        let store = self.store()?;
        let info = store.round(round)?;
        let model = store.model_for_round(round)?;
        let counts = store.inbox_counts(round)?;
        let entries = store
            .inbox(round)?
            .into_iter()
            .map(|e| {
                let group = model.role_group_index(&e.role_group);
                let asks = |q: usize| group.is_some_and(|g| model.asks(q, g));
                let answered: Vec<usize> = e
                    .answers
                    .iter()
                    .filter_map(|(id, _)| model.question_index(id))
                    .collect();
                let blocks = model
                    .blocks
                    .iter()
                    .enumerate()
                    .map(|(b, block)| InboxBlock {
                        id: block.id.clone(),
                        name: block.name.clone(),
                        answered: answered
                            .iter()
                            .filter(|&&q| model.questions[q].block == b)
                            .count() as u32,
                        asked: (0..model.questions.len())
                            .filter(|&q| model.questions[q].block == b && asks(q))
                            .count() as u32,
                    })
                    .collect();
                InboxEntryView {
                    short_id: e.submission_id.chars().take(8).collect(),
                    submission_id: e.submission_id,
                    source: e.source,
                    received_at: e.received_at,
                    respondent: e.respondent,
                    named: e.name.is_some(),
                    role_name: group
                        .map(|g| model.role_groups[g].name.clone())
                        .unwrap_or_else(|| e.role_group.clone()),
                    role_group: e.role_group,
                    department: e.department,
                    answers: e.answers.len() as u32,
                    asked: group.map_or(0, |g| model.asked_count(g)) as u32,
                    blocks,
                    problems: e.problems,
                }
            })
            .collect();
        Ok(InboxView {
            round,
            open: info.status == cxm_store::RoundStatus::Open,
            entries,
            accepted: counts.accepted,
            rejected: counts.rejected,
        })
    }

    /// `accept_submissions`: the chosen submissions become respondents, all in one
    /// transaction (all or nothing).
    pub fn accept_submissions(&self, round: i64, ids: Vec<String>) -> ApiResult<InboxDecision> {
        if ids.is_empty() {
            return Err(ApiError::invalid(
                "choose at least one submission to accept",
            ));
        }
        let done = self.store()?.accept_submissions(round, &ids)?;
        Ok(InboxDecision {
            submissions: done.respondents,
            answers: done.answers,
        })
    }

    /// `reject_submissions`: the chosen submissions are deleted (their ids kept, so a
    /// phone sending one again does not bring it back). All or nothing.
    pub fn reject_submissions(&self, round: i64, ids: Vec<String>) -> ApiResult<InboxDecision> {
        if ids.is_empty() {
            return Err(ApiError::invalid(
                "choose at least one submission to reject",
            ));
        }
        let n = self.store()?.reject_submissions(round, &ids)?;
        Ok(InboxDecision {
            submissions: n,
            answers: 0,
        })
    }

    /// `network_addresses`: the machine's addresses to collect on, local network first,
    /// this computer only last.
    pub fn network_addresses(&self) -> Vec<NetworkAddress> {
        cxm_collect::local_addresses()
            .into_iter()
            .map(|ip| NetworkAddress {
                address: ip.to_string(),
                loopback: ip.is_loopback(),
                label: if ip.is_loopback() {
                    format!("{ip} (this computer only)")
                } else {
                    ip.to_string()
                },
            })
            .collect()
    }

    /// `start_collecting`: starts workshop mode for an open round (stopping any other
    /// collection first): a server on the chosen address, a new link and PIN.
    pub fn start_collecting(&self, input: CollectStart) -> ApiResult<CollectStatus> {
        if input.minutes == 0 || input.minutes > MAX_COLLECT_MINUTES {
            return Err(ApiError::invalid(format!(
                "collect for 1 to {MAX_COLLECT_MINUTES} minutes, not {}",
                input.minutes
            )));
        }
        let bind: IpAddr = input.address.trim().parse().map_err(|_| {
            ApiError::invalid(format!(
                "`{}` is not an IP address: choose one of this computer's addresses",
                input.address
            ))
        })?;
        let Some(db_path) = self.db_path.clone() else {
            return Err(ApiError::new(
                ErrorCode::NoDatabase,
                "collecting needs a database file",
            ));
        };
        let (round_title, model) = {
            let store = self.store()?;
            let info = store.round(input.round)?;
            if info.status == cxm_store::RoundStatus::Closed {
                return Err(ApiError::new(
                    ErrorCode::RoundClosed,
                    format!(
                        "round “{}” is closed: reopen it to collect answers",
                        info.title
                    ),
                ));
            }
            (info.title, store.model_for_round(input.round)?)
        };
        self.stop_collecting();
        let sink = StoreSink {
            store: Mutex::new(Store::open(&db_path)?),
            round: input.round,
        };
        let collector = Collector::start(
            Arc::new(sink),
            FormSource {
                round_title: round_title.clone(),
                model,
            },
            Options {
                bind,
                port: input.port.unwrap_or(0),
                minutes: input.minutes,
            },
        )
        .map_err(|e| ApiError::invalid(format!("cannot start collecting: {e}")))?;
        let qr_svg = qr_svg(&collector.url())?;
        crate::logging::collecting_started(input.round, &collector.url());
        *self.collecting() = Some(Collecting {
            round: input.round,
            round_title,
            address: bind.to_string(),
            qr_svg,
            collector,
            round_gone: false,
        });
        self.collect_status()?
            .ok_or_else(|| ApiError::new(ErrorCode::Internal, "the collection vanished"))
    }

    /// `collect_status`: the running collection, or the last one as it ended; `null`
    /// when none was started since the app started.
    pub fn collect_status(&self) -> ApiResult<Option<CollectStatus>> {
        let view = {
            let slot = self.collecting();
            let Some(c) = slot.as_ref() else {
                return Ok(None);
            };
            let s = c.collector.status();
            CollectStatus {
                round: c.round,
                round_title: c.round_title.clone(),
                running: s.running,
                url: s.url,
                pin: s.pin,
                qr_svg: c.qr_svg.clone(),
                address: c.address.clone(),
                seconds_left: s.seconds_left,
                submissions: s.submissions,
                duplicates: s.duplicates,
                pending: 0,
                stopped_because: if c.round_gone && !s.running {
                    Some(CollectStop::RoundClosed)
                } else {
                    s.stopped_because.map(stop_reason)
                },
            }
        };
        let pending = match self.store()?.inbox_counts(view.round) {
            Ok(counts) => counts.pending,
            Err(StoreError::NotFound { .. }) => 0,
            Err(e) => return Err(e.into()),
        };
        Ok(Some(CollectStatus { pending, ..view }))
    }

    /// `stop_collecting`: stops the running collection (nothing happens when none
    /// runs); the link stops working at once.
    pub fn stop_collecting(&self) {
        if let Some(c) = self.collecting().as_ref() {
            if c.collector.status().running {
                crate::logging::collecting_stopped(c.round);
            }
            c.collector.stop();
        }
    }

    /// Stops the collection of `round` because the round was closed or deleted (or of
    /// any round, `None`, when the database was replaced); its status then says
    /// `round_closed`. The CLI calls it when another process closed the round.
    pub fn round_gone(&self, round: Option<i64>) {
        if let Some(c) = self.collecting().as_mut()
            && c.collector.status().running
            && round.is_none_or(|r| r == c.round)
        {
            c.round_gone = true;
            c.collector.stop();
        }
    }

    /// Blocks until the running collection stops or `timeout` passes (the CLI's
    /// foreground mode); true when it stopped.
    pub fn wait_for_collection(&self, timeout: std::time::Duration) -> bool {
        match self.collecting().as_ref() {
            Some(c) => c.collector.wait(timeout),
            None => true,
        }
    }

    /// The round's survey form: (suggested file name, XLSForm workbook).
    pub fn round_xlsform(&self, round: i64) -> ApiResult<(String, Vec<u8>)> {
        let (info, model) = {
            let store = self.store()?;
            (store.round(round)?, store.model_for_round(round)?)
        };
        let bytes = xlsform(
            &model,
            &FormRound {
                round_id: round,
                round_title: info.title.clone(),
                organisation: info.organisation_name.clone(),
            },
        )
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("the survey form: {e}")))?;
        Ok((
            format!(
                "{} - {} - survey form.xlsx",
                info.organisation_name, info.title
            ),
            bytes,
        ))
    }

    /// `export_xlsform`: the round's survey form (XLSForm, for ODK Central and
    /// KoboToolbox) through the save dialog; `path: null` when the user cancelled.
    pub fn export_xlsform(&self, round: i64) -> ApiResult<ExportOutcome> {
        let (name, bytes) = self.round_xlsform(round)?;
        let Some(path) = self.save_path(&XLSFORM_SAVE, &name)? else {
            return Ok(ExportOutcome {
                path: None,
                opened: false,
            });
        };
        self.write_export(&path, &bytes)?;
        Ok(ExportOutcome {
            path: Some(path.display().to_string()),
            opened: false,
        })
    }
}
