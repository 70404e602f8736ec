//! The plan as a workbook and CSV (`plan_files`): written, read back by our reader
//! (calamine) and by an independent one (openpyxl, in the virtual environment
//! `scripts/setup.sh` makes for pyxform), and edited by openpyxl the way a PMO edits it
//! in a spreadsheet, then read back with every problem at its cell.

use std::path::PathBuf;
use std::process::Command;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use cxm_api::plan_files::{
    COLUMNS, CellProblem, PlanRow, PlanUpdate, SPARE_ROWS, plan_csv, plan_xlsx, read_plan_updates,
};
use cxm_domain::plan::{Due, Effort, PlanItem, PlanStatus};
use serde_json::{Value, json};

#[path = "support/pyxform.rs"]
mod pyxform;
use pyxform::python;

const ORG: &str = "Acme & Sons";
const ID1: &str = "0b6c2f3e-5d7a-4c1b-9e8f-1a2b3c4d5e6f";
const ID2: &str = "7f3e2d1c-0b9a-4876-a543-210fedcba987";
const ID3: &str = "a1b2c3d4-e5f6-4789-8abc-def012345678";
const ID4: &str = "12345678-90ab-4cde-8f01-234567890abc";

/// Runs `script` with the workbook's path and `args`; its standard output as JSON.
fn openpyxl(script: &str, bytes: &[u8], args: &[&str]) -> (tempfile::TempDir, PathBuf, Value) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("plan.xlsx");
    std::fs::write(&path, bytes).expect("written");
    let run = Command::new(python())
        .arg("-c")
        .arg(script)
        .arg(&path)
        .args(args)
        .output()
        .expect("python runs");
    assert!(
        run.status.success(),
        "openpyxl: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let out = serde_json::from_slice(&run.stdout).unwrap_or_else(|e| {
        panic!(
            "openpyxl said no JSON ({e}): {}",
            String::from_utf8_lossy(&run.stdout)
        )
    });
    (dir, path, out)
}

fn created() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 9, 15, 0)
        .single()
        .expect("a time")
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

fn item(id: &str, title: &str) -> PlanItem {
    PlanItem {
        id: id.into(),
        title: title.into(),
        block: "strategy".into(),
        question: Some("STR-1.1".into()),
        owner: None,
        due: None,
        effort: None,
        status: PlanStatus::Planned,
        notes: None,
    }
}

/// Four items: plain, full, formula-like texts everywhere, a free item.
fn rows() -> Vec<PlanRow> {
    let mut full = item(ID2, "Publish a customer charter");
    full.owner = Some("Ana Souza".into());
    full.due = Some(Due::Quarter {
        year: 2027,
        quarter: 1,
    });
    full.effort = Some(Effort::M);
    full.status = PlanStatus::InProgress;
    full.notes = Some("Draft with legal.\nThen the board.".into());
    let mut formulas = item(ID3, "=HYPERLINK(\"http://x\",\"click\")");
    formulas.owner = Some("@ops team".into());
    formulas.notes = Some("+1 from the board; -2 risks".into());
    formulas.due = Some(Due::Date(day(2027, 5, 17)));
    formulas.effort = Some(Effort::L);
    formulas.status = PlanStatus::Done;
    let mut free = item(ID4, "Train the front line");
    free.question = None;
    free.block = "people".into();
    free.status = PlanStatus::Dropped;
    vec![
        PlanRow {
            item: item(ID1, "Write the CX strategy"),
            block_name: "Strategy".into(),
            question_text: Some("We have a written CX strategy.".into()),
            planned_from: Some("Baseline 2026".into()),
        },
        PlanRow {
            item: full,
            block_name: "Strategy".into(),
            question_text: Some("Customers know what we promise.".into()),
            planned_from: Some("Baseline 2026".into()),
        },
        PlanRow {
            item: formulas,
            block_name: "-Governance".into(),
            question_text: Some("=1+1".into()),
            planned_from: Some("@round".into()),
        },
        PlanRow {
            item: free,
            block_name: "People".into(),
            question_text: None,
            planned_from: None,
        },
    ]
}

/// The updates that `rows` stand for, as if read back unchanged.
fn updates_of(rows: &[PlanRow]) -> Vec<PlanUpdate> {
    (2u32..)
        .zip(rows)
        .map(|(row, r)| PlanUpdate {
            item: r.item.id.clone(),
            owner: r.item.owner.clone(),
            due: r.item.due,
            effort: r.item.effort,
            status: r.item.status,
            notes: r.item.notes.clone(),
            row,
            sheet: "Plan".into(),
            id_column: "A".into(),
        })
        .collect()
}

