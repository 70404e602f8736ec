//! The seeded demo engagement ([`cxm_domain::demo`]) loaded into the database, and
//! copying a round's respondent list into a new round.

use chrono::NaiveDate;

use crate::answers::RespondentImport;
use crate::orgs::OrganisationSummary;
use crate::rounds::NewRound;
use crate::{Result, Store, StoreError};

/// What [`Store::load_demo`] created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedDemo {
    /// The demo organisation's id.
    pub organisation: i64,
    /// Its name.
    pub name: String,
    /// Its rounds, oldest first.
    pub rounds: Vec<LoadedDemoRound>,
}

/// One round of the demo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedDemoRound {
    /// Round id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Date.
    pub date: NaiveDate,
    /// Number of interviews.
    pub respondents: usize,
}

fn demo_date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| StoreError::Invalid(format!("demo date `{s}`: {e}")))
}

impl Store {
    /// The demo organisation if it is already loaded: a non-archived organisation with
    /// the demo's name and all of the demo's rounds, each with all its respondents
    /// (half a demo, left by a version that did not load it in one transaction, is not
    /// taken for one).
    pub fn demo_organisation(&self) -> Result<Option<OrganisationSummary>> {
        let key = self.default_model_key()?;
        let (_, model) = self.model_by_key(&key)?;
        let demo = cxm_domain::demo::demo(&model);
        let complete = |o: &OrganisationSummary| {
            o.name == demo.organisation
                && o.rounds.len() == demo.rounds.len()
                && o.rounds.iter().zip(&demo.rounds).all(|(have, want)| {
                    have.title == want.title && have.respondents as usize == want.respondents.len()
                })
        };
        Ok(self.organisations(false)?.into_iter().find(complete))
    }

    /// Loads the demo engagement (an organisation with its rounds, respondents,
    /// answers and notes, on the default model's latest version), another copy each
    /// time it is called, in one transaction: all of it or nothing.
    pub fn load_demo(&mut self) -> Result<LoadedDemo> {
        self.atomically(Store::load_demo_rows)
    }

    fn load_demo_rows(&mut self) -> Result<LoadedDemo> {
        let key = self.default_model_key()?;
        let (_, model) = self.model_by_key(&key)?;
        let data = cxm_domain::demo::demo(&model);
        let organisation = self.add_organisation(&data.organisation)?;
        let mut rounds = Vec::new();
        for round in &data.rounds {
            let date = demo_date(&round.date)?;
            let id = self.add_round(NewRound {
                organisation,
                title: round.title.clone(),
                date,
                target_phase: round.target_phase,
                model: Some(key.clone()),
            })?;
            let people = round
                .respondents
                .iter()
                .map(|r| {
                    Ok(RespondentImport {
                        name: r.name.clone(),
                        role_group: model.role_groups[r.role_group].id.clone(),
                        department: Some(r.department.clone()),
                        interview_date: Some(demo_date(&r.interview_date)?),
                        answers: model
                            .questions
                            .iter()
                            .zip(r.answers.iter().zip(&r.notes))
                            .filter(|(_, (a, n))| a.is_some() || n.is_some())
                            .map(|(q, (a, n))| (q.id.clone(), *a, n.clone()))
                            .collect(),
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            self.import_respondents(id, &people)?;
            if round.closed {
                self.close_round(id)?;
            }
            rounds.push(LoadedDemoRound {
                id,
                title: round.title.clone(),
                date,
                respondents: round.respondents.len(),
            });
        }
        // The plan made after the baseline, partly done by the review (issue 15).
        if let [first, .., last] = data.rounds.as_slice() {
            let baseline = cxm_domain::score(&model, &first.scoring_respondents());
            let review = cxm_domain::score(&model, &last.scoring_respondents());
            let items: Vec<crate::plan::NewPlanItem> =
                cxm_domain::demo::demo_plan(&model, &baseline, &review)
                    .into_iter()
                    .map(|d| crate::plan::NewPlanItem {
                        title: d.item.title,
                        block: d.item.block,
                        question: d.item.question,
                        owner: d.item.owner,
                        due: d.item.due,
                        effort: d.item.effort,
                        status: d.item.status,
                        notes: d.item.notes,
                        planned_from: rounds.get(d.from_round).map(|r| r.id),
                    })
                    .collect();
            self.add_plan_items(organisation, &items)?;
        }
        Ok(LoadedDemo {
            organisation,
            name: data.organisation,
            rounds,
        })
    }

    /// Adds a round and, with `copy_from`, that round's respondents (names, role groups,
    /// departments; no answers), in one transaction: the round exists with them, or
    /// not at all.
    pub fn add_round_copying(&mut self, round: NewRound, copy_from: Option<i64>) -> Result<i64> {
        self.atomically(|store| {
            let id = store.add_round(round)?;
            if let Some(from) = copy_from {
                store.copy_respondents(from, id)?;
            }
            Ok(id)
        })
    }

    /// Copies the respondents of round `from` (names, role groups, departments; no
    /// answers, notes or interview dates) into the open round `to` of the same
    /// organisation, all or nothing. Returns how many were copied. A role group that
    /// `to`'s model does not define, or a name already in `to`, refuses the whole copy.
    pub fn copy_respondents(&mut self, from: i64, to: i64) -> Result<u32> {
        if from == to {
            return Err(StoreError::Invalid(format!(
                "cannot copy the respondents of round {from} into itself"
            )));
        }
        let source = self.round_data(from)?;
        let target = self.round(to)?;
        if source.info.organisation != target.organisation {
            return Err(StoreError::Invalid(format!(
                "round {from} belongs to {}, not to {}: copy respondents between rounds of one organisation",
                source.info.organisation_name, target.organisation_name
            )));
        }
        let people: Vec<RespondentImport> = source
            .respondents
            .iter()
            .map(|r| RespondentImport {
                name: r.name.clone(),
                role_group: r.role_group.clone(),
                department: r.department.clone(),
                interview_date: None,
                answers: Vec::new(),
            })
            .collect();
        Ok(self.import_respondents(to, &people)?.respondents)
    }
}
