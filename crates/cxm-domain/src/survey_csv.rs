//! CSV exports of the survey form from ODK Central and KoboToolbox.
//!
//! `cxm_api::xlsform` writes a round's model as an XLSForm; ODK Central or
//! KoboToolbox collects the answers; their CSV export of that form comes back here.
//! This module owns both ends of the contract: the names the form uses (its fields,
//! groups and choices: [`ROLE_FIELD`], [`field_name`], [`form_text`],
//! [`scale_choice_label`], …), which the writer takes from here, and [`parse`], which
//! reads the exports. `docs/survey-forms.md` documents both, with real header examples.
//!
//! What [`parse`] reads, as the two tools write it:
//!
//! - **ODK Central** (`Download` → CSV): `,` separated, group paths joined with `-`
//!   (`strategy-STR-1.1`), or bare names with *Remove group names*
//!   (`STR-1.1`); meta columns `SubmissionDate`, `meta-instanceID`, `KEY`,
//!   `SubmitterID`, `SubmitterName`, `AttachmentsPresent`, `AttachmentsExpected`,
//!   `Status`, `ReviewState`, `DeviceID`, `Edits`, `FormVersion`; instance ids
//!   `uuid:…`.
//! - **KoboToolbox** (`Downloads` → CSV): `;` separated, every cell quoted, CRLF; bare
//!   names, or group paths joined with `/` (or another separator) with *Include groups
//!   in headers*; *XML values and headers* or *Labels* (headers and choices as the form
//!   labels them); meta columns `_id`, `_uuid`, `_submission_time`,
//!   `_validation_status`, `_notes`, `_status`, `_submitted_by`, `_tags`, `_index`,
//!   `__version__`, `meta/instanceID`, `meta/rootUuid`.
//!
//! A header is matched to a field of the form by its longest suffix, after a
//! separator (any ASCII punctuation or space), that is a field's name or label: a
//! group path of any depth in front is allowed. Meta and unknown columns are
//! ignored and listed in [`ParsedSurvey::ignored_columns`].
//!
//! The file must be an export of the form for this very model version: its
//! `cxm_form` column holds [`Model::key`] in every row. Each submission keeps its
//! instance id as its key ([`ParsedSurvey::keys`]): a later, longer export of the same
//! form shows the same keys again, and the store imports only the new ones. Rows a
//! reviewer rejected in the tool (`ReviewState` `rejected`, `_validation_status`
//! `validation_status_not_approved`) are not imported: they are listed in
//! [`ParsedSurvey::left_out`], never dropped silently.
//!
//! Pure, like [`crate::responses_csv`]: every problem is reported with its line and
//! column (up to [`MAX_ISSUES`](crate::responses_csv::MAX_ISSUES)), lines are counted as an editor shows them, and the
//! file is read once, front to back.

use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt;

use crate::answer::Answer;
use crate::csv_read::{Issues, Lines, detect_delimiter, header_name, next_record, reader, shown};
use crate::model::Model;
use crate::responses_csv::{CsvError, ParsedResponses, ParsedRow, from_spreadsheet_safe};
use crate::text;

// ---------------------------------------------------------------------------------
// The form's names: what `cxm_api::xlsform` writes and `parse` reads back.

/// The note that opens the form (the round's title and how the scale works).
pub const INTRO_FIELD: &str = "intro";
/// The role group (`select_one role`, required).
pub const ROLE_FIELD: &str = "role";
/// The department (`text`, optional).
pub const DEPARTMENT_FIELD: &str = "department";
/// The respondent's code (`text`, optional; empty keeps the respondent anonymous).
pub const CODE_FIELD: &str = "respondent_code";
/// The `calculate` field that names the model version the form was made from.
pub const FORM_FIELD: &str = "cxm_form";
/// The choice list of the answer scale.
pub const SCALE_LIST: &str = "scale";
/// The choice list of the role groups.
pub const ROLE_LIST: &str = "role";
/// The choice name of *Don't know*.
pub const DONT_KNOW_CHOICE: &str = "dk";
/// The choice name of *Not applicable*.
pub const NOT_APPLICABLE_CHOICE: &str = "na";
/// The label of [`ROLE_FIELD`].
pub const ROLE_LABEL: &str = "Your role group";
/// The label of [`DEPARTMENT_FIELD`].
pub const DEPARTMENT_LABEL: &str = "Your department";
/// The label of [`CODE_FIELD`].
pub const CODE_LABEL: &str = "Respondent code";
/// The hint of [`CODE_FIELD`]: what an empty code means on import.
pub const CODE_HINT: &str =
    "Optional: the code you were given, if any. Leave it empty to stay anonymous.";
/// What an anonymous submission is called: this, then the first 12 characters of its
/// instance id without dashes (`Respondent 3f15cdfe3eab`).
pub const ANONYMOUS_PREFIX: &str = "Respondent ";

/// The meta columns ODK Central adds to a CSV export (and the ones its form adds: the
/// instance id with and without its group path).
pub const ODK_CENTRAL_COLUMNS: [&str; 15] = [
    "SubmissionDate",
    "KEY",
    "SubmitterID",
    "SubmitterName",
    "AttachmentsPresent",
    "AttachmentsExpected",
    "Status",
    "ReviewState",
    "DeviceID",
    "Edits",
    "FormVersion",
    "meta-instanceID",
    "meta-instanceName",
    "meta-deprecatedID",
    "instanceID",
];

