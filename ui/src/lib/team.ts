// Words for the team folder (issue 14): what a synchronisation brought, concurrent
// edits, the notice after a pass in the background, and where an organisation's data
// came from. Pure: the backend decides everything; these only say it.

import { formatBackupTime } from './settings';
import type { DataSource, EditSide, SyncReceived, SyncReport } from './types';

/** How often the app synchronises while it is open, in seconds, when the backend could
 *  not be asked (it sends `TeamFolder.sync_every_seconds`). */
export const SYNC_EVERY_SECONDS = 180;

/** A count as the summaries write it: "1 answer", "1,593 answers". */
function counted(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

/** An answer as files carry it ("0".."S", "dk", "na", or none), in words. */
export function answerWords(answer: string | null): string {
  if (answer === null) return 'No answer';
  if (answer === 'dk') return 'Don’t know';
  if (answer === 'na') return 'Not applicable';
  return answer;
}

/** One side of a concurrent edit: its answer, and its note when it has one. */
export function editValue(side: EditSide): string {
  const note = side.note?.trim();
  return note ? `${answerWords(side.answer)} · note “${note}”` : answerWords(side.answer);
}

/** Who made one side of a concurrent edit, and when: "Ben's laptop, 1 Mar 2026, 09:05". */
export function editBy(side: EditSide, zone?: number): string {
  return `${side.by}, ${formatBackupTime(side.at, zone)}`;
}

/** What one file brought: "2 respondents added, 5 answers changed"; a new organisation
 *  says so first. */
export function receivedChanges(r: SyncReceived): string {
  const parts: string[] = [];
  if (r.rounds_added) parts.push(`${counted(r.rounds_added, 'round')} added`);
  if (r.rounds_deleted) parts.push(`${counted(r.rounds_deleted, 'round')} deleted`);
  if (r.respondents_added) parts.push(`${counted(r.respondents_added, 'respondent')} added`);
  if (r.respondents_changed) parts.push(`${counted(r.respondents_changed, 'respondent')} changed`);
  if (r.respondents_deleted) parts.push(`${counted(r.respondents_deleted, 'respondent')} deleted`);
  if (r.answers_added) parts.push(`${counted(r.answers_added, 'answer')} added`);
  if (r.answers_changed) parts.push(`${counted(r.answers_changed, 'answer')} changed`);
  // A change counted nowhere above: a round closed or reopened, its target or title.
  const what = parts.length ? parts.join(', ') : 'rounds updated';
  return r.new_organisation ? `new here; ${what}` : what;
}

/** "Ben's laptop: Acme — 2 respondents added, 5 answers changed". */
export function receivedLine(r: SyncReceived): string {
  return `${r.from}: ${r.organisation} — ${receivedChanges(r)}`;
}

/** The counts of a pass: "2 files read, 1 written". */
export function syncCounts(r: SyncReport): string {
  return `${counted(r.files_read, 'file')} read, ${r.files_written.toLocaleString('en-GB')} written`;
}

/** What changed, summed over the files from one installation: the phrase of the
 *  notice ("3 answers", "2 respondents and 5 answers", "a new organisation"). */
function broughtPhrase(items: SyncReceived[]): string {
  const sum = (f: (r: SyncReceived) => number) => items.reduce((n, r) => n + f(r), 0);
  const respondents = sum((r) => r.respondents_added + r.respondents_changed + r.respondents_deleted);
  const answers = sum((r) => r.answers_added + r.answers_changed);
  const rounds = sum((r) => r.rounds_added + r.rounds_deleted);
  const parts: string[] = [];
  const fresh = items.filter((r) => r.new_organisation).length;
  if (fresh) parts.push(fresh === 1 ? 'a new organisation' : `${fresh} new organisations`);
  if (rounds) parts.push(counted(rounds, 'round'));
  if (respondents) parts.push(counted(respondents, 'respondent'));
  if (answers) parts.push(counted(answers, 'answer'));
  if (!parts.length) return 'changes to rounds';
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** The notice after a pass that brought something: "Synced: 3 answers from Ben's
 *  laptop; 1 concurrent edit" (the shell adds the link to Settings). `null` when the
 *  pass brought nothing and found no concurrent edit. */
export function syncNotice(r: SyncReport): string | null {
  if (!r.received.length && !r.concurrent.length) return null;
  const byFrom = new Map<string, SyncReceived[]>();
  for (const x of r.received) byFrom.set(x.from, [...(byFrom.get(x.from) ?? []), x]);
  const parts = [...byFrom].map(([from, items]) => `${broughtPhrase(items)} from ${from}`);
  let text = parts.length ? `Synced: ${parts.join('; ')}` : 'Synced';
  if (r.concurrent.length) {
    text += `; ${counted(r.concurrent.length, 'concurrent edit')}`;
  }
  return text;
}

/** The organisations a pass changed (their ids). */
export function changedOrganisations(r: SyncReport): number[] {
  return [...new Set(r.received.map((x) => x.organisation_id))];
}

/** What an installation did to an organisation: "3 respondents, 45 answers". */
export function sourceCounts(s: DataSource): string {
  return `${counted(s.respondents, 'respondent')}, ${counted(s.answers, 'answer')}`;
}

/** How another installation's data got here: its file last merged (when), or through
 *  another laptop's file; `null` for this computer. */
export function sourceExchange(s: DataSource, zone?: number): string | null {
  if (s.this) return null;
  if (s.merged_at) {
    const written = s.file_written_at ? ` (written ${formatBackupTime(s.file_written_at, zone)})` : '';
    return `Last file merged ${formatBackupTime(s.merged_at, zone)}${written}`;
  }
  return 'Through another laptop’s file';
}
