// Plans of a case, as the owner (a) and under RLS (b), each as a prepared statement with the generic
// plan forced (plan_cache_mode = force_generic_plan) and, for comparison, a custom one.
// Usage: node explain.mjs <case file> <a|b> [generic|custom] name=value...
import { createRequire } from 'node:module';
import { loadCase, parseVars } from './case.mjs';
const require = createRequire(import.meta.url);
const pg = require('pg'); // the workspace's node_modules

const [file, mode, planMode, ...vars] = process.argv.slice(2);
const values = parseVars(vars);
const { sql, params } = loadCase(file, values);
const client = new pg.Client({ connectionString: process.env.BENCH_URL ?? 'postgres://postgres@127.0.0.1:5432/rls_bench' });
await client.connect();
const lit = (v) => `'${String(v).replaceAll("'", "''")}'`;
await client.query('BEGIN');
if (mode === 'b') await client.query(`SET LOCAL ROLE roster_tenant; SET LOCAL roster.organization_id = ${lit(values.org)}`);
await client.query(`SET LOCAL plan_cache_mode = ${planMode === 'custom' ? 'force_custom_plan' : 'force_generic_plan'}`);
await client.query(`PREPARE p AS ${sql}`);
const args = params.length ? `(${params.map(lit).join(', ')})` : '';
const res = await client.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE p${args}`);
console.log(
  `== ${file} mode=${mode} ${planMode ?? 'generic'} current_user=${(await client.query('SELECT current_user')).rows[0].current_user}`,
);
console.log(res.rows.map((r) => r['QUERY PLAN']).join('\n'));
await client.query('ROLLBACK');
await client.end();