fn problem(row: u32, column: &str, header: &str, message: &str) -> CellProblem {
    CellProblem {
        sheet: "Plan".into(),
        row,
        column: column.into(),
        header: header.into(),
        message: message.into(),
    }
}

#[test]
fn the_workbook_reads_back_as_the_plan_it_was_written_from() {
    let rows = rows();
    let bytes = plan_xlsx(ORG, &rows, created()).expect("a workbook");
    assert_eq!(read_plan_updates(&bytes), Ok(updates_of(&rows)));
}

#[test]
fn the_same_plan_gives_the_same_bytes_and_the_date_is_the_one_given() {
    let rows = rows();
    let a = plan_xlsx(ORG, &rows, created()).expect("a workbook");
    let b = plan_xlsx(ORG, &rows, created()).expect("a workbook");
    assert!(a == b, "two exports of one plan differ");
    let later = plan_xlsx(ORG, &rows, created() + chrono::Duration::days(1)).expect("a workbook");
    assert!(a != later, "the creation date is not in the file");
}

#[test]
fn openpyxl_sees_the_header_panes_lists_widths_locks_and_ids() {
    let rows = rows();
    let bytes = plan_xlsx(ORG, &rows, created()).expect("a workbook");
    let script = r#"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["Plan"]
header = [c for c in ws[1]]
out = {
    "sheets": wb.sheetnames,
    "active": wb.active.title,
    "title": wb.properties.title,
    "created": wb.properties.created.isoformat(),
    "header": [c.value for c in header],
    "header_bold": all(c.font.b for c in header),
    "header_fill": sorted({c.fill.fgColor.rgb for c in header}),
    "freeze": ws.freeze_panes,
    "widths": {k: v.width for k, v in ws.column_dimensions.items()},
    "validations": sorted([[dv.type, dv.formula1, str(dv.sqref)] for dv in ws.data_validations.dataValidation if dv.type == "list"]),
    "protected": ws.protection.sheet,
    "ids": [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)],
    "locked": {c: ws[c].protection.locked for c in ["A2", "B2", "D2", "E2", "F2", "G2", "H2", "I2", "J2"]},
    "cells": {c: [ws[c].value, ws[c].data_type, bool(ws[c].quotePrefix)] for c in ["C4", "D4", "E4", "I4", "B4", "J4", "D2"]},
    "read_me": [c.value for c in wb["Read me"]["A"] if c.value],
}
print(json.dumps(out))
"#;
    let (_dir, _path, book) = openpyxl(script, &bytes, &[]);
    assert_eq!(book["sheets"], json!(["Plan", "Read me"]));
    assert_eq!(book["active"], "Plan");
    assert_eq!(book["title"], "Plan — Acme & Sons");
    assert_eq!(book["created"], "2026-11-30T09:15:00");
    let headers: Vec<&str> = COLUMNS.iter().map(|c| c.header).collect();
    assert_eq!(
        headers,
        [
            "Item id",
            "Block",
            "Question",
            "Title",
            "Owner",
            "Due",
            "Effort",
            "Status",
            "Notes",
            "Planned from"
        ]
    );
    assert_eq!(book["header"], json!(headers));
    assert_eq!(book["header_bold"], true);
    assert_eq!(book["header_fill"], json!(["FFD9E1F2"]));
    // The header row and the Item id column stay in view.
    assert_eq!(book["freeze"], "B2");
    for (letter, column) in ('A'..).zip(COLUMNS.iter()) {
        let width = book["widths"][letter.to_string()]
            .as_f64()
            .unwrap_or_else(|| panic!("no width for column {letter}: {}", book["widths"]));
        // Excel stores a width with its padding: a little more than asked.
        let asked = column.width;
        assert!(
            (asked..asked + 1.0).contains(&width),
            "{letter}: width {width}, asked {asked}"
        );
    }
    assert!(
        book["widths"]["A"].as_f64().expect("a width") >= 36.0,
        "a whole id shows"
    );
    let last = 1 + rows.len() as u32 + SPARE_ROWS;
    assert_eq!(
        book["validations"],
        json!([
            [
                "list",
                "\"Planned,In progress,Done,Dropped\"",
                format!("H2:H{last}")
            ],
            ["list", "\"S,M,L\"", format!("G2:G{last}")],
        ])
    );
    assert_eq!(book["protected"], true);
    assert_eq!(book["ids"], json!([ID1, ID2, ID3, ID4]));
    assert_eq!(
        book["locked"],
        json!({"A2": true, "B2": true, "D2": true, "J2": true,
               "E2": false, "F2": false, "G2": false, "H2": false, "I2": false})
    );
    // Formula-like texts are text cells, as written, with the quote prefix; others
    // have none.
    assert_eq!(
        book["cells"],
        json!({
            "C4": ["=1+1", "s", true],
            "D4": ["=HYPERLINK(\"http://x\",\"click\")", "s", true],
            "E4": ["@ops team", "s", true],
            "I4": ["+1 from the board; -2 risks", "s", true],
            "B4": ["-Governance", "s", true],
            "J4": ["@round", "s", true],
            "D2": ["Write the CX strategy", "s", false],
        })
    );
    let read_me = book["read_me"].as_array().expect("lines");
    assert_eq!(read_me[0], "Plan — Acme & Sons");
    assert_eq!(read_me[1], "Exported 2026-11-30.");
    assert!(
        read_me.iter().any(|l| l
            .as_str()
            .expect("text")
            .contains("Do not change the Item id column")),
        "{read_me:?}"
    );
}

