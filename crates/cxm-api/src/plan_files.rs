//! The plan as files a client's PMO edits (issue 15): a formatted workbook
//! ([`plan_xlsx`]) and a CSV ([`plan_csv`]), and the updates read back from either
//! ([`read_plan_updates`]). Pure functions over bytes: which items to write, which ids
//! exist and what to do with an update is the caller's.
//!
//! The workbook has two sheets. **Plan** (first, active): one row per item under a
//! header row, columns [`COLUMNS`]. Grey columns (Item id, Block, Question, Title,
//! Planned from) come from the app and are locked; white ones (Owner, Due, Effort,
//! Status, Notes) are the PMO's, unlocked, with drop-down lists for Status and Effort
//! and an input hint for Due on every item row and [`SPARE_ROWS`] rows below. The sheet
//! is protected without a password (so that a locked cell is not changed by accident;
//! *Review → Unprotect Sheet* lifts it), with filtering, sorting and column widths
//! still allowed; the header row and the Item id column are frozen. **Read me** says
//! how to fill it in. The organisation's name is in the title of both sheets' print
//! headers, the Read me sheet and the file's properties.
//!
//! Formula safety (the project's rule: exports are safe to open): every value is
//! written as a text cell, never a formula, and a text that a spreadsheet would run as
//! one when edited (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return — the
//! rule of [`spreadsheet_safe`]) also gets Excel's *quote prefix*, the cell-format form
//! of the leading apostrophe: the cell shows the text as it is and stays text when
//! someone edits it. The CSV puts a real `'` in front ([`spreadsheet_safe`]) and the
//! reader takes it off ([`from_spreadsheet_safe`]).
//!
//! Reading back (xlsx, and also ods and xls, which calamine reads, or a UTF-8 CSV with
//! the same header): the columns are found by their header names (in any order; the
//! grey ones are not read), every problem is collected with its cell, and the updates
//! come in row order with their row numbers. A row with no item id but something typed
//! in it is a problem, not silently dropped: new items are added in the app. Cells a
//! spreadsheet holds as numbers, dates, booleans, errors or formulas where text is
//! expected are problems; a real date cell in Due is a date.
//!
//! The bytes are a function of the arguments: the creation date in the file's
//! properties is `created`, and nothing else varies.

use std::collections::HashMap;
use std::fmt;
use std::io::Cursor;

use calamine::{Data, Reader, open_workbook_auto_from_rs};
use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use cxm_domain::plan::{Due, Effort, PlanItem, PlanStatus};
use cxm_domain::responses_csv::{from_spreadsheet_safe, spreadsheet_safe};
use cxm_domain::text::{MAX_NAME_CHARS, MAX_NOTE_CHARS, clean_name, clean_text};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DocProperties, ExcelDateTime, Format,
    FormatAlign, FormatBorder, ProtectionOptions, Workbook, Worksheet, XlsxError,
};

/// One row of the plan as written: the item and the words shown for its block/question.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanRow {
    /// The item.
    pub item: PlanItem,
    /// The name of its building block.
    pub block_name: String,
    /// The statement of its question; `None` for a free item (or shown as the id).
    pub question_text: Option<String>,
    /// The title of the round it was planned from.
    pub planned_from: Option<String>,
}

/// An update read from a PMO's workbook: for one item row, the editable fields.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanUpdate {
    /// The item id (lowercase, as exported).
    pub item: String,
    /// The owner; `None` when the cell is empty.
    pub owner: Option<String>,
    /// When it is due; `None` when the cell is empty.
    pub due: Option<Due>,
    /// The effort; `None` when the cell is empty.
    pub effort: Option<Effort>,
    /// The status (required).
    pub status: PlanStatus,
    /// The notes; `None` when the cell is empty.
    pub notes: Option<String>,
    /// The row it came from, 1-based as a spreadsheet shows it (the header is row 1).
    pub row: u32,
    /// The sheet it came from (`Plan`; empty for a CSV file).
    pub sheet: String,
    /// The letter of the file's [`ITEM_ID_COLUMN`] column (`A` as exported).
    pub id_column: String,
}

