//! The wide responses CSV: what survey tools and spreadsheets export, what
//! `cxm import-responses` reads and `cxm export --format csv` writes.
//!
//! Columns: `respondent`, `role` (role-group id or name), optional `department`, then
//! any subset of question ids (a missing column leaves that question unanswered).
//! Cells: `0`..S, `dk`, `na` or empty. Read as real files are written: a UTF-8 byte
//! order mark, `,` `;` or tab as separator (taken from the header), CRLF line ends,
//! quoted cells, surrounding spaces, rows cut short by the exporting tool, and blank
//! lines are all accepted. Parsing is pure: it checks the file against the model;
//! whether a respondent is already in the round is the store's check.
//!
//! Names follow the shared rules of [`crate::text`]: the respondent and department
//! cells are read with [`text::clean_name`] (trimmed, NFC; a control character, a
//! bidirectional override or a name with nothing visible is a problem at its line and
//! column), and two rows name the same respondent when their [`text::fold`]s are
//! equal (`TOMÁS ORTEGA` and `Tomás Ortega`).
//!
//! Formula injection: a spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a
//! tab or a carriage return as a formula. Every cell this crate writes to a CSV goes
//! through [`spreadsheet_safe`], which puts a single quote `'` in front of such a cell
//! (the OWASP rule; also in front of one that starts with quotes followed by one of
//! those characters, so that the rule can be undone exactly). [`parse`] reads every
//! cell through [`from_spreadsheet_safe`], which takes that one quote off again: an
//! exported file imported again gives the same names (`'=SUM(A1)` is read as
//! `=SUM(A1)`, `''=x` as `'=x`, and `'Neil` stays `'Neil`). Answer cells (`0`..S, `dk`,
//! `na`) never start with those characters, so they are written as they are.
//!
//! Line numbers are the lines a person sees in an editor: blank lines, line breaks
//! inside quoted cells, and every line end (`\n`, CRLF, or a lone `\r` from an old Mac
//! spreadsheet) count. They are counted once, front to back, so parsing takes time in
//! proportion to the file's size.

use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt;

use crate::answer::Answer;
use crate::csv_read::{Issues, Lines, detect_delimiter, header_name, next_record, reader, shown};
use crate::model::Model;
use crate::text;

/// One row of the file: a respondent and their answers.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedRow {
    /// 1-based line of the row in the file.
    pub line: u64,
    /// Name or code as [`text::clean_name`] leaves it: trimmed, NFC, non-empty.
    pub respondent: String,
    /// Index into [`Model::role_groups`].
    pub role_group: usize,
    /// Department ([`text::clean_name`]), if the column exists and the cell is not
    /// empty.
    pub department: Option<String>,
    /// (question index, answer) for every non-empty answer cell, in column order.
    pub answers: Vec<(usize, Answer)>,
}

/// A file that passed every check of [`parse`].
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedResponses {
    /// Question indexes of the answer columns, in file order.
    pub columns: Vec<usize>,
    /// The respondents, in file order.
    pub rows: Vec<ParsedRow>,
}

/// One problem at one place in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvIssue {
    /// 1-based line.
    pub line: u64,
    /// 1-based column, with its header when known.
    pub column: Option<(usize, String)>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for CsvIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}", self.line)?;
        if let Some((col, name)) = &self.column {
            if name.is_empty() {
                write!(f, ", column {col}")?;
            } else {
                write!(f, ", column {col} ({name})")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

/// Why a responses file was rejected: every problem found (up to [`MAX_ISSUES`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct CsvError {
    /// The problems, in file order.
    pub issues: Vec<CsvIssue>,
    /// Whether more problems were found than listed.
    pub truncated: bool,
}

/// At most this many problems are listed.
pub const MAX_ISSUES: usize = 50;

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, issue) in self.issues.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{issue}")?;
        }
        if self.truncated {
            write!(f, "\n… and more; fix these first")?;
        }
        Ok(())
    }
}

