import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { OidcClientsResolver } from './oidc-clients.resolver';
import { OidcClientsService } from './oidc-clients.service';
import { OidcController } from './oidc.controller';
import { OidcKeys } from './oidc-keys';
import { OidcPayloads } from './oidc-payloads';
import { OidcProviderHost } from './oidc-provider.host';

/**
 * Roster as an OpenID Provider (tables oidc_clients, oidc_payloads, oidc_signing_keys): `oidc-provider`
 * mounted under /oidc/ and /.well-known/openid-configuration, issuer PUBLIC_URL, state and keys in
 * PostgreSQL.
 */
@Module({
  imports: [AuditModule],
  controllers: [OidcController],
  providers: [OidcPayloads, OidcKeys, OidcProviderHost, OidcClientsService, OidcClientsResolver],
})
export class OidcModule {}
