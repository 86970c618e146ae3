import { randomUUID } from 'node:crypto';
import { STRONG_PASSWORD, TestApp } from './app';
import { Client } from './client';
import { authenticator } from './totp';
import type { WebhookReceiver } from './webhook-receiver';

/**
 * The two-organization world of the cross-organization suite, on one server and database: organization A
 * (the first one, whose set-up admin is a platform operator) and organization B, each with an Admin, a Manager,
 * a Member and a Viewer (browser sessions), API tokens of the Admin, the Manager and the Member (the Member's
 * capped to Viewer), two teams, an invited person, a deactivated person, a person with two-factor
 * authentication, and the audit events all of this leaves; and a person P who belongs to both (Viewer in A,
 * Admin in B, with an API token of B). Everything of B carries the canary `zz-b-` (organization, names,
 * emails, team and token names, browsers' User-Agent), so that a leak is found by looking for it. B is created by
 * A's operator through createOrganization; P joins B by accepting its invitation while signed in. B has its own
 * single sign-on connection and email domain.
 */

export const CANARY = 'zz-b-';

/** The operations open to anyone (signed in or not): they act in no organization, whatever X-Roster-Organization names. */
export const OPEN_TO_ANYONE: ReadonlySet<string> = new Set([
  'me',
  'invitation',
  'signIn',
  'acceptInvitation',
  'setupFirstAdmin',
  'verifyTwoFactor',
  'authConfig',
  'passwordReset',
  'resetPassword',
  'requestPasswordReset',
  'signInMethod',
]);
export const ORGANIZATION_HEADER = 'x-roster-organization';

/**
 * A client whose every request names an organization (X-Roster-Organization), or none when `organization` is null,
 * sharing another client's cookies (and with `opts`, e.g. an API token as its bearer).
 */
export class OrgClient extends Client {
  constructor(
    base: Client,
    readonly organization: string | null,
    opts: ConstructorParameters<typeof Client>[1] = {},
  ) {
    super(base.baseUrl, opts);
    // The same cookie jar: a cookie the server renews reaches both.
    (this as { cookies: Map<string, string> }).cookies = base.cookies;
  }

  override fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.organization !== null && !headers.has(ORGANIZATION_HEADER)) headers.set(ORGANIZATION_HEADER, this.organization);
    return super.fetch(path, { ...init, headers });
  }
}

export interface Person {
  userId: string;
  email: string;
  /** Signed in (browser session), naming the person's organization in every request; absent for the invited. */
  client?: Client;
}

export interface Token {
  id: string;
  secret: string;
  name: string;
}

export interface OrgSide {
  id: string;
  slug: string;
  name: string;
  roles: Record<string, string>;
  admin: Person;
  manager: Person;
  member: Person;
  viewer: Person;
  invited: Person;
  deactivated: Person;
  twoFactor: Person & { secret: string };
  /** A person the cases may point at in this organization (a Viewer nobody else relies on). */
  target: Person;
  teams: { id: string; name: string }[];
  tokens: { admin: Token; manager: Token; member: Token };
  /** An OpenID Connect client of the organization (its id). */
  oidcClientId: string;
  /** A webhook endpoint of the organization (its id) on the world's loopback receiver, subscribed to team.created; its URL's path carries the prefix. */
  webhookEndpointId: string;
  /** A delivery of that endpoint (a team.created of the organization), DELIVERED to the receiver before the cases: nothing is left to send. */
  webhookDeliveryId: string;
}

const INVITE = `mutation($i: CreateInvitationInput!) { createInvitation(input: $i) { url user { id } } }`;
const ACCEPT = `mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { user { id } } }`;
const CREATE_TOKEN = `mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { secret token { id name } } }`;
const CREATE_TEAM = `mutation($n: String!) { createTeam(input: { name: $n }) { id name } }`;

const tokenOf = (url: string) => new URL(url).searchParams.get('token') as string;