/// Edits the workbook with openpyxl: `[cell, kind, value]` with kind `text` (always a
/// text cell), `number`, `date` (a real date cell), `formula`, `clear`; then
/// `delete_col` (value: column number) or `rename` (the Plan sheet's new name).
const EDIT: &str = r#"
import datetime, json, sys, openpyxl
path = sys.argv[1]
wb = openpyxl.load_workbook(path)
ws = wb["Plan"]
for cell, kind, value in json.loads(sys.argv[2]):
    if kind == "text":
        ws[cell].value = value
        ws[cell].data_type = "s"
    elif kind == "number":
        ws[cell].value = value
    elif kind == "date":
        ws[cell].value = datetime.date.fromisoformat(value)
        ws[cell].number_format = "yyyy-mm-dd"
    elif kind == "formula":
        ws[cell].value = value
    elif kind == "clear":
        ws[cell].value = None
    elif kind == "delete_col":
        ws.delete_cols(value)
    elif kind == "rename":
        ws.title = value
wb.save(path)
print(json.dumps({"types": {c: ws[c].data_type for c, k, v in json.loads(sys.argv[2]) if k in ("text", "number", "date", "formula")}}))
"#;

/// The workbook of `rows()` after `edits`, as bytes.
fn edited(edits: Value) -> Vec<u8> {
    let bytes = plan_xlsx(ORG, &rows(), created()).expect("a workbook");
    let (_dir, path, _) = openpyxl(EDIT, &bytes, &[&edits.to_string()]);
    std::fs::read(path).expect("the edited workbook")
}

#[test]
fn a_pmos_edits_read_back_as_updates_with_their_rows() {
    let bytes = edited(json!([
        ["E2", "text", "  Bo Lind  "],
        ["F2", "date", "2027-03-31"],
        ["G2", "text", "m"],
        ["H2", "text", "In progress"],
        ["I2", "text", "Started in week 3."],
        ["E3", "clear", null],
        ["F3", "text", "Q3 2027"],
        ["H3", "text", "Done"],
        ["I4", "text", "=still text"],
    ]));
    let mut expected = updates_of(&rows());
    expected[0].owner = Some("Bo Lind".into());
    expected[0].due = Some(Due::Date(day(2027, 3, 31)));
    expected[0].effort = Some(Effort::M);
    expected[0].status = PlanStatus::InProgress;
    expected[0].notes = Some("Started in week 3.".into());
    expected[1].owner = None;
    expected[1].due = Some(Due::Quarter {
        year: 2027,
        quarter: 3,
    });
    expected[1].status = PlanStatus::Done;
    expected[2].notes = Some("=still text".into());
    assert_eq!(read_plan_updates(&bytes), Ok(expected));
}

