import { ErrorCode } from '@roster/contracts/errors';
import { likePattern, normaliseSearch } from '../core/graphql/search';
import { permissionLevel } from '@roster/contracts/permissions';
import { AppError } from '../core/errors/app-error';
import { hasUnsafeText } from '../core/graphql/safe-text';
import { EmailStatus } from '../email/email-status';
import { SortDirection, TwoFactorState, UserSortField, UserStatus } from './users.enums';
import type { RoleModel } from '../roles/role.model';
import { UserModel } from './user.model';

/**
 * SQL for the users table: keyset pagination on (sort key, id), teams aggregated in the same
 * statement (no N+1), and an email search that stays on the trigram index for rare terms.
 */

/** The delivery status of an invited person's latest invitation email (the email feature's outbox). */
const INVITATION_EMAIL_COLUMN = `CASE WHEN u.status = 'INVITED' THEN (SELECT o.status FROM email_outbox o
    WHERE o.user_id = u.id AND o.kind = 'invitation' ORDER BY o.created_at DESC LIMIT 1) END AS invitation_email_status`;

/**
 * Whether the person (`alias` of users) has two-factor authentication on: a look-up in two-factor/'s
 * table by its primary key. The one place users/ reads it: the users page's column and filter, the
 * export's filter, the sign-in check, me() and the policy's counts all use this.
 */
export const twoFactorOn = (alias: string) =>
  `EXISTS (SELECT 1 FROM totp_secrets tf WHERE tf.user_id = ${alias}.id AND tf.enabled_at IS NOT NULL)`;

/** The same as a join, for a statement counting many people (one hash join, not a look-up each): `tf.user_id IS NULL` without 2FA. */
export const twoFactorJoin = (alias: string) => `LEFT JOIN totp_secrets tf ON tf.user_id = ${alias}.id AND tf.enabled_at IS NOT NULL`;

export const USER_COLUMNS = `
  u.id, u.email, u.first_name, u.last_name, u.status, u.last_sign_in_at, u.created_at, ${twoFactorOn('u')} AS two_factor_enabled,
  r.id AS role_id, r.key AS role_key, r.name AS role_name, r.permissions AS role_permissions, r.rank AS role_rank, r.require_two_factor AS role_requires_two_factor,
  i.expires_at AS invitation_expires_at, ${INVITATION_EMAIL_COLUMN},
  COALESCE((SELECT json_agg(json_build_object('id', t.id, 'name', t.name) ORDER BY t.name)
              FROM user_teams ut JOIN teams t ON t.id = ut.team_id WHERE ut.user_id = u.id), '[]'::json) AS teams`;

export const USER_FROM = `users u JOIN roles r ON r.id = u.role_id LEFT JOIN invitations i ON i.user_id = u.id`;

/** What a users page must read beyond the person's own columns: only what the query selected. */
export interface PageFields {
  teams: boolean;
  invitation: boolean;
  invitationEmail: boolean;
  /** Timestamps are parsed into dates for every row that has them: only when selected. */
  lastSignInAt: boolean;
  createdAt: boolean;
  /** The teams' ids (their names come with `teams`). */
  teamIds: boolean;
  twoFactorEnabled: boolean;
}

const ALL_FIELDS: PageFields = {
  teams: true,
  invitation: true,
  invitationEmail: true,
  lastSignInAt: true,
  createdAt: true,
  teamIds: true,
  twoFactorEnabled: true,
};

const TEAMS_COLUMN = `COALESCE((SELECT json_agg(json_build_object('id', t.id, 'name', t.name) ORDER BY t.name)
              FROM user_teams ut JOIN teams t ON t.id = ut.team_id WHERE ut.user_id = u.id), '[]'::json) AS teams`;
const TEAM_NAMES_COLUMN = `COALESCE((SELECT json_agg(json_build_object('name', t.name) ORDER BY t.name)
              FROM user_teams ut JOIN teams t ON t.id = ut.team_id WHERE ut.user_id = u.id), '[]'::json) AS teams`;