export class TwoOrganizations {
  a!: OrgSide;
  b!: OrgSide;
  /** In both: Viewer in A, Admin in B (one browser session; `clientA`/`clientB` name each organization). */
  p!: { userId: string; email: string; clientA: Client; clientB: Client; tokenB: Token };
  /** A's set-up admin: a platform operator (never a caller of the cases: operators act across organizations). */
  operator!: Client;
  /** B's email domain (its people sign in through its provider). */
  readonly bDomain = `${CANARY}corp.example`;
  /** How P joined B: accepting the invitation while signed in, or by SQL where that is not open yet. */
  pJoinedVia!: 'api' | 'sql';
  private serial = 0;

  /**
   * `hooks`: a receiver on loopback for both organizations' webhook endpoints (each subscribed to
   * team.created, its path the side's prefix); the server must run with ALLOW_PRIVATE_TARGETS=true.
   */
  constructor(
    readonly app: TestApp,
    readonly hooks: WebhookReceiver,
  ) {}

  /**
   * Waits until every delivery of the world's endpoints is DELIVERED (the receiver answers 200), so that the
   * delivery worker moves nothing of either organization afterwards (a fingerprint taken then stays).
   */
  async deliveriesSettled(timeoutMs = 15_000): Promise<void> {
    const ids = [this.a.webhookEndpointId, this.b.webhookEndpointId].filter(Boolean);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows = await this.app.sql<{ status: string; n: number }>(
        `SELECT status, count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = ANY($1::uuid[]) GROUP BY status`,
        [ids],
      );
      if (rows.every((r) => r.status === 'DELIVERED')) return;
      if (Date.now() > deadline) throw new Error(`the world's webhook deliveries did not settle: ${JSON.stringify(rows)}`);
      await new Promise((ok) => setTimeout(ok, 50));
    }
  }

  private client(canary: boolean): Client {
    return this.app.client(canary ? { userAgent: `${CANARY}agent/1.0 (${CANARY}browser)` } : {});
  }

  private async invite(by: Client, roles: Record<string, string>, email: string, roleKey: string, teamIds: string[] = []) {
    const r = await by.ok(INVITE, { i: { email, roleId: roles[roleKey], teamIds } });
    return { token: tokenOf(r.createInvitation.url), userId: r.createInvitation.user.id as string };
  }

  private async accept(token: string, names: [string, string], canary: boolean, slug: string): Promise<Client> {
    const c = this.client(canary);
    await c.ok(ACCEPT, {
      i: { token, firstName: names[0], lastName: names[1], password: STRONG_PASSWORD, passwordConfirmation: STRONG_PASSWORD },
    });
    return new OrgClient(c, slug);
  }

  private async register(
    by: Client,
    side: Pick<OrgSide, 'roles' | 'slug'>,
    email: string,
    roleKey: string,
    names: [string, string],
    canary: boolean,
    teamIds: string[] = [],
  ): Promise<Person> {
    const inv = await this.invite(by, side.roles, email, roleKey, teamIds);
    return { userId: inv.userId, email, client: await this.accept(inv.token, names, canary, side.slug) };
  }

  private async rolesOf(organizationId: string): Promise<Record<string, string>> {
    const rows = await this.app.sql<{ key: string; id: string }>(`SELECT key, id FROM roles WHERE organization_id = $1`, [organizationId]);
    return Object.fromEntries(rows.map((r) => [r.key, r.id]));
  }

  private async token(c: Client, name: string, roleId?: string): Promise<Token> {
    const r = await c.ok(CREATE_TOKEN, { i: roleId ? { name, roleId } : { name } });
    return { id: r.createApiToken.token.id, secret: r.createApiToken.secret, name };
  }

  private async enableTwoFactor(c: Client): Promise<string> {
    const setup = await c.ok(`mutation { startTwoFactorSetup { secret } }`);
    const secret: string = setup.startTwoFactorSetup.secret;
    await c.ok(`mutation($i: TwoFactorCodeInput!) { completeTwoFactorSetup(input: $i) { recoveryCodes } }`, {
      i: { code: authenticator(secret) },
    });
    return secret;
  }

  /** Organization B, through the operators' createOrganization: its first admin's invitation token. */
  private async createB(): Promise<{ id: string; slug: string; name: string; adminToken: string }> {
    const name = `${CANARY}Organization`;
    const r = await this.operator.ok(
      `mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id slug } invitation { url } } }`,
      { i: { name, slug: `${CANARY}org`, firstAdminEmail: `${CANARY}admin@example.com` } },
    );
    const org = r.createOrganization.organization;
    return { id: org.id, slug: org.slug, name, adminToken: tokenOf(r.createOrganization.invitation.url) };
  }

  /** One organization's people, teams and tokens, built by its Admin (`prefix` in every email, `canary` for B). */
  private async populate(side: OrgSide, prefix: string, canary: boolean): Promise<void> {
    const admin = side.admin.client as Client;
    const n = (s: string): [string, string] => [`${prefix}${s}`, `${prefix}${s}-Last`];
    const mail = (s: string) => `${prefix}${s}@example.com`;
    for (const t of ['team-one', 'team-two']) side.teams.push((await admin.ok(CREATE_TEAM, { n: `${prefix}${t}` })).createTeam);
    const teamIds = side.teams.map((t) => t.id);
    side.manager = await this.register(admin, side, mail('manager'), 'MANAGER', n('Manager'), canary, [teamIds[0]]);
    side.member = await this.register(admin, side, mail('member'), 'MEMBER', n('Member'), canary, teamIds);
    side.viewer = await this.register(admin, side, mail('viewer'), 'VIEWER', n('Viewer'), canary, [teamIds[1]]);
    side.target = await this.register(admin, side, mail('target'), 'VIEWER', n('Target'), canary, [teamIds[0]]);
    const tf = await this.register(admin, side, mail('two-factor'), 'MEMBER', n('TwoFactor'), canary);
    side.twoFactor = { ...tf, secret: await this.enableTwoFactor(tf.client as Client) };
    side.deactivated = await this.register(admin, side, mail('deactivated'), 'MEMBER', n('Deactivated'), canary, [teamIds[1]]);
    await admin.ok(`mutation($id: ID!) { deactivateUser(id: $id) { id } }`, { id: side.deactivated.userId });
    const inv = await this.invite(admin, side.roles, mail('invited'), 'VIEWER', [teamIds[0]]);
    side.invited = { userId: inv.userId, email: mail('invited') };
    side.tokens = {
      admin: await this.token(admin, `${prefix}admin-token`),
      manager: await this.token(side.manager.client as Client, `${prefix}manager-token`),
      member: await this.token(side.member.client as Client, `${prefix}member-token`, side.roles['VIEWER']),
    };
    side.oidcClientId = (
      await admin.ok(`mutation($i: CreateOidcClientInput!) { createOidcClient(input: $i) { client { id } } }`, {
        i: { name: `${prefix}client`, redirectUris: [`https://${prefix}app.example/cb`], public: false, firstParty: true },
      })
    ).createOidcClient.client.id;
    // On the world's receiver on loopback (the server runs with ALLOW_PRIVATE_TARGETS=true).
    side.webhookEndpointId = (
      await admin.ok(`mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { endpoint { id } } }`, {
        i: { url: this.hooks.url(`/${prefix}hooks`), eventTypes: ['team.created'], description: `${prefix}hooks` },
      })
    ).createWebhookEndpoint.endpoint.id;
    // A team the endpoint hears of: its delivery, delivered to the receiver (see deliveriesSettled).
    await admin.ok(CREATE_TEAM, { n: `${prefix}team-hooked` });
    [{ id: side.webhookDeliveryId }] = await this.app.sql<{ id: string }>(`SELECT id FROM webhook_deliveries WHERE endpoint_id = $1`, [
      side.webhookEndpointId,
    ]);
    // A few more audit events: a rename, an edit, a password reset link, a revoked session.
    await admin.ok(`mutation($id: ID!, $n: String!) { renameTeam(id: $id, input: { name: $n }) { id } }`, {
      id: teamIds[1],
      n: `${prefix}team-two-renamed`,
    });
    side.teams[1].name = `${prefix}team-two-renamed`;
    await admin.ok(`mutation($i: UpdateUserInput!) { updateUser(input: $i) { id } }`, {
      i: { id: side.viewer.userId, firstName: `${prefix}Viewer-Edited` },
    });
    await admin.ok(`mutation($u: ID!) { createPasswordReset(userId: $u) { url } }`, { u: side.member.userId });
    // A second session of the Viewer (a session nobody uses afterwards), for the session ids.
    const second = this.client(canary);
    await second.ok(`mutation($i: SignInInput!) { signIn(input: $i) { twoFactorRequired } }`, {
      i: { email: side.viewer.email, password: STRONG_PASSWORD },
    });
  }

  private emptySide(id: string, slug: string, name: string, roles: Record<string, string>): OrgSide {
    const none: Person = { userId: '', email: '' };
    return {
      id,
      slug,
      name,
      roles,
      admin: none,
      manager: none,
      member: none,
      viewer: none,
      invited: none,
      deactivated: none,
      twoFactor: { ...none, secret: '' },
      target: none,
      teams: [],
      tokens: {} as OrgSide['tokens'],
      oidcClientId: '',
      webhookEndpointId: '',
      webhookDeliveryId: '',
    };
  }

  async build(): Promise<void> {
    const { app } = this;
    const [aRow] = await app.sql<{ id: string; slug: string; name: string }>(
      `SELECT id, slug, name FROM organizations ORDER BY created_at, id LIMIT 1`,
    );
    this.operator = new OrgClient(app.admin, aRow.slug);
    this.a = this.emptySide(aRow.id, aRow.slug, aRow.name, await this.rolesOf(aRow.id));
    // A's Admin: a registered Admin, not the operator (the cases' callers act only inside their organization).
    this.a.admin = await this.register(this.operator, this.a, 'a-admin@example.com', 'ADMIN', ['Alice', 'Admin'], false);

    const created = await this.createB();
    const bRoles = await this.rolesOf(created.id);
    this.b = this.emptySide(created.id, created.slug, created.name, bRoles);
    this.b.admin = {
      userId: '',
      email: `${CANARY}admin@example.com`,
      client: await this.accept(created.adminToken, [`${CANARY}Admin`, `${CANARY}Admin-Last`], true, created.slug),
    };
    this.b.admin.userId = (await (this.b.admin.client as Client).ok(`{ me { user { id } } }`)).me.user.id;

    await this.populate(this.a, 'a-', false);
    await this.populate(this.b, CANARY, true);

    // P: registered in A (Viewer), invited to B as Admin, accepting signed in (acceptInvitation with the token alone).
    // Where that is not open yet, the membership is made active by SQL as the acceptance would (its invitation consumed).
    const pEmail = 'pat-both@example.com';
    const p = await this.register(this.operator, this.a, pEmail, 'VIEWER', ['Pat', 'Both'], false, [this.a.teams[0].id]);
    const invitation = await this.invite(this.b.admin.client as Client, this.b.roles, pEmail, 'ADMIN', [this.b.teams[0].id]);
    const base = p.client as OrgClient;
    const accepted = await new OrgClient(base, null).gql(
      `mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { user { id } } }`,
      {
        i: { token: invitation.token },
      },
    );
    this.pJoinedVia = accepted.errors?.length ? 'sql' : 'api';
    if (this.pJoinedVia === 'sql') {
      await app.sql(`UPDATE memberships SET status = 'ACTIVE', last_sign_in_at = now() WHERE organization_id = $1 AND user_id = $2`, [
        this.b.id,
        p.userId,
      ]);
      await app.sql(`DELETE FROM invitations WHERE organization_id = $1 AND user_id = $2`, [this.b.id, p.userId]);
    }
    const clientB = new OrgClient(base, this.b.slug);
    // The membership changed behind the server's back: wait until its change notice lets P act in B.
    const deadline = Date.now() + 5_000;
    for (;;) {
      const r = await clientB.gql(`{ me { organization { id } } }`);
      if (r.data?.me?.organization?.id === this.b.id) break;
      if (Date.now() > deadline) throw new Error(`P cannot act in B: ${JSON.stringify(r.errors ?? r.data)}`);
      await new Promise((ok) => setTimeout(ok, 100));
    }
    this.p = { userId: p.userId, email: pEmail, clientA: base, clientB, tokenB: await this.token(clientB, `${CANARY}pat-token`) };
    // B's admin acts once more after P joined (an audit event naming P in B).
    await (this.b.admin.client as Client).ok(`mutation($i: UpdateUserInput!) { updateUser(input: $i) { id } }`, {
      i: { id: p.userId, teamIds: this.b.teams.map((t) => t.id) },
    });
    // Last (its invitations would go through the provider from now on): B's single sign-on connection, and its email domain.
    await (this.b.admin.client as Client).ok(`mutation($i: SetSsoConnectionInput!) { setSsoConnection(input: $i) { __typename } }`, {
      i: {
        issuer: `https://${CANARY}idp.example/`,
        clientId: `${CANARY}client`,
        clientSecret: `${CANARY}client-secret`,
        label: `${CANARY}SSO`,
        defaultRoleId: this.b.roles['VIEWER'],
        requireSso: false,
      },
    });
    await this.operator.ok(`mutation($id: ID!, $d: [String!]!) { setOrganizationDomains(id: $id, domains: $d) }`, {
      id: this.b.id,
      d: [this.bDomain],
    });
    await this.deliveriesSettled();
  }

  /** The people of B who belong nowhere else (P belongs to A too). */
  bOnlyPeople(): Person[] {
    const b = this.b;
    return [b.admin, b.manager, b.member, b.viewer, b.target, b.invited, b.deactivated, b.twoFactor];
  }

  /** A fresh, unused email (the "random" counterpart of an email of B). */
  freshEmail(): string {
    return `nobody-${++this.serial}-${randomUUID().slice(0, 8)}@example.com`;
  }
}

