import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { BUILT_IN_ROLES, permissionLevel, RoleKey } from '@roster/contracts/permissions';
import { notFound } from '../core/errors/app-error';
import { ChangeFeed } from '../core/database/change-feed';
import { RoleModel } from './role.model';

export interface RoleRow {
  id: string;
  key: string;
  name: string;
  permissions: string[];
  rank: number;
  require_two_factor?: boolean;
}

/** The roles table's owner: lists and looks up roles, and keeps built-in roles equal to the shared vocabulary. */
@Injectable()
export class RolesService implements OnApplicationBootstrap {
  /** Every role by id, while the change feed is live (roles change rarely; the database announces it). */
  private cache: Map<string, RoleModel> | null = null;
  private generation = 0;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly feed: ChangeFeed,
  ) {
    feed.subscribe((change) => {
      if ('all' in change) {
        this.generation++;
        this.cache = null;
      }
    });
  }

  /**
   * Every role by id, from memory when no change was announced since it was read (one statement
   * otherwise). `fresh` reads again (a role another instance created a moment ago).
   */
  async byIdCached(fresh = false): Promise<Map<string, RoleModel>> {
    if (this.cache && this.feed.live && !fresh) return this.cache;
    const generation = this.generation;
    const roles = new Map((await this.list()).map((r) => [r.id, r]));
    if (this.feed.live && generation === this.generation) this.cache = roles;
    return roles;
  }

  /** Built-in roles follow the shared permission vocabulary when it grows. */
  async onApplicationBootstrap(): Promise<void> {
    for (const key of Object.keys(BUILT_IN_ROLES) as RoleKey[]) {
      await this.db.query(`UPDATE roles SET permissions = $2 WHERE key = $1 AND built_in AND permissions IS DISTINCT FROM $2`, [
        key,
        [...BUILT_IN_ROLES[key].permissions],
      ]);
    }
  }

  /** Every role, most powerful first (in the caller's transaction when given). */
  async list(manager: EntityManager = this.db.manager): Promise<RoleModel[]> {
    const rows: Required<RoleRow>[] = await manager.query(
      `SELECT id, key, name, permissions, rank, require_two_factor FROM roles ORDER BY rank, name`,
    );
    return rows.map(({ require_two_factor, ...r }) => ({
      ...r,
      requireTwoFactor: require_two_factor,
      permissionLevel: permissionLevel(r.permissions),
    }));
  }

  /** One role by id (inside the caller's transaction), or NOT_FOUND. */
  async byId(tx: EntityManager, roleId: string): Promise<Required<RoleRow>> {
    const rows: Required<RoleRow>[] = await tx.query(
      `SELECT id, key, name, permissions, rank, require_two_factor FROM roles WHERE id = $1`,
      [roleId],
    );
    if (!rows[0]) throw notFound('Role');
    return rows[0];
  }

  /** The ids of the roles holding a permission. */
  async idsWith(manager: EntityManager, permission: string): Promise<string[]> {
    const rows: { id: string }[] = await manager.query(`SELECT id FROM roles WHERE $1 = ANY(permissions)`, [permission]);
    return rows.map((r) => r.id);
  }

  /** Every role, most powerful first, locked for the caller's transaction (one two-factor policy change at a time). */
  async allForUpdate(tx: EntityManager): Promise<Required<RoleRow>[]> {
    return tx.query(`SELECT id, key, name, permissions, rank, require_two_factor FROM roles ORDER BY rank, name FOR UPDATE`);
  }

  /** The two-factor policy's rule per role: of the roles `changedIds`, those in `requiredIds` require it, the others not. */
  async setRequireTwoFactor(tx: EntityManager, requiredIds: string[], changedIds: string[]): Promise<void> {
    await tx.query(`UPDATE roles SET require_two_factor = (id = ANY($1::uuid[])) WHERE id = ANY($2::uuid[])`, [requiredIds, changedIds]);
  }

  /** One role by key (e.g. the SSO default role), or null. */
  async byKey(tx: EntityManager, key: string): Promise<RoleRow | null> {
    const rows: RoleRow[] = await tx.query(`SELECT id, key, name, permissions, rank FROM roles WHERE key = $1`, [key]);
    return rows[0] ?? null;
  }
}
