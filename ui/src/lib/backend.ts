// The one module through which the UI talks to the Rust backend.
//
// `Backend` has one typed method per command of docs/app-api.md. The app uses
// `tauriBackend` (Tauri's `invoke`, with the camelCase argument keys Tauri expects);
// tests and the `?fake` browser mode install another implementation with `setBackend`.
// Every method rejects with an `ApiError` ({code, message}): show `message`, branch
// on `code`.

import { invoke } from '@tauri-apps/api/core';
import type {
  AnswerValue,
  ApiError,
  AppStatus,
  DatabaseHealth,
  ExportOutcome,
  ImportModelOutcome,
  ModelVersionInfo,
  NewRoundInput,
  OrganisationPage,
  OrganisationSummary,
  Progress,
  Questionnaire,
  RespondentInput,
  ResultsView,
  RoundPage,
  BackupEntry,
  ChooseLogoOutcome,
  RestoreOutcome,
  SettingsView,
  RoundExportFormat,
  ResponsesPreview,
  ImportResponsesOutcome,
  ImportEngagementOutcome,
} from './types';

export interface Backend {
  appStatus(): Promise<AppStatus>;
  /** Damage found by the check a few seconds after start (`checked` false until it
   *  ran), and why the database is read-only; both `null` when all is well. */
  databaseHealth(): Promise<DatabaseHealth>;
  listOrganisations(includeArchived: boolean): Promise<OrganisationSummary[]>;
  createOrganisation(name: string): Promise<number>;
  renameOrganisation(id: number, name: string): Promise<void>;
  archiveOrganisation(id: number): Promise<void>;
  restoreOrganisation(id: number): Promise<void>;
  loadDemo(): Promise<number>;
  organisationPage(id: number): Promise<OrganisationPage>;
  createRound(input: NewRoundInput): Promise<number>;
  deleteRound(id: number): Promise<void>;
  roundPage(id: number): Promise<RoundPage>;
  closeRound(id: number): Promise<void>;
  reopenRound(id: number): Promise<void>;
  addRespondent(round: number, input: RespondentInput): Promise<number>;
  updateRespondent(id: number, input: RespondentInput): Promise<void>;
  removeRespondent(id: number): Promise<void>;
  questionnaire(respondent: number): Promise<Questionnaire>;
  setAnswer(respondent: number, questionId: string, value: AnswerValue): Promise<Progress>;
  setNote(respondent: number, questionId: string, note: string | null): Promise<void>;
  /** `compareWith`: `null` the previous round, a round id, or `NO_COMPARISON`. */
  results(round: number, compareWith: number | null): Promise<ResultsView>;
  exportPdf(round: number, compareWith: number | null): Promise<ExportOutcome>;
  listModels(): Promise<ModelVersionInfo[]>;
  /** Shows the open-file dialog in Rust (the web view gets no file access) and imports
   *  the chosen model file; `model: null` when the user cancelled. An invalid file
   *  rejects with code `invalid_model`, one `file:line: field: problem` per line. */
  importModel(): Promise<ImportModelOutcome>;
  // Settings and backups.
  settings(): Promise<SettingsView>;
  setPreparedBy(text: string): Promise<void>;
  /** Whether the board report (`exportPdf`) attributes interview quotes by name; off,
   *  they are attributed to the role group (and the department where enough share both). */
  setAttributeQuotes(on: boolean): Promise<void>;
  /** Shows the open-file dialog in Rust (PNG or JPEG), checks, scales and stores the
   *  logo; `logo: null` when the user cancelled. A bad file rejects with `invalid`. */
  chooseLogo(): Promise<ChooseLogoOutcome>;
  removeLogo(): Promise<void>;
  setBackupOptions(enabled: boolean, keep: number): Promise<void>;
  backUpNow(): Promise<BackupEntry>;
  /** Replaces the database with this backup (a `file_name` from `settings().backups.list`)
   *  after a safety backup; the UI must reload everything afterwards. */
  restoreBackup(fileName: string): Promise<RestoreOutcome>;
  /** Shows the database file in the file manager; `false` when that could not be done. */
  revealDatabase(): Promise<boolean>;
  /** A round's answers (CSV, JSON) or next-phase actions (CSV), through the save
   *  dialog in Rust; `path: null` when the user cancelled. */
  exportRound(round: number, format: RoundExportFormat): Promise<ExportOutcome>;
  /** The open dialog, then a dry run of the chosen responses CSV against the round:
   *  nothing is written. `null` when the user cancelled. */
  previewResponses(round: number): Promise<ResponsesPreview | null>;
  /** Imports the previewed file (all or nothing); refuses a stale preview or a file
   *  that changed since (`stale_preview`, `file_changed`). */
  importResponses(token: number): Promise<ImportResponsesOutcome>;
  /** Forgets the previewed file. */
  discardResponses(token: number): Promise<void>;
  /** The organisation as one engagement file, through the save dialog. */
  exportEngagement(organisation: number): Promise<ExportOutcome>;
  /** The open dialog, then the engagement file imported as a new organisation;
   *  `organisation: null` when the user cancelled. */
  importEngagement(): Promise<ImportEngagementOutcome>;
}

