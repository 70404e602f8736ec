//! The CLI's human-readable output. Figures are rounded down, as everywhere.

use std::fmt::Write;

use cxm_api::wire::{self, ModelVersionInfo, OrganisationSummary, RoundInfo};
use cxm_domain::compare::{Basis, Comparison};
use cxm_domain::explain::{self, Explanations, delta, figure};
use cxm_domain::{Model, Results};
use cxm_store::{RoundData, RoundStatus};

fn opt_figure(x: Option<f64>) -> String {
    x.map(figure).unwrap_or_else(|| "–".into())
}

fn status(s: wire::RoundStatus) -> &'static str {
    match s {
        wire::RoundStatus::Open => "open",
        wire::RoundStatus::Closed => "closed",
    }
}

fn phase(p: Option<u32>) -> String {
    p.map(|p| p.to_string()).unwrap_or_else(|| "–".into())
}

/// `cxm model list`.
pub fn models(list: &[ModelVersionInfo]) -> String {
    let mut s = format!(
        "{:<28} {:>9} {:>7}  {}\n",
        "MODEL", "QUESTIONS", "ROUNDS", "TITLE"
    );
    for m in list {
        let _ = writeln!(
            s,
            "{:<28} {:>9} {:>7}  {}",
            format!("{}@{}", m.model_id, m.version),
            m.questions,
            m.rounds,
            m.title
        );
    }
    s
}

/// `cxm model show`.
pub fn model(m: &Model) -> String {
    let mut s = format!("{} — {}\n", m.key(), m.title);
    if !m.description.is_empty() {
        let _ = writeln!(s, "{}", m.description);
    }
    let _ = writeln!(
        s,
        "threshold {}, anonymity threshold {}, scale 0–{}: {}",
        figure(m.threshold),
        m.anonymity_threshold,
        m.scale.max,
        m.scale.labels.join(" / ")
    );
    let _ = writeln!(
        s,
        "phases: {}",
        m.phases
            .iter()
            .map(|p| format!("{} {}", p.number, p.name))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        s,
        "role groups: {}",
        m.role_groups
            .iter()
            .map(|g| g.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    for (b, block) in m.blocks.iter().enumerate() {
        let _ = writeln!(s, "\n{} ({})", block.name, block.id);
        for q in m.questions.iter().filter(|q| q.block == b) {
            let weight = if q.weight == 1.0 {
                String::new()
            } else {
                format!(" [weight {}]", q.weight)
            };
            let _ = writeln!(s, "  {:<9} phase {}  {}{weight}", q.id, q.phase, q.text);
        }
    }
    s
}

/// `cxm org list`.
pub fn organisations(list: &[OrganisationSummary]) -> String {
    if list.is_empty() {
        return "no organisations yet: add one with `cxm org add NAME`, or load the demo with `cxm demo`".into();
    }
    let mut s = String::new();
    for o in list {
        let archived = if o.archived { "  (archived)" } else { "" };
        let _ = writeln!(s, "{:>4}  {}{archived}", o.id, o.name);
        if o.rounds.is_empty() {
            let _ = writeln!(s, "        no rounds yet");
        }
        for r in &o.rounds {
            let _ = writeln!(
                s,
                "        round {:>4}  {}  phase {}  {:<6}  {}/{} complete  {}",
                r.id,
                r.date,
                phase(r.phase),
                status(r.status),
                r.interviews_complete,
                r.respondents,
                r.title
            );
        }
    }
    s
}

/// `cxm round list`.
pub fn rounds(list: &[RoundInfo]) -> String {
    if list.is_empty() {
        return "no rounds".into();
    }
    let mut s = format!(
        "{:>5}  {:<24} {:<10}  {:<6} {:>5}  {:>8}  {:<16} {}\n",
        "ID", "ORGANISATION", "DATE", "STATUS", "PHASE", "COMPLETE", "MODEL", "TITLE"
    );
    for r in list {
        let _ = writeln!(
            s,
            "{:>5}  {:<24} {:<10}  {:<6} {:>5}  {:>8}  {:<16} {}",
            r.id,
            truncate(&r.organisation_name, 24),
            r.date,
            status(r.status),
            phase(r.phase),
            format!("{}/{}", r.interviews_complete, r.respondents),
            r.model_key,
            r.title
        );
    }
    s
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).collect::<String>() + "…"
    }
}

