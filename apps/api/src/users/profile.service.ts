import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ErrorCode } from '@roster/contracts/errors';
import { AppError } from '../core/errors/app-error';
import { Language, Theme } from './users.enums';
import type { Principal } from '../core/access/principal';
import { MeModel } from './user.model';
import { UpdateMyProfileInput } from './dto/user.inputs';
import { toUserModel, USER_COLUMNS, USER_FROM, UserRow } from './users-query';

/** What every person does to themselves: profile, preferences, password. */
@Injectable()
export class ProfileService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The signed-in person as a member of the organization they act in, their preferences and
   * permissions, in one statement (the console asks on every navigation). `principal`: the request's
   * credential, which names the organization and knows whether the session is held at the two-factor
   * set-up (an SSO session may be exempt); without it (just signed in), or acting where they are no
   * member, their last organization (else the one they joined first), and the role's rule decides.
   */
  async me(userId: string, principal?: Principal): Promise<MeModel> {
    const rows: (UserRow & { language: Language; theme: Theme })[] = await this.db.query(
      `SELECT ${USER_COLUMNS}, u.language, u.theme FROM ${USER_FROM}
        WHERE m.user_id = $1
        ORDER BY (m.organization_id = $2::uuid) IS TRUE DESC, (m.organization_id = u.last_organization_id) IS TRUE DESC,
                 m.joined_at, m.organization_id
        LIMIT 1`,
      [userId, principal?.organization?.id ?? null],
    );
    if (!rows[0]) throw new AppError(ErrorCode.Unauthenticated, 'Please sign in.');
    const user = toUserModel(rows[0]);
    return {
      user,
      language: rows[0].language,
      theme: rows[0].theme,
      permissions: principal?.permissions ?? user.role.permissions,
      twoFactorSetupRequired: principal
        ? (principal.twoFactorSetupRequired ?? false)
        : rows[0].role_requires_two_factor && !rows[0].two_factor_enabled,
    };
  }

  /**
   * Names, language and theme. A person held at the two-factor set-up may only choose their language
   * and theme (to read and see the set-up page): names wait, like everything else, for the set-up.
   */
  async update(principal: Principal, input: UpdateMyProfileInput): Promise<MeModel> {
    if (principal.twoFactorSetupRequired && (input.firstName !== undefined || input.lastName !== undefined)) {
      throw new AppError(ErrorCode.TwoFactorSetupRequired, 'Your role requires two-factor authentication: set it up to continue.');
    }
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
    return this.me(principal.userId, principal);
  }

  /** The stored password hash of a person (null for SSO-only people). */
  async passwordHash(userId: string): Promise<string | null> {
    const rows: { password_hash: string | null }[] = await this.db.query(`SELECT password_hash FROM users WHERE id = $1`, [userId]);
    return rows[0]?.password_hash ?? null;
  }

  /** Replaces a person's password hash (inside the caller's transaction). */
  async setPasswordHash(tx: EntityManager, userId: string, hash: string): Promise<void> {
    await tx.query(`UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1`, [userId, hash]);
  }
}
