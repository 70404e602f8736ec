import { describe, expect, it } from 'vitest';
import {
  acceptedText,
  alreadyText,
  clock,
  receivedTime,
  rejectedText,
  sourceLabel,
  stopReasonShort,
  stopReasonText,
  waitingText,
} from './inbox';

describe('inbox words', () => {
  it('counts time left down in minutes and seconds', () => {
    expect(clock(7200)).toBe('120:00');
    expect(clock(7199)).toBe('119:59');
    expect(clock(65)).toBe('01:05');
    expect(clock(0)).toBe('00:00');
    expect(clock(-3)).toBe('00:00');
  });

  it('says when a submission arrived, in local time', () => {
    const now = new Date(2026, 8, 8, 15, 0);
    const at = (d: Date) => d.toISOString();
    expect(receivedTime(at(new Date(2026, 8, 8, 9, 5)), now)).toBe('09:05');
    expect(receivedTime(at(new Date(2026, 8, 7, 23, 59)), now)).toBe('7 Sep 23:59');
    expect(receivedTime(at(new Date(2025, 11, 31, 8, 0)), now)).toBe('31 Dec 2025 08:00');
    expect(receivedTime('not a time', now)).toBe('not a time');
  });

  it('counts what waits and what was decided', () => {
    expect(waitingText(0)).toBe('No submissions waiting');
    expect(waitingText(1)).toBe('1 submission waiting');
    expect(waitingText(3)).toBe('3 submissions waiting');
    expect(acceptedText({ submissions: 2, answers: 41 })).toBe('Added 2 respondents with 41 answers to the round.');
    expect(acceptedText({ submissions: 1, answers: 1 })).toBe('Added 1 respondent with 1 answer to the round.');
    expect(rejectedText({ submissions: 1, answers: 0 })).toBe('Rejected 1 submission: its answers were deleted.');
    expect(rejectedText({ submissions: 2, answers: 0 })).toBe('Rejected 2 submissions: their answers were deleted.');
  });

  it('says why collecting stopped', () => {
    expect(stopReasonText('time_up')).toBe('The time set ran out.');
    expect(stopReasonText('round_closed')).toBe('The round was closed.');
    expect(stopReasonText('stopped')).toBe('You stopped it.');
    expect(stopReasonShort('time_up')).toBe('time’s up');
    expect(stopReasonShort('round_closed')).toBe('round closed');
    expect(stopReasonShort('stopped')).toBe('stopped by you');
  });

  it('names survey exports and what an import skips', () => {
    expect(sourceLabel('odk_central')).toBe('ODK Central export');
    expect(sourceLabel('kobotoolbox')).toBe('KoboToolbox export');
    expect(sourceLabel('csv')).toBe('CSV');
    expect(alreadyText(3)).toBe('3 submissions were imported before and will be skipped');
    expect(alreadyText(1)).toBe('1 submission was imported before and will be skipped');
    expect(alreadyText(2, true)).toBe('2 submissions were imported before and were skipped');
  });
});
