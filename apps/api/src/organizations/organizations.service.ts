import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuditAction } from '@roster/contracts/audit-actions';
import { ErrorCode } from '@roster/contracts/errors';
import { RoleKey } from '@roster/contracts/permissions';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../core/access/principal';
import { PrincipalCache } from '../core/access/principal-cache';
import { AppError, notFound } from '../core/errors/app-error';
import { InvitationsService } from '../invitations/invitations.service';
import { RolesService } from '../roles/roles.service';
import { TwoFactorPolicyService } from '../two-factor/two-factor-policy.service';
import { AccountsService } from '../users/accounts.service';
import { OrganizationDeletion } from './organization-deletion';
import { OrganizationStatus } from './organization.entity';
import type { CreateOrganizationInput, DeleteOrganizationInput, UpdateOrganizationInput } from './organization.inputs';
import type { CreateOrganizationResult, OrganizationModel, OrganizationPage } from './organization.model';
import {
  decodeOrganizationCursor,
  encodeOrganizationCursor,
  MAX_MY_ORGANIZATIONS,
  myOrganizationsQuery,
  ORGANIZATION_COLUMNS,
  ORGANIZATION_FROM,
  organizationsPageQuery,
  pageSize,
  searchTerm,
} from './organizations-page';

/** An organization's row as operators change it (locked). */
interface OrganizationRow {
  id: string;
  slug: string;
  name: string;
  status: OrganizationStatus;
}

/** What a platform audit event says of an organization: never its people. */
const described = (o: { slug: string; name: string }) => ({ slug: o.slug, name: o.name });

/**
 * Organizations (table organizations): the operators' list and life-cycle — create (with its built-in
 * roles, two-factor policy and first admin's invitation), rename, suspend, reactivate, delete — and
 * what a person sees of their own. Every change is a platform audit event naming the organization.
 */
