import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BUILT_IN_ROLES, RoleKey } from '@roster/contracts/permissions';

/** Keeps built-in roles' permissions equal to the shared vocabulary when it grows. */
@Injectable()
export class RolesSyncService implements OnApplicationBootstrap {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const key of Object.keys(BUILT_IN_ROLES) as RoleKey[]) {
      await this.db.query(
        `UPDATE roles SET permissions = $2 WHERE key = $1 AND built_in AND permissions IS DISTINCT FROM $2`,
        [key, [...BUILT_IN_ROLES[key].permissions]],
      );
    }
  }
}
