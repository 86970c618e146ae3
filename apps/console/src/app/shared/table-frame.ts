import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatProgressBar } from '@angular/material/progress-bar';
import { TranslocoPipe } from '@jsverse/transloco';

/**
 * The frame of a list page's table: a rounded border that scrolls sideways on a narrow screen, and a
 * progress bar along its top while the list loads. Its styles (and those of the list page around it:
 * head, filters, empty row, footer) are in table-frame.scss, global so that they reach the table.
 */
@Component({
  selector: 'ro-table-frame',
  imports: [MatProgressBar, TranslocoPipe],
  template: `
    @if (loading()) {
      <mat-progress-bar mode="indeterminate" class="ro-table-loading" [attr.aria-label]="'common.loading' | transloco" />
    }
    <ng-content />
  `,
  host: { class: 'ro-table-frame' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TableFrame {
  readonly loading = input(false);
}
