//! What the use cases need from the platform: save and open dialogs, opening a file
//! with the system viewer, showing a file in the file manager, and the clock. The app
//! implements [`Host`] with Tauri; the tests and the UI's development server use
//! [`FakeHost`], made of closures.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::ApiResult;

/// What a save or open dialog asks for: its title and its file filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DialogSpec {
    /// The dialog's title.
    pub title: &'static str,
    /// The filter's name ("PDF", "CSV", …).
    pub filter: &'static str,
    /// The filter's extensions, without dots.
    pub extensions: &'static [&'static str],
}

impl DialogSpec {
    /// `export_pdf`'s save dialog.
    pub const PDF: DialogSpec = DialogSpec {
        title: "Export the board report",
        filter: "PDF",
        extensions: &["pdf"],
    };
    /// `import_model`'s open dialog.
    pub const MODEL: DialogSpec = DialogSpec {
        title: "Import a model file",
        filter: "Model (TOML)",
        extensions: &["toml"],
    };
    /// `choose_logo`'s open dialog.
    pub const LOGO: DialogSpec = DialogSpec {
        title: "Choose the report logo",
        filter: "Image (PNG or JPEG)",
        extensions: &["png", "jpg", "jpeg"],
    };
}

/// The platform under the use cases. Every method may block (a dialog waits for the
/// user): the app calls the use cases off its main thread.
pub trait Host: Send + Sync {
    /// Asks where to save, suggesting `suggested` as the file name: the chosen path, or
    /// `None` when the user cancelled.
    fn save_dialog(&self, spec: &DialogSpec, suggested: &str) -> ApiResult<Option<PathBuf>>;
    /// Asks which file to open: the chosen path, or `None` when the user cancelled.
    fn open_dialog(&self, spec: &DialogSpec) -> ApiResult<Option<PathBuf>>;
    /// Asks for a folder (the team folder): the chosen folder, or `None` when the user
    /// cancelled.
    fn folder_dialog(&self, title: &str) -> ApiResult<Option<PathBuf>>;
    /// Opens a file with the system viewer; `false` when that could not be done.
    fn open_file(&self, path: &Path) -> bool;
    /// Shows a file in the file manager; `false` when that could not be done.
    fn reveal(&self, path: &Path) -> bool;
    /// The time now (reports, backups).
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

type SaveFn = Box<dyn Fn(&DialogSpec, &str) -> ApiResult<Option<PathBuf>> + Send + Sync>;
type OpenFn = Box<dyn Fn(&DialogSpec) -> ApiResult<Option<PathBuf>> + Send + Sync>;
type FolderFn = Box<dyn Fn(&str) -> ApiResult<Option<PathBuf>> + Send + Sync>;
type PathFn = Box<dyn Fn(&Path) -> bool + Send + Sync>;
type ClockFn = Box<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// A [`Host`] made of closures. [`FakeHost::default`] cancels every dialog, opens and
/// shows nothing, and reads the system clock; each builder method replaces one part.
pub struct FakeHost {
    save: SaveFn,
    open: OpenFn,
    folder: FolderFn,
    opener: PathFn,
    revealer: PathFn,
    clock: ClockFn,
}

impl Default for FakeHost {
    fn default() -> FakeHost {
        FakeHost {
            save: Box::new(|_, _| Ok(None)),
            open: Box::new(|_| Ok(None)),
            folder: Box::new(|_| Ok(None)),
            opener: Box::new(|_| false),
            revealer: Box::new(|_| false),
            clock: Box::new(Utc::now),
        }
    }
}

impl std::fmt::Debug for FakeHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeHost").finish_non_exhaustive()
    }
}

impl FakeHost {
    /// A host that cancels every dialog (see [`FakeHost::default`]).
    pub fn new() -> FakeHost {
        FakeHost::default()
    }

    /// Sets the save dialog.
    pub fn save_dialog(
        mut self,
        f: impl Fn(&DialogSpec, &str) -> ApiResult<Option<PathBuf>> + Send + Sync + 'static,
    ) -> FakeHost {
        self.save = Box::new(f);
        self
    }

    /// Sets the open dialog.
    pub fn open_dialog(
        mut self,
        f: impl Fn(&DialogSpec) -> ApiResult<Option<PathBuf>> + Send + Sync + 'static,
    ) -> FakeHost {
        self.open = Box::new(f);
        self
    }

    /// Sets how a file is opened with the system viewer.
    /// Answers the folder dialog with `f`.
    pub fn folder_dialog(
        mut self,
        f: impl Fn(&str) -> ApiResult<Option<PathBuf>> + Send + Sync + 'static,
    ) -> FakeHost {
        self.folder = Box::new(f);
        self
    }

    /// Answers the open-file request with `f`.
    pub fn opener(mut self, f: impl Fn(&Path) -> bool + Send + Sync + 'static) -> FakeHost {
        self.opener = Box::new(f);
        self
    }

    /// Sets how a file is shown in the file manager.
    pub fn revealer(mut self, f: impl Fn(&Path) -> bool + Send + Sync + 'static) -> FakeHost {
        self.revealer = Box::new(f);
        self
    }

    /// Sets the clock.
    pub fn clock(mut self, f: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> FakeHost {
        self.clock = Box::new(f);
        self
    }
}

impl Host for FakeHost {
    fn save_dialog(&self, spec: &DialogSpec, suggested: &str) -> ApiResult<Option<PathBuf>> {
        (self.save)(spec, suggested)
    }
    fn open_dialog(&self, spec: &DialogSpec) -> ApiResult<Option<PathBuf>> {
        (self.open)(spec)
    }
    fn folder_dialog(&self, title: &str) -> ApiResult<Option<PathBuf>> {
        (self.folder)(title)
    }
    fn open_file(&self, path: &Path) -> bool {
        (self.opener)(path)
    }
    fn reveal(&self, path: &Path) -> bool {
        (self.revealer)(path)
    }
    fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }
}