/// `cxm results`.
pub fn results(data: &RoundData, r: &Results, explanations: Option<&Explanations>) -> String {
    let m = &data.model;
    let info = &data.info;
    let mut s = format!(
        "{} — {} ({}), model {}\n",
        info.organisation_name,
        info.title,
        info.date,
        m.key()
    );
    if info.status == RoundStatus::Open {
        let _ = writeln!(
            s,
            "PROVISIONAL: the round is open; {} of {} interviews complete",
            r.interviews_complete, r.respondents
        );
    } else {
        let _ = writeln!(
            s,
            "closed; {} respondents, {} interviews complete",
            r.respondents, r.interviews_complete
        );
    }
    if r.respondents == 0 {
        let _ = writeln!(
            s,
            "No respondents yet: import answers with `cxm import-responses --round {} FILE.csv`.",
            info.id
        );
    }
    let p = r.organisation_phase;
    let _ = writeln!(
        s,
        "\nOrganisation phase: {}",
        if p == 0 {
            "not yet at phase 1".to_string()
        } else {
            format!("{p} ({})", m.phase_name(p))
        }
    );
    if let Some(target) = info.target_phase {
        let verb = if p >= target {
            "reached"
        } else {
            "not reached"
        };
        let _ = writeln!(s, "Target phase {target}: {verb}");
    }
    if !r.bottleneck.is_empty() {
        let names: Vec<String> = r
            .bottleneck
            .iter()
            .filter_map(|id| m.block_index(id).map(|b| m.blocks[b].name.clone()))
            .collect();
        let _ = writeln!(s, "Bottleneck: {}", names.join(", "));
    }

    let width = m
        .blocks
        .iter()
        .map(|b| b.name.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    let _ = write!(
        s,
        "\n{:<width$}  {:>5}  {:>8}",
        "BLOCK", "PHASE", "MATURITY"
    );
    for ph in &m.phases {
        let _ = write!(s, "  {:>5} ", format!("P{}", ph.number));
    }
    s.truncate(s.trim_end().len());
    s.push('\n');
    for (b, block) in r.blocks.iter().enumerate() {
        let _ = write!(
            s,
            "{:<width$}  {:>5}  {:>8}",
            m.blocks[b].name,
            block.reached_phase,
            figure(block.maturity)
        );
        for ph in &block.phases {
            let cell = match ph.status {
                cxm_domain::scoring::PhaseStatus::NotApplicable => "n/a".to_string(),
                _ => opt_figure(ph.attainment),
            };
            let mark = if ph.status.passes() { " " } else { "·" };
            let _ = write!(s, "  {cell:>5}{mark}");
        }
        s.push('\n');
    }
    let _ = writeln!(
        s,
        "(phase attainment; threshold {}; · = not passed)",
        figure(m.threshold)
    );

    let _ = writeln!(s, "\nAlignment (block attainment by role group)");
    for a in &r.alignment {
        let b = m
            .block_index(&a.block)
            .map(|b| m.blocks[b].name.clone())
            .unwrap_or_default();
        let groups: Vec<String> = a
            .groups
            .iter()
            .map(|g| {
                let name = m
                    .role_group_index(&g.role_group)
                    .map(|i| m.role_groups[i].name.clone())
                    .unwrap_or_default();
                format!("{name} ({}) {}", g.respondents, opt_figure(g.attainment))
            })
            .collect();
        let flag = if a.flagged { "  GAP FLAGGED" } else { "" };
        let _ = writeln!(
            s,
            "  {b:<width$}  {}  gap {}{flag}",
            if groups.is_empty() {
                "no group shown".to_string()
            } else {
                groups.join(", ")
            },
            figure(a.gap)
        );
    }
    if let Some(hidden) = r.alignment.first().filter(|a| !a.hidden_groups.is_empty()) {
        let names: Vec<String> = hidden
            .hidden_groups
            .iter()
            .map(|h| format!("{} ({})", h.role_group, h.respondents))
            .collect();
        let _ = writeln!(
            s,
            "  hidden below the anonymity threshold of {}: {}",
            m.anonymity_threshold,
            names.join(", ")
        );
    }

    let _ = writeln!(s, "\nNext-phase actions");
    if r.actions.is_empty() {
        let _ = writeln!(s, "  none");
    }
    for a in r.actions.iter().take(15) {
        let _ = writeln!(
            s,
            "  tier {}  {:<9} phase {}  attainment {}  priority {}  {}",
            a.tier,
            a.question,
            a.phase,
            figure(a.attainment),
            figure(a.priority),
            a.text
        );
    }
    if r.actions.len() > 15 {
        let _ = writeln!(s, "  … and {} more (see --json)", r.actions.len() - 15);
    }
    if !r.not_yet_assessed.is_empty() {
        let ids: Vec<&str> = r
            .not_yet_assessed
            .iter()
            .map(|q| q.question.as_str())
            .collect();
        let _ = writeln!(s, "Not yet assessed (phase {}): {}", p + 1, ids.join(", "));
    }

    if let Some(e) = explanations {
        let _ = writeln!(s, "\nWhy\n  {}", e.organisation);
        for b in &e.blocks {
            let _ = writeln!(s, "  {}", b.text);
        }
        for a in r.actions.iter().take(5) {
            let _ = writeln!(s, "  {}: {}", a.question, explain::action(m, r, a));
        }
    }
    s
}

/// `cxm compare`.
pub fn comparison(a: &RoundData, b: &RoundData, c: &Comparison) -> String {
    let m = &b.model;
    let mut s = format!(
        "{}: {} ({}) → {} ({})\n",
        b.info.organisation_name, a.info.title, a.info.date, b.info.title, b.info.date
    );
    if c.basis == Basis::SharedQuestions {
        let _ = writeln!(
            s,
            "The rounds use different model versions ({} and {}): the comparison uses the {} questions they share with unchanged block and phase.",
            a.model.key(),
            b.model.key(),
            c.shared_questions
        );
    }
    let _ = writeln!(s, "Organisation phase: {} → {}\n", c.phase_from, c.phase_to);
    for bc in &c.blocks {
        let name = m
            .block_index(&bc.block)
            .map(|i| m.blocks[i].name.clone())
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "  {name:<24} phase {} → {}   maturity {} → {} ({})   attainment {}",
            bc.phase_from,
            bc.phase_to,
            figure(bc.maturity_from),
            figure(bc.maturity_to),
            delta(bc.delta_maturity),
            bc.delta_attainment.map(delta).unwrap_or_else(|| "–".into())
        );
    }
    let mut moved: Vec<_> = c
        .questions
        .iter()
        .filter_map(|q| q.delta.map(|d| (d, q)))
        .collect();
    moved.sort_by(|x, y| y.0.total_cmp(&x.0));
    if !moved.is_empty() {
        let _ = writeln!(s, "\nMost improved");
        for (d, q) in moved.iter().take(5).filter(|(d, _)| *d > 0.0) {
            let _ = writeln!(
                s,
                "  {:<9} {}  {}",
                q.question,
                delta(*d),
                question_text(m, &q.question)
            );
        }
        let _ = writeln!(s, "Most slipped");
        for (d, q) in moved.iter().rev().take(5).filter(|(d, _)| *d < 0.0) {
            let _ = writeln!(
                s,
                "  {:<9} {}  {}",
                q.question,
                delta(*d),
                question_text(m, &q.question)
            );
        }
    }
    s
}

