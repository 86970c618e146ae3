import { ChangeDetectionStrategy, Component, inject, input, OnInit, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { MatCard, MatCardContent, MatCardHeader, MatCardTitle } from '@angular/material/card';
import { MatButton } from '@angular/material/button';
import { MatProgressBar } from '@angular/material/progress-bar';
import { TranslocoPipe } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import { AuthConfigGQL, PasswordResetPreviewGQL, ResetPasswordGQL } from '@roster/console/data-access/generated';
import { ErrorCode } from '@roster/contracts/errors';
import { errorKey } from '../core/api';
import { Submission } from '../shared/submission';
import { RelativeTimePipe } from '../shared/time';
import { NewPasswordFields } from '../shared/new-password';
import { passwordPolicy, passwordsMatch } from '../shared/validators';
import { FormStatus } from '../shared/form-status';

/** /reset-password?token=…: a new password through a one-time link, then back to sign-in. */
@Component({
  selector: 'ro-reset-password',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatCard,
    MatCardHeader,
    MatCardTitle,
    MatCardContent,
    MatButton,
    MatProgressBar,
    TranslocoPipe,
    RelativeTimePipe,
    NewPasswordFields,
    FormStatus,
  ],
  template: `
    <main class="ro-card-page">
      <mat-card appearance="outlined">
        <mat-card-header>
          <mat-card-title
            ><h1>{{ (firstPassword() ? 'resetPassword.firstTitle' : 'resetPassword.title') | transloco }}</h1></mat-card-title
          >
        </mat-card-header>
        <mat-card-content>
          @if (loading()) {
            <mat-progress-bar mode="indeterminate" [attr.aria-label]="'common.loading' | transloco" />
          } @else if (done()) {
            <p role="status">{{ (firstPassword() ? 'resetPassword.firstDone' : 'resetPassword.done') | transloco }}</p>
            <a mat-flat-button routerLink="/sign-in">{{ 'resetPassword.signIn' | transloco }}</a>
          } @else if (email()) {
            <p data-testid="reset-email">
              {{ (firstPassword() ? 'resetPassword.firstFor' : 'resetPassword.for') | transloco: { email: email() } }}
            </p>
            <p class="ro-muted">{{ 'resetPassword.expires' | transloco: { when: (expiresAt() | relativeTime) } }}</p>
            <form class="ro-form" [formGroup]="form" (ngSubmit)="submit()">
              <ro-new-password
                [password]="form.controls.password"
                [confirmation]="form.controls.passwordConfirmation"
                [label]="firstPassword() ? 'common.password' : 'resetPassword.newPassword'"
              />
              <ro-form-status [error]="error()" [busy]="busy()" />
              <button mat-flat-button type="submit" [disabled]="busy()">
                {{ (firstPassword() ? 'resetPassword.firstSubmit' : 'resetPassword.submit') | transloco }}
              </button>
            </form>
          } @else {
            <ro-form-status [error]="error() ?? 'errors.PASSWORD_RESET_INVALID'" />
            <!-- A used, replaced or expired link is not a dead end: a new one can be asked for by email. -->
            <p class="actions">
              @if (resetByEmail()) {
                <a mat-flat-button routerLink="/forgot-password">{{ 'resetPassword.askAgain' | transloco }}</a>
              }
              <a mat-button routerLink="/sign-in">{{ 'resetPassword.signIn' | transloco }}</a>
            </p>
          }
        </mat-card-content>
      </mat-card>
    </main>
  `,
  styles: `
    /* As the registration page's: a title that wraps stays legible, its lines apart. */
    h1 {
      font: var(--mat-sys-headline-small);
      margin: 0 0 8px;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ResetPasswordPage implements OnInit {
  readonly token = input<string>();
  private readonly preview = inject(PasswordResetPreviewGQL);
  private readonly reset = inject(ResetPasswordGQL);
  protected readonly loading = signal(true);
  protected readonly done = signal(false);
  protected readonly email = signal<string | null>(null);
  /** The person has no password yet (an account their identity provider made): they choose their first one. */
  protected readonly firstPassword = signal(false);
  /** "Forgot password?" can email a new link (shown when this one does not work). */
  protected readonly resetByEmail = signal(false);
  private readonly authConfig = inject(AuthConfigGQL);
  protected readonly expiresAt = signal('');
  private readonly submission = new Submission();
  protected readonly busy = this.submission.busy;
  protected readonly error = this.submission.error;
  protected readonly form = inject(NonNullableFormBuilder).group(
    {
      password: ['', [Validators.required, passwordPolicy(() => this.email())]],
      passwordConfirmation: ['', Validators.required],
    },
    { validators: passwordsMatch('password', 'passwordConfirmation') },
  );

  async ngOnInit(): Promise<void> {
    const token = this.token();
    if (!token) {
      this.error.set(`errors.${ErrorCode.PasswordResetInvalid}`);
      await this.offerNewLink();
      this.loading.set(false);
      return;
    }
    try {
      const result = await firstValueFrom(this.preview.fetch({ variables: { token }, fetchPolicy: 'network-only' }));
      const reset = result.data?.passwordReset;
      if (reset) {
        this.email.set(reset.email);
        this.expiresAt.set(reset.expiresAt);
        this.firstPassword.set(reset.firstPassword);
      }
    } catch (e) {
      this.error.set(errorKey(e));
      await this.offerNewLink();
    } finally {
      this.loading.set(false);
    }
  }

  private async offerNewLink(): Promise<void> {
    try {
      const result = await firstValueFrom(this.authConfig.fetch({ fetchPolicy: 'network-only' }));
      this.resetByEmail.set(result.data?.authConfig.passwordResetByEmail ?? false);
    } catch {
      // Without the configuration, the page keeps its way back to sign-in only.
    }
  }

  async submit(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    await this.submission.run(async () => {
      const input = { ...this.form.getRawValue(), token: this.token() ?? '' };
      await firstValueFrom(this.reset.mutate({ variables: { input } }));
      this.done.set(true);
    });
  }
}
