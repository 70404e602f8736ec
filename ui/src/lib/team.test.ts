import { beforeEach, describe, expect, it, vi } from 'vitest';
import { setBackend, type Backend } from './backend';
import { changes } from './context.svelte';
import {
  answerWords,
  changedOrganisations,
  editBy,
  editValue,
  receivedChanges,
  receivedLine,
  sourceCounts,
  sourceExchange,
  syncCounts,
  syncNotice,
} from './team';
import { startTeamSync, syncPass, team } from './team.svelte';
import type { ConcurrentEdit, DataSource, SyncReceived, SyncReport, TeamFolder } from './types';

const received = (over: Partial<SyncReceived> = {}): SyncReceived => ({
  file_name: 'a.b.cxmx',
  from: 'Ben’s laptop',
  organisation_id: 4,
  organisation: 'Acme',
  new_organisation: false,
  rounds_added: 0,
  rounds_deleted: 0,
  respondents_added: 0,
  respondents_changed: 0,
  respondents_deleted: 0,
  answers_added: 0,
  answers_changed: 0,
  ...over,
});

const edit: ConcurrentEdit = {
  round: 'Baseline',
  respondent: 'Helen Marsh',
  question: 'STR-1.1',
  kept: { answer: '3', note: null, at: '2026-03-01T09:05:00.000Z', by: 'Ben’s laptop' },
  replaced: [{ answer: 'dk', note: 'asked twice', at: '2026-03-01T08:59:00.000Z', by: 'Anna’s laptop' }],
};

const report = (over: Partial<SyncReport> = {}): SyncReport => ({
  at: '2026-03-01T09:10:00.000Z',
  folder: '/team',
  files_read: 2,
  files_written: 1,
  received: [],
  concurrent: [],
  skipped: [],
  warnings: [],
  ...over,
});

describe('team folder words', () => {
  it('says answers and the sides of a concurrent edit', () => {
    expect(answerWords(null)).toBe('No answer');
    expect(answerWords('dk')).toBe('Don’t know');
    expect(answerWords('na')).toBe('Not applicable');
    expect(answerWords('4')).toBe('4');
    expect(editValue(edit.kept)).toBe('3');
    expect(editValue(edit.replaced[0])).toBe('Don’t know · note “asked twice”');
    expect(editBy(edit.kept, 0)).toBe('Ben’s laptop, 1 Mar 2026, 09:05');
  });

  it('says what a file brought, only what it changed', () => {
    expect(receivedLine(received({ respondents_added: 2, answers_changed: 5 }))).toBe(
      'Ben’s laptop: Acme — 2 respondents added, 5 answers changed',
    );
    expect(receivedChanges(received({ rounds_added: 1, respondents_added: 1, answers_added: 1593, new_organisation: true }))).toBe(
      'new here; 1 round added, 1 respondent added, 1,593 answers added',
    );
    expect(receivedChanges(received({ rounds_deleted: 1, respondents_changed: 1, respondents_deleted: 3 }))).toBe(
      '1 round deleted, 1 respondent changed, 3 respondents deleted',
    );
    // A round closed on another laptop counts in none of the figures.
    expect(receivedChanges(received())).toBe('rounds updated');
    expect(syncCounts(report())).toBe('2 files read, 1 written');
    expect(syncCounts(report({ files_read: 1, files_written: 0 }))).toBe('1 file read, 0 written');
  });

  it('makes the notice from the changes per laptop, and none when nothing came', () => {
    expect(syncNotice(report())).toBeNull();
    expect(syncNotice(report({ received: [received({ answers_changed: 3 })] }))).toBe('Synced: 3 answers from Ben’s laptop');
    expect(
      syncNotice(
        report({
          received: [
            received({ respondents_added: 1, answers_added: 2, answers_changed: 1 }),
            received({ organisation_id: 5, organisation: 'Globex', answers_changed: 1 }),
            received({ from: 'Carl’s laptop', new_organisation: true, rounds_added: 2, respondents_added: 30 }),
          ],
          concurrent: [edit],
        }),
      ),
    ).toBe('Synced: 1 respondent and 4 answers from Ben’s laptop; a new organisation, 2 rounds and 30 respondents from Carl’s laptop; 1 concurrent edit');
    expect(syncNotice(report({ concurrent: [edit, edit] }))).toBe('Synced; 2 concurrent edits');
    expect(changedOrganisations(report({ received: [received(), received(), received({ organisation_id: 9 })] }))).toEqual([4, 9]);
  });

  it('says where data came from', () => {
    const source = (over: Partial<DataSource>): DataSource => ({
      name: 'Ben’s laptop',
      this: false,
      respondents: 1,
      answers: 1592,
      file_written_at: null,
      merged_at: null,
      ...over,
    });
    expect(sourceCounts(source({}))).toBe('1 respondent, 1,592 answers');
    expect(sourceExchange(source({ this: true }))).toBeNull();
    expect(sourceExchange(source({}))).toBe('Through another laptop’s file');
    expect(sourceExchange(source({ merged_at: '2026-03-01T09:05:00Z', file_written_at: '2026-03-01T08:00:00Z' }), 0)).toBe(
      'Last file merged 1 Mar 2026, 09:05 (written 1 Mar 2026, 08:00)',
    );
  });
});

