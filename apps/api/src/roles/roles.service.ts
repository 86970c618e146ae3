import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { ErrorCode } from '@roster/contracts/errors';
import {
  ALL_PERMISSIONS,
  BUILT_IN_ROLES,
  canGrantRole,
  canManageOrganization,
  Permission,
  PERMISSION_TEXTS,
  permissionArea,
  permissionLevel,
  RoleKey,
  roleSortRank,
} from '@roster/contracts/permissions';
import { AppError, notFound } from '../core/errors/app-error';
import { ChangeFeed } from '../core/database/change-feed';
import { PrincipalCache } from '../core/access/principal-cache';
import { LOCKS } from '../core/database/locks';
import { OrgDb } from '../core/database/org-db';
import { AuditService } from '../audit/audit.service';
import { organizationOf, type Principal } from '../core/access/principal';
import { PermissionModel, RoleModel } from './role.model';
import { RoleHolders } from './role-holders';

export interface RoleRow {
  id: string;
  key: string;
  name: string;
  permissions: string[];
  rank: number;
  require_two_factor?: boolean;
  description?: string;
  built_in?: boolean;
}

/** How many organizations' roles stay in memory (least recently used first out). */
const CACHED_ORGANIZATIONS = 1_000;

const ROLE_COLUMNS = `id, key, name, permissions, rank, require_two_factor, description, built_in`;

/** The permissions that make their holder able to manage the organization (see `canManageOrganization`). */
const MANAGING: string[] = [Permission.RolesManage, Permission.UsersWrite];

export interface RoleChanges {
  name?: string;
  description?: string;
  permissions?: string[];
}

/** A permission set as stored: known permissions only, each once, in the vocabulary's order. */
function normalized(permissions: readonly string[]): string[] {
  const wanted = new Set(permissions);
  return ALL_PERMISSIONS.filter((p) => wanted.has(p));
}

/** A new role's key from its name: `Support agents` → `SUPPORT_AGENTS` (`CUSTOM` when nothing is left). */
function keyBase(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase()
    .slice(0, 24)
    .replace(/_+$/, '');
  return base || 'CUSTOM';
}

/**
 * The roles table's owner: lists and looks up an organization's roles, keeps built-in roles equal to
 * the shared vocabulary, and writes the custom roles each organization shapes. Every role belongs to
 * one organization: a role id of another organization is NOT_FOUND to whoever acts in this one. Who may
 * write which role follows permission sets: only within one's own permissions (the subset rule).
 */
@Injectable()
export class RolesService implements OnApplicationBootstrap {
  /** Each organization's roles by id, while the change feed is live (roles change rarely; the database announces it). */
  private readonly cache = new Map<string, Map<string, RoleModel>>();
  /** Bumped by every announcement that may concern an organization's roles (see `byIdCached`). */
  private generation = 0;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly orgDb: OrgDb,
    private readonly feed: ChangeFeed,
    private readonly audit: AuditService,
    private readonly holders: RoleHolders,
    private readonly principals: PrincipalCache,
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

  /**
   * Built-in roles follow the shared permission vocabulary when it grows (in every organization), and
   * each role's sort key follows its permissions (after an upgrade or a change of the vocabulary).
   */
  async onApplicationBootstrap(): Promise<void> {
    for (const key of Object.keys(BUILT_IN_ROLES) as RoleKey[]) {
      await this.db.query(`UPDATE roles SET permissions = $2 WHERE key = $1 AND built_in AND permissions IS DISTINCT FROM $2`, [
        key,
        [...BUILT_IN_ROLES[key].permissions],
      ]);
    }
    const sets: { permissions: string[]; rank: number }[] = await this.db.query(`SELECT DISTINCT permissions, rank FROM roles`);
    for (const { permissions, rank } of sets) {
      if (rank !== roleSortRank(permissions)) {
        await this.db.query(`UPDATE roles SET rank = $2 WHERE permissions = $1 AND rank <> $2`, [permissions, roleSortRank(permissions)]);
      }
    }
  }