impl PlanUpdate {
    /// A problem at this update's item id cell, for what only the caller can check
    /// (an item id that is not in the organisation's plan).
    pub fn id_problem(&self, message: impl Into<String>) -> CellProblem {
        CellProblem {
            sheet: self.sheet.clone(),
            row: self.row,
            column: self.id_column.clone(),
            header: ITEM_ID_COLUMN.to_string(),
            message: message.into(),
        }
    }
}

/// One problem, with its cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellProblem {
    /// The sheet (`Plan`); empty for a CSV file.
    pub sheet: String,
    /// The row, 1-based as a spreadsheet shows it; 0 when the problem is the whole file
    /// or sheet.
    pub row: u32,
    /// The column letter (`A`, `B`, …, `AA`); empty when no column is concerned (a
    /// missing column, a whole file).
    pub column: String,
    /// The column's header (`Status`), or the missing column's name; empty for a whole
    /// file.
    pub header: String,
    /// What is wrong, as a sentence.
    pub message: String,
}

impl fmt::Display for CellProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let place = match (self.sheet.is_empty(), self.row, self.column.is_empty()) {
            (true, 0, _) => String::new(),
            (false, 0, _) => format!("sheet {}", self.sheet),
            (true, row, true) => format!("row {row}"),
            (true, row, false) => format!("row {row}, column {}", self.column),
            (false, row, true) => format!("sheet {}, row {row}", self.sheet),
            (false, row, false) => format!("{}!{}{row}", self.sheet, self.column),
        };
        match (place.is_empty(), self.header.is_empty()) {
            (true, _) => f.write_str(&self.message),
            (false, true) => write!(f, "{place}: {}", self.message),
            (false, false) => write!(f, "{place} ({}): {}", self.header, self.message),
        }
    }
}

/// The sheet the plan is on.
pub const PLAN_SHEET: &str = "Plan";
/// The sheet that says how to fill the plan in.
pub const READ_ME_SHEET: &str = "Read me";
/// The header of the item id column.
pub const ITEM_ID_COLUMN: &str = "Item id";
/// Empty rows below the items that still carry the drop-down lists.
pub const SPARE_ROWS: u32 = 200;

/// A column of the plan: its header, its width (in characters) and whether the PMO
/// edits it (white, unlocked, read back) or the app fills it (grey, locked, not read).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Column {
    /// The header text.
    pub header: &'static str,
    /// The width in Excel's character units.
    pub width: f64,
    /// Read back by [`read_plan_updates`].
    pub editable: bool,
    /// Long text: wrapped.
    pub wrap: bool,
}

const fn column(header: &'static str, width: f64, editable: bool, wrap: bool) -> Column {
    Column {
        header,
        width,
        editable,
        wrap,
    }
}

/// The plan's columns, in order (the workbook's and the CSV's).
pub const COLUMNS: [Column; 10] = [
    column(ITEM_ID_COLUMN, 38.0, false, false),
    column("Block", 22.0, false, true),
    column("Question", 45.0, false, true),
    column("Title", 50.0, false, true),
    column("Owner", 22.0, true, false),
    column("Due", 13.0, true, false),
    column("Effort", 9.0, true, false),
    column("Status", 14.0, true, false),
    column("Notes", 50.0, true, true),
    column("Planned from", 24.0, false, true),
];

const C_ID: usize = 0;
const C_OWNER: usize = 4;
const C_DUE: usize = 5;
const C_EFFORT: usize = 6;
const C_STATUS: usize = 7;
const C_NOTES: usize = 8;

/// The columns [`read_plan_updates`] needs.
const READ_COLUMNS: [usize; 6] = [C_ID, C_OWNER, C_DUE, C_EFFORT, C_STATUS, C_NOTES];

/// The status labels of the drop-down list, as [`PlanStatus::label`] writes them.
fn status_labels() -> [&'static str; 4] {
    PlanStatus::ALL.map(PlanStatus::label)
}

/// The cells of one row, in [`COLUMNS`] order, as text.
fn cells(row: &PlanRow) -> [String; 10] {
    let item = &row.item;
    [
        item.id.clone(),
        row.block_name.clone(),
        row.question_text
            .clone()
            .or_else(|| item.question.clone())
            .unwrap_or_default(),
        item.title.clone(),
        item.owner.clone().unwrap_or_default(),
        item.due.map(|d| d.to_string()).unwrap_or_default(),
        item.effort.map(|e| e.to_string()).unwrap_or_default(),
        item.status.label().to_string(),
        item.notes.clone().unwrap_or_default(),
        row.planned_from.clone().unwrap_or_default(),
    ]
}

