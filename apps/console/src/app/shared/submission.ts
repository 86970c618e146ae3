import { signal } from '@angular/core';
import { errorKey } from '../core/api';

/**
 * The submit pattern of a form: `busy` while the work runs (buttons disabled, progress shown), and
 * the translation key of the API's error afterwards, if any. `run` never throws: it answers the
 * work's result, or undefined when it failed (the error is then in `error`, and `onError`, if
 * given, has seen the failure while still busy).
 */
export class Submission {
  readonly busy = signal(false);
  readonly error = signal<string | null>(null);

  async run<T>(work: () => Promise<T>, onError?: (error: unknown) => void): Promise<T | undefined> {
    this.busy.set(true);
    this.error.set(null);
    try {
      return await work();
    } catch (e) {
      this.error.set(errorKey(e));
      onError?.(e);
      return undefined;
    } finally {
      this.busy.set(false);
    }
  }
}