/**
 * The fingerprint of one organization's rows: every table with `organization_id` restricted to it, the
 * organization's own row, and the person tables (users, sessions, two-factor secrets, recovery codes, password
 * resets) restricted to `people` — without the columns any request moves (a session's last_seen_at, a token's
 * last_used_at). One md5 per table (or, with `rows`, the rows themselves as JSON texts, to show what changed).
 */
export async function organizationFingerprintSql(app: TestApp, mode: 'md5' | 'rows' = 'md5'): Promise<string> {
  const cols = await app.sql<{ table_name: string; column_name: string }>(
    `SELECT c.table_name, c.column_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
      WHERE c.table_schema = 'public'`,
  );
  const columns = new Map<string, Set<string>>();
  for (const c of cols) columns.set(c.table_name, (columns.get(c.table_name) ?? new Set()).add(c.column_name));
  const dropColumns: Record<string, string[]> = { sessions: ['last_seen_at'], api_tokens: ['last_used_at'] };
  // Person tables: what is the person's, wherever they act; outgoing mail is the sender organization's.
  const personTables: Record<string, string> = {
    users: 'id',
    sessions: 'user_id',
    totp_secrets: 'user_id',
    recovery_codes: 'user_id',
    password_resets: 'user_id',
  };
  const parts: string[] = [];
  for (const [table, set] of [...columns].sort(([x], [y]) => x.localeCompare(y))) {
    let where: string | null = null;
    if (table === 'organizations') where = `t.id = $1`;
    else if (set.has('organization_id')) where = `t.organization_id = $1`;
    else if (personTables[table] && set.has(personTables[table])) where = `t.${personTables[table]} = ANY($2::uuid[])`;
    if (!where) continue;
    const row = `(to_jsonb(t)${(dropColumns[table] ?? []).map((c) => ` - '${c}'`).join('')})::text`;
    const agg =
      mode === 'md5' ? `md5(coalesce(string_agg(${row}, '|' ORDER BY ${row}), ''))` : `coalesce(json_agg(${row} ORDER BY ${row}), '[]')`;
    parts.push(`(SELECT ${agg} FROM "${table}" t WHERE ${where}) AS "${table}"`);
  }
  return `SELECT ${parts.join(',\n')}`;
}