/// The characters that make a spreadsheet read a cell as a formula when they come
/// first: `=`, `+`, `-`, `@`, tab, carriage return.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether `cell` needs the quote: after any leading `'`, it starts with one of
/// [`FORMULA_STARTS`].
fn needs_quote(cell: &str) -> bool {
    cell.trim_start_matches('\'').starts_with(FORMULA_STARTS)
}

/// `cell` as a CSV export writes it, so that no spreadsheet runs it as a formula: a
/// single quote `'` in front when it starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return (after any quotes it already starts with); unchanged otherwise.
/// [`from_spreadsheet_safe`] undoes it. Every CSV export (answers, actions) uses it,
/// and other spreadsheet exports should too.
///
/// ```
/// use cxm_domain::responses_csv::spreadsheet_safe;
/// assert_eq!(spreadsheet_safe("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
/// assert_eq!(spreadsheet_safe("-2+3"), "'-2+3");
/// assert_eq!(spreadsheet_safe("'=x"), "''=x");
/// assert_eq!(spreadsheet_safe("Ana"), "Ana");
/// assert_eq!(spreadsheet_safe("0.75"), "0.75");
/// ```
pub fn spreadsheet_safe(cell: &str) -> Cow<'_, str> {
    if needs_quote(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The text a cell written by [`spreadsheet_safe`] stands for: one leading `'` taken
/// off when what follows it (after any further quotes) starts with `=`, `+`, `-`, `@`,
/// a tab or a carriage return; anything else unchanged. `from_spreadsheet_safe(
/// &spreadsheet_safe(s)) == s` for every `s`.
///
/// ```
/// use cxm_domain::responses_csv::from_spreadsheet_safe;
/// assert_eq!(from_spreadsheet_safe("'=SUM(A1)"), "=SUM(A1)");
/// assert_eq!(from_spreadsheet_safe("''=x"), "'=x");
/// assert_eq!(from_spreadsheet_safe("'Neil"), "'Neil");
/// assert_eq!(from_spreadsheet_safe("=1+1"), "=1+1");
/// ```
pub fn from_spreadsheet_safe(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_quote(rest) => rest,
        _ => cell,
    }
}

enum Column {
    Respondent,
    Role,
    Department,
    Question(usize),
}

/// An answer cell (trimmed, non-empty): the common one-digit answers without the
/// general parser's allocation.
fn answer_of(cell: &str) -> Option<Answer> {
    match cell.as_bytes() {
        [d @ b'0'..=b'9'] => Some(Answer::Scale(d - b'0')),
        _ => cell.parse().ok(),
    }
}

/// Parse and check a responses file against `model`. All or nothing: any problem
/// rejects the whole file, with every problem found.
pub fn parse(model: &Model, data: &[u8]) -> Result<ParsedResponses, CsvError> {
    parse_counted(model, data).0
}

/// [`parse`], and the number of bytes the line numbering examined.
fn parse_counted(model: &Model, data: &[u8]) -> (Result<ParsedResponses, CsvError>, u64) {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let mut lines = Lines::new(data);
    let result = parse_data(model, data, &mut lines);
    (result, lines.scanned)
}

