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
    await app.sql(
      `INSERT INTO users (email, first_name, last_name, role_id, last_sign_in_at)
       SELECT 'user' || lpad(g::text, 4, '0') || CASE WHEN g % 50 = 0 THEN '.smith' ELSE '' END || '@example.com',
              'First' || (g * 7919 % ${N}), 'Last' || (g * 104729 % ${N}),
              (SELECT id FROM roles ORDER BY rank OFFSET (g % 4) LIMIT 1),
              CASE WHEN g % 3 = 0 THEN NULL ELSE now() - (g || ' minutes')::interval END
         FROM generate_series(1, ${N}) g`,
    );
    await app.sql(
      `INSERT INTO user_teams (user_id, team_id) SELECT u.id, t.id FROM users u CROSS JOIN teams t WHERE u.email LIKE 'user%' AND (hashtext(u.email || t.name) % 2) = 0`,
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
});
