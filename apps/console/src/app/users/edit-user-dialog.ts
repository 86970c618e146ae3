import { ChangeDetectionStrategy, Component, computed, inject, OnInit, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MAT_DIALOG_DATA, MatDialogActions, MatDialogClose, MatDialogContent, MatDialogRef, MatDialogTitle } from '@angular/material/dialog';
import { MatFormField, MatLabel, MatError, MatHint } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatSelect, MatOption } from '@angular/material/select';
import { MatButton } from '@angular/material/button';
import { MatProgressBar } from '@angular/material/progress-bar';
import { TranslocoPipe } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import { UpdateUserGQL, UserRowFragment } from '@roster/console/data-access/generated';
import { errorKey } from '../core/api';
import { Session } from '../core/session';
import { Lookups } from './lookups';

/** Actions menu > Edit (SPEC §3). Closes with true when saved. */
@Component({
  selector: 'ro-edit-user-dialog',
  imports: [
    ReactiveFormsModule, MatDialogTitle, MatDialogContent, MatDialogActions, MatDialogClose, MatFormField, MatLabel, MatError, MatHint,
    MatInput, MatSelect, MatOption, MatButton, MatProgressBar, TranslocoPipe,
  ],
  template: `
    <h2 mat-dialog-title>{{ 'edit.title' | transloco: { email: user.email } }}</h2>
    <form [formGroup]="form" (ngSubmit)="save()">
      <mat-dialog-content class="ro-form">
        <div class="ro-row">
          <mat-form-field>
            <mat-label>{{ 'common.firstName' | transloco }}</mat-label>
            <input matInput formControlName="firstName" />
          </mat-form-field>
          <mat-form-field>
            <mat-label>{{ 'common.lastName' | transloco }}</mat-label>
            <input matInput formControlName="lastName" />
          </mat-form-field>
        </div>
        <mat-form-field>
          <mat-label>{{ 'invite.role' | transloco }}</mat-label>
          <mat-select formControlName="roleId" required>
            @for (role of roles(); track role.id) {
              <mat-option [value]="role.id">{{ role.name }}</mat-option>
            }
          </mat-select>
          @if (isSelf) {
            <mat-hint>{{ 'edit.selfRole' | transloco }}</mat-hint>
          }
          <mat-error>{{ 'common.required' | transloco }}</mat-error>
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ 'invite.teams' | transloco }}</mat-label>
          <mat-select formControlName="teamIds" multiple>
            @for (team of lookups.teams(); track team.id) {
              <mat-option [value]="team.id">{{ team.name }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        @if (error()) {
          <p class="ro-error" role="alert">{{ error()! | transloco }}</p>
        }
        @if (busy()) {
          <mat-progress-bar mode="indeterminate" />
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>{{ 'common.cancel' | transloco }}</button>
        <button mat-flat-button type="submit" [disabled]="busy()">{{ 'edit.save' | transloco }}</button>
      </mat-dialog-actions>
    </form>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EditUserDialog implements OnInit {
  protected readonly user = inject<UserRowFragment>(MAT_DIALOG_DATA);
  protected readonly lookups = inject(Lookups);
  private readonly session = inject(Session);
  private readonly updateGql = inject(UpdateUserGQL);
  private readonly ref = inject(MatDialogRef<EditUserDialog>);
  protected readonly isSelf = this.user.id === this.session.userId();
  /** Roles one may grant, plus the current one so the select shows it. */
  protected readonly roles = computed(() => {
    const grantable = this.lookups.grantableRoles();
    const current = this.lookups.roles().find((r) => r.id === this.user.role.id);
    return current && !grantable.includes(current) ? [current, ...grantable] : grantable;
  });
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly form = inject(NonNullableFormBuilder).group({
    firstName: [this.user.firstName],
    lastName: [this.user.lastName],
    roleId: [{ value: this.user.role.id, disabled: this.isSelf }, Validators.required],
    teamIds: [this.user.teams.map((t) => t.id)],
  });

  async ngOnInit(): Promise<void> {
    try {
      await this.lookups.load();
    } catch (e) {
      this.error.set(errorKey(e));
    }
  }

  async save(): Promise<void> {
    if (this.form.invalid) return;
    this.busy.set(true);
    this.error.set(null);
    const value = this.form.getRawValue();
    try {
      await firstValueFrom(
        this.updateGql.mutate({
          variables: {
            input: {
              id: this.user.id,
              firstName: value.firstName.trim(),
              lastName: value.lastName.trim(),
              teamIds: value.teamIds,
              ...(this.isSelf || value.roleId === this.user.role.id ? {} : { roleId: value.roleId }),
            },
          },
        }),
      );
      this.ref.close(true);
    } catch (e) {
      this.error.set(errorKey(e));
    } finally {
      this.busy.set(false);
    }
  }
}
