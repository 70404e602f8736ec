//! What crosses IPC for answers from outside the app (issue 13): the round's inbox and
//! workshop mode (collecting on phones). Like [`crate::wire`], from which these are
//! re-exported, the TypeScript types are generated from them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A round's inbox: the submissions waiting for a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct InboxView {
    /// The round.
    #[ts(type = "number")]
    pub round: i64,
    /// Whether the round is open (a closed round's inbox accepts nothing).
    pub open: bool,
    /// The pending submissions, in the order they arrived.
    pub entries: Vec<InboxEntryView>,
    /// Submissions accepted so far (now respondents).
    pub accepted: u32,
    /// Submissions rejected so far.
    pub rejected: u32,
}

/// One pending submission, as the inbox's preview shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct InboxEntryView {
    /// The client-made id (a UUID): what `accept_submissions` and
    /// `reject_submissions` take.
    pub submission_id: String,
    /// Its first eight characters, for people.
    pub short_id: String,
    /// Where it came from (`workshop`).
    pub source: String,
    /// When it arrived (RFC 3339 UTC).
    pub received_at: String,
    /// The respondent accepting it would create: the name or code given, else
    /// "Participant" and the short id.
    pub respondent: String,
    /// Whether the participant gave a name or code.
    pub named: bool,
    /// Role-group id.
    pub role_group: String,
    /// Role-group name.
    pub role_name: String,
    /// Department, if given.
    pub department: Option<String>,
    /// Answers given (values, don't know, n/a).
    pub answers: u32,
    /// Questions the role group is asked.
    pub asked: u32,
    /// Per block of the round's model, in model order.
    pub blocks: Vec<InboxBlock>,
    /// Why accepting it would be refused; empty when it can be accepted.
    pub problems: Vec<String>,
}

/// A building block of one submission: answers given of the questions asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct InboxBlock {
    /// Block id.
    pub id: String,
    /// Block name.
    pub name: String,
    /// Answers given in the block.
    pub answered: u32,
    /// The block's questions the role group is asked.
    pub asked: u32,
}

/// What `accept_submissions` wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct InboxDecision {
    /// Submissions decided (accepted: respondents added; rejected).
    pub submissions: u32,
    /// Answers stored (0 for a rejection).
    pub answers: u32,
}

/// One of the machine's network addresses, to collect on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NetworkAddress {
    /// The IP address (`192.168.1.20`, `::1`).
    pub address: String,
    /// Loopback: only this computer can reach it.
    pub loopback: bool,
    /// What to show: "192.168.1.20" or "127.0.0.1 (this computer only)".
    pub label: String,
}

/// What `start_collecting` takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CollectStart {
    /// The round to collect for (open).
    #[ts(type = "number")]
    pub round: i64,
    /// The address to listen on: one of `network_addresses`.
    pub address: String,
    /// The port; `null` or 0 for any free port.
    pub port: Option<u16>,
    /// Minutes until it stops by itself (1 to 1440; the app offers 120).
    pub minutes: u32,
}

/// Why collecting stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CollectStop {
    /// The user stopped it.
    Stopped,
    /// The time set ran out.
    TimeUp,
    /// The round was closed (or deleted, or the database restored).
    RoundClosed,
}

/// Workshop mode, now or as it ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CollectStatus {
    /// The round it collects for.
    #[ts(type = "number")]
    pub round: i64,
    /// The round's title.
    pub round_title: String,
    /// Whether it is listening.
    pub running: bool,
    /// The participants' link (`http://192.168.1.20:41234/c/<token>`).
    pub url: String,
    /// The 6-digit PIN to write on the board.
    pub pin: String,
    /// The link as a QR code, an SVG document.
    pub qr_svg: String,
    /// The address it listens on.
    pub address: String,
    /// Seconds until it stops by itself (0 once stopped).
    #[ts(type = "number")]
    pub seconds_left: u64,
    /// Submissions stored since it started.
    pub submissions: u32,
    /// Submissions sent again and stored once (a phone's retry).
    pub duplicates: u32,
    /// Submissions of the round waiting in the inbox.
    pub pending: u32,
    /// Why it stopped; `null` while running.
    pub stopped_because: Option<CollectStop>,
}

/// Calls `$m!` with every wire type of this module.
macro_rules! for_each_collect_wire_type {
    ($m:ident) => {
        $m!(
            InboxView,
            InboxEntryView,
            InboxBlock,
            InboxDecision,
            NetworkAddress,
            CollectStart,
            CollectStop,
            CollectStatus
        )
    };
}

pub(crate) use for_each_collect_wire_type;
