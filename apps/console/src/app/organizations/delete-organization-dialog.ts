import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
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
import { DeleteOrganizationGQL, OrganizationRowFragment } from '@roster/console/data-access/generated';
import { normaliseSlug } from '@roster/contracts/organizations';
import { FormStatus } from '../shared/form-status';
import { Submission } from '../shared/submission';
import { organizationErrorKey } from './organization-errors';

/** Whether `typed` confirms deleting the organization of `slug` (any case, as the API compares). */
export const confirmsDeletion = (typed: string, slug: string): boolean => normaliseSlug(typed) === slug.toLowerCase();

/**
 * Deletes an organization: "Delete" stays disabled until its slug is typed. Says what goes with it.
 * Closes with true when deleted.
 */
@Component({
  selector: 'ro-delete-organization-dialog',
  imports: [
    FormsModule,
    MatDialogTitle,
    MatDialogContent,
    MatDialogActions,
    MatDialogClose,
    MatFormField,
    MatLabel,
    MatInput,
    MatButton,
    TranslocoPipe,
    FormStatus,
  ],
  template: `
    <h2 mat-dialog-title>{{ 'organizations.deleteTitle' | transloco: { name: organization.name } }}</h2>
    <form (ngSubmit)="confirm()">
      <mat-dialog-content class="ro-form">
        <p>{{ 'organizations.deleteText' | transloco: { count: organization.memberCount } }}</p>
        <p id="delete-slug-help">{{ 'organizations.deleteTypeSlug' | transloco: { slug: organization.slug } }}</p>
        <mat-form-field>
          <mat-label>{{ 'organizations.slug' | transloco }}</mat-label>
          <input
            matInput
            name="confirmation"
            autocomplete="off"
            autocapitalize="none"
            spellcheck="false"
            aria-describedby="delete-slug-help"
            [ngModel]="typed()"
            (ngModelChange)="typed.set($event)"
            data-testid="organization-delete-confirmation"
          />
        </mat-form-field>
        <ro-form-status [error]="error()" [busy]="busy()" />
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>{{ 'common.cancel' | transloco }}</button>
        <button mat-flat-button class="danger" type="submit" [disabled]="!matches() || busy()">
          {{ 'organizations.deleteSubmit' | transloco }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .danger:not([disabled]) {
      --mat-button-filled-container-color: var(--mat-sys-error);
      --mat-button-filled-label-text-color: var(--mat-sys-on-error);
    }
    p {
      margin: 0 0 12px;
      max-width: 56ch;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DeleteOrganizationDialog {
  protected readonly organization = inject<OrganizationRowFragment>(MAT_DIALOG_DATA);
  private readonly deleteGql = inject(DeleteOrganizationGQL);
  private readonly ref = inject(MatDialogRef<DeleteOrganizationDialog>);
  readonly typed = signal('');
  readonly matches = computed(() => confirmsDeletion(this.typed(), this.organization.slug));
  private readonly submission = new Submission();
  protected readonly busy = this.submission.busy;
  protected readonly error = this.submission.error;

  async confirm(): Promise<void> {
    if (!this.matches()) return;
    await this.submission.run(
      async () => {
        const input = { id: this.organization.id, confirmation: this.typed().trim() };
        await firstValueFrom(this.deleteGql.mutate({ variables: { input } }));
        this.ref.close(true);
      },
      (e) => this.error.set(organizationErrorKey(e)),
    );
  }
}
