// Words for an answer's versions (issue 14): the questionnaire's history of the
// question on screen, and the two sides of a concurrent edit in an engagement file's
// preview. Pure: the backend decides which version is current and which were
// concurrent; these only say it.

import { formatBackupTime } from './settings';
import type { AnswerVersion, EditSide } from './types';

/** A note cut to `max` characters (at a word when one ends near), with "…". */
export function shortNote(note: string | null, max = 80): string | null {
  const t = note?.replace(/\s+/g, ' ').trim();
  if (!t) return null;
  if (t.length <= max) return t;
  const cut = t.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** When a version was made: "3 Dec 2026, 10:44" in local time, or, for an answer kept
 *  from before versions were recorded (`at` empty), "before changes were recorded". */
export function versionWhen(at: string, zone?: number): string {
  return at ? formatBackupTime(at, zone) : 'before changes were recorded';
}

/** Who made a version: "this computer", or the installation's name ("Ben's laptop"). */
export function versionWho(v: Pick<AnswerVersion, 'by' | 'this'>): string {
  return v.this ? 'this computer' : v.by;
}

/** Whether the questionnaire offers an answer's history: it has more than one
 *  version, or its current one came from another installation. */
export function hasHistory(versions: readonly AnswerVersion[]): boolean {
  if (versions.length > 1) return true;
  return versions.some((v) => v.current && !v.this);
}

/** One side of a concurrent edit: "Ben's laptop, 3 Dec 2026, 10:44". */
export function sideBy(side: EditSide, zone?: number): string {
  return `${side.by}, ${versionWhen(side.at, zone)}`;
}
