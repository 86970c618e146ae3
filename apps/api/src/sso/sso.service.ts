import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request, Response } from 'express';
import { Profile, Strategy, VerifyCallback } from 'passport-openidconnect';
import { DataSource, EntityManager } from 'typeorm';
import { ErrorCode } from '@roster/contracts/errors';
import { isUsableEmail } from '../core/graphql/validators';
import { AppError } from '../core/errors/app-error';
import { APP_CONFIG, AppConfig, SsoConfig } from '../core/config/config';
import { AuditService } from '../audit/audit.service';
import { SessionService } from '../sessions/session.service';
import { UserStatus } from '../users/users.enums';
import { JanitorService } from '../core/database/janitor.service';
import { TwoFactorService } from '../two-factor/two-factor.service';
import { TwoFactorPolicyService } from '../two-factor/two-factor-policy.service';
import { SsoTwoFactorMode } from '../two-factor/two-factor-policy.entity';
import { InvitationsService } from '../invitations/invitations.service';
import { OrganizationsService } from '../organizations/organizations.service';
import { OrganizationStatus } from '../organizations/organization.entity';
import { MAX_MY_ORGANIZATIONS } from '../organizations/organizations-page';
import { AccountsService, UserIdentity } from '../users/accounts.service';
import { ChangeFeed } from '../core/database/change-feed';
import { PgStateStore } from './pg-state-store';
import { SsoConnection, SsoConnectionsService } from './sso-connections.service';
import { SsoIdentitiesService } from './sso-identities.service';
import type { Agent } from 'node:http';
import { outboundAgentFor, getJson } from '../core/security/outbound-get';
import { boundProviderRequests } from './provider-requests';

/** What the identity provider told us about the person. */
export interface SsoIdentity {
  /** The issuer (`iss`) and subject (`sub`): the provider account, whatever its email. */
  issuer: string;
  sub: string;
  /** `iss|sub`, as people were linked before sso_identities (users.sso_subject). */
  subject: string;
  email: string;
  emailVerified: boolean;
  firstName: string;
  lastName: string;
}

export interface SsoState {
  /** The organization whose provider this sign-in goes through (its connection). */
  organizationId?: string;
  invitation?: string;
  /** A signed-in person linking their account to the provider (their user id). */
  link?: string;
  /** Where the person goes once signed in (`returnTo` as the sign-in page had it; allowed when the sign-in began). */
  returnTo?: string;
}

/** Signed in, linked, or (policy REQUIRE_TOTP, person with 2FA) waiting for the second factor. */
export type SsoOutcome = { userId: string; linked: boolean; challenge?: { token: string; expiresAt: Date } };

const DISCOVERY_TIMEOUT_MS = 5_000;
/** The most of a discovery document read (real ones are a few kilobytes). */
const DISCOVERY_MAX_BYTES = 1_000_000;

/** A URL, or null for anything else (not a string, not absolute). */
function parsedUrl(value: unknown): URL | null {
  try {
    return typeof value === 'string' ? new URL(value) : null;
  } catch {
    return null;
  }
}

/** A provider's name claim as a person's name: no control or format characters, trimmed, at most 100. */
export function cleanName(value: unknown): string {
  return String(value ?? '')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .trim()
    .slice(0, 100)
    .trim();
}

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint: string;
}

/**
 * Single sign-on with OpenID Connect (passport-openidconnect, endpoints from the issuer's discovery
 * document). Invited people are created on return when the provider's verified email matches the
 * invitation; returning people are matched by the provider's subject.
 */
