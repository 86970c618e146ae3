import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../core/config/config';
import { OrganizationsService } from '../organizations/organizations.service';
import { PrincipalLookup } from '../core/access/principal-lookup';
import type { Request } from 'express';
import { OidcAccounts, OrganizationClaims } from './oidc-accounts';
import { OidcPayloads, ROSTER_SESSION } from './oidc-payloads';
import { OidcBackchannel } from './oidc-backchannel';
import { OIDC_PREFIX, OIDC_ROUTES, OidcProviderHost } from './oidc-provider.host';
import type { ProviderInstance } from 'oidc-provider';

/** The scopes Roster answers, and the claims each gives. */
export const OIDC_CLAIMS = {
  openid: ['sub'],
  email: ['email', 'email_verified'],
  profile: ['name', 'given_name', 'family_name', 'locale'],
  organization: ['org_id', 'org_slug', 'role', 'permissions'],
  teams: ['teams'],
};
const SCOPES = ['openid', 'offline_access', ...Object.keys(OIDC_CLAIMS).filter((s) => s !== 'openid')];

const DAY = 24 * 3600;

/** Client metadata Roster adds to the provider's (read by the interaction and the redirect rule). */
export const CLIENT_ORGANIZATION = 'urn:roster:organization_id';
export const CLIENT_FIRST_PARTY = 'urn:roster:first_party';
export const CLIENT_PUBLIC = 'urn:roster:public';

const LOOPBACK = new Set(['127.0.0.1', '[::1]']);

type Ctx = { oidc?: { entities?: { Grant?: { jti?: string } } } };
type InteractionCtx = { oidc: { params: Record<string, unknown>; grant?: { jti?: string } } };
type KoaCtx = { path: string; req: unknown; cookies: { get(name: string, options: { signed: boolean }): string | undefined } };
type InteractionPolicy = {
  base(): { get(name: string): { checks: unknown[] } };
  Check: new (reason: string, description: string, check: (ctx: InteractionCtx) => Promise<boolean>) => unknown;
};
type Token = { kind?: string; grantId?: string; accountId?: string };

/**
 * The provider's behaviour as Roster wants it: code flow only, PKCE S256 for every client, the
 * interaction at /oidc/interaction/:uid, claims per scope from the grant's organization, access tokens
 * as RFC 9068 JWTs (audience PUBLIC_URL, OIDC_ACCESS_TOKEN_TTL_SECONDS) carrying the organization's
 * claims, refresh tokens rotated on every use (a reused one revokes its grant), and exact redirect URIs
 * but for public clients' loopback ones (any port, RFC 8252).
 */
