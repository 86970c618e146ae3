import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ProviderInstance } from 'oidc-provider';
import { DataSource } from 'typeorm';
import type { Principal } from '../core/access/principal';
import { APP_CONFIG, AppConfig } from '../core/config/config';
import { OrganizationStatus } from '../organizations/organization.entity';
import type { OrganizationModel } from '../organizations/organization.model';
import { MAX_MY_ORGANIZATIONS } from '../organizations/organizations-page';
import { OrganizationsService } from '../organizations/organizations.service';
import { OidcAccounts } from './oidc-accounts';
import { OidcPayloads } from './oidc-payloads';
import { CLIENT_FIRST_PARTY, CLIENT_ORGANIZATION, OIDC_CLAIMS } from './oidc-provider.settings';

/** The scopes a person is asked about, in the order the consent page lists them. */
export const CONSENT_SCOPES = [...Object.keys(OIDC_CLAIMS), 'offline_access'];

/** What an authorization asks, as the console's authorization page shows it. */
export interface AuthorizationRequest {
  /** The application's name, as registered. */
  client: { name: string; firstParty: boolean };
  /** The scopes asked (known ones only, `openid` first). */
  scopes: string[];
  /** Where it may act: one when fixed (the request, the client or the person's only one), else theirs, last used first. */
  organizations: { id: string; slug: string; name: string }[];
  /** Whether the person picks the organization. */
  pick: boolean;
  /** Whether the person must allow the application (a third-party one not yet allowed these scopes there). */
  consent: boolean;
}

/** The provider's view of the client of an interaction. */
export interface InteractionClient {
  clientId: string;
  name: string;
  firstParty: boolean;
  organizationId: string | null;
}

/**
 * The decisions of an authorization: which organizations it may act in, whether the person must be
 * asked (their organization, their consent), and the grant once they answered. A third-party
 * application is asked about once per person, organization and set of scopes: a grant of the same
 * application, person and organization covering the scopes (still alive) counts as consent, unless
 * the application asks again (`prompt=consent`).
 */
@Injectable()
export class OidcAuthorizations {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly accounts: OidcAccounts,
    private readonly organizations: OrganizationsService,
    private readonly payloads: OidcPayloads,
  ) {}

  /** The client an interaction is for, or null when it is no longer registered. */
  async client(provider: ProviderInstance, clientId: string): Promise<InteractionClient | null> {
    const client = await provider.Client.find(clientId);
    if (!client) return null;
    const metadata = client.metadata() as Record<string, unknown>;
    return {
      clientId,
      name: String(metadata['client_name'] ?? clientId),
      firstParty: metadata[CLIENT_FIRST_PARTY] === true,
      organizationId: (metadata[CLIENT_ORGANIZATION] as string | null) ?? null,
    };
  }

  /**
   * Where the authorization may act: `organization=<slug>` when given, else the client's own (one
   * each, or none when the person may not act there), else every active organization of the person's
   * (one: fixed; several: they pick; last used first). Empty: refused.
   */
  async candidates(
    principal: Principal,
    slug: string | undefined,
    client: InteractionClient,
  ): Promise<{ organizations: OrganizationModel[]; pick: boolean }> {
    if (slug !== undefined || client.organizationId) {
      const one = await this.accounts.pick(principal, slug, client.organizationId);
      return { organizations: one ? [one] : [], pick: false };
    }
    const caller = { userId: principal.userId, via: 'cookie' as const, organization: null };
    const mine = (await this.organizations.mine(caller, null, MAX_MY_ORGANIZATIONS)).filter((o) => o.status === OrganizationStatus.ACTIVE);
    return { organizations: mine, pick: mine.length > 1 };
  }

  /** The known scopes of a request, `openid` first; unknown ones are the provider's to drop. */
  scopes(params: Record<string, unknown>): string[] {
    const asked = new Set(String(params['scope'] ?? 'openid').split(' '));
    return CONSENT_SCOPES.filter((s) => asked.has(s));
  }

  /** Whether the person must allow the application to act with these scopes in this organization. */
  async needsConsent(
    principal: Principal,
    client: InteractionClient,
    organizationId: string,
    scopes: string[],
    prompt: unknown,
  ): Promise<boolean> {
    if (client.firstParty) return false;
    if (typeof prompt === 'string' && prompt.split(' ').includes('consent')) return true;
    const rows: { scope: string | null }[] = await this.db.query(
      `SELECT payload->'openid'->>'scope' AS scope FROM oidc_payloads
        WHERE model = 'Grant' AND user_id = $1 AND organization_id = $2 AND payload->>'clientId' = $3
          AND (expires_at IS NULL OR expires_at > now())`,
      [principal.userId, organizationId, client.clientId],
    );
    return !rows.some((r) => {
      const granted = new Set((r.scope ?? '').split(' '));
      return scopes.every((s) => granted.has(s));
    });
  }

  /** A new grant of the scopes to the client, acting in the organization; its id. */
  async grant(
    provider: ProviderInstance,
    principal: Principal,
    client: InteractionClient,
    organizationId: string,
    scopes: string[],
  ): Promise<string> {
    const grant = new provider.Grant({ accountId: principal.userId, clientId: client.clientId });
    grant.addOIDCScope(scopes.join(' '));
    grant.addResourceScope(this.config.publicUrl, scopes.filter((s) => s !== 'offline_access').join(' '));
    const grantId: string = await grant.save();
    await this.payloads.setGrantOrganization(grantId, organizationId);
    return grantId;
  }
}
