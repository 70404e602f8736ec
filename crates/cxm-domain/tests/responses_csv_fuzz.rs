//! Fuzzing `responses_csv::parse`: arbitrary bytes and structured random CSVs (random
//! separators, quoting, byte-order mark, CRLF and lone CR, blank lines, rows cut short
//! or too long, hostile and valid cells) never panic; an accepted file always gives
//! clean respondents and answers that fit the model, and a refused one lists its
//! problems in order, each at a line of the file and printable on a terminal. Plus the
//! export round trip: `write` then `parse` gives back the same respondents.
//!
//! Cases per property: 2,000 by default; set `CXM_FUZZ_CASES` for more, e.g.
//! `CXM_FUZZ_CASES=100000 cargo test --release -p cxm-domain --test responses_csv_fuzz`.
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use std::collections::HashSet;

use cxm_domain::answer::Answer;
use cxm_domain::responses_csv::{self, CsvError, MAX_ISSUES, ParsedResponses, RowOut};
use cxm_domain::{Model, text};
use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("CXM_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        // A failure is shrunk to a small file; do not spend minutes on it.
        max_shrink_iters: 2_000,
        ..ProptestConfig::default()
    }
}

fn model() -> &'static Model {
    static MODEL: std::sync::OnceLock<Model> = std::sync::OnceLock::new();
    MODEL.get_or_init(Model::default_model)
}

/// Lines of the file as `parse` numbers them: a line ends at `\n`, `\r\n` or a lone `\r`.
fn line_count(data: &[u8]) -> u64 {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let mut lines = 1;
    for (i, &b) in data.iter().enumerate() {
        if b == b'\n' || (b == b'\r' && data.get(i + 1) != Some(&b'\n')) {
            lines += 1;
        }
    }
    lines
}

/// What must hold of any result of `parse(model, data)`.
fn check(m: &Model, data: &[u8], result: &Result<ParsedResponses, CsvError>) {
    let lines = line_count(data);
    match result {
        Ok(parsed) => {
            assert!(!parsed.rows.is_empty(), "accepted a file without rows");
            let columns: HashSet<usize> = parsed.columns.iter().copied().collect();
            assert_eq!(columns.len(), parsed.columns.len(), "a question twice");
            assert!(columns.iter().all(|&q| q < m.questions.len()));
            let mut folds = HashSet::new();
            let mut previous_line = 0;
            for row in &parsed.rows {
                assert!(
                    row.line > previous_line && row.line >= 2 && row.line <= lines,
                    "row at line {} after {previous_line}, file of {lines} lines",
                    row.line
                );
                previous_line = row.line;
                assert!(!row.respondent.is_empty());
                assert_eq!(
                    text::clean_name(&row.respondent, "name", text::MAX_NAME_CHARS).as_ref(),
                    Ok(&row.respondent),
                    "the respondent is not clean"
                );
                assert!(
                    folds.insert(text::fold(&row.respondent)),
                    "respondent {:?} twice",
                    row.respondent
                );
                if let Some(d) = &row.department {
                    assert_eq!(
                        text::clean_name(d, "department", text::MAX_NAME_CHARS).as_ref(),
                        Ok(d),
                        "the department is not clean"
                    );
                }
                assert!(row.role_group < m.role_groups.len());
                let mut answered = HashSet::new();
                for &(q, a) in &row.answers {
                    assert!(columns.contains(&q), "an answer outside the columns");
                    assert!(answered.insert(q), "question {q} answered twice");
                    assert!(a.fits(m), "{a} does not fit the model");
                }
                let order: Vec<usize> = row.answers.iter().map(|&(q, _)| q).collect();
                let in_columns: Vec<usize> = parsed
                    .columns
                    .iter()
                    .copied()
                    .filter(|q| answered.contains(q))
                    .collect();
                assert_eq!(order, in_columns, "answers not in column order");
            }
        }
        Err(e) => {
            assert!(!e.issues.is_empty() && e.issues.len() <= MAX_ISSUES);
            assert!(!e.truncated || e.issues.len() == MAX_ISSUES);
            let keys: Vec<(u64, Option<usize>)> = e
                .issues
                .iter()
                .map(|i| (i.line, i.column.as_ref().map(|c| c.0)))
                .collect();
            assert!(keys.is_sorted(), "problems out of order: {keys:?}");
            for issue in &e.issues {
                assert!(
                    (1..=lines).contains(&issue.line),
                    "{issue} is outside a file of {lines} lines"
                );
                let shown = issue.to_string();
                assert_eq!(
                    text::terminal_safe(&shown),
                    shown,
                    "a message a terminal would interpret"
                );
                assert!(!issue.message.is_empty());
            }
        }
    }
}

