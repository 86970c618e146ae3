import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import {
  MAT_DIALOG_DATA,
  MatDialogActions,
  MatDialogClose,
  MatDialogContent,
  MatDialogRef,
  MatDialogTitle,
} from '@angular/material/dialog';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatOption, MatSelect } from '@angular/material/select';
import { MatButton } from '@angular/material/button';
import { TranslocoPipe } from '@jsverse/transloco';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { firstValueFrom } from 'rxjs';
import { DeleteRoleGQL, RoleRowFragment } from '@roster/console/data-access/generated';
import { ErrorCode } from '@roster/contracts/errors';
import { errorCode } from '../core/api';
import { FormStatus } from '../shared/form-status';
import { RoleNamePipe } from '../shared/role-name';
import { Submission } from '../shared/submission';

export interface DeleteRoleData {
  readonly role: RoleRowFragment;
  /** The roles its holders may move to (those the person may grant, other than this one). */
  readonly replacements: readonly RoleRowFragment[];
}

/** Who holds a role, as ROLE_IN_USE's extensions say (people of any status, and API tokens). */
export function holdersOf(error: unknown): { holders: number; tokens: number } | null {
  if (!CombinedGraphQLErrors.is(error) || errorCode(error) !== ErrorCode.RoleInUse) return null;
  const extensions = error.errors[0]?.extensions ?? {};
  const count = (v: unknown) => (typeof v === 'number' && v >= 0 ? v : 0);
  return { holders: count(extensions['holders']), tokens: count(extensions['tokens']) };
}

/**
 * Deletes a custom role. When people or tokens hold it, asks for the role they move to and says how
 * many move (the role's holders at once; the tokens when the API answers ROLE_IN_USE). Closes with true.
 */
@Component({
  selector: 'ro-delete-role-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogTitle,
    MatDialogContent,
    MatDialogActions,
    MatDialogClose,
    MatFormField,
    MatLabel,
    MatSelect,
    MatOption,
    MatButton,
    TranslocoPipe,
    RoleNamePipe,
    FormStatus,
  ],
  template: `
    <h2 mat-dialog-title>{{ 'rolesPage.deleteTitle' | transloco: { name: data.role.name } }}</h2>
    <mat-dialog-content class="ro-form">
      @if (inUse(); as use) {
        <div data-testid="role-holders">
          @if (use.holders) {
            <p>{{ 'rolesPage.holdersCount' | transloco: { count: use.holders } }}</p>
          }
          @if (use.tokens) {
            <p>{{ 'rolesPage.tokensCount' | transloco: { count: use.tokens } }}</p>
          }
          <p>{{ 'rolesPage.moveText' | transloco }}</p>
        </div>
        @if (data.replacements.length) {
          <mat-form-field>
            <mat-label>{{ 'rolesPage.replacement' | transloco }}</mat-label>
            <mat-select [formControl]="replacement" required>
              @for (r of data.replacements; track r.id) {
                <mat-option [value]="r.id">{{ r | roleName }}</mat-option>
              }
            </mat-select>
          </mat-form-field>
        } @else {
          <p class="ro-error" role="alert">{{ 'rolesPage.noReplacement' | transloco }}</p>
        }
        @if (missing()) {
          <p class="ro-error" role="alert">{{ 'rolesPage.chooseReplacement' | transloco }}</p>
        }
      } @else {
        <p>{{ 'rolesPage.deleteText' | transloco }}</p>
      }
      <ro-form-status [error]="error()" [busy]="busy()" />
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>{{ 'common.cancel' | transloco }}</button>
      <button mat-flat-button type="button" [disabled]="busy()" (click)="remove()">{{ 'rolesPage.delete' | transloco }}</button>
    </mat-dialog-actions>
  `,
  styles: `
    p {
      margin: 0 0 12px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DeleteRoleDialog {
  protected readonly data = inject<DeleteRoleData>(MAT_DIALOG_DATA);
  private readonly deleteGql = inject(DeleteRoleGQL);
  private readonly ref = inject(MatDialogRef<DeleteRoleDialog>);
  private readonly submission = new Submission();
  protected readonly busy = this.submission.busy;
  protected readonly error = this.submission.error;
  protected readonly replacement = new FormControl<string | null>(null);
  /** Who moves: known from the role's holders, or learnt from ROLE_IN_USE (tokens hold it too). */
  private readonly use = signal<{ holders: number; tokens: number } | null>(
    this.data.role.holders > 0 ? { holders: this.data.role.holders, tokens: 0 } : null,
  );
  protected readonly inUse = computed(() => this.use());
  protected readonly missing = signal(false);

  async remove(): Promise<void> {
    const replacementRoleId = this.use() ? this.replacement.value : null;
    this.missing.set(!!this.use() && !replacementRoleId);
    if (this.missing()) return;
    await this.submission.run(
      async () => {
        await firstValueFrom(this.deleteGql.mutate({ variables: { id: this.data.role.id, replacementRoleId } }));
        this.ref.close(true);
      },
      (e) => {
        const use = holdersOf(e);
        if (!use) return;
        // Someone or something holds it after all: ask for the replacement rather than show an error.
        this.use.set(use);
        this.submission.error.set(null);
      },
    );
  }
}