@Injectable()
export class OidcProviderSettings {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly accounts: OidcAccounts,
    private readonly payloads: OidcPayloads,
    private readonly backchannel: OidcBackchannel,
    private readonly organizations: OrganizationsService,
    private readonly principals: PrincipalLookup,
    host: OidcProviderHost,
  ) {
    host.configure((base) => this.settings(base));
    host.adjust((provider) => loopbackRedirects(provider.Client as { prototype: Record<string, unknown> }));
    host.adjust((provider) => rememberRosterSession(provider.Session as SessionModel));
    host.adjust((provider) => this.followRosterSessions(provider));
  }

  /** The organization claims of a token's grant, or undefined when its person may no longer act there. */
  async organizationClaims(grantId: string | undefined, userId: string | undefined): Promise<OrganizationClaims | undefined> {
    if (!grantId || !userId) return undefined;
    const organizationId = await this.payloads.grantOrganization(grantId);
    const claims = organizationId ? await this.accounts.claims(userId, organizationId) : null;
    return claims ? { org_id: claims.org_id, org_slug: claims.org_slug, role: claims.role, permissions: claims.permissions } : undefined;
  }

  /**
   * A provider session stands for the Roster session it was born from, and only while the browser holds it.
   * Before an authorization, a provider session whose Roster session is not the browser's any more (it
   * expired or was revoked without a sign-out, or another person signed in on this browser) ends, and its
   * applications are told: the provider then finds no session and asks for a login, which the interaction
   * answers with the browser's own Roster session (or its sign-in page). Ended here rather than through the
   * provider's own account switch, which would end the new person's Roster session with it.
   */
  private followRosterSessions(provider: ProviderInstance): void {
    const app = provider as unknown as {
      use(fn: (ctx: KoaCtx, next: () => Promise<void>) => Promise<void>): void;
      cookieName(type: string): string;
    };
    app.use(async (ctx, next) => {
      if (ctx.path === OIDC_ROUTES.authorization) {
        const id = ctx.cookies.get(app.cookieName('session'), { signed: true });
        const session = id
          ? ((await provider.Session.find(id)) as { accountId?: string; [ROSTER_SESSION]?: string } | undefined)
          : undefined;
        if (id && session?.accountId) {
          const principal = await this.principals.principalFor(ctx.req as Request).catch(() => null);
          if (!(principal?.via === 'cookie' && principal.sessionId === session[ROSTER_SESSION])) await this.payloads.endProviderSession(id);
        }
      }
      await next();
    });
  }

  /**
   * The provider's prompts, plus one: an application naming an organization (`organization=<slug>`)
   * other than the one its grant in this session acts in goes through the interaction again, which
   * makes a grant for the organization named (or refuses it).
   */
  private policy(): unknown {
    // Loaded here, not at import: the schema printer and the migration check never need it.
    const { interactionPolicy } = require('oidc-provider') as { interactionPolicy: InteractionPolicy };
    const policy = interactionPolicy.base();
    policy.get('consent').checks.push(
      new interactionPolicy.Check(
        'roster_organization',
        'the application names another organization than its grant acts in',
        async (ctx: InteractionCtx) => {
          const slug = ctx.oidc.params['organization'];
          const grantId = ctx.oidc.grant?.jti;
          if (typeof slug !== 'string' || !grantId) return false;
          const organizationId = await this.payloads.grantOrganization(grantId);
          if (!organizationId) return false;
          return (await this.organizations.byId(organizationId))?.slug !== slug;
        },
      ),
    );
    return policy;
  }

  private settings(base: Record<string, unknown>): Record<string, unknown> {
    const publicUrl = this.config.publicUrl;
    const ttl = this.config.oidcAccessTokenTtlSeconds;
    const features = base['features'] as Record<string, unknown>;
    const fetch = this.backchannel.fetchSetting();
    return {
      ...base,
      claims: OIDC_CLAIMS,
      scopes: SCOPES,
      extraParams: ['organization'],
      // The ID token carries the claims of its scopes, whether or not an access token comes with it.
      conformIdTokenClaims: false,
      extraClientMetadata: { properties: [CLIENT_ORGANIZATION, CLIENT_FIRST_PARTY, CLIENT_PUBLIC] },
      responseTypes: ['code'],
      pkce: { required: () => true },
      interactions: {
        url: (_ctx: unknown, interaction: { uid: string }) => `${OIDC_PREFIX}/interaction/${interaction.uid}`,
        policy: this.policy(),
      },
      ttl: {
        AccessToken: ttl,
        AuthorizationCode: 60,
        IdToken: 3600,
        Interaction: 3600,
        Session: 14 * DAY,
        Grant: 365 * DAY,
        // Every rotation starts a new 30 days.
        RefreshToken: 30 * DAY,
      },
      rotateRefreshToken: () => true,
      findAccount: async (ctx: Ctx, sub: string, token?: Token) => {
        const grantId = token?.grantId ?? ctx.oidc?.entities?.Grant?.jti;
        // Before a grant names an organization (the provider checking its session): the person alone.
        if (!grantId) return (await this.accounts.active(sub)) ? { accountId: sub, claims: () => ({ sub }) } : undefined;
        const organizationId = await this.payloads.grantOrganization(grantId);
        const claims = organizationId ? await this.accounts.claims(sub, organizationId) : null;
        if (!claims) return undefined;
        return { accountId: sub, claims: () => claims };
      },
      extraTokenClaims: async (_ctx: unknown, token: Token) =>
        token.kind === 'AccessToken' ? this.organizationClaims(token.grantId, token.accountId) : undefined,
      // Logout tokens go out through the provider's own fetch, which refuses special-use addresses.
      ...(fetch ? { fetch } : {}),
      features: {
        ...features,
        backchannelLogout: { enabled: true },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => publicUrl,
          useGrantedResource: () => true,
          // Roster is the one resource server: any other resource indicator is refused (invalid_target).
          getResourceServerInfo: (_ctx: unknown, resource: string) => {
            if (resource !== publicUrl) {
              const { errors } = require('oidc-provider') as { errors: Record<string, new (description?: string) => Error> };
              throw new errors['InvalidTarget']('Roster is the only resource its tokens are for.');
            }
            return {
              scope: SCOPES.filter((s) => s !== 'offline_access').join(' '),
              audience: publicUrl,
              accessTokenTTL: ttl,
              accessTokenFormat: 'jwt',
              jwt: { sign: { alg: 'RS256' } },
            };
          },
        },
      },
      // A browser application may call the token endpoint from the origins of its redirect URIs.
      clientBasedCORS: (_ctx: unknown, origin: string, client: { redirectUris?: string[] }) =>
        (client.redirectUris ?? []).some((uri) => new URL(uri).origin === origin),
    };
  }
}

