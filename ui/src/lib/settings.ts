// Pure helpers of the Settings screen: how the report attributes quotes, sizes, backup
// times and reasons, the "keep" field, and what the restore confirmation says.
import type { BackupEntry, BackupReason } from './types';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 1536 → "1.5 KB"; bytes, KB, MB with one decimal (none for bytes). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** A backup's RFC 3339 UTC time in the viewer's local time: "1 Mar 2026, 09:05".
 *  (`zone` is for tests: minutes east of UTC instead of the local offset.) */
export function formatBackupTime(iso: string, zone?: number): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  if (zone !== undefined) {
    const d = new Date(t + zone * 60_000);
    return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
  }
  const d = new Date(t);
  return `${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()}, ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Why a backup was taken, for a person. */
export function reasonLabel(r: BackupReason): string {
  switch (r) {
    case 'automatic':
      return 'Automatic';
    case 'manual':
      return 'Backed up by hand';
    case 'before_restore':
      return 'Before a restore';
  }
}

/** The "keep the last N backups" field: a whole number 1..max, or why not. */
export function parseKeep(text: string, max: number): { keep: number } | { error: string } {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return { error: `Enter a whole number from 1 to ${max}.` };
  const n = Number(t);
  if (n < 1 || n > max) return { error: `Enter a whole number from 1 to ${max}.` };
  return { keep: n };
}

/** The restore confirmation's title, naming the backup's date. */
export function restoreTitle(b: BackupEntry, zone?: number): string {
  return `Restore the backup of ${formatBackupTime(b.created_at, zone)}?`;
}

/** What the "name the interviewee" box means, on and off (`threshold`: the anonymity
 *  threshold, as the report's method appendix states it). */
export function quoteAttribution(byName: boolean, threshold: number): string {
  return byName
    ? 'On: each quote names the interviewee, with role group and department; members of a group hidden by the anonymity threshold are still quoted without names. Interviewees are usually promised confidentiality: turn this on only when they agreed to be named.'
    : `Off: each quote is attributed to the role group, and to the department only where at least ${threshold} respondents share both; never to a name.`;
}
