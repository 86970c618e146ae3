import { ChangeDetectionStrategy, Component, computed, inject, OnInit } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import {
  MAT_DIALOG_DATA,
  MatDialogActions,
  MatDialogClose,
  MatDialogContent,
  MatDialogRef,
  MatDialogTitle,
} from '@angular/material/dialog';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatButton } from '@angular/material/button';
import { TranslocoPipe } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import { UpdateUserGQL, UserRowFragment } from '@roster/console/data-access/generated';
import { errorKey } from '../core/api';
import { Session } from '../core/session';
import { Lookups } from '../shared/lookups';
import { RoleTeamsFields } from '../shared/role-teams-fields';
import { Submission } from '../shared/submission';
import { FormStatus } from '../shared/form-status';
import { ProvisionedMark } from './provisioned-mark';

/** Actions menu > Edit. Closes with true when saved. */
@Component({
  selector: 'ro-edit-user-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogTitle,
    MatDialogContent,
    MatDialogActions,
    MatDialogClose,
    MatFormField,
    MatLabel,
    MatInput,
    MatButton,
    TranslocoPipe,
    RoleTeamsFields,
    FormStatus,
    ProvisionedMark,
  ],
  template: `
    <h2 mat-dialog-title>{{ 'edit.title' | transloco: { email: user.email } }}</h2>
    <form [formGroup]="form" (ngSubmit)="save()">
      <mat-dialog-content class="ro-form">
        @if (user.provisioned) {
          <p class="provisioned">
            <ro-provisioned-mark /> <span class="ro-muted">{{ 'edit.provisionedNote' | transloco }}</span>
          </p>
        }
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
        <ro-role-teams-fields
          [role]="form.controls.roleId"
          [teamIds]="form.controls.teamIds"
          [roles]="roles()"
          [teams]="lookups.teams()"
          [roleHint]="isSelf ? 'edit.selfRole' : null"
        />
        <ro-form-status [error]="error()" [busy]="busy()" />
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>{{ 'common.cancel' | transloco }}</button>
        <button mat-flat-button type="submit" [disabled]="busy()">{{ 'edit.save' | transloco }}</button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .provisioned {
      margin: 0 0 8px;
      font: var(--mat-sys-body-small);
    }
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
  private readonly submission = new Submission();
  protected readonly busy = this.submission.busy;
  protected readonly error = this.submission.error;
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
    const value = this.form.getRawValue();
    await this.submission.run(async () => {
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
    });
  }
}
