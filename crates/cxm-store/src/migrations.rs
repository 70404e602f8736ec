//! The schema, as an append-only list of migrations.
//!
//! Each migration is plain SQL. The store applies the pending ones in one write
//! transaction taken at once (`BEGIN IMMEDIATE`, so concurrent first opens wait for
//! each other), together with the `user_version` updates and the default model's
//! seeding: a migration that fails leaves the database exactly as it was. Foreign keys
//! are off while migrating (SQLite's table-rebuild procedure) and checked before the
//! commit. Never edit a released migration; append a new one.
//! `rusqlite_migration` validates the list in a test, and [`expected_schema`] gives what
//! the migrations create at each version (a restored backup must hold exactly that).
//!
//! Per-connection pragmas (`foreign_keys`, `journal_mode`, `synchronous`,
//! `busy_timeout`) are not part of the schema; the store sets them on every connection.

use rusqlite_migration::{M, Migrations};

/// `PRAGMA application_id` of a CX Maturity database: `0x43584D31`, "CXM1".
pub const APPLICATION_ID: i32 = 0x4358_4D31;

/// The migrations' SQL, oldest first: migration `i + 1` brings `user_version` from `i`
/// to `i + 1`.
pub(crate) const MIGRATION_SQL: &[&str] = &[
    // 1: organisations, rounds, respondents, answers, model versions, settings
    include_str!("migrations/0001_initial.sql"),
    // 2: the round's inbox; respondents' source keys (submission / instance ids)
    include_str!("migrations/0002_inbox.sql"),
    // 3: UUIDs, change stamps, answer versions, tombstones, installations, team shares
    include_str!("migrations/0003_identity.sql"),
    // 4: the plan (items with an owner, a due quarter or date, an effort and a status)
    include_str!("migrations/0004_plan.sql"),
];

/// The schema version this build writes (`PRAGMA user_version` after migrating).
pub const SCHEMA_VERSION: usize = MIGRATION_SQL.len();

/// The migrations, oldest first, as `rusqlite_migration` takes them (for tests and tools).
pub fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATION_SQL.iter().map(|sql| M::up(sql)).collect())
}

/// One object of a database's schema: `(type, name, table, sql)` from `sqlite_schema`,
/// with the SQL's white space collapsed.
pub type SchemaObject = (String, String, String, Option<String>);

