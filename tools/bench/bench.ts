/**
 * `npm run bench [-- --users 500000 --organizations 10000 --org-size 50 --seconds 10 --connections 16 --events 1000000
 *   --only-audit | --only-export | --common]`
 * Seeds the organizations shape in a fresh database (organizations-seed.ts: the first organization, the bench
 * admin's, holds --users members; --organizations in all, the others ~--org-size each; a person in 1,000 of
 * them; sizes also from BENCH_USERS, BENCH_ORGANIZATIONS, BENCH_ORG_SIZE), starts the real API as the
 * Dockerfile runs it (and the same at LOG_LEVEL warn, and a raw node:http + pg server), then prints req/s
 * and p50/p99 latency of the users page, a rare email search and pages deep behind a cursor (by email, by
 * last name) in the large and in a small organization under concurrent load (requests name the
 * organization in X-Roster-Organization, as the console does), the SQL statements per request, the
 * operators' organizations list and `me.organizations` of the person in 1,000 organizations, and export
 * rows/s with the server's peak RSS; then the audit log's filtered pages over N events (audit-bench.ts;
 * `--only-audit`: that part alone; `--only-export`: the exports alone, `--export-passes N` times). The
 * server's memory: just after start, under load, and idle afterwards (`--idle-seconds`, default 120: how
 * long V8 may take to give back what the load grew). `--common`: also the common term "smith" in the
 * large organization. Prints figures; asserts nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Client as Pg } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { arg } from '../cli-args';
import { benchAudit, seedAuditEvents, timedDownload } from './audit-bench';
import { createTestDatabase } from '../testing/database';
import { startServer } from '../testing/server';
import { BENCH_ADMIN, benchSession, PAGE, quiesce, startRawServer } from './common';
import { deployedConfiguration } from './deployed';
import { interleavedLoads, type Load, loadGenerator, type LoadResult, runLoad } from './load';
import { MULTI_EMAIL, MULTI_ORGANIZATIONS, seedOrganizations } from './organizations-seed';
import { processTree } from './proc';
import { cursorOf, type Organization, orgHeaders, type Scenario, scenariosOf } from './users-cases';

const env = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
/** Members of the large organization (the first one). */
const USERS = arg('users', env('BENCH_USERS', 500_000));
/** Organizations in all, the large one included; the others have ORG_SIZE members each (and a few shared). */
const ORGANIZATIONS = arg('organizations', env('BENCH_ORGANIZATIONS', 10_000));
const ORG_SIZE = arg('org-size', env('BENCH_ORG_SIZE', 50));
const SECONDS = arg('seconds', 10);
const CONNECTIONS = arg('connections', 16);
const WORKERS = arg('workers', 1);
const PASSES = arg('passes', 3);
const EVENTS = arg('events', 1_000_000);
const ONLY_AUDIT = process.argv.includes('--only-audit');
/** The export table alone (no page/search load, no audit part): `--only-export [--export-passes 3]`. */
const ONLY_EXPORT = process.argv.includes('--only-export');
/** `--only-typename`: the `{ __typename }` case alone (what a request pays before its resolver). */
const ONLY_TYPENAME = process.argv.includes('--only-typename');
const COMMON = process.argv.includes('--common');
const EXPORT_PASSES = arg('export-passes', 1);
const IDLE_SECONDS = arg('idle-seconds', 120);

/** Roster's pool in the bench, the image's (DATABASE_POOL_SIZE, or the server's default), and the raw floors' pool. */
const POOL_SIZE = deployedConfiguration().poolSize;

/** Peak resident memory (VmHWM) summed over the server's processes, in MB. */
const peakRss = (pid: number) =>
  processTree(pid).reduce((mb, p) => mb + Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0) / 1024, 0);
/** Current resident memory summed over the server's processes, in MB. */
const rss = (pid: number) =>
  processTree(pid).reduce((mb, p) => mb + Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0) / 1024, 0);
const resetPeak = (pid: number) => processTree(pid).forEach((p) => writeFileSync(`/proc/${p}/clear_refs`, '5'));

/**
 * Resident memory once the server is idle: V8 gives back the heap it grew under load only when its
 * memory reducer runs, up to ~100 s after the last burst of allocation. Samples every 5 s for
 * --idle-seconds (default 120) and returns the last value, and when it was first reached.
 */
