import { ChangeDetectionStrategy, Component, computed, inject, OnInit, signal } from '@angular/core';
import { MatTableModule } from '@angular/material/table';
import { MatSort, MatSortHeader, Sort } from '@angular/material/sort';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatSelect, MatOption } from '@angular/material/select';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatMenu, MatMenuContent, MatMenuItem, MatMenuTrigger } from '@angular/material/menu';
import { MatChip, MatChipSet } from '@angular/material/chips';
import { MatTooltip } from '@angular/material/tooltip';
import { MatDivider } from '@angular/material/divider';
import { MatDialog } from '@angular/material/dialog';
import { TranslocoPipe } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import {
  CreatePasswordResetGQL,
  DeactivateUserGQL,
  ReactivateUserGQL,
  RegenerateInvitationGQL,
  ResetUserTwoFactorGQL,
  RevokeInvitationGQL,
  RevokeUserSessionsGQL,
  UserRowFragment,
  UsersGQL,
  UsersQuery,
  UserSortField,
  UserStatus,
  TwoFactorState,
} from '@roster/console/data-access/generated';
import { Permission } from '@roster/contracts/permissions';
import { injectLang } from '../core/i18n';
import { Session } from '../core/session';
import { Confirm } from '../shared/confirm-dialog';
import { CursorList, CursorPage } from '../shared/cursor-list';
import { FormStatus } from '../shared/form-status';
import { Notifier } from '../shared/notifier';
import { RoleNamePipe } from '../shared/role-name';
import { SearchField } from '../shared/search-field';
import { TableFrame } from '../shared/table-frame';
import { ExactTimePipe, isPast, RelativeTimePipe } from '../shared/time';
import { UserExport } from './user-export';

/** A page of the table, with the count of everyone matching. */
type UsersPageRows = CursorPage<UserRowFragment> & Pick<UsersQuery['users'], 'totalCount' | 'totalCountIsExact'>;

const SORT_FIELDS: Record<string, UserSortField> = {
  firstName: 'FIRST_NAME',
  lastName: 'LAST_NAME',
  email: 'EMAIL',
  role: 'ROLE',
  teams: 'TEAMS',
  permissions: 'PERMISSIONS',
  lastConnection: 'LAST_CONNECTION',
};

