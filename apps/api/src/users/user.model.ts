import { Field, ID, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../core/graphql/date-time';
import { PermissionLevel } from '@roster/contracts/permissions';
import { EmailStatus } from '../email/email-status';
import { PermissionLevelEnum } from '../roles/permission-level.enum';
import { Language, Theme, TwoFactorState, UserStatus } from './users.enums';
import './users.enums.graphql';
import { RoleModel } from '../roles/role.model';
import { TeamModel } from '../teams/team.model';

@ObjectType('User', { description: 'A person on the platform: active, or invited and not yet registered.' })
export class UserModel {
  @Field(() => ID, { description: 'Identifies the person (e.g. in updateUser, deleteUser).' })
  id: string;

  @Field({ description: 'Login email, lower-case, unique.' })
  email: string;

  @Field({ description: 'Empty while invited.' })
  firstName: string;

  @Field({ description: 'Empty while invited.' })
  lastName: string;

  @Field(() => UserStatus, { description: 'ACTIVE, INVITED until they register, or DEACTIVATED (cannot sign in).' })
  status: UserStatus;

  @Field(() => RoleModel, { description: 'Their role, which gives their permissions.' })
  role: RoleModel;

  @Field(() => [TeamModel], { description: 'Teams, by name.' })
  teams: TeamModel[];

  @Field(() => PermissionLevelEnum, { description: 'Derived from the role.' })
  permissionLevel: PermissionLevel;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Last sign-in; null if never.' })
  lastSignInAt: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the pending invitation expires.' })
  invitationExpiresAt: Date | null;

  @Field(() => EmailStatus, {
    nullable: true,
    description:
      'For an invited person: delivery of the latest invitation email; null when no email was sent (outgoing email not configured).',
  })
  invitationEmailStatus: EmailStatus | null;

  @Field({ description: 'Whether the person signs in with a second factor (TOTP).' })
  twoFactorEnabled: boolean;

  @Field({
    description:
      "Whether the organization's identity provider made or adopted this membership through SCIM provisioning (it may change or remove it at its next sync).",
  })
  provisioned: boolean;

  @Field(() => String, {
    nullable: true,
    description: "The organization's identity provider's id for the person (SCIM externalId, exact case); null when none was sent.",
  })
  externalId: string | null;

  @Field(() => DateTimeScalar, { description: 'When the person was first invited or created.' })
  createdAt: Date;
}

@ObjectType('PageInfo', { description: 'Cursor pagination (Relay style).' })
export class PageInfo {
  @Field({ description: 'Whether rows follow this page (pass endCursor as after).' })
  hasNextPage: boolean;

  @Field({ description: 'Whether rows precede this page (pass startCursor as before).' })
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first row; null on an empty page.' })
  startCursor: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last row; null on an empty page.' })
  endCursor: string | null;
}

@ObjectType('UserEdge', { description: 'One row of the users table, with its cursor.' })
export class UserEdge {
  @Field({ description: 'Opaque; pass as after or before to page from this row.' })
  cursor: string;

  @Field(() => UserModel, { description: 'The person.' })
  node: UserModel;
}

@ObjectType('UserConnection', { description: 'One page of users.' })
export class UserConnection {
  @Field(() => [UserEdge], { description: 'The rows of this page, in the requested order.' })
  edges: UserEdge[];

  @Field(() => PageInfo, { description: 'Cursors and whether more pages exist.' })
  pageInfo: PageInfo;

  /** The organization, the normalised search and status filter, kept so the count runs only when totalCount is asked for. */
  organizationId: string;
  search: string | null;
  status: UserStatus | null;
  twoFactor: TwoFactorState | null;
  count?: Promise<{ count: number; exact: boolean }>;
}

@ObjectType('Me', { description: 'The signed-in person, with their preferences and permissions.' })
export class MeModel {
  @Field(() => UserModel, { description: 'The signed-in person.' })
  user: UserModel;

  @Field(() => Language, { description: 'Their console language.' })
  language: Language;

  @Field(() => Theme, { description: 'Their console theme.' })
  theme: Theme;

  @Field(() => [String], { description: 'Everything the person may do (from their role).' })
  permissions: string[];

  @Field({
    description:
      'Their role requires two-factor authentication and they have none: until they set it up, nothing but the set-up, signing out, language and theme is open to them.',
  })
  twoFactorSetupRequired: boolean;
}
