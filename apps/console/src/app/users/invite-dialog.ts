import { ChangeDetectionStrategy, Component, computed, inject, OnInit, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MAT_DIALOG_DATA, MatDialogActions, MatDialogClose, MatDialogContent, MatDialogRef, MatDialogTitle } from '@angular/material/dialog';
import { MatFormField, MatLabel, MatError, MatHint } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatSelect, MatOption } from '@angular/material/select';
import { MatButton } from '@angular/material/button';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { CdkCopyToClipboard } from '@angular/cdk/clipboard';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import { CreateInvitationGQL, InvitationFieldsFragment } from '@roster/console/data-access/generated';
import { RoleKey } from '@roster/contracts/permissions';
import { errorKey } from '../core/api';
import { relativeTime } from '../shared/time';
import { Lookups } from './lookups';

/** "Invite users" (SPEC §2); with data, shows a regenerated invitation's URL. */
@Component({
  selector: 'ro-invite-dialog',
  imports: [
    ReactiveFormsModule, MatDialogTitle, MatDialogContent, MatDialogActions, MatDialogClose, MatFormField, MatLabel, MatError, MatHint,
    MatInput, MatSelect, MatOption, MatButton, MatProgressBar, CdkCopyToClipboard, TranslocoPipe,
  ],
  template: `
    @if (result(); as r) {
      <h2 mat-dialog-title>{{ (regenerated ? 'invite.regenerated' : 'invite.title') | transloco }}</h2>
      <mat-dialog-content>
        <mat-form-field class="url">
          <mat-label>{{ 'invite.' + r.urlKind | transloco }}</mat-label>
          <input matInput readonly [value]="r.url" data-testid="invitation-url" (focus)="$any($event.target).select()" />
        </mat-form-field>
        <p class="ro-muted">{{ 'invite.urlHelp' | transloco: { email: r.user.email, when: expires() } }}</p>
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
          <mat-form-field>
            <mat-label>{{ 'invite.role' | transloco }}</mat-label>
            <mat-select formControlName="roleId" required>
              @for (role of lookups.grantableRoles(); track role.id) {
                <mat-option [value]="role.id">{{ role.name }}</mat-option>
              }
            </mat-select>
            <mat-error>{{ 'common.required' | transloco }}</mat-error>
          </mat-form-field>
          <mat-form-field>
            <mat-label>{{ 'invite.teams' | transloco }}</mat-label>
            <mat-select formControlName="teamIds" multiple>
              @for (team of lookups.teams(); track team.id) {
                <mat-option [value]="team.id">{{ team.name }}</mat-option>
              }
            </mat-select>
            <mat-hint>{{ (lookups.teams().length ? 'invite.teamsHint' : 'invite.noTeams') | transloco }}</mat-hint>
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
          <button mat-flat-button type="submit" [disabled]="busy()">{{ 'invite.create' | transloco }}</button>
        </mat-dialog-actions>
      </form>
    }
  `,
  styles: '.url { width: min(560px, 80vw); }',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class InviteDialog implements OnInit {
  protected readonly lookups = inject(Lookups);
  private readonly createGql = inject(CreateInvitationGQL);
  private readonly ref = inject(MatDialogRef<InviteDialog>);
  private readonly snackBar = inject(MatSnackBar);
  private readonly transloco = inject(TranslocoService);
  private readonly data = inject<InvitationFieldsFragment | null>(MAT_DIALOG_DATA, { optional: true });
  protected readonly regenerated = !!this.data;
  protected readonly result = signal<InvitationFieldsFragment | null>(this.data ?? null);
  protected readonly expires = computed(() => {
    const r = this.result();
    return r ? relativeTime(r.expiresAt, this.transloco.getActiveLang()) : '';
  });
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
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
    this.busy.set(true);
    this.error.set(null);
    try {
      const input = this.form.getRawValue();
      const result = await firstValueFrom(this.createGql.mutate({ variables: { input: { ...input, email: input.email.trim() } } }));
      this.result.set(result.data?.createInvitation ?? null);
      this.ref.disableClose = false;
    } catch (e) {
      this.error.set(errorKey(e));
    } finally {
      this.busy.set(false);
    }
  }

  copied(): void {
    this.snackBar.open(this.transloco.translate('invite.copied'), undefined, { duration: 4000 });
    this.ref.close(true);
  }
}
