import { CdkCopyToClipboard } from '@angular/cdk/clipboard';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogActions, MatDialogContent, MatDialogRef, MatDialogTitle } from '@angular/material/dialog';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { TranslocoPipe } from '@jsverse/transloco';
import { RelativeTimePipe } from '../shared/time';

export interface ResetLinkData {
  email: string;
  url: string;
  expiresAt: string;
}

/** The one-time password-reset URL, shown once, with "Copy and close" (as for invitations). */
@Component({
  selector: 'ro-reset-link-dialog',
  imports: [
    MatDialogTitle,
    MatDialogContent,
    MatDialogActions,
    MatFormField,
    MatLabel,
    MatInput,
    MatButton,
    CdkCopyToClipboard,
    TranslocoPipe,
    RelativeTimePipe,
  ],
  template: `
    <h2 mat-dialog-title>{{ 'users.resetLinkTitle' | transloco }}</h2>
    <mat-dialog-content>
      <mat-form-field class="url">
        <mat-label>{{ 'users.resetLinkLabel' | transloco }}</mat-label>
        <input matInput readonly [value]="data.url" data-testid="reset-url" (focus)="$any($event.target).select()" />
      </mat-form-field>
      <p class="ro-muted">{{ 'users.resetLinkHelp' | transloco: { email: data.email, when: (data.expiresAt | relativeTime) } }}</p>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-flat-button type="button" [cdkCopyToClipboard]="data.url" (cdkCopyToClipboardCopied)="ref.close()">
        {{ 'invite.copyClose' | transloco }}
      </button>
    </mat-dialog-actions>
  `,
  styles: '.url { width: min(560px, 80vw); }',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ResetLinkDialog {
  protected readonly data = inject<ResetLinkData>(MAT_DIALOG_DATA);
  protected readonly ref = inject(MatDialogRef<ResetLinkDialog>);
}
