import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ErrorCode } from '@roster/contracts/errors';
import { canManageOrganization, Permission } from '@roster/contracts/permissions';
import { AppError } from '../core/errors/app-error';
import { LOCKS } from '../core/database/locks';
import type { Principal } from '../core/access/principal';
import { CredentialHooks } from '../core/access/credential-hooks';
import { RolesService } from '../roles/roles.service';
import { UserStatus } from './users.enums';
import { USER_COLUMNS, USER_FROM, UserRow } from './users-query';
import { AccountsService, manageRefusal } from './accounts.service';

/** What a member's row must say for the last-admin rule: their status and their role's permissions. */
export type AdminRuleTarget = Pick<UserRow, 'id' | 'status' | 'role_permissions'>;

/**
 * The rules every change of a member goes through, whichever door it comes by (the console's users page,
 * SCIM provisioning): the organization's admins lock, "may I act on this person" with the target's rows
 * locked, never an organization without an active member able to manage it, and what ends with a
 * deactivation. Each runs in the caller's organization transaction.
 */
@Injectable()
export class MemberRules {
  constructor(
    private readonly roles: RolesService,
    private readonly accounts: AccountsService,
    private readonly credentialHooks: CredentialHooks,
  ) {}

  /** The organization's admins lock: changes that could leave it without an active admin, one at a time. */
  async lockAdmins(tx: EntityManager, organizationId: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(${LOCKS.admins}, hashtext($1::text))`, [organizationId]);
  }

  /**
   * Locks the target's rows (see `AccountsService.target`: a member of the organization the actor may
   * manage), then reads all of it: names, role and teams.
   */
  async lockTarget(tx: EntityManager, actor: Principal, organizationId: string, id: string): Promise<UserRow> {
    await this.accounts.target(tx, actor, id, { refused: manageRefusal });
    const rows: UserRow[] = await tx.query(`SELECT ${USER_COLUMNS} FROM ${USER_FROM} WHERE m.organization_id = $1 AND m.user_id = $2`, [
      organizationId,
      id,
    ]);
    return rows[0];
  }

  /**
   * Refuses to leave the organization without an active member able to manage it (roles and people):
   * LAST_MANAGER. `newPermissions`: the target's permissions after the change (none when they are
   * deactivated or removed). Caller holds the organization's admins lock.
   */
  async assertAdminRemains(tx: EntityManager, organizationId: string, target: AdminRuleTarget, newPermissions: string[]): Promise<void> {
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

  /**
   * What ends with a deactivation. Active nowhere any more: everything of theirs, each owner ending its
   * rows (sessions, API tokens, sign-ins waiting for their code, reset links). Still active in another
   * organization: only their API tokens of this one (a token acts in one organization; their sessions
   * serve the others, and this organization refuses them already).
   */
  async endCredentials(tx: EntityManager, organizationId: string, id: string): Promise<{ sessions: number; apiTokens: number }> {
    if (!(await this.accounts.activeSomewhere(tx, id))) {
      const { sessions = 0, apiTokens = 0 } = await this.credentialHooks.end(tx, id, 'deactivated');
      return { sessions, apiTokens };
    }
    const { apiTokens = 0 } = await this.credentialHooks.leftOrganization(tx, id, organizationId);
    return { sessions: 0, apiTokens };
  }
}