/// Cells worth trying: names of every kind (accents composed and not, case, formulas,
/// quotes, separators, control characters, bidirectional overrides, invisible), roles,
/// answers right and wrong, and `<BAD>`, which becomes invalid UTF-8.
const CELLS: &[&str] = &[
    "Ana",
    "ANA",
    "ana ",
    "Tomás Ortega",
    "TOMÁS ORTEGA",
    "Toma\u{301}s  Ortega",
    "Straße",
    "STRASSE",
    "O'Neil",
    "Ana, CFO",
    "say \"hi\"",
    "=HYPERLINK(\"http://x\")",
    "'=SUM(A1)",
    "''-2",
    "-2+3",
    "@SUM(1)",
    "'plain",
    "'",
    "\u{1b}[31mred",
    "evil\u{202E}gnp",
    "a\u{2066}b",
    "\u{200B}\u{FEFF}",
    "\u{200F}שרה",
    "山田 太郎",
    "nul\0",
    "bell\u{7}",
    "two\nlines",
    "cr\rin",
    "c1\u{85}",
    "<BAD>",
    " ",
    "",
    "",
    "executive",
    "Executive",
    "manager",
    "front-line",
    "Front line",
    "boss",
    "Finance",
    "0",
    "1",
    "2",
    "3",
    "4",
    " 4 ",
    "5",
    "9",
    "300",
    "dk",
    "DK",
    "na",
    "n/a",
    "don't know",
    "not applicable",
    "'3",
    "-1",
    "3.5",
    "+1",
];

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => prop::sample::select(CELLS).prop_map(str::to_string),
        2 => "[0-4]",
        1 => "[A-Za-z0-9 ,;\"'=+@\t-]{0,10}",
        1 => any::<String>(),
        1 => Just("x".repeat(201)),
    ]
}

/// Valid names, departments, roles and answers (`parse` accepts each).
const NAMES: &[&str] = &[
    "Ana",
    "Tomás Ortega",
    "Toma\u{301}s  Ortega",
    "STRASSE",
    "O'Neil",
    "Ana, CFO",
    "say \"hi\"",
    "=HYPERLINK(\"http://x\")",
    "'=SUM(A1)",
    "-2+3",
    "@SUM(1)",
    "'",
    "\u{200F}שרה",
    "山田 太郎",
    " padded ",
];
const ROLES: &[&str] = &[
    "executive",
    "Executive",
    "manager",
    " MANAGER ",
    "front-line",
    "Front line",
];
const ANSWERS: &[&str] = &[
    "",
    "",
    "0",
    "1",
    "2",
    "3",
    "4",
    " 4 ",
    "dk",
    "DK",
    "na",
    "n/a",
    "don't know",
];

/// One cell of a row: what it holds depends on its column's header, so every kind is
/// drawn; `wild` replaces it when `roll` is below the file's level of dirt.
#[derive(Debug, Clone)]
struct Cell {
    name: &'static str,
    /// Make the name unique by appending the row's number (else names repeat).
    unique: bool,
    department: &'static str,
    role: &'static str,
    answer: &'static str,
    roll: u8,
    wild: String,
}

fn row_cell() -> impl Strategy<Value = Cell> {
    (
        prop::sample::select(NAMES),
        prop::bool::weighted(0.95),
        prop::sample::select(vec![
            "",
            "",
            "Finance",
            "Ventas Sur",
            "-ops",
            "Gestio\u{301}n",
        ]),
        prop::sample::select(ROLES),
        prop::sample::select(ANSWERS),
        any::<u8>(),
        cell(),
    )
        .prop_map(
            |(name, unique, department, role, answer, roll, wild)| Cell {
                name,
                unique,
                department,
                role,
                answer,
                roll,
                wild,
            },
        )
}

fn wild_header() -> impl Strategy<Value = String> {
    let ids: Vec<String> = model().questions.iter().map(|q| q.id.clone()).collect();
    prop_oneof![
        1 => prop::sample::select(ids).prop_map(|id| format!(" {} ", id.to_lowercase())),
        2 => prop::sample::select(vec![
            "respondent", "Role", "department", "DEPARTMENT", "'respondent", "NOPE", "", " ",
            "'=x", "\u{1b}]8;;x", "<BAD>",
        ])
        .prop_map(str::to_string),
        1 => cell(),
    ]
}

