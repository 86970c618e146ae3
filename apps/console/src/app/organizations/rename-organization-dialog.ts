import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import {
  MAT_DIALOG_DATA,
  MatDialogActions,
  MatDialogClose,
  MatDialogContent,
  MatDialogRef,
  MatDialogTitle,
} from '@angular/material/dialog';
import { MatError, MatFormField, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatButton } from '@angular/material/button';
import { TranslocoPipe } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import { OrganizationRowFragment, UpdateOrganizationGQL } from '@roster/console/data-access/generated';
import { FormStatus } from '../shared/form-status';
import { Submission } from '../shared/submission';
import { NAME_MAX } from './create-organization-dialog';
import { organizationErrorKey } from './organization-errors';

/** Renames an organization (its slug, and so its URLs, stay). Closes with true when saved. */
@Component({
  selector: 'ro-rename-organization-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogTitle,
    MatDialogContent,
    MatDialogActions,
    MatDialogClose,
    MatFormField,
    MatLabel,
    MatError,
    MatInput,
    MatButton,
    TranslocoPipe,
    FormStatus,
  ],
  template: `
    <h2 mat-dialog-title>{{ 'organizations.renameTitle' | transloco: { name: organization.name } }}</h2>
    <form [formGroup]="form" (ngSubmit)="save()">
      <mat-dialog-content class="ro-form">
        <mat-form-field>
          <mat-label>{{ 'organizations.name' | transloco }}</mat-label>
          <input matInput formControlName="name" [maxlength]="nameMax" required autocomplete="off" />
          <mat-error>{{ 'common.required' | transloco }}</mat-error>
        </mat-form-field>
        <p class="ro-muted">{{ 'organizations.renameHelp' | transloco: { slug: organization.slug } }}</p>
        <ro-form-status [error]="error()" [busy]="busy()" />
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>{{ 'common.cancel' | transloco }}</button>
        <button mat-flat-button type="submit" [disabled]="busy()">{{ 'organizations.save' | transloco }}</button>
      </mat-dialog-actions>
    </form>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RenameOrganizationDialog {
  protected readonly organization = inject<OrganizationRowFragment>(MAT_DIALOG_DATA);
  private readonly updateGql = inject(UpdateOrganizationGQL);
  private readonly ref = inject(MatDialogRef<RenameOrganizationDialog>);
  private readonly submission = new Submission();
  protected readonly busy = this.submission.busy;
  protected readonly error = this.submission.error;
  protected readonly nameMax = NAME_MAX;
  protected readonly form = inject(NonNullableFormBuilder).group({
    name: [this.organization.name, [Validators.required, Validators.maxLength(NAME_MAX), Validators.pattern(/\S/)]],
  });

  async save(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const name = this.form.getRawValue().name.trim();
    if (name === this.organization.name) {
      this.ref.close(false);
      return;
    }
    await this.submission.run(
      async () => {
        await firstValueFrom(this.updateGql.mutate({ variables: { input: { id: this.organization.id, name } } }));
        this.ref.close(true);
      },
      (e) => this.error.set(organizationErrorKey(e)),
    );
  }
}
