//! `cxm demo`: the domain's seeded demo engagement, loaded by the app's use case.

use cxm_api::Api;

use crate::fail::Fail;
use crate::out;

/// Load the demo; when it is already there (and `again` is false), say so instead.
pub fn load(api: &Api, again: bool) -> Result<(), Fail> {
    let demo = api.load_demo_with(again)?;
    let org = &demo.organisation;
    let last = org.rounds.last().map_or(0, |r| r.id);
    if !demo.loaded {
        return out(&format!(
            "the demo organisation “{}” is already loaded (organisation {}; use --again for another copy); latest round {last}",
            org.name, org.id
        ));
    }
    for round in &org.rounds {
        out(&format!(
            "  round {}: {} ({}), {} interviews",
            round.id, round.title, round.date, round.respondents
        ))?;
    }
    out(&format!(
        "loaded the demo organisation “{}” (organisation {}); see `cxm results {last}`; latest round {last}",
        org.name, org.id
    ))
}
