import { ChangeDetectionStrategy, Component, inject, OnInit, signal } from '@angular/core';
import { MatTableModule } from '@angular/material/table';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatSelect, MatOption } from '@angular/material/select';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatChip, MatChipSet } from '@angular/material/chips';
import { MatTooltip } from '@angular/material/tooltip';
import { TranslocoPipe } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import { AdminApiTokenFieldsFragment, AllApiTokensGQL, ApiTokenStatus, RevokeApiTokenGQL } from '@roster/console/data-access/generated';
import { injectLang } from '../core/i18n';
import { Confirm } from '../shared/confirm-dialog';
import { CursorList, CursorPage } from '../shared/cursor-list';
import { FormStatus } from '../shared/form-status';
import { Notifier } from '../shared/notifier';
import { RoleNamePipe } from '../shared/role-name';
import { SearchField } from '../shared/search-field';
import { TableFrame } from '../shared/table-frame';
import { ExactTimePipe, isPast, RelativeTimePipe } from '../shared/time';

const PAGE_SIZE = 50;

type TokenRows = CursorPage<AdminApiTokenFieldsFragment> & { totalCount: number };

/** Everyone's API tokens (tokens:manage-all): search, status filter, "Load more" paging, revoke. */
@Component({
  selector: 'ro-admin-tokens-page',
  imports: [
    MatTableModule,
    MatFormField,
    MatLabel,
    MatSelect,
    MatOption,
    MatButton,
    MatIconButton,
    MatIcon,
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
  templateUrl: './admin-tokens-page.html',
  styleUrl: './admin-tokens-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AdminTokensPage implements OnInit {
  private readonly listGql = inject(AllApiTokensGQL);
  private readonly revokeGql = inject(RevokeApiTokenGQL);
  private readonly confirm = inject(Confirm);
  private readonly notifier = inject(Notifier);

  protected readonly columns = ['owner', 'token', 'role', 'created', 'lastUsed', 'expires', 'actions'];
  protected readonly search = signal('');
  /** Only ACTIVE or only EXPIRED tokens (null: all). */
  protected readonly status = signal<ApiTokenStatus | null>(null);
  /** The tokens, newest first, 50 more at a time ("Load more"). */
  protected readonly list = new CursorList<AdminApiTokenFieldsFragment, TokenRows>((after) => this.fetch(after), { key: (t) => t.id });
  protected readonly lang = injectLang();
  protected readonly isPast = isPast;

  ngOnInit(): void {
    void this.list.first();
  }

  onSearch(search: string): void {
    this.search.set(search);
    void this.list.first();
  }

  onStatus(status: ApiTokenStatus | null): void {
    this.status.set(status);
    void this.list.first();
  }

  private async fetch(after: string | null): Promise<TokenRows | null> {
    const result = await firstValueFrom(
      this.listGql.fetch({
        variables: { search: this.search() || null, status: this.status(), first: PAGE_SIZE, after },
        fetchPolicy: 'network-only',
      }),
    );
    const page = result.data?.allApiTokens;
    return page ? { rows: page.tokens, endCursor: page.endCursor, hasNextPage: page.hasNextPage, totalCount: page.totalCount } : null;
  }

  async revoke(token: AdminApiTokenFieldsFragment): Promise<void> {
    const data = {
      title: 'adminTokens.revokeTitle',
      text: 'adminTokens.revokeText',
      confirm: 'adminTokens.revoke',
      params: { name: token.name, email: token.ownerEmail },
    };
    if (!(await this.confirm.ask(data))) return;
    await this.notifier.attempt(async () => {
      await firstValueFrom(this.revokeGql.mutate({ variables: { id: token.id } }));
      this.list.rows.update((rows) => rows.filter((t) => t.id !== token.id));
      this.list.page.update((page) => page && { ...page, totalCount: Math.max(0, page.totalCount - 1) });
      this.notifier.say('adminTokens.revoked', { name: token.name });
    });
  }
}
