//! Help → About and *Copy diagnostics*: the app's version and built-in models, where
//! its data lives, the platform (operating system, web view) and the third-party
//! licence notice; and one plain text for support with all of that and the last log
//! lines.
//!
//! Nothing here reads a client's data: no organisation, round or respondent, no answer,
//! note or setting. The database is asked for its schema version only, and the log
//! holds ids and events only (`logging.rs`), so the diagnostics text can be sent to
//! anyone.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use cxm_domain::Model;
use cxm_domain::model::BUILT_IN_MODELS;
use cxm_store::migrations::SCHEMA_VERSION;

use crate::wire::{AboutInfo, ApiError, BuiltInModel, Diagnostics, ErrorCode};
use crate::{Api, ApiResult};

/// The app's name, as the About screen and the diagnostics show it.
pub const APP_NAME: &str = "CX Maturity";
/// How many log lines the diagnostics text holds, at most.
pub const DIAGNOSTICS_LOG_LINES: usize = 200;
/// The licence notice's file name.
pub const LICENCES_FILE: &str = "THIRD-PARTY-LICENSES.html";
/// Where the package installs the licence notice.
pub const LICENCES_INSTALLED: &str = "/usr/share/doc/cx-maturity/THIRD-PARTY-LICENSES.html";

/// What the platform tells the app about itself (the desktop app: its web view).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlatformInfo {
    /// The web view's engine and version, e.g. "WebKitGTK 2.48.3"; empty when not known.
    pub webview: String,
}

/// What [`Api`] keeps for About: the platform, and where to look for the licence
/// notice when not in the usual places.
#[derive(Debug, Default)]
pub struct AboutHooks {
    platform: PlatformInfo,
    /// `None`: [`licence_places`] from the environment.
    licence_places: Option<Vec<PathBuf>>,
}

/// Where the licence notice is looked for, in order: `CXM_LICENCES` (the file) when
/// set; `<folder of the program>/../share/doc/cx-maturity/` (an install under a
/// prefix); `<folder of the program>/../licences/` (a build from source: the program in
/// `$CARGO_TARGET_DIR/debug` or `release`, the notice where `scripts/licences.sh`
/// writes it by default); then [`LICENCES_INSTALLED`].
pub fn licence_places(env: Option<OsString>, exe: Option<&Path>) -> Vec<PathBuf> {
    let mut places = Vec::new();
    if let Some(set) = env.filter(|v| !v.is_empty()) {
        places.push(PathBuf::from(set));
    }
    if let Some(folder) = exe.and_then(Path::parent) {
        let up = folder.join("..");
        places.push(up.join("share/doc/cx-maturity").join(LICENCES_FILE));
        places.push(up.join("licences").join(LICENCES_FILE));
    }
    let installed = PathBuf::from(LICENCES_INSTALLED);
    if !places.contains(&installed) {
        places.push(installed);
    }
    places
}

/// The first of `places` that is a file, without `..` (canonical when possible).
fn find_licences(places: &[PathBuf]) -> Option<PathBuf> {
    places
        .iter()
        .find(|p| p.is_file())
        .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()))
}

/// `PRETTY_NAME` of an `os-release` file's text (quotes and backslash escapes
/// removed, control characters dropped); `None` when missing or blank.
pub fn pretty_name(os_release: &str) -> Option<String> {
    let raw = os_release
        .lines()
        .rev()
        .find_map(|l| l.trim().strip_prefix("PRETTY_NAME="))?
        .trim();
    let value = if let Some(inner) = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        let mut out = String::with_capacity(inner.len());
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => out.extend(chars.next()),
                c => out.push(c),
            }
        }
        out
    } else if let Some(inner) = raw.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
        inner.to_string()
    } else {
        raw.to_string()
    };
    let value: String = value.chars().filter(|c| !c.is_control()).collect();
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

/// The operating system and the processor architecture: on Linux `PRETTY_NAME` of
/// `/etc/os-release` (or `/usr/lib/os-release`), elsewhere the platform's name.
fn operating_system() -> String {
    let arch = std::env::consts::ARCH;
    let name = if std::env::consts::OS == "linux" {
        ["/etc/os-release", "/usr/lib/os-release"]
            .iter()
            .find_map(|f| {
                std::fs::read_to_string(f)
                    .ok()
                    .and_then(|t| pretty_name(&t))
            })
    } else {
        None
    };
    format!(
        "{}, {arch}",
        name.unwrap_or_else(|| std::env::consts::OS.to_string())
    )
}

/// The built-in models, oldest first.
fn built_in_models() -> Vec<BuiltInModel> {
    BUILT_IN_MODELS
        .iter()
        .filter_map(|(file, source)| Model::from_toml(source, file).ok())
        .map(|m| BuiltInModel {
            key: m.key(),
            title: m.title,
        })
        .collect()
}

fn shown(p: &Path) -> String {
    p.display().to_string()
}

