import { GraphQLSchema } from 'graphql';
import { STRONG_PASSWORD, TestApp } from '../app';
import { Client } from '../client';
import { createOrganizationWithPeople, firstOrganization, ORGANIZATION_HEADER, OrganizationOf } from '../organizations';
import { buildCall } from '../schema-cases';
import { authenticator } from '../totp';
import { B_CALLERS, Case, Pools, resolve, Who } from './cases';
import { SORT_FIELDS } from './generators';
import { Body, describeCursors, Observed, observe, show, Verdict } from './verdict';

export const ADMIN_EMAIL = 'admin@example.com';

const SIGN_IN = `mutation($i: SignInInput!) { signIn(input: $i) { twoFactorRequired challengeToken } }`;

/** A case as sent: what it targets, the request shown for people, and the answer. */
export interface Sent {
  /** The operation (`query users`, `mutation createTeam`) or the HTTP case's label. */
  target: string;
  request: string;
  observed: Observed;
  /** A GraphQL call (its answer must be JSON). */
  graphql: boolean;
  /** The GraphQL arguments once resolved against live data. */
  args: Record<string, unknown>;
  /** X-Roster-Organization as sent (B's slug for B's callers unless the case names something else). */
  organizationHeader?: string;
  /** The header names no organization the caller may act in (a token: not its own; a person: none of their active ones). */
  foreignHeader: boolean;
}

/** What the cases' references resolve to, for the callers of each organization. */
export type OrganizationPools = Record<'A' | 'B', Pools>;

const CREATE_TEAM = `mutation($n: String!) { createTeam(input: { name: $n }) { id } }`;
const CREATE_TOKEN = `mutation($n: String!) { createApiToken(input: { name: $n }) { secret token { id } } }`;

/**
 * The hostile-input suite's world on one server and database: the callers (the signed-in admin, anonymous, a Viewer, an
 * admin API token; and organization B's Admin, Viewer and admin API token, naming B), the data the cases point at (users,
 * invitations, teams, a two-factor user, single-use secrets, cursors, organizations, each organization's own), put back
 * after a case that changed it, and the data's fingerprint (every row, both organizations') that a refused request must
 * leave as it was.
 */
export class HostileWorld {
  readonly clients = {} as Record<Who, Client>;
  private adminPassword = STRONG_PASSWORD;
  private bearerTokenId = '';
  private bearerSecret = '';
  /** Organization A (the set-up one, where A's callers act without naming it) and B (made by the operator). */
  a!: { id: string; slug: string };
  b!: OrganizationOf;
  private adminBPassword = STRONG_PASSWORD;
  private bearerBTokenId = '';
  private bearerBSecret = '';
  /** The people behind the cookie callers (whose memberships say where a header may take them). */
  private readonly userIds = {} as Partial<Record<Who, string>>;
  private mfa: { client: Client; userId: string; secret: string; email: string };
  private serial = 0;
  private readonly invitationTokens: string[] = [];
  private readonly challengeTokens: string[] = [];
  private readonly cursors: string[] = [];
  /** One md5 per table (`fp_<table>`) over every row, without the columns that move on any request. */
  fingerprintSql = '';
  private poolSql = '';

  constructor(
    readonly app: TestApp,
    private readonly schema: GraphQLSchema,
  ) {}

  private async signIn(client: Client, email: string, password: string) {
    return client.ok(SIGN_IN, { i: { email, password } });
  }

  private async newBearer(): Promise<void> {
    const r = await this.app.admin.ok(
      `mutation { createApiToken(input: { name: "hostile-input ${++this.serial}" }) { secret token { id } } }`,
    );
    this.bearerTokenId = r.createApiToken.token.id;
    this.bearerSecret = r.createApiToken.secret;
    this.clients.bearer = this.app.client({ bearer: this.bearerSecret });
  }

  private async newViewer(): Promise<void> {
    const r = await this.app.register(`viewer-${++this.serial}@example.com`, 'VIEWER');
    this.clients.viewer = r.client;
    this.userIds.viewer = r.userId;
  }

  private async newBearerB(): Promise<void> {
    const r = await this.b.people.ADMIN.client.ok(CREATE_TOKEN, { n: `hostile-input B ${++this.serial}` });
    this.bearerBTokenId = r.createApiToken.token.id;
    this.bearerBSecret = r.createApiToken.secret;
    this.clients.bearerB = this.app.client({ bearer: this.bearerBSecret });
  }

