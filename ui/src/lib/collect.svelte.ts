// Workshop mode (collecting answers on phones) as one round page sees it: the status
// the backend sends — polled while a collection runs for this round — and the time
// left counted down between two polls. The backend decides everything (the link, the
// PIN, when it stops); this only keeps its latest answer and the clock.

import { backend, toApiError } from './backend';
import type { Backend } from './backend';
import type { CollectStart, CollectStatus } from './types';

type CollectApi = Pick<Backend, 'collectStatus' | 'startCollecting' | 'stopCollecting'>;

/** How often the round page asks for the status while a collection runs (ms). */
export const POLL_MS = 2000;

export class Collection {
  /** The backend's latest answer: the running collection, or the last one as it ended. */
  status = $state<CollectStatus | null>(null);
  /** Why the last start, stop or refresh failed (the backend's message). */
  error = $state<string | null>(null);
  busy = $state(false);
  #syncedAt = $state(0);
  #now = $state(0);
  #round: () => number;
  #api: () => CollectApi;
  #clock: () => number;

  /** `round`: the round page's round (a function: the page's prop). */
  constructor(round: () => number, api: () => CollectApi = backend, clock: () => number = () => Date.now()) {
    this.#round = round;
    this.#api = api;
    this.#clock = clock;
  }

  /** The collection of this round (running or as it ended), else `null`. */
  get here(): CollectStatus | null {
    return this.status !== null && this.status.round === this.#round() ? this.status : null;
  }

  /** Whether a collection runs for this round. */
  get runningHere(): boolean {
    return this.here?.running ?? false;
  }

  /** The collection running for another round, else `null`. */
  get runningElsewhere(): CollectStatus | null {
    return this.status !== null && this.status.running && this.status.round !== this.#round() ? this.status : null;
  }

  /** Seconds until it stops by itself: the backend's figure at the last poll, counted down since. */
  get secondsLeft(): number {
    const s = this.status;
    if (s === null || !s.running) return 0;
    const elapsed = Math.max(0, Math.floor((this.#now - this.#syncedAt) / 1000));
    return Math.max(0, Number(s.seconds_left) - elapsed);
  }

  /** Moves the countdown's clock on (called every second while it runs). */
  tick(): void {
    this.#now = this.#clock();
  }

  #set(status: CollectStatus | null): void {
    this.status = status;
    this.#syncedAt = this.#clock();
    this.#now = this.#syncedAt;
  }

  /** Asks the backend. Returns whether this round's pending count or running state
   *  changed (then the inbox and the page need reloading). */
  async refresh(): Promise<boolean> {
    const before = this.here;
    try {
      this.#set(await this.#api().collectStatus());
      this.error = null;
    } catch (e) {
      this.error = toApiError(e).message;
      return false;
    }
    const after = this.here;
    return before?.pending !== after?.pending || before?.running !== after?.running;
  }

  /** Starts collecting (the backend stops any other collection first). */
  async start(input: CollectStart): Promise<boolean> {
    return this.#do(() => this.#api().startCollecting(input));
  }

  /** Stops the running collection, whichever round it is for. */
  async stop(): Promise<boolean> {
    return this.#do(() => this.#api().stopCollecting());
  }

  async #do(call: () => Promise<CollectStatus | null>): Promise<boolean> {
    this.busy = true;
    this.error = null;
    try {
      this.#set(await call());
      return true;
    } catch (e) {
      this.error = toApiError(e).message;
      return false;
    } finally {
      this.busy = false;
    }
  }
}
