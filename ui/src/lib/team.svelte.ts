// The team folder while the app is open (issue 14): a pass at start when a team folder
// is set, then one every SYNC_EVERY_SECONDS, and *Sync now* in Settings — never two at
// once. The last report and the last failure live here, for Settings and for the
// notice the shell shows after a pass that brought something.

import { backend, toApiError } from './backend';
import { changed } from './context.svelte';
import { changedOrganisations, SYNC_EVERY_SECONDS, syncNotice } from './team';
import type { ApiError, SyncReport } from './types';

export const team = $state<{
  /** The last pass that ran (from this window; Settings falls back to the backend's). */
  report: SyncReport | null;
  /** The last pass failed (the folder is gone, …); cleared by the next that runs. */
  error: ApiError | null;
  /** A pass is running. */
  running: boolean;
  /** Counts the passes that brought something: screens showing data reload on it. */
  received: number;
  /** The organisations the last such pass changed. */
  changedOrgs: number[];
  /** The shell's notice: after a pass that brought something (`info`), or one that
   *  failed in the background (`warn`); `null` once dismissed. */
  notice: { kind: 'info' | 'warn'; text: string } | null;
  /** Settings opens at its Team folder card (set by the notice's link). */
  showTeam: boolean;
}>({ report: null, error: null, running: false, received: 0, changedOrgs: [], notice: null, showTeam: false });

let pass: Promise<SyncReport | null> | null = null;

/**
 * One pass over the team folder; a pass already running is joined, never doubled.
 * `background`: started by the app, not the user, so a failure is a quiet notice
 * (shown once per distinct failure) rather than only Settings' error. The report, or
 * `null` when it failed (then `team.error` says why).
 */
export function syncPass(background = false): Promise<SyncReport | null> {
  if (pass) return pass;
  team.running = true;
  pass = (async () => {
    try {
      const report = await backend().syncNow();
      team.report = report;
      team.error = null;
      if (team.notice?.kind === 'warn') team.notice = null;
      if (report.received.length > 0) {
        team.changedOrgs = changedOrganisations(report);
        team.received += 1;
        changed();
      }
      // Settings shows what *Sync now* did; a pass in the background says it here.
      const text = background ? syncNotice(report) : null;
      if (text) team.notice = { kind: 'info', text };
      return report;
    } catch (e) {
      const error = toApiError(e);
      const again = team.error?.message === error.message;
      team.error = error;
      if (background && !again) {
        team.notice = { kind: 'warn', text: `The team folder could not be synchronised: ${error.message}` };
      }
      return null;
    } finally {
      team.running = false;
      pass = null;
    }
  })();
  return pass;
}

/** A pass only when a team folder is set (the start and the timer). Returns how often
 *  the backend wants a pass (seconds), when it could be asked. */
async function syncIfSet(): Promise<number | null> {
  let every: number;
  try {
    const folder = await backend().teamFolder();
    every = folder.sync_every_seconds;
    if (folder.folder === null) return every;
  } catch {
    return null; // no database: nothing to synchronise
  }
  await syncPass(true);
  return every;
}

/** At start: a pass when a team folder is set, then one every few minutes while the
 *  app is open (the backend's `sync_every_seconds`, unless `every` is given, in ms).
 *  Returns the stop. */
export function startTeamSync(every?: number): () => void {
  let timer: ReturnType<typeof setInterval> | undefined;
  let stopped = false;
  void syncIfSet().then((seconds) => {
    if (stopped) return;
    const ms = every ?? (seconds ?? SYNC_EVERY_SECONDS) * 1000;
    timer = setInterval(() => void syncIfSet(), ms);
  });
  return () => {
    stopped = true;
    if (timer !== undefined) clearInterval(timer);
  };
}

/** Closes the notice. */
export function dismissNotice(): void {
  team.notice = null;
}
