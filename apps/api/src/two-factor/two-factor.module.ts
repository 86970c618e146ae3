import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { RolesModule } from '../roles/roles.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { TwoFactorResolver } from './two-factor.resolver';
import { TwoFactorService } from './two-factor.service';
import { TwoFactorPolicyResolver } from './two-factor-policy.resolver';
import { TwoFactorPolicyService } from './two-factor-policy.service';

/**
 * Two-factor authentication (tables totp_secrets, recovery_codes, mfa_challenges, two_factor_policy;
 * the policy's require_two_factor of roles is written through RolesService).
 */
@Module({
  imports: [AuditModule, RolesModule, SessionsModule, UsersModule],
  providers: [TwoFactorService, TwoFactorResolver, TwoFactorPolicyService, TwoFactorPolicyResolver],
  exports: [TwoFactorService, TwoFactorPolicyService],
})
export class TwoFactorModule {}
