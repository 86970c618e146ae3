import { ErrorCode } from '@roster/contracts/errors';
import { organizationOf, type Principal } from '../core/access/principal';
import { AppError } from '../core/errors/app-error';
import { parseInstant } from '../core/graphql/date-time';
import { cursorInstantSql, decodeInstantCursor, encodeInstantCursor } from '../core/graphql/instant-cursor';
import { hasUnsafeText } from '../core/graphql/safe-text';

/**
 * SQL for the audit log: one organization's events (or the platform's), newest first on (created_at,
 * id), a keyset cursor carrying both (to the microsecond, so events sharing a timestamp are neither
 * skipped nor repeated), and filters that each have an index led by the organization, then the
 * filtered column, then (created_at, id).
 */

/** Whose events a read answers: one organization's (its id), or the platform's own (`null`). */
export type AuditOwner = string | null;

/** Which events a reader asks for: the current organization's, or the platform's own (operators). */
export enum AuditScope {
  ORGANIZATION = 'ORGANIZATION',
  PLATFORM = 'PLATFORM',
}

/**
 * Whose events `principal` reads in `scope`: the organization it acts in, or, for a platform operator
 * signed in to the console (never an API token), the platform's own events. Anyone else asking for the
 * platform's is refused.
 */
export function auditOwner(principal: Principal, scope: AuditScope): AuditOwner {
  if (scope !== AuditScope.PLATFORM) return organizationOf(principal);
  if (!(principal.operator && principal.via === 'cookie')) {
    throw new AppError(ErrorCode.Forbidden, "Only platform operators, signed in to the console, read the platform's events.");
  }
  return null;
}

/** The filters of the audit log screen, its API and its export (validated: see auditFilter). */
export interface AuditFilter {
  /** A user id, or an email (lower-cased) matched against the email copied at the time. */
  actor: string | null;
  target: string | null;
  action: string | null;
  /** Half-open range [from, to), ISO instants. */
  from: string | null;
  to: string | null;
}

export interface RawAuditFilter {
  actor?: unknown;
  target?: unknown;
  action?: unknown;
  from?: unknown;
  to?: unknown;
}

export const MAX_PARTY_LENGTH = 254;
export const MAX_ACTION_LENGTH = 64;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function badInput(field: string, rule: string, message: string): AppError {
  return new AppError(ErrorCode.BadUserInput, message, { fields: { [field]: [rule] } });
}

function text(field: string, value: unknown, maxLength: number): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw badInput(field, 'text', `${field} must be text.`);
  const v = value.trim();
  if (v.length > maxLength || hasUnsafeText(v)) throw badInput(field, 'text', `${field} must be at most ${maxLength} characters of text.`);
  return v.length ? v : null;
}

/**
 * An instant PostgreSQL stores as it is (years 1 to 9999), read by the one rule of `parseInstant` on
 * every path: GraphQL's DateTime arrives parsed by it (an invalid Date when the text was not an
 * instant), the export's query string as text.
 */
function instant(field: string, value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  const date = value instanceof Date ? value : typeof value === 'string' ? parseInstant(value) : null;
  if (!date || Number.isNaN(date.getTime())) {
    throw badInput(field, 'isISO8601', `${field} must be a date and time between the years 1 and 9999, such as 2026-01-31T00:00:00Z.`);
  }
  return date.toISOString();
}

/** Checks and normalises the filters: trimmed text, emails lower-cased, dates in range and in order. */
export function auditFilter(raw: RawAuditFilter): AuditFilter {
  const party = (field: string, value: unknown) => text(field, value, MAX_PARTY_LENGTH)?.toLowerCase() ?? null;
  const filter: AuditFilter = {
    actor: party('actor', raw.actor),
    target: party('target', raw.target),
    action: text('action', raw.action, MAX_ACTION_LENGTH),
    from: instant('from', raw.from),
    to: instant('to', raw.to),
  };
  if (filter.from && filter.to && filter.from > filter.to) {
    throw new AppError(ErrorCode.DateRangeInvalid, 'The start of the date range must not be after its end.', {
      fields: { from: ['dateRange'] },
    });
  }
  return filter;
}

/** Cursor position: the exact created_at (microseconds, UTC) and id of the last event seen. */
export type AuditCursor = { at: string; id: string } | { legacyId: string };

const MAX_BIGINT = 9223372036854775807n;

const isBigintId = (v: unknown): boolean => typeof v === 'string' && /^\d{1,19}$/.test(v) && BigInt(v) <= MAX_BIGINT;

