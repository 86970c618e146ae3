import type { Type } from '@nestjs/common';
import { RESOLVER_TYPE_METADATA } from '@nestjs/graphql';
import { ApiTokensModule } from './api-tokens/api-tokens.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { EmailModule } from './email/email.module';
import { ExportModule } from './export/export.module';
import { HealthModule } from './health/health.module';
import { HostIdentityModule } from './host-identity/host-identity.module';
import { InvitationsModule } from './invitations/invitations.module';
import { OidcModule } from './oidc/oidc.module';
import { OrganizationsModule } from './organizations/organizations.module';
import { PasswordResetModule } from './password-reset/password-reset.module';
import { PlaygroundModule } from './playground/playground.module';
import { RolesModule } from './roles/roles.module';
import { ScimFallbackModule, ScimModule } from './scim/scim.module';
import { SessionsModule } from './sessions/sessions.module';
import { SsoModule } from './sso/sso.module';
import { TeamsModule } from './teams/teams.module';
import { TwoFactorModule } from './two-factor/two-factor.module';
import { UsersModule } from './users/users.module';
import { WebhooksModule } from './webhooks/webhooks.module';

/** Every capability, one Nest module each (the app composes them; the schema printer reads their resolvers). */
export const FEATURE_MODULES = [
  OrganizationsModule,
  AuditModule,
  RolesModule,
  TeamsModule,
  SessionsModule,
  ApiTokensModule,
  UsersModule,
  EmailModule,
  TwoFactorModule,
  AuthModule,
  InvitationsModule,
  PasswordResetModule,
  SsoModule,
  HostIdentityModule,
  OidcModule,
  ExportModule,
  ScimModule,
  WebhooksModule,
  HealthModule,
  PlaygroundModule,
  // Last: its catch-all route under /scim answers after every SCIM route.
  ScimFallbackModule,
];

/** The GraphQL resolvers among the features' providers (for printing the schema without a database). */
export function featureResolvers(): Type[] {
  return FEATURE_MODULES.flatMap((m) => (Reflect.getMetadata('providers', m) ?? []) as unknown[]).filter(
    (p): p is Type => typeof p === 'function' && Reflect.getMetadataKeys(p).includes(RESOLVER_TYPE_METADATA),
  );
}
