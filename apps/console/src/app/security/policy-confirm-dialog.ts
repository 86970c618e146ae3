import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MAT_DIALOG_DATA, MatDialogActions, MatDialogClose, MatDialogContent, MatDialogTitle } from '@angular/material/dialog';
import { MatButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { TranslocoPipe } from '@jsverse/transloco';

export interface PolicyConfirmData {
  /** People of the roles turned on who will be sent to the two-factor set-up. */
  affected: number;
  /** Names of the roles turned on. */
  roles: string;
  /** The signed-in admin is among them. */
  includesMe: boolean;
  /** Names of the required roles whose single-sign-on-only people are also sent there (the rule now asks them for the code); null if none. */
  ssoRoles: string | null;
}

/** Before a save that sends people to the two-factor set-up: how many, and whether the admin is one. Closes with true on confirm. */
@Component({
  selector: 'ro-policy-confirm-dialog',
  imports: [MatDialogTitle, MatDialogContent, MatDialogActions, MatDialogClose, MatButton, MatIcon, TranslocoPipe],
  template: `
    <h2 mat-dialog-title>{{ 'twoFactorPolicy.confirmTitle' | transloco }}</h2>
    <mat-dialog-content>
      @if (data.affected) {
        <p>
          {{
            (data.affected === 1 ? 'twoFactorPolicy.confirmTextOne' : 'twoFactorPolicy.confirmText')
              | transloco: { count: data.affected, roles: data.roles }
          }}
        </p>
      }
      @if (data.ssoRoles) {
        <p>{{ 'twoFactorPolicy.confirmSso' | transloco: { roles: data.ssoRoles } }}</p>
      }
      @if (data.includesMe) {
        <p class="self" data-testid="policy-self-warning">
          <mat-icon aria-hidden="true">warning</mat-icon><strong>{{ 'twoFactorPolicy.confirmSelf' | transloco }}</strong>
        </p>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>{{ 'common.cancel' | transloco }}</button>
      <button mat-flat-button type="button" [mat-dialog-close]="true">{{ 'twoFactorPolicy.confirm' | transloco }}</button>
    </mat-dialog-actions>
  `,
  styles: `
    p {
      margin: 0 0 12px;
    }
    .self {
      display: flex;
      gap: 8px;
      align-items: flex-start;
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PolicyConfirmDialog {
  protected readonly data = inject<PolicyConfirmData>(MAT_DIALOG_DATA);
}
