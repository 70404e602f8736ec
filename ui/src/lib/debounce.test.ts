import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { debounce, serial } from './debounce';

describe('debounce', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('calls once, with the last arguments, after the pause', () => {
    const f = vi.fn();
    const d = debounce(f, 400);
    d('a');
    vi.advanceTimersByTime(200);
    d('ab');
    vi.advanceTimersByTime(399);
    expect(f).not.toHaveBeenCalled();
    expect(d.pending).toBe(true);
    vi.advanceTimersByTime(1);
    expect(f).toHaveBeenCalledTimes(1);
    expect(f).toHaveBeenCalledWith('ab');
    expect(d.pending).toBe(false);
  });

  it('flush runs a pending call at once, and only once', () => {
    const f = vi.fn();
    const d = debounce(f, 400);
    d('note');
    d.flush();
    expect(f).toHaveBeenCalledWith('note');
    vi.advanceTimersByTime(1000);
    d.flush();
    expect(f).toHaveBeenCalledTimes(1);
  });

  it('flush with nothing pending does nothing; cancel drops the pending call', () => {
    const f = vi.fn();
    const d = debounce(f, 400);
    d.flush();
    d('x');
    d.cancel();
    vi.advanceTimersByTime(1000);
    expect(f).not.toHaveBeenCalled();
  });
});

describe('serial', () => {
  it('runs tasks in the order given, even when earlier ones are slower', async () => {
    const run = serial();
    const order: string[] = [];
    const slow = run(() => new Promise<string>((r) => setTimeout(() => (order.push('slow'), r('slow')), 20)));
    const fast = run(async () => (order.push('fast'), 'fast'));
    expect(await Promise.all([slow, fast])).toEqual(['slow', 'fast']);
    expect(order).toEqual(['slow', 'fast']);
  });

  it('goes on after a failed task, and reports the failure to its caller', async () => {
    const run = serial();
    const failed = run(() => Promise.reject(new Error('boom')));
    const next = run(async () => 'ok');
    await expect(failed).rejects.toThrow('boom');
    expect(await next).toBe('ok');
  });
});
