import { beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import { backend, setBackend, tauriBackend, toApiError, type Backend } from './backend';
import { createFakeBackend } from './fake';

describe('the backend module', () => {
  beforeEach(() => {
    invoke.mockReset();
    setBackend(tauriBackend);
  });

  it('uses Tauri by default and can be swapped for a fake', async () => {
    expect(backend()).toBe(tauriBackend);
    const fake = createFakeBackend();
    setBackend(fake);
    expect(backend()).toBe(fake);
    expect(await backend().createOrganisation('Acme')).toBeTypeOf('number');
    expect(invoke).not.toHaveBeenCalled();
  });

  it('sends the command names and the camelCase argument keys Tauri expects', async () => {
    invoke.mockResolvedValue(null);
    const b: Backend = tauriBackend;
    await b.appStatus();
    await b.listOrganisations(true);
    await b.setAnswer(7, 'STR-1.1', '3');
    await b.setNote(7, 'STR-1.1', null);
    await b.results(2, null);
    await b.exportPdf(2, 1);
    await b.listModels();
    await b.importModel();
    await b.createRound({ organisation: 1, title: 'T', date: '2026-01-01', target_phase: null, model: null, copy_respondents_from: 3 });
    await b.addRespondent(2, { name: 'A', role_group: 'executive', department: null, interview_date: null });
    expect(invoke.mock.calls).toEqual([
      ['app_status', undefined],
      ['list_organisations', { includeArchived: true }],
      ['set_answer', { respondent: 7, questionId: 'STR-1.1', value: '3' }],
      ['set_note', { respondent: 7, questionId: 'STR-1.1', note: null }],
      ['results', { round: 2, compareWith: null }],
      ['export_pdf', { round: 2, compareWith: 1 }],
      ['list_models', undefined],
      ['import_model', undefined],
      ['create_round', { input: { organisation: 1, title: 'T', date: '2026-01-01', target_phase: null, model: null, copy_respondents_from: 3 } }],
      ['add_respondent', { round: 2, input: { name: 'A', role_group: 'executive', department: null, interview_date: null } }],
    ]);
  });

  it('has one method per command of the contract', () => {
    expect(Object.keys(tauriBackend).sort()).toEqual(
      [
        'appStatus', 'databaseHealth', 'listOrganisations', 'createOrganisation', 'renameOrganisation', 'archiveOrganisation',
        'restoreOrganisation', 'loadDemo', 'organisationPage', 'createRound', 'deleteRound', 'roundPage',
        'closeRound', 'reopenRound', 'addRespondent', 'updateRespondent', 'removeRespondent', 'questionnaire',
        'setAnswer', 'setNote', 'results', 'exportPdf', 'listModels', 'importModel',
        // Settings
        'settings', 'setPreparedBy', 'setAttributeQuotes', 'chooseLogo', 'removeLogo', 'setBackupOptions', 'backUpNow',
        'restoreBackup', 'revealDatabase',
        'exportRound', 'previewResponses', 'importResponses', 'discardResponses', 'exportEngagement',
        'importEngagement',
      ].sort(),
    );
  });

  it('sends the settings commands with their argument keys', async () => {
    invoke.mockResolvedValue(null);
    const b: Backend = tauriBackend;
    await b.settings();
    await b.setPreparedBy('Jane');
    await b.setAttributeQuotes(true);
    await b.chooseLogo();
    await b.removeLogo();
    await b.setBackupOptions(false, 5);
    await b.backUpNow();
    await b.restoreBackup('cxm-backup-20260301-090000-manual.sqlite');
    await b.revealDatabase();
    expect(invoke.mock.calls).toEqual([
      ['settings', undefined],
      ['set_prepared_by', { text: 'Jane' }],
      ['set_attribute_quotes', { on: true }],
      ['choose_logo', undefined],
      ['remove_logo', undefined],
      ['set_backup_options', { enabled: false, keep: 5 }],
      ['back_up_now', undefined],
      ['restore_backup', { fileName: 'cxm-backup-20260301-090000-manual.sqlite' }],
      ['reveal_database', undefined],
    ]);
  });

  it('sends the import and export commands with the argument keys Tauri expects', async () => {
    invoke.mockResolvedValue(null);
    const b: Backend = tauriBackend;
    await b.exportRound(2, 'actions_csv');
    await b.previewResponses(2);
    await b.importResponses(7);
    await b.discardResponses(7);
    await b.exportEngagement(1);
    await b.importEngagement();
    expect(invoke.mock.calls).toEqual([
      ['export_round', { round: 2, format: 'actions_csv' }],
      ['preview_responses', { round: 2 }],
      ['import_responses', { token: 7 }],
      ['discard_responses', { token: 7 }],
      ['export_engagement', { organisation: 1 }],
      ['import_engagement', undefined],
    ]);
  });

  it('turns every rejection into {code, message}', async () => {
    invoke.mockRejectedValueOnce({ code: 'round_closed', message: 'The round is closed.' });
    await expect(tauriBackend.closeRound(1)).rejects.toEqual({ code: 'round_closed', message: 'The round is closed.' });
    invoke.mockRejectedValueOnce('command not found');
    await expect(tauriBackend.closeRound(1)).rejects.toEqual({ code: 'unknown', message: 'command not found' });
    expect(toApiError(new Error('boom'))).toEqual({ code: 'unknown', message: 'boom' });
    expect(toApiError(undefined).code).toBe('unknown');
  });
});
