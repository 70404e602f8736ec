//! The per-round summary columns: organisation phase, respondent counts and per-block
//! maturity, rewritten by every write that changes a round's respondents or answers.

use cxm_domain::{Model, Respondent, Results, score};
use rusqlite::Connection;
use rusqlite::types::{FromSql, FromSqlResult, ValueRef};
use serde::{Deserialize, Serialize};

use crate::Result;
use crate::answers::load_scoring;

/// One block's position in a round, as stored for listings and trend charts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlockMaturity {
    /// Block id.
    pub block: String,
    /// R_b, the last phase passed.
    pub reached_phase: u32,
    /// M_b, 0..=n.
    pub maturity: f64,
}

impl BlockMaturity {
    /// The per-block maturity of a scored round, in model order.
    pub fn from_results(results: &Results) -> Vec<BlockMaturity> {
        results
            .blocks
            .iter()
            .map(|b| BlockMaturity {
                block: b.id.clone(),
                reached_phase: b.reached_phase,
                maturity: b.maturity,
            })
            .collect()
    }
}

/// What the summary columns hold.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Summary {
    /// P, or `None` while no answer has been given in the round.
    pub phase: Option<u32>,
    pub respondents: u32,
    pub interviews_complete: u32,
    /// Empty when `phase` is `None`.
    pub blocks: Vec<BlockMaturity>,
}

impl Summary {
    pub fn compute(model: &Model, respondents: &[Respondent]) -> Summary {
        let answered = respondents.iter().any(|r| r.answered() > 0);
        if !answered {
            return Summary {
                phase: None,
                respondents: respondents.len() as u32,
                interviews_complete: respondents.iter().filter(|r| r.is_complete(model)).count()
                    as u32,
                blocks: Vec::new(),
            };
        }
        let results = score(model, respondents);
        Summary {
            phase: Some(results.organisation_phase),
            respondents: results.respondents,
            interviews_complete: results.interviews_complete,
            blocks: BlockMaturity::from_results(&results),
        }
    }
}

/// Rescores `round` from its stored answers and rewrites its summary columns. Call it
/// inside the transaction of the write that changed the answers.
pub(crate) fn refresh(conn: &Connection, round: i64, model: &Model) -> Result<()> {
    let respondents: Vec<Respondent> = load_scoring(conn, round, model)?;
    let summary = Summary::compute(model, &respondents);
    let json = serde_json::to_string(&summary.blocks).expect("block maturity serialises");
    conn.prepare_cached(
        "UPDATE rounds SET phase = ?2, respondents = ?3, interviews_complete = ?4, block_maturity = ?5
         WHERE id = ?1",
    )?
    .execute(rusqlite::params![
        round,
        summary.phase,
        summary.respondents,
        summary.interviews_complete,
        json
    ])?;
    Ok(())
}

/// Reads the `block_maturity` JSON column. The column is a cache of what scoring the
/// round's answers gives: one that cannot be read (written by a fault, or edited by
/// hand) reads as empty — as if no answer had been given — so one bad round cannot
/// break a listing of every round; the round's own results are always computed from
/// its answers.
pub(crate) struct BlockMaturityColumn(pub Vec<BlockMaturity>);

impl FromSql for BlockMaturityColumn {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = match value {
            ValueRef::Text(t) => std::str::from_utf8(t).unwrap_or(""),
            _ => "",
        };
        let blocks: Vec<BlockMaturity> = serde_json::from_str(text).unwrap_or_default();
        let sane = blocks
            .iter()
            .all(|b| b.maturity.is_finite() && b.maturity >= 0.0);
        Ok(BlockMaturityColumn(if sane { blocks } else { Vec::new() }))
    }
}
