//! The CLI's JSON output: the one place that knows its shape. Documented in the
//! README ("JSON output"); field names here are a stable contract, pinned byte for byte
//! by `tests/json_snapshots.rs`.
//!
//! Each output is a typed copy filled here, at the boundary, from what the use cases
//! return: renaming a field of the model, the store or the app's wire types does not
//! change it. The fields of every type but the comparison's are declared in
//! alphabetical order, the order the output has always had (it was first built from
//! JSON maps, which sort their keys).

use cxm_api::wire;
use cxm_domain::compare::{Basis, Comparison};
use cxm_domain::explain::Explanations;
use cxm_domain::scoring::PhaseStatus;
use cxm_domain::{Model, Results};
use cxm_store::RoundData;
use serde::Serialize;

/// `cxm model show --json`.
#[derive(Serialize)]
pub struct ModelOut<'a> {
    anonymity_threshold: u32,
    blocks: Vec<BlockOut<'a>>,
    description: &'a str,
    id: &'a str,
    phases: Vec<PhaseOut<'a>>,
    questions: Vec<QuestionOut<'a>>,
    role_groups: Vec<RoleGroupOut<'a>>,
    scale: ScaleOut<'a>,
    threshold: f64,
    title: &'a str,
    version: u32,
}

#[derive(Serialize)]
struct BlockOut<'a> {
    description: &'a str,
    id: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct PhaseOut<'a> {
    description: &'a str,
    name: &'a str,
    number: u32,
}

#[derive(Serialize)]
struct QuestionOut<'a> {
    block: &'a str,
    guidance: &'a str,
    id: &'a str,
    phase: u32,
    recommendation: &'a str,
    text: &'a str,
    weight: f64,
}

#[derive(Serialize)]
struct RoleGroupOut<'a> {
    id: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct ScaleOut<'a> {
    dont_know: &'a str,
    labels: &'a [String],
    max: u8,
    not_applicable: &'a str,
}

/// `cxm model show --json`.
pub fn model(m: &Model) -> ModelOut<'_> {
    ModelOut {
        anonymity_threshold: m.anonymity_threshold,
        blocks: m
            .blocks
            .iter()
            .map(|b| BlockOut {
                description: &b.description,
                id: &b.id,
                name: &b.name,
            })
            .collect(),
        description: &m.description,
        id: &m.id,
        phases: m
            .phases
            .iter()
            .map(|p| PhaseOut {
                description: &p.description,
                name: &p.name,
                number: p.number,
            })
            .collect(),
        questions: m
            .questions
            .iter()
            .map(|q| QuestionOut {
                block: &m.blocks[q.block].id,
                guidance: &q.guidance,
                id: &q.id,
                phase: q.phase,
                recommendation: &q.recommendation,
                text: &q.text,
                weight: q.weight,
            })
            .collect(),
        role_groups: m
            .role_groups
            .iter()
            .map(|g| RoleGroupOut {
                id: &g.id,
                name: &g.name,
            })
            .collect(),
        scale: ScaleOut {
            dont_know: &m.scale.dont_know,
            labels: &m.scale.labels,
            max: m.scale.max,
            not_applicable: &m.scale.not_applicable,
        },
        threshold: m.threshold,
        title: &m.title,
        version: m.version,
    }
}

/// One entry of `cxm model list --json`.
#[derive(Serialize)]
pub struct ModelVersionOut<'a> {
    id: &'a str,
    imported_at: &'a str,
    key: String,
    questions: u32,
    rounds: u32,
    title: &'a str,
    version: u32,
}

/// `cxm model list --json`.
pub fn models(list: &[wire::ModelVersionInfo]) -> Vec<ModelVersionOut<'_>> {
    list.iter()
        .map(|m| ModelVersionOut {
            id: &m.model_id,
            imported_at: &m.imported_at,
            key: format!("{}@{}", m.model_id, m.version),
            questions: m.questions,
            rounds: m.rounds,
            title: &m.title,
            version: m.version,
        })
        .collect()
}

fn status(s: wire::RoundStatus) -> &'static str {
    match s {
        wire::RoundStatus::Open => "open",
        wire::RoundStatus::Closed => "closed",
    }
}

