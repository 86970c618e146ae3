import { Module } from '@nestjs/common';
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
  controllers: [OidcController],
  providers: [OidcPayloads, OidcKeys, OidcProviderHost],
})
export class OidcModule {}