/// The schema objects of the database behind `conn` (SQLite's own internal tables
/// left out), sorted.
pub fn schema_of(conn: &rusqlite::Connection) -> rusqlite::Result<Vec<SchemaObject>> {
    let mut objects: Vec<SchemaObject> = conn
        .prepare(
            "SELECT type, name, tbl_name, sql FROM sqlite_schema
             WHERE name NOT IN ('sqlite_sequence') AND name NOT LIKE 'sqlite_stat%'",
        )?
        .query_map([], |r| {
            let sql: Option<String> = r.get(3)?;
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                sql.map(|s| s.split_whitespace().collect::<Vec<_>>().join(" ")),
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    objects.sort();
    Ok(objects)
}

/// What our migrations create at schema `version` (1..=[`SCHEMA_VERSION`]).
pub fn expected_schema(version: usize) -> rusqlite::Result<Vec<SchemaObject>> {
    let conn = rusqlite::Connection::open_in_memory()?;
    for sql in MIGRATION_SQL.iter().take(version) {
        conn.execute_batch(sql)?;
    }
    schema_of(&conn)
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use super::*;

    /// Every table's schema and rows, plus the header fields: what "unchanged" means.
    fn dump(conn: &Connection) -> Vec<String> {
        let mut out = vec![
            format!(
                "user_version {}",
                conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
                    .unwrap()
            ),
            format!(
                "application_id {}",
                conn.query_row("PRAGMA application_id", [], |r| r.get::<_, i64>(0))
                    .unwrap()
            ),
        ];
        let mut stmt = conn
            .prepare("SELECT type, name, sql FROM sqlite_schema ORDER BY name")
            .unwrap();
        let objects: Vec<(String, String, Option<String>)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for (kind, name, sql) in objects {
            out.push(format!("{kind} {name}: {sql:?}"));
            if kind == "table" {
                let mut rows = conn.prepare(&format!("SELECT * FROM \"{name}\"")).unwrap();
                let n = rows.column_count();
                let mut lines: Vec<String> = rows
                    .query_map([], |r| {
                        (0..n)
                            .map(|i| {
                                r.get::<_, rusqlite::types::Value>(i)
                                    .map(|v| format!("{v:?}"))
                            })
                            .collect::<Result<Vec<_>, _>>()
                            .map(|v| format!("  {name}: {}", v.join(" | ")))
                    })
                    .unwrap()
                    .collect::<Result<_, _>>()
                    .unwrap();
                lines.sort();
                out.extend(lines);
            }
        }
        out
    }

    #[test]
    fn migrations_validate() {
        migrations().validate().unwrap();
    }

    #[test]
    fn first_migration_marks_the_file_as_ours() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrations().to_latest(&mut conn).unwrap();
        let id: i32 = conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .unwrap();
        assert_eq!(id, APPLICATION_ID);
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION as i64);
    }

    const BROKEN: &str = "CREATE TABLE extra (x INTEGER);
        INSERT INTO extra VALUES (1);
        ALTER TABLE settings RENAME TO settings_old;
        INSERT INTO organisations (name, created_at) VALUES ('ghost', 'now');
        INSERT INTO no_such_table VALUES (1);";

    #[test]
    fn a_failing_migration_leaves_an_existing_database_exactly_as_it_was() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::open::migrate_and_seed(&mut conn, None).unwrap();
        conn.execute_batch(
            "INSERT INTO settings VALUES ('k', 'v');
             INSERT INTO organisations (name, created_at) VALUES ('Acme', '2025-01-01T00:00:00Z');",
        )
        .unwrap();
        let before = dump(&conn);

        let mut list = MIGRATION_SQL.to_vec();
        list.push(BROKEN);
        let err = crate::open::migrate_with(&mut conn, None, &list).unwrap_err();
        assert!(err.to_string().contains("no_such_table"), "{err}");
        assert_eq!(err.code(), "migration_failed");

        assert_eq!(dump(&conn), before);
    }

    #[test]
    fn a_failing_migration_leaves_a_new_database_empty() {
        let mut conn = Connection::open_in_memory().unwrap();
        let before = dump(&conn);
        let mut list = MIGRATION_SQL.to_vec();
        list.push(BROKEN);
        crate::open::migrate_with(&mut conn, None, &list).unwrap_err();
        // Not even the application id of the first migration survives.
        assert_eq!(dump(&conn), before);
        assert_eq!(before[..2], ["user_version 0", "application_id 0"]);
    }

    #[test]
    fn the_expected_schema_is_what_migrating_creates() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::open::migrate_and_seed(&mut conn, None).unwrap();
        assert_eq!(
            schema_of(&conn).unwrap(),
            expected_schema(SCHEMA_VERSION).unwrap()
        );
        assert!(expected_schema(SCHEMA_VERSION).unwrap().len() > 5);
    }

    #[test]
    fn schema_checks_refuse_bad_values() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrations().to_latest(&mut conn).unwrap();
        conn.execute_batch(
            "INSERT INTO organisations (id, name, created_at) VALUES (1, 'A', 't');
             INSERT INTO model_versions (id, model_id, version, title, source, question_count, imported_at)
                 VALUES (1, 'm', 1, 'M', '', 1, 't');",
        )
        .unwrap();
        let round = |date: &str, status: &str| {
            conn.execute(
                "INSERT INTO rounds (organisation_id, title, date, model_version_id, status, created_at)
                 VALUES (1, 'R', ?1, 1, ?2, 't')",
                [date, status],
            )
        };
        round("2025-02-30", "open").unwrap_err();
        round("2025-2-3", "open").unwrap_err();
        round("2025-02-03", "done").unwrap_err();
        round("2025-02-03", "open").unwrap();
    }
}
