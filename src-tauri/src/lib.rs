//! The CX Maturity desktop app: the Tauri 2 shell over `cxm-api`. Registration only:
//! the commands come from [`cxm_api::for_each_command!`] (the list is written once,
//! there), each `async` and run off the main thread with `spawn_blocking`, so the
//! database, the charts, the PDF and the file dialogs never block the window; the
//! platform ([`cxm_api::Host`]) is Tauri's dialogs and opener.

#![deny(missing_docs)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use cxm_api::wire::{ApiError, ErrorCode};
use cxm_api::{Api, ApiResult, DialogSpec, Host, Seams};
use tauri::{AppHandle, Manager, State};
use tauri_plugin_dialog::DialogExt;

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
                off_main(&api, move |$a| $body).await
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

    fn open_file(&self, path: &Path) -> bool {
        tauri_plugin_opener::open_path(path, None::<&str>).is_ok()
    }

    fn reveal(&self, path: &Path) -> bool {
        tauri_plugin_opener::reveal_item_in_dir(path).is_ok()
    }
}

/// Starts the app: opens the database (`CXM_DB`, else the same file as `cxm`), wires
/// the platform, starts the damage check and automatic backup, and runs the window.
/// Collecting on phones stops when the app quits.
pub fn run() {
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let api = Api::open(cxm_api::db_path_from_env())
                .with_seams(Seams::from_env())
                .with_host(TauriHost(app.handle().clone()));
            if let Some(e) = api.app_status().error {
                eprintln!("cx-maturity: {}", e.message);
            }
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
            }
        });
}
