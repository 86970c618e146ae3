/**
 * `npm run bench:scim [-- --database-url URL] [--users 500000 --organizations 10000 --org-size 50] [--requests 200]
 *   [--sync 10000] [--concurrency 1,4] [--only-reads | --only-sync]`
 * SCIM at scale (issue 28, design §11 item 6). On the organizations shape of `npm run bench` (organizations-seed.ts:
 * the first organization, the bench admin's, with --users members; a fresh database, or one it seeded given by
 * --database-url, topped up), the large organization is given what an identity provider's people have (an
 * externalId each, a year of join and change dates, 1 in 500 changed in the last hour, 1 in 37 deactivated; once,
 * without triggers). The real server runs as the Dockerfile runs it (its environment and Node flags, every request
 * logged). Then, with an API token of the large organization's admin:
 *
 * - reads: p50/p95 of --requests GET /scim/v2/Users, one at a time, of each filter (`userName eq`, `externalId eq`,
 *   `emails[type eq "work"].value eq`, `meta.lastModified gt` the last hour, a rare `userName co`, `userName sw`,
 *   `active eq false`), each request naming another member where the filter names one;
 * - a full sync as an identity provider runs it: --sync new people into a new organization, for each
 *   `GET /Users?filter=userName eq "…"` (no one) then `POST /Users` (Okta's body), by --concurrency workers
 *   (1: Entra-like, 4: Okta-like; a new organization for each), the wall time and p50/p95 of each request.
 *
 * Prints figures; asserts nothing but that each answer is the expected status (an error is counted and printed).
 */
import http from 'node:http';
import { Client as Pg } from 'pg';
import { arg } from '../cli-args';
import { createTestDatabase } from '../testing/database';
import { startServer, type TestServer } from '../testing/server';
import { BENCH_ADMIN, benchSession, ORGANIZATION_HEADER } from './common';
import { deployedConfiguration } from './deployed';
import { seedOrganizations } from './organizations-seed';

const env = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const USERS = arg('users', env('BENCH_USERS', 500_000));
const ORGANIZATIONS = arg('organizations', env('BENCH_ORGANIZATIONS', 10_000));
const ORG_SIZE = arg('org-size', env('BENCH_ORG_SIZE', 50));
const REQUESTS = arg('requests', 200);
const SYNC = arg('sync', 10_000);
const option = (name: string) => (process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : null);
const CONCURRENCY = (option('concurrency') ?? '1,4').split(',').map(Number);
const ONLY_READS = process.argv.includes('--only-reads');
const ONLY_SYNC = process.argv.includes('--only-sync');
/** Roster's pool in the bench, the image's (DATABASE_POOL_SIZE, or the server's default), as `npm run bench`. */
const POOL_SIZE = deployedConfiguration().poolSize;
const SCIM = '/scim/v2';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';

const CREATE_TOKEN = `mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { secret } }`;

/** A GraphQL request of a console session; throws on errors. */
async function graphql<T>(
  server: TestServer,
  headers: Record<string, string>,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const answer = (await res.json()) as { data?: T; errors?: unknown[] };
  if (answer.errors) throw new Error(`${query.slice(0, 60)}: ${JSON.stringify(answer.errors)}`);
  return answer.data as T;
}

/** An API token of the bench admin in the organization `slug` (no cap: the admin's permissions). */
async function scimToken(server: TestServer, session: Record<string, string>, slug: string): Promise<string> {
  const data = await graphql<{ createApiToken: { secret: string } }>(server, { ...session, [ORGANIZATION_HEADER]: slug }, CREATE_TOKEN, {
    i: { name: `bench scim ${Date.now()}` },
  });
  return data.createApiToken.secret;
}

/**
 * What a provisioned organization's people have, once (the first time; later runs find external ids there): an
 * externalId each (Okta's shape), joined over the last year and last changed after that, 1 in 37 deactivated,
 * written without triggers (as the seed writes). Every run then stamps 1 in 500 as changed in the last hour.
 */
