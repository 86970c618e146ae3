import type { CompareOp, FilterNode } from '../scim/filter';
import { dateRangeSql, likeFor, SQL_OP, UUID } from '../core/database/compare-sql';
import { likeOn } from './users-query';

/**
 * A SCIM filter's tree (scim/filter.ts) as SQL on the memberships alias `m` (design §4): a boolean
 * expression that is never NULL (each comparison is `COALESCE(…, false)`, `ne` on a nullable column is
 * `IS DISTINCT FROM`), so `NOT` means "does not match". Values are parameters appended to `params` (the
 * statement's `$1` is the organization); an id that is not a uuid compares as no id, never a cast error.
 * A role is named by its key or its name, matched against the organization's roles here (`roles`), so
 * the statement compares role ids.
 */

export interface FilterRole {
  id: string;
  key: string;
  name: string;
}

/**
 * Whether the filter's matches are found by the email's trigram index (`memberships_email_trgm`) alone: a
 * `co`, `sw` or `ew` of 3+ characters on the email, as the whole filter, one of its `and`'s conditions or
 * every branch of its `or`. Then, in a large organization, ScimMembers reads that index by the term alone
 * (as the users page's search does, users-query.ts `LARGE_ORGANIZATION`): with the organization as a key too,
 * the index reads the organization's whole posting list. Anywhere else (under a `not`, beside another
 * branch of an `or`), the organization's key is what lets the other conditions use their indexes.
 */
export function trigramLed(node: FilterNode): boolean {
  switch (node.kind) {
    case 'and':
      return node.items.some(trigramLed);
    case 'or':
      return node.items.length > 0 && node.items.every(trigramLed);
    case 'compare':
      return node.field === 'email' && (node.op === 'co' || node.op === 'sw' || node.op === 'ew') && String(node.value).length >= 3;
    default:
      return false;
  }
}

/** The formatted name as the representation shows it: "given family" without the spaces around it. */
const formatted = (m: string) => `btrim(concat_ws(' ', ${m}.first_name, ${m}.last_name))`;

/** Text fields: their (lower-cased, for the case-insensitive ones) SQL on `m`, and whether it may be NULL. */
const TEXT: Record<string, (m: string) => { sql: string; nullable: boolean }> = {
  email: (m) => ({ sql: `${m}.email`, nullable: false }),
  givenName: (m) => ({ sql: `lower(${m}.first_name)`, nullable: false }),
  familyName: (m) => ({ sql: `lower(${m}.last_name)`, nullable: false }),
  formatted: (m) => ({ sql: `lower(${formatted(m)})`, nullable: false }),
  displayName: (m) => ({ sql: `lower(COALESCE(${m}.display_name, ${formatted(m)}))`, nullable: false }),
  externalId: (m) => ({ sql: `${m}.external_id`, nullable: true }),
};

/**
 * The names a person may hold as '' (the representation then omits them: absent), with the SQL that says
 * they are held. Every comparison but `ne` requires it (design §4: an absent attribute compares false, is
 * "not identical" for `ne`), beside the bare comparison so that the indexes still serve it.
 */
const MAY_BE_EMPTY: Record<string, (m: string) => string> = {
  givenName: (m) => `${m}.first_name <> ''`,
  familyName: (m) => `${m}.last_name <> ''`,
  formatted: (m) => `${formatted(m)} <> ''`,
  displayName: (m) => `COALESCE(${m}.display_name, ${formatted(m)}) <> ''`,
};

const DATES: Record<string, (m: string) => string> = {
  created: (m) => `${m}.joined_at`,
  lastModified: (m) => `${m}.updated_at`,
};

/** Compares a role's key or name (case-insensitive) as `op` does. */
function roleMatches(op: CompareOp, role: FilterRole, value: string): boolean {
  const test = (actual: string) => {
    const a = actual.toLowerCase();
    switch (op) {
      case 'eq':
      case 'ne':
        return a === value;
      case 'co':
        return a.includes(value);
      case 'sw':
        return a.startsWith(value);
      case 'ew':
        return a.endsWith(value);
      case 'gt':
        return a > value;
      case 'ge':
        return a >= value;
      case 'lt':
        return a < value;
      case 'le':
        return a <= value;
    }
  };
  // `ne`: neither the key nor the name is the value ("not identical").
  const hit = test(role.key) || test(role.name);
  return op === 'ne' ? !hit : hit;
}

/** The SQL of a filter tree on the memberships alias `m`; parameters are appended to `params`. */
export function membersFilterSql(node: FilterNode, m: string, params: unknown[], roles: readonly FilterRole[]): string {
  const param = (value: unknown, cast = '') => {
    params.push(value);
    return `$${params.length}${cast}`;
  };
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
        return present(n.field, m);
      case 'compare':
        return compare(n.field, n.op, n.value, m, param, roles);
    }
  };
  return walk(node);
}

