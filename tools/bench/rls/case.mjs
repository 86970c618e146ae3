// Reads a case file: @COLUMNS@ → cases/_columns.sql, pgbench-style :name → $n (casts "::type" untouched).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function loadCase(file, values, { checkedRows = false } = {}) {
  const columns = readFileSync(join(dirname(file), '_columns.sql'), 'utf8').trim();
  let sql = readFileSync(file, 'utf8')
    .replace(/^--.*$/gm, '')
    .trim()
    .replace(/;$/, '')
    .replaceAll('@COLUMNS@', checkedRows ? `${columns}, m.organization_id AS row_org` : columns);
  const order = [];
  sql = sql.replace(/(?<!:):([a-z_]+)/g, (_, name) => {
    if (!(name in values)) throw new Error(`no value for :${name}`);
    if (!order.includes(name)) order.push(name);
    return `$${order.indexOf(name) + 1}`;
  });
  return { sql, params: order.map((n) => values[n]) };
}

export const parseVars = (vars) => Object.fromEntries(vars.map((v) => v.split(/=(.*)/s).slice(0, 2)));
