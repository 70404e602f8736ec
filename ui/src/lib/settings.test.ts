import { describe, expect, it } from 'vitest';
import { formatBackupTime, formatBytes, parseKeep, quoteAttribution, reasonLabel, restoreTitle } from './settings';

describe('settings helpers', () => {
  it('formats sizes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(5 * 1024 * 1024 + 200 * 1024)).toBe('5.2 MB');
  });

  it('formats backup times in a given zone, and leaves odd text alone', () => {
    expect(formatBackupTime('2026-03-01T09:05:00Z', 0)).toBe('1 Mar 2026, 09:05');
    expect(formatBackupTime('2026-03-01T23:30:00Z', 60)).toBe('2 Mar 2026, 00:30');
    expect(formatBackupTime('soon')).toBe('soon');
    expect(formatBackupTime('2026-03-01T09:05:00Z')).toMatch(/^\d{1,2} (Feb|Mar) 2026, \d{2}:\d{2}$/);
  });

  it('names reasons', () => {
    expect(reasonLabel('automatic')).toBe('Automatic');
    expect(reasonLabel('manual')).toBe('Backed up by hand');
    expect(reasonLabel('before_restore')).toBe('Before a restore');
  });

  it('checks the number of backups to keep', () => {
    expect(parseKeep(' 7 ', 100)).toEqual({ keep: 7 });
    expect(parseKeep('100', 100)).toEqual({ keep: 100 });
    for (const bad of ['', '0', '101', '2.5', '-3', 'ten']) {
      expect(parseKeep(bad, 100)).toEqual({ error: 'Enter a whole number from 1 to 100.' });
    }
  });

  it('names the date in the restore confirmation', () => {
    const b = { file_name: 'x', created_at: '2026-03-01T09:05:00Z', bytes: 1, reason: 'manual' as const };
    expect(restoreTitle(b, 0)).toBe('Restore the backup of 1 Mar 2026, 09:05?');
  });

  it('says how the board report attributes quotes', () => {
    expect(quoteAttribution(false, 3)).toBe(
      'Off: each quote is attributed to the role group, and to the department only where at least 3 respondents share both; never to a name.',
    );
    expect(quoteAttribution(false, 5)).toContain('at least 5 respondents');
    expect(quoteAttribution(true, 3)).toBe(
      'On: each quote names the interviewee, with role group and department; members of a group hidden by the anonymity threshold are still quoted without names. Interviewees are usually promised confidentiality: turn this on only when they agreed to be named.',
    );
  });
});
