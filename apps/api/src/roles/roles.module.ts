import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { RoleHolders } from './role-holders';
import { RolesResolver } from './roles.resolver';
import { RolesService } from './roles.service';

/** Roles (table roles): each organization's built-in and custom roles. */
@Module({ imports: [AuditModule], providers: [RolesService, RolesResolver, RoleHolders], exports: [RolesService, RoleHolders] })
export class RolesModule {}
