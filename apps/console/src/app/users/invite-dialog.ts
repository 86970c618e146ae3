import { ChangeDetectionStrategy, Component, inject, OnInit, signal } from '@angular/core';
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
import { CdkCopyToClipboard } from '@angular/cdk/clipboard';
import { TranslocoPipe } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import { CreateInvitationGQL, InvitationFieldsFragment } from '@roster/console/data-access/generated';
import { RoleKey } from '@roster/contracts/permissions';
import { errorKey } from '../core/api';
import { RelativeTimePipe } from '../shared/time';
import { Lookups } from '../shared/lookups';
import { Notifier } from '../shared/notifier';
import { RoleTeamsFields } from '../shared/role-teams-fields';
import { Submission } from '../shared/submission';
import { FormStatus } from '../shared/form-status';

/** "Invite users"; with data, shows a regenerated invitation's URL. */
@Component({
  selector: 'ro-invite-dialog',
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
    CdkCopyToClipboard,
    TranslocoPipe,
    RelativeTimePipe,
    RoleTeamsFields,
    FormStatus,
  ],
  template: `
    @if (result(); as r) {
      <h2 mat-dialog-title>{{ (regenerated ? 'invite.regenerated' : 'invite.title') | transloco }}</h2>
      <mat-dialog-content>
        <mat-form-field class="url">
          <mat-label>{{ 'invite.' + r.urlKind | transloco }}</mat-label>
          <input matInput readonly [value]="r.url" data-testid="invitation-url" (focus)="$any($event.target).select()" />
        </mat-form-field>
        <p class="ro-muted">{{ 'invite.urlHelp' | transloco: { email: r.user.email, when: (r.expiresAt | relativeTime) } }}</p>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-flat-button type="button" [cdkCopyToClipboard]="r.url" (cdkCopyToClipboardCopied)="copied()">
          {{ 'invite.copyClose' | transloco }}
        </button>
      </mat-dialog-actions>
    } @else {
      <h2 mat-dialog-title>{{ 'invite.title' | transloco }}</h2>
      <form [formGroup]="form" (ngSubmit)="create()">
        <mat-dialog-content class="ro-form">
          <mat-form-field>
            <mat-label>{{ 'common.email' | transloco }}</mat-label>
            <input matInput type="email" formControlName="email" required cdkFocusInitial />
            @if (form.controls.email.hasError('email')) {
              <mat-error>{{ 'common.invalidEmail' | transloco }}</mat-error>
            } @else {
              <mat-error>{{ 'common.required' | transloco }}</mat-error>
            }
          </mat-form-field>
          <ro-role-teams-fields
            [role]="form.controls.roleId"
            [teamIds]="form.controls.teamIds"
            [roles]="lookups.grantableRoles()"
            [teams]="lookups.teams()"
            [teamsHint]="lookups.teams().length ? 'invite.teamsHint' : 'invite.noTeams'"
          />
          <ro-form-status [error]="error()" [busy]="busy()" />
        </mat-dialog-content>
        <mat-dialog-actions align="end">
          <button mat-button type="button" class="several" (click)="several()">{{ 'invite.several' | transloco }}</button>
          <button mat-button type="button" mat-dialog-close>{{ 'common.cancel' | transloco }}</button>
          <button mat-flat-button type="submit" [disabled]="busy()">{{ 'invite.create' | transloco }}</button>
        </mat-dialog-actions>
      </form>
    }
  `,
  styles: '.url { width: min(560px, 80vw); } .several { margin-inline-end: auto; }',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class InviteDialog implements OnInit {
  protected readonly lookups = inject(Lookups);
  private readonly createGql = inject(CreateInvitationGQL);
  private readonly ref = inject(MatDialogRef<InviteDialog>);
  private readonly notifier = inject(Notifier);
  private readonly data = inject<InvitationFieldsFragment | null>(MAT_DIALOG_DATA, { optional: true });
  protected readonly regenerated = !!this.data;
  protected readonly result = signal<InvitationFieldsFragment | null>(this.data ?? null);
  private readonly submission = new Submission();
  protected readonly busy = this.submission.busy;
  protected readonly error = this.submission.error;
  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email]],
    roleId: ['', Validators.required],
    teamIds: [[] as string[]],
  });

  async ngOnInit(): Promise<void> {
    if (this.result()) return;
    try {
      await this.lookups.load();
      const member = this.lookups.grantableRoles().find((r) => r.key === RoleKey.Member);
      if (member && !this.form.controls.roleId.value) this.form.controls.roleId.setValue(member.id);
    } catch (e) {
      this.error.set(errorKey(e));
    }
  }

  async create(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    await this.submission.run(async () => {
      const input = this.form.getRawValue();
      const result = await firstValueFrom(this.createGql.mutate({ variables: { input: { ...input, email: input.email.trim() } } }));
      this.result.set(result.data?.createInvitation ?? null);
      this.ref.disableClose = false;
    });
  }

  /** Switches to inviting several people at once (the page opens that dialog). */
  several(): void {
    this.ref.close('several');
  }

  copied(): void {
    this.notifier.say('invite.copied');
    this.ref.close(true);
  }
}
