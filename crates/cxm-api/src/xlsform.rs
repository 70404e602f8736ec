//! A round's model as an XLSForm, for ODK Central and KoboToolbox
//! (`cxm export ROUND --format xlsform`, *Export survey form (XLSForm)…*).
//!
//! [`xlsform`] writes a standard XLSForm workbook in memory (sheets `survey`,
//! `choices`, `settings`): a note that opens the survey (the round, the scale and what
//! each value means), the role group (required), the department and a respondent code
//! (both optional), a `calculate` field `cxm_form` holding the model's key (the import
//! refuses an export of any other form with it), then a group per building block with
//! one `select_one scale` per question: the statement as label, the evidence guidance
//! as hint, required (*Don't know* and *Not applicable* are choices), and the
//! question's audience as a `relevant` condition on the role group. No `field-list`
//! appearance: one question per screen reads best on a phone.
//!
//! The names, labels and choices come from [`cxm_domain::survey_csv`], which reads the
//! tools' CSV exports of this form back; texts pass through
//! [`survey_csv::form_text`] so that Markdown and `${…}` in a statement stay text.
//! `docs/survey-forms.md` documents the form and the exports.
//!
//! The workbook is a function of the model and the round: two exports of the same
//! round give the same bytes (the file carries a fixed creation date), and its
//! `version` (the model version and a hash of the form's content) changes only when
//! the form does, so re-uploading an unchanged form to ODK Central is the same form.

use std::collections::HashMap;
use std::fmt;

use cxm_domain::Model;
use cxm_domain::model::Audience;
use cxm_domain::survey_csv::{
    self, CODE_FIELD, CODE_HINT, CODE_LABEL, DEPARTMENT_FIELD, DEPARTMENT_LABEL, DONT_KNOW_CHOICE,
    FORM_FIELD, INTRO_FIELD, KOBO_COLUMNS, NOT_APPLICABLE_CHOICE, ODK_CENTRAL_COLUMNS, ROLE_FIELD,
    ROLE_LABEL, ROLE_LIST, SCALE_LIST, field_name, form_text,
};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

/// The round a form is made for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormRound {
    /// The round's id: part of the form id.
    pub round_id: i64,
    /// The round's title: the form's title and its opening note.
    pub round_title: String,
    /// The organisation's name, after the title.
    pub organisation: String,
}

/// Why no form was written.
#[derive(Debug)]
pub enum XlsFormError {
    /// Two fields of the form would have the same name, or a field the name of a
    /// column ODK Central or KoboToolbox adds to its exports (the import could not
    /// tell them apart).
    NameClash {
        /// The name.
        name: String,
        /// What has it first (`question STR-1.1`, `block strategy`, `the role field`).
        first: String,
        /// What has it too.
        second: String,
    },
    /// The workbook could not be written (a text over Excel's 32,767 characters).
    Xlsx(XlsxError),
}

impl fmt::Display for XlsFormError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            XlsFormError::NameClash {
                name,
                first,
                second,
            } => write!(
                f,
                "the survey form cannot give {first} and {second} the same name `{name}`: change the id in the model"
            ),
            XlsFormError::Xlsx(e) => write!(f, "cannot write the survey form: {e}"),
        }
    }
}

impl std::error::Error for XlsFormError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            XlsFormError::Xlsx(e) => Some(e),
            XlsFormError::NameClash { .. } => None,
        }
    }
}

impl From<XlsxError> for XlsFormError {
    fn from(e: XlsxError) -> XlsFormError {
        XlsFormError::Xlsx(e)
    }
}

/// The `form_id` of the form for `model` in round `round_id`: letters, digits and `_`
/// only, naming the model, its version and the round (`cxm_cx_maturity_v2_r12`).
pub fn form_id(model: &Model, round_id: i64) -> String {
    let model_id: String = model
        .id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let round = if round_id < 0 {
        format!("n{}", round_id.unsigned_abs())
    } else {
        round_id.to_string()
    };
    format!("cxm_{model_id}_v{}_r{round}", model.version)
}

/// The columns of the `survey` sheet, with their widths.
const SURVEY_COLUMNS: [(&str, f64); 8] = [
    ("type", 18.0),
    ("name", 16.0),
    ("label", 70.0),
    ("hint", 70.0),
    ("required", 10.0),
    ("required_message", 36.0),
    ("relevant", 48.0),
    ("calculation", 20.0),
];
const CHOICES_COLUMNS: [(&str, f64); 3] = [("list_name", 12.0), ("name", 14.0), ("label", 40.0)];
/// `clean_text_values: no` keeps line breaks and runs of spaces in labels and hints
/// (pyxform collapses them by default); pyxform still writes straight quotes for curly
/// ones.
const SETTINGS_COLUMNS: [(&str, f64); 4] = [
    ("form_title", 50.0),
    ("form_id", 30.0),
    ("version", 14.0),
    ("clean_text_values", 18.0),
];

