import { Injectable } from '@nestjs/common';
import { RoleHolders } from '../roles/role-holders';

/**
 * An organization's single sign-on connection holds its default role (people signing up through it get
 * that role): when the role is deleted with a replacement, the replacement becomes the default.
 */
@Injectable()
export class SsoRoleHolder {
  constructor(holders: RoleHolders) {
    holders.register({
      name: 'ssoDefault',
      order: 20,
      count: async (tx, organizationId, roleId) => {
        const rows: unknown[] = await tx.query(`SELECT 1 FROM sso_connections WHERE organization_id = $1 AND default_role_id = $2`, [
          organizationId,
          roleId,
        ]);
        return rows.length;
      },
      replace: async (tx, _actor, organizationId, role, replacement) => {
        const [, moved]: [unknown, number] = await tx.query(
          `UPDATE sso_connections SET default_role_id = $3, updated_at = now() WHERE organization_id = $1 AND default_role_id = $2`,
          [organizationId, role.id, replacement.id],
        );
        return { ssoDefaultMoved: moved };
      },
    });
  }
}
