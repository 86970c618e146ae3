import { ErrorCode } from '@roster/contracts/errors';
import { AppError } from '../core/errors/app-error';
import { hasUnsafeText } from '../core/graphql/safe-text';

/**
 * The operators' list of organizations: by name (any case), then id — a keyset on (lower(name), id),
 * the index organizations_name_sort — and a search on slug or name, any case (trigram indexes).
 */

export const MAX_ORGANIZATIONS_PAGE = 100;
export const MAX_ORGANIZATION_SEARCH = 100;
/**
 * A person's organizations in one answer, at most: someone in more (up to 1,000) finds the others by
 * searching. Within the GraphQL cost limit, which grows with `first`.
 */
export const MAX_MY_ORGANIZATIONS = 200;

/**
 * An organization as the API's Organization, from `ORGANIZATION_FROM` (o: organizations, c: its
 * counts): memberCount is its active and deactivated memberships, read from the counts kept by
 * triggers (no count per row): the sum of the organization's counter slots, taken per organization
 * listed (a lateral sum over a few entries of the counters' primary key, never a scan of the table).
 */
export const ORGANIZATION_COLUMNS = `o.id, o.slug, o.name, o.status, o.created_at AS "createdAt",
  COALESCE(c.total - c.invited, 0)::int AS "memberCount"`;
export const MEMBER_COUNTS = `LEFT JOIN LATERAL (SELECT sum(s.total) AS total, sum(s.invited) AS invited
  FROM membership_counts s WHERE s.organization_id = o.id) c ON TRUE`;
export const ORGANIZATION_FROM = `organizations o ${MEMBER_COUNTS}`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface OrganizationCursor {
  name: string;
  id: string;
}

const badInput = (field: string, message: string) => new AppError(ErrorCode.BadUserInput, message, { field });

export function encodeOrganizationCursor(sortName: string, id: string): string {
  return Buffer.from(JSON.stringify([sortName, id])).toString('base64url');
}

export function decodeOrganizationCursor(cursor: string): OrganizationCursor {
  try {
    if (cursor.length > 1000) throw new Error('length');
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(decoded) || decoded.length !== 2) throw new Error('shape');
    const [name, id] = decoded as unknown[];
    if (typeof name !== 'string' || hasUnsafeText(name) || typeof id !== 'string' || !UUID.test(id)) throw new Error('values');
    return { name, id };
  } catch {
    throw badInput('after', 'The page cursor is invalid (it was altered or comes from elsewhere).');
  }
}

export function pageSize(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_ORGANIZATIONS_PAGE) {
    throw badInput('first', `Page size must be 1 to ${MAX_ORGANIZATIONS_PAGE}.`);
  }
  return first;
}

/** The search, trimmed (null when empty); BAD_USER_INPUT when too long or not text. */
export function searchTerm(search: string | null): string | null {
  if (search == null) return null;
  const s = search.trim();
  if (s.length > MAX_ORGANIZATION_SEARCH || hasUnsafeText(s)) {
    throw badInput('search', `The search must be at most ${MAX_ORGANIZATION_SEARCH} characters of text.`);
  }
  return s === '' ? null : s;
}

/** The search as a LIKE pattern matching it anywhere, its wildcards taken literally. */
const containing = (search: string) => `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** One page (one row more than asked tells whether more follow). Organizations being deleted are left out. */
export function organizationsPageQuery(
  search: string | null,
  cursor: OrganizationCursor | null,
  limit: number,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const where = ['o.slug IS NOT NULL'];
  if (search) {
    params.push(containing(search));
    where.push(`(o.slug ILIKE $${params.length} OR o.name ILIKE $${params.length})`);
  }
  if (cursor) {
    params.push(cursor.name, cursor.id);
    where.push(`(lower(o.name), o.id) > ($${params.length - 1}::text, $${params.length}::uuid)`);
  }
  params.push(limit);
  return {
    sql: `SELECT ${ORGANIZATION_COLUMNS}, lower(o.name) AS "sortName" FROM ${ORGANIZATION_FROM}
           WHERE ${where.join(' AND ')} ORDER BY lower(o.name), o.id LIMIT $${params.length}`,
    params,
  };
}

/**
 * A person's organizations: those where their membership is active, live or suspended (not being
 * deleted), the last used first (their last organization, then by their last connection in each,
 * then the first joined: the order a request naming none picks the one it acts in by); searched by slug or name; only `only` when given (an API token's own); only active
 * organizations with `activeOnly` (where a request may act).
 */
export function myOrganizationsQuery(
  userId: string,
  search: string | null,
  limit: number,
  only: string | null,
  activeOnly = false,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [userId];
  const where = [`m.user_id = $1`, `m.status = 'ACTIVE'`, activeOnly ? `o.status = 'ACTIVE'` : `o.slug IS NOT NULL`];
  if (search) {
    params.push(containing(search));
    where.push(`(o.slug ILIKE $${params.length} OR o.name ILIKE $${params.length})`);
  }
  if (only) {
    params.push(only);
    where.push(`m.organization_id = $${params.length}::uuid`);
  }
  params.push(limit);
  return {
    sql: `SELECT ${ORGANIZATION_COLUMNS}
            FROM memberships m JOIN users u ON u.id = m.user_id JOIN organizations o ON o.id = m.organization_id
            ${MEMBER_COUNTS}
           WHERE ${where.join(' AND ')}
           ORDER BY (m.organization_id = u.last_organization_id) IS TRUE DESC, m.last_sign_in_at DESC NULLS LAST, m.joined_at, o.id
           LIMIT $${params.length}`,
    params,
  };
}
