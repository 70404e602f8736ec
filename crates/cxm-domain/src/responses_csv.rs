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

use std::collections::HashMap;
use std::fmt;

use crate::answer::Answer;
use crate::model::Model;

/// One row of the file: a respondent and their answers.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedRow {
    /// 1-based line of the row in the file.
    pub line: u64,
    /// Name or code, trimmed, non-empty.
    pub respondent: String,
    /// Index into [`Model::role_groups`].
    pub role_group: usize,
    /// Department, if the column exists and the cell is not empty.
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

struct Issues(Vec<CsvIssue>, bool);

impl Issues {
    fn push(&mut self, line: u64, column: Option<(usize, &str)>, message: impl Into<String>) {
        if self.0.len() >= MAX_ISSUES {
            self.1 = true;
            return;
        }
        self.0.push(CsvIssue {
            line,
            column: column.map(|(c, n)| (c, n.to_string())),
            message: message.into(),
        });
    }
}

enum Column {
    Respondent,
    Role,
    Department,
    Question(usize),
}

/// 1-based line where a record starts. The csv crate's own line count misses blank
/// lines and CRLF, and its offset is where the previous record's terminator began:
/// skip line ends from there.
fn line_at(data: &[u8], byte: u64) -> u64 {
    let mut end = (byte as usize).min(data.len());
    while end < data.len() && matches!(data[end], b'\r' | b'\n') {
        end += 1;
    }
    data[..end].iter().filter(|&&b| b == b'\n').count() as u64 + 1
}

fn detect_delimiter(data: &[u8]) -> u8 {
    let header = data.split(|&b| b == b'\n').next().unwrap_or(data);
    let count = |d: u8| header.iter().filter(|&&b| b == d).count();
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|&d| (count(d), d == b','))
        .unwrap_or(b',')
}

/// Parse and check a responses file against `model`. All or nothing: any problem
/// rejects the whole file, with every problem found.
pub fn parse(model: &Model, data: &[u8]) -> Result<ParsedResponses, CsvError> {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let mut issues = Issues(Vec::new(), false);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(detect_delimiter(data))
        .has_headers(false)
        .flexible(true)
        .from_reader(data);

    let mut records = reader.byte_records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => {
            issues.push(1, None, format!("cannot read the header: {e}"));
            return Err(CsvError {
                issues: issues.0,
                truncated: false,
            });
        }
        None => {
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
    };

    let mut names: Vec<String> = Vec::new();
    let mut columns: Vec<Option<Column>> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, raw) in header.iter().enumerate() {
        let col = i + 1;
        let name = String::from_utf8_lossy(raw).trim().to_string();
        names.push(name.clone());
        let lower = name.to_ascii_lowercase();
        if name.is_empty() {
            issues.push(1, Some((col, "")), "empty column name");
            columns.push(None);
            continue;
        }
        if let Some(first) = seen.insert(lower.clone(), col) {
            issues.push(
                1,
                Some((col, &name)),
                format!("column `{name}` appears twice (also column {first})"),
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
                        1,
                        Some((col, &name)),
                        format!(
                            "unknown column `{name}`: not a question of model {} (expected respondent, role, department or a question id such as {})",
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
        issues.push(1, None, "missing column `respondent`");
    }
    if role_col.is_none() {
        issues.push(1, None, "missing column `role`");
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
    let mut respondents: HashMap<String, u64> = HashMap::new();
    let cell_text = |record: &csv::ByteRecord, i: usize| -> Result<String, ()> {
        match record.get(i) {
            None => Ok(String::new()),
            Some(raw) => std::str::from_utf8(raw)
                .map(|s| s.trim().to_string())
                .map_err(|_| ()),
        }
    };
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| line_at(data, p.byte())).unwrap_or(0);
                issues.push(line, None, format!("cannot read this row: {e}"));
                continue;
            }
        };
        let line = record
            .position()
            .map(|p| line_at(data, p.byte()))
            .unwrap_or(0);
        if record.iter().all(|c| c.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
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
        let utf8_ok = std::cell::Cell::new(true);
        let text = |i: usize, issues: &mut Issues| -> String {
            cell_text(&record, i).unwrap_or_else(|()| {
                issues.push(line, Some((i + 1, &names[i])), "not valid UTF-8 text");
                utf8_ok.set(false);
                String::new()
            })
        };
        let mut ok = true;
        let respondent = respondent_col.map(|c| (c, text(c, &mut issues)));
        let role = role_col.map(|c| (c, text(c, &mut issues)));
        let department = department_col
            .map(|c| text(c, &mut issues))
            .filter(|d| !d.is_empty());
        let mut answers = Vec::new();
        for &(i, q) in &question_cols {
            let cell = text(i, &mut issues);
            if cell.is_empty() {
                continue;
            }
            match cell.parse::<Answer>() {
                Ok(a) if a.fits(model) => answers.push((q, a)),
                _ => {
                    issues.push(
                        line,
                        Some((i + 1, &names[i])),
                        format!(
                            "`{cell}` is not an answer: use 0 to {}, dk (don't know), na (not applicable) or leave it empty",
                            model.scale.max
                        ),
                    );
                    ok = false;
                }
            }
        }
        let name = match respondent {
            Some((c, name)) if name.is_empty() => {
                issues.push(
                    line,
                    Some((c + 1, "respondent")),
                    "the respondent's name or code is empty",
                );
                ok = false;
                name
            }
            Some((c, name)) => {
                if let Some(first) = respondents.insert(name.to_lowercase(), line) {
                    issues.push(
                        line,
                        Some((c + 1, "respondent")),
                        format!("respondent `{name}` is named twice (also line {first})"),
                    );
                    ok = false;
                }
                name
            }
            None => String::new(),
        };
        let role_group = match role {
            Some((c, role)) => match model.role_group_index(&role) {
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
                            format!("unknown role `{role}` (use one of: {})", known.join(", "))
                        },
                    );
                    ok = false;
                    None
                }
            },
            None => None,
        };
        if let (true, true, Some(role_group)) = (ok, utf8_ok.get(), role_group) {
            rows.push(ParsedRow {
                line,
                respondent: name,
                role_group,
                department,
                answers,
            });
        }
    }
    if issues.0.is_empty() && rows.is_empty() {
        issues.push(1, None, "the file has a header but no respondent rows");
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
/// checks ("already in the round") use it to point at the respondent column.
pub fn header_column(data: &[u8], name: &str) -> Option<usize> {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(detect_delimiter(data))
        .has_headers(false)
        .flexible(true)
        .from_reader(data);
    let header = reader.byte_records().next()?.ok()?;
    header
        .iter()
        .position(|h| String::from_utf8_lossy(h).trim().eq_ignore_ascii_case(name))
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
pub fn write(model: &Model, rows: &[RowOut<'_>]) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let mut header = vec!["respondent", "role", "department"];
    header.extend(model.questions.iter().map(|q| q.id.as_str()));
    w.write_record(&header)
        .expect("writing to memory cannot fail");
    for r in rows {
        let mut record = vec![
            r.respondent.to_string(),
            model.role_groups[r.role_group].id.clone(),
            r.department.to_string(),
        ];
        record.extend(
            r.answers
                .iter()
                .map(|a| a.map(|a| a.to_string()).unwrap_or_default()),
        );
        w.write_record(&record)
            .expect("writing to memory cannot fail");
    }
    String::from_utf8(w.into_inner().expect("in-memory writer")).expect("CSV of UTF-8 strings")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> Model {
        Model::default_model()
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
