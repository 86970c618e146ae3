import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { RoleHolders } from '../roles/role-holders';

/**
 * Memberships hold roles: declared to roles/ (which cannot import users/), so a role deleted with a
 * replacement moves its members (any status) in the same transaction, and the role rules can ask who
 * is active in which role (the last person able to manage an organization, the actor's current role).
 */
@Injectable()
export class MembershipRoleHolder {
  constructor(holders: RoleHolders) {
    holders.register({
      name: 'holders',
      order: 0,
      count: async (tx, organizationId, roleId) => {
        const rows: { n: string }[] = await tx.query(`SELECT count(*) AS n FROM memberships WHERE organization_id = $1 AND role_id = $2`, [
          organizationId,
          roleId,
        ]);
        return Number(rows[0].n);
      },
      replace: async (tx, _actor, organizationId, role, replacement) => {
        const [, moved]: [unknown, number] = await tx.query(
          `UPDATE memberships SET role_id = $3 WHERE organization_id = $1 AND role_id = $2`,
          [organizationId, role.id, replacement.id],
        );
        return { holdersMoved: moved };
      },
    });
    holders.onMembers({
      anyActive: async (tx, organizationId, roleIds) => {
        const rows: unknown[] = await tx.query(
          `SELECT 1 FROM memberships WHERE organization_id = $1 AND status = 'ACTIVE' AND role_id = ANY($2::uuid[]) LIMIT 1`,
          [organizationId, roleIds],
        );
        return rows.length > 0;
      },
      activeRole: async (tx, organizationId, userId) => {
        const rows: { role_id: string }[] = await tx.query(
          `SELECT role_id FROM memberships WHERE organization_id = $1 AND user_id = $2 AND status = 'ACTIVE'`,
          [organizationId, userId],
        );
        return rows[0]?.role_id ?? null;
      },
      language: async (manager: EntityManager, userId) => {
        const rows: { language: string }[] = await manager.query(`SELECT language FROM users WHERE id = $1`, [userId]);
        return rows[0]?.language ?? 'en';
      },
      counts: async (manager: EntityManager, organizationId) => {
        const rows: { role_id: string; n: string }[] = await manager.query(
          `SELECT role_id, count(*) AS n FROM memberships WHERE organization_id = $1 GROUP BY role_id`,
          [organizationId],
        );
        return new Map(rows.map((r) => [r.role_id, Number(r.n)]));
      },
    });
  }
}
