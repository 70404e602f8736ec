import { describe, expect, it } from 'vitest';
import { hasHistory, shortNote, sideBy, versionWhen, versionWho } from './history';
import type { AnswerVersion } from './types';

const v = (over: Partial<AnswerVersion>): AnswerVersion => ({
  at: '2026-12-03T10:44:41Z',
  by: 'Anna’s laptop',
  this: true,
  answer: '3',
  note: null,
  current: false,
  concurrent: false,
  ...over,
});

describe('answer history words', () => {
  it('offers the history only when there is more than one version or the answer came from elsewhere', () => {
    expect(hasHistory([])).toBe(false);
    expect(hasHistory([v({ current: true })])).toBe(false);
    expect(hasHistory([v({ current: true, this: false, by: 'Ben’s laptop' })])).toBe(true);
    expect(hasHistory([v({ current: true }), v({ answer: '2' })])).toBe(true);
  });

  it('says who and when, also for answers from before versions were recorded', () => {
    expect(versionWho(v({}))).toBe('this computer');
    expect(versionWho(v({ this: false, by: 'Ben’s laptop' }))).toBe('Ben’s laptop');
    expect(versionWhen('2026-12-03T10:44:41Z', 0)).toBe('3 Dec 2026, 10:44');
    expect(versionWhen('2026-12-03T10:44:41Z', 60)).toBe('3 Dec 2026, 11:44');
    expect(versionWhen('', 0)).toBe('before changes were recorded');
    expect(sideBy({ answer: '2', note: null, at: '2026-03-01T09:05:00Z', by: 'Ben’s laptop' }, 0)).toBe('Ben’s laptop, 1 Mar 2026, 09:05');
  });

  it('shortens long notes at a word', () => {
    expect(shortNote(null)).toBeNull();
    expect(shortNote('  \n ')).toBeNull();
    expect(shortNote('Shown   the plan\n for 2026')).toBe('Shown the plan for 2026');
    const long = 'The customer strategy was presented to the board in March and approved with changes to the budget';
    expect(shortNote(long, 40)).toBe('The customer strategy was presented to…');
    expect(shortNote('x'.repeat(50), 40)).toBe(`${'x'.repeat(40)}…`);
  });
});
