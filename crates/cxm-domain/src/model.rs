//! The questionnaire model: its TOML format, validation with file/line/field errors,
//! and the validated [`Model`] every other module works with.
//!
//! The format is described in `docs/model-format.md`.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use serde_spanned::Spanned;

use crate::text;

/// The newest model file layout this build understands; format 1 files still read.
/// Format 2 adds the scale's definitions and rules, role groups' descriptions, and
/// each question's audience (`ask`) and `weight_reason`.
pub const FORMAT_VERSION: u32 = 2;

/// Default mastery threshold τ.
pub const DEFAULT_THRESHOLD: f64 = 0.75;
/// Default anonymity threshold (respondents a role group needs to be shown).
pub const DEFAULT_ANONYMITY_THRESHOLD: u32 = 3;
/// Columns of the responses CSV that cannot be question ids.
pub const RESERVED_COLUMNS: [&str; 3] = ["respondent", "role", "department"];

/// The largest model file read, in bytes (the default model is about 60 KB).
pub const MAX_MODEL_BYTES: usize = 2 * 1024 * 1024;
/// The smallest and largest question weight.
pub const WEIGHT_RANGE: (f64, f64) = (0.1, 100.0);
/// The smallest and largest mastery threshold τ.
pub const THRESHOLD_RANGE: (f64, f64) = (0.1, 1.0);
/// The largest anonymity threshold.
pub const MAX_ANONYMITY_THRESHOLD: i64 = 1_000;
/// The largest version number.
pub const MAX_VERSION: i64 = 1_000_000;
/// The largest scale maximum S.
pub const MAX_SCALE: i64 = 20;
/// The most building blocks, phases, role groups and questions.
pub const MAX_BLOCKS: usize = 20;
/// The most phases.
pub const MAX_PHASES: usize = 10;
/// The most role groups.
pub const MAX_ROLE_GROUPS: usize = 20;
/// The most questions.
pub const MAX_QUESTIONS: usize = 1_000;
/// Longest id (model, block, role group, question), in characters.
pub const MAX_ID_CHARS: usize = 64;
/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest name (block, phase, role group, scale label), in characters.
pub const MAX_LABEL_CHARS: usize = 100;
/// Longest description (model, block, phase), in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 2_000;
/// Longest question statement, in characters.
pub const MAX_STATEMENT_CHARS: usize = 1_000;
/// Longest guidance note, in characters.
pub const MAX_GUIDANCE_CHARS: usize = 4_000;
/// Longest recommendation, in characters.
pub const MAX_RECOMMENDATION_CHARS: usize = 2_000;
/// Longest scale definition, don't-know or not-applicable rule, role-group
/// description or weight reason, in characters.
pub const MAX_NOTE_CHARS: usize = 600;

/// The models built into the application, oldest first: `(file name, TOML source)`.
/// Every one is stored in a new database; rounds stay pinned to the version they were
/// created with, so a version's text never changes once shipped.
pub const BUILT_IN_MODELS: [(&str, &str); 2] = [
    (
        "cx-maturity-v1.toml",
        include_str!("../models/cx-maturity-v1.toml"),
    ),
    (
        "cx-maturity-v2.toml",
        include_str!("../models/cx-maturity-v2.toml"),
    ),
];
/// The default model's TOML source (the newest built-in version): what new rounds use.
pub const DEFAULT_MODEL_TOML: &str = BUILT_IN_MODELS[1].1;
/// The file name the default model is reported under in errors.
pub const DEFAULT_MODEL_FILE: &str = BUILT_IN_MODELS[1].0;

/// The answer scale: integer values `0..=max`, plus don't know and not applicable.
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    /// S, the scale maximum (≥ 1).
    pub max: u8,
    /// One label per value, `labels[v]` for value `v`.
    pub labels: Vec<String>,
    /// Label of the don't-know answer.
    pub dont_know: String,
    /// Label of the not-applicable answer.
    pub not_applicable: String,
    /// What each value means, `definitions[v]` for value `v`; empty when the model
    /// gives none (format 1).
    pub definitions: Vec<String>,
    /// When to answer don't know ("" when the model gives no rule).
    pub dont_know_rule: String,
    /// When to answer not applicable ("" when the model gives no rule).
    pub not_applicable_rule: String,
}

/// A building block (Strategy, Voice of the Customer, …).
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// Stable id (`strategy`).
    pub id: String,
    /// Display name (`Strategy`).
    pub name: String,
    /// What the block covers.
    pub description: String,
}

/// A maturity phase; phases are numbered 1..=n.
#[derive(Debug, Clone, PartialEq)]
pub struct Phase {
    /// 1-based number.
    pub number: u32,
    /// Display name (`Foundation`).
    pub name: String,
    /// What the phase means.
    pub description: String,
}

/// A respondent role group (Executive, Manager, Front line).
#[derive(Debug, Clone, PartialEq)]
pub struct RoleGroup {
    /// Stable id (`front-line`).
    pub id: String,
    /// Display name (`Front line`).
    pub name: String,
    /// Who belongs to it, in one line ("" when the model gives none).
    pub description: String,
}

/// Who a question is asked of in an interview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// Every role group (`ask = "all"`, the default).
    All,
    /// These role groups only (indices into [`Model::role_groups`], model order).
    Groups(Vec<usize>),
}

impl Audience {
    /// Whether role group `group` is asked.
    pub fn includes(&self, group: usize) -> bool {
        match self {
            Audience::All => true,
            Audience::Groups(groups) => groups.contains(&group),
        }
    }
}

/// One question: evidence of one phase in one block.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// Stable id; answers are stored by it.
    pub id: String,
    /// Index into [`Model::blocks`].
    pub block: usize,
    /// Phase number, 1..=n.
    pub phase: u32,
    /// Weight, > 0.
    pub weight: f64,
    /// The statement answered on the scale.
    pub text: String,
    /// Interviewer guidance: what counts as evidence.
    pub guidance: String,
    /// What to do when the practice is not yet in place.
    pub recommendation: String,
    /// Who is asked it in an interview (any answer counts in scoring).
    pub audience: Audience,
    /// Why the question carries its weight ("" when the model gives no reason).
    pub weight_reason: String,
}

