// Words for answers from outside the app: the round's inbox, workshop mode (collecting
// on phones) and survey exports read by "Import responses…". Only words: what a
// submission holds and whether it can be accepted is the backend's to say.

import type { CollectStop, InboxDecision, ResponsesSource } from './types';
import { plural } from './format';

/** 7265 → "121:05": minutes and seconds (the minutes are not folded into hours). */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** When a submission arrived, in local time: "14:05" today, "8 Sep 14:05" another day
 *  ("8 Sep 2025 14:05" another year). The backend sends RFC 3339 in UTC. */
export function receivedTime(iso: string, now: Date = new Date()): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const hm = `${String(t.getHours()).padStart(2, '0')}:${String(t.getMinutes()).padStart(2, '0')}`;
  if (t.getFullYear() === now.getFullYear() && t.getMonth() === now.getMonth() && t.getDate() === now.getDate()) return hm;
  const day = `${t.getDate()} ${MONTHS[t.getMonth()]}`;
  return t.getFullYear() === now.getFullYear() ? `${day} ${hm}` : `${day} ${t.getFullYear()} ${hm}`;
}

/** "3 submissions waiting", "1 submission waiting", "No submissions waiting". */
export function waitingText(n: number): string {
  return n === 0 ? 'No submissions waiting' : `${plural(n, 'submission')} waiting`;
}

/** Why a collection stopped, in words. */
export function stopReasonText(reason: CollectStop | null): string {
  switch (reason) {
    case 'time_up':
      return 'The time set ran out.';
    case 'round_closed':
      return 'The round was closed.';
    case 'stopped':
      return 'You stopped it.';
    default:
      return 'It has stopped.';
  }
}

/** Why a collection stopped, in a few words: "stopped by you", "time's up", "round closed". */
export function stopReasonShort(reason: CollectStop | null): string {
  switch (reason) {
    case 'time_up':
      return 'time’s up';
    case 'round_closed':
      return 'round closed';
    default:
      return 'stopped by you';
  }
}

/** What accepting submissions did. */
export function acceptedText(d: InboxDecision): string {
  return `Added ${plural(d.submissions, 'respondent')} with ${plural(d.answers, 'answer')} to the round.`;
}

/** What rejecting submissions did. */
export function rejectedText(d: InboxDecision): string {
  return `Rejected ${plural(d.submissions, 'submission')}: ${d.submissions === 1 ? 'its answers were' : 'their answers were'} deleted.`;
}

/** The kind of responses file a preview read. */
export function sourceLabel(source: ResponsesSource): string {
  switch (source) {
    case 'odk_central':
      return 'ODK Central export';
    case 'kobotoolbox':
      return 'KoboToolbox export';
    case 'csv':
      return 'CSV';
  }
}

/** "3 submissions were imported before and will be skipped" (`done`: "were skipped"). */
export function alreadyText(n: number, done = false): string {
  const were = n === 1 ? 'was' : 'were';
  return `${plural(n, 'submission')} ${were} imported before and ${done ? `${were} skipped` : 'will be skipped'}`;
}
