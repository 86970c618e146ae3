import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ErrorCode } from '@roster/contracts/errors';
import { canGrantRole, Permission } from '@roster/contracts/permissions';
import { AppError, notFound } from '../core/errors/app-error';
import { AuditService } from '../audit/audit.service';
import { organizationOf, type Principal } from '../core/access/principal';
import { CredentialHooks } from '../core/access/credential-hooks';
import { PrincipalCache } from '../core/access/principal-cache';
import { hashToken, newToken } from '../core/access/tokens';
import { RolesService } from '../roles/roles.service';
import { AccountsService } from '../users/accounts.service';
import { UserStatus } from '../users/users.enums';
import { API_TOKEN_PREFIX } from './api-token-auth.service';
import { AllApiTokensArgs, ApiTokenModel, ApiTokenPage, ApiTokenStatus, CreateApiTokenInput, CreatedApiToken } from './api-token.model';
import { likePattern, normaliseSearch } from '../core/graphql/search';
import { OrgDb } from '../core/database/org-db';

const SELECT = `SELECT t.id, t.name, t.prefix, t.user_id, u.email, cr.name AS role_name, cr.key AS role_key, t.created_at, t.expires_at, t.last_used_at
  FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN roles cr ON cr.id = t.role_id`;

/** The same, with the creation time to the microsecond for the page cursor. */
const SELECT_PAGE = SELECT.replace(
  'SELECT t.id,',
  `SELECT to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at, t.id,`,
);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

function decodeTokenCursor(cursor: string): [string, string] {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded.length === 2) {
      const [at, id] = decoded as unknown[];
      // The instant must exist (Date.parse would accept 30 February, which PostgreSQL refuses).
      const real = typeof at === 'string' && INSTANT.test(at) && new Date(Date.parse(at)).toISOString().slice(0, 19) === at.slice(0, 19);
      if (real && typeof id === 'string' && UUID.test(id)) {
        return [at, id];
      }
    }
  } catch {
    // reported below
  }
  throw new AppError(ErrorCode.BadUserInput, 'The page cursor is invalid.');
}

interface Row {
  id: string;
  name: string;
  prefix: string;
  user_id: string;
  email: string;
  role_name: string | null;
  role_key: string | null;
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
  roleKey: r.role_key,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  lastUsedAt: r.last_used_at,
});