async function prepareLarge(pg: Pg, organizationId: string): Promise<void> {
  const t0 = Date.now();
  const done = (
    await pg.query(`SELECT 1 FROM memberships WHERE organization_id = $1 AND external_id IS NOT NULL LIMIT 1`, [organizationId])
  ).rowCount;
  const recent = `abs(hashtext(m.email)) % 500 = 7`;
  let stale: { rowCount: number | null } = { rowCount: 0 };
  await pg.query('BEGIN');
  try {
    await pg.query(`SET LOCAL session_replication_role = replica`);
    if (!done) {
      console.log('Giving the large organization external ids, dates and deactivated people (once)...');
      const joined = `now() - interval '1 day' - ((abs(hashtext(m.user_id::text)) % 525600) || ' minutes')::interval`;
      await pg.query(
        `UPDATE memberships m SET external_id = '00u' || substr(md5(m.user_id::text), 1, 17),
                joined_at = ${joined},
                updated_at = ${joined} + ((abs(hashtext(m.email)) % 1440) || ' minutes')::interval,
                status = CASE WHEN abs(hashtext(m.email || '/d')) % 37 = 0 THEN 'DEACTIVATED' ELSE m.status END
          WHERE m.organization_id = $1 AND m.email NOT LIKE 'bench-%' AND m.status <> 'INVITED'`,
        [organizationId],
      );
    }
    // Every other membership last changed when it joined, as the SCIM migration left the rows it found (the seed's
    // small organizations were written before it had updated_at: their "now" would be everyone's last hour in the
    // column's statistics, and no plan would read meta.lastModified's index).
    stale = await pg.query(
      `SELECT 1 FROM memberships WHERE organization_id <> $1 AND updated_at > joined_at + interval '1 minute' AND email LIKE '%.test' LIMIT 1`,
      [organizationId],
    );
    if (stale.rowCount) {
      console.log("Dating the other organizations' last changes at their joining (once)...");
      await pg.query(
        `UPDATE memberships SET updated_at = joined_at WHERE organization_id <> $1 AND updated_at > joined_at + interval '1 minute' AND email LIKE '%.test'`,
        [organizationId],
      );
    }
    // The last hour's changes, whenever the bench runs.
    await pg.query(
      `UPDATE memberships m SET updated_at = now() - ((abs(hashtext(m.email)) % 3500) || ' seconds')::interval
        WHERE m.organization_id = $1 AND m.email NOT LIKE 'bench-%' AND ${recent}`,
      [organizationId],
    );
    await pg.query('COMMIT');
  } catch (e) {
    await pg.query('ROLLBACK');
    throw e;
  }
  if (!done || stale.rowCount) await pg.query('VACUUM (ANALYZE) memberships');
  console.log(`  large organization ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

interface Answer {
  status: number;
  /** A ListResponse's, or an error's (for printing). */
  body: { totalResults?: number; Resources?: unknown[] } | null;
}

/**
 * The client's connections: kept alive, as an identity provider's are. node:http rather than fetch: the client
 * shares the server's two cores, and fetch costs it about twice the CPU per request (what an identity
 * provider spends on its own machines is not Roster's).
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

async function scim(server: TestServer, token: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<Answer> {
  const body = init.body === undefined ? undefined : Buffer.from(JSON.stringify(init.body));
  return new Promise<Answer>((ok, ko) => {
    const req = http.request(
      `${server.url}${SCIM}${path}`,
      {
        agent,
        method: init.method ?? 'GET',
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/scim+json',
          ...(body ? { 'content-type': 'application/scim+json', 'content-length': body.length } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          ok({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null });
        });
        res.on('error', ko);
      },
    );
    req.on('error', ko);
    req.end(body);
  });
}

const filterPath = (filter: string, extra = '') => `/Users?filter=${encodeURIComponent(filter)}${extra}`;

interface ReadCase {
  name: string;
  /** The filter of request i. */
  filter: (i: number) => string;
}

/** The read cases, their values drawn from the large organization's members (a different one each request). */
async function readCases(pg: Pg, organizationId: string): Promise<ReadCase[]> {
  const members = (
    await pg.query(
      `SELECT email, external_id FROM memberships m
        WHERE m.organization_id = $1 AND m.external_id IS NOT NULL
          AND m.user_id IN (SELECT user_id FROM memberships WHERE organization_id = $1 ORDER BY md5(user_id::text) LIMIT $2)`,
      [organizationId, REQUESTS],
    )
  ).rows as { email: string; external_id: string }[];
  const at = (i: number) => members[i % members.length];
  // A rare term: a member's number (ada.lovelace12345@acme.test → "12345"); a prefix: their email to its number's
  // last digit ("ada.lovelace1234": ~11 people).
  const number = (i: number) => /(\d+)@/.exec(at(i).email)?.[1] ?? at(i).email.split('@')[0];
  const prefix = (i: number) => at(i).email.split('@')[0].slice(0, -1);
  const lastHour = () => new Date(Date.now() - 3600_000).toISOString();
  return [
    { name: 'userName eq', filter: (i) => `userName eq "${at(i).email}"` },
    { name: 'externalId eq', filter: (i) => `externalId eq "${at(i).external_id}"` },
    { name: 'emails[type eq "work"].value eq', filter: (i) => `emails[type eq "work"].value eq "${at(i).email.toUpperCase()}"` },
    { name: 'meta.lastModified gt (the last hour)', filter: () => `meta.lastModified gt "${lastHour()}"` },
    { name: 'userName co (rare term)', filter: (i) => `userName co "${number(i)}"` },
    { name: 'userName sw', filter: (i) => `userName sw "${prefix(i)}"` },
    { name: 'active eq false', filter: () => `active eq false` },
  ];
}

async function benchReads(server: TestServer, token: string, cases: ReadCase[]): Promise<void> {
  const rows: Record<string, unknown>[] = [];
  for (const c of cases) {
    // Warm-up: the token's principal, the roles cache, the statement's pages.
    for (let i = 0; i < 10; i++) await scim(server, token, filterPath(c.filter(REQUESTS - 1 - i)));
    const times: number[] = [];
    let errors = 0;
    let results = 0;
    let totals = 0;
    for (let i = 0; i < REQUESTS; i++) {
      const t = performance.now();
      const r = await scim(server, token, filterPath(c.filter(i)));
      times.push(performance.now() - t);
      if (r.status !== 200) {
        if (errors++ === 0) console.log(`  ! ${c.name}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
        continue;
      }
      results += r.body?.Resources?.length ?? 0;
      totals += r.body?.totalResults ?? 0;
    }
    times.sort((a, b) => a - b);
    rows.push({
      filter: c.name,
      example: c.filter(0),
      'totalResults (mean)': Math.round(totals / REQUESTS),
      'rows (mean)': Math.round(results / REQUESTS),
      'p50 ms': percentile(times, 0.5).toFixed(1),
      'p95 ms': percentile(times, 0.95).toFixed(1),
      'max ms': times[times.length - 1].toFixed(1),
      errors,
    });
  }
  console.log(`\nSCIM reads in the large organization (${REQUESTS} requests each, one at a time, count 100):`);
  console.table(rows);
}

