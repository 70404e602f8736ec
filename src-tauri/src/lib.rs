//! The CX Maturity desktop app: the Tauri 2 shell over `cxm-api`. Registration only:
//! the commands come from [`cxm_api::for_each_command!`] (the list is written once,
//! there), each `async` and run off the main thread with `spawn_blocking`, so the
//! database, the charts, the PDF and the file dialogs never block the window; the
//! platform ([`cxm_api::Host`]) is Tauri's dialogs and opener.

#![deny(missing_docs)]

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use cxm_api::wire::{ApiError, ErrorCode};
use cxm_api::{Api, ApiResult, DialogSpec, Host, PlatformInfo, Seams};
use tauri::{AppHandle, Emitter, Manager, Runtime, State};
use tauri_plugin_dialog::DialogExt;

/// The event that tells the window a second launch handed it files to open (the UI's
/// `FILES_OPENED_EVENT`, ui/src/lib/backend.ts).
const FILES_OPENED_EVENT: &str = "cxm://files-opened";

/// Runs `f` on a blocking thread of Tauri's runtime.
async fn off_main<T: Send + 'static>(
    api: &State<'_, Arc<Api>>,
    f: impl FnOnce(&Api) -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    let api = Arc::clone(api.inner());
    tauri::async_runtime::spawn_blocking(move || f(&api))
        .await
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("the command failed: {e}")))?
}