/// The column letter of 0-based column `c`: `A`, …, `Z`, `AA`, ….
pub fn column_letter(c: usize) -> String {
    let mut n = c + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        letters.push(char::from(b'A' + r as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// Whether a spreadsheet would take `text` for a formula when it is typed or opened
/// ([`spreadsheet_safe`]'s rule).
fn formula_like(text: &str) -> bool {
    spreadsheet_safe(text).len() != text.len()
}

/// The print header of both sheets: the organisation on the left (`&` doubled, as
/// Excel's codes start with it; shortened to stay within Excel's 255 characters),
/// "Plan" on the right.
fn print_header(organisation: &str) -> String {
    let mut name = String::new();
    for c in organisation.chars() {
        let escaped = if c == '&' {
            "&&".to_string()
        } else {
            c.to_string()
        };
        if (name.encode_utf16().count() + escaped.encode_utf16().count()) > 200 {
            name.push('…');
            break;
        }
        name.push_str(&escaped);
    }
    format!("&L{name}&RPlan")
}

/// The cell formats of the plan sheet.
struct Formats {
    header: Format,
    /// `[editable][wrap][quote prefix]`.
    body: [[[Format; 2]; 2]; 2],
}

impl Formats {
    fn new() -> Formats {
        let header = Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter)
            .set_background_color(Color::RGB(0xD9E1F2))
            .set_border_bottom(FormatBorder::Medium);
        let make = |editable: bool, wrap: bool, quote: bool| {
            let mut f = Format::new().set_align(FormatAlign::Top);
            if editable {
                f = f.set_unlocked();
            } else {
                f = f
                    .set_background_color(Color::RGB(0xEDEDED))
                    .set_font_color(Color::RGB(0x404040));
            }
            if wrap {
                f = f.set_text_wrap();
            }
            if quote {
                f = f.set_quote_prefix();
            }
            f
        };
        let body = [false, true].map(|editable| {
            [false, true].map(|wrap| [false, true].map(|q| make(editable, wrap, q)))
        });
        Formats { header, body }
    }

    fn body(&self, column: &Column, text: &str) -> &Format {
        &self.body[usize::from(column.editable)][usize::from(column.wrap)]
            [usize::from(formula_like(text))]
    }

    fn editable(&self, column: &Column) -> &Format {
        &self.body[1][usize::from(column.wrap)][0]
    }
}

/// The drop-down list of `choices` with the error shown for anything else.
fn list_validation(what: &str, choices: &[&str]) -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_list_strings(choices)?
        .set_error_style(DataValidationErrorStyle::Stop)
        .set_error_title(format!("Not a {what}"))?
        .set_error_message(format!("Choose one of: {}.", choices.join(", ")))
}

/// The Plan sheet.
fn plan_sheet(
    sheet: &mut Worksheet,
    organisation: &str,
    rows: &[PlanRow],
) -> Result<(), XlsxError> {
    let formats = Formats::new();
    sheet.set_name(PLAN_SHEET)?;
    for (c, col) in (0u16..).zip(COLUMNS.iter()) {
        sheet.write_string_with_format(0, c, col.header, &formats.header)?;
        sheet.set_column_width(c, col.width)?;
        if col.editable {
            // Also unlocks the spare rows' cells.
            sheet.set_column_format(c, formats.editable(col))?;
        }
    }
    sheet.set_row_height(0, 20)?;
    let mut last = 0u32;
    for (r, row) in (1u32..).zip(rows) {
        last = r;
        for ((c, col), text) in (0u16..).zip(COLUMNS.iter()).zip(cells(row)) {
            let format = formats.body(col, &text);
            if text.is_empty() {
                sheet.write_blank(r, c, format)?;
            } else {
                sheet.write_string_with_format(r, c, &text, format)?;
            }
        }
    }
    let last_col = (COLUMNS.len() - 1) as u16;
    let to = last + SPARE_ROWS;
    sheet.add_data_validation(
        1,
        C_STATUS as u16,
        to,
        C_STATUS as u16,
        &list_validation("status", &status_labels())?,
    )?;
    sheet.add_data_validation(
        1,
        C_EFFORT as u16,
        to,
        C_EFFORT as u16,
        &list_validation("effort", &Effort::ALL.map(Effort::as_str))?,
    )?;
    sheet.add_data_validation(
        1,
        C_DUE as u16,
        to,
        C_DUE as u16,
        &DataValidation::new()
            .allow_any_value()
            .set_input_title("Due")?
            .set_input_message("A quarter (2027-Q1) or a date (2027-03-31).")?,
    )?;
    sheet.set_freeze_panes(1, 1)?;
    sheet.autofilter(0, 0, last.max(1), last_col)?;
    sheet.protect_with_options(&ProtectionOptions {
        format_columns: true,
        format_rows: true,
        sort: true,
        use_autofilter: true,
        ..ProtectionOptions::default()
    });
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 0)?;
    sheet.set_header(print_header(organisation));
    sheet.set_footer("&CPage &P of &N");
    sheet.set_active(true);
    Ok(())
}

