import { ChangeDetectionStrategy, Component, inject, OnInit, signal } from '@angular/core';
import { MatTableModule } from '@angular/material/table';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatSelect, MatOption } from '@angular/material/select';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatChip, MatChipSet } from '@angular/material/chips';
import { MatTooltip } from '@angular/material/tooltip';
import { MatProgressBar } from '@angular/material/progress-bar';
import { TranslocoPipe } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import { AdminApiTokenFieldsFragment, AllApiTokensGQL, ApiTokenStatus, RevokeApiTokenGQL } from '@roster/console/data-access/generated';
import { errorKey } from '../core/api';
import { injectLang } from '../core/i18n';
import { Confirm } from '../shared/confirm-dialog';
import { Notifier } from '../shared/notifier';
import { RoleNamePipe } from '../shared/role-name';
import { SearchField } from '../shared/search-field';
import { ExactTimePipe, isPast, RelativeTimePipe } from '../shared/time';

const PAGE_SIZE = 50;

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
    MatProgressBar,
    TranslocoPipe,
    RoleNamePipe,
    RelativeTimePipe,
    ExactTimePipe,
    SearchField,
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
  protected readonly tokens = signal<AdminApiTokenFieldsFragment[]>([]);
  protected readonly totalCount = signal<number | null>(null);
  protected readonly endCursor = signal<string | null>(null);
  protected readonly hasNextPage = signal(false);
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);
  protected readonly lang = injectLang();
  protected readonly isPast = isPast;

  private requestId = 0;

  ngOnInit(): void {
    void this.load();
  }

  onSearch(search: string): void {
    this.search.set(search);
    void this.load();
  }

  onStatus(status: ApiTokenStatus | null): void {
    this.status.set(status);
    void this.load();
  }

  /** The first page for the current filters (`more`: the page after the loaded ones). */
  async load(more = false): Promise<void> {
    const id = ++this.requestId;
    this.loading.set(true);
    this.error.set(null);
    try {
      const result = await firstValueFrom(
        this.listGql.fetch({
          variables: {
            search: this.search() || null,
            status: this.status(),
            first: PAGE_SIZE,
            after: more ? this.endCursor() : null,
          },
          fetchPolicy: 'network-only',
        }),
      );
      if (id !== this.requestId) return;
      const page = result.data?.allApiTokens;
      const tokens = page?.tokens ?? [];
      this.tokens.update((list) => (more ? [...list, ...tokens.filter((t) => !list.some((l) => l.id === t.id))] : tokens));
      this.totalCount.set(page?.totalCount ?? 0);
      this.endCursor.set(page?.endCursor ?? null);
      this.hasNextPage.set(page?.hasNextPage ?? false);
    } catch (e) {
      if (id !== this.requestId) return;
      this.error.set(errorKey(e));
      if (!more) this.tokens.set([]);
    } finally {
      if (id === this.requestId) this.loading.set(false);
    }
  }

  loadMore(): void {
    if (this.hasNextPage() && !this.loading()) void this.load(true);
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
      this.tokens.update((list) => list.filter((t) => t.id !== token.id));
      this.totalCount.update((n) => (n === null ? n : Math.max(0, n - 1)));
      this.notifier.say('adminTokens.revoked', { name: token.name });
    });
  }
}