/** `compareWith` of `results` and `exportPdf` for "compare with no round". */
export const NO_COMPARISON = 0;

/** Whatever a command rejected with, as the `{code, message}` the UI works with. */
export function toApiError(e: unknown): ApiError {
  if (e && typeof e === 'object' && 'message' in e) {
    const o = e as { code?: unknown; message?: unknown };
    return {
      code: typeof o.code === 'string' ? o.code : 'unknown',
      message: String(o.message),
    };
  }
  if (typeof e === 'string') return { code: 'unknown', message: e };
  return { code: 'unknown', message: 'Something went wrong.' };
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw toApiError(e);
  }
}

export const tauriBackend: Backend = {
  appStatus: () => call('app_status'),
  databaseHealth: () => call('database_health'),
  listOrganisations: (includeArchived) => call('list_organisations', { includeArchived }),
  createOrganisation: (name) => call('create_organisation', { name }),
  renameOrganisation: (id, name) => call('rename_organisation', { id, name }),
  archiveOrganisation: (id) => call('archive_organisation', { id }),
  restoreOrganisation: (id) => call('restore_organisation', { id }),
  loadDemo: () => call('load_demo'),
  organisationPage: (id) => call('organisation_page', { id }),
  createRound: (input) => call('create_round', { input }),
  deleteRound: (id) => call('delete_round', { id }),
  roundPage: (id) => call('round_page', { id }),
  closeRound: (id) => call('close_round', { id }),
  reopenRound: (id) => call('reopen_round', { id }),
  addRespondent: (round, input) => call('add_respondent', { round, input }),
  updateRespondent: (id, input) => call('update_respondent', { id, input }),
  removeRespondent: (id) => call('remove_respondent', { id }),
  questionnaire: (respondent) => call('questionnaire', { respondent }),
  setAnswer: (respondent, questionId, value) =>
    call('set_answer', { respondent, questionId, value }),
  setNote: (respondent, questionId, note) => call('set_note', { respondent, questionId, note }),
  results: (round, compareWith) => call('results', { round, compareWith }),
  exportPdf: (round, compareWith) => call('export_pdf', { round, compareWith }),
  listModels: () => call('list_models'),
  importModel: () => call('import_model'),
  settings: () => call('settings'),
  setPreparedBy: (text) => call('set_prepared_by', { text }),
  setAttributeQuotes: (on) => call('set_attribute_quotes', { on }),
  chooseLogo: () => call('choose_logo'),
  removeLogo: () => call('remove_logo'),
  setBackupOptions: (enabled, keep) => call('set_backup_options', { enabled, keep }),
  backUpNow: () => call('back_up_now'),
  restoreBackup: (fileName) => call('restore_backup', { fileName }),
  revealDatabase: () => call('reveal_database'),
  exportRound: (round, format) => call('export_round', { round, format }),
  previewResponses: (round) => call('preview_responses', { round }),
  importResponses: (token) => call('import_responses', { token }),
  discardResponses: (token) => call('discard_responses', { token }),
  exportEngagement: (organisation) => call('export_engagement', { organisation }),
  importEngagement: () => call('import_engagement'),
};

let current: Backend = tauriBackend;

/** Replaces the backend (tests, the `?fake` browser mode). */
export function setBackend(b: Backend): void {
  current = b;
}

/** The backend in use. */
export function backend(): Backend {
  return current;
}