/// One entry of `cxm org list --json`.
#[derive(Serialize)]
pub struct OrganisationOut<'a> {
    archived: bool,
    created_at: &'a str,
    id: i64,
    name: &'a str,
    rounds: Vec<OrganisationRoundOut<'a>>,
}

#[derive(Serialize)]
struct OrganisationRoundOut<'a> {
    date: &'a str,
    id: i64,
    interviews_complete: u32,
    phase: Option<u32>,
    respondents: u32,
    status: &'static str,
    title: &'a str,
}

/// `cxm org list --json`.
pub fn organisations(list: &[wire::OrganisationSummary]) -> Vec<OrganisationOut<'_>> {
    list.iter()
        .map(|o| OrganisationOut {
            archived: o.archived,
            created_at: &o.created_at,
            id: o.id,
            name: &o.name,
            rounds: o
                .rounds
                .iter()
                .map(|r| OrganisationRoundOut {
                    date: &r.date,
                    id: r.id,
                    interviews_complete: r.interviews_complete,
                    phase: r.phase,
                    respondents: r.respondents,
                    status: status(r.status),
                    title: &r.title,
                })
                .collect(),
        })
        .collect()
}

/// One entry of `cxm round list --json`.
#[derive(Serialize)]
pub struct RoundOut<'a> {
    date: &'a str,
    id: i64,
    interviews_complete: u32,
    model: &'a str,
    org: i64,
    organisation_name: &'a str,
    phase: Option<u32>,
    respondents: u32,
    status: &'static str,
    target_phase: Option<u32>,
    title: &'a str,
}

/// `cxm round list --json`.
pub fn rounds(list: &[wire::RoundInfo]) -> Vec<RoundOut<'_>> {
    list.iter()
        .map(|r| RoundOut {
            date: &r.date,
            id: r.id,
            interviews_complete: r.interviews_complete,
            model: &r.model_key,
            org: r.organisation,
            organisation_name: &r.organisation_name,
            phase: r.phase,
            respondents: r.respondents,
            status: status(r.status),
            target_phase: r.target_phase,
            title: &r.title,
        })
        .collect()
}

/// `cxm results --json`: scores only — no database ids, paths or timestamps.
#[derive(Serialize)]
pub struct ResultsOut<'a> {
    actions: Vec<ActionOut<'a>>,
    alignment: Vec<AlignmentOut<'a>>,
    blocks: Vec<BlockResultOut<'a>>,
    bottleneck: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    explanations: Option<ExplanationsOut<'a>>,
    interviews_complete: u32,
    model: String,
    not_yet_assessed: Vec<PendingOut<'a>>,
    organisation_phase: u32,
    projection: ProjectionOut,
    provisional: bool,
    questions: Vec<QuestionScoreOut<'a>>,
    respondents: u32,
    target_phase: Option<u32>,
}

/// The projected phase in `cxm results --json` (issue 15).
#[derive(Serialize)]
pub struct ProjectionOut {
    blocks: Vec<ProjectedBlockOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    explanation: Option<String>,
    items_counted: u32,
    items_not_scored: u32,
    projected_phase: u32,
}

#[derive(Serialize)]
struct ProjectedBlockOut {
    block: String,
    holds_back: bool,
    maturity_projected: f64,
    planned: u32,
    reached_projected: u32,
}

/// The projected phase of a round under its organisation's plan (the explanation
/// with `--explain`).
pub fn projection(
    model: &cxm_domain::Model,
    p: &cxm_domain::plan::Projection,
    explain: bool,
) -> ProjectionOut {
    ProjectionOut {
        blocks: p
            .blocks
            .iter()
            .map(|b| ProjectedBlockOut {
                block: b.block.clone(),
                holds_back: b.holds_back,
                maturity_projected: b.maturity_projected,
                planned: b.planned,
                reached_projected: b.reached_projected,
            })
            .collect(),
        explanation: explain.then(|| cxm_domain::plan::explain_projection(model, p)),
        items_counted: p.items_counted,
        items_not_scored: p.items_not_scored,
        projected_phase: p.projected_phase,
    }
}

#[derive(Serialize)]
struct ActionOut<'a> {
    attainment: f64,
    block: &'a str,
    phase: u32,
    priority: f64,
    question: &'a str,
    recommendation: &'a str,
    text: &'a str,
    tier: u8,
}

