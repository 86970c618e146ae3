import { Query, Resolver } from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Permission, permissionLevel } from '@roster/contracts/permissions';
import { RequirePermission } from '../auth/access.decorators';
import { RoleModel } from './role.model';

@Resolver(() => RoleModel)
export class RolesResolver {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Query(() => [RoleModel], { description: 'Roles, most powerful first.' })
  @RequirePermission(Permission.RolesRead)
  async roles(): Promise<RoleModel[]> {
    const rows: { id: string; key: string; name: string; permissions: string[]; rank: number }[] = await this.db.query(
      `SELECT id, key, name, permissions, rank FROM roles ORDER BY rank, name`,
    );
    return rows.map((r) => ({ ...r, permissionLevel: permissionLevel(r.permissions) }));
  }
}