/// The meta columns KoboToolbox adds to a CSV export.
pub const KOBO_COLUMNS: [&str; 16] = [
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_notes",
    "_status",
    "_submitted_by",
    "__version__",
    "_version_",
    "_tags",
    "_index",
    "_parent_index",
    "meta/instanceID",
    "meta/rootUuid",
    "meta/deprecatedID",
    "meta/instanceName",
];

/// The XLSForm name of a question or block id: the id itself when it starts with a
/// letter (`STR-1.1`, `voice-of-customer`: valid XML names, which pyxform accepts),
/// else `_` and the id (`_1.1`; an id never starts with `_`, so the two cannot meet).
pub fn field_name(id: &str) -> Cow<'_, str> {
    if id.starts_with(|c: char| c.is_ascii_alphabetic()) {
        Cow::Borrowed(id)
    } else {
        Cow::Owned(format!("_{id}"))
    }
}

/// `text` as a label, hint or choice of the form, so that it reads as written:
/// ODK Collect, Enketo and KoboToolbox read labels as Markdown, and pyxform replaces
/// `${name}` with another field's value. A backslash goes before `\`, `*`, `_` and a
/// `#` that starts a line (the escapes ODK documents); a word joiner (U+2060, which
/// shows as nothing) goes between `$` and `{`, and after a `<` that could open an
/// HTML tag. Text without those characters is returned as it is.
///
/// ```
/// use cxm_domain::survey_csv::form_text;
/// assert_eq!(form_text("Net *promoter* score"), "Net \\*promoter\\* score");
/// assert_eq!(form_text("# of staff"), "\\# of staff");
/// assert_eq!(form_text("Pay ${role}"), "Pay $\u{2060}{role}");
/// assert_eq!(form_text("Plain text."), "Plain text.");
/// ```
pub fn form_text(text: &str) -> Cow<'_, str> {
    const JOINER: char = '\u{2060}';
    let needs = |c: char| matches!(c, '\\' | '*' | '_' | '#' | '$' | '<');
    if !text.contains(needs) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut line_start = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        match c {
            '\\' | '*' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '#' if line_start => out.push_str("\\#"),
            '$' if next == Some('{') => {
                out.push('$');
                out.push(JOINER);
            }
            '<' if next
                .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')) =>
            {
                out.push('<');
                out.push(JOINER);
            }
            _ => out.push(c),
        }
        line_start = c == '\n' || (line_start && matches!(c, ' ' | '\t'));
    }
    Cow::Owned(out)
}

/// The label of scale value `value` in the form's choice list: `3 — Largely in place`
/// (through [`form_text`]).
pub fn scale_choice_label(model: &Model, value: u8) -> String {
    let label = model
        .scale
        .labels
        .get(usize::from(value))
        .map(String::as_str)
        .unwrap_or("");
    if label.is_empty() {
        value.to_string()
    } else {
        format!("{value} — {}", form_text(label))
    }
}

/// `text` as pyxform may leave it: straight quotes for curly ones (pyxform always
/// does that) and runs of white space as one space (pyxform does that unless the form
/// says `clean_text_values: no`, as ours does; a tool may still). Labels are matched
/// both as written and like this.
fn plain(text: &str) -> Cow<'_, str> {
    let curly = |c: char| matches!(c, '\u{2018}' | '\u{2019}' | '\u{201c}' | '\u{201d}');
    let spaced = text.contains(|c: char| c.is_whitespace() && c != ' ')
        || text.contains("  ")
        || text.trim() != text;
    if !spaced && !text.contains(curly) {
        return Cow::Borrowed(text);
    }
    let straight: String = text
        .chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' => '\'',
            '\u{201c}' | '\u{201d}' => '"',
            c => c,
        })
        .collect();
    Cow::Owned(straight.split_whitespace().collect::<Vec<_>>().join(" "))
}

// ---------------------------------------------------------------------------------
// What `parse` returns.

/// Which tool wrote the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Flavour {
    /// ODK Central.
    OdkCentral,
    /// KoboToolbox.
    KoboToolbox,
}

impl fmt::Display for Flavour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Flavour::OdkCentral => "ODK Central",
            Flavour::KoboToolbox => "KoboToolbox",
        })
    }
}

/// Why a row was not imported although nothing is wrong with the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeftOutReason {
    /// ODK Central's `ReviewState` is `rejected`.
    RejectedInOdkCentral,
    /// KoboToolbox's `_validation_status` is `validation_status_not_approved` (*Not
    /// approved*).
    NotApprovedInKobo,
}

impl fmt::Display for LeftOutReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LeftOutReason::RejectedInOdkCentral => "rejected by a reviewer in ODK Central",
            LeftOutReason::NotApprovedInKobo => "marked not approved in KoboToolbox",
        })
    }
}

/// A submission that is in the file but is not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// 1-based line of the row.
    pub line: u64,
    /// Its instance id, normalised like [`ParsedSurvey::keys`].
    pub key: String,
    /// Why.
    pub reason: LeftOutReason,
}

