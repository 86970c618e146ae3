import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ErrorCode } from '@roster/contracts/errors';
import { RoleKey } from '@roster/contracts/permissions';
import { AppError, notFound } from '../core/errors/app-error';
import { APP_CONFIG, AppConfig } from '../core/config/config';
import { organizationOf, Principal } from '../core/access/principal';
import { SECRET_BOX, SecretBox } from '../core/security/secret-box';
import { AuditService } from '../audit/audit.service';
import { OrganizationsService } from '../organizations/organizations.service';
import { RolesService } from '../roles/roles.service';
import { SsoIdentitiesService } from './sso-identities.service';
import {
  SetSsoConnectionInput,
  SignInMethodKind,
  SignInMethodModel,
  SSO_DOMAINS_MAX,
  SsoConnectionModel,
  SsoConnectionTest,
} from './sso-connection.model';
import { OrgDb } from '../core/database/org-db';
import { ChangeFeed } from '../core/database/change-feed';
import { getJson } from '../core/security/outbound-get';

/** What signing in through one organization's provider needs (the secret opened, server-side only). */
export interface SsoConnection {
  organizationId: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  label: string;
  defaultRoleId: string;
  requireSso: boolean;
  fromEnv: boolean;
}

/** How many organizations' default roles one instance remembers (the oldest remembered go first). */
const REMEMBERED_DEFAULTS = 10_000;

interface ConnectionRow {
  organization_id: string;
  issuer: string;
  client_id: string;
  client_secret_sealed: string | null;
  from_env: boolean;
  label: string;
  default_role_id: string;
  require_sso: boolean;
  updated_at: Date;
}

const COLUMNS = `c.organization_id, c.issuer, c.client_id, c.client_secret_sealed, c.from_env, c.label, c.default_role_id, c.require_sso, c.updated_at`;
const TEST_TIMEOUT_MS = 5_000;
/** The most of a discovery document or key set read (real ones are a few kilobytes). */
const TEST_MAX_BYTES = 1_000_000;
/** A domain name: labels of a-z, 0-9 and -, at least two, at most 253 characters. */
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Each organization's OpenID Connect connection (sso_connections) and the email domains operators give
 * organizations (organization_domains). The client secret is sealed with ROSTER_SECRET_KEY and only
 * opened to talk to the provider. The OIDC_* variables stay the first organization's connection
 * (`from_env`: written at start, the secret read from the configuration, never stored).
 */
@Injectable()
export class SsoConnectionsService implements OnApplicationBootstrap {
  /** Domain look-ups of one request waiting for the end of its turn (see domainsInRequest). */
  private readonly domainBatches = new WeakMap<object, { ids: Set<string>; read: Promise<Map<string, string[]>> }>();