  private async newViewerB(): Promise<void> {
    const r = await this.b.register(`b-viewer-${++this.serial}@example.com`, 'VIEWER');
    this.clients.viewerB = r.client;
    this.userIds.viewerB = r.userId;
  }

  /** Turns two-factor authentication on for the 2FA user (not always possible: the cases may have spent its attempts). */
  private async enableMfa(): Promise<void> {
    const setup = await this.mfa.client.gql(`mutation { startTwoFactorSetup { secret } }`);
    const secret: unknown = setup.data?.startTwoFactorSetup?.secret;
    if (typeof secret !== 'string') return;
    const done = await this.mfa.client.gql(`mutation($i: TwoFactorCodeInput!) { completeTwoFactorSetup(input: $i) { recoveryCodes } }`, {
      i: { code: authenticator(secret) },
    });
    if (done.data?.completeTwoFactorSetup) this.mfa.secret = secret;
  }

  private async newMfaUser(): Promise<void> {
    const email = `mfa-${++this.serial}@example.com`;
    const r = await this.app.register(email, 'MEMBER');
    this.mfa = { client: r.client, userId: r.userId, secret: '', email };
    // A device cookie for later sign-ins (refused once the cases exhausted the address's limit: then the session from registering is kept).
    await this.mfa.client.gql(SIGN_IN, { i: { email, password: STRONG_PASSWORD } });
    await this.enableMfa();
  }

  /** Invitations of A's (or B's) admin, with one of that organization's teams. */
  private async invite(n: number, org: 'A' | 'B' = 'A'): Promise<void> {
    const orgId = org === 'A' ? this.a.id : this.b.id;
    const teams = await this.app.sql<{ id: string }>(`SELECT id FROM teams WHERE organization_id = $1 ORDER BY random() LIMIT 1`, [orgId]);
    for (let i = 0; i < n; i++) {
      const email = `${org === 'A' ? '' : 'b-'}fodder-${++this.serial}@example.com`;
      const role = i % 2 ? 'MEMBER' : 'VIEWER';
      const teamIds = teams.map((t) => t.id);
      const inv = org === 'A' ? await this.app.invite(email, role, teamIds) : await this.b.invite(email, role, teamIds);
      this.invitationTokens.push(inv.token);
    }
  }

  /** The callers and the data the cases start from. */
  async populate(): Promise<void> {
    const { app } = this;
    // A device cookie for the admin's client: later sign-ins count on it alone (not the address, which the cases exhaust).
    await this.signIn(app.admin, ADMIN_EMAIL, this.adminPassword);
    this.clients.admin = app.admin;
    this.userIds.admin = app.adminId;
    this.clients.anonymous = app.client();
    this.a = await firstOrganization(app);
    await this.newViewer();
    await app.register('member@example.com', 'MEMBER');
    await app.register('manager@example.com', 'MANAGER');
    for (const name of ['Alpha', 'Ünïcödé 😀', '100% _off\\'])
      await app.admin.ok(`mutation($n: String!) { createTeam(input: { name: $n }) { id } }`, { n: name });
    await this.newMfaUser();
    await this.invite(4);
    await this.newBearer();
    for (const sortBy of SORT_FIELDS) {
      const r = await app.admin.ok(`query($s: UserSortField!) { users(first: 3, sortBy: $s) { pageInfo { startCursor endCursor } } }`, {
        s: sortBy,
      });
      this.cursors.push(r.users.pageInfo.startCursor, r.users.pageInfo.endCursor);
    }
    // B: made by the operator, its Admin (signed in again from its own device, as the admin's) and Viewer naming it, an
    // admin token of B, two teams and invitations.
    this.b = await createOrganizationWithPeople(app, app.admin, { slug: 'hostile-b', name: 'Hostile B', prefix: 'b-' });
    await this.signIn(this.b.people.ADMIN.client, this.b.people.ADMIN.email, this.adminBPassword);
    this.clients.adminB = this.b.people.ADMIN.client;
    this.userIds.adminB = this.b.people.ADMIN.userId;
    this.clients.viewerB = this.b.people.VIEWER.client;
    this.userIds.viewerB = this.b.people.VIEWER.userId;
    for (const name of ['Bêta', '100% B_\\']) await this.clients.adminB.ok(CREATE_TEAM, { n: name });
    await this.newBearerB();
    await this.invite(3, 'B');
    // Webhooks from the start: an endpoint of each organization hearing of its teams, and a delivery of each (a team it heard of).
    for (const [admin, label] of [
      [app.admin, 'a'],
      [this.clients.adminB, 'zz-b'],
    ] as const) {
      await admin.ok(`mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { secret } }`, {
        i: { url: `https://1.1.1.1/${label}-hooks-${++this.serial}`, eventTypes: ['team.created'] },
      });
      await admin.ok(CREATE_TEAM, { n: `${label} hooked team` });
    }
  }

