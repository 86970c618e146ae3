import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ErrorCode } from '@roster/contracts/errors';
import { canGrantRole, canManageOrganization, Permission } from '@roster/contracts/permissions';
import { AppError } from '../core/errors/app-error';
import { LOCKS } from '../core/database/locks';
import { AuditService } from '../audit/audit.service';
import { organizationOf, type Principal } from '../core/access/principal';
import { CredentialHooks } from '../core/access/credential-hooks';
import { RolesService } from '../roles/roles.service';
import { TeamsService } from '../teams/teams.service';
import { UserStatus } from './users.enums';
import { UserModel } from './user.model';
import { USER_COLUMNS, USER_FROM, UserRow } from './users-query';
import { manageRefusal, AccountsService } from './accounts.service';
import { OrgDb } from '../core/database/org-db';

export interface UpdateUserChanges {
  firstName?: string;
  lastName?: string;
  roleId?: string;
  teamIds?: string[];
}

/**
 * The users page's mutations, inside the current organization: edit names, role and teams, remove,
 * deactivate and reactivate a member, each in one transaction under the organization's admins lock,
 * with the guard rails (who may act on whom, never an organization without an active admin, nobody
 * removes or deactivates themselves). A person who is not a member of the organization is NOT_FOUND.
 */
@Injectable()
export class UsersAdminService {
  constructor(
    private readonly orgDb: OrgDb,
    private readonly audit: AuditService,
    private readonly roles: RolesService,
    private readonly teams: TeamsService,
    private readonly credentialHooks: CredentialHooks,
    private readonly accounts: AccountsService,
  ) {}

