/**
 * `npm run bench [-- --users 1000000 --seconds 10 --connections 16 --events 1000000 --only-audit | --only-export]`
 * Seeds N users with teams in a fresh database, starts the real API as the Dockerfile runs it (and the same
 * at LOG_LEVEL warn, and a raw node:http + pg server), then prints req/s and
 * p50/p99 latency of the users page and of email searches under concurrent load, the SQL
 * statements per request, and export rows/s with the server's peak RSS; then the audit log's
 * filtered pages over N events (audit-bench.ts; `--only-audit`: that part alone; `--only-export`: the exports alone,
 * `--export-passes N` times). The server's memory: just after start, under load, and idle afterwards (`--idle-seconds`,
 * default 120: how long V8 may take to give back what the load grew). Prints figures; asserts nothing.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { Client as Pg } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { seedDemo } from '../../apps/api/src/core/database/seed-demo';
import { arg } from '../cli-args';
import { benchAudit, seedAuditEvents, timedDownload } from './audit-bench';
import { createTestDatabase } from '../testing/database';
import { startServer } from '../testing/server';
import { benchSession, PAGE, startRawServer } from './common';
import { deployedConfiguration } from './deployed';

const USERS = arg('users', 100_000);
const SECONDS = arg('seconds', 10);
const CONNECTIONS = arg('connections', 16);
const WORKERS = arg('workers', 1);
const PASSES = arg('passes', 3);
const EVENTS = arg('events', 1_000_000);
const ONLY_AUDIT = process.argv.includes('--only-audit');
/** The export table alone (no page/search load, no audit part): `--only-export [--export-passes 3]`. */
const ONLY_EXPORT = process.argv.includes('--only-export');
const EXPORT_PASSES = arg('export-passes', 1);
const IDLE_SECONDS = arg('idle-seconds', 120);

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

/**
 * Between runs: cancels what the last run left running in PostgreSQL (requests autocannon gave up
 * on still execute there) and waits until nothing runs, so one run's load never slows the next.
 */
