import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, RequireOperator } from '../core/access/access.decorators';
import type { Principal } from '../core/access/principal';
import { MeModel } from '../users/user.model';
import { CreateOrganizationInput, DeleteOrganizationInput, UpdateOrganizationInput } from './organization.inputs';
import { CreateOrganizationResult, OrganizationModel, OrganizationPage } from './organization.model';
import { OrganizationsService } from './organizations.service';
import { MAX_MY_ORGANIZATIONS, MAX_ORGANIZATION_SEARCH, MAX_ORGANIZATIONS_PAGE } from './organizations-page';

/**
 * What the signed-in person sees of organizations (`me` itself is answered by auth/). `me` also answers
 * signing in, registering and the first set-up, whose request carried no credential yet (or another
 * person's): then what the person's next request will act in is read for them.
 */
@Resolver(() => MeModel)
export class MeOrganizationResolver {
  constructor(private readonly service: OrganizationsService) {}

  @ResolveField(() => OrganizationModel, {
    nullable: true,
    description: 'The organization this request acts in; null when it acts in none (you belong to no active organization).',
  })
  organization(@Parent() me: MeModel, @CurrentPrincipal() principal: Principal | null | undefined): Promise<OrganizationModel | null> {
    const own = theirs(me, principal);
    if (own) return own.organization ? this.service.byId(own.organization.id) : Promise.resolve(null);
    return this.service.landing(me.user.id);
  }

  @ResolveField(() => [OrganizationModel], {
    description:
      'Your organizations (where your membership is active), the last used first; suspended ones too, with their status. An API token sees only its own.',
  })
  organizations(
    @Parent() me: MeModel,
    @CurrentPrincipal() principal: Principal | null | undefined,
    @Args('search', {
      type: () => String,
      nullable: true,
      description: `Only those whose slug or name contains this (any case), at most ${MAX_ORGANIZATION_SEARCH} characters.`,
    })
    search: string | null,
    @Args('first', { type: () => Int, defaultValue: 100, description: `How many, 1 to ${MAX_MY_ORGANIZATIONS}.` }) first: number,
  ): Promise<OrganizationModel[]> {
    // Just signed in: through the session they were given.
    return this.service.mine(theirs(me, principal) ?? { userId: me.user.id, via: 'cookie', organization: null }, search, first);
  }

  @ResolveField(() => Boolean, {
    description: 'Whether they are a platform operator (organizations, operators), signed in to the console; false for API tokens.',
  })
  operator(@Parent() me: MeModel, @CurrentPrincipal() principal: Principal | null | undefined): boolean | Promise<boolean> {
    const own = theirs(me, principal);
    // Without a credential of theirs, they just signed in to the console.
    return own ? own.via === 'cookie' && own.operator : this.service.isOperator(me.user.id);
  }
}

/** The request's principal when it is the person `me` describes (not so when they just signed in). */
function theirs(me: MeModel, principal: Principal | null | undefined): Principal | null {
  return principal && principal.userId === me.user.id ? principal : null;
}

/** The platform's organizations, for operators (signed in to the console; never API tokens). */
@Resolver()
export class OrganizationsResolver {
  constructor(private readonly service: OrganizationsService) {}

  @Query(() => OrganizationPage, {
    description: 'Every organization (operators only), by name, a page at a time; searched by slug or name.',
  })
  @RequireOperator()
  organizations(
    @Args('first', { type: () => Int, defaultValue: 50, description: `Page size, 1 to ${MAX_ORGANIZATIONS_PAGE}.` }) first: number,
    @Args('after', { type: () => String, nullable: true, description: 'The endCursor of the previous page.' }) after: string | null,
    @Args('search', { type: () => String, nullable: true, description: 'Only organizations whose slug or name contains this (any case).' })
    search: string | null,
  ): Promise<OrganizationPage> {
    return this.service.page(first, after, search);
  }

  @Mutation(() => CreateOrganizationResult, {
    description:
      "Creates an organization (operators only) with the built-in roles, and invites its first admin (Admin role): the invitation's URL is in the answer, as for any invitation. SLUG_TAKEN when another organization has the slug. Recorded as a platform event.",
  })
  @RequireOperator()
  createOrganization(
    @CurrentPrincipal() me: Principal,
    @Args('input', { description: 'Its name and slug, and its first admin.' }) input: CreateOrganizationInput,
  ): Promise<CreateOrganizationResult> {
    return this.service.create(me, input);
  }

  @Mutation(() => OrganizationModel, { description: 'Renames an organization (operators only). Recorded as a platform event.' })
  @RequireOperator()
  updateOrganization(
    @CurrentPrincipal() me: Principal,
    @Args('input', { description: 'The organization and its new name.' }) input: UpdateOrganizationInput,
  ): Promise<OrganizationModel> {
    return this.service.rename(me, input);
  }

  @Mutation(() => OrganizationModel, {
    description:
      'Suspends an organization (operators only): every request naming it, by cookie or token, is refused at once on every instance, until it is reactivated. Recorded as a platform event.',
  })
  @RequireOperator()
  suspendOrganization(
    @CurrentPrincipal() me: Principal,
    @Args('id', { type: () => ID, description: 'The organization.' }, new ParseUUIDPipe()) id: string,
  ): Promise<OrganizationModel> {
    return this.service.suspend(me, id);
  }

  @Mutation(() => OrganizationModel, {
    description:
      "Reactivates a suspended organization (operators only): its members' sessions and its API tokens work again. Recorded as a platform event.",
  })
  @RequireOperator()
  reactivateOrganization(
    @CurrentPrincipal() me: Principal,
    @Args('id', { type: () => ID, description: 'The organization.' }, new ParseUUIDPipe()) id: string,
  ): Promise<OrganizationModel> {
    return this.service.reactivate(me, id);
  }

  @Mutation(() => Boolean, {
    description:
      'Deletes an organization (operators only), confirmed by its slug (any case; CONFIRMATION_MISMATCH otherwise). It is refused everywhere and its slug free at once; its memberships, teams, roles, invitations, API tokens and policy then go, and so do the people who belong to no other organization and are not operators. Recorded as a platform event.',
  })
  @RequireOperator()
  deleteOrganization(
    @CurrentPrincipal() me: Principal,
    @Args('input', { description: 'The organization and its slug, typed as confirmation.' }) input: DeleteOrganizationInput,
  ): Promise<boolean> {
    return this.service.delete(me, input);
  }
}