#[derive(Serialize)]
struct AlignmentOut<'a> {
    block: &'a str,
    flagged: bool,
    gap: f64,
    groups: Vec<GroupOut<'a>>,
    hidden_groups: Vec<HiddenGroupOut<'a>>,
}

#[derive(Serialize)]
struct GroupOut<'a> {
    attainment: Option<f64>,
    reached_phase: u32,
    respondents: u32,
    role_group: &'a str,
}

#[derive(Serialize)]
struct HiddenGroupOut<'a> {
    respondents: u32,
    role_group: &'a str,
}

#[derive(Serialize)]
struct BlockResultOut<'a> {
    attainment: Option<f64>,
    id: &'a str,
    maturity: f64,
    phases: Vec<PhaseResultOut>,
    reached_phase: u32,
}

#[derive(Serialize)]
struct PhaseResultOut {
    attainment: Option<f64>,
    phase: u32,
    status: &'static str,
}

#[derive(Serialize)]
struct ExplanationsOut<'a> {
    blocks: Vec<BlockExplanationOut<'a>>,
    organisation: &'a str,
}

#[derive(Serialize)]
struct BlockExplanationOut<'a> {
    block: &'a str,
    text: &'a str,
}

#[derive(Serialize)]
struct PendingOut<'a> {
    block: &'a str,
    phase: u32,
    question: &'a str,
    text: &'a str,
}

#[derive(Serialize)]
struct QuestionScoreOut<'a> {
    answered: u32,
    attainment: Option<f64>,
    block: &'a str,
    dont_know: u32,
    not_applicable: u32,
    phase: u32,
    question: &'a str,
}

fn phase_status(s: PhaseStatus) -> &'static str {
    match s {
        PhaseStatus::Mastered => "mastered",
        PhaseStatus::BelowThreshold => "below_threshold",
        PhaseStatus::NotApplicable => "not_applicable",
        PhaseStatus::NotAssessed => "not_assessed",
    }
}

/// `cxm results --json`.
pub fn results<'a>(
    data: &RoundData,
    r: &'a Results,
    explanations: Option<&'a Explanations>,
    projection: ProjectionOut,
) -> ResultsOut<'a> {
    ResultsOut {
        projection,
        actions: r
            .actions
            .iter()
            .map(|a| ActionOut {
                attainment: a.attainment,
                block: &a.block,
                phase: a.phase,
                priority: a.priority,
                question: &a.question,
                recommendation: &a.recommendation,
                text: &a.text,
                tier: a.tier,
            })
            .collect(),
        alignment: r
            .alignment
            .iter()
            .map(|a| AlignmentOut {
                block: &a.block,
                flagged: a.flagged,
                gap: a.gap,
                groups: a
                    .groups
                    .iter()
                    .map(|g| GroupOut {
                        attainment: g.attainment,
                        reached_phase: g.reached_phase,
                        respondents: g.respondents,
                        role_group: &g.role_group,
                    })
                    .collect(),
                hidden_groups: a
                    .hidden_groups
                    .iter()
                    .map(|h| HiddenGroupOut {
                        respondents: h.respondents,
                        role_group: &h.role_group,
                    })
                    .collect(),
            })
            .collect(),
        blocks: r
            .blocks
            .iter()
            .map(|b| BlockResultOut {
                attainment: b.attainment,
                id: &b.id,
                maturity: b.maturity,
                phases: b
                    .phases
                    .iter()
                    .map(|p| PhaseResultOut {
                        attainment: p.attainment,
                        phase: p.phase,
                        status: phase_status(p.status),
                    })
                    .collect(),
                reached_phase: b.reached_phase,
            })
            .collect(),
        bottleneck: &r.bottleneck,
        explanations: explanations.map(|e| ExplanationsOut {
            blocks: e
                .blocks
                .iter()
                .map(|b| BlockExplanationOut {
                    block: &b.block,
                    text: &b.text,
                })
                .collect(),
            organisation: &e.organisation,
        }),
        interviews_complete: r.interviews_complete,
        model: data.model.key(),
        not_yet_assessed: r
            .not_yet_assessed
            .iter()
            .map(|q| PendingOut {
                block: &q.block,
                phase: q.phase,
                question: &q.question,
                text: &q.text,
            })
            .collect(),
        organisation_phase: r.organisation_phase,
        provisional: data.info.status == cxm_store::RoundStatus::Open,
        questions: r
            .questions
            .iter()
            .map(|q| QuestionScoreOut {
                answered: q.answered,
                attainment: q.attainment,
                block: &q.block,
                dont_know: q.dont_know,
                not_applicable: q.not_applicable,
                phase: q.phase,
                question: &q.question,
            })
            .collect(),
        respondents: r.respondents,
        target_phase: data.info.target_phase,
    }
}