fn question_text<'a>(m: &'a Model, id: &str) -> &'a str {
    m.question_index(id)
        .map(|i| m.questions[i].text.as_str())
        .unwrap_or("")
}

// ----- Working as a team (issue 14) -----

/// `1 respondent`, `2 respondents`.
fn count(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What changed, as a list of the counts that are not zero ("2 respondents added, 1
/// answer changed"); `None` when all are zero.
fn changes(
    rounds_added: u32,
    rounds_deleted: u32,
    respondents_added: u32,
    respondents_changed: u32,
    respondents_deleted: u32,
    answers_added: u32,
    answers_changed: u32,
) -> Option<String> {
    let parts: Vec<String> = [
        (rounds_added, "round", "rounds", "added"),
        (rounds_deleted, "round", "rounds", "deleted"),
        (respondents_added, "respondent", "respondents", "added"),
        (respondents_changed, "respondent", "respondents", "changed"),
        (respondents_deleted, "respondent", "respondents", "deleted"),
        (answers_added, "answer", "answers", "added"),
        (
            answers_changed,
            "answer or note",
            "answers or notes",
            "changed",
        ),
    ]
    .into_iter()
    .filter(|(n, ..)| *n > 0)
    .map(|(n, one, many, what)| format!("{} {what}", count(n, one, many)))
    .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// An answer as a person reads it: the value, or "no answer"; with its note.
fn edit_value(e: &wire::EditSide) -> String {
    let mut s = e.answer.clone().unwrap_or_else(|| "no answer".into());
    if let Some(note) = &e.note {
        let _ = write!(s, " (note “{note}”)");
    }
    s
}

/// The concurrent edits, one paragraph each.
pub fn concurrent_edits(list: &[wire::ConcurrentEdit]) -> String {
    let mut s = String::new();
    for c in list {
        let _ = writeln!(
            s,
            "concurrent edit: round “{}”, respondent “{}”, question {}:",
            c.round, c.respondent, c.question
        );
        let _ = writeln!(
            s,
            "  kept      {}  by {} at {}",
            edit_value(&c.kept),
            c.kept.by,
            c.kept.at
        );
        for r in &c.replaced {
            let _ = writeln!(s, "  replaced  {}  by {} at {}", edit_value(r), r.by, r.at);
        }
    }
    if !list.is_empty() {
        s.push_str(
            "  (the most recent change is kept; the other stays in the answer's history: \
             `cxm answer history ROUND RESPONDENT QUESTION`; set it again with `cxm answer set` if it was the right one)\n",
        );
    }
    s
}

/// `cxm sync`: what one pass did. Skipped files and warnings go to standard error
/// (see [`sync_problems`]).
pub fn sync(r: &wire::SyncReport) -> String {
    let mut s = format!(
        "team folder {}: read {} from other installations, wrote {}\n",
        r.folder,
        count(r.files_read, "file", "files"),
        count(r.files_written, "file", "files")
    );
    for x in &r.received {
        let what = changes(
            x.rounds_added,
            x.rounds_deleted,
            x.respondents_added,
            x.respondents_changed,
            x.respondents_deleted,
            x.answers_added,
            x.answers_changed,
        )
        .unwrap_or_else(|| "details changed".into());
        let new = if x.new_organisation { ", new here" } else { "" };
        let _ = writeln!(
            s,
            "from {} ({}): organisation “{}” {}{new}: {what}",
            x.from, x.file_name, x.organisation, x.organisation_id
        );
    }
    if r.received.is_empty() {
        s.push_str("nothing new came in\n");
    }
    s.push_str(&concurrent_edits(&r.concurrent));
    s
}

/// `cxm sync`: the files skipped and the warnings, one line each, for standard error.
pub fn sync_problems(r: &wire::SyncReport) -> String {
    let mut s = String::new();
    for k in &r.skipped {
        let _ = writeln!(
            s,
            "warning: skipped {}: {} (nothing of it was merged)",
            k.file_name, k.reason
        );
    }
    for w in &r.warnings {
        let _ = writeln!(s, "warning: {w}");
    }
    s
}

/// `cxm org import FILE --dry-run`: what importing the file would do.
pub fn preview(p: &wire::EngagementPreview) -> String {
    let from = p
        .from
        .as_ref()
        .map(|f| format!(", written by {f}"))
        .unwrap_or_default();
    let mut s = match p.organisation_id {
        Some(id) if p.merge => format!(
            "{}: merges into organisation “{}” {id}{from}\n",
            p.file_name, p.imported_as
        ),
        _ => {
            let mut s = format!(
                "{}: a new organisation “{}”{from}\n",
                p.file_name, p.organisation
            );
            if p.renamed {
                let _ = writeln!(
                    s,
                    "  an organisation of that name exists already: it would be imported as “{}”",
                    p.imported_as
                );
            }
            if p.format_version < 2 {
                s.push_str("  written by an older version (format 1): it is added as a new organisation, never merged\n");
            }
            s
        }
    };
    if !p.changed {
        s.push_str("nothing new: everything in this file is here already\n");
    } else {
        if let Some(total) = changes(
            p.rounds.iter().filter(|r| r.added).count() as u32,
            p.rounds_deleted,
            p.respondents,
            p.respondents_changed,
            p.respondents_deleted,
            p.answers,
            p.answers_changed,
        ) {
            let _ = writeln!(s, "in all: {total}");
        }
        for r in &p.rounds {
            let what = if r.deleted {
                "deleted on another installation: removed here with its respondents".to_string()
            } else {
                let mut parts = Vec::new();
                if r.added {
                    parts.push("new".to_string());
                }
                if r.status_changed {
                    parts.push(format!("now {}", status(r.status)));
                }
                if let Some(c) = changes(
                    0,
                    0,
                    r.respondents,
                    r.respondents_changed,
                    r.respondents_deleted,
                    r.answers,
                    r.answers_changed,
                ) {
                    parts.push(c);
                }
                if parts.is_empty() {
                    "no change".into()
                } else {
                    parts.join("; ")
                }
            };
            let _ = writeln!(
                s,
                "  round {} “{}” ({}, {}): {what}",
                r.date,
                r.title,
                r.model,
                status(r.status)
            );
        }
        if !p.models_added.is_empty() {
            let _ = writeln!(s, "new models: {}", p.models_added.join(", "));
        }
    }
    s.push_str(&concurrent_edits(&p.concurrent));
    for w in &p.warnings {
        let _ = writeln!(s, "warning: {w}");
    }
    s.push_str("dry run: nothing was written");
    s
}

/// `cxm org import FILE`: what the import did; the organisation's id last.
pub fn imported(file: &str, o: &wire::ImportEngagementOutcome, id: i64) -> String {
    let models = if o.models_added.is_empty() {
        String::new()
    } else {
        format!("; new models: {}", o.models_added.join(", "))
    };
    if !o.merged {
        return format!(
            "imported organisation “{}” ({}, {}, {}{models}) {id}",
            o.name,
            count(o.rounds, "round", "rounds"),
            count(o.respondents, "respondent", "respondents"),
            count(o.answers, "answer", "answers"),
        );
    }
    match changes(
        o.rounds,
        o.rounds_deleted,
        o.respondents,
        o.respondents_changed,
        o.respondents_deleted,
        o.answers,
        o.answers_changed,
    ) {
        Some(what) if o.changed => {
            format!(
                "merged {file} into organisation “{}”: {what}{models} {id}",
                o.name
            )
        }
        _ if o.changed => format!(
            "merged {file} into organisation “{}”: details changed{models} {id}",
            o.name
        ),
        _ => format!(
            "nothing new in {file}: organisation “{}” has all of it already {id}",
            o.name
        ),
    }
}

/// `cxm installation`.
pub fn installation(t: &wire::TeamFolder) -> String {
    let mut s = format!(
        "this installation: {} (id {})\n",
        t.installation_name, t.installation_id
    );
    match &t.folder {
        Some(f) => {
            let _ = writeln!(s, "team folder (set in the app): {f}");
        }
        None => s.push_str("team folder: none set in the app (`cxm sync DIR` takes one)\n"),
    }
    if t.shared.is_empty() {
        s.push_str("shared: no organisation (`cxm org share ID`)");
    } else {
        s.push_str("shared:\n");
        for o in &t.shared {
            let _ = writeln!(s, "{:>6}  {}", o.id, o.name);
        }
    }
    s
}

/// `cxm org sources ID`.
pub fn sources(list: &[wire::DataSource]) -> String {
    let mut s = format!(
        "{:<28} {:>11} {:>8}  {}\n",
        "INSTALLATION", "RESPONDENTS", "ANSWERS", "LAST FILE MERGED"
    );
    for d in list {
        let name = if d.this {
            format!("{} (this)", d.name)
        } else {
            d.name.clone()
        };
        let last = match (&d.file_written_at, &d.merged_at) {
            (Some(w), Some(m)) => format!("written {w}, merged {m}"),
            (None, Some(m)) => format!("merged {m}"),
            (Some(w), None) => format!("written {w}"),
            (None, None) => "–".into(),
        };
        let _ = writeln!(
            s,
            "{:<28} {:>11} {:>8}  {last}",
            truncate(&name, 28),
            d.respondents,
            d.answers
        );
    }
    s
}

/// `cxm respondent list ROUND`.
pub fn respondents(list: &[wire::RespondentRow]) -> String {
    if list.is_empty() {
        return "no respondents yet".into();
    }
    let mut s = format!(
        "{:>6}  {:<28} {:<16} {:>9}  {}\n",
        "ID", "NAME", "ROLE", "ANSWERED", "DEPARTMENT"
    );
    for r in list {
        let _ = writeln!(
            s,
            "{:>6}  {:<28} {:<16} {:>9}  {}",
            r.id,
            truncate(&r.name, 28),
            truncate(&r.role_group, 16),
            format!("{}/{}", r.answered, r.total),
            r.department.as_deref().unwrap_or("")
        );
    }
    s
}

/// `cxm answer history`: newest first.
pub fn answer_history(list: &[wire::AnswerVersion]) -> String {
    if list.is_empty() {
        return "no answer recorded".into();
    }
    let mut s = String::new();
    for v in list {
        let mut flags = Vec::new();
        if v.current {
            flags.push("current");
        }
        if v.concurrent {
            flags.push("concurrent edit");
        }
        let flags = if flags.is_empty() {
            String::new()
        } else {
            format!("  ({})", flags.join(", "))
        };
        let side = wire::EditSide {
            answer: v.answer.clone(),
            note: v.note.clone(),
            at: v.at.clone(),
            by: v.by.clone(),
        };
        let at = if v.at.is_empty() {
            "before versions were recorded"
        } else {
            &v.at
        };
        let _ = writeln!(s, "{at}  {}  by {}{flags}", edit_value(&side), v.by);
    }
    s
}
