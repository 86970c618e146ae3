import { Args, Int, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, RequireOperator } from '../core/access/access.decorators';
import type { Principal } from '../core/access/principal';
import { MeModel } from '../users/user.model';
import { OrganizationModel, OrganizationPage } from './organization.model';
import { OrganizationsService } from './organizations.service';
import { MAX_ORGANIZATIONS_PAGE } from './organizations-page';

/** What the signed-in person sees of organizations (`me` itself is answered by auth/). */
@Resolver(() => MeModel)
export class MeOrganizationResolver {
  constructor(private readonly organizations: OrganizationsService) {}

  @ResolveField(() => OrganizationModel, {
    nullable: true,
    description: 'The organization this request acts in; null when it acts in none (you belong to no active organization).',
  })
  organization(@CurrentPrincipal() me: Principal): Promise<OrganizationModel | null> {
    return me.organization ? this.organizations.byId(me.organization.id) : Promise.resolve(null);
  }

  @ResolveField(() => Boolean, {
    description: 'Whether they are a platform operator (organizations, operators), signed in to the console; false for API tokens.',
  })
  operator(@CurrentPrincipal() me: Principal): boolean {
    return me.via === 'cookie' && me.operator;
  }
}

/** The platform's organizations, for operators. */
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
}
