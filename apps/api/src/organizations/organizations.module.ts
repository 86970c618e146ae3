import { Module } from '@nestjs/common';
import { MeOrganizationResolver } from './organizations.resolver';
import { OrganizationsService } from './organizations.service';

/** Organizations (table organizations): every organization's rows carry its id. */
@Module({ providers: [OrganizationsService, MeOrganizationResolver], exports: [OrganizationsService] })
export class OrganizationsModule {}
