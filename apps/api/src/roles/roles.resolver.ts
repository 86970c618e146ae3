import { Query, Resolver } from '@nestjs/graphql';
import { Permission } from '@roster/contracts/permissions';
import { CurrentPrincipal, RequirePermission } from '../core/access/access.decorators';
import { organizationOf, type Principal } from '../core/access/principal';
import { RoleModel } from './role.model';
import { RolesService } from './roles.service';

@Resolver(() => RoleModel)
export class RolesResolver {
  constructor(private readonly service: RolesService) {}

  @Query(() => [RoleModel], { description: 'Roles of the current organization, most powerful first.' })
  @RequirePermission(Permission.RolesRead)
  roles(@CurrentPrincipal() actor: Principal): Promise<RoleModel[]> {
    return this.service.list(organizationOf(actor));
  }
}
