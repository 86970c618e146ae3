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
import { DeleteUserGQL, UserRowFragment } from '@roster/console/data-access/generated';
import { DELETE_CONFIRMATION_WORD } from '@roster/contracts/errors';
import { Submission } from '../shared/submission';
import { FormStatus } from '../shared/form-status';

/** Actions menu > Delete: "Delete" stays disabled until the word is typed. Closes with true when deleted. */
@Component({
  selector: 'ro-delete-user-dialog',
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
    <h2 mat-dialog-title>{{ 'delete.title' | transloco: { email: user.email } }}</h2>
    <form (ngSubmit)="confirm()">
      <mat-dialog-content class="ro-form">
        <p>{{ 'delete.text' | transloco }}</p>
        <p id="delete-word-help">{{ 'delete.typeWord' | transloco: { word } }}</p>
        <mat-form-field>
          <mat-label>{{ 'delete.confirmation' | transloco }}</mat-label>
          <input
            matInput
            name="confirmation"
            autocomplete="off"
            aria-describedby="delete-word-help"
            [ngModel]="typed()"
            (ngModelChange)="typed.set($event)"
            data-testid="delete-confirmation"
          />
        </mat-form-field>
        <ro-form-status [error]="error()" />
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>{{ 'common.cancel' | transloco }}</button>
        <button mat-flat-button class="danger" type="submit" [disabled]="!matches() || busy()">{{ 'delete.submit' | transloco }}</button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .danger:not([disabled]) {
      --mat-button-filled-container-color: var(--mat-sys-error);
      --mat-button-filled-label-text-color: var(--mat-sys-on-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DeleteUserDialog {
  protected readonly user = inject<UserRowFragment>(MAT_DIALOG_DATA);
  private readonly deleteGql = inject(DeleteUserGQL);
  private readonly ref = inject(MatDialogRef<DeleteUserDialog>);
  protected readonly word = DELETE_CONFIRMATION_WORD;
  readonly typed = signal('');
  readonly matches = computed(() => this.typed().trim() === DELETE_CONFIRMATION_WORD);
  private readonly submission = new Submission();
  protected readonly busy = this.submission.busy;
  protected readonly error = this.submission.error;

  async confirm(): Promise<void> {
    if (!this.matches()) return;
    await this.submission.run(async () => {
      await firstValueFrom(this.deleteGql.mutate({ variables: { input: { id: this.user.id, confirmation: this.typed().trim() } } }));
      this.ref.close(true);
    });
  }
}