function present(field: string, m: string): string {
  switch (field) {
    case 'givenName':
      return `(${m}.first_name <> '')`;
    case 'familyName':
      return `(${m}.last_name <> '')`;
    case 'formatted':
      return `(${formatted(m)} <> '')`;
    case 'displayName':
      return `(COALESCE(${m}.display_name, ${formatted(m)}) <> '')`;
    case 'externalId':
      return `(${m}.external_id IS NOT NULL)`;
    case 'group':
      return `EXISTS (SELECT 1 FROM user_teams ut WHERE ut.organization_id = ${m}.organization_id AND ut.user_id = ${m}.user_id)`;
    case 'email':
    case 'id':
    case 'active':
    case 'role':
    case 'created':
    case 'lastModified':
      return 'TRUE';
    default:
      throw new Error(`no SQL for the SCIM field ${field}`);
  }
}

function compare(
  field: string,
  op: CompareOp,
  value: string | boolean,
  m: string,
  param: (value: unknown, cast?: string) => string,
  roles: readonly FilterRole[],
): string {
  // Never NULL, and still a condition an index serves: a column that cannot be NULL is compared bare (a
  // COALESCE around it hides it from every index: `userName eq` would read the whole organization), a
  // nullable one with `IS NOT NULL` beside it (NULL AND FALSE is FALSE).
  const text = (sql: string, nullable: boolean, v: string) => {
    if (op === 'ne' && nullable) return `(${sql} IS DISTINCT FROM ${param(v)})`;
    // A name held as '' is absent, and `ne ""` is "not identical" for everyone, held or not.
    if (op === 'ne' && v === '' && field in MAY_BE_EMPTY) return 'TRUE';
    // The email's co/sw/ew as the users page's search (likeOn): 1–2 characters have no trigram, and
    // scan the organization's rows rather than the trigram index's whole posting list of it.
    const like = (pattern: string) => (field === 'email' ? likeOn(sql, v, pattern) : `${sql} LIKE ${pattern}`);
    const cond = op === 'co' || op === 'sw' || op === 'ew' ? like(param(likeFor(op, v))) : `${sql} ${SQL_OP[op]} ${param(v)}`;
    if (nullable) return `(${cond} AND ${sql} IS NOT NULL)`;
    // A name held as '' is absent: no comparison but `ne` holds (`lt "b"`, `eq ""`, `co ""` select nobody).
    if (op !== 'ne' && field in MAY_BE_EMPTY) return `(${cond} AND ${MAY_BE_EMPTY[field](m)})`;
    return `(${cond})`;
  };
  if (field in TEXT) {
    const { sql, nullable } = TEXT[field](m);
    return text(sql, nullable, String(value));
  }
  if (field in DATES) {
    // Checked and normalised by the filter's parser: an ISO instant.
    if (op === 'co' || op === 'sw' || op === 'ew') throw new Error(`${op} on a date`);
    // Both dates are NOT NULL: compared bare, on their index, to the millisecond shown.
    return dateRangeSql(DATES[field](m), op, param(value, '::timestamptz'));
  }
  switch (field) {
    case 'active': {
      const wantActive = (value === true) === (op === 'eq');
      return `(${m}.status = '${wantActive ? 'ACTIVE' : 'DEACTIVATED'}')`;
    }
    case 'id': {
      const v = String(value);
      if (op === 'eq') return UUID.test(v) ? `(${m}.user_id = ${param(v, '::uuid')})` : 'FALSE';
      if (op === 'ne') return UUID.test(v) ? `(${m}.user_id <> ${param(v, '::uuid')})` : 'TRUE';
      return text(`${m}.user_id::text`, false, v);
    }
    case 'role': {
      const ids = roles.filter((r) => roleMatches(op, r, String(value))).map((r) => r.id);
      return ids.length ? `(${m}.role_id = ANY(${param(ids, '::uuid[]')}))` : 'FALSE';
    }
    case 'group': {
      const v = String(value);
      const member = (cond: string) =>
        `EXISTS (SELECT 1 FROM user_teams ut WHERE ut.organization_id = ${m}.organization_id AND ut.user_id = ${m}.user_id AND ${cond})`;
      if (op === 'eq') return UUID.test(v) ? member(`ut.team_id = ${param(v, '::uuid')}`) : 'FALSE';
      // "Not identical": no team of theirs is this one.
      if (op === 'ne') return UUID.test(v) ? `(NOT ${member(`ut.team_id = ${param(v, '::uuid')}`)})` : 'TRUE';
      if (op === 'co' || op === 'sw' || op === 'ew') return member(`ut.team_id::text LIKE ${param(likeFor(op, v))}`);
      return member(`ut.team_id::text ${SQL_OP[op]} ${param(v)}`);
    }
    default:
      throw new Error(`no SQL for the SCIM field ${field}`);
  }
}