/// An export that passed every check of [`parse`].
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedSurvey {
    /// Which tool wrote it.
    pub flavour: Flavour,
    /// The submissions to import, as respondents: the respondent is the
    /// `respondent_code` cell, or [`ANONYMOUS_PREFIX`] and the first 12 characters of
    /// the key without dashes.
    pub responses: ParsedResponses,
    /// Each row's instance id, parallel to `responses.rows`: `uuid:` taken off,
    /// lowercase. ODK Central's `KEY` (the first version's id, which an edit keeps) or
    /// else `meta-instanceID`; KoboToolbox's `meta/rootUuid` (kept by edits) or else
    /// `_uuid` or `meta/instanceID`.
    pub keys: Vec<String>,
    /// Submissions in the file that are not imported, and why (to show in the
    /// preview).
    pub left_out: Vec<LeftOut>,
    /// Headers of the columns that were ignored (the tools' meta columns, the intro
    /// note, anything else), in file order.
    pub ignored_columns: Vec<String>,
}

// ---------------------------------------------------------------------------------
// Reading.

/// Whether `data` looks like an ODK Central or KoboToolbox export, by its header alone:
/// a `cxm_form` column, or the tools' meta columns without a `respondent` column (the
/// plain responses CSV's, [`crate::responses_csv`], which has neither). The tool with
/// more of its meta columns there wins; a tie, or none, goes by the separator (`;`:
/// KoboToolbox).
pub fn detect(data: &[u8]) -> Option<Flavour> {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let delimiter = detect_delimiter(data);
    let mut header = csv::ByteRecord::new();
    if !reader(data, delimiter).read_byte_record(&mut header).ok()? {
        return None;
    }
    let names: Vec<String> = header.iter().map(header_name).collect();
    let (flavour, form) = flavour_of(&names, delimiter);
    // The responses CSV's own column: a model may have a question called `Status`.
    let plain_csv = names.iter().any(|n| n.eq_ignore_ascii_case("respondent"));
    if form || (flavour.is_some() && !plain_csv) {
        Some(flavour.unwrap_or(if delimiter == b';' {
            Flavour::KoboToolbox
        } else {
            Flavour::OdkCentral
        }))
    } else {
        None
    }
}

/// The flavour the meta columns point at (ties and none: `None`), and whether a
/// `cxm_form` column is there.
fn flavour_of(names: &[String], delimiter: u8) -> (Option<Flavour>, bool) {
    let count = |list: &[&str]| {
        names
            .iter()
            .filter(|n| list.iter().any(|m| m.eq_ignore_ascii_case(n)))
            .count()
    };
    let odk = count(&ODK_CENTRAL_COLUMNS);
    let kobo = count(&KOBO_COLUMNS);
    let form = names
        .iter()
        .any(|n| suffix_starts(n).any(|s| n[s..].eq_ignore_ascii_case(FORM_FIELD)));
    let flavour = match odk.cmp(&kobo) {
        std::cmp::Ordering::Greater => Some(Flavour::OdkCentral),
        std::cmp::Ordering::Less => Some(Flavour::KoboToolbox),
        std::cmp::Ordering::Equal if odk > 0 => Some(if delimiter == b';' {
            Flavour::KoboToolbox
        } else {
            Flavour::OdkCentral
        }),
        std::cmp::Ordering::Equal => None,
    };
    (flavour, form)
}

/// Where the suffixes of a header that may name a field start, longest first: the
/// header itself, then after each separator (ASCII punctuation or space).
fn suffix_starts(header: &str) -> impl Iterator<Item = usize> + '_ {
    std::iter::once(0).chain(
        header
            .char_indices()
            .filter(|&(_, c)| (c.is_ascii_punctuation() && c != '_') || c == ' ')
            .map(|(i, c)| i + c.len_utf8())
            .filter(move |&i| i < header.len()),
    )
}

fn refuse(line: u64, column: Option<(usize, &str)>, message: impl Into<String>) -> CsvError {
    let mut issues = Issues(Vec::new(), false);
    issues.push(line, column, message);
    issues.into_error()
}

/// A field of the form a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Field {
    Intro,
    Role,
    Department,
    Code,
    Form,
    Question(usize),
}

impl Field {
    fn name(self, model: &Model) -> Cow<'_, str> {
        match self {
            Field::Intro => Cow::Borrowed(INTRO_FIELD),
            Field::Role => Cow::Borrowed(ROLE_FIELD),
            Field::Department => Cow::Borrowed(DEPARTMENT_FIELD),
            Field::Code => Cow::Borrowed(CODE_FIELD),
            Field::Form => Cow::Borrowed(FORM_FIELD),
            Field::Question(q) => Cow::Borrowed(model.questions[q].id.as_str()),
        }
    }
}

/// A column the tools add that [`parse`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Meta {
    /// An instance id column, by preference (0 first).
    Key(u8),
    /// ODK Central's `ReviewState`.
    ReviewState,
    /// KoboToolbox's `_validation_status`.
    Validation,
    /// ODK Central's `Status` (a submission it could not decrypt).
    Status,
}

