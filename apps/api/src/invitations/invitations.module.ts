import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { RolesModule } from '../roles/roles.module';
import { SessionsModule } from '../sessions/sessions.module';
import { TeamsModule } from '../teams/teams.module';
import { UsersModule } from '../users/users.module';
import { EmailModule } from '../email/email.module';
import { InvitationsResolver } from './invitations.resolver';
import { InvitationsService } from './invitations.service';
import { SetupService } from './setup.service';
import { ProvisionedInvitations } from './provisioned-invitations';

/** Invitations and the first admin's set-up URL (tables invitations, setup_tokens). */
@Module({
  imports: [AuditModule, RolesModule, TeamsModule, SessionsModule, UsersModule, EmailModule],
  providers: [InvitationsService, SetupService, InvitationsResolver, ProvisionedInvitations],
  exports: [InvitationsService],
})
export class InvitationsModule {}