@Component({
  selector: 'ro-users-page',
  imports: [
    MatTableModule,
    MatSort,
    MatSortHeader,
    MatFormField,
    MatLabel,
    MatSelect,
    MatOption,
    MatButton,
    MatIconButton,
    MatIcon,
    MatMenu,
    MatMenuContent,
    MatDivider,
    MatMenuItem,
    MatMenuTrigger,
    MatChipSet,
    MatChip,
    MatTooltip,
    TranslocoPipe,
    RoleNamePipe,
    RelativeTimePipe,
    ExactTimePipe,
    SearchField,
    TableFrame,
    FormStatus,
  ],
  providers: [UserExport],
  templateUrl: './users-page.html',
  styleUrl: './users-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UsersPage implements OnInit {
  protected readonly session = inject(Session);
  protected readonly exporter = inject(UserExport);
  private readonly usersGql = inject(UsersGQL);
  private readonly regenerateGql = inject(RegenerateInvitationGQL);
  private readonly revokeInvitationGql = inject(RevokeInvitationGQL);
  private readonly revokeSessionsGql = inject(RevokeUserSessionsGQL);
  private readonly deactivateGql = inject(DeactivateUserGQL);
  private readonly passwordResetGql = inject(CreatePasswordResetGQL);
  private readonly reactivateGql = inject(ReactivateUserGQL);
  private readonly resetTwoFactorGql = inject(ResetUserTwoFactorGQL);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);
  private readonly confirm = inject(Confirm);
  protected readonly Permission = Permission;

  protected readonly columns = ['firstName', 'lastName', 'email', 'role', 'teams', 'permissions', 'lastConnection', 'actions'];
  protected readonly pageSizes = [10, 25, 50, 100];

  protected readonly search = signal('');
  /** Only people with this status (null: everyone). */
  protected readonly status = signal<UserStatus | null>(null);
  /** Only people with (ENABLED) or without (MISSING) two-factor authentication (null: everyone). */
  protected readonly twoFactor = signal<TwoFactorState | null>(null);
  protected readonly sort = signal<Sort>({ active: 'email', direction: 'asc' });
  protected readonly pageSize = signal(25);
  /** The table's rows, a page at a time. */
  protected readonly list = new CursorList<UserRowFragment, UsersPageRows>((after) => this.fetch(after));
  protected readonly lang = injectLang();
  protected readonly isPast = isPast;
  /** "26–50": the rows shown, counted from the first page. */
  protected readonly range = computed(() => {
    const start = this.list.pageIndex() * this.pageSize();
    const count = this.list.rows().length;
    return { from: count ? start + 1 : 0, to: start + count };
  });

  ngOnInit(): void {
    void this.list.first();
  }

  onSearch(search: string): void {
    this.search.set(search);
    this.reload();
  }

  onStatus(status: UserStatus | null): void {
    this.status.set(status);
    this.reload();
  }

  onTwoFactor(state: TwoFactorState | null): void {
    this.twoFactor.set(state);
    this.reload();
  }

  onSort(sort: Sort): void {
    this.sort.set(sort.direction ? sort : { active: 'email', direction: 'asc' });
    this.reload();
  }

  onPageSize(size: number): void {
    this.pageSize.set(size);
    this.reload();
  }

  /** Back to the first page (the filters, the sort or the page size changed). */
  reload(): void {
    void this.list.first();
  }

  /** The current page again (after an edit or a deletion). */
  load(): void {
    void this.list.reload();
  }

  /** The page after `after` with the search, filters, sort and page size chosen. */
  private async fetch(after: string | null): Promise<UsersPageRows | null> {
    const sort = this.sort();
    const result = await firstValueFrom(
      this.usersGql.fetch({
        variables: {
          first: this.pageSize(),
          after,
          search: this.search() || null,
          status: this.status(),
          twoFactor: this.twoFactor(),
          sortBy: SORT_FIELDS[sort.active] ?? 'EMAIL',
          sortDirection: sort.direction === 'desc' ? 'DESC' : 'ASC',
        },
        fetchPolicy: 'network-only',
      }),
    );
    const users = result.data?.users;
    if (!users) return null;
    const { endCursor, hasNextPage } = users.pageInfo;
    return {
      rows: users.edges.map((e) => e.node),
      endCursor,
      hasNextPage,
      totalCount: users.totalCount,
      totalCountIsExact: users.totalCountIsExact,
    };
  }

  isMe(user: UserRowFragment): boolean {
    return user.id === this.session.userId();
  }

  hasActions(user: UserRowFragment): boolean {
    if (this.isMe(user)) return false;
    const can = (p: Permission) => this.session.can(p);
    return can(Permission.UsersWrite) || can(Permission.UsersDelete) || can(Permission.UsersSecurity) || can(Permission.UsersInvite);
  }

  async rowClicked(user: UserRowFragment): Promise<void> {
    if (this.isMe(user)) {
      const { ProfileDialog } = await import('../profile/profile-dialog');
      this.dialog
        .open(ProfileDialog, { autoFocus: 'first-tabbable', maxWidth: '95vw' })
        .afterClosed()
        .subscribe(() => void this.load());
    }
  }

  async invite(): Promise<void> {
    const { InviteDialog } = await import('./invite-dialog');
    this.dialog
      .open(InviteDialog, { maxWidth: '95vw' })
      .afterClosed()
      .subscribe((choice) => (choice === 'several' ? void this.inviteSeveral() : void this.load()));
  }

  async inviteSeveral(): Promise<void> {
    const { BulkInviteDialog } = await import('./bulk-invite-dialog');
    this.dialog
      .open(BulkInviteDialog, { width: '720px', maxWidth: '95vw', disableClose: true })
      .afterClosed()
      .subscribe(() => void this.load());
  }

  async edit(user: UserRowFragment): Promise<void> {
    const { EditUserDialog } = await import('./edit-user-dialog');
    this.dialog
      .open(EditUserDialog, { data: user, maxWidth: '95vw' })
      .afterClosed()
      .subscribe((saved) => {
        if (saved) {
          this.notifier.say('users.saved');
          void this.load();
        }
      });
  }

  async remove(user: UserRowFragment): Promise<void> {
    const { DeleteUserDialog } = await import('./delete-user-dialog');
    this.dialog
      .open(DeleteUserDialog, { data: user, maxWidth: '95vw' })
      .afterClosed()
      .subscribe((deleted) => {
        if (deleted) {
          this.notifier.say('users.deleted');
          void this.load();
        }
      });
  }

  async regenerate(user: UserRowFragment): Promise<void> {
    await this.notifier.attempt(async () => {
      const result = await firstValueFrom(this.regenerateGql.mutate({ variables: { userId: user.id } }));
      const invitation = result.data?.regenerateInvitation;
      if (!invitation) return;
      const { InviteDialog } = await import('./invite-dialog');
      this.dialog
        .open(InviteDialog, { data: invitation, maxWidth: '95vw' })
        .afterClosed()
        .subscribe(() => void this.load());
    });
  }

  async revokeInvitation(user: UserRowFragment): Promise<void> {
    const revoked = await this.notifier.attempt(async () => {
      await firstValueFrom(this.revokeInvitationGql.mutate({ variables: { userId: user.id } }));
      this.notifier.say('users.invitationRevoked');
    });
    if (revoked) void this.load();
  }

  /** After a confirmation: the person keeps everything but cannot sign in; their sessions end at once. */
  async deactivate(user: UserRowFragment): Promise<void> {
    const data = {
      title: 'users.deactivateTitle',
      text: 'users.deactivateText',
      confirm: 'users.deactivate',
      params: { email: user.email },
    };
    if (!(await this.confirm.ask(data))) return;
    const done = await this.notifier.attempt(async () => {
      await firstValueFrom(this.deactivateGql.mutate({ variables: { id: user.id } }));
      this.notifier.say('users.userDeactivated', { email: user.email });
    });
    if (done) void this.load();
  }

  async reactivate(user: UserRowFragment): Promise<void> {
    const done = await this.notifier.attempt(async () => {
      await firstValueFrom(this.reactivateGql.mutate({ variables: { id: user.id } }));
      this.notifier.say('users.userReactivated', { email: user.email });
    });
    if (done) void this.load();
  }

  /** A one-time link for the person to choose a new password, shown once to pass on. */
  async resetPassword(user: UserRowFragment): Promise<void> {
    await this.notifier.attempt(async () => {
      const result = await firstValueFrom(this.passwordResetGql.mutate({ variables: { userId: user.id } }));
      const link = result.data?.createPasswordReset;
      if (!link) return;
      const { ResetLinkDialog } = await import('./reset-link-dialog');
      this.dialog.open(ResetLinkDialog, { data: { email: user.email, ...link }, maxWidth: '95vw' });
    });
  }

  /** Where the person is signed in, with a way to end each session. */
  async sessions(user: UserRowFragment): Promise<void> {
    const { UserSessionsDialog } = await import('../sessions/user-sessions-dialog');
    this.dialog.open(UserSessionsDialog, { data: { userId: user.id, email: user.email }, width: '640px', maxWidth: '95vw' });
  }

  async revokeSessions(user: UserRowFragment): Promise<void> {
    await this.notifier.attempt(async () => {
      const result = await firstValueFrom(this.revokeSessionsGql.mutate({ variables: { userId: user.id } }));
      this.notifier.say('users.sessionsRevoked', { count: result.data?.revokeUserSessions ?? 0 });
    });
  }

  /** For someone who lost their device: removes their 2FA and ends their sessions, after a confirmation. */
  async resetTwoFactor(user: UserRowFragment): Promise<void> {
    const data = {
      title: 'users.resetTwoFactorTitle',
      text: 'users.resetTwoFactorText',
      confirm: 'users.resetTwoFactor',
      params: { email: user.email },
    };
    if (!(await this.confirm.ask(data))) return;
    const done = await this.notifier.attempt(async () => {
      await firstValueFrom(this.resetTwoFactorGql.mutate({ variables: { userId: user.id } }));
      this.notifier.say('users.twoFactorReset', { email: user.email });
    });
    if (done) void this.load();
  }

  /** Starts the browser's download of everyone, or of the users matching the search and status filter. */
  export(format: 'csv' | 'xlsx', matchingOnly: boolean): void {
    const filter = matchingOnly
      ? { search: this.search() || null, status: this.status(), twoFactor: this.twoFactor() }
      : { search: null, status: null };
    this.exporter.start(format, filter, (key) => this.notifier.say(key));
    this.notifier.say('users.exportStarted');
  }

  /** "1,234", or "50,000+" when the search matched more than are counted. */
  protected matchingCount(page: UsersPageRows): string {
    const n = page.totalCount.toLocaleString(this.lang());
    return page.totalCountIsExact ? n : `${n}+`;
  }
}
