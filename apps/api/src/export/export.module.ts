import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { RolesModule } from '../roles/roles.module';
import { TeamsModule } from '../teams/teams.module';
import { UsersModule } from '../users/users.module';
import { ExportController } from './export.controller';
import { ExportService } from './export.service';

/** `GET /api/export/users`: the users list as CSV or XLSX, streamed. */
@Module({ imports: [AuditModule, RolesModule, TeamsModule, UsersModule], controllers: [ExportController], providers: [ExportService] })
export class ExportModule {}
