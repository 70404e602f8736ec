//! The CX Maturity desktop app: a Tauri 2 shell over the library crates.
//!
//! - [`api`]: the commands as plain Rust methods, tested without a window.
//! - [`wire`]: what crosses IPC, with the generated TypeScript types.
//! - [`run`]: the shell. Each `#[tauri::command]` is `async` and runs its [`Api`]
//!   method with `spawn_blocking`, so the database, the charts, the PDF and the file
//!   dialogs never block the window.

#![deny(missing_docs)]

pub mod api;
pub mod api_settings;
pub mod wire;
pub mod wire_settings;

use std::sync::Arc;

use tauri::{Manager, State};
use tauri_plugin_dialog::DialogExt;

pub use api::{Api, ApiResult, DialogSpec, Seams};
use wire::*;

/// Runs `f` on a blocking thread of Tauri's runtime.
async fn off_main<T: Send + 'static>(
    api: &State<'_, Arc<Api>>,
    f: impl FnOnce(&Api) -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    let api = Arc::clone(api.inner());
    tauri::async_runtime::spawn_blocking(move || f(&api))
        .await
        .map_err(|e| ApiError::new("internal", format!("the command failed: {e}")))?
}

/// Declares the Tauri commands: each runs one [`Api`] method off the main thread.
macro_rules! commands {
    ($( $name:ident ( $( $arg:ident : $ty:ty ),* ) -> $ret:ty => |$a:ident| $body:expr; )*) => {
        $(
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

commands! {
    app_status() -> AppStatus => |a| Ok(a.app_status());
    database_health() -> DatabaseHealth => |a| a.database_health();
    list_organisations(include_archived: bool) -> Vec<OrganisationSummary> => |a| a.list_organisations(include_archived);
    create_organisation(name: String) -> i64 => |a| a.create_organisation(&name);
    rename_organisation(id: i64, name: String) -> () => |a| a.rename_organisation(id, &name);
    archive_organisation(id: i64) -> () => |a| a.archive_organisation(id);
    restore_organisation(id: i64) -> () => |a| a.restore_organisation(id);
    load_demo() -> i64 => |a| a.load_demo();
    organisation_page(id: i64) -> OrganisationPage => |a| a.organisation_page(id);
    create_round(input: NewRoundInput) -> i64 => |a| a.create_round(input);
    delete_round(id: i64) -> () => |a| a.delete_round(id);
    round_page(id: i64) -> RoundPage => |a| a.round_page(id);
    close_round(id: i64) -> () => |a| a.close_round(id);
    reopen_round(id: i64) -> () => |a| a.reopen_round(id);
    add_respondent(round: i64, input: RespondentInput) -> i64 => |a| a.add_respondent(round, input);
    update_respondent(id: i64, input: RespondentInput) -> () => |a| a.update_respondent(id, input);
    remove_respondent(id: i64) -> () => |a| a.remove_respondent(id);
    questionnaire(respondent: i64) -> Questionnaire => |a| a.questionnaire(respondent);
    set_answer(respondent: i64, question_id: String, value: Option<String>) -> Progress => |a| a.set_answer(respondent, &question_id, value.as_deref());
    set_note(respondent: i64, question_id: String, note: Option<String>) -> () => |a| a.set_note(respondent, &question_id, note);
    results(round: i64, compare_with: Option<i64>) -> ResultsView => |a| a.results(round, compare_with);
    export_pdf(round: i64, compare_with: Option<i64>) -> ExportOutcome => |a| a.export_pdf(round, compare_with);
    list_models() -> Vec<ModelVersionInfo> => |a| a.list_models();
    import_model() -> ImportModelOutcome => |a| a.import_model();
    settings() -> SettingsView => |a| a.settings();
    set_prepared_by(text: String) -> () => |a| a.set_prepared_by(&text);
    set_attribute_quotes(on: bool) -> () => |a| a.set_attribute_quotes(on);
    choose_logo() -> ChooseLogoOutcome => |a| a.choose_logo();
    remove_logo() -> () => |a| a.remove_logo();
    set_backup_options(enabled: bool, keep: u32) -> () => |a| a.set_backup_options(enabled, keep);
    back_up_now() -> BackupEntry => |a| a.back_up_now();
    restore_backup(file_name: String) -> RestoreOutcome => |a| a.restore_backup(&file_name);
    reveal_database() -> bool => |a| a.reveal_database();
    export_round(round: i64, format: RoundExportFormat) -> ExportOutcome => |a| a.export_round(round, format);
    preview_responses(round: i64) -> Option<ResponsesPreview> => |a| a.preview_responses(round);
    import_responses(token: u32) -> ImportResponsesOutcome => |a| a.import_responses(token);
    discard_responses(token: u32) -> () => |a| { a.discard_responses(token); Ok(()) };
    export_engagement(organisation: i64) -> ExportOutcome => |a| a.export_engagement(organisation);
    import_engagement() -> ImportEngagementOutcome => |a| a.import_engagement();
}

/// Starts the app: opens the database (`CXM_DB`, else the same file as `cxm`), wires
/// the save and open dialogs and the system viewer, and runs the window.
pub fn run() {
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let handle = app.handle().clone();
            let open_handle = app.handle().clone();
            let api = Api::open(api::db_path_from_env())
                .with_seams(Seams::from_env())
                .with_save_dialog(move |spec, suggested| {
                    let chosen = handle
                        .dialog()
                        .file()
                        .set_title(spec.title)
                        .set_file_name(suggested)
                        .add_filter(spec.filter, spec.extensions)
                        .blocking_save_file();
                    match chosen {
                        None => Ok(None),
                        Some(path) => path.into_path().map(Some).map_err(|e| {
                            ApiError::new("dialog", format!("the chosen file cannot be used: {e}"))
                        }),
                    }
                })
                .with_open_dialog(move |spec| {
                    let chosen = open_handle
                        .dialog()
                        .file()
                        .set_title(spec.title)
                        .add_filter(spec.filter, spec.extensions)
                        .blocking_pick_file();
                    match chosen {
                        None => Ok(None),
                        Some(path) => path.into_path().map(Some).map_err(|e| {
                            ApiError::new("dialog", format!("the chosen file cannot be used: {e}"))
                        }),
                    }
                })
                .with_opener(|path| tauri_plugin_opener::open_path(path, None::<&str>).is_ok());
            let api =
                api.with_revealer(|path| tauri_plugin_opener::reveal_item_in_dir(path).is_ok());
            if let Some(e) = api.app_status().error {
                eprintln!("cx-maturity: {}", e.message);
            }
            let api = Arc::new(api);
            Api::spawn_automatic_backup(&api);
            app.manage(api);
            Ok(())
        })
        .invoke_handler(handler())
        .run(tauri::generate_context!("../tauri.conf.json"))
        .expect("the app could not start its window");
}