/// A validated model. Construct it with [`Model::from_toml`] or [`Model::default_model`].
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// Stable model id (`cx-maturity`).
    pub id: String,
    /// Version, ≥ 1. A round is pinned to `(id, version)`.
    pub version: u32,
    /// Title.
    pub title: String,
    /// Optional description ("" when absent).
    pub description: String,
    /// Mastery threshold τ, 0 < τ ≤ 1.
    pub threshold: f64,
    /// Anonymity threshold, ≥ 1.
    pub anonymity_threshold: u32,
    /// The answer scale.
    pub scale: Scale,
    /// Building blocks, in model order.
    pub blocks: Vec<Block>,
    /// Phases 1..=n, in order.
    pub phases: Vec<Phase>,
    /// Role groups, in model order.
    pub role_groups: Vec<RoleGroup>,
    /// Questions, in model order.
    pub questions: Vec<Question>,
    question_index: HashMap<String, usize>,
}

impl Model {
    /// The default model shipped with the application.
    pub fn default_model() -> Model {
        Model::from_toml(DEFAULT_MODEL_TOML, DEFAULT_MODEL_FILE)
            .expect("the bundled default model is valid (checked by a test)")
    }

    /// Number of phases, n.
    pub fn phase_count(&self) -> u32 {
        self.phases.len() as u32
    }

    /// `id@version`, the key a round is pinned to.
    pub fn key(&self) -> String {
        format!("{}@{}", self.id, self.version)
    }

    /// Index of a question by id (exact match).
    pub fn question_index(&self, id: &str) -> Option<usize> {
        self.question_index.get(id).copied()
    }

    /// Index of a block by id.
    pub fn block_index(&self, id: &str) -> Option<usize> {
        self.blocks.iter().position(|b| b.id == id)
    }

    /// Name of block `id`, or `id` itself when the model has no such block (a block of
    /// another model version).
    pub fn block_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.block_index(id)
            .map_or(id, |b| self.blocks[b].name.as_str())
    }

    /// Index of a role group by id or by name, ignoring case and surrounding space.
    pub fn role_group_index(&self, id_or_name: &str) -> Option<usize> {
        let wanted = id_or_name.trim();
        self.role_groups
            .iter()
            .position(|g| g.id.eq_ignore_ascii_case(wanted) || g.name.eq_ignore_ascii_case(wanted))
    }

    /// Whether question `question` is asked of role group `group` in an interview.
    pub fn asks(&self, question: usize, group: usize) -> bool {
        self.questions
            .get(question)
            .is_some_and(|q| q.audience.includes(group))
    }

    /// Number of questions role group `group` is asked.
    pub fn asked_count(&self, group: usize) -> usize {
        self.questions
            .iter()
            .filter(|q| q.audience.includes(group))
            .count()
    }

    /// Name of phase `number` (1-based), or `"phase N"` when out of range.
    pub fn phase_name(&self, number: u32) -> String {
        number
            .checked_sub(1)
            .and_then(|i| self.phases.get(i as usize))
            .map(|p| p.name.clone())
            .unwrap_or_else(|| format!("phase {number}"))
    }

    /// A copy of this model that keeps only the questions whose index `keep` accepts,
    /// with the mapping new index → old index. Used to rescore rounds on shared
    /// questions; the copy may have (block, phase) cells without questions.
    pub fn restricted(&self, keep: impl Fn(usize, &Question) -> bool) -> (Model, Vec<usize>) {
        let mut questions = Vec::new();
        let mut mapping = Vec::new();
        for (i, q) in self.questions.iter().enumerate() {
            if keep(i, q) {
                questions.push(q.clone());
                mapping.push(i);
            }
        }
        let question_index = index_questions(&questions);
        (
            Model {
                questions,
                question_index,
                ..self.clone()
            },
            mapping,
        )
    }

    /// Parse and validate a model file. `file` is the name used in error messages.
    pub fn from_toml(source: &str, file: &str) -> Result<Model, ModelError> {
        if source.len() > MAX_MODEL_BYTES {
            return Err(ModelError {
                file: file.to_string(),
                issues: vec![ModelIssue {
                    line: None,
                    column: None,
                    field: String::new(),
                    message: format!(
                        "the model file is too large ({} KB; at most {} KB)",
                        source.len() / 1024,
                        MAX_MODEL_BYTES / 1024
                    ),
                }],
            });
        }
        let raw: RawModel = match toml::from_str(source) {
            Ok(raw) => raw,
            Err(e) => {
                let place = e.span().map(|s| place_of(source, s.start));
                let message = e.message().trim().to_string();
                return Err(ModelError {
                    file: file.to_string(),
                    issues: vec![ModelIssue {
                        line: place.map(|(line, _)| line),
                        column: place.map(|(_, column)| column),
                        field: String::new(),
                        message,
                    }],
                });
            }
        };
        let mut v = Validator {
            source,
            issues: Vec::new(),
            format: i64::from(FORMAT_VERSION),
        };
        let model = v.build(raw);
        if v.issues.is_empty() {
            Ok(model)
        } else {
            v.issues.sort_by_key(|i| i.line.unwrap_or(0));
            Err(ModelError {
                file: file.to_string(),
                issues: v.issues,
            })
        }
    }
}

fn index_questions(questions: &[Question]) -> HashMap<String, usize> {
    questions
        .iter()
        .enumerate()
        .map(|(i, q)| (q.id.clone(), i))
        .collect()
}

/// One problem found in a model file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelIssue {
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column (in characters) on that line, when known.
    pub column: Option<usize>,
    /// The field, as a path (`questions[7].phase`); empty for syntax errors.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

