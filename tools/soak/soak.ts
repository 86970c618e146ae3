/**
 * `npm run soak [-- --seconds 60 --connections 64 --users 2000]`
 * Starts the real API on a fresh database and sends mixed reads and writes from many connections:
 * users pages and searches, `me`, teams, profile changes, user renames, team creation. Prints the
 * outcome per operation and the server's RSS at the start and the end; exits 1 on any error (a
 * non-2xx status or a GraphQL error) or when /readyz stops answering.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { Client as Pg } from 'pg';
import { seedDemo } from '../../apps/api/src/core/database/seed-demo';
import { arg } from '../cli-args';
import { createTestDatabase } from '../testing/database';
import { startServer } from '../testing/server';

const SECONDS = arg('seconds', 60);
const CONNECTIONS = arg('connections', 64);
const USERS = arg('users', 2000);
const PASSWORD = 'soak test passphrase 1234';

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)];

async function main(): Promise<void> {
  const db = await createTestDatabase('soak');
  const server = await startServer(db.url, { LOG_LEVEL: 'warn', NODE_ENV: 'production' });
  const pg = new Pg({ connectionString: db.url });
  await pg.connect();
  try {
    // The first organization's people (the runner becomes its first admin); requests name it, as the console does.
    const org = (await pg.query(`SELECT id, slug FROM organizations WHERE slug IS NOT NULL ORDER BY created_at, id LIMIT 1`)).rows[0] as {
      id: string;
      slug: string;
    };
    await seedDemo(pg, USERS, undefined, org.id);
    const setup = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `mutation($i: SetupFirstAdminInput!) { setupFirstAdmin(input: $i) { user { id } } }`,
        variables: {
          i: {
            token: new URL(server.setupUrl ?? '').searchParams.get('token'),
            email: 'runner@example.com',
            firstName: 'S',
            lastName: 'S',
            password: PASSWORD,
            passwordConfirmation: PASSWORD,
          },
        },
      }),
    });
    const cookies = setup.headers.getSetCookie().map((c) => c.split(';')[0]);
    const csrf = cookies.find((c) => c.startsWith('roster_csrf='))?.split('=')[1];
    if (!csrf) throw new Error(`set-up failed: ${await setup.text()}`);
    const headers = {
      'content-type': 'application/json',
      cookie: cookies.join('; '),
      'x-csrf-token': csrf,
      'x-roster-organization': org.slug,
    };
    const ids: string[] = (
      await pg.query(`SELECT user_id FROM memberships WHERE organization_id = $1 AND email <> 'runner@example.com' LIMIT 500`, [org.id])
    ).rows.map((r) => r.user_id);
    let serial = 0;

    const operations: Record<string, () => { query: string; variables?: Record<string, unknown> }> = {
      'users page': () => ({ query: `{ users(first: 50) { totalCount edges { node { id email role { name } teams { name } } } } }` }),
      'users search': () => ({
        query: `query($s: String) { users(first: 50, search: $s) { totalCount edges { node { id } } } }`,
        variables: { s: pick(['smith', 'a', '12', 'example', 'zzzz']) },
      }),
      me: () => ({ query: `{ me { user { id email } permissions } }` }),
      teams: () => ({ query: `{ teams { id name memberCount } }` }),
      'update my profile': () => ({
        query: `mutation($t: Theme) { updateMyProfile(input: { theme: $t }) { theme } }`,
        variables: { t: pick(['LIGHT', 'DARK', 'SYSTEM']) },
      }),
      'rename a user': () => ({
        query: `mutation($i: UpdateUserInput!) { updateUser(input: $i) { id } }`,
        variables: { i: { id: pick(ids), firstName: `Soak${serial++}` } },
      }),
      'create a team': () => ({
        query: `mutation($n: String!) { createTeam(input: { name: $n }) { id } }`,
        variables: { n: `Soak team ${process.pid}-${serial++}` },
      }),
    };
    const names = Object.keys(operations);
    const tally = new Map<string, { ok: number; errors: Map<string, number> }>(names.map((n) => [n, { ok: 0, errors: new Map() }]));
    // Which operation each connection has in flight (autocannon reports the response to the same connection).
    const inFlight = new WeakMap<object, string>();

    // Warm up, then measure RSS from a settled start.
    await autocannon({
      url: `${server.url}/graphql`,
      connections: 8,
      duration: 3,
      method: 'POST',
      headers,
      body: JSON.stringify(operations['users page']()),
    });
    const rssStart = rssMb(server.pid);
    console.log(
      `Soak: ${CONNECTIONS} connections for ${SECONDS} s, ${names.length} operations mixed, ${USERS} users; server RSS at start ${rssStart.toFixed(0)} MB`,
    );
    // RSS every 10 s: a leak climbs steadily; a heap that has reached its working size stays level.
    const rssSeries: number[] = [];
    const sampler = setInterval(() => rssSeries.push(Math.round(rssMb(server.pid))), 10_000);
    let readyzFailures = 0;
    const readyz = setInterval(() => {
      const t = performance.now();
      fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(1000) }).then(
        (r) => (r.status !== 200 || performance.now() - t > 1000) && readyzFailures++,
        () => readyzFailures++,
      );
    }, 1000);
    const result = await autocannon({
      url: `${server.url}/graphql`,
      connections: CONNECTIONS,
      duration: SECONDS,
      method: 'POST',
      headers,
      requests: [
        {
          setupRequest: (req, context) => {
            const name = pick(names);
            inFlight.set(context, name);
            return { ...req, body: JSON.stringify(operations[name]()) };
          },
          onResponse: (status, body, context) => {
            const t = tally.get(inFlight.get(context) ?? '') ?? { ok: 0, errors: new Map() };
            let code = status >= 400 ? `HTTP ${status}` : '';
            if (!code) {
              try {
                const parsed = JSON.parse(body) as { errors?: { extensions?: { code?: string } }[] };
                if (parsed.errors?.length) code = parsed.errors[0].extensions?.code ?? 'UNKNOWN';
              } catch {
                code = 'NOT_JSON';
              }
            }
            if (code) t.errors.set(code, (t.errors.get(code) ?? 0) + 1);
            else t.ok++;
          },
        },
      ],
    });
    clearInterval(readyz);
    clearInterval(sampler);
    const rssEnd = rssMb(server.pid);
    const rows = [...tally].map(([operation, t]) => ({
      operation,
      ok: t.ok,
      errors: [...t.errors].map(([c, n]) => `${c} × ${n}`).join(', ') || 0,
    }));
    console.table(rows);
    const errors =
      [...tally.values()].reduce((n, t) => n + [...t.errors.values()].reduce((a, b) => a + b, 0), 0) + result.errors + result.timeouts;
    console.log(
      `${result.requests.total} requests, ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms; ` +
        `errors ${errors}; /readyz slow or failing ${readyzFailures}×; RSS start ${rssStart.toFixed(0)} MB, end ${rssEnd.toFixed(0)} MB`,
    );
    console.log(`RSS every 10 s (MB): ${rssSeries.join(' → ')}`);
    if (errors || readyzFailures) process.exitCode = 1;
  } finally {
    await pg.end();
    await server.stop();
    await db.drop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
