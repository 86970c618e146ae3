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

/** How many organizations' roles stay in memory (least recently used first out). */
const CACHED_ORGANIZATIONS = 1_000;

const ROLE_COLUMNS = `id, key, name, permissions, rank, require_two_factor`;

/**
 * The roles table's owner: lists and looks up an organization's roles, and keeps built-in roles equal
 * to the shared vocabulary. Every role belongs to one organization: a role id of another organization
 * is NOT_FOUND to whoever acts in this one.
 */
@Injectable()
export class RolesService implements OnApplicationBootstrap {
  /** Each organization's roles by id, while the change feed is live (roles change rarely; the database announces it). */
  private readonly cache = new Map<string, Map<string, RoleModel>>();
  /** Bumped by every announcement that may concern an organization's roles (see `byIdCached`). */
  private generation = 0;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly feed: ChangeFeed,
  ) {
    feed.subscribe((change) => {
      if ('all' in change) {
        this.generation++;
        this.cache.clear();
      } else if ('organizationId' in change) {
        this.generation++;
        this.cache.delete(change.organizationId);
      }
    });
  }

  /**
   * An organization's roles by id, from memory when no change was announced since they were read (one
   * statement otherwise). `fresh` reads again (a role another instance created a moment ago).
   */
  async byIdCached(organizationId: string, fresh = false): Promise<Map<string, RoleModel>> {
    const cached = this.cache.get(organizationId);
    if (cached && this.feed.live && !fresh) {
      // Most recently used last: the oldest entry is the first to go.
      this.cache.delete(organizationId);
      this.cache.set(organizationId, cached);
      return cached;
    }
    const generation = this.generation;
    const roles = new Map((await this.list(organizationId)).map((r) => [r.id, r]));
    if (this.feed.live && generation === this.generation) {
      this.cache.delete(organizationId);
      this.cache.set(organizationId, roles);
      while (this.cache.size > CACHED_ORGANIZATIONS) this.cache.delete(this.cache.keys().next().value as string);
    }
    return roles;
  }

  /** Built-in roles follow the shared permission vocabulary when it grows (in every organization). */
  async onApplicationBootstrap(): Promise<void> {
    for (const key of Object.keys(BUILT_IN_ROLES) as RoleKey[]) {
      await this.db.query(`UPDATE roles SET permissions = $2 WHERE key = $1 AND built_in AND permissions IS DISTINCT FROM $2`, [
        key,
        [...BUILT_IN_ROLES[key].permissions],
      ]);
    }
  }

  /**
   * A new organization's built-in roles, in the caller's transaction: as the shared vocabulary defines
   * them, ranked as the first organization's (Admin first). Returns their ids by key.
   */
  async createBuiltIn(tx: EntityManager, organizationId: string): Promise<Record<RoleKey, string>> {
    const keys = Object.keys(BUILT_IN_ROLES) as RoleKey[];
    const rows: { id: string; key: RoleKey }[] = await tx.query(
      `INSERT INTO roles (organization_id, key, name, permissions, rank, built_in)
       SELECT $1, k.key, k.name, string_to_array(k.permissions, ' '), k.rank::int, true
         FROM unnest($2::text[], $3::text[], $4::text[], $5::int[]) AS k(key, name, permissions, rank)
       RETURNING id, key`,
      [
        organizationId,
        keys,
        keys.map((k) => BUILT_IN_ROLES[k].name),
        keys.map((k) => BUILT_IN_ROLES[k].permissions.join(' ')),
        keys.map((_, i) => i + 1),
      ],
    );
    return Object.fromEntries(rows.map((r) => [r.key, r.id])) as Record<RoleKey, string>;
  }

  /** An organization's roles, most powerful first (in the caller's transaction when given). */
  async list(organizationId: string, manager: EntityManager = this.db.manager): Promise<RoleModel[]> {
    const rows: Required<RoleRow>[] = await manager.query(
      `SELECT ${ROLE_COLUMNS} FROM roles WHERE organization_id = $1 ORDER BY rank, name`,
      [organizationId],
    );
    return rows.map(({ require_two_factor, ...r }) => ({
      ...r,
      requireTwoFactor: require_two_factor,
      permissionLevel: permissionLevel(r.permissions),
    }));
  }

  /** One role of the organization by id (inside the caller's transaction), or NOT_FOUND (another organization's too). */
  async byId(tx: EntityManager, organizationId: string, roleId: string): Promise<Required<RoleRow>> {
    const rows: Required<RoleRow>[] = await tx.query(`SELECT ${ROLE_COLUMNS} FROM roles WHERE organization_id = $1 AND id = $2`, [
      organizationId,
      roleId,
    ]);
    if (!rows[0]) throw notFound('Role');
    return rows[0];
  }

  /** The ids of the organization's roles holding a permission. */
  async idsWith(manager: EntityManager, organizationId: string, permission: string): Promise<string[]> {
    const rows: { id: string }[] = await manager.query(`SELECT id FROM roles WHERE organization_id = $1 AND $2 = ANY(permissions)`, [
      organizationId,
      permission,
    ]);
    return rows.map((r) => r.id);
  }

  /** Whether one of these roles (of any organization) requires two-factor authentication. */
  async anyRequiresTwoFactor(manager: EntityManager, roleIds: string[]): Promise<boolean> {
    if (!roleIds.length) return false;
    const rows: unknown[] = await manager.query(`SELECT 1 FROM roles WHERE id = ANY($1::uuid[]) AND require_two_factor LIMIT 1`, [roleIds]);
    return rows.length > 0;
  }

  /** The organization's roles, most powerful first, locked for the caller's transaction (one two-factor policy change at a time). */
  async allForUpdate(tx: EntityManager, organizationId: string): Promise<Required<RoleRow>[]> {
    return tx.query(`SELECT ${ROLE_COLUMNS} FROM roles WHERE organization_id = $1 ORDER BY rank, name FOR UPDATE`, [organizationId]);
  }

  /**
   * The two-factor policy's rule per role of the organization: of the roles `changedIds`, those in
   * `requiredIds` require it, the others not.
   */
  async setRequireTwoFactor(tx: EntityManager, organizationId: string, requiredIds: string[], changedIds: string[]): Promise<void> {
    await tx.query(`UPDATE roles SET require_two_factor = (id = ANY($2::uuid[])) WHERE organization_id = $1 AND id = ANY($3::uuid[])`, [
      organizationId,
      requiredIds,
      changedIds,
    ]);
  }

  /** One role of the organization by key (e.g. the SSO default role), or null. */
  async byKey(tx: EntityManager, organizationId: string, key: string): Promise<RoleRow | null> {
    const rows: RoleRow[] = await tx.query(`SELECT id, key, name, permissions, rank FROM roles WHERE organization_id = $1 AND key = $2`, [
      organizationId,
      key,
    ]);
    return rows[0] ?? null;
  }
}
