import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ErrorCode } from '@roster/contracts/errors';
import { canGrantRole, Permission } from '@roster/contracts/permissions';
import { AppError, notFound } from '../core/app-error';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../core/access/principal';
import { hashToken, newToken } from '../core/access/tokens';
import { RolesService } from '../roles/roles.service';
import { API_TOKEN_PREFIX } from './api-token-auth.service';
import { ApiTokenModel, CreateApiTokenInput, CreatedApiToken } from './api-token.model';

const SELECT = `SELECT t.id, t.name, t.prefix, t.user_id, u.email, cr.name AS role_name, t.created_at, t.expires_at, t.last_used_at
  FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN roles cr ON cr.id = t.role_id`;

interface Row {
  id: string;
  name: string;
  prefix: string;
  user_id: string;
  email: string;
  role_name: string | null;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
}

const toModel = (r: Row): ApiTokenModel => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  ownerId: r.user_id,
  ownerEmail: r.email,
  roleName: r.role_name,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  lastUsedAt: r.last_used_at,
});

@Injectable()
export class ApiTokensService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly roles: RolesService,
    private readonly audit: AuditService,
  ) {}

  async list(userId: string | null): Promise<ApiTokenModel[]> {
    const rows: Row[] = userId
      ? await this.db.query(`${SELECT} WHERE t.user_id = $1 ORDER BY t.created_at DESC`, [userId])
      : await this.db.query(`${SELECT} ORDER BY t.created_at DESC LIMIT 1000`);
    return rows.map(toModel);
  }

  async create(actor: Principal, input: CreateApiTokenInput): Promise<CreatedApiToken> {
    return this.db.transaction(async (tx) => {
      if (input.roleId) {
        const role = await this.roles.byId(tx, input.roleId);
        if (!canGrantRole(actor.permissions, role.permissions)) {
          throw new AppError(ErrorCode.RoleNotGrantable, `A token cannot have more than your permissions (${role.name}).`);
        }
      }
      const secret = `${API_TOKEN_PREFIX}${newToken()}`;
      const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86400_000) : null;
      const rows: { id: string }[] = await tx.query(
        `INSERT INTO api_tokens (user_id, name, prefix, token_hash, role_id, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [actor.userId, input.name, secret.slice(0, 12), hashToken(secret), input.roleId ?? null, expiresAt],
      );
      await this.audit.record(
        tx,
        actor,
        'api_token.created',
        { id: actor.userId, email: actor.email },
        { tokenId: rows[0].id, name: input.name },
      );
      const created: Row[] = await tx.query(`${SELECT} WHERE t.id = $1`, [rows[0].id]);
      return { token: toModel(created[0]), secret };
    });
  }

  /** Your own tokens; anyone's with tokens:manage-all. Effective on the very next request. */
  async revoke(actor: Principal, id: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const rows: Row[] = await tx.query(`${SELECT} WHERE t.id = $1 FOR UPDATE OF t`, [id]);
      const token = rows[0];
      if (!token || (token.user_id !== actor.userId && !actor.permissions.includes(Permission.TokensManageAll)))
        throw notFound('API token');
      await tx.query(`DELETE FROM api_tokens WHERE id = $1`, [id]);
      await this.audit.record(tx, actor, 'api_token.revoked', { id: token.user_id, email: token.email }, { tokenId: id, name: token.name });
      return true;
    });
  }
}
