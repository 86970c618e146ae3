import { GraphQLSchema } from 'graphql';
import { STRONG_PASSWORD, TestApp } from '../app';
import { Client } from '../client';
import { buildCall } from '../schema-cases';
import { authenticator } from '../totp';
import { Case, Pools, resolve, Who } from './cases';
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
}

/**
 * The hostile-input suite's world on one server and database: the callers (the signed-in admin, anonymous, a Viewer, an
 * admin API token), the data the cases point at (users, invitations, teams, a two-factor user, single-use secrets,
 * cursors), put back after a case that changed it, and the data's fingerprint that a refused request must leave as it was.
 */
export class HostileWorld {
  readonly clients = {} as Record<Who, Client>;
  private adminPassword = STRONG_PASSWORD;
  private bearerTokenId = '';
  private bearerSecret = '';
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
    this.clients.viewer = (await this.app.register(`viewer-${++this.serial}@example.com`, 'VIEWER')).client;
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

  private async invite(n: number): Promise<void> {
    const teams = await this.app.sql<{ id: string }>(`SELECT id FROM teams ORDER BY random() LIMIT 1`);
    for (let i = 0; i < n; i++) {
      const inv = await this.app.invite(
        `fodder-${++this.serial}@example.com`,
        i % 2 ? 'MEMBER' : 'VIEWER',
        teams.map((t) => t.id),
      );
      this.invitationTokens.push(inv.token);
    }
  }

  /** The callers and the data the cases start from. */
  async populate(): Promise<void> {
    const { app } = this;
    // A device cookie for the admin's client: later sign-ins count on it alone (not the address, which the cases exhaust).
    await this.signIn(app.admin, ADMIN_EMAIL, this.adminPassword);
    this.clients.admin = app.admin;
    this.clients.anonymous = app.client();
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
    this.poolSql = `
      (SELECT json_agg(id ORDER BY created_at, id) FROM users) AS p_user,
      (SELECT json_agg(id ORDER BY created_at, id) FROM users WHERE status = 'INVITED') AS p_invited,
      (SELECT json_agg(id ORDER BY rank) FROM roles) AS p_role,
      (SELECT json_agg(id ORDER BY created_at, id) FROM teams) AS p_team,
      (SELECT json_agg(id ORDER BY created_at, id) FROM api_tokens) AS p_api_token,
      (SELECT json_agg(id::text) FROM (SELECT id FROM audit_events ORDER BY id DESC LIMIT 30) a) AS p_audit,
      (SELECT json_agg(email ORDER BY created_at) FROM users WHERE email <> $1) AS p_email`;
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
    const [st] = await app.sql<{ invited: number; teams: number; bearer: number; mfa_exists: number; mfa_on: boolean | null }>(
      `SELECT (SELECT count(*) FROM users WHERE status = 'INVITED')::int AS invited, (SELECT count(*) FROM teams)::int AS teams,
              (SELECT count(*) FROM api_tokens WHERE id = $1)::int AS bearer, (SELECT count(*) FROM users WHERE id = $2)::int AS mfa_exists,
              (SELECT EXISTS (SELECT 1 FROM totp_secrets t WHERE t.user_id = u.id AND t.enabled_at IS NOT NULL) FROM users u WHERE u.id = $2) AS mfa_on`,
      [this.bearerTokenId, this.mfa.userId],
    );
    if (st.teams < 3)
      for (let i = st.teams; i < 3; i++)
        await app.admin.ok(`mutation($n: String!) { createTeam(input: { name: $n }) { id } }`, { n: `Fodder team ${++this.serial}` });
    if (st.invited < 3) await this.invite(3 - st.invited);
    if (!st.bearer) await this.newBearer();
    if (!st.mfa_exists) await this.newMfaUser();
    else if (!st.mfa_on) {
      const m = await this.mfa.client.gql(`{ me { user { id } } }`);
      if (!m.data?.me) await this.mfa.client.gql(SIGN_IN, { i: { email: this.mfa.email, password: STRONG_PASSWORD } });
      if ((await this.mfa.client.gql(`{ me { user { id } } }`)).data?.me) await this.enableMfa();
    }
  }

