import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ArrayMaxSize, IsEnum, IsUUID } from 'class-validator';
import { RoleModel } from '../roles/role.model';
import { SsoTwoFactorMode } from './two-factor-policy.entity';

registerEnumType(SsoTwoFactorMode, {
  name: 'SsoTwoFactorMode',
  description:
    "Single sign-on and the two-factor policy: TRUST_PROVIDER (the identity provider's own MFA is enough) or REQUIRE_TOTP (people with Roster's two-factor authentication also enter a code, and required roles set it up).",
});

@ObjectType('TwoFactorRolePolicy', { description: 'One role under the two-factor policy.' })
export class TwoFactorRolePolicy {
  @Field(() => RoleModel, { description: 'The role.' })
  role: RoleModel;

  @Field({ description: 'Whether people of this role must use two-factor authentication.' })
  required: boolean;

  @Field(() => Int, { description: 'Active people with this role.' })
  activeMembers: number;

  @Field(() => Int, {
    description:
      'Active people with this role who would have to set up two-factor authentication at their next request if it were required (people who sign in only through single sign-on count only when the provider is not trusted).',
  })
  affected: number;
}

@ObjectType('TwoFactorPolicy', { description: 'Who must use two-factor authentication.' })
export class TwoFactorPolicyModel {
  @Field(() => SsoTwoFactorMode, { description: 'How single sign-on counts.' })
  ssoMode: SsoTwoFactorMode;

  @Field(() => [TwoFactorRolePolicy], { description: 'Every role, most powerful first.' })
  roles: TwoFactorRolePolicy[];
}

@InputType({ description: 'The whole two-factor policy.' })
export class SetTwoFactorPolicyInput {
  @Field(() => [ID], { description: 'The roles that require two-factor authentication (the others do not).' })
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  requiredRoleIds: string[];

  @Field(() => SsoTwoFactorMode, { description: 'How single sign-on counts.' })
  @IsEnum(SsoTwoFactorMode)
  ssoMode: SsoTwoFactorMode;
}
