import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ErrorCode } from '@roster/contracts/errors';
import { canGrantRole } from '@roster/contracts/permissions';
import { AuditService } from '../audit/audit.service';
import { AppError, notFound } from '../core/errors/app-error';
import { PrincipalCache } from '../core/access/principal-cache';
import { organizationOf, type Principal } from '../core/access/principal';
import { RolesService } from '../roles/roles.service';
import { SessionService } from '../sessions/session.service';
import { AccountsService } from '../users/accounts.service';
import { SsoTwoFactorMode } from './two-factor-policy.entity';
import { SetTwoFactorPolicyInput, TwoFactorPolicyModel } from './two-factor-policy.model';
import { OrgDb } from '../core/database/org-db';

/**
 * Each organization's two-factor policy: its roles that require it (a column of roles) and how single
 * sign-on counts (its row of two_factor_policy). Enforcement happens where a session is looked up: a
 * person of a required role without 2FA is flagged, and the access guard opens only the set-up to them.
 * Changes reach every instance through the change feed (roles and the policy row announce themselves).
 */
@Injectable()
export class TwoFactorPolicyService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly orgDb: OrgDb,
    private readonly audit: AuditService,
    private readonly principals: PrincipalCache,
    private readonly sessions: SessionService,
    private readonly accounts: AccountsService,
    private readonly roles: RolesService,
  ) {}

  /** How single sign-on counts in the organization (trusting the provider unless it said otherwise). */
  async ssoMode(manager: EntityManager, organizationId: string): Promise<SsoTwoFactorMode> {
    const rows: { sso_mode: SsoTwoFactorMode }[] = await manager.query(
      `SELECT sso_mode FROM two_factor_policy WHERE organization_id = $1`,
      [organizationId],
    );
    return rows[0]?.sso_mode ?? SsoTwoFactorMode.TRUST_PROVIDER;
  }

  /**
   * Whether this person must keep two-factor authentication: the role of one of their active
   * memberships requires it (the second factor is the person's, for every organization).
   */
  async requiredFor(manager: EntityManager, userId: string): Promise<boolean> {
    // The roles of every organization that keeps them active.
    return OrgDb.acrossOrganizations(manager, async () =>
      this.roles.anyRequiresTwoFactor(manager, await this.accounts.activeRoleIds(manager, userId)),
    );
  }

  /** The organization's policy with, for each of its roles, how many active members it affects (counted for both SSO modes' rule). */
  async get(organizationId: string, manager: EntityManager = this.db.manager): Promise<TwoFactorPolicyModel> {
    const ssoMode = await this.ssoMode(manager, organizationId);
    const roles = await this.roles.list(organizationId, manager);
    // Single sign-on people without a password are held too when the policy asks them for Roster's code.
    const counts = await this.accounts.activeByRole(manager, organizationId, ssoMode === SsoTwoFactorMode.REQUIRE_TOTP);
    return {
      ssoMode,
      roles: roles.map((role) => ({
        role,
        required: role.requireTwoFactor,
        activeMembers: counts.get(role.id)?.members ?? 0,
        affected: counts.get(role.id)?.withoutTwoFactor ?? 0,
      })),
    };
  }

  /** A new organization's policy, in the caller's transaction: the default (single sign-on is trusted). */
  async createDefault(tx: EntityManager, organizationId: string): Promise<void> {
    await tx.query(`INSERT INTO two_factor_policy (organization_id) VALUES ($1)`, [organizationId]);
  }

  /** Replaces the organization's policy in one transaction; audited with what was and what is. */
  async set(actor: Principal, input: SetTwoFactorPolicyInput): Promise<TwoFactorPolicyModel> {
    const organizationId = organizationOf(actor);
    const result = await this.orgDb.transaction(organizationId, async (tx) => {
      // One policy change at a time per organization: the audit's "before" is the state this change replaced.
      const before: { sso_mode: SsoTwoFactorMode }[] = await tx.query(
        `SELECT sso_mode FROM two_factor_policy WHERE organization_id = $1 FOR UPDATE`,
        [organizationId],
      );
      const roles = await this.roles.allForUpdate(tx, organizationId);
      const wanted = new Set(input.requiredRoleIds);
      for (const id of wanted) if (!roles.some((r) => r.id === id)) throw notFound('Role');
      const changed = roles.filter((r) => r.require_two_factor !== wanted.has(r.id));
      // Like handing out a role: nobody sets the rule of a role with more permissions than their own.
      const above = changed.find((r) => !canGrantRole(actor.permissions, r.permissions));
      if (above) throw new AppError(ErrorCode.RoleNotGrantable, `You cannot change the two-factor rule of ${above.name}.`);
      if (changed.length) {
        await this.roles.setRequireTwoFactor(
          tx,
          organizationId,
          [...wanted],
          changed.map((r) => r.id),
        );
      }
      const ssoBefore = before[0]?.sso_mode ?? SsoTwoFactorMode.TRUST_PROVIDER;
      let ssoSessionsEnded = 0;
      if (ssoBefore !== input.ssoMode) {
        await tx.query(
          `INSERT INTO two_factor_policy (organization_id, sso_mode) VALUES ($1, $2)
           ON CONFLICT (organization_id) DO UPDATE SET sso_mode = EXCLUDED.sso_mode, updated_at = now()`,
          [organizationId, input.ssoMode],
        );
        if (input.ssoMode === SsoTwoFactorMode.REQUIRE_TOTP) {
          // Single sign-ons that skipped the code the organization's members now owe: they sign in again, with it.
          const withTotp: { user_id: string }[] = await tx.query(`SELECT user_id FROM totp_secrets WHERE enabled_at IS NOT NULL`);
          const members = await this.accounts.membersAmong(
            tx,
            organizationId,
            withTotp.map((r) => r.user_id),
          );
          ssoSessionsEnded = await this.sessions.revokeSsoOf(tx, members);
        }
      }
      if (changed.length || ssoBefore !== input.ssoMode) {
        await this.audit.record(tx, actor, 'two_factor_policy.changed', null, {
          requiredBefore: roles.filter((r) => r.require_two_factor).map((r) => r.name),
          requiredAfter: roles.filter((r) => wanted.has(r.id)).map((r) => r.name),
          ssoModeBefore: ssoBefore,
          ssoModeAfter: input.ssoMode,
          ...(ssoSessionsEnded ? { ssoSessionsEnded } : {}),
        });
      }
      return this.get(organizationId, tx);
    });
    // This instance's cached principals follow at once (every instance's, when PostgreSQL announces it).
    this.principals.forgetOrganization(organizationId);
    return result;
  }
}
