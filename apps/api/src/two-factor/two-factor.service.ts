import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CallerRequest, CallerResponse } from '../core/http/http-context';
import { randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import { DataSource, EntityManager } from 'typeorm';
import { ErrorCode } from '@roster/contracts/errors';
import { AppError, notFound } from '../core/errors/app-error';
import { SECRET_BOX, SecretBox } from '../core/security/secret-box';
import { AuditService } from '../audit/audit.service';
import { PasswordService } from '../core/security/password.service';
import type { Principal } from '../core/access/principal';
import { JanitorService } from '../core/database/janitor.service';
import { PrincipalCache } from '../core/access/principal-cache';
import { CredentialHooks } from '../core/access/credential-hooks';
import { ProfileService } from '../users/profile.service';
import { AccountsService } from '../users/accounts.service';
import { LIMITS } from '../core/security/limits';
import { RateLimitService } from '../core/security/rate-limit.service';
import { SessionService } from '../sessions/session.service';
import { hashToken, newToken } from '../core/access/tokens';
import { matchingStep, newTotpSecret, otpauthUri } from './totp';
import { TwoFactorSetup } from './two-factor.model';
import { TwoFactorPolicyService } from './two-factor-policy.service';

export const CHALLENGE_TTL_MS = 5 * 60_000;
export const CHALLENGE_MAX_ATTEMPTS = 5;
const ISSUER = 'Roster';
const RECOVERY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A person's TOTP state (a row of totp_secrets; all null without one). */
interface TotpRow {
  id: string;
  email: string;
  secret: string | null;
  pending_secret: string | null;
  enabled_at: Date | null;
  last_step: string | null;
}

type CodeCheck = 'ok' | 'invalid' | 'reused';

/** Two-factor authentication (TOTP, RFC 6238) with one-time recovery codes. */
@Injectable()
export class TwoFactorService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly limits: RateLimitService,
    private readonly accounts: AccountsService,
    private readonly profile: ProfileService,
    private readonly policy: TwoFactorPolicyService,
    private readonly principals: PrincipalCache,
    janitor: JanitorService,
    credentials: CredentialHooks,
  ) {
    janitor.expire('mfa_challenges', 'expires_at < now()');
    // A sign-in waiting for its code was begun with the old password, or by someone now deactivated.
    credentials.onEnd('challenges', ['password', 'deactivated'], async (tx, userId) => {
      const [, n]: [unknown[], number] = await tx.query(`DELETE FROM mfa_challenges WHERE user_id = $1`, [userId]);
      return n;
    });
  }

  async startSetup(me: Principal): Promise<TwoFactorSetup> {
    if (await this.enabled(this.db.manager, me.userId)) {
      throw new AppError(ErrorCode.TwoFactorAlreadyEnabled, 'Two-factor authentication is already enabled.');
    }
    const secret = newTotpSecret();
    await this.db.query(
      `INSERT INTO totp_secrets (user_id, pending_secret) VALUES ($1, $2) ON CONFLICT (user_id) DO UPDATE SET pending_secret = EXCLUDED.pending_secret`,
      [me.userId, this.box.seal(secret)],
    );
    const uri = otpauthUri(secret, me.email, ISSUER);
    return { secret, otpauthUri: uri, qrCodeDataUrl: await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 1, width: 240 }) };
  }

  /** Enables 2FA only if the code verifies against the pending secret; returns fresh recovery codes. */
  async completeSetup(me: Principal, code: string): Promise<string[]> {
    await this.limits.consume('totp', LIMITS.secondFactor, [me.userId]);
    const outcome = await this.db.transaction(async (tx) => {
      const totp = await this.lockTotp(tx, me.userId);
      if (totp?.enabled_at) throw new AppError(ErrorCode.TwoFactorAlreadyEnabled, 'Two-factor authentication is already enabled.');
      if (!totp?.pending_secret) throw new AppError(ErrorCode.TwoFactorSetupNotStarted, 'Start the set-up first.');
      const step = matchingStep(code, { secret: this.box.open(totp.pending_secret) });
      if (step === null) return null;
      await tx.query(
        `UPDATE totp_secrets SET secret = pending_secret, pending_secret = NULL, enabled_at = now(), last_step = $2 WHERE user_id = $1`,
        [me.userId, step],
      );
      const codes = await this.replaceRecoveryCodes(tx, me.userId);
      await this.audit.record(tx, me, 'user.2fa_enabled', { id: me.userId, email: me.email });
      return codes;
    });
    if (!outcome)
      throw new AppError(ErrorCode.TwoFactorCodeInvalid, 'That code is not right. Check the time on your device and try again.');
    // A person the policy held at the set-up may go on with their very next request, on this instance too.
    this.principals.forget(me.userId);
    await this.limits.refund('totp', LIMITS.secondFactor, me.userId);
    return outcome;
  }

  async disable(me: Principal, password: string, code: string): Promise<void> {
    await this.limits.consume('password-check', LIMITS.passwordCheck, [me.userId]);
    await this.limits.consume('totp', LIMITS.secondFactor, [me.userId]);
    if (!(await this.passwords.verify(await this.profile.passwordHash(me.userId), password))) {
      throw new AppError(ErrorCode.WrongPassword, 'The password is wrong.');
    }
    await this.limits.refund('password-check', LIMITS.passwordCheck, me.userId);
    const check = await this.db.transaction(async (tx) => {
      const user = await this.lockTotpUser(tx, me.userId);
      if (!user.secret) throw new AppError(ErrorCode.TwoFactorNotEnabled, 'Two-factor authentication is not enabled.');
      if (await this.policy.requiredFor(tx, me.userId)) {
        throw new AppError(ErrorCode.TwoFactorRequiredByPolicy, 'Your role requires two-factor authentication: it cannot be turned off.');
      }
      const result = await this.consumeCode(tx, user, code);
      if (result === 'ok') {
        await this.clear(tx, me.userId);
        await this.audit.record(tx, me, 'user.2fa_disabled', { id: me.userId, email: me.email });
      }
      return result;
    });
    if (check !== 'ok') this.refuseCode(check);
    await this.limits.refund('totp', LIMITS.secondFactor, me.userId);
  }

  /** For someone who lost their device: clears 2FA and signs them out everywhere. */
  async adminReset(actor: Principal, userId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const target = await this.accounts.target(tx, actor, userId, { personal: true });
      if (!(await this.enabled(tx, userId)))
        throw new AppError(ErrorCode.TwoFactorNotEnabled, 'This person has no two-factor authentication.');
      await this.clear(tx, userId);
      const ended = await this.sessions.revokeAllFor(userId, null, tx);
      await this.audit.record(tx, actor, 'user.2fa_reset', { id: userId, email: target.email }, { sessionsEnded: ended });
    });
    this.principals.forget(userId);
  }

  /** Whether the person has two-factor authentication on. */
  async enabled(manager: EntityManager, userId: string): Promise<boolean> {
    const rows: { on: boolean }[] = await manager.query(`SELECT enabled_at IS NOT NULL AS on FROM totp_secrets WHERE user_id = $1`, [
      userId,
    ]);
    return rows[0]?.on ?? false;
  }

  /**
   * After a correct password (or a single sign-on: `ssoOrganizationId`, whose provider it was): a
   * short-lived challenge instead of a session.
   */
  async createChallenge(
    userId: string,
    manager: EntityManager = this.db.manager,
    sso = false,
    ssoOrganizationId: string | null = null,
  ): Promise<{ token: string; expiresAt: Date }> {
    const token = newToken();
    const expiresAt = new Date(Date.now() + CHALLENGE_TTL_MS);
    await manager.query(
      `INSERT INTO mfa_challenges (user_id, token_hash, expires_at, sso, sso_organization_id) VALUES ($1, $2, $3, $4, $5)`,
      [userId, hashToken(token), expiresAt, sso || ssoOrganizationId !== null, ssoOrganizationId],
    );
    return { token, expiresAt };
  }

  /**
   * Completes sign-in with a TOTP code (once per time step) or an unused recovery code. The attempt
   * is counted before the transaction (the limiter uses its own pooled connection, never one
   * inside a transaction), so parallel guesses stop at the limit and nothing waits on itself.
   */
  async verifyChallenge(challengeToken: string, code: string, req: CallerRequest, res: CallerResponse): Promise<string> {
    const tokenHash = hashToken(challengeToken);
    const found: { user_id: string }[] = await this.db.query(
      `SELECT user_id FROM mfa_challenges WHERE token_hash = $1 AND expires_at > now()`,
      [tokenHash],
    );
    if (!found[0]) throw challengeExpired();
    const userId = found[0].user_id;
    await this.limits.consume('totp', LIMITS.secondFactor, [userId]);
    const result = await this.db.transaction(async (tx) => {
      const rows: { id: string; attempts: number; sso: boolean; sso_organization_id: string | null }[] = await tx.query(
        `SELECT id, attempts, sso, sso_organization_id FROM mfa_challenges WHERE token_hash = $1 AND expires_at > now() FOR UPDATE`,
        [tokenHash],
      );
      const challenge = rows[0];
      if (!challenge) throw challengeExpired();
      const user = await this.lockTotpUser(tx, userId);
      const check = user.secret ? await this.consumeCode(tx, user, code) : 'invalid';
      if (check !== 'ok') {
        if (challenge.attempts + 1 >= CHALLENGE_MAX_ATTEMPTS) await tx.query(`DELETE FROM mfa_challenges WHERE id = $1`, [challenge.id]);
        else await tx.query(`UPDATE mfa_challenges SET attempts = attempts + 1 WHERE id = $1`, [challenge.id]);
        return check;
      }
      await tx.query(`DELETE FROM mfa_challenges WHERE id = $1`, [challenge.id]);
      await this.accounts.markSignedIn(tx, userId);
      await this.sessions.start(userId, req, res, tx, challenge.sso, challenge.sso_organization_id);
      return check;
    });
    if (result !== 'ok') this.refuseCode(result);
    await this.limits.refund('totp', LIMITS.secondFactor, userId);
    return userId;
  }

  private refuseCode(check: Exclude<CodeCheck, 'ok'>): never {
    if (check === 'reused') throw new AppError(ErrorCode.TwoFactorCodeReused, 'This code was already used. Wait for the next one.');
    throw new AppError(ErrorCode.TwoFactorCodeInvalid, 'That code is not right.');
  }

  /** The person's TOTP state, null when there is no such person. */
  private async lockTotp(tx: EntityManager, userId: string): Promise<TotpRow | null> {
    // The person's row first, as every change of theirs takes it (no deadlock with an admin's reset), then their TOTP row.
    const person = await this.accounts.identity(tx, { id: userId }, true);
    if (!person) return null;
    const rows: Omit<TotpRow, 'id' | 'email'>[] = await tx.query(
      `SELECT secret, pending_secret, enabled_at, last_step FROM totp_secrets WHERE user_id = $1 FOR UPDATE`,
      [userId],
    );
    return { id: userId, email: person.email, ...(rows[0] ?? { secret: null, pending_secret: null, enabled_at: null, last_step: null }) };
  }

  private async lockTotpUser(tx: EntityManager, userId: string): Promise<TotpRow> {
    const totp = await this.lockTotp(tx, userId);
    if (!totp) throw notFound('User');
    return totp;
  }

  /** A TOTP code newer than the last accepted step, or an unused recovery code. Caller holds the row lock. */
  private async consumeCode(tx: EntityManager, user: TotpRow, code: string): Promise<CodeCheck> {
    if (/^\d{6}$/.test(code)) {
      if (!user.secret) return 'invalid';
      const step = matchingStep(code, { secret: this.box.open(user.secret) });
      if (step === null) return 'invalid';
      if (user.last_step !== null && step <= Number(user.last_step)) return 'reused';
      await tx.query(`UPDATE totp_secrets SET last_step = $2 WHERE user_id = $1`, [user.id, step]);
      return 'ok';
    }
    // TypeORM answers UPDATE … RETURNING with [rows, affected].
    const [, used]: [unknown[], number] = await tx.query(
      `UPDATE recovery_codes SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING id`,
      [user.id, hashToken(normaliseRecoveryCode(code))],
    );
    return used === 1 ? 'ok' : 'invalid';
  }

  private async clear(tx: EntityManager, userId: string): Promise<void> {
    await tx.query(`DELETE FROM totp_secrets WHERE user_id = $1`, [userId]);
    await tx.query(`DELETE FROM recovery_codes WHERE user_id = $1`, [userId]);
    await tx.query(`DELETE FROM mfa_challenges WHERE user_id = $1`, [userId]);
  }

  private async replaceRecoveryCodes(tx: EntityManager, userId: string): Promise<string[]> {
    const codes = Array.from({ length: 10 }, () => {
      const chars = [...randomBytes(10)].map((b) => RECOVERY_ALPHABET[b % 32]).join('');
      return `${chars.slice(0, 5)}-${chars.slice(5)}`;
    });
    await tx.query(`DELETE FROM recovery_codes WHERE user_id = $1`, [userId]);
    await tx.query(`INSERT INTO recovery_codes (user_id, code_hash) SELECT $1, unnest($2::bytea[])`, [
      userId,
      codes.map((c) => hashToken(normaliseRecoveryCode(c))),
    ]);
    return codes;
  }
}

const challengeExpired = () =>
  new AppError(ErrorCode.TwoFactorChallengeExpired, 'This sign-in attempt has expired. Enter your password again.');

export function normaliseRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z2-7]/g, '');
}