  /** Edit names, role and teams, with the guard rails, in one transaction. */
  async update(actor: Principal, id: string, changes: UpdateUserChanges): Promise<UserModel> {
    const organizationId = organizationOf(actor);
    return this.orgDb.transaction(organizationId, async (tx) => {
      await this.lockAdmins(tx, organizationId);
      const target = await this.lockTarget(tx, actor, organizationId, id);
      const diff: Record<string, unknown> = {};
      if (changes.roleId !== undefined && changes.roleId !== target.role_id) {
        if (target.id === actor.userId) throw new AppError(ErrorCode.SelfRoleChange, 'You cannot change your own role.');
        const role = await this.roles.byId(tx, organizationId, changes.roleId);
        if (!canGrantRole(actor.permissions, role.permissions)) {
          throw new AppError(ErrorCode.RoleNotGrantable, `You cannot grant the ${role.name} role.`);
        }
        await this.assertAdminRemains(tx, organizationId, target, role.permissions);
        await tx.query(`UPDATE memberships SET role_id = $3 WHERE organization_id = $1 AND user_id = $2`, [organizationId, id, role.id]);
        diff['role'] = { from: target.role_name, to: role.name };
      }
      // Names are the person's (the same in every organization they belong to).
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
          await this.teams.setMemberships(tx, organizationId, id, teamIds);
          diff['teams'] = { from: target.teams.map((t) => t.name), to: teamIds };
        }
      }
      if (Object.keys(diff).length) {
        await this.audit.record(tx, actor, diff['role'] ? 'user.role_changed' : 'user.updated', { id, email: target.email }, diff);
      }
      return this.accounts.findById(organizationId, id, tx);
    });
  }

  /**
   * Irreversible: removes the person from the organization (their teams, invitation and API tokens of
   * it go with the membership), and deletes the person too when they belong nowhere else and are not
   * an operator (sessions and everything else of theirs go with the row).
   */
  async delete(actor: Principal, id: string): Promise<void> {
    const organizationId = organizationOf(actor);
    await this.orgDb.transaction(organizationId, async (tx) => {
      await this.lockAdmins(tx, organizationId);
      if (id === actor.userId) throw new AppError(ErrorCode.SelfDelete, 'You cannot delete yourself.');
      const target = await this.lockTarget(tx, actor, organizationId, id);
      await this.assertAdminRemains(tx, organizationId, target, []);
      await this.accounts.removeMembership(tx, organizationId, id);
      await this.audit.record(tx, actor, 'user.deleted', { id, email: target.email }, { role: target.role_name });
    });
  }

  /**
   * Deactivates an active member (they keep data, teams and history; their API tokens of the
   * organization end at once, and their sessions, pending sign-ins and reset links too when no
   * organization keeps them active) or reactivates a deactivated one. Same rules as editing; the last
   * active admin of the organization cannot be deactivated; nobody deactivates themselves. Idempotent
   * for the state already reached.
   */
  async setActive(actor: Principal, id: string, active: boolean): Promise<UserModel> {
    const organizationId = organizationOf(actor);
    return this.orgDb.transaction(organizationId, async (tx) => {
      await this.lockAdmins(tx, organizationId);
      if (id === actor.userId && !active) throw new AppError(ErrorCode.SelfDeactivate, 'You cannot deactivate yourself.');
      const target = await this.lockTarget(tx, actor, organizationId, id);
      const wanted = active ? UserStatus.ACTIVE : UserStatus.DEACTIVATED;
      if (target.status === wanted) return this.accounts.findById(organizationId, id, tx);
      if (target.status === UserStatus.INVITED) {
        throw new AppError(ErrorCode.UserStatusConflict, 'This person is invited: revoke the invitation instead.');
      }
      if (active) {
        await tx.query(`UPDATE memberships SET status = 'ACTIVE' WHERE organization_id = $1 AND user_id = $2`, [organizationId, id]);
        await this.audit.record(tx, actor, 'user.reactivated', { id, email: target.email });
      } else {
        await this.assertAdminRemains(tx, organizationId, target, []);
        await tx.query(`UPDATE memberships SET status = 'DEACTIVATED' WHERE organization_id = $1 AND user_id = $2`, [organizationId, id]);
        const { sessions, apiTokens } = await this.endCredentials(tx, organizationId, id);
        await this.audit.record(tx, actor, 'user.deactivated', { id, email: target.email }, { sessions, apiTokens });
      }
      return this.accounts.findById(organizationId, id, tx);
    });
  }

  /**
   * What ends with a deactivation. Active nowhere any more: everything of theirs, each owner ending its
   * rows (sessions, API tokens, sign-ins waiting for their code, reset links). Still active in another
   * organization: only their API tokens of this one (a token acts in one organization; their sessions
   * serve the others, and this organization refuses them already).
   */
  private async endCredentials(tx: EntityManager, organizationId: string, id: string): Promise<{ sessions: number; apiTokens: number }> {
    if (!(await this.accounts.activeSomewhere(tx, id))) {
      const { sessions = 0, apiTokens = 0 } = await this.credentialHooks.end(tx, id, 'deactivated');
      return { sessions, apiTokens };
    }
    const { apiTokens = 0 } = await this.credentialHooks.leftOrganization(tx, id, organizationId);
    return { sessions: 0, apiTokens };
  }

  /** The organization's admins lock: changes that could leave it without an active admin, one at a time. */
  private async lockAdmins(tx: EntityManager, organizationId: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(${LOCKS.admins}, hashtext($1::text))`, [organizationId]);
  }

  /** Locks the target's rows (see `target()`: a member of the organization), then reads all of it: names, role and teams. */
  private async lockTarget(tx: EntityManager, actor: Principal, organizationId: string, id: string): Promise<UserRow> {
    await this.accounts.target(tx, actor, id, { refused: manageRefusal });
    const rows: UserRow[] = await tx.query(`SELECT ${USER_COLUMNS} FROM ${USER_FROM} WHERE m.organization_id = $1 AND m.user_id = $2`, [
      organizationId,
      id,
    ]);
    return rows[0];
  }

  /**
   * Refuses to leave the organization without an active member able to manage it (roles and people):
   * LAST_MANAGER. Caller holds the organization's admins lock.
   */
  private async assertAdminRemains(tx: EntityManager, organizationId: string, target: UserRow, newPermissions: string[]): Promise<void> {
    const wasAdmin = target.status === UserStatus.ACTIVE && canManageOrganization(target.role_permissions);
    if (!wasAdmin || canManageOrganization(newPermissions)) return;
    const adminRoles = await this.roles.idsWith(tx, organizationId, [Permission.RolesManage, Permission.UsersWrite]);
    const others: { n: string }[] = await tx.query(
      `SELECT count(*) AS n FROM memberships
        WHERE organization_id = $1 AND status = 'ACTIVE' AND role_id = ANY($3::uuid[]) AND user_id <> $2`,
      [organizationId, target.id, adminRoles],
    );
    if (Number(others[0].n) === 0) {
      throw new AppError(ErrorCode.LastManager, 'This is the last person able to manage roles and people: they must keep that ability.');
    }
  }
}
