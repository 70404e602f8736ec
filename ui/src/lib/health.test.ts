import { describe, expect, it, vi } from 'vitest';
import { needsBanner, pollHealth } from './health';
import type { DatabaseHealth } from './types';

const h = (checked: boolean, damage: string | null = null, read_only: string | null = null): DatabaseHealth => ({
  checked,
  damage,
  read_only,
});

describe('pollHealth', () => {
  it('asks until the check after start has run, then stops', async () => {
    vi.useFakeTimers();
    const answers = [h(false), h(false, null, 'read-only'), h(true, 'damaged')];
    const ask = vi.fn(async () => answers.shift() ?? h(true));
    const shown: DatabaseHealth[] = [];
    pollHealth(ask, (x) => shown.push(x), 100, 10);
    await vi.advanceTimersByTimeAsync(1000);
    expect(ask).toHaveBeenCalledTimes(3);
    expect(shown.map((x) => x.checked)).toEqual([false, false, true]);
    expect(shown[1].read_only).toBe('read-only');
    expect(shown[2].damage).toBe('damaged');
    vi.useRealTimers();
  });

  it('gives up after the tries it was given, and stops when told', async () => {
    vi.useFakeTimers();
    const ask = vi.fn(async () => h(false));
    pollHealth(ask, () => {}, 100, 4);
    await vi.advanceTimersByTimeAsync(2000);
    expect(ask).toHaveBeenCalledTimes(4);

    const again = vi.fn(async () => h(false));
    const stop = pollHealth(again, () => {}, 100, 10);
    await vi.advanceTimersByTimeAsync(150);
    stop();
    await vi.advanceTimersByTimeAsync(2000);
    expect(again).toHaveBeenCalledTimes(2);
    vi.useRealTimers();
  });

  it('keeps asking after a failed ask', async () => {
    vi.useFakeTimers();
    let n = 0;
    const ask = vi.fn(async () => {
      n += 1;
      if (n === 1) throw { code: 'no_database', message: 'x' };
      return h(true);
    });
    const shown: DatabaseHealth[] = [];
    pollHealth(ask, (x) => shown.push(x), 100, 5);
    await vi.advanceTimersByTimeAsync(500);
    expect(ask).toHaveBeenCalledTimes(2);
    expect(shown).toEqual([h(true)]);
    vi.useRealTimers();
  });
});

describe('needsBanner', () => {
  it('is true for damage or a read-only database only', () => {
    expect(needsBanner(null)).toBe(false);
    expect(needsBanner(h(false))).toBe(false);
    expect(needsBanner(h(true))).toBe(false);
    expect(needsBanner(h(true, 'bad'))).toBe(true);
    expect(needsBanner(h(false, null, 'ro'))).toBe(true);
  });
});
