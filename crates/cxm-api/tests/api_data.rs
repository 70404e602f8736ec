//! Import and export through the command layer, without a window: round exports, the
//! responses CSV preview (errors with line and column, nothing written) and import,
//! engagement files between two databases.
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use cxm_api::wire::{CompareWith, ErrorCode, NewRoundInput, RespondentInput, RoundExportFormat};
use cxm_api::{Api, DialogSpec, FakeHost};

type Picked = Arc<Mutex<Option<PathBuf>>>;

/// An Api whose open and save dialogs return what the test puts in `open` and `save`,
/// and record the titles and suggested names they were shown with.
fn api_with_dialogs(
    dir: &std::path::Path,
    db: &str,
) -> (Api, Picked, Picked, Arc<Mutex<Vec<String>>>) {
    let (open, save) = (Picked::default(), Picked::default());
    let asked = Arc::new(Mutex::new(Vec::new()));
    let (o, s, a1, a2) = (open.clone(), save.clone(), asked.clone(), asked.clone());
    let api = Api::open(Some(dir.join(db))).with_host(
        FakeHost::new()
            .open_dialog(move |spec: &DialogSpec| {
                a1.lock().unwrap().push(spec.title.to_string());
                Ok(o.lock().unwrap().clone())
            })
            .save_dialog(move |spec: &DialogSpec, name: &str| {
                a2.lock().unwrap().push(format!(
                    "{} | {} | {}",
                    spec.title,
                    spec.extensions.join(","),
                    name
                ));
                Ok(s.lock().unwrap().clone())
            }),
    );
    (api, open, save, asked)
}

fn round_with_ana(api: &Api) -> i64 {
    let org = api.create_organisation("Acme").unwrap();
    let round = api
        .create_round(NewRoundInput {
            organisation: org,
            title: "Baseline".into(),
            date: "2026-02-01".into(),
            target_phase: None,
            model: None,
            copy_respondents_from: None,
        })
        .unwrap();
    api.add_respondent(
        round,
        RespondentInput {
            name: "Ana".into(),
            role_group: "executive".into(),
            department: None,
            interview_date: None,
        },
    )
    .unwrap();
    round
}

#[test]
fn a_responses_file_with_problems_is_previewed_with_every_problem_and_cannot_be_imported() {
    let dir = tempfile::tempdir().unwrap();
    let (api, open, _, asked) = api_with_dialogs(dir.path(), "cxm.sqlite");
    let round = round_with_ana(&api);
    let file = dir.path().join("survey.csv");
    std::fs::write(
        &file,
        "respondent,role,department,STR-1.1,VOC-1.1\nBen,manager,Sales,3,x\nANA,executive,,4,2\nCleo,intern,,1,1\n",
    )
    .unwrap();
    *open.lock().unwrap() = Some(file.clone());
    let p = api.preview_responses(round).unwrap().unwrap();
    assert_eq!(
        asked.lock().unwrap()[0],
        "Import responses (CSV, or an ODK Central or KoboToolbox export)"
    );
    assert_eq!(p.file_name, "survey.csv");
    assert_eq!(p.token, None);
    let places: Vec<(Option<u32>, Option<u32>, Option<String>)> = p
        .issues
        .iter()
        .map(|i| (i.line, i.column, i.column_name.clone()))
        .collect();
    assert_eq!(
        places,
        [
            (Some(2), Some(5), Some("VOC-1.1".to_string())),
            (Some(4), Some(2), Some("role".to_string())),
        ],
        "{:?}",
        p.issues
    );
    assert!(p.issues[1].message.contains("unknown role `intern`"));
    // Without parse errors, the store's checks show: Ana is already in the round.
    std::fs::write(
        &file,
        "respondent,role,department,STR-1.1,VOC-1.1\nBen,manager,Sales,3,2\nANA,executive,,4,2\n",
    )
    .unwrap();
    let p = api.preview_responses(round).unwrap().unwrap();
    assert_eq!(p.token, None);
    assert_eq!(p.issues.len(), 1);
    assert_eq!((p.issues[0].line, p.issues[0].column), (Some(3), Some(1)));
    assert!(p.issues[0].message.contains("already in this round"));
    assert_eq!(p.respondents.len(), 2);
    assert_eq!(
        api.import_responses(1).unwrap_err().code,
        ErrorCode::StalePreview
    );
    assert_eq!(
        api.round_page(round).unwrap().respondents.len(),
        1,
        "nothing written"
    );
    // A closed round: a problem of the round, without a line.
    api.close_round(round).unwrap();
    let p = api.preview_responses(round).unwrap().unwrap();
    assert_eq!(p.issues[0].line, None);
    assert!(p.issues[0].message.contains("closed"));
    assert_eq!(p.token, None);
    // Cancelled dialog: no preview.
    *open.lock().unwrap() = None;
    assert_eq!(api.preview_responses(round).unwrap(), None);
}