/// `p`, absolute (a relative `CXM_DB` is shown from the working folder).
fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// The folder the database is in, absolute.
fn folder_of(db: &Path) -> PathBuf {
    let folder = db
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    absolute(folder)
}

impl Api {
    /// Sets what the platform says about itself (the desktop app: its web view).
    pub fn with_platform(mut self, platform: PlatformInfo) -> Api {
        self.about.platform = platform;
        self
    }

    /// Looks for the licence notice in `places` instead of the usual ones
    /// ([`licence_places`]): for tests and for unusual installs.
    pub fn with_licence_places(mut self, places: Vec<PathBuf>) -> Api {
        self.about.licence_places = Some(places);
        self
    }

    fn licence_places(&self) -> Vec<PathBuf> {
        match &self.about.licence_places {
            Some(places) => places.clone(),
            None => licence_places(
                std::env::var_os("CXM_LICENCES"),
                std::env::current_exe().ok().as_deref(),
            ),
        }
    }

    /// `about`. Works without a database: then `schema_version` is `null` and
    /// `database_error` says why (it does not try to open it again: `app_status` does).
    pub fn about(&self) -> AboutInfo {
        let (schema_version, read_only, database_error) = match &*self.lock() {
            Ok(store) => match store.schema_version() {
                Ok(v) => (Some(v), store.read_only().map(str::to_string), None),
                Err(e) => (None, None, Some(ApiError::from(e))),
            },
            Err(e) => (None, None, Some(e.clone())),
        };
        let db = self.db_path.as_deref();
        let webview = self.about.platform.webview.trim();
        AboutInfo {
            name: APP_NAME.to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            models: built_in_models(),
            db_path: db.map(shown),
            schema_version,
            schema_latest: SCHEMA_VERSION as u32,
            database_error,
            read_only,
            data_dir: db.map(|p| shown(&folder_of(p))),
            log_dir: db.map(|p| shown(&absolute(&crate::logging::log_dir(p)))),
            os: operating_system(),
            webview: (!webview.is_empty()).then(|| webview.to_string()),
            licences: find_licences(&self.licence_places()).map(|p| shown(&p)),
        }
    }

    /// `diagnostics`: the text for support — every field of `about`, the state of the
    /// database (open, read-only, damage found after start) and the last
    /// [`DIAGNOSTICS_LOG_LINES`] log lines. No client data.
    pub fn diagnostics(&self) -> Diagnostics {
        let about = self.about();
        let lines = self
            .db_path
            .as_deref()
            .map(|db| crate::logging::recent_lines(db, DIAGNOSTICS_LOG_LINES))
            .unwrap_or_default();
        let damage = match about.database_error {
            Some(_) => None,
            None => self
                .database_health()
                .ok()
                .map(|h| match (h.checked, h.damage) {
                    (false, _) => "not run yet (it runs a few seconds after start)".to_string(),
                    (true, None) => "no damage found".to_string(),
                    (true, Some(found)) => found,
                }),
        };
        let text = diagnostics_text(&about, damage.as_deref(), &lines, self.host.now());
        Diagnostics {
            text,
            log_lines: lines.len() as u32,
        }
    }

    /// `open_licences`: opens the third-party licence notice with the system viewer;
    /// `false` when that could not be done (or `CXM_NO_OPEN` is set). `not_found` when
    /// the notice is not installed, saying where it is looked for.
    pub fn open_licences(&self) -> ApiResult<bool> {
        let places = self.licence_places();
        let Some(found) = find_licences(&places) else {
            let looked: Vec<String> = places.iter().map(|p| shown(p)).collect();
            return Err(ApiError::new(
                ErrorCode::NotFound,
                format!(
                    "The licence notice is installed with the package ({LICENCES_INSTALLED}); in a build from source, run `bash scripts/licences.sh`. Looked for it in: {}.",
                    looked.join(", ")
                ),
            ));
        };
        Ok(!self.seams.no_open && self.host.open_file(&found))
    }
}

