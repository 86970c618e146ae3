import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ErrorCode } from '@roster/contracts/errors';
import { canGrantRole } from '@roster/contracts/permissions';
import { AuditService } from '../audit/audit.service';
import { AppError, notFound } from '../core/errors/app-error';
import { PrincipalCache } from '../core/access/principal-cache';
import type { Principal } from '../core/access/principal';
import { RolesService } from '../roles/roles.service';
import { SessionService } from '../sessions/session.service';
import { AccountsService } from '../users/accounts.service';
import { SsoTwoFactorMode } from './two-factor-policy.entity';
import { SetTwoFactorPolicyInput, TwoFactorPolicyModel } from './two-factor-policy.model';

/**
 * The two-factor policy: roles that require it (a column of roles) and how single sign-on counts (one
 * row). Enforcement happens where a session is looked up: a person of a required role without 2FA is
 * flagged, and the access guard opens only the set-up to them. Changes reach every instance through the
 * change feed (roles and the policy row announce themselves).
 */
@Injectable()
export class TwoFactorPolicyService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly principals: PrincipalCache,
    private readonly sessions: SessionService,
    private readonly accounts: AccountsService,
    private readonly roles: RolesService,
  ) {}

  async ssoMode(manager: EntityManager = this.db.manager): Promise<SsoTwoFactorMode> {
    const rows: { sso_mode: SsoTwoFactorMode }[] = await manager.query(`SELECT sso_mode FROM two_factor_policy WHERE id = 1`);
    return rows[0]?.sso_mode ?? SsoTwoFactorMode.TRUST_PROVIDER;
  }

  /** Whether this person's role requires two-factor authentication. */
  async requiredFor(manager: EntityManager, userId: string): Promise<boolean> {
    const person = await this.accounts.identity(manager, { id: userId });
    return person ? (await this.roles.byId(manager, person.role_id)).require_two_factor : false;
  }

  /** The policy with, for each role, how many active people it affects (counted for both SSO modes' rule). */
  async get(manager: EntityManager = this.db.manager): Promise<TwoFactorPolicyModel> {
    const ssoMode = await this.ssoMode(manager);
    const roles = await this.roles.list(manager);
    // Single sign-on people without a password are held too when the policy asks them for Roster's code.
    const counts = await this.accounts.activeByRole(manager, ssoMode === SsoTwoFactorMode.REQUIRE_TOTP);
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

  /** Replaces the policy in one transaction; audited with what was and what is. */
  async set(actor: Principal, input: SetTwoFactorPolicyInput): Promise<TwoFactorPolicyModel> {
    const result = await this.db.transaction(async (tx) => {
      // One policy change at a time: the audit's "before" is the state this change replaced.
      const before: { sso_mode: SsoTwoFactorMode }[] = await tx.query(`SELECT sso_mode FROM two_factor_policy WHERE id = 1 FOR UPDATE`);
      const roles = await this.roles.allForUpdate(tx);
      const wanted = new Set(input.requiredRoleIds);
      for (const id of wanted) if (!roles.some((r) => r.id === id)) throw notFound('Role');
      const changed = roles.filter((r) => r.require_two_factor !== wanted.has(r.id));
      // Like handing out a role: nobody sets the rule of a role with more permissions than their own.
      const above = changed.find((r) => !canGrantRole(actor.permissions, r.permissions));
      if (above) throw new AppError(ErrorCode.RoleNotGrantable, `You cannot change the two-factor rule of ${above.name}.`);
      if (changed.length) {
        await this.roles.setRequireTwoFactor(
          tx,
          [...wanted],
          changed.map((r) => r.id),
        );
      }
      const ssoBefore = before[0]?.sso_mode ?? SsoTwoFactorMode.TRUST_PROVIDER;
      let ssoSessionsEnded = 0;
      if (ssoBefore !== input.ssoMode) {
        await tx.query(`UPDATE two_factor_policy SET sso_mode = $1, updated_at = now() WHERE id = 1`, [input.ssoMode]);
        if (input.ssoMode === SsoTwoFactorMode.REQUIRE_TOTP) {
          // Single sign-ons that skipped the code people now owe: they sign in again, with it.
          const withTotp: { user_id: string }[] = await tx.query(`SELECT user_id FROM totp_secrets WHERE enabled_at IS NOT NULL`);
          ssoSessionsEnded = await this.sessions.revokeSsoOf(
            tx,
            withTotp.map((r) => r.user_id),
          );
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
      return this.get(tx);
    });
    // This instance's cached principals follow at once (every instance's, when PostgreSQL announces it).
    this.principals.forgetAll();
    return result;
  }
}
