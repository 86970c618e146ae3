import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { RolesModule } from '../roles/roles.module';
import { TeamsModule } from '../teams/teams.module';
import { ProfileService } from './profile.service';
import { UsersResolver } from './users.resolver';
import { UsersAdminService } from './users-admin.service';
import { UsersExportRows } from './users-export-rows.service';
import { UsersPageService } from './users-page.service';
import { AccountsService } from './accounts.service';
import { SearchCounts } from './search-counts';
import { MembershipRoleHolder } from './membership-role-holder';
import { ScimMembers } from './scim-members';
import { MemberRules } from './member-rules';
import { MembersProvisioning } from './provisioning.service';

/** People (table users): the users page, edits and deletion, profiles, the one place people are created, and SCIM's writes on members. */
@Module({
  imports: [AuditModule, RolesModule, TeamsModule],
  providers: [
    UsersPageService,
    AccountsService,
    UsersAdminService,
    UsersExportRows,
    ProfileService,
    UsersResolver,
    SearchCounts,
    MembershipRoleHolder,
    ScimMembers,
    MemberRules,
    MembersProvisioning,
  ],
  exports: [AccountsService, ProfileService, UsersExportRows, ScimMembers, MembersProvisioning],
})
export class UsersModule {}