fn meta_of(header: &str) -> Option<Meta> {
    const KEYS: [(&str, u8); 7] = [
        ("meta/rootUuid", 0),
        ("KEY", 0),
        ("_uuid", 1),
        ("meta-instanceID", 2),
        ("meta/instanceID", 2),
        ("instanceID", 3),
        ("meta-rootUuid", 0),
    ];
    if let Some(&(_, rank)) = KEYS.iter().find(|(n, _)| n.eq_ignore_ascii_case(header)) {
        return Some(Meta::Key(rank));
    }
    if header.eq_ignore_ascii_case("ReviewState") {
        Some(Meta::ReviewState)
    } else if header.eq_ignore_ascii_case("_validation_status") {
        Some(Meta::Validation)
    } else if header.eq_ignore_ascii_case("Status") {
        Some(Meta::Status)
    } else {
        None
    }
}

/// What the names and labels of the form point at.
struct Names<'m> {
    /// Field names, question ids and labels (as the form writes them and raw).
    exact: HashMap<Cow<'m, str>, Option<Field>>,
    /// The same, ASCII-lowercased.
    lower: HashMap<String, Option<Field>>,
}

impl<'m> Names<'m> {
    fn new(model: &'m Model) -> Names<'m> {
        let mut names = Names {
            exact: HashMap::new(),
            lower: HashMap::new(),
        };
        for (name, field) in [
            (INTRO_FIELD, Field::Intro),
            (ROLE_FIELD, Field::Role),
            (ROLE_LABEL, Field::Role),
            (DEPARTMENT_FIELD, Field::Department),
            (DEPARTMENT_LABEL, Field::Department),
            (CODE_FIELD, Field::Code),
            (CODE_LABEL, Field::Code),
            (FORM_FIELD, Field::Form),
        ] {
            names.add(Cow::Borrowed(name), field);
        }
        for (q, question) in model.questions.iter().enumerate() {
            names.add(field_name(&question.id), Field::Question(q));
            names.add(Cow::Borrowed(question.id.as_str()), Field::Question(q));
            let written = form_text(question.text.trim());
            names.add(Cow::Owned(plain(&written).into_owned()), Field::Question(q));
            names.add(written, Field::Question(q));
            names.add(plain(question.text.trim()), Field::Question(q));
            names.add(Cow::Borrowed(question.text.trim()), Field::Question(q));
        }
        names
    }

    /// Adds `name` for `field`; a name two fields share points at neither.
    fn add(&mut self, name: Cow<'m, str>, field: Field) {
        if name.is_empty() {
            return;
        }
        let lower = name.to_ascii_lowercase();
        for slot in [
            self.exact.entry(name).or_insert(Some(field)),
            self.lower.entry(lower).or_insert(Some(field)),
        ] {
            if *slot != Some(field) {
                *slot = None;
            }
        }
    }

    /// The field `header` names: its longest suffix after a separator that is a name
    /// or label (exact, else ignoring ASCII case), and whether it was the whole header.
    /// `Err(())`: a name two fields share.
    fn find(&self, header: &str) -> Option<(Result<Field, ()>, bool)> {
        for start in suffix_starts(header) {
            let suffix = &header[start..];
            let hit = self
                .exact
                .get(suffix)
                .or_else(|| self.lower.get(&suffix.to_ascii_lowercase()));
            if let Some(hit) = hit {
                return Some((hit.ok_or(()), start == 0));
            }
        }
        None
    }
}

/// The answers a cell may hold besides `0`..S, `dk` and `na`: the form's choice
/// labels (KoboToolbox's *Labels* export), as the form writes them and as the model
/// has them; exact, and ignoring case.
struct AnswerLabels {
    exact: HashMap<String, Option<Answer>>,
    lower: HashMap<String, Option<Answer>>,
}

impl AnswerLabels {
    fn new(model: &Model) -> AnswerLabels {
        let mut labels = AnswerLabels {
            exact: HashMap::new(),
            lower: HashMap::new(),
        };
        for v in 0..=model.scale.max {
            let label = model
                .scale
                .labels
                .get(usize::from(v))
                .map(String::as_str)
                .unwrap_or("");
            labels.add(&scale_choice_label(model, v), Answer::Scale(v));
            labels.add(&format!("{v} — {label}"), Answer::Scale(v));
            labels.add(label, Answer::Scale(v));
        }
        for (label, answer) in [
            (&model.scale.dont_know, Answer::DontKnow),
            (&model.scale.not_applicable, Answer::NotApplicable),
        ] {
            labels.add(&form_text(label), answer);
            labels.add(label, answer);
        }
        labels
    }

    /// Adds `label` (and its [`plain`] form) for `answer`; a label two answers share
    /// means neither.
    fn add(&mut self, label: &str, answer: Answer) {
        let label = label.trim();
        if label.is_empty() {
            return;
        }
        for label in [label, &plain(label)] {
            for slot in [
                self.exact.entry(label.to_string()).or_insert(Some(answer)),
                self.lower
                    .entry(label.to_lowercase())
                    .or_insert(Some(answer)),
            ] {
                if *slot != Some(answer) {
                    *slot = None;
                }
            }
        }
    }

