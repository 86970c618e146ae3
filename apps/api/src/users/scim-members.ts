import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { checkedRows } from '../core/database/checked-rows';
import { idList, splitIds } from '../core/database/id-list';
import { PreparedStatements } from '../core/fast-path/prepared';
import { RolesService } from '../roles/roles.service';
import type { FilterNode } from '../scim/filter';
import { TeamsService } from '../teams/teams.service';
import { membersFilterSql, trigramLed } from './members-filter';
import { LARGE_ORGANIZATION } from './users-query';
import type { UserStatus } from './users.enums';

/**
 * The SCIM users of an organization (design §4, §5): its memberships whose status is ACTIVE or
 * DEACTIVATED (an invitation is not a SCIM user), read for /scim/v2/Users. Every statement names the
 * organization first (`$1`) and excludes the invited, and its rows are checked (`checkedRows`).
 */

/** One SCIM user as read: the membership's columns, its role, and its teams when they were asked for. */
export interface ScimMemberRow {
  id: string;
  organization_id: string;
  email: string;
  first_name: string;
  last_name: string;
  display_name: string | null;
  external_id: string | null;
  status: UserStatus.ACTIVE | UserStatus.DEACTIVATED;
  joined_at: Date;
  updated_at: Date;
  /** `updated_at` in microseconds since the epoch, as text: `meta.version`. */
  version: string;
  role_id: string;
  role_key: string;
  role_name: string;
  /** The person's teams by name (undefined when not read). */
  teams?: { id: string; name: string }[];
}

/** What SCIM sorts users by (design §4): each on its index led by the organization, the user id breaking ties. */
export type ScimMemberSort = 'email' | 'externalId' | 'lastModified' | 'givenName' | 'familyName';

const SORT_SQL: Record<ScimMemberSort, string> = {
  email: 'm.email',
  externalId: 'm.external_id',
  lastModified: 'm.updated_at',
  givenName: 'm.first_name',
  familyName: 'm.last_name',
};

export interface ScimMembersQuery {
  organizationId: string;
  /**
   * Who walks the pages (the API token's id): a walk's place is remembered per caller, filter and sort.
   * The organization when not said.
   */
  caller?: string | null;
  filter: FilterNode;
  /** 1-based (RFC 7644 §3.4.2.4), at least 1. */
  startIndex: number;
  /** At most this many (0: the total only). */
  count: number;
  sortBy: ScimMemberSort;
  descending: boolean;
  /** Read each user's teams (SCIM `groups`). */
  withTeams: boolean;
}

/** A SCIM user's membership columns (the memberships aliased `m`): a SELECT's, or an INSERT's RETURNING. */
export const SCIM_MEMBER_COLUMNS = `m.user_id AS id, m.organization_id, m.email, m.first_name, m.last_name, m.display_name, m.external_id, m.status,
  m.joined_at, m.updated_at, (extract(epoch FROM m.updated_at) * 1000000)::bigint::text AS version, m.role_id`;
const TEAM_IDS = idList(
  `SELECT ut.team_id FROM user_teams ut WHERE ut.organization_id = m.organization_id AND ut.user_id = m.user_id`,
  'team_ids',
);
/** Every statement's condition: the organization, and SCIM users only. */
const SCIM_USERS = `m.organization_id = $1 AND m.status <> 'INVITED'`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type RawRow = Omit<ScimMemberRow, 'role_key' | 'role_name' | 'teams'> & { team_ids?: string };

/**
 * Whether the organization is large (its trigger-kept counter), for a filter led by the email's trigram
 * index (`trigramLed`): the statement is written twice, each branch gated by it (a one-time filter, the
 * other branch never runs): by organization and term in a small organization, by the term alone in a large
 * one (`IS TRUE` keeps the organization's key out of the index scan; the rows found are checked against
 * it), as the users page's search does (users-query.ts).
 */
const LARGE = `large AS (SELECT COALESCE((SELECT sum(c.total) >= ${LARGE_ORGANIZATION} FROM membership_counts c WHERE c.organization_id = $1), FALSE) AS yes)`;

/**
 * The filters that match at most one SCIM user of an organization: `eq` on a column unique in it (the email,
 * the external id, the user id). An identity provider asks one before each creation (`userName eq "…"`).
 */
const UNIQUE_FIELDS = new Set(['email', 'externalId', 'id']);
function atMostOne(filter: FilterNode): boolean {
  return filter.kind === 'compare' && filter.op === 'eq' && UNIQUE_FIELDS.has(filter.field);
}

/** A filter matching at most this many is answered from its matches, sorted (see `page`); more are dense enough to walk the sort index. */
export const FEW_MATCHES = 5_000;