@Injectable()
export class SsoService {
  private readonly logger = new Logger('SSO');
  /** Each organization's strategy (discovery fetched once; dropped when a connection changes, on every instance). */
  private readonly strategies = new Map<string, Promise<Strategy>>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly accounts: AccountsService,
    private readonly organizations: OrganizationsService,
    private readonly invitations: InvitationsService,
    private readonly twoFactor: TwoFactorService,
    private readonly twoFactorPolicy: TwoFactorPolicyService,
    private readonly connections: SsoConnectionsService,
    private readonly identities: SsoIdentitiesService,
    janitor: JanitorService,
    changes: ChangeFeed,
  ) {
    janitor.expire('oidc_states', 'expires_at < now()');
    // An organization with a connection (or, password sign-in off, the OIDC_* one) accepts its invitations at that provider.
    invitations.acceptThroughSsoWhen({
      throughSso: async (manager, organizationId) => (await this.connections.invitationOrganization(manager, organizationId)) !== null,
    });
    // A connection changed (`s:<organization>` arrives as a change to its organization), or the feed restarted.
    changes.subscribe((change) => {
      if ('all' in change) this.strategies.clear();
      else if ('organizationId' in change) this.strategies.delete(change.organizationId);
    });
  }

  get settings(): SsoConfig {
    if (!this.config.sso) throw new AppError(ErrorCode.SsoNotConfigured, 'Single sign-on is not configured.');
    return this.config.sso;
  }

  /**
   * The organization a sign-in goes through: the one named by slug (it must have a connection), else
   * the OIDC_* connection's (the first organization). SSO_NOT_CONFIGURED when there is none.
   */
  async organizationFor(slug: string | undefined): Promise<string> {
    const id = slug !== undefined ? await this.connections.organizationBySlug(slug) : await this.connections.envOrganization();
    if (!id) throw new AppError(ErrorCode.SsoNotConfigured, 'Single sign-on is not configured.');
    return id;
  }

  /** Whose connection an invitation into this organization is accepted through (null: none, the invitee registers). */
  invitationOrganization(organizationId: string): Promise<string | null> {
    return this.connections.invitationOrganization(this.db.manager, organizationId);
  }

  /** The organization a returning state was started for (null: unknown or expired state). */
  async organizationOfState(handle: unknown): Promise<string | null> {
    if (typeof handle !== 'string' || handle.length > 200) return null;
    return PgStateStore.organizationOf(this.db, handle);
  }

  /** An organization's strategy (SSO_NOT_CONFIGURED when it has no connection). */
  getStrategy(organizationId: string): Promise<Strategy> {
    let strategy = this.strategies.get(organizationId);
    if (!strategy) {
      strategy = this.connections.connection(organizationId).then((c) => {
        if (!c) throw new AppError(ErrorCode.SsoNotConfigured, 'Single sign-on is not configured.');
        return this.createStrategy(c);
      });
      strategy.catch(() => this.strategies.delete(organizationId));
      this.strategies.set(organizationId, strategy);
    }
    return strategy;
  }

  private async createStrategy(sso: SsoConnection): Promise<Strategy> {
    // The OIDC_* connection is the operator's (an internal provider is theirs to choose); an organization's own
    // is reached under the outbound rule: public https addresses only, unless ALLOW_PRIVATE_TARGETS.
    const allowPrivateTargets = sso.fromEnv || this.config.allowPrivateTargets;
    const answer = await getJson(`${sso.issuer}/.well-known/openid-configuration`, {
      allowPrivateTargets,
      timeoutMs: DISCOVERY_TIMEOUT_MS,
      maxBytes: DISCOVERY_MAX_BYTES,
    });
    if (!answer.ok) throw new Error(`OIDC discovery failed: ${answer.kind === 'status' ? answer.status : answer.kind}`);
    const d = (answer.body ?? {}) as Discovery;
    // The server's own requests (token, user info) go through the same rule: their endpoints are the
    // provider's to name. The authorization endpoint is the browser's.
    let agent: Agent | undefined;
    if (!allowPrivateTargets) {
      const token = parsedUrl(d.token_endpoint);
      const userInfo = d.userinfo_endpoint === undefined ? null : parsedUrl(d.userinfo_endpoint);
      agent = (token && outboundAgentFor(token, false)) ?? undefined;
      if (!agent || (d.userinfo_endpoint !== undefined && !(userInfo && outboundAgentFor(userInfo, false)))) {
        throw new Error('OIDC discovery names an endpoint that is not a public https address');
      }
    }
    const strategy = new Strategy(
      {
        issuer: d.issuer,
        agent,
        authorizationURL: d.authorization_endpoint,
        tokenURL: d.token_endpoint,
        userInfoURL: d.userinfo_endpoint,
        clientID: sso.clientId,
        clientSecret: sso.clientSecret,
        callbackURL: `${this.config.publicUrl}/auth/sso/callback`,
        scope: ['profile', 'email'],
        nonce: 'true',
        store: new PgStateStore(this.db, this.config.cookieSecure, sso.organizationId) as never,
      } as never,
      // Nine parameters: passport-openidconnect then passes the userinfo and ID-token profiles apart.
      ((
        issuer: string,
        uiProfile: (Profile & { _json?: Record<string, unknown> }) | undefined,
        _idProfile: Profile,
        _context: unknown,
        idToken: string,
        _accessToken: string,
        _refreshToken: string,
        _params: unknown,
        done: VerifyCallback,
      ) => {
        const idClaims = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
        const claims: Record<string, unknown> = { ...idClaims, ...(uiProfile?._json ?? {}) };
        const sub = typeof idClaims['sub'] === 'string' ? idClaims['sub'] : '';
        const identity: SsoIdentity = {
          issuer,
          sub,
          subject: `${issuer}|${sub}`,
          email: String(claims['email'] ?? '')
            .trim()
            .toLowerCase(),
          emailVerified: claims['email_verified'] === true,
          firstName: cleanName(claims['given_name']),
          lastName: cleanName(claims['family_name']),
        };
        done(null, identity as never);
      }) as never,
    );
    // Its token and user-info requests end in time and read a bounded answer, as discovery does.
    boundProviderRequests(strategy);
    return strategy;
  }

  /**
   * On return from an organization's provider: sign the person in (the one the provider account is
   * linked to; or, by a verified email, someone invited, or of a domain of that organization), link an
   * account, or explain why not. A person signed in lands in the provider's organization when they are
   * an active member of it.
   */
  async complete(identity: SsoIdentity, state: SsoState, organizationId: string, req: Request, res: Response): Promise<SsoOutcome> {
    if (!identity.sub) throw new AppError(ErrorCode.SsoFailed, 'The identity provider did not say who signed in.');
    const connection = await this.connections.connection(organizationId);
    if (!connection) throw new AppError(ErrorCode.SsoNotConfigured, 'Single sign-on is not configured.');
    const done = await this.db.transaction(async (tx): Promise<SsoOutcome & { landing?: string | null }> => {
      if (state.link) return { userId: await this.link(tx, identity, state.link, connection), linked: true };
      // The person, and the organization they land in: the invitation's, or the provider's, or one they are an active member of.
      const { userId, organizationId: landing } = state.invitation
        ? await this.acceptInvitation(tx, state.invitation, identity, connection)
        : await this.returningUser(tx, identity, connection);
      // That organization's policy may ask people who use Roster's two-factor authentication for their code after the provider too.
      if (
        landing !== null &&
        (await this.twoFactorPolicy.ssoMode(tx, landing)) === SsoTwoFactorMode.REQUIRE_TOTP &&
        (await this.twoFactor.enabled(tx, userId))
      ) {
        return { userId, linked: false, challenge: await this.twoFactor.createChallenge(userId, tx, true, connection.organizationId) };
      }
      await this.accounts.markSignedIn(tx, userId, landing ?? undefined);
      await this.sessions.start(userId, req, res, tx, true, connection.organizationId);
      return { userId, linked: false, landing };
    });
    // Where the person's requests act from now on (their current organization), announced to every instance.
    if (done.landing) await this.sessions.enter(done.userId, done.landing);
    return { userId: done.userId, linked: done.linked, ...(done.challenge ? { challenge: done.challenge } : {}) };
  }

  /**
   * The provider's email is about to decide who this is (an invitation, a link, a sign-up): it must be
   * verified, and follow the same rules as an email typed in the console.
   */
  private assertEmail(identity: SsoIdentity): void {
    if (!identity.email || !identity.emailVerified) {
      throw new AppError(ErrorCode.SsoEmailNotVerified, 'The identity provider did not confirm your email address.');
    }
    if (!isUsableEmail(identity.email))
      throw new AppError(ErrorCode.SsoFailed, 'The identity provider gave an email address Roster cannot use.');
  }

  /**
   * The provider account is linked to the person (through this connection), audited; nothing when it
   * was. Their first link is also kept on the person (users.sso_subject), which marks an account that
   * signs in through a provider.
   */
  private async linkAccount(
    tx: EntityManager,
    identity: SsoIdentity,
    person: { id: string; email: string; sso_subject: string | null },
    connection: SsoConnection,
    actor: { userId: string; email: string } | null,
    details: Record<string, unknown>,
  ): Promise<void> {
    if (!(await this.identities.link(tx, identity, person.id, connection.organizationId))) return;
    if (person.sso_subject === null) await this.accounts.linkSsoSubject(tx, person.id, identity.subject);
    await this.audit.record(tx, actor, 'user.sso_linked', { id: person.id, email: person.email }, { issuer: identity.issuer, ...details });
  }

  /**
   * An invitation accepted at the provider: its verified email must be the invitation's, and the provider
   * account must not be someone else's already (that person signs in, they are not signed up again).
   */
  private async acceptInvitation(
    tx: EntityManager,
    token: string,
    identity: SsoIdentity,
    connection: SsoConnection,
  ): Promise<{ userId: string; organizationId: string }> {
    this.assertEmail(identity);
    const accepted = await this.invitations.acceptThroughSso(tx, token, identity);
    await this.identities.link(tx, identity, accepted.userId, connection.organizationId);
    return accepted;
  }

  /**
   * Links the signed-in person (who proved their account with its password, and 2FA when on) to the
   * provider identity they just signed in with. The provider's verified email must be theirs, so a
   * provider account of someone else cannot be attached to this one.
   */
  private async link(tx: EntityManager, identity: SsoIdentity, userId: string, connection: SsoConnection): Promise<string> {
    this.assertEmail(identity);
    const user = await this.accounts.identity(tx, { id: userId }, true);
    if (!user || user.status !== UserStatus.ACTIVE) throw new AppError(ErrorCode.Unauthenticated, 'Sign in again to link single sign-on.');
    if (user.email !== identity.email) {
      throw new AppError(ErrorCode.SsoEmailMismatch, `Your account is ${user.email}, but the provider signed you in as ${identity.email}.`);
    }
    // Linked before sso_identities to another account of this provider.
    if (user.sso_subject?.startsWith(`${identity.issuer}|`) && user.sso_subject !== identity.subject) {
      throw new AppError(ErrorCode.SsoAccountConflict, 'This account is linked to another identity-provider account.');
    }
    await this.linkAccount(tx, identity, user, connection, { userId, email: user.email }, {});
    return userId;
  }

  /**
   * The organization a returning person signs in to: one they are an active member of, the last used
   * first (as their organization switcher lists them), an active organization before a suspended one;
   * null when they are active in none (an operator, or someone only invited elsewhere).
   */
  private async landing(person: { id: string; email: string }): Promise<string | null> {
    const theirs = await this.organizations.mine(
      {
        userId: person.id,
        email: person.email,
        sessionId: null,
        tokenId: null,
        permissions: [],
        via: 'cookie',
        operator: false,
        organization: null,
      },
      null,
      MAX_MY_ORGANIZATIONS,
    );
    return (theirs.find((o) => o.status === OrganizationStatus.ACTIVE) ?? theirs[0])?.id ?? null;
  }

  /** Whether people of this email may join the connection's organization through its provider (its domain is the organization's). */
  private async mayJoin(email: string, connection: SsoConnection): Promise<boolean> {
    if (await this.connections.domainBelongsTo(email, connection.organizationId)) return true;
    const domain = email.split('@')[1] ?? '';
    return connection.fromEnv && (this.config.sso?.allowedDomains ?? []).includes(domain);
  }

  /**
   * A returning person lands in the provider's organization when they are an active member of it; a
   * person whose email's domain belongs to it and who is not yet a member joins it with the
   * connection's default role; otherwise they land where they would after a password sign-in.
   */
  private async landIn(tx: EntityManager, person: { id: string; email: string }, connection: SsoConnection): Promise<string | null> {
    const membership = await this.accounts.membership(tx, connection.organizationId, person.id, true);
    if (membership?.status === UserStatus.ACTIVE) return connection.organizationId;
    if (!membership && (await this.mayJoin(person.email, connection))) {
      await this.accounts.addMembership(tx, {
        organizationId: connection.organizationId,
        userId: person.id,
        roleId: connection.defaultRoleId,
        status: UserStatus.ACTIVE,
      });
      await this.audit.record(
        tx,
        null,
        'user.sso_joined',
        { id: person.id, email: person.email },
        { domain: person.email.split('@')[1] ?? '' },
        { organizationId: connection.organizationId },
      );
      return connection.organizationId;
    }
    return this.landing(person);
  }

  /**
   * Whether the connection's organization provisioned this person (an active membership it made or
   * adopted through SCIM; a deactivated one no longer vouches) and they have nothing of their own to
   * sign in with: no password, no link to any provider (users.sso_subject marks the first one), no
   * two-factor. Such a person is who the organization's identity provider says they are, so its
   * verified email may link them. Anyone else with a password, a link or 2FA still links their
   * account themselves, signed in; another organization's provisioning does not count.
   */
  private async provisionedWithoutCredentials(tx: EntityManager, person: UserIdentity, connection: SsoConnection): Promise<boolean> {
    if (person.has_password || person.sso_subject !== null) return false;
    if (await this.twoFactor.enabled(tx, person.id)) return false;
    return this.accounts.provisionedMember(tx, connection.organizationId, person.id);
  }

  /**
   * Who a sign-in without an invitation is: the person the provider account is linked to (whatever email
   * the provider gives today); else, by the provider's verified email, a person the organization
   * provisioned who has no credential yet, an account the administrator lets the provider vouch for, or
   * a sign-up from a domain of the organization. Any other account of that email that is not linked is
   * never taken over: its owner links it, signed in.
   */
  private async returningUser(
    tx: EntityManager,
    identity: SsoIdentity,
    connection: SsoConnection,
  ): Promise<{ userId: string; organizationId: string | null }> {
    let linked = await this.identities.personOf(tx, identity, connection.organizationId);
    if (linked === null) {
      // Linked before sso_identities (users.sso_subject): the link moves to this connection.
      const legacy = await this.accounts.identityBySsoSubject(tx, identity.subject);
      if (legacy && (await this.identities.accountOf(tx, legacy.id, connection.organizationId)) === null) {
        await this.identities.link(tx, identity, legacy.id, connection.organizationId);
        linked = legacy.id;
      }
    }
    const bySubject = linked === null ? null : await this.accounts.identity(tx, { id: linked }, true);
    if (bySubject?.status === UserStatus.ACTIVE && !bySubject.deactivated) {
      return { userId: bySubject.id, organizationId: await this.landIn(tx, bySubject, connection) };
    }
    // Deactivated in every organization they belong to: refused as before, nothing linked.
    if (bySubject?.deactivated) throw new AppError(ErrorCode.AccountDeactivated, 'This account is deactivated.');
    this.assertEmail(identity);
    const existing = await this.accounts.identity(tx, { email: identity.email }, true);
    if (existing?.deactivated) throw new AppError(ErrorCode.AccountDeactivated, 'This account is deactivated.');
    if (existing?.status === UserStatus.ACTIVE) {
      const theirs = await this.identities.accountOf(tx, existing.id, connection.organizationId);
      if (theirs || (existing.sso_subject && existing.sso_subject.startsWith(`${identity.issuer}|`))) {
        throw new AppError(ErrorCode.SsoAccountConflict, 'This email is linked to another identity-provider account.');
      }
      // Created by this organization's identity provider (SCIM) and holding nothing of their own to sign
      // in with: that provider vouches for them, and its verified email links them on their first sign-in.
      if (await this.provisionedWithoutCredentials(tx, existing, connection)) {
        await this.linkAccount(tx, identity, existing, connection, null, { by: 'provisioning' });
        return { userId: existing.id, organizationId: await this.landIn(tx, existing, connection) };
      }
      // An existing account never linked: a matching email alone does not prove it is the same person
      // (the account may have a password and 2FA the provider knows nothing of). The person links it
      // from their profile, signed in; or the administrator chose to trust the provider's emails (OIDC_LINK_BY_EMAIL).
      if (!(connection.fromEnv && this.config.sso?.linkByEmail)) {
        throw new AppError(ErrorCode.SsoLinkRequired, 'Sign in with your password, then link single sign-on from your profile.');
      }
      await this.linkAccount(tx, identity, existing, connection, null, { by: 'verified email' });
      return { userId: existing.id, organizationId: await this.landIn(tx, existing, connection) };
    }
    if (existing?.status === UserStatus.INVITED) {
      throw new AppError(ErrorCode.SsoNotInvited, 'Open the link of your invitation to sign up.');
    }
    const domain = identity.email.split('@')[1] ?? '';
    if (!(await this.mayJoin(identity.email, connection))) {
      throw new AppError(ErrorCode.SsoNotInvited, 'You have not been invited. Ask an administrator for an invitation.');
    }
    // A sign-up joins the provider's organization, with its connection's default role.
    const id = await this.accounts.create(tx, {
      organizationId: connection.organizationId,
      email: identity.email,
      status: UserStatus.ACTIVE,
      roleId: connection.defaultRoleId,
      firstName: identity.firstName,
      lastName: identity.lastName,
      ssoSubject: identity.subject,
      signedIn: true,
    });
    await this.identities.link(tx, identity, id, connection.organizationId);
    await this.audit.record(tx, null, 'user.sso_signed_up', { id, email: identity.email }, { domain });
    this.logger.log(`SSO sign-up from a domain of the organization: ${identity.email}`);
    return { userId: id, organizationId: connection.organizationId };
  }
}