    /// An answer cell (trimmed, non-empty): the choice names and exact labels first,
    /// without allocating.
    fn answer(&self, cell: &str) -> Option<Answer> {
        match cell.as_bytes() {
            [d @ b'0'..=b'9'] => return Some(Answer::Scale(d - b'0')),
            [a, b] if a.eq_ignore_ascii_case(&b'd') && b.eq_ignore_ascii_case(&b'k') => {
                return Some(Answer::DontKnow);
            }
            [a, b] if a.eq_ignore_ascii_case(&b'n') && b.eq_ignore_ascii_case(&b'a') => {
                return Some(Answer::NotApplicable);
            }
            _ => {}
        }
        if let Some(hit) = self.exact.get(cell) {
            return *hit;
        }
        cell.parse()
            .ok()
            .or_else(|| self.lower.get(&cell.to_lowercase()).copied().flatten())
    }
}

/// A role cell: the group's id or name (any case), or its name as the form wrote it.
fn role_of(model: &Model, cell: &str) -> Option<usize> {
    model.role_group_index(cell).or_else(|| {
        model.role_groups.iter().position(|g| {
            let written = form_text(&g.name);
            written.eq_ignore_ascii_case(cell) || plain(&written).eq_ignore_ascii_case(cell)
        })
    })
}

/// An instance id as it is kept: trimmed, `uuid:` off, lowercase.
fn normalise_key(raw: &str) -> String {
    let t = raw.trim();
    let t = match t.get(..5) {
        Some(p) if p.eq_ignore_ascii_case("uuid:") => &t[5..],
        _ => t,
    };
    t.trim().to_lowercase()
}

/// The name of an anonymous submission with key `key`.
fn anonymous_name(key: &str) -> String {
    let mut name = String::with_capacity(ANONYMOUS_PREFIX.len() + 12);
    name.push_str(ANONYMOUS_PREFIX);
    name.extend(key.chars().filter(|&c| c != '-').take(12));
    name
}

/// Longest instance id accepted, in characters.
const MAX_KEY_CHARS: usize = 200;

/// The columns [`parse`] reads, by index.
struct Layout {
    names: Vec<String>,
    role: Option<usize>,
    department: Option<usize>,
    code: Option<usize>,
    form: usize,
    /// Instance id columns, by preference.
    keys: Vec<usize>,
    review: Option<usize>,
    validation: Option<usize>,
    status: Option<usize>,
    /// (column, question index), in file order.
    questions: Vec<(usize, usize)>,
    ignored: Vec<String>,
}

/// Matches the header to the form; header problems go to `issues`. `Err`: the file is
/// not an export of a CX Maturity form at all.
fn layout(
    model: &Model,
    header: &csv::ByteRecord,
    header_line: u64,
    issues: &mut Issues,
) -> Result<Layout, CsvError> {
    let names: Vec<String> = header.iter().map(header_name).collect();
    let lookup = Names::new(model);
    // Field → (column, whole header?) of the column that holds it.
    let mut fields: HashMap<Field, (usize, bool)> = HashMap::new();
    let mut keys: Vec<(u8, usize)> = Vec::new();
    let (mut review, mut validation, mut status) = (None, None, None);
    let mut ignored_cols: Vec<usize> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let shown_name = shown(name);
        if let Some(meta) = meta_of(name) {
            match meta {
                Meta::Key(rank) => keys.push((rank, i)),
                Meta::ReviewState => review = review.or(Some(i)),
                Meta::Validation => validation = validation.or(Some(i)),
                Meta::Status => status = status.or(Some(i)),
            }
            continue;
        }
        match lookup.find(name) {
            None => ignored_cols.push(i),
            Some((Err(()), _)) => issues.push(
                header_line,
                Some((i + 1, &shown_name)),
                format!(
                    "column `{shown_name}` could name more than one question of the form: export with XML values and headers"
                ),
            ),
            Some((Ok(Field::Intro), _)) => ignored_cols.push(i),
            Some((Ok(field), whole)) => match fields.entry(field) {
                Entry::Vacant(v) => {
                    v.insert((i, whole));
                }
                Entry::Occupied(mut o) => {
                    let (first, first_whole) = *o.get();
                    if whole && !first_whole {
                        // The column named exactly wins over one whose name ends with it.
                        ignored_cols.push(first);
                        o.insert((i, whole));
                    } else if first_whole && !whole {
                        ignored_cols.push(i);
                    } else {
                        issues.push(
                            header_line,
                            Some((i + 1, &shown_name)),
                            format!(
                                "two columns hold `{}` (columns {} and {})",
                                field.name(model),
                                first + 1,
                                i + 1
                            ),
                        );
                    }
                }
            },
        }
    }
    let Some(&(form, _)) = fields.get(&Field::Form) else {
        return Err(refuse(
            header_line,
            None,
            format!(
                "this is not an export of a CX Maturity survey form: no {FORM_FIELD} column (export the form with `cxm export ROUND --format xlsform`, collect with ODK Central or KoboToolbox, and import their CSV export)"
            ),
        ));
    };
    if keys.is_empty() {
        issues.push(
            header_line,
            None,
            "no instance id column: expected KEY or meta-instanceID (ODK Central), _uuid or meta/instanceID (KoboToolbox)",
        );
    }
    keys.sort();
    for (field, what) in [
        (Field::Role, ROLE_FIELD),
        (Field::Department, DEPARTMENT_FIELD),
        (Field::Code, CODE_FIELD),
    ] {
        if !fields.contains_key(&field) {
            issues.push(
                header_line,
                None,
                format!(
                    "missing column `{what}`: export every field of the form (and nothing of it left out)"
                ),
            );
        }
    }
    let missing: Vec<&str> = model
        .questions
        .iter()
        .enumerate()
        .filter(|(q, _)| !fields.contains_key(&Field::Question(*q)))
        .map(|(_, question)| question.id.as_str())
        .collect();
    if !missing.is_empty() {
        const SHOWN: usize = 5;
        let mut list = missing[..missing.len().min(SHOWN)].join(", ");
        if missing.len() > SHOWN {
            list.push_str(&format!(" and {} more", missing.len() - SHOWN));
        }
        issues.push(
            header_line,
            None,
            format!(
                "the export has no column for {} question{} of model {}: {list} (export every field of the form)",
                missing.len(),
                if missing.len() == 1 { "" } else { "s" },
                model.key()
            ),
        );
    }
    let mut questions: Vec<(usize, usize)> = fields
        .iter()
        .filter_map(|(f, &(c, _))| match f {
            Field::Question(q) => Some((c, *q)),
            _ => None,
        })
        .collect();
    questions.sort_unstable();
    ignored_cols.sort_unstable();
    let ignored = ignored_cols.iter().map(|&c| names[c].clone()).collect();
    Ok(Layout {
        role: fields.get(&Field::Role).map(|f| f.0),
        department: fields.get(&Field::Department).map(|f| f.0),
        code: fields.get(&Field::Code).map(|f| f.0),
        form,
        keys: keys.into_iter().map(|(_, c)| c).collect(),
        review,
        validation,
        status,
        questions,
        ignored,
        names: names.iter().map(|n| shown(n)).collect(),
    })
}