#[test]
fn a_valid_file_is_previewed_then_imported_all_at_once_unless_it_changed() {
    let dir = tempfile::tempdir().unwrap();
    let (api, open, _, _) = api_with_dialogs(dir.path(), "cxm.sqlite");
    let round = round_with_ana(&api);
    let file = dir.path().join("survey.csv");
    let good = "respondent,role,department,STR-1.1,STR-1.2,VOC-1.1\nBen,manager,Sales,3,dk,2\nCleo,front-line,,1,,na\n";
    std::fs::write(&file, good).unwrap();
    *open.lock().unwrap() = Some(file.clone());
    let p = api.preview_responses(round).unwrap().unwrap();
    assert!(p.issues.is_empty(), "{:?}", p.issues);
    let token = p.token.expect("a valid file can be imported");
    let people: Vec<(&str, &str, u32)> = p
        .respondents
        .iter()
        .map(|r| (r.name.as_str(), r.role_name.as_str(), r.answers))
        .collect();
    assert_eq!(people, [("Ben", "Manager", 3), ("Cleo", "Front line", 2)]);
    assert_eq!(p.answers, 5);
    let strategy = &p.blocks[0];
    assert_eq!((strategy.columns, strategy.answers), (2, 3));
    assert_eq!(p.blocks[1].answers, 2);
    assert_eq!(p.blocks.iter().map(|b| b.answers).sum::<u32>(), 5);
    // Changed since the preview: refused, nothing written.
    std::fs::write(&file, good.replace("Cleo", "Dora")).unwrap();
    assert_eq!(
        api.import_responses(token).unwrap_err().code,
        ErrorCode::FileChanged
    );
    assert_eq!(api.round_page(round).unwrap().respondents.len(), 1);
    // Preview again, cancel: the token is gone.
    let p = api.preview_responses(round).unwrap().unwrap();
    api.discard_responses(p.token.unwrap());
    assert_eq!(
        api.import_responses(p.token.unwrap()).unwrap_err().code,
        ErrorCode::StalePreview
    );
    // Preview, import.
    let p = api.preview_responses(round).unwrap().unwrap();
    let done = api.import_responses(p.token.unwrap()).unwrap();
    assert_eq!((done.respondents, done.answers), (2, 5));
    let names: Vec<String> = api
        .round_page(round)
        .unwrap()
        .respondents
        .into_iter()
        .map(|r| r.name)
        .collect();
    assert_eq!(names, ["Ana", "Ben", "Dora"]);
    assert_eq!(
        api.import_responses(p.token.unwrap()).unwrap_err().code,
        ErrorCode::StalePreview
    );
}

#[test]
fn round_exports_go_through_the_save_dialog_in_three_formats() {
    let dir = tempfile::tempdir().unwrap();
    let (api, _, save, asked) = api_with_dialogs(dir.path(), "cxm.sqlite");
    api.load_demo().unwrap();
    let round = 2;
    let out = api
        .export_round(round, RoundExportFormat::AnswersCsv)
        .unwrap();
    assert_eq!(out.path, None, "cancelled");
    assert_eq!(
        asked.lock().unwrap()[0],
        "Export to a CSV file | csv | Northwind Energy - Six-month review - answers.csv"
    );
    for (format, name, check) in [
        (
            RoundExportFormat::AnswersCsv,
            "a.csv",
            "respondent,role,department,STR-1.1",
        ),
        (
            RoundExportFormat::AnswersJson,
            "a.json",
            "\"format\": \"cxm-round-answers\"",
        ),
        (
            RoundExportFormat::ActionsCsv,
            "actions.csv",
            "tier,block,block_name,question,text,phase",
        ),
    ] {
        let target = dir.path().join(name);
        *save.lock().unwrap() = Some(target.clone());
        let out = api.export_round(round, format).unwrap();
        assert_eq!(out.path, Some(target.display().to_string()));
        let text = std::fs::read_to_string(&target).unwrap();
        assert!(
            text.starts_with(check) || text.contains(check),
            "{name}: {}",
            &text[..80]
        );
    }
    let results = api.results(round, CompareWith::Previous).unwrap();
    let actions = std::fs::read_to_string(dir.path().join("actions.csv")).unwrap();
    assert_eq!(actions.lines().count(), results.actions.len() + 1);
}

#[test]
fn an_engagement_moves_to_another_database_with_the_same_results() {
    let dir = tempfile::tempdir().unwrap();
    let (a, _, save, _) = api_with_dialogs(dir.path(), "a.sqlite");
    let org = a.load_demo().unwrap();
    let file = dir.path().join("northwind.json");
    *save.lock().unwrap() = Some(file.clone());
    let out = a.export_engagement(org).unwrap();
    assert_eq!(out.path, Some(file.display().to_string()));

    let (b, open, _, asked) = api_with_dialogs(dir.path(), "b.sqlite");
    let cancelled = b.import_engagement().unwrap();
    assert_eq!(cancelled.organisation, None);
    assert_eq!(asked.lock().unwrap()[0], "Import an engagement file");
    // A damaged file: refused, nothing changes.
    let text = std::fs::read_to_string(&file).unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, &text[..text.len() / 3]).unwrap();
    *open.lock().unwrap() = Some(bad);
    let e = b.import_engagement().unwrap_err();
    assert_eq!(e.code, ErrorCode::DamagedEngagementFile);
    assert!(e.message.starts_with("bad.json: "), "{}", e.message);
    assert!(b.list_organisations(true).unwrap().is_empty());

    *open.lock().unwrap() = Some(file);
    let done = b.import_engagement().unwrap();
    let new_org = done.organisation.unwrap();
    assert_eq!(done.name, "Northwind Energy");
    assert_eq!((done.rounds, done.respondents), (2, 30));
    let (pa, pb) = (
        a.organisation_page(org).unwrap(),
        b.organisation_page(new_org).unwrap(),
    );
    for (ra, rb) in pa.rounds.iter().zip(&pb.rounds) {
        let (x, y) = (
            a.results(ra.id, CompareWith::Previous).unwrap(),
            b.results(rb.id, CompareWith::Previous).unwrap(),
        );
        assert_eq!(x.organisation_phase, y.organisation_phase);
        assert_eq!(x.blocks, y.blocks);
        assert_eq!(x.actions.len(), y.actions.len());
        assert_eq!(x.explanations, y.explanations);
    }
}