// ---------------------------------------------------------------------------------------------
// A second organization for the suites that are not about isolation itself (authorization matrix,
// hostile input, reliability, faults): made by the operator, its people signed in naming it.

export type RoleKey = 'ADMIN' | 'MANAGER' | 'MEMBER' | 'VIEWER';

/** An organization made by the operator through createOrganization: its Admin and a person of each other role. */
export interface OrganizationOf {
  id: string;
  slug: string;
  name: string;
  roles: Record<string, string>;
  /** Its people by role (ADMIN: the first admin, who accepted the operator's invitation); clients name the organization. */
  people: Record<RoleKey, { userId: string; email: string; client: OrgClient }>;
  /** Invites `email` to this organization as `roleKey`, by its Admin (or `by`): the invitation's token and the person's id. */
  invite(email: string, roleKey: string, teamIds?: string[], by?: Client): Promise<{ token: string; userId: string }>;
  /** Registers a new person into this organization (invitation, then registration); their client names it. */
  register(email: string, roleKey: string, teamIds?: string[]): Promise<{ userId: string; client: OrgClient }>;
}

/** The first organization (the set-up one): id, slug and name. */
export async function firstOrganization(app: TestApp): Promise<{ id: string; slug: string; name: string }> {
  const [row] = await app.sql<{ id: string; slug: string; name: string }>(
    `SELECT id, slug, name FROM organizations ORDER BY created_at, id LIMIT 1`,
  );
  return row;
}