  /**
   * A new organization's built-in roles, in the caller's transaction: as the shared vocabulary defines
   * them. Returns their ids by key.
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
        keys.map((k) => roleSortRank(BUILT_IN_ROLES[k].permissions)),
      ],
    );
    return Object.fromEntries(rows.map((r) => [r.key, r.id])) as Record<RoleKey, string>;
  }

  /**
   * An organization's roles, most powerful first (in the caller's transaction when given), with how
   * many people hold each when `withHolders` (else 0: the users page's cache needs no count).
   */
  async list(organizationId: string, manager: EntityManager = this.db.manager, withHolders = false): Promise<RoleModel[]> {
    const rows: Required<RoleRow>[] = await manager.query(
      `SELECT ${ROLE_COLUMNS} FROM roles WHERE organization_id = $1 ORDER BY rank, lower(name)`,
      [organizationId],
    );
    const holders = withHolders ? await this.holders.members.counts(manager, organizationId) : new Map<string, number>();
    return rows.map((r) => toModel(r, holders.get(r.id) ?? 0));
  }

  /** How many members of the organization (any status) hold a role. */
  async holdersOf(organizationId: string, roleId: string): Promise<number> {
    return (await this.holders.members.counts(this.db.manager, organizationId)).get(roleId) ?? 0;
  }

  /** The permission vocabulary, explained in `language` (English otherwise), in its order. */
  permissions(language: string): PermissionModel[] {
    const lang = language === 'fr' ? 'fr' : 'en';
    return ALL_PERMISSIONS.map((key) => ({ key, area: permissionArea(key), ...PERMISSION_TEXTS[key][lang] }));
  }

  /** The language a caller reads the API's texts in (their own setting). */
  async languageOf(userId: string): Promise<string> {
    return this.holders.members.language(this.db.manager, userId);
  }

  /** One role of the organization by id (inside the caller's transaction), or NOT_FOUND (another organization's too). */
  async byId(tx: EntityManager, organizationId: string, roleId: string, lock = false): Promise<Required<RoleRow>> {
    const rows: Required<RoleRow>[] = await tx.query(
      `SELECT ${ROLE_COLUMNS} FROM roles WHERE organization_id = $1 AND id = $2 ${lock ? 'FOR UPDATE' : ''}`,
      [organizationId, roleId],
    );
    if (!rows[0]) throw notFound('Role');
    return rows[0];
  }

