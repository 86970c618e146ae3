// One users-page request as the API would send it, in a loop: WORKERS (8) workers, a pool of 8 clients.
//   a: acquire, the statement (organization_id = $org in it), release
//   b: acquire, one simple-protocol prelude "BEGIN; SET LOCAL ROLE roster_tenant; SET LOCAL roster.organization_id = '<uuid>'",
//      the statement, COMMIT, release
//   c: as a, plus organization_id selected in every row and checked ("checked rows")
// Unfiltered pages run as named prepared statements (as the API prepares them); searches unnamed.
// Usage: node request.mjs <case file> <a|b|c> <seconds> name=value...   Prints one JSON line.
import { createRequire } from 'node:module';
import { loadCase, parseVars } from './case.mjs';
const require = createRequire(import.meta.url);
const pg = require('pg'); // the workspace's node_modules

const [file, mode, seconds, ...vars] = process.argv.slice(2);
const values = parseVars(vars);
const { sql, params } = loadCase(file, values, { checkedRows: mode === 'c' });
const workers = Number(process.env.WORKERS ?? 8);
const prepared = !/search|walk/.test(file);
const org = values.org;
if (!/^[0-9a-f-]{36}$/.test(org)) throw new Error('org must be a uuid');
const prelude = `BEGIN; SET LOCAL ROLE roster_tenant; SET LOCAL roster.organization_id = '${org}'`;

const pool = new pg.Pool({ connectionString: process.env.BENCH_URL ?? 'postgres://postgres@127.0.0.1:5432/rls_bench', max: 8 });
const query = { name: prepared ? `page_${mode}` : undefined, text: sql, values: params };
let rows = -1;
async function request() {
  const client = await pool.connect();
  try {
    if (mode === 'b') await client.query(prelude);
    const res = await client.query(query);
    if (mode === 'c' && res.rows.some((r) => r.row_org !== org)) throw new Error('a row of another organization');
    if (mode === 'b') await client.query('COMMIT');
    rows = res.rowCount;
  } catch (e) {
    if (mode === 'b') await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

const latencies = [];
async function worker(until, record) {
  while (performance.now() < until) {
    const t = performance.now();
    await request();
    if (record) latencies.push(performance.now() - t);
  }
}
await Promise.all(Array.from({ length: workers }, () => worker(performance.now() + 1000, false))); // warm-up: connect, prepare, cache
const start = performance.now();
await Promise.all(Array.from({ length: workers }, () => worker(start + Number(seconds) * 1000, true)));
const elapsed = (performance.now() - start) / 1000;
latencies.sort((x, y) => x - y);
const mean = latencies.reduce((s, x) => s + x, 0) / latencies.length;
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
console.log(
  JSON.stringify({
    tps: +(latencies.length / elapsed).toFixed(1),
    mean_ms: +mean.toFixed(3),
    p50_ms: +pct(0.5).toFixed(3),
    p95_ms: +pct(0.95).toFixed(3),
    rows,
  }),
);
await pool.end();