export function encodeAuditCursor(at: string, id: string): string {
  return encodeInstantCursor(at, id);
}

/** The opaque cursor of a page's last event; also, for older clients, a plain event id. */
export function decodeAuditCursor(cursor: string): AuditCursor {
  if (isBigintId(cursor)) return { legacyId: cursor };
  const decoded = decodeInstantCursor(cursor, isBigintId);
  if (!decoded) throw badInput('after', 'cursor', 'The page cursor is invalid (it was altered or comes from elsewhere).');
  return decoded;
}

/** Columns of a page or export row; `cursor_at` is created_at to the microsecond, in UTC. */
export const AUDIT_COLUMNS = `id, created_at, ${cursorInstantSql('created_at')} AS cursor_at,
  actor_id, actor_email, action, target_id, target_email, details`;

export interface AuditRow {
  id: string;
  created_at: Date;
  cursor_at: string;
  actor_id: string | null;
  actor_email: string | null;
  action: string;
  target_id: string | null;
  target_email: string | null;
  details: Record<string, unknown>;
}

/** The condition that keeps `owner`'s events (on the columns of `alias`, if given). */
function ownedBy(owner: AuditOwner, params: unknown[], alias = ''): string {
  if (owner === null) return `${alias}organization_id IS NULL`;
  params.push(owner);
  return `${alias}organization_id = $${params.length}::uuid`;
}

/**
 * WHERE conditions for the owner, the filters and the cursor. An actor or target given as a user id
 * matches the id column, otherwise the lower-cased email copied at the time (indexed as lower(email)).
 * A cursor names an event of the same owner: another's (another organization's) finds nothing.
 */
export function auditWhere(owner: AuditOwner, filter: AuditFilter, cursor: AuditCursor | null, params: unknown[]): string {
  const where: string[] = [ownedBy(owner, params)];
  const param = (value: unknown, cast: string) => {
    params.push(value);
    return `$${params.length}::${cast}`;
  };
  for (const side of ['actor', 'target'] as const) {
    const value = filter[side];
    if (!value) continue;
    where.push(UUID.test(value) ? `${side}_id = ${param(value, 'uuid')}` : `lower(${side}_email) = ${param(value, 'text')}`);
  }
  if (filter.action) where.push(`action = ${param(filter.action, 'text')}`);
  if (filter.from) where.push(`created_at >= ${param(filter.from, 'timestamptz')}`);
  if (filter.to) where.push(`created_at < ${param(filter.to, 'timestamptz')}`);
  if (cursor && 'legacyId' in cursor) {
    const id = param(cursor.legacyId, 'bigint');
    where.push(`(created_at, id) < (SELECT e.created_at, e.id FROM audit_events e WHERE e.id = ${id} AND ${ownedBy(owner, params, 'e.')})`);
  } else if (cursor) {
    const id = param(cursor.id, 'bigint');
    where.push(`(created_at, id) < (${param(cursor.at, 'timestamptz')}, ${id})`);
    where.push(`EXISTS (SELECT 1 FROM audit_events e WHERE e.id = ${id} AND ${ownedBy(owner, params, 'e.')})`);
  }
  return `WHERE ${where.join(' AND ')}`;
}

/** One page (or export batch) of `owner`'s events, newest first: `limit` rows after the cursor. */
export function auditPageQuery(
  owner: AuditOwner,
  filter: AuditFilter,
  cursor: AuditCursor | null,
  limit: number,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const where = auditWhere(owner, filter, cursor, params);
  params.push(limit);
  return {
    sql: `SELECT ${AUDIT_COLUMNS} FROM audit_events ${where} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
    params,
  };
}

/**
 * The distinct actions of `owner`'s events, by a loose index scan of the (organization_id, action,
 * created_at, id) index: one short descent per distinct action instead of reading every event. (The
 * platform's events are few; they are read through the same index.)
 */
export function distinctActionsQuery(owner: AuditOwner): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const owned = ownedBy(owner, params);
  const ownedE = owner === null ? ownedBy(owner, params, 'e.') : 'e.organization_id = $1::uuid';
  return {
    sql: `
  WITH RECURSIVE a AS (
    (SELECT action FROM audit_events WHERE ${owned} ORDER BY action LIMIT 1)
    UNION ALL
    SELECT (SELECT e.action FROM audit_events e WHERE ${ownedE} AND e.action > a.action ORDER BY e.action LIMIT 1)
      FROM a WHERE a.action IS NOT NULL
  )
  SELECT action FROM a WHERE action IS NOT NULL`,
    params,
  };
}