  /** The fingerprint: every table but rate_limits and mfa_challenges, without the columns that move on any request. */
  async prepareFingerprint(): Promise<void> {
    const tables = await this.app.sql<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const dropColumns: Record<string, string[]> = { sessions: ['last_seen_at'], api_tokens: ['last_used_at'] };
    const skip = new Set(['rate_limits', 'mfa_challenges']);
    this.fingerprintSql = tables
      .filter((t) => !skip.has(t.table_name))
      .map(({ table_name: t }) => {
        const row = `(to_jsonb(t)${(dropColumns[t] ?? []).map((c) => ` - '${c}'`).join('')})::text`;
        return `(SELECT md5(coalesce(string_agg(${row}, '|' ORDER BY ${row}), '')) FROM "${t}" t) AS "fp_${t}"`;
      })
      .join(',\n');
    // Each organization's own (A's: $2, B's: $3), and the organizations.
    const own = (o: string, x: string) => `
      (SELECT json_agg(u.id ORDER BY u.created_at, u.id) FROM users u JOIN memberships m ON m.user_id = u.id AND m.organization_id = ${o}) AS ${x}_user,
      (SELECT json_agg(u.id ORDER BY u.created_at, u.id) FROM users u JOIN memberships m ON m.user_id = u.id AND m.organization_id = ${o}
        WHERE m.status = 'INVITED') AS ${x}_invited,
      (SELECT json_agg(id ORDER BY rank) FROM roles WHERE organization_id = ${o}) AS ${x}_role,
      (SELECT json_agg(id ORDER BY created_at, id) FROM teams WHERE organization_id = ${o}) AS ${x}_team,
      (SELECT json_agg(id ORDER BY created_at, id) FROM api_tokens WHERE organization_id = ${o}) AS ${x}_api_token,
      (SELECT json_agg(id ORDER BY created_at, id) FROM webhook_endpoints WHERE organization_id = ${o}) AS ${x}_webhook_endpoint,
      (SELECT json_agg(id) FROM (SELECT id FROM webhook_deliveries WHERE organization_id = ${o} ORDER BY created_at DESC, id DESC LIMIT 30) d)
        AS ${x}_webhook_delivery,
      (SELECT json_agg(id::text) FROM (SELECT id FROM audit_events WHERE organization_id = ${o} ORDER BY id DESC LIMIT 30) a) AS ${x}_audit,
      (SELECT json_agg(u.email ORDER BY u.created_at) FROM users u JOIN memberships m ON m.user_id = u.id AND m.organization_id = ${o}
        WHERE u.email <> $1) AS ${x}_email`;
    this.poolSql = `${own('$2', 'pa')}, ${own('$3', 'pb')},
      (SELECT json_agg(id ORDER BY created_at, id) FROM organizations WHERE id <> $2) AS po_organization,
      (SELECT json_agg(slug ORDER BY id = $2 DESC, id = $3 DESC, created_at, id) FROM organizations WHERE slug IS NOT NULL) AS po_slug,
      (SELECT json_agg(slug ORDER BY created_at, id) FROM organizations WHERE slug IS NOT NULL AND id <> $2 AND id <> $3) AS po_spare_slug`;
  }

