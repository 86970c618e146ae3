import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as Pg } from 'pg';
import { createTestDatabase, TestDatabase } from '../../../tools/testing/database';
import { freePort, startServer, TestServer } from '../../../tools/testing/server';
import { Client, Json } from './support/client';
import { STRONG_PASSWORD } from './support/app';

/** PgBouncer from the system (Debian's package; `.ci/run` installs it), or PGBOUNCER_BIN. */
function pgbouncerBinary(): string | null {
  const candidates = [process.env['PGBOUNCER_BIN'], '/usr/sbin/pgbouncer', '/usr/bin/pgbouncer', '/usr/local/bin/pgbouncer'];
  for (const c of candidates) if (c && existsSync(c)) return c;
  const which = spawnSync('sh', ['-c', 'command -v pgbouncer'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() : null;
}

const PGBOUNCER = pgbouncerBinary();
if (!PGBOUNCER) {
  // Said where the test runs, rather than passing silently.
  console.warn('pgbouncer: skipped, no pgbouncer binary (apt-get install pgbouncer, or set PGBOUNCER_BIN)');
}
const maybe = PGBOUNCER ? describe : describe.skip;

interface Bouncer {
  /** The same database's address through this PgBouncer. */
  via(url: string): string;
  output(): string;
  stop(): void;
}

/**
 * A real PgBouncer on a free loopback port in transaction mode, in front of the test PostgreSQL
 * (any database name is passed through), with fewer server connections than one Roster pool has, so
 * that consecutive statements of one client connection land on different server connections.
 */
async function startPgBouncer(target: string, extra: string[] = []): Promise<Bouncer> {
  const server = new URL(target);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'roster-pgbouncer-'));
  // PgBouncer refuses to run as root: then it runs as nobody, who must read its files.
  chmodSync(dir, 0o755);
  const user = decodeURIComponent(server.username) || 'postgres';
  const password = decodeURIComponent(server.password);
  const quote = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  writeFileSync(join(dir, 'users.txt'), `"${user}" ""\n`, { mode: 0o644 });
  const ini = join(dir, 'pgbouncer.ini');
  writeFileSync(
    ini,
    [
      '[databases]',
      `* = host=${server.hostname} port=${server.port || 5432} user=${quote(user)}${password ? ` password=${quote(password)}` : ''}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${join(dir, 'users.txt')}`,
      'pool_mode = transaction',
      'default_pool_size = 4',
      'max_client_conn = 200',
      // The limits docs/scaling.md gives operators: the pooler's own, as Roster's are not sent through it.
      'query_timeout = 15',
      'idle_transaction_timeout = 15',
      ...extra,
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  const bin = PGBOUNCER as string;
  const child: ChildProcess = spawn(bin, process.getuid?.() === 0 ? ['-u', 'nobody', ini] : [ini], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const via = (url: string) => {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(port);
    return u.toString();
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    const pg = new Pg({ connectionString: via(target) });
    const ok = await pg.connect().then(
      () => pg.query('SELECT 1').then(() => true),
      () => false,
    );
    await pg.end().catch(() => undefined);
    if (ok) break;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`pgbouncer did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    via,
    output: () => out,
    stop: () => {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const SIGN_IN = `mutation($e: String!, $p: String!) { signIn(input: { email: $e, password: $p }) { twoFactorRequired me { user { email } } } }`;
const PAGE = `query($after: String) { users(first: 50, after: $after, sortBy: EMAIL, sortDirection: ASC) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { email role { key } teams { name } } } } }`;
const INVITE = `mutation($i: CreateInvitationInput!) { createInvitation(input: $i) { user { id } } }`;
const TEAM = `mutation($n: String!) { createTeam(input: { name: $n }) { id } }`;
/** What a refused named statement says (the issue's "prepared statement … already exists / does not exist"), in a JSON log line. */
const NAME_REFUSED = /Named statements fail on this database address \(prepared statement \\"[^"\\]+\\" (already exists|does not exist)\)/;

/**
 * Roster behind PgBouncer in transaction mode, as Debian packages it (1.18: no protocol-level prepared
 * statements), with DATABASE_PREPARED_STATEMENTS=false and the change feed on a direct address.
 */
maybe('behind PgBouncer in transaction mode', () => {
  let db: TestDatabase;
  let pg: Pg;
  let bouncer: Bouncer;
  let server: TestServer;
  /** The issue's set-up: named statements left on, PgBouncer told to ignore the start-up parameters. */
  let ignoring: Bouncer;
  let on: TestServer;
  let roles: Record<string, string>;
  /** Invitations and teams made so far (every burst adds its own). */
  let made = 0;

  beforeAll(async () => {
    db = await createTestDatabase('pgbouncer');
    pg = new Pg({ connectionString: db.url });
    await pg.connect();
    // PgBouncer's stock settings: it refuses start-up parameters it does not know (statement_timeout…).
    bouncer = await startPgBouncer(db.url);
    ignoring = await startPgBouncer(db.url, ['ignore_startup_parameters = statement_timeout,idle_in_transaction_session_timeout']);
    // Both at once on an empty database, each through its PgBouncer: the migrations (under their lock),
    // the key check and the set-up URL go through the pooler too.
    [server, on] = await Promise.all([
      startServer(bouncer.via(db.url), { DATABASE_PREPARED_STATEMENTS: 'false', DATABASE_LISTEN_URL: db.url }),
      startServer(ignoring.via(db.url), { DATABASE_LISTEN_URL: db.url }),
    ]);
    const token = new URL(server.setupUrl ?? `${server.url}/?no-setup-url`).searchParams.get('token');
    await new Client(server.url).ok(`mutation($i: SetupFirstAdminInput!) { setupFirstAdmin(input: $i) { user { id } } }`, {
      i: {
        token,
        email: 'admin@example.com',
        firstName: 'Ada',
        lastName: 'Admin',
        password: STRONG_PASSWORD,
        passwordConfirmation: STRONG_PASSWORD,
      },
    });
    const rows = (await pg.query<{ key: string; id: string }>(`SELECT key, id FROM roles`)).rows;
    roles = Object.fromEntries(rows.map((r) => [r.key, r.id]));
    await pg.query(
      `WITH people AS (INSERT INTO users (email, first_name, last_name)
                       SELECT 'person' || lpad(g::text, 3, '0') || '@example.com', 'First' || g, 'Last' || g FROM generate_series(1, 120) g
                       RETURNING id)
       INSERT INTO memberships (organization_id, user_id, role_id) SELECT r.organization_id, p.id, r.id FROM people p, roles r WHERE r.id = $1`,
      [roles['MEMBER']],
    );
  }, 90_000);

  afterAll(async () => {
    await Promise.all([server?.stop(), on?.stop()]);
    bouncer?.stop();
    ignoring?.stop();
    await pg?.end();
    await db?.drop();
  });

  /** A new browser session of the first admin, signed in through `url`. */
  async function signIn(url: string): Promise<Client> {
    const c = new Client(url);
    const r = await c.ok(SIGN_IN, { e: 'admin@example.com', p: STRONG_PASSWORD });
    expect(r.signIn.me.user.email).toBe('admin@example.com');
    return c;
  }

  /** Every page of the users table, by cursor. */
  async function allPages(c: Client): Promise<string[]> {
    const emails: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Json = (await c.ok(PAGE, { after })).users;
      emails.push(...page.edges.map((e: Json) => e.node.email));
      if (!page.pageInfo.hasNextPage) return emails;
      after = page.pageInfo.endCursor;
    }
  }

  /**
   * From three sessions at once: invitations and teams (each a transaction, with advisory locks),
   * users pages and `me` (named statements when they are on). Every answer's errors, collected.
   */
  async function burst(url: string, rounds = 3): Promise<{ errors: unknown[]; invited: string[]; teams: string[] }> {
    const sessions = await Promise.all([signIn(url), signIn(url), signIn(url)]);
    const errors: unknown[] = [];
    const invited: string[] = [];
    const teams: string[] = [];
    const run = async (c: Client, query: string, variables: Record<string, unknown> = {}) => {
      const r = await c.gql(query, variables).catch((e: unknown) => ({ status: 0, errors: [String(e)] }));
      if (r.status !== 200 || r.errors?.length) errors.push({ status: r.status, errors: r.errors });
    };
    for (let round = 0; round < rounds; round++) {
      const work: Promise<void>[] = [];
      for (let i = 0; i < 24; i++) {
        const c = sessions[i % sessions.length];
        const n = ++made;
        const email = `burst${n}@example.com`;
        invited.push(email);
        work.push(run(c, INVITE, { i: { email, roleId: roles['VIEWER'], teamIds: [] } }));
        if (i % 3 === 0) {
          teams.push(`Team ${n}`);
          work.push(run(c, TEAM, { n: `Team ${n}` }));
        }
        work.push(run(c, PAGE, {}));
        work.push(run(c, `{ me { user { email } } }`));
      }
      await Promise.all(work);
    }
    return { errors, invited, teams };
  }

  it('started two instances at once through PgBouncer: migrations ran once, both are ready', async () => {
    expect([server, on].filter((s) => /Applied migrations/.test(s.output()))).toHaveLength(1);
    const { rows } = await pg.query(`SELECT name, count(*)::int AS n FROM migrations GROUP BY name HAVING count(*) > 1`);
    expect(rows).toEqual([]);
    for (const s of [server, on]) expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
  });

  it('signs in and serves the users page, every page of it', async () => {
    const admin = await signIn(server.url);
    const first = (await admin.ok(PAGE)).users;
    const expected = (await pg.query<{ email: string }>(`SELECT email FROM users ORDER BY email`)).rows.map((r) => r.email);
    expect(first.totalCount).toBe(expected.length);
    expect(first.edges[0].node.role.key).toBeDefined();
    expect(await allPages(admin)).toEqual(expected);
  });

  it('answers a burst of parallel mutations and reads without an error, and every write is there', async () => {
    const { errors, invited, teams } = await burst(server.url);
    expect(errors).toEqual([]);
    const { rows } = await pg.query<{ email: string }>(`SELECT email FROM users WHERE email = ANY($1::text[])`, [invited]);
    expect(rows).toHaveLength(invited.length);
    const named = await pg.query(`SELECT name FROM teams WHERE name = ANY($1::text[])`, [teams]);
    expect(named.rows).toHaveLength(teams.length);
    // Nothing named was refused: the switch leaves no named statement to refuse.
    expect(server.output()).not.toMatch(/Named statements fail/);
  });

  it('with named statements left on (the issue: PgBouncer told to ignore the limits), says so once and answers anyway', async () => {
    const { errors, invited } = await burst(on.url);
    // The same work met the refusal the issue reports: the test can tell the two settings apart…
    expect(on.output()).toMatch(NAME_REFUSED);
    expect(on.output().match(/Named statements fail/g)).toHaveLength(1);
    // …and no answer failed for it: the refused statement had not run, it ran again unnamed.
    expect(errors).toEqual([]);
    const { rows } = await pg.query(`SELECT email FROM users WHERE email = ANY($1::text[])`, [invited]);
    expect(rows).toHaveLength(invited.length);
    const expected = (await pg.query<{ email: string }>(`SELECT email FROM users ORDER BY email`)).rows.map((r) => r.email);
    expect(await allPages(await signIn(on.url))).toEqual(expected);
  });
});
