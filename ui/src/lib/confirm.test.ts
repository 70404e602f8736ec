import { describe, expect, it } from 'vitest';
import { Confirm } from './confirm.svelte';

describe('Confirm', () => {
  it('asks, acts, closes, then runs what follows', async () => {
    const log: string[] = [];
    const c = new Confirm<string>(
      async (t) => {
        log.push(`act ${t}`);
      },
      (t) => {
        log.push(`after ${t} (open: ${c.open})`);
      },
    );
    c.ask('round 3');
    expect([c.target, c.open, c.error]).toEqual(['round 3', true, null]);
    await c.confirm();
    expect(log).toEqual(['act round 3', 'after round 3 (open: false)']);
    expect([c.open, c.busy]).toEqual([false, false]);
  });

  it('stays open with the error when the action fails, and clears it when asked again', async () => {
    const c = new Confirm<number>(async () => {
      throw { code: 'round_closed', message: 'The round is closed.' };
    });
    c.ask(1);
    await c.confirm();
    expect([c.open, c.busy, c.error]).toEqual([true, false, 'The round is closed.']);
    c.ask(2);
    expect([c.target, c.error]).toEqual([2, null]);
  });

  it('does nothing without a target', async () => {
    let acted = false;
    const c = new Confirm<number>(async () => {
      acted = true;
    });
    await c.confirm();
    expect(acted).toBe(false);
  });
});
