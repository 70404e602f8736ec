//! The platform under the use cases, for a command line: where the app shows a save or
//! open dialog, the path given on the command line is the answer. Nothing is opened
//! with a viewer or shown in a file manager.

use std::path::{Path, PathBuf};

use cxm_api::{ApiResult, DialogSpec, Host};

/// A [`Host`] whose dialogs answer with paths given on the command line.
#[derive(Debug, Default)]
pub struct CliHost {
    save: Option<PathBuf>,
    open: Option<PathBuf>,
}

impl CliHost {
    /// The save dialog answers `path` (`-o FILE`).
    pub fn saving_to(path: &Path) -> CliHost {
        CliHost {
            save: Some(path.to_path_buf()),
            open: None,
        }
    }

    /// The open dialog answers `path` (the file argument).
    pub fn opening(path: &Path) -> CliHost {
        CliHost {
            save: None,
            open: Some(path.to_path_buf()),
        }
    }
}

impl Host for CliHost {
    fn save_dialog(&self, _: &DialogSpec, _: &str) -> ApiResult<Option<PathBuf>> {
        Ok(self.save.clone())
    }
    fn open_dialog(&self, _: &DialogSpec) -> ApiResult<Option<PathBuf>> {
        Ok(self.open.clone())
    }
    fn folder_dialog(&self, _: &str) -> ApiResult<Option<PathBuf>> {
        // `cxm sync DIR` takes the folder as its argument.
        Ok(None)
    }
    fn open_file(&self, _: &Path) -> bool {
        false
    }
    fn reveal(&self, _: &Path) -> bool {
        false
    }
}
