import { ErrorCode } from '@roster/contracts/errors';
import { AppError } from '../core/errors/app-error';
import { hasUnsafeText } from '../core/graphql/safe-text';

/**
 * The operators' list of organizations: by name (any case), then id — a keyset on (lower(name), id),
 * the index organizations_name_sort — and a search on slug or name, any case (trigram indexes).
 */

export const MAX_ORGANIZATIONS_PAGE = 100;
export const MAX_ORGANIZATION_SEARCH = 100;

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

/** One page (one row more than asked tells whether more follow). Organizations being deleted are left out. */
export function organizationsPageQuery(
  search: string | null,
  cursor: OrganizationCursor | null,
  limit: number,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const where = ['slug IS NOT NULL'];
  if (search) {
    params.push(`%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`(slug ILIKE $${params.length} OR name ILIKE $${params.length})`);
  }
  if (cursor) {
    params.push(cursor.name, cursor.id);
    where.push(`(lower(name), id) > ($${params.length - 1}::text, $${params.length}::uuid)`);
  }
  params.push(limit);
  return {
    sql: `SELECT id, slug, name, status, created_at, lower(name) AS sort_name FROM organizations
           WHERE ${where.join(' AND ')} ORDER BY lower(name), id LIMIT $${params.length}`,
    params,
  };
}
