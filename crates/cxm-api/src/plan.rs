//! The plan (issue 15): an organisation's items after an assessment — added from a
//! round's actions (*Add to plan*, *Plan all tier-1 actions*) or by hand, edited one
//! field at a time, deleted. The rules (overdue, due quarters, statuses) are
//! `cxm_domain::plan`'s; the store keeps the items (`cxm_store::plan`).

use std::sync::Arc;

use cxm_domain::Model;
use cxm_domain::plan::{Due, Effort, PlanStatus};
use cxm_store::plan::{NewPlanItem, PlanChange, PlanItemRecord};

use cxm_domain::plan::{ProgressFlag, carry_over, explain_projection, project, summary_sentence};
use cxm_domain::scoring::{Results, score};

use crate::wire::{
    ApiError, CarryOverView, ItemProgressView, MovedView, PlanAdded, PlanItemInput, PlanItemView,
    PlanResultsView, PlanView, PlannedFrom, ProjectedBlockView, ProjectionView,
};
use crate::{Api, ApiResult};

/// What an item planned from an action starts with besides its title, block and
/// question.
struct ActionFields {
    owner: Option<String>,
    due: Option<Due>,
    effort: Option<Effort>,
    status: PlanStatus,
    notes: Option<String>,
}

impl Default for ActionFields {
    fn default() -> ActionFields {
        ActionFields {
            owner: None,
            due: None,
            effort: None,
            status: PlanStatus::Planned,
            notes: None,
        }
    }
}

/// The fields `set_plan_field` changes.
pub const PLAN_FIELDS: [&str; 6] = ["title", "owner", "due", "effort", "status", "notes"];

fn due(text: Option<&str>) -> ApiResult<Option<Due>> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => t.parse().map(Some).map_err(ApiError::invalid),
    }
}

fn effort(text: Option<&str>) -> ApiResult<Option<Effort>> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => t.parse().map(Some).map_err(ApiError::invalid),
    }
}

fn status(text: Option<&str>) -> ApiResult<PlanStatus> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(PlanStatus::Planned),
        Some(t) => t.parse().map_err(ApiError::invalid),
    }
}

/// The item as the UI shows it, with names from `model`.
pub(crate) fn item_view(
    r: &PlanItemRecord,
    model: &Model,
    today: chrono::NaiveDate,
) -> PlanItemView {
    let block_name = model
        .blocks
        .iter()
        .find(|b| b.id == r.item.block)
        .map(|b| b.name.clone())
        .unwrap_or_else(|| r.item.block.clone());
    let question_text = r
        .item
        .question
        .as_deref()
        .and_then(|q| model.question_index(q))
        .map(|i| model.questions[i].text.clone());
    PlanItemView {
        id: r.id,
        uuid: r.item.id.clone(),
        title: r.item.title.clone(),
        block: r.item.block.clone(),
        block_name,
        question: r.item.question.clone(),
        question_text,
        owner: r.item.owner.clone(),
        due: r.item.due.map(|d| d.to_string()),
        due_quarter: r.item.due.map(|d| {
            let (y, q) = d.quarter();
            format!("{y:04}-Q{q}")
        }),
        effort: r.item.effort.map(|e| e.to_string()),
        status: r.item.status.as_str().to_string(),
        notes: r.item.notes.clone(),
        planned_from: r
            .planned_from
            .clone()
            .map(|(id, title)| PlannedFrom { id, title }),
        overdue: r.item.overdue(today),
    }
}

/// The items a round's carry-over is about: every item but those planned from the round
/// itself (new plans, not yet carried).
pub(crate) fn carried_items(
    records: &[PlanItemRecord],
    round: i64,
) -> Vec<cxm_domain::plan::PlanItem> {
    records
        .iter()
        .filter(|r| r.planned_from.as_ref().is_none_or(|(id, _)| *id != round))
        .map(|r| r.item.clone())
        .collect()
}

fn attainment_of(results: &Results, question: &str) -> Option<f64> {
    results
        .questions
        .iter()
        .find(|q| q.question == question)
        .and_then(|q| q.attainment)
}

