import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { TeamsResolver } from './teams.resolver';
import { TeamsService } from './teams.service';

/** Teams and memberships (tables teams, user_teams). */
@Module({ imports: [AuditModule], providers: [TeamsService, TeamsResolver], exports: [TeamsService] })
export class TeamsModule {}