/// The Read me sheet's lines (the first is the title).
fn read_me_lines(organisation: &str, created: DateTime<Utc>) -> Vec<String> {
    let editable: Vec<&str> = COLUMNS
        .iter()
        .filter(|c| c.editable)
        .map(|c| c.header)
        .collect();
    vec![
        format!("Plan — {organisation}"),
        format!("Exported {}.", created.format("%Y-%m-%d")),
        String::new(),
        "How to fill it in".into(),
        format!(
            "Edit the white columns of the {PLAN_SHEET} sheet: {}. The grey columns come from the app and are not read back.",
            editable.join(", ")
        ),
        "Owner: who owns the item. Due: a quarter (2027-Q1) or a date (2027-03-31). Effort: S, M or L. Status: Planned, In progress, Done or Dropped (required). Notes: anything else. Empty cells clear the field.".into(),
        format!(
            "Do not change the {ITEM_ID_COLUMN} column: the app finds each item by its id. Rows you add without an id are not imported — the import lists them as problems; add new items in the app and export the plan again."
        ),
        "Type text as text: a formula, a number in Owner or Notes, or a status outside the list is refused with its cell, and nothing is imported until every problem is fixed.".into(),
        "The sheet is protected without a password so that the grey cells are not changed by accident; Review → Unprotect Sheet lifts it. Sorting and filtering the rows is fine.".into(),
        "Send the saved workbook (.xlsx) back; the consultant imports it with Import plan updates, which shows a preview first.".into(),
    ]
}

/// The Read me sheet.
fn read_me_sheet(
    sheet: &mut Worksheet,
    organisation: &str,
    created: DateTime<Utc>,
) -> Result<(), XlsxError> {
    sheet.set_name(READ_ME_SHEET)?;
    sheet.set_column_width(0, 100)?;
    let title = Format::new().set_bold().set_font_size(14);
    let heading = Format::new().set_bold();
    let text = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    for (r, line) in (0u32..).zip(read_me_lines(organisation, created)) {
        let base = match r {
            0 => &title,
            3 => &heading,
            _ => &text,
        };
        if line.is_empty() {
            continue;
        }
        if formula_like(&line) {
            sheet.write_string_with_format(r, 0, &line, &base.clone().set_quote_prefix())?;
        } else {
            sheet.write_string_with_format(r, 0, &line, base)?;
        }
    }
    sheet.set_header(print_header(organisation));
    Ok(())
}

/// The plan workbook (`.xlsx` bytes) of `organisation` (see the module's
/// documentation), `created` as its creation date.
pub fn plan_xlsx(
    organisation: &str,
    rows: &[PlanRow],
    created: DateTime<Utc>,
) -> Result<Vec<u8>, String> {
    let build = || -> Result<Vec<u8>, XlsxError> {
        let mut workbook = Workbook::new();
        let year = u16::try_from(created.year()).map_err(|_| {
            XlsxError::ParameterError(format!("the year {} cannot be a file date", created.year()))
        })?;
        let when = ExcelDateTime::from_ymd(year, created.month() as u8, created.day() as u8)?
            .and_hms(
                created.hour() as u16,
                created.minute() as u8,
                f64::from(created.second()),
            )?;
        let properties = DocProperties::new()
            .set_title(format!("Plan — {organisation}"))
            .set_subject("Improvement plan")
            .set_company(organisation)
            .set_creation_datetime(&when);
        workbook.set_properties(&properties);
        plan_sheet(workbook.add_worksheet(), organisation, rows)?;
        read_me_sheet(workbook.add_worksheet(), organisation, created)?;
        workbook.save_to_buffer()
    };
    build().map_err(|e| format!("cannot write the plan workbook: {e}"))
}

