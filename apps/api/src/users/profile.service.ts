import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ErrorCode } from '@roster/contracts/errors';
import { AppError } from '../core/app-error';
import { Language, Theme } from '../core/enums';
import { PasswordService } from '../auth/password.service';
import type { Principal } from '../auth/principal';
import { AuditService } from '../audit/audit.service';
import { LIMITS } from '../auth/limits';
import { RateLimitService } from '../auth/rate-limit.service';
import { SessionService } from '../auth/session.service';
import { MeModel } from './user.model';
import { ChangePasswordInput, UpdateMyProfileInput } from './dto/user.inputs';
import { toUserModel, USER_COLUMNS, USER_FROM, UserRow } from './users-query';

/** What every person does to themselves: profile, preferences, password (SPEC §4). */
@Injectable()
export class ProfileService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionService,
    private readonly limits: RateLimitService,
    private readonly audit: AuditService,
  ) {}

  /** The person, their preferences and permissions, in one statement (the console asks on every navigation). */
  async me(userId: string): Promise<MeModel> {
    const rows: (UserRow & { language: Language; theme: Theme })[] = await this.db.query(
      `SELECT ${USER_COLUMNS}, u.language, u.theme FROM ${USER_FROM} WHERE u.id = $1`,
      [userId],
    );
    if (!rows[0]) throw new AppError(ErrorCode.Unauthenticated, 'Please sign in.');
    const user = toUserModel(rows[0]);
    return { user, language: rows[0].language, theme: rows[0].theme, permissions: user.role.permissions };
  }

  async update(principal: Principal, input: UpdateMyProfileInput): Promise<MeModel> {
    const sets: string[] = [];
    const params: unknown[] = [principal.userId];
    const columns: [keyof UpdateMyProfileInput, string][] = [
      ['firstName', 'first_name'],
      ['lastName', 'last_name'],
      ['language', 'language'],
      ['theme', 'theme'],
    ];
    for (const [field, column] of columns) {
      if (input[field] !== undefined) {
        params.push(input[field]);
        sets.push(`${column} = $${params.length}`);
      }
    }
    if (sets.length) await this.db.query(`UPDATE users SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, params);
    return this.me(principal.userId);
  }

  /**
   * Checks the current password, applies the policy, then ends every other session of the person and
   * any sign-in still waiting for its second factor (begun with the old password). API tokens are
   * separate credentials and keep working: they are listed, and revoked, one by one.
   */
  async changePassword(principal: Principal, input: ChangePasswordInput): Promise<number> {
    await this.limits.consume('password-check', LIMITS.passwordCheck, [principal.userId]);
    const rows: { password_hash: string | null }[] = await this.db.query(`SELECT password_hash FROM users WHERE id = $1`, [principal.userId]);
    if (!(await this.passwords.verify(rows[0]?.password_hash ?? null, input.currentPassword))) {
      throw new AppError(ErrorCode.WrongPassword, 'The current password is wrong.');
    }
    await this.limits.refund('password-check', LIMITS.passwordCheck, principal.userId);
    this.passwords.assertAcceptable(input.newPassword, input.newPasswordConfirmation, principal.email);
    const hash = await this.passwords.hash(input.newPassword);
    return this.db.transaction(async (tx) => {
      await tx.query(`UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1`, [principal.userId, hash]);
      await tx.query(`DELETE FROM mfa_challenges WHERE user_id = $1`, [principal.userId]);
      const ended = await this.sessions.revokeAllFor(principal.userId, principal.sessionId, tx);
      await this.audit.record(tx, principal, 'user.password_changed', { id: principal.userId, email: principal.email }, { sessionsEnded: ended });
      return ended;
    });
  }
}
