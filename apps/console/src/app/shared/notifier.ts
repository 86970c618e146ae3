import { inject, Injectable } from '@angular/core';
import { MatSnackBar } from '@angular/material/snack-bar';
import { TranslocoService } from '@jsverse/transloco';
import { errorKey } from '../core/api';

/** How long a message stays on screen. */
export const NOTICE_MS = 4000;

/** Short messages at the bottom of the screen (Material's snack bar), in the console's language. */
@Injectable({ providedIn: 'root' })
export class Notifier {
  private readonly snackBar = inject(MatSnackBar);
  private readonly transloco = inject(TranslocoService);

  /** Shows the translation of `key` (a newer message replaces an older one). */
  say(key: string, params?: Record<string, unknown>): void {
    this.snackBar.open(this.transloco.translate(key, params), undefined, { duration: NOTICE_MS });
  }

  /** Says what went wrong: the API's error code, translated (an unknown failure reads as an internal error). */
  failed(error: unknown): void {
    this.say(errorKey(error));
  }

  /**
   * Runs an action of a page (revoke, deactivate...) and says so if it fails. Answers whether it
   * succeeded; `work` says its own success message, if any.
   */
  async attempt(work: () => Promise<unknown>): Promise<boolean> {
    try {
      await work();
      return true;
    } catch (e) {
      this.failed(e);
      return false;
    }
  }
}