/// The plan as CSV: the header ([`COLUMNS`]) and one row per item, every cell through
/// [`spreadsheet_safe`]. [`read_plan_updates`] reads it back.
pub fn plan_csv(rows: &[PlanRow]) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    w.write_record(COLUMNS.iter().map(|c| c.header))
        .expect("writing to memory cannot fail");
    for row in rows {
        w.write_record(cells(row).iter().map(|c| spreadsheet_safe(c).into_owned()))
            .expect("writing to memory cannot fail");
    }
    String::from_utf8(w.into_inner().expect("in-memory writer")).expect("CSV of UTF-8 strings")
}

/// A cell as read, before the rules of its column.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Empty,
    Text(String),
    /// A number (integral numbers without `.0`).
    Number(String),
    /// A real date cell (a spreadsheet's date format, or an ODS date).
    Date(NaiveDate),
    /// A date cell that is no calendar day: a time or duration, or out of range.
    OtherTime(String),
    Bool(bool),
    Error(String),
    Formula(String),
}

impl Cell {
    fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// "a number (42)", "a date (2027-03-31)", … for "holds …".
    fn describe(&self) -> String {
        match self {
            Cell::Empty => "nothing".into(),
            Cell::Text(t) => format!("the text `{t}`"),
            Cell::Number(n) => format!("a number ({n})"),
            Cell::Date(d) => format!("a date ({d})"),
            Cell::OtherTime(t) => format!("a time or duration ({t})"),
            Cell::Bool(b) => format!("a true/false value ({})", if *b { "TRUE" } else { "FALSE" }),
            Cell::Error(e) => format!("the error {e}"),
            Cell::Formula(f) => format!("a formula (={f})"),
        }
    }
}

/// A number as a spreadsheet shows it.
fn number_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        x.to_string()
    }
}

fn cell_of(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(i.to_string()),
        Data::Float(x) => Cell::Number(number_text(*x)),
        Data::Bool(b) => Cell::Bool(*b),
        Data::Error(e) => Cell::Error(e.to_string()),
        Data::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            let day = NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d));
            match day {
                Some(day) if dt.is_datetime() && dt.as_f64() >= 1.0 => Cell::Date(day),
                _ => Cell::OtherTime(number_text(dt.as_f64())),
            }
        }
        Data::DateTimeIso(s) => s
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .map(Cell::Date)
            .unwrap_or_else(|| Cell::OtherTime(s.clone())),
        Data::DurationIso(s) => Cell::OtherTime(s.clone()),
    }
}

/// A sheet read into rows of cells: `rows[i]` is spreadsheet row `i + 1`.
struct Grid {
    sheet: String,
    rows: Vec<Vec<Cell>>,
}

impl Grid {
    fn get(&self, r: usize, c: usize) -> &Cell {
        self.rows
            .get(r)
            .and_then(|row| row.get(c))
            .unwrap_or(&Cell::Empty)
    }
}

fn whole_file(message: String) -> Vec<CellProblem> {
    vec![CellProblem {
        sheet: String::new(),
        row: 0,
        column: String::new(),
        header: String::new(),
        message,
    }]
}

