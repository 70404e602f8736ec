//! `cxm demo`: load the domain's seeded demo engagement into the database.

use cxm_store::Store;

use crate::fail::Fail;
use crate::out;

/// Load the demo; when it is already there (and `again` is false), say so instead.
pub fn load(store: &mut Store, again: bool) -> Result<(), Fail> {
    if !again
        && let Some(existing) = store.demo_organisation()?
        && let Some(last) = existing.rounds.last()
    {
        return out(&format!(
            "the demo organisation “{}” is already loaded (organisation {}; use --again for another copy); latest round {}",
            existing.name, existing.id, last.id
        ));
    }
    let demo = store.load_demo()?;
    for round in &demo.rounds {
        out(&format!(
            "  round {}: {} ({}), {} interviews",
            round.id, round.title, round.date, round.respondents
        ))?;
    }
    let last = demo.rounds.last().map_or(0, |r| r.id);
    out(&format!(
        "loaded the demo organisation “{}” (organisation {}); see `cxm results {last}`; latest round {last}",
        demo.name, demo.organisation
    ))
}
