import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { TwoFactorResolver } from './two-factor.resolver';
import { TwoFactorService } from './two-factor.service';

/** Two-factor authentication (tables mfa_challenges, recovery_codes; the totp_* columns of users). */
@Module({
  imports: [AuditModule, SessionsModule, UsersModule],
  providers: [TwoFactorService, TwoFactorResolver],
  exports: [TwoFactorService],
})
export class TwoFactorModule {}