#[test]
fn every_problem_is_reported_at_its_cell() {
    let bytes = edited(json!([
        ["H2", "text", "Finished"],
        ["E3", "number", 42],
        ["F3", "number", 46000],
        ["G3", "text", "XL"],
        ["A4", "text", "ABC-1"],
        ["I4", "formula", "=1+1"],
        ["A5", "text", ID1.to_uppercase()],
        ["H5", "clear", null],
        ["E7", "text", "New person"],
        ["H7", "text", "Planned"],
    ]));
    let problems = read_plan_updates(&bytes).expect_err("problems");
    let expected = vec![
        problem(
            2,
            "H",
            "Status",
            "`Finished` is not a status (planned, in progress, done or dropped)",
        ),
        problem(
            3,
            "E",
            "Owner",
            "holds a number (42), not text; type the owner's name as text",
        ),
        problem(
            3,
            "F",
            "Due",
            "holds a number (46000); type a quarter (2027-Q1) or a date (2027-03-31), or format the cell as a date",
        ),
        problem(3, "G", "Effort", "`XL` is not an effort (S, M or L)"),
        problem(
            4,
            "A",
            "Item id",
            "`ABC-1` is not an item id (ids look like 0b6c2f3e-5d7a-4c1b-9e8f-1a2b3c4d5e6f); keep the Item id column as the app exported it",
        ),
        problem(
            4,
            "I",
            "Notes",
            "holds a formula (=1+1), not text; type the notes as text",
        ),
        problem(
            5,
            "A",
            "Item id",
            "the item 0b6c2f3e-5d7a-4c1b-9e8f-1a2b3c4d5e6f is listed twice (also on row 2); keep one row per item",
        ),
        problem(
            5,
            "H",
            "Status",
            "the status is empty; choose Planned, In progress, Done or Dropped",
        ),
        problem(
            7,
            "A",
            "Item id",
            "this row has no Item id: rows added in the workbook are not imported; add the item in the app (and delete this row), or put its text in an existing item's Notes",
        ),
    ];
    assert_eq!(problems, expected);
    assert_eq!(
        problems[0].to_string(),
        "Plan!H2 (Status): `Finished` is not a status (planned, in progress, done or dropped)"
    );
}

#[test]
fn text_rules_apply_to_owner_and_notes() {
    let bytes = edited(json!([
        ["E2", "text", "Ana\u{202e}Souza"],
        ["E3", "text", "x".repeat(201)],
        ["I3", "text", "line one\r\nline two"],
    ]));
    let problems = read_plan_updates(&bytes).expect_err("problems");
    assert_eq!(
        problems,
        vec![
            problem(
                2,
                "E",
                "Owner",
                "the owner contains a bidirectional override (U+202E at character 4); remove it"
            ),
            problem(
                3,
                "E",
                "Owner",
                "the owner is too long (201 characters; at most 200)"
            ),
        ]
    );
}

#[test]
fn a_missing_sheet_or_column_is_named() {
    let renamed = edited(json!([[null, "rename", "Sheet1"]]));
    let problems = read_plan_updates(&renamed).expect_err("no Plan sheet");
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].sheet, "Plan");
    assert_eq!(problems[0].row, 0);
    assert!(
        problems[0].message.contains("no sheet named Plan")
            && problems[0].message.contains("Sheet1, Read me"),
        "{}",
        problems[0].message
    );

    // Status (H) and then Owner (E, after the shift) deleted.
    let cut = edited(json!([[null, "delete_col", 8], [null, "delete_col", 5]]));
    let problems = read_plan_updates(&cut).expect_err("columns missing");
    let names: Vec<(&str, u32, &str)> = problems
        .iter()
        .map(|p| (p.header.as_str(), p.row, p.column.as_str()))
        .collect();
    assert_eq!(names, [("Owner", 1, ""), ("Status", 1, "")]);
    assert!(
        problems[0]
            .message
            .contains("needs Item id, Owner, Due, Effort, Status, Notes"),
        "{}",
        problems[0].message
    );

    let problems = read_plan_updates(b"PK\x03\x04 not really a zip").expect_err("not a workbook");
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].message.contains("not a workbook"),
        "{}",
        problems[0]
    );
    let problems = read_plan_updates(b"\xff\xfe\x00junk").expect_err("not UTF-8");
    assert!(problems[0].message.contains("CSV UTF-8"), "{}", problems[0]);
}