  /** After a request that succeeded: put back what the suite relies on (signed-in admin, a Viewer, a token, fodder). */
  async maintain(): Promise<void> {
    const { app } = this;
    const me = await app.admin.gql(`{ me { user { id } } }`);
    if (!me.data?.me) {
      const r = await app.admin.gql(SIGN_IN, { i: { email: ADMIN_EMAIL, password: this.adminPassword } });
      if (r.errors?.length) throw new Error(`The admin could not sign in again: ${show(r.errors)}`);
    }
    const v = await this.clients.viewer.gql(`{ me { user { role { key } } } }`);
    if (v.data?.me?.user?.role?.key !== 'VIEWER') await this.newViewer();
    await this.maintainB();
    const [st] = await app.sql<{ invited: number; teams: number; bearer: number; mfa_exists: number; mfa_on: boolean | null }>(
      `SELECT (SELECT count(*) FROM memberships WHERE organization_id = $3 AND status = 'INVITED')::int AS invited,
              (SELECT count(*) FROM teams WHERE organization_id = $3)::int AS teams,
              (SELECT count(*) FROM api_tokens WHERE id = $1)::int AS bearer, (SELECT count(*) FROM users WHERE id = $2)::int AS mfa_exists,
              (SELECT EXISTS (SELECT 1 FROM totp_secrets t WHERE t.user_id = u.id AND t.enabled_at IS NOT NULL) FROM users u WHERE u.id = $2) AS mfa_on`,
      [this.bearerTokenId, this.mfa.userId, this.a.id],
    );
    if (st.teams < 3) for (let i = st.teams; i < 3; i++) await app.admin.ok(CREATE_TEAM, { n: `Fodder team ${++this.serial}` });
    if (st.invited < 3) await this.invite(3 - st.invited);
    if (!st.bearer) await this.newBearer();
    if (!st.mfa_exists) await this.newMfaUser();
    else if (!st.mfa_on) {
      const m = await this.mfa.client.gql(`{ me { user { id } } }`);
      if (!m.data?.me) await this.mfa.client.gql(SIGN_IN, { i: { email: this.mfa.email, password: STRONG_PASSWORD } });
      if ((await this.mfa.client.gql(`{ me { user { id } } }`)).data?.me) await this.enableMfa();
    }
  }