/// The diagnostics text of `about`, the damage check's result, the log lines and the
/// time it was made.
fn diagnostics_text(
    about: &AboutInfo,
    damage: Option<&str>,
    log: &[String],
    now: chrono::DateTime<chrono::Utc>,
) -> String {
    let none = "(none)";
    let or_none = |v: &Option<String>| v.clone().unwrap_or_else(|| none.to_string());
    let mut t = String::new();
    let mut field = |name: &str, value: &str| {
        let _ = writeln!(t, "{:<18}{value}", format!("{name}:"));
    };
    field(
        "Diagnostics of",
        &format!("{} {}", about.name, about.version),
    );
    field("Made at", &now.format("%Y-%m-%d %H:%M:%S UTC").to_string());
    field(
        "Built-in models",
        &about
            .models
            .iter()
            .map(|m| format!("{} ({})", m.key, m.title))
            .collect::<Vec<_>>()
            .join(", "),
    );
    field("Operating system", &about.os);
    field(
        "Web view",
        about.webview.as_deref().unwrap_or("(not reported)"),
    );
    field("Database", &or_none(&about.db_path));
    field(
        "Schema version",
        &match about.schema_version {
            Some(v) => format!("{v} (this version writes {})", about.schema_latest),
            None => format!("unknown (this version writes {})", about.schema_latest),
        },
    );
    field(
        "Database state",
        &match (&about.database_error, &about.read_only) {
            (Some(e), _) => format!("could not be opened: {} ({})", e.message, e.code),
            (None, Some(why)) => format!("open read-only ({why})"),
            (None, None) => "open".to_string(),
        },
    );
    if let Some(found) = damage {
        field("Damage check", found);
    }
    field("Data folder", &or_none(&about.data_dir));
    field("Log folder", &or_none(&about.log_dir));
    field(
        "Licence notice",
        about.licences.as_deref().unwrap_or("not installed"),
    );
    t.push('\n');
    if log.is_empty() {
        t.push_str("Log: no lines (the log is empty or could not be read).\n");
    } else {
        let _ = writeln!(
            t,
            "The last {} log lines, oldest first (ids and events only: no names, answers or notes):",
            log.len()
        );
        for line in log {
            t.push_str(line.trim_end_matches(['\n', '\r']));
            t.push('\n');
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_name_reads_quoted_and_plain_values() {
        let debian = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n";
        assert_eq!(
            pretty_name(debian).as_deref(),
            Some("Debian GNU/Linux 12 (bookworm)")
        );
        assert_eq!(
            pretty_name("NAME=x\nPRETTY_NAME='Fedora Linux 41'\n").as_deref(),
            Some("Fedora Linux 41")
        );
        assert_eq!(pretty_name("PRETTY_NAME=Arch\n").as_deref(), Some("Arch"));
        assert_eq!(
            pretty_name(r#"PRETTY_NAME="Say \"hi\" \\ \$HOME""#).as_deref(),
            Some(r#"Say "hi" \ $HOME"#)
        );
        assert_eq!(pretty_name("NAME=Debian\n"), None);
        assert_eq!(pretty_name("PRETTY_NAME=\"  \"\n"), None);
        assert_eq!(
            pretty_name("PRETTY_NAME=\"Bad\u{7}Bell\"").as_deref(),
            Some("BadBell")
        );
    }

    #[test]
    fn licences_are_looked_for_in_the_variable_next_to_the_program_then_the_package() {
        let places = licence_places(
            Some(OsString::from("/opt/notice.html")),
            Some(Path::new("/opt/cxm/bin/cx-maturity")),
        );
        assert_eq!(
            places,
            vec![
                PathBuf::from("/opt/notice.html"),
                PathBuf::from("/opt/cxm/bin/../share/doc/cx-maturity/THIRD-PARTY-LICENSES.html"),
                PathBuf::from("/opt/cxm/bin/../licences/THIRD-PARTY-LICENSES.html"),
                PathBuf::from(LICENCES_INSTALLED),
            ]
        );
        assert_eq!(
            licence_places(Some(OsString::new()), None),
            vec![PathBuf::from(LICENCES_INSTALLED)]
        );
    }

    #[test]
    fn a_build_from_source_finds_the_notice_where_the_script_writes_it() {
        // `bash scripts/licences.sh` writes $CARGO_TARGET_DIR/licences/; the program is
        // $CARGO_TARGET_DIR/debug/cx-maturity.
        let target = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(target.path().join("debug")).unwrap();
        std::fs::create_dir_all(target.path().join("licences")).unwrap();
        let notice = target.path().join("licences").join(LICENCES_FILE);
        std::fs::write(&notice, "<html></html>").unwrap();
        let places = licence_places(None, Some(&target.path().join("debug/cx-maturity")));
        assert_eq!(
            find_licences(&places),
            Some(std::fs::canonicalize(&notice).unwrap())
        );
    }

    #[test]
    fn the_first_existing_notice_is_found_without_dots() {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        let doc = dir.path().join("share/doc/cx-maturity");
        std::fs::create_dir_all(&bin).unwrap();
        std::fs::create_dir_all(&doc).unwrap();
        std::fs::write(doc.join(LICENCES_FILE), "<html></html>").unwrap();
        let places = licence_places(
            Some(dir.path().join("missing.html").into_os_string()),
            Some(&bin.join("cx-maturity")),
        );
        let found = find_licences(&places).unwrap();
        assert_eq!(
            found,
            std::fs::canonicalize(doc.join(LICENCES_FILE)).unwrap()
        );
        assert!(!found.to_string_lossy().contains(".."));
        assert_eq!(find_licences(&[dir.path().join("nothing.html")]), None);
        // A folder of that name is not the notice.
        assert_eq!(find_licences(std::slice::from_ref(&doc)), None);
    }

    #[test]
    fn built_in_models_come_from_the_domain() {
        let models = built_in_models();
        assert_eq!(models.len(), BUILT_IN_MODELS.len());
        assert_eq!(models.last().unwrap().key, Model::default_model().key());
    }
}
