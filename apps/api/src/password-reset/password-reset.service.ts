import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CallerRequest } from '../core/http/http-context';
import { DataSource, EntityManager } from 'typeorm';
import { ErrorCode } from '@roster/contracts/errors';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../core/access/principal';
import { hashToken, newToken } from '../core/access/tokens';
import { CredentialHooks } from '../core/access/credential-hooks';
import { AppError } from '../core/errors/app-error';
import { APP_CONFIG, AppConfig } from '../core/config/config';
import { UserStatus } from '../users/users.enums';
import { JanitorService } from '../core/database/janitor.service';
import { clientAddressKey } from '../core/security/client-address';
import { LIMITS } from '../core/security/limits';
import { PasswordService } from '../core/security/password.service';
import { RateLimitService } from '../core/security/rate-limit.service';
import { ProfileService } from '../users/profile.service';
import { AccountsService, UserIdentity } from '../users/accounts.service';
import { EmailService } from '../email/email.service';
import type { EmailKind } from '../email/templates';
import { PasswordResetLink, PasswordResetPreview, ResetPasswordInput } from './password-reset.model';

interface ResetRow {
  id: string;
  user_id: string;
  email: string;
  expires_at: Date;
  /** Whether the person has a password already (a provisioned person chooses their first one). */
  has_password: boolean;
}

/**
 * Whether a person may set a password through a link: one who has a password, or who has neither a
 * password nor a single sign-on link (a provisioned person); not an SSO-only account.
 */
function mayChoosePassword(person: Pick<UserIdentity, 'has_password' | 'sso_subject'>): boolean {
  return person.has_password || person.sso_subject === null;
}

/**
 * Password resets: a one-time, expiring link (only its hash stored) that lets a person choose a new
 * password; using it ends every session and pending sign-in of theirs. An admin makes one for
 * someone and passes it on, like an invitation. Not for invited, deactivated or SSO-only people, nor
 * when password sign-in is off.
 */
