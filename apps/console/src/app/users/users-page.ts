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
import { TranslocoPipe } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import { UserRowFragment, UsersGQL, UsersQuery, UserSortField, UserStatus, TwoFactorState } from '@roster/console/data-access/generated';
import { Permission } from '@roster/contracts/permissions';
import { injectLang } from '../core/i18n';
import { OPEN_PROFILE } from '../core/profile';
import { Session } from '../core/session';
import { CursorList, CursorPage } from '../shared/cursor-list';
import { FormStatus } from '../shared/form-status';
import { Notifier } from '../shared/notifier';
import { RoleNamePipe } from '../shared/role-name';
import { SearchField } from '../shared/search-field';
import { TableFrame } from '../shared/table-frame';
import { ExactTimePipe, isPast, RelativeTimePipe } from '../shared/time';
import { ProvisionedMark } from './provisioned-mark';
import { UserActions } from './user-actions';
import { UserExport } from './user-export';

/** A page of the table, with the count of everyone matching. */
type UsersPageRows = CursorPage<UserRowFragment> & Pick<UsersQuery['users'], 'totalCount' | 'totalCountIsExact'>;

/** The actions of a row's menu (methods of UserActions). */
type RowAction =
  | 'regenerate'
  | 'revokeInvitation'
  | 'edit'
  | 'deactivate'
  | 'reactivate'
  | 'resetPassword'
  | 'sessions'
  | 'revokeSessions'
  | 'resetTwoFactor'
  | 'remove';

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
    ProvisionedMark,
  ],
  providers: [UserExport, UserActions],
  templateUrl: './users-page.html',
  styleUrl: './users-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UsersPage implements OnInit {
  protected readonly session = inject(Session);
  protected readonly exporter = inject(UserExport);
  private readonly usersGql = inject(UsersGQL);
  private readonly actions = inject(UserActions);
  private readonly openProfile = inject(OPEN_PROFILE);
  private readonly notifier = inject(Notifier);
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

  /**
   * Rows are the same people across reloads: a page read again (a debounced search landing, a change elsewhere)
   * updates their cells in place, and a row's open menu stays open.
   */
  protected readonly byId = (_: number, user: UserRowFragment) => user.id;

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
      await this.openProfile();
      this.load();
    }
  }

  async invite(): Promise<void> {
    if (await this.actions.invite()) this.load();
  }

  /** Runs an action of a row's menu, and reads the page again if it changed something. */
  async act(action: RowAction, user: UserRowFragment): Promise<void> {
    if (await this.actions[action](user)) this.load();
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
