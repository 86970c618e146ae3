import type { CompareOp, FilterNode } from '../scim/filter';
import { dateRangeSql, likeFor, SQL_OP, UUID } from '../core/database/compare-sql';

/**
 * A SCIM Groups filter's tree (scim/filter.ts) as SQL on the teams alias `t` (design §7): `displayName`
 * (case-insensitive, `teams_name_lower_key`), `externalId` (exact), `id`, `meta.created`,
 * `meta.lastModified`, `members.value` (user_teams). Never NULL (two-valued, as users/members-filter.ts),
 * values as parameters after the organization's `$1`, a malformed id matches nothing.
 */

export function teamsFilterSql(node: FilterNode, t: string, params: unknown[]): string {
  const param = (value: unknown, cast = '') => {
    params.push(value);
    return `$${params.length}${cast}`;
  };
  const text = (sql: string, nullable: boolean, op: CompareOp, v: string) => {
    // Bare comparisons, so that the indexes serve them; external_id, the one nullable column, says so.
    const known = nullable ? ` AND ${sql} IS NOT NULL` : '';
    if (op === 'co' || op === 'sw' || op === 'ew') return `(${sql} LIKE ${param(likeFor(op, v))}${known})`;
    if (op === 'ne' && nullable) return `(${sql} IS DISTINCT FROM ${param(v)})`;
    return `(${sql} ${SQL_OP[op]} ${param(v)}${known})`;
  };
  const member = (cond: string) =>
    `EXISTS (SELECT 1 FROM user_teams ut WHERE ut.organization_id = ${t}.organization_id AND ut.team_id = ${t}.id${cond ? ` AND ${cond}` : ''})`;
  const walk = (n: FilterNode): string => {
    switch (n.kind) {
      case 'const':
        return n.value ? 'TRUE' : 'FALSE';
      case 'and':
      case 'or':
        return `(${n.items.map(walk).join(n.kind === 'and' ? ' AND ' : ' OR ')})`;
      case 'not':
        return `(NOT ${walk(n.item)})`;
      case 'present':
        if (n.field === 'externalId') return `(${t}.external_id IS NOT NULL)`;
        if (n.field === 'member') return member('');
        if (n.field === 'displayName') return `(${t}.name <> '')`;
        return 'TRUE';
      case 'compare': {
        const { op } = n;
        const v = String(n.value);
        switch (n.field) {
          case 'displayName':
            return text(`lower(${t}.name)`, false, op, v);
          case 'externalId':
            return text(`${t}.external_id`, true, op, v);
          case 'created':
          case 'lastModified':
            if (op === 'co' || op === 'sw' || op === 'ew') throw new Error(`${op} on a date`);
            return dateRangeSql(`${t}.${n.field === 'created' ? 'created_at' : 'updated_at'}`, op, param(v, '::timestamptz'));
          case 'id':
            if (op === 'eq') return UUID.test(v) ? `(${t}.id = ${param(v, '::uuid')})` : 'FALSE';
            if (op === 'ne') return UUID.test(v) ? `(${t}.id <> ${param(v, '::uuid')})` : 'TRUE';
            return text(`${t}.id::text`, false, op, v);
          case 'member':
            if (op === 'eq') return UUID.test(v) ? member(`ut.user_id = ${param(v, '::uuid')}`) : 'FALSE';
            if (op === 'ne') return UUID.test(v) ? `(NOT ${member(`ut.user_id = ${param(v, '::uuid')}`)})` : 'TRUE';
            if (op === 'co' || op === 'sw' || op === 'ew') return member(`ut.user_id::text LIKE ${param(likeFor(op, v))}`);
            return member(`ut.user_id::text ${SQL_OP[op]} ${param(v)}`);
          default:
            throw new Error(`no SQL for the SCIM group field ${n.field}`);
        }
      }
    }
  };
  return walk(node);
}