/** Polls `me` until the client acts in the organization (a membership changed behind a cache: its notice comes within a second). */
export async function untilActsIn(client: Client, organizationId: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const r = await client.gql(`{ me { organization { id } } }`);
    if (r.data?.me?.organization?.id === organizationId) return;
    if (Date.now() > deadline) throw new Error(`cannot act in ${organizationId}: ${JSON.stringify(r.errors ?? r.data)}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

/**
 * An existing person, signed in (`client`), accepts an invitation with its token alone and joins that organization;
 * returns a client naming it (sharing the person's cookies), once it acts there.
 */
export async function joinSignedIn(client: Client, token: string, organization: { id: string; slug: string }): Promise<OrgClient> {
  await new OrgClient(client, null).ok(ACCEPT, { i: { token } });
  const named = new OrgClient(client, organization.slug);
  await untilActsIn(named, organization.id);
  return named;
}

/**
 * A new organization made by `operator` (createOrganization), its first admin registered through the invitation, and
 * a Manager, a Member and a Viewer invited by that admin; every email starts with `prefix`.
 */
export async function createOrganizationWithPeople(
  app: TestApp,
  operator: Client,
  options: { slug: string; name?: string; prefix: string },
): Promise<OrganizationOf> {
  const { slug, prefix } = options;
  const name = options.name ?? slug;
  const made = await operator.ok(
    `mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id slug } invitation { url } } }`,
    { i: { name, slug, firstAdminEmail: `${prefix}admin@example.com` } },
  );
  const id: string = made.createOrganization.organization.id;
  const roles = Object.fromEntries(
    (await app.sql<{ key: string; id: string }>(`SELECT key, id FROM roles WHERE organization_id = $1`, [id])).map((r) => [r.key, r.id]),
  );
  const registerWith = async (token: string, label: string): Promise<OrgClient> => {
    const c = app.client();
    await c.ok(ACCEPT, {
      i: { token, firstName: `${prefix}${label}`, lastName: 'Test', password: STRONG_PASSWORD, passwordConfirmation: STRONG_PASSWORD },
    });
    return new OrgClient(c, slug);
  };
  const adminClient = await registerWith(tokenOf(made.createOrganization.invitation.url), 'Admin');
  const adminId: string = (await adminClient.ok(`{ me { user { id } } }`)).me.user.id;
  const org: OrganizationOf = {
    id,
    slug,
    name,
    roles,
    people: { ADMIN: { userId: adminId, email: `${prefix}admin@example.com`, client: adminClient } } as OrganizationOf['people'],
    async invite(email, roleKey, teamIds = [], by = adminClient) {
      const r = await by.ok(INVITE, { i: { email, roleId: roles[roleKey], teamIds } });
      return { token: tokenOf(r.createInvitation.url), userId: r.createInvitation.user.id };
    },
    async register(email, roleKey, teamIds = []) {
      const inv = await org.invite(email, roleKey, teamIds);
      return { userId: inv.userId, client: await registerWith(inv.token, roleKey) };
    },
  };
  for (const role of ['MANAGER', 'MEMBER', 'VIEWER'] as const) {
    const email = `${prefix}${role.toLowerCase()}@example.com`;
    org.people[role] = { email, ...(await org.register(email, role)) };
  }
  return org;
}
