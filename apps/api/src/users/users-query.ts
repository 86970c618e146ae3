import { ErrorCode } from '@roster/contracts/errors';
import { likePattern, normaliseSearch } from '../core/graphql/search';
import { permissionLevel } from '@roster/contracts/permissions';
import { AppError } from '../core/errors/app-error';
import { idList } from '../core/database/id-list';
import { hasUnsafeText } from '../core/graphql/safe-text';
import { EmailStatus } from '../email/email-status';
import { SortDirection, TwoFactorState, UserSortField, UserStatus } from './users.enums';
import type { RoleModel } from '../roles/role.model';
import { UserModel } from './user.model';

/**
 * SQL for the users table, inside one organization: a User is a membership of the organization (its
 * role, status, teams, last connection) joined to its person (email, names, two-factor). Pages read
 * `memberships` alone (the person's email and names are copied there), by keyset on (sort key,
 * user id) along one `memberships_*` index led by `organization_id`; teams are aggregated in the same
 * statement (no N+1), and an email search stays on the trigram index for rare terms. Every statement
 * names the organization in every branch: `$1` is always the organization's id.
 */

/**
 * The delivery status of an invited member's latest invitation email (the email feature's outbox).
 * The outbox keeps mails per person: the invitation of this organization is the latest one sent to them.
 */
const INVITATION_EMAIL_COLUMN = `CASE WHEN m.status = 'INVITED' THEN (SELECT o.status FROM email_outbox o
    WHERE o.user_id = m.user_id AND o.kind = 'invitation' ORDER BY o.created_at DESC LIMIT 1) END AS invitation_email_status`;

/**
 * Whether the person (`alias`, its id in `idColumn`: `id` of users, `user_id` of memberships) has
 * two-factor authentication on: a scalar probe of two-factor/'s table by its primary key (as `EXISTS`,
 * PostgreSQL may hash the whole table once per page instead). The one place users/ reads it: the users
 * page's column and filter, the export's filter, the sign-in check, me() and the policy's counts all use this.
 */
export const twoFactorOn = (alias: string, idColumn = 'id') =>
  `COALESCE((SELECT tf.enabled_at IS NOT NULL FROM totp_secrets tf WHERE tf.user_id = ${alias}.${idColumn}), false)`;

/** The same as a join, for a statement counting many people (one hash join, not a look-up each): `tf.user_id IS NULL` without 2FA. */
/**
 * Whether a member uses two-factor authentication: off while invited (their account may exist elsewhere), and
 * for a membership with its own names (a person of other organizations provisioned here shows nothing of their account).
 */
export const memberTwoFactorOn = (alias: string) =>
  `(${alias}.status <> 'INVITED' AND NOT ${alias}.own_names AND ${twoFactorOn(alias, 'user_id')})`;

export const twoFactorJoin = (alias: string) => `LEFT JOIN totp_secrets tf ON tf.user_id = ${alias}.id AND tf.enabled_at IS NOT NULL`;

/**
 * The teams of the member `m` in its organization. Teams are joined on their id alone: with the
 * organization in the join too, PostgreSQL reads every team of the organization for each row.
 */
const teamsOf = (fields: string) => `COALESCE((SELECT json_agg(json_build_object(${fields}) ORDER BY t.name)
              FROM user_teams ut JOIN teams t ON t.id = ut.team_id
             WHERE ut.organization_id = m.organization_id AND ut.user_id = m.user_id), '[]'::json) AS teams`;
const TEAMS_COLUMN = teamsOf(`'id', t.id, 'name', t.name`);

/** Whether SCIM made or adopted the membership (the identity provider manages it). */
const PROVISIONED_COLUMN = `m.provisioned_at IS NOT NULL AS provisioned`;

/**
 * A page row's team ids, straight from user_teams' primary key: the names come from the teams cache
 * (TeamsService.namesCached). Aggregating the names as JSON in a sub-plan per row (a join to teams, a
 * sort, JSON built and sent as text) was most of a page's execution in PostgreSQL. As an idList: parsed
 * as a uuid[], the ids cost ~7 % of a page's CPU in the server.
 */
const TEAM_IDS_COLUMN = idList(
  `SELECT ut.team_id FROM user_teams ut WHERE ut.organization_id = m.organization_id AND ut.user_id = m.user_id`,
  'team_ids',
);

/**
 * One person or several as the API's User (a UserRow), with USER_FROM: the caller's WHERE must name
 * the organization first, `m.organization_id = $n` (then `m.user_id = …`). The person's own columns
 * (language, theme, …) are `u.`; the membership's `m.`.
 */
