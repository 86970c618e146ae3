import { ChangeDetectionStrategy, Component } from '@angular/core';
import { MatIcon } from '@angular/material/icon';
import { MatTooltip } from '@angular/material/tooltip';
import { TranslocoPipe } from '@jsverse/transloco';

/**
 * "Provisioned": the person's membership was made or adopted by the organization's identity provider
 * through SCIM, which may change or remove it at its next sync. A small mark like the users page's "2FA",
 * its tooltip saying who manages it (focusable, so that a keyboard reaches the tooltip too).
 */
@Component({
  selector: 'ro-provisioned-mark',
  imports: [MatIcon, MatTooltip, TranslocoPipe],
  template: `
    <span class="mark" tabindex="0" data-testid="provisioned-mark" [matTooltip]="'users.provisionedTooltip' | transloco">
      <mat-icon aria-hidden="true">cloud_sync</mat-icon>{{ 'users.provisioned' | transloco }}
    </span>
  `,
  styles: `
    :host {
      display: inline-flex;
      vertical-align: middle;
    }
    .mark {
      display: inline-flex;
      align-items: center;
      gap: 2px;
      padding: 0 6px 0 4px;
      border-radius: 8px;
      font: var(--mat-sys-label-small);
      white-space: nowrap;
      background: var(--mat-sys-tertiary-container);
      color: var(--mat-sys-on-tertiary-container);
    }
    mat-icon {
      font-size: 14px;
      width: 14px;
      height: 14px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProvisionedMark {}
