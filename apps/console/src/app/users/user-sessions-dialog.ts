import { ChangeDetectionStrategy, Component, inject, OnInit, signal } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogActions, MatDialogClose, MatDialogContent, MatDialogTitle } from '@angular/material/dialog';
import { TranslocoPipe } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import { RevokeSessionGQL, RevokeUserSessionsGQL, SessionFieldsFragment, UserSessionsGQL } from '@roster/console/data-access/generated';
import { errorKey } from '../core/api';
import { Notifier } from '../shared/notifier';
import { SessionList } from '../shared/session-list';
import { FormStatus } from '../shared/form-status';

export interface UserSessionsData {
  userId: string;
  email: string;
}

/** An admin's view of where a person is signed in: end one session, or all of them. */
@Component({
  selector: 'ro-user-sessions-dialog',
  imports: [MatDialogTitle, MatDialogContent, MatDialogActions, MatDialogClose, MatButton, TranslocoPipe, SessionList, FormStatus],
  template: `
    <h2 mat-dialog-title>{{ 'sessions.of' | transloco: { email: data.email } }}</h2>
    <mat-dialog-content>
      <ro-form-status [error]="error()" [busy]="loading()" />
      <ro-session-list
        [sessions]="sessions()"
        [label]="'sessions.of' | transloco: { email: data.email }"
        [busy]="busy()"
        [allowCurrent]="true"
        (revoke)="revoke($event)"
      />
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      @if (sessions().length > 0) {
        <button mat-stroked-button type="button" (click)="revokeAll()" [disabled]="busy()">{{ 'users.revokeSessions' | transloco }}</button>
      }
      <button mat-button type="button" mat-dialog-close>{{ 'common.close' | transloco }}</button>
    </mat-dialog-actions>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UserSessionsDialog implements OnInit {
  protected readonly data = inject<UserSessionsData>(MAT_DIALOG_DATA);
  private readonly listGql = inject(UserSessionsGQL);
  private readonly revokeGql = inject(RevokeSessionGQL);
  private readonly revokeAllGql = inject(RevokeUserSessionsGQL);
  private readonly notifier = inject(Notifier);

  protected readonly sessions = signal<SessionFieldsFragment[]>([]);
  protected readonly loading = signal(true);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  ngOnInit(): void {
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      const result = await firstValueFrom(this.listGql.fetch({ variables: { userId: this.data.userId }, fetchPolicy: 'network-only' }));
      this.sessions.set(result.data?.userSessions ?? []);
      this.error.set(null);
    } catch (e) {
      this.error.set(errorKey(e));
    } finally {
      this.loading.set(false);
    }
  }

  async revoke(session: SessionFieldsFragment): Promise<void> {
    await this.act(async () => {
      await firstValueFrom(this.revokeGql.mutate({ variables: { id: session.id } }));
      this.notifier.say('sessions.signedOut');
    });
  }

  async revokeAll(): Promise<void> {
    await this.act(async () => {
      const result = await firstValueFrom(this.revokeAllGql.mutate({ variables: { userId: this.data.userId } }));
      this.notifier.say('users.sessionsRevoked', { count: result.data?.revokeUserSessions ?? 0 });
    });
  }

  /** Runs a sign-out (reporting a failure), then shows the list as it now is. */
  private async act(work: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    await this.notifier.attempt(work);
    this.busy.set(false);
    await this.load();
  }
}
