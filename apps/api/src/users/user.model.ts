import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { PermissionLevel } from '@roster/contracts/permissions';
import { Language, PermissionLevelEnum, Theme, UserStatus } from '../core/enums';
import { RoleModel } from '../roles/role.model';
import { TeamModel } from '../teams/team.model';

@ObjectType('User', { description: 'A person on the platform: active, or invited and not yet registered.' })
export class UserModel {
  @Field(() => ID)
  id: string;

  @Field({ description: 'Login email, lower-case, unique.' })
  email: string;

  @Field({ description: 'Empty while invited.' })
  firstName: string;

  @Field({ description: 'Empty while invited.' })
  lastName: string;

  @Field(() => UserStatus)
  status: UserStatus;

  @Field(() => RoleModel)
  role: RoleModel;

  @Field(() => [TeamModel], { description: 'Teams, by name.' })
  teams: TeamModel[];

  @Field(() => PermissionLevelEnum, { description: 'Derived from the role.' })
  permissionLevel: PermissionLevel;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Last sign-in; null if never.' })
  lastSignInAt: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the pending invitation expires.' })
  invitationExpiresAt: Date | null;

  @Field({ description: 'Whether the person signs in with a second factor (TOTP).' })
  twoFactorEnabled: boolean;

  @Field(() => GraphQLISODateTime)
  createdAt: Date;
}

@ObjectType('PageInfo', { description: 'Cursor pagination (Relay style).' })
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field()
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true })
  startCursor: string | null;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

@ObjectType('UserEdge')
export class UserEdge {
  @Field()
  cursor: string;

  @Field(() => UserModel)
  node: UserModel;
}

@ObjectType('UserConnection', { description: 'One page of users.' })
export class UserConnection {
  @Field(() => [UserEdge])
  edges: UserEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  /** The normalised search, kept so the count runs only when totalCount is asked for. */
  search: string | null;
  count?: Promise<{ count: number; exact: boolean }>;
}

@ObjectType('Me', { description: 'The signed-in person, with their preferences and permissions.' })
export class MeModel {
  @Field(() => UserModel)
  user: UserModel;

  @Field(() => Language)
  language: Language;

  @Field(() => Theme)
  theme: Theme;

  @Field(() => [String], { description: 'Everything the person may do (from their role).' })
  permissions: string[];
}
