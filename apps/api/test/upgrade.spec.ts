import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client as Pg } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/core/database/data-source';
import { createTestDatabase, TestDatabase } from '../../../tools/testing/database';
import { freePort, NODE_FLAGS, ROOT, startServer } from '../../../tools/testing/server';
import { startApp, STRONG_PASSWORD } from './support/app';
import { Client } from './support/client';
import { authenticator } from './support/totp';

const MAIN = resolve(ROOT, 'dist/apps/api/main.js');

/** The key startServer gives a database. */
const keyOf = (databaseUrl: string) => createHash('sha256').update(new URL(databaseUrl).pathname).digest('base64');

/** Runs the built server on this database until it exits (or 30 s): its exit code, standard output and error. */
function run(
  databaseUrl: string,
  port: number,
  key = keyOf(databaseUrl),
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, [...NODE_FLAGS, MAIN], {
      cwd: ROOT,
      env: {
        ...process.env,
        LOG_LEVEL: 'warn',
        DATABASE_URL: databaseUrl,
        HOST: '127.0.0.1',
        PORT: String(port),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        ROSTER_SECRET_KEY: key,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      ok({ code, stdout, stderr });
    });
  });
}

/** PostgreSQL's client tools, when they are installed (Debian: postgresql-client). */
const pgTool = (name: string) => (spawnSync(name, ['--version'], { encoding: 'utf8' }).stdout ?? '').match(/ (\d+)\./)?.[1];
const PG_DUMP_MAJOR = pgTool('pg_dump') && pgTool('pg_restore') ? Number(pgTool('pg_dump')) : null;
if (PG_DUMP_MAJOR === null) console.warn('backup: skipped, no pg_dump/pg_restore (apt-get install postgresql-client)');
const withPgDump = PG_DUMP_MAJOR === null ? describe.skip : describe;

/** A backup as docs/operations.md takes and restores it: pg_dump, pg_restore into an empty database, the same key. */
withPgDump('backup and restore', () => {
  it('brings people, passwords and two-factor secrets back with the key, and is refused with another key', async () => {
    const app = await startApp('backup');
    let closed = false;
    const dir = mkdtempSync(join(tmpdir(), 'roster-backup-'));
    const restored = await createTestDatabase('restored');
    try {
      const [{ v }] = await app.sql<{ v: number }>(`SELECT current_setting('server_version_num')::int AS v`);
      const serverMajor = Math.floor(v / 10_000);
      if ((PG_DUMP_MAJOR as number) < serverMajor) {
        console.warn(`backup: skipped, pg_dump ${PG_DUMP_MAJOR} cannot dump PostgreSQL ${serverMajor}`);
        return;
      }
      // The admin turns two-factor sign-in on: the secret is sealed with the instance's key.
      const setup = (await app.admin.ok(`mutation { startTwoFactorSetup { secret } }`)).startTwoFactorSetup;
      await app.admin.ok(`mutation($c: String!) { completeTwoFactorSetup(input: { code: $c }) { recoveryCodes } }`, {
        c: authenticator(setup.secret),
      });
      await app.register('member@example.com', 'MEMBER');

      const file = join(dir, 'roster.dump');
      const dump = spawnSync('pg_dump', ['--format=custom', '--file', file, app.db.url], { encoding: 'utf8' });
      expect(dump.stderr).toBe('');
      expect(dump.status).toBe(0);
      const restore = spawnSync('pg_restore', ['--no-owner', '--dbname', restored.url, file], { encoding: 'utf8' });
      expect(restore.stderr).toBe('');
      expect(restore.status).toBe(0);
      await app.close();
      closed = true;

      // Another key (a new one, or none: one generated in the data folder) is refused in one line.
      const refused = await run(restored.url, await freePort(), randomBytes(32).toString('base64'));
      expect(refused.code).toBe(1);
      expect(refused.stderr.trim()).toBe(
        "[roster] configuration error: ROSTER_SECRET_KEY is not the key this database's secrets are sealed with: give every instance the same ROSTER_SECRET_KEY",
      );

      // With the backed-up key: the same people, and the admin's second factor still works.
      const server = await startServer(restored.url, { ROSTER_SECRET_KEY: keyOf(app.db.url) });
      try {
        expect(server.setupUrl).toBeNull();
        const admin = new Client(server.url);
        const signIn = await admin.ok(
          `mutation($e: String!, $p: String!) { signIn(input: { email: $e, password: $p }) { twoFactorRequired challengeToken } }`,
          { e: 'admin@example.com', p: STRONG_PASSWORD },
        );
        expect(signIn.signIn.twoFactorRequired).toBe(true);
        await admin.ok(
          `mutation($t: String!, $c: String!) { verifyTwoFactor(input: { challengeToken: $t, code: $c }) { user { email } } }`,
          {
            t: signIn.signIn.challengeToken,
            c: authenticator(setup.secret, Date.now() / 1000 + 30),
          },
        );
        const users = await admin.ok(`{ users(first: 10, sortBy: EMAIL) { totalCount edges { node { email } } } }`);
        expect(users.users.edges.map((e: { node: { email: string } }) => e.node.email)).toEqual([
          'admin@example.com',
          'member@example.com',
        ]);
      } finally {
        await server.stop();
      }
    } finally {
      if (!closed) await app.close();
      await restored.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

/** Upgrades and rollbacks as an operator meets them (docs/operations.md). */
describe('upgrade and rollback', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('upgrade');
  });
  afterAll(() => db?.drop());

  const migrations = async () => {
    const pg = new Pg({ connectionString: db.url });
    await pg.connect();
    try {
      return (await pg.query(`SELECT id, "timestamp", name FROM migrations ORDER BY id`)).rows;
    } finally {
      await pg.end();
    }
  };
  const sql = async (text: string) => {
    const pg = new Pg({ connectionString: db.url });
    await pg.connect();
    await pg.query(text).finally(() => pg.end());
  };

  it('refuses to start on a schema newer than the code, in one line, and changes nothing', async () => {
    // This version creates its schema and stops.
    const first = await startServer(db.url);
    await first.stop();
    const known = await migrations();
    expect(known.length).toBeGreaterThan(10);

    // A later version ran here (rolled back without restoring the database): its migration is recorded.
    await sql(`INSERT INTO migrations ("timestamp", name) VALUES (4102444800000, 'LaterFeature4102444800000')`);
    const before = await migrations();
    const port = await freePort();
    const refused = await run(db.url, port);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^\[roster\] configuration error: the database's schema is newer than this version of Roster: it has migration LaterFeature4102444800000, which this version does not know .*restore the backup taken before the upgrade/,
      ),
    ]);
    expect(refused.stdout).not.toContain('Ready');
    expect(await migrations()).toEqual(before);
    // Nothing listens on the port.
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();

    // The same version starts again once the database is the one it knows (as after restoring the backup).
    await sql(`DELETE FROM migrations WHERE name = 'LaterFeature4102444800000'`);
    const again = await startServer(db.url);
    try {
      expect((await fetch(`${again.url}/readyz`)).status).toBe(200);
    } finally {
      await again.stop();
    }
    expect(await migrations()).toEqual(known);
  });
});

