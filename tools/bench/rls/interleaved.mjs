// One client, requests of each mode in turn (a, b, c, a, b, c, ...) for N seconds: the per-request
// difference between modes with the machine's drift shared equally (the 8-worker runs of request.mjs are
// noisier on a shared 2-core machine). Same requests as request.mjs. Prints medians and means in ms.
// Modes as request.mjs, plus n: as a inside BEGIN ... COMMIT (the round trips without the role and setting).
// Usage: node interleaved.mjs <case file> <modes, e.g. a,n,b,c> <seconds> name=value...
import { createRequire } from 'node:module';
import { loadCase, parseVars } from './case.mjs';
const require = createRequire(import.meta.url);
const pg = require('pg'); // the workspace's node_modules

const [file, modeList, seconds, ...vars] = process.argv.slice(2);
const values = parseVars(vars);
const modes = modeList.split(',');
const prepared = !/search|walk/.test(file);
const queries = Object.fromEntries(
  modes.map((m) => {
    const { sql, params } = loadCase(file, values, { checkedRows: m === 'c' });
    return [m, { name: prepared ? `page_${m}` : undefined, text: sql, values: params }];
  }),
);
const prelude = `BEGIN; SET LOCAL ROLE roster_tenant; SET LOCAL roster.organization_id = '${values.org}'`;
const pool = new pg.Pool({ connectionString: process.env.BENCH_URL ?? 'postgres://postgres@127.0.0.1:5432/rls_bench', max: 1 });
const times = Object.fromEntries(modes.map((m) => [m, []]));
async function request(mode) {
  const client = await pool.connect();
  try {
    if (mode === 'b') await client.query(prelude);
    if (mode === 'n') await client.query('BEGIN');
    const res = await client.query(queries[mode]);
    if (mode === 'c' && res.rows.some((r) => r.row_org !== values.org)) throw new Error('a row of another organization');
    if (mode === 'b' || mode === 'n') await client.query('COMMIT');
  } finally {
    client.release();
  }
}
for (const m of modes) for (let i = 0; i < 6; i++) await request(m); // prepare; past the 5 custom plans
const until = performance.now() + Number(seconds) * 1000;
while (performance.now() < until)
  for (const m of modes) {
    const t = performance.now();
    await request(m);
    times[m].push(performance.now() - t);
  }
const out = {};
for (const m of modes) {
  const x = times[m].sort((p, q) => p - q);
  out[m] = { n: x.length, median_ms: +x[x.length >> 1].toFixed(3), mean_ms: +(x.reduce((s, v) => s + v, 0) / x.length).toFixed(3) };
}
console.log(JSON.stringify(out));
await pool.end();
