// The database's health after start: the backend checks the file for damage on a thread
// of its own a few seconds after the window opens, so the UI asks until that check has
// run, then shows what it found (and whether the database is read-only) over every screen.

import type { DatabaseHealth } from './types';

/** Asks `ask` now, then every `every` ms until the check after start has run (at most
 *  `tries` times), handing each answer to `show`. A failed ask counts as a try. Returns
 *  a function that stops asking. */
export function pollHealth(
  ask: () => Promise<DatabaseHealth>,
  show: (health: DatabaseHealth) => void,
  every = 1500,
  tries = 40,
): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let left = tries;
  const once = async () => {
    left -= 1;
    let done = false;
    try {
      const health = await ask();
      if (stopped) return;
      show(health);
      done = health.checked;
    } catch {
      // Asked again below: the next answer replaces this one.
    }
    if (!stopped && !done && left > 0) timer = setTimeout(() => void once(), every);
  };
  void once();
  return () => {
    stopped = true;
    if (timer !== null) clearTimeout(timer);
  };
}

/** Whether there is anything to show. */
export function needsBanner(health: DatabaseHealth | null): boolean {
  return health !== null && (health.damage !== null || health.read_only !== null);
}