  /** The ids of the organization's roles holding every one of `permissions`. */
  async idsWith(manager: EntityManager, organizationId: string, permissions: string[]): Promise<string[]> {
    const rows: { id: string }[] = await manager.query(`SELECT id FROM roles WHERE organization_id = $1 AND permissions @> $2::text[]`, [
      organizationId,
      permissions,
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
    return tx.query(`SELECT ${ROLE_COLUMNS} FROM roles WHERE organization_id = $1 ORDER BY rank, lower(name) FOR UPDATE`, [organizationId]);
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

  /**
   * The organization's admins lock: changes that could leave it without someone able to manage it
   * (people's roles and statuses, roles' permissions), one at a time on every instance.
   */
  async lockManagers(tx: EntityManager, organizationId: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(${LOCKS.admins}, hashtext($1::text))`, [organizationId]);
  }

  /**
   * LAST_MANAGER unless an active member of the organization can still manage it (roles and people),
   * as the caller's transaction leaves it. The caller holds the admins lock and has written its change.
   */
  async assertManagerRemains(tx: EntityManager, organizationId: string): Promise<void> {
    const managing = await this.idsWith(tx, organizationId, MANAGING);
    if (!managing.length || !(await this.holders.members.anyActive(tx, organizationId, managing))) {
      throw new AppError(ErrorCode.LastManager, 'Nobody else could manage roles and people: someone must keep that ability.');
    }
  }

  /**
   * What the actor may hand out now: the permissions of their request (a token's are capped) that
   * their membership's role still holds as the transaction sees it (a role edited a moment ago counts).
   */
  private async actorPermissions(tx: EntityManager, actor: Principal, organizationId: string): Promise<string[]> {
    const roleId = await this.holders.members.activeRole(tx, organizationId, actor.userId);
    const rows: { permissions: string[] }[] = roleId
      ? await tx.query(`SELECT permissions FROM roles WHERE organization_id = $1 AND id = $2`, [organizationId, roleId])
      : [];
    const current = rows[0]?.permissions ?? [];
    return actor.permissions.filter((p) => current.includes(p));
  }

  /** Creates a custom role of the actor's organization, within the actor's permissions. */
  create(actor: Principal, input: Required<RoleChanges>): Promise<RoleModel> {
    const organizationId = organizationOf(actor);
    return this.write(organizationId, async (tx) => {
      const permissions = normalized(input.permissions);
      const mine = await this.actorPermissions(tx, actor, organizationId);
      if (!canGrantRole(mine, permissions)) throw notGrantable(input.name);
      const key = await this.freeKey(tx, organizationId, keyBase(input.name));
      const rows: { id: string }[] = await tx.query(
        `INSERT INTO roles (organization_id, key, name, description, permissions, rank, built_in)
         VALUES ($1, $2, $3, $4, $5, $6, false) RETURNING id`,
        [organizationId, key, input.name, input.description, permissions, roleSortRank(permissions)],
      );
      const id = rows[0].id;
      await this.audit.record(tx, actor, 'role.created', null, { roleId: id, key, name: input.name, permissions });
      return this.model(tx, organizationId, id);
    });
  }

  /**
   * Renames, describes or changes the permissions of a custom role: only a role within the actor's
   * permissions, and only to permissions within them. LAST_MANAGER when nobody active could manage
   * the organization afterwards.
   */
  update(actor: Principal, id: string, changes: RoleChanges): Promise<RoleModel> {
    const organizationId = organizationOf(actor);
    return this.write(organizationId, async (tx) => {
      const role = await this.byId(tx, organizationId, id, true);
      if (role.built_in) throw builtIn(role.name);
      const mine = await this.actorPermissions(tx, actor, organizationId);
      if (!canGrantRole(mine, role.permissions)) throw notGrantable(role.name);
      const permissions = changes.permissions === undefined ? role.permissions : normalized(changes.permissions);
      if (!canGrantRole(mine, permissions)) throw notGrantable(changes.name ?? role.name);
      const diff: Record<string, { from: unknown; to: unknown }> = {};
      if (changes.name !== undefined && changes.name !== role.name) diff['name'] = { from: role.name, to: changes.name };
      if (changes.description !== undefined && changes.description !== role.description) {
        diff['description'] = { from: role.description, to: changes.description };
      }
      if (permissions.join() !== normalized(role.permissions).join()) diff['permissions'] = { from: role.permissions, to: permissions };
      if (Object.keys(diff).length) {
        await tx.query(`UPDATE roles SET name = $3, description = $4, permissions = $5, rank = $6 WHERE organization_id = $1 AND id = $2`, [
          organizationId,
          id,
          changes.name ?? role.name,
          changes.description ?? role.description,
          permissions,
          roleSortRank(permissions),
        ]);
        if (canManageOrganization(role.permissions) && !canManageOrganization(permissions)) {
          await this.assertManagerRemains(tx, organizationId);
        }
        await this.audit.record(tx, actor, 'role.updated', null, { roleId: id, key: role.key, name: changes.name ?? role.name, ...diff });
      }
      return this.model(tx, organizationId, id);
    });
  }

  /**
   * Deletes a custom role. When people (any status), API tokens or the single sign-on connection hold
   * it, a replacement takes its place in the same transaction: people move to it, the SSO default role
   * too, and tokens capped to it are capped to the replacement, or revoked when their owner does not
   * hold every permission of the replacement. Without a replacement: ROLE_IN_USE, with the counts.
   */
  delete(actor: Principal, id: string, replacementId: string | null): Promise<boolean> {
    const organizationId = organizationOf(actor);
    return this.write(organizationId, async (tx) => {
      // Both roles first (NOT_FOUND for either, another organization's too), then what may be done with them.
      const role = await this.byId(tx, organizationId, id, true);
      if (replacementId === id) throw new AppError(ErrorCode.BadUserInput, 'A role cannot replace itself.');
      const replacement = replacementId === null ? null : await this.byId(tx, organizationId, replacementId);
      if (role.built_in) throw builtIn(role.name);
      const mine = await this.actorPermissions(tx, actor, organizationId);
      if (!canGrantRole(mine, role.permissions)) throw notGrantable(role.name);
      if (replacement && !canGrantRole(mine, replacement.permissions)) throw notGrantable(replacement.name);
      const counts = await this.holders.count(tx, organizationId, id);
      const inUse = Object.values(counts).some((n) => n > 0);
      let moved: Record<string, number> = {};
      if (inUse) {
        if (!replacement) {
          throw new AppError(ErrorCode.RoleInUse, `The ${role.name} role is in use: choose a role to replace it.`, {
            holders: counts['holders'] ?? 0,
            tokens: counts['tokens'] ?? 0,
            ssoDefault: (counts['ssoDefault'] ?? 0) > 0,
          });
        }
        moved = await this.holders.replace(tx, actor, organizationId, role, replacement);
      }
      await tx.query(`DELETE FROM roles WHERE organization_id = $1 AND id = $2`, [organizationId, id]);
      if (inUse && canManageOrganization(role.permissions) && replacement && !canManageOrganization(replacement.permissions)) {
        await this.assertManagerRemains(tx, organizationId);
      }
      await this.audit.record(tx, actor, 'role.deleted', null, {
        roleId: id,
        key: role.key,
        name: role.name,
        ...(replacement ? { replacement: { roleId: replacement.id, name: replacement.name } } : {}),
        ...counts,
        ...moved,
      });
      return true;
    });
  }

  /** `base`, or `base_2`, `base_3`… : the first key the organization does not use yet. */
  private async freeKey(tx: EntityManager, organizationId: string, base: string): Promise<string> {
    const rows: { key: string }[] = await tx.query(
      `SELECT key FROM roles WHERE organization_id = $1 AND (key = $2 OR key LIKE $2 || '\\_%')`,
      [organizationId, base],
    );
    const taken = new Set(rows.map((r) => r.key));
    let key = base;
    for (let n = 2; taken.has(key); n++) key = `${base}_${n}`;
    return key;
  }

  private async model(tx: EntityManager, organizationId: string, id: string): Promise<RoleModel> {
    const role = (await this.list(organizationId, tx, true)).find((r) => r.id === id);
    if (!role) throw notFound('Role');
    return role;
  }

  /**
   * A role write: one transaction of the organization (behind its row-level security) under its admins
   * lock; a name in use (any case) is ROLE_NAME_TAKEN.
   */
  private async write<T>(organizationId: string, work: (tx: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.orgDb.transaction(organizationId, async (tx) => {
        await this.lockManagers(tx, organizationId);
        return work(tx);
      });
    } catch (e) {
      if (
        e instanceof QueryFailedError &&
        (e.driverError as { code?: string; constraint?: string }).constraint === 'roles_organization_name_lower'
      ) {
        throw new AppError(ErrorCode.RoleNameTaken, 'A role with this name already exists.');
      }
      throw e;
    } finally {
      // This instance applies its own change at once (the next request of a holder already acts with the
      // role as written); the announcement reaches the other instances, and this one, a moment later.
      this.generation++;
      this.cache.delete(organizationId);
      this.principals.forgetOrganization(organizationId);
    }
  }
}

function toModel({ require_two_factor, built_in, ...r }: Required<RoleRow>, holders: number): RoleModel {
  return {
    ...r,
    builtIn: built_in,
    holders,
    requireTwoFactor: require_two_factor,
    permissionLevel: permissionLevel(r.permissions),
  };
}

const builtIn = (name: string) => new AppError(ErrorCode.RoleBuiltIn, `${name} is a built-in role: duplicate it to change it.`);
const notGrantable = (name: string) => new AppError(ErrorCode.RoleNotGrantable, `The ${name} role exceeds your own permissions.`);
