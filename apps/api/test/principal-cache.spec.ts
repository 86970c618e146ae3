import { Client as Pg } from 'pg';
import { startCuttableProxy } from '../../../tools/testing/cuttable-proxy';
import { startServer, TestServer } from '../../../tools/testing/server';
import { Client } from './support/client';
import { startApp, STRONG_PASSWORD, TestApp } from './support/app';

/**
 * Two server processes on one database. Each caches who a credential stands for, so an authenticated
 * request costs one statement; every change made through the other process (or straight in the
 * database) is enforced by this one within a second: role changes both ways, revoked sessions and
 * tokens, deleted people, edited roles, token expiry. With the change feed cut, nothing stale is served.
 */
describe('principal cache across two processes', () => {
  let app: TestApp;
  let b: TestServer;

  beforeAll(async () => {
    app = await startApp('principal-cache', { SQL_STATEMENT_HEADER: '1' });
    b = await startServer(app.db.url, { SQL_STATEMENT_HEADER: '1' });
  });
  afterAll(async () => {
    await b?.stop();
    await app?.close();
  });

  /** The same browser (its cookies) talking to the other process. */
  const onB = (client: Client) => {
    const other = new Client(b.url);
    for (const [k, v] of client.cookies) other.cookies.set(k, v);
    return other;
  };

  /** Polls until `check` holds; returns how long it took (ms), or fails after 5 s. */
  async function within(check: () => Promise<boolean>): Promise<number> {
    const t0 = Date.now();
    while (!(await check())) {
      if (Date.now() - t0 > 5_000) throw new Error('the change was not seen within 5 s');
      await new Promise((r) => setTimeout(r, 25));
    }
    return Date.now() - t0;
  }

  const AUDIT = `{ auditEvents(first: 1) { events { id } } }`;
  const ME = `{ me { user { id } permissions } }`;
  /** A browser whose session ended is anonymous: `me` is null. */
  const signedOut = async (c: Client) => (await c.gql(ME)).data?.me === null;

  it('answers a repeated authenticated request with a single statement', async () => {
    const { client } = await app.register('cached@example.com', 'VIEWER');
    const viewer = onB(client);
    await viewer.ok(ME); // first lookup: principal + profile
    const page = `{ users(first: 5) { edges { node { id email role { name } } } } }`;
    await viewer.ok(page); // roles cache warm
    // Once caches are warm (a notification from the registration may still arrive and empty them once).
    await within(async () => {
      const res = await viewer.fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': viewer.cookies.get('roster_csrf') as string },
        body: JSON.stringify({ query: page }),
      });
      expect(res.status).toBe(200);
      return res.headers.get('x-sql-statements') === '1';
    });
  });

  it('enforces a role change made on the other process within a second, both ways', async () => {
    const { client, userId } = await app.register('promoted@example.com', 'VIEWER');
    const user = onB(client);
    expect(await user.code(AUDIT)).toBe('FORBIDDEN');
    await user.ok(ME); // cached on B as a viewer
    const setRole = (key: string) =>
      app.admin.ok(`mutation($i: UpdateUserInput!) { updateUser(input: $i) { id } }`, { i: { id: userId, roleId: app.roles[key] } });
    await setRole('ADMIN');
    const up = await within(async () => !(await user.gql(AUDIT)).errors);
    await setRole('VIEWER');
    const down = await within(async () => (await user.gql(AUDIT)).errors?.[0]?.extensions?.code === 'FORBIDDEN');
    expect(up).toBeLessThan(1_000);
    expect(down).toBeLessThan(1_000);
  });

  it('ends revoked sessions, revoked tokens and deleted people on the other process within a second', async () => {
    const { client, userId } = await app.register('revoked@example.com', 'MEMBER');
    const token = (await client.ok(`mutation { createApiToken(input: { name: "ci" }) { token { id } secret } }`)).createApiToken;
    const browser = onB(client);
    const bearer = new Client(b.url, { bearer: token.secret });
    await browser.ok(ME);
    await bearer.ok(ME);

    await app.admin.ok(`mutation($id: ID!) { revokeUserSessions(userId: $id) }`, { id: userId });
    expect(await within(() => signedOut(browser))).toBeLessThan(1_000);
    await bearer.ok(ME); // the token outlives the sessions

    // A second token, revoked by its owner through process A: only that one stops.
    const login = new Client(app.server.url);
    await login.ok(
      `mutation { signIn(input: { email: "revoked@example.com", password: "correct horse battery staple" }) { me { user { id } } } }`,
    );
    const other = (await login.ok(`mutation { createApiToken(input: { name: "other" }) { token { id } secret } }`)).createApiToken;
    const otherBearer = new Client(b.url, { bearer: other.secret });
    await otherBearer.ok(ME);
    await login.ok(`mutation($id: ID!) { revokeApiToken(id: $id) }`, { id: other.token.id });
    expect(await within(async () => (await otherBearer.gql(ME)).errors?.[0]?.extensions?.code === 'UNAUTHENTICATED')).toBeLessThan(1_000);
    await bearer.ok(ME);

    await app.admin.ok(`mutation($i: DeleteUserInput!) { deleteUser(input: $i) }`, { i: { id: userId, confirmation: 'DELETE' } });
    expect(await within(async () => (await bearer.gql(ME)).errors?.[0]?.extensions?.code === 'UNAUTHENTICATED')).toBeLessThan(1_000);
  });

  it('follows a role edited in the database, and a token reaching its expiry, within a second', async () => {
    const { client } = await app.register('edited@example.com', 'MANAGER');
    const token = (await client.ok(`mutation { createApiToken(input: { name: "short" }) { token { id } secret } }`)).createApiToken;
    const bearer = new Client(b.url, { bearer: token.secret });
    // Exporting needs users:export, which managers have (checked from the cached principal).
    const perms = async () => {
      const res = await bearer.fetch('/api/export/users?format=csv');
      await res.arrayBuffer();
      return res.status === 200;
    };
    expect(await perms()).toBe(true);
    await app.sql(`UPDATE roles SET permissions = array_remove(permissions, 'users:export') WHERE key = 'MANAGER'`);
    expect(await within(async () => !(await perms()))).toBeLessThan(1_000);
    await app.sql(`UPDATE roles SET permissions = array_append(permissions, 'users:export') WHERE key = 'MANAGER'`);
    expect(await within(perms)).toBeLessThan(1_000);

    await app.sql(`UPDATE api_tokens SET expires_at = now() + interval '1.5 seconds' WHERE id = $1`, [token.token.id]);
    await bearer.ok(ME); // looked up again and cached, with its expiry
    const expiry = Date.now() + 1_500;
    await within(async () => (await bearer.gql(ME)).errors?.[0]?.extensions?.code === 'UNAUTHENTICATED');
    expect(Date.now() - expiry).toBeLessThan(1_000);
  });

  it("announces a change to roles or to the two-factor policy as its organization's, one over many organizations as everyone's", async () => {
    const listener = new Pg({ connectionString: app.db.url });
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', (n) => {
      if (!n.payload?.startsWith('hb:')) heard.push(n.payload ?? '');
    });
    await listener.query('LISTEN roster_changes');
    /** What a statement announced (every announcement of it has arrived once this listener's own comes back). */
    const announced = async (sql: string, params: unknown[] = []): Promise<string[]> => {
      heard.length = 0;
      await app.sql(sql, params);
      await listener.query(`SELECT pg_notify('roster_changes', 'hb:test')`);
      return [...heard].sort();
    };
    try {
      const first = (await app.sql(`SELECT id FROM organizations ORDER BY created_at, id LIMIT 1`))[0].id as string;
      expect(await announced(`UPDATE roles SET description = description WHERE organization_id = $1`, [first])).toEqual([`o:${first}`]);
      expect(
        await announced(
          `INSERT INTO two_factor_policy (organization_id, sso_mode) VALUES ($1, 'TRUST_PROVIDER')
           ON CONFLICT (organization_id) DO UPDATE SET updated_at = now()`,
          [first],
        ),
      ).toEqual([`o:${first}`]);
      const many = await app.sql(
        `INSERT INTO organizations (name, slug) SELECT 'Many ' || i, 'zz-many-' || i FROM generate_series(1, 17) AS i RETURNING id`,
      );
      try {
        const insertRoles = (n: number) =>
          announced(
            `INSERT INTO roles (organization_id, key, name, permissions, rank)
             SELECT id, 'MANY', 'Many', '{}', 1 FROM organizations WHERE slug LIKE 'zz-many-%' ORDER BY slug LIMIT $1`,
            [n],
          );
        // Two organizations: each of them; seventeen: everyone.
        const two = await insertRoles(2);
        expect(two).toHaveLength(2);
        expect(two.every((p) => p.startsWith('o:'))).toBe(true);
        expect(await announced(`DELETE FROM roles WHERE key = 'MANY'`)).toHaveLength(2);
        expect(await insertRoles(17)).toEqual(['*']);
        expect(await announced(`DELETE FROM roles WHERE key = 'MANY'`)).toEqual(['*']);
      } finally {
        await app.sql(`DELETE FROM organizations WHERE id = ANY($1::uuid[])`, [many.map((r: { id: string }) => r.id)]);
      }
    } finally {
      await listener.end();
    }
  });

  it('names teams on the users page as the other process renames, creates and deletes them', async () => {
    const { userId } = await app.register('teamed@example.com', 'VIEWER');
    const create = async (name: string) =>
      (await app.admin.ok(`mutation($n: String!) { createTeam(input: { name: $n }) { id } }`, { n: name })).createTeam.id as string;
    const assign = (teamIds: string[]) =>
      app.admin.ok(`mutation($i: UpdateUserInput!) { updateUser(input: $i) { id } }`, { i: { id: userId, teamIds } });
    const blue = await create('Blue');
    await assign([blue]);
    const adminOnB = onB(app.admin);
    const teamsOnB = async () =>
      (await adminOnB.ok(`{ users(first: 5, search: "teamed@") { edges { node { teams { id name } } } } }`)).users.edges[0].node.teams.map(
        (t: { name: string }) => t.name,
      );
    expect(await teamsOnB()).toEqual(['Blue']); // B now keeps the organization's team names
    await app.admin.ok(`mutation($id: ID!) { renameTeam(id: $id, input: { name: "Green" }) { id } }`, { id: blue });
    await within(async () => (await teamsOnB())[0] === 'Green');
    // A team created on A and given at once: B meets an id it does not know, and reads the names again.
    await assign([blue, await create('Amber')]);
    expect(await teamsOnB()).toEqual(['Amber', 'Green']);
    await app.admin.ok(`mutation($id: ID!) { deleteTeam(id: $id) }`, { id: blue });
    await within(async () => (await teamsOnB()).join() === 'Amber');
    // And on A itself, at once after its own rename (its names read first).
    const pageOnA = `{ users(first: 5, search: "teamed@") { edges { node { teams { name } } } } }`;
    expect((await app.admin.ok(pageOnA)).users.edges[0].node.teams).toEqual([{ name: 'Amber' }]);
    await app.admin.ok(`mutation($id: ID!) { renameTeam(id: $id, input: { name: "Amber 2" }) { id } }`, {
      id: (await app.admin.ok(`{ teams { id name } }`)).teams.find((t: { name: string }) => t.name === 'Amber').id,
    });
    expect((await app.admin.ok(pageOnA)).users.edges[0].node.teams).toEqual([{ name: 'Amber 2' }]);
  });

  it('serves nothing stale while its change notifications are cut', async () => {
    const { client, userId } = await app.register('feedless@example.com', 'VIEWER');
    const browser = onB(client);
    await browser.ok(ME);
    // Cut every notification connection (both processes'); they come back on their own.
    await app.sql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'roster-changes'`);
    await app.admin.ok(`mutation($id: ID!) { revokeUserSessions(userId: $id) }`, { id: userId });
    expect(await within(() => signedOut(browser))).toBeLessThan(1_000);
    // Reconnected: the cache works again (one statement for a repeated request).
    const { client: again } = await app.register('feedback@example.com', 'VIEWER');
    const viewer = onB(again);
    await within(async () => {
      await viewer.ok(ME);
      const r = await viewer.fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': viewer.cookies.get('roster_csrf') as string },
        body: JSON.stringify({ query: `{ users(first: 1) { edges { node { id } } } }` }),
      });
      return r.headers.get('x-sql-statements') === '1';
    });
    expect(b.output()).toMatch(/Change notifications lost/);
  });

  it('enforces what a mutation changed on its own process at once, however late the announcement comes', async () => {
    // This process hears changes through a proxy the test holds back while each mutation runs: the
    // announcement of the commit reaches it only after the mutation's own work is done.
    const slow = await startCuttableProxy(app.db.url);
    const c = await startServer(app.db.url, { SQL_STATEMENT_HEADER: '1', DATABASE_LISTEN_URL: slow.via(app.db.url) });
    try {
      const onC = (client: Client) => {
        const other = new Client(c.url);
        for (const [k, v] of client.cookies) other.cookies.set(k, v);
        return other;
      };
      const admin = onC(app.admin);
      /** Runs a mutation on C while its announcements are held back for 300 ms. */
      const late = async <T>(mutation: () => Promise<T>): Promise<T> => {
        slow.freeze();
        const thaw = new Promise((r) => setTimeout(r, 300)).then(() => slow.thaw());
        try {
          return await mutation();
        } finally {
          await thaw;
        }
      };
      /** Whether C answers this browser's repeated request from its cache (one statement). */
      const cached = async (client: Client) => {
        const r = await client.fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': client.cookies.get('roster_csrf') as string },
          body: JSON.stringify({ query: `{ users(first: 1) { edges { node { id } } } }` }),
        });
        return r.headers.get('x-sql-statements') === '1';
      };
      const person = async (email: string, role = 'VIEWER') => {
        const { client, userId } = await app.register(email, role);
        const browser = onC(client);
        await within(async () => {
          await browser.ok(ME);
          return cached(browser);
        });
        return { client, browser, userId };
      };

      // Deleted: their session stops at once.
      const deleted = await person('late-deleted@example.com');
      await late(() =>
        admin.ok(`mutation($i: DeleteUserInput!) { deleteUser(input: $i) }`, { i: { id: deleted.userId, confirmation: 'DELETE' } }),
      );
      expect(await deleted.browser.code(`{ users { totalCount } }`)).toBe('UNAUTHENTICATED');

      // A new password ends their other sessions at once.
      const changed = await person('late-password@example.com');
      const laptop = new Client(c.url);
      await laptop.ok(`mutation($i: SignInInput!) { signIn(input: $i) { me { user { id } } } }`, {
        i: { email: 'late-password@example.com', password: STRONG_PASSWORD },
      });
      await within(async () => {
        await laptop.ok(ME);
        return cached(laptop);
      });
      await late(() =>
        changed.browser.ok(`mutation($i: ChangePasswordInput!) { changeMyPassword(input: $i) }`, {
          i: {
            currentPassword: STRONG_PASSWORD,
            newPassword: 'an entirely new passphrase',
            newPasswordConfirmation: 'an entirely new passphrase',
          },
        }),
      );
      expect(await signedOut(laptop)).toBe(true);
      expect(await signedOut(changed.browser)).toBe(false);

      // A role taken away holds at once.
      const demoted = await person('late-demoted@example.com', 'ADMIN');
      expect((await demoted.browser.gql(AUDIT)).errors).toBeUndefined();
      await late(() =>
        admin.ok(`mutation($i: UpdateUserInput!) { updateUser(input: $i) { id } }`, {
          i: { id: demoted.userId, roleId: app.roles['VIEWER'] },
        }),
      );
      expect(await demoted.browser.code(AUDIT)).toBe('FORBIDDEN');

      // Signed out: a copy of the cookie kept elsewhere stops at once.
      const leaving = await person('late-signout@example.com');
      const copy = onC(leaving.client);
      await late(() => leaving.browser.ok(`mutation { signOut }`));
      expect(await signedOut(copy)).toBe(true);

      // Eight at once, each answered only once its own change is heard: every deleted person is refused at once.
      const many = await Promise.all([...Array(8).keys()].map((i) => person(`late-parallel-${i}@example.com`)));
      await late(() =>
        Promise.all(
          many.map(({ userId }) =>
            admin.ok(`mutation($i: DeleteUserInput!) { deleteUser(input: $i) }`, { i: { id: userId, confirmation: 'DELETE' } }),
          ),
        ),
      );
      for (const { browser } of many) expect(await browser.code(`{ users { totalCount } }`)).toBe('UNAUTHENTICATED');
      // One query at a time on the listening connection, as pg's client will require.
      expect(c.output()).not.toMatch(/already executing a query/);
    } finally {
      await c.stop();
      await slow.close();
    }
  });

  it('stops caching when notifications do not reach its listener (a pooler in transaction mode, a wrong DATABASE_LISTEN_URL)', async () => {
    // This process listens on another database: its own heartbeats, sent where the triggers fire, never come back.
    const elsewhere = new URL(app.db.url);
    elsewhere.pathname = '/postgres';
    const deaf = await startServer(app.db.url, { SQL_STATEMENT_HEADER: '1', DATABASE_LISTEN_URL: elsewhere.toString() });
    try {
      const { client, userId } = await app.register('deaf@example.com', 'VIEWER');
      const browser = new Client(deaf.url);
      for (const [k, v] of client.cookies) browser.cookies.set(k, v);
      const statements = async () => {
        const r = await browser.fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': browser.cookies.get('roster_csrf') as string },
          body: JSON.stringify({ query: `{ users(first: 1) { edges { node { id } } } }` }),
        });
        return Number(r.headers.get('x-sql-statements'));
      };
      // It never serves from its cache (it says why within three heartbeats): every credential is looked up again.
      const t0 = Date.now();
      while (!/Change notifications do not reach this instance/.test(deaf.output())) {
        expect(Date.now() - t0).toBeLessThan(12_000);
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(await statements()).toBeGreaterThanOrEqual(2);
      expect(await statements()).toBeGreaterThanOrEqual(2);
      await app.admin.ok(`mutation($id: ID!) { revokeUserSessions(userId: $id) }`, { id: userId });
      expect((await browser.gql(ME)).data?.me).toBeNull();
    } finally {
      await deaf.stop();
    }
  });
});