async function quiesce(pg: Pg): Promise<void> {
  const others = `FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'
                    AND backend_type = 'client backend' AND application_name <> 'roster-changes'`;
  await pg.query(`SELECT pg_cancel_backend(pid) ${others}`);
  for (let i = 0; i < 100; i++) {
    if (Number((await pg.query(`SELECT count(*) AS n ${others}`)).rows[0].n) === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Median time of `n` requests made one after another (nothing else running), in ms. */
async function singleLatency(
  load: { url: string; method: string; headers: Record<string, string>; body: string },
  n = 20,
): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await fetch(load.url, { method: load.method, headers: load.headers, body: load.body });
    await res.arrayBuffer();
    times.push(performance.now() - t);
  }
  return median(times);
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
async function benchExports(pg: Pg, server: { url: string; pid: number }, headers: Record<string, string>): Promise<ExportFigures[]> {
  const rows = Number((await pg.query(`SELECT n FROM user_counts`)).rows[0].n);
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
      copyTo(`COPY (SELECT u.first_name, u.last_name, u.email, u.status, r.name,
                (SELECT string_agg(t.name, ', ' ORDER BY t.name) FROM user_teams ut JOIN teams t ON t.id = ut.team_id WHERE ut.user_id = u.id),
                u.last_sign_in_at FROM users u JOIN roles r ON r.id = u.role_id ORDER BY u.email) TO STDOUT WITH (FORMAT csv, HEADER)`),
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

async function main(): Promise<void> {
  const t0 = Date.now();
  // --database-url reuses a database (seeded up to --users, never dropped); otherwise a fresh one.
  const reuse = process.argv.includes('--database-url') ? process.argv[process.argv.indexOf('--database-url') + 1] : null;
  const db = reuse ? { url: reuse, drop: async () => undefined } : await createTestDatabase('bench');
  // As the image runs it (the Dockerfile's environment and Node flags: LOG_LEVEL info, every request
  // logged), without SQL_STATEMENT_HEADER, whose per-request context (AsyncLocalStorage) costs ~5 % of a
  // page's CPU; a second instance with it reads the statements per request (below). Beside it, the same
  // at LOG_LEVEL warn (the quiet configuration) and the raw node:http + pg floor.
  const image = deployedConfiguration();
  const serverEnv = { ...image.env, DATABASE_POOL_SIZE: '20', WEB_CONCURRENCY: String(WORKERS) };
  const server = await startServer(db.url, serverEnv, undefined, { baseFlags: image.nodeFlags });
  let quiet: Awaited<ReturnType<typeof startServer>> | null = null;
  const pg = new Pg({ connectionString: db.url });
  pg.on('error', () => undefined);
  await pg.connect();
  try {
    const existing = Number((await pg.query(`SELECT count(*) AS n FROM users WHERE password_hash IS NULL`)).rows[0].n);
    console.log(`Seeding ${Math.max(0, USERS - existing).toLocaleString('en')} users (${existing.toLocaleString('en')} there)...`);
    if (USERS > existing) {
      await seedDemo(pg, USERS - existing);
      // The steady state autovacuum keeps (visibility map set, statistics fresh): what index-only
      // scans rely on. Right after a bulk load, nothing is marked all-visible yet.
      await pg.query('VACUUM (ANALYZE) users, user_teams, teams');
    }
    console.log(`Seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const headers = await benchSession(server);
    console.log(
      `Deployed configuration (Dockerfile): ${Object.entries(image.env)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')} node ${image.nodeFlags.join(' ')}; LOG_LEVEL ${image.env['LOG_LEVEL'] ?? 'info (default)'}`,
    );
    if (ONLY_EXPORT) return printExports(await benchExports(pg, server, headers));
    await seedAuditEvents(pg, EVENTS);
    if (ONLY_AUDIT) return await benchAudit(pg, server.url, headers);

    // A rare term: one seeded user's number; a common one: a last name every 26th user has.
    const rare = String(Math.floor(USERS * 0.7317));
    const deep = (await pg.query(`SELECT id, email FROM users ORDER BY email, id OFFSET $1 LIMIT 1`, [Math.floor(USERS / 2)])).rows[0] as
      { id: string; email: string } | undefined;
    const deepCursor = deep ? Buffer.from(JSON.stringify(['EMAIL', deep.email, deep.id])).toString('base64url') : null;
    const scenarios: { name: string; roster: Record<string, unknown>; raw: Record<string, unknown> }[] = [
      { name: 'users page (50 rows + role + teams + count)', roster: {}, raw: {} },
      { name: `rare email search "${rare}"`, roster: { search: rare }, raw: { search: rare } },
      { name: 'common term "smith"', roster: { search: 'smith' }, raw: { search: 'smith' } },
      {
        name: `page after a cursor ${Math.floor(USERS / 2).toLocaleString('en')} rows in`,
        roster: { after: deepCursor },
        raw: { after: deep?.email },
      },
    ];
    // SQL statements per request, read from an instance that counts them (once its caches are warm).
    const statements: (string | null)[] = [];
    const counter = await startServer(db.url, { SQL_STATEMENT_HEADER: '1', LOG_LEVEL: 'warn', NODE_ENV: 'production' });
    try {
      const counted = await benchSession(counter);
      for (const s of scenarios) {
        const body = JSON.stringify({ query: PAGE, variables: s.roster });
        await (await fetch(`${counter.url}/graphql`, { method: 'POST', headers: counted, body })).arrayBuffer();
        const probe = await fetch(`${counter.url}/graphql`, { method: 'POST', headers: counted, body });
        await probe.arrayBuffer();
        statements.push(probe.headers.get('x-sql-statements'));
      }
    } finally {
      await counter.stop();
    }
    quiet = await startServer(db.url, { ...serverEnv, LOG_LEVEL: 'warn' }, undefined, { baseFlags: image.nodeFlags });
    const quietHeaders = await benchSession(quiet);
    const raw = await startRawServer(db.url);
    const startRss = rss(server.pid);
    let loadRss = 0;
    const sampler = setInterval(() => (loadRss = Math.max(loadRss, rss(server.pid))), 250);
    const results = [];
    try {
      for (const [i, s] of scenarios.entries()) {
        const body = JSON.stringify({ query: PAGE, variables: s.roster });
        // Requests alone, to check the answer once caches are warm.
        await (await fetch(`${server.url}/graphql`, { method: 'POST', headers, body })).arrayBuffer();
        const probe = await fetch(`${server.url}/graphql`, { method: 'POST', headers, body });
        const answer = (await probe.json()) as { errors?: unknown[]; data?: { users: { totalCount: number } } };
        if (answer.errors) throw new Error(JSON.stringify(answer.errors));
        const rawBody = JSON.stringify(s.raw);
        const rosterLoad = { url: `${server.url}/graphql`, method: 'POST' as const, headers, body };
        const quietLoad = { url: `${quiet.url}/graphql`, method: 'POST' as const, headers: quietHeaders, body };
        const rawLoad = { url: raw.url, method: 'POST' as const, headers: { 'content-type': 'application/json' }, body: rawBody };
        await quiesce(pg);
        const single = await singleLatency(rosterLoad);
        const rawSingle = await singleLatency(rawLoad, 3);
        // Interleaved passes (deployed, quiet, raw, deployed...): all see the same machine noise.
        const passes: { roster: autocannon.Result; quiet: autocannon.Result; raw: autocannon.Result }[] = [];
        for (const load of [rosterLoad, quietLoad, rawLoad]) {
          await quiesce(pg);
          await autocannon({ ...load, connections: CONNECTIONS, duration: 2 }); // warm-up
        }
        for (let i = 0; i < PASSES; i++) {
          await quiesce(pg);
          const r = await autocannon({ ...rosterLoad, connections: CONNECTIONS, duration: SECONDS });
          await quiesce(pg);
          const q = await autocannon({ ...quietLoad, connections: CONNECTIONS, duration: SECONDS });
          await quiesce(pg);
          const f = await autocannon({ ...rawLoad, connections: CONNECTIONS, duration: SECONDS });
          passes.push({ roster: r, quiet: q, raw: f });
        }
        const rosterRps = median(passes.map((p) => p.roster.requests.average));
        const quietRps = median(passes.map((p) => p.quiet.requests.average));
        const rawRps = median(passes.map((p) => p.raw.requests.average));
        results.push({
          scenario: s.name,
          matches: answer.data?.users.totalCount,
          'deployed req/s': Math.round(rosterRps),
          'p99 ms': median(passes.map((p) => p.roster.latency.p99)),
          'single ms': single.toFixed(1),
          'quiet req/s': Math.round(quietRps),
          'raw req/s': Math.round(rawRps),
          'raw single ms': rawSingle.toFixed(1),
          'raw p99 ms': median(passes.map((p) => p.raw.latency.p99)),
          'deployed / raw': (rosterRps / rawRps).toFixed(2),
          'quiet / raw': (quietRps / rawRps).toFixed(2),
          'SQL/request': statements[i],
          'non-2xx': passes.reduce(
            (n, p) => n + p.roster.non2xx + p.roster.errors + p.quiet.non2xx + p.quiet.errors + p.raw.non2xx + p.raw.errors,
            0,
          ),
        });
      }
    } finally {
      clearInterval(sampler);
      raw.stop();
      await quiet.stop();
      quiet = null;
    }

    const exports = await benchExports(pg, server, headers);
    const settled = await idleRss(server.pid);
    console.log(
      `\nRoster benchmark: ${USERS.toLocaleString('en')} users, ${CONNECTIONS} connections, ${SECONDS} s per scenario, ` +
        `${WORKERS} server process(es), ${require('node:os').cpus().length} cores (load generator on the same machine); ` +
        `deployed: the Dockerfile's configuration (every request logged); quiet: the same at LOG_LEVEL warn; raw: node:http + pg`,
    );
    console.table(results);
    console.log(
      `Server RSS: ${startRss.toFixed(0)} MB just after start, ${loadRss.toFixed(0)} MB at most under the page/search load, ` +
        (settled
          ? `${settled.mb.toFixed(0)} MB idle after the loads and exports (reached after ${settled.seconds} s, once V8's memory reducer ran).`
          : 'idle not measured (--idle-seconds 0).'),
    );
    printExports(exports);
    await benchAudit(pg, server.url, headers);
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
