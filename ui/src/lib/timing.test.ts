import { describe, expect, it } from 'vitest';
import { COMMIT_MEASURE, FIRST_SCREEN_MARK, KEEP, commitDurations, markFirstScreen, pressTime, recordCommit } from './timing';

describe('answer timing', () => {
  it('takes the event time stamp on the performance clock', () => {
    expect(pressTime({ timeStamp: 40 } as Event, () => 100)).toBe(40);
  });

  it('falls back to now for a time stamp from another clock', () => {
    expect(pressTime({ timeStamp: 1.7e12 } as Event, () => 100)).toBe(100);
    expect(pressTime({ timeStamp: 0 } as Event, () => 100)).toBe(100);
  });

  it('records one measure per commit, from the press to now', () => {
    performance.clearMeasures(COMMIT_MEASURE);
    const start = performance.now();
    recordCommit(start - 5);
    recordCommit(start - 2);
    const d = commitDurations();
    expect(d).toHaveLength(2);
    expect(d[0]).toBeGreaterThanOrEqual(5);
    expect(d[1]).toBeGreaterThanOrEqual(2);
  });

  it('keeps the buffer bounded', () => {
    performance.clearMeasures(COMMIT_MEASURE);
    for (let i = 0; i < KEEP + 3; i++) recordCommit(performance.now());
    expect(commitDurations().length).toBeLessThanOrEqual(KEEP);
    expect(commitDurations().length).toBeGreaterThan(0);
  });
});

describe('first screen mark', () => {
  it('is set once', () => {
    performance.clearMarks(FIRST_SCREEN_MARK);
    markFirstScreen();
    markFirstScreen();
    expect(performance.getEntriesByName(FIRST_SCREEN_MARK)).toHaveLength(1);
  });
});