/// `cxm compare --json`, in its documented order (not alphabetical).
#[derive(Serialize)]
pub struct ComparisonOut<'a> {
    basis: &'static str,
    shared_questions: usize,
    phase_from: u32,
    phase_to: u32,
    blocks: Vec<BlockChangeOut<'a>>,
    questions: Vec<QuestionChangeOut<'a>>,
}

#[derive(Serialize)]
struct BlockChangeOut<'a> {
    block: &'a str,
    delta_maturity: f64,
    delta_attainment: Option<f64>,
    phase_from: u32,
    phase_to: u32,
    maturity_from: f64,
    maturity_to: f64,
}

#[derive(Serialize)]
struct QuestionChangeOut<'a> {
    question: &'a str,
    block: &'a str,
    phase: u32,
    delta: Option<f64>,
}

/// `cxm compare --json`.
pub fn comparison(c: &Comparison) -> ComparisonOut<'_> {
    ComparisonOut {
        basis: match c.basis {
            Basis::SameModel => "same_model",
            Basis::SharedQuestions => "shared_questions",
        },
        shared_questions: c.shared_questions,
        phase_from: c.phase_from,
        phase_to: c.phase_to,
        blocks: c
            .blocks
            .iter()
            .map(|b| BlockChangeOut {
                block: &b.block,
                delta_maturity: b.delta_maturity,
                delta_attainment: b.delta_attainment,
                phase_from: b.phase_from,
                phase_to: b.phase_to,
                maturity_from: b.maturity_from,
                maturity_to: b.maturity_to,
            })
            .collect(),
        questions: c
            .questions
            .iter()
            .map(|q| QuestionChangeOut {
                question: &q.question,
                block: &q.block,
                phase: q.phase,
                delta: q.delta,
            })
            .collect(),
    }
}

/// `cxm inbox ROUND --json`.
#[derive(Serialize)]
pub struct InboxOut<'a> {
    accepted: u32,
    open: bool,
    pending: Vec<InboxEntryOut<'a>>,
    rejected: u32,
    round: i64,
}

#[derive(Serialize)]
struct InboxEntryOut<'a> {
    answers: u32,
    asked: u32,
    department: Option<&'a str>,
    problems: &'a [String],
    received_at: &'a str,
    respondent: &'a str,
    role: &'a str,
    source: &'a str,
    submission_id: &'a str,
}

/// `cxm inbox ROUND --json`: the pending submissions, and how many were decided.
pub fn inbox(view: &wire::InboxView) -> InboxOut<'_> {
    InboxOut {
        accepted: view.accepted,
        open: view.open,
        pending: view
            .entries
            .iter()
            .map(|e| InboxEntryOut {
                answers: e.answers,
                asked: e.asked,
                department: e.department.as_deref(),
                problems: &e.problems,
                received_at: &e.received_at,
                respondent: &e.respondent,
                role: &e.role_group,
                source: &e.source,
                submission_id: &e.submission_id,
            })
            .collect(),
        rejected: view.rejected,
        round: view.round,
    }
}

// ----- Working as a team (issue 14) -----

/// One side of a concurrent edit.
#[derive(Serialize)]
struct EditOut<'a> {
    answer: Option<&'a str>,
    at: &'a str,
    by: &'a str,
    note: Option<&'a str>,
}

fn edit(e: &wire::EditSide) -> EditOut<'_> {
    EditOut {
        answer: e.answer.as_deref(),
        at: &e.at,
        by: &e.by,
        note: e.note.as_deref(),
    }
}

/// The same answer changed on two installations before they exchanged.
#[derive(Serialize)]
pub struct ConcurrentOut<'a> {
    kept: EditOut<'a>,
    question: &'a str,
    replaced: Vec<EditOut<'a>>,
    respondent: &'a str,
    round: &'a str,
}