/// Declares one Tauri command per entry of the command list, and the handler.
macro_rules! tauri_commands {
    ($( $(#[doc = $doc:literal])* $name:ident ( $( $arg:ident : $ty:ty ),* ) -> $ret:ty => |$a:ident| $body:expr; )*) => {
        $(
            $(#[doc = $doc])*
            #[tauri::command]
            async fn $name(api: State<'_, Arc<Api>>, $( $arg: $ty ),*) -> ApiResult<$ret> {
                let started = Instant::now();
                let out = off_main(&api, move |$a| $body).await;
                cxm_api::logging::command_done(
                    stringify!($name),
                    started.elapsed(),
                    out.as_ref().err().map(|e| &e.code),
                );
                out
            }
        )*
        /// The command handler with every command.
        fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }
    };
}

cxm_api::for_each_command!(tauri_commands);

/// The platform through Tauri: its file dialogs and the system's opener.
struct TauriHost(AppHandle);

fn chosen(path: Option<tauri_plugin_dialog::FilePath>) -> ApiResult<Option<PathBuf>> {
    match path {
        None => Ok(None),
        Some(path) => path.into_path().map(Some).map_err(|e| {
            ApiError::new(
                ErrorCode::Dialog,
                format!("the chosen file cannot be used: {e}"),
            )
        }),
    }
}

impl Host for TauriHost {
    fn save_dialog(&self, spec: &DialogSpec, suggested: &str) -> ApiResult<Option<PathBuf>> {
        let dialog = self.0.dialog().file().set_title(spec.title);
        chosen(
            dialog
                .set_file_name(suggested)
                .add_filter(spec.filter, spec.extensions)
                .blocking_save_file(),
        )
    }

    fn open_dialog(&self, spec: &DialogSpec) -> ApiResult<Option<PathBuf>> {
        let dialog = self.0.dialog().file().set_title(spec.title);
        chosen(
            dialog
                .add_filter(spec.filter, spec.extensions)
                .blocking_pick_file(),
        )
    }

    fn folder_dialog(&self, title: &str) -> ApiResult<Option<PathBuf>> {
        chosen(
            self.0
                .dialog()
                .file()
                .set_title(title)
                .blocking_pick_folder(),
        )
    }

    fn open_file(&self, path: &Path) -> bool {
        tauri_plugin_opener::open_path(path, None::<&str>).is_ok()
    }

    fn reveal(&self, path: &Path) -> bool {
        tauri_plugin_opener::reveal_item_in_dir(path).is_ok()
    }
}

/// The files on a command line (after the program's name): every argument that is not
/// an option. The desktop entry starts `cx-maturity %F` for a double-clicked file.
fn files_in<I: IntoIterator<Item = S>, S: Into<OsString>>(args: I) -> Vec<PathBuf> {
    args.into_iter()
        .map(Into::into)
        .filter(|a| !a.is_empty() && !a.to_string_lossy().starts_with('-'))
        .map(PathBuf::from)
        .collect()
}

/// The D-Bus name of the single instance: one app per database, so two windows on two
/// databases (`CXM_DB`, as the tests run them) do not hand files to each other, and a
/// second launch on the same database does. The plugin appends `.SingleInstance`.
fn instance_id(db: Option<&Path>) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    db.hash(&mut h);
    format!("io.cxmaturity.app.db{:016x}", h.finish())
}

/// A second launch handed its command line over: its files are queued for the preview,
/// the window told, raised and focused.
fn second_launch<R: Runtime>(app: &AppHandle<R>, argv: Vec<String>, cwd: String) {
    let files = files_in(argv.into_iter().skip(1));
    tracing::info!(
        files = files.len(),
        "second launch: handed over to this window"
    );
    if let Some(api) = app.try_state::<Arc<Api>>()
        && !files.is_empty()
    {
        api.open_files_later(files, Path::new(&cwd));
        let _ = app.emit(FILES_OPENED_EVENT, ());
    }
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// Starts the app: opens the database (`CXM_DB`, else the same file as `cxm`), starts
/// the support log next to it, wires the platform, queues the files on its command line
/// (a double-clicked engagement file) for the import preview, starts the damage check
/// and automatic backup, and runs the window. A second launch on the same database
/// hands its files to this one and exits. Collecting on phones stops when the app quits.
pub fn run() {
    let db = cxm_api::db_path_from_env();
    let _log = cxm_api::logging::init("app", db.as_deref());
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "app starting");
    let opened = files_in(std::env::args_os().skip(1));
    let cwd = std::env::current_dir().unwrap_or_default();
    tauri::Builder::default()
        // First, so a second launch exits before anything else starts.
        .plugin(
            tauri_plugin_single_instance::Builder::new()
                .dbus_id(instance_id(db.as_deref()))
                .callback(second_launch)
                .build(),
        )
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            let webview = match tauri::webview_version() {
                Ok(v) if cfg!(target_os = "linux") => format!("WebKitGTK {v}"),
                Ok(v) => v,
                Err(_) => String::new(),
            };
            let api = Api::open(db)
                .with_seams(Seams::from_env())
                .with_host(TauriHost(app.handle().clone()))
                .with_platform(PlatformInfo { webview });
            if let Some(e) = api.app_status().error {
                eprintln!("cx-maturity: {}", e.message);
            }
            api.open_files_later(opened, &cwd);
            let api = Arc::new(api);
            Api::spawn_automatic_backup(&api);
            app.manage(api);
            Ok(())
        })
        .invoke_handler(handler())
        .build(tauri::generate_context!("../tauri.conf.json"))
        .expect("the app could not start its window")
        .run(|app, event| {
            if let tauri::RunEvent::Exit = event
                && let Some(api) = app.try_state::<Arc<Api>>()
            {
                api.stop_collecting();
                tracing::info!("app quit");
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_files_on_a_command_line_are_its_arguments_that_are_not_options() {
        assert_eq!(
            files_in(["a.cxmx", "--flag", "", "dir/b file.json", "-x"]),
            vec![PathBuf::from("a.cxmx"), PathBuf::from("dir/b file.json")]
        );
        assert!(files_in(Vec::<OsString>::new()).is_empty());
    }

    #[test]
    fn each_database_has_its_own_single_instance() {
        let a = instance_id(Some(Path::new("/home/a/cxm.sqlite")));
        let b = instance_id(Some(Path::new("/tmp/other.sqlite")));
        assert_ne!(a, b);
        assert_eq!(a, instance_id(Some(Path::new("/home/a/cxm.sqlite"))));
        // A valid D-Bus name once the plugin appends `.SingleInstance`: elements of
        // [A-Za-z0-9_-], none starting with a digit.
        for element in format!("{a}.SingleInstance").split('.') {
            assert!(!element.is_empty() && !element.starts_with(|c: char| c.is_ascii_digit()));
            assert!(
                element
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_')
            );
        }
    }
}