/// A structured random file: header and rows, and how to write them.
#[derive(Debug, Clone)]
struct Plan {
    bom: bool,
    separator: u8,
    header: Vec<String>,
    rows: Vec<(Vec<Cell>, i8)>,
    /// A cell is wild when its roll is below this: 0 (a valid file), or more.
    dirt: u8,
    /// Per line: the line end (`\n`, `\r\n`, `\r`, or none for the last line).
    ends: Vec<&'static str>,
    /// Per line: blank lines written after it (`""`, spaces, separators only: `SEP`).
    blanks: Vec<Vec<&'static str>>,
    /// Per cell, cycled: quote it even when it does not need it.
    quote: Vec<bool>,
    /// Cut the file here (a fraction of its length): a quote left open, a row cut short.
    cut: Option<f64>,
}

fn plan() -> impl Strategy<Value = Plan> {
    let ids: Vec<String> = model().questions.iter().map(|q| q.id.clone()).collect();
    let header = (
        prop::bool::weighted(0.95),
        any::<bool>(),
        prop::sample::subsequence(ids, 0..10),
        prop::option::weighted(0.15, (any::<prop::sample::Index>(), wild_header())),
    )
        .prop_map(|(required, department, mut header, wild)| {
            if required {
                let at = header.len() / 2;
                header.insert(at, "Respondent".into());
                header.insert(0, "role".into());
            }
            if department {
                header.push("department".into());
            }
            if let Some((at, wild)) = wild {
                header.insert(at.index(header.len() + 1), wild);
            }
            header
        });
    // Rows are as long as the header, give or take (cut short, one cell too many).
    let row = (
        prop::collection::vec(row_cell(), 14),
        prop::sample::select(vec![0i8, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -3, 1]),
    );
    (
        (any::<bool>(), prop::sample::select(vec![b',', b';', b'\t'])),
        header,
        prop::collection::vec(row, 0..12),
        prop::sample::select(vec![0u8, 0, 0, 2, 20, 120]),
        prop::collection::vec(
            prop::sample::select(vec!["\n", "\r\n", "\n", "\r", ""]),
            1..16,
        ),
        prop::collection::vec(
            prop::collection::vec(prop::sample::select(vec!["", "  ", "SEP", "SEP SEP"]), 0..2),
            1..16,
        ),
        prop::collection::vec(prop::bool::weighted(0.2), 1..16),
        prop::option::weighted(0.05, 0.0..1.0f64),
    )
        .prop_map(
            |((bom, separator), header, rows, dirt, ends, blanks, quote, cut)| Plan {
                bom,
                separator,
                header,
                rows,
                dirt,
                ends,
                blanks,
                quote,
                cut,
            },
        )
}

/// The text of the cell of row `r` (0-based) under header `column`.
fn cell_text(plan: &Plan, r: usize, column: Option<&String>, c: &Cell) -> String {
    if c.roll < plan.dirt {
        return c.wild.clone();
    }
    let m = model();
    let kind = column.map(|h| h.trim().to_ascii_lowercase());
    match kind.as_deref() {
        Some("respondent") if c.unique => format!("{} {r}", c.name),
        Some("respondent") => c.name.to_string(),
        Some("role") => c.role.to_string(),
        Some("department") => c.department.to_string(),
        Some(id) if m.questions.iter().any(|q| q.id.eq_ignore_ascii_case(id)) => {
            c.answer.to_string()
        }
        _ => c.wild.clone(),
    }
}

fn render(plan: &Plan) -> Vec<u8> {
    let sep = plan.separator as char;
    let mut out = String::new();
    if plan.bom {
        out.push('\u{feff}');
    }
    let mut n = 0;
    let mut write_line = |out: &mut String, i: usize, cells: Vec<String>| {
        for (j, c) in cells.iter().enumerate() {
            if j > 0 {
                out.push(sep);
            }
            let needs = c.contains([sep, '"', '\n', '\r']);
            n += 1;
            if needs || plan.quote[n % plan.quote.len()] {
                out.push('"');
                out.push_str(&c.replace('"', "\"\""));
                out.push('"');
            } else {
                out.push_str(c);
            }
        }
        let end = match plan.ends[i % plan.ends.len()] {
            "" if i < plan.rows.len() => "\n",
            e => e,
        };
        out.push_str(end);
        for blank in &plan.blanks[i % plan.blanks.len()] {
            out.push_str(if end.is_empty() { "\n" } else { "" });
            out.push_str(&blank.replace("SEP", &sep.to_string()));
            out.push_str(if end.is_empty() { "" } else { end });
        }
    };
    write_line(&mut out, 0, plan.header.clone());
    for (r, (cells, delta)) in plan.rows.iter().enumerate() {
        let len = (plan.header.len() as isize + isize::from(*delta)).clamp(0, 14) as usize;
        let texts = cells[..len]
            .iter()
            .enumerate()
            .map(|(j, c)| cell_text(plan, r, plan.header.get(j), c))
            .collect();
        write_line(&mut out, r + 1, texts);
    }
    let mut bytes = Vec::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(at) = rest.find("<BAD>") {
        bytes.extend_from_slice(&rest.as_bytes()[..at]);
        bytes.extend_from_slice(b"\xC3\x28\xFF");
        rest = &rest[at + "<BAD>".len()..];
    }
    bytes.extend_from_slice(rest.as_bytes());
    if let Some(cut) = plan.cut {
        bytes.truncate((bytes.len() as f64 * cut) as usize);
    }
    bytes
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_never_panic(data in prop::collection::vec(any::<u8>(), 0..600)) {
        let m = model();
        check(m, &data, &responses_csv::parse(m, &data));
        let _ = responses_csv::header_column(&data, "respondent");
    }

    #[test]
    fn arbitrary_text_with_csv_punctuation_never_panics(
        data in "[a-z0-9 ,;\t\"'\r\n=-]{0,300}",
    ) {
        let m = model();
        check(m, data.as_bytes(), &responses_csv::parse(m, data.as_bytes()));
    }

    #[test]
    fn structured_random_files_never_panic_and_keep_the_invariants(plan in plan()) {
        let m = model();
        let data = render(&plan);
        let result = responses_csv::parse(m, &data);
        check(m, &data, &result);
        if let Some(col) = responses_csv::header_column(&data, "respondent") {
            prop_assert!(col >= 1);
        }
    }
}

