import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import {
  MAT_DIALOG_DATA,
  MatDialogActions,
  MatDialogClose,
  MatDialogContent,
  MatDialogRef,
  MatDialogTitle,
} from '@angular/material/dialog';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatButton } from '@angular/material/button';
import { MatCheckbox } from '@angular/material/checkbox';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import { CreateRoleGQL, UpdateRoleGQL } from '@roster/console/data-access/generated';
import { FormStatus } from '../shared/form-status';
import { RoleNames } from '../shared/role-name';
import { Submission } from '../shared/submission';
import { duplicatePermissions, groupByArea, RoleFormData } from './role-form';

export const ROLE_NAME_MAX = 50;
export const ROLE_DESCRIPTION_MAX = 200;

/**
 * Creates a custom role (empty, or a duplicate of another), or edits one: name, description and the
 * permissions, grouped by area. Only permissions the person holds can be ticked. Closes with true when saved.
 */
@Component({
  selector: 'ro-role-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogTitle,
    MatDialogContent,
    MatDialogActions,
    MatDialogClose,
    MatFormField,
    MatLabel,
    MatError,
    MatHint,
    MatInput,
    MatButton,
    MatCheckbox,
    TranslocoPipe,
    FormStatus,
  ],
  template: `
    <h2 mat-dialog-title>{{ title() | transloco: { name: data.edit?.name } }}</h2>
    <form [formGroup]="form" (ngSubmit)="save()">
      <mat-dialog-content class="ro-form">
        <mat-form-field>
          <mat-label>{{ 'rolesPage.name' | transloco }}</mat-label>
          <input matInput formControlName="name" [maxlength]="nameMax" required />
          <mat-error>{{ 'common.required' | transloco }}</mat-error>
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ 'rolesPage.description' | transloco }}</mat-label>
          <textarea matInput formControlName="description" rows="2" [maxlength]="descriptionMax"></textarea>
          <mat-hint align="end">{{ form.controls.description.value.length }} / {{ descriptionMax }}</mat-hint>
        </mat-form-field>
        <fieldset class="permissions" [attr.aria-describedby]="chosenNone() ? 'role-permissions-error' : null">
          <legend>{{ 'rolesPage.permissions' | transloco }}</legend>
          @if (dropped()) {
            <p class="note">{{ 'rolesPage.droppedOnCopy' | transloco: { count: dropped() } }}</p>
          }
          @for (group of areas; track group.area) {
            <div class="area" role="group" [attr.aria-labelledby]="'area-' + group.area">
              <h3 [id]="'area-' + group.area">{{ 'rolesPage.areas.' + group.area | transloco }}</h3>
              @for (p of group.permissions; track p.key) {
                <mat-checkbox
                  [checked]="chosen().has(p.key)"
                  [disabled]="!data.mine.includes(p.key)"
                  (change)="toggle(p.key, $event.checked)"
                  [attr.data-permission]="p.key"
                >
                  <span class="label">{{ p.label }}</span>
                  <span class="explain">{{ p.description }}</span>
                  @if (!data.mine.includes(p.key)) {
                    <span class="explain">{{ 'rolesPage.notYours' | transloco }}</span>
                  }
                </mat-checkbox>
              }
            </div>
          }
          @if (chosenNone()) {
            <p class="ro-error" id="role-permissions-error" role="alert">{{ 'rolesPage.atLeastOne' | transloco }}</p>
          }
        </fieldset>
        <ro-form-status [error]="error()" [busy]="busy()" />
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>{{ 'common.cancel' | transloco }}</button>
        <button mat-flat-button type="submit" [disabled]="busy()">
          {{ (data.edit ? 'rolesPage.save' : 'rolesPage.create') | transloco }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .permissions {
      border: 0;
      margin: 8px 0 0;
      padding: 0;
      min-width: 0;
    }
    legend {
      font: var(--mat-sys-title-small);
      padding: 0;
    }
    .area h3 {
      font: var(--mat-sys-label-large);
      color: var(--mat-sys-primary);
      margin: 12px 0 0;
    }
    mat-checkbox {
      display: block;
    }
    .label {
      display: block;
    }
    .explain,
    .note {
      display: block;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RoleDialog {
  protected readonly data = inject<RoleFormData>(MAT_DIALOG_DATA);
  private readonly createGql = inject(CreateRoleGQL);
  private readonly updateGql = inject(UpdateRoleGQL);
  private readonly ref = inject(MatDialogRef<RoleDialog>);
  private readonly transloco = inject(TranslocoService);
  private readonly roleNames = inject(RoleNames);
  private readonly submission = new Submission();
  protected readonly busy = this.submission.busy;
  protected readonly error = this.submission.error;
  protected readonly nameMax = ROLE_NAME_MAX;
  protected readonly descriptionMax = ROLE_DESCRIPTION_MAX;
  protected readonly areas = groupByArea(this.data.vocabulary);
  private readonly start = this.initial();
  protected readonly chosen = signal(new Set(this.start.permissions));
  protected readonly dropped = signal(this.start.dropped);
  /** Shown once the person tried to save without any permission. */
  private readonly tried = signal(false);
  protected readonly chosenNone = computed(() => this.tried() && this.chosen().size === 0);
  protected readonly title = computed(() =>
    this.data.edit ? 'rolesPage.editTitle' : this.data.copyOf ? 'rolesPage.duplicateTitle' : 'rolesPage.createTitle',
  );
  protected readonly form = inject(NonNullableFormBuilder).group({
    name: [this.start.name, [Validators.required, Validators.maxLength(ROLE_NAME_MAX), Validators.pattern(/\S/)]],
    description: [this.start.description, [Validators.maxLength(ROLE_DESCRIPTION_MAX)]],
  });

  private initial(): { name: string; description: string; permissions: string[]; dropped: number } {
    const { edit, copyOf, mine } = this.data;
    if (edit) return { name: edit.name, description: edit.description, permissions: [...edit.permissions], dropped: 0 };
    if (copyOf) {
      const { kept, dropped } = duplicatePermissions(copyOf.permissions, mine);
      const name = this.transloco.translate('rolesPage.copyName', { name: this.roleNames.name(copyOf) }).slice(0, ROLE_NAME_MAX);
      return { name, description: copyOf.description, permissions: kept, dropped };
    }
    return { name: '', description: '', permissions: [], dropped: 0 };
  }

  toggle(key: string, on: boolean): void {
    const next = new Set(this.chosen());
    if (on) next.add(key);
    else next.delete(key);
    this.chosen.set(next);
  }

  async save(): Promise<void> {
    this.tried.set(true);
    if (this.form.invalid || this.chosen().size === 0) {
      this.form.markAllAsTouched();
      return;
    }
    const { name, description } = this.form.getRawValue();
    // In the vocabulary's order, so that the API and the audit log read them the same way each time.
    const permissions = this.data.vocabulary.map((p) => p.key).filter((k) => this.chosen().has(k));
    const fields = { name: name.trim(), description: description.trim(), permissions };
    await this.submission.run(async () => {
      const edit = this.data.edit;
      if (edit) await firstValueFrom(this.updateGql.mutate({ variables: { input: { id: edit.id, ...fields } } }));
      else await firstValueFrom(this.createGql.mutate({ variables: { input: fields } }));
      this.ref.close(true);
    });
  }
}