@Injectable()
export class OrganizationsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly invitations: InvitationsService,
    private readonly roles: RolesService,
    private readonly twoFactorPolicy: TwoFactorPolicyService,
    private readonly accounts: AccountsService,
    private readonly principals: PrincipalCache,
    private readonly deletion: OrganizationDeletion,
  ) {}

  /**
   * The organization requests act in. Every row belongs to the first organization until requests name
   * theirs (the X-Roster-Organization header, a token's own organization), so this is the first one.
   */
  async current(): Promise<OrganizationModel> {
    const rows: OrganizationModel[] = await this.db.query(
      `SELECT ${ORGANIZATION_COLUMNS} FROM ${ORGANIZATION_FROM} WHERE o.slug IS NOT NULL ORDER BY o.created_at, o.id LIMIT 1`,
    );
    if (!rows[0]) throw new Error('No organization: the organizations migration creates the first one');
    return rows[0];
  }

  /** One organization (null when there is none by that id, or it is being deleted). */
  async byId(id: string, manager: EntityManager = this.db.manager): Promise<OrganizationModel | null> {
    const rows: OrganizationModel[] = await manager.query(
      `SELECT ${ORGANIZATION_COLUMNS} FROM ${ORGANIZATION_FROM} WHERE o.id = $1 AND o.slug IS NOT NULL`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * The organizations no one may act in (suspended, or being deleted): what they granted ends (the
   * janitor's work). Few; one look at the table.
   */
  async inactiveIds(): Promise<string[]> {
    const rows: { id: string }[] = await this.db.query(`SELECT id FROM organizations WHERE status <> 'ACTIVE'`);
    return rows.map((o) => o.id);
  }

  /** The operators' list: a page by name (any case), searched by slug or name (any case). */
  async page(first: number, after: string | null, search: string | null): Promise<OrganizationPage> {
    const limit = pageSize(first);
    const cursor = after == null ? null : decodeOrganizationCursor(after);
    const { sql, params } = organizationsPageQuery(searchTerm(search), cursor, limit + 1);
    const rows: (OrganizationModel & { sortName: string })[] = await this.db.query(sql, params);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      organizations: page.map((o) => ({
        id: o.id,
        slug: o.slug,
        name: o.name,
        status: o.status,
        memberCount: o.memberCount,
        createdAt: o.createdAt,
      })),
      hasNextPage: rows.length > limit,
      endCursor: last ? encodeOrganizationCursor(last.sortName, last.id) : null,
    };
  }

  /**
   * A person's organizations (active memberships; suspended organizations included, so the console
   * can say why it cannot enter them), the last used first, searched by slug or name. An API token
   * sees only its own organization.
   */
  async mine(
    principal: Pick<Principal, 'userId' | 'via' | 'organization'> & Partial<Principal>,
    search: string | null,
    first: number,
  ): Promise<OrganizationModel[]> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_MY_ORGANIZATIONS) {
      throw new AppError(ErrorCode.BadUserInput, `first must be 1 to ${MAX_MY_ORGANIZATIONS}.`, { field: 'first' });
    }
    const term = searchTerm(search);
    const only = principal.via === 'bearer' ? (principal.organization?.id ?? null) : null;
    if (principal.via === 'bearer' && !only) return [];
    const { sql, params } = myOrganizationsQuery(principal.userId, term, first, only);
    return this.db.query(sql, params);
  }

  /** Where a person who just signed in acts next: their last used organization that is active, or none. */
  async landing(userId: string): Promise<OrganizationModel | null> {
    const { sql, params } = myOrganizationsQuery(userId, null, 1, null, true);
    const rows: OrganizationModel[] = await this.db.query(sql, params);
    return rows[0] ?? null;
  }

  /** Whether a person is a platform operator (for `me` answered to someone who just signed in). */
  isOperator(userId: string): Promise<boolean> {
    return this.accounts.isOperator(userId);
  }

  /**
   * A new organization, in one transaction: the organization, its built-in roles (as the shared
   * vocabulary defines them), its two-factor policy, then its first admin's invitation
   * (Admin role) through the invitations feature — the person is created, or an existing one gets a
   * membership, as for any invitation. SLUG_TAKEN when a live organization has the slug (of two
   * creations at once with one slug, exactly one wins).
   */
  async create(actor: Principal, input: CreateOrganizationInput): Promise<CreateOrganizationResult> {
    return this.db.transaction(async (tx) => {
      // A concurrent creation with the same slug waits here for the other's commit, then finds it taken.
      const made: { id: string }[] = await tx.query(
        `INSERT INTO organizations (name, slug) VALUES ($1, $2) ON CONFLICT (slug) DO NOTHING RETURNING id`,
        [input.name, input.slug],
      );
      if (!made[0]) throw new AppError(ErrorCode.SlugTaken, 'Another organization already uses this slug.', { field: 'slug' });
      const id = made[0].id;
      const roles = await this.roles.createBuiltIn(tx, id);
      await this.twoFactorPolicy.createDefault(tx, id);
      await this.audit.record(tx, actor, 'organization.created', { id }, described(input), { platform: true });
      const invited = await this.invitations.inviteInto(tx, actor, id, input.firstAdminEmail, roles[RoleKey.Admin]);
      const organization = await this.byId(id, tx);
      if (!organization) throw new Error(`organization ${id} vanished`);
      return { organization, invitation: { url: invited.url, urlKind: invited.urlKind, expiresAt: invited.expiresAt } };
    });
  }

  /** Renames an organization (NOT_FOUND for none, or one being deleted); the same name changes and records nothing. */
  async rename(actor: Principal, input: UpdateOrganizationInput): Promise<OrganizationModel> {
    return this.change(input.id, async (tx, org) => {
      if (org.name === input.name) return false;
      await tx.query(`UPDATE organizations SET name = $2, updated_at = now() WHERE id = $1`, [org.id, input.name]);
      await this.audit.record(
        tx,
        actor,
        'organization.renamed',
        { id: org.id },
        { ...described(org), name: input.name, previousName: org.name },
        {
          platform: true,
        },
      );
      return true;
    });
  }

  /**
   * Suspends an organization: every request naming it — cookie or token, on every instance (the
   * database announces it) — is refused from the commit on. Its data and tokens wait, unchanged.
   */
  async suspend(actor: Principal, id: string): Promise<OrganizationModel> {
    return this.setStatus(actor, id, OrganizationStatus.SUSPENDED, 'organization.suspended');
  }

  /** Reactivates a suspended organization: its members and tokens work again. */
  async reactivate(actor: Principal, id: string): Promise<OrganizationModel> {
    return this.setStatus(actor, id, OrganizationStatus.ACTIVE, 'organization.reactivated');
  }

  private setStatus(actor: Principal, id: string, status: OrganizationStatus, action: AuditAction): Promise<OrganizationModel> {
    return this.change(id, async (tx, org) => {
      if (org.status === status) return false;
      await tx.query(`UPDATE organizations SET status = $2, updated_at = now() WHERE id = $1`, [org.id, status]);
      await this.audit.record(tx, actor, action, { id: org.id }, described(org), { platform: true });
      return true;
    });
  }

  /**
   * Deletes an organization: confirmed by its slug (any case; CONFIRMATION_MISMATCH otherwise, and
   * nothing changes). At once it is marked DELETING and its slug freed (reusable by a new organization),
   * refused everywhere like a suspended one; its rows then go in batches (OrganizationDeletion).
   */
  async delete(actor: Principal, input: DeleteOrganizationInput): Promise<boolean> {
    await this.db.transaction(async (tx) => {
      const org = await this.lockLive(tx, input.id);
      if (input.confirmation.trim().toLowerCase() !== org.slug) {
        throw new AppError(ErrorCode.ConfirmationMismatch, "Type the organization's slug to confirm.");
      }
      await tx.query(`UPDATE organizations SET status = 'DELETING', slug = NULL, updated_at = now() WHERE id = $1`, [org.id]);
      await this.audit.record(tx, actor, 'organization.deleted', { id: org.id }, described(org), { platform: true });
    });
    this.principals.forgetOrganization(input.id);
    this.deletion.start(input.id);
    return true;
  }

  /**
   * One operator change to a live organization, under its row lock; `apply` says whether it changed
   * anything. The answer is the organization after the commit; this instance's cached principals
   * acting in it go at once (the others' when the database announces the change).
   */
  private async change(id: string, apply: (tx: EntityManager, org: OrganizationRow) => Promise<boolean>): Promise<OrganizationModel> {
    const changed = await this.db.transaction(async (tx) => apply(tx, await this.lockLive(tx, id)));
    if (changed) this.principals.forgetOrganization(id);
    const organization = await this.byId(id);
    if (!organization) throw notFound('Organization');
    return organization;
  }

  /** The organization's row, locked; NOT_FOUND when there is none, or it is being deleted. */
  private async lockLive(tx: EntityManager, id: string): Promise<OrganizationRow> {
    const rows: OrganizationRow[] = await tx.query(
      `SELECT id, slug, name, status FROM organizations WHERE id = $1 AND status <> 'DELETING' FOR UPDATE`,
      [id],
    );
    if (!rows[0]) throw notFound('Organization');
    return rows[0];
  }
}