export const USER_COLUMNS = `
  m.user_id AS id, m.organization_id, m.email, m.first_name, m.last_name, m.status, m.last_sign_in_at, m.joined_at AS created_at,
  ${memberTwoFactorOn('m')} AS two_factor_enabled,
  r.id AS role_id, r.key AS role_key, r.name AS role_name, r.permissions AS role_permissions, r.rank AS role_rank, r.require_two_factor AS role_requires_two_factor, r.description AS role_description, r.built_in AS role_built_in,
  i.expires_at AS invitation_expires_at, ${INVITATION_EMAIL_COLUMN},
  ${PROVISIONED_COLUMN}, m.external_id,
  ${TEAMS_COLUMN}`;

/** The memberships of an organization, their people, roles and invitations: see USER_COLUMNS. */
export const USER_FROM = `memberships m JOIN users u ON u.id = m.user_id JOIN roles r ON r.id = m.role_id
  LEFT JOIN invitations i ON i.organization_id = m.organization_id AND i.user_id = m.user_id`;

/** What a users page must read beyond the person's own columns: only what the query selected. */
export interface PageFields {
  teams: boolean;
  invitation: boolean;
  invitationEmail: boolean;
  /** Timestamps are parsed into dates for every row that has them: only when selected. */
  lastSignInAt: boolean;
  createdAt: boolean;
  /** The teams' ids (asked with `teams`: both come from the page's team ids and the teams cache). */
  teamIds: boolean;
  twoFactorEnabled: boolean;
  /** Whether SCIM made or adopted the membership. */
  provisioned: boolean;
  /** The identity provider's id for the person (SCIM `externalId`). */
  externalId: boolean;
}

const ALL_FIELDS: PageFields = {
  teams: true,
  invitation: true,
  invitationEmail: true,
  lastSignInAt: true,
  createdAt: true,
  teamIds: true,
  twoFactorEnabled: true,
  provisioned: true,
  externalId: true,
};

/**
 * The page's columns: only what the query selected (each column is sent, and decoded by pg, for every
 * row), all from the membership `m` (the person's email and names are copies there: no join to users).
 * The role comes from the roles cache by id (a handful of rows), not from a join parsed again on every row.
 */
function pageColumns(fields: PageFields): string {
  const columns = [`m.user_id AS id, m.organization_id, m.email, m.first_name, m.last_name, m.status, m.role_id`];
  if (fields.twoFactorEnabled) columns.push(`${memberTwoFactorOn('m')} AS two_factor_enabled`);
  if (fields.lastSignInAt) columns.push(`m.last_sign_in_at`);
  if (fields.createdAt) columns.push(`m.joined_at AS created_at`);
  if (fields.invitation)
    columns.push(
      `(SELECT i.expires_at FROM invitations i WHERE i.organization_id = m.organization_id AND i.user_id = m.user_id) AS invitation_expires_at`,
    );
  if (fields.teams) columns.push(TEAM_IDS_COLUMN);
  if (fields.invitationEmail) columns.push(INVITATION_EMAIL_COLUMN);
  if (fields.provisioned) columns.push(PROVISIONED_COLUMN);
  if (fields.externalId) columns.push(`m.external_id`);
  return columns.join(', ');
}

/** One row of a users page (roles joined later, from the roles cache): the columns not selected are absent. */
export type PageRow = Pick<
  UserRow,
  'id' | 'organization_id' | 'email' | 'first_name' | 'last_name' | 'status' | 'role_id' | 'sort_key' | 'cursor_key' | 'total_count'
> & {
  /** The organization's number of members (searches and filters return it, for the next page's strategy). */
  organization_size?: string | number | null;
} & Partial<
    Pick<
      UserRow,
      | 'two_factor_enabled'
      | 'last_sign_in_at'
      | 'created_at'
      | 'invitation_expires_at'
      | 'invitation_email_status'
      | 'provisioned'
      | 'external_id'
    >
  > & {
    /** The member's team ids, an idList ('' for none; splitIds reads it), when teams were selected. */
    team_ids?: string;
  };

/** A team's name and its place among its organization's teams by name (TeamsService.namesCached). */
export type TeamNames = ReadonlyMap<string, { name: string; rank: number }>;