/// A model file that cannot be used, with every problem found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ModelError {
    /// The file name given to [`Model::from_toml`].
    pub file: String,
    /// The problems, in line order.
    pub issues: Vec<ModelIssue>,
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, issue) in self.issues.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}", self.file)?;
            if let Some(line) = issue.line {
                write!(f, ":{line}")?;
            }
            write!(f, ": ")?;
            if !issue.field.is_empty() {
                write!(f, "{}: ", issue.field)?;
            }
            write!(f, "{}", issue.message)?;
        }
        Ok(())
    }
}

/// The 1-based line and column (in characters) of byte `offset` in `source`.
fn place_of(source: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(source.len());
    while !source.is_char_boundary(end) {
        end -= 1;
    }
    let before = &source[..end];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

// ---- the raw, span-carrying file layout -------------------------------------------

type S<T> = Spanned<T>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModel {
    format: S<i64>,
    id: S<String>,
    version: S<i64>,
    title: S<String>,
    #[serde(default)]
    description: Option<S<String>>,
    #[serde(default)]
    threshold: Option<S<f64>>,
    #[serde(default)]
    anonymity_threshold: Option<S<i64>>,
    scale: S<RawScale>,
    blocks: S<Vec<S<RawBlock>>>,
    phases: S<Vec<S<RawPhase>>>,
    #[serde(default)]
    role_groups: Option<S<Vec<S<RawRoleGroup>>>>,
    questions: S<Vec<S<RawQuestion>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScale {
    max: S<i64>,
    labels: S<Vec<S<String>>>,
    #[serde(default)]
    dont_know: Option<S<String>>,
    #[serde(default)]
    not_applicable: Option<S<String>>,
    #[serde(default)]
    definitions: Option<S<Vec<S<String>>>>,
    #[serde(default)]
    dont_know_rule: Option<S<String>>,
    #[serde(default)]
    not_applicable_rule: Option<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBlock {
    id: S<String>,
    name: S<String>,
    #[serde(default)]
    description: Option<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPhase {
    number: S<i64>,
    name: S<String>,
    description: S<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRoleGroup {
    id: S<String>,
    name: S<String>,
    #[serde(default)]
    description: Option<S<String>>,
}

/// `ask = "all"`, `ask = "executive"` or `ask = ["executive", "manager"]`.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawAsk {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: S<String>,
    block: S<String>,
    phase: S<i64>,
    #[serde(default)]
    weight: Option<S<f64>>,
    #[serde(default)]
    ask: Option<S<RawAsk>>,
    text: S<String>,
    guidance: S<String>,
    recommendation: S<String>,
    #[serde(default)]
    weight_reason: Option<S<String>>,
}

struct Validator<'a> {
    source: &'a str,
    issues: Vec<ModelIssue>,
    /// The file's `format` (fields newer than it are refused).
    format: i64,
}

/// A number from a model file as a message shows it: `1.7e308`, `5e-324`, `0.5`.
fn number(v: f64) -> String {
    if v != 0.0 && v.is_finite() && !(1e-3..1e6).contains(&v.abs()) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn is_question_id(s: &str) -> bool {
    let mut bytes = s.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_alphanumeric())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

impl Validator<'_> {
    fn issue(&mut self, span: Range<usize>, field: impl Into<String>, message: impl Into<String>) {
        let (line, column) = place_of(self.source, span.start);
        self.issues.push(ModelIssue {
            line: Some(line),
            column: Some(column),
            field: field.into(),
            message: message.into(),
        });
    }

    /// A one-line text (a name, a title, a label) of at most `max` characters.
    fn text(&mut self, value: &S<String>, field: &str, max: usize) -> String {
        self.checked(value, field, max, false)
    }

    /// A text that may hold line breaks (a description, guidance).
    fn long_text(&mut self, value: &S<String>, field: &str, max: usize) -> String {
        self.checked(value, field, max, true)
    }

    /// An optional text: absent or blank is "".
    fn optional_text(&mut self, value: Option<S<String>>, field: &str, max: usize) -> String {
        match value {
            Some(v) if !v.get_ref().trim().is_empty() => self.long_text(&v, field, max),
            _ => String::new(),
        }
    }

    fn checked(&mut self, value: &S<String>, field: &str, max: usize, multiline: bool) -> String {
        match text::check(value.get_ref(), max, multiline) {
            Ok(clean) => clean,
            Err(problem) => {
                self.issue(value.span(), field, problem.predicate());
                value.get_ref().trim().chars().take(max).collect()
            }
        }
    }

    /// Refuses a list longer than `max`.
    fn at_most<T>(&mut self, list: &S<Vec<T>>, field: &str, max: usize) {
        if list.get_ref().len() > max {
            self.issue(
                list.span(),
                field,
                format!("at most {max} are allowed, found {}", list.get_ref().len()),
            );
        }
    }

    /// Refuses a field the file's format does not have.
    fn since_format_2(&mut self, span: Range<usize>, field: &str) {
        if self.format < 2 {
            self.issue(
                span,
                field,
                "is a format 2 field: write `format = 2` at the top of the file",
            );
        }
    }

    /// An optional one-paragraph note of format 2 ("" when absent).
    fn note(&mut self, value: Option<S<String>>, field: &str) -> String {
        if let Some(v) = &value {
            self.since_format_2(v.span(), field);
        }
        self.optional_text(value, field, MAX_NOTE_CHARS)
    }

    fn build(&mut self, raw: RawModel) -> Model {
        let format = *raw.format.get_ref();
        if !(1..=i64::from(FORMAT_VERSION)).contains(&format) {
            self.issue(
                raw.format.span(),
                "format",
                format!(
                    "format {format} is not supported (this version reads formats 1 to {FORMAT_VERSION})"
                ),
            );
        } else {
            self.format = format;
        }
        let id = self.text(&raw.id, "id", MAX_ID_CHARS);
        if !id.is_empty() && !is_slug(&id) {
            self.issue(
                raw.id.span(),
                "id",
                format!("`{id}` must use only lowercase letters, digits and '-'"),
            );
        }
        let version = *raw.version.get_ref();
        if !(1..=MAX_VERSION).contains(&version) {
            self.issue(
                raw.version.span(),
                "version",
                format!("must be a whole number from 1 to {MAX_VERSION}, found {version}"),
            );
        }
        let title = self.text(&raw.title, "title", MAX_TITLE_CHARS);
        let description = self.optional_text(raw.description, "description", MAX_DESCRIPTION_CHARS);

        let threshold = match &raw.threshold {
            Some(t) => {
                let v = *t.get_ref();
                let (low, high) = THRESHOLD_RANGE;
                if !(low..=high).contains(&v) {
                    self.issue(
                        t.span(),
                        "threshold",
                        format!("must be from {low} to {high}, found {}", number(v)),
                    );
                }
                v.clamp(low, high)
            }
            None => DEFAULT_THRESHOLD,
        };
        let anonymity_threshold = match &raw.anonymity_threshold {
            Some(t) => {
                let v = *t.get_ref();
                if !(1..=MAX_ANONYMITY_THRESHOLD).contains(&v) {
                    self.issue(
                        t.span(),
                        "anonymity_threshold",
                        format!(
                            "must be a whole number from 1 to {MAX_ANONYMITY_THRESHOLD}, found {v}"
                        ),
                    );
                }
                v.clamp(1, MAX_ANONYMITY_THRESHOLD) as u32
            }
            None => DEFAULT_ANONYMITY_THRESHOLD,
        };

        let scale = self.scale(raw.scale);
        let blocks = self.blocks(raw.blocks);
        let phases = self.phases(raw.phases);
        let role_groups = match raw.role_groups {
            Some(groups) => self.role_groups(groups),
            None => vec![
                RoleGroup {
                    id: "executive".into(),
                    name: "Executive".into(),
                    description: String::new(),
                },
                RoleGroup {
                    id: "manager".into(),
                    name: "Manager".into(),
                    description: String::new(),
                },
                RoleGroup {
                    id: "front-line".into(),
                    name: "Front line".into(),
                    description: String::new(),
                },
            ],
        };
        let questions = self.questions(raw.questions, &blocks, phases.len(), &role_groups);

        Model {
            id,
            version: version.clamp(1, MAX_VERSION) as u32,
            title,
            description,
            threshold,
            anonymity_threshold,
            scale,
            question_index: index_questions(&questions),
            blocks,
            phases,
            role_groups,
            questions,
        }
    }

    fn scale(&mut self, raw: S<RawScale>) -> Scale {
        let span = raw.span();
        let raw = raw.into_inner();
        let max = *raw.max.get_ref();
        if !(1..=MAX_SCALE).contains(&max) {
            self.issue(
                raw.max.span(),
                "scale.max",
                format!("must be a whole number from 1 to {MAX_SCALE}, found {max}"),
            );
        }
        let max = max.clamp(1, MAX_SCALE) as u8;
        let labels_span = raw.labels.span();
        let labels: Vec<String> = raw
            .labels
            .into_inner()
            .iter()
            .enumerate()
            .take(MAX_SCALE as usize + 1)
            .map(|(i, l)| self.text(l, &format!("scale.labels[{i}]"), MAX_LABEL_CHARS))
            .collect();
        if labels.len() != usize::from(max) + 1 {
            self.issue(
                labels_span,
                "scale.labels",
                format!(
                    "needs {} labels (one per value 0..{max}), found {}",
                    usize::from(max) + 1,
                    labels.len()
                ),
            );
        }
        let _ = span;
        let dont_know = raw
            .dont_know
            .map(|l| self.text(&l, "scale.dont_know", MAX_LABEL_CHARS))
            .unwrap_or_else(|| "Don't know".into());
        let not_applicable = raw
            .not_applicable
            .map(|l| self.text(&l, "scale.not_applicable", MAX_LABEL_CHARS))
            .unwrap_or_else(|| "Not applicable".into());
        let definitions = match raw.definitions {
            None => Vec::new(),
            Some(list) => {
                self.since_format_2(list.span(), "scale.definitions");
                let list_span = list.span();
                let list = list.into_inner();
                if list.len() != usize::from(max) + 1 {
                    self.issue(
                        list_span,
                        "scale.definitions",
                        format!(
                            "needs {} definitions (one per value 0..{max}), found {}",
                            usize::from(max) + 1,
                            list.len()
                        ),
                    );
                }
                list.iter()
                    .enumerate()
                    .take(MAX_SCALE as usize + 1)
                    .map(|(i, d)| {
                        self.long_text(d, &format!("scale.definitions[{i}]"), MAX_NOTE_CHARS)
                    })
                    .collect()
            }
        };
        let dont_know_rule = self.note(raw.dont_know_rule, "scale.dont_know_rule");
        let not_applicable_rule = self.note(raw.not_applicable_rule, "scale.not_applicable_rule");
        Scale {
            max,
            labels,
            dont_know,
            not_applicable,
            definitions,
            dont_know_rule,
            not_applicable_rule,
        }
    }

    fn blocks(&mut self, raw: S<Vec<S<RawBlock>>>) -> Vec<Block> {
        self.at_most(&raw, "blocks", MAX_BLOCKS);
        let span = raw.span();
        let raw = raw.into_inner();
        if raw.is_empty() {
            self.issue(
                span,
                "blocks",
                "the model needs at least one building block",
            );
        }
        let mut seen = HashSet::new();
        let mut blocks = Vec::new();
        for (i, b) in raw.into_iter().enumerate() {
            let b = b.into_inner();
            let id = self.text(&b.id, &format!("blocks[{i}].id"), MAX_ID_CHARS);
            if !id.is_empty() && !is_slug(&id) {
                self.issue(
                    b.id.span(),
                    format!("blocks[{i}].id"),
                    format!("`{id}` must use only lowercase letters, digits and '-'"),
                );
            }
            if !seen.insert(id.clone()) {
                self.issue(
                    b.id.span(),
                    format!("blocks[{i}].id"),
                    format!("duplicate block id `{id}`"),
                );
            }
            let name = self.text(&b.name, &format!("blocks[{i}].name"), MAX_LABEL_CHARS);
            let description = self.optional_text(
                b.description,
                &format!("blocks[{i}].description"),
                MAX_DESCRIPTION_CHARS,
            );
            blocks.push(Block {
                id,
                name,
                description,
            });
        }
        blocks
    }

    fn phases(&mut self, raw: S<Vec<S<RawPhase>>>) -> Vec<Phase> {
        self.at_most(&raw, "phases", MAX_PHASES);
        let span = raw.span();
        let raw = raw.into_inner();
        if raw.is_empty() {
            self.issue(span, "phases", "the model needs at least one phase");
        }
        let mut phases = Vec::new();
        for (i, p) in raw.into_iter().enumerate() {
            let p = p.into_inner();
            let expected = i as i64 + 1;
            if *p.number.get_ref() != expected {
                self.issue(
                    p.number.span(),
                    format!("phases[{i}].number"),
                    format!(
                        "phases must be numbered 1, 2, 3 … in order without gaps: expected {expected}, found {}",
                        p.number.get_ref()
                    ),
                );
            }
            phases.push(Phase {
                number: expected as u32,
                name: self.text(&p.name, &format!("phases[{i}].name"), MAX_LABEL_CHARS),
                description: self.long_text(
                    &p.description,
                    &format!("phases[{i}].description"),
                    MAX_DESCRIPTION_CHARS,
                ),
            });
        }
        phases
    }

    fn role_groups(&mut self, raw: S<Vec<S<RawRoleGroup>>>) -> Vec<RoleGroup> {
        self.at_most(&raw, "role_groups", MAX_ROLE_GROUPS);
        let span = raw.span();
        let raw = raw.into_inner();
        if raw.is_empty() {
            self.issue(span, "role_groups", "needs at least one role group");
        }
        // A CSV's role cell may hold a group's id or its name: every id and name must
        // point at one group only. (fold key → (group index, "id" or "name"))
        let mut owners: HashMap<String, (usize, &'static str)> = HashMap::new();
        let mut groups = Vec::new();
        for (i, g) in raw.into_iter().enumerate() {
            let g = g.into_inner();
            let id = self.text(&g.id, &format!("role_groups[{i}].id"), MAX_ID_CHARS);
            if !id.is_empty() && !is_slug(&id) {
                self.issue(
                    g.id.span(),
                    format!("role_groups[{i}].id"),
                    format!("`{id}` must use only lowercase letters, digits and '-'"),
                );
            }
            let name = self.text(&g.name, &format!("role_groups[{i}].name"), MAX_LABEL_CHARS);
            for (value, what, span) in [(&id, "id", g.id.span()), (&name, "name", g.name.span())] {
                if value.is_empty() {
                    continue;
                }
                match owners.get(&text::fold(value)) {
                    Some(&(j, _)) if j == i => {}
                    Some(&(j, other)) => self.issue(
                        span,
                        format!("role_groups[{i}].{what}"),
                        format!(
                            "`{value}` is already the {other} of role_groups[{j}]: a CSV role cell could mean either group"
                        ),
                    ),
                    None => {
                        owners.insert(text::fold(value), (i, what));
                    }
                }
            }
            let description = self.note(g.description, &format!("role_groups[{i}].description"));
            groups.push(RoleGroup {
                id,
                name,
                description,
            });
        }
        groups
    }

    fn questions(
        &mut self,
        raw: S<Vec<S<RawQuestion>>>,
        blocks: &[Block],
        phase_count: usize,
        groups: &[RoleGroup],
    ) -> Vec<Question> {
        self.at_most(&raw, "questions", MAX_QUESTIONS);
        let list_span = raw.span();
        let raw = raw.into_inner();
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut cells = vec![vec![0usize; phase_count]; blocks.len()];
        let mut questions = Vec::new();
        for (i, q) in raw.into_iter().enumerate() {
            let q = q.into_inner();
            let field = |name: &str| format!("questions[{i}].{name}");
            let id = self.text(&q.id, &field("id"), MAX_ID_CHARS);
            if !id.is_empty() && !is_question_id(&id) {
                self.issue(
                    q.id.span(),
                    field("id"),
                    format!("`{id}` must start with a letter or digit and use only letters, digits, '.', '_' and '-'"),
                );
            }
            if RESERVED_COLUMNS.iter().any(|r| r.eq_ignore_ascii_case(&id)) {
                self.issue(
                    q.id.span(),
                    field("id"),
                    format!("`{id}` is reserved for a CSV column"),
                );
            }
            if let Some(first) = seen.insert(id.to_ascii_lowercase(), i) {
                self.issue(
                    q.id.span(),
                    field("id"),
                    format!("duplicate question id `{id}` (first used by questions[{first}])"),
                );
            }
            let block_id = q.block.get_ref().trim();
            let block = blocks.iter().position(|b| b.id == block_id);
            if block.is_none() {
                let known: Vec<&str> = blocks.iter().map(|b| b.id.as_str()).collect();
                self.issue(
                    q.block.span(),
                    field("block"),
                    format!("unknown block `{block_id}` (blocks: {})", known.join(", ")),
                );
            }
            let phase = *q.phase.get_ref();
            if !(1..=phase_count as i64).contains(&phase) {
                self.issue(
                    q.phase.span(),
                    field("phase"),
                    format!("phase {phase} does not exist (phases are 1..{phase_count})"),
                );
            }
            let weight = match &q.weight {
                Some(w) => {
                    let v = *w.get_ref();
                    let (low, high) = WEIGHT_RANGE;
                    if !(low..=high).contains(&v) {
                        self.issue(
                            w.span(),
                            field("weight"),
                            format!("must be from {low} to {high}, found {}", number(v)),
                        );
                    }
                    v.clamp(low, high)
                }
                None => 1.0,
            };
            let text = self.long_text(&q.text, &field("text"), MAX_STATEMENT_CHARS);
            let guidance = self.long_text(&q.guidance, &field("guidance"), MAX_GUIDANCE_CHARS);
            let recommendation = self.long_text(
                &q.recommendation,
                &field("recommendation"),
                MAX_RECOMMENDATION_CHARS,
            );
            let audience = match q.ask {
                None => Audience::All,
                Some(ask) => self.audience(ask, &field("ask"), groups),
            };
            let weight_reason = self.note(q.weight_reason, &field("weight_reason"));
            if let Some(b) = block
                && (1..=phase_count as i64).contains(&phase)
            {
                cells[b][phase as usize - 1] += 1;
            }
            questions.push(Question {
                id,
                block: block.unwrap_or(0),
                phase: phase.clamp(1, i64::from(u32::MAX)) as u32,
                weight,
                text,
                guidance,
                recommendation,
                audience,
                weight_reason,
            });
        }
        for (block, counts) in blocks.iter().zip(&cells) {
            for (p, &count) in counts.iter().enumerate() {
                if count == 0 && !block.id.is_empty() {
                    self.issue(
                        list_span.clone(),
                        "questions",
                        format!(
                            "block `{}` has no question for phase {} (every block needs at least one question in every phase)",
                            block.id,
                            p + 1
                        ),
                    );
                }
            }
        }
        questions
    }

    /// A question's `ask`: `"all"`, one role group id, or a list of role group ids.
    fn audience(&mut self, ask: S<RawAsk>, field: &str, groups: &[RoleGroup]) -> Audience {
        let span = ask.span();
        self.since_format_2(span.clone(), field);
        let ids = match ask.into_inner() {
            RawAsk::One(one) if one.trim() == "all" => return Audience::All,
            RawAsk::One(one) => vec![one],
            RawAsk::Many(many) => many,
        };
        let known = || {
            groups
                .iter()
                .map(|g| g.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        if ids.is_empty() {
            self.issue(
                span,
                field,
                format!(
                    "names no role group: write \"all\" or a list of role group ids ({})",
                    known()
                ),
            );
            return Audience::All;
        }
        let mut asked = Vec::new();
        for id in &ids {
            match groups.iter().position(|g| g.id == id.trim()) {
                Some(g) if asked.contains(&g) => {
                    self.issue(span.clone(), field, format!("names `{id}` twice"));
                }
                Some(g) => asked.push(g),
                None => self.issue(
                    span.clone(),
                    field,
                    format!(
                        "unknown role group `{id}` (role groups: {}; or \"all\")",
                        known()
                    ),
                ),
            }
        }
        asked.sort_unstable();
        if asked.len() == groups.len() {
            Audience::All
        } else {
            Audience::Groups(asked)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_model_is_valid_and_complete() {
        let model = Model::from_toml(DEFAULT_MODEL_TOML, DEFAULT_MODEL_FILE)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(model.blocks.len(), 4);
        assert_eq!(model.phases.len(), 5);
        assert_eq!(model.role_groups.len(), 3);
        for b in 0..4 {
            for p in 1..=5 {
                let n = model
                    .questions
                    .iter()
                    .filter(|q| q.block == b && q.phase == p)
                    .count();
                assert!(n >= 3, "block {b} phase {p} has {n} questions");
            }
        }
        assert_eq!(model.scale.max, 4);
        assert_eq!(model.threshold, 0.75);
        assert_eq!(model.anonymity_threshold, 3);
        let id = model.blocks[1].id.clone();
        assert_eq!(model.block_name(&id), "Voice of the Customer");
        assert_eq!(
            model.block_name("gone"),
            "gone",
            "a block of another version"
        );
    }

    const SMALL: &str = r#"format = 1
id = "tiny"
version = 2
title = "Tiny"

[scale]
max = 2
labels = ["no", "partly", "yes"]

[[blocks]]
id = "a"
name = "A"

[[phases]]
number = 1
name = "One"
description = "First"

[[questions]]
id = "A-1"
block = "a"
phase = 1
text = "Text"
guidance = "Guidance"
recommendation = "Do it"
"#;

    #[test]
    fn small_model_gets_defaults() {
        let m = Model::from_toml(SMALL, "tiny.toml").unwrap();
        assert_eq!(m.key(), "tiny@2");
        assert_eq!(m.threshold, DEFAULT_THRESHOLD);
        assert_eq!(m.role_groups.len(), 3);
        assert_eq!(m.questions[0].weight, 1.0);
        assert_eq!(m.scale.dont_know, "Don't know");
    }

    fn errors(src: &str) -> String {
        Model::from_toml(src, "m.toml").unwrap_err().to_string()
    }

    /// SMALL in format 2 with the format 2 fields, two role groups and a second question.
    fn small_v2(ask: &str) -> String {
        SMALL.replace("format = 1", "format = 2").replace(
            "labels = [\"no\", \"partly\", \"yes\"]\n",
            "labels = [\"no\", \"partly\", \"yes\"]\ndefinitions = [\"none\", \"some\", \"all\"]\ndont_know_rule = \"Cannot say.\"\nnot_applicable_rule = \"Could not exist.\"\n",
        ) + &format!(
            "\n[[role_groups]]\nid = \"boss\"\nname = \"Boss\"\ndescription = \"Runs it.\"\n\n[[role_groups]]\nid = \"staff\"\nname = \"Staff\"\n\n[[questions]]\nid = \"A-2\"\nblock = \"a\"\nphase = 1\nweight = 2.0\nask = {ask}\ntext = \"T\"\nguidance = \"G\"\nrecommendation = \"R\"\nweight_reason = \"Gate.\"\n"
        )
    }

    #[test]
    fn format_2_fields_are_read() {
        let m =
            Model::from_toml(&small_v2("[\"boss\"]"), "v2.toml").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(m.scale.definitions, ["none", "some", "all"]);
        assert_eq!(m.scale.dont_know_rule, "Cannot say.");
        assert_eq!(m.scale.not_applicable_rule, "Could not exist.");
        assert_eq!(m.role_groups[0].description, "Runs it.");
        assert_eq!(m.role_groups[1].description, "");
        assert_eq!(m.questions[0].audience, Audience::All);
        assert_eq!(m.questions[1].audience, Audience::Groups(vec![0]));
        assert_eq!(m.questions[1].weight_reason, "Gate.");
        assert!(m.asks(1, 0) && !m.asks(1, 1) && m.asks(0, 1));
        assert_eq!((m.asked_count(0), m.asked_count(1)), (2, 1));
        // One id, or every group, are the same as the list and as "all".
        let one = Model::from_toml(&small_v2("\"boss\""), "v2.toml").unwrap();
        assert_eq!(one.questions[1].audience, Audience::Groups(vec![0]));
        let every = Model::from_toml(&small_v2("[\"staff\", \"boss\"]"), "v2.toml").unwrap();
        assert_eq!(every.questions[1].audience, Audience::All);
        let all = Model::from_toml(&small_v2("\"all\""), "v2.toml").unwrap();
        assert_eq!(all.questions[1].audience, Audience::All);
    }

    #[test]
    fn a_bad_audience_names_the_question_and_the_groups() {
        let e = errors(&small_v2("[\"boss\", \"chief\"]"));
        assert!(
            e.contains("questions[1].ask: unknown role group `chief` (role groups: boss, staff; or \"all\")"),
            "{e}"
        );
        let e = errors(&small_v2("[]"));
        assert!(e.contains("questions[1].ask: names no role group"), "{e}");
        let e = errors(&small_v2("[\"boss\", \"boss\"]"));
        assert!(e.contains("questions[1].ask: names `boss` twice"), "{e}");
        let e = errors(&small_v2("3"));
        assert!(
            e.contains("m.toml:"),
            "a wrong type is an error with its place: {e}"
        );
    }

    #[test]
    fn format_2_fields_in_a_format_1_file_are_refused() {
        let src = small_v2("\"all\"").replace("format = 2", "format = 1");
        let e = errors(&src);
        for field in [
            "scale.definitions",
            "scale.dont_know_rule",
            "scale.not_applicable_rule",
            "role_groups[0].description",
            "questions[1].ask",
            "questions[1].weight_reason",
        ] {
            assert!(
                e.contains(&format!("{field}: is a format 2 field: write `format = 2`")),
                "{field}: {e}"
            );
        }
        let e = errors(&SMALL.replace("format = 1", "format = 3"));
        assert!(
            e.contains("format 3 is not supported (this version reads formats 1 to 2)"),
            "{e}"
        );
    }

    #[test]
    fn scale_definitions_need_one_per_value() {
        let src =
            small_v2("\"all\"").replace("[\"none\", \"some\", \"all\"]", "[\"none\", \"some\"]");
        let e = errors(&src);
        assert!(
            e.contains("scale.definitions: needs 3 definitions (one per value 0..2), found 2"),
            "{e}"
        );
    }

    #[test]
    fn every_built_in_model_is_valid_and_v1_is_unchanged() {
        for (file, source) in BUILT_IN_MODELS {
            Model::from_toml(source, file).unwrap_or_else(|e| panic!("{e}"));
        }
        // Rounds are pinned to version 1 by its exact text: a shipped version never changes.
        use sha2::Digest;
        let digest = sha2::Sha256::digest(BUILT_IN_MODELS[0].1.as_bytes());
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex, "7027e3d74ed0115b9306fbcb4d9ed2932447fff4aae59dda357f0c9d324d4494",
            "cx-maturity-v1.toml changed"
        );
        assert_eq!(Model::default_model().key(), "cx-maturity@2");
    }

    #[test]
    fn unknown_block_names_line_and_field() {
        let src = SMALL.replace("block = \"a\"", "block = \"b\"");
        assert_eq!(
            errors(&src),
            "m.toml:21: questions[0].block: unknown block `b` (blocks: a)\n\
             m.toml:19: questions: block `a` has no question for phase 1 (every block needs at least one question in every phase)"
                .lines()
                .rev()
                .collect::<Vec<_>>()
                .join("\n")
        );
    }

    #[test]
    fn unknown_phase_and_bad_weight() {
        let src = SMALL.replace("phase = 1\n", "phase = 4\nweight = -1.0\n");
        let e = errors(&src);
        assert!(
            e.contains("m.toml:22: questions[0].phase: phase 4 does not exist (phases are 1..1)"),
            "{e}"
        );
        assert!(
            e.contains("m.toml:23: questions[0].weight: must be from 0.1 to 100, found -1"),
            "{e}"
        );
    }

    #[test]
    fn duplicate_id_and_empty_text() {
        let extra = "\n[[questions]]\nid = \"a-1\"\nblock = \"a\"\nphase = 1\ntext = \"  \"\nguidance = \"g\"\nrecommendation = \"r\"\n";
        let e = errors(&format!("{SMALL}{extra}"));
        assert!(e.contains("m.toml:28: questions[1].id: duplicate question id `a-1` (first used by questions[0])"), "{e}");
        assert!(
            e.contains("m.toml:31: questions[1].text: must not be empty"),
            "{e}"
        );
    }

    #[test]
    fn threshold_scale_and_phase_numbers() {
        let src = SMALL
            .replace("title = \"Tiny\"", "title = \"Tiny\"\nthreshold = 1.5")
            .replace(
                "labels = [\"no\", \"partly\", \"yes\"]",
                "labels = [\"no\", \"yes\"]",
            )
            .replace("number = 1", "number = 2");
        let e = errors(&src);
        assert!(
            e.contains("m.toml:5: threshold: must be from 0.1 to 1, found 1.5"),
            "{e}"
        );
        assert!(e.contains("m.toml:9: scale.labels: needs 3 labels"), "{e}");
        assert!(
            e.contains("m.toml:16: phases[0].number: phases must be numbered"),
            "{e}"
        );
    }

    #[test]
    fn syntax_error_and_unknown_key_have_lines() {
        let e = errors(&SMALL.replace("title = \"Tiny\"", "title = "));
        assert!(e.starts_with("m.toml:4: "), "{e}");
        let e = errors(&SMALL.replace(
            "guidance = \"Guidance\"",
            "guidance = \"Guidance\"\nevidence = \"x\"",
        ));
        assert!(e.starts_with("m.toml:25: "), "{e}");
        assert!(e.contains("evidence"), "{e}");
    }

    #[test]
    fn problems_have_columns() {
        let src = SMALL.replace("phase = 1\n", "phase =  4\n");
        let e = Model::from_toml(&src, "m.toml").unwrap_err();
        let issue = e.issues.iter().find(|i| i.line == Some(22)).unwrap();
        assert_eq!(issue.column, Some(10), "{e}");
        assert_eq!(issue.field, "questions[0].phase");
        let e =
            Model::from_toml(&SMALL.replace("title = \"Tiny\"", "title = "), "m.toml").unwrap_err();
        assert_eq!(e.issues[0].line, Some(4), "{e}");
        assert!(e.issues[0].column.is_some(), "{e}");
        assert_eq!(place_of("ab\néx", 5), (2, 2), "columns count characters");
    }

    #[test]
    fn weights_whose_sum_overflows_or_are_subnormal_are_refused() {
        // Each weight finite, the sum infinite: scoring would divide inf by inf.
        let big = SMALL.replace("phase = 1\n", "phase = 1\nweight = 1.7e308\n");
        let e = errors(&big);
        assert!(
            e.contains("m.toml:23: questions[0].weight: must be from 0.1 to 100, found 1.7e308"),
            "{e}"
        );
        let tiny = SMALL.replace("phase = 1\n", "phase = 1\nweight = 5e-324\n");
        let e = errors(&tiny);
        assert!(
            e.contains("questions[0].weight: must be from 0.1 to 100, found 5e-324"),
            "{e}"
        );
        let fine = SMALL.replace("phase = 1\n", "phase = 1\nweight = 100.0\n");
        assert_eq!(
            Model::from_toml(&fine, "m.toml").unwrap().questions[0].weight,
            100.0
        );
        let e = errors(&SMALL.replace("title = \"Tiny\"", "title = \"Tiny\"\nthreshold = 5e-324"));
        assert!(
            e.contains("m.toml:5: threshold: must be from 0.1 to 1"),
            "{e}"
        );
    }

    #[test]
    fn long_texts_and_control_characters_are_refused() {
        let long_title = SMALL.replace(
            "title = \"Tiny\"",
            &format!("title = \"{}\"", "x".repeat(201)),
        );
        let e = errors(&long_title);
        assert!(
            e.contains("m.toml:4: title: is too long (201 characters; at most 200)"),
            "{e}"
        );
        // A title of 20 million characters is refused quickly, by the file's size.
        let huge = SMALL.replace(
            "title = \"Tiny\"",
            &format!("title = \"{}\"", "x".repeat(20_000_000)),
        );
        let e = errors(&huge);
        assert!(e.contains("the model file is too large"), "{e}");
        let e = errors(&SMALL.replace("text = \"Text\"", "text = \"\\u001b[31mRed\""));
        assert!(
            e.contains("questions[0].text: contains an escape character (U+001B at character 1)"),
            "{e}"
        );
        let e = errors(&SMALL.replace("name = \"A\"", "name = \"\\u202Eevil\""));
        assert!(
            e.contains("blocks[0].name: contains a bidirectional override"),
            "{e}"
        );
        let e = errors(&SMALL.replace(
            "guidance = \"Guidance\"",
            &format!("guidance = \"{}\"", "g".repeat(4001)),
        ));
        assert!(
            e.contains("questions[0].guidance: is too long (4001 characters; at most 4000)"),
            "{e}"
        );
        // Guidance may hold line breaks.
        let multi = SMALL.replace(
            "guidance = \"Guidance\"",
            "guidance = \"\"\"\nAsk to see it.\nWho owns it?\"\"\"",
        );
        assert_eq!(
            Model::from_toml(&multi, "m.toml").unwrap().questions[0].guidance,
            "Ask to see it.\nWho owns it?"
        );
    }

    #[test]
    fn role_groups_whose_names_and_ids_collide_are_refused() {
        let groups = "\n[[role_groups]]\nid = \"staff\"\nname = \"Manager\"\n\n[[role_groups]]\nid = \"manager\"\nname = \"Staff\"\n";
        let src = SMALL.replace("\n[[questions]]", &format!("{groups}\n[[questions]]"));
        let e = errors(&src);
        assert!(
            e.contains("role_groups[1].id: `manager` is already the name of role_groups[0]"),
            "{e}"
        );
        // A group's own id and name may be the same word.
        let own = "\n[[role_groups]]\nid = \"staff\"\nname = \"Staff\"\n";
        let src = SMALL.replace("\n[[questions]]", &format!("{own}\n[[questions]]"));
        assert_eq!(
            Model::from_toml(&src, "m.toml").unwrap().role_groups[0].name,
            "Staff"
        );
    }
}