/// One row of the `survey` sheet, in [`SURVEY_COLUMNS`] order.
#[derive(Default)]
struct SurveyRow {
    kind: String,
    name: String,
    label: String,
    hint: String,
    required: &'static str,
    required_message: String,
    relevant: String,
    calculation: String,
}

impl SurveyRow {
    fn cells(&self) -> [&str; 8] {
        [
            &self.kind,
            &self.name,
            &self.label,
            &self.hint,
            self.required,
            &self.required_message,
            &self.relevant,
            &self.calculation,
        ]
    }
}

/// The form's names, checked: each once, none a column the tools add.
struct Names {
    seen: HashMap<String, String>,
}

impl Names {
    fn claim(&mut self, name: &str, what: String) -> Result<(), XlsFormError> {
        let meta = ODK_CENTRAL_COLUMNS
            .iter()
            .chain(KOBO_COLUMNS.iter())
            .chain(["meta"].iter())
            .find(|m| m.eq_ignore_ascii_case(name));
        if let Some(meta) = meta {
            return Err(XlsFormError::NameClash {
                name: name.to_string(),
                first: format!("the column {meta} that ODK Central or KoboToolbox adds to exports"),
                second: what,
            });
        }
        if let Some(first) = self.seen.insert(name.to_string(), what.clone()) {
            return Err(XlsFormError::NameClash {
                name: name.to_string(),
                first,
                second: what,
            });
        }
        Ok(())
    }
}

/// The opening note: the round, the organisation and how the scale works.
fn intro_label(model: &Model, round: &FormRound) -> String {
    let scale = &model.scale;
    let mut lines = vec![
        form_text(&format!("{} — {}", round.round_title, round.organisation)).into_owned(),
        String::new(),
        form_text(&format!(
            "{}: answer each statement for your organisation as it is today, on this scale:",
            model.title
        ))
        .into_owned(),
    ];
    for v in 0..=scale.max {
        let label = survey_csv::scale_choice_label(model, v);
        match scale.definitions.get(usize::from(v)) {
            Some(d) if !d.is_empty() => lines.push(format!("{label}: {}", form_text(d))),
            _ => lines.push(label),
        }
    }
    for (label, rule) in [
        (&scale.dont_know, &scale.dont_know_rule),
        (&scale.not_applicable, &scale.not_applicable_rule),
    ] {
        if rule.is_empty() {
            lines.push(form_text(label).into_owned());
        } else {
            lines.push(format!("{}: {}", form_text(label), form_text(rule)));
        }
    }
    lines.join("\n")
}

/// The `relevant` condition of a question asked of `audience`: `None` when every role
/// group is asked.
fn relevant(model: &Model, audience: &Audience) -> Option<String> {
    match audience {
        Audience::All => None,
        Audience::Groups(groups) if (0..model.role_groups.len()).all(|g| groups.contains(&g)) => {
            None
        }
        Audience::Groups(groups) if groups.is_empty() => Some("false()".to_string()),
        Audience::Groups(groups) => Some(
            groups
                .iter()
                .map(|&g| format!("selected(${{{ROLE_FIELD}}}, '{}')", model.role_groups[g].id))
                .collect::<Vec<_>>()
                .join(" or "),
        ),
    }
}

