import { Args, ID, Info, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { GraphQLResolveInfo } from 'graphql';
import { ErrorCode, DELETE_CONFIRMATION_WORD } from '@roster/contracts/errors';
import { Permission } from '@roster/contracts/permissions';
import { ParseUUIDPipe } from '@nestjs/common';
import { AppError } from '../core/errors/app-error';
import { selectedPaths } from '../core/graphql/selection';
import { Authenticated, CurrentPrincipal, RequirePermission } from '../core/access/access.decorators';
import { organizationOf, type Principal } from '../core/access/principal';
import { DeleteUserInput, UpdateMyProfileInput, UpdateUserInput } from './dto/user.inputs';
import { UsersArgs } from './dto/users.args';
import { ProfileService } from './profile.service';
import { MeModel, UserConnection, UserModel } from './user.model';
import { UsersPageService } from './users-page.service';
import { UsersAdminService } from './users-admin.service';
import { AccountsService } from './accounts.service';

@Resolver(() => UserConnection)
export class UsersResolver {
  constructor(
    private readonly pages: UsersPageService,
    private readonly accounts: AccountsService,
    private readonly admin: UsersAdminService,
    private readonly profile: ProfileService,
  ) {}

  @Query(() => UserConnection, { description: 'The users table: search by email, sort by any column, cursor pages.' })
  @RequirePermission(Permission.UsersRead)
  users(@CurrentPrincipal() actor: Principal, @Args() args: UsersArgs, @Info() info: GraphQLResolveInfo): Promise<UserConnection> {
    const asked = selectedPaths(info);
    // The current organization's members only; a person of another organization is not found here.
    return this.pages.page({
      ...args,
      organizationId: organizationOf(actor),
      withCount: asked.has('totalCount') || asked.has('totalCountIsExact'),
      fields: {
        teams: asked.has('edges.node.teams'),
        teamIds: asked.has('edges.node.teams.id'),
        twoFactorEnabled: asked.has('edges.node.twoFactorEnabled'),
        invitation: asked.has('edges.node.invitationExpiresAt'),
        invitationEmail: asked.has('edges.node.invitationEmailStatus'),
        lastSignInAt: asked.has('edges.node.lastSignInAt'),
        createdAt: asked.has('edges.node.createdAt'),
        provisioned: asked.has('edges.node.provisioned'),
        externalId: asked.has('edges.node.externalId'),
      },
    });
  }

  @Query(() => UserModel, { description: 'One person, active or invited; NOT_FOUND if there is none.' })
  @RequirePermission(Permission.UsersRead)
  user(
    @CurrentPrincipal() actor: Principal,
    @Args('id', { type: () => ID, description: "The person's id." }, new ParseUUIDPipe()) id: string,
  ): Promise<UserModel> {
    return this.accounts.findById(organizationOf(actor), id);
  }

  @ResolveField(() => Int, { description: 'Users matching the search (exact up to 50,000 for searches).' })
  totalCount(@Parent() page: UserConnection): Promise<number> {
    page.count ??= this.pages.count(page.organizationId, page.search, page.status, page.twoFactor);
    return page.count.then((c) => c.count);
  }

  @ResolveField(() => Boolean, { description: 'False when a search matched more than 50,000 users.' })
  totalCountIsExact(@Parent() page: UserConnection): Promise<boolean> {
    page.count ??= this.pages.count(page.organizationId, page.search, page.status, page.twoFactor);
    return page.count.then((c) => c.exact);
  }

  @Mutation(() => UserModel, { description: 'Edits names, role and teams.' })
  @RequirePermission(Permission.UsersWrite)
  updateUser(
    @CurrentPrincipal() actor: Principal,
    @Args('input', { description: 'Who, and what changes.' }) input: UpdateUserInput,
  ): Promise<UserModel> {
    const { id, ...changes } = input;
    return this.admin.update(actor, id, changes);
  }

  @Mutation(() => Boolean, {
    description:
      'Removes a person from the current organization at once (and deletes them when they belong to no other); needs confirmation "DELETE".',
  })
  @RequirePermission(Permission.UsersDelete)
  async deleteUser(
    @CurrentPrincipal() actor: Principal,
    @Args('input', { description: 'Who, and the confirmation word.' }) input: DeleteUserInput,
  ): Promise<boolean> {
    if (input.confirmation !== DELETE_CONFIRMATION_WORD) {
      throw new AppError(ErrorCode.ConfirmationMismatch, `Type ${DELETE_CONFIRMATION_WORD} to confirm.`);
    }
    await this.admin.delete(actor, input.id);
    return true;
  }

  @Mutation(() => UserModel, {
    description:
      'Deactivates a person in the current organization: they keep their data, teams and history but cannot act in it; their API tokens of it end at once, and their sessions too when no organization keeps them active.',
  })
  @RequirePermission(Permission.UsersWrite)
  deactivateUser(
    @CurrentPrincipal() actor: Principal,
    @Args('id', { type: () => ID, description: 'The person to deactivate.' }, new ParseUUIDPipe()) id: string,
  ): Promise<UserModel> {
    return this.admin.setActive(actor, id, false);
  }

  @Mutation(() => UserModel, { description: 'Lets a deactivated person act in the current organization again.' })
  @RequirePermission(Permission.UsersWrite)
  reactivateUser(
    @CurrentPrincipal() actor: Principal,
    @Args('id', { type: () => ID, description: 'The person to reactivate.' }, new ParseUUIDPipe()) id: string,
  ): Promise<UserModel> {
    return this.admin.setActive(actor, id, true);
  }

  @Mutation(() => MeModel, { description: 'Your names, language and theme (from the console, not with API tokens).' })
  @Authenticated({ sessionOnly: true, duringTwoFactorSetup: true })
  updateMyProfile(
    @CurrentPrincipal() me: Principal,
    @Args('input', { description: 'Only the fields to change.' }) input: UpdateMyProfileInput,
  ): Promise<MeModel> {
    return this.profile.update(me, input);
  }
}
