import { ChangeDetectionStrategy, Component, inject, input, OnInit, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { MatCard, MatCardContent, MatCardHeader, MatCardTitle } from '@angular/material/card';
import { MatButton } from '@angular/material/button';
import { MatProgressBar } from '@angular/material/progress-bar';
import { TranslocoPipe } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import { PasswordResetPreviewGQL, ResetPasswordGQL } from '@roster/console/data-access/generated';
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
            ><h1>{{ 'resetPassword.title' | transloco }}</h1></mat-card-title
          >
        </mat-card-header>
        <mat-card-content>
          @if (loading()) {
            <mat-progress-bar mode="indeterminate" [attr.aria-label]="'common.loading' | transloco" />
          } @else if (done()) {
            <p role="status">{{ 'resetPassword.done' | transloco }}</p>
            <a mat-flat-button routerLink="/sign-in">{{ 'resetPassword.signIn' | transloco }}</a>
          } @else if (email()) {
            <p data-testid="reset-email">{{ 'resetPassword.for' | transloco: { email: email() } }}</p>
            <p class="ro-muted">{{ 'resetPassword.expires' | transloco: { when: (expiresAt() | relativeTime) } }}</p>
            <form class="ro-form" [formGroup]="form" (ngSubmit)="submit()">
              <ro-new-password
                [password]="form.controls.password"
                [confirmation]="form.controls.passwordConfirmation"
                label="resetPassword.newPassword"
              />
              <ro-form-status [error]="error()" [busy]="busy()" />
              <button mat-flat-button type="submit" [disabled]="busy()">{{ 'resetPassword.submit' | transloco }}</button>
            </form>
          } @else {
            <ro-form-status [error]="error() ?? 'errors.PASSWORD_RESET_INVALID'" />
          }
        </mat-card-content>
      </mat-card>
    </main>
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
      this.loading.set(false);
      return;
    }
    try {
      const result = await firstValueFrom(this.preview.fetch({ variables: { token }, fetchPolicy: 'network-only' }));
      const reset = result.data?.passwordReset;
      if (reset) {
        this.email.set(reset.email);
        this.expiresAt.set(reset.expiresAt);
      }
    } catch (e) {
      this.error.set(errorKey(e));
    } finally {
      this.loading.set(false);
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
