import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { TeamsResolver } from './teams.resolver';
import { TeamsService } from './teams.service';
import { ScimTeams } from './scim-teams';

/** Teams and memberships (tables teams, user_teams). */
@Module({ imports: [AuditModule], providers: [TeamsService, TeamsResolver, ScimTeams], exports: [TeamsService, ScimTeams] })
export class TeamsModule {}
