import { toApiError } from './backend';
import type { ApiError } from './types';

/** One screen's data: loading, loaded or failed; a newer `run` wins over an older one. */
export class Load<T> {
  data = $state<T | null>(null);
  error = $state<ApiError | null>(null);
  loading = $state(true);
  #seq = 0;

  /** Loads; `quiet` keeps showing the current data while refreshing. */
  async run(fn: () => Promise<T>, quiet = false): Promise<void> {
    const seq = ++this.#seq;
    if (!quiet) {
      this.loading = true;
      this.data = null;
    }
    try {
      const d = await fn();
      if (seq === this.#seq) {
        this.data = d;
        this.error = null;
      }
    } catch (e) {
      if (seq === this.#seq) this.error = toApiError(e);
    } finally {
      if (seq === this.#seq) this.loading = false;
    }
  }
}
