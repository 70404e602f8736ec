//! Databases written by every released schema version open, upgrade and read as they
//! did: `tests/fixtures/schema-N.sqlite` (how each was made: `tests/fixtures/README.md`).

use std::path::PathBuf;

use cxm_store::Store;
use cxm_store::migrations::SCHEMA_VERSION;

use crate::common::*;

fn fixtures() -> Vec<(usize, PathBuf)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut found: Vec<(usize, PathBuf)> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let path = e.unwrap().path();
            let name = path.file_name()?.to_str()?.to_string();
            let n = name
                .strip_prefix("schema-")?
                .strip_suffix(".sqlite")?
                .parse()
                .ok()?;
            Some((n, path))
        })
        .collect();
    found.sort();
    found
}

#[test]
fn there_is_a_fixture_for_every_released_schema_version() {
    let versions: Vec<usize> = fixtures().iter().map(|(n, _)| *n).collect();
    assert_eq!(versions, (1..=SCHEMA_VERSION).collect::<Vec<_>>());
}

#[test]
fn every_fixture_opens_upgrades_and_reads_as_it_was_written() {
    for (version, fixture) in fixtures() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cxm.sqlite");
        std::fs::copy(&fixture, &path).unwrap();
        let store = Store::open(&path).unwrap_or_else(|e| panic!("schema {version}: {e}"));
        store.check_integrity().unwrap();
        store.verify_content().unwrap();
        let user_version: i64 = rusqlite::Connection::open(&path)
            .unwrap()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(user_version, SCHEMA_VERSION as i64, "schema {version}");

        // What every fixture holds (see the README): the demo, an archived organisation
        // with a round on the tiny custom model, and the "prepared by" setting.
        let orgs = store.organisations(true).unwrap();
        let names: Vec<&str> = orgs.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(
            names,
            ["Archived Ltd", "Northwind Energy"],
            "schema {version}"
        );
        assert!(orgs[0].archived);
        let demo = &orgs[1];
        assert_eq!(demo.rounds.len(), 2);
        let (info, results) = store.results(demo.rounds[1].id).unwrap();
        assert_eq!(info.title, "Six-month review");
        assert_eq!(results.organisation_phase, 2, "schema {version}");
        assert_eq!(results.respondents, 16);
        assert_eq!(info.phase, Some(2));
        let custom = store.round_data(orgs[0].rounds[0].id).unwrap();
        assert_eq!(custom.model.key(), "tiny@1");
        assert_eq!(custom.respondents.len(), 1);
        assert_eq!(
            store.setting("report.prepared_by").unwrap().as_deref(),
            Some("Fixture Partners")
        );
        drop(store);

        // And it restores into a current database as a backup.
        let (_d, _p, mut current) = file_store();
        current.restore_from(&fixture).unwrap();
        assert_eq!(current.organisations(true).unwrap().len(), 2);
    }
}
