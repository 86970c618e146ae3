import { ErrorCode } from '@roster/contracts/errors';
import { permissionLevel } from '@roster/contracts/permissions';
import { AppError } from '../core/app-error';
import { SortDirection, UserSortField, UserStatus } from '../core/enums';
import { UserModel } from './user.model';

/**
 * SQL for the users table: keyset pagination on (sort key, id), teams aggregated in the same
 * statement (no N+1), and an email search that stays on the trigram index for rare terms.
 */

export const USER_COLUMNS = `
  u.id, u.email, u.first_name, u.last_name, u.status, u.last_sign_in_at, u.created_at, u.totp_enabled_at IS NOT NULL AS two_factor_enabled,
  r.id AS role_id, r.key AS role_key, r.name AS role_name, r.permissions AS role_permissions, r.rank AS role_rank,
  i.expires_at AS invitation_expires_at,
  COALESCE((SELECT json_agg(json_build_object('id', t.id, 'name', t.name) ORDER BY t.name)
              FROM user_teams ut JOIN teams t ON t.id = ut.team_id WHERE ut.user_id = u.id), '[]'::json) AS teams`;

export const USER_FROM = `users u JOIN roles r ON r.id = u.role_id LEFT JOIN invitations i ON i.user_id = u.id`;

export interface UserRow {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  status: UserStatus;
  last_sign_in_at: Date | null;
  created_at: Date;
  role_id: string;
  role_key: string;
  role_name: string;
  role_permissions: string[];
  role_rank: number;
  invitation_expires_at: Date | null;
  two_factor_enabled: boolean;
  teams: { id: string; name: string }[];
  sort_key?: unknown;
  total_count?: string;
}

export function toUserModel(row: UserRow): UserModel {
  return {
    id: row.id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    status: row.status,
    role: {
      id: row.role_id,
      key: row.role_key,
      name: row.role_name,
      permissions: row.role_permissions,
      rank: row.role_rank,
      permissionLevel: permissionLevel(row.role_permissions),
    },
    teams: row.teams,
    permissionLevel: permissionLevel(row.role_permissions),
    lastSignInAt: row.last_sign_in_at,
    invitationExpiresAt: row.invitation_expires_at,
    twoFactorEnabled: row.two_factor_enabled,
    createdAt: row.created_at,
  };
}

/** Sort key SQL and its Postgres type, per column. Each has a btree index on (key, id). */
const SORT_KEYS: Record<UserSortField, { sql: string; type: string }> = {
  EMAIL: { sql: 'u.email', type: 'text' },
  FIRST_NAME: { sql: 'u.first_name', type: 'text' },
  LAST_NAME: { sql: 'u.last_name', type: 'text' },
  LAST_CONNECTION: { sql: `COALESCE(u.last_sign_in_at, '-infinity'::timestamptz)`, type: 'timestamptz' },
  ROLE: { sql: 'u.role_rank', type: 'int' },
  PERMISSIONS: { sql: 'u.role_rank', type: 'int' },
  TEAMS: { sql: 'u.team_count', type: 'int' },
};

/** Searches are counted up to this many matches (then "10,000+"); the whole table exactly. */
export const COUNT_CAP = 10_000;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  search?: string | null;
  sortBy: UserSortField;
  sortDirection: SortDirection;
  /** Also return the total in every row (saves a round trip when totalCount is asked for). */
  withCount?: boolean;
}

/** Candidate rows fetched through the trigram index before deciding a term is "common". */
export const RARE_TERM_LIMIT = 1000;
export const MAX_PAGE_SIZE = 200;

export function normaliseSearch(search: string | null | undefined): string | null {
  const s = (search ?? '').trim().toLowerCase();
  return s.length ? s : null;
}

export function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function encodeCursor(field: UserSortField, key: unknown, id: string): string {
  const value = key instanceof Date ? key.toISOString() : key;
  return Buffer.from(JSON.stringify([field, value, id])).toString('base64url');
}