/**
 * The page's columns: only what the query selected (each column is sent, and decoded by pg, for every
 * row). The role comes from the roles cache by id (a handful of rows), not from a join parsed again on
 * every row.
 */
function pageColumns(fields: PageFields): string {
  const columns = [`u.id, u.email, u.first_name, u.last_name, u.status, u.role_id`];
  if (fields.twoFactorEnabled) columns.push(`${twoFactorOn('u')} AS two_factor_enabled`);
  if (fields.lastSignInAt) columns.push(`u.last_sign_in_at`);
  if (fields.createdAt) columns.push(`u.created_at`);
  if (fields.invitation) columns.push(`(SELECT i.expires_at FROM invitations i WHERE i.user_id = u.id) AS invitation_expires_at`);
  if (fields.teams) columns.push(fields.teamIds ? TEAMS_COLUMN : TEAM_NAMES_COLUMN);
  if (fields.invitationEmail) columns.push(INVITATION_EMAIL_COLUMN);
  return columns.join(', ');
}

/** One row of a users page (roles joined later, from the roles cache): the columns not selected are absent. */
export type PageRow = Pick<
  UserRow,
  'id' | 'email' | 'first_name' | 'last_name' | 'status' | 'role_id' | 'sort_key' | 'cursor_key' | 'total_count'
> &
  Partial<
    Pick<UserRow, 'two_factor_enabled' | 'last_sign_in_at' | 'created_at' | 'invitation_expires_at' | 'teams' | 'invitation_email_status'>
  >;

/** A page row as the API's User, with its role from the roles cache (what was not selected: empty, never read). */
export function pageRowToUser(row: PageRow, role: RoleModel): UserModel {
  return {
    id: row.id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    status: row.status,
    role,
    teams: row.teams ?? [],
    permissionLevel: role.permissionLevel,
    lastSignInAt: row.last_sign_in_at ?? null,
    invitationExpiresAt: row.invitation_expires_at ?? null,
    invitationEmailStatus: row.invitation_email_status ?? null,
    twoFactorEnabled: row.two_factor_enabled ?? false,
    createdAt: row.created_at as Date,
  };
}

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
  role_requires_two_factor: boolean;
  invitation_expires_at: Date | null;
  invitation_email_status: EmailStatus | null;
  two_factor_enabled: boolean;
  teams: { id: string; name: string }[];
  sort_key?: unknown;
  /** The sort key as the cursor carries it, for keys a JavaScript value cannot hold exactly. */
  cursor_key?: string | null;
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
      requireTwoFactor: row.role_requires_two_factor,
      permissionLevel: permissionLevel(row.role_permissions),
    },
    teams: row.teams,
    permissionLevel: permissionLevel(row.role_permissions),
    lastSignInAt: row.last_sign_in_at,
    invitationExpiresAt: row.invitation_expires_at,
    invitationEmailStatus: row.invitation_email_status,
    twoFactorEnabled: row.two_factor_enabled,
    createdAt: row.created_at,
  };
}

/**
 * Sort key SQL and its Postgres type, per column. Each has a btree index on (key, id). `cursor`: the
 * key as the cursor carries it, when a JavaScript value would lose part of it (a Date keeps
 * milliseconds, PostgreSQL microseconds: the row at a page's end would come again on the next page).
 */
