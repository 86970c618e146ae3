import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { poolOf } from '../core/database/pool';
import { checkedRows } from '../core/database/checked-rows';
import { TwoFactorState, UserStatus } from './users.enums';
import { likePattern, twoFactorCondition } from './users-query';

/**
 * One exported member as PostgreSQL sends it (an array, no object per row): first name, last name, email,
 * status, role id (the membership's), the ids of its teams joined with "," (null without teams; read as null here, set by
 * the export from the teams owner, in no particular order), the last connection, ISO 8601 in UTC
 * formatted by PostgreSQL (null if never), id, organization id (checked).
 */
export type ExportRow = [string, string, string, string, string, string | null, string | null, string, string];

/**
 * The export's read of an organization's members: the owner keeps the statement, export/ drives the
 * batches. Rows come from the application's pg pool as arrays (no object per row).
 */
@Injectable()
export class UsersExportRows {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Up to `limit` members of the organization in email order after `afterEmail`, optionally matching a
   * search: one short keyset statement per batch along `memberships_email` (organization_id, email), so
   * an export holds no connection between batches.
   */
  async batch(
    organizationId: string,
    afterEmail: string | null,
    limit: number,
    search: string | null,
    status: UserStatus | null = null,
    twoFactor: TwoFactorState | null = null,
  ): Promise<ExportRow[]> {
    const params: unknown[] = [organizationId, limit];
    const filters: string[] = [];
    if (afterEmail !== null) {
      params.push(afterEmail);
      filters.push(`AND m.email > $${params.length}::text`);
    }
    if (search) {
      params.push(likePattern(search));
      filters.push(`AND m.email LIKE $${params.length}`);
    }
    if (status) {
      params.push(status);
      filters.push(`AND m.status = $${params.length}`);
    }
    if (twoFactor) filters.push(`AND ${twoFactorCondition('m', twoFactor, 'user_id')}`);
    const result = await poolOf(this.db).query<ExportRow>({
      text: `SELECT m.first_name, m.last_name, m.email, m.status, m.role_id, NULL::text,
                    to_char(m.last_sign_in_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), m.user_id, m.organization_id
               FROM memberships m WHERE m.organization_id = $1 ${filters.join(' ')}
              ORDER BY m.email LIMIT $2`,
      values: params,
      rowMode: 'array',
    });
    return checkedRows(organizationId, result.rows, (r) => r[8], 'users export');
  }
}