  /** Every 150 cases: a fresh sign-in challenge for the two-factor user (signed in from its own device). */
  async replenish(): Promise<void> {
    const r = await this.mfa.client.gql(SIGN_IN, { i: { email: this.mfa.email, password: STRONG_PASSWORD } });
    if (typeof r.data?.signIn?.challengeToken === 'string') this.challengeTokens.push(r.data.signIn.challengeToken);
  }

  /** What the cases' references resolve to now, and the data's fingerprint before the case. */
  async pools(): Promise<{ pools: Pools; fingerprint: Record<string, string> }> {
    const [row] = await this.app.sql<Record<string, unknown>>(`SELECT ${this.fingerprintSql}, ${this.poolSql}`, [ADMIN_EMAIL]);
    const fingerprint: Record<string, string> = {};
    for (const [k, v] of Object.entries(row)) if (k.startsWith('fp_')) fingerprint[k.slice(3)] = String(v);
    const list = (k: string) => (row[k] as string[] | null) ?? [];
    return {
      fingerprint,
      pools: {
        user: list('p_user'),
        invited: list('p_invited'),
        role: list('p_role'),
        team: list('p_team'),
        apiToken: list('p_api_token'),
        audit: list('p_audit'),
        email: list('p_email'),
        invitationToken: this.invitationTokens.slice(-30),
        challengeToken: this.challengeTokens.slice(-30),
        totp: this.mfa.secret ? [authenticator(this.mfa.secret)] : [],
        cursor: this.cursors.slice(-60),
      },
    };
  }

  async fingerprintNow(): Promise<Record<string, string>> {
    const [row] = await this.app.sql<Record<string, unknown>>(`SELECT ${this.fingerprintSql}`);
    return Object.fromEntries(Object.entries(row).map(([k, v]) => [k.slice(3), String(v)]));
  }

  private cloneOf(who: Who): Client {
    const base = this.clients[who];
    const c = who === 'bearer' ? this.app.client({ bearer: this.bearerSecret }) : this.app.client();
    for (const [k, v] of base.cookies) c.cookies.set(k, v);
    return c;
  }

  /** Sends one case as its caller (a copy of that caller's client), its references resolved against `p`. */
  async send(c: Case, p: Pools): Promise<Sent> {
    const client = this.cloneOf(c.who);
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
      const request = `POST /graphql as ${c.who}: ${show({ query: call.query.length > 3000 ? call.query : '<below>', variables })}${call.query.length > 3000 ? '' : `\n    query: ${call.query}`}${describeCursors(args)}`;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const csrf = client.cookies.get('roster_csrf');
      if (csrf) headers['x-csrf-token'] = csrf;
      const observed = await observe(() =>
        client.fetch('/graphql', {
          method: 'POST',
          headers,
          body: JSON.stringify(variables && Object.keys(variables).length ? { query: call.query, variables } : { query: call.query }),
        }),
      );
      return { target: `${call.kind} ${c.field}`, request, observed, graphql: true, args };
    }
    for (const [k, v] of Object.entries(c.cookies ?? {})) client.cookies.set(k, v);
    const headers: Record<string, string> = { ...(c.headers ?? {}) };
    const csrf = client.cookies.get('roster_csrf');
    if (c.csrf && csrf) headers['x-csrf-token'] = csrf;
    const request = `${c.method} ${c.path.length > 300 ? `${c.path.slice(0, 200)}…<${c.path.length} chars>` : c.path} as ${c.who}${c.cookies ? ` with cookies ${show(c.cookies, 300)}` : ''}, headers ${show(headers, 400)}${c.body !== undefined ? `, body ${typeof c.body === 'string' ? show(c.body, 800) : `<${c.body.length} bytes, latin1: ${JSON.stringify(Buffer.from(c.body).toString('latin1'))}>`}` : ''}`;
    const observed = await observe(() =>
      client.fetch(c.path, {
        method: c.method,
        headers,
        body: c.method === 'GET' || c.method === 'HEAD' ? undefined : (c.body as BodyInit | undefined),
      }),
    );
    return { target: c.label, request, observed, graphql: false, args: {} };
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
  }
}
