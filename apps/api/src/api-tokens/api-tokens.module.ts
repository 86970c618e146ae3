import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { RolesModule } from '../roles/roles.module';
import { UsersModule } from '../users/users.module';
import { ApiTokenAuthService } from './api-token-auth.service';
import { ApiTokensResolver } from './api-tokens.resolver';
import { ApiTokensService } from './api-tokens.service';
import { TokenRoleHolder } from './token-role-holder';

/** API tokens for integrators (table api_tokens): create, list, revoke, and `Bearer` look-up. */
@Module({
  imports: [AuditModule, RolesModule, UsersModule],
  providers: [ApiTokensService, ApiTokenAuthService, ApiTokensResolver, TokenRoleHolder],
  exports: [ApiTokenAuthService],
})
export class ApiTokensModule {}
