import { describe, expect, it } from 'vitest';
import { Collection } from './collect.svelte';
import type { CollectStart, CollectStatus } from './types';

const status = (over: Partial<CollectStatus> = {}): CollectStatus => ({
  round: 7,
  round_title: 'Workshop',
  running: true,
  url: 'http://192.168.1.20:41234/c/token',
  pin: '123456',
  qr_svg: '<svg></svg>',
  address: '192.168.1.20',
  seconds_left: 7200,
  submissions: 0,
  duplicates: 0,
  pending: 0,
  stopped_because: null,
  ...over,
});

/** A fake backend answering with `next` (or throwing it), and a clock the test moves. */
function fake() {
  const state = { next: null as CollectStatus | null | { code: string; message: string }, now: 1_000_000, started: [] as CollectStart[] };
  const answer = async () => {
    const n = state.next;
    if (n && 'code' in n) throw n;
    return n;
  };
  const api = () => ({
    collectStatus: answer,
    stopCollecting: answer,
    startCollecting: async (input: CollectStart) => {
      state.started.push(input);
      return (await answer()) as CollectStatus;
    },
  });
  return { state, api, clock: () => state.now };
}

describe('Collection', () => {
  it('knows whether a collection runs for its round or another', async () => {
    const { state, api, clock } = fake();
    const c = new Collection(() => 7, api, clock);
    expect([c.here, c.runningHere, c.runningElsewhere]).toEqual([null, false, null]);
    state.next = status({ round: 8, round_title: 'Other' });
    await c.refresh();
    expect(c.here).toBeNull();
    expect(c.runningElsewhere?.round_title).toBe('Other');
    state.next = status();
    await c.refresh();
    expect([c.runningHere, c.runningElsewhere]).toEqual([true, null]);
    state.next = status({ running: false, stopped_because: 'stopped', seconds_left: 0 });
    await c.refresh();
    expect([c.runningHere, c.here?.stopped_because]).toEqual([false, 'stopped']);
  });

  it('counts the time left down between polls and re-syncs on each', async () => {
    const { state, api, clock } = fake();
    const c = new Collection(() => 7, api, clock);
    state.next = status({ seconds_left: 120 });
    await c.refresh();
    expect(c.secondsLeft).toBe(120);
    state.now += 2500;
    c.tick();
    expect(c.secondsLeft).toBe(118);
    state.next = status({ seconds_left: 100 });
    await c.refresh();
    expect(c.secondsLeft).toBe(100);
    state.now += 500_000;
    c.tick();
    expect(c.secondsLeft).toBe(0);
    state.next = status({ running: false, seconds_left: 0 });
    await c.refresh();
    expect(c.secondsLeft).toBe(0);
  });

  it('says when the number waiting changed, so the inbox reloads', async () => {
    const { state, api, clock } = fake();
    const c = new Collection(() => 7, api, clock);
    state.next = status();
    expect(await c.refresh()).toBe(true);
    expect(await c.refresh()).toBe(false);
    state.next = status({ pending: 1, submissions: 1 });
    expect(await c.refresh()).toBe(true);
    state.next = status({ pending: 1, submissions: 1, running: false });
    expect(await c.refresh()).toBe(true);
  });

  it('starts and stops through the backend, and keeps its error', async () => {
    const { state, api, clock } = fake();
    const c = new Collection(() => 7, api, clock);
    state.next = { code: 'round_closed', message: 'round “Workshop” is closed: reopen it to collect answers' };
    const input = { round: 7, address: '127.0.0.1', port: null, minutes: 120 };
    expect(await c.start(input)).toBe(false);
    expect(c.error).toMatch(/is closed/);
    expect([c.status, c.busy]).toEqual([null, false]);
    state.next = status();
    expect(await c.start(input)).toBe(true);
    expect([c.error, c.runningHere]).toEqual([null, true]);
    expect(state.started).toEqual([input, input]);
    state.next = status({ running: false, stopped_because: 'stopped' });
    expect(await c.stop()).toBe(true);
    expect(c.here?.running).toBe(false);
  });
});