/// The Plan sheet of a workbook as a grid, formulas in place of their values.
fn workbook_grid(bytes: &[u8]) -> Result<Grid, Vec<CellProblem>> {
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        whole_file(format!(
            "the file is not a workbook that can be read (save it as an Excel workbook, .xlsx): {e}"
        ))
    })?;
    let names = book.sheet_names();
    let Some(name) = names
        .iter()
        .find(|n| n.as_str() == PLAN_SHEET)
        .or_else(|| {
            names
                .iter()
                .find(|n| n.trim().eq_ignore_ascii_case(PLAN_SHEET))
        })
        .cloned()
    else {
        return Err(vec![CellProblem {
            sheet: PLAN_SHEET.into(),
            row: 0,
            column: String::new(),
            header: String::new(),
            message: format!(
                "the workbook has no sheet named {PLAN_SHEET} (it has: {}); import the workbook the app exported, with its sheet names unchanged",
                names.join(", ")
            ),
        }]);
    };
    let unreadable = |e: calamine::Error| CellProblem {
        sheet: name.clone(),
        row: 0,
        column: String::new(),
        header: String::new(),
        message: format!("the sheet cannot be read: {e}"),
    };
    let values = book
        .worksheet_range(&name)
        .map_err(|e| vec![unreadable(e)])?;
    let formulas = book
        .worksheet_formula(&name)
        .map_err(|e| vec![unreadable(e)])?;
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut put = |r: u32, c: u32, cell: Cell| {
        let (r, c) = (r as usize, c as usize);
        if rows.len() <= r {
            rows.resize(r + 1, Vec::new());
        }
        if rows[r].len() <= c {
            rows[r].resize(c + 1, Cell::Empty);
        }
        rows[r][c] = cell;
    };
    if let Some((r0, c0)) = values.start() {
        for (r, c, data) in values.used_cells() {
            put(r0 + r as u32, c0 + c as u32, cell_of(data));
        }
    }
    if let Some((r0, c0)) = formulas.start() {
        for (r, c, formula) in formulas.used_cells() {
            if !formula.trim().is_empty() {
                put(r0 + r as u32, c0 + c as u32, Cell::Formula(formula.clone()));
            }
        }
    }
    Ok(Grid { sheet: name, rows })
}

/// A CSV file as a grid: UTF-8 (a byte-order mark is allowed), separated by commas,
/// semicolons or tabs (whichever the header line has most of), cells unquoted by
/// [`from_spreadsheet_safe`].
fn csv_grid(bytes: &[u8]) -> Result<Grid, Vec<CellProblem>> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        whole_file(format!(
            "the file is neither an Excel workbook nor UTF-8 text (byte {} is not UTF-8); save it as an Excel workbook (.xlsx) or as CSV UTF-8",
            e.valid_up_to() + 1
        ))
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or("");
    let separator = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|s| (first.bytes().filter(|b| b == s).count(), *s == b','))
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            whole_file(format!("the CSV cannot be read at line {line}: {e}"))
        })?;
        rows.push(
            record
                .iter()
                .map(|c| {
                    let c = from_spreadsheet_safe(c);
                    if c.is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(c.to_string())
                    }
                })
                .collect(),
        );
    }
    Ok(Grid {
        sheet: String::new(),
        rows,
    })
}

