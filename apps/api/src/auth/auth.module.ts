import { Module } from '@nestjs/common';
import { ApiTokensModule } from '../api-tokens/api-tokens.module';
import { AuditModule } from '../audit/audit.module';
import { PrincipalLookup } from '../core/access/principal-lookup';
import { SessionsModule } from '../sessions/sessions.module';
import { TwoFactorModule } from '../two-factor/two-factor.module';
import { UsersModule } from '../users/users.module';
import { AuthResolver } from './auth.resolver';
import { AuthService } from './auth.service';
import { RequestPrincipals } from './principals';
import { TrustedDevices } from './trusted-device';

/**
 * Signing in and out with a password, changing it, and who is calling: provides the PrincipalLookup
 * the global guard uses (session cookie or API token).
 */
@Module({
  imports: [AuditModule, ApiTokensModule, SessionsModule, TwoFactorModule, UsersModule],
  providers: [AuthService, AuthResolver, TrustedDevices, { provide: PrincipalLookup, useClass: RequestPrincipals }],
  exports: [PrincipalLookup],
})
export class AuthModule {}
