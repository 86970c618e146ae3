import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { TranslocoPipe } from '@jsverse/transloco';
import { PASSWORD_MIN_LENGTH } from '@roster/contracts/password-policy';
import { confirmErrorMatcher } from './validators';

/**
 * A new password and its confirmation, as the set-up, registration, reset and change-password forms ask
 * for them: the policy's hint and problem under the password, "do not match" under the confirmation.
 * The form's group holds both controls, the password checked by `passwordPolicy` and the group by
 * `passwordsMatch`.
 */
@Component({
  selector: 'ro-new-password',
  imports: [ReactiveFormsModule, MatFormField, MatLabel, MatError, MatHint, MatInput, TranslocoPipe],
  template: `
    <mat-form-field subscriptSizing="dynamic">
      <mat-label>{{ label() | transloco }}</mat-label>
      <input matInput type="password" [formControl]="password()" autocomplete="new-password" required />
      <mat-hint>{{ 'password.hint' | transloco: { min } }}</mat-hint>
      @if (password().errors?.['passwordPolicy']; as problem) {
        <mat-error>{{ 'password.' + problem | transloco: { min } }}</mat-error>
      } @else {
        <mat-error>{{ 'common.required' | transloco }}</mat-error>
      }
    </mat-form-field>
    <mat-form-field>
      <mat-label>{{ confirmLabel() | transloco }}</mat-label>
      <input matInput type="password" [formControl]="confirmation()" autocomplete="new-password" required [errorStateMatcher]="matcher" />
      @if (confirmation().parent?.hasError('passwordMismatch')) {
        <mat-error>{{ 'password.mismatch' | transloco }}</mat-error>
      } @else {
        <mat-error>{{ 'common.required' | transloco }}</mat-error>
      }
    </mat-form-field>
  `,
  // The two fields are items of the form's own column layout.
  styles: ':host { display: contents; }',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NewPasswordFields {
  readonly password = input.required<FormControl<string>>();
  readonly confirmation = input.required<FormControl<string>>();
  /** Translation keys of the two labels. */
  readonly label = input('common.password');
  readonly confirmLabel = input('common.confirmPassword');
  protected readonly min = PASSWORD_MIN_LENGTH;
  protected readonly matcher = confirmErrorMatcher;
}
