import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ErrorCode } from '@roster/contracts/errors';
import { canGrantRole, Permission } from '@roster/contracts/permissions';
import { AppError } from '../core/errors/app-error';
import { LOCKS } from '../core/database/locks';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../core/access/principal';
import { CredentialHooks } from '../core/access/credential-hooks';
import { RolesService } from '../roles/roles.service';
import { TeamsService } from '../teams/teams.service';
import { UserStatus } from './users.enums';
import { UserModel } from './user.model';
import { USER_COLUMNS, USER_FROM, UserRow } from './users-query';
import { manageRefusal, AccountsService } from './accounts.service';

export interface UpdateUserChanges {
  firstName?: string;
  lastName?: string;
  roleId?: string;
  teamIds?: string[];
}

/**
 * The users page's mutations: edit names, role and teams, delete, deactivate and reactivate, each in one
 * transaction under the admins lock, with the guard rails (who may act on whom, never without an active
 * admin, nobody deletes or deactivates themselves).
 */
@Injectable()
export class UsersAdminService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly roles: RolesService,
    private readonly teams: TeamsService,
    private readonly credentialHooks: CredentialHooks,
    private readonly accounts: AccountsService,
  ) {}

  /** Edit names, role and teams, with the guard rails, in one transaction. */
  async update(actor: Principal, id: string, changes: UpdateUserChanges): Promise<UserModel> {
    return this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(${LOCKS.admins})`);
      const target = await this.lockTarget(tx, actor, id);
      const diff: Record<string, unknown> = {};
      if (changes.roleId !== undefined && changes.roleId !== target.role_id) {
        if (target.id === actor.userId) throw new AppError(ErrorCode.SelfRoleChange, 'You cannot change your own role.');
        const role = await this.roles.byId(tx, changes.roleId);
        if (!canGrantRole(actor.permissions, role.permissions)) {
          throw new AppError(ErrorCode.RoleNotGrantable, `You cannot grant the ${role.name} role.`);
        }
        await this.assertAdminRemains(tx, target, role.permissions);
        await tx.query(`UPDATE users SET role_id = $2, updated_at = now() WHERE id = $1`, [id, role.id]);
        diff['role'] = { from: target.role_name, to: role.name };
      }
      const names: [string, string, string | undefined][] = [
        ['first_name', 'firstName', changes.firstName],
        ['last_name', 'lastName', changes.lastName],
      ];
      for (const [column, field, value] of names) {
        if (value !== undefined && value !== target[column as 'first_name' | 'last_name']) {
          await tx.query(`UPDATE users SET ${column} = $2, updated_at = now() WHERE id = $1`, [id, value]);
          diff[field] = { from: target[column as 'first_name' | 'last_name'], to: value };
        }
      }
      if (changes.teamIds !== undefined) {
        const teamIds = [...new Set(changes.teamIds)];
        const before = target.teams.map((t) => t.id).sort();
        if (before.join() !== [...teamIds].sort().join()) {
          await this.teams.setMemberships(tx, id, teamIds);
          diff['teams'] = { from: target.teams.map((t) => t.name), to: teamIds };
        }
      }
      if (Object.keys(diff).length) {
        await this.audit.record(tx, actor, diff['role'] ? 'user.role_changed' : 'user.updated', { id, email: target.email }, diff);
      }
      return this.accounts.findById(id, tx);
    });
  }

  /** Irreversible: sessions, memberships and invitations go with the row (ON DELETE CASCADE). */
  async delete(actor: Principal, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(${LOCKS.admins})`);
      if (id === actor.userId) throw new AppError(ErrorCode.SelfDelete, 'You cannot delete yourself.');
      const target = await this.lockTarget(tx, actor, id);
      await this.assertAdminRemains(tx, target, []);
      await tx.query(`DELETE FROM users WHERE id = $1`, [id]);
      await this.audit.record(tx, actor, 'user.deleted', { id, email: target.email }, { role: target.role_name });
    });
  }

  /**
   * Deactivates an active person (they keep data, teams and history; sessions, pending sign-ins and
   * API tokens end at once) or reactivates a deactivated one. Same rules as editing; the last active
   * admin cannot be deactivated; nobody deactivates themselves. Idempotent for the state already reached.
   */
  async setActive(actor: Principal, id: string, active: boolean): Promise<UserModel> {
    return this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(${LOCKS.admins})`);
      if (id === actor.userId && !active) throw new AppError(ErrorCode.SelfDeactivate, 'You cannot deactivate yourself.');
      const target = await this.lockTarget(tx, actor, id);
      const wanted = active ? UserStatus.ACTIVE : UserStatus.DEACTIVATED;
      if (target.status === wanted) return this.accounts.findById(id, tx);
      if (target.status === UserStatus.INVITED) {
        throw new AppError(ErrorCode.UserStatusConflict, 'This person is invited: revoke the invitation instead.');
      }
      if (active) {
        await tx.query(`UPDATE users SET status = 'ACTIVE', updated_at = now() WHERE id = $1`, [id]);
        await this.audit.record(tx, actor, 'user.reactivated', { id, email: target.email });
      } else {
        await this.assertAdminRemains(tx, target, []);
        await tx.query(`UPDATE users SET status = 'DEACTIVATED', updated_at = now() WHERE id = $1`, [id]);
        // Each owner ends its rows: sessions, API tokens, sign-ins waiting for their code, reset links.
        const { sessions = 0, apiTokens = 0 } = await this.credentialHooks.end(tx, id, 'deactivated');
        await this.audit.record(tx, actor, 'user.deactivated', { id, email: target.email }, { sessions, apiTokens });
      }
      return this.accounts.findById(id, tx);
    });
  }

  /** Locks the target row (see `target()`), then reads all of it: names, role and teams. */
  private async lockTarget(tx: EntityManager, actor: Principal, id: string): Promise<UserRow> {
    await this.accounts.target(tx, actor, id, { refused: manageRefusal });
    const rows: UserRow[] = await tx.query(`SELECT ${USER_COLUMNS} FROM ${USER_FROM} WHERE u.id = $1`, [id]);
    return rows[0];
  }

  /** Refuses to leave the platform without an active admin. Caller holds LOCKS.admins. */
  private async assertAdminRemains(tx: EntityManager, target: UserRow, newPermissions: string[]): Promise<void> {
    const wasAdmin = target.status === 'ACTIVE' && target.role_permissions.includes(Permission.RolesGrantAdmin);
    if (!wasAdmin || newPermissions.includes(Permission.RolesGrantAdmin)) return;
    const adminRoles = await this.roles.idsWith(tx, Permission.RolesGrantAdmin);
    const others: { n: string }[] = await tx.query(
      `SELECT count(*) AS n FROM users WHERE status = 'ACTIVE' AND role_id = ANY($2::uuid[]) AND id <> $1`,
      [target.id, adminRoles],
    );
    if (Number(others[0].n) === 0) throw new AppError(ErrorCode.LastAdmin, 'This is the last admin: the admin role cannot be removed.');
  }
}