/**
 * A database of one company, as the release before organizations leaves it, becomes one organization:
 * made by today's server, taken back to the schema before organizations (the migration's own revert,
 * data kept), then started with ORGANIZATION_NAME.
 */
describe('upgrade to organizations', () => {
  const ORGANIZATION_TABLES = ['roles', 'teams', 'user_teams', 'invitations', 'api_tokens', 'two_factor_policy', 'audit_events'];

  it('puts every row in one organization named by ORGANIZATION_NAME; sessions and tokens keep working', async () => {
    const app = await startApp('organizations-upgrade');
    try {
      const team = await app.admin.ok(`mutation { createTeam(input: { name: "Ops" }) { id } }`);
      const member = await app.register('member@example.com', 'MEMBER', [team.createTeam.id]);
      await app.invite('pending@example.com', 'VIEWER');
      const created = await app.admin.ok(`mutation { createApiToken(input: { name: "ci" }) { secret } }`);
      const leaver = await app.register('leaver@example.com', 'VIEWER');
      await app.admin.ok(`mutation($id: ID!) { deactivateUser(id: $id) { id } }`, { id: leaver.userId });
      const count = async (table: string) => Number((await app.sql<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0].n);
      const before: Record<string, number> = {};
      for (const t of ORGANIZATION_TABLES) before[t] = await count(t);
      const people = await app.sql(
        `SELECT m.user_id AS id, m.email, m.status, m.role_id, m.team_count FROM memberships m ORDER BY m.email`,
      );
      expect(people.map((p) => [p['email'], p['status']])).toEqual([
        ['admin@example.com', 'ACTIVE'],
        ['leaver@example.com', 'DEACTIVATED'],
        ['member@example.com', 'ACTIVE'],
        ['pending@example.com', 'INVITED'],
      ]);
      await app.server.stop();

      const ds = new DataSource(dataSourceOptions(app.db.url));
      await ds.initialize();
      // Back to the schema before organizations: every migration since, then its own.
      for (let last = ''; last !== 'Organizations1765000000000';) {
        [{ name: last }] = await ds.query(`SELECT name FROM migrations ORDER BY id DESC LIMIT 1`);
        await ds.undoLastMigration({ transaction: 'each' });
      }
      await ds.destroy();
      expect(await app.sql(`SELECT to_regclass('organizations') AS t`)).toEqual([{ t: null }]);
      expect(await app.sql(`SELECT table_name FROM information_schema.columns WHERE column_name = 'organization_id'`)).toEqual([]);

      const server = await startServer(app.db.url, { ORGANIZATION_NAME: 'Acme Corp' });
      try {
        const organizations = await app.sql<{ id: string; slug: string; name: string; status: string }>(
          `SELECT id, slug, name, status FROM organizations`,
        );
        expect(organizations).toEqual([{ id: expect.any(String), slug: 'acme-corp', name: 'Acme Corp', status: 'ACTIVE' }]);
        const org = organizations[0].id;
        for (const t of ORGANIZATION_TABLES) {
          expect([t, await count(t)]).toEqual([t, before[t]]);
          const [{ n }] = await app.sql<{ n: string }>(`SELECT count(*) AS n FROM ${t} WHERE organization_id IS DISTINCT FROM $1`, [org]);
          expect([t, Number(n)]).toEqual([t, 0]);
        }
        expect(
          await app.sql(`SELECT m.user_id AS id, m.email, m.status, m.role_id, m.team_count FROM memberships m ORDER BY m.email`),
        ).toEqual(people);
        // The person is registered or not; deactivation is their membership's.
        expect(await app.sql(`SELECT email, status FROM users ORDER BY email`)).toEqual([
          { email: 'admin@example.com', status: 'ACTIVE' },
          { email: 'leaver@example.com', status: 'ACTIVE' },
          { email: 'member@example.com', status: 'ACTIVE' },
          { email: 'pending@example.com', status: 'INVITED' },
        ]);

        // The sessions of before still work, and see the organization.
        const admin = new Client(server.url);
        for (const [k, v] of app.admin.cookies) admin.cookies.set(k, v);
        const me = await admin.ok(`{ me { user { email } organization { slug name status } operator } }`);
        expect(me.me).toEqual({
          user: { email: 'admin@example.com' },
          organization: { slug: 'acme-corp', name: 'Acme Corp', status: 'ACTIVE' },
          // The active admins of before run the platform (someone must be able to create organizations).
          operator: true,
        });
        const again = new Client(server.url);
        for (const [k, v] of member.client.cookies) again.cookies.set(k, v);
        expect((await again.ok(`{ me { user { email } operator } }`)).me).toEqual({
          user: { email: 'member@example.com' },
          operator: false,
        });
        // So does the API token, and new rows land in the organization.
        const bearer = new Client(server.url, { bearer: created.createApiToken.secret });
        expect((await bearer.ok(`{ users(first: 10) { totalCount } }`)).users.totalCount).toBe(4);
        await admin.ok(`mutation { createTeam(input: { name: "Support" }) { id } }`);
        expect(await app.sql(`SELECT organization_id FROM teams WHERE name = 'Support'`)).toEqual([{ organization_id: org }]);
      } finally {
        await server.stop();
      }
    } finally {
      await app.close();
    }
  });

  it('calls the organization "Default" unless ORGANIZATION_NAME says otherwise', async () => {
    const app = await startApp('organizations-default');
    try {
      expect(await app.sql(`SELECT slug, name FROM organizations`)).toEqual([{ slug: 'default', name: 'Default' }]);
      expect((await app.admin.ok(`{ me { organization { slug name } } }`)).me.organization).toEqual({ slug: 'default', name: 'Default' });
    } finally {
      await app.close();
    }
  });

  it('refuses a row that names no organization instead of giving it to the first one', async () => {
    const app = await startApp('organizations-named');
    try {
      const defaults = await app.sql(
        `SELECT table_name, column_default FROM information_schema.columns
          WHERE column_name = 'organization_id' AND table_name = ANY($1) ORDER BY table_name`,
        [ORGANIZATION_TABLES],
      );
      expect(defaults).toEqual([...ORGANIZATION_TABLES].sort().map((t) => ({ table_name: t, column_default: null })));
      expect(await app.sql(`SELECT to_regprocedure('roster_first_organization()') AS f`)).toEqual([{ f: null }]);
      await expect(app.sql(`INSERT INTO teams (name) VALUES ('Nowhere')`)).rejects.toThrow(
        'null value in column "organization_id" of relation "teams" violates not-null constraint',
      );
      expect(await app.sql(`SELECT name FROM teams WHERE name = 'Nowhere'`)).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
