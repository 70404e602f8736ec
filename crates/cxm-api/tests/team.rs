//! The team folder (issue 14): two installations share an organisation through one
//! folder; each pass merges the other's file and writes its own only when its data
//! changed; a file that cannot be read is skipped and changes nothing.
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use std::path::Path;

use cxm_api::wire::{AnswerCell, ErrorCode};
use cxm_api::{Api, FakeHost};

fn api(db: &Path) -> Api {
    Api::open(Some(db.to_path_buf())).with_host(FakeHost::new())
}

fn cxmx_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The first respondent of the organisation's first round, and its answer to STR-1.1.
fn first_answer(api: &Api, org: i64) -> (i64, Option<String>) {
    let page = api.organisation_page(org).unwrap();
    let round = page.rounds[0].id;
    let round = api.round_page(round).unwrap();
    let person = round.respondents[0].id;
    let q = api.questionnaire(person).unwrap();
    let i = q
        .model
        .questions
        .iter()
        .position(|x| x.id == "STR-1.1")
        .unwrap();
    let cell: &AnswerCell = &q.answers[i];
    (person, cell.value.clone())
}

#[test]
fn two_installations_share_an_organisation_through_a_team_folder() {
    let dir = tempfile::tempdir().unwrap();
    let team = dir.path().join("team");
    std::fs::create_dir(&team).unwrap();
    let anna = api(&dir.path().join("anna.sqlite"));
    let ben = api(&dir.path().join("ben.sqlite"));
    anna.set_installation_name("Anna's laptop").unwrap();
    ben.set_installation_name("Ben's laptop").unwrap();

    // No folder yet: Sync now says what to do.
    let e = anna.sync_now().unwrap_err();
    assert!(
        e.message.contains("Settings → Team folder"),
        "{}",
        e.message
    );
    let e = anna
        .set_team_folder(Some(dir.path().join("nowhere").display().to_string()))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Invalid);

    let org = anna.load_demo().unwrap();
    let t = anna
        .set_team_folder(Some(team.display().to_string()))
        .unwrap();
    assert_eq!(
        t.folder.as_deref(),
        Some(team.display().to_string().as_str())
    );
    let t = anna.share_organisation(org, true).unwrap();
    assert_eq!(t.shared.len(), 1);
    let report = anna.sync_now().unwrap();
    assert_eq!((report.files_read, report.files_written), (0, 1));
    let anna_id = t.installation_id.clone();
    let files = cxmx_files(&team);
    assert_eq!(files.len(), 1);
    assert!(files[0].ends_with(&format!(".{anna_id}.cxmx")), "{files:?}");

    // Ben's first pass brings the organisation, shares it and writes his file.
    ben.set_team_folder(Some(team.display().to_string()))
        .unwrap();
    let report = ben.sync_now().unwrap();
    assert_eq!(report.received.len(), 1, "{report:?}");
    let got = &report.received[0];
    assert_eq!(got.from, "Anna's laptop");
    assert!(got.new_organisation);
    assert_eq!(got.respondents_added, 30);
    assert_eq!(report.files_written, 1);
    assert_eq!(cxmx_files(&team).len(), 2);
    let ben_org = got.organisation_id;
    assert_eq!(ben.team_folder().unwrap().shared[0].id, ben_org);

    // Anna's next pass: Ben's file has nothing new; nothing is written.
    let report = anna.sync_now().unwrap();
    assert!(report.received.is_empty(), "{report:?}");
    assert_eq!(report.files_written, 0);

    // Both change the same answer before the next exchange: one concurrent edit,
    // reported once on each side; the most recent change (Ben's) kept everywhere.
    let rounds = anna.organisation_page(org).unwrap().rounds;
    let baseline = rounds[0].id;
    anna.reopen_round(baseline).unwrap();
    let (a_person, before) = first_answer(&anna, org);
    let new_a = if before.as_deref() == Some("1") {
        "2"
    } else {
        "1"
    };
    anna.set_answer(a_person, "STR-1.1", Some(new_a)).unwrap();
    anna.sync_now().unwrap();
    let b_round = ben.organisation_page(ben_org).unwrap().rounds[0].id;
    ben.reopen_round(b_round).unwrap();
    let (b_person, _) = first_answer(&ben, ben_org);
    std::thread::sleep(std::time::Duration::from_millis(5));
    ben.set_answer(b_person, "STR-1.1", Some("dk")).unwrap();
    let report = ben.sync_now().unwrap();
    assert_eq!(report.concurrent.len(), 1, "{report:?}");
    assert_eq!(report.concurrent[0].question, "STR-1.1");
    assert_eq!(report.concurrent[0].kept.by, "Ben's laptop");
    let report = anna.sync_now().unwrap();
    assert_eq!(report.concurrent.len(), 1, "{report:?}");
    assert_eq!(first_answer(&anna, org).1.as_deref(), Some("dk"));
    let history = anna.answer_history(a_person, "STR-1.1").unwrap();
    assert!(history[0].current && !history[0].this && history[0].concurrent);
    assert_eq!(history[0].by, "Ben's laptop");
    assert_eq!(history[1].answer.as_deref(), Some(new_a));
    let sources = anna.organisation_sources(org).unwrap();
    assert!(sources[0].this);
    assert!(
        sources
            .iter()
            .any(|s| s.name == "Ben's laptop" && s.file_written_at.is_some()),
        "{sources:?}"
    );

    // Quiet: another pass on each side changes and writes nothing.
    for who in [&ben, &anna, &ben] {
        let r = who.sync_now().unwrap();
        assert!(
            r.received.is_empty() && r.files_written == 0 && r.concurrent.is_empty(),
            "{r:?}"
        );
    }

    // A damaged file in the folder is skipped with why; nothing changes.
    let ben_file = cxmx_files(&team)
        .into_iter()
        .find(|n| !n.ends_with(&format!(".{anna_id}.cxmx")))
        .unwrap();
    let text = std::fs::read_to_string(team.join(&ben_file)).unwrap();
    std::fs::write(team.join("copy.conflict.cxmx"), &text[..text.len() / 2]).unwrap();
    let before = first_answer(&anna, org);
    let r = anna.sync_now().unwrap();
    assert_eq!(r.skipped.len(), 1, "{r:?}");
    assert_eq!(r.skipped[0].file_name, "copy.conflict.cxmx");
    assert!(
        r.skipped[0].reason.contains("damaged"),
        "{}",
        r.skipped[0].reason
    );
    assert_eq!(first_answer(&anna, org), before);

    // A format-1 file (an older app) is not merged: it would be a copy on every pass.
    let old_file = dir.path().join("old.cxmx");
    let old_api =
        Api::open(Some(dir.path().join("old.sqlite"))).with_host(FakeHost::new().save_dialog({
            let p = old_file.clone();
            move |_: &cxm_api::DialogSpec, _: &str| Ok(Some(p.clone()))
        }));
    let old_org = old_api.load_demo().unwrap();
    old_api.export_engagement(old_org).unwrap();
    let text = std::fs::read_to_string(&old_file).unwrap();
    assert!(text.contains("\"format_version\": 2,"));
    std::fs::write(
        team.join("older.app.cxmx"),
        text.replacen("\"format_version\": 2,", "\"format_version\": 1,", 1),
    )
    .unwrap();
    let orgs = anna.list_organisations(true).unwrap().len();
    let r = anna.sync_now().unwrap();
    assert!(
        r.skipped
            .iter()
            .any(|s| s.file_name == "older.app.cxmx" && s.reason.contains("format 1")),
        "{r:?}"
    );
    assert_eq!(anna.list_organisations(true).unwrap().len(), orgs);

    // The folder gone (a drive unplugged): a clear error.
    std::fs::remove_dir_all(&team).unwrap();
    let e = anna.sync_now().unwrap_err();
    assert!(e.message.contains("cannot be found"), "{}", e.message);
}