impl Api {
    /// The plan on a round's results page: the projected phase over this round's
    /// answers, and what the items planned before this round did since the previous
    /// round (by date).
    pub(crate) fn plan_results(&self, loaded: &crate::Loaded) -> ApiResult<PlanResultsView> {
        let s = &loaded.scored;
        let model = &*s.round.model;
        let organisation = loaded.info.organisation;
        let (records, previous) = {
            let store = self.store()?;
            let records = store.plan(organisation)?;
            let previous = store.previous_round(loaded.info.id)?;
            (records, previous)
        };
        let items: Vec<cxm_domain::plan::PlanItem> =
            records.iter().map(|r| r.item.clone()).collect();
        let respondents: Vec<cxm_domain::Respondent> =
            s.round.respondents.iter().map(|r| r.scoring()).collect();
        let p = project(model, &respondents, &items);
        let phase_name = |n: u32| {
            if n == 0 {
                "Not yet at phase 1".to_string()
            } else {
                model.phase_name(n)
            }
        };
        let projection = ProjectionView {
            current_phase: p.current_phase,
            projected_phase: p.projected_phase,
            projected_phase_name: phase_name(p.projected_phase),
            explanation: explain_projection(model, &p),
            items_counted: p.items_counted,
            items_not_scored: p.items_not_scored,
            blocks: p
                .blocks
                .iter()
                .map(|b| ProjectedBlockView {
                    block: b.block.clone(),
                    block_name: model
                        .block_index(&b.block)
                        .map(|i| model.blocks[i].name.clone())
                        .unwrap_or_else(|| b.block.clone()),
                    reached_now: b.reached_now,
                    reached_projected: b.reached_projected,
                    planned: b.planned,
                    holds_back: b.holds_back,
                })
                .collect(),
        };
        let mut planned_questions: Vec<String> = records
            .iter()
            .filter(|r| r.item.status.is_open())
            .filter_map(|r| r.item.question.clone())
            .collect();
        planned_questions.sort();
        planned_questions.dedup();
        // Items planned before this round: from an earlier round, or by hand.
        let this_uuid_round = loaded.info.id;
        let earlier: Vec<&cxm_store::plan::PlanItemRecord> = records
            .iter()
            .filter(|r| {
                r.planned_from
                    .as_ref()
                    .is_none_or(|(id, _)| *id != this_uuid_round)
            })
            .collect();
        let carry = match previous {
            Some(prev) if !earlier.is_empty() => {
                let (id, title) = (prev.id, prev.title);
                // The previous round is usually the one the results compare with: its
                // answers are loaded already.
                let before = match (&loaded.earlier, &s.earlier) {
                    (Some(e), Some(source)) if e.id == id => {
                        score(&source.model, &source.scoring())
                    }
                    _ => {
                        let data = self.store()?.round_data(id)?;
                        score(&data.model, &data.scoring_respondents())
                    }
                };
                let list: Vec<cxm_domain::plan::PlanItem> =
                    earlier.iter().map(|r| r.item.clone()).collect();
                let c = carry_over(model, &before, &s.results, &list);
                let text = |q: &str| {
                    model
                        .question_index(q)
                        .map(|i| model.questions[i].text.clone())
                };
                Some(CarryOverView {
                    previous_round: PlannedFrom { id, title },
                    summary: summary_sentence(&c.summary),
                    items: c
                        .items
                        .iter()
                        .zip(&earlier)
                        .map(|(i, r)| ItemProgressView {
                            item: r.id,
                            title: r.item.title.clone(),
                            question: i.question.clone(),
                            question_text: i.question.as_deref().and_then(text),
                            status: r.item.status.as_str().to_string(),
                            then: i.then,
                            now: i.now,
                            flag: i.flag.map(|f| {
                                match f {
                                    ProgressFlag::DoneButNotMoved => "done_but_not_moved",
                                    ProgressFlag::LiftedOverThreshold => "lifted_over_threshold",
                                }
                                .to_string()
                            }),
                        })
                        .collect(),
                    moved_without_plan: c
                        .moved_without_plan
                        .iter()
                        .map(|q| MovedView {
                            question: q.clone(),
                            text: text(q).unwrap_or_default(),
                            then: attainment_of(&before, q),
                            now: attainment_of(&s.results, q),
                        })
                        .collect(),
                })
            }
            _ => None,
        };
        Ok(PlanResultsView {
            items: records.len() as u32,
            planned_questions,
            projection,
            carry_over: carry,
        })
    }

