import { Client as Pg } from 'pg';
import { seedDemo } from '../src/core/database/seed-demo';
import { startServer, TestServer } from '../../../tools/testing/server';
import { Client } from './support/client';
import { startApp, TestApp } from './support/app';

/**
 * A search's count is kept for the pages that follow (a common term costs reading every match to
 * count), and a common term's pages then come from a walk of the email index. The pages must be those
 * of the plain statement, in both directions, and any person added, changed or deleted — on either of
 * two server processes, or straight in the database — must show in the count within a second.
 */
describe('search counts and common-term pages', () => {
  let app: TestApp;
  let b: TestServer;
  let pg: Pg;
  const TERM = 'acme';

  beforeAll(async () => {
    app = await startApp('search-counts');
    pg = new Pg({ connectionString: app.db.url });
    await pg.connect();
    await seedDemo(pg, 40_000);
    await pg.query('VACUUM (ANALYZE) users, memberships');
    b = await startServer(app.db.url);
  }, 120_000);
  afterAll(async () => {
    await pg?.end();
    await b?.stop();
    await app?.close();
  });

  /** The admin's browser talking to process B. */
  const adminOnB = () => {
    const other = new Client(b.url);
    for (const [k, v] of app.admin.cookies) other.cookies.set(k, v);
    return other;
  };

  const PAGE = `query($search: String, $after: String, $before: String, $first: Int, $last: Int, $dir: SortDirection!) {
    users(search: $search, after: $after, before: $before, first: $first, last: $last, sortBy: EMAIL, sortDirection: $dir) {
      totalCount totalCountIsExact pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { email } } } }`;
  interface Page {
    users: {
      totalCount: number;
      totalCountIsExact: boolean;
      pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
      edges: { node: { email: string } }[];
    };
  }
  const emails = (p: Page) => p.users.edges.map((e) => e.node.email);
  const matches = async (term: string, dir: 'ASC' | 'DESC') =>
    (
      await pg.query(
        `SELECT email FROM memberships WHERE organization_id = (SELECT id FROM organizations ORDER BY created_at, id LIMIT 1)
            AND email LIKE $1 ORDER BY email ${dir}`,
        [`%${term}%`],
      )
    ).rows.map((r) => r.email as string);

  it('pages through a common term exactly as the plain statement does, forwards and backwards', async () => {
    const all = await matches(TERM, 'ASC');
    expect(all.length).toBeGreaterThan(5_000); // a common term, as the walk needs (DENSE_MATCHES)
    for (const dir of ['ASC', 'DESC'] as const) {
      const expected = dir === 'ASC' ? all : [...all].reverse();
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: Page = await app.admin.ok<Page>(PAGE, { search: TERM, after, first: 200, dir });
        expect(page.users.totalCount).toBe(all.length);
        expect(page.users.totalCountIsExact).toBe(true);
        seen.push(...emails(page));
        if (!page.users.pageInfo.hasNextPage) break;
        after = page.users.pageInfo.endCursor;
      }
      expect(seen).toEqual(expected);
      // Backwards from the middle: the 50 before a cursor, in order.
      const middle = Math.floor(expected.length / 2);
      const mid: Page = await app.admin.ok<Page>(PAGE, { search: TERM, first: 1, dir, after: null });
      const cursorAt = async (index: number): Promise<string> => {
        let cursor: string | null = mid.users.pageInfo.startCursor;
        let at = 0;
        while (at < index) {
          const step: Page = await app.admin.ok<Page>(PAGE, { search: TERM, after: cursor, first: Math.min(200, index - at), dir });
          cursor = step.users.pageInfo.endCursor;
          at += step.users.edges.length;
        }
        return cursor as string;
      };
      const before = await cursorAt(middle);
      const back: Page = await app.admin.ok<Page>(PAGE, { search: TERM, before, last: 50, dir });
      expect(emails(back)).toEqual(expected.slice(middle - 50, middle));
      expect(back.users.pageInfo.hasPreviousPage).toBe(true);
    }
  }, 120_000);

  it('counts people added, renamed and deleted on either process within a second', async () => {
    const onB = adminOnB();
    const count = async (client: Client) => (await client.ok<Page>(PAGE, { search: TERM, first: 5, dir: 'ASC' })).users.totalCount;
    const before = (await matches(TERM, 'ASC')).length;
    expect(await count(app.admin)).toBe(before);
    expect(await count(onB)).toBe(before); // both processes now hold the count

    /** Polls until both processes count `n`; returns how long it took (ms), or fails after 5 s. */
    const bothCount = async (n: number): Promise<number> => {
      const t0 = Date.now();
      while ((await count(app.admin)) !== n || (await count(onB)) !== n) {
        if (Date.now() - t0 > 5_000) throw new Error(`not counted ${n} within 5 s`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return Date.now() - t0;
    };
    // Invited through A.
    const { userId } = await app.invite('new@acme.example.com', 'MEMBER');
    expect(await bothCount(before + 1)).toBeLessThan(1_000);
    // Email changed straight in the database (an operator): no longer a match.
    await pg.query(`UPDATE users SET email = 'renamed@example.com' WHERE id = $1`, [userId]);
    expect(await bothCount(before)).toBeLessThan(1_000);
    // Added in the database by a bulk statement, then deleted through B.
    const added = await pg.query(
      `INSERT INTO users (email, status) SELECT 'bulk' || g || '@acme.example.com', 'INVITED' FROM generate_series(1, 3) g RETURNING id`,
    );
    await pg.query(
      `INSERT INTO memberships (organization_id, user_id, role_id, status)
       SELECT (SELECT id FROM organizations ORDER BY created_at, id LIMIT 1), id, $2, 'INVITED' FROM unnest($1::uuid[]) u(id)`,
      [added.rows.map((r) => r.id), app.roles['MEMBER']],
    );
    expect(await bothCount(before + 3)).toBeLessThan(1_000);
    await onB.ok(`mutation($i: DeleteUserInput!) { deleteUser(input: $i) }`, { i: { id: added.rows[0].id, confirmation: 'DELETE' } });
    expect(await bothCount(before + 2)).toBeLessThan(1_000);
  }, 60_000);

  it('finds a rare term’s new match at once after pages that did not ask for the total, and counts it', async () => {
    // Without totalCount, a search of few matches still learns their count (so that its next page is read as
    // known): a person added since must show on that next page, and in the total once asked.
    const NO_TOTAL = `query($search: String) { users(search: $search, first: 50, sortBy: EMAIL, sortDirection: ASC) { edges { node { email } } } }`;
    const found = async (term: string) =>
      (await app.admin.ok<{ users: { edges: { node: { email: string } }[] } }>(NO_TOTAL, { search: term })).users.edges.map(
        (e) => e.node.email,
      );
    await app.invite('one-zebrafinch@example.com', 'MEMBER');
    expect(await found('zebrafinch')).toEqual(['one-zebrafinch@example.com']);
    expect(await found('zebrafinch')).toEqual(['one-zebrafinch@example.com']);
    await app.invite('two-zebrafinch@example.com', 'MEMBER');
    expect(await found('zebrafinch')).toEqual(['one-zebrafinch@example.com', 'two-zebrafinch@example.com']);
    expect((await app.admin.ok<Page>(PAGE, { search: 'zebrafinch', first: 5, dir: 'ASC' })).users.totalCount).toBe(2);
  });

  it('stays right under parallel searches while people are added', async () => {
    const onB = adminOnB();
    const start = (await matches(TERM, 'ASC')).length;
    const searches = Array.from({ length: 24 }, (_, i) =>
      (i % 2 ? onB : app.admin).ok<Page>(PAGE, { search: TERM, first: 50, dir: i % 4 < 2 ? 'ASC' : 'DESC' }),
    );
    const invites = Array.from({ length: 4 }, (_, i) => app.invite(`parallel${i}@acme.example.com`, 'MEMBER'));
    const pages = await Promise.all(searches);
    await Promise.all(invites);
    for (const p of pages) {
      expect(p.users.edges).toHaveLength(50);
      expect(p.users.totalCount).toBeGreaterThanOrEqual(start);
      expect(p.users.totalCount).toBeLessThanOrEqual(start + 4);
    }
    // Once the writes are done, every process counts them all.
    const t0 = Date.now();
    for (;;) {
      const [x, y] = await Promise.all(
        [app.admin, onB].map(async (c) => (await c.ok<Page>(PAGE, { search: TERM, first: 1, dir: 'ASC' })).users.totalCount),
      );
      if (x === start + 4 && y === start + 4) break;
      if (Date.now() - t0 > 5_000) throw new Error(`counts ${x} and ${y}, expected ${start + 4}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    expect((await fetch(`${app.server.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${b.url}/readyz`)).status).toBe(200);
  }, 60_000);
});
