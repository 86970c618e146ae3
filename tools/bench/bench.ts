/**
 * `npm run bench [-- --users 1000000 --seconds 10 --connections 16]`
 * Seeds N users with teams in a fresh database, starts the real API, then prints req/s and
 * p50/p99 latency of the users page and of email searches under concurrent load, the SQL
 * statements per request, and export rows/s with the server's peak RSS. Prints figures; asserts nothing.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { Client as Pg } from 'pg';
import { seedDemo } from '../../apps/api/src/database/seed-demo';
import { arg } from '../cli-args';
import { createTestDatabase } from '../testing/database';
import { startServer } from '../testing/server';

const USERS = arg('users', 100_000);
const SECONDS = arg('seconds', 10);
const CONNECTIONS = arg('connections', 16);
const WORKERS = arg('workers', 1);
const PASSWORD = 'load test passphrase 1234';

const PAGE = `query($search: String, $after: String) { users(first: 50, search: $search, after: $after, sortBy: EMAIL, sortDirection: ASC) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { node { id email firstName lastName role { name } teams { name } permissionLevel lastSignInAt status } } } }`;

/** The server and its worker processes (with WEB_CONCURRENCY > 1). */
function processTree(pid: number): number[] {
  const children = readdirSync(`/proc/${pid}/task`).flatMap((t) =>
    readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
  );
  return [pid, ...children.flatMap(processTree)];
}
/** Peak resident memory (VmHWM) summed over the server's processes, in MB. */
const peakRss = (pid: number) =>
  processTree(pid).reduce((mb, p) => mb + Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0) / 1024, 0);
const resetPeak = (pid: number) => processTree(pid).forEach((p) => writeFileSync(`/proc/${p}/clear_refs`, '5'));

async function main(): Promise<void> {
  const t0 = Date.now();
  // --database-url reuses a database (seeded up to --users, never dropped); otherwise a fresh one.
  const reuse = process.argv.includes('--database-url') ? process.argv[process.argv.indexOf('--database-url') + 1] : null;
  const db = reuse ? { url: reuse, drop: async () => undefined } : await createTestDatabase('bench');
  const server = await startServer(db.url, {
    SQL_STATEMENT_HEADER: '1',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    DATABASE_POOL_SIZE: '20',
    WEB_CONCURRENCY: String(WORKERS),
  });
  const pg = new Pg({ connectionString: db.url });
  pg.on('error', () => undefined);
  await pg.connect();
  try {
    const existing = Number((await pg.query(`SELECT count(*) AS n FROM users WHERE password_hash IS NULL`)).rows[0].n);
    console.log(`Seeding ${Math.max(0, USERS - existing).toLocaleString('en')} users (${existing.toLocaleString('en')} there)...`);
    if (USERS > existing) await seedDemo(pg, USERS - existing);
    console.log(`Seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    // The first admin: registered through the set-up URL, or signed in when the database has one.
    const signIn = server.setupUrl
      ? {
          query: `mutation($i: SetupFirstAdminInput!) { setupFirstAdmin(input: $i) { user { id } } }`,
          variables: {
            i: {
              token: new URL(server.setupUrl).searchParams.get('token'),
              email: 'bench-admin@example.com',
              firstName: 'B',
              lastName: 'B',
              password: PASSWORD,
              passwordConfirmation: PASSWORD,
            },
          },
        }
      : { query: `mutation { signIn(input: { email: "bench-admin@example.com", password: "${PASSWORD}" }) { me { user { id } } } }` };
    const setup = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(signIn),
    });
    if (!setup.headers.getSetCookie().length) throw new Error(`sign-in failed: ${await setup.text()}`);
    const cookies = setup.headers.getSetCookie().map((c) => c.split(';')[0]);
    const csrf = cookies.find((c) => c.startsWith('roster_csrf='))?.split('=')[1] ?? '';
    const headers = { 'content-type': 'application/json', cookie: cookies.join('; '), 'x-csrf-token': csrf };

    // A rare term: one seeded user's number; a common one: a last name every 26th user has.
    const rare = String(Math.floor(USERS * 0.7317));
    const scenarios: { name: string; vars: () => Record<string, unknown> }[] = [
      { name: 'users page (50 rows with teams, totalCount)', vars: () => ({}) },
      { name: `email search, rare term "${rare}"`, vars: () => ({ search: rare }) },
      { name: 'email search, common term "smith"', vars: () => ({ search: 'smith' }) },
    ];
    const results = [];
    for (const s of scenarios) {
      const body = JSON.stringify({ query: PAGE, variables: s.vars() });
      // One request alone, to read the SQL statement count and check the answer.
      const probe = await fetch(`${server.url}/graphql`, { method: 'POST', headers, body });
      const answer = (await probe.json()) as { errors?: unknown[]; data?: { users: { totalCount: number } } };
      if (answer.errors) throw new Error(JSON.stringify(answer.errors));
      await autocannon({ url: `${server.url}/graphql`, connections: CONNECTIONS, duration: 2, method: 'POST', headers, body }); // warm-up
      const r = await autocannon({
        url: `${server.url}/graphql`,
        connections: CONNECTIONS,
        duration: SECONDS,
        method: 'POST',
        headers,
        body,
      });
      results.push({
        scenario: s.name,
        matches: answer.data?.users.totalCount,
        'req/s': Math.round(r.requests.average),
        'p50 ms': r.latency.p50,
        'p99 ms': r.latency.p99,
        'SQL/request': probe.headers.get('x-sql-statements'),
        'non-2xx': r.non2xx + r.errors,
      });
    }

    // Export: the whole table as CSV and as XLSX, timed, with the server's peak RSS.
    const exports = [];
    for (const format of ['csv', 'xlsx']) {
      resetPeak(server.pid);
      const before = peakRss(server.pid);
      const t = performance.now();
      const res = await fetch(`${server.url}/api/export/users?format=${format}`, { headers });
      let bytes = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
      const seconds = (performance.now() - t) / 1000;
      const rows = Number((await pg.query(`SELECT n FROM user_counts`)).rows[0].n);
      exports.push({
        format,
        rows,
        seconds: seconds.toFixed(1),
        'rows/s': Math.round(rows / seconds),
        MB: (bytes / 1e6).toFixed(1),
        'RSS before MB': before.toFixed(0),
        'peak RSS MB': peakRss(server.pid).toFixed(0),
      });
    }
    console.log(
      `\nRoster benchmark: ${USERS.toLocaleString('en')} users, ${CONNECTIONS} connections, ${SECONDS} s per scenario, ` +
        `${WORKERS} server process(es), ${require('node:os').cpus().length} cores (load generator on the same machine)`,
    );
    console.table(results);
    console.table(exports);
  } finally {
    await pg.end();
    await server.stop();
    await db.drop();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
