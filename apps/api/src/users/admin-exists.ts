import { Permission } from '@roster/contracts/permissions';
import { roleIdsWithPermissions } from '../roles/role-sql';

/** Anything that runs SQL: a TypeORM manager, or the pg client the start-up uses before the app exists. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * Whether someone can manage an organization (its roles and people) through an active membership of
 * any organization (the first-admin set-up closes then).
 */
export async function adminExists(q: Queryable): Promise<boolean> {
  const result = (await q.query(`SELECT 1 FROM memberships WHERE status = 'ACTIVE' AND role_id IN (${roleIdsWithPermissions(1)}) LIMIT 1`, [
    [Permission.RolesManage, Permission.UsersWrite],
  ])) as unknown[] | { rows: unknown[] };
  return (Array.isArray(result) ? result : result.rows).length > 0;
}