/** `SELECT columns` of the organization's SCIM users matching `where`: one statement, or the two gated branches (with LARGE). */
function matching(columns: string, where: string, gated: boolean): string {
  if (!gated) return `SELECT ${columns} FROM memberships m WHERE ${SCIM_USERS} AND ${where}`;
  return `SELECT ${columns} FROM memberships m WHERE m.organization_id = $1 AND m.status <> 'INVITED' AND NOT (SELECT yes FROM large) AND ${where}
    UNION ALL
    SELECT ${columns} FROM memberships m WHERE (m.organization_id = $1) IS TRUE AND m.status <> 'INVITED' AND (SELECT yes FROM large) AND ${where}`;
}

/**
 * Keyset continuation (design §4). An identity provider reads every user by `startIndex=1, 101, 201…`: an
 * OFFSET walks the sort index past every row before the page, so a walk of 500,000 users would cost a
 * quarter of a billion index entries. Each instance remembers where the last page served ended (its last
 * row's sort key and id), per caller, organization, filter, sort and direction; a request whose startIndex
 * is that page's next row (or further: the rest as an OFFSET from there) is answered by keyset from it.
 * The answer is OFFSET's as long as no matching user came or went before that row meanwhile (then the
 * keyset answer neither repeats nor skips anyone, which OFFSET would). Bounded: CONTINUATIONS places, each
 * for CONTINUATION_MS. `externalId` sorts by OFFSET always (its NULLs would need a keyset of their own).
 */
export const CONTINUATIONS = 1_000;
export const CONTINUATION_MS = 5 * 60_000;

interface Place {
  /** The 1-based index of the row after the page. */
  next: number;
  /** The last row's sort key (as text; `lastModified`: microseconds since the epoch) and id. */
  key: string;
  id: string;
  at: number;
}

/**
 * The sort key of a row as a place keeps it, and the keyset condition "after it" (`k()` and `i()`: the
 * parameters of the key and the id, added when used).
 */
const KEYSET: Partial<
  Record<ScimMemberSort, { key: (r: RawRow) => string; after: (op: string, k: () => string, i: () => string) => string }>
> = {
  // Emails are unique in an organization: the email alone orders the rows, on the email index.
  email: { key: (r) => r.email, after: (op, k) => `m.email ${op} ${k()}::text` },
  givenName: { key: (r) => r.first_name, after: (op, k, i) => `(m.first_name, m.user_id) ${op} (${k()}::text, ${i()}::uuid)` },
  familyName: { key: (r) => r.last_name, after: (op, k, i) => `(m.last_name, m.user_id) ${op} (${k()}::text, ${i()}::uuid)` },
  lastModified: {
    key: (r) => r.version,
    // Microseconds, exactly (a JavaScript Date keeps milliseconds).
    after: (op, k, i) => `(m.updated_at, m.user_id) ${op} ('epoch'::timestamptz + ${k()}::bigint * interval '1 microsecond', ${i()}::uuid)`,
  },
};

/** The places of walks this instance served: a Map in least-recently-used order. */
export class WalkPlaces {
  private readonly places = new Map<string, Place>();

  constructor(
    private readonly max = CONTINUATIONS,
    private readonly ttl = CONTINUATION_MS,
  ) {}

  /** The place a walk reached, if `startIndex` is at or after it. */
  find(walk: string, startIndex: number): Place | null {
    const place = this.places.get(walk);
    if (!place) return null;
    if (Date.now() - place.at > this.ttl) {
      this.places.delete(walk);
      return null;
    }
    return place.next <= startIndex ? place : null;
  }

  keep(walk: string, place: Place): void {
    this.places.delete(walk);
    this.places.set(walk, place);
    while (this.places.size > this.max) this.places.delete(this.places.keys().next().value as string);
  }

  get size(): number {
    return this.places.size;
  }
}