    /// The model an organisation's plan is shown with: its latest round's, or the
    /// default.
    fn plan_model(&self, organisation: i64) -> ApiResult<Arc<Model>> {
        let store = self.store()?;
        let rounds = store.rounds(Some(organisation))?;
        Ok(match rounds.last() {
            Some(r) => store.model_for_round(r.id)?,
            None => store.model_by_key(&store.default_model_key()?)?.1,
        })
    }

    /// `plan`: an organisation's plan.
    pub fn plan(&self, organisation: i64) -> ApiResult<PlanView> {
        let model = self.plan_model(organisation)?;
        let store = self.store()?;
        let name = store.organisation(organisation)?.name;
        let records = store.plan(organisation)?;
        drop(store);
        let today = self.host.now().date_naive();
        let items: Vec<PlanItemView> = records
            .iter()
            .map(|r| item_view(r, &model, today))
            .collect();
        let mut owners: Vec<String> = items.iter().filter_map(|i| i.owner.clone()).collect();
        owners.sort_by_key(|o| cxm_domain::text::fold(o));
        owners.dedup();
        Ok(PlanView {
            organisation,
            organisation_name: name,
            items,
            owners,
            today: today.format("%Y-%m-%d").to_string(),
            blocks: model
                .blocks
                .iter()
                .map(|b| crate::wire::NamedRef {
                    id: b.id.clone(),
                    name: b.name.clone(),
                })
                .collect(),
            questions: model
                .questions
                .iter()
                .map(|q| crate::wire::PlanQuestion {
                    id: q.id.clone(),
                    block: model.blocks[q.block].id.clone(),
                    phase: q.phase,
                    text: q.text.clone(),
                })
                .collect(),
        })
    }

    /// `add_plan_item`: an item typed in; its id.
    pub fn add_plan_item(&self, organisation: i64, input: PlanItemInput) -> ApiResult<i64> {
        let item = NewPlanItem {
            title: input.title,
            block: input.block,
            question: input.question,
            owner: input.owner,
            due: due(input.due.as_deref())?,
            effort: effort(input.effort.as_deref())?,
            status: status(input.status.as_deref())?,
            notes: input.notes,
            planned_from: None,
        };
        let ids = self.store()?.add_plan_items(organisation, &[item])?;
        tracing::info!(organisation, item = ids[0], "plan item added");
        Ok(ids[0])
    }

    /// `plan_actions`: adds the round's next-phase actions on these questions to its
    /// organisation's plan, each titled with the action's recommendation, in one
    /// transaction. A question an open item already targets is skipped.
    pub fn plan_actions(&self, round: i64, questions: Vec<String>) -> ApiResult<PlanAdded> {
        self.plan_actions_as(round, &questions, &ActionFields::default())
    }

    /// Plans one of a round's actions with some of its fields given at once
    /// (`owner`, `due`, `effort`, `status`, `notes`, as [`Api::update_plan_item`]
    /// takes them; `cxm plan add --from-action`): checked before anything is written,
    /// added in one transaction.
    pub fn plan_action_with(
        &self,
        round: i64,
        question: &str,
        given: &[(&str, Option<String>)],
    ) -> ApiResult<PlanAdded> {
        let mut fields = ActionFields::default();
        for (field, value) in given {
            let v = value.as_deref();
            match *field {
                "owner" => fields.owner = value.clone(),
                "due" => fields.due = due(v)?,
                "effort" => fields.effort = effort(v)?,
                "status" => fields.status = status(v)?,
                "notes" => fields.notes = value.clone(),
                other => {
                    return Err(ApiError::invalid(format!(
                        "`{other}` cannot be given to an item planned from an action (owner, due, effort, status, notes)"
                    )));
                }
            }
        }
        self.plan_actions_as(round, &[question.to_string()], &fields)
    }

