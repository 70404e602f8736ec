//! The command list, written once. [`for_each_command!`] hands it to a macro of the
//! caller's: the desktop app makes its Tauri commands from it, this crate makes
//! [`dispatch`] (a command by name, with JSON arguments: the UI's development server)
//! and [`typescript_client`] (the UI's typed client, `ui/src/lib/bindings/commands.ts`,
//! so a renamed Rust argument fails the UI's type check).
//!
//! Each entry: the doc lines the UI sees, `name(arg: Type, …) -> Result => |api| call;`.
//! Arguments cross IPC under their camelCase names, as Tauri sends them.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use ts_rs::TS;

use crate::{Api, ApiError, ApiResult};

/// Calls `$callback!` with every command: `$(#[doc] )* name(arg: Type, …) -> Ret =>
/// |api| expression;`, where the expression is an [`ApiResult`] of `Ret`.
#[macro_export]
macro_rules! for_each_command {
    ($callback:ident) => {
        $callback! {
            /// Whether the app could open its database, and where it is.
            app_status() -> $crate::wire::AppStatus => |a| Ok(a.app_status());
            /// Damage found by the check a few seconds after start (`checked` false until
            /// it ran), and why the database is read-only; both `null` when all is well.
            database_health() -> $crate::wire::DatabaseHealth => |a| a.database_health();
            /// The organisations, archived ones too when asked.
            list_organisations(include_archived: bool) -> Vec<$crate::wire::OrganisationSummary> => |a| a.list_organisations(include_archived);
            /// Creates an organisation: its id.
            create_organisation(name: String) -> i64 => |a| a.create_organisation(&name);
            /// Renames an organisation.
            rename_organisation(id: i64, name: String) -> () => |a| a.rename_organisation(id, &name);
            /// Archives an organisation (hidden from the list, nothing deleted).
            archive_organisation(id: i64) -> () => |a| a.archive_organisation(id);
            /// Brings an archived organisation back.
            restore_organisation(id: i64) -> () => |a| a.restore_organisation(id);
            /// The demo organisation's id; loads it unless it is already there.
            load_demo() -> i64 => |a| a.load_demo();
            /// An organisation with its rounds, trend chart and the models to start a round with.
            organisation_page(id: i64) -> $crate::wire::OrganisationPage => |a| a.organisation_page(id);
            /// Creates a round (with another round's respondents, or not at all): its id.
            create_round(input: $crate::wire::NewRoundInput) -> i64 => |a| a.create_round(input);
            /// Deletes a round with its respondents and answers.
            delete_round(id: i64) -> () => |a| a.delete_round(id);
            /// A round with its model and respondents.
            round_page(id: i64) -> $crate::wire::RoundPage => |a| a.round_page(id);
            /// Closes a round: its answers can no longer change.
            close_round(id: i64) -> () => |a| a.close_round(id);
            /// Opens a closed round again.
            reopen_round(id: i64) -> () => |a| a.reopen_round(id);
            /// Adds a respondent to an open round: its id.
            add_respondent(round: i64, input: $crate::wire::RespondentInput) -> i64 => |a| a.add_respondent(round, input);
            /// Changes a respondent's name, role group, department or interview date.
            update_respondent(id: i64, input: $crate::wire::RespondentInput) -> () => |a| a.update_respondent(id, input);
            /// Removes a respondent with their answers.
            remove_respondent(id: i64) -> () => |a| a.remove_respondent(id);
            /// A respondent's questionnaire: the model's questions with their answers and notes.
            questionnaire(respondent: i64) -> $crate::wire::Questionnaire => |a| a.questionnaire(respondent);
            /// Saves (or clears, with `null`) one answer: the respondent's progress after it.
            set_answer(respondent: i64, question_id: String, value: Option<String>) -> $crate::wire::Progress => |a| a.set_answer(respondent, &question_id, value.as_deref());
            /// Saves (or clears, with `null`) one interview note.
            set_note(respondent: i64, question_id: String, note: Option<String>) -> () => |a| a.set_note(respondent, &question_id, note);
            /// A round's results, compared as `compareWith` says.
            results(round: i64, compare_with: $crate::wire::CompareWith) -> $crate::wire::ResultsView => |a| a.results(round, compare_with);
            /// The board report through the save dialog; `path: null` when the user cancelled.
            export_pdf(round: i64, compare_with: $crate::wire::CompareWith) -> $crate::wire::ExportOutcome => |a| a.export_pdf(round, compare_with);
            /// Every stored model version.
            list_models() -> Vec<$crate::wire::ModelVersionInfo> => |a| a.list_models();
            /// Shows the open-file dialog in Rust (the web view gets no file access) and
            /// imports the chosen model file; `model: null` when the user cancelled. An
            /// invalid file rejects with code `invalid_model` and its problems.
            import_model() -> $crate::wire::ImportModelOutcome => |a| a.import_model();
            /// The Settings screen: branding, thresholds, database, backups.
            settings() -> $crate::wire::SettingsView => |a| a.settings();
            /// The report's "prepared by" line.
            set_prepared_by(text: String) -> () => |a| a.set_prepared_by(&text);
            /// Whether the board report attributes interview quotes by name; off, they are
            /// attributed to the role group (and the department where enough share both).
            set_attribute_quotes(on: bool) -> () => |a| a.set_attribute_quotes(on);
            /// Shows the open-file dialog in Rust (PNG or JPEG), checks, scales and stores
            /// the logo; `logo: null` when the user cancelled.
            choose_logo() -> $crate::wire::ChooseLogoOutcome => |a| a.choose_logo();
            /// Removes the report logo.
            remove_logo() -> () => |a| a.remove_logo();
            /// Automatic backups on or off, and how many to keep.
            set_backup_options(enabled: bool, keep: u32) -> () => |a| a.set_backup_options(enabled, keep);
            /// A backup now.
            back_up_now() -> $crate::wire::BackupEntry => |a| a.back_up_now();
            /// Replaces the database with this backup (a `file_name` from
            /// `settings().backups.list`) after a safety backup; reload everything afterwards.
            restore_backup(file_name: String) -> $crate::wire::RestoreOutcome => |a| a.restore_backup(&file_name);
            /// Shows the database file in the file manager; `false` when that could not be done.
            reveal_database() -> bool => |a| a.reveal_database();
            /// Help → About: the version, the built-in models, the database and its schema
            /// version, the data and log folders, the OS, the web view, the licence notice.
            /// Works without a database.
            about() -> $crate::wire::AboutInfo => |a| Ok(a.about());
            /// The text for support: every field of `about`, the database's state and the
            /// last 200 log lines; no client data (no names, answers or notes).
            diagnostics() -> $crate::wire::Diagnostics => |a| Ok(a.diagnostics());
            /// Opens the third-party licence notice with the system viewer; `false` when
            /// that could not be done; `not_found` when it is not installed.
            open_licences() -> bool => |a| a.open_licences();
            /// A round's answers (CSV, JSON) or next-phase actions (CSV), through the save
            /// dialog in Rust; `path: null` when the user cancelled.
            export_round(round: i64, format: $crate::wire::RoundExportFormat) -> $crate::wire::ExportOutcome => |a| a.export_round(round, format);
            /// The open dialog, then a dry run of the chosen responses CSV against the
            /// round: nothing is written. `null` when the user cancelled.
            preview_responses(round: i64) -> Option<$crate::wire::ResponsesPreview> => |a| a.preview_responses(round);
            /// Imports the previewed file (all or nothing); refuses a stale preview or a
            /// file that changed since.
            import_responses(token: u32) -> $crate::wire::ImportResponsesOutcome => |a| a.import_responses(token);
            /// Forgets the previewed file.
            discard_responses(token: u32) -> () => |a| { a.discard_responses(token); Ok(()) };
            /// A round's inbox: the submissions from phones waiting to be accepted or rejected.
            inbox(round: i64) -> $crate::wire::InboxView => |a| a.inbox(round);
            /// Accepts submissions of the inbox: each becomes a respondent, all in one
            /// transaction (all or nothing).
            accept_submissions(round: i64, ids: Vec<String>) -> $crate::wire::InboxDecision => |a| a.accept_submissions(round, ids);
            /// Rejects submissions of the inbox (their answers are deleted), all or nothing.
            reject_submissions(round: i64, ids: Vec<String>) -> $crate::wire::InboxDecision => |a| a.reject_submissions(round, ids);
            /// This computer's network addresses to collect on, local network first.
            network_addresses() -> Vec<$crate::wire::NetworkAddress> => |a| Ok(a.network_addresses());
            /// Starts collecting answers on phones for an open round (workshop mode): a
            /// server on the chosen address with a new link and PIN.
            start_collecting(input: $crate::wire::CollectStart) -> $crate::wire::CollectStatus => |a| a.start_collecting(input);
            /// The collection running (or the last one, as it ended); `null` when none was started.
            collect_status() -> Option<$crate::wire::CollectStatus> => |a| a.collect_status();
            /// Stops collecting: the link stops working at once. The collection as it ended.
            stop_collecting() -> Option<$crate::wire::CollectStatus> => |a| { a.stop_collecting(); a.collect_status() };
            /// The round's survey form as an XLSForm (for ODK Central and KoboToolbox),
            /// through the save dialog; `path: null` when the user cancelled.
            export_xlsform(round: i64) -> $crate::wire::ExportOutcome => |a| a.export_xlsform(round);
            /// The organisation as one engagement file, through the save dialog.
            export_engagement(organisation: i64) -> $crate::wire::ExportOutcome => |a| a.export_engagement(organisation);
            /// The open dialog (`.cxmx`, or `.json`), then a dry run of the chosen
            /// engagement file's import: what it would add; `null` when cancelled.
            choose_engagement() -> Option<$crate::wire::EngagementPreview> => |a| a.choose_engagement();
            /// The preview of the next file the app was asked to open (its command line:
            /// a double-click on a `.cxmx` file; or a second launch); `null` when none waits.
            next_opened_engagement() -> Option<$crate::wire::EngagementPreview> => |a| a.next_opened_engagement();
            /// Imports the previewed engagement file (the bytes shown) as a new
            /// organisation, in one transaction.
            import_previewed_engagement(token: u32) -> $crate::wire::ImportEngagementOutcome => |a| a.import_previewed_engagement(token);
            /// Forgets the previewed engagement file (Cancel).
            discard_engagement(token: u32) -> () => |a| { a.discard_engagement(token); Ok(()) };
            /// Settings → Team folder: the folder, this installation's name, the
            /// organisations shared, the last synchronisation.
            team_folder() -> $crate::wire::TeamFolder => |a| a.team_folder();
            /// The folder dialog, then the chosen folder becomes the team folder; `null`
            /// when cancelled.
            choose_team_folder() -> Option<$crate::wire::TeamFolder> => |a| a.choose_team_folder();
            /// Sets (an existing folder) or forgets (`null`) the team folder.
            set_team_folder(folder: Option<String>) -> $crate::wire::TeamFolder => |a| a.set_team_folder(folder);
            /// This installation's name, as the others see it ("Anna's laptop").
            set_installation_name(name: String) -> $crate::wire::TeamFolder => |a| a.set_installation_name(&name);
            /// Shares (or stops sharing) an organisation in the team folder.
            share_organisation(organisation: i64, shared: bool) -> $crate::wire::TeamFolder => |a| a.share_organisation(organisation, shared);
            /// One pass over the team folder: the others' files merged, this
            /// installation's written; what came in and from whom.
            sync_now() -> $crate::wire::SyncReport => |a| a.sync_now();
            /// The installations an organisation's data came from, with the last exchange.
            organisation_sources(organisation: i64) -> Vec<$crate::wire::DataSource> => |a| a.organisation_sources(organisation);
            /// An organisation's plan.
            plan(organisation: i64) -> $crate::wire::PlanView => |a| a.plan(organisation);
            /// Adds a plan item typed in: its id.
            add_plan_item(organisation: i64, input: $crate::wire::PlanItemInput) -> i64 => |a| a.add_plan_item(organisation, input);
            /// Adds a round's actions on these questions to the plan (*Add to plan*,
            /// *Plan all tier-1 actions*); questions an open item targets are skipped.
            plan_actions(round: i64, questions: Vec<String>) -> $crate::wire::PlanAdded => |a| a.plan_actions(round, questions);
            /// Changes one field of a plan item (`title`, `owner`, `due`, `effort`,
            /// `status`, `notes`): the item as it is now.
            set_plan_field(item: i64, field: String, value: Option<String>) -> $crate::wire::PlanItemView => |a| a.set_plan_field(item, &field, value);
            /// Deletes a plan item.
            delete_plan_item(item: i64) -> () => |a| a.delete_plan_item(item);
            /// The plan as an Excel workbook or CSV, through the save dialog.
            export_plan(organisation: i64, format: $crate::wire::PlanFormat) -> $crate::wire::ExportOutcome => |a| a.export_plan(organisation, format);
            /// The open dialog, then what the chosen plan file (a PMO's workbook) would
            /// change, with every problem and its cell; `null` when cancelled.
            choose_plan_updates(organisation: i64) -> Option<$crate::wire::PlanUpdatesPreview> => |a| a.choose_plan_updates(organisation);
            /// Applies the previewed plan updates, all or nothing.
            import_plan_updates(token: u32) -> $crate::wire::PlanUpdatesOutcome => |a| a.import_plan_updates(token);
            /// Forgets the previewed plan updates (Cancel).
            discard_plan_updates(token: u32) -> () => |a| { a.discard_plan_updates(token); Ok(()) };
            /// Every version of one answer, newest first: who changed it and when.
            answer_history(respondent: i64, question_id: String) -> Vec<$crate::wire::AnswerVersion> => |a| a.answer_history(respondent, &question_id);
        }
    };
}

