import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { InvitationsModule } from '../invitations/invitations.module';
import { RolesModule } from '../roles/roles.module';
import { TwoFactorModule } from '../two-factor/two-factor.module';
import { UsersModule } from '../users/users.module';
import { OperatorsResolver } from './operators.resolver';
import { OrganizationDeletion } from './organization-deletion';
import { MeOrganizationResolver, OrganizationsResolver } from './organizations.resolver';
import { OrganizationsService } from './organizations.service';

/** Organizations (table organizations): every organization's rows carry its id. Platform operators run them. */
@Module({
  imports: [AuditModule, InvitationsModule, RolesModule, TwoFactorModule, UsersModule],
  providers: [OrganizationsService, OrganizationDeletion, MeOrganizationResolver, OrganizationsResolver, OperatorsResolver],
  exports: [OrganizationsService],
})
export class OrganizationsModule {}
