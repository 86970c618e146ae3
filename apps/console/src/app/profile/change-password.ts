import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { FormGroupDirective, NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatFormField, MatLabel, MatError } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatButton } from '@angular/material/button';
import { TranslocoPipe } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import { ChangeMyPasswordGQL } from '@roster/console/data-access/generated';
import { NewPasswordFields } from '../shared/new-password';
import { passwordPolicy, passwordsMatch } from '../shared/validators';
import { Submission } from '../shared/submission';
import { FormStatus } from '../shared/form-status';

/** Current password, new password, confirmation; mismatch and weak passwords caught before the API. */
@Component({
  selector: 'ro-change-password',
  imports: [ReactiveFormsModule, MatFormField, MatLabel, MatError, MatInput, MatButton, TranslocoPipe, NewPasswordFields, FormStatus],
  template: `
    <form class="ro-form" [formGroup]="form" (ngSubmit)="submit(formDir)" #formDir="ngForm">
      <input type="email" class="ro-visually-hidden" autocomplete="username" [value]="email()" tabindex="-1" aria-hidden="true" readonly />
      <mat-form-field>
        <mat-label>{{ 'profile.currentPassword' | transloco }}</mat-label>
        <input matInput type="password" formControlName="currentPassword" autocomplete="current-password" required />
        <mat-error>{{ 'common.required' | transloco }}</mat-error>
      </mat-form-field>
      <ro-new-password
        [password]="form.controls.newPassword"
        [confirmation]="form.controls.newPasswordConfirmation"
        label="profile.newPassword"
        confirmLabel="profile.confirmNewPassword"
      />
      <ro-form-status [error]="error()" />
      @if (done()) {
        <p role="status">{{ 'profile.passwordChanged' | transloco }}</p>
      }
      <div class="actions">
        <button mat-stroked-button type="submit" [disabled]="busy()">{{ 'profile.changePassword' | transloco }}</button>
      </div>
    </form>
  `,
  styles: '.actions { display: flex; justify-content: flex-end; }',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChangePasswordForm {
  readonly email = input('');
  private readonly changeGql = inject(ChangeMyPasswordGQL);
  private readonly submission = new Submission();
  protected readonly busy = this.submission.busy;
  protected readonly done = signal(false);
  protected readonly error = this.submission.error;
  protected readonly form = inject(NonNullableFormBuilder).group(
    {
      currentPassword: ['', Validators.required],
      newPassword: ['', [Validators.required, passwordPolicy(() => this.email())]],
      newPasswordConfirmation: ['', Validators.required],
    },
    { validators: passwordsMatch('newPassword', 'newPasswordConfirmation') },
  );

  async submit(formDir: FormGroupDirective): Promise<void> {
    this.done.set(false);
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    await this.submission.run(async () => {
      await firstValueFrom(this.changeGql.mutate({ variables: { input: this.form.getRawValue() } }));
      formDir.resetForm();
      this.done.set(true);
    });
  }
}