  /**
   * B as the cases need it: active (the operator may have suspended it), its Admin signed in, a Viewer, its admin's token,
   * two teams and two invitations.
   */
  private async maintainB(): Promise<void> {
    const { app, b } = this;
    const [org] = await app.sql<{ status: string }>(`SELECT status FROM organizations WHERE id = $1`, [b.id]);
    if (org.status !== 'ACTIVE') {
      const r = await app.admin.gql(`mutation($id: ID!) { reactivateOrganization(id: $id) { id } }`, { id: b.id });
      // The operator may have stopped being one: then behind the server's back (its change notice follows).
      if (r.errors?.length) await app.sql(`UPDATE organizations SET status = 'ACTIVE' WHERE id = $1`, [b.id]);
    }
    const adminB = this.clients.adminB;
    for (const deadline = Date.now() + 5_000; ;) {
      const me = await adminB.gql(`{ me { organization { id } } }`);
      if (me.data?.me?.organization?.id === b.id) break;
      if (!me.errors?.length && !me.data?.me) {
        const r = await adminB.gql(SIGN_IN, { i: { email: b.people.ADMIN.email, password: this.adminBPassword } });
        if (r.errors?.length) throw new Error(`B's admin could not sign in again: ${show(r.errors)}`);
      } else if (Date.now() > deadline) throw new Error(`B's admin cannot act in B: ${show(me.errors ?? me.data)}`);
      else await new Promise((ok) => setTimeout(ok, 100));
    }
    const v = await this.clients.viewerB.gql(`{ me { user { role { key } } } }`);
    if (v.data?.me?.user?.role?.key !== 'VIEWER') await this.newViewerB();
    const [st] = await app.sql<{ invited: number; teams: number; bearer: number }>(
      `SELECT (SELECT count(*) FROM memberships WHERE organization_id = $1 AND status = 'INVITED')::int AS invited,
              (SELECT count(*) FROM teams WHERE organization_id = $1)::int AS teams,
              (SELECT count(*) FROM api_tokens WHERE id = $2)::int AS bearer`,
      [b.id, this.bearerBTokenId],
    );
    for (let i = st.teams; i < 2; i++) await adminB.ok(CREATE_TEAM, { n: `B fodder team ${++this.serial}` });
    if (st.invited < 2) await this.invite(2 - st.invited, 'B');
    if (!st.bearer) await this.newBearerB();
    const [hooks] = await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_endpoints WHERE organization_id = $1`, [b.id]);
    if (!hooks.n) {
      await adminB.ok(`mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { secret } }`, {
        i: { url: `https://1.1.1.1/zz-b-hooks-${++this.serial}`, eventTypes: ['team.created'] },
      });
    }
    // And a delivery of it (a team it hears of): B keeps one to name.
    const [deliveries] = await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE organization_id = $1`, [
      b.id,
    ]);
    if (!deliveries.n) await adminB.ok(CREATE_TEAM, { n: `B hooked team ${++this.serial}` });
  }

  /** Every 150 cases: a fresh sign-in challenge for the two-factor user (signed in from its own device). */
  async replenish(): Promise<void> {
    const r = await this.mfa.client.gql(SIGN_IN, { i: { email: this.mfa.email, password: STRONG_PASSWORD } });
    if (typeof r.data?.signIn?.challengeToken === 'string') this.challengeTokens.push(r.data.signIn.challengeToken);
  }

  /** What the cases' references resolve to now, for each organization's callers, and the data's fingerprint before the case. */
  async pools(): Promise<{ pools: OrganizationPools; fingerprint: Record<string, string> }> {
    const [row] = await this.app.sql<Record<string, unknown>>(`SELECT ${this.fingerprintSql}, ${this.poolSql}`, [
      ADMIN_EMAIL,
      this.a.id,
      this.b.id,
    ]);
    const fingerprint: Record<string, string> = {};
    for (const [k, v] of Object.entries(row)) if (k.startsWith('fp_')) fingerprint[k.slice(3)] = String(v);
    const list = (k: string) => (row[k] as string[] | null) ?? [];
    const of = (x: string): Pools => ({
      user: list(`${x}_user`),
      invited: list(`${x}_invited`),
      role: list(`${x}_role`),
      team: list(`${x}_team`),
      apiToken: list(`${x}_api_token`),
      audit: list(`${x}_audit`),
      email: list(`${x}_email`),
      invitationToken: this.invitationTokens.slice(-30),
      challengeToken: this.challengeTokens.slice(-30),
      totp: this.mfa.secret ? [authenticator(this.mfa.secret)] : [],
      cursor: this.cursors.slice(-60),
      organization: list('po_organization'),
      slug: list('po_slug'),
      spareSlug: list('po_spare_slug'),
      webhookEndpoint: list(`${x}_webhook_endpoint`),
      webhookDelivery: list(`${x}_webhook_delivery`),
    });
    const a = of('pa');
    const b = of('pb');
    a.other = b;
    b.other = a;
    return { fingerprint, pools: { A: a, B: b } };
  }

  async fingerprintNow(): Promise<Record<string, string>> {
    const [row] = await this.app.sql<Record<string, unknown>>(`SELECT ${this.fingerprintSql}`);
    return Object.fromEntries(Object.entries(row).map(([k, v]) => [k.slice(3), String(v)]));
  }

  private cloneOf(who: Who): Client {
    const base = this.clients[who];
    const bearer = who === 'bearer' ? this.bearerSecret : who === 'bearerB' ? this.bearerBSecret : undefined;
    const c = bearer ? this.app.client({ bearer }) : this.app.client();
    for (const [k, v] of base.cookies) c.cookies.set(k, v);
    return c;
  }

  /**
   * X-Roster-Organization for a case: the case's own value if it has one (resolved), else B's slug for B's callers and none
   * for A's; and whether it names no organization the caller may act in (a token: its own only; a person: where their
   * membership and the organization are active).
   */
  private async organizationHeaderOf(c: Case, p: Pools): Promise<{ header?: string; foreign: boolean }> {
    const inB = B_CALLERS.includes(c.who);
    if (c.organizationHeader === undefined) return { header: inB ? this.b.slug : undefined, foreign: false };
    const header = String(resolve(c.organizationHeader, p, 'EMAIL'));
    const v = header.trim().toLowerCase();
    const names = (o: { id: string; slug: string }) => v === o.slug || v === o.id;
    if (c.who === 'bearer' || c.who === 'bearerB') return { header, foreign: !names(inB ? this.b : this.a) };
    const userId = this.userIds[c.who];
    if (!userId) return { header, foreign: false };
    const where = await this.app.sql(
      `SELECT 1 FROM memberships m JOIN organizations o ON o.id = m.organization_id
        WHERE m.user_id = $1 AND m.status = 'ACTIVE' AND o.status = 'ACTIVE' AND (o.slug = $2 OR o.id::text = $2)`,
      [userId, v],
    );
    return { header, foreign: where.length === 0 };
  }

  /** Sends one case as its caller (a copy of that caller's client), its references resolved against its organization's pools. */
  async send(c: Case, pools: OrganizationPools): Promise<Sent> {
    const client = this.cloneOf(c.who);
    const p = pools[B_CALLERS.includes(c.who) ? 'B' : 'A'];
    const { header: organizationHeader, foreign: foreignHeader } = await this.organizationHeaderOf(c, p);
    const named = organizationHeader === undefined ? '' : ` naming ${show(organizationHeader, 200)}`;
    const withHeader = (headers: Record<string, string>) =>
      organizationHeader === undefined ? headers : { ...headers, [ORGANIZATION_HEADER]: organizationHeader };
    if (c.type === 'gql') {
      const sortBy =
        typeof c.args['sortBy'] === 'string' && SORT_FIELDS.includes(c.args['sortBy'] as string) ? (c.args['sortBy'] as string) : 'EMAIL';
      const args = resolve(c.args, p, sortBy) as Record<string, unknown>;
      if (c.coherent) {
        for (const input of Object.values(args)) {
          if (!input || typeof input !== 'object' || Array.isArray(input)) continue;
          const o = input as Record<string, unknown>;
          if ('password' in o && 'passwordConfirmation' in o) o['passwordConfirmation'] = o['password'];
          if ('newPassword' in o && 'newPasswordConfirmation' in o) o['newPasswordConfirmation'] = o['newPassword'];
        }
      }
      const call = buildCall(this.schema, c.field, args, {
        mode: c.mode,
        selections: {
          InvitationResult: '{ url }',
          SignInResult: '{ twoFactorRequired challengeToken }',
          UserConnection: '{ totalCount pageInfo { startCursor endCursor } }',
        },
      });
      const variables = c.extra ? { ...call.variables, [c.extra[0]]: resolve(c.extra[1], p, sortBy) } : call.variables;
      const request = `POST /graphql as ${c.who}${named}: ${show({ query: call.query.length > 3000 ? call.query : '<below>', variables })}${call.query.length > 3000 ? '' : `\n    query: ${call.query}`}${describeCursors(args)}`;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const csrf = client.cookies.get('roster_csrf');
      if (csrf) headers['x-csrf-token'] = csrf;
      const observed = await observe(() =>
        client.fetch('/graphql', {
          method: 'POST',
          headers: withHeader(headers),
          body: JSON.stringify(variables && Object.keys(variables).length ? { query: call.query, variables } : { query: call.query }),
        }),
      );
      return { target: `${call.kind} ${c.field}`, request, observed, graphql: true, args, organizationHeader, foreignHeader };
    }
    for (const [k, v] of Object.entries(c.cookies ?? {})) client.cookies.set(k, v);
    const headers: Record<string, string> = { ...(c.headers ?? {}) };
    const csrf = client.cookies.get('roster_csrf');
    if (c.csrf && csrf) headers['x-csrf-token'] = csrf;
    const request = `${c.method} ${c.path.length > 300 ? `${c.path.slice(0, 200)}…<${c.path.length} chars>` : c.path} as ${c.who}${named}${c.cookies ? ` with cookies ${show(c.cookies, 300)}` : ''}, headers ${show(headers, 400)}${c.body !== undefined ? `, body ${typeof c.body === 'string' ? show(c.body, 800) : `<${c.body.length} bytes, latin1: ${JSON.stringify(Buffer.from(c.body).toString('latin1'))}>`}` : ''}`;
    const observed = await observe(() =>
      client.fetch(c.path, {
        method: c.method,
        headers: withHeader(headers),
        body: c.method === 'GET' || c.method === 'HEAD' ? undefined : (c.body as BodyInit | undefined),
      }),
    );
    return { target: c.label, request, observed, graphql: false, args: {}, organizationHeader, foreignHeader };
  }

  /** After a case: keep the single-use secrets and cursors its answer carried, and the admin's password if it changed it. */
  harvest(c: Case, sent: Sent, verdict: Verdict): void {
    const data: Body['data'] = verdict.json?.data;
    for (const key of ['createInvitation', 'regenerateInvitation']) {
      const url = data?.[key]?.url;
      if (typeof url === 'string') this.invitationTokens.push(new URL(url).searchParams.get('token') ?? '');
    }
    const challenge = data?.['signIn']?.challengeToken;
    if (typeof challenge === 'string') this.challengeTokens.push(challenge);
    for (const k of ['startCursor', 'endCursor']) {
      const cursor = data?.['users']?.pageInfo?.[k];
      if (typeof cursor === 'string') this.cursors.push(cursor);
    }
    if (c.type === 'gql' && c.field === 'changeMyPassword' && c.who === 'admin' && !verdict.refused) {
      this.adminPassword = String((sent.args['input'] as { newPassword?: unknown } | undefined)?.newPassword ?? this.adminPassword);
    }
    if (c.type === 'gql' && c.field === 'changeMyPassword' && c.who === 'adminB' && !verdict.refused) {
      this.adminBPassword = String((sent.args['input'] as { newPassword?: unknown } | undefined)?.newPassword ?? this.adminBPassword);
    }
  }
}