    fn plan_actions_as(
        &self,
        round: i64,
        questions: &[String],
        fields: &ActionFields,
    ) -> ApiResult<PlanAdded> {
        let loaded = self.scored(round, crate::CompareWith::None)?;
        let organisation = loaded.info.organisation;
        let model = &loaded.scored.round.model;
        let results = &loaded.scored.results;
        let open: Vec<String> = self
            .store()?
            .plan(organisation)?
            .into_iter()
            .filter(|r| r.item.status.is_open())
            .filter_map(|r| r.item.question)
            .collect();
        let mut already = Vec::new();
        let mut new = Vec::new();
        for q in questions {
            let Some(action) = results.actions.iter().find(|a| a.question == q.trim()) else {
                return Err(ApiError::invalid(format!(
                    "question `{}` is not among round {round}'s next-phase actions",
                    q.trim()
                )));
            };
            if open.contains(&action.question)
                || new
                    .iter()
                    .any(|n: &NewPlanItem| n.question.as_deref() == Some(&action.question))
            {
                already.push(action.question.clone());
                continue;
            }
            let i = model
                .question_index(&action.question)
                .expect("an action's question");
            new.push(NewPlanItem {
                title: model.questions[i].recommendation.clone(),
                block: action.block.clone(),
                question: Some(action.question.clone()),
                owner: fields.owner.clone(),
                due: fields.due,
                effort: fields.effort,
                status: fields.status,
                notes: fields.notes.clone(),
                planned_from: Some(round),
            });
        }
        let added = if new.is_empty() {
            Vec::new()
        } else {
            self.store()?.add_plan_items(organisation, &new)?
        };
        tracing::info!(
            round,
            added = added.len(),
            already = already.len(),
            "actions planned"
        );
        Ok(PlanAdded { added, already })
    }

    /// `set_plan_field`: changes one field of an item (`title`, `owner`, `due`,
    /// `effort`, `status`, `notes`; `null` or empty clears an optional one). The item
    /// as it is now.
    pub fn set_plan_field(
        &self,
        item: i64,
        field: &str,
        value: Option<String>,
    ) -> ApiResult<PlanItemView> {
        self.update_plan_item(item, &[(field, value)])
    }

    /// Changes several fields of an item at once (one change stamp; all or nothing):
    /// `cxm plan set`. The item as it is now.
    pub fn update_plan_item(
        &self,
        item: i64,
        fields: &[(&str, Option<String>)],
    ) -> ApiResult<PlanItemView> {
        let mut change = PlanChange::default();
        for (field, value) in fields {
            let v = value.as_deref();
            match *field {
                "title" => change.title = Some(v.unwrap_or("").to_string()),
                "owner" => change.owner = Some(v.map(str::to_string)),
                "due" => change.due = Some(due(v)?),
                "effort" => change.effort = Some(effort(v)?),
                "status" => {
                    change.status = Some(match v.map(str::trim).filter(|t| !t.is_empty()) {
                        None => return Err(ApiError::invalid("a plan item always has a status")),
                        Some(t) => t.parse().map_err(ApiError::invalid)?,
                    })
                }
                "notes" => change.notes = Some(v.map(str::to_string)),
                other => {
                    return Err(ApiError::invalid(format!(
                        "`{other}` is not a field of a plan item ({})",
                        PLAN_FIELDS.join(", ")
                    )));
                }
            }
        }
        let organisation = {
            let mut store = self.store()?;
            store.update_plan_item(item, &change)?;
            store.plan_item(item)?.organisation
        };
        tracing::info!(item, fields = fields.len(), "plan item changed");
        let model = self.plan_model(organisation)?;
        let record = self.store()?.plan_item(item)?;
        Ok(item_view(&record, &model, self.host.now().date_naive()))
    }

    /// `delete_plan_item`: deletes an item (a tombstone keeps it deleted on every laptop).
    pub fn delete_plan_item(&self, item: i64) -> ApiResult<()> {
        self.store()?.delete_plan_item(item)?;
        tracing::info!(item, "plan item deleted");
        Ok(())
    }
}