/** A new organization of the bench admin (an operator; made its admin directly) and a SCIM token of it. */
async function syncOrganization(pg: Pg, server: TestServer, session: Record<string, string>, label: string) {
  const slug = `scim-sync-${Date.now().toString(36)}-${label}`;
  const created = await graphql<{ createOrganization: { organization: { id: string } } }>(
    server,
    session,
    `
      mutation ($i: CreateOrganizationInput!) {
        createOrganization(input: $i) {
          organization {
            id
          }
        }
      }
    `,
    { i: { name: `SCIM sync ${label}`, slug, firstAdminEmail: `owner-${slug}@example.test` } },
  );
  const id = created.createOrganization.organization.id;
  await pg.query(
    `INSERT INTO memberships (organization_id, user_id, role_id, status)
     SELECT r.organization_id, u.id, r.id, 'ACTIVE' FROM users u, roles r WHERE u.email = $1 AND r.organization_id = $2 AND r.key = 'ADMIN'`,
    [BENCH_ADMIN, id],
  );
  return { id, slug, token: await scimToken(server, session, slug) };
}

/** Okta's POST /Users body (its SCIM 2.0 app), for person `n` of run `run`. */
function oktaUser(run: string, n: number) {
  const email = `sync-${run}-${n}@provisioned.test`;
  return {
    schemas: [USER_SCHEMA],
    userName: email,
    name: { givenName: `Given${n}`, familyName: `Family${n}` },
    emails: [{ primary: true, value: email, type: 'work' }],
    displayName: `Given${n} Family${n}`,
    locale: 'en-US',
    externalId: `00u${run}${String(n).padStart(8, '0')}`,
    groups: [],
    password: `Unused-${n}-passw0rd!`,
    active: true,
  };
}

