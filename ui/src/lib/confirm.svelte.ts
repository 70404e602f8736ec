import { toApiError } from './backend';

/**
 * An action on one item that asks first (delete a round, remove a respondent, restore a
 * backup): the item asked about, whether the confirmation dialog is open, busy, and the
 * error to show in it. `act` does the work; when it succeeds the dialog closes, then
 * `after` runs (reload, move the focus: after the dialog has given the focus back).
 */
export class Confirm<T> {
  target = $state<T | null>(null);
  open = $state(false);
  busy = $state(false);
  error = $state<string | null>(null);
  #act: (target: T) => Promise<void>;
  #after: (target: T) => Promise<void> | void;

  constructor(act: (target: T) => Promise<void>, after: (target: T) => Promise<void> | void = () => {}) {
    this.#act = act;
    this.#after = after;
  }

  /** Opens the confirmation for `target`. */
  ask(target: T): void {
    this.target = target;
    this.error = null;
    this.open = true;
  }

  /** Does it: on success the dialog closes; on failure it stays open with the error. */
  async confirm(): Promise<void> {
    const target = this.target;
    if (target === null || this.busy) return;
    this.busy = true;
    try {
      await this.#act(target);
      this.open = false;
      await this.#after(target);
    } catch (e) {
      this.error = toApiError(e).message;
    } finally {
      this.busy = false;
    }
  }
}
