import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { UsersModule } from '../users/users.module';
import { OperatorsResolver } from './operators.resolver';
import { MeOrganizationResolver, OrganizationsResolver } from './organizations.resolver';
import { OrganizationsService } from './organizations.service';

/** Organizations (table organizations): every organization's rows carry its id. Platform operators run them. */
@Module({
  imports: [AuditModule, UsersModule],
  providers: [OrganizationsService, MeOrganizationResolver, OrganizationsResolver, OperatorsResolver],
  exports: [OrganizationsService],
})
export class OrganizationsModule {}
