import { Client as Pg } from 'pg';
import { startServer, TestServer } from '../../../tools/testing/server';
import { Client, GraphQLResult, Json } from './support/client';
import { startApp, TestApp } from './support/app';

/**
 * The organization a request acts in: `X-Roster-Organization` names it (slug in any case, or id); a
 * session without it acts in the person's own, a token always in its own. A header naming any other —
 * unknown, malformed, another's, suspended, alike — refuses the whole request with FORBIDDEN, `me`
 * included, and changes nothing. A suspension reaches a second instance within a second, cookie and
 * token alike, and a reactivation brings both back.
 */
describe('the organization a request acts in', () => {
  let app: TestApp;
  let b: TestServer;
  let pg: Pg;
  let org: { id: string; slug: string; name: string };
  let token: string;

  const CREATE_TOKEN = `mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { secret } }`;
  const ME = `{ me { user { id } organization { id slug name status } } }`;
  const USERS = `{ users(first: 2) { edges { node { id } } } }`;
  const CREATE_TEAM = `mutation($i: TeamNameInput!) { createTeam(input: $i) { id } }`;
  const teamCount = async () => Number((await pg.query(`SELECT count(*) AS n FROM teams`)).rows[0].n);

  beforeAll(async () => {
    app = await startApp('organization-context');
    b = await startServer(app.db.url);
    pg = new Pg({ connectionString: app.db.url });
    await pg.connect();
    org = (await pg.query(`SELECT id, slug, name FROM organizations`)).rows[0];
    token = (await app.admin.ok(CREATE_TOKEN, { i: { name: 'org context' } })).createApiToken.secret;
  });
  afterAll(async () => {
    await pg?.end();
    await b?.stop();
    await app?.close();
  });

  /** A GraphQL request as the admin's browser (cookie) or with the admin's token, on instance A or B. */
  async function ask(
    via: 'cookie' | 'token',
    query: string,
    header: string | undefined,
    variables: Record<string, unknown> = {},
    baseUrl = app.server.url,
  ): Promise<GraphQLResult> {
    const client = via === 'token' ? new Client(baseUrl, { bearer: token }) : new Client(baseUrl);
    if (via === 'cookie') for (const [k, v] of app.admin.cookies) client.cookies.set(k, v);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (header !== undefined) headers['x-roster-organization'] = header;
    const res = await client.fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return { ...((await res.json()) as GraphQLResult), status: res.status };
  }
  const codeOf = (r: GraphQLResult) => r.errors?.[0]?.extensions?.code;

  const accepted = () => [org.slug, org.slug.toUpperCase(), ` ${org.slug} `, org.id, org.id.toUpperCase()];
  const refused = [
    '',
    '   ',
    'nobody-here',
    'a'.repeat(41),
    '00000000-0000-4000-8000-000000000000',
    "x' OR '1'='1",
    "'; DROP TABLE organizations; --",
    '-leading',
    'under_score',
    'two words',
    'caf\u00e9', // not ASCII (latin-1, the most an HTTP header carries)
  ];

  for (const via of ['cookie', 'token'] as const) {
    it(`${via}: without the header, acts in its own organization`, async () => {
      const r = await ask(via, ME, undefined);
      expect(r.errors).toBeUndefined();
      expect(r.data.me.organization).toEqual({ ...org, status: 'ACTIVE' });
      expect((await ask(via, USERS, undefined)).errors).toBeUndefined();
    });

    it(`${via}: a header naming its organization (slug in any case, or id) is accepted on every operation`, async () => {
      for (const h of accepted()) {
        const me = await ask(via, ME, h);
        expect({ h, errors: me.errors }).toEqual({ h, errors: undefined });
        expect(me.data.me.organization.id).toBe(org.id);
        expect((await ask(via, USERS, h)).errors).toBeUndefined();
        const before = await teamCount();
        const made = await ask(via, CREATE_TEAM, h, { i: { name: `Team ${via} ${before}` } });
        expect(made.errors).toBeUndefined();
        expect(await teamCount()).toBe(before + 1);
      }
    });

    it(`${via}: a header naming anything else refuses the whole request with FORBIDDEN and changes nothing`, async () => {
      for (const h of refused) {
        for (const q of [ME, USERS]) {
          const r = await ask(via, q, h);
          const answered = Object.values(r.data ?? {}).filter((v) => v !== null);
          expect({ h, q, code: codeOf(r), answered }).toEqual({ h, q, code: 'FORBIDDEN', answered: [] });
        }
        const before = await teamCount();
        const r = await ask(via, CREATE_TEAM, h, { i: { name: `Never ${h}` } });
        expect({ h, code: codeOf(r) }).toEqual({ h, code: 'FORBIDDEN' });
        expect(await teamCount()).toBe(before);
      }
    });

    it(`${via}: the same answer for a suspended organization as for an unknown one`, async () => {
      const unknown = await ask(via, USERS, 'nobody-here');
      // Set behind the server's back: its cached principal goes when the change notice arrives (within a second).
      const settled = async (refused: boolean) => {
        const deadline = Date.now() + 2_000;
        let answer = await ask(via, USERS, org.slug);
        while (Boolean(answer.errors) !== refused && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 50));
          answer = await ask(via, USERS, org.slug);
        }
        return answer;
      };
      await pg.query(`UPDATE organizations SET status = 'SUSPENDED' WHERE id = $1`, [org.id]);
      try {
        const suspended = await settled(true);
        expect(suspended.errors).toEqual(unknown.errors);
      } finally {
        await pg.query(`UPDATE organizations SET status = 'ACTIVE' WHERE id = $1`, [org.id]);
        expect((await settled(false)).errors).toBeUndefined();
      }
    });
  }

  it('keeps the public pages and signing out open whatever the header names', async () => {
    const anonymous = new Client(app.server.url);
    const r = await anonymous.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-roster-organization': 'nobody-here' },
      body: JSON.stringify({ query: `{ authConfig { passwordSignIn } me { user { id } } }` }),
    });
    const body = (await r.json()) as GraphQLResult;
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ authConfig: { passwordSignIn: true }, me: null });
    const { client } = await app.register('leaving@example.com', 'MEMBER');
    const out = await client.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-roster-organization': 'nobody-here' },
      body: JSON.stringify({ query: `mutation { signOut }` }),
    });
    expect(((await out.json()) as GraphQLResult<Json>).data).toEqual({ signOut: true });
  });

  it('refuses a suspended organization on the other instance within a second (cookie and token), and serves it again once reactivated', async () => {
    /** Polls every 50 ms for up to a second. */
    const within = async (what: string, check: () => Promise<boolean>) => {
      const t0 = Date.now();
      while (!(await check())) {
        if (Date.now() - t0 > 1_000) throw new Error(`${what}: not seen within 1 s`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const onB = (via: 'cookie' | 'token', header: string | undefined) => ask(via, USERS, header, {}, b.url);
    // Warm B's caches, with and without the header.
    for (const via of ['cookie', 'token'] as const) {
      for (const h of [undefined, org.slug]) {
        expect((await onB(via, h)).errors).toBeUndefined();
        expect((await onB(via, h)).errors).toBeUndefined();
      }
    }
    await pg.query(`UPDATE organizations SET status = 'SUSPENDED' WHERE id = $1`, [org.id]);
    try {
      for (const via of ['cookie', 'token'] as const) {
        for (const h of [undefined, org.slug]) {
          await within(`${via} ${h ?? 'no header'} refused`, async () => codeOf(await onB(via, h)) === 'FORBIDDEN');
        }
      }
    } finally {
      await pg.query(`UPDATE organizations SET status = 'ACTIVE' WHERE id = $1`, [org.id]);
    }
    for (const via of ['cookie', 'token'] as const) {
      for (const h of [undefined, org.slug]) {
        await within(`${via} ${h ?? 'no header'} served again`, async () => (await onB(via, h)).errors === undefined);
      }
    }
  });
});