@Injectable()
export class ApiTokensService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly orgDb: OrgDb,
    private readonly roles: RolesService,
    private readonly accounts: AccountsService,
    private readonly audit: AuditService,
    private readonly principals: PrincipalCache,
    credentials: CredentialHooks,
  ) {
    // A person deactivated everywhere loses every token for good (a reactivated person creates new ones);
    // deactivated in one organization, its tokens; a new password keeps them.
    credentials.onEnd('apiTokens', ['deactivated', 'left-organization'], async (tx, userId, _keep, organizationId) => {
      const [, n]: [unknown[], number] = await tx.query(
        `DELETE FROM api_tokens WHERE user_id = $1 AND ($2::uuid IS NULL OR organization_id = $2::uuid)`,
        [userId, organizationId],
      );
      return n;
    });
  }

  /** The tokens of the actor's organization: one person's (`userId`), or everyone's (at most 1,000); newest first. */
  async list(actor: Principal, userId: string | null): Promise<ApiTokenModel[]> {
    const organizationId = organizationOf(actor);
    const rows: Row[] = userId
      ? await this.db.query(`${SELECT} WHERE t.organization_id = $1 AND t.user_id = $2 ORDER BY t.created_at DESC`, [
          organizationId,
          userId,
        ])
      : await this.db.query(`${SELECT} WHERE t.organization_id = $1 ORDER BY t.created_at DESC LIMIT 1000`, [organizationId]);
    return rows.map(toModel);
  }

  /** Everyone's tokens in the actor's organization for the admins' page: newest first, filtered, cursor paged. */
  async page(actor: Principal, args: AllApiTokensArgs): Promise<ApiTokenPage> {
    const first = args.first ?? 50;
    const params: unknown[] = [organizationOf(actor)];
    const where: string[] = ['t.organization_id = $1'];
    const search = normaliseSearch(args.search);
    if (search) {
      params.push(likePattern(search));
      where.push(`(u.email LIKE $${params.length} OR lower(t.name) LIKE $${params.length})`);
    }
    if (args.status === ApiTokenStatus.ACTIVE) where.push(`(t.expires_at IS NULL OR t.expires_at > now())`);
    if (args.status === ApiTokenStatus.EXPIRED) where.push(`t.expires_at <= now()`);
    const filtered = `WHERE ${where.join(' AND ')}`;
    const countParams = [...params];
    if (args.after) {
      const [at, id] = decodeTokenCursor(args.after);
      params.push(at, id);
      where.push(`(t.created_at, t.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(first + 1);
    const rows: (Row & { cursor_at: string })[] = await this.db.query(
      `${SELECT_PAGE} WHERE ${where.join(' AND ')} ORDER BY t.created_at DESC, t.id DESC LIMIT $${params.length}`,
      params,
    );
    const total: { n: string }[] = await this.db.query(
      `SELECT count(*) AS n FROM api_tokens t JOIN users u ON u.id = t.user_id ${filtered}`,
      countParams,
    );
    const page = rows.slice(0, first);
    const last = page[page.length - 1];
    return {
      tokens: page.map(toModel),
      totalCount: Number(total[0].n),
      endCursor: last ? Buffer.from(JSON.stringify([last.cursor_at, last.id])).toString('base64url') : null,
      hasNextPage: rows.length > first,
    };
  }

  /**
   * A token of the actor acting in the actor's organization. Its role cap is one of that organization's
   * roles and never exceeds the creator's role there (their membership's, held until the token is
   * written, so a concurrent role change waits).
   */
  async create(actor: Principal, input: CreateApiTokenInput): Promise<CreatedApiToken> {
    const organizationId = organizationOf(actor);
    return this.orgDb.transaction(organizationId, async (tx) => {
      const membership = await this.accounts.membership(tx, organizationId, actor.userId, true);
      if (membership?.status !== UserStatus.ACTIVE) {
        throw new AppError(ErrorCode.Forbidden, 'Only active members of this organization create tokens in it.');
      }
      if (input.roleId) {
        const creator = await this.roles.byId(tx, organizationId, membership.role_id);
        const role = await this.roles.byId(tx, organizationId, input.roleId);
        if (!canGrantRole(creator.permissions, role.permissions)) {
          throw new AppError(ErrorCode.RoleNotGrantable, `A token cannot have more than your permissions (${role.name}).`);
        }
      }
      const secret = `${API_TOKEN_PREFIX}${newToken()}`;
      const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86400_000) : null;
      const rows: { id: string }[] = await tx.query(
        `INSERT INTO api_tokens (organization_id, user_id, name, prefix, token_hash, role_id, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [organizationId, actor.userId, input.name, secret.slice(0, 12), hashToken(secret), input.roleId ?? null, expiresAt],
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

  /**
   * Your own tokens; anyone's with tokens:manage-all; in the actor's organization only (another's
   * token is NOT_FOUND). Effective on the very next request.
   */
  async revoke(actor: Principal, id: string): Promise<boolean> {
    const organizationId = organizationOf(actor);
    const ownerId = await this.orgDb.transaction(organizationId, async (tx) => {
      const rows: Row[] = await tx.query(`${SELECT} WHERE t.id = $1 AND t.organization_id = $2 FOR UPDATE OF t`, [id, organizationId]);
      const token = rows[0];
      if (!token || (token.user_id !== actor.userId && !actor.permissions.includes(Permission.TokensManageAll)))
        throw notFound('API token');
      if (token.user_id !== actor.userId) {
        // Someone else's: only of a person whose role is within the actor's permissions.
        const owner = await this.accounts.membership(tx, organizationId, token.user_id);
        const role = owner && (await this.roles.byId(tx, organizationId, owner.role_id));
        if (role && !canGrantRole(actor.permissions, role.permissions)) {
          throw new AppError(ErrorCode.RoleNotGrantable, `You cannot revoke the tokens of someone with the ${role.name} role.`);
        }
      }
      await tx.query(`DELETE FROM api_tokens WHERE id = $1`, [id]);
      await this.audit.record(tx, actor, 'api_token.revoked', { id: token.user_id, email: token.email }, { tokenId: id, name: token.name });
      return token.user_id;
    });
    // This instance at once (the token's next request may come before PostgreSQL's announcement); the others when it arrives.
    this.principals.forget(ownerId);
    return true;
  }
}
