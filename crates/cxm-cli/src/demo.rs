//! `cxm demo`: load the domain's seeded demo engagement into the database.

use chrono::NaiveDate;
use cxm_store::{NewRound, RespondentImport, Store};

use crate::fail::Fail;
use crate::out;

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("the demo's dates are valid")
}

/// Load the demo; when it is already there (and `again` is false), say so instead.
pub fn load(store: &mut Store, again: bool) -> Result<(), Fail> {
    let key = store.default_model_key()?;
    let (_, model) = store.model_by_key(&key)?;
    let data = cxm_domain::demo::demo(&model);
    if !again
        && let Some(existing) = store
            .organisations(false)?
            .into_iter()
            .find(|o| o.name == data.organisation)
        && let Some(last) = existing.rounds.last()
    {
        return out(&format!(
            "the demo organisation “{}” is already loaded (organisation {}; use --again for another copy); latest round {}",
            existing.name, existing.id, last.id
        ));
    }
    let org = store.add_organisation(&data.organisation)?;
    let mut last = 0;
    for round in &data.rounds {
        let id = store.add_round(NewRound {
            organisation: org,
            title: round.title.clone(),
            date: date(&round.date),
            target_phase: round.target_phase,
            model: Some(key.clone()),
        })?;
        let people: Vec<RespondentImport> = round
            .respondents
            .iter()
            .map(|r| RespondentImport {
                name: r.name.clone(),
                role_group: model.role_groups[r.role_group].id.clone(),
                department: Some(r.department.clone()),
                interview_date: Some(date(&r.interview_date)),
                answers: model
                    .questions
                    .iter()
                    .zip(r.answers.iter().zip(&r.notes))
                    .filter(|(_, (a, n))| a.is_some() || n.is_some())
                    .map(|(q, (a, n))| (q.id.clone(), *a, n.clone()))
                    .collect(),
            })
            .collect();
        store.import_respondents(id, &people)?;
        if round.closed {
            store.close_round(id)?;
        }
        out(&format!(
            "  round {id}: {} ({}), {} interviews",
            round.title,
            round.date,
            round.respondents.len()
        ))?;
        last = id;
    }
    out(&format!(
        "loaded the demo organisation “{}” (organisation {org}); see `cxm results {last}`; latest round {last}",
        data.organisation
    ))
}