async function benchSync(pg: Pg, server: TestServer, session: Record<string, string>): Promise<void> {
  const rows: Record<string, unknown>[] = [];
  for (const concurrency of CONCURRENCY) {
    const org = await syncOrganization(pg, server, session, `c${concurrency}`);
    const run = Date.now().toString(36);
    // Whether this build creates users at all (before POST /Users lands: 404 or 405).
    const probe = await scim(server, org.token, '/Users', { method: 'POST', body: {} });
    if (probe.status === 404 || probe.status === 405) {
      console.log(`\nPOST /Users answers ${probe.status} on this build: no sync.`);
      return;
    }
    const gets: number[] = [];
    const posts: number[] = [];
    let errors = 0;
    let next = 0;
    const fail = (what: string, r: Answer) => {
      if (errors++ < 3) console.log(`  ! ${what}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    };
    const t0 = performance.now();
    const worker = async () => {
      for (let n = next++; n < SYNC; n = next++) {
        const body = oktaUser(run, n);
        let t = performance.now();
        const found = await scim(server, org.token, filterPath(`userName eq "${body.userName}"`, '&startIndex=1&count=100'));
        gets.push(performance.now() - t);
        if (found.status !== 200 || found.body?.totalResults !== 0) fail('GET', found);
        t = performance.now();
        const made = await scim(server, org.token, '/Users', { method: 'POST', body });
        posts.push(performance.now() - t);
        if (made.status !== 201) fail('POST', made);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (performance.now() - t0) / 1000;
    const made = Number(
      (await pg.query(`SELECT count(*) AS n FROM memberships WHERE organization_id = $1 AND status = 'ACTIVE'`, [org.id])).rows[0].n,
    );
    gets.sort((a, b) => a - b);
    posts.sort((a, b) => a - b);
    rows.push({
      concurrency,
      people: SYNC,
      'members after': made,
      seconds: seconds.toFixed(1),
      'people/s': Math.round(SYNC / seconds),
      'GET p50 ms': percentile(gets, 0.5).toFixed(1),
      'GET p95 ms': percentile(gets, 0.95).toFixed(1),
      'POST p50 ms': percentile(posts, 0.5).toFixed(1),
      'POST p95 ms': percentile(posts, 0.95).toFixed(1),
      errors,
    });
    console.log(`  sync at concurrency ${concurrency}: ${JSON.stringify(rows[rows.length - 1])}`);
  }
  console.log(
    `\nA full sync of ${SYNC.toLocaleString('en')} new people (GET filter=userName eq, then POST /Users), a new organization each:`,
  );
  console.table(rows);
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const reuse = option('database-url');
  const db = reuse ? { url: reuse, drop: async () => undefined } : await createTestDatabase('bench_scim');
  // As the image runs it (bench.ts): the Dockerfile's environment and Node flags, LOG_LEVEL info (its default).
  const image = deployedConfiguration();
  const server = await startServer(db.url, { LOG_LEVEL: 'info', ...image.env, DATABASE_POOL_SIZE: String(POOL_SIZE) }, undefined, {
    baseFlags: image.nodeFlags,
  });
  const pg = new Pg({ connectionString: db.url });
  pg.on('error', () => undefined);
  await pg.connect();
  try {
    const session = await benchSession(server);
    const seeded = await seedOrganizations(pg, { large: USERS, organizations: ORGANIZATIONS, size: ORG_SIZE });
    await prepareLarge(pg, seeded.large.id);
    const shape = (
      await pg.query(
        `SELECT (SELECT count(*) FROM organizations) AS orgs, (SELECT count(*) FROM memberships) AS memberships,
                (SELECT sum(total - invited) FROM membership_counts WHERE organization_id = $1) AS large`,
        [seeded.large.id],
      )
    ).rows[0] as { orgs: string; memberships: string; large: string };
    console.log(
      `Ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${Number(shape.orgs).toLocaleString('en')} organizations, ` +
        `${Number(shape.memberships).toLocaleString('en')} memberships; large organization "${seeded.large.slug}": ` +
        `${Number(shape.large).toLocaleString('en')} SCIM users. Server: the Dockerfile's configuration ` +
        `(${Object.entries(image.env)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}, node ${image.nodeFlags.join(' ')}, LOG_LEVEL ${image.env['LOG_LEVEL'] ?? 'info'}), pool ${POOL_SIZE}; ` +
        `${require('node:os').cpus().length} cores, client in the bench's process on the same machine.`,
    );
    if (!ONLY_SYNC) await benchReads(server, await scimToken(server, session, seeded.large.slug), await readCases(pg, seeded.large.id));
    if (!ONLY_READS) await benchSync(pg, server, session);
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
