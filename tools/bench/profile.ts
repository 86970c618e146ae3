/**
 * `npm run bench:profile -- --database-url URL [--case page|search|deep|deep-name|typename|csv|xlsx] [--organization slug]
 *   [--seconds 10] [--connections 16] [--cpu-prof] [--top 25] [--main another/build/main.js] [--raw] [--log-level info]`
 * Loads the real API (built, started as `npm start` starts it) over an existing database (one that
 * `npm run bench -- --database-url URL` seeded) with one query in one organization (the first, the
 * large one, unless `--organization` names another the bench admin administers, e.g. org-00002; named in
 * X-Roster-Organization as the console does), and prints what one request costs
 * the server: its own CPU (user and kernel, from /proc) per request, and req/s. With `--cpu-prof`,
 * also the functions and packages with the most self time, in µs per request. PostgreSQL's CPU and the
 * load generator's are printed too (all on this machine). `--raw`: the same for the raw floor (raw-server.ts).
 * `--case csv|xlsx`: one export download instead, per row.
 * Asserts nothing.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import autocannon from 'autocannon';
import { Client as Pg } from 'pg';
import { arg } from '../cli-args';
import { startServer } from '../testing/server';
import { timedDownload } from './audit-bench';
import { benchSession, ORGANIZATION_HEADER, PAGE, PAGE_NO_COUNT, startRawServer } from './common';
import { deployedConfiguration } from './deployed';
import { cpuMs, postgresCpuMs } from './proc';

const SECONDS = arg('seconds', 10);
const CONNECTIONS = arg('connections', 16);
const TOP = arg('top', 25);
const CASE = process.argv.includes('--case') ? process.argv[process.argv.indexOf('--case') + 1] : 'page';
const PROFILE = process.argv.includes('--cpu-prof');
const RAW = process.argv.includes('--raw');
const ORGANIZATION = process.argv.includes('--organization') ? process.argv[process.argv.indexOf('--organization') + 1] : null;
/** Another build to load (`--main /tmp/before/main.js`), e.g. to compare with the current one. */
const MAIN = process.argv.includes('--main') ? process.argv[process.argv.indexOf('--main') + 1] : undefined;
/** `--log-level info`: every request logged, as the image runs (warn by default: the quiet configuration). */
/** The image's pool (DATABASE_POOL_SIZE, or the server's default), for the server and the floor. */
const POOL_SIZE = deployedConfiguration().poolSize;
const LOG_LEVEL = process.argv.includes('--log-level') ? process.argv[process.argv.indexOf('--log-level') + 1] : 'warn';

/** V8's profiler and process.hrtime read the same monotonic clock. */
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time (µs) by function and by package, over the samples taken while the load ran (monotonic µs). */
function summarise(profile: CpuProfile, from: number, to: number, requests: number): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const fns = new Map<string, number>();
  const pkgs = new Map<string, number>();
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i];
    if (t < from || t > to) return;
    const delta = profile.timeDeltas[i + 1] ?? 0;
    const node = byId.get(id);
    if (!node) return;
    const { functionName, url, lineNumber } = node.callFrame;
    const fn = `${functionName || '(anonymous)'} ${url ? `${basename(url)}:${lineNumber + 1}` : ''}`.trim();
    fns.set(fn, (fns.get(fn) ?? 0) + delta);
    const pkg =
      /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1] ??
      (url.includes('dist/apps/api')
        ? '(roster)'
        : url.startsWith('node:')
          ? '(node)'
          : functionName.startsWith('(')
            ? functionName
            : '(native/other)');
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + delta);
  });
  const table = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .filter(([name]) => name !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({ name, 'µs/request': Number((us / requests).toFixed(1)) }));
  console.table(table(pkgs, 15));
  console.table(table(fns, TOP));
}

function summariseFrom(dir: string, from: number, to: number, requests: number): void {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no CPU profile was written');
  summarise(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile, from, to, requests);
}