function decodeCursor(field: UserSortField, cursor: string): [unknown, string] {
  try {
    const [f, key, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (f !== field || typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id)) throw new Error('mismatch');
    return [key === '-infinity' || key === null ? '-infinity' : key, id];
  } catch {
    throw new AppError(ErrorCode.BadUserInput, 'The page cursor is invalid (it belongs to another sort or was altered).');
  }
}

export interface PageQuery {
  sql: string;
  params: unknown[];
  limit: number;
  backward: boolean;
}

export function buildPageQuery(args: PageArgs): PageQuery {
  if (args.first != null && args.last != null) throw new AppError(ErrorCode.BadUserInput, 'Use first or last, not both.');
  const backward = args.last != null || (args.before != null && args.first == null);
  const limit = (backward ? args.last : args.first) ?? 50;
  if (limit < 1 || limit > MAX_PAGE_SIZE) throw new AppError(ErrorCode.BadUserInput, `Page size must be 1 to ${MAX_PAGE_SIZE}.`);
  const key = SORT_KEYS[args.sortBy];
  const asc = (args.sortDirection === SortDirection.ASC) !== backward;
  const dir = asc ? 'ASC' : 'DESC';
  const params: unknown[] = [];
  const where: string[] = [];
  const cursor = backward ? args.before : args.after;
  if (cursor) {
    const [value, id] = decodeCursor(args.sortBy, cursor);
    params.push(value, id);
    where.push(`(${key.sql}, u.id) ${asc ? '>' : '<'} ($1::${key.type}, $2::uuid)`);
  }
  const order = `ORDER BY ${key.sql} ${dir}, u.id ${dir}`;
  const search = normaliseSearch(args.search);
  params.push(limit + 1);
  const limitParam = `$${params.length}`;
  const selectWith = (count: string) =>
    `SELECT ${USER_COLUMNS}, ${key.sql} AS sort_key${args.withCount ? count : ''} FROM ${USER_FROM}`;
  if (!search) {
    const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
    // The exact total from the trigger-kept counter; an uncorrelated sub-select runs once per statement.
    const select = selectWith(`, (SELECT n FROM user_counts WHERE id = 1) AS total_count`);
    return { sql: `${select} ${cond} ${order} LIMIT ${limitParam}`, params, limit, backward };
  }
  params.push(likePattern(search));
  // With 3+ characters the trigram index finds matches; shorter terms have no trigram, and a
  // sequential scan (which stops at the limit) beats the index: `email || ''` keeps the planner off it.
  const likeParam = `$${params.length}`;
  const likeOn = (column: string) => (search.length >= 3 ? `${column} LIKE ${likeParam}` : `(${column} || '') LIKE ${likeParam}`);
  const like = likeOn('email');
  const keyset = where.length ? `AND ${where.join(' AND ')}` : '';
  // Rare terms: gather the few matches, then sort them (the trap we avoid: walking the whole sort
  // index looking for them). Common terms: let the planner walk the sort index or sort the matches.
  // One statement decides which branch runs; the other is never executed.
  const sql = `
    WITH cand AS MATERIALIZED (SELECT id FROM users WHERE ${like} LIMIT ${RARE_TERM_LIMIT + 1}),
         rare AS (SELECT count(*) <= ${RARE_TERM_LIMIT} AS yes FROM cand)
    SELECT * FROM (
      (${selectWith(`, (SELECT count(*) FROM cand) AS total_count`)}
        WHERE (SELECT yes FROM rare) AND u.id IN (SELECT id FROM cand) ${keyset} ${order} LIMIT ${limitParam})
      UNION ALL
      (${selectWith(`, (SELECT count(*) FROM (SELECT 1 FROM users WHERE ${like} LIMIT ${COUNT_CAP + 1}) c) AS total_count`)}
        WHERE NOT (SELECT yes FROM rare) AND ${likeOn('u.email')} ${keyset} ${order} LIMIT ${limitParam})
    ) page ORDER BY sort_key ${dir}, id ${dir}`;
  return { sql, params, limit, backward };
}
