import { ChangeDetectionStrategy, Component, computed, inject, OnInit, signal } from '@angular/core';
import { MatTableModule } from '@angular/material/table';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatSelect, MatOption } from '@angular/material/select';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatMenu, MatMenuContent, MatMenuItem, MatMenuTrigger } from '@angular/material/menu';
import { MatChip, MatChipSet } from '@angular/material/chips';
import { MatTooltip } from '@angular/material/tooltip';
import { MatDialog } from '@angular/material/dialog';
import { TranslocoPipe } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import {
  OrganizationRowFragment,
  OrganizationsGQL,
  ReactivateOrganizationGQL,
  SuspendOrganizationGQL,
} from '@roster/console/data-access/generated';
import { injectLang } from '../core/i18n';
import { Session } from '../core/session';
import { Confirm } from '../shared/confirm-dialog';
import { CursorList } from '../shared/cursor-list';
import { FormStatus } from '../shared/form-status';
import { Notifier } from '../shared/notifier';
import { SearchField } from '../shared/search-field';
import { TableFrame } from '../shared/table-frame';
import { ExactTimePipe, RelativeTimePipe } from '../shared/time';
import { CreateOrganizationDialog } from './create-organization-dialog';
import { DeleteOrganizationDialog } from './delete-organization-dialog';
import { OrganizationDomainsDialog } from './organization-domains-dialog';
import { RenameOrganizationDialog } from './rename-organization-dialog';

/**
 * Organizations, for platform operators: every organization of the platform by name, searched and
 * paged; create one with its first admin, rename, give it its email domains, suspend or reactivate,
 * delete. Operators see an organization's name, status, domains and counts, never its people.
 */
@Component({
  selector: 'ro-organizations-page',
  imports: [
    MatTableModule,
    MatFormField,
    MatLabel,
    MatSelect,
    MatOption,
    MatButton,
    MatIconButton,
    MatIcon,
    MatMenu,
    MatMenuContent,
    MatMenuItem,
    MatMenuTrigger,
    MatChipSet,
    MatChip,
    MatTooltip,
    TranslocoPipe,
    RelativeTimePipe,
    ExactTimePipe,
    SearchField,
    TableFrame,
    FormStatus,
  ],
  templateUrl: './organizations-page.html',
  styleUrl: './organizations-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OrganizationsPage implements OnInit {
  private readonly organizationsGql = inject(OrganizationsGQL);
  private readonly suspendGql = inject(SuspendOrganizationGQL);
  private readonly reactivateGql = inject(ReactivateOrganizationGQL);
  private readonly dialog = inject(MatDialog);
  private readonly confirm = inject(Confirm);
  private readonly notifier = inject(Notifier);
  private readonly session = inject(Session);
  protected readonly lang = injectLang();

  protected readonly columns = ['name', 'status', 'domains', 'members', 'created', 'actions'];
  /** The domains a row shows; the others are counted ("+2 more"). */
  protected readonly domainsShown = 3;
  protected readonly pageSizes = [10, 25, 50, 100];
  protected readonly search = signal('');
  protected readonly pageSize = signal(25);
  protected readonly list = new CursorList<OrganizationRowFragment>((after) => this.fetch(after));
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
    void this.list.first();
  }

  onPageSize(size: number): void {
    this.pageSize.set(size);
    void this.list.first();
  }

  private async fetch(after: string | null) {
    const result = await firstValueFrom(
      this.organizationsGql.fetch({
        variables: { first: this.pageSize(), after, search: this.search() || null },
        fetchPolicy: 'network-only',
      }),
    );
    const page = result.data?.organizations;
    if (!page) throw result.error ?? new Error('no organizations in the answer');
    return { rows: page.organizations, endCursor: page.endCursor, hasNextPage: page.hasNextPage };
  }

  /** The current page again, and `me` (the person's own organizations may have changed). */
  private changed(): void {
    void this.list.reload();
    void this.session.refresh();
  }

  async create(): Promise<void> {
    const ref = this.dialog.open(CreateOrganizationDialog, { maxWidth: '95vw', autoFocus: 'first-tabbable' });
    await firstValueFrom(ref.afterClosed());
    // The dialog may be dismissed once the organization exists (its URL shown): read the list anyway.
    this.changed();
  }

  async rename(organization: OrganizationRowFragment): Promise<void> {
    const ref = this.dialog.open(RenameOrganizationDialog, { data: organization, maxWidth: '95vw' });
    if (!(await firstValueFrom(ref.afterClosed()))) return;
    this.notifier.say('organizations.renamed');
    this.changed();
  }

  async editDomains(organization: OrganizationRowFragment): Promise<void> {
    const ref = this.dialog.open(OrganizationDomainsDialog, { data: organization, maxWidth: '95vw' });
    if (!(await firstValueFrom(ref.afterClosed()))) return;
    this.notifier.say('organizations.domainsSaved', { name: organization.name });
    void this.list.reload();
  }

  async suspend(organization: OrganizationRowFragment): Promise<void> {
    const asked = await this.confirm.ask({
      title: 'organizations.suspendTitle',
      text: 'organizations.suspendText',
      confirm: 'organizations.suspend',
      params: { name: organization.name },
    });
    if (!asked) return;
    const done = await this.notifier.attempt(async () => {
      await firstValueFrom(this.suspendGql.mutate({ variables: { id: organization.id } }));
      this.notifier.say('organizations.suspended', { name: organization.name });
    });
    if (done) this.changed();
  }

  async reactivate(organization: OrganizationRowFragment): Promise<void> {
    const done = await this.notifier.attempt(async () => {
      await firstValueFrom(this.reactivateGql.mutate({ variables: { id: organization.id } }));
      this.notifier.say('organizations.reactivated', { name: organization.name });
    });
    if (done) this.changed();
  }

  async remove(organization: OrganizationRowFragment): Promise<void> {
    const ref = this.dialog.open(DeleteOrganizationDialog, { data: organization, maxWidth: '95vw' });
    if (!(await firstValueFrom(ref.afterClosed()))) return;
    this.notifier.say('organizations.deleted', { name: organization.name });
    this.changed();
  }

  protected count(n: number): string {
    return n.toLocaleString(this.lang());
  }
}