async function idleRss(pid: number): Promise<{ mb: number; seconds: number } | null> {
  if (IDLE_SECONDS <= 0) return null;
  const samples: number[] = [];
  for (let t = 0; t <= IDLE_SECONDS; t += 5) {
    samples.push(rss(pid));
    if (t < IDLE_SECONDS) await new Promise((r) => setTimeout(r, 5000));
  }
  const last = samples[samples.length - 1];
  return { mb: last, seconds: samples.findIndex((mb) => Math.abs(mb - last) < 2) * 5 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median time of `n` requests made one after another (nothing else running), in ms. */
async function singleLatency(load: Load, n = 20): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await fetch(load.url, { method: load.method, headers: load.headers, body: load.body });
    await res.arrayBuffer();
    times.push(performance.now() - t);
  }
  return median(times);
}

/** Loads `loads` in interleaved passes (load.ts), PostgreSQL drained before each run. */
const interleaved = <K extends string>(pg: Pg | null, loads: Record<K, Load>): Promise<Record<K, LoadResult>> =>
  interleavedLoads(loads, { connections: CONNECTIONS, seconds: SECONDS, passes: PASSES, before: pg ? () => quiesce(pg) : undefined });

/**
 * What every request pays before its resolver: `{ __typename }` on Roster (deployed and quiet, signed in,
 * naming the organization, as the console's requests do) against `GET /trivial` of the raw server, which
 * answers the same JSON from a bare node:http route, and against `POST /apollo` there, a bare @apollo/server
 * (what any API on it pays, before authentication, logging and metrics).
 */
async function typenameCase(
  deployedUrl: string,
  quietUrl: string,
  rawUrl: string,
  deployedHeaders: Record<string, string>,
  quietHeaders: Record<string, string>,
) {
  const body = JSON.stringify({ query: '{ __typename }' });
  const loads = {
    deployed: { url: `${deployedUrl}/graphql`, method: 'POST' as const, headers: deployedHeaders, body },
    quiet: { url: `${quietUrl}/graphql`, method: 'POST' as const, headers: quietHeaders, body },
    raw: { url: `${rawUrl}trivial`, method: 'GET' as const, headers: {} },
    apollo: { url: `${rawUrl}apollo`, method: 'POST' as const, headers: { 'content-type': 'application/json' }, body },
  };
  for (const l of [loads.deployed, loads.quiet, loads.apollo]) {
    const answer = await (await fetch(l.url, { method: 'POST', headers: l.headers, body })).text();
    if (answer !== '{"data":{"__typename":"Query"}}') throw new Error(`{ __typename } answered ${answer} at ${l.url}`);
  }
  const { deployed, quiet, raw, apollo } = await interleaved(null, loads);
  console.log(
    `  { __typename }: deployed ${Math.round(deployed.rps)}, quiet ${Math.round(quiet.rps)}, bare @apollo/server ${Math.round(apollo.rps)}, ` +
      `bare route ${Math.round(raw.rps)} req/s; bare @apollo/server / bare route ${(apollo.rps / raw.rps).toFixed(2)}, ` +
      `deployed / bare @apollo/server ${(deployed.rps / apollo.rps).toFixed(2)}, quiet / bare @apollo/server ${(quiet.rps / apollo.rps).toFixed(2)}`,
  );
  return {
    org: 'large',
    scenario: '{ __typename } (bare route: GET /trivial)',
    matches: '',
    rows: '',
    'deployed req/s': Math.round(deployed.rps),
    'p99 ms': deployed.p99.toFixed(1),
    'single ms': '',
    'quiet req/s': Math.round(quiet.rps),
    'quiet p99 ms': quiet.p99.toFixed(1),
    'same SQL req/s': '',
    'raw req/s': Math.round(raw.rps),
    'raw single ms': '',
    'deployed / same': '',
    'quiet / same': '',
    'deployed / raw': (deployed.rps / raw.rps).toFixed(2),
    'quiet / raw': (quiet.rps / raw.rps).toFixed(2),
    'SQL/request': '',
    errors: deployed.errors + quiet.errors + raw.errors + apollo.errors,
  };
}

interface ExportFigures {
  format: string;
  rows: number;
  seconds: string;
  'rows/s': number;
  'first byte ms'?: number;
  MB: string;
  'RSS before MB'?: string;
  'peak RSS MB'?: string;
}