fn concurrent(list: &[wire::ConcurrentEdit]) -> Vec<ConcurrentOut<'_>> {
    list.iter()
        .map(|c| ConcurrentOut {
            kept: edit(&c.kept),
            question: &c.question,
            replaced: c.replaced.iter().map(edit).collect(),
            respondent: &c.respondent,
            round: &c.round,
        })
        .collect()
}

/// `cxm sync --json`: what one pass over the team folder did.
#[derive(Serialize)]
pub struct SyncOut<'a> {
    at: &'a str,
    concurrent: Vec<ConcurrentOut<'a>>,
    files_read: u32,
    files_written: u32,
    folder: &'a str,
    received: Vec<ReceivedOut<'a>>,
    skipped: Vec<SkippedOut<'a>>,
    warnings: &'a [String],
}

#[derive(Serialize)]
struct ReceivedOut<'a> {
    answers_added: u32,
    answers_changed: u32,
    file_name: &'a str,
    from: &'a str,
    new_organisation: bool,
    org: i64,
    organisation_name: &'a str,
    respondents_added: u32,
    respondents_changed: u32,
    respondents_deleted: u32,
    rounds_added: u32,
    rounds_deleted: u32,
}

#[derive(Serialize)]
struct SkippedOut<'a> {
    file_name: &'a str,
    reason: &'a str,
}

/// `cxm sync --json`.
pub fn sync(r: &wire::SyncReport) -> SyncOut<'_> {
    SyncOut {
        at: &r.at,
        concurrent: concurrent(&r.concurrent),
        files_read: r.files_read,
        files_written: r.files_written,
        folder: &r.folder,
        received: r
            .received
            .iter()
            .map(|x| ReceivedOut {
                answers_added: x.answers_added,
                answers_changed: x.answers_changed,
                file_name: &x.file_name,
                from: &x.from,
                new_organisation: x.new_organisation,
                org: x.organisation_id,
                organisation_name: &x.organisation,
                respondents_added: x.respondents_added,
                respondents_changed: x.respondents_changed,
                respondents_deleted: x.respondents_deleted,
                rounds_added: x.rounds_added,
                rounds_deleted: x.rounds_deleted,
            })
            .collect(),
        skipped: r
            .skipped
            .iter()
            .map(|s| SkippedOut {
                file_name: &s.file_name,
                reason: &s.reason,
            })
            .collect(),
        warnings: &r.warnings,
    }
}

/// `cxm org import FILE --dry-run --json`: what importing the file would do.
#[derive(Serialize)]
pub struct PreviewOut<'a> {
    answers_added: u32,
    answers_changed: u32,
    changed: bool,
    concurrent: Vec<ConcurrentOut<'a>>,
    file_name: &'a str,
    format_version: u32,
    from: Option<&'a str>,
    imported_as: &'a str,
    merge: bool,
    models_added: &'a [String],
    models_reused: &'a [String],
    org: Option<i64>,
    organisation_name: &'a str,
    renamed: bool,
    respondents_added: u32,
    respondents_changed: u32,
    respondents_deleted: u32,
    rounds: Vec<PreviewRoundOut<'a>>,
    rounds_deleted: u32,
    warnings: &'a [String],
}

#[derive(Serialize)]
struct PreviewRoundOut<'a> {
    added: bool,
    answers_added: u32,
    answers_changed: u32,
    date: &'a str,
    deleted: bool,
    model: &'a str,
    respondents_added: u32,
    respondents_changed: u32,
    respondents_deleted: u32,
    status: &'static str,
    status_changed: bool,
    title: &'a str,
}