@Injectable()
export class ScimMembers {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly roles: RolesService,
    private readonly teams: TeamsService,
    private readonly prepared: PreparedStatements,
  ) {}

  /** Where walks are (keyset continuation): one per instance. */
  readonly places = new WalkPlaces();

  /** A page of the organization's SCIM users matching `filter`, and how many match in all (exact). */
  async page(q: ScimMembersQuery): Promise<{ total: number; rows: ScimMemberRow[] }> {
    const roles = await this.roles.byIdCached(q.organizationId);
    const params: unknown[] = [q.organizationId];
    const where = membersFilterSql(q.filter, 'm', params, [...roles.values()]);
    if (where === 'FALSE') return { total: 0, rows: [] };
    const gated = trigramLed(q.filter);
    if (atMostOne(q.filter)) return this.single(q, where, params);
    const total = await this.total(q.organizationId, where, params, gated);
    if (q.count === 0 || q.startIndex > total) return { total, rows: [] };
    const dir = q.descending ? 'DESC' : 'ASC';
    const keyset = KEYSET[q.sortBy];
    const walk = JSON.stringify([q.caller ?? q.organizationId, q.organizationId, q.filter, q.sortBy, dir]);
    const place = keyset ? this.places.find(walk, q.startIndex) : null;
    const pageParams = [...params];
    let after = '';
    if (place && keyset) {
      const param = (value: string) => `$${pageParams.push(value)}`;
      after = ` AND ${keyset.after(
        q.descending ? '<' : '>',
        () => param(place.key),
        () => param(place.id),
      )}`;
    }
    const offset = Math.trunc(q.startIndex - (place ? place.next : 1));
    // The output's names (the collected matches are sorted by them): email, first_name, …, id.
    const sortColumn = {
      email: 'email',
      externalId: 'external_id',
      lastModified: 'updated_at',
      givenName: 'first_name',
      familyName: 'last_name',
    }[q.sortBy];
    const order = q.sortBy === 'email' ? `email ${dir}` : `${sortColumn} ${dir}, id ${dir}`;
    // Teams are read for the page's rows only (an expensive column is computed after the LIMIT).
    const teams = q.withTeams
      ? `, ${idList(`SELECT ut.team_id FROM user_teams ut WHERE ut.organization_id = p.organization_id AND ut.user_id = p.id`, 'team_ids')}`
      : '';
    // Few matches (the count just said so): collected by the filter's own index, then sorted. Walking the
    // sort index instead, PostgreSQL bets on meeting them early (its statistics are the whole table's): 978
    // people changed in the last hour, sorted by userName, walked 50,000 entries of the email index (45 ms warm,
    // 800 ms cold) for a page that the filter's index and a sort of 978 rows answer in 4 ms.
    const collect = gated || (where !== 'TRUE' && total <= FEW_MATCHES);
    // Literals, checked integers: LIMIT and OFFSET as parameters would plan for a tenth of the table.
    const sql = collect
      ? `WITH ${gated ? `${LARGE}, ` : ''}hits AS MATERIALIZED (${matching(SCIM_MEMBER_COLUMNS, where + after, gated)})
          SELECT p.*${teams} FROM hits p ORDER BY ${order} LIMIT ${Math.trunc(q.count)} OFFSET ${offset}`
      : `SELECT ${SCIM_MEMBER_COLUMNS}${q.withTeams ? `, ${TEAM_IDS}` : ''} FROM memberships m WHERE ${SCIM_USERS} AND ${where}${after}
          ORDER BY ${q.sortBy === 'email' ? `m.email ${dir}` : `${SORT_SQL[q.sortBy]} ${dir}, m.user_id ${dir}`}
          LIMIT ${Math.trunc(q.count)} OFFSET ${offset}`;
    const raw: RawRow[] = await this.db.query(sql, pageParams);
    checkedRows(q.organizationId, raw, (r) => r.organization_id, 'SCIM users');
    const last = raw[raw.length - 1];
    if (keyset && last && raw.length === q.count) {
      this.places.keep(walk, { next: q.startIndex + raw.length, key: keyset.key(last), id: last.id, at: Date.now() });
    }
    return { total, rows: await this.complete(q.organizationId, raw, q.withTeams) };
  }

  /**
   * A filter with at most one match (`atMostOne`): the match and the total in one named statement (its plan,
   * a unique index's look-up, holds for any value), instead of a count and then a page. The page is what
   * OFFSET would give: the match at startIndex 1, nobody after.
   */
  private async single(q: ScimMembersQuery, where: string, params: unknown[]): Promise<{ total: number; rows: ScimMemberRow[] }> {
    const raw = await this.prepared.query<RawRow>(
      `SELECT ${SCIM_MEMBER_COLUMNS}${q.withTeams ? `, ${TEAM_IDS}` : ''} FROM memberships m WHERE ${SCIM_USERS} AND ${where} LIMIT 2`,
      params,
    );
    checkedRows(q.organizationId, raw, (r) => r.organization_id, 'SCIM users');
    const total = raw.length;
    if (q.count === 0 || q.startIndex > 1 || !total) return { total, rows: [] };
    return { total, rows: await this.complete(q.organizationId, raw.slice(0, q.count), q.withTeams) };
  }

  /** One SCIM user of the organization by id (null for anyone else: another organization's, an invitee, no one). */
  async byId(organizationId: string, userId: string, withTeams: boolean): Promise<ScimMemberRow | null> {
    if (!UUID.test(userId)) return null;
    const raw: RawRow[] = await this.db.query(
      `SELECT ${SCIM_MEMBER_COLUMNS}${withTeams ? `, ${TEAM_IDS}` : ''} FROM memberships m WHERE ${SCIM_USERS} AND m.user_id = $2`,
      [organizationId, userId],
    );
    checkedRows(organizationId, raw, (r) => r.organization_id, 'SCIM user');
    if (!raw[0]) return null;
    return (await this.complete(organizationId, raw, withTeams))[0];
  }

  /**
   * One SCIM user of the organization read inside the caller's transaction (`tx`), role and teams in
   * the same statement (no second connection, no cache that could be older than the transaction's own
   * writes). Null when they are not a SCIM user of the organization.
   */
  async readOne(tx: EntityManager, organizationId: string, userId: string): Promise<ScimMemberRow | null> {
    if (!UUID.test(userId)) return null;
    const rows: ScimMemberRow[] = await tx.query(
      `SELECT ${SCIM_MEMBER_COLUMNS}, r.key AS role_key, r.name AS role_name,
              COALESCE((SELECT json_agg(json_build_object('id', t.id, 'name', t.name) ORDER BY t.name)
                          FROM user_teams ut JOIN teams t ON t.id = ut.team_id
                         WHERE ut.organization_id = m.organization_id AND ut.user_id = m.user_id), '[]'::json) AS teams
         FROM memberships m JOIN roles r ON r.id = m.role_id
        WHERE ${SCIM_USERS} AND m.user_id = $2`,
      [organizationId, userId],
    );
    checkedRows(organizationId, rows, (r) => r.organization_id, 'SCIM user');
    return rows[0] ?? null;
  }

  /**
   * The SCIM users of the organization among `userIds` (anyone else is left out: another organization's
   * person, an invitee, a malformed id), with their email (a team member's `display`) and their role's
   * permissions (may the caller manage them). Through `manager`: a caller's transaction, where `lock`
   * key-shares their memberships so that none goes before the transaction ends.
   */
  async briefs(
    manager: EntityManager,
    organizationId: string,
    userIds: readonly string[],
    lock = false,
  ): Promise<{ id: string; organization_id: string; email: string; permissions: string[] }[]> {
    const ids = [...new Set(userIds.filter((id) => UUID.test(id)).map((id) => id.toLowerCase()))];
    if (!ids.length) return [];
    const rows: { id: string; organization_id: string; email: string; permissions: string[] }[] = await manager.query(
      `SELECT m.user_id AS id, m.organization_id, m.email, r.permissions
         FROM memberships m JOIN roles r ON r.id = m.role_id
        WHERE ${SCIM_USERS} AND m.user_id = ANY($2::uuid[])${lock ? ' FOR KEY SHARE OF m' : ''}`,
      [organizationId, ids],
    );
    return checkedRows(organizationId, rows, (r) => r.organization_id, 'SCIM users');
  }

  /** How many SCIM users match: the trigger-kept counters when nothing is filtered (no scan), else a count. */
  private async total(organizationId: string, where: string, params: unknown[], gated: boolean): Promise<number> {
    if (where === 'TRUE') {
      const rows: { n: string }[] = await this.db.query(
        `SELECT sum(c.total - c.invited) AS n FROM membership_counts c WHERE c.organization_id = $1`,
        [organizationId],
      );
      return Number(rows[0]?.n ?? 0);
    }
    const rows: { n: string }[] = await this.db.query(
      gated
        ? `WITH ${LARGE} SELECT count(*) AS n FROM (${matching('1', where, true)}) c`
        : `SELECT count(*) AS n FROM memberships m WHERE ${SCIM_USERS} AND ${where}`,
      params,
    );
    return Number(rows[0].n);
  }

  /** Rows with their roles (from the roles cache) and, when asked, their teams named (from the teams cache). */
  private async complete(organizationId: string, raw: RawRow[], withTeams: boolean): Promise<ScimMemberRow[]> {
    let roles = await this.roles.byIdCached(organizationId);
    if (raw.some((r) => !roles.has(r.role_id))) roles = await this.roles.byIdCached(organizationId, true);
    let names = withTeams && raw.some((r) => r.team_ids) ? await this.teams.namesCached(organizationId) : null;
    if (names && raw.some((r) => splitIds(r.team_ids).some((id) => !names?.has(id))))
      names = await this.teams.namesCached(organizationId, true);
    return raw.map(({ team_ids, ...row }) => {
      const role = roles.get(row.role_id);
      if (!role) throw new Error(`role ${row.role_id} vanished`);
      const teams = withTeams
        ? splitIds(team_ids)
            .flatMap((id) => {
              const team = names?.get(id);
              // A team unknown even to a fresh read was deleted since the row was read.
              return team ? [{ id, name: team.name, rank: team.rank }] : [];
            })
            .sort((a, b) => a.rank - b.rank)
            .map(({ id, name }) => ({ id, name }))
        : undefined;
      return { ...row, role_key: role.key, role_name: role.name, teams };
    });
  }
}