/**
 * Export: the whole table as CSV and as XLSX, timed, with the server's peak RSS; and PostgreSQL's own
 * COPY of the same columns to CSV, the floor for the CSV export. With --export-passes N, each is run N
 * times in turn (CSV, XLSX, COPY, CSV...) and the median pass (by rows/s) is kept.
 */
async function benchExports(
  pg: Pg,
  server: { url: string; pid: number },
  headers: Record<string, string>,
  organizationId: string,
): Promise<ExportFigures[]> {
  const rows = Number(
    (await pg.query(`SELECT sum(total) AS total FROM membership_counts WHERE organization_id = $1`, [organizationId])).rows[0].total,
  );
  const download = async (format: string): Promise<ExportFigures> => {
    resetPeak(server.pid);
    const before = peakRss(server.pid);
    const { bytes, firstByte, seconds } = await timedDownload(`${server.url}/api/export/users?format=${format}`, headers);
    return {
      format,
      rows,
      seconds: seconds.toFixed(1),
      'rows/s': Math.round(rows / seconds),
      'first byte ms': Math.round(firstByte),
      MB: (bytes / 1e6).toFixed(1),
      'RSS before MB': before.toFixed(0),
      'peak RSS MB': peakRss(server.pid).toFixed(0),
    };
  };
  const copy = async (): Promise<ExportFigures> => {
    const t = performance.now();
    const stream = pg.query(
      // The organization id is a uuid read from the database: safe to inline (COPY takes no parameters).
      copyTo(`COPY (SELECT m.first_name, m.last_name, m.email, m.status, r.name,
                (SELECT string_agg(t.name, ', ' ORDER BY t.name) FROM user_teams ut JOIN teams t ON t.id = ut.team_id
                  WHERE ut.organization_id = m.organization_id AND ut.user_id = m.user_id),
                m.last_sign_in_at FROM memberships m JOIN roles r ON r.id = m.role_id
                WHERE m.organization_id = '${organizationId}' ORDER BY m.email) TO STDOUT WITH (FORMAT csv, HEADER)`),
    );
    let bytes = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) bytes += chunk.length;
    const seconds = (performance.now() - t) / 1000;
    return {
      format: 'COPY … TO STDOUT (csv)',
      rows,
      seconds: seconds.toFixed(1),
      'rows/s': Math.round(rows / seconds),
      MB: (bytes / 1e6).toFixed(1),
    };
  };
  const passes: ExportFigures[][] = [];
  for (let i = 0; i < EXPORT_PASSES; i++) passes.push([await download('csv'), await download('xlsx'), await copy()]);
  const medianPass = (k: number) => [...passes.map((p) => p[k])].sort((a, b) => a['rows/s'] - b['rows/s'])[Math.floor(passes.length / 2)];
  if (passes.length > 1) {
    console.log('Export passes (rows/s: CSV, XLSX, COPY; CSV / COPY):');
    for (const p of passes) console.log(`  ${p.map((e) => e['rows/s']).join(', ')}; ${(p[0]['rows/s'] / p[2]['rows/s']).toFixed(2)}`);
  }
  return [medianPass(0), medianPass(1), medianPass(2)];
}

function printExports(exports: ExportFigures[]): void {
  console.table(exports);
  const csv = exports[0]['rows/s'] / exports[2]['rows/s'];
  console.log(`CSV export / COPY: ${csv.toFixed(2)}`);
}

/** The same-SQL floor's request for a scenario: Roster's variables, the organization, whether it counts. */
const sameOf = (s: Scenario) => ({ organization: s.org.id, withCount: s.query === PAGE, ...s.roster });

interface IntrospectedType {
  name: string | null;
  kind: string;
  ofType: IntrospectedType | null;
}
interface IntrospectedField {
  name: string;
  args: { name: string; type: IntrospectedType }[];
  type: IntrospectedType;
}

/** The fields of the schema's object types, by type name (what the lists below may select). */
async function schemaTypes(url: string, headers: Record<string, string>): Promise<Map<string, IntrospectedField[]>> {
  const typeRef = 'name kind ofType { name kind ofType { name kind ofType { name kind } } }';
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      query: `{ __schema { types { name kind fields { name args { name type { ${typeRef} } } type { ${typeRef} } } } } }`,
    }),
  });
  const answer = (await res.json()) as { data?: { __schema: { types: { name: string; fields: IntrospectedField[] | null }[] } } };
  return new Map((answer.data?.__schema.types ?? []).filter((t) => t.fields).map((t) => [t.name, t.fields as IntrospectedField[]]));
}

