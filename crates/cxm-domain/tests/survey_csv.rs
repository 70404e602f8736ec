//! ODK Central and KoboToolbox CSV exports of the survey form (`survey_csv`), read from
//! fixtures shaped like the tools' real exports (`tests/survey/`, documented in
//! `docs/survey-forms.md`).

use cxm_domain::Answer;
use cxm_domain::model::{BUILT_IN_MODELS, Model};
use cxm_domain::responses_csv::{self, CsvError, RowOut};
use cxm_domain::survey_csv::{self, Flavour, LeftOutReason, ParsedSurvey};

const ODK: &str = include_str!("survey/odk-central-v2.csv");
const KOBO: &str = include_str!("survey/kobo-v2.csv");
const KOBO_LABELS: &str = include_str!("survey/kobo-labels-v2.csv");

fn v2() -> Model {
    Model::default_model()
}

fn v1() -> Model {
    Model::from_toml(BUILT_IN_MODELS[0].1, BUILT_IN_MODELS[0].0).expect("v1 is valid")
}

fn parse(model: &Model, text: &str) -> ParsedSurvey {
    survey_csv::parse(model, text.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
}

fn refused(model: &Model, text: &str) -> String {
    match survey_csv::parse(model, text.as_bytes()) {
        Ok(p) => panic!("accepted: {} rows", p.responses.rows.len()),
        Err(CsvError { issues, .. }) => issues
            .iter()
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// The answers the fixtures were written with: row `r`, question `i` (in form order,
/// which is model order for v2), when the row's role group is asked it.
fn fixture_answer(r: usize, i: usize) -> Answer {
    const VALUES: [&str; 7] = ["0", "1", "2", "3", "4", "dk", "na"];
    let v = if !(r + i).is_multiple_of(11) {
        VALUES[(r * 7 + i * 3) % 7]
    } else {
        "3"
    };
    v.parse().expect("a fixture answer")
}

fn expected_answers(m: &Model, r: usize, role: usize) -> Vec<(usize, Answer)> {
    (0..m.questions.len())
        .filter(|&q| m.asks(q, role))
        .map(|q| (q, fixture_answer(r, q)))
        .collect()
}

fn role(m: &Model, id: &str) -> usize {
    m.role_group_index(id).expect("a role group")
}

/// `text` with line `line` (1-based) changed by `f`.
fn with_line(text: &str, line: usize, f: impl Fn(&str) -> String) -> String {
    text.split_inclusive('\n')
        .enumerate()
        .map(|(i, l)| if i + 1 == line { f(l) } else { l.to_string() })
        .collect()
}

/// Cell `col` (0-based) of a plain comma-separated line set to `value`.
fn set_cell(line: &str, col: usize, value: &str) -> String {
    let end = line.trim_end_matches(['\r', '\n']);
    let mut cells: Vec<String> = end.split(',').map(str::to_string).collect();
    cells[col] = value.to_string();
    format!("{}{}", cells.join(","), &line[end.len()..])
}

fn odk_column(header: &str) -> usize {
    ODK.lines()
        .next()
        .expect("a header")
        .split(',')
        .position(|h| h == header)
        .unwrap_or_else(|| panic!("no column {header}"))
}

#[test]
fn the_model_ids_in_the_fixtures_are_in_model_order() {
    // The fixtures list v2's questions block by block, as the form does.
    let m = v2();
    let header = ODK.lines().next().expect("a header");
    let ids: Vec<&str> = header
        .split(',')
        .filter_map(|h| {
            m.blocks
                .iter()
                .find_map(|b| h.strip_prefix(&format!("{}-", b.id)))
        })
        .collect();
    let model: Vec<&str> = m.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, model);
}

#[test]
fn reads_an_odk_central_export() {
    let m = v2();
    let p = parse(&m, ODK);
    assert_eq!(p.flavour, Flavour::OdkCentral);
    assert_eq!(
        p.responses.columns,
        (0..m.questions.len()).collect::<Vec<_>>()
    );
    let rows = &p.responses.rows;
    let names: Vec<&str> = rows.iter().map(|r| r.respondent.as_str()).collect();
    assert_eq!(
        names,
        [
            "EXEC-01",
            "Respondent 0a1b861fa5fd",
            "Respondent 485839521892",
            "MGR-07",
            "Tomás"
        ]
    );
    assert_eq!(
        rows.iter().map(|r| r.line).collect::<Vec<_>>(),
        [2, 3, 4, 6, 7]
    );
    assert_eq!(
        p.keys,
        [
            "6f1c2e0a-93b4-4d6e-8a51-0c7d2b9e4f10",
            "0a1b861f-a5fd-4f49-846a-78dcf06cfc1b",
            "48583952-1892-4931-8d9c-869e7b49bafb",
            // An edited submission keeps its KEY (the first version's instance id).
            "9e3f1b2c-7d4a-4e5f-8b6c-1a2d3e4f5a6b",
            "3f15cdfe-3eab-4678-8352-7806febf158d",
        ]
    );
    let departments: Vec<Option<&str>> = rows.iter().map(|r| r.department.as_deref()).collect();
    assert_eq!(
        departments,
        [
            Some("Finance"),
            Some("Customer Service"),
            Some("Retail"),
            Some("Operations"),
            Some("Sales, North")
        ]
    );
    // The rows are 0, 1, 2, 4 and 5 of the file (3 was rejected).
    for (row, (r, id)) in rows.iter().zip([
        (0, "executive"),
        (1, "manager"),
        (2, "front-line"),
        (4, "manager"),
        (5, "executive"),
    ]) {
        let g = role(&m, id);
        assert_eq!(row.role_group, g);
        assert_eq!(row.answers, expected_answers(&m, r, g), "line {}", row.line);
    }
    // The front-line respondent was shown only the questions asked of everyone: the
    // others are empty cells, not answers.
    assert_eq!(rows[2].answers.len(), m.asked_count(role(&m, "front-line")));
    assert!(rows[2].answers.len() < m.questions.len());
    // The rejected submission is reported, not imported.
    assert_eq!(p.left_out.len(), 1);
    assert_eq!(p.left_out[0].line, 5);
    assert_eq!(p.left_out[0].key, "317ba7b7-bea4-4a8c-8620-a483c3079c4b");
    assert_eq!(p.left_out[0].reason, LeftOutReason::RejectedInOdkCentral);
    assert_eq!(
        p.ignored_columns,
        [
            "SubmissionDate",
            "intro",
            "SubmitterID",
            "SubmitterName",
            "AttachmentsPresent",
            "AttachmentsExpected",
            "DeviceID",
            "Edits",
            "FormVersion"
        ]
    );
}

#[test]
fn reads_a_kobotoolbox_export_with_groups_in_headers() {
    let m = v2();
    let p = parse(&m, KOBO);
    assert_eq!(p.flavour, Flavour::KoboToolbox);
    let rows = &p.responses.rows;
    let names: Vec<&str> = rows.iter().map(|r| r.respondent.as_str()).collect();
    assert_eq!(
        names,
        [
            "Respondent 61a0f0c25d3b",
            "FL-\"12\"",
            // An edited submission: meta/rootUuid (kept by edits), not the new _uuid.
            "Respondent a4c3b2d16e5f"
        ]
    );
    assert_eq!(
        p.keys,
        [
            "61a0f0c2-5d3b-4d8e-9a4f-2b1c0e9d8a71",
            "7b2e4c91-0a3f-4b6d-8e5c-9d1f2a3b4c5d",
            "a4c3b2d1-6e5f-4a7b-8c9d-0e1f2a3b4c5d"
        ]
    );
    assert_eq!(rows[2].department, None);
    for (row, (r, id)) in rows
        .iter()
        .zip([(10, "executive"), (11, "front-line"), (12, "manager")])
    {
        assert_eq!(row.role_group, role(&m, id));
        assert_eq!(row.answers, expected_answers(&m, r, row.role_group));
    }
    assert_eq!(p.left_out.len(), 1);
    assert_eq!(
        (p.left_out[0].line, p.left_out[0].reason),
        (5, LeftOutReason::NotApprovedInKobo)
    );
    assert!(p.ignored_columns.iter().any(|c| c == "_submission_time"));
    assert!(!p.ignored_columns.iter().any(|c| c == "_uuid"));
}

#[test]
fn reads_a_kobotoolbox_export_of_labels() {
    let m = v2();
    let p = parse(&m, KOBO_LABELS);
    assert_eq!(p.flavour, Flavour::KoboToolbox);
    let rows = &p.responses.rows;
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (rows[0].respondent.as_str(), rows[0].role_group),
        ("EX-9", role(&m, "executive"))
    );
    assert_eq!(rows[0].department.as_deref(), Some("Strategy office"));
    assert_eq!(
        (rows[1].respondent.as_str(), rows[1].role_group),
        ("Respondent 7e6d5c4b3a29", role(&m, "front-line"))
    );
    assert_eq!(
        rows[0].answers,
        expected_answers(&m, 20, rows[0].role_group)
    );
    assert_eq!(
        rows[1].answers,
        expected_answers(&m, 22, rows[1].role_group)
    );
    // Labels such as "3 — Largely in place", "Don't know" and "Not applicable".
    assert!(
        rows[0]
            .answers
            .iter()
            .any(|&(_, a)| a == Answer::NotApplicable)
    );
    assert!(rows[0].answers.iter().any(|&(_, a)| a == Answer::DontKnow));
    assert_eq!(
        (p.left_out[0].line, p.left_out[0].reason),
        (3, LeftOutReason::NotApprovedInKobo)
    );
}

#[test]
fn labels_match_with_straight_quotes_single_spaces_and_groups() {
    // pyxform writes straight quotes for curly ones; a tool may collapse spaces; with
    // "Include groups in headers" the block's name comes first.
    let m = v2();
    let base = parse(&m, KOBO_LABELS);
    assert!(
        KOBO_LABELS.contains('’'),
        "the fixture has curly quotes to straighten"
    );
    let header = KOBO_LABELS.lines().next().expect("a header");
    let mut changed = header.replace('’', "'").replace(". ", ".  ");
    for q in &m.questions {
        let block = &m.blocks[q.block].name;
        let text = q.text.replace('’', "'").replace(". ", ".  ");
        changed = changed.replacen(&format!("\"{text}\""), &format!("\"{block}/{text}\""), 1);
    }
    assert!(changed.contains("\"Voice of the Customer/"));
    let p = parse(&m, &KOBO_LABELS.replacen(header, &changed, 1));
    assert_eq!(p.responses, base.responses);
    assert_eq!(p.keys, base.keys);
}

#[test]
fn detects_the_exports_and_nothing_else() {
    assert_eq!(
        survey_csv::detect(ODK.as_bytes()),
        Some(Flavour::OdkCentral)
    );
    assert_eq!(
        survey_csv::detect(KOBO.as_bytes()),
        Some(Flavour::KoboToolbox)
    );
    assert_eq!(
        survey_csv::detect(KOBO_LABELS.as_bytes()),
        Some(Flavour::KoboToolbox)
    );
    // By the cxm_form column alone (a file someone trimmed of the meta columns).
    assert_eq!(
        survey_csv::detect(b"role,cxm_form,STR-1.1\n"),
        Some(Flavour::OdkCentral)
    );
    assert_eq!(
        survey_csv::detect(b"\"role\";\"g/cxm_form\"\r\n"),
        Some(Flavour::KoboToolbox)
    );
    // A plain responses CSV, as `cxm export --format csv` writes it, is not one.
    let m = v2();
    let answers = vec![Some(Answer::Scale(3)); m.questions.len()];
    let plain = responses_csv::write(
        &m,
        &[RowOut {
            respondent: "Ana",
            role_group: 0,
            department: "Finance",
            answers: &answers,
        }],
    );
    assert_eq!(survey_csv::detect(plain.as_bytes()), None);
    assert!(responses_csv::parse(&m, plain.as_bytes()).is_ok());
    assert_eq!(
        survey_csv::detect(b"respondent;role;department;STR-1.1\n"),
        None
    );
    assert_eq!(survey_csv::detect(b""), None);
    // A responses CSV of a model with a question called like a meta column.
    assert_eq!(survey_csv::detect(b"respondent,role,Status,KEY\n"), None);
    // An ODK Central export of another form is one (its import refuses it).
    assert_eq!(
        survey_csv::detect(b"SubmissionDate,name,age,KEY,SubmitterID\n"),
        Some(Flavour::OdkCentral)
    );
}

#[test]
fn another_form_is_refused() {
    // ODK Central's own test export of a form with groups (central-backend,
    // test/unit/data/briefcase.js).
    let foreign = "SubmissionDate,meta-instanceID,name,home-type,home-address-street,home-address-city,KEY,SubmitterID,SubmitterName,AttachmentsPresent,AttachmentsExpected,Status,ReviewState,DeviceID,Edits,FormVersion\n\
2018-01-01T00:00:00.000Z,one,Alice,Apartment,101 Pike St,\"Seattle, WA\",one,,,0,0,,,,0,version\n";
    let e = refused(&v2(), foreign);
    assert_eq!(
        e,
        "line 1: this is not an export of a CX Maturity survey form: no cxm_form column (export the form with `cxm export ROUND --format xlsform`, collect with ODK Central or KoboToolbox, and import their CSV export)"
    );
    // A plain responses CSV given to this parser is refused the same way.
    let e = refused(&v2(), "respondent,role,STR-1.1\nAna,executive,3\n");
    assert!(e.contains("no cxm_form column"), "{e}");
}

#[test]
fn another_model_version_is_refused() {
    let e = refused(&v1(), ODK);
    assert_eq!(
        e,
        "line 2, column 6 (cxm_form): this export is of the form for model cx-maturity@2, the round uses cx-maturity@1: export the form again from this round"
    );
    let e = refused(&v1(), KOBO_LABELS);
    assert!(
        e.contains(
            "this export is of the form for model cx-maturity@2, the round uses cx-maturity@1"
        ),
        "{e}"
    );
    // A later row of another version (a form replaced mid-survey) is a problem of
    // that row.
    let form = odk_column("cxm_form");
    let mixed = with_line(ODK, 4, |l| set_cell(l, form, "cx-maturity@3"));
    let e = refused(&v2(), &mixed);
    assert_eq!(
        e,
        "line 4, column 6 (cxm_form): this export is of the form for model cx-maturity@3, the round uses cx-maturity@2: export the form again from this round"
    );
    let empty = with_line(ODK, 3, |l| set_cell(l, form, ""));
    let e = refused(&v2(), &empty);
    assert!(
        e.contains("line 3, column 6 (cxm_form): the cxm_form cell is empty"),
        "{e}"
    );
}

#[test]
fn bad_values_are_listed_with_line_and_column() {
    let m = v2();
    let q1 = odk_column("strategy-STR-1.1");
    let q2 = odk_column("strategy-STR-1.2");
    let roles = odk_column("role");
    let text = with_line(ODK, 2, |l| set_cell(&set_cell(l, q1, "7"), q2, "maybe"));
    let text = with_line(&text, 3, |l| set_cell(l, roles, "boss"));
    // Line 4 is a front-line respondent: STR-1.1 is not asked of them.
    let text = with_line(&text, 4, |l| set_cell(l, q1, "2"));
    let e = refused(&m, &text);
    let expected = [
        format!(
            "line 2, column {} (strategy-STR-1.1): `7` is not an answer: expected 0 to 4, dk (don't know), na (not applicable), their labels, or empty",
            q1 + 1
        ),
        format!(
            "line 2, column {} (strategy-STR-1.2): `maybe` is not an answer",
            q2 + 1
        ),
        format!(
            "line 3, column {} (role): unknown role `boss` (one of: executive, manager, front-line)",
            roles + 1
        ),
        format!(
            "line 4, column {} (strategy-STR-1.1): answered, but the form does not ask this of Front line (was the form changed?)",
            q1 + 1
        ),
    ];
    let lines: Vec<&str> = e.lines().collect();
    assert_eq!(lines.len(), expected.len(), "{e}");
    for (line, want) in lines.iter().zip(&expected) {
        assert!(line.starts_with(want.as_str()), "{line}\n  wanted {want}");
    }
}

#[test]
fn duplicate_submissions_and_names_are_errors() {
    let m = v2();
    // The same submission twice (an export concatenated with itself).
    let row: &str = ODK.lines().nth(1).expect("a row");
    let text = format!("{ODK}{row}\n");
    let e = refused(&m, &text);
    let key = odk_column("KEY");
    assert_eq!(
        e,
        format!(
            "line 8, column {} (KEY): submission `6f1c2e0a-93b4-4d6e-8a51-0c7d2b9e4f10` appears twice (also line 2)",
            key + 1
        )
    );
    // Two submissions with one code (case aside).
    let code = odk_column("respondent_code");
    let text = with_line(ODK, 6, |l| set_cell(l, code, "exec-01"));
    let e = refused(&m, &text);
    assert_eq!(
        e,
        format!(
            "line 6, column {} (respondent_code): respondent `exec-01` is named twice (also line 2)",
            code + 1
        )
    );
}

#[test]
fn odk_central_variants_read_the_same() {
    let m = v2();
    let base = parse(&m, ODK);
    let same = |p: &ParsedSurvey| {
        assert_eq!(p.responses.rows, base.responses.rows);
        assert_eq!(p.keys, base.keys);
        assert_eq!(p.left_out, base.left_out);
    };
    // A byte order mark and CRLF line ends.
    let crlf = format!("\u{feff}{}", ODK.replace('\n', "\r\n"));
    same(&parse(&m, &crlf));
    // "Remove group names": bare names, the instance id as `instanceID`.
    let header = ODK.lines().next().expect("a header");
    let mut bare = header.to_string();
    for b in &m.blocks {
        bare = bare.replace(&format!(",{}-", b.id), ",");
    }
    let bare = bare.replace("meta-instanceID", "instanceID");
    same(&parse(&m, &ODK.replacen(header, &bare, 1)));
    // Nested groups (the blocks inside another group) and tabs.
    let nested = header.replace(",strategy-", ",survey-strategy-");
    // "Sales, North" is quoted for its comma; a tab-separated file needs no quotes.
    let tabbed = ODK
        .replacen(header, &nested, 1)
        .replace("\"Sales, North\"", "Sales@North")
        .replace(',', "\t")
        .replace("Sales@North", "Sales, North");
    same(&parse(&m, &tabbed));
    // Without KEY, meta-instanceID is the key (the edited row then has its new id).
    let key = odk_column("KEY");
    let no_key: String = ODK
        .lines()
        .map(|l| {
            let mut cells: Vec<&str> = l.split(',').collect();
            if cells.len() > key {
                cells.remove(key);
            }
            format!("{}\n", cells.join(","))
        })
        .collect();
    // The quoted "Sales, North" splits into two cells with a plain split: keep that row
    // out of this variant.
    let no_key: String = no_key
        .lines()
        .filter(|l| !l.contains("Sales"))
        .map(|l| format!("{l}\n"))
        .collect();
    let p = parse(&m, &no_key);
    assert_eq!(p.keys[3], "c2a0d6f4-1e9b-4c3a-9f0d-5b7e8a6c4d21");
}

#[test]
fn refusals_of_the_file_as_a_whole() {
    let m = v2();
    let e = refused(&m, "");
    assert!(e.starts_with("line 1: the file is empty"), "{e}");
    let e = refused(&m, "PK\u{3}\u{4}rest of a zip");
    assert!(e.contains("this is a ZIP file"), "{e}");
    // Only the header.
    let header = ODK.lines().next().expect("a header");
    let e = refused(&m, &format!("{header}\n"));
    assert_eq!(e, "line 1: the file has a header but no submissions");
    // No instance id column.
    let e = refused(
        &m,
        &ODK.replace("meta-instanceID", "x1")
            .replace(",KEY,", ",x2,"),
    );
    assert!(e.contains("line 1: no instance id column"), "{e}");
    // A question's column left out of the export, and the department's.
    let e = refused(
        &m,
        &ODK.replacen(",strategy-STR-1.2,", ",other,", 1)
            .replacen(",department,", ",dept,", 1),
    );
    assert!(e.contains("line 1: missing column `department`"), "{e}");
    assert!(
        e.contains("line 1: the export has no column for 1 question of model cx-maturity@2: STR-1.2 (export every field of the form)"),
        "{e}"
    );
    // Two columns for one question.
    let e = refused(
        &m,
        &ODK.replacen(",strategy-STR-1.2,", ",strategy-STR-1.1,", 1),
    );
    assert!(e.contains("two columns hold `STR-1.1`"), "{e}");
}

#[test]
fn odk_central_rows_it_could_not_decrypt_are_errors() {
    let status = odk_column("Status");
    let text = with_line(ODK, 3, |l| set_cell(l, status, "not decrypted"));
    let e = refused(&v2(), &text);
    assert!(
        e.contains(&format!(
            "line 3, column {} (Status): ODK Central could not read this submission (not decrypted)",
            status + 1
        )),
        "{e}"
    );
}

#[test]
fn an_export_of_rejected_rows_only_imports_nothing_and_says_why() {
    let m = v2();
    let review = odk_column("ReviewState");
    let mut text = ODK.to_string();
    for line in 2..=7 {
        text = with_line(&text, line, |l| {
            if l.contains("Sales, North") {
                // The quoted comma: set the review state from the end of the line.
                let end = l.trim_end();
                let mut cells: Vec<&str> = end.rsplitn(5, ',').collect();
                cells[3] = "rejected";
                cells.reverse();
                format!("{}\n", cells.join(","))
            } else {
                set_cell(l, review, "rejected")
            }
        });
    }
    let p = parse(&m, &text);
    assert!(p.responses.rows.is_empty());
    assert_eq!(p.left_out.len(), 6);
    assert!(
        p.left_out
            .iter()
            .all(|l| l.reason == LeftOutReason::RejectedInOdkCentral)
    );
}

#[test]
fn a_large_export_parses() {
    // 5,000 submissions × 70 questions, as ODK Central writes them.
    let m = v2();
    let mut text = String::from("SubmissionDate,intro,role,department,respondent_code,cxm_form");
    for q in &m.questions {
        text.push_str(&format!(",{}-{}", m.blocks[q.block].id, q.id));
    }
    text.push_str(",meta-instanceID,KEY,SubmitterID,SubmitterName,AttachmentsPresent,AttachmentsExpected,Status,ReviewState,DeviceID,Edits,FormVersion\n");
    let groups = ["executive", "manager", "front-line"];
    for r in 0..5_000u32 {
        let g = r as usize % 3;
        let key = format!("uuid:{r:08x}-0000-4000-8000-{:012x}", u64::from(r) * 7919);
        text.push_str(&format!(
            "2026-03-02T09:14:03.271Z,,{},Dept {},,cx-maturity@2",
            groups[g],
            r % 12
        ));
        for (i, _) in m.questions.iter().enumerate() {
            text.push(',');
            if m.asks(i, g) {
                text.push_str(["0", "1", "2", "3", "4", "dk", "na"][(r as usize + i) % 7]);
            }
        }
        text.push_str(&format!(",{key},{key},1,Web,0,0,,,,0,2-5d1e0c7a\n"));
    }
    let p = parse(&m, &text);
    assert_eq!(p.responses.rows.len(), 5_000);
    assert_eq!(p.keys.len(), 5_000);
    assert_eq!(p.responses.rows[4_999].line, 5_001);
    assert_eq!(
        p.responses.rows[4_999].answers.len(),
        m.asked_count(4_999 % 3)
    );
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    /// Pieces an export is made of, with the ways files break.
    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "cxm_form",
            "cx-maturity@2",
            "role",
            "executive",
            "KEY",
            "uuid:0a1b861f-a5fd-4f49-846a-78dcf06cfc1b",
            "strategy-STR-1.1",
            "g/STR-1.2",
            "_uuid",
            "ReviewState",
            "rejected",
            "3",
            "dk",
            "Don't know",
            "",
            ",",
            ";",
            "\t",
            "\n",
            "\r\n",
            "\r",
            "\"",
            "\"a;b\nc\"",
            "#tag",
            "é",
            "\u{feff}",
            "\u{202e}",
            "\u{0}",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn any_text_is_read_or_refused_never_a_panic(
            pieces in prop::collection::vec(piece(), 0..120),
        ) {
            let m = v2();
            let text = pieces.concat();
            let _ = survey_csv::detect(text.as_bytes());
            if let Ok(p) = survey_csv::parse(&m, text.as_bytes()) {
                prop_assert_eq!(p.keys.len(), p.responses.rows.len());
            }
        }

        #[test]
        fn a_damaged_export_is_read_or_refused_never_a_panic(
            cut in 0usize..4_000,
            at in 0usize..4_000,
            inserted in prop::collection::vec(piece(), 0..6),
            bytes in prop::collection::vec(any::<u8>(), 0..8),
        ) {
            let m = v2();
            let mut data = ODK.as_bytes().to_vec();
            let at = at.min(data.len());
            data.splice(at..at, inserted.concat().into_bytes());
            data.splice(at..at, bytes);
            data.truncate(cut.max(1).min(data.len()));
            let _ = survey_csv::detect(&data);
            match survey_csv::parse(&m, &data) {
                Ok(p) => {
                    prop_assert_eq!(p.keys.len(), p.responses.rows.len());
                    for row in &p.responses.rows {
                        prop_assert!(row.line >= 2);
                    }
                }
                Err(e) => {
                    prop_assert!(!e.issues.is_empty());
                    prop_assert!(e.issues.len() <= cxm_domain::responses_csv::MAX_ISSUES);
                }
            }
        }
    }
}
