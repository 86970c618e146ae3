import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { poolOf } from '../core/database/pool';
import { TwoFactorState, UserStatus } from './users.enums';
import { likePattern, twoFactorCondition } from './users-query';

/**
 * One exported user as PostgreSQL sends it (an array, no object per row): first name, last name, email,
 * status, role id, the ids of its teams joined with "," (null without teams; read as null here, set by
 * the export from the teams owner, in no particular order), the last connection, ISO 8601 in UTC
 * formatted by PostgreSQL (null if never), id.
 */
export type ExportRow = [string, string, string, string, string, string | null, string | null, string];

/**
 * The export's read of the users table: the owner keeps the statement, export/ drives the batches. Rows
 * come from the application's pg pool as arrays (no object per row).
 */
@Injectable()
export class UsersExportRows {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Up to `limit` users in email order after `afterEmail`, optionally matching a search: one short
   * keyset statement per batch, so an export holds no connection between batches.
   */
  async batch(
    afterEmail: string | null,
    limit: number,
    search: string | null,
    status: UserStatus | null = null,
    twoFactor: TwoFactorState | null = null,
  ): Promise<ExportRow[]> {
    const params: unknown[] = [afterEmail, limit];
    const filters: string[] = [];
    if (search) {
      params.push(likePattern(search));
      filters.push(`AND u.email LIKE $${params.length}`);
    }
    if (status) {
      params.push(status);
      filters.push(`AND u.status = $${params.length}`);
    }
    if (twoFactor) filters.push(`AND ${twoFactorCondition('u', twoFactor)}`);
    const result = await poolOf(this.db).query<ExportRow>({
      text: `SELECT u.first_name, u.last_name, u.email, u.status, u.role_id, NULL::text,
                    to_char(u.last_sign_in_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), u.id
               FROM users u WHERE ($1::text IS NULL OR u.email > $1::text) ${filters.join(' ')}
              ORDER BY u.email LIMIT $2`,
      values: params,
      rowMode: 'array',
    });
    return result.rows;
  }
}
