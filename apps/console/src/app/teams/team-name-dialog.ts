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
import { MatFormField, MatLabel, MatError } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatButton } from '@angular/material/button';
import { TranslocoPipe } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import { CreateTeamGQL, RenameTeamGQL } from '@roster/console/data-access/generated';
import { Submission } from '../shared/submission';
import { FormStatus } from '../shared/form-status';

/** Creates a team, or renames the one passed as data. Closes with true when saved. */
@Component({
  selector: 'ro-team-name-dialog',
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
    <h2 mat-dialog-title>{{ team ? ('teams.renameTitle' | transloco: { name: team.name }) : ('teams.create' | transloco) }}</h2>
    <form [formGroup]="form" (ngSubmit)="save()">
      <mat-dialog-content class="ro-form">
        <mat-form-field>
          <mat-label>{{ 'teams.newName' | transloco }}</mat-label>
          <input matInput formControlName="name" maxlength="80" required />
          <mat-error>{{ 'common.required' | transloco }}</mat-error>
        </mat-form-field>
        <ro-form-status [error]="error()" />
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>{{ 'common.cancel' | transloco }}</button>
        <button mat-flat-button type="submit" [disabled]="busy()">{{ (team ? 'teams.save' : 'teams.create') | transloco }}</button>
      </mat-dialog-actions>
    </form>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TeamNameDialog {
  protected readonly team = inject<{ id: string; name: string } | null>(MAT_DIALOG_DATA, { optional: true });
  private readonly createGql = inject(CreateTeamGQL);
  private readonly renameGql = inject(RenameTeamGQL);
  private readonly ref = inject(MatDialogRef<TeamNameDialog>);
  private readonly submission = new Submission();
  protected readonly busy = this.submission.busy;
  protected readonly error = this.submission.error;
  protected readonly form = inject(NonNullableFormBuilder).group({
    name: [this.team?.name ?? '', [Validators.required, Validators.maxLength(80), Validators.pattern(/\S/)]],
  });

  async save(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const input = { name: this.form.getRawValue().name.trim() };
    await this.submission.run(async () => {
      if (this.team) await firstValueFrom(this.renameGql.mutate({ variables: { id: this.team.id, input } }));
      else await firstValueFrom(this.createGql.mutate({ variables: { input } }));
      this.ref.close(true);
    });
  }
}
