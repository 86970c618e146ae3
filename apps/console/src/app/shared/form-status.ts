import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatProgressBar } from '@angular/material/progress-bar';
import { TranslocoPipe } from '@jsverse/transloco';

/**
 * Where a form (or a list) says how its work went: the error, a translation key, as an alert; and a
 * progress bar while `busy`. Takes no room of its own when there is nothing to say.
 */
@Component({
  selector: 'ro-form-status',
  imports: [MatProgressBar, TranslocoPipe],
  template: `
    @if (error(); as key) {
      <p class="ro-error" role="alert">{{ key | transloco }}</p>
    }
    @if (busy()) {
      <mat-progress-bar mode="indeterminate" [attr.aria-label]="'common.loading' | transloco" />
    }
  `,
  // The alert and the bar are items of the form's own column layout.
  styles: ':host { display: contents; }',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FormStatus {
  /** The translation key of what went wrong (null: nothing). */
  readonly error = input<string | null | undefined>(null);
  readonly busy = input(false);
}
