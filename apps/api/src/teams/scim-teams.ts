import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { checkedRows } from '../core/database/checked-rows';
import { idList, splitIds } from '../core/database/id-list';
import type { FilterNode } from '../scim/filter';
import { teamsFilterSql } from './teams-filter';

/**
 * The teams of an organization as SCIM Groups (design §7), read for /scim/v2/Groups: every statement
 * names the organization first (`$1`) and its rows are checked. Members are read as ids only (user_teams'
 * primary key), and only when the answer shows them; who they are is the people's owner's to say.
 */

export interface ScimTeamRow {
  id: string;
  organization_id: string;
  name: string;
  external_id: string | null;
  created_at: Date;
  updated_at: Date;
  /** `updated_at` in microseconds since the epoch, as text: `meta.version`. */
  version: string;
  /** The ids of its members (undefined when not read). */
  member_ids?: string[];
}

export type ScimTeamSort = 'displayName' | 'externalId' | 'lastModified';

const SORT_SQL: Record<ScimTeamSort, string> = {
  displayName: 'lower(t.name)',
  externalId: 't.external_id',
  lastModified: 't.updated_at',
};

export interface ScimTeamsQuery {
  organizationId: string;
  filter: FilterNode;
  startIndex: number;
  count: number;
  sortBy: ScimTeamSort;
  descending: boolean;
  withMembers: boolean;
}

const COLUMNS = `t.id, t.organization_id, t.name, t.external_id, t.created_at, t.updated_at,
  (extract(epoch FROM t.updated_at) * 1000000)::bigint::text AS version`;
const MEMBER_IDS = idList(
  `SELECT ut.user_id FROM user_teams ut WHERE ut.organization_id = t.organization_id AND ut.team_id = t.id`,
  'member_ids',
);
/** A row as read: its member ids as an idList. */
type RawTeamRow = Omit<ScimTeamRow, 'member_ids'> & { member_ids?: string };
const teamRow = ({ member_ids, ...row }: RawTeamRow): ScimTeamRow =>
  member_ids === undefined ? row : { ...row, member_ids: splitIds(member_ids) };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class ScimTeams {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** A page of the organization's teams matching `filter`, and how many match in all. */
  async page(q: ScimTeamsQuery): Promise<{ total: number; rows: ScimTeamRow[] }> {
    const params: unknown[] = [q.organizationId];
    const where = teamsFilterSql(q.filter, 't', params);
    if (where === 'FALSE') return { total: 0, rows: [] };
    const counted: { n: string }[] = await this.db.query(
      `SELECT count(*) AS n FROM teams t WHERE t.organization_id = $1 AND ${where}`,
      params,
    );
    const total = Number(counted[0].n);
    if (q.count === 0 || q.startIndex > total) return { total, rows: [] };
    const dir = q.descending ? 'DESC' : 'ASC';
    const rows: RawTeamRow[] = await this.db.query(
      `SELECT ${COLUMNS}${q.withMembers ? `, ${MEMBER_IDS}` : ''} FROM teams t WHERE t.organization_id = $1 AND ${where}
        ORDER BY ${SORT_SQL[q.sortBy]} ${dir}, t.id ${dir} LIMIT ${Math.trunc(q.count)} OFFSET ${Math.trunc(q.startIndex - 1)}`,
      params,
    );
    return { total, rows: checkedRows(q.organizationId, rows, (r) => r.organization_id, 'SCIM groups').map(teamRow) };
  }

  /**
   * One team of the organization (null for any other id), through `manager` (a caller's transaction, or
   * the pool); `lock` takes it FOR UPDATE (a change of the team and its members waits for this one).
   */
  async one(manager: EntityManager, organizationId: string, id: string, withMembers: boolean, lock = false): Promise<ScimTeamRow | null> {
    if (!UUID.test(id)) return null;
    const rows: RawTeamRow[] = await manager.query(
      `SELECT ${COLUMNS}${withMembers ? `, ${MEMBER_IDS}` : ''} FROM teams t WHERE t.organization_id = $1 AND t.id = $2${lock ? ' FOR UPDATE' : ''}`,
      [organizationId, id.toLowerCase()],
    );
    const row = checkedRows(organizationId, rows, (r) => r.organization_id, 'SCIM group')[0];
    return row ? teamRow(row) : null;
  }

  /** The pool's manager, for reads outside a transaction. */
  get pool(): EntityManager {
    return this.db.manager;
  }
}
