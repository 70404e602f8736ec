//! What the board report says: sections of text, tables and charts built from a
//! round's results, independent of how they are typeset. Rendered to PDF by
//! [`crate::render`] and to HTML by [`crate::html`] (the benchmark's equivalent).

use cxm_domain::compare::{Basis, Comparison, QuestionChange};
use cxm_domain::explain::{self, delta, figure};
use cxm_domain::scoring::{PhaseStatus, Results};
use cxm_domain::{Answer, Model};

use crate::charts::data::{
    HeatmapData, HeatmapGroup, LadderBlock, LadderCell, LadderData, QuestionBarsData, RadarData,
    RadarSeries, SeriesKind, TrendData,
};
use crate::pdf::isolate;

/// A round as the report names it.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundMeta {
    /// Title ("Six-month review").
    pub title: String,
    /// Date, `YYYY-MM-DD`.
    pub date: String,
    /// Whether the round is still open (results provisional).
    pub open: bool,
    /// Target phase.
    pub target_phase: Option<u32>,
}

/// How the notes quoted in the building blocks' sections are attributed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QuoteAttribution {
    /// The default: to the respondent's role group, and to their department only where
    /// enough respondents share both ([`quote_sources`]); never to a name.
    #[default]
    RoleGroup,
    /// By name, with role group and department: only when the user chooses it
    /// (`cxm report --attribute-quotes`, the app's `report.attribute_quotes` setting).
    /// Members of a hidden role group (and respondents who gave no rating) are still
    /// quoted without names.
    Name,
}

/// One respondent, for the notes and the method appendix.
#[derive(Debug, Clone, PartialEq)]
pub struct RespondentView {
    /// Name or code (printed only with [`QuoteAttribution::Name`]).
    pub name: String,
    /// Role-group index.
    pub role_group: usize,
    /// Department.
    pub department: Option<String>,
    /// Answers, indexed like the model's questions.
    pub answers: Vec<Option<Answer>>,
    /// Notes, indexed like the model's questions.
    pub notes: Vec<Option<String>>,
}

/// An earlier round of the organisation, for the trend chart.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryPoint {
    /// Round date, `YYYY-MM-DD`.
    pub date: String,
    /// Round title.
    pub title: String,
    /// Organisation phase.
    pub phase: u32,
    /// (block id, M_b).
    pub maturity: Vec<(String, f64)>,
}

/// Everything the report is made from.
#[derive(Debug, Clone)]
pub struct ReportInput<'a> {
    /// Organisation name.
    pub organisation: &'a str,
    /// The round reported on.
    pub round: RoundMeta,
    /// Its model version.
    pub model: &'a Model,
    /// Its respondents.
    pub respondents: &'a [RespondentView],
    /// Its results.
    pub results: &'a Results,
    /// The comparison round and the comparison (earlier → this round).
    pub comparison: Option<(RoundMeta, &'a Comparison)>,
    /// Every round of the organisation up to and including this one, oldest first.
    pub history: Vec<HistoryPoint>,
    /// "Prepared by" text for the cover.
    pub prepared_by: Option<String>,
    /// The generation date, `YYYY-MM-DD` (from SOURCE_DATE_EPOCH when set).
    pub generated_on: String,
    /// How quotes are attributed (by default to role groups, never to names).
    pub quotes: QuoteAttribution,
}

impl ReportInput<'_> {
    /// The same input with quotes attributed as `quotes`.
    pub fn with_quotes(self, quotes: QuoteAttribution) -> Self {
        ReportInput { quotes, ..self }
    }
}

/// A run of text.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// The text.
    pub text: String,
    /// Bold.
    pub bold: bool,
}

/// Plain text.
pub fn t(text: impl Into<String>) -> Span {
    Span {
        text: text.into(),
        bold: false,
    }
}

/// Bold text.
pub fn b(text: impl Into<String>) -> Span {
    Span {
        text: text.into(),
        bold: true,
    }
}

/// A chart and its data.
#[derive(Debug, Clone, PartialEq)]
pub enum Chart {
    /// Radar of M_b.
    Radar(RadarData),
    /// Phase ladder.
    Ladder(LadderData),
    /// Trend over rounds.
    Trend(TrendData),
    /// Alignment heatmap.
    Heatmap(HeatmapData),
    /// One block's question bars.
    QuestionBars(QuestionBarsData),
}

/// Table cell alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Left.
    Left,
    /// Right (figures).
    Right,
}

/// A table column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Header text.
    pub header: String,
    /// Relative width.
    pub width: f32,
    /// Alignment.
    pub align: Align,
}

/// A table cell's tone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Normal.
    Plain,
    /// Good news (mastered, improved).
    Good,
    /// Needs attention (below threshold, slipped, flagged).
    Alert,
    /// Secondary (not assessed).
    Muted,
}

/// A table cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// Text.
    pub text: String,
    /// Bold.
    pub bold: bool,
    /// Tone.
    pub tone: Tone,
    /// A second paragraph under the text, led by a bold label (label, text).
    pub detail: Option<(String, String)>,
}

impl Cell {
    fn plain(text: impl Into<String>) -> Cell {
        Cell::tone(text, Tone::Plain)
    }
    fn bold(text: impl Into<String>) -> Cell {
        Cell {
            bold: true,
            ..Cell::plain(text)
        }
    }
    fn tone(text: impl Into<String>, tone: Tone) -> Cell {
        Cell {
            text: text.into(),
            bold: false,
            tone,
            detail: None,
        }
    }
    fn with_detail(mut self, label: &str, text: impl Into<String>) -> Cell {
        self.detail = Some((label.to_string(), text.into()));
        self
    }
}

/// A piece of a section.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A sub-heading.
    Heading(String),
    /// A paragraph.
    Paragraph(Vec<Span>),
    /// A bulleted list.
    Bullets(Vec<Vec<Span>>),
    /// A shaded box (the provisional mark, the key message).
    Callout(Vec<Span>),
    /// A quotation with its attribution.
    Quote {
        /// The quoted note.
        text: String,
        /// Who said it ([`QuoteAttribution`]).
        by: String,
    },
    /// A table.
    Table {
        /// Columns.
        columns: Vec<Column>,
        /// Rows.
        rows: Vec<Vec<Cell>>,
    },
    /// A chart, with its caption.
    Chart {
        /// The chart.
        chart: Chart,
        /// Caption under it.
        caption: String,
        /// Height as a fraction of the page's text height (the width is the text width).
        height: f32,
    },
}

/// A section; each starts on a new page.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Title.
    pub title: String,
    /// Content.
    pub items: Vec<Item>,
}

