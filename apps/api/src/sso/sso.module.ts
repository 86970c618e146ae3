import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { InvitationsModule } from '../invitations/invitations.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { RolesModule } from '../roles/roles.module';
import { SessionsModule } from '../sessions/sessions.module';
import { TwoFactorModule } from '../two-factor/two-factor.module';
import { UsersModule } from '../users/users.module';
import { SsoController } from './sso.controller';
import { SsoService } from './sso.service';
import { SsoConnectionsService } from './sso-connections.service';
import { SsoIdentitiesService } from './sso-identities.service';
import { SsoRoleHolder } from './sso-role-holder';
import { OrganizationDomainsResolver, SsoConnectionsResolver } from './sso-connections.resolver';

/** Single sign-on with OpenID Connect, one connection per organization (tables oidc_states, sso_connections, organization_domains, sso_identities). */
@Module({
  imports: [AuditModule, AuthModule, InvitationsModule, OrganizationsModule, RolesModule, SessionsModule, TwoFactorModule, UsersModule],
  controllers: [SsoController],
  providers: [SsoService, SsoConnectionsService, SsoIdentitiesService, SsoConnectionsResolver, OrganizationDomainsResolver, SsoRoleHolder],
  // SCIM provisions people with the connection's default role.
  exports: [SsoConnectionsService],
})
export class SsoModule {}