  private readonly logger = new Logger('SSO');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly orgDb: OrgDb,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    private readonly organizations: OrganizationsService,
    private readonly roles: RolesService,
    private readonly audit: AuditService,
    private readonly identities: SsoIdentitiesService,
    private readonly feed: ChangeFeed,
  ) {
    // A connection's change is announced to every instance (sso_connections' trigger): the remembered default
    // roles follow it (an unparsed announcement concerns everything).
    feed.subscribe((change) => {
      if ('all' in change) {
        this.defaultsGeneration++;
        this.defaults.clear();
      } else if ('organizationId' in change) {
        this.defaultsGeneration++;
        this.defaults.delete(change.organizationId);
      }
    });
  }

  /** Organizations' connection default roles (null: no connection), while the change feed is live. */
  private readonly defaults = new Map<string, string | null>();
  private defaultsGeneration = 0;

  /** The OIDC_* connection becomes (or stays) the first organization's, unless its admins stored their own. */
  async onApplicationBootstrap(): Promise<void> {
    const env = this.config.sso;
    if (!env) {
      await this.db.query(`DELETE FROM sso_connections WHERE from_env`);
      return;
    }
    const first = await this.organizations.current();
    const role = await this.roles.byKey(this.db.manager, first.id, env.defaultRole);
    if (!role) throw new Error(`OIDC_DEFAULT_ROLE ${env.defaultRole} is not a role key of the first organization`);
    // OIDC_ISSUER names another provider now: the accounts linked through the old one go.
    await this.db.query(
      `DELETE FROM sso_identities i USING sso_connections c
        WHERE c.organization_id = i.organization_id AND c.organization_id = $1 AND c.from_env AND c.issuer <> $2`,
      [first.id, env.issuer],
    );
    await this.db.query(
      `INSERT INTO sso_connections AS c (organization_id, issuer, client_id, client_secret_sealed, from_env, label, default_role_id)
       VALUES ($1, $2, $3, NULL, true, $4, $5)
       ON CONFLICT (organization_id) DO UPDATE SET issuer = EXCLUDED.issuer, client_id = EXCLUDED.client_id, label = EXCLUDED.label,
              default_role_id = EXCLUDED.default_role_id, updated_at = now()
        WHERE c.from_env AND (c.issuer, c.client_id, c.label, c.default_role_id) IS DISTINCT FROM
              (EXCLUDED.issuer, EXCLUDED.client_id, EXCLUDED.label, EXCLUDED.default_role_id)`,
      [first.id, env.issuer, env.clientId, env.label, role.id],
    );
  }

  private model(row: ConnectionRow): SsoConnectionModel {
    return {
      issuer: row.issuer,
      clientId: row.client_id,
      hasSecret: row.from_env || row.client_secret_sealed !== null,
      fromEnv: row.from_env,
      label: row.label,
      defaultRoleId: row.default_role_id,
      requireSso: row.require_sso,
      updatedAt: row.updated_at,
    };
  }

  private async row(manager: EntityManager, organizationId: string, lock = false): Promise<ConnectionRow | null> {
    const rows: ConnectionRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM sso_connections c WHERE c.organization_id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [organizationId],
    );
    return rows[0] ?? null;
  }

  /** The default role of the organization's connection (in the caller's transaction), or null without one: SCIM provisions with it too. */
  async defaultRoleId(manager: EntityManager, organizationId: string): Promise<string | null> {
    const known = this.defaults.get(organizationId);
    if (known !== undefined && this.feed.live) return known;
    return (await this.row(manager, organizationId))?.default_role_id ?? null;
  }

  /**
   * Reads the organization's default role into memory when it is not there (outside any transaction: the
   * caller holds no connection), so that `defaultRoleId` answers without a statement while nothing changes.
   */
  async rememberDefaultRole(organizationId: string): Promise<void> {
    if (!this.feed.live || this.defaults.has(organizationId)) return;
    const generation = this.defaultsGeneration;
    const id = (await this.row(this.db.manager, organizationId))?.default_role_id ?? null;
    if (!this.feed.live || generation !== this.defaultsGeneration) return;
    this.defaults.set(organizationId, id);
    while (this.defaults.size > REMEMBERED_DEFAULTS) this.defaults.delete(this.defaults.keys().next().value as string);
  }

  /** The current organization's connection, or null. */
  async get(actor: Principal): Promise<SsoConnectionModel | null> {
    const row = await this.row(this.db.manager, organizationOf(actor));
    return row ? this.model(row) : null;
  }

  /**
   * Creates or replaces the current organization's connection. The secret is sealed (kept when omitted
   * and one is stored); the default role is one of the organization's, never Admin; requiring SSO is
   * allowed only from a session that came through this very provider (so that nobody locks the
   * organization out with a connection that does not work).
   */
  async set(actor: Principal, input: SetSsoConnectionInput, ssoSession: boolean): Promise<SsoConnectionModel> {
    const organizationId = organizationOf(actor);
    try {
      return await this.saveConnection(actor, organizationId, input, ssoSession);
    } finally {
      this.forgetDefaultRole(organizationId);
    }
  }

  private saveConnection(
    actor: Principal,
    organizationId: string,
    input: SetSsoConnectionInput,
    ssoSession: boolean,
  ): Promise<SsoConnectionModel> {
    return this.orgDb.transaction(organizationId, async (tx) => {
      const role = await this.roles.byId(tx, organizationId, input.defaultRoleId);
      if (role.key === RoleKey.Admin)
        throw new AppError(ErrorCode.BadUserInput, 'People joining through single sign-on cannot become admins.', {
          field: 'defaultRoleId',
        });
      const existing = await this.row(tx, organizationId, true);
      const sealed = input.clientSecret
        ? this.box.seal(input.clientSecret)
        : existing && !existing.from_env
          ? existing.client_secret_sealed
          : null;
      if (!sealed) throw new AppError(ErrorCode.BadUserInput, 'Enter the client secret.', { field: 'clientSecret' });
      const sameProvider = existing !== null && existing.issuer === input.issuer && existing.client_id === input.clientId;
      if (input.requireSso && !existing?.require_sso && !(ssoSession && sameProvider)) {
        throw new AppError(ErrorCode.Forbidden, "Sign in through this organization's provider before requiring it.", {
          field: 'requireSso',
        });
      }
      // Another provider: the accounts linked through the old one go (its subjects mean nothing to the new one).
      if (existing && existing.issuer !== input.issuer) await this.identities.forget(tx, organizationId);
      const rows: ConnectionRow[] = await tx.query(
        `INSERT INTO sso_connections AS c (organization_id, issuer, client_id, client_secret_sealed, from_env, label, default_role_id, require_sso)
         VALUES ($1, $2, $3, $4, false, $5, $6, $7)
         ON CONFLICT (organization_id) DO UPDATE SET issuer = EXCLUDED.issuer, client_id = EXCLUDED.client_id,
                client_secret_sealed = EXCLUDED.client_secret_sealed, from_env = false, label = EXCLUDED.label,
                default_role_id = EXCLUDED.default_role_id, require_sso = EXCLUDED.require_sso, updated_at = now()
         RETURNING ${COLUMNS}`,
        [organizationId, input.issuer, input.clientId, sealed, input.label, input.defaultRoleId, input.requireSso],
      );
      await this.audit.record(tx, actor, 'sso_connection.changed', null, {
        issuer: input.issuer,
        clientId: input.clientId,
        secretChanged: Boolean(input.clientSecret),
        requireSso: input.requireSso,
      });
      return this.model(rows[0]);
    });
  }

  /** Removes the current organization's connection (true when there was one). */
  async delete(actor: Principal): Promise<boolean> {
    const organizationId = organizationOf(actor);
    try {
      return await this.orgDb.transaction(organizationId, async (tx) => {
        // A DELETE answers [rows, count].
        const [, count]: [unknown[], number] = await tx.query(`DELETE FROM sso_connections WHERE organization_id = $1`, [organizationId]);
        if (count > 0) await this.audit.record(tx, actor, 'sso_connection.deleted', null);
        return count > 0;
      });
    } finally {
      this.forgetDefaultRole(organizationId);
    }
  }

  /** This instance forgets an organization's default role at once (the others when the change is announced). */
  private forgetDefaultRole(organizationId: string): void {
    this.defaultsGeneration++;
    this.defaults.delete(organizationId);
  }

  /**
   * Checks an issuer without a secret: its discovery document answers (within 5 seconds) and names the
   * same issuer, with the endpoints sign-in needs, and its signing keys (JWKS) can be fetched.
   */
  async test(issuer: string): Promise<SsoConnectionTest> {
    const fail = (message: string) => ({ ok: false, message });
    // Under the outbound rule: an address that is not public reads as one that cannot be reached. The OIDC_*
    // issuer is the operator's, reached wherever it is (as sign-in reaches it).
    const allowPrivateTargets = this.config.allowPrivateTargets || this.config.sso?.issuer === issuer;
    const get = async (url: string): Promise<Record<string, unknown> | string> => {
      const answer = await getJson(url, {
        allowPrivateTargets,
        timeoutMs: TEST_TIMEOUT_MS,
        maxBytes: TEST_MAX_BYTES,
      });
      if (answer.ok) {
        const body = answer.body;
        return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : 'did not answer JSON';
      }
      switch (answer.kind) {
        case 'status':
          return `answered HTTP ${answer.status}`;
        case 'timeout':
          return 'did not answer within 5 seconds';
        case 'not-json':
          return 'did not answer JSON';
        case 'too-large':
          return 'is larger than 1 MB';
        case 'unreachable':
          return 'cannot be reached at a public https address';
      }
    };
    const discovery = await get(`${issuer}/.well-known/openid-configuration`);
    if (typeof discovery === 'string') return fail(`The discovery document ${discovery}.`);
    if (discovery['issuer'] !== issuer) return fail('The discovery document names another issuer.');
    for (const key of ['authorization_endpoint', 'token_endpoint', 'jwks_uri']) {
      if (typeof discovery[key] !== 'string') return fail(`The discovery document has no ${key}.`);
    }
    const jwksUri = discovery['jwks_uri'] as string;
    try {
      const u = new URL(jwksUri);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') return fail('The signing keys are not at a web address.');
    } catch {
      return fail('The signing keys are not at a web address.');
    }
    const jwks = await get(jwksUri);
    if (typeof jwks === 'string') return fail(`The signing keys ${jwks}.`);
    if (!Array.isArray(jwks['keys']) || jwks['keys'].length === 0) return fail('The provider publishes no signing keys.');
    return { ok: true, message: `The provider answers and publishes ${jwks['keys'].length} signing key(s).` };
  }

  /** An organization's connection with its secret opened, to talk to its provider; null when it has none. */
  async connection(organizationId: string): Promise<SsoConnection | null> {
    const row = await this.row(this.db.manager, organizationId);
    if (!row) return null;
    const env = this.config.sso;
    const clientSecret = row.from_env
      ? (env?.clientSecret ?? null)
      : row.client_secret_sealed
        ? this.box.open(row.client_secret_sealed)
        : null;
    if (clientSecret === null) return null;
    return {
      organizationId: row.organization_id,
      issuer: row.issuer,
      clientId: row.client_id,
      clientSecret,
      label: row.label,
      defaultRoleId: row.default_role_id,
      requireSso: row.require_sso,
      fromEnv: row.from_env,
    };
  }

  /**
   * Whose connection an invitation into this organization is accepted through: the organization's own;
   * without one, the OIDC_* connection when password sign-in is off (there is no other way in); else null
   * (the invitee registers with a password).
   */
  async invitationOrganization(manager: EntityManager, organizationId: string): Promise<string | null> {
    // The OIDC_* connection is the first organization's: seen from an invitation into another one, across organizations.
    const rows: { organization_id: string }[] = await OrgDb.acrossOrganizations(manager, () =>
      manager.query(
        `SELECT organization_id FROM sso_connections WHERE organization_id = $1 OR (from_env AND NOT $2) ORDER BY organization_id = $1 DESC LIMIT 1`,
        [organizationId, this.config.passwordSignIn],
      ),
    );
    return rows[0]?.organization_id ?? null;
  }

  /** The active organization of this slug that has a connection, or null. */
  async organizationBySlug(slug: string): Promise<string | null> {
    const rows: { id: string }[] = await this.db.query(
      `SELECT o.id FROM organizations o JOIN sso_connections c ON c.organization_id = o.id WHERE o.slug = $1 AND o.status = 'ACTIVE'`,
      [slug],
    );
    return rows[0]?.id ?? null;
  }

  /** The organization the OIDC_* connection belongs to (the first one), when SSO is configured by the environment. */
  async envOrganization(): Promise<string | null> {
    const rows: { organization_id: string }[] = await this.db.query(`SELECT organization_id FROM sso_connections WHERE from_env LIMIT 1`);
    return rows[0]?.organization_id ?? null;
  }

  /** Whether the email's domain belongs to this organization. */
  async domainBelongsTo(email: string, organizationId: string): Promise<boolean> {
    const domain = email.split('@').pop()?.toLowerCase() ?? '';
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM organization_domains WHERE domain = $1 AND organization_id = $2`, [
      domain,
      organizationId,
    ]);
    return rows.length > 0;
  }

  /**
   * How an email signs in: SSO when its domain belongs to an active organization with a connection,
   * else PASSWORD. Decided by the domain alone, so the answer tells nothing of who has an account.
   */
  async signInMethod(email: string): Promise<SignInMethodModel> {
    const at = email.lastIndexOf('@');
    const domain =
      at > 0
        ? email
            .slice(at + 1)
            .trim()
            .toLowerCase()
        : '';
    const password = { method: SignInMethodKind.PASSWORD, ssoUrl: null, ssoLabel: null };
    if (!domain || domain.length > 253) return password;
    const rows: { slug: string; label: string }[] = await this.db.query(
      `SELECT o.slug, c.label FROM organization_domains d
         JOIN organizations o ON o.id = d.organization_id AND o.status = 'ACTIVE'
         JOIN sso_connections c ON c.organization_id = d.organization_id
        WHERE d.domain = $1`,
      [domain],
    );
    const found = rows[0];
    if (!found) return password;
    return {
      method: SignInMethodKind.SSO,
      ssoUrl: `${this.config.publicUrl}/auth/sso?organization=${encodeURIComponent(found.slug)}`,
      ssoLabel: found.label,
    };
  }

  /** An organization's email domains, in order. */
  async domains(organizationId: string): Promise<string[]> {
    return (await this.domainsOf([organizationId])).get(organizationId) ?? [];
  }

  /**
   * The domains of an organization, asked by one request for many (the operators' list): the ids asked
   * in the same turn of the event loop by the same request (`scope`, its GraphQL context) are read in
   * one statement. Never shared with another request's.
   */
  domainsInRequest(scope: object, organizationId: string): Promise<string[]> {
    let batch = this.domainBatches.get(scope);
    if (!batch) {
      const ids = new Set<string>();
      const read = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        this.domainBatches.delete(scope);
        return this.domainsOf([...ids]);
      });
      batch = { ids, read };
      this.domainBatches.set(scope, batch);
    }
    batch.ids.add(organizationId);
    return batch.read.then((byOrganization) => byOrganization.get(organizationId) ?? []);
  }

  private async domainsOf(organizationIds: string[]): Promise<Map<string, string[]>> {
    const rows: { organization_id: string; domain: string }[] = await this.db.query(
      `SELECT organization_id, domain FROM organization_domains WHERE organization_id = ANY($1::uuid[]) ORDER BY domain`,
      [organizationIds],
    );
    const byOrganization = new Map<string, string[]>();
    for (const r of rows) byOrganization.set(r.organization_id, [...(byOrganization.get(r.organization_id) ?? []), r.domain]);
    return byOrganization;
  }

  /**
   * Operators give an organization exactly these email domains (lower-cased; DOMAIN_TAKEN, changing
   * nothing, when another organization has one of them).
   */
  async setDomains(actor: Principal, organizationId: string, domains: string[]): Promise<string[]> {
    const wanted = [...new Set(domains.map((d) => d.trim().toLowerCase()))].sort();
    if (domains.length > SSO_DOMAINS_MAX * 4 || wanted.length > SSO_DOMAINS_MAX)
      throw new AppError(ErrorCode.BadUserInput, `At most ${SSO_DOMAINS_MAX} domains.`, { field: 'domains' });
    const bad = wanted.find((d) => !DOMAIN.test(d));
    if (bad !== undefined)
      throw new AppError(ErrorCode.BadUserInput, 'Not a domain name.', { field: 'domains', domain: bad.slice(0, 253) });
    return this.db.transaction(async (tx) => {
      const org = await this.organizations.byId(organizationId, tx);
      if (!org) throw notFound('Organization');
      const taken: { domain: string }[] = await tx.query(
        `SELECT domain FROM organization_domains WHERE domain = ANY($1::text[]) AND organization_id <> $2 ORDER BY domain LIMIT 1`,
        [wanted, organizationId],
      );
      if (taken[0]) throw new AppError(ErrorCode.DomainTaken, 'Another organization already has this domain.', { domain: taken[0].domain });
      const before = await this.domains(organizationId);
      await tx.query(`DELETE FROM organization_domains WHERE organization_id = $1 AND NOT (domain = ANY($2::text[]))`, [
        organizationId,
        wanted,
      ]);
      await tx.query(
        `INSERT INTO organization_domains (domain, organization_id) SELECT unnest($1::text[]), $2 ON CONFLICT (domain) DO NOTHING`,
        [wanted, organizationId],
      );
      // Another organization took one meanwhile: nothing changes.
      const now: { domain: string }[] = await tx.query(
        `SELECT domain FROM organization_domains WHERE domain = ANY($1::text[]) AND organization_id <> $2 LIMIT 1`,
        [wanted, organizationId],
      );
      if (now[0]) throw new AppError(ErrorCode.DomainTaken, 'Another organization already has this domain.', { domain: now[0].domain });
      if (before.join(',') !== wanted.join(',')) {
        await this.audit.record(
          tx,
          actor,
          'organization.domains_changed',
          null,
          { id: organizationId, slug: org.slug, domains: wanted },
          { platform: true },
        );
      }
      this.logger.log(`Domains of ${org.slug}: ${wanted.join(', ') || '(none)'}`);
      return wanted;
    });
  }
}
