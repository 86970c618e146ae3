import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';
import { splitIds } from '../core/database/id-list';
import { checkedRows } from '../core/database/checked-rows';
import { PreparedStatements } from '../core/fast-path/prepared';
import { RolesService } from '../roles/roles.service';
import { TeamsService } from '../teams/teams.service';
import { SearchCount, SearchCounts } from './search-counts';
import { TwoFactorState, UserSortField, UserStatus } from './users.enums';
import { UserConnection, UserModel } from './user.model';
import {
  buildPageQuery,
  COUNT_CAP,
  countCap,
  encodeCursor,
  likeOn,
  likePattern,
  normaliseSearch,
  organizationSizeOf,
  PageArgs,
  PageQuery,
  PageRow,
  pageRowTeams,
  pageRowToUser,
  twoFactorCondition,
} from './users-query';

/** One row of a page; its cursor is encoded only if asked for. */
class Edge {
  constructor(
    private readonly sortBy: UserSortField,
    private readonly row: PageRow,
    readonly node: UserModel,
  ) {}

  get cursor(): string {
    const key =
      this.row.cursor_key !== undefined ? this.row.cursor_key : this.sortBy === UserSortField.EMAIL ? this.row.email : this.row.sort_key;
    return encodeCursor(this.sortBy, key, this.row.id);
  }
}

/**
 * Organizations' sizes as pages read them, for the next search's strategy (users-query.ts, SMALL_ORGANIZATION).
 * Never dropped on a change: a size out of date changes how a page is read, not what it holds.
 */
const SIZES_KEPT = 10_000;
const SIZE_MAX_AGE_MS = 60_000;

/**
 * The users page's reads: a page of an organization's members (search, filters, sort, cursors) and how
 * many match. The statements come from users-query.ts; this runs them, joins the roles from the cache
 * and keeps the search counts (per organization).
 */
@Injectable()
export class UsersPageService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly roles: RolesService,
    private readonly prepared: PreparedStatements,
    private readonly counts: SearchCounts,
    private readonly teams: TeamsService,
  ) {}

  private readonly sizes = new LRUCache<string, number>({ max: SIZES_KEPT, ttl: SIZE_MAX_AGE_MS });

  async page(args: PageArgs): Promise<UserConnection> {
    const search = normaliseSearch(args.search);
    const countKey = search ? SearchCounts.key(args.organizationId, search, args.status ?? null, args.twoFactor ?? null) : null;
    const generation = this.counts.begin();
    const known = countKey ? this.counts.get(countKey) : undefined;
    const roles = await this.roles.byIdCached(args.organizationId);
    let q = buildPageQuery({ ...args, organizationSize: this.sizes.get(args.organizationId) }, known);
    let rows = await this.pageRows(q);
    const size = organizationSizeOf(q, rows[0]);
    if (size !== undefined) this.sizes.set(args.organizationId, size);
    if (q.dense && rows.length <= q.limit) {
      // The bounded walk did not fill the page (the last page, or matches further away): the general statement.
      q = buildPageQuery(args);
      rows = await this.pageRows(q);
    }
    const more = rows.length > q.limit;
    const pageRows = rows.slice(0, q.limit);
    if (q.backward) pageRows.reverse();
    const fresh = pageRows.some((r) => !roles.has(r.role_id)) ? await this.roles.byIdCached(args.organizationId, true) : roles;
    const teams = args.fields?.teams === false ? null : await this.teamsOf(args.organizationId, pageRows);
    const edges = pageRows.map((row, i) => {
      const role = fresh.get(row.role_id);
      if (!role) throw new Error(`role ${row.role_id} vanished`);
      return new Edge(args.sortBy, row, pageRowToUser(row, role, teams?.[i]));
    });
    const hasCursor = Boolean(q.backward ? args.before : args.after);
    const total = rows[0]?.total_count;
    const cap = search ? countCap(search) : args.status || args.twoFactor ? COUNT_CAP : Infinity;
    let count: Promise<SearchCount> | undefined;
    if (known) count = Promise.resolve(known);
    else if (total !== undefined && total !== null) {
      const counted = { count: Math.min(Number(total), cap), exact: Number(total) <= cap };
      if (countKey) this.counts.put(countKey, counted, generation);
      count = Promise.resolve(counted);
    }
    return {
      edges,
      pageInfo: {
        hasNextPage: q.backward ? hasCursor : more,
        hasPreviousPage: q.backward ? more : hasCursor,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
      organizationId: args.organizationId,
      search,
      status: args.status ?? null,
      twoFactor: args.twoFactor ?? null,
      count,
    };
  }

  /**
   * Each row's teams, named from the teams cache: read again when a row has a team it does not know (one
   * created since), and a team still unknown then was deleted since the page was read (its memberships
   * went with it).
   */
  private async teamsOf(organizationId: string, rows: PageRow[]): Promise<{ id: string; name: string }[][]> {
    if (rows.every((row) => !row.team_ids)) return rows.map(() => []);
    const ids = rows.map((row) => splitIds(row.team_ids));
    const names = await this.teams.namesCached(organizationId);
    const teams = ids.map((rowIds) => pageRowTeams(rowIds, names));
    if (!teams.includes(undefined)) return teams as { id: string; name: string }[][];
    const fresh = await this.teams.namesCached(organizationId, true);
    return ids.map(
      (rowIds) =>
        pageRowTeams(
          rowIds.filter((id) => fresh.has(id)),
          fresh,
        ) ?? [],
    );
  }

  private async pageRows(q: PageQuery): Promise<PageRow[]> {
    const rows = await (q.preparable ? this.prepared.query<PageRow>(q.sql, q.params) : this.prepared.unprepared<PageRow>(q.sql, q.params));
    return checkedRows(q.params[0] as string, rows, (r) => r.organization_id, 'users page');
  }

  /**
   * How many members of the organization: exact for all of them and for the invited (trigger-kept
   * counters); capped for searches and other filters.
   */
  async count(
    organizationId: string,
    search: string | null,
    status: UserStatus | null = null,
    twoFactor: TwoFactorState | null = null,
  ): Promise<{ count: number; exact: boolean }> {
    if (!search && !twoFactor && (!status || status === UserStatus.INVITED)) {
      const rows: { n: string }[] = await this.db.query(
        `SELECT sum(${status ? 'invited' : 'total'}) AS n FROM membership_counts WHERE organization_id = $1`,
        [organizationId],
      );
      return { count: Number(rows[0]?.n ?? 0), exact: true };
    }
    const cap = search ? countCap(search) : COUNT_CAP;
    const params: unknown[] = [organizationId];
    const where: string[] = [`c.organization_id = $1`];
    if (search) {
      params.push(likePattern(search));
      where.push(likeOn('c.email', search, `$${params.length}`));
    }
    if (status) {
      params.push(status);
      where.push(`c.status = $${params.length}`);
    }
    if (twoFactor) where.push(twoFactorCondition('c', twoFactor, 'user_id'));
    const rows: { n: string }[] = await this.db.query(
      `SELECT count(*) AS n FROM (SELECT 1 FROM memberships c WHERE ${where.join(' AND ')} LIMIT ${cap + 1}) m`,
      params,
    );
    const n = Number(rows[0].n);
    return { count: Math.min(n, cap), exact: n <= cap };
  }
}