const named = (t: IntrospectedType): IntrospectedType => (t.ofType ? named(t.ofType) : t);

/**
 * A selection of `type` that reads what a list shows: an Organization's id, slug, name, status (and
 * memberCount in the operators' list, when the schema has it); of a page or connection, its scalars and
 * its organizations. Fields with arguments are left out.
 */
function selection(types: Map<string, IntrospectedField[]>, type: string, withCounts: boolean, depth = 0): string {
  const fields = types.get(type) ?? [];
  if (type === 'Organization') {
    return ['id', 'slug', 'name', 'status', ...(withCounts ? ['memberCount'] : [])]
      .filter((f) => fields.some((x) => x.name === f))
      .join(' ');
  }
  const parts: string[] = [];
  for (const f of fields) {
    if (f.args.some((a) => a.type.kind === 'NON_NULL')) continue;
    const t = named(f.type);
    if (t.kind === 'SCALAR' || t.kind === 'ENUM') parts.push(f.name);
    else if (t.kind === 'OBJECT' && depth < 3 && t.name) {
      const inner = selection(types, t.name, withCounts, depth + 1);
      if (inner) parts.push(`${f.name} { ${inner} }`);
    }
  }
  return parts.join(' ');
}

/** Sequential latency (median, p99 of `n` requests) and req/s under CONNECTIONS of one GraphQL request. */
async function listCase(url: string, headers: Record<string, string>, body: string, n = 100) {
  const first = (await (await fetch(`${url}/graphql`, { method: 'POST', headers, body })).json()) as {
    errors?: { message: string }[];
    data?: unknown;
  };
  // A refusal is a figure too (printed in place of the timings).
  if (first.errors) return { data: null, figures: { error: first.errors.map((e) => e.message).join('; ') } };
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await (await fetch(`${url}/graphql`, { method: 'POST', headers, body })).arrayBuffer();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const load = await runLoad({ url: `${url}/graphql`, method: 'POST', headers, body }, CONNECTIONS, Math.min(SECONDS, 5));
  return {
    data: first.data,
    figures: {
      'median ms': times[Math.floor(n / 2)].toFixed(1),
      'p99 ms': times[Math.min(n - 1, Math.floor(n * 0.99))].toFixed(1),
      'req/s': Math.round(load.rps),
      errors: load.errors,
    },
  };
}

/**
 * The operators' list `organizations(first, after, search)` (first page, a page half-way, a rare and a
 * common search) as the bench admin (an operator), and `me.organizations` of MULTI_EMAIL (1,000 organizations).
 */
