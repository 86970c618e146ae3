/**
 * The table-free pieces of a filter's comparison in SQL, shared by the owners that compile SCIM filters on
 * their tables (users/members-filter.ts on memberships, teams/teams-filter.ts on teams).
 */

/** An id is compared only when it is a uuid (anything else matches no row, never a cast error). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The comparisons with an SQL operator (SCIM's `eq ne gt ge lt le`). */
export type OrderOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export const SQL_OP: Record<OrderOp, string> = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' };

/** A LIKE pattern for `co`, `sw`, `ew` (the value's `\`, `%`, `_` escaped). */
export function likeFor(op: 'co' | 'sw' | 'ew', value: string): string {
  const escaped = value.replace(/[\\%_]/g, (c) => `\\${c}`);
  return op === 'co' ? `%${escaped}%` : op === 'sw' ? `${escaped}%` : `%${escaped}`;
}

/**
 * A date compared as the representation shows it, to the millisecond (the column holds microseconds): `eq X`
 * is the millisecond [X, X + 1 ms), so a client's own `meta.lastModified` matches its row and `gt` it does
 * not. Bare range conditions on the column, so that its index serves them. `v` is the value's parameter.
 */
export function dateRangeSql(col: string, op: OrderOp, v: string): string {
  const next = `(${v} + interval '1 millisecond')`;
  switch (op) {
    case 'eq':
      return `(${col} >= ${v} AND ${col} < ${next})`;
    case 'ne':
      return `(${col} < ${v} OR ${col} >= ${next})`;
    case 'gt':
      return `(${col} >= ${next})`;
    case 'ge':
      return `(${col} >= ${v})`;
    case 'lt':
      return `(${col} < ${v})`;
    case 'le':
      return `(${col} < ${next})`;
  }
}
