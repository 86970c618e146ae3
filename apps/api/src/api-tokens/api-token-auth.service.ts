import { Injectable } from '@nestjs/common';
import { ErrorCode } from '@roster/contracts/errors';
import { AppError } from '../core/errors/app-error';
import { hashToken } from '../core/access/tokens';
import type { OrganizationHeader } from '../core/access/organization-header';
import { organizationOfRow, type PrincipalFound } from '../core/access/principal-found';
import { PreparedStatements } from '../core/fast-path/prepared';

export const API_TOKEN_PREFIX = 'rst_';
const TOUCH_EVERY_MS = 60_000;

/** `Authorization: Bearer rst_…` → the token's owner, with at most the owner's permissions. */
@Injectable()
export class ApiTokenAuthService {
  constructor(private readonly prepared: PreparedStatements) {}

  /** The token's owner (capped) and when the token expires; UNAUTHENTICATED for a malformed, unknown, revoked or expired token. */
  async principalFor(authorization: string, header: OrganizationHeader): Promise<PrincipalFound<Date | null>> {
    const m = /^Bearer\s+(rst_[A-Za-z0-9_-]{20,100})\s*$/.exec(authorization);
    if (!m) throw new AppError(ErrorCode.Unauthenticated, 'The Authorization header must be "Bearer rst_…".');
    const rows = await this.prepared.query<{
      organization_id: string | null;
      organization_slug: string | null;
      organization_name: string | null;
      id: string;
      name: string;
      user_id: string;
      email: string;
      owner: string[];
      cap: string[] | null;
      role_key: string;
      role_name: string;
      last_used_at: Date | null;
      expires_at: Date | null;
    }>(
      `SELECT t.id, t.name, t.user_id, t.last_used_at, t.expires_at, u.email, r.permissions AS owner, cr.permissions AS cap,
              -- The role the token acts with: its cap's, else its owner's.
              coalesce(cr.key, r.key) AS role_key, coalesce(cr.name, r.name) AS role_name,
              o.id AS organization_id, o.slug AS organization_slug, o.name AS organization_name
         FROM api_tokens t JOIN users u ON u.id = t.user_id
         -- The owner's membership of the token's organization: their role there caps the token.
         JOIN memberships m ON m.organization_id = t.organization_id AND m.user_id = t.user_id AND m.status = 'ACTIVE'
         JOIN roles r ON r.id = m.role_id
         LEFT JOIN roles cr ON cr.id = t.role_id
         -- A token acts in its own organization only: none when it is suspended or the header names another.
         LEFT JOIN organizations o ON o.id = t.organization_id AND o.status = 'ACTIVE'
               AND ($2::uuid IS NULL OR o.id = $2::uuid) AND ($3::text IS NULL OR o.slug = $3::text)
        WHERE t.token_hash = $1 AND (t.expires_at IS NULL OR t.expires_at > now()) AND u.status = 'ACTIVE'`,
      [hashToken(m[1]), header.id, header.slug],
    );
    const row = rows[0];
    if (!row) throw new AppError(ErrorCode.Unauthenticated, 'This API token is unknown, revoked or expired.');
    if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > TOUCH_EVERY_MS) {
      await this.prepared.query(`UPDATE api_tokens SET last_used_at = now() WHERE id = $1`, [row.id]);
    }
    const cap = row.cap;
    const permissions = cap ? row.owner.filter((p) => cap.includes(p)) : row.owner;
    return {
      principal: {
        userId: row.user_id,
        email: row.email,
        sessionId: null,
        tokenId: row.id,
        tokenName: row.name,
        permissions,
        role: { key: row.role_key, name: row.role_name },
        via: 'bearer',
        operator: false,
      },
      expiresAt: row.expires_at,
      organization: organizationOfRow(row),
    };
  }
}