async function benchOrganizationLists(pg: Pg, url: string, admin: Record<string, string>, multi: Record<string, string>): Promise<void> {
  const types = await schemaTypes(url, admin);
  const query = types.get('Query')?.find((f) => f.name === 'organizations');
  const rows: Record<string, unknown>[] = [];
  if (query) {
    const page = selection(types, named(query.type).name ?? '', true);
    const list = `query($after: String, $search: String) { organizations(first: 50, after: $after, search: $search) { ${page} } }`;
    const total = Number((await pg.query(`SELECT count(*) AS n FROM organizations WHERE slug IS NOT NULL`)).rows[0].n);
    // The list's cursor: [lower(name), id] (organizations-page.ts), half-way through by name.
    const half = (
      await pg.query(`SELECT lower(name) AS k, id FROM organizations WHERE slug IS NOT NULL ORDER BY lower(name), id OFFSET $1 LIMIT 1`, [
        Math.floor(total / 2),
      ])
    ).rows[0] as { k: string; id: string };
    const cases: [string, Record<string, unknown>][] = [
      ['operators: organizations(first: 50), first page', {}],
      [`operators: page after ${Math.floor(total / 2).toLocaleString('en')} organizations`, { after: cursorOf([half.k, half.id]) }],
      ['operators: rare search "7317" (one organization)', { search: '7317' }],
      ['operators: common search "acme" (1 in 12)', { search: 'acme' }],
    ];
    for (const [name, variables] of cases) {
      const r = await listCase(url, admin, JSON.stringify({ query: list, variables }));
      const answer = (r.data as { organizations: { organizations?: unknown[] } } | null)?.organizations;
      rows.push({ case: name, rows: answer?.organizations?.length ?? '', ...r.figures });
    }
  } else {
    console.log('organizations(first, after, search): not in the schema');
  }
  const mine = types.get('Me')?.find((f) => f.name === 'organizations');
  if (mine) {
    const args = mine.args.map((a) => a.name);
    const inner = named(mine.type).name === 'Organization' ? 'id slug name status' : selection(types, named(mine.type).name ?? '', false);
    // The switcher's first page, all 1,000 at once, one of them by its slug, and a common word of their names.
    const cases: [string, string][] = args.includes('first')
      ? [
          ['first: 100', '(first: 100)'],
          [`first: ${MULTI_ORGANIZATIONS}`, `(first: ${MULTI_ORGANIZATIONS})`],
        ]
      : [['', '']];
    if (args.includes('search')) cases.push(['search: "org-00500"', '(search: "org-00500")'], ['search: "acme"', '(search: "acme")']);
    for (const [name, argText] of cases) {
      const r = await listCase(url, multi, JSON.stringify({ query: `{ me { organizations${argText} { ${inner} } } }` }));
      const answer = (r.data as { me: { organizations: unknown } } | null)?.me.organizations;
      const count = !answer
        ? ''
        : Array.isArray(answer)
          ? answer.length
          : ((Object.values(answer as Record<string, unknown>).find(Array.isArray) as unknown[] | undefined)?.length ?? '?');
      rows.push({
        case: `me.organizations(${name}), a person in ${MULTI_ORGANIZATIONS.toLocaleString('en')} organizations`,
        rows: count,
        ...r.figures,
      });
    }
  } else {
    console.log('me.organizations: not in the schema');
  }
  console.log(`\nOrganizations lists (${CONNECTIONS} connections for req/s; median and p99 of 100 requests one at a time):`);
  console.table(rows);
}

