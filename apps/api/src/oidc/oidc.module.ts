import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { OidcAccounts } from './oidc-accounts';
import { OidcAuthorizations } from './oidc-authorizations';
import { OidcInteractionController } from './oidc-interaction.controller';
import { OidcProviderSettings } from './oidc-provider.settings';
import { OidcClientsResolver } from './oidc-clients.resolver';
import { OidcClientsService } from './oidc-clients.service';
import { OidcMiddleware } from './oidc.middleware';
import { OidcUserinfo } from './oidc-userinfo';
import { OidcKeys } from './oidc-keys';
import { OidcLogout } from './oidc-logout';
import { OidcPayloads } from './oidc-payloads';
import { OidcBackchannel } from './oidc-backchannel';
import { OidcProviderHost } from './oidc-provider.host';

/**
 * Roster as an OpenID Provider (tables oidc_clients, oidc_payloads, oidc_signing_keys): `oidc-provider`
 * mounted under /oidc/ and /.well-known/openid-configuration, issuer PUBLIC_URL, state and keys in
 * PostgreSQL.
 */
@Module({
  imports: [AuditModule, AuthModule, OrganizationsModule, SessionsModule, UsersModule],
  controllers: [OidcInteractionController],
  providers: [
    OidcPayloads,
    OidcBackchannel,
    OidcLogout,
    OidcKeys,
    OidcProviderHost,
    OidcProviderSettings,
    OidcAccounts,
    OidcAuthorizations,
    OidcUserinfo,
    OidcClientsService,
    OidcClientsResolver,
  ],
})
export class OidcModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(OidcMiddleware)
      .forRoutes(
        { path: 'oidc/*path', method: RequestMethod.ALL },
        { path: '.well-known/openid-configuration', method: RequestMethod.GET },
      );
  }
}
