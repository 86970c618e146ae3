import { MatDialogRef } from '@angular/material/dialog';
import { ChangeDetectionStrategy, Component, computed, DOCUMENT, inject, output, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatFormField, MatLabel, MatError, MatHint } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatTooltip } from '@angular/material/tooltip';
import { CdkCopyToClipboard } from '@angular/cdk/clipboard';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import {
  CompleteTwoFactorSetupGQL,
  DisableTwoFactorGQL,
  StartTwoFactorSetupGQL,
  StartTwoFactorSetupMutation,
} from '@roster/console/data-access/generated';
import { Session } from '../../core/session';
import { downloadText } from '../download';
import { Notifier } from '../notifier';
import { Submission } from '../submission';
import { normalizeCode, recoveryCodesText } from './recovery-codes';
import { FormStatus } from '../form-status';

type Setup = StartTwoFactorSetupMutation['startTwoFactorSetup'];
type Step = 'off' | 'setup' | 'codes' | 'on' | 'disable';

/** Two-factor authentication: set-up with QR code and key, recovery codes shown once, disable. */
@Component({
  selector: 'ro-two-factor',
  imports: [
    ReactiveFormsModule,
    MatFormField,
    MatLabel,
    MatError,
    MatHint,
    MatInput,
    MatButton,
    MatIconButton,
    MatIcon,
    MatTooltip,
    CdkCopyToClipboard,
    TranslocoPipe,
    FormStatus,
  ],
  templateUrl: './two-factor.html',
  styleUrl: './two-factor.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TwoFactorSection {
  private readonly session = inject(Session);
  private readonly startGql = inject(StartTwoFactorSetupGQL);
  private readonly completeGql = inject(CompleteTwoFactorSetupGQL);
  private readonly disableGql = inject(DisableTwoFactorGQL);
  private readonly notifier = inject(Notifier);
  private readonly transloco = inject(TranslocoService);
  private readonly document = inject(DOCUMENT);
  private readonly fb = inject(NonNullableFormBuilder);
  /** The profile dialog around this section: it must not close on Escape while codes are shown once. */
  private readonly dialog = inject(MatDialogRef, { optional: true });

  /** The recovery codes were saved ("I have saved them"): the set-up is over. */
  readonly finished = output<void>();

  protected readonly email = computed(() => this.session.me()?.user.email ?? '');
  protected readonly step = signal<Step>(this.session.me()?.user.twoFactorEnabled ? 'on' : 'off');
  protected readonly setup = signal<Setup | null>(null);
  protected readonly recoveryCodes = signal<string[]>([]);
  private readonly submission = new Submission();
  protected readonly busy = this.submission.busy;
  protected readonly error = this.submission.error;
  /** The secret grouped by four, easier to type. */
  protected readonly groupedSecret = computed(
    () =>
      this.setup()
        ?.secret.match(/.{1,4}/g)
        ?.join(' ') ?? '',
  );

  protected readonly setupForm = this.fb.group({
    code: ['', [Validators.required, Validators.pattern(/^\s*\d{3}\s?\d{3}\s*$/)]],
  });
  protected readonly disableForm = this.fb.group({
    password: ['', Validators.required],
    code: ['', Validators.required],
  });

  async start(): Promise<void> {
    await this.submission.run(async () => {
      const result = await firstValueFrom(this.startGql.mutate());
      this.setup.set(result.data?.startTwoFactorSetup ?? null);
      this.setupForm.reset();
      this.step.set('setup');
    });
  }

  async complete(): Promise<void> {
    if (this.setupForm.invalid) {
      this.setupForm.markAllAsTouched();
      return;
    }
    await this.submission.run(async () => {
      const result = await firstValueFrom(
        this.completeGql.mutate({ variables: { input: { code: normalizeCode(this.setupForm.getRawValue().code) } } }),
      );
      this.recoveryCodes.set(result.data?.completeTwoFactorSetup.recoveryCodes ?? []);
      this.setup.set(null);
      this.markEnabled(true);
      this.step.set('codes');
      if (this.dialog) this.dialog.disableClose = true;
    });
  }

  cancelSetup(): void {
    this.setup.set(null);
    this.error.set(null);
    this.step.set('off');
  }

  /** Leaves the recovery codes: they are not shown again. */
  done(): void {
    this.recoveryCodes.set([]);
    if (this.dialog) this.dialog.disableClose = false;
    this.step.set('on');
    this.finished.emit();
  }

  askDisable(): void {
    this.disableForm.reset();
    this.error.set(null);
    this.step.set('disable');
  }

  cancelDisable(): void {
    this.error.set(null);
    this.step.set('on');
  }

  async disable(): Promise<void> {
    if (this.disableForm.invalid) {
      this.disableForm.markAllAsTouched();
      return;
    }
    const { password, code } = this.disableForm.getRawValue();
    await this.submission.run(async () => {
      await firstValueFrom(this.disableGql.mutate({ variables: { input: { password, code: normalizeCode(code) } } }));
      this.markEnabled(false);
      this.step.set('off');
      this.notifier.say('twoFactor.disabled');
    });
  }

  copied(key: string): void {
    this.notifier.say(key);
  }

  download(): void {
    const text = recoveryCodesText(this.recoveryCodes(), this.email(), this.transloco.translate('twoFactor.fileHeading'));
    downloadText(this.document, 'roster-recovery-codes.txt', text);
  }

  protected readonly codesText = computed(() => this.recoveryCodes().join('\n'));

  private markEnabled(enabled: boolean): void {
    const me = this.session.me();
    if (me) this.session.set({ ...me, user: { ...me.user, twoFactorEnabled: enabled } });
  }
}
