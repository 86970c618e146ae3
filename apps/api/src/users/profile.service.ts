import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ErrorCode } from '@roster/contracts/errors';
import { AppError } from '../core/errors/app-error';
import { Language, Theme, UserStatus } from './users.enums';

/** The role of a person acting in no organization: none (no permission). */
export const NO_ROLE_ID = '00000000-0000-0000-0000-000000000000';
import type { Principal } from '../core/access/principal';
import { MeModel } from './user.model';
import { UpdateMyProfileInput } from './dto/user.inputs';
import { permissionLevel } from '@roster/contracts/permissions';
import { toUserModel, twoFactorOn, USER_COLUMNS, USER_FROM, UserRow } from './users-query';

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
          -- The membership first (a person may have a thousand), then only its row is built.
          AND m.organization_id = (
                SELECT pm.organization_id FROM memberships pm JOIN users pu ON pu.id = pm.user_id
                 WHERE pm.user_id = $1
                 ORDER BY (pm.organization_id = $2::uuid) IS TRUE DESC, (pm.organization_id = pu.last_organization_id) IS TRUE DESC,
                          pm.status = 'ACTIVE' DESC, pm.joined_at, pm.organization_id
                 LIMIT 1)`,
      [userId, principal?.organization?.id ?? null],
    );
    if (!rows[0]) return this.nowhere(userId, principal);
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
   * A person who belongs to no organization (an operator, say): themselves, with no role and no
   * permission; UNAUTHENTICATED when there is nobody.
   */
  private async nowhere(userId: string, principal?: Principal): Promise<MeModel> {
    const rows: {
      id: string;
      email: string;
      first_name: string;
      last_name: string;
      status: UserStatus;
      last_sign_in_at: Date | null;
      created_at: Date;
      language: Language;
      theme: Theme;
      two_factor_enabled: boolean;
    }[] = await this.db.query(
      `SELECT u.id, u.email, u.first_name, u.last_name, u.status, u.last_sign_in_at, u.created_at, u.language, u.theme,
              ${twoFactorOn('u')} AS two_factor_enabled
         FROM users u WHERE u.id = $1`,
      [userId],
    );
    const r = rows[0];
    if (!r) throw new AppError(ErrorCode.Unauthenticated, 'Please sign in.');
    const role = {
      id: NO_ROLE_ID,
      key: 'NONE',
      name: '',
      description: '',
      builtIn: false,
      permissions: [],
      rank: 0,
      requireTwoFactor: false,
      permissionLevel: permissionLevel([]),
    };
    return {
      user: {
        id: r.id,
        email: r.email,
        firstName: r.first_name,
        lastName: r.last_name,
        status: r.status,
        role,
        teams: [],
        permissionLevel: role.permissionLevel,
        lastSignInAt: r.last_sign_in_at,
        invitationExpiresAt: null,
        invitationEmailStatus: null,
        twoFactorEnabled: r.two_factor_enabled,
        // No membership: nothing provisioned.
        provisioned: false,
        externalId: null,
        createdAt: r.created_at,
      },
      language: r.language,
      theme: r.theme,
      permissions: [],
      twoFactorSetupRequired: principal?.twoFactorSetupRequired ?? false,
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
