import { Module } from '@nestjs/common';
import { OidcPayloads } from './oidc-payloads';

/** Roster as an OpenID Provider (tables oidc_clients, oidc_payloads, oidc_signing_keys). */
@Module({
  providers: [OidcPayloads],
})
export class OidcModule {}
