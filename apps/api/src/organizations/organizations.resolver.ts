import { ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../core/access/access.decorators';
import type { Principal } from '../core/access/principal';
import { MeModel } from '../users/user.model';
import { OrganizationModel } from './organization.model';
import { OrganizationsService } from './organizations.service';

/** What the signed-in person sees of organizations (`me` itself is answered by auth/). */
@Resolver(() => MeModel)
export class MeOrganizationResolver {
  constructor(private readonly organizations: OrganizationsService) {}

  @ResolveField(() => OrganizationModel, { description: 'The organization this request acts in.' })
  organization(): Promise<OrganizationModel> {
    return this.organizations.current();
  }

  @ResolveField(() => Boolean, {
    description: 'Whether they are a platform operator (organizations, operators), signed in to the console; false for API tokens.',
  })
  operator(@CurrentPrincipal() me: Principal): boolean {
    return me.via === 'cookie' && me.operator;
  }
}
