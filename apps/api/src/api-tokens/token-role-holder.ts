import { Injectable } from '@nestjs/common';
import { canGrantRole } from '@roster/contracts/permissions';
import { AuditService } from '../audit/audit.service';
import { RoleHolders } from '../roles/role-holders';
import { RolesService } from '../roles/roles.service';
import { AccountsService } from '../users/accounts.service';
import { UserStatus } from '../users/users.enums';

/**
 * API tokens capped to a role hold it: when the role is deleted with a replacement, each token's cap
 * moves to the replacement, unless its owner (in their role as it is after their own move) does not
 * hold every permission of the replacement: that token is revoked, and the revocation audited. A
 * token never carries a cap above its owner's role.
 */
@Injectable()
export class TokenRoleHolder {
  constructor(holders: RoleHolders, roles: RolesService, accounts: AccountsService, audit: AuditService) {
    holders.register({
      name: 'tokens',
      order: 10,
      count: async (tx, organizationId, roleId) => {
        const rows: { n: string }[] = await tx.query(`SELECT count(*) AS n FROM api_tokens WHERE organization_id = $1 AND role_id = $2`, [
          organizationId,
          roleId,
        ]);
        return Number(rows[0].n);
      },
      replace: async (tx, actor, organizationId, role, replacement) => {
        const tokens: { id: string; user_id: string; name: string }[] = await tx.query(
          `SELECT id, user_id, name FROM api_tokens WHERE organization_id = $1 AND role_id = $2 ORDER BY created_at, id FOR UPDATE`,
          [organizationId, role.id],
        );
        const ownerMay = new Map<string, boolean>();
        const revoked: string[] = [];
        for (const token of tokens) {
          if (!ownerMay.has(token.user_id)) {
            const membership = await accounts.membership(tx, organizationId, token.user_id);
            const owner = membership?.status === UserStatus.ACTIVE ? await roles.byId(tx, organizationId, membership.role_id) : null;
            ownerMay.set(token.user_id, !!owner && canGrantRole(owner.permissions, replacement.permissions));
          }
          if (ownerMay.get(token.user_id)) continue;
          await tx.query(`DELETE FROM api_tokens WHERE id = $1`, [token.id]);
          const owner = await accounts.identity(tx, { id: token.user_id });
          await audit.record(
            tx,
            actor,
            'api_token.revoked',
            { id: token.user_id, email: owner?.email ?? null },
            { tokenId: token.id, name: token.name, reason: 'role_deleted', role: role.name },
          );
          revoked.push(token.id);
        }
        const [, moved]: [unknown, number] = await tx.query(
          `UPDATE api_tokens SET role_id = $3 WHERE organization_id = $1 AND role_id = $2`,
          [organizationId, role.id, replacement.id],
        );
        return { tokensMoved: moved, tokensRevoked: revoked.length };
      },
    });
  }
}