#[test]
fn the_csv_has_the_header_quotes_and_safe_cells_and_reads_back() {
    let rows = rows();
    let csv = plan_csv(&rows);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("Item id,Block,Question,Title,Owner,Due,Effort,Status,Notes,Planned from")
    );
    assert_eq!(
        lines.next(),
        Some(
            "0b6c2f3e-5d7a-4c1b-9e8f-1a2b3c4d5e6f,Strategy,We have a written CX strategy.,Write the CX strategy,,,,Planned,,Baseline 2026"
        )
    );
    assert!(
        csv.contains(
            "7f3e2d1c-0b9a-4876-a543-210fedcba987,Strategy,Customers know what we promise.,Publish a customer charter,Ana Souza,2027-Q1,M,In progress,\"Draft with legal.\nThen the board.\",Baseline 2026\n"
        ),
        "{csv}"
    );
    assert!(
        csv.contains(
            "a1b2c3d4-e5f6-4789-8abc-def012345678,'-Governance,'=1+1,\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\",'@ops team,2027-05-17,L,Done,'+1 from the board; -2 risks,'@round\n"
        ),
        "{csv}"
    );
    assert!(
        csv.ends_with(
            "12345678-90ab-4cde-8f01-234567890abc,People,,Train the front line,,,,Dropped,,\n"
        ),
        "{csv}"
    );
    let from_csv: Vec<PlanUpdate> = updates_of(&rows)
        .into_iter()
        .map(|u| PlanUpdate {
            sheet: String::new(),
            ..u
        })
        .collect();
    assert_eq!(read_plan_updates(csv.as_bytes()), Ok(from_csv));
}

#[test]
fn a_csv_saved_by_a_spreadsheet_with_semicolons_reads_back_with_row_numbers() {
    let csv = format!(
        "\u{feff}Item id;Owner;Status;Due;Effort;Notes\r\n{ID2};Ana;Done;2027-q2;s;'=ok\r\n;;;;;\r\n{ID1};;Planned;soon;;\r\n"
    );
    let problems = read_plan_updates(csv.as_bytes()).expect_err("a bad due");
    assert_eq!(
        problems,
        vec![CellProblem {
            sheet: String::new(),
            row: 4,
            column: "D".into(),
            header: "Due".into(),
            message: "`soon` is not a due quarter or date (write 2027-Q1 or 2027-03-31)".into(),
        }]
    );
    assert_eq!(
        problems[0].to_string(),
        "row 4, column D (Due): `soon` is not a due quarter or date (write 2027-Q1 or 2027-03-31)"
    );
    let fixed = csv.replace("soon", "2027-12-31");
    assert_eq!(
        read_plan_updates(fixed.as_bytes()),
        Ok(vec![
            PlanUpdate {
                item: ID2.into(),
                owner: Some("Ana".into()),
                due: Some(Due::Quarter {
                    year: 2027,
                    quarter: 2
                }),
                effort: Some(Effort::S),
                status: PlanStatus::Done,
                notes: Some("=ok".into()),
                row: 2,
                sheet: String::new(),
                id_column: "A".into(),
            },
            PlanUpdate {
                item: ID1.into(),
                owner: None,
                due: Some(Due::Date(day(2027, 12, 31))),
                effort: None,
                status: PlanStatus::Planned,
                notes: None,
                row: 4,
                sheet: String::new(),
                id_column: "A".into(),
            },
        ])
    );
}

#[test]
fn the_print_header_names_the_organisation_within_excels_limit() {
    let long = format!("R&D {}", "x".repeat(300));
    let script = r#"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print(json.dumps({ws.title: [ws.oddHeader.left.text, ws.oddHeader.right.text] for ws in wb.worksheets}))
"#;
    for (organisation, left) in [
        (ORG, "Acme && Sons".to_string()),
        (long.as_str(), format!("R&&D {}…", "x".repeat(195))),
    ] {
        let bytes = plan_xlsx(organisation, &rows(), created()).expect("a workbook");
        let (_dir, _path, headers) = openpyxl(script, &bytes, &[]);
        assert_eq!(
            headers,
            json!({"Plan": [left, "Plan"], "Read me": [left, "Plan"]}),
            "{organisation}"
        );
    }
}

#[test]
fn an_update_points_at_its_item_id_cell_wherever_the_column_is() {
    let csv = format!("Owner,Status,Item id,Due,Effort,Notes\nAna,Done,{ID3},,,\n");
    let updates = read_plan_updates(csv.as_bytes()).expect("updates");
    assert_eq!(updates.len(), 1);
    assert_eq!(
        updates[0]
            .id_problem("no item a1b2c3d4-e5f6-4789-8abc-def012345678 in this plan")
            .to_string(),
        "row 2, column C (Item id): no item a1b2c3d4-e5f6-4789-8abc-def012345678 in this plan"
    );
    let bytes = plan_xlsx(ORG, &rows(), created()).expect("a workbook");
    let updates = read_plan_updates(&bytes).expect("updates");
    assert_eq!(
        updates[3].id_problem("unknown").to_string(),
        "Plan!A5 (Item id): unknown"
    );
}
