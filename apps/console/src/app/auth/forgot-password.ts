import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { MatCard, MatCardContent, MatCardHeader, MatCardTitle } from '@angular/material/card';
import { MatButton } from '@angular/material/button';
import { MatError, MatFormField, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { TranslocoPipe } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import { RequestPasswordResetGQL } from '@roster/console/data-access/generated';
import { Submission } from '../shared/submission';
import { FormStatus } from '../shared/form-status';

/** /forgot-password: asks for a reset link by email; the answer never says whether the account exists. */
@Component({
  selector: 'ro-forgot-password',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatCard,
    MatCardHeader,
    MatCardTitle,
    MatCardContent,
    MatButton,
    MatFormField,
    MatLabel,
    MatError,
    MatInput,
    TranslocoPipe,
    FormStatus,
  ],
  template: `
    <main class="ro-card-page">
      <mat-card appearance="outlined">
        <mat-card-header>
          <mat-card-title
            ><h1>{{ 'forgotPassword.title' | transloco }}</h1></mat-card-title
          >
        </mat-card-header>
        <mat-card-content>
          @if (sentTo()) {
            <p role="status">{{ 'forgotPassword.sent' | transloco: { email: sentTo() } }}</p>
          } @else {
            <p>{{ 'forgotPassword.text' | transloco }}</p>
            <form class="ro-form" [formGroup]="form" (ngSubmit)="submit()">
              <mat-form-field>
                <mat-label>{{ 'common.email' | transloco }}</mat-label>
                <input matInput type="email" formControlName="email" autocomplete="username" required />
                @if (form.controls.email.hasError('email')) {
                  <mat-error>{{ 'common.invalidEmail' | transloco }}</mat-error>
                } @else {
                  <mat-error>{{ 'common.required' | transloco }}</mat-error>
                }
              </mat-form-field>
              <ro-form-status [error]="error()" [busy]="busy()" />
              <button mat-flat-button type="submit" [disabled]="busy()">{{ 'forgotPassword.submit' | transloco }}</button>
            </form>
          }
          <p>
            <a routerLink="/sign-in">{{ 'forgotPassword.back' | transloco }}</a>
          </p>
        </mat-card-content>
      </mat-card>
    </main>
  `,
  // As the registration and reset pages': a title that wraps stays legible, its lines apart.
  styles: `
    h1 {
      font: var(--mat-sys-headline-small);
      margin: 0 0 8px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ForgotPasswordPage {
  private readonly request = inject(RequestPasswordResetGQL);
  private readonly submission = new Submission();
  protected readonly busy = this.submission.busy;
  protected readonly error = this.submission.error;
  protected readonly sentTo = signal<string | null>(null);
  protected readonly form = inject(NonNullableFormBuilder).group({ email: ['', [Validators.required, Validators.email]] });

  async submit(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const email = this.form.getRawValue().email.trim();
    await this.submission.run(async () => {
      await firstValueFrom(this.request.mutate({ variables: { email } }));
      this.sentTo.set(email);
    });
  }
}
