import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router } from '@angular/router';
import { MatCard, MatCardContent, MatCardHeader, MatCardTitle } from '@angular/material/card';
import { MatFormField, MatLabel, MatError } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatButton } from '@angular/material/button';
import { TranslocoPipe } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import { SetupFirstAdminGQL } from '@roster/console/data-access/generated';
import { Session } from '../core/session';
import { Submission } from '../shared/submission';
import { passwordPolicy, passwordsMatch } from '../shared/validators';
import { AccountFields } from './account-form';
import { FormStatus } from '../shared/form-status';

@Component({
  selector: 'ro-setup',
  imports: [
    ReactiveFormsModule,
    MatCard,
    MatCardHeader,
    MatCardTitle,
    MatCardContent,
    MatFormField,
    MatLabel,
    MatError,
    MatInput,
    MatButton,
    TranslocoPipe,
    AccountFields,
    FormStatus,
  ],
  template: `
    <main class="ro-card-page">
      <mat-card appearance="outlined">
        <mat-card-header>
          <mat-card-title
            ><h1>{{ 'setup.title' | transloco }}</h1></mat-card-title
          >
        </mat-card-header>
        <mat-card-content>
          @if (!token()) {
            <ro-form-status error="setup.missingToken" />
          } @else {
            <p>{{ 'setup.intro' | transloco }}</p>
            <form class="ro-form" [formGroup]="form" (ngSubmit)="submit()">
              <mat-form-field>
                <mat-label>{{ 'common.email' | transloco }}</mat-label>
                <input matInput type="email" [formControl]="email" autocomplete="username" required />
                @if (email.hasError('email')) {
                  <mat-error>{{ 'common.invalidEmail' | transloco }}</mat-error>
                } @else {
                  <mat-error>{{ 'common.required' | transloco }}</mat-error>
                }
              </mat-form-field>
              <ro-account-fields [form]="form" />
              <ro-form-status [error]="error()" [busy]="busy()" />
              <button mat-flat-button type="submit" [disabled]="busy()">{{ 'setup.submit' | transloco }}</button>
            </form>
          }
        </mat-card-content>
      </mat-card>
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SetupPage {
  readonly token = input<string>();
  private readonly setup = inject(SetupFirstAdminGQL);
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly email = this.fb.control('', [Validators.required, Validators.email]);
  protected readonly form = this.fb.group(
    {
      firstName: ['', Validators.required],
      lastName: ['', Validators.required],
      password: ['', [Validators.required, passwordPolicy(() => this.email.value)]],
      passwordConfirmation: ['', Validators.required],
    },
    { validators: passwordsMatch('password', 'passwordConfirmation') },
  );
  private readonly submission = new Submission();
  protected readonly busy = this.submission.busy;
  protected readonly error = this.submission.error;

  async submit(): Promise<void> {
    this.form.controls.password.updateValueAndValidity();
    if (this.form.invalid || this.email.invalid) {
      this.form.markAllAsTouched();
      this.email.markAsTouched();
      return;
    }
    await this.submission.run(async () => {
      const input = { ...this.form.getRawValue(), email: this.email.value, token: this.token() ?? '' };
      const result = await firstValueFrom(this.setup.mutate({ variables: { input } }));
      this.session.set(result.data?.setupFirstAdmin ?? null);
      await this.router.navigate(['/users'], { replaceUrl: true });
    });
  }
}
