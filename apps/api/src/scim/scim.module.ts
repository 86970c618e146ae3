import { Module } from '@nestjs/common';
import { PasswordResetModule } from '../password-reset/password-reset.module';
import { SsoModule } from '../sso/sso.module';
import { TeamsModule } from '../teams/teams.module';
import { UsersModule } from '../users/users.module';
import { ScimDiscoveryController, ScimFallbackController } from './discovery.controller';
import { ScimGroupsController } from './groups.controller';
import { ScimUsersReadController } from './users-read.controller';
import { ScimUsersWriteController } from './users-write.controller';

/**
 * SCIM 2.0 provisioning at `/scim/v2` (RFC 7643, RFC 7644): the protocol (routes, parsing, the
 * representation, errors) over the owners of people and teams; this feature owns no table.
 */
@Module({
  imports: [UsersModule, TeamsModule, SsoModule, PasswordResetModule],
  controllers: [ScimDiscoveryController, ScimUsersReadController, ScimUsersWriteController, ScimGroupsController],
})
export class ScimModule {}

/** The SCIM 404 for every other path under /scim: listed after every feature, so its routes come last. */
@Module({ controllers: [ScimFallbackController] })
export class ScimFallbackModule {}