/// `cxm org import FILE --dry-run --json`.
pub fn preview(p: &wire::EngagementPreview) -> PreviewOut<'_> {
    PreviewOut {
        answers_added: p.answers,
        answers_changed: p.answers_changed,
        changed: p.changed,
        concurrent: concurrent(&p.concurrent),
        file_name: &p.file_name,
        format_version: p.format_version,
        from: p.from.as_deref(),
        imported_as: &p.imported_as,
        merge: p.merge,
        models_added: &p.models_added,
        models_reused: &p.models_reused,
        org: p.organisation_id,
        organisation_name: &p.organisation,
        renamed: p.renamed,
        respondents_added: p.respondents,
        respondents_changed: p.respondents_changed,
        respondents_deleted: p.respondents_deleted,
        rounds: p
            .rounds
            .iter()
            .map(|r| PreviewRoundOut {
                added: r.added,
                answers_added: r.answers,
                answers_changed: r.answers_changed,
                date: &r.date,
                deleted: r.deleted,
                model: &r.model,
                respondents_added: r.respondents,
                respondents_changed: r.respondents_changed,
                respondents_deleted: r.respondents_deleted,
                status: status(r.status),
                status_changed: r.status_changed,
                title: &r.title,
            })
            .collect(),
        rounds_deleted: p.rounds_deleted,
        warnings: &p.warnings,
    }
}

/// `cxm org import FILE --json`: what the import did.
#[derive(Serialize)]
pub struct ImportOut<'a> {
    answers_added: u32,
    answers_changed: u32,
    changed: bool,
    concurrent: Vec<ConcurrentOut<'a>>,
    merged: bool,
    models_added: &'a [String],
    org: Option<i64>,
    organisation_name: &'a str,
    renamed: bool,
    respondents_added: u32,
    respondents_changed: u32,
    respondents_deleted: u32,
    rounds_added: u32,
    rounds_deleted: u32,
    warnings: &'a [String],
}

/// `cxm org import FILE --json`.
pub fn imported(o: &wire::ImportEngagementOutcome) -> ImportOut<'_> {
    ImportOut {
        answers_added: o.answers,
        answers_changed: o.answers_changed,
        changed: o.changed,
        concurrent: concurrent(&o.concurrent),
        merged: o.merged,
        models_added: &o.models_added,
        org: o.organisation,
        organisation_name: &o.name,
        renamed: o.renamed,
        respondents_added: o.respondents,
        respondents_changed: o.respondents_changed,
        respondents_deleted: o.respondents_deleted,
        rounds_added: o.rounds,
        rounds_deleted: o.rounds_deleted,
        warnings: &o.warnings,
    }
}

/// `cxm installation --json`: this installation, the team folder and what is shared.
#[derive(Serialize)]
pub struct InstallationOut<'a> {
    id: &'a str,
    name: &'a str,
    shared: Vec<SharedOut<'a>>,
    team_folder: Option<&'a str>,
}

#[derive(Serialize)]
struct SharedOut<'a> {
    id: i64,
    name: &'a str,
}

/// `cxm installation --json`.
pub fn installation(t: &wire::TeamFolder) -> InstallationOut<'_> {
    InstallationOut {
        id: &t.installation_id,
        name: &t.installation_name,
        shared: t
            .shared
            .iter()
            .map(|s| SharedOut {
                id: s.id,
                name: &s.name,
            })
            .collect(),
        team_folder: t.folder.as_deref(),
    }
}

/// One entry of `cxm org sources ID --json`.
#[derive(Serialize)]
pub struct SourceOut<'a> {
    answers: u32,
    file_written_at: Option<&'a str>,
    merged_at: Option<&'a str>,
    name: &'a str,
    respondents: u32,
    this: bool,
}

/// `cxm org sources ID --json`.
pub fn sources(list: &[wire::DataSource]) -> Vec<SourceOut<'_>> {
    list.iter()
        .map(|s| SourceOut {
            answers: s.answers,
            file_written_at: s.file_written_at.as_deref(),
            merged_at: s.merged_at.as_deref(),
            name: &s.name,
            respondents: s.respondents,
            this: s.this,
        })
        .collect()
}

/// One entry of `cxm respondent list ROUND --json`.
#[derive(Serialize)]
pub struct RespondentOut<'a> {
    answered: u32,
    asked: u32,
    complete: bool,
    department: Option<&'a str>,
    id: i64,
    interview_date: Option<&'a str>,
    name: &'a str,
    role: &'a str,
}

/// `cxm respondent list ROUND --json`.
pub fn respondents(list: &[wire::RespondentRow]) -> Vec<RespondentOut<'_>> {
    list.iter()
        .map(|r| RespondentOut {
            answered: r.answered,
            asked: r.total,
            complete: r.complete,
            department: r.department.as_deref(),
            id: r.id,
            interview_date: r.interview_date.as_deref(),
            name: &r.name,
            role: &r.role_group,
        })
        .collect()
}