/// The cover.
#[derive(Debug, Clone, PartialEq)]
pub struct Cover {
    /// Organisation.
    pub organisation: String,
    /// "CX maturity assessment".
    pub title: String,
    /// Round title and date.
    pub round: String,
    /// The organisation's phase in one line.
    pub headline: String,
    /// "Prepared by …".
    pub prepared_by: Option<String>,
    /// "Generated on …".
    pub generated_on: String,
    /// "Provisional: …" when the round is open.
    pub provisional: Option<String>,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Document title (metadata).
    pub title: String,
    /// Footer text.
    pub footer: String,
    /// The cover.
    pub cover: Cover,
    /// Sections, in order.
    pub sections: Vec<Section>,
}

/// `2026-09-08` → `8 September 2026`.
pub fn long_date(date: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let parts: Vec<u32> = date.split('-').filter_map(|p| p.parse().ok()).collect();
    match parts.as_slice() {
        [y, m, d] if (1..=12).contains(m) => format!("{d} {} {y}", MONTHS[*m as usize - 1]),
        _ => date.to_string(),
    }
}

/// `2026-09-08` → `Sep 2026`.
fn short_date(date: &str) -> String {
    let long = long_date(date);
    let parts: Vec<&str> = long.split(' ').collect();
    match parts.as_slice() {
        [_, month, year] => format!("{} {year}", &month[..3.min(month.len())]),
        _ => date.to_string(),
    }
}

fn join(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Whom a respondent's notes are attributed to when quotes name no one
/// ([`QuoteAttribution::RoleGroup`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuoteSource {
    /// "a respondent": a member of a role group the anonymity threshold hides, or a
    /// respondent who gave no rating (counted in no group).
    Anonymous,
    /// The role group (its index in the model).
    Group(usize),
    /// The role group and the department (as first spelled among its respondents).
    GroupAndDepartment(usize, String),
}

/// Whether the respondent gave at least one rating: who counts in a role group
/// (PRODUCT.md rule 6, as `cxm_domain::Respondent::has_scale_value`).
fn rated(p: &RespondentView) -> bool {
    p.answers
        .iter()
        .any(|a| matches!(a, Some(Answer::Scale(_))))
}

/// The default attribution of each respondent's notes, indexed like `respondents`.
///
/// Respondents are counted as the alignment counts them (PRODUCT.md rule 6): a
/// respondent counts when they gave at least one scale value in the round. With k the
/// model's anonymity threshold:
///
/// - a respondent who does not count, or whose role group has fewer than k respondents
///   (hidden), is "a respondent";
/// - otherwise the role group, and the department too when at least k respondents share
///   both that role group and that department (so the department has at least k as
///   well: a department that passes the threshold overall but where the group has only
///   one member would name that person by role and department). Departments are
///   compared trimmed and case-folded; a blank one is none;
/// - the group's respondents quoted without a department are the ones outside the named
///   departments. When they would be fewer than k but not none, a reader who knows the
///   rule could single them out, so the smallest named department of that group (the
///   first by its folded name among equals) is not named either.
pub fn quote_sources(model: &Model, respondents: &[RespondentView]) -> Vec<QuoteSource> {
    use std::collections::{BTreeMap, BTreeSet};
    let k = model.anonymity_threshold as usize;
    let counts = |p: &RespondentView| p.role_group < model.role_groups.len() && rated(p);
    let key = |p: &RespondentView| {
        p.department
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(|d| (cxm_domain::text::fold(d), d.to_string()))
    };
    let mut group_size = vec![0usize; model.role_groups.len()];
    // (group, folded department) → (respondents, the first spelling).
    let mut cells: BTreeMap<(usize, String), (usize, String)> = BTreeMap::new();
    for p in respondents.iter().filter(|p| counts(p)) {
        group_size[p.role_group] += 1;
        if let Some((folded, shown)) = key(p) {
            cells.entry((p.role_group, folded)).or_insert((0, shown)).0 += 1;
        }
    }
    let mut named: BTreeSet<(usize, String)> = BTreeSet::new();
    for (g, &size) in group_size.iter().enumerate() {
        if size < k {
            continue;
        }
        let mut big: Vec<(&String, usize)> = cells
            .iter()
            .filter(|((cg, _), (n, _))| *cg == g && *n >= k)
            .map(|((_, d), (n, _))| (d, *n))
            .collect();
        let rest = size - big.iter().map(|(_, n)| n).sum::<usize>();
        if rest > 0 && rest < k {
            // Sorted by folded name already: the first smallest one goes.
            if let Some(i) = (0..big.len()).min_by_key(|&i| big[i].1) {
                big.remove(i);
            }
        }
        named.extend(big.into_iter().map(|(d, _)| (g, d.clone())));
    }
    respondents
        .iter()
        .map(|p| {
            if !counts(p) || group_size[p.role_group] < k {
                return QuoteSource::Anonymous;
            }
            match key(p) {
                Some((folded, _)) if named.contains(&(p.role_group, folded.clone())) => {
                    let shown = &cells[&(p.role_group, folded)].1;
                    QuoteSource::GroupAndDepartment(p.role_group, shown.clone())
                }
                _ => QuoteSource::Group(p.role_group),
            }
        })
        .collect()
}

struct Ctx<'a> {
    input: &'a ReportInput<'a>,
    m: &'a Model,
    r: &'a Results,
}

impl<'a> Ctx<'a> {
    fn block_name(&self, id: &str) -> String {
        self.m
            .block_index(id)
            .map(|b| self.m.blocks[b].name.clone())
            .unwrap_or_else(|| id.to_string())
    }

    fn group_name(&self, id: &str) -> String {
        self.m
            .role_group_index(id)
            .map(|g| self.m.role_groups[g].name.clone())
            .unwrap_or_else(|| id.to_string())
    }

    fn phase_phrase(&self, p: u32) -> String {
        if p == 0 {
            "not yet at phase 1".to_string()
        } else {
            format!("in phase {p}, {}", self.m.phase_name(p))
        }
    }

    fn question_text(&self, id: &str) -> &str {
        self.m
            .question_index(id)
            .map(|i| self.m.questions[i].text.as_str())
            .unwrap_or("")
    }