describe('syncing while the app is open', () => {
  let calls: string[];
  let answer: () => Promise<SyncReport>;
  let folder: string | null;

  beforeEach(() => {
    calls = [];
    folder = '/team';
    answer = async () => report();
    team.report = null;
    team.error = null;
    team.notice = null;
    team.received = 0;
    team.running = false;
    setBackend({
      syncNow: async () => {
        calls.push('sync');
        return answer();
      },
      teamFolder: async () => {
        calls.push('folder');
        return { folder } as TeamFolder;
      },
    } as unknown as Backend);
  });

  it('never runs two passes at once: a second call joins the first', async () => {
    let release: (r: SyncReport) => void = () => undefined;
    answer = () => new Promise((r) => (release = r));
    const a = syncPass();
    const b = syncPass(true);
    expect(team.running).toBe(true);
    release(report());
    expect(await a).toEqual(report());
    expect(await b).toEqual(report());
    expect(calls).toEqual(['sync']);
    expect(team.running).toBe(false);
    answer = async () => report();
    await syncPass();
    expect(calls).toEqual(['sync', 'sync']);
  });

  it('a pass that brought something: counted, the sidebar told, a notice only in the background', async () => {
    answer = async () => report({ received: [received({ answers_changed: 3 })] });
    const version = changes.version;
    await syncPass();
    expect(team.received).toBe(1);
    expect(team.changedOrgs).toEqual([4]);
    expect(changes.version).toBe(version + 1);
    expect(team.notice).toBeNull(); // Sync now: Settings shows the summary
    await syncPass(true);
    expect(team.received).toBe(2);
    expect(team.notice).toEqual({ kind: 'info', text: 'Synced: 3 answers from Ben’s laptop' });
    // Nothing new: nothing counted, the notice stays until dismissed.
    answer = async () => report();
    await syncPass(true);
    expect(team.received).toBe(2);
    expect(team.notice?.kind).toBe('info');
  });

  it('a failing pass in the background warns once per failure, and success clears it', async () => {
    answer = async () => {
      throw { code: 'not_found', message: 'the team folder /team cannot be found' };
    };
    expect(await syncPass(true)).toBeNull();
    expect(team.error?.message).toBe('the team folder /team cannot be found');
    expect(team.notice).toEqual({ kind: 'warn', text: 'The team folder could not be synchronised: the team folder /team cannot be found' });
    team.notice = null;
    await syncPass(true);
    expect(team.notice).toBeNull();
    answer = async () => report();
    await syncPass(true);
    expect(team.error).toBeNull();
  });

  it('runs at start and on the timer only while a team folder is set', async () => {
    vi.useFakeTimers();
    try {
      folder = null;
      const stop = startTeamSync(1000);
      await vi.advanceTimersByTimeAsync(0);
      expect(calls).toEqual(['folder']);
      folder = '/team';
      await vi.advanceTimersByTimeAsync(1000);
      expect(calls).toEqual(['folder', 'folder', 'sync']);
      stop();
      await vi.advanceTimersByTimeAsync(5000);
      expect(calls).toEqual(['folder', 'folder', 'sync']);
    } finally {
      vi.useRealTimers();
    }
  });
});
