import { beforeEach, describe, expect, it } from 'vitest';
import { setBackend, type Backend } from './backend';
import { cancelPreview, dismissFailure, importPreviewed, incoming, nextOpened, showPreview } from './engagement.svelte';
import { imported } from './context.svelte';
import type { EngagementPreview, ImportEngagementOutcome } from './types';

// router.go sets the location's hash; the tests run in node.
(globalThis as { location?: { hash: string } }).location = { hash: '' };

const preview = (token: number, over: Partial<EngagementPreview> = {}): EngagementPreview => ({
  token,
  file_name: `file-${token}.cxmx`,
  organisation: 'Northwind Energy',
  imported_as: 'Northwind Energy',
  renamed: false,
  format_version: 2,
  merge: false,
  organisation_id: null,
  from: "Ben's laptop",
  changed: true,
  rounds: [],
  respondents: 30,
  answers: 1800,
  respondents_changed: 0,
  respondents_deleted: 0,
  answers_changed: 0,
  rounds_deleted: 0,
  concurrent: [],
  warnings: [],
  models_added: [],
  models_reused: ['cx-maturity@2'],
  more_waiting: 0,
  ...over,
});

/** A backend whose queue of opened files is `queue` (a preview, or an error to throw). */
function fake(queue: (EngagementPreview | { code: string; message: string })[]) {
  const calls: string[] = [];
  const b = {
    nextOpenedEngagement: async () => {
      calls.push('next');
      const n = queue.shift();
      if (n === undefined) return null;
      if ('code' in n) throw n;
      return n;
    },
    discardEngagement: async (token: number) => {
      calls.push(`discard ${token}`);
      return null;
    },
    importPreviewedEngagement: async (token: number): Promise<ImportEngagementOutcome> => {
      calls.push(`import ${token}`);
      if (token === 99) throw { code: 'conflict', message: 'a model conflicts' };
      const outcome = { organisation: 12, name: 'Northwind Energy', renamed: false, rounds: 2, respondents: 30, answers: 1800, models_added: [] };
      const none = { respondents_changed: 0, respondents_deleted: 0, answers_changed: 0, rounds_deleted: 0, concurrent: [], warnings: [] };
      // Token 7: a file merged into the organisation stored here, bringing one answer.
      if (token === 7) return { ...outcome, ...none, rounds: 0, respondents: 0, answers: 1, merged: true, changed: true };
      return { ...outcome, ...none, merged: false, changed: true };
    },
  };
  setBackend(b as unknown as Backend);
  return calls;
}

describe('engagement files on their way in', () => {
  beforeEach(() => {
    incoming.preview = null;
    incoming.failure = null;
    incoming.busy = false;
    incoming.importError = null;
  });

  it('shows the next opened file, and after Cancel the one after it', async () => {
    const calls = fake([preview(1, { more_waiting: 1 }), preview(2)]);
    await nextOpened();
    expect(incoming.preview?.token).toBe(1);
    // One at a time: asking again while a preview is on screen takes nothing.
    await nextOpened();
    expect(calls).toEqual(['next']);
    await cancelPreview();
    expect(calls).toEqual(['next', 'discard 1', 'next']);
    expect(incoming.preview?.token).toBe(2);
  });

  it('shows a refused file instead of a preview, then moves on', async () => {
    fake([{ code: 'not_an_engagement_file', message: 'notes.cxmx: this is not a CX Maturity engagement file' }, preview(3)]);
    await nextOpened();
    expect(incoming.preview).toBeNull();
    expect(incoming.failure?.code).toBe('not_an_engagement_file');
    await dismissFailure();
    expect(incoming.failure).toBeNull();
    expect(incoming.preview?.token).toBe(3);
  });

  it('imports the previewed file, opens its organisation and says what came in', async () => {
    const calls = fake([]);
    showPreview(preview(5));
    await importPreviewed();
    expect(calls).toEqual(['import 5', 'next']);
    expect(incoming.preview).toBeNull();
    expect(imported.org).toBe(12);
    expect(imported.text).toContain('2 rounds');
    expect(location.hash).toBe('#/org/12');
  });

  it('says what a merge changed in the organisation it went into', async () => {
    fake([]);
    showPreview(preview(7, { merge: true, organisation_id: 12, respondents: 0, answers: 1 }));
    await importPreviewed();
    expect(imported.org).toBe(12);
    expect(imported.text).toBe('Merged the engagement file into this organisation: 1 answer added.');
    expect(location.hash).toBe('#/org/12');
  });

  it('keeps the preview with the error when the import fails', async () => {
    fake([]);
    showPreview(preview(99));
    await importPreviewed();
    expect(incoming.preview?.token).toBe(99);
    expect(incoming.importError).toBe('a model conflicts');
    expect(incoming.busy).toBe(false);
  });
});
