import { ResolveField, Resolver } from '@nestjs/graphql';
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
}
