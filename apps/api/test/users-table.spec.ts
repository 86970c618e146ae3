import type { Json } from './support/client';
import { startApp, TestApp } from './support/app';

/** Server-side paging, sorting by each column, email search, constant SQL per page. */
describe('users table', () => {
  let app: TestApp;
  const N = 230;
  beforeAll(async () => {
    app = await startApp('table', { SQL_STATEMENT_HEADER: '1' });
    const teams = [];
    for (const name of ['Alpha', 'Beta', 'Gamma'])
      teams.push((await app.admin.ok(`mutation($n: String!) { createTeam(input: { name: $n }) { id } }`, { n: name })).createTeam.id);
    // The people, then their memberships of the first organization (role, last connection there).
    await app.sql(
      `INSERT INTO users (email, first_name, last_name, last_sign_in_at)
       SELECT 'user' || lpad(g::text, 4, '0') || CASE WHEN g % 50 = 0 THEN '.smith' ELSE '' END || '@example.com',
              'First' || (g * 7919 % ${N}), 'Last' || (g * 104729 % ${N}),
              CASE WHEN g % 3 = 0 THEN NULL ELSE now() - (g || ' minutes')::interval END
         FROM generate_series(1, ${N}) g`,
    );
    await app.sql(
      `WITH org AS (SELECT id FROM organizations ORDER BY created_at, id LIMIT 1)
       INSERT INTO memberships (organization_id, user_id, role_id, status, last_sign_in_at)
       SELECT org.id, u.id, (SELECT r.id FROM roles r WHERE r.organization_id = org.id ORDER BY r.rank OFFSET (substring(u.email from 5 for 4)::int % 4) LIMIT 1),
              'ACTIVE', u.last_sign_in_at
         FROM users u, org WHERE u.email LIKE 'user%'`,
    );
    await app.sql(
      `INSERT INTO user_teams (organization_id, user_id, team_id)
       SELECT t.organization_id, u.id, t.id FROM users u CROSS JOIN teams t WHERE u.email LIKE 'user%' AND (hashtext(u.email || t.name) % 2) = 0`,
    );
  });
  afterAll(() => app?.close());

  const PAGE = `query($first: Int, $after: String, $last: Int, $before: String, $search: String, $by: UserSortField!, $dir: SortDirection!) {
    users(first: $first, after: $after, last: $last, before: $before, search: $search, sortBy: $by, sortDirection: $dir) {
      totalCount totalCountIsExact
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { id email firstName lastName role { rank } teams { name } lastSignInAt } } } }`;

  const keyOf: Record<string, (n: Json) => unknown> = {
    EMAIL: (n) => n.email,
    FIRST_NAME: (n) => n.firstName,
    LAST_NAME: (n) => n.lastName,
    ROLE: (n) => n.role.rank,
    PERMISSIONS: (n) => n.role.rank,
    TEAMS: (n) => n.teams.length,
    LAST_CONNECTION: (n) => (n.lastSignInAt ? new Date(n.lastSignInAt).getTime() : -Infinity),
  };

  it.each(
    Object.keys(keyOf).flatMap((by) => [
      [by, 'ASC'],
      [by, 'DESC'],
    ]),
  )('pages through everyone sorted by %s %s', async (by, dir) => {
    const seen: Json[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const r: Json = (await app.admin.ok(PAGE, { first: 50, after, by, dir })).users;
      expect(r.totalCount).toBe(N + 1);
      seen.push(...r.edges.map((e: Json) => e.node));
      pages++;
      if (!r.pageInfo.hasNextPage) break;
      after = r.pageInfo.endCursor;
    }
    expect(pages).toBe(Math.ceil((N + 1) / 50));
    expect(new Set(seen.map((n) => n.id)).size).toBe(N + 1);
    const keys = seen.map(keyOf[by]);
    const sorted = [...keys].sort((a: Json, b: Json) => (a < b ? -1 : a > b ? 1 : 0));
    expect(keys).toEqual(dir === 'ASC' ? sorted : sorted.reverse());
  });

  // The first page of a search counts its matches; the next ones know the count and only collect them.
  it.each(
    Object.keys(keyOf).flatMap((by) => [
      [by, 'ASC'],
      [by, 'DESC'],
    ]),
  )('pages through a search sorted by %s %s, and back', async (by, dir) => {
    const search = 'user01'; // user0100 to user0199
    const pages: Json[] = [];
    let after: string | null = null;
    for (;;) {
      const r: Json = (await app.admin.ok(PAGE, { first: 30, after, search, by, dir })).users;
      expect(r.totalCount).toBe(100);
      pages.push(r);
      if (!r.pageInfo.hasNextPage) break;
      after = r.pageInfo.endCursor;
    }
    const seen = pages.flatMap((p) => p.edges.map((e: Json) => e.node));
    expect(pages.map((p) => p.edges.length)).toEqual([30, 30, 30, 10]);
    expect(new Set(seen.map((n) => n.id)).size).toBe(100);
    expect(seen.every((n) => n.email.includes(search))).toBe(true);
    const keys = seen.map(keyOf[by]);
    const sorted = [...keys].sort((a: Json, b: Json) => (a < b ? -1 : a > b ? 1 : 0));
    expect(keys).toEqual(dir === 'ASC' ? sorted : sorted.reverse());
    const back: Json = (await app.admin.ok(PAGE, { last: 30, before: pages[2].pageInfo.startCursor, search, by, dir })).users;
    expect(back.edges.map((e: Json) => e.node.id)).toEqual(pages[1].edges.map((e: Json) => e.node.id));
    expect(back.pageInfo.hasPreviousPage).toBe(true);
  });

  it('goes back a page with last/before', async () => {
    const p1: Json = (await app.admin.ok(PAGE, { first: 20, by: 'LAST_NAME', dir: 'ASC' })).users;
    const p2: Json = (await app.admin.ok(PAGE, { first: 20, after: p1.pageInfo.endCursor, by: 'LAST_NAME', dir: 'ASC' })).users;
    expect(p2.pageInfo.hasPreviousPage).toBe(true);
    const back: Json = (await app.admin.ok(PAGE, { last: 20, before: p2.pageInfo.startCursor, by: 'LAST_NAME', dir: 'ASC' })).users;
    expect(back.edges.map((e: Json) => e.node.id)).toEqual(p1.edges.map((e: Json) => e.node.id));
    expect(back.pageInfo.hasPreviousPage).toBe(false);
    expect(back.pageInfo.hasNextPage).toBe(true);
  });

  it('searches emails case-insensitively, by substring, with counts', async () => {
    const r: Json = (await app.admin.ok(PAGE, { search: 'SMITH', by: 'EMAIL', dir: 'ASC' })).users;
    expect(r.edges.map((e: Json) => e.node.email)).toEqual([
      'user0050.smith@example.com',
      'user0100.smith@example.com',
      'user0150.smith@example.com',
      'user0200.smith@example.com',
    ]);
    expect(r.totalCount).toBe(4);
    expect(r.totalCountIsExact).toBe(true);
    const common: Json = (await app.admin.ok(PAGE, { search: 'example', first: 10, by: 'FIRST_NAME', dir: 'DESC' })).users;
    expect(common.totalCount).toBe(N + 1);
    expect(common.edges).toHaveLength(10);
    const literal: Json = (await app.admin.ok(PAGE, { search: '%', by: 'EMAIL', dir: 'ASC' })).users;
    expect(literal.totalCount).toBe(0);
    const short: Json = (await app.admin.ok(PAGE, { search: '05', first: 200, by: 'EMAIL', dir: 'ASC' })).users;
    expect(short.edges.every((e: Json) => e.node.email.includes('05'))).toBe(true);
    expect(short.totalCount).toBe(short.edges.length);
  });

  it('answers each person on a page as `user` does, whichever of their fields the page selects', async () => {
    await app.sql(`INSERT INTO totp_secrets (user_id, enabled_at) SELECT id, now() FROM users WHERE email = 'user0002@example.com'`);
    const FIELDS = `id email firstName lastName status permissionLevel lastSignInAt invitationExpiresAt invitationEmailStatus
      twoFactorEnabled createdAt role { id name } teams { id name }`;
    for (const args of ['first: 6', 'first: 6, search: "user000"', 'first: 6, sortBy: LAST_NAME']) {
      const page = async (fields: string): Promise<Json[]> =>
        (await app.admin.ok(`fragment F on User { ${fields} } { users(${args}) { edges { node { ...F } } } }`)).users.edges.map(
          (e: Json) => e.node,
        );
      const full = await page(FIELDS);
      expect(full).toHaveLength(6);
      for (const node of full) expect(node).toEqual((await app.admin.ok(`query($id: ID!) { user(id: $id) { ${FIELDS} } }`, node)).user);
      const narrow = await page('id teams { name } twoFactorEnabled');
      expect(narrow).toEqual(
        full.map((n) => ({ id: n.id, teams: n.teams.map((t: Json) => ({ name: t.name })), twoFactorEnabled: n.twoFactorEnabled })),
      );
    }
    const searched = await app.admin.ok(`{ users(search: "user000") { edges { node { email twoFactorEnabled teams { id } } } } }`);
    const nodes: Json[] = searched.users.edges.map((e: Json) => e.node);
    expect(nodes.filter((n) => n.twoFactorEnabled).map((n) => n.email)).toEqual(['user0002@example.com']);
    expect(nodes.some((n) => n.teams.length > 0 && n.teams.every((t: Json) => typeof t.id === 'string'))).toBe(true);
  });

  it('uses a constant number of SQL statements per page (at most 3), whatever its size', async () => {
    const statements = async (first: number, search?: string) => {
      const body = JSON.stringify({ query: PAGE, variables: { first, search, by: 'EMAIL', dir: 'ASC' } });
      const res = await app.admin.fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': app.admin.cookies.get('roster_csrf') as string },
        body,
      });
      expect((await res.json()).errors).toBeUndefined();
      return Number(res.headers.get('x-sql-statements'));
    };
    const small = await statements(5);
    expect(small).toBeGreaterThan(0);
    expect(small).toBeLessThanOrEqual(3);
    expect(await statements(200)).toBe(small);
    expect(await statements(200, 'smith')).toBe(small);
  });

  it("lists, counts, finds and exports only the current organization's members, each with what is theirs there", async () => {
    const FIRST = `(SELECT id FROM organizations ORDER BY created_at, id LIMIT 1)`;
    const [other] = await app.sql(`INSERT INTO organizations (name, slug) VALUES ('Elsewhere', 'elsewhere-table') RETURNING id`);
    await app.sql(
      `INSERT INTO roles (organization_id, key, name, permissions, rank) SELECT $1, key, name, permissions, rank FROM roles WHERE organization_id = ${FIRST}`,
      [other.id],
    );
    const [team] = await app.sql(`INSERT INTO teams (organization_id, name) VALUES ($1, 'Elsewhere team') RETURNING id`, [other.id]);
    const [outsider] = await app.sql(`INSERT INTO users (email, first_name) VALUES ('user9999.outsider@example.com', 'Out') RETURNING id`);
    const [both] = await app.sql(`SELECT id FROM users WHERE email = 'user0001@example.com'`);
    const NODE = `id email status role { id rank } teams { name } lastSignInAt`;
    const before = (await app.admin.ok(`query($id: ID!) { user(id: $id) { ${NODE} } }`, both)).user;
    // Elsewhere: the outsider, and user0001 as a deactivated admin in a team of that organization.
    await app.sql(
      `INSERT INTO memberships (organization_id, user_id, role_id, status, last_sign_in_at)
       SELECT $1, u.id, (SELECT id FROM roles WHERE organization_id = $1 ORDER BY rank LIMIT 1), CASE WHEN u.id = $2 THEN 'DEACTIVATED' ELSE 'ACTIVE' END, now()
         FROM users u WHERE u.id IN ($2, $3)`,
      [other.id, both.id, outsider.id],
    );
    await app.sql(`INSERT INTO user_teams (organization_id, user_id, team_id) VALUES ($1, $2, $3)`, [other.id, both.id, team.id]);
    try {
      const all: Json = (await app.admin.ok(PAGE, { first: 10, by: 'EMAIL', dir: 'DESC' })).users;
      expect(all.totalCount).toBe(N + 1);
      expect(all.edges.map((e: Json) => e.node.email)).not.toContain('user9999.outsider@example.com');
      for (const search of ['outsider', 'user9999', 'ou']) {
        const found: Json = (await app.admin.ok(PAGE, { search, by: 'EMAIL', dir: 'ASC' })).users;
        expect([search, found.totalCount, found.edges]).toEqual([search, 0, []]);
      }
      const one: Json = (await app.admin.ok(PAGE, { search: 'user0001@', by: 'EMAIL', dir: 'ASC' })).users;
      expect(one.totalCount).toBe(1);
      expect(await app.admin.code(`query($id: ID!) { user(id: $id) { id } }`, outsider)).toBe('NOT_FOUND');
      expect((await app.admin.ok(`query($id: ID!) { user(id: $id) { ${NODE} } }`, both)).user).toEqual(before);
      const deactivated: Json = (await app.admin.ok(`{ users(status: DEACTIVATED) { totalCount edges { node { email } } } }`)).users;
      expect(deactivated.edges.map((e: Json) => e.node.email)).not.toContain('user0001@example.com');
      const csv = await (await app.admin.fetch('/api/export/users?format=csv')).text();
      expect(csv).not.toContain('outsider');
      expect(csv).not.toContain('Elsewhere');
      expect(csv.trim().split('\n')).toHaveLength(N + 2); // the header and every member
    } finally {
      await app.sql(`DELETE FROM memberships WHERE organization_id = $1`, [other.id]);
      await app.sql(`DELETE FROM organizations WHERE id = $1`, [other.id]);
      await app.sql(`DELETE FROM users WHERE id = $1`, [outsider.id]);
    }
  });
});