/**
 * Exact redirect URIs, except a public client's loopback ones (`http://127.0.0.1:<any port>/…`,
 * `http://[::1]:<any port>/…`), where a native application listens on whatever port it got.
 */
export function loopbackRedirects(Client: { prototype: Record<string, unknown> }): void {
  const exact = Client.prototype['redirectUriAllowed'] as (this: ClientLike, uri: string) => boolean;
  Client.prototype['redirectUriAllowed'] = function (this: ClientLike, uri: string): boolean {
    if (exact.call(this, uri)) return true;
    if (this.metadata()[CLIENT_PUBLIC] !== true) return false;
    const asked = parse(uri);
    if (!asked || asked.protocol !== 'http:' || !LOOPBACK.has(asked.hostname)) return false;
    return this.redirectUris.some((registered) => {
      const r = parse(registered);
      return (
        !!r && r.protocol === 'http:' && r.hostname === asked.hostname && `${r.pathname}${r.search}` === `${asked.pathname}${asked.search}`
      );
    });
  };
}

type SessionModel = { IN_PAYLOAD: string[]; prototype: Record<string, unknown> };

/**
 * A provider session records the Roster session it was born from (`rosterSession` in its payload), so
 * that a sign-out or a revoked session ends it: the interaction passes it in its login result, and the
 * login (on resuming the authorization) copies it from there. Kept across the session's later saves
 * (a field of its payload, read back with it).
 */
export function rememberRosterSession(Session: SessionModel): void {
  const stored = Session.IN_PAYLOAD;
  Object.defineProperty(Session, 'IN_PAYLOAD', { configurable: true, get: () => [...stored, ROSTER_SESSION] });
  // oidc-provider's request context (already loaded: this adjusts a provider it made).
  const { default: Provider } = require('oidc-provider') as { default: { ctx?: { oidc?: { entities?: Record<string, unknown> } } } };
  const login = Session.prototype['loginAccount'] as (this: Record<string, unknown>, details: unknown) => void;
  Session.prototype['loginAccount'] = function (this: Record<string, unknown>, details: unknown): void {
    login.call(this, details);
    // Resuming an authorization: the interaction being resumed holds the login result.
    const interaction = Provider.ctx?.oidc?.entities?.['Interaction'] as { result?: { login?: Record<string, unknown> } } | undefined;
    const from = interaction?.result?.login?.[ROSTER_SESSION];
    this[ROSTER_SESSION] = typeof from === 'string' ? from : undefined;
  };
}

interface ClientLike {
  redirectUris: string[];
  metadata(): Record<string, unknown>;
}

function parse(uri: string): URL | null {
  try {
    return new URL(uri);
  } catch {
    return null;
  }
}