    fn hidden_groups(&self) -> Vec<usize> {
        self.r
            .alignment
            .first()
            .map(|a| {
                a.hidden_groups
                    .iter()
                    .filter_map(|h| self.m.role_group_index(&h.role_group))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Build the report from its input.
pub fn build(input: &ReportInput<'_>) -> Report {
    let ctx = Ctx {
        input,
        m: input.model,
        r: input.results,
    };
    let round_line = format!(
        "{} · {}",
        isolate(&input.round.title),
        long_date(&input.round.date)
    );
    let provisional = input.round.open.then(|| {
        format!(
            "Provisional: the round is still open; {} of {} interviews are complete. Figures may change.",
            ctx.r.interviews_complete, ctx.r.respondents
        )
    });
    let mut sections = vec![summary(&ctx)];
    sections.push(position(&ctx));
    if input.history.len() > 1 || input.comparison.is_some() {
        sections.push(progress(&ctx));
    }
    sections.push(alignment(&ctx));
    for b in 0..ctx.m.blocks.len() {
        sections.push(block_page(&ctx, b));
    }
    sections.push(actions(&ctx));
    sections.push(method(&ctx));
    Report {
        title: format!("CX maturity assessment: {}", isolate(input.organisation)),
        footer: format!("{} · {}", isolate(input.organisation), round_line),
        cover: Cover {
            organisation: input.organisation.to_string(),
            title: "Customer-experience maturity assessment".to_string(),
            round: round_line,
            headline: format!(
                "The organisation is {}.",
                ctx.phase_phrase(ctx.r.organisation_phase)
            ),
            prepared_by: input.prepared_by.clone(),
            generated_on: format!("Generated on {}", long_date(&input.generated_on)),
            provisional,
        },
        sections,
    }
}

fn summary(ctx: &Ctx<'_>) -> Section {
    let (m, r, input) = (ctx.m, ctx.r, ctx.input);
    let p = r.organisation_phase;
    let n = m.phase_count();
    let mut items = Vec::new();
    if input.round.open {
        items.push(Item::Callout(vec![
            b("Provisional. "),
            t(format!(
                "The round is still open: {} of {} interviews are complete, so these figures may change.",
                r.interviews_complete, r.respondents
            )),
        ]));
    }

    // Where the organisation stands.
    let meaning = if p == 0 {
        "The foundations are not yet in place across all four building blocks.".to_string()
    } else {
        m.phases[p as usize - 1].description.clone()
    };
    items.push(Item::Paragraph(vec![
        t(format!("{} is ", isolate(input.organisation))),
        b(ctx.phase_phrase(p)),
        t(format!(" of {n}. {meaning}")),
    ]));

    // The bottleneck and why.
    if p < n {
        let stuck: Vec<String> = r
            .bottleneck
            .iter()
            .map(|id| {
                let block = &r.blocks[m.block_index(id).unwrap_or(0)];
                match block.phases.get(p as usize).and_then(|ph| ph.attainment) {
                    Some(a) => format!("{} ({})", isolate(&ctx.block_name(id)), figure(a)),
                    None => format!("{} (not assessed)", isolate(&ctx.block_name(id))),
                }
            })
            .collect();
        let verb = if stuck.len() == 1 { "holds" } else { "hold" };
        items.push(Item::Paragraph(vec![
            b("What holds it back. "),
            t(format!(
                "{} {verb} the organisation at this phase: phase {} attainment is below the threshold of {} needed to move on. The model moves as one, so the organisation advances when every building block has mastered the next phase.",
                join(&stuck),
                p + 1,
                figure(m.threshold)
            )),
        ]));
    } else {
        items.push(Item::Paragraph(vec![
            b("No bottleneck. "),
            t("Every building block has mastered every phase of the model."),
        ]));
    }
    if let Some(target) = input.round.target_phase {
        items.push(Item::Paragraph(vec![
            b("Target. "),
            t(explain::target(m, p, target)),
        ]));
    }

    // Strengths.
    let mut blocks: Vec<(f64, usize)> = r
        .blocks
        .iter()
        .enumerate()
        .filter_map(|(i, b)| b.attainment.map(|a| (a, i)))
        .collect();
    blocks.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut questions: Vec<(f64, usize)> = r
        .questions
        .iter()
        .enumerate()
        .filter_map(|(i, q)| q.attainment.map(|a| (a, i)))
        .filter(|(_, i)| m.questions[*i].phase > 1 || p <= 1)
        .collect();
    questions.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    if let Some(&(best, bi)) = blocks.first() {
        let mut strengths = vec![
            b("Strengths. "),
            t(format!(
                "{} is the strongest building block (reached phase {}, attainment {} across its questions).",
                m.blocks[bi].name,
                r.blocks[bi].reached_phase,
                figure(best)
            )),
        ];
        let top: Vec<String> = questions
            .iter()
            .take(2)
            .map(|&(a, i)| {
                format!(
                    "“{}” ({}, {})",
                    m.questions[i].text.trim_end_matches('.'),
                    m.questions[i].id,
                    figure(a)
                )
            })
            .collect();
        if !top.is_empty() {
            strengths.push(t(format!(
                " The most firmly established practices beyond the basics: {}.",
                join(&top)
            )));
        }
        items.push(Item::Paragraph(strengths));
    }

    // Biggest gaps.
    let gaps: Vec<Vec<Span>> = r
        .actions
        .iter()
        .filter(|a| a.tier == 1)
        .take(3)
        .map(|a| {
            vec![
                b(format!("{} ", ctx.block_name(&a.block))),
                t(format!(
                    "({}, phase {}, attainment {}): {}",
                    a.question,
                    a.phase,
                    figure(a.attainment),
                    a.recommendation
                )),
            ]
        })
        .collect();
    if !gaps.is_empty() {
        items.push(Item::Paragraph(vec![
            b("Biggest gaps. "),
            t("The first actions that would move the organisation forward:"),
        ]));
        items.push(Item::Bullets(gaps));
    }

    // Change since the comparison round.
    if let Some((earlier, c)) = &input.comparison {
        let mut rises: Vec<(f64, String)> = c
            .blocks
            .iter()
            .map(|bc| (bc.delta_maturity, ctx.block_name(&bc.block)))
            .collect();
        rises.sort_by(|a, b| b.0.total_cmp(&a.0));
        let phase_change = if c.phase_to > c.phase_from {
            format!("moved from phase {} to phase {}", c.phase_from, c.phase_to)
        } else if c.phase_to < c.phase_from {
            format!("fell from phase {} to phase {}", c.phase_from, c.phase_to)
        } else {
            format!("stayed in phase {}", c.phase_to)
        };
        let mut text = format!(
            "Since the {} ({}), the organisation {phase_change}.",
            earlier.title,
            long_date(&earlier.date)
        );
        if let Some((d, name)) = rises.first() {
            let up = c
                .blocks
                .iter()
                .filter(|bc| bc.delta_maturity > 1e-9)
                .count();
            text.push_str(&format!(
                " Maturity rose in {up} of {} building blocks; the largest change is in {name} ({}).",
                c.blocks.len(),
                delta(*d)
            ));
        }
        if c.basis == Basis::SharedQuestions {
            text.push_str(&format!(
                " The rounds used different model versions; the comparison uses the {} questions they share.",
                c.shared_questions
            ));
        }
        items.push(Item::Paragraph(vec![b("Change. "), t(text)]));
    }

    // Alignment flags.
    let flagged: Vec<String> = r
        .alignment
        .iter()
        .filter(|a| a.flagged)
        .map(|a| {
            let hi = a
                .groups
                .iter()
                .filter(|g| g.attainment.is_some())
                .max_by(|x, y| {
                    x.attainment
                        .unwrap_or(0.0)
                        .total_cmp(&y.attainment.unwrap_or(0.0))
                });
            let lo = a
                .groups
                .iter()
                .filter(|g| g.attainment.is_some())
                .min_by(|x, y| {
                    x.attainment
                        .unwrap_or(0.0)
                        .total_cmp(&y.attainment.unwrap_or(0.0))
                });
            match (hi, lo) {
                (Some(hi), Some(lo)) => format!(
                    "{} ({} {} against {} {})",
                    ctx.block_name(&a.block),
                    ctx.group_name(&hi.role_group),
                    figure(hi.attainment.unwrap_or(0.0)),
                    ctx.group_name(&lo.role_group).to_lowercase(),
                    figure(lo.attainment.unwrap_or(0.0))
                ),
                _ => ctx.block_name(&a.block),
            }
        })
        .collect();
    if flagged.is_empty() {
        items.push(Item::Paragraph(vec![
            b("Alignment. "),
            t("The role groups broadly agree: no building block shows a gap of a full scale step between groups."),
        ]));
    } else {
        items.push(Item::Paragraph(vec![
            b("Alignment. "),
            t(format!(
                "Role groups see {} differently, by at least a full step on the scale: {}. Where leadership rates a practice higher than the people who live it, ask for the evidence.",
                if flagged.len() == 1 { "one building block" } else { "some building blocks" },
                join(&flagged)
            )),
        ]));
    }

    // Key figures.
    let mut columns = vec![
        Column {
            header: "Building block".into(),
            width: 3.0,
            align: Align::Left,
        },
        Column {
            header: "Phase reached".into(),
            width: 1.4,
            align: Align::Right,
        },
        Column {
            header: "Maturity".into(),
            width: 1.2,
            align: Align::Right,
        },
    ];
    if input.comparison.is_some() {
        columns.push(Column {
            header: "Change".into(),
            width: 1.2,
            align: Align::Right,
        });
    }
    let rows = r
        .blocks
        .iter()
        .enumerate()
        .map(|(i, block)| {
            let mut row = vec![
                Cell {
                    bold: r.bottleneck.contains(&block.id),
                    ..Cell::plain(m.blocks[i].name.clone())
                },
                Cell::plain(block.reached_phase.to_string()),
                Cell::plain(figure(block.maturity)),
            ];
            if let Some((_, c)) = &input.comparison {
                let d = c
                    .blocks
                    .iter()
                    .find(|bc| bc.block == block.id)
                    .map(|bc| bc.delta_maturity);
                row.push(match d {
                    Some(d) if d > 1e-9 => Cell::tone(delta(d), Tone::Good),
                    Some(d) if d < -1e-9 => Cell::tone(delta(d), Tone::Alert),
                    Some(d) => Cell::plain(delta(d)),
                    None => Cell::tone("–", Tone::Muted),
                });
            }
            row
        })
        .collect();
    items.push(Item::Table { columns, rows });
    Section {
        title: "Executive summary".into(),
        items,
    }
}

fn position(ctx: &Ctx<'_>) -> Section {
    let (m, r) = (ctx.m, ctx.r);
    let n = m.phase_count();
    let radar = radar_data(ctx.input);
    let ladder = ladder_data(m, r);
    let explanation = explain::explain(m, r);
    Section {
        title: "Where the organisation stands".into(),
        items: vec![
            Item::Paragraph(vec![t(explanation.organisation)]),
            Item::Chart {
                chart: Chart::Radar(radar),
                caption: format!(
                    "Maturity of each building block (0 to {n}): the phase reached plus progress into the next phase."
                ),
                height: 0.42,
            },
            Item::Chart {
                chart: Chart::Ladder(ladder),
                caption: format!(
                    "Phase ladder: attainment of each phase against the threshold of {}. The organisation's phase is the lowest phase every block has reached.",
                    figure(m.threshold)
                ),
                height: 0.3,
            },
        ],
    }
}

/// The radar's data: each block's maturity in this round, in the comparison round (if
/// any) and the target phase (if set). The report's "where the organisation stands"
/// chart, and the app's results screen.
pub fn radar_data(input: &ReportInput<'_>) -> RadarData {
    let (m, r) = (input.model, input.results);
    let mut series = Vec::new();
    if let Some(target) = input.round.target_phase {
        series.push(RadarSeries {
            label: format!("Target: phase {target}"),
            values: vec![f64::from(target); m.blocks.len()],
            kind: SeriesKind::Target,
        });
    }
    if let Some((earlier, c)) = &input.comparison {
        series.push(RadarSeries {
            label: format!("{}, {}", isolate(&earlier.title), short_date(&earlier.date)),
            values: r
                .blocks
                .iter()
                .map(|b| {
                    c.blocks
                        .iter()
                        .find(|bc| bc.block == b.id)
                        .map(|bc| bc.maturity_from)
                        .unwrap_or(0.0)
                })
                .collect(),
            kind: SeriesKind::Previous,
        });
    }
    series.push(RadarSeries {
        label: format!(
            "{}, {}",
            isolate(&input.round.title),
            short_date(&input.round.date)
        ),
        values: r.blocks.iter().map(|b| b.maturity).collect(),
        kind: SeriesKind::Current,
    });
    RadarData {
        axes: m.blocks.iter().map(|b| b.name.clone()).collect(),
        phases: phase_names(m),
        max: f64::from(m.phase_count()),
        series,
    }
}

/// "1 Foundation", "2 Developing", …
fn phase_names(m: &Model) -> Vec<String> {
    m.phases
        .iter()
        .map(|p| format!("{} {}", p.number, p.name))
        .collect()
}

/// The phase ladder's data.
pub fn ladder_data(m: &Model, r: &Results) -> LadderData {
    LadderData {
        phases: phase_names(m),
        threshold: m.threshold,
        organisation_phase: r.organisation_phase,
        blocks: r
            .blocks
            .iter()
            .enumerate()
            .map(|(i, b)| LadderBlock {
                name: m.blocks[i].name.clone(),
                colour: i,
                reached: b.reached_phase,
                bottleneck: r.bottleneck.contains(&b.id),
                cells: b
                    .phases
                    .iter()
                    .map(|p| match (p.status, p.attainment) {
                        (PhaseStatus::Mastered, Some(a)) => LadderCell::Mastered(a),
                        (PhaseStatus::BelowThreshold, Some(a)) => LadderCell::Below(a),
                        (PhaseStatus::NotApplicable, _) => LadderCell::NotApplicable,
                        _ => LadderCell::NotAssessed,
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The trend chart's data from the organisation's rounds.
pub fn trend_data(m: &Model, history: &[HistoryPoint]) -> TrendData {
    TrendData {
        rounds: history.iter().map(|h| short_date(&h.date)).collect(),
        phases: phase_names(m),
        max: f64::from(m.phase_count()),
        blocks: m
            .blocks
            .iter()
            .enumerate()
            .map(|(i, block)| {
                (
                    block.name.clone(),
                    i,
                    history
                        .iter()
                        .map(|h| {
                            h.maturity
                                .iter()
                                .find(|(id, _)| *id == block.id)
                                .map(|(_, v)| *v)
                        })
                        .collect(),
                )
            })
            .collect(),
        organisation_phase: history.iter().map(|h| h.phase).collect(),
    }
}

/// The alignment heatmap's data.
pub fn heatmap_data(m: &Model, r: &Results) -> HeatmapData {
    let counts: Vec<(usize, u32, bool)> = m
        .role_groups
        .iter()
        .enumerate()
        .filter_map(|(g, group)| {
            let first = r.alignment.first()?;
            if let Some(shown) = first.groups.iter().find(|x| x.role_group == group.id) {
                Some((g, shown.respondents, false))
            } else {
                first
                    .hidden_groups
                    .iter()
                    .find(|x| x.role_group == group.id)
                    .map(|h| (g, h.respondents, true))
            }
        })
        .collect();
    HeatmapData {
        blocks: m.blocks.iter().map(|b| b.name.clone()).collect(),
        groups: counts
            .iter()
            .map(|&(g, n, hidden)| HeatmapGroup {
                name: m.role_groups[g].name.clone(),
                respondents: n,
                hidden,
            })
            .collect(),
        cells: r
            .alignment
            .iter()
            .map(|a| {
                counts
                    .iter()
                    .map(|&(g, _, _)| {
                        a.groups
                            .iter()
                            .find(|x| x.role_group == m.role_groups[g].id)
                            .and_then(|x| x.attainment)
                    })
                    .collect()
            })
            .collect(),
        gaps: r.alignment.iter().map(|a| (a.gap, a.flagged)).collect(),
        gap_threshold: cxm_domain::scoring::ALIGNMENT_FLAG,
    }
}

fn progress(ctx: &Ctx<'_>) -> Section {
    let (m, input) = (ctx.m, ctx.input);
    let mut items = Vec::new();
    if input.history.len() > 1 {
        items.push(Item::Chart {
            chart: Chart::Trend(trend_data(m, &input.history)),
            caption: "Maturity of each building block over the organisation's rounds; the dashed step line is the organisation's phase.".into(),
            height: 0.32,
        });
    }
    if let Some((earlier, c)) = &input.comparison {
        items.push(Item::Heading(format!(
            "{} to {}",
            earlier.title, input.round.title
        )));
        if c.basis == Basis::SharedQuestions {
            items.push(Item::Callout(vec![t(format!(
                "The two rounds were answered on different model versions. Both are rescored on the {} questions they share with an unchanged block and phase.",
                c.shared_questions
            ))]));
        }
        let rows = c
            .blocks
            .iter()
            .map(|bc| {
                let phase = if bc.phase_to > bc.phase_from {
                    Cell::tone(format!("{} to {}", bc.phase_from, bc.phase_to), Tone::Good)
                } else if bc.phase_to < bc.phase_from {
                    Cell::tone(format!("{} to {}", bc.phase_from, bc.phase_to), Tone::Alert)
                } else {
                    Cell::plain(format!("{} to {}", bc.phase_from, bc.phase_to))
                };
                vec![
                    Cell::bold(ctx.block_name(&bc.block)),
                    phase,
                    Cell::plain(format!(
                        "{} to {}",
                        figure(bc.maturity_from),
                        figure(bc.maturity_to)
                    )),
                    Cell::tone(
                        delta(bc.delta_maturity),
                        if bc.delta_maturity > 1e-9 {
                            Tone::Good
                        } else if bc.delta_maturity < -1e-9 {
                            Tone::Alert
                        } else {
                            Tone::Plain
                        },
                    ),
                    bc.delta_attainment
                        .map(|d| Cell::plain(delta(d)))
                        .unwrap_or_else(|| Cell::tone("–", Tone::Muted)),
                ]
            })
            .collect();
        items.push(Item::Table {
            columns: vec![
                Column {
                    header: "Building block".into(),
                    width: 2.6,
                    align: Align::Left,
                },
                Column {
                    header: "Phase".into(),
                    width: 1.0,
                    align: Align::Right,
                },
                Column {
                    header: "Maturity".into(),
                    width: 1.6,
                    align: Align::Right,
                },
                Column {
                    header: "Change".into(),
                    width: 1.0,
                    align: Align::Right,
                },
                Column {
                    header: "Attainment change".into(),
                    width: 1.5,
                    align: Align::Right,
                },
            ],
            rows,
        });
        let notable = c.notable_changes(5);
        let list = |changes: &[&QuestionChange]| -> Vec<Vec<Span>> {
            changes
                .iter()
                .map(|q| {
                    vec![
                        b(format!("{} {} ", q.question, delta(q.delta.unwrap_or(0.0)))),
                        t(ctx.question_text(&q.question).to_string()),
                    ]
                })
                .collect()
        };
        let improved = list(&notable.improved);
        let slipped = list(&notable.slipped);
        items.push(Item::Heading("Most improved practices".into()));
        if improved.is_empty() {
            items.push(Item::Paragraph(vec![t(
                "No practice improved by 0.05 or more.",
            )]));
        } else {
            items.push(Item::Bullets(improved));
        }
        items.push(Item::Heading("Practices that slipped".into()));
        if slipped.is_empty() {
            items.push(Item::Paragraph(vec![t(
                "No practice slipped by 0.05 or more.",
            )]));
        } else {
            items.push(Item::Bullets(slipped));
        }
    }
    Section {
        title: "Progress between rounds".into(),
        items,
    }
}

fn alignment(ctx: &Ctx<'_>) -> Section {
    let (m, r) = (ctx.m, ctx.r);
    let mut items = vec![Item::Paragraph(vec![t(format!(
        "How each role group rates each building block: block attainment (0 to 1) from that group's answers alone. A gap of {} or more between groups, a full step on the scale, is flagged.",
        figure(cxm_domain::scoring::ALIGNMENT_FLAG)
    ))])];
    items.push(Item::Chart {
        chart: Chart::Heatmap(heatmap_data(m, r)),
        caption: "Alignment by role group. Groups below the anonymity threshold are named but not scored.".into(),
        height: 0.32,
    });
    let hidden = ctx.hidden_groups();
    if !hidden.is_empty() {
        let names: Vec<String> = r.alignment[0]
            .hidden_groups
            .iter()
            .map(|h| {
                format!(
                    "{} ({} respondent{})",
                    ctx.group_name(&h.role_group),
                    h.respondents,
                    if h.respondents == 1 { "" } else { "s" }
                )
            })
            .collect();
        items.push(Item::Callout(vec![
            b("Hidden groups. "),
            t(format!(
                "{} {} fewer respondents than the anonymity threshold of {}, so {} figures are not shown; their answers still count in the organisation's results.",
                join(&names),
                if names.len() == 1 { "has" } else { "have" },
                m.anonymity_threshold,
                if names.len() == 1 { "its" } else { "their" }
            )),
        ]));
    }
    for a in r.alignment.iter().filter(|a| a.flagged) {
        let groups: Vec<String> = a
            .groups
            .iter()
            .map(|g| {
                format!(
                    "{} {}",
                    ctx.group_name(&g.role_group),
                    g.attainment.map(figure).unwrap_or_else(|| "–".into())
                )
            })
            .collect();
        items.push(Item::Paragraph(vec![
            b(format!(
                "{}: gap {}. ",
                ctx.block_name(&a.block),
                figure(a.gap)
            )),
            t(format!("{}.", groups.join(", "))),
        ]));
    }
    Section {
        title: "Alignment by role group".into(),
        items,
    }
}

fn block_page(ctx: &Ctx<'_>, bi: usize) -> Section {
    let (m, r, input) = (ctx.m, ctx.r, ctx.input);
    let block = &m.blocks[bi];
    let result = &r.blocks[bi];
    let mut items = Vec::new();
    if !block.description.is_empty() {
        items.push(Item::Paragraph(vec![t(block.description.clone())]));
    }
    items.push(Item::Callout(vec![t(explain::block(m, r, bi))]));
    let bars = QuestionBarsData {
        block: block.name.clone(),
        colour: bi,
        threshold: m.threshold,
        phases: m
            .phases
            .iter()
            .map(|p| {
                (
                    format!("Phase {} · {}", p.number, p.name),
                    m.questions
                        .iter()
                        .enumerate()
                        .filter(|(_, q)| q.block == bi && q.phase == p.number)
                        .map(|(i, q)| (q.id.clone(), r.questions[i].attainment))
                        .collect(),
                )
            })
            .collect(),
    };
    items.push(Item::Chart {
        chart: Chart::QuestionBars(bars),
        caption: format!(
            "Question attainment in {}, by phase; the line marks the threshold of {}.",
            block.name,
            figure(m.threshold)
        ),
        height: 0.42,
    });
    let rows = m
        .questions
        .iter()
        .enumerate()
        .filter(|(_, q)| q.block == bi)
        .map(|(i, q)| {
            let s = &r.questions[i];
            let (att, tone) = match s.attainment {
                Some(a) if cxm_domain::scoring::at_least(a, m.threshold) => (figure(a), Tone::Good),
                Some(a) => (
                    figure(a),
                    if q.phase <= result.reached_phase + 1 {
                        Tone::Alert
                    } else {
                        Tone::Plain
                    },
                ),
                None => ("–".into(), Tone::Muted),
            };
            let unsure = s.dont_know + s.not_applicable;
            vec![
                Cell::bold(q.id.clone()),
                Cell::plain(q.phase.to_string()),
                Cell::plain(q.text.clone()),
                Cell::tone(att, tone),
                Cell::plain(s.answered.to_string()),
                if unsure > 0 {
                    Cell::plain(unsure.to_string())
                } else {
                    Cell::tone("–", Tone::Muted)
                },
            ]
        })
        .collect();
    items.push(Item::Table {
        columns: vec![
            Column {
                header: "ID".into(),
                width: 0.95,
                align: Align::Left,
            },
            Column {
                header: "Phase".into(),
                width: 0.75,
                align: Align::Right,
            },
            Column {
                header: "Practice".into(),
                width: 5.0,
                align: Align::Left,
            },
            Column {
                header: "Attainment".into(),
                width: 1.25,
                align: Align::Right,
            },
            Column {
                header: "Rated".into(),
                width: 0.8,
                align: Align::Right,
            },
            Column {
                header: "dk/na".into(),
                width: 0.8,
                align: Align::Right,
            },
        ],
        rows,
    });

    // Respondents' notes on this block's questions, the ones that say most first.
    let sources = quote_sources(m, input.respondents);
    let mut quotes = Vec::new();
    for (i, q) in m
        .questions
        .iter()
        .enumerate()
        .filter(|(_, q)| q.block == bi)
    {
        for (person, source) in input.respondents.iter().zip(&sources) {
            if let Some(note) = person.notes.get(i).and_then(|n| n.as_deref()) {
                let who = match (input.quotes, source) {
                    (_, QuoteSource::Anonymous) => "a respondent".to_string(),
                    (QuoteAttribution::RoleGroup, QuoteSource::Group(g)) => {
                        isolate(&m.role_groups[*g].name)
                    }
                    (QuoteAttribution::RoleGroup, QuoteSource::GroupAndDepartment(g, d)) => {
                        format!("{} ({})", isolate(&m.role_groups[*g].name), isolate(d))
                    }
                    (QuoteAttribution::Name, QuoteSource::Group(g))
                    | (QuoteAttribution::Name, QuoteSource::GroupAndDepartment(g, _)) => {
                        let mut by = format!(
                            "{}, {}",
                            isolate(&person.name),
                            isolate(&m.role_groups[*g].name)
                        );
                        if let Some(d) = person
                            .department
                            .as_deref()
                            .map(str::trim)
                            .filter(|d| !d.is_empty())
                        {
                            by.push_str(&format!(" ({})", isolate(d)));
                        }
                        by
                    }
                };
                quotes.push((q.phase, note.to_string(), format!("{who}, on {}", q.id)));
            }
        }
    }
    if !quotes.is_empty() {
        items.push(Item::Heading("From the interviews".into()));
        // Notes nearest the organisation's frontier first; at most six.
        let frontier = r.organisation_phase + 1;
        quotes.sort_by_key(|(phase, _, _)| phase.abs_diff(frontier));
        let mut seen = std::collections::HashSet::new();
        for (_, text, by) in quotes
            .into_iter()
            .filter(|(_, text, _)| seen.insert(text.clone()))
            .take(6)
        {
            items.push(Item::Quote { text, by });
        }
    }
    Section {
        title: block.name.clone(),
        items,
    }
}

fn actions(ctx: &Ctx<'_>) -> Section {
    let (m, r) = (ctx.m, ctx.r);
    let p = r.organisation_phase;
    let mut items = vec![Item::Paragraph(vec![t(format!(
        "Practices below the threshold of {}, most valuable first. Priority = (threshold - attainment) × weight. Tier 1 holds the organisation back (phases up to {}, in every block); tier 2 is what comes next for blocks already ahead of the organisation.",
        figure(m.threshold),
        p + 1
    ))])];
    for tier in [1u8, 2] {
        let rows: Vec<Vec<Cell>> = r
            .actions
            .iter()
            .filter(|a| a.tier == tier)
            .map(|a| {
                vec![
                    Cell::bold(a.question.clone()),
                    Cell::plain(ctx.block_name(&a.block)),
                    Cell::plain(a.text.clone())
                        .with_detail("Recommendation: ", a.recommendation.clone()),
                    Cell::tone(figure(a.attainment), Tone::Alert),
                    Cell::plain(figure(a.priority)),
                ]
            })
            .collect();
        items.push(Item::Heading(if tier == 1 {
            "Tier 1: what holds the organisation back".into()
        } else {
            "Tier 2: next steps for blocks ahead".into()
        }));
        if rows.is_empty() {
            items.push(Item::Paragraph(vec![t(if tier == 1 {
                "None: every assessed practice up to the next phase meets the threshold."
            } else {
                "None."
            })]));
        } else {
            items.push(Item::Table {
                columns: vec![
                    Column {
                        header: "ID".into(),
                        width: 0.95,
                        align: Align::Left,
                    },
                    Column {
                        header: "Block".into(),
                        width: 1.5,
                        align: Align::Left,
                    },
                    Column {
                        header: "Practice and recommendation".into(),
                        width: 5.0,
                        align: Align::Left,
                    },
                    Column {
                        header: "Attainment".into(),
                        width: 1.25,
                        align: Align::Right,
                    },
                    Column {
                        header: "Priority".into(),
                        width: 1.0,
                        align: Align::Right,
                    },
                ],
                rows,
            });
        }
    }
    if !r.not_yet_assessed.is_empty() {
        items.push(Item::Heading(format!("Not yet assessed (phase {})", p + 1)));
        items.push(Item::Bullets(
            r.not_yet_assessed
                .iter()
                .map(|q| vec![b(format!("{} ", q.question)), t(q.text.clone())])
                .collect(),
        ));
    }
    Section {
        title: "Next-phase actions".into(),
        items,
    }
}

/// The method appendix's sentence on how this report attributes quotes.
fn quotes_rule(m: &Model, quotes: QuoteAttribution) -> String {
    let k = m.anonymity_threshold;
    match quotes {
        QuoteAttribution::RoleGroup => format!(
            "Notes from the interviews are quoted without names. Each is attributed to the respondent's role group, and to their department only where at least {k} respondents of the round share both that role group and that department; where that would leave fewer than {k} of a group's respondents without a department, the smallest such department is not named either. Notes from members of a hidden group, and from respondents who gave no rating, are attributed to “a respondent”."
        ),
        QuoteAttribution::Name => "As chosen for this report, notes from the interviews are attributed by name, with the respondent's role group and department. Notes from members of a hidden group, and from respondents who gave no rating, are quoted without names, attributed to “a respondent”.".to_string(),
    }
}

fn method(ctx: &Ctx<'_>) -> Section {
    let (m, r, input) = (ctx.m, ctx.r, ctx.input);
    let scale: Vec<String> = m
        .scale
        .labels
        .iter()
        .enumerate()
        .map(|(v, l)| format!("{v} {l}"))
        .collect();
    let mut per_group = Vec::new();
    for (g, group) in m.role_groups.iter().enumerate() {
        // Counted as the alignment counts them: members who gave at least one rating.
        let members: Vec<&RespondentView> = input
            .respondents
            .iter()
            .filter(|p| p.role_group == g)
            .collect();
        let counted = members.iter().filter(|p| rated(p)).count();
        if !members.is_empty() {
            per_group.push(vec![
                Cell::plain(group.name.clone()),
                Cell::plain(counted.to_string()),
                Cell::plain(
                    if ctx.hidden_groups().contains(&g) {
                        "hidden (below the anonymity threshold)"
                    } else {
                        "shown"
                    }
                    .to_string(),
                ),
            ]);
        }
    }
    Section {
        title: "Method".into(),
        items: vec![
            Item::Paragraph(vec![
                b("Model. "),
                t(format!(
                    "{} ({} version {}): {} building blocks, {} phases, {} questions.",
                    m.title,
                    m.id,
                    m.version,
                    m.blocks.len(),
                    m.phase_count(),
                    m.questions.len()
                )),
            ]),
            Item::Paragraph(vec![
                b("Scale. "),
                t(format!(
                    "Each practice is rated {}; “{}” and “{}” are recorded but left out of the scores.",
                    scale.join(", "),
                    m.scale.dont_know.to_lowercase(),
                    m.scale.not_applicable.to_lowercase()
                )),
            ]),
            Item::Paragraph(vec![
                b("Scoring. "),
                t(format!(
                    "A question's attainment is the mean of its ratings divided by {max}; every respondent counts equally. A phase's attainment is the weighted mean of its questions. A building block reaches a phase when that phase and every phase below it reach the mastery threshold of {tau} (a phase answered only “not applicable” passes). Maturity is the phase reached plus the attainment of the next phase. The organisation's phase is the lowest phase reached by any block: the model moves as one. Figures are rounded down, so a value below the threshold never shows as equal to it.",
                    max = m.scale.max,
                    tau = figure(m.threshold)
                )),
            ]),
            Item::Paragraph(vec![
                b("Respondents. "),
                t(format!(
                    "{} respondents, {} complete interviews. A respondent counts in their role group when they gave at least one rating; a role group with fewer than {} respondents is hidden in the alignment view.",
                    r.respondents, r.interviews_complete, m.anonymity_threshold
                )),
            ]),
            Item::Paragraph(vec![b("Quotes. "), t(quotes_rule(m, input.quotes))]),
            Item::Table {
                columns: vec![
                    Column {
                        header: "Role group".into(),
                        width: 2.0,
                        align: Align::Left,
                    },
                    Column {
                        header: "Respondents".into(),
                        width: 1.0,
                        align: Align::Right,
                    },
                    Column {
                        header: "Alignment view".into(),
                        width: 3.0,
                        align: Align::Left,
                    },
                ],
                rows: per_group,
            },
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The default model (Executive 0, Manager 1, Front line 2; threshold 3).
    fn model() -> Model {
        Model::default_model()
    }

    /// A respondent of `group` in `department` who rated the first question 2, or
    /// only said "don't know" (`rated` false).
    fn person(m: &Model, group: usize, department: Option<&str>, rated: bool) -> RespondentView {
        let mut answers = vec![None; m.questions.len()];
        answers[0] = Some(if rated {
            Answer::Scale(2)
        } else {
            Answer::DontKnow
        });
        RespondentView {
            name: format!("P{group}"),
            role_group: group,
            department: department.map(str::to_string),
            answers,
            notes: vec![None; m.questions.len()],
        }
    }

    fn many(m: &Model, group: usize, department: Option<&str>, n: usize) -> Vec<RespondentView> {
        (0..n).map(|_| person(m, group, department, true)).collect()
    }

    use QuoteSource::{Anonymous, Group, GroupAndDepartment};

    #[test]
    fn a_department_is_named_where_enough_of_the_group_share_it() {
        let m = model();
        assert_eq!(m.anonymity_threshold, 3);
        let mut people = many(&m, 2, Some("Contact centre"), 3);
        people.extend(many(&m, 2, Some("Billing"), 2));
        people.extend(many(&m, 2, None, 1));
        let sources = quote_sources(&m, &people);
        let cc = GroupAndDepartment(2, "Contact centre".into());
        assert_eq!(
            sources,
            [cc.clone(), cc.clone(), cc, Group(2), Group(2), Group(2)]
        );
    }

    #[test]
    fn a_large_department_is_not_named_for_the_only_member_of_a_group_in_it() {
        let m = model();
        let mut people = many(&m, 2, Some("Contact centre"), 3);
        people.extend(many(&m, 1, Some("Contact centre"), 1));
        people.extend(many(&m, 1, Some("Billing"), 2));
        let sources = quote_sources(&m, &people);
        assert_eq!(
            sources[3],
            Group(1),
            "the department has 4, the manager is alone in it"
        );
        assert!(matches!(sources[0], GroupAndDepartment(2, _)));
    }

    #[test]
    fn a_department_stays_unnamed_when_it_would_single_out_the_rest_of_the_group() {
        let m = model();
        // Four front-line respondents, three in one department: naming it would point at
        // the fourth whenever a quote says only "Front line".
        let mut people = many(&m, 2, Some("Contact centre"), 3);
        people.extend(many(&m, 2, Some("Retail stores"), 1));
        assert_eq!(quote_sources(&m, &people), vec![Group(2); 4]);
        // Seven: three and three in two departments and one elsewhere. Leaving out one
        // department (the smaller, else the first by name) is enough.
        let mut people = many(&m, 2, Some("Retail stores"), 3);
        people.extend(many(&m, 2, Some("Contact centre"), 3));
        people.extend(many(&m, 2, Some("Billing"), 1));
        let sources = quote_sources(&m, &people);
        assert_eq!(sources[0], GroupAndDepartment(2, "Retail stores".into()));
        assert_eq!(
            sources[3],
            Group(2),
            "contact centre sorts first: not named"
        );
        assert_eq!(sources[6], Group(2));
        // Nobody outside the named departments: nothing to protect.
        let mut people = many(&m, 2, Some("Retail stores"), 3);
        people.extend(many(&m, 2, Some("Contact centre"), 4));
        assert!(
            quote_sources(&m, &people)
                .iter()
                .all(|s| matches!(s, GroupAndDepartment(2, _)))
        );
    }

    #[test]
    fn hidden_groups_and_respondents_without_a_rating_are_a_respondent() {
        let m = model();
        let mut people = many(&m, 0, Some("Board"), 2); // hidden: 2 < 3
        people.extend(many(&m, 2, Some("Contact centre"), 3));
        people.push(person(&m, 2, Some("Contact centre"), false)); // no rating: not counted
        people.push(person(&m, 1, Some("Contact centre"), false)); // a group with no one counted
        let sources = quote_sources(&m, &people);
        assert_eq!(&sources[..2], [Anonymous, Anonymous]);
        assert_eq!(sources[2], GroupAndDepartment(2, "Contact centre".into()));
        assert_eq!(&sources[5..], [Anonymous, Anonymous]);
    }

    #[test]
    fn departments_are_compared_trimmed_and_case_folded_and_blank_is_none() {
        let m = model();
        let people = vec![
            person(&m, 2, Some(" Contact centre"), true),
            person(&m, 2, Some("CONTACT  CENTRE"), true),
            person(&m, 2, Some("contact centre "), true),
            person(&m, 2, Some("  "), true),
            person(&m, 2, Some(""), true),
            person(&m, 2, None, true),
        ];
        let sources = quote_sources(&m, &people);
        let cc = GroupAndDepartment(2, "Contact centre".into());
        assert_eq!(&sources[..3], [cc.clone(), cc.clone(), cc]);
        assert_eq!(&sources[3..], [Group(2), Group(2), Group(2)]);
    }

    #[test]
    fn quotes_in_a_block_section_follow_the_chosen_attribution() {
        let m = model();
        let mut people = many(&m, 2, Some("Contact centre"), 3);
        people.push(person(&m, 1, Some("Billing"), true)); // hidden group
        people[0].name = "Jamie Fletcher".into();
        people[0].notes[0] = Some("Shown the strategy.".into());
        people[3].name = "Mark Brennan".into();
        people[3].notes[0] = Some("Never seen it.".into());
        let scoring: Vec<_> = people.iter().map(RespondentView::scoring).collect();
        let results = cxm_domain::score(&m, &scoring);
        let input = ReportInput {
            organisation: "Acme",
            round: RoundMeta {
                title: "Baseline".into(),
                date: "2026-01-15".into(),
                open: false,
                target_phase: None,
            },
            model: &m,
            respondents: &people,
            results: &results,
            comparison: None,
            history: vec![],
            prepared_by: None,
            generated_on: "2026-01-16".into(),
            quotes: QuoteAttribution::default(),
        };
        let quotes = |input: &ReportInput<'_>| -> Vec<String> {
            build(input)
                .sections
                .iter()
                .flat_map(|s| &s.items)
                .filter_map(|i| match i {
                    // Typed values are bidi isolates (drawn as nothing): compare the words.
                    Item::Quote { by, .. } => Some(by.replace(['\u{2068}', '\u{2069}'], "")),
                    _ => None,
                })
                .collect()
        };
        let q = &m.questions[0].id;
        assert_eq!(
            quotes(&input),
            [
                format!("Front line (Contact centre), on {q}"),
                format!("a respondent, on {q}")
            ]
        );
        assert_eq!(
            quotes(&input.clone().with_quotes(QuoteAttribution::Name)),
            [
                format!("Jamie Fletcher, Front line (Contact centre), on {q}"),
                format!("a respondent, on {q}")
            ]
        );
    }
}
