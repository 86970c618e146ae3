import { Client } from './support/client';
import { startApp, TestApp } from './support/app';

/** Platform operators: a permission of the person, through a browser session only, never the last one revoked. */
describe('platform operators', () => {
  let app: TestApp;
  let adminToken: Client;
  const SET = `mutation($u: ID!, $o: Boolean!) { setOperator(userId: $u, operator: $o) { id email } }`;
  const LIST = `query($first: Int, $after: String, $search: String) {
    organizations(first: $first, after: $after, search: $search) { organizations { id slug name status createdAt } hasNextPage endCursor } }`;

  beforeAll(async () => {
    app = await startApp('operators', { SQL_STATEMENT_HEADER: '1' });
    const t = await app.admin.ok(`mutation { createApiToken(input: { name: "ops" }) { secret } }`);
    adminToken = app.client({ bearer: t.createApiToken.secret });
  });
  afterAll(() => app?.close());

  const operators = async () =>
    (await app.sql<{ email: string }>(`SELECT email FROM users WHERE operator ORDER BY email`)).map((r) => r.email);

  it('makes the set-up admin an operator; nobody else is one, and tokens are not', async () => {
    expect((await app.admin.ok(`{ me { operator } }`)).me.operator).toBe(true);
    const viewer = await app.register('viewer@example.com', 'VIEWER');
    expect((await viewer.client.ok(`{ me { operator } }`)).me.operator).toBe(false);
    expect((await adminToken.ok(`{ me { operator } }`)).me.operator).toBe(false);
    expect(await operators()).toEqual(['admin@example.com']);
  });

  it('refuses setOperator and organizations to non-operators (even admins) and to API tokens', async () => {
    const other = await app.register(`other-admin@example.com`, 'ADMIN');
    const viewer = await app.register(`viewer2@example.com`, 'VIEWER');
    for (const c of [other.client, viewer.client, adminToken]) {
      expect(await c.code(SET, { u: viewer.userId, o: true })).toBe('FORBIDDEN');
      expect(await c.code(LIST, {})).toBe('FORBIDDEN');
    }
    expect(await app.client().code(LIST, {})).toBe('UNAUTHENTICATED');
    expect(await operators()).toEqual(['admin@example.com']);
  });

  it('grants and revokes, takes effect at once, audits a platform event, and never revokes the last operator', async () => {
    const p = await app.register('ops-peer@example.com', 'MEMBER');
    expect(await p.client.code(LIST, {})).toBe('FORBIDDEN');
    expect(await app.admin.code(SET, { u: app.adminId, o: false })).toBe('LAST_OPERATOR');
    expect((await app.admin.ok(SET, { u: p.userId, o: true })).setOperator.email).toBe('ops-peer@example.com');
    expect((await p.client.ok(`{ me { operator } }`)).me.operator).toBe(true);
    expect((await p.client.ok(LIST, {})).organizations.organizations).toHaveLength(1);
    // Granting twice changes nothing and records nothing.
    await app.admin.ok(SET, { u: p.userId, o: true });
    const events = await app.sql(
      `SELECT action, actor_email, target_id, target_email, organization_id FROM audit_events WHERE action LIKE 'operator.%' ORDER BY id`,
    );
    expect(events).toEqual([
      {
        action: 'operator.granted',
        actor_email: 'admin@example.com',
        target_id: p.userId,
        target_email: 'ops-peer@example.com',
        organization_id: null,
      },
    ]);

    // The peer revokes the admin, then cannot revoke themselves.
    await p.client.ok(SET, { u: app.adminId, o: false });
    expect(await app.admin.code(LIST, {})).toBe('FORBIDDEN');
    expect(await app.admin.code(SET, { u: p.userId, o: true })).toBe('FORBIDDEN');
    expect(await p.client.code(SET, { u: p.userId, o: false })).toBe('LAST_OPERATOR');
    await p.client.ok(SET, { u: app.adminId, o: true });
    expect((await app.sql(`SELECT action FROM audit_events WHERE action LIKE 'operator.%' ORDER BY id`)).map((r) => r.action)).toEqual([
      'operator.granted',
      'operator.revoked',
      'operator.granted',
    ]);
    expect(await app.admin.code(SET, { u: '00000000-0000-4000-8000-000000000000', o: true })).toBe('NOT_FOUND');
    expect(await app.admin.code(SET, { u: 'not-a-uuid', o: true })).toBe('BAD_USER_INPUT');

    // Two operators revoking each other at the same moment: one wins, one operator is left.
    const results = await Promise.all([app.admin.gql(SET, { u: p.userId, o: false }), p.client.gql(SET, { u: app.adminId, o: false })]);
    const codes = results.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK').sort();
    expect(codes).toEqual(['LAST_OPERATOR', 'OK']);
    expect(await operators()).toHaveLength(1);
    // Whoever is left grants the other back.
    const [left] = await app.sql<{ id: string }>(`SELECT id FROM users WHERE operator`);
    const survivor = left.id === app.adminId ? app.admin : p.client;
    await survivor.ok(SET, { u: left.id === app.adminId ? p.userId : app.adminId, o: true });
    expect(await operators()).toEqual(['admin@example.com', 'ops-peer@example.com']);
  });

  it('lists organizations by name, a page at a time, searched by slug or name in any case', async () => {
    const names = ['Zeta Corp', 'alpha labs', 'Beta Industries', 'beta two', 'Gamma'];
    for (const name of names) {
      await app.sql(`INSERT INTO organizations (name, slug) VALUES ($1, $2)`, [name, name.toLowerCase().replace(/ /g, '-')]);
    }
    // One being deleted (no slug) is not listed.
    await app.sql(`INSERT INTO organizations (name, slug, status) VALUES ('Aaa gone', NULL, 'DELETING')`);
    const all: { name: string; slug: string; status: string; createdAt: string }[] = [];
    let after: string | null = null;
    for (;;) {
      const page: { organizations: typeof all; hasNextPage: boolean; endCursor: string | null } = (
        await app.admin.ok(LIST, { first: 2, after })
      ).organizations;
      expect(page.organizations.length).toBeLessThanOrEqual(2);
      all.push(...page.organizations);
      if (!page.hasNextPage) break;
      after = page.endCursor;
    }
    expect(all.map((o) => o.name)).toEqual(['alpha labs', 'Beta Industries', 'beta two', 'Default', 'Gamma', 'Zeta Corp']);
    expect(all[3]).toMatchObject({ slug: 'default', status: 'ACTIVE' });
    expect(Date.parse(all[3].createdAt)).toBeGreaterThan(0);

    const search = async (s: string) =>
      (await app.admin.ok(LIST, { search: s })).organizations.organizations.map((o: { slug: string }) => o.slug);
    expect(await search('BETA')).toEqual(['beta-industries', 'beta-two']);
    expect(await search('corp')).toEqual(['zeta-corp']);
    expect(await search('a-l')).toEqual(['alpha-labs']);
    expect(await search('%')).toEqual([]);
    expect(await search('  ')).toHaveLength(6);

    for (const first of [0, 101, -1]) expect(await app.admin.code(LIST, { first })).toBe('BAD_USER_INPUT');
    expect((await app.admin.ok(LIST, { first: 100 })).organizations.organizations).toHaveLength(6);
    for (const bad of ['garbage', Buffer.from('["x","nope"]').toString('base64url'), 'x'.repeat(2000)]) {
      expect(await app.admin.code(LIST, { after: bad })).toBe('BAD_USER_INPUT');
    }
    expect(await app.admin.code(LIST, { search: 'x'.repeat(101) })).toBe('BAD_USER_INPUT');
  });

  it("reads a page of organizations' domains in one statement, whatever the page's size", async () => {
    const made = await app.sql<{ id: string; slug: string }>(
      `INSERT INTO organizations (name, slug) SELECT 'Domains ' || i, 'domains-' || i FROM generate_series(1, 30) i RETURNING id, slug`,
    );
    await app.sql(
      `INSERT INTO organization_domains (organization_id, domain)
       SELECT o.id, o.slug || '-' || d || '.example' FROM organizations o, generate_series(1, 2) d WHERE o.slug LIKE 'domains-%'`,
    );
    const PAGE = `query($first: Int) { organizations(first: $first, search: "domains-") { organizations { slug domains } } }`;
    const statements = async (first: number) => {
      const res = await app.admin.fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': app.admin.cookies.get('roster_csrf') as string },
        body: JSON.stringify({ query: PAGE, variables: { first } }),
      });
      const body = await res.json();
      expect(body.errors).toBeUndefined();
      for (const o of body.data.organizations.organizations) expect(o.domains).toEqual([`${o.slug}-1.example`, `${o.slug}-2.example`]);
      expect(body.data.organizations.organizations).toHaveLength(first);
      return Number(res.headers.get('x-sql-statements'));
    };
    const two = await statements(2);
    expect(two).toBeGreaterThan(0);
    expect(await statements(30)).toBe(two);
    await app.sql(`DELETE FROM organizations WHERE id = ANY($1::uuid[])`, [made.map((m) => m.id)]);
  });

  it("answers me for an operator who belongs to no organization: no organization, no permission, operators' pages open", async () => {
    const p = await app.register('ops-nowhere@example.com', 'MEMBER');
    await app.admin.ok(SET, { u: p.userId, o: true });
    // Their only membership goes (as when their organization is deleted).
    await app.sql(`DELETE FROM memberships WHERE user_id = $1`, [p.userId]);
    const me = await p.client.ok(
      `{ me { user { email role { key permissions } teams { id } } organization { id } operator permissions } }`,
    );
    expect(me.me).toEqual({
      user: { email: 'ops-nowhere@example.com', role: { key: 'NONE', permissions: [] }, teams: [] },
      organization: null,
      operator: true,
      permissions: [],
    });
    expect((await p.client.ok(LIST, {})).organizations.organizations.length).toBeGreaterThan(0);
    expect(await p.client.code(`{ users(first: 5) { totalCount } }`)).toBe('FORBIDDEN');
  });
});
