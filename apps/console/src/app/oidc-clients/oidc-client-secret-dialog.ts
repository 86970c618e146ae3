import { CdkCopyToClipboard } from '@angular/cdk/clipboard';
import { CdkTextareaAutosize } from '@angular/cdk/text-field';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MAT_DIALOG_DATA, MatDialogActions, MatDialogClose, MatDialogContent, MatDialogTitle } from '@angular/material/dialog';
import { MatFormField, MatLabel, MatSuffix } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatTooltip } from '@angular/material/tooltip';
import { TranslocoPipe } from '@jsverse/transloco';
import { Notifier } from '../shared/notifier';

export interface OidcClientSecretData {
  readonly name: string;
  readonly clientId: string;
  /** The secret, shown this once; null for a public client (which has none). */
  readonly clientSecret: string | null;
  /** A new secret for an existing client (else: the client was just registered). */
  readonly rotated: boolean;
}

/**
 * What the application needs after its registration, or a new secret: its client_id and its secret,
 * shown this once with copy buttons (a public client has none and uses PKCE). Only "Done" closes it.
 */
@Component({
  selector: 'ro-oidc-client-secret-dialog',
  imports: [
    MatDialogTitle,
    MatDialogContent,
    MatDialogActions,
    MatDialogClose,
    MatFormField,
    MatLabel,
    MatSuffix,
    MatInput,
    MatButton,
    MatIconButton,
    MatIcon,
    MatTooltip,
    CdkCopyToClipboard,
    CdkTextareaAutosize,
    TranslocoPipe,
  ],
  template: `
    <h2 mat-dialog-title>{{ title | transloco: { name: data.name } }}</h2>
    <mat-dialog-content class="content">
      <mat-form-field subscriptSizing="dynamic">
        <mat-label>{{ 'oidcClients.clientId' | transloco }}</mat-label>
        <textarea
          matInput
          readonly
          cdkTextareaAutosize
          cdkAutosizeMinRows="1"
          [value]="data.clientId"
          data-testid="oidc-created-client-id"
          (focus)="$any($event.target).select()"
        ></textarea>
        <button
          mat-icon-button
          matSuffix
          type="button"
          [cdkCopyToClipboard]="data.clientId"
          (cdkCopyToClipboardCopied)="copied('oidcClients.clientIdCopied')"
          [attr.aria-label]="'oidcClients.copyClientId' | transloco"
          [matTooltip]="'oidcClients.copyClientId' | transloco"
        >
          <mat-icon>content_copy</mat-icon>
        </button>
      </mat-form-field>
      @if (data.clientSecret; as secret) {
        <div class="once" role="status">
          <mat-icon aria-hidden="true">warning</mat-icon>
          <p>{{ 'oidcClients.secretOnce' | transloco }}</p>
        </div>
        <mat-form-field subscriptSizing="dynamic">
          <mat-label>{{ 'oidcClients.clientSecret' | transloco }}</mat-label>
          <textarea
            matInput
            readonly
            cdkTextareaAutosize
            cdkAutosizeMinRows="1"
            [value]="secret"
            data-testid="oidc-client-secret"
            (focus)="$any($event.target).select()"
          ></textarea>
          <button
            mat-icon-button
            matSuffix
            type="button"
            [cdkCopyToClipboard]="secret"
            (cdkCopyToClipboardCopied)="copied('oidcClients.secretCopied')"
            [attr.aria-label]="'oidcClients.copySecret' | transloco"
            [matTooltip]="'oidcClients.copySecret' | transloco"
          >
            <mat-icon>content_copy</mat-icon>
          </button>
        </mat-form-field>
        <p class="note">{{ 'oidcClients.confidentialUse' | transloco }}</p>
      } @else {
        <p class="note" data-testid="oidc-client-pkce">{{ 'oidcClients.publicNoSecret' | transloco }}</p>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-flat-button type="button" mat-dialog-close data-testid="oidc-secret-done">{{ 'oidcClients.done' | transloco }}</button>
    </mat-dialog-actions>
  `,
  styles: `
    .content {
      display: flex;
      flex-direction: column;
      gap: 12px;
    }
    .once {
      display: flex;
      align-items: flex-start;
      gap: 8px;
      padding: 8px 12px;
      border-radius: 8px;
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
      p {
        margin: 0;
      }
      mat-icon {
        flex: none;
      }
    }
    .note {
      margin: 0;
      color: var(--mat-sys-on-surface-variant);
    }
    /* The id and the secret in a fixed-width font, wrapped anywhere on a narrow window rather than cut. */
    .content textarea.mat-mdc-form-field-input-control {
      font-family: ui-monospace, 'DejaVu Sans Mono', monospace;
      font-size: 14px;
      word-break: break-all;
      resize: none;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OidcClientSecretDialog {
  protected readonly data = inject<OidcClientSecretData>(MAT_DIALOG_DATA);
  protected readonly title = this.data.rotated ? 'oidcClients.rotatedTitle' : 'oidcClients.registeredTitle';
  private readonly notifier = inject(Notifier);

  protected copied(key: string): void {
    this.notifier.say(key);
  }
}