/// Names as the store keeps them: anything `text::clean_name` accepts.
fn clean_name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(CELLS).prop_map(str::to_string),
        2 => "['=+@-]{0,3}[A-Za-zÀ-ÿ0-9 ,;\"'=+@-]{1,12}",
        1 => any::<String>(),
    ]
    .prop_filter_map("not a clean name", |n| {
        text::clean_name(&n, "name", text::MAX_NAME_CHARS).ok()
    })
}

fn answer() -> impl Strategy<Value = Option<Answer>> {
    prop_oneof![
        2 => Just(None),
        1 => Just(Some(Answer::DontKnow)),
        1 => Just(Some(Answer::NotApplicable)),
        6 => (0u8..=4).prop_map(|v| Some(Answer::Scale(v))),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases() / 4 + 1, ..config() })]

    #[test]
    fn an_exported_file_reads_back_as_it_was(
        people in prop::collection::vec(
            (
                clean_name(),
                0..model().role_groups.len(),
                prop::option::of(clean_name()),
                // One per question of the model, as the store keeps them.
                prop::collection::vec(answer(), model().questions.len()),
            ),
            1..12,
        ),
    ) {
        let m = model();
        let mut folds = HashSet::new();
        let people: Vec<_> = people
            .into_iter()
            .filter(|p| folds.insert(text::fold(&p.0)))
            .collect();
        let rows: Vec<RowOut<'_>> = people
            .iter()
            .map(|(name, group, department, answers)| RowOut {
                respondent: name,
                role_group: *group,
                department: department.as_deref().unwrap_or(""),
                answers,
            })
            .collect();
        let written = responses_csv::write(m, &rows);
        let parsed = responses_csv::parse(m, written.as_bytes());
        check(m, written.as_bytes(), &parsed);
        let parsed = parsed.map_err(|e| e.to_string());
        prop_assert!(parsed.is_ok(), "{:?}\n{}", parsed, written);
        let parsed = parsed.unwrap();
        prop_assert_eq!(parsed.rows.len(), people.len());
        for (row, (name, group, department, answers)) in parsed.rows.iter().zip(&people) {
            prop_assert_eq!(&row.respondent, name);
            prop_assert_eq!(row.role_group, *group);
            prop_assert_eq!(row.department.as_ref(), department.as_ref());
            let expected: Vec<(usize, Answer)> = answers
                .iter()
                .enumerate()
                .filter_map(|(q, a)| a.map(|a| (q, a)))
                .collect();
            prop_assert_eq!(&row.answers, &expected);
        }
    }
}

#[test]
fn the_structured_files_are_accepted_often_enough_to_test_acceptance() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let m = model();
    let mut runner = TestRunner::deterministic();
    let strategy = plan();
    let (mut accepted, total) = (0, 1_000);
    for _ in 0..total {
        let data = render(&strategy.new_tree(&mut runner).unwrap().current());
        accepted += usize::from(responses_csv::parse(m, &data).is_ok());
    }
    eprintln!("accepted {accepted} of {total}");
    assert!(accepted * 5 >= total, "only {accepted} of {total} accepted");
    assert!(accepted * 5 <= total * 4, "{accepted} of {total} accepted");
}
