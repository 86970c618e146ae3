import { ChangeDetectionStrategy, Component, computed, inject, OnInit, signal } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { TranslocoPipe } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import { MySessionsGQL, RevokeMyOtherSessionsGQL, RevokeMySessionGQL, SessionFieldsFragment } from '@roster/console/data-access/generated';
import { errorKey } from '../core/api';
import { Confirm } from '../shared/confirm-dialog';
import { Notifier } from '../shared/notifier';
import { SessionList } from '../shared/session-list';
import { FormStatus } from '../shared/form-status';

/** "Where you're signed in" in the profile: every browser of yours, sign one out or all others. */
@Component({
  selector: 'ro-my-sessions',
  imports: [MatButton, TranslocoPipe, SessionList, FormStatus],
  template: `
    <ro-form-status [error]="error()" />
    <ro-session-list [sessions]="sessions()" [label]="'sessions.title' | transloco" [busy]="busy()" (revoke)="revoke($event)" />
    @if (others() > 0) {
      <div class="actions">
        <button mat-stroked-button type="button" (click)="revokeOthers()" [disabled]="busy()" data-testid="sign-out-others">
          {{ 'sessions.signOutOthers' | transloco }}
        </button>
      </div>
    }
  `,
  styles: `
    .actions {
      margin-top: 12px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MySessionsSection implements OnInit {
  private readonly listGql = inject(MySessionsGQL);
  private readonly revokeGql = inject(RevokeMySessionGQL);
  private readonly revokeOthersGql = inject(RevokeMyOtherSessionsGQL);
  private readonly confirm = inject(Confirm);
  private readonly notifier = inject(Notifier);

  protected readonly sessions = signal<SessionFieldsFragment[]>([]);
  protected readonly others = computed(() => this.sessions().filter((s) => !s.current).length);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  ngOnInit(): void {
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      const result = await firstValueFrom(this.listGql.fetch({ fetchPolicy: 'network-only' }));
      this.sessions.set(result.data?.mySessions ?? []);
      this.error.set(null);
    } catch (e) {
      this.error.set(errorKey(e));
    }
  }

  async revoke(session: SessionFieldsFragment): Promise<void> {
    await this.act(async () => {
      await firstValueFrom(this.revokeGql.mutate({ variables: { id: session.id } }));
      this.notifier.say('sessions.signedOut');
    });
  }

  async revokeOthers(): Promise<void> {
    const data = {
      title: 'sessions.signOutOthersTitle',
      text: 'sessions.signOutOthersText',
      confirm: 'sessions.signOutOthers',
      params: { count: this.others() },
    };
    if (!(await this.confirm.ask(data))) return;
    await this.act(async () => {
      const result = await firstValueFrom(this.revokeOthersGql.mutate());
      this.notifier.say('sessions.othersSignedOut', { count: result.data?.revokeMyOtherSessions ?? 0 });
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
