import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatFormField, MatLabel, MatError, MatHint } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { TranslocoPipe } from '@jsverse/transloco';
import { PASSWORD_MIN_LENGTH } from '@roster/contracts/password-policy';
import { confirmErrorMatcher } from '../shared/validators';

export type AccountForm = FormGroup<{
  firstName: FormControl<string>;
  lastName: FormControl<string>;
  password: FormControl<string>;
  passwordConfirmation: FormControl<string>;
}>;

/** Names, password and confirmation: shared by the set-up and registration pages. */
@Component({
  selector: 'ro-account-fields',
  imports: [ReactiveFormsModule, MatFormField, MatLabel, MatError, MatHint, MatInput, TranslocoPipe],
  template: `
    <ng-container [formGroup]="form()">
      <div class="ro-row">
        <mat-form-field>
          <mat-label>{{ 'common.firstName' | transloco }}</mat-label>
          <input matInput formControlName="firstName" autocomplete="given-name" required />
          <mat-error>{{ 'common.required' | transloco }}</mat-error>
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ 'common.lastName' | transloco }}</mat-label>
          <input matInput formControlName="lastName" autocomplete="family-name" required />
          <mat-error>{{ 'common.required' | transloco }}</mat-error>
        </mat-form-field>
      </div>
      <mat-form-field subscriptSizing="dynamic">
        <mat-label>{{ 'common.password' | transloco }}</mat-label>
        <input matInput type="password" formControlName="password" autocomplete="new-password" required />
        <mat-hint>{{ 'password.hint' | transloco: { min } }}</mat-hint>
        @if (form().controls.password.errors?.['passwordPolicy']; as problem) {
          <mat-error>{{ 'password.' + problem | transloco: { min } }}</mat-error>
        } @else {
          <mat-error>{{ 'common.required' | transloco }}</mat-error>
        }
      </mat-form-field>
      <mat-form-field>
        <mat-label>{{ 'common.confirmPassword' | transloco }}</mat-label>
        <input
          matInput
          type="password"
          formControlName="passwordConfirmation"
          autocomplete="new-password"
          required
          [errorStateMatcher]="matcher"
        />
        @if (form().hasError('passwordMismatch')) {
          <mat-error>{{ 'password.mismatch' | transloco }}</mat-error>
        } @else {
          <mat-error>{{ 'common.required' | transloco }}</mat-error>
        }
      </mat-form-field>
    </ng-container>
  `,
  // The fields stack like the rest of the form they sit in (the host is otherwise inline).
  styles: ':host { display: flex; flex-direction: column; gap: 4px; }',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AccountFields {
  readonly form = input.required<AccountForm>();
  protected readonly min = PASSWORD_MIN_LENGTH;
  protected readonly matcher = confirmErrorMatcher;
}