/// Parses an export of the form `cxm_api::xlsform` writes for `model`. All or nothing:
/// any problem rejects the whole file, with every problem found.
pub fn parse(model: &Model, data: &[u8]) -> Result<ParsedSurvey, CsvError> {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    if data.starts_with(b"PK\x03\x04") {
        return Err(refuse(
            1,
            None,
            "this is a ZIP file (ODK Central's export, or an Excel workbook), not a CSV: unzip ODK Central's export and import the .csv inside, or download CSV from KoboToolbox",
        ));
    }
    let delimiter = detect_delimiter(data);
    let mut reader = reader(data, delimiter);
    let mut lines = Lines::new(data);
    let mut header = csv::ByteRecord::new();
    match reader.read_byte_record(&mut header) {
        Ok(true) => {}
        Ok(false) => {
            return Err(refuse(
                1,
                None,
                "the file is empty: expected the CSV export of a CX Maturity survey form from ODK Central or KoboToolbox",
            ));
        }
        Err(e) => return Err(refuse(1, None, format!("cannot read the header: {e}"))),
    }
    let header_line = header
        .position()
        .map(|p| lines.line_at(p.byte()))
        .unwrap_or(1);
    let mut issues = Issues(Vec::new(), false);
    let layout = layout(model, &header, header_line, &mut issues)?;
    let header_names: Vec<String> = header.iter().map(header_name).collect();
    let flavour = match flavour_of(&header_names, delimiter).0 {
        Some(f) => f,
        None if delimiter == b';' => Flavour::KoboToolbox,
        None => Flavour::OdkCentral,
    };

    let names = &layout.names;
    let expected_form = model.key();
    let labels = AnswerLabels::new(model);
    let mut rows: Vec<ParsedRow> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    let mut left_out: Vec<LeftOut> = Vec::new();
    // Normalised key → the line that first had it; folded name → line.
    let mut seen_keys: HashMap<String, u64> = HashMap::new();
    let mut seen_names: HashMap<String, u64> = HashMap::new();
    let mut answers: Vec<(usize, Answer)> = Vec::with_capacity(layout.questions.len());
    let mut record = csv::ByteRecord::new();
    let mut first_row = true;
    while let Some(line) = next_record(&mut reader, &mut record, &mut lines, &mut issues) {
        let was_first = std::mem::replace(&mut first_row, false);
        if record.len() > names.len() {
            issues.push(
                line,
                Some((names.len() + 1, "")),
                format!(
                    "{} cells but the header has {} columns",
                    record.len(),
                    names.len()
                ),
            );
            continue;
        }
        let ok = std::cell::Cell::new(true);
        // A cell's text, trimmed; `None` (a problem) when it is not UTF-8. A row cut
        // short reads as empty cells.
        let cell = |i: usize, issues: &mut Issues| -> Option<&str> {
            match record.get(i).map(std::str::from_utf8) {
                None => Some(""),
                Some(Ok(s)) => Some(s.trim()),
                Some(Err(_)) => {
                    issues.push(line, Some((i + 1, &names[i])), "not valid UTF-8 text");
                    ok.set(false);
                    None
                }
            }
        };
        // KoboToolbox writes a second header row of HXL tags (`#loc+name`) when the
        // form has any; this form has none, but a copy someone tagged may.
        if was_first
            && (0..record.len()).all(|i| {
                record
                    .get(i)
                    .is_some_and(|c| c.is_empty() || c.starts_with(b"#"))
            })
        {
            continue;
        }

        // The instance id: the first non-empty id column, by preference.
        let key_cell = layout.keys.iter().find_map(|&c| {
            cell(c, &mut issues)
                .filter(|s| !s.is_empty())
                .map(|s| (c, s))
        });
        let key = match key_cell {
            None => {
                if !layout.keys.is_empty() {
                    let c = layout.keys[0];
                    issues.push(
                        line,
                        Some((c + 1, &names[c])),
                        "the submission has no instance id",
                    );
                }
                None
            }
            Some((c, raw)) => {
                let key = normalise_key(raw);
                match text::clean_name(&key, "instance id", MAX_KEY_CHARS) {
                    Err(why) => {
                        issues.push(line, Some((c + 1, &names[c])), why);
                        None
                    }
                    Ok(key) => match seen_keys.entry(key) {
                        Entry::Occupied(first) => {
                            // The same submission again: nothing else of the row is
                            // worth a message.
                            issues.push(
                                line,
                                Some((c + 1, &names[c])),
                                format!(
                                    "submission `{}` appears twice (also line {})",
                                    shown(first.key()),
                                    first.get()
                                ),
                            );
                            continue;
                        }
                        Entry::Vacant(v) => {
                            let key = v.key().clone();
                            v.insert(line);
                            Some(key)
                        }
                    },
                }
            }
        };

        // Left out by a reviewer in the tool: reported, not read further.
        let review = |c: Option<usize>, issues: &mut Issues| c.and_then(|c| cell(c, issues));
        let left = if review(layout.review, &mut issues)
            .is_some_and(|s| s.eq_ignore_ascii_case("rejected"))
        {
            Some(LeftOutReason::RejectedInOdkCentral)
        } else if review(layout.validation, &mut issues).is_some_and(|s| {
            s.eq_ignore_ascii_case("validation_status_not_approved")
                || s.eq_ignore_ascii_case("not approved")
        }) {
            Some(LeftOutReason::NotApprovedInKobo)
        } else {
            None
        };
        if let Some(reason) = left {
            if let Some(key) = key {
                left_out.push(LeftOut { line, key, reason });
            }
            continue;
        }

        if let Some(c) = layout.status
            && let Some(s) = cell(c, &mut issues)
            && !s.is_empty()
        {
            issues.push(
                line,
                Some((c + 1, &names[c])),
                format!(
                    "ODK Central could not read this submission ({}): for an encrypted form, export with the form's passphrase",
                    shown(s)
                ),
            );
            ok.set(false);
        }

        match cell(layout.form, &mut issues) {
            None => {}
            Some(f) if f == expected_form => {}
            Some("") => {
                issues.push(
                    line,
                    Some((layout.form + 1, &names[layout.form])),
                    format!(
                        "the {FORM_FIELD} cell is empty: this submission was not made with the CX Maturity form"
                    ),
                );
                ok.set(false);
            }
            Some(other) => {
                let message = format!(
                    "this export is of the form for model {}, the round uses {expected_form}: export the form again from this round",
                    shown(other)
                );
                if was_first {
                    return Err(refuse(
                        line,
                        Some((layout.form + 1, &names[layout.form])),
                        message,
                    ));
                }
                issues.push(line, Some((layout.form + 1, &names[layout.form])), message);
                ok.set(false);
            }
        }

        let role_group = match layout.role.map(|c| (c, cell(c, &mut issues))) {
            None | Some((_, None)) => None,
            Some((c, Some(role))) => match role_of(model, role) {
                Some(g) => Some(g),
                None => {
                    let known: Vec<&str> =
                        model.role_groups.iter().map(|g| g.id.as_str()).collect();
                    issues.push(
                        line,
                        Some((c + 1, &names[c])),
                        if role.is_empty() {
                            format!("the role is empty (one of: {})", known.join(", "))
                        } else {
                            format!(
                                "unknown role `{}` (one of: {})",
                                shown(role),
                                known.join(", ")
                            )
                        },
                    );
                    None
                }
            },
        };

        let department = match layout.department.map(|c| (c, cell(c, &mut issues))) {
            None | Some((_, None)) => None,
            Some((_, Some(""))) => None,
            Some((c, Some(raw))) => {
                match text::clean_name(
                    from_spreadsheet_safe(raw),
                    "department",
                    text::MAX_NAME_CHARS,
                ) {
                    Ok(d) => Some(d),
                    Err(why) => {
                        issues.push(line, Some((c + 1, &names[c])), why);
                        ok.set(false);
                        None
                    }
                }
            }
        };

        answers.clear();
        for &(i, q) in &layout.questions {
            let Some(text) = cell(i, &mut issues) else {
                continue;
            };
            if text.is_empty() {
                continue;
            }
            match labels.answer(text) {
                Some(a) if a.fits(model) => {
                    if let Some(g) = role_group
                        && !model.asks(q, g)
                    {
                        issues.push(
                            line,
                            Some((i + 1, &names[i])),
                            format!(
                                "answered, but the form does not ask this of {} (was the form changed?)",
                                model.role_groups[g].name
                            ),
                        );
                        ok.set(false);
                    } else {
                        answers.push((q, a));
                    }
                }
                _ => {
                    issues.push(
                        line,
                        Some((i + 1, &names[i])),
                        format!(
                            "`{}` is not an answer: expected 0 to {}, dk (don't know), na (not applicable), their labels, or empty",
                            shown(text),
                            model.scale.max
                        ),
                    );
                    ok.set(false);
                }
            }
        }

        // The respondent: the code, or a name made from the key.
        let name = match layout.code.map(|c| (c, cell(c, &mut issues))) {
            Some((_, None)) => None,
            Some((c, Some(code))) if !code.is_empty() => {
                match text::clean_name(
                    from_spreadsheet_safe(code),
                    "respondent code",
                    text::MAX_NAME_CHARS,
                ) {
                    Ok(name) => Some((Some(c), name)),
                    Err(why) => {
                        issues.push(line, Some((c + 1, &names[c])), why);
                        None
                    }
                }
            }
            _ => key.as_deref().map(|k| (None, anonymous_name(k))),
        };
        let name = name.and_then(|(c, name)| match seen_names.entry(text::fold(&name)) {
            Entry::Occupied(first) => {
                let column = c.or(layout.keys.first().copied());
                issues.push(
                    line,
                    column.map(|c| (c + 1, names[c].as_str())),
                    format!(
                        "respondent `{}` is named twice (also line {})",
                        shown(&name),
                        first.get()
                    ),
                );
                None
            }
            Entry::Vacant(v) => {
                v.insert(line);
                Some(name)
            }
        });

        if let (true, Some(key), Some(respondent), Some(role_group)) =
            (ok.get(), key, name, role_group)
        {
            rows.push(ParsedRow {
                line,
                respondent,
                role_group,
                department,
                answers: answers.clone(),
            });
            keys.push(key);
        }
    }
    if issues.0.is_empty() && rows.is_empty() && left_out.is_empty() {
        issues.push(
            header_line,
            None,
            "the file has a header but no submissions",
        );
    }
    if !issues.0.is_empty() {
        return Err(issues.into_error());
    }
    Ok(ParsedSurvey {
        flavour,
        responses: ParsedResponses {
            columns: layout.questions.iter().map(|&(_, q)| q).collect(),
            rows,
        },
        keys,
        left_out,
        ignored_columns: layout.ignored,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_start_after_separators_longest_first() {
        let starts: Vec<&str> = {
            let h = "strategy-STR-1.1";
            suffix_starts(h).map(|s| &h[s..]).collect()
        };
        assert_eq!(starts, ["strategy-STR-1.1", "STR-1.1", "1.1", "1"]);
        let h = "a/b c_d/";
        let starts: Vec<&str> = suffix_starts(h).map(|s| &h[s..]).collect();
        assert_eq!(starts, ["a/b c_d/", "b c_d/", "c_d/"]);
    }

    #[test]
    fn the_delimiter_is_counted_outside_quotes() {
        assert_eq!(detect_delimiter(b"\"a, b, c\";\"d\"\n1;2"), b';');
        assert_eq!(detect_delimiter(b"a,b;c,d\n"), b',');
        assert_eq!(detect_delimiter(b"a\tb\tc\n"), b'\t');
        assert_eq!(detect_delimiter(b"\"x\ny,z\";\"w\"\n"), b';');
    }

    #[test]
    fn keys_are_normalised() {
        assert_eq!(
            normalise_key(" uuid:0A1B861F-a5fd-4f49-846a-78dcf06cfc1b "),
            "0a1b861f-a5fd-4f49-846a-78dcf06cfc1b"
        );
        assert_eq!(normalise_key("UUID:abc"), "abc");
        assert_eq!(normalise_key("90dd7750f83011e5"), "90dd7750f83011e5");
        assert_eq!(
            anonymous_name("0a1b861f-a5fd-4f49-846a-78dcf06cfc1b"),
            "Respondent 0a1b861fa5fd"
        );
    }

    #[test]
    fn form_text_neutralises_markdown_and_references() {
        assert_eq!(form_text("a_b \\ c"), "a\\_b \\\\ c");
        assert_eq!(form_text("x\n  # heading"), "x\n  \\# heading");
        assert_eq!(form_text("item #3"), "item #3");
        assert_eq!(
            form_text("<b>bold</b> a < b"),
            "<\u{2060}b>bold<\u{2060}/b> a < b"
        );
        assert_eq!(form_text("$5 and ${x}"), "$5 and $\u{2060}{x}");
    }

    #[test]
    fn plain_straightens_quotes_and_spaces() {
        assert_eq!(
            plain("the sponsor’s “own” goals"),
            "the sponsor's \"own\" goals"
        );
        assert_eq!(plain(" a\n b  c "), "a b c");
        assert!(matches!(plain("As it is."), Cow::Borrowed(_)));
    }

    #[test]
    fn field_names_are_valid_xml_names() {
        assert_eq!(field_name("STR-1.1"), "STR-1.1");
        assert_eq!(field_name("1.1"), "_1.1");
        assert_eq!(field_name("voice-of-customer"), "voice-of-customer");
        assert_eq!(field_name("4block"), "_4block");
    }
}