/// One command as the TypeScript client sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandSpec {
    /// The command's name (snake_case, as registered).
    pub name: &'static str,
    /// Its documentation.
    pub doc: Vec<&'static str>,
    /// Its arguments: the Rust name and the TypeScript type.
    pub args: Vec<(&'static str, String)>,
    /// What it resolves to, in TypeScript.
    pub returns: String,
}

/// `snake_case` → `camelCase` (how Tauri names a command's arguments in JSON).
pub fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// A TypeScript type name: ids (`i64`) are numbers in JSON, `()` is nothing.
fn ts_type<T: TS>() -> String {
    let name = T::name();
    if name == "null" {
        return "void".into();
    }
    name.replace("bigint", "number")
}

/// One argument out of the JSON object (a missing one reads as `null`).
fn arg<T: DeserializeOwned>(args: &Map<String, Value>, name: &str) -> ApiResult<T> {
    let key = camel_case(name);
    let value = args.get(&key).cloned().unwrap_or(Value::Null);
    serde_json::from_value(value).map_err(|e| ApiError::invalid(format!("argument `{key}`: {e}")))
}

macro_rules! make_dispatch {
    ($( $(#[doc = $doc:literal])* $name:ident ( $( $arg:ident : $ty:ty ),* ) -> $ret:ty => |$a:ident| $body:expr; )*) => {
        /// Runs the command `command` with its JSON arguments (camelCase keys, as
        /// Tauri's IPC sends them): its result as JSON. An unknown command or a bad
        /// argument is an `invalid` error.
        pub fn dispatch(api: &Api, command: &str, args: &Map<String, Value>) -> ApiResult<Value> {
            match command {
                $(
                    stringify!($name) => {
                        $( let $arg: $ty = arg(args, stringify!($arg))?; )*
                        let run = |$a: &Api| -> ApiResult<$ret> { $body };
                        let out = run(api)?;
                        serde_json::to_value(out)
                            .map_err(|e| ApiError::new($crate::wire::ErrorCode::Internal, format!("the result of {command} could not be written: {e}")))
                    }
                )*
                _ => Err(ApiError::invalid(format!("there is no command `{command}`"))),
            }
        }

        /// Every command, in the order of [`for_each_command!`].
        pub fn commands() -> Vec<CommandSpec> {
            vec![$(
                CommandSpec {
                    name: stringify!($name),
                    doc: vec![$($doc),*],
                    args: vec![$( (stringify!($arg), ts_type::<$ty>()) ),*],
                    returns: ts_type::<$ret>(),
                }
            ),*]
        }
    };
}

crate::for_each_command!(make_dispatch);

/// The UI's typed client: the `Backend` interface (one method per command, arguments
/// in order) and `makeBackend(call)`, which sends each as `call(name, {camelCase
/// args})`. `types` are the wire types' names (imported from `./index`).
pub fn typescript_client(types: &[String]) -> String {
    let specs = commands();
    let mut used: Vec<&str> = types
        .iter()
        .map(String::as_str)
        .filter(|t| {
            specs
                .iter()
                .any(|c| mentions(&c.returns, t) || c.args.iter().any(|(_, ty)| mentions(ty, t)))
        })
        .collect();
    used.sort_unstable();
    let mut out = String::new();
    out.push_str(
        "// Generated from `cxm_api::for_each_command!` by `cargo test -p cxm-api --test bindings`.\n\
         // Do not edit this file manually.\n\n",
    );
    out.push_str(&format!(
        "import type {{ {} }} from './index';\n\n",
        used.join(", ")
    ));
    out.push_str(
        "/** Sends one command: its snake_case name and its arguments under camelCase keys. */\n\
         export type Call = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;\n\n\
         /** One typed method per command of docs/app-api.md. */\n\
         export interface Backend {\n",
    );
    for c in &specs {
        out.push_str("  /**\n");
        for line in &c.doc {
            out.push_str(&format!("   *{line}\n"));
        }
        out.push_str("   */\n");
        let params: Vec<String> = c
            .args
            .iter()
            .map(|(n, ty)| format!("{}: {ty}", camel_case(n)))
            .collect();
        out.push_str(&format!(
            "  {}({}): Promise<{}>;\n",
            camel_case(c.name),
            params.join(", "),
            c.returns
        ));
    }
    out.push_str("}\n\n/** The typed client over `call`. */\nexport function makeBackend(call: Call): Backend {\n  return {\n");
    for c in &specs {
        let names: Vec<String> = c.args.iter().map(|(n, _)| camel_case(n)).collect();
        let sent = if names.is_empty() {
            String::new()
        } else {
            format!(", {{ {} }}", names.join(", "))
        };
        out.push_str(&format!(
            "    {}: ({}) => call('{}'{sent}),\n",
            camel_case(c.name),
            names.join(", "),
            c.name
        ));
    }
    out.push_str("  };\n}\n");
    out
}

/// Whether the TypeScript type `ty` names the type `name` (as a whole word).
fn mentions(ty: &str, name: &str) -> bool {
    ty.split(|c: char| !c.is_alphanumeric() && c != '_')
        .any(|w| w == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argument_names_are_camel_case() {
        assert_eq!(camel_case("compare_with"), "compareWith");
        assert_eq!(camel_case("include_archived"), "includeArchived");
        assert_eq!(camel_case("id"), "id");
    }

    #[test]
    fn every_command_is_listed_once_with_its_types() {
        let specs = commands();
        let mut names: Vec<&str> = specs.iter().map(|c| c.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), specs.len(), "a command listed twice");
        let set_answer = specs.iter().find(|c| c.name == "set_answer").unwrap();
        assert_eq!(
            set_answer.args,
            vec![
                ("respondent", "number".to_string()),
                ("question_id", "string".to_string()),
                ("value", "string | null".to_string())
            ]
        );
        assert_eq!(set_answer.returns, "Progress");
        let rename = specs
            .iter()
            .find(|c| c.name == "rename_organisation")
            .unwrap();
        assert_eq!(rename.returns, "void");
    }

    #[test]
    fn dispatch_refuses_unknown_commands_and_bad_arguments() {
        let dir = tempfile::tempdir().unwrap();
        let api = Api::open(Some(dir.path().join("cxm.sqlite")));
        let e = dispatch(&api, "drop_everything", &Map::new()).unwrap_err();
        assert_eq!(e.code, crate::wire::ErrorCode::Invalid);
        let mut args = Map::new();
        args.insert("id".into(), Value::String("seven".into()));
        let e = dispatch(&api, "organisation_page", &args).unwrap_err();
        assert!(e.message.contains("argument `id`"), "{}", e.message);
        let mut args = Map::new();
        args.insert("name".into(), Value::String("Acme".into()));
        let id = dispatch(&api, "create_organisation", &args).unwrap();
        let mut args = Map::new();
        args.insert("includeArchived".into(), Value::Bool(false));
        let list = dispatch(&api, "list_organisations", &args).unwrap();
        assert_eq!(list[0]["id"], id);
        assert_eq!(list[0]["name"], "Acme");
    }
}
