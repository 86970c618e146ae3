import { CdkCopyToClipboard } from '@angular/cdk/clipboard';
import { CdkTextareaAutosize } from '@angular/cdk/text-field';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import {
  MAT_DIALOG_DATA,
  MatDialog,
  MatDialogActions,
  MatDialogClose,
  MatDialogContent,
  MatDialogRef,
  MatDialogTitle,
} from '@angular/material/dialog';
import { MatFormField, MatLabel, MatSuffix } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatTooltip } from '@angular/material/tooltip';
import { TranslocoPipe } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import { Notifier } from './notifier';

/** A value shown beside the secret, with its own copy button (an application's client ID). */
export interface SecretOnceValue {
  /** Translation keys: the field's label, its copy button's name, what is said once copied. */
  readonly label: string;
  readonly copy: string;
  readonly copied: string;
  readonly value: string;
  readonly testId: string;
}

/** What the dialog shows; every text is a translation key (with `params`). */
export interface SecretOnceData {
  readonly title: string;
  readonly params?: Record<string, unknown>;
  /** Shown above the secret. */
  readonly values?: readonly SecretOnceValue[];
  /** The secret, shown this once; null when there is none (a public client), `none` then says why. */
  readonly secret: string | null;
  readonly secretLabel: string;
  /** The warning above the secret: it will not be shown again. */
  readonly once: string;
  /** Said under the secret and its snippet (how it is used, where to read more). */
  readonly note?: string;
  /** Said instead of the secret when there is none. */
  readonly none?: string;
  /** A short example of its use: a caption (a key) and code, shown as text. */
  readonly snippet?: { readonly caption: string; readonly code: string };
  /** The one button copies the secret as it closes ("Copy and close"); else it reads "Done". */
  readonly copyOnClose?: boolean;
}

/**
 * A secret shown this once (an application's client secret, a webhook's signing secret): the warning,
 * the secret with a copy button, any other values the receiver needs, how it is used, and a single
 * button that closes it (Escape and a click outside do not: the secret would be lost).
 */
@Component({
  selector: 'ro-secret-once-dialog',
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
    <h2 mat-dialog-title>{{ data.title | transloco: data.params }}</h2>
    <mat-dialog-content class="content">
      @for (v of data.values ?? []; track v.testId) {
        <mat-form-field subscriptSizing="dynamic">
          <mat-label>{{ v.label | transloco }}</mat-label>
          <textarea
            matInput
            readonly
            cdkTextareaAutosize
            cdkAutosizeMinRows="1"
            [value]="v.value"
            [attr.data-testid]="v.testId"
            (focus)="$any($event.target).select()"
          ></textarea>
          <button
            mat-icon-button
            matSuffix
            type="button"
            [cdkCopyToClipboard]="v.value"
            (cdkCopyToClipboardCopied)="notifier.say(v.copied)"
            [attr.aria-label]="v.copy | transloco"
            [matTooltip]="v.copy | transloco"
          >
            <mat-icon>content_copy</mat-icon>
          </button>
        </mat-form-field>
      }
      @if (data.secret; as secret) {
        <div class="once" role="status">
          <mat-icon aria-hidden="true">warning</mat-icon>
          <p>{{ data.once | transloco }}</p>
        </div>
        <mat-form-field subscriptSizing="dynamic">
          <mat-label>{{ data.secretLabel | transloco }}</mat-label>
          <textarea
            matInput
            readonly
            cdkTextareaAutosize
            cdkAutosizeMinRows="1"
            [value]="secret"
            data-testid="secret-once"
            (focus)="$any($event.target).select()"
          ></textarea>
          <button
            mat-icon-button
            matSuffix
            type="button"
            [cdkCopyToClipboard]="secret"
            (cdkCopyToClipboardCopied)="notifier.say('secretOnce.copied')"
            [attr.aria-label]="'secretOnce.copy' | transloco"
            [matTooltip]="'secretOnce.copy' | transloco"
          >
            <mat-icon>content_copy</mat-icon>
          </button>
        </mat-form-field>
        @if (data.snippet; as snippet) {
          <figure class="snippet">
            <figcaption class="note">{{ snippet.caption | transloco }}</figcaption>
            <pre data-testid="secret-once-snippet"><code>{{ snippet.code }}</code></pre>
          </figure>
        }
        @if (data.note) {
          <p class="note">{{ data.note | transloco }}</p>
        }
      } @else if (data.none) {
        <p class="note" data-testid="secret-once-none">{{ data.none | transloco }}</p>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      @if (data.copyOnClose && data.secret) {
        <button
          mat-flat-button
          type="button"
          data-testid="secret-once-done"
          [cdkCopyToClipboard]="data.secret"
          (cdkCopyToClipboardCopied)="copiedAndClose($event)"
        >
          {{ 'secretOnce.copyAndClose' | transloco }}
        </button>
      } @else {
        <button mat-flat-button type="button" mat-dialog-close data-testid="secret-once-done">{{ 'secretOnce.done' | transloco }}</button>
      }
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
    .snippet {
      margin: 0;
      display: flex;
      flex-direction: column;
      gap: 4px;
    }
    /* Code keeps its lines where they fit, and wraps on a phone rather than being cut. */
    pre {
      margin: 0;
      padding: 8px 12px;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
      border-radius: 8px;
      background: var(--mat-sys-surface-container-highest);
      color: var(--mat-sys-on-surface);
      font:
        13px/1.5 ui-monospace,
        'DejaVu Sans Mono',
        monospace;
    }
    /* The values and the secret in a fixed-width font, wrapped anywhere on a narrow window rather than cut. */
    .content textarea.mat-mdc-form-field-input-control {
      font-family: ui-monospace, 'DejaVu Sans Mono', monospace;
      font-size: 14px;
      word-break: break-all;
      resize: none;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SecretOnceDialog {
  protected readonly data = inject<SecretOnceData>(MAT_DIALOG_DATA);
  protected readonly notifier = inject(Notifier);
  private readonly ref = inject(MatDialogRef<SecretOnceDialog>);

  /** "Copy and close": closes once copied; a browser that refused the copy leaves the secret on screen. */
  protected copiedAndClose(copied: boolean): void {
    this.notifier.say(copied ? 'secretOnce.copied' : 'secretOnce.notCopied');
    if (copied) this.ref.close();
  }
}

/** Shows a secret this once; resolves once the person has closed the dialog with its button. */
export async function showSecretOnce(dialog: MatDialog, data: SecretOnceData): Promise<void> {
  const ref = dialog.open(SecretOnceDialog, { data, width: '600px', maxWidth: '95vw', disableClose: true, autoFocus: 'dialog' });
  await firstValueFrom(ref.afterClosed());
}