async function main(): Promise<void> {
  const url = process.argv.includes('--database-url') ? process.argv[process.argv.indexOf('--database-url') + 1] : '';
  if (!url) throw new Error('--database-url is required (a database seeded by npm run bench)');
  const dir = mkdtempSync(join(tmpdir(), 'roster-prof-'));
  const server = await startServer(url, { LOG_LEVEL, NODE_ENV: 'production', DATABASE_POOL_SIZE: String(POOL_SIZE) }, undefined, {
    nodeFlags: PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=100'] : [],
    main: MAIN,
  });
  // --raw: the floor (raw-server.ts) under the same load instead, for comparison.
  const raw = RAW ? await startRawServer(url, POOL_SIZE) : null;
  try {
    const pg = new Pg({ connectionString: url });
    await pg.connect();
    const org = (
      ORGANIZATION
        ? await pg.query(`SELECT id, slug FROM organizations WHERE slug = $1`, [ORGANIZATION])
        : await pg.query(`SELECT id, slug FROM organizations WHERE slug IS NOT NULL ORDER BY created_at, id LIMIT 1`)
    ).rows[0] as { id: string; slug: string } | undefined;
    if (!org) throw new Error(`no organization ${ORGANIZATION ?? ''}`);
    const headers = { ...(await benchSession(server)), [ORGANIZATION_HEADER]: org.slug };
    const variables: Record<string, unknown> = { sortBy: 'EMAIL' };
    const rawRequest: Record<string, unknown> = { organization: org.id };
    const n = Number(
      (await pg.query(`SELECT sum(total) AS total FROM membership_counts WHERE organization_id = $1`, [org.id])).rows[0].total,
    );
    if (CASE === 'search') {
      // A rare term: one member's number (as the bench picks it).
      const { email } = (
        await pg.query(
          `SELECT email FROM memberships WHERE organization_id = $1 AND email NOT LIKE 'bench-%' ORDER BY email OFFSET $2 LIMIT 1`,
          [org.id, Math.floor(n * 0.7317)],
        )
      ).rows[0] as { email: string };
      variables.search = rawRequest.search = /(\d+)@/.exec(email)?.[1] ?? email.split('@')[0];
    }
    if (CASE === 'deep') {
      const deep = (
        await pg.query(`SELECT user_id, email FROM memberships WHERE organization_id = $1 ORDER BY email OFFSET $2 LIMIT 1`, [
          org.id,
          Math.floor(n / 2),
        ])
      ).rows[0] as { user_id: string; email: string };
      rawRequest.after = deep.email;
      variables.after = Buffer.from(JSON.stringify(['EMAIL', deep.email, deep.user_id])).toString('base64url');
    }
    if (CASE === 'deep-name') {
      const deep = (
        await pg.query(
          `SELECT user_id, last_name FROM memberships WHERE organization_id = $1 ORDER BY last_name, user_id OFFSET $2 LIMIT 1`,
          [org.id, Math.floor(n / 2)],
        )
      ).rows[0] as { user_id: string; last_name: string };
      Object.assign(rawRequest, { sortBy: 'LAST_NAME', after: deep.last_name, afterId: deep.user_id });
      variables.sortBy = 'LAST_NAME';
      variables.after = Buffer.from(JSON.stringify(['LAST_NAME', deep.last_name, deep.user_id])).toString('base64url');
    }
    await pg.end();
    if (CASE === 'csv' || CASE === 'xlsx') {
      // One download (after one to warm up): rows/s and what each row costs the server and PostgreSQL.
      const exportUrl = `${server.url}/api/export/users?format=${CASE}`;
      await timedDownload(exportUrl, headers);
      const cpu0 = cpuMs(server.pid);
      const pg0 = postgresCpuMs();
      const self0 = process.cpuUsage();
      const from = monotonicUs();
      const d = await timedDownload(exportUrl, headers);
      const to = monotonicUs();
      const rows = Number(
        (
          await (
            await fetch(`${server.url}/graphql`, { method: 'POST', headers, body: '{"query":"{ users(first: 1) { totalCount } }"}' })
          ).json()
        ).data.users.totalCount,
      );
      const self = process.cpuUsage(self0);
      console.log(
        `${CASE}: ${Math.round(rows / d.seconds)} rows/s, first byte ${d.firstByte.toFixed(0)} ms; per row: server CPU ` +
          `${(((cpuMs(server.pid) - cpu0) * 1000) / rows).toFixed(2)} µs, PostgreSQL ${(((postgresCpuMs() - pg0) * 1000) / rows).toFixed(2)}, ` +
          `download ${((self.user + self.system) / rows).toFixed(2)}`,
      );
      await server.stop();
      if (PROFILE) summariseFrom(dir, from, to, rows);
      return;
    }
    const query = CASE === 'typename' ? '{ __typename }' : CASE === 'page-no-count' ? PAGE_NO_COUNT : PAGE;
    const body = JSON.stringify(CASE === 'typename' ? { query } : { query, variables });
    const load = raw
      ? {
          url: raw.url,
          method: 'POST' as const,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(rawRequest),
        }
      : { url: `${server.url}/graphql`, method: 'POST' as const, headers, body };
    const probe = await (await fetch(load.url, { ...load })).json();
    if (probe.errors) throw new Error(JSON.stringify(probe.errors));
    const pid = raw ? raw.pid : server.pid;
    await autocannon({ ...load, connections: CONNECTIONS, duration: 3 }); // warm-up
    const cpu0 = cpuMs(pid);
    const pg0 = postgresCpuMs();
    const self0 = process.cpuUsage();
    const from = monotonicUs();
    const r = await autocannon({ ...load, connections: CONNECTIONS, duration: SECONDS });
    const to = monotonicUs();
    const cpu = cpuMs(pid) - cpu0;
    const pgCpu = postgresCpuMs() - pg0;
    const self = process.cpuUsage(self0);
    const requests = r.requests.total;
    console.log(
      `${raw ? 'raw ' : ''}${CASE} (${org.slug}, ${n.toLocaleString('en')} members): ${Math.round(r.requests.average)} req/s, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx + r.errors}; ` +
        `server CPU ${((cpu * 1000) / requests).toFixed(0)} µs/request, PostgreSQL ${((pgCpu * 1000) / requests).toFixed(0)}, ` +
        `load generator ${((self.user + self.system) / requests).toFixed(0)}`,
    );
    await server.stop();
    if (PROFILE) summariseFrom(dir, from, to, requests);
  } finally {
    raw?.stop();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
