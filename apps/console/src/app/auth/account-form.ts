import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatFormField, MatLabel, MatError } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { TranslocoPipe } from '@jsverse/transloco';
import { NewPasswordFields } from '../shared/new-password';

export type AccountForm = FormGroup<{
  firstName: FormControl<string>;
  lastName: FormControl<string>;
  password: FormControl<string>;
  passwordConfirmation: FormControl<string>;
}>;

/** Names, password and confirmation: shared by the set-up and registration pages. */
@Component({
  selector: 'ro-account-fields',
  imports: [ReactiveFormsModule, MatFormField, MatLabel, MatError, MatInput, TranslocoPipe, NewPasswordFields],
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
      <ro-new-password [password]="form().controls.password" [confirmation]="form().controls.passwordConfirmation" />
    </ng-container>
  `,
  // The fields stack like the rest of the form they sit in (the host is otherwise inline).
  styles: ':host { display: flex; flex-direction: column; gap: 4px; }',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AccountFields {
  readonly form = input.required<AccountForm>();
}