/// A header cell as it is matched: trimmed, lowercase, `_` as space, spaces collapsed.
fn header_key(text: &str) -> String {
    text.replace('_', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether `text` has the shape of an item id: a UUID, 8-4-4-4-12 hexadecimal digits.
fn is_item_id(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// How many rows from the top the header is looked for in.
const HEADER_SEARCH_ROWS: usize = 20;

/// Reads a PMO's updates back from a workbook (xlsx; ods and xls too) or a CSV with
/// the plan's header: the updates in row order, or every problem found, each with its
/// cell. Item ids are checked for their shape and for being listed twice, not for
/// existing: the caller knows the plan.
pub fn read_plan_updates(bytes: &[u8]) -> Result<Vec<PlanUpdate>, Vec<CellProblem>> {
    let read = read_plan_file(bytes);
    if read.problems.is_empty() {
        Ok(read.updates)
    } else {
        Err(read.problems)
    }
}

/// Everything read from a plan file: the updates of the rows without a problem, every
/// item id found (also on rows with a problem in another cell, so that the caller can
/// check each against the plan and report all problems at once), and the problems.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanRead {
    /// The rows read completely, in row order.
    pub updates: Vec<PlanUpdate>,
    /// Every well-formed item id with its cell (as an update with only its id and row),
    /// in row order.
    pub ids: Vec<PlanUpdate>,
    /// Every problem.
    pub problems: Vec<CellProblem>,
}

/// Reads a plan file ([`read_plan_updates`]), keeping the ids of rows with problems.
pub fn read_plan_file(bytes: &[u8]) -> PlanRead {
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    let is_ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    let grid = if is_zip || is_ole {
        workbook_grid(bytes)
    } else {
        csv_grid(bytes)
    };
    match grid {
        Err(problems) => PlanRead {
            problems,
            ..PlanRead::default()
        },
        Ok(grid) => read_grid(&grid),
    }
}

fn read_grid(grid: &Grid) -> PlanRead {
    let mut problems = Vec::new();
    let problem = |row: usize, column: Option<usize>, header: &str, message: String| CellProblem {
        sheet: grid.sheet.clone(),
        row: u32::try_from(row + 1).unwrap_or(u32::MAX),
        column: column.map(column_letter).unwrap_or_default(),
        header: header.to_string(),
        message,
    };
    let id_key = header_key(ITEM_ID_COLUMN);
    let Some(header_row) = grid.rows.iter().take(HEADER_SEARCH_ROWS).position(|row| {
        row.iter()
            .any(|c| matches!(c, Cell::Text(t) if header_key(t) == id_key))
    }) else {
        let names: Vec<&str> = COLUMNS.iter().map(|c| c.header).collect();
        return PlanRead::with_problems(vec![problem(
            0,
            None,
            "",
            format!(
                "no header row with an `{ITEM_ID_COLUMN}` column was found; the first row must name the columns {}",
                names.join(", ")
            ),
        )]);
    };

    // Where each read column is, by its header.
    let mut at: HashMap<usize, usize> = HashMap::new();
    for (c, cell) in grid.rows[header_row].iter().enumerate() {
        let Cell::Text(text) = cell else { continue };
        let key = header_key(text);
        let Some(k) = COLUMNS.iter().position(|col| header_key(col.header) == key) else {
            continue;
        };
        if !READ_COLUMNS.contains(&k) {
            continue;
        }
        if let Some(&first) = at.get(&k) {
            problems.push(problem(
                header_row,
                Some(c),
                COLUMNS[k].header,
                format!(
                    "the column {} is there twice (also column {}); delete one",
                    COLUMNS[k].header,
                    column_letter(first)
                ),
            ));
        } else {
            at.insert(k, c);
        }
    }
    for k in READ_COLUMNS {
        if !at.contains_key(&k) {
            problems.push(problem(
                header_row,
                None,
                COLUMNS[k].header,
                format!(
                    "the header has no `{}` column; the plan needs {} (export the plan again for a fresh workbook)",
                    COLUMNS[k].header,
                    READ_COLUMNS.map(|k| COLUMNS[k].header).join(", ")
                ),
            ));
        }
    }
    if !problems.is_empty() {
        return PlanRead::with_problems(problems);
    }

    let mut updates = Vec::new();
    let mut ids = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for r in header_row + 1..grid.rows.len() {
        if READ_COLUMNS.iter().all(|k| grid.get(r, at[k]).is_empty()) {
            continue;
        }
        let cell = |k: usize| grid.get(r, at[&k]);
        let (update, bad) = read_row(cell, &mut seen, r);
        // The row's id, when it is one, whatever its other cells hold.
        if let Cell::Text(t) = cell(C_ID) {
            let t = t.trim();
            if is_item_id(t) {
                ids.push(PlanUpdate {
                    item: t.to_ascii_lowercase(),
                    owner: None,
                    due: None,
                    effort: None,
                    status: PlanStatus::Planned,
                    notes: None,
                    row: u32::try_from(r + 1).unwrap_or(u32::MAX),
                    sheet: grid.sheet.clone(),
                    id_column: column_letter(at[&C_ID]),
                });
            }
        }
        for (k, message) in bad {
            problems.push(problem(r, Some(at[&k]), COLUMNS[k].header, message));
        }
        if let Some(update) = update {
            updates.push(PlanUpdate {
                sheet: grid.sheet.clone(),
                id_column: column_letter(at[&C_ID]),
                ..update
            });
        }
    }
    problems.sort_by_key(|p| (p.row, p.column.len(), p.column.clone()));
    PlanRead {
        updates,
        ids,
        problems,
    }
}

impl PlanRead {
    fn with_problems(problems: Vec<CellProblem>) -> PlanRead {
        PlanRead {
            problems,
            ..PlanRead::default()
        }
    }
}

/// A cell that must be text (or empty): its trimmed text (`None` when empty), or what
/// is wrong with it, ending with `hint`.
fn text_cell(cell: &Cell, hint: &str) -> Result<Option<String>, String> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Text(t) => Ok(Some(t.trim().to_string()).filter(|t| !t.is_empty())),
        other => Err(format!("holds {}, not text; {hint}", other.describe())),
    }
}

