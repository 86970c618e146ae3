import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Principal } from '../core/access/principal';
import { OrganizationStatus } from '../organizations/organization.entity';
import type { OrganizationModel } from '../organizations/organization.model';
import { OrganizationsService } from '../organizations/organizations.service';
import { AccountsService } from '../users/accounts.service';
import { UserStatus } from '../users/users.enums';

/** What Roster says of a person acting in one organization (ID token, userinfo, access token claims). */
export interface AccountClaims {
  sub: string;
  email: string;
  email_verified: boolean;
  name: string;
  given_name: string;
  family_name: string;
  locale: string;
  org_id: string;
  org_slug: string;
  role: string;
  permissions: string[];
  teams: { id: string; name: string }[];
}

/** The organization claims every access token carries. */
export type OrganizationClaims = Pick<AccountClaims, 'org_id' | 'org_slug' | 'role' | 'permissions'>;

/**
 * The people behind the provider's grants, read through their owners' services: the person, their
 * membership (role, teams) in the grant's organization, the organization. An inactive person or
 * membership, or an organization not active, is nobody: userinfo and refresh fail.
 */
@Injectable()
export class OidcAccounts {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly accounts: AccountsService,
    private readonly organizations: OrganizationsService,
  ) {}

  /** Whether a person may sign in at all (registered, active somewhere): the provider's account before a grant names an organization. */
  async active(userId: string): Promise<boolean> {
    const identity = await this.accounts.identity(this.db.manager, { id: userId });
    return !!identity && identity.status === UserStatus.ACTIVE && !identity.deactivated;
  }

  /** The person as a member of the organization, or null when they may not act in it. */
  async claims(userId: string, organizationId: string): Promise<AccountClaims | null> {
    const organization = await this.organizations.byId(organizationId);
    if (!organization || organization.status !== OrganizationStatus.ACTIVE) return null;
    const [member] = await this.accounts.findByIds(organizationId, [userId]);
    if (!member || member.status !== UserStatus.ACTIVE) return null;
    const identity = await this.accounts.identity(this.db.manager, { id: userId });
    if (!identity || identity.status !== UserStatus.ACTIVE) return null;
    const name = `${member.firstName} ${member.lastName}`.trim();
    return {
      sub: userId,
      email: member.email,
      // Every registered address was proven: an invitation link sent to it, or a provider that verified it.
      email_verified: true,
      name,
      given_name: member.firstName,
      family_name: member.lastName,
      locale: identity.language,
      org_id: organization.id,
      org_slug: organization.slug,
      role: member.role.key,
      permissions: [...member.role.permissions],
      teams: member.teams.map((t) => ({ id: t.id, name: t.name })),
    };
  }

  /**
   * The organization an authorization acts in: `organization=<slug>` when given, else the client's own,
   * else the person's only one, else the one they used last. Null when the person may not act in it
   * (not an active member, organization not active) or the client belongs to another organization.
   */
  async pick(principal: Principal, slug: string | undefined, clientOrganizationId: string | null): Promise<OrganizationModel | null> {
    const caller = { userId: principal.userId, via: 'cookie' as const, organization: null };
    const usable = (o: OrganizationModel | null | undefined) => (o && o.status === OrganizationStatus.ACTIVE ? o : null);
    let chosen: OrganizationModel | null;
    if (slug !== undefined) {
      if (!/^[a-z0-9-]{1,63}$/.test(slug)) return null;
      const found = await this.organizations.mine(caller, slug, 50);
      chosen = usable(found.find((o) => o.slug === slug));
    } else if (clientOrganizationId) {
      const found = await this.organizations.byId(clientOrganizationId);
      chosen = usable(found);
    } else {
      const mine = await this.organizations.mine(caller, null, 2);
      chosen = usable(mine.length === 1 ? mine[0] : await this.organizations.landing(principal.userId));
    }
    if (!chosen || (clientOrganizationId && chosen.id !== clientOrganizationId)) return null;
    // An active member of it, whichever way it was chosen.
    const [member] = await this.accounts.findByIds(chosen.id, [principal.userId]);
    return member?.status === UserStatus.ACTIVE ? chosen : null;
  }
}