const SORT_KEYS: Record<UserSortField, { sql: string; type: string; cursor?: string }> = {
  EMAIL: { sql: 'u.email', type: 'text' },
  FIRST_NAME: { sql: 'u.first_name', type: 'text' },
  LAST_NAME: { sql: 'u.last_name', type: 'text' },
  LAST_CONNECTION: {
    sql: `COALESCE(u.last_sign_in_at, '-infinity'::timestamptz)`,
    type: 'timestamptz',
    // ISO at UTC with microseconds; null for "never" (-infinity), which the cursor carries as null.
    cursor: `to_char(u.last_sign_in_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
  },
  ROLE: { sql: 'u.role_rank', type: 'int' },
  PERMISSIONS: { sql: 'u.role_rank', type: 'int' },
  TEAMS: { sql: 'u.team_count', type: 'int' },
};

/** Searches are counted exactly up to this many matches (then "50,000+"); the whole table always. */
export const COUNT_CAP = 50_000;

/** How far a search is counted: 1–2 character terms only to SHORT_CANDIDATE_LIMIT (a scan each). */
export function countCap(search: string): number {
  return search.length >= 3 ? COUNT_CAP : SHORT_CANDIDATE_LIMIT;
}

/** `column LIKE $n`, written so that 1–2 character terms scan sequentially (no trigram to use). */
export function likeOn(column: string, search: string, param: string): string {
  return search.length >= 3 ? `${column} LIKE ${param}` : `(${column} || '') LIKE ${param}`;
}

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
  /** Which optional columns the query selected (all when not said). */
  fields?: PageFields;
  /** Only people with this status. */
  status?: UserStatus | null;
  /** Only people with (ENABLED) or without (MISSING) two-factor authentication. */
  twoFactor?: TwoFactorState | null;
}

/** The SQL condition of a two-factor filter on an alias of users. */
export function twoFactorCondition(alias: string, state: TwoFactorState): string {
  return `${state === TwoFactorState.ENABLED ? '' : 'NOT '}${twoFactorOn(alias)}`;
}

/** Matches collected through the trigram index before a term counts as common. */
export const CANDIDATE_LIMIT = 50_000;
/** The same for 1–2 character terms, found by a sequential scan: those are usually dense. */
export const SHORT_CANDIDATE_LIMIT = 1_000;
export const MAX_PAGE_SIZE = 200;
const PREPARED_PAGE_SIZES = new Set([10, 20, 25, 50, 100, 200]);

export { likePattern, normaliseSearch };

export function encodeCursor(field: UserSortField, key: unknown, id: string): string {
  const value = key instanceof Date ? key.toISOString() : key;
  return Buffer.from(JSON.stringify([field, value, id])).toString('base64url');
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/** An ISO instant that exists (no 30 February, no year 0): what it parses to prints back the same day and time. */
function isRealInstant(key: string): boolean {
  if (!ISO_INSTANT.test(key) || key.startsWith('0000')) return false;
  const t = Date.parse(key);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 19) === key.slice(0, 19);
}

/** Whether a cursor's sort key has the shape of its column (so SQL never sees a value it cannot cast). */
function validKey(type: string, key: unknown): boolean {
  if (type === 'int') return Number.isSafeInteger(key) && Math.abs(key as number) < 2 ** 31;
  if (type === 'timestamptz') return key === '-infinity' || (typeof key === 'string' && isRealInstant(key));
  return typeof key === 'string' && key.length <= 1000 && !hasUnsafeText(key);
}

function decodeCursor(field: UserSortField, cursor: string): [unknown, string] {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(decoded) || decoded.length !== 3) throw new Error('shape');
    const [f, raw, id] = decoded as [unknown, unknown, unknown];
    const key = raw === null ? '-infinity' : raw;
    if (f !== field || typeof id !== 'string' || !UUID.test(id) || !validKey(SORT_KEYS[field].type, key)) throw new Error('mismatch');
    return [key, id];
  } catch {
    throw new AppError(ErrorCode.BadUserInput, 'The page cursor is invalid (it belongs to another sort or was altered).');
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface PageQuery {
  sql: string;
  params: unknown[];
  limit: number;
  backward: boolean;
  /** Whether the statement's plan holds for any values (then it runs prepared); false for searches. */
  preparable: boolean;
  /**
   * A common term's page found by walking the email index (no count; it is known): fewer rows than
   * `limit + 1` prove nothing (the walk is bounded), and the caller then runs the general statement.
   */
  dense?: boolean;
}

/** A search known to match at least this many people walks the email index for its page. */
export const DENSE_MATCHES = 5_000;
/** How far that walk goes (index entries) before giving up for the general statement. */
export const DENSE_WALK = 200_000;

/**
 * @param known how many people this search matches, when a previous page counted them (SearchCounts).
 */
export function buildPageQuery(args: PageArgs, known?: { count: number; exact: boolean }): PageQuery {
  if (args.first != null && args.last != null) throw new AppError(ErrorCode.BadUserInput, 'Use first or last, not both.');
  const backward = args.last != null || (args.before != null && args.first == null);
  const limit = (backward ? args.last : args.first) ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE)
    throw new AppError(ErrorCode.BadUserInput, `Page size must be 1 to ${MAX_PAGE_SIZE}.`);
  const key = SORT_KEYS[args.sortBy];
  const asc = (args.sortDirection === SortDirection.ASC) !== backward;
  const dir = asc ? 'ASC' : 'DESC';
  const params: unknown[] = [];
  const where: string[] = [];
  const cursor = backward ? args.before : args.after;
  if (cursor) {
    const [value, id] = decodeCursor(args.sortBy, cursor);
    params.push(value);
    if (args.sortBy !== UserSortField.EMAIL) params.push(id);
    where.push(keysetCondition(args.sortBy, asc, key.sql, 'u.id'));
  }
  // Emails are unique: ordering by the email alone lets the email index give rows in order (with the
  // id as a second key the planner would sort, which costs a scan of everything after a cursor).
  const order = args.sortBy === UserSortField.EMAIL ? `ORDER BY u.email ${dir}` : `ORDER BY ${key.sql} ${dir}, u.id ${dir}`;
  const search = normaliseSearch(args.search);
  // A literal, not a parameter: with `LIMIT $n` a prepared statement's generic plan is costed for a
  // tenth of the table, so PostgreSQL would keep planning it again on every execution.
  const limitParam = String(limit + 1);
  const columns = pageColumns(args.fields ?? ALL_FIELDS);
  // The email sort's key is the email, already a column.
  const byEmail = args.sortBy === UserSortField.EMAIL;
  const sortKey = byEmail ? '' : `, ${key.sql} AS sort_key`;
  const cursorKey = key.cursor ? `, ${key.cursor} AS cursor_key` : '';
  const selectWith = (count: string) => `SELECT ${columns}${sortKey}${cursorKey}${args.withCount ? count : ''} FROM users u`;
  const status = args.status ?? null;
  const twoFactor = args.twoFactor ?? null;
  if (
    search &&
    search.length >= 3 &&
    known &&
    known.count >= DENSE_MATCHES &&
    !status &&
    !twoFactor &&
    args.sortBy === UserSortField.EMAIL
  ) {
    // Matches are common: the page is among the next emails in order. An index-only walk of the email
    // index, bounded, reads emails alone (no heap), keeps those that match, and only the page's rows
    // are loaded. Reading every match (to sort them) would cost a heap page per match.
    params.push(likePattern(search));
    const walkFrom = where.length ? `WHERE ${keysetCondition(args.sortBy, asc, 'w.email', 'w.id')}` : '';
    const sql = `${selectWith('')}
      WHERE u.email IN (SELECT m.email FROM (SELECT w.email FROM users w ${walkFrom} ORDER BY w.email ${dir} LIMIT ${DENSE_WALK}) m
                          WHERE m.email LIKE $${params.length} ORDER BY m.email ${dir} LIMIT ${limitParam})
      ${order}`;
    return { sql, params, limit, backward, preparable: false, dense: true };
  }
  if (!search && !status && !twoFactor) {
    const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
    // The exact total from the trigger-kept counter; an uncorrelated sub-select runs once per statement.
    const select = selectWith(`, (SELECT n FROM user_counts WHERE id = 1) AS total_count`);
    // Prepared for the console's page sizes only: each size is a statement of its own, and a connection
    // keeps a bounded number of them.
    const preparable = PREPARED_PAGE_SIZES.has(limit);
    return { sql: `${select} ${cond} ${order} LIMIT ${limitParam}`, params, limit, backward, preparable };
  }
  // The filters (email search, status), on any alias of users.
  const filters: ((alias: string) => string)[] = [];
  if (search) {
    params.push(likePattern(search));
    // With 3+ characters the trigram index finds matches; shorter terms have no trigram, and a
    // sequential scan (which stops at the limit) beats the index: `email || ''` keeps the planner off it.
    const likeParam = `$${params.length}`;
    filters.push((alias) => likeOn(`${alias}.email`, search, likeParam));
  }
  if (status) {
    params.push(status);
    const statusParam = `$${params.length}`;
    filters.push((alias) => `${alias}.status = ${statusParam}`);
  }
  if (twoFactor) filters.push((alias) => twoFactorCondition(alias, twoFactor));
  const match = (alias: string) => filters.map((f) => f(alias)).join(' AND ');
  const keyset = where.length ? `AND ${where.join(' AND ')}` : '';
  // Up to CANDIDATE_LIMIT matches (SHORT_CANDIDATE_LIMIT for 1–2 character terms): collect (id, sort key) of every match through the
  // trigram or status index, take the page from them, then load those rows — the cost follows the matches, not the table (the
  // trap avoided: walking the sort index past hundreds of thousands of rows looking for rare ones).
  // More matches than that: they are dense, and walking the sort index finds a page quickly.
  // One statement decides; the branch not taken never runs. The candidates are counted once.
  const candidates = search && search.length < 3 ? SHORT_CANDIDATE_LIMIT : CANDIDATE_LIMIT;
  const cap = search ? countCap(search) : COUNT_CAP;
  const candKeyset = where.length ? `AND ${keysetCondition(args.sortBy, asc, 'k', 'id')}` : '';
  // The matches (id and sort key), up to one more than `candidates`.
  const cand = `cand AS MATERIALIZED (SELECT u.id, ${key.sql} AS k FROM users u WHERE ${match('u')} LIMIT ${candidates + 1})`;
  if (known?.exact && known.count <= candidates) {
    // A previous page counted the matches, and they are few: collect them, take the page, load its
    // rows. Nothing to count, and no branch for the common case to plan.
    const sql = `
      WITH ${cand}
      ${selectWith('')}
      WHERE u.id IN (SELECT id FROM cand WHERE TRUE ${candKeyset} ORDER BY k ${dir}, id ${dir} LIMIT ${limitParam})
      ORDER BY ${key.sql} ${dir}, u.id ${dir}`;
    return { sql, params, limit, backward, preparable: false };
  }
  const sql = `
    WITH ${cand},
         counted AS (SELECT count(*) AS n FROM cand),
         few AS (SELECT n <= ${candidates} AS yes, n FROM counted),
         top AS (SELECT id FROM cand WHERE (SELECT yes FROM few) ${candKeyset} ORDER BY k ${dir}, id ${dir} LIMIT ${limitParam})
    SELECT * FROM (
      (${selectWith(`, (SELECT n FROM few) AS total_count`)}
        WHERE (SELECT yes FROM few) AND u.id IN (SELECT id FROM top))
      UNION ALL
      (${selectWith(`, (SELECT count(*) FROM (SELECT 1 FROM users c WHERE ${match('c')} LIMIT ${cap + 1}) c) AS total_count`)}
        WHERE NOT (SELECT yes FROM few) AND ${match('u')} ${keyset} ${order} LIMIT ${limitParam})
    ) page ORDER BY ${byEmail ? 'email' : 'sort_key'} ${dir}, id ${dir}`;
  return { sql, params, limit, backward, preparable: false };
}

/**
 * The keyset condition "after the cursor" on (sort key, id). Emails are unique: the email alone
 * orders the rows, and `email > $1` stays on the email index (a row comparison with the id could not).
 */
function keysetCondition(field: UserSortField, asc: boolean, keySql: string, idSql: string): string {
  const op = asc ? '>' : '<';
  if (field === UserSortField.EMAIL) return `${keySql} ${op} $1::text`;
  return `(${keySql}, ${idSql}) ${op} ($1::${SORT_KEYS[field].type}, $2::uuid)`;
}
