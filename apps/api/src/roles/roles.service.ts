import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { BUILT_IN_ROLES, permissionLevel, RoleKey } from '@roster/contracts/permissions';
import { notFound } from '../core/app-error';
import { RoleModel } from './role.model';

export interface RoleRow {
  id: string;
  key: string;
  name: string;
  permissions: string[];
  rank: number;
}

/** The roles table's owner: lists and looks up roles, and keeps built-in roles equal to the shared vocabulary. */
@Injectable()
export class RolesService implements OnApplicationBootstrap {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Built-in roles follow the shared permission vocabulary when it grows. */
  async onApplicationBootstrap(): Promise<void> {
    for (const key of Object.keys(BUILT_IN_ROLES) as RoleKey[]) {
      await this.db.query(`UPDATE roles SET permissions = $2 WHERE key = $1 AND built_in AND permissions IS DISTINCT FROM $2`, [
        key,
        [...BUILT_IN_ROLES[key].permissions],
      ]);
    }
  }

  /** Every role, most powerful first. */
  async list(): Promise<RoleModel[]> {
    const rows: RoleRow[] = await this.db.query(`SELECT id, key, name, permissions, rank FROM roles ORDER BY rank, name`);
    return rows.map((r) => ({ ...r, permissionLevel: permissionLevel(r.permissions) }));
  }

  /** One role by id (inside the caller's transaction), or NOT_FOUND. */
  async byId(tx: EntityManager, roleId: string): Promise<RoleRow> {
    const rows: RoleRow[] = await tx.query(`SELECT id, key, name, permissions, rank FROM roles WHERE id = $1`, [roleId]);
    if (!rows[0]) throw notFound('Role');
    return rows[0];
  }

  /** One role by key (e.g. the SSO default role), or null. */
  async byKey(tx: EntityManager, key: string): Promise<RoleRow | null> {
    const rows: RoleRow[] = await tx.query(`SELECT id, key, name, permissions, rank FROM roles WHERE key = $1`, [key]);
    return rows[0] ?? null;
  }
}
