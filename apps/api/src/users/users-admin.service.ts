import { Injectable } from '@nestjs/common';
import { ErrorCode } from '@roster/contracts/errors';
import { canGrantRole } from '@roster/contracts/permissions';
import { AppError } from '../core/errors/app-error';
import { AuditService } from '../audit/audit.service';
import { organizationOf, type Principal } from '../core/access/principal';
import { RolesService } from '../roles/roles.service';
import { TeamsService } from '../teams/teams.service';
import { UserStatus } from './users.enums';
import { UserModel } from './user.model';
import { AccountsService } from './accounts.service';
import { MemberRules } from './member-rules';
import { OrgDb } from '../core/database/org-db';
import { PrincipalCache } from '../core/access/principal-cache';

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
 * removes or deactivates themselves; `MemberRules`, which SCIM provisioning shares). A person who is not a
 * member of the organization is NOT_FOUND.
 */
@Injectable()
export class UsersAdminService {
  constructor(
    private readonly orgDb: OrgDb,
    private readonly audit: AuditService,
    private readonly roles: RolesService,
    private readonly teams: TeamsService,
    private readonly accounts: AccountsService,
    private readonly rules: MemberRules,
    private readonly principals: PrincipalCache,
  ) {}

  /** Edit names, role and teams, with the guard rails, in one transaction. */
  async update(actor: Principal, id: string, changes: UpdateUserChanges): Promise<UserModel> {
    const organizationId = organizationOf(actor);
    return this.orgDb.transaction(organizationId, async (tx) => {
      await this.rules.lockAdmins(tx, organizationId);
      const target = await this.rules.lockTarget(tx, actor, organizationId, id);
      const diff: Record<string, unknown> = {};
      if (changes.roleId !== undefined && changes.roleId !== target.role_id) {
        if (target.id === actor.userId) throw new AppError(ErrorCode.SelfRoleChange, 'You cannot change your own role.');
        const role = await this.roles.byId(tx, organizationId, changes.roleId);
        if (!canGrantRole(actor.permissions, role.permissions)) {
          throw new AppError(ErrorCode.RoleNotGrantable, `You cannot grant the ${role.name} role.`);
        }
        await this.rules.assertAdminRemains(tx, organizationId, target, role.permissions);
        await tx.query(`UPDATE memberships SET role_id = $3 WHERE organization_id = $1 AND user_id = $2`, [organizationId, id, role.id]);
        diff['role'] = { from: target.role_name, to: role.name };
      }
      // Names are the person's (the same in every organization they belong to), unless the membership has
      // its own (a person of other organizations provisioned here by SCIM): then they are the membership's.
      const names: [string, string, string | undefined][] = [
        ['first_name', 'firstName', changes.firstName],
        ['last_name', 'lastName', changes.lastName],
      ];
      const changed = names.filter(([column, , value]) => value !== undefined && value !== target[column as 'first_name' | 'last_name']);
      const own = changed.length > 0 && (await this.accounts.hasOwnNames(tx, organizationId, id));
      for (const [column, field, value] of changed) {
        if (own) {
          await tx.query(`UPDATE memberships SET ${column} = $3 WHERE organization_id = $1 AND user_id = $2`, [organizationId, id, value]);
        } else {
          await tx.query(`UPDATE users SET ${column} = $2, updated_at = now() WHERE id = $1`, [id, value]);
        }
        diff[field] = { from: target[column as 'first_name' | 'last_name'], to: value };
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
      await this.rules.lockAdmins(tx, organizationId);
      if (id === actor.userId) throw new AppError(ErrorCode.SelfDelete, 'You cannot delete yourself.');
      const target = await this.rules.lockTarget(tx, actor, organizationId, id);
      await this.rules.assertAdminRemains(tx, organizationId, target, []);
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
    try {
      return await this.changeStatus(actor, id, active);
    } finally {
      // Ended sessions and tokens: this instance at once; the others when PostgreSQL announces it.
      this.principals.forget(id);
    }
  }

  private changeStatus(actor: Principal, id: string, active: boolean): Promise<UserModel> {
    const organizationId = organizationOf(actor);
    return this.orgDb.transaction(organizationId, async (tx) => {
      await this.rules.lockAdmins(tx, organizationId);
      if (id === actor.userId && !active) throw new AppError(ErrorCode.SelfDeactivate, 'You cannot deactivate yourself.');
      const target = await this.rules.lockTarget(tx, actor, organizationId, id);
      const wanted = active ? UserStatus.ACTIVE : UserStatus.DEACTIVATED;
      if (target.status === wanted) return this.accounts.findById(organizationId, id, tx);
      if (target.status === UserStatus.INVITED) {
        throw new AppError(ErrorCode.UserStatusConflict, 'This person is invited: revoke the invitation instead.');
      }
      if (active) {
        await tx.query(`UPDATE memberships SET status = 'ACTIVE' WHERE organization_id = $1 AND user_id = $2`, [organizationId, id]);
        await this.audit.record(tx, actor, 'user.reactivated', { id, email: target.email });
      } else {
        await this.rules.assertAdminRemains(tx, organizationId, target, []);
        await tx.query(`UPDATE memberships SET status = 'DEACTIVATED' WHERE organization_id = $1 AND user_id = $2`, [organizationId, id]);
        const { sessions, apiTokens } = await this.rules.endCredentials(tx, organizationId, id);
        await this.audit.record(tx, actor, 'user.deactivated', { id, email: target.email }, { sessions, apiTokens });
      }
      return this.accounts.findById(organizationId, id, tx);
    });
  }
}
