//! What Help → About and the diagnostics text ask of the database itself.

use crate::{Result, Store};

impl Store {
    /// The database's schema version: SQLite's `user_version`, which the migrations
    /// set ([`crate::migrations::SCHEMA_VERSION`] once this build has opened the file
    /// for writing).
    pub fn schema_version(&self) -> Result<u32> {
        let found: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        // Negative or huge values cannot be opened at all (refused as foreign or newer).
        Ok(u32::try_from(found).unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use crate::Store;
    use crate::migrations::SCHEMA_VERSION;

    #[test]
    fn a_fresh_database_has_the_schema_this_build_writes() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(store.schema_version().unwrap() as usize, SCHEMA_VERSION);
    }

    #[test]
    fn the_version_is_read_from_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cxm.sqlite");
        drop(Store::open(&path).unwrap());
        let reopened = Store::open(&path).unwrap();
        assert_eq!(reopened.schema_version().unwrap() as usize, SCHEMA_VERSION);
        reopened
            .conn
            .pragma_update(None, "user_version", 1)
            .unwrap();
        assert_eq!(reopened.schema_version().unwrap(), 1);
    }
}
