import { ParseUUIDPipe } from '@nestjs/common';
import { Args, Field, ID, InputType, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { Transform } from 'class-transformer';
import { ALL_PERMISSIONS, Permission } from '@roster/contracts/permissions';
import { CurrentPrincipal, RequirePermission } from '../core/access/access.decorators';
import { organizationOf, type Principal } from '../core/access/principal';
import { OmittableNotNull, RoleName } from '../core/graphql/validators';
import { PermissionModel, RoleModel } from './role.model';
import { RolesService } from './roles.service';

const trim = Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

@InputType({ description: 'A new custom role.' })
export class CreateRoleInput {
  @Field({ description: '1 to 50 characters, unique in the organization (whatever the case).' })
  @RoleName()
  name: string;

  @Field(() => String, { nullable: true, description: 'What the role is for: up to 200 characters (empty when left out).' })
  @IsOptional()
  @trim
  @IsString()
  @MaxLength(200)
  description?: string | null;

  @Field(() => [String], { description: 'At least one permission of the vocabulary (see `permissions`), each within your own.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(ALL_PERMISSIONS.length * 2)
  @IsIn(ALL_PERMISSIONS, { each: true })
  permissions: string[];
}

@InputType({ description: 'Changes to a custom role: what is left out stays.' })
export class UpdateRoleInput {
  @Field(() => ID, { description: 'The role to change.' })
  @IsUUID()
  id: string;

  @Field(() => String, { nullable: true, description: 'A new name: 1 to 50 characters, unique in the organization (whatever the case).' })
  @OmittableNotNull()
  @RoleName()
  name?: string;

  @Field(() => String, { nullable: true, description: 'A new description: up to 200 characters.' })
  @OmittableNotNull()
  @trim
  @IsString()
  @MaxLength(200)
  description?: string;

  @Field(() => [String], { nullable: true, description: 'The new set of permissions: at least one, each within your own.' })
  @OmittableNotNull()
  @ArrayMinSize(1)
  @ArrayMaxSize(ALL_PERMISSIONS.length * 2)
  @IsIn(ALL_PERMISSIONS, { each: true })
  permissions?: string[];
}

@Resolver(() => RoleModel)
export class RolesResolver {
  constructor(private readonly service: RolesService) {}

  @Query(() => [RoleModel], { description: 'Roles of the current organization (built-in and custom), most powerful first.' })
  @RequirePermission(Permission.RolesRead)
  roles(@CurrentPrincipal() actor: Principal): Promise<RoleModel[]> {
    return this.service.list(organizationOf(actor), undefined, true);
  }

  @Query(() => [PermissionModel], {
    description: "The permission vocabulary roles are made of, in its order, explained in the caller's language.",
  })
  @RequirePermission(Permission.RolesRead)
  async permissions(@CurrentPrincipal() actor: Principal): Promise<PermissionModel[]> {
    organizationOf(actor);
    return this.service.permissions(await this.service.languageOf(actor.userId));
  }

  @ResolveField(() => Int, { description: 'How many people of the organization (any status) hold the role.' })
  holders(@Parent() role: RoleModel, @CurrentPrincipal() actor: Principal): Promise<number> | number {
    return role.holders ?? this.service.holdersOf(organizationOf(actor), role.id);
  }

  @Mutation(() => RoleModel, {
    description:
      'Creates a custom role within your own permissions (ROLE_NOT_GRANTABLE otherwise); ROLE_NAME_TAKEN when the name is in use (whatever the case).',
  })
  @RequirePermission(Permission.RolesManage)
  createRole(
    @CurrentPrincipal() actor: Principal,
    @Args('input', { description: 'The role.' }) input: CreateRoleInput,
  ): Promise<RoleModel> {
    return this.service.create(actor, { name: input.name, description: input.description ?? '', permissions: input.permissions });
  }

  @Mutation(() => RoleModel, {
    description:
      'Changes a custom role (ROLE_BUILT_IN for a built-in one): only a role within your permissions, to permissions within them (ROLE_NOT_GRANTABLE); LAST_MANAGER when nobody active could manage roles and people afterwards.',
  })
  @RequirePermission(Permission.RolesManage)
  updateRole(
    @CurrentPrincipal() actor: Principal,
    @Args('input', { description: 'The changes.' }) input: UpdateRoleInput,
  ): Promise<RoleModel> {
    const { id, ...changes } = input;
    return this.service.update(actor, id, changes);
  }

  @Mutation(() => Boolean, {
    description:
      'Deletes a custom role. People (any status), API tokens or the single sign-on connection holding it move to `replacementRoleId` in the same change (capped tokens whose owner lacks its permissions are revoked); without one, ROLE_IN_USE with extensions.holders and extensions.tokens.',
  })
  @RequirePermission(Permission.RolesManage)
  deleteRole(
    @CurrentPrincipal() actor: Principal,
    @Args('id', { type: () => ID, description: 'The role to delete.' }, new ParseUUIDPipe()) id: string,
    @Args(
      'replacementRoleId',
      { type: () => ID, nullable: true, description: 'The role its holders move to (required when someone or something holds it).' },
      new ParseUUIDPipe({ optional: true }),
    )
    replacementRoleId?: string | null,
  ): Promise<boolean> {
    return this.service.delete(actor, id, replacementRoleId ?? null);
  }
}
