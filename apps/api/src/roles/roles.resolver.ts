import { Query, Resolver } from '@nestjs/graphql';
import { Permission } from '@roster/contracts/permissions';
import { RequirePermission } from '../core/access/access.decorators';
import { RoleModel } from './role.model';
import { RolesService } from './roles.service';

@Resolver(() => RoleModel)
export class RolesResolver {
  constructor(private readonly service: RolesService) {}

  @Query(() => [RoleModel], { description: 'Roles, most powerful first.' })
  @RequirePermission(Permission.RolesRead)
  roles(): Promise<RoleModel[]> {
    return this.service.list();
  }
}
