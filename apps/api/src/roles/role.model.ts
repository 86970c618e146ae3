import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { PermissionLevel } from '@roster/contracts/permissions';
import { PermissionLevelEnum } from './permission-level.enum';

@ObjectType('Role', { description: 'A named set of permissions.' })
export class RoleModel {
  @Field(() => ID, { description: 'Identifies the role (e.g. as roleId).' })
  id: string;

  @Field({ description: 'Stable key of a built-in role (ADMIN, MANAGER, MEMBER, VIEWER).' })
  key: string;

  @Field({ description: 'Display name.' })
  name: string;

  @Field(() => [String], { description: 'Permissions granted, e.g. "users:read".' })
  permissions: string[];

  @Field(() => PermissionLevelEnum, { description: 'A quick level summarising the permissions.' })
  permissionLevel: PermissionLevel;

  @Field(() => Int, { description: 'Lower is more powerful.' })
  rank: number;

  @Field({ description: 'People of this role must use two-factor authentication (the two-factor policy).' })
  requireTwoFactor: boolean;
}