/// One entry of `cxm answer history --json`, newest first.
#[derive(Serialize)]
pub struct AnswerVersionOut<'a> {
    answer: Option<&'a str>,
    at: &'a str,
    by: &'a str,
    concurrent: bool,
    current: bool,
    note: Option<&'a str>,
    this: bool,
}

/// `cxm answer history --json`.
pub fn answer_history(list: &[wire::AnswerVersion]) -> Vec<AnswerVersionOut<'_>> {
    list.iter()
        .map(|v| AnswerVersionOut {
            answer: v.answer.as_deref(),
            at: &v.at,
            by: &v.by,
            concurrent: v.concurrent,
            current: v.current,
            note: v.note.as_deref(),
            this: v.this,
        })
        .collect()
}

/// One item of `cxm plan list ORG --json`.
#[derive(Serialize)]
pub struct PlanItemOut<'a> {
    block: &'a str,
    due: Option<&'a str>,
    effort: Option<&'a str>,
    id: i64,
    notes: Option<&'a str>,
    overdue: bool,
    owner: Option<&'a str>,
    planned_from: Option<i64>,
    question: Option<&'a str>,
    status: &'a str,
    title: &'a str,
    uuid: &'a str,
}

/// `cxm plan list ORG --json`.
#[derive(Serialize)]
pub struct PlanOut<'a> {
    items: Vec<PlanItemOut<'a>>,
    org: i64,
    organisation_name: &'a str,
    today: &'a str,
}

/// `cxm plan list ORG --json`: the items in plan order (by due day, none last).
pub fn plan(p: &wire::PlanView) -> PlanOut<'_> {
    PlanOut {
        items: p
            .items
            .iter()
            .map(|i| PlanItemOut {
                block: &i.block,
                due: i.due.as_deref(),
                effort: i.effort.as_deref(),
                id: i.id,
                notes: i.notes.as_deref(),
                overdue: i.overdue,
                owner: i.owner.as_deref(),
                planned_from: i.planned_from.as_ref().map(|r| r.id),
                question: i.question.as_deref(),
                status: &i.status,
                title: &i.title,
                uuid: &i.uuid,
            })
            .collect(),
        org: p.organisation,
        organisation_name: &p.organisation_name,
        today: &p.today,
    }
}

/// One field change of `cxm plan import --json`.
#[derive(Serialize)]
pub struct FieldChangeOut<'a> {
    field: &'a str,
    from: Option<&'a str>,
    to: Option<&'a str>,
}

/// One item of `cxm plan import --json`.
#[derive(Serialize)]
pub struct PlanChangeOut<'a> {
    fields: Vec<FieldChangeOut<'a>>,
    item: i64,
    title: &'a str,
}

/// One problem of `cxm plan import --json`.
#[derive(Serialize)]
pub struct CellProblemOut<'a> {
    column: &'a str,
    header: &'a str,
    message: &'a str,
    row: u32,
    sheet: &'a str,
}

/// `cxm plan import ORG FILE --json`.
#[derive(Serialize)]
pub struct PlanUpdatesOut<'a> {
    changes: Vec<PlanChangeOut<'a>>,
    file_name: &'a str,
    problems: Vec<CellProblemOut<'a>>,
    unchanged: u32,
}

/// `cxm plan import ORG FILE --json`: what the file changes, and every problem.
pub fn plan_updates(p: &wire::PlanUpdatesPreview) -> PlanUpdatesOut<'_> {
    PlanUpdatesOut {
        changes: p
            .changes
            .iter()
            .map(|c| PlanChangeOut {
                fields: c
                    .fields
                    .iter()
                    .map(|f| FieldChangeOut {
                        field: &f.field,
                        from: f.from.as_deref(),
                        to: f.to.as_deref(),
                    })
                    .collect(),
                item: c.item,
                title: &c.title,
            })
            .collect(),
        file_name: &p.file_name,
        problems: p
            .problems
            .iter()
            .map(|x| CellProblemOut {
                column: &x.column,
                header: &x.header,
                message: &x.message,
                row: x.row,
                sheet: &x.sheet,
            })
            .collect(),
        unchanged: p.unchanged,
    }
}