/** Teams by id, named and sorted as `ORDER BY name` sorts them; undefined when an id is not in `names` (read them again). */
export function pageRowTeams(ids: readonly string[], names: TeamNames): { id: string; name: string }[] | undefined {
  if (ids.length === 0) return [];
  const teams: { id: string; name: string; rank: number }[] = [];
  for (const id of ids) {
    const team = names.get(id);
    if (!team) return undefined;
    teams.push({ id, name: team.name, rank: team.rank });
  }
  if (teams.length > 1) teams.sort((a, b) => a.rank - b.rank);
  return teams.map(({ id, name }) => ({ id, name }));
}

/**
 * A page row as the API's User, with its role from the roles cache and its teams named (what was not
 * selected: empty, never read).
 */
export function pageRowToUser(row: PageRow, role: RoleModel, teams: { id: string; name: string }[] = []): UserModel {
  return {
    id: row.id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    status: row.status,
    role,
    teams,
    permissionLevel: role.permissionLevel,
    lastSignInAt: row.last_sign_in_at ?? null,
    invitationExpiresAt: row.invitation_expires_at ?? null,
    invitationEmailStatus: row.invitation_email_status ?? null,
    twoFactorEnabled: row.two_factor_enabled ?? false,
    provisioned: row.provisioned ?? false,
    externalId: row.external_id ?? null,
    createdAt: row.created_at as Date,
  };
}

export interface UserRow {
  id: string;
  /** The membership's organization, checked against the one asked for (`checkedRows`). */
  organization_id: string;
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
  role_description: string;
  role_built_in: boolean;
  invitation_expires_at: Date | null;
  invitation_email_status: EmailStatus | null;
  two_factor_enabled: boolean;
  provisioned: boolean;
  external_id: string | null;
  teams: { id: string; name: string }[];
  sort_key?: unknown;
  /** The sort key as the cursor carries it, for keys a JavaScript value cannot hold exactly. */
  cursor_key?: string | null;
  /** How many match, when the statement counted them (null: it did not). */
  total_count?: string | null;
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
      description: row.role_description,
      builtIn: row.role_built_in,
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
    provisioned: row.provisioned,
    externalId: row.external_id,
    createdAt: row.created_at,
  };
}

/**
 * Sort key SQL and its Postgres type, per column, on the membership `m`. Each has a btree index on
 * (organization_id, key, user_id) (`memberships_*_sort`; the email's is (organization_id, email)). `cursor`: the
 * key as the cursor carries it, when a JavaScript value would lose part of it (a Date keeps
 * milliseconds, PostgreSQL microseconds: the row at a page's end would come again on the next page).
 */
