import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { clearCookie, CookieOptions, setCookie } from '../core/http/cookies';
import type { CallerRequest, CallerResponse } from '../core/http/http-context';
import { DataSource, EntityManager } from 'typeorm';
import { Cookie } from '@roster/contracts/http';
import { APP_CONFIG, AppConfig } from '../core/config/config';
import { JanitorService } from '../core/database/janitor.service';
import { CredentialHooks } from '../core/access/credential-hooks';
import { PreparedStatements } from '../core/fast-path/prepared';
import { csrfFor, hashToken, newToken } from '../core/access/tokens';
import type { OrganizationHeader } from '../core/access/organization-header';
import { organizationOfRow, type PrincipalFound } from '../core/access/principal-found';
import { SessionEndHooks } from './session-end-hooks';

const TOUCH_EVERY_MS = 60_000;

/** Server-side sessions in PostgreSQL: any instance can check or revoke any session. */
@Injectable()
export class SessionService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly prepared: PreparedStatements,
    private readonly ends: SessionEndHooks,
    janitor: JanitorService,
    credentials: CredentialHooks,
  ) {
    janitor.expire('sessions', 'expires_at < now()');
    // A new password, or a deactivation, signs the person out everywhere (but the session changing the password).
    credentials.onEnd('sessions', ['password', 'deactivated'], (tx, userId, keep) => this.revokeAllFor(userId, keep, tx));
  }

  /**
   * Creates a session (inside the caller's transaction when given) and sets the cookies. `sso`: begun
   * through single sign-on (the two-factor policy may trust the provider's own MFA for those);
   * `ssoOrganizationId`: the organization whose provider it came through (one that requires single
   * sign-on admits only such sessions).
   */
  async start(
    userId: string,
    req: CallerRequest,
    res: CallerResponse,
    manager: EntityManager = this.db.manager,
    sso = false,
    ssoOrganizationId: string | null = null,
  ): Promise<string> {
    const token = newToken();
    const expiresAt = new Date(Date.now() + this.config.sessionTtlHours * 3600_000);
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO sessions (user_id, token_hash, last_seen_at, expires_at, ip, user_agent, sso, sso_organization_id)
       VALUES ($1, $2, now(), $3, $4, $5, $6, $7) RETURNING id`,
      [
        userId,
        hashToken(token),
        expiresAt,
        req.ip ?? null,
        (req.headers['user-agent'] ?? '').slice(0, 512) || null,
        sso || ssoOrganizationId !== null,
        ssoOrganizationId,
      ],
    );
    this.setCookies(res, token, expiresAt);
    return rows[0].id;
  }

  /**
   * The person behind a session cookie's value and when the session ends, or null (unknown, expired,
   * or the person is not active). One prepared statement; a second, at most once a minute, marks the
   * session active. A person whose role requires two-factor authentication and who has none is
   * flagged (unless the session came through single sign-on and the policy trusts the provider).
   */
  async principalForCookie(token: string, header: OrganizationHeader): Promise<PrincipalFound<Date> | null> {
    if (token.length < 20 || token.length > 100) return null;
    const rows = await this.prepared.query<{
      organization_id: string | null;
      organization_slug: string | null;
      organization_name: string | null;
      id: string;
      user_id: string;
      email: string;
      permissions: string[] | null;
      role_key: string | null;
      role_name: string | null;
      last_seen_at: Date;
      expires_at: Date;
      setup_required: boolean | null;
      operator: boolean;
      last_organization_id: string | null;
    }>(
      `SELECT s.id, s.user_id, s.last_seen_at, s.expires_at, u.email, u.operator, u.last_organization_id, r.permissions,
              r.key AS role_key, r.name AS role_name,
              r.require_two_factor
                AND NOT EXISTS (SELECT 1 FROM totp_secrets tf WHERE tf.user_id = u.id AND tf.enabled_at IS NOT NULL)
                AND (NOT s.sso OR EXISTS (SELECT 1 FROM two_factor_policy p
                                           WHERE p.organization_id = m.organization_id AND p.sso_mode = 'REQUIRE_TOTP')) AS setup_required,
              o.id AS organization_id, o.slug AS organization_slug, o.name AS organization_name
         FROM sessions s JOIN users u ON u.id = s.user_id
         -- The organization the request acts in: the one the header names, else the last one the person
         -- named, else the one they last connected to; an active membership of an active organization.
         LEFT JOIN LATERAL (
               SELECT m.organization_id, m.role_id FROM memberships m JOIN organizations o2 ON o2.id = m.organization_id
                WHERE m.user_id = u.id AND m.status = 'ACTIVE' AND o2.status = 'ACTIVE'
                  -- An organization that requires single sign-on admits only sessions begun through its provider.
                  AND (s.sso_organization_id = m.organization_id
                       OR NOT EXISTS (SELECT 1 FROM sso_connections c WHERE c.organization_id = m.organization_id AND c.require_sso))
                  AND ($2::uuid IS NULL OR m.organization_id = $2::uuid) AND ($3::text IS NULL OR o2.slug = $3::text)
                ORDER BY m.organization_id = u.last_organization_id DESC NULLS LAST, m.last_sign_in_at DESC NULLS LAST, m.joined_at
                LIMIT 1) m ON true
         LEFT JOIN organizations o ON o.id = m.organization_id
         LEFT JOIN roles r ON r.id = m.role_id
        WHERE s.token_hash = $1 AND s.expires_at > now() AND u.status = 'ACTIVE'`,
      [hashToken(token), header.id, header.slug],
    );
    const row = rows[0];
    if (!row) return null;
    if (Date.now() - row.last_seen_at.getTime() > TOUCH_EVERY_MS) {
      await this.prepared.query(`UPDATE sessions SET last_seen_at = now() WHERE id = $1`, [row.id]);
    }
    // A request naming another organization than the last one: it becomes the person's current one
    // (where requests naming none act, on every instance: the change is announced), and their last
    // connection there is now. Only on a switch, never on every request.
    if (row.organization_id !== null && (header.id !== null || header.slug !== null) && row.organization_id !== row.last_organization_id) {
      await this.enter(row.user_id, row.organization_id);
    }
    return {
      principal: {
        userId: row.user_id,
        email: row.email,
        sessionId: row.id,
        tokenId: null,
        permissions: row.permissions ?? [],
        role: row.role_key === null ? null : { key: row.role_key, name: row.role_name as string },
        via: 'cookie',
        operator: row.operator,
        twoFactorSetupRequired: row.setup_required === true,
      },
      expiresAt: row.expires_at,
      organization: organizationOfRow(row),
    };
  }

  /** The person now acts in this organization: their current one, and their last connection there. */
  async enter(userId: string, organizationId: string): Promise<void> {
    await this.prepared.query(
      `WITH m AS (UPDATE memberships SET last_sign_in_at = now() WHERE organization_id = $2 AND user_id = $1)
       UPDATE users SET last_organization_id = $2 WHERE id = $1 AND last_organization_id IS DISTINCT FROM $2`,
      [userId, organizationId],
    );
  }

  /** The organization whose identity provider began this session, or null (a password sign-in). */
  async ssoOrganizationOf(sessionId: string): Promise<string | null> {
    const rows: { sso_organization_id: string | null }[] = await this.db.query(`SELECT sso_organization_id FROM sessions WHERE id = $1`, [
      sessionId,
    ]);
    return rows[0]?.sso_organization_id ?? null;
  }

  /** Ends one session (a sign-out), and what was born from it (SessionEndHooks), in one transaction. */
  async revoke(sessionId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [rows]: [{ id: string; user_id: string }[], number] = await tx.query(
        `DELETE FROM sessions WHERE id = $1 RETURNING id, user_id`,
        [sessionId],
      );
      await this.ends.ended(tx, rows);
    });
  }

  /** Ends every session of a person, but the one given. Returns how many ended. */
  async revokeAllFor(userId: string, exceptSessionId: string | null = null, manager: EntityManager = this.db.manager): Promise<number> {
    const [rows]: [{ id: string; user_id: string }[], number] = await manager.query(
      `DELETE FROM sessions WHERE user_id = $1 AND ($2::uuid IS NULL OR id <> $2::uuid) RETURNING id, user_id`,
      [userId, exceptSessionId],
    );
    await this.ends.ended(manager, rows);
    return rows.length;
  }

  /** Ends the single sign-on sessions of these people (the policy now asks them for Roster's code too). Returns how many ended. */
  async revokeSsoOf(manager: EntityManager, userIds: string[]): Promise<number> {
    if (userIds.length === 0) return 0;
    const [rows]: [{ id: string; user_id: string }[], number] = await manager.query(
      `DELETE FROM sessions WHERE sso AND user_id = ANY($1::uuid[]) RETURNING id, user_id`,
      [userIds],
    );
    await this.ends.ended(manager, rows);
    return rows.length;
  }

  /** What was born from these sessions ends with them (SessionEndHooks), in the transaction that deleted them. */
  ended(tx: EntityManager, sessions: readonly { id: string; user_id: string }[]): Promise<void> {
    return this.ends.ended(tx, sessions);
  }

  private cookieOptions(httpOnly: boolean, expires?: Date): CookieOptions {
    // COOKIE_DOMAIN shares the session with the host application's subdomains; host-only without it.
    const domain = this.config.cookieDomain ?? undefined;
    return { httpOnly, secure: this.config.cookieSecure, sameSite: httpOnly ? 'lax' : 'strict', path: '/', expires, domain };
  }

  setCookies(res: CallerResponse, token: string, expiresAt: Date): void {
    setCookie(res, Cookie.Session, token, this.cookieOptions(true, expiresAt));
    setCookie(res, Cookie.Csrf, csrfFor(token), this.cookieOptions(false, expiresAt));
  }

  clearCookies(res: CallerResponse): void {
    clearCookie(res, Cookie.Session, this.cookieOptions(true));
    clearCookie(res, Cookie.Csrf, this.cookieOptions(false));
  }
}