@Injectable()
export class PasswordResetService {
  private readonly logger = new Logger('PasswordReset');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly passwords: PasswordService,
    private readonly limits: RateLimitService,
    private readonly profile: ProfileService,
    private readonly accounts: AccountsService,
    private readonly email: EmailService,
    janitor: JanitorService,
    private readonly credentials: CredentialHooks,
  ) {
    janitor.expire('password_resets', 'expires_at < now()');
    // A link made before a new password would undo it; a deactivated person resets nothing.
    credentials.onEnd('resetLinks', ['password', 'deactivated'], async (tx, userId) => {
      const [, n]: [unknown[], number] = await tx.query(`DELETE FROM password_resets WHERE user_id = $1`, [userId]);
      return n;
    });
  }

  /**
   * A new link for `userId` (replacing the earlier admin-made one), made by an admin for someone else:
   * for oneself it would set a password without the current one (a session) or turn an API token
   * into its owner's password (tokens are refused by the resolver's rule). The person must be an active
   * member of the admin's organization, and belong to no other one (the password is the person's: an
   * admin of one organization does not take over an account others rely on).
   */
  async create(actor: Principal, userId: string): Promise<PasswordResetLink> {
    if (!this.config.passwordSignIn) throw new AppError(ErrorCode.PasswordSignInDisabled, 'Password sign-in is disabled.');
    if (userId === actor.userId) {
      throw new AppError(ErrorCode.SelfPasswordReset, 'You cannot reset your own password: change it in your profile.');
    }
    return this.db.transaction(async (tx) => {
      const target = await this.accounts.target(tx, actor, userId, { personal: true });
      if (target.status !== UserStatus.ACTIVE) {
        throw new AppError(ErrorCode.UserStatusConflict, 'Only active people can reset their password.');
      }
      if (!mayChoosePassword(target)) {
        throw new AppError(ErrorCode.SsoOnlyAccount, 'This person signs in through single sign-on only.');
      }
      const link = await this.issue(tx, target, actor.userId, { kind: 'password_reset', ttlHours: this.config.passwordResetTtlHours });
      await this.audit.record(tx, actor, 'user.password_reset_created', { id: userId, email: target.email }, { expiresAt: link.expiresAt });
      return link;
    });
  }

  /**
   * A person an identity provider just created (SCIM; no password, no single sign-on link) chooses
   * their first password: the admin-made kind of link (`actor`, the token's owner, made it; a later
   * admin-made link replaces it), valid as long as an invitation (it plays an invitation's part), emailed
   * as `account_ready` naming the actor's organization, in the caller's transaction. Null, and nothing
   * made, when nobody could receive or use it: password sign-in off, no outgoing email (an admin then
   * makes a link in the console), or a person who is not active or already has a password or a link.
   * Not audited on its own: the caller's `user.provisioned` event stands for it.
   */
  async issueForProvisioned(tx: EntityManager, userId: string, actor: Principal): Promise<PasswordResetLink | null> {
    if (!this.config.passwordSignIn || !this.email.enabled) return null;
    const person = await this.accounts.identity(tx, { id: userId });
    if (person?.status !== UserStatus.ACTIVE || person.deactivated || person.has_password || person.sso_subject !== null) return null;
    return this.issue(tx, person, actor.userId, {
      kind: 'account_ready',
      ttlHours: this.config.invitationTtlHours,
      organization: actor.organization?.name ?? '',
    });
  }

  /**
   * "Forgot password?": answers the same whether or not the email belongs to someone (nothing is
   * said about who exists); when it does, and the person may reset a password, the link goes to that
   * address only: someone who signs in with a password, or who has neither a password nor a single
   * sign-on link (a person provisioned by an identity provider whose first link expired), never an
   * SSO-only account. Needs outgoing email. Counted per address, and per email (beyond which requests
   * are silently ignored, so nobody can flood a mailbox).
   */
  async request(email: string, req: CallerRequest): Promise<boolean> {
    if (!this.config.passwordSignIn) throw new AppError(ErrorCode.PasswordSignInDisabled, 'Password sign-in is disabled.');
    if (!this.email.enabled) throw new AppError(ErrorCode.EmailNotConfigured, 'Password reset by email is not available.');
    await this.limits.consume('forgot-address', LIMITS.forgotAddress, [clientAddressKey(req.ip)]);
    const address = email.trim().toLowerCase();
    const allowed = await this.limits.consume('forgot-email', LIMITS.forgotEmail, [address]).then(
      () => true,
      () => false,
    );
    if (!allowed) return true;
    // Answered before any lookup, so the time taken says nothing about whether the account exists.
    void this.db
      .transaction(async (tx) => {
        const person = await this.accounts.identity(tx, { email: address }, true);
        if (person?.status !== UserStatus.ACTIVE || person.deactivated || !mayChoosePassword(person)) return;
        await this.issue(tx, person, null, { kind: 'password_reset', ttlHours: this.config.passwordResetTtlHours });
        await this.audit.record(tx, null, 'user.password_reset_requested', { id: person.id, email: address });
      })
      .catch((e: unknown) => this.logger.warn(`Password reset request not completed: ${e instanceof Error ? e.message : String(e)}`));
    return true;
  }

  /**
   * A new link for the person, emailed to them (as `email.kind`) when email is configured. A person has
   * at most two links: one made by an admin (or for a provisioned person) and one they asked for
   * ("Forgot password?"); each replaces only the earlier one of its own kind, so an anonymous request
   * never cancels the link an admin handed over. Using either ends both.
   */
  private async issue(
    tx: EntityManager,
    person: Pick<UserIdentity, 'id' | 'email' | 'language'>,
    createdBy: string | null,
    email: { kind: EmailKind; ttlHours: number; organization?: string },
  ): Promise<PasswordResetLink> {
    const token = newToken();
    const expiresAt = new Date(Date.now() + email.ttlHours * 3600_000);
    await tx.query(
      `INSERT INTO password_resets (user_id, token_hash, expires_at, created_by_id, self_service) VALUES ($1, $2, $3, $4, $4::uuid IS NULL)
       ON CONFLICT (user_id, self_service) DO UPDATE SET token_hash = EXCLUDED.token_hash,
         expires_at = EXCLUDED.expires_at, created_by_id = EXCLUDED.created_by_id, created_at = now()`,
      [person.id, hashToken(token), expiresAt, createdBy],
    );
    const url = `${this.config.publicUrl}/reset-password?token=${encodeURIComponent(token)}`;
    await this.email.enqueue(tx, {
      kind: email.kind,
      to: person.email,
      language: person.language,
      userId: person.id,
      payload: {
        url,
        expiresAt: expiresAt.toISOString(),
        ...(email.organization !== undefined ? { organization: email.organization } : {}),
      },
    });
    return { url, expiresAt };
  }

  async preview(token: string): Promise<PasswordResetPreview> {
    const row = await this.find(this.db.manager, token, false);
    return { email: row.email, expiresAt: row.expires_at, firstPassword: !row.has_password };
  }

  /**
   * Sets the new password and consumes the link in one transaction; every session and pending
   * sign-in of the person ends (API tokens stay, as with a password change). Counted per address.
   */
  async reset(input: ResetPasswordInput, req: CallerRequest): Promise<boolean> {
    if (!this.config.passwordSignIn) throw new AppError(ErrorCode.PasswordSignInDisabled, 'Password sign-in is disabled.');
    await this.limits.consume('password-reset', LIMITS.passwordReset, [clientAddressKey(req.ip)]);
    const preview = await this.find(this.db.manager, input.token, false);
    this.passwords.assertAcceptable(input.password, input.passwordConfirmation, preview.email);
    // Hashed before the transaction: no connection is held while argon2 works.
    const hash = await this.passwords.hash(input.password);
    return this.db.transaction(async (tx) => {
      // The person first, then the link: the order every writer of both follows (no deadlock), and a
      // deactivation that committed meanwhile is seen by `find` below.
      const link: { user_id: string }[] = await tx.query(`SELECT user_id FROM password_resets WHERE token_hash = $1`, [
        hashToken(input.token),
      ]);
      if (link[0]) await this.accounts.identity(tx, { id: link[0].user_id }, true);
      const row = await this.find(tx, input.token, true);
      await this.profile.setPasswordHash(tx, row.user_id, hash);
      // Both links of the person, every session and every sign-in waiting for its code end.
      const { sessions = 0 } = await this.credentials.end(tx, row.user_id, 'password');
      await this.audit.record(
        tx,
        { userId: row.user_id, email: row.email },
        'user.password_reset',
        { id: row.user_id, email: row.email },
        { sessions },
      );
      return true;
    });
  }

  private async find(tx: EntityManager, token: string, lock: boolean): Promise<ResetRow> {
    const rows: Omit<ResetRow, 'email' | 'has_password'>[] = await tx.query(
      `SELECT id, user_id, expires_at FROM password_resets WHERE token_hash = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [hashToken(token)],
    );
    const person = rows[0] && (await this.accounts.identity(tx, { id: rows[0].user_id }));
    const row =
      person?.status === UserStatus.ACTIVE && !person.deactivated
        ? { ...rows[0], email: person.email, has_password: person.has_password }
        : undefined;
    if (!row) throw new AppError(ErrorCode.PasswordResetInvalid, 'This password-reset link is not valid (used or replaced).');
    if (row.expires_at <= new Date()) throw new AppError(ErrorCode.PasswordResetExpired, 'This password-reset link has expired.');
    return row;
  }
}