const SORT_KEYS: Record<UserSortField, { sql: string; type: string; cursor?: string }> = {
  EMAIL: { sql: 'm.email', type: 'text' },
  FIRST_NAME: { sql: 'm.first_name', type: 'text' },
  LAST_NAME: { sql: 'm.last_name', type: 'text' },
  LAST_CONNECTION: {
    sql: `COALESCE(m.last_sign_in_at, '-infinity'::timestamptz)`,
    type: 'timestamptz',
    // ISO at UTC with microseconds; null for "never" (-infinity), which the cursor carries as null.
    cursor: `to_char(m.last_sign_in_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
  },
  ROLE: { sql: 'm.role_rank', type: 'int' },
  PERMISSIONS: { sql: 'm.role_rank', type: 'int' },
  TEAMS: { sql: 'm.team_count', type: 'int' },
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
  /** The organization whose members the page lists (`$1` of every statement). */
  organizationId: string;
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
  /**
   * The organization's number of members, when an earlier page told it. It only chooses how a search or a
   * filter is read (SMALL_ORGANIZATION): a figure out of date reads the same people, perhaps more slowly.
   */
  organizationSize?: number | null;
}

/**
 * The SQL condition of a two-factor filter on a membership alias. Here `EXISTS`, unlike the column: as a
 * filter over many rows, PostgreSQL may then join the secrets (a few percent of people) instead of
 * probing them once per row. An invited member's two-factor state is their account's elsewhere: it
 * counts as off until they accept, and always for a membership with its own names (as `memberTwoFactorOn` shows it).
 */
export function twoFactorCondition(alias: string, state: TwoFactorState, idColumn = 'user_id'): string {
  const enabled = `EXISTS (SELECT 1 FROM totp_secrets tf WHERE tf.user_id = ${alias}.${idColumn} AND tf.enabled_at IS NOT NULL)`;
  return state === TwoFactorState.ENABLED
    ? `${alias}.status <> 'INVITED' AND NOT ${alias}.own_names AND ${enabled}`
    : `(${alias}.status = 'INVITED' OR ${alias}.own_names OR NOT ${enabled})`;
}

/** Matches collected through the trigram index before a term counts as common. */
export const CANDIDATE_LIMIT = 50_000;
/** The same for 1–2 character terms, found by a sequential scan: those are usually dense. */
export const SHORT_CANDIDATE_LIMIT = 1_000;
export const MAX_PAGE_SIZE = 200;
const PREPARED_PAGE_SIZES = new Set([10, 20, 25, 50, 100, 200]);
/**
 * Three ASCII letters or digits in a row: a search term from which pg_trgm takes a trigram whatever the
 * database's locale (other letters count as such only in some).
 */
const TRIGRAM_RUN = /[A-Za-z0-9]{3}/;

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

/** The five ways a users page is read; `buildPageQuery` picks one, each is a pure function of the page. */
export type PageStrategy = 'unfiltered' | 'denseWalk' | 'small' | 'knownFew' | 'filtered';

export interface PageQuery {
  sql: string;
  params: unknown[];
  limit: number;
  backward: boolean;
  /**
   * Whether the statement's plan holds for any values (then it runs prepared); for searches, only in a small
   * organization, and a large one's search known to be rare (`knownFewPage`).
   */
  preparable: boolean;
  /**
   * A common term's page found by walking the email index (no count; it is known): fewer rows than
   * `limit + 1` prove nothing (the walk is bounded), and the caller then runs the general statement.
   */
  dense?: boolean;
  /** Which strategy wrote the statement. */
  strategy: PageStrategy;
}

/** A statement and its parameters, as each strategy writes them. */
export interface PageSql {
  sql: string;
  params: unknown[];
  /** Its plan is the same whatever the values (a search whose term the planner never sees): it may run prepared. */
  generic?: boolean;
}

/** A search known to match at least this many people walks the email index for its page. */
export const DENSE_MATCHES = 5_000;
/** How far that walk goes (index entries) before giving up for the general statement. */
export const DENSE_WALK = 200_000;

/** How many people a search matches, when a previous page counted them (SearchCounts). */
export interface KnownCount {
  count: number;
  exact: boolean;
}

/** A users page as the strategies need it: the arguments checked, the cursor decoded, the SQL pieces they share. */
export interface PagePlan {
  /** The organization ($1). */
  readonly organizationId: string;
  readonly sortBy: UserSortField;
  readonly limit: number;
  readonly backward: boolean;
  /** Whether rows are read in ascending order (the sort direction, turned for a backward page). */
  readonly asc: boolean;
  readonly dir: 'ASC' | 'DESC';
  /** The normalised email search, if any. */
  readonly search: string | null;
  readonly status: UserStatus | null;
  readonly twoFactor: TwoFactorState | null;
  /** The cursor's sort key and id ($2, and $3 except for the email sort), if the page starts at one. */
  readonly cursor: readonly [unknown, string] | null;
  /** Also return the total in every row. */
  readonly withCount: boolean;
  readonly fields: PageFields;
  /** The organization's number of members, if known (PageArgs.organizationSize). */
  readonly organizationSize: number | null;
}

/**
 * Checks a page's arguments and decodes its cursor (BAD_USER_INPUT for both `first` and `last`, a size
 * out of 1 to MAX_PAGE_SIZE, or a cursor of another sort or altered).
 */
export function planPage(args: PageArgs): PagePlan {
  if (args.first != null && args.last != null) throw new AppError(ErrorCode.BadUserInput, 'Use first or last, not both.');
  const backward = args.last != null || (args.before != null && args.first == null);
  const limit = (backward ? args.last : args.first) ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE)
    throw new AppError(ErrorCode.BadUserInput, `Page size must be 1 to ${MAX_PAGE_SIZE}.`);
  const asc = (args.sortDirection === SortDirection.ASC) !== backward;
  const cursor = backward ? args.before : args.after;
  if (typeof args.organizationId !== 'string' || !UUID.test(args.organizationId)) throw new Error('a users page needs its organization');
  return {
    organizationId: args.organizationId,
    sortBy: args.sortBy,
    limit,
    backward,
    asc,
    dir: asc ? 'ASC' : 'DESC',
    search: normaliseSearch(args.search),
    status: args.status ?? null,
    twoFactor: args.twoFactor ?? null,
    cursor: cursor ? decodeCursor(args.sortBy, cursor) : null,
    withCount: Boolean(args.withCount),
    fields: args.fields ?? ALL_FIELDS,
    organizationSize: typeof args.organizationSize === 'number' && Number.isFinite(args.organizationSize) ? args.organizationSize : null,
  };
}

/** Which strategy reads a page, given what a previous page counted for its search. */
export function pageStrategy(plan: PagePlan, known?: KnownCount): PageStrategy {
  const { search, status, twoFactor } = plan;
  if (
    search &&
    search.length >= 3 &&
    known &&
    known.count >= DENSE_MATCHES &&
    !status &&
    !twoFactor &&
    plan.sortBy === UserSortField.EMAIL
  ) {
    return 'denseWalk';
  }
  if (!search && !status && !twoFactor) return 'unfiltered';
  if (plan.organizationSize !== null && plan.organizationSize < SMALL_ORGANIZATION) return 'small';
  if (known?.exact && known.count <= candidateLimit(search)) return 'knownFew';
  return 'filtered';
}

/** Matches collected before a search counts as common: fewer for 1–2 character terms (a scan each). */
function candidateLimit(search: string | null): number {
  return search && search.length < 3 ? SHORT_CANDIDATE_LIMIT : CANDIDATE_LIMIT;
}

/** The SQL pieces every strategy shares. */
function pieces(plan: PagePlan) {
  const key = SORT_KEYS[plan.sortBy];
  const byEmail = plan.sortBy === UserSortField.EMAIL;
  // Emails are unique in an organization: ordering by the email alone lets the email index give rows in
  // order (with the id as a second key the planner would sort, which costs a scan of everything after a cursor).
  const order = byEmail ? `ORDER BY m.email ${plan.dir}` : `ORDER BY ${key.sql} ${plan.dir}, m.user_id ${plan.dir}`;
  // A literal, not a parameter: with `LIMIT $n` a prepared statement's generic plan is costed for a
  // tenth of the table, so PostgreSQL would keep planning it again on every execution.
  const limitParam = String(plan.limit + 1);
  const columns = pageColumns(plan.fields);
  // The email sort's key is the email, already a column.
  const sortKey = byEmail ? '' : `, ${key.sql} AS sort_key`;
  const cursorKey = key.cursor ? `, ${key.cursor} AS cursor_key` : '';
  // `count` only when the total is asked for; `always` in every case.
  const selectWith = (count: string, always = '') =>
    `SELECT ${columns}${sortKey}${cursorKey}${plan.withCount ? count : ''}${always} FROM memberships m WHERE m.organization_id = $1`;
  // The organization ($1), then the keyset condition "after the cursor" and its parameters ($2, $3):
  // the first parameters of every statement.
  const keyset = plan.cursor ? keysetCondition(plan.sortBy, plan.asc, key.sql, 'm.user_id') : null;
  const cursorParams = !plan.cursor ? [] : byEmail ? [plan.cursor[0]] : [plan.cursor[0], plan.cursor[1]];
  const params: unknown[] = [plan.organizationId, ...cursorParams];
  return { key, byEmail, order, limitParam, selectWith, keyset, params };
}

/**
 * The organization's exact number of members, from the trigger-kept counter (the invited included): the sum
 * of its slots, a few entries of one primary-key range.
 */
const TOTAL_COUNT = `(SELECT sum(c.total)::bigint FROM membership_counts c WHERE c.organization_id = $1)`;

/** The organization's size, as a column of searches and filters: the caller keeps it for the next page's strategy. */
const ORGANIZATION_SIZE_COLUMN = `, ${TOTAL_COUNT} AS organization_size`;

/**
 * No search, no filter: the page by the sort index, after the cursor; the exact total from the
 * trigger-kept counter (an uncorrelated sub-select runs once per statement).
 */
export function unfilteredPage(plan: PagePlan): PageSql {
  const { order, limitParam, selectWith, keyset, params } = pieces(plan);
  const cond = keyset ? `AND ${keyset}` : '';
  const select = selectWith(`, ${TOTAL_COUNT} AS total_count`);
  return { sql: `${select} ${cond} ${order} LIMIT ${limitParam}`, params };
}

/**
 * A common term (a previous page counted at least DENSE_MATCHES), by email, no filter: the page is
 * among the next emails in order. An index-only walk of the email index, bounded, reads emails alone
 * (no heap), keeps those that match, and only the page's rows are loaded. Reading every match (to sort
 * them) would cost a heap page per match.
 */
export function denseWalkPage(plan: PagePlan): PageSql {
  const { order, limitParam, selectWith, keyset, params } = pieces(plan);
  const like = [...params, likePattern(plan.search ?? '')];
  const walkFrom = keyset ? `AND ${keysetCondition(plan.sortBy, plan.asc, 'w.email', 'w.user_id')}` : '';
  const sql = `${selectWith('')}
      AND m.email IN (SELECT e.email FROM (SELECT w.email FROM memberships w WHERE w.organization_id = $1 ${walkFrom}
                                           ORDER BY w.email ${plan.dir} LIMIT ${DENSE_WALK}) e
                       WHERE e.email LIKE $${like.length} ORDER BY e.email ${plan.dir} LIMIT ${limitParam})
      ${order}`;
  return { sql, params: like };
}

/**
 * The filters (email search, status, two-factor) on any alias of memberships, and their parameters after `params`.
 * `hideTerm`: the pattern is compared as a one-time sub-select's value, which the planner never sees: it plans
 * the statement as it would for any term (see `knownFewPage`). The trigram index still takes it as its condition.
 */
function filtersOf(plan: PagePlan, params: unknown[], hideTerm = false): { match: (alias: string) => string; params: unknown[] } {
  const { search, status, twoFactor } = plan;
  const all = [...params];
  const filters: ((alias: string) => string)[] = [];
  if (search) {
    all.push(likePattern(search));
    // With 3+ characters the trigram index finds matches; shorter terms have no trigram, and a
    // sequential scan (which stops at the limit) beats the index: `email || ''` keeps the planner off it.
    const likeParam = hideTerm ? `(SELECT $${all.length}::text)` : `$${all.length}`;
    filters.push((alias) => likeOn(`${alias}.email`, search, likeParam));
  }
  if (status) {
    all.push(status);
    const statusParam = `$${all.length}`;
    filters.push((alias) => `${alias}.status = ${statusParam}`);
  }
  if (twoFactor) filters.push((alias) => twoFactorCondition(alias, twoFactor, 'user_id'));
  return { match: (alias) => filters.map((f) => f(alias)).join(' AND '), params: all };
}

/**
 * From this many members an organization's email search reads the trigram index by the term alone.
 * `memberships_email_trgm` is on (organization_id, email): its organization key holds a posting list of
 * every member, which a rare term in an organization of 500,000 pays ~150 index pages for (3.5 ms),
 * against ~20 pages (0.5 ms) read by the term alone, the organization checked on the rows found; in an
 * organization of 50 the key costs nothing and keeps other organizations' matches out.
 */
export const LARGE_ORGANIZATION = 50_000;

/**
 * The organization's matches (id and sort key) through the trigram (`memberships_email_trgm`) or status
 * index, up to one more than the candidate limit, and the keyset condition on them. A search of 3+
 * characters is written twice, each gated by the organization's size from its trigger-kept counter (a
 * one-time filter: the other branch never runs): by organization and term in a small organization, by the
 * term alone in a large one (`IS TRUE` keeps the organization's key out of the index scan).
 */
function candidates(plan: PagePlan, match: (alias: string) => string) {
  const { key } = pieces(plan);
  const limit = candidateLimit(plan.search);
  const select = (organization: string, gate: string) =>
    `SELECT m.user_id AS id, ${key.sql} AS k FROM memberships m WHERE ${organization} AND ${match('m')} ${gate} LIMIT ${limit + 1}`;
  const size = plan.organizationSize;
  const cand =
    plan.search && plan.search.length >= 3 && size !== null
      ? // The size is known: the branch it picks alone, one less to plan (an out-of-date size reads the same rows).
        `cand AS MATERIALIZED (${size >= LARGE_ORGANIZATION ? select('(m.organization_id = $1) IS TRUE', '') : select('m.organization_id = $1', '')})`
      : plan.search && plan.search.length >= 3
        ? `large AS (SELECT COALESCE((SELECT sum(c.total) >= ${LARGE_ORGANIZATION} FROM membership_counts c WHERE c.organization_id = $1), FALSE) AS yes),
         cand AS MATERIALIZED ((${select('m.organization_id = $1', 'AND NOT (SELECT yes FROM large)')})
                               UNION ALL (${select('(m.organization_id = $1) IS TRUE', 'AND (SELECT yes FROM large)')}))`
        : `cand AS MATERIALIZED (${select('m.organization_id = $1', '')})`;
  const candKeyset = plan.cursor ? `AND ${keysetCondition(plan.sortBy, plan.asc, 'k', 'id')}` : '';
  return { cand, candKeyset, limit };
}

/**
 * A search or filter whose matches a previous page counted, and they are few: collect them, take the
 * page, load its rows. Nothing to count, and no branch for the common case to plan.
 *
 * A search alone (no other filter, a term the trigram index can read) in a large organization has one best
 * plan whatever the term: the trigram index by the term alone, the organization checked on the rows found, at
 * most CANDIDATE_LIMIT of them. Planning it again for each term was about half of what it cost PostgreSQL
 * (one client: 1.4-1.5 ms per execution planned for its term, 0.9 on the kept plan): at the page sizes that
 * are prepared it runs prepared, its term hidden from the planner, so that the plans PostgreSQL makes for the
 * first executions cost the same as the one it keeps (a term it could see would look cheaper to plan each
 * time, and the statement would be planned again on every execution).
 */
export function knownFewPage(plan: PagePlan): PageSql {
  const { key, limitParam, selectWith, params } = pieces(plan);
  const generic = termAloneInLarge(plan);
  const { match, params: all } = filtersOf(plan, params, generic);
  const { cand, candKeyset } = candidates(plan, match);
  const { dir } = plan;
  const sql = `
      WITH ${cand}
      ${selectWith('', ORGANIZATION_SIZE_COLUMN)}
      AND m.user_id IN (SELECT id FROM cand WHERE TRUE ${candKeyset} ORDER BY k ${dir}, id ${dir} LIMIT ${limitParam})
      ORDER BY ${key.sql} ${dir}, m.user_id ${dir}`;
  return { sql, params: all, generic };
}

/**
 * A search the trigram index reads (three ASCII letters or digits in a row: pg_trgm takes no trigram from a shorter
 * run between wildcards, and a term without one would read the whole index, where a plan made for it scans the
 * table), nothing else filtered, in an organization known to be large, at a page size that is prepared.
 */
function termAloneInLarge(plan: PagePlan): boolean {
  return (
    plan.search !== null &&
    TRIGRAM_RUN.test(plan.search) &&
    PREPARED_PAGE_SIZES.has(plan.limit) &&
    !plan.status &&
    !plan.twoFactor &&
    plan.organizationSize !== null &&
    plan.organizationSize >= LARGE_ORGANIZATION
  );
}

/**
 * A search or filter not counted yet. Up to CANDIDATE_LIMIT matches (SHORT_CANDIDATE_LIMIT for 1–2
 * character terms): collect (id, sort key) of every match through the trigram or status index, take the
 * page from them, then load those rows — the cost follows the matches, not the table (the trap avoided:
 * walking the sort index past hundreds of thousands of rows looking for rare ones). More matches than
 * that: they are dense, and walking the sort index finds a page quickly. One statement decides; the
 * branch not taken never runs. The candidates are counted once.
 */
export function filteredPage(plan: PagePlan): PageSql {
  const { byEmail, order, limitParam, selectWith, keyset, params } = pieces(plan);
  const { match, params: all } = filtersOf(plan, params);
  const { cand, candKeyset, limit } = candidates(plan, match);
  const { dir } = plan;
  const cap = plan.search ? countCap(plan.search) : COUNT_CAP;
  const keysetAnd = keyset ? `AND ${keyset}` : '';
  const fewCount = `, (SELECT n FROM few) AS total_count`;
  const denseCount = `, (SELECT count(*) FROM (SELECT 1 FROM memberships c WHERE c.organization_id = $1 AND ${match('c')} LIMIT ${cap + 1}) c) AS total_count`;
  // Few matches are counted anyway (to choose the branch), exactly: their count comes back even when the total is not
  // asked for, so that this search's next page is read as known (knownFewPage, cheaper); many matches are counted only
  // when asked (NULL: not counted).
  const few = plan.withCount ? selectWith(fewCount, ORGANIZATION_SIZE_COLUMN) : selectWith('', `${ORGANIZATION_SIZE_COLUMN}${fewCount}`);
  const dense = plan.withCount
    ? selectWith(denseCount, ORGANIZATION_SIZE_COLUMN)
    : selectWith('', `${ORGANIZATION_SIZE_COLUMN}, NULL::bigint AS total_count`);
  const sql = `
    WITH ${cand},
         counted AS (SELECT count(*) AS n FROM cand),
         few AS (SELECT n <= ${limit} AS yes, n FROM counted),
         top AS (SELECT id FROM cand WHERE (SELECT yes FROM few) ${candKeyset} ORDER BY k ${dir}, id ${dir} LIMIT ${limitParam})
    SELECT * FROM (
      (${few}
        AND (SELECT yes FROM few) AND m.user_id IN (SELECT id FROM top))
      UNION ALL
      (${dense}
        AND NOT (SELECT yes FROM few) AND ${match('m')} ${keysetAnd} ${order} LIMIT ${limitParam})
    ) page ORDER BY ${byEmail ? 'email' : 'sort_key'} ${dir}, id ${dir}`;
  return { sql, params: all };
}

/**
 * Below this many members, a search's or a filter's page is one prepared statement (`smallPage`): PostgreSQL
 * parses and plans it once per connection instead of on every request, which was most of what a small
 * organization's search cost it (planning ~0.4 ms, executing ~0.2).
 */
export const SMALL_ORGANIZATION = 1_000;

/**
 * A search or filter in an organization of fewer than SMALL_ORGANIZATION members: every match (a few
 * hundred at most) collected by the organization's key, counted, the page taken from them. The plan is
 * the same whatever the term, so the statement is prepared. Nothing bounds the matches: an organization
 * that grew since its size was read gets a slower answer, never a shorter one.
 */
export function smallPage(plan: PagePlan): PageSql {
  const { key, limitParam, selectWith, params } = pieces(plan);
  const { match, params: all } = filtersOf(plan, params);
  const { dir } = plan;
  const candKeyset = plan.cursor ? `AND ${keysetCondition(plan.sortBy, plan.asc, 'k', 'id')}` : '';
  const sql = `
    WITH cand AS MATERIALIZED (SELECT m.user_id AS id, ${key.sql} AS k FROM memberships m WHERE m.organization_id = $1 AND ${match('m')}),
         top AS (SELECT id FROM cand WHERE TRUE ${candKeyset} ORDER BY k ${dir}, id ${dir} LIMIT ${limitParam})
    ${selectWith(`, (SELECT count(*) FROM cand) AS total_count`, ORGANIZATION_SIZE_COLUMN)}
      AND m.user_id IN (SELECT id FROM top)
    ORDER BY ${key.sql} ${dir}, m.user_id ${dir}`;
  return { sql, params: all };
}

/** The organization's size a page's first row tells (a search's or filter's column, or the whole list's total), if any. */
export function organizationSizeOf(q: PageQuery, row: PageRow | undefined): number | undefined {
  const size = row?.organization_size ?? (q.strategy === 'unfiltered' ? row?.total_count : undefined);
  return size === undefined || size === null ? undefined : Number(size);
}

const STRATEGIES: Record<PageStrategy, (plan: PagePlan) => PageSql> = {
  unfiltered: unfilteredPage,
  denseWalk: denseWalkPage,
  small: smallPage,
  knownFew: knownFewPage,
  filtered: filteredPage,
};

/**
 * A users page's statement: the arguments checked, a strategy chosen, its SQL written.
 * @param known how many people this search matches, when a previous page counted them (SearchCounts).
 */
export function buildPageQuery(args: PageArgs, known?: KnownCount): PageQuery {
  const plan = planPage(args);
  const strategy = pageStrategy(plan, known);
  const { sql, params, generic } = STRATEGIES[strategy](plan);
  const { limit, backward } = plan;
  if (strategy === 'denseWalk') return { sql, params, limit, backward, preparable: false, dense: true, strategy };
  // Prepared for the console's page sizes only, and only the unfiltered page, a small organization's and a
  // large one's rare search (elsewhere a search's plan depends on its term): each size is a statement of its
  // own, and a connection keeps a bounded number of them.
  const preparable = (strategy === 'unfiltered' || strategy === 'small' || generic === true) && PREPARED_PAGE_SIZES.has(limit);
  return { sql, params, limit, backward, preparable, strategy };
}

/**
 * The keyset condition "after the cursor" on (sort key, user id), its parameters $2 and $3 (after the
 * organization). Emails are unique in an organization: the email alone orders the rows, and
 * `email > $2` stays on the email index (a row comparison with the id could not).
 */
function keysetCondition(field: UserSortField, asc: boolean, keySql: string, idSql: string): string {
  const op = asc ? '>' : '<';
  if (field === UserSortField.EMAIL) return `${keySql} ${op} $2::text`;
  return `(${keySql}, ${idSql}) ${op} ($2::${SORT_KEYS[field].type}, $3::uuid)`;
}