fn parse_data(
    model: &Model,
    data: &[u8],
    lines: &mut Lines<'_>,
) -> Result<ParsedResponses, CsvError> {
    let mut issues = Issues(Vec::new(), false);
    let mut reader = reader(data, detect_delimiter(data));
    let mut header = csv::ByteRecord::new();
    match reader.read_byte_record(&mut header) {
        Ok(true) => {}
        Ok(false) => {
            issues.push(
                1,
                None,
                "the file is empty: expected a header with respondent, role and question ids",
            );
            return Err(CsvError {
                issues: issues.0,
                truncated: false,
            });
        }
        Err(e) => {
            issues.push(1, None, format!("cannot read the header: {e}"));
            return Err(CsvError {
                issues: issues.0,
                truncated: false,
            });
        }
    }
    let header_line = header
        .position()
        .map(|p| lines.line_at(p.byte()))
        .unwrap_or(1);

    // Header names as messages show them; matching uses `header_name`.
    let mut names: Vec<String> = Vec::with_capacity(header.len());
    let mut columns: Vec<Option<Column>> = Vec::with_capacity(header.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, raw) in header.iter().enumerate() {
        let col = i + 1;
        let name = header_name(raw);
        let display = shown(&name);
        let lower = name.to_ascii_lowercase();
        names.push(display.clone());
        if name.is_empty() {
            issues.push(header_line, Some((col, "")), "empty column name");
            columns.push(None);
            continue;
        }
        if let Some(first) = seen.insert(lower.clone(), col) {
            issues.push(
                header_line,
                Some((col, &display)),
                format!("column `{display}` appears twice (also column {first})"),
            );
            columns.push(None);
            continue;
        }
        let column = match lower.as_str() {
            "respondent" => Some(Column::Respondent),
            "role" => Some(Column::Role),
            "department" => Some(Column::Department),
            _ => match model
                .questions
                .iter()
                .position(|q| q.id.eq_ignore_ascii_case(&name))
            {
                Some(q) => Some(Column::Question(q)),
                None => {
                    issues.push(
                        header_line,
                        Some((col, &display)),
                        format!(
                            "unknown column `{display}`: not a question of model {} (expected respondent, role, department or a question id such as {})",
                            model.key(),
                            model.questions.first().map(|q| q.id.as_str()).unwrap_or("?")
                        ),
                    );
                    None
                }
            },
        };
        columns.push(column);
    }
    let position =
        |wanted: fn(&Column) -> bool| columns.iter().position(|c| c.as_ref().is_some_and(wanted));
    let respondent_col = position(|c| matches!(c, Column::Respondent));
    let role_col = position(|c| matches!(c, Column::Role));
    let department_col = position(|c| matches!(c, Column::Department));
    if respondent_col.is_none() {
        issues.push(header_line, None, "missing column `respondent`");
    }
    if role_col.is_none() {
        issues.push(header_line, None, "missing column `role`");
    }
    let question_cols: Vec<(usize, usize)> = columns
        .iter()
        .enumerate()
        .filter_map(|(i, c)| match c {
            Some(Column::Question(q)) => Some((i, *q)),
            _ => None,
        })
        .collect();

    let mut rows = Vec::new();
    // Folded name → the line that first named the respondent.
    let mut respondents: HashMap<String, u64> = HashMap::new();
    let mut answers: Vec<(usize, Answer)> = Vec::with_capacity(question_cols.len());
    let mut record = csv::ByteRecord::new();
    while let Some(line) = next_record(&mut reader, &mut record, lines, &mut issues) {
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
        let mut ok = true;
        // A cell's text: trimmed, one spreadsheet quote off; `None` (a problem) when
        // it is not UTF-8. A row cut short reads as empty cells.
        let mut cell = |i: usize, issues: &mut Issues| -> Option<&str> {
            match record.get(i).map(std::str::from_utf8) {
                None => Some(""),
                Some(Ok(s)) => Some(from_spreadsheet_safe(s.trim())),
                Some(Err(_)) => {
                    issues.push(line, Some((i + 1, &names[i])), "not valid UTF-8 text");
                    ok = false;
                    None
                }
            }
        };
        let respondent = respondent_col.map(|c| (c, cell(c, &mut issues)));
        let role = role_col.map(|c| (c, cell(c, &mut issues)));
        let department = department_col.map(|c| (c, cell(c, &mut issues)));
        answers.clear();
        let mut bad_answer = false;
        for &(i, q) in &question_cols {
            match cell(i, &mut issues) {
                None | Some("") => {}
                Some(text) => match answer_of(text) {
                    Some(a) if a.fits(model) => answers.push((q, a)),
                    _ => {
                        issues.push(
                            line,
                            Some((i + 1, &names[i])),
                            format!(
                                "`{}` is not an answer: use 0 to {}, dk (don't know), na (not applicable) or leave it empty",
                                shown(text),
                                model.scale.max
                            ),
                        );
                        bad_answer = true;
                    }
                },
            }
        }
        let mut ok = ok && !bad_answer;
        let name = match respondent {
            Some((_, None)) | None => None,
            Some((c, Some(""))) => {
                issues.push(
                    line,
                    Some((c + 1, "respondent")),
                    "the respondent's name or code is empty",
                );
                None
            }
            Some((c, Some(raw))) => {
                match text::clean_name(raw, "respondent's name", text::MAX_NAME_CHARS) {
                    Ok(name) => match respondents.entry(text::fold(&name)) {
                        Entry::Occupied(first) => {
                            issues.push(
                                line,
                                Some((c + 1, "respondent")),
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
                    },
                    Err(why) => {
                        issues.push(line, Some((c + 1, "respondent")), why);
                        None
                    }
                }
            }
        };
        ok &= name.is_some();
        let department = match department {
            Some((_, None)) => {
                ok = false;
                None
            }
            Some((c, Some(raw))) if !raw.is_empty() => {
                match text::clean_name(raw, "department", text::MAX_NAME_CHARS) {
                    Ok(d) => Some(d),
                    Err(why) => {
                        issues.push(line, Some((c + 1, "department")), why);
                        ok = false;
                        None
                    }
                }
            }
            _ => None,
        };
        let role_group = match role {
            Some((_, None)) | None => None,
            Some((c, Some(role))) => match model.role_group_index(role) {
                Some(g) => Some(g),
                None => {
                    let known: Vec<&str> =
                        model.role_groups.iter().map(|g| g.id.as_str()).collect();
                    issues.push(
                        line,
                        Some((c + 1, "role")),
                        if role.is_empty() {
                            format!("the role is empty (use one of: {})", known.join(", "))
                        } else {
                            format!(
                                "unknown role `{}` (use one of: {})",
                                shown(role),
                                known.join(", ")
                            )
                        },
                    );
                    None
                }
            },
        };
        if let (true, Some(respondent), Some(role_group)) = (ok, name, role_group) {
            rows.push(ParsedRow {
                line,
                respondent,
                role_group,
                department,
                // A copy of exactly the answers' size; the buffer is reused.
                answers: answers.clone(),
            });
        }
    }
    if issues.0.is_empty() && rows.is_empty() {
        issues.push(
            header_line,
            None,
            "the file has a header but no respondent rows",
        );
    }
    if issues.0.is_empty() {
        Ok(ParsedResponses {
            columns: question_cols.into_iter().map(|(_, q)| q).collect(),
            rows,
        })
    } else {
        issues
            .0
            .sort_by_key(|i| (i.line, i.column.as_ref().map(|c| c.0)));
        Err(CsvError {
            issues: issues.0,
            truncated: issues.1,
        })
    }
}

/// The 1-based column of the header named `name` (ignoring ASCII case and padding),
/// read as [`parse`] reads the header; `None` when there is no such column. The store's
/// checks ("already in the round") use it to point at the respondent column. Reads the
/// header only.
pub fn header_column(data: &[u8], name: &str) -> Option<usize> {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let mut header = csv::ByteRecord::new();
    if !reader(data, detect_delimiter(data))
        .read_byte_record(&mut header)
        .ok()?
    {
        return None;
    }
    header
        .iter()
        .position(|h| header_name(h).eq_ignore_ascii_case(name.trim()))
        .map(|i| i + 1)
}

/// One respondent's row for [`write`].
#[derive(Debug, Clone, PartialEq)]
pub struct RowOut<'a> {
    /// Name or code.
    pub respondent: &'a str,
    /// Role-group index.
    pub role_group: usize,
    /// Department ("" when none).
    pub department: &'a str,
    /// Answers indexed like the model's questions.
    pub answers: &'a [Option<Answer>],
}

/// Write the wide layout with every question of `model` as a column, in model order.
/// Every cell goes through [`spreadsheet_safe`]: a name such as `=HYPERLINK(…)` is
/// written `'=HYPERLINK(…)`, and [`parse`] reads it back as it was.
pub fn write(model: &Model, rows: &[RowOut<'_>]) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let field = |w: &mut csv::Writer<Vec<u8>>, cell: &str| {
        w.write_field(spreadsheet_safe(cell).as_bytes())
            .expect("writing to memory cannot fail");
    };
    for h in ["respondent", "role", "department"] {
        field(&mut w, h);
    }
    for q in &model.questions {
        field(&mut w, &q.id);
    }
    w.write_record(None::<&[u8]>)
        .expect("writing to memory cannot fail");
    for r in rows {
        field(&mut w, r.respondent);
        field(&mut w, &model.role_groups[r.role_group].id);
        field(&mut w, r.department);
        for a in r.answers {
            match a {
                Some(a) => field(&mut w, &a.to_string()),
                None => field(&mut w, ""),
            }
        }
        w.write_record(None::<&[u8]>)
            .expect("writing to memory cannot fail");
    }
    String::from_utf8(w.into_inner().expect("in-memory writer")).expect("CSV of UTF-8 strings")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A file of `rows` respondents with blank lines, CRLF and quoted multi-line cells.
    fn big_file(m: &Model, rows: usize) -> String {
        let mut csv = String::from("respondent,role");
        for q in &m.questions {
            csv.push(',');
            csv.push_str(&q.id);
        }
        csv.push_str("\r\n");
        for r in 0..rows {
            csv.push_str(&format!("R{r},executive"));
            for (i, _) in m.questions.iter().enumerate() {
                csv.push_str(if (r + i) % 17 == 0 {
                    ",\"\n3\n\""
                } else {
                    ",2"
                });
            }
            csv.push_str(if r % 5 == 0 { "\r\n\r\n" } else { "\n" });
        }
        csv
    }

    #[test]
    fn numbering_lines_reads_the_file_a_bounded_number_of_times() {
        // Work, not time: the bytes examined to number the lines. Counting from the start
        // of the file for every record examines about rows × size / 2 bytes.
        let m = model();
        let data = big_file(&m, 2_000);
        let (result, scanned) = parse_counted(&m, data.as_bytes());
        assert_eq!(result.unwrap().rows.len(), 2_000);
        assert!(
            scanned <= 2 * data.len() as u64,
            "numbering the lines of a {}-byte file examined {scanned} bytes",
            data.len()
        );
    }

    fn model() -> Model {
        Model::default_model()
    }

    /// The original numbering, which counted from the start of the file for every
    /// record (with lone `\r`s as line ends): the reference the running count must
    /// agree with.
    fn line_at_reference(data: &[u8], byte: u64) -> u64 {
        let mut end = (byte as usize).min(data.len());
        while end < data.len() && matches!(data[end], b'\r' | b'\n') {
            end += 1;
        }
        let mut line = 1;
        for (i, &b) in data[..end].iter().enumerate() {
            if b == b'\n' || (b == b'\r' && data.get(i + 1) != Some(&b'\n')) {
                line += 1;
            }
        }
        line
    }

    /// Pieces a CSV is made of: cells, separators, line ends, quoted line breaks.
    fn csv_piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "A",
            "executive",
            "3",
            "dk",
            "",
            " ",
            ",",
            ",",
            ";",
            "\n",
            "\n",
            "\r\n",
            "\r",
            "\"\n3\r\n\"",
            "\"a,\"\"b\"",
            "\"",
            "\u{feff}",
            "\t",
        ])
    }

    proptest! {
        #[test]
        fn the_running_count_agrees_with_the_reference_in_any_order(
            data in prop::collection::vec(
                prop::sample::select(vec![b'a', b',', b'\r', b'\n', b'"']), 0..200),
            offsets in prop::collection::vec(0u64..220, 1..30),
        ) {
            let mut lines = Lines::new(&data);
            for &o in &offsets {
                prop_assert_eq!(lines.line_at(o), line_at_reference(&data, o), "offset {}", o);
            }
        }

        #[test]
        fn every_record_is_numbered_as_the_reference_numbers_it(
            pieces in prop::collection::vec(csv_piece(), 0..80),
        ) {
            let text = pieces.concat();
            let data = text.as_bytes();
            let mut lines = Lines::new(data);
            let mut reader = reader(data, detect_delimiter(data));
            let mut record = csv::ByteRecord::new();
            while reader.read_byte_record(&mut record).unwrap() {
                let byte = record.position().unwrap().byte();
                prop_assert_eq!(lines.line_at(byte), line_at_reference(data, byte));
            }
            prop_assert!(lines.scanned <= 2 * data.len() as u64);
        }
    }

    #[test]
    fn reads_real_world_shapes() {
        let m = model();
        let q0 = &m.questions[0].id;
        let q1 = &m.questions[1].id;
        let data = format!(
            "\u{feff}Respondent;Role;Department;{q0};{q1}\r\n\"Ana, CFO\";Executive;Finance;4;DK\r\n\r\nB-2; front-line ;;  2\r\n"
        );
        let parsed = parse(&m, data.as_bytes()).unwrap();
        assert_eq!(parsed.rows.len(), 2);
        let a = &parsed.rows[0];
        assert_eq!(
            (a.line, a.respondent.as_str(), a.role_group),
            (2, "Ana, CFO", 0)
        );
        assert_eq!(a.department.as_deref(), Some("Finance"));
        assert_eq!(
            a.answers,
            vec![(0, Answer::Scale(4)), (1, Answer::DontKnow)]
        );
        let b = &parsed.rows[1];
        assert_eq!((b.line, b.role_group, b.department.clone()), (4, 2, None));
        assert_eq!(b.answers, vec![(0, Answer::Scale(2))]);
    }

    #[test]
    fn every_problem_is_listed_with_line_and_column() {
        let m = model();
        let q0 = &m.questions[0].id;
        let data = format!("respondent,role,{q0},NOPE\nA,executive,5,\nA,boss,1,\n,manager,x,\n");
        let err = parse(&m, data.as_bytes()).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("line 1, column 4 (NOPE): unknown column `NOPE`"),
            "{text}"
        );
        assert!(
            text.contains(&format!("line 2, column 3 ({q0}): `5` is not an answer")),
            "{text}"
        );
        assert!(
            text.contains(
                "line 3, column 1 (respondent): respondent `A` is named twice (also line 2)"
            ),
            "{text}"
        );
        assert!(
            text.contains("line 3, column 2 (role): unknown role `boss`"),
            "{text}"
        );
        assert!(
            text.contains("line 4, column 1 (respondent): the respondent's name or code is empty"),
            "{text}"
        );
        assert!(
            text.contains(&format!("line 4, column 3 ({q0}): `x` is not an answer")),
            "{text}"
        );
    }

    #[test]
    fn missing_columns_and_empty_files() {
        let m = model();
        assert!(
            parse(&m, b"")
                .unwrap_err()
                .to_string()
                .contains("the file is empty")
        );
        let e = parse(&m, b"name,team\nA,B\n").unwrap_err().to_string();
        assert!(
            e.contains("missing column `respondent`") && e.contains("missing column `role`"),
            "{e}"
        );
        let e = parse(&m, b"respondent,role\n").unwrap_err().to_string();
        assert!(e.contains("no respondent rows"), "{e}");
    }

    #[test]
    fn write_then_parse_round_trips() {
        let m = model();
        let mut answers = vec![None; m.questions.len()];
        answers[0] = Some(Answer::Scale(3));
        answers[5] = Some(Answer::NotApplicable);
        answers[7] = Some(Answer::DontKnow);
        let rows = [RowOut {
            respondent: "R1",
            role_group: 1,
            department: "Ops, North",
            answers: &answers,
        }];
        let text = write(&m, &rows);
        let parsed = parse(&m, text.as_bytes()).unwrap();
        assert_eq!(parsed.rows[0].respondent, "R1");
        assert_eq!(parsed.rows[0].department.as_deref(), Some("Ops, North"));
        assert_eq!(
            parsed.rows[0].answers,
            vec![
                (0, Answer::Scale(3)),
                (5, Answer::NotApplicable),
                (7, Answer::DontKnow)
            ]
        );
    }
}
