import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { PermissionLevel } from '@roster/contracts/permissions';
import { PermissionLevelEnum } from './permission-level.enum';

@ObjectType('Role', { description: "A named set of permissions of the organization: built in, or shaped by the organization's admins." })
export class RoleModel {
  @Field(() => ID, { description: 'Identifies the role (e.g. as roleId).' })
  id: string;

  @Field({
    description:
      'Stable key for integrators: ADMIN, MANAGER, MEMBER, VIEWER for the built-in roles; made from the name when a custom role is created, and kept when it is renamed.',
  })
  key: string;

  @Field({ description: 'Display name, unique in the organization (whatever the case).' })
  name: string;

  @Field({ description: 'What the role is for (may be empty).' })
  description: string;

  @Field({ description: 'A built-in role: read-only (it may be duplicated into a custom role).' })
  builtIn: boolean;

  @Field(() => [String], { description: 'Permissions granted, e.g. "users:read".' })
  permissions: string[];

  /** Counted when asked (the `holders` field), unless already known. */
  holders?: number;

  @Field(() => PermissionLevelEnum, { description: 'A quick level summarising the permissions.' })
  permissionLevel: PermissionLevel;

  @Field(() => Int, {
    description: 'A sort key derived from the permissions (lower first).',
    deprecationReason: 'Roles are compared by their permissions; sort by permissionLevel or list roles in the order `roles` answers.',
  })
  rank: number;

  @Field({ description: 'People of this role must use two-factor authentication (the two-factor policy).' })
  requireTwoFactor: boolean;
}

@ObjectType('Permission', { description: 'One permission of the vocabulary roles are made of, explained in the caller’s language.' })
export class PermissionModel {
  @Field({ description: 'The permission as roles list it, e.g. "users:read".' })
  key: string;

  @Field({ description: 'A short name, e.g. "See people".' })
  label: string;

  @Field({ description: 'One line saying what it allows.' })
  description: string;

  @Field({
    description:
      'The area it belongs to, its part before ":" (users, teams, roles, audit, tokens, sso, oidc-clients, webhooks): the Roles page groups by it.',
  })
  area: string;
}