/// One item row (0-based row `r`): its update when every cell is right, and the
/// problems by column ([`COLUMNS`] index). `seen` holds the ids of the rows before.
fn read_row<'g>(
    cell: impl Fn(usize) -> &'g Cell,
    seen: &mut HashMap<String, usize>,
    r: usize,
) -> (Option<PlanUpdate>, Vec<(usize, String)>) {
    let mut bad: Vec<(usize, String)> = Vec::new();
    let mut text = |k: usize, hint: &str| -> Option<String> {
        text_cell(cell(k), hint)
            .map_err(|e| bad.push((k, e)))
            .ok()
            .flatten()
    };
    let id = text(
        C_ID,
        "keep the item id as the app exported it (the import finds items by it)",
    );
    let owner = text(C_OWNER, "type the owner's name as text");
    let effort = text(C_EFFORT, "choose S, M or L");
    let status = text(C_STATUS, "choose Planned, In progress, Done or Dropped");
    let notes = text(C_NOTES, "type the notes as text");

    let id_cell_is_text = matches!(cell(C_ID), Cell::Empty | Cell::Text(_));
    let id = match id {
        None if id_cell_is_text => {
            bad.push((
                C_ID,
                format!(
                    "this row has no {ITEM_ID_COLUMN}: rows added in the workbook are not imported; add the item in the app (and delete this row), or put its text in an existing item's Notes"
                ),
            ));
            None
        }
        None => None,
        Some(id) if !is_item_id(&id) => {
            bad.push((
                C_ID,
                format!(
                    "`{id}` is not an item id (ids look like 0b6c2f3e-5d7a-4c1b-9e8f-1a2b3c4d5e6f); keep the {ITEM_ID_COLUMN} column as the app exported it"
                ),
            ));
            None
        }
        Some(id) => {
            let id = id.to_ascii_lowercase();
            if let Some(&first) = seen.get(&id) {
                bad.push((
                    C_ID,
                    format!(
                        "the item {id} is listed twice (also on row {}); keep one row per item",
                        first + 1
                    ),
                ));
                None
            } else {
                seen.insert(id.clone(), r);
                Some(id)
            }
        }
    };
    let owner = owner.and_then(|o| {
        clean_name(&o, "owner", MAX_NAME_CHARS)
            .map_err(|e| bad.push((C_OWNER, e)))
            .ok()
    });
    let due = match cell(C_DUE) {
        Cell::Empty => None,
        Cell::Text(t) if t.trim().is_empty() => None,
        Cell::Text(t) => t.parse::<Due>().map_err(|e| bad.push((C_DUE, e))).ok(),
        Cell::Date(d) => Some(Due::Date(*d)),
        other => {
            bad.push((
                C_DUE,
                format!(
                    "holds {}; type a quarter (2027-Q1) or a date (2027-03-31), or format the cell as a date",
                    other.describe()
                ),
            ));
            None
        }
    };
    let effort = effort.and_then(|e| {
        e.parse::<Effort>()
            .map_err(|e| bad.push((C_EFFORT, e)))
            .ok()
    });
    let status = match status {
        Some(s) => s
            .parse::<PlanStatus>()
            .map_err(|e| bad.push((C_STATUS, e)))
            .ok(),
        None => {
            if matches!(cell(C_STATUS), Cell::Empty | Cell::Text(_)) {
                bad.push((
                    C_STATUS,
                    "the status is empty; choose Planned, In progress, Done or Dropped".into(),
                ));
            }
            None
        }
    };
    let notes = notes.and_then(|n| {
        clean_text(&n, "notes", MAX_NOTE_CHARS)
            .map_err(|e| bad.push((C_NOTES, e)))
            .ok()
    });
    let update = match (id, status) {
        (Some(item), Some(status)) if bad.is_empty() => Some(PlanUpdate {
            item,
            owner,
            due,
            effort,
            status,
            notes,
            row: u32::try_from(r + 1).unwrap_or(u32::MAX),
            // Filled in by the caller, which knows the sheet.
            sheet: String::new(),
            id_column: String::new(),
        }),
        _ => None,
    };
    (update, bad)
}