/// The `survey` sheet's rows.
fn survey_rows(model: &Model, round: &FormRound) -> Result<Vec<SurveyRow>, XlsFormError> {
    let mut names = Names {
        seen: HashMap::new(),
    };
    let required_message = form_text(&format!(
        "Choose an answer: {} and {} are answers too.",
        model.scale.dont_know, model.scale.not_applicable
    ))
    .into_owned();
    let role_hint = model
        .role_groups
        .iter()
        .map(|g| {
            if g.description.is_empty() {
                form_text(&g.name).into_owned()
            } else {
                format!("{}: {}", form_text(&g.name), form_text(&g.description))
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut rows = vec![
        SurveyRow {
            kind: "note".into(),
            name: INTRO_FIELD.into(),
            label: intro_label(model, round),
            ..SurveyRow::default()
        },
        SurveyRow {
            kind: format!("select_one {ROLE_LIST}"),
            name: ROLE_FIELD.into(),
            label: ROLE_LABEL.into(),
            hint: role_hint,
            required: "yes",
            required_message: "Choose your role group.".into(),
            ..SurveyRow::default()
        },
        SurveyRow {
            kind: "text".into(),
            name: DEPARTMENT_FIELD.into(),
            label: DEPARTMENT_LABEL.into(),
            hint: "Optional.".into(),
            ..SurveyRow::default()
        },
        SurveyRow {
            kind: "text".into(),
            name: CODE_FIELD.into(),
            label: CODE_LABEL.into(),
            hint: CODE_HINT.into(),
            ..SurveyRow::default()
        },
        SurveyRow {
            kind: "calculate".into(),
            name: FORM_FIELD.into(),
            calculation: format!("'{}'", model.key()),
            ..SurveyRow::default()
        },
    ];
    for row in &rows {
        names.claim(&row.name, format!("the {} field", row.name))?;
    }
    for (b, block) in model.blocks.iter().enumerate() {
        let questions: Vec<_> = model.questions.iter().filter(|q| q.block == b).collect();
        if questions.is_empty() {
            continue;
        }
        let group = field_name(&block.id).into_owned();
        names.claim(&group, format!("block {}", block.id))?;
        rows.push(SurveyRow {
            kind: "begin_group".into(),
            name: group,
            label: form_text(&block.name).into_owned(),
            ..SurveyRow::default()
        });
        for q in questions {
            let name = field_name(&q.id).into_owned();
            names.claim(&name, format!("question {}", q.id))?;
            rows.push(SurveyRow {
                kind: format!("select_one {SCALE_LIST}"),
                name,
                label: form_text(&q.text).into_owned(),
                hint: form_text(&q.guidance).into_owned(),
                required: "yes",
                required_message: required_message.clone(),
                relevant: relevant(model, &q.audience).unwrap_or_default(),
                ..SurveyRow::default()
            });
        }
        rows.push(SurveyRow {
            kind: "end_group".into(),
            ..SurveyRow::default()
        });
    }
    Ok(rows)
}

/// The `choices` sheet's rows: the scale, then the role groups.
fn choice_rows(model: &Model) -> Vec<[String; 3]> {
    let mut rows: Vec<[String; 3]> = (0..=model.scale.max)
        .map(|v| {
            [
                SCALE_LIST.to_string(),
                v.to_string(),
                survey_csv::scale_choice_label(model, v),
            ]
        })
        .collect();
    for (name, label) in [
        (DONT_KNOW_CHOICE, &model.scale.dont_know),
        (NOT_APPLICABLE_CHOICE, &model.scale.not_applicable),
    ] {
        rows.push([
            SCALE_LIST.to_string(),
            name.to_string(),
            form_text(label).into_owned(),
        ]);
    }
    for g in &model.role_groups {
        rows.push([
            ROLE_LIST.to_string(),
            g.id.clone(),
            form_text(&g.name).into_owned(),
        ]);
    }
    rows
}

/// 64-bit FNV-1a, for the form's version: stable across runs and platforms.
struct Fnv(u64);

impl Fnv {
    fn add(&mut self, text: &str) {
        for &b in text.as_bytes().iter().chain(&[0u8]) {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

/// A sheet named `name` with a bold, frozen header row of `columns`.
fn sheet<'w>(
    workbook: &'w mut Workbook,
    name: &str,
    columns: &[(&str, f64)],
    bold: &Format,
) -> Result<&'w mut Worksheet, XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(name)?;
    for (c, (header, width)) in (0u16..).zip(columns) {
        sheet.write_string_with_format(0, c, *header, bold)?;
        sheet.set_column_width(c, *width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(sheet)
}

/// The XLSForm workbook (`.xlsx` bytes) of `model` for `round`.
pub fn xlsform(model: &Model, round: &FormRound) -> Result<Vec<u8>, XlsFormError> {
    let survey = survey_rows(model, round)?;
    let choices = choice_rows(model);
    let title = format!("{} — {}", round.round_title, round.organisation);
    let id = form_id(model, round.round_id);
    let mut hash = Fnv(0xcbf2_9ce4_8422_2325);
    for row in &survey {
        for cell in row.cells() {
            hash.add(cell);
        }
    }
    for cell in choices.iter().flatten() {
        hash.add(cell);
    }
    hash.add(&title);
    hash.add(&id);
    let version = format!(
        "{}-{:08x}",
        model.version,
        (hash.0 >> 32) ^ (hash.0 & 0xffff_ffff)
    );

    let mut workbook = Workbook::new();
    let properties = DocProperties::new()
        .set_title(&title)
        .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?);
    workbook.set_properties(&properties);
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();

    let sheet_survey = sheet(&mut workbook, "survey", &SURVEY_COLUMNS, &bold)?;
    for (r, row) in (1u32..).zip(&survey) {
        for (c, cell) in (0u16..).zip(row.cells()) {
            if cell.is_empty() {
                continue;
            }
            if matches!(c, 2 | 3) {
                sheet_survey.write_string_with_format(r, c, cell, &wrap)?;
            } else {
                sheet_survey.write_string(r, c, cell)?;
            }
        }
    }
    let sheet_choices = sheet(&mut workbook, "choices", &CHOICES_COLUMNS, &bold)?;
    for (r, row) in (1u32..).zip(&choices) {
        for (c, cell) in (0u16..).zip(row) {
            sheet_choices.write_string(r, c, cell)?;
        }
    }
    let sheet_settings = sheet(&mut workbook, "settings", &SETTINGS_COLUMNS, &bold)?;
    for (c, cell) in (0u16..).zip([title.as_str(), &id, &version, "no"]) {
        sheet_settings.write_string(1, c, cell)?;
    }
    Ok(workbook.save_to_buffer()?)
}