async function main(): Promise<void> {
  const t0 = Date.now();
  // --database-url reuses a database (seeded up to the sizes asked, never dropped); otherwise a fresh one.
  const reuse = process.argv.includes('--database-url') ? process.argv[process.argv.indexOf('--database-url') + 1] : null;
  const db = reuse ? { url: reuse, drop: async () => undefined } : await createTestDatabase('bench');
  // As the image runs it (the Dockerfile's environment and Node flags: LOG_LEVEL info, every request
  // logged), without SQL_STATEMENT_HEADER, whose per-request context (AsyncLocalStorage) costs ~5 % of a
  // page's CPU; a second instance with it reads the statements per request (below). Beside it, the same
  // at LOG_LEVEL warn (the quiet configuration) and the raw node:http + pg floor.
  const image = deployedConfiguration();
  // The image sets no LOG_LEVEL, so the server logs at its default, info: say so, or startServer's own
  // default (warn) would apply and the deployed instance would log no more than the quiet one.
  const serverEnv = { LOG_LEVEL: 'info', ...image.env, DATABASE_POOL_SIZE: String(POOL_SIZE), WEB_CONCURRENCY: String(WORKERS) };
  const server = await startServer(db.url, serverEnv, undefined, { baseFlags: image.nodeFlags });
  let quiet: Awaited<ReturnType<typeof startServer>> | null = null;
  const pg = new Pg({ connectionString: db.url });
  pg.on('error', () => undefined);
  await pg.connect();
  try {
    // The bench admin first (registered through the set-up URL on a new database): the first organization's admin and an operator.
    const headers = await benchSession(server);
    const seeded = await seedOrganizations(pg, { large: USERS, organizations: ORGANIZATIONS, size: ORG_SIZE });
    console.log(`Seeded (or found) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const shape = (
      await pg.query(`SELECT (SELECT count(*) FROM organizations) AS orgs, (SELECT count(*) FROM memberships) AS memberships,
                             (SELECT count(*) FROM users) AS people`)
    ).rows[0] as { orgs: string; memberships: string; people: string };

    // The bench admin (the large organization's first admin) also administers the small one; the person
    // in 1,000 organizations signs in with the bench's password.
    if (seeded.small) {
      await pg.query(
        `INSERT INTO memberships (organization_id, user_id, role_id, status)
         SELECT r.organization_id, u.id, r.id, 'ACTIVE' FROM users u, roles r WHERE u.email = $1 AND r.organization_id = $2 AND r.key = 'ADMIN'
         ON CONFLICT DO NOTHING`,
        [BENCH_ADMIN, seeded.small.id],
      );
    }
    await pg.query(
      `UPDATE users m SET password_hash = a.password_hash FROM users a
        WHERE m.email = $1 AND a.email = $2 AND m.password_hash IS DISTINCT FROM a.password_hash`,
      [MULTI_EMAIL, BENCH_ADMIN],
    );
    const large: Organization = { ...seeded.large, label: 'large' };
    const small: Organization | null = seeded.small ? { ...seeded.small, label: 'small' } : null;
    const largeHeaders = orgHeaders(headers, large);
    console.log(
      `Deployed configuration (Dockerfile): ${Object.entries(image.env)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')} node ${image.nodeFlags.join(' ')}; LOG_LEVEL ${image.env['LOG_LEVEL'] ?? 'info (default)'}`,
    );
    if (ONLY_EXPORT) return printExports(await benchExports(pg, server, largeHeaders, large.id));
    await seedAuditEvents(pg, EVENTS, large.id);
    if (ONLY_AUDIT) return await benchAudit(pg, server.url, largeHeaders);

    const scenarios = [...(await scenariosOf(pg, large, COMMON)), ...(small ? await scenariosOf(pg, small, COMMON) : [])];
    // SQL statements per request, read from an instance that counts them (once its caches are warm).
    const statements: (string | null)[] = [];
    const counter = await startServer(db.url, { SQL_STATEMENT_HEADER: '1', LOG_LEVEL: 'warn', NODE_ENV: 'production' });
    try {
      const counted = await benchSession(counter);
      for (const s of scenarios) {
        const body = JSON.stringify({ query: s.query, variables: s.roster });
        const h = orgHeaders(counted, s.org);
        // Twice: the first request naming another organization records it as the person's last one, which
        // drops their cached principal (the next request reads it again).
        for (let i = 0; i < 2; i++) await (await fetch(`${counter.url}/graphql`, { method: 'POST', headers: h, body })).arrayBuffer();
        const probe = await fetch(`${counter.url}/graphql`, { method: 'POST', headers: h, body });
        await probe.arrayBuffer();
        statements.push(probe.headers.get('x-sql-statements'));
      }
    } finally {
      await counter.stop();
    }
    quiet = await startServer(db.url, { ...serverEnv, LOG_LEVEL: 'warn' }, undefined, { baseFlags: image.nodeFlags });
    const quietHeaders = await benchSession(quiet);
    const raw = await startRawServer(db.url, POOL_SIZE);
    const startRss = rss(server.pid);
    let loadRss = 0;
    const sampler = setInterval(() => (loadRss = Math.max(loadRss, rss(server.pid))), 250);
    const results = [];
    try {
      // The fixed cost of a request: `{ __typename }` against a bare node:http route answering the same JSON.
      results.push(await typenameCase(server.url, quiet.url, raw.url, largeHeaders, orgHeaders(quietHeaders, large)));
      for (const [i, s] of (ONLY_TYPENAME ? [] : scenarios).entries()) {
        const body = JSON.stringify({ query: s.query, variables: s.roster });
        const h = orgHeaders(headers, s.org);
        // Requests alone, to check the answer once caches are warm.
        await (await fetch(`${server.url}/graphql`, { method: 'POST', headers: h, body })).arrayBuffer();
        const probe = await fetch(`${server.url}/graphql`, { method: 'POST', headers: h, body });
        const answer = (await probe.json()) as { errors?: unknown[]; data?: { users: { totalCount?: number; edges: unknown[] } } };
        if (answer.errors) throw new Error(`${s.org.label}, ${s.name}: ${JSON.stringify(answer.errors)}`);
        const rawBody = JSON.stringify(s.raw);
        const sameBody = JSON.stringify(sameOf(s));
        const rawAnswer = (await (await fetch(raw.url, { method: 'POST', body: rawBody })).json()) as { rows: unknown[] };
        const sameAnswer = await (await fetch(`${raw.url}same`, { method: 'POST', body: sameBody })).text();
        if (sameAnswer !== JSON.stringify(answer)) {
          const at = [...sameAnswer].findIndex((c, k) => c !== JSON.stringify(answer)[k]);
          console.log(
            `  ! ${s.org.label}, ${s.name}: the same-SQL floor answers otherwise from character ${at}: ${sameAnswer.slice(at, at + 80)}`,
          );
        }
        const json = { 'content-type': 'application/json' };
        const loads: Record<'deployed' | 'quiet' | 'same' | 'raw', Load> = {
          deployed: { url: `${server.url}/graphql`, method: 'POST', headers: h, body },
          quiet: { url: `${quiet.url}/graphql`, method: 'POST', headers: orgHeaders(quietHeaders, s.org), body },
          same: { url: `${raw.url}same`, method: 'POST', headers: json, body: sameBody },
          raw: { url: raw.url, method: 'POST', headers: json, body: rawBody },
        };
        const figures = await interleaved(pg, loads);
        const single = await singleLatency(loads.deployed);
        const rawSingle = await singleLatency(loads.raw, 3);
        const { deployed, quiet: q, same, raw: floor } = figures;
        console.log(
          `  ${s.org.label}, ${s.name}: deployed ${Math.round(deployed.rps)}, quiet ${Math.round(q.rps)}, same SQL ${Math.round(same.rps)}, raw ${Math.round(floor.rps)} req/s`,
        );
        results.push({
          org: s.org.label,
          scenario: s.name,
          matches: answer.data?.users.totalCount ?? '',
          rows: `${answer.data?.users.edges.length}/${Math.min(50, rawAnswer.rows.length)}`,
          'deployed req/s': Math.round(deployed.rps),
          'p99 ms': deployed.p99.toFixed(1),
          'single ms': single.toFixed(1),
          'quiet req/s': Math.round(q.rps),
          'quiet p99 ms': q.p99.toFixed(1),
          'same SQL req/s': Math.round(same.rps),
          'raw req/s': Math.round(floor.rps),
          'raw single ms': rawSingle.toFixed(1),
          'deployed / same': (deployed.rps / same.rps).toFixed(2),
          'quiet / same': (q.rps / same.rps).toFixed(2),
          'deployed / raw': (deployed.rps / floor.rps).toFixed(2),
          'quiet / raw': (q.rps / floor.rps).toFixed(2),
          'SQL/request': statements[i],
          errors: deployed.errors + q.errors + same.errors + floor.errors,
        });
      }
    } finally {
      clearInterval(sampler);
      raw.stop();
      await quiet.stop();
      quiet = null;
    }
    console.log(
      `\nRoster benchmark: ${Number(shape.orgs).toLocaleString('en')} organizations, ${Number(shape.memberships).toLocaleString('en')} memberships, ` +
        `${Number(shape.people).toLocaleString('en')} people; large organization "${large.slug}" (${USERS.toLocaleString('en')} seeded members), ` +
        `small "${small?.slug ?? '-'}"; ${CONNECTIONS} connections, ${SECONDS} s per scenario, ${PASSES} passes, ` +
        `${WORKERS} server process(es), ${require('node:os').cpus().length} cores, load from ${loadGenerator} on the same machine; ` +
        `deployed: the Dockerfile's configuration (every request logged); quiet: the same at LOG_LEVEL warn; ` +
        `same SQL: node:http + pg running Roster's statements (pool ${POOL_SIZE}), Roster's JSON; raw: node:http + pg, one naive statement; ` +
        `medians of the passes`,
    );
    console.table(results);
    if (ONLY_TYPENAME) return;
    const multiHeaders = await benchSession(server, MULTI_EMAIL);
    await benchOrganizationLists(pg, server.url, largeHeaders, multiHeaders);

    const exports = await benchExports(pg, server, largeHeaders, large.id);
    const settled = await idleRss(server.pid);
    console.log(
      `Server RSS: ${startRss.toFixed(0)} MB just after start, ${loadRss.toFixed(0)} MB at most under the page/search load, ` +
        (settled
          ? `${settled.mb.toFixed(0)} MB idle after the loads and exports (reached after ${settled.seconds} s, once V8's memory reducer ran).`
          : 'idle not measured (--idle-seconds 0).'),
    );
    printExports(exports);
    await benchAudit(pg, server.url, largeHeaders);
  } finally {
    await pg.end();
    await quiet?.stop();
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
