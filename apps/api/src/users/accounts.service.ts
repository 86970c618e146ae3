import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ErrorCode } from '@roster/contracts/errors';
import { canGrantRole } from '@roster/contracts/permissions';
import { AppError, notFound } from '../core/errors/app-error';
import type { Principal } from '../core/access/principal';
import { RolesService } from '../roles/roles.service';
import { UserStatus } from './users.enums';
import { UserModel } from './user.model';
import { toUserModel, USER_COLUMNS, USER_FROM, twoFactorJoin, twoFactorOn, UserRow } from './users-query';

/** A new person: invited (no password yet) or active (signed up with a password or through SSO). */
export interface NewUser {
  email: string;
  status: UserStatus;
  roleId: string;
  firstName?: string;
  lastName?: string;
  passwordHash?: string | null;
  ssoSubject?: string | null;
  /** Signing in right now (first admin, SSO sign-up): sets the last connection. */
  signedIn?: boolean;
  /** Console (and email) language; English when not given. */
  language?: string;
  /** A platform operator from the start (the first admin). */
  operator?: boolean;
}

/** Who a person is to the sign-in flows and to the features acting on them (no secret). */
export interface UserIdentity {
  id: string;
  email: string;
  status: UserStatus;
  sso_subject: string | null;
  /** Console (and email) language. */
  language: string;
  /** Whether a password is set (SSO-only people have none). */
  has_password: boolean;
  role_id: string;
}

/** A person someone wants to act on, with their role's name and permissions. */
export interface UserTarget extends UserIdentity {
  role_name: string;
  permissions: string[];
}

/** How `target()` looks a person up. */
export interface TargetOptions {
  /** Lock the person's row for the caller's transaction (the default); false for a plain read. */
  lock?: boolean;
  /** Only a person with this status counts: anyone else is "not found". */
  status?: UserStatus;
  /** The error when there is nobody (by default NOT_FOUND for a User). */
  missing?: () => AppError;
  /** The FORBIDDEN message when the actor may not act on them (by default "You cannot manage this person."). */
  refused?: (target: UserTarget) => string;
}

const IDENTITY_COLUMNS = `id, email, status, sso_subject, language, password_hash IS NOT NULL AS has_password, role_id`;

/** What registering sets on an invited person, who becomes active. */
export interface Activation {
  firstName: string;
  lastName: string;
  passwordHash?: string | null;
  ssoSubject?: string | null;
}

/** The refusal of the users page's actions: it names the role. */
export const manageRefusal = (target: UserTarget) => `You cannot manage someone with the ${target.role_name} role.`;

/**
 * The accounts API the other features call (invitations, sign-in, SSO, two-factor, password reset,
 * sessions): who a person is, "may I act on this person" (`target`), creating people (the one place) and
 * activating them, the sign-in look-ups, and one person or several as the API's User.
 */
@Injectable()
export class AccountsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly roles: RolesService,
  ) {}

  /**
   * The one place people are created (invitations, first-admin set-up, SSO sign-up), inside the
   * caller's transaction. The email must be free (callers check under their own lock).
   */
  async create(tx: EntityManager, user: NewUser): Promise<string> {
    const rows: { id: string }[] = await tx.query(
      `INSERT INTO users (email, status, role_id, first_name, last_name, password_hash, sso_subject, last_sign_in_at, language, operator)
       VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $8 THEN now() END, $9, $10) RETURNING id`,
      [
        user.email,
        user.status,
        user.roleId,
        user.firstName ?? '',
        user.lastName ?? '',
        user.passwordHash ?? null,
        user.ssoSubject ?? null,
        user.signedIn ?? false,
        user.language === 'fr' ? 'fr' : 'en',
        user.operator ?? false,
      ],
    );
    return rows[0].id;
  }

  /** An invited person registers (password or SSO) and is signed in: names, credentials, ACTIVE. */
  async activate(tx: EntityManager, id: string, with_: Activation): Promise<void> {
    await tx.query(
      `UPDATE users SET first_name = $2, last_name = $3, password_hash = COALESCE($4, password_hash), sso_subject = COALESCE($5, sso_subject),
              status = 'ACTIVE', last_sign_in_at = now(), updated_at = now() WHERE id = $1 AND status = 'INVITED'`,
      [id, with_.firstName, with_.lastName, with_.passwordHash ?? null, with_.ssoSubject ?? null],
    );
  }

  /** A person by id or email (null when nobody), its row locked for the caller's transaction when `lock`. */
  async identity(manager: EntityManager, by: { id: string } | { email: string }, lock = false): Promise<UserIdentity | null> {
    const [column, value] = 'id' in by ? ['id', by.id] : ['email', by.email];
    const rows: UserIdentity[] = await manager.query(
      `SELECT ${IDENTITY_COLUMNS} FROM users WHERE ${column} = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [value],
    );
    return rows[0] ?? null;
  }

  /** The person an identity-provider subject (`iss|sub`) is linked to, if any. */
  async identityBySsoSubject(tx: EntityManager, subject: string): Promise<UserIdentity | null> {
    const rows: UserIdentity[] = await tx.query(`SELECT ${IDENTITY_COLUMNS} FROM users WHERE sso_subject = $1`, [subject]);
    return rows[0] ?? null;
  }

  /**
   * "May I act on this person?": the person, locked for the caller's transaction (unless `lock` is
   * false), with their role. NOT_FOUND when there is nobody; FORBIDDEN unless the actor is the person
   * or could grant their role. Every feature acting on someone asks here.
   */
  async target(manager: EntityManager, actor: Principal, id: string, options: TargetOptions = {}): Promise<UserTarget> {
    const person = await this.identity(manager, { id }, options.lock ?? true);
    if (!person || (options.status && person.status !== options.status)) throw options.missing?.() ?? notFound('User');
    const role = await this.roles.byId(manager, person.role_id);
    const target: UserTarget = { ...person, role_name: role.name, permissions: role.permissions };
    if (id !== actor.userId && !canGrantRole(actor.permissions, target.permissions)) {
      throw new AppError(ErrorCode.Forbidden, options.refused?.(target) ?? 'You cannot manage this person.');
    }
    return target;
  }

  /** Links a person to an identity-provider subject; SSO_ACCOUNT_CONFLICT when another person has it. */
  async linkSsoSubject(tx: EntityManager, id: string, subject: string): Promise<void> {
    const other = await this.identityBySsoSubject(tx, subject);
    if (other && other.id !== id)
      throw new AppError(ErrorCode.SsoAccountConflict, 'This identity-provider account already belongs to another user.');
    await tx.query(`UPDATE users SET sso_subject = $2, updated_at = now() WHERE id = $1`, [id, subject]);
  }

  /** What a password sign-in needs to know about an email (null when nobody has it). */
  async credentials(
    email: string,
  ): Promise<{ id: string; passwordHash: string | null; active: boolean; deactivated: boolean; twoFactor: boolean } | null> {
    const rows: { id: string; password_hash: string | null; status: string; totp: boolean }[] = await this.db.query(
      `SELECT id, password_hash, status, ${twoFactorOn('users')} AS totp FROM users WHERE email = $1`,
      [email],
    );
    const r = rows[0];
    return r
      ? {
          id: r.id,
          passwordHash: r.password_hash,
          active: r.status === UserStatus.ACTIVE,
          deactivated: r.status === UserStatus.DEACTIVATED,
          twoFactor: r.totp,
        }
      : null;
  }

  /** The people who have these emails (any status), in no particular order. */
  async identitiesByEmail(manager: EntityManager, emails: string[]): Promise<UserIdentity[]> {
    return manager.query(`SELECT ${IDENTITY_COLUMNS} FROM users WHERE email = ANY($1::text[])`, [emails]);
  }

  /**
   * Active people per role id: how many, and how many have no two-factor authentication and a password
   * (or no single sign-on; any sign-in when `withSsoOnly`): those a policy requiring it would hold.
   */
  async activeByRole(manager: EntityManager, withSsoOnly: boolean): Promise<Map<string, { members: number; withoutTwoFactor: number }>> {
    const rows: { role_id: string; members: string; without: string }[] = await manager.query(
      `SELECT u.role_id, count(*) AS members,
              count(*) FILTER (WHERE tf.user_id IS NULL AND (u.password_hash IS NOT NULL OR u.sso_subject IS NULL OR $1)) AS without
         FROM users u ${twoFactorJoin('u')} WHERE u.status = 'ACTIVE' GROUP BY u.role_id`,
      [withSsoOnly],
    );
    return new Map(rows.map((r) => [r.role_id, { members: Number(r.members), withoutTwoFactor: Number(r.without) }]));
  }

  /** Whether an email belongs to someone (active or invited). */
  async emailTaken(tx: EntityManager, email: string): Promise<boolean> {
    return (await tx.query(`SELECT 1 FROM users WHERE email = $1`, [email])).length > 0;
  }

  /** Removes a person who never registered (a revoked invitation); memberships go with the row. */
  async deleteInvited(tx: EntityManager, id: string): Promise<void> {
    await tx.query(`DELETE FROM users WHERE id = $1 AND status = 'INVITED'`, [id]);
  }

  /** The last connection, at a successful sign-in. */
  async markSignedIn(tx: EntityManager, id: string): Promise<void> {
    await tx.query(`UPDATE users SET last_sign_in_at = now() WHERE id = $1`, [id]);
  }

  /** A re-invitation with another role (the person is still INVITED). */
  async setInvitedRole(tx: EntityManager, id: string, roleId: string): Promise<void> {
    await tx.query(`UPDATE users SET role_id = $2, updated_at = now() WHERE id = $1 AND status = 'INVITED'`, [id, roleId]);
  }

  /**
   * Grants or revokes the platform operator flag (the caller holds LOCKS.operators). Returns whether it
   * changed; LAST_OPERATOR when revoking it would leave no active operator.
   */
  async setOperator(tx: EntityManager, id: string, operator: boolean): Promise<boolean> {
    const person: { operator: boolean }[] = await tx.query(`SELECT operator FROM users WHERE id = $1 FOR UPDATE`, [id]);
    if (!person[0]) throw notFound('User');
    if (person[0].operator === operator) return false;
    if (!operator) {
      const others: { n: string }[] = await tx.query(`SELECT count(*) AS n FROM users WHERE operator AND status = 'ACTIVE' AND id <> $1`, [
        id,
      ]);
      if (Number(others[0].n) === 0) {
        throw new AppError(ErrorCode.LastOperator, 'This is the last platform operator: someone else must be one first.');
      }
    }
    await tx.query(`UPDATE users SET operator = $2, updated_at = now() WHERE id = $1`, [id, operator]);
    return true;
  }

  /**
   * Members of the organization as the API's User (their membership's role, status, teams and last
   * connection), in the order of `ids`; whoever is not a member of it is left out.
   */
  async findByIds(organizationId: string, ids: string[], manager: EntityManager = this.db.manager): Promise<UserModel[]> {
    if (ids.length === 0) return [];
    const rows: UserRow[] = await manager.query(
      `SELECT ${USER_COLUMNS} FROM ${USER_FROM} WHERE m.organization_id = $1 AND m.user_id = ANY($2::uuid[])`,
      [organizationId, ids],
    );
    const byId = new Map(rows.map((r) => [r.id, toUserModel(r)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** A member of the organization as the API's User; NOT_FOUND when they are not one (a person of another organization too). */
  async findById(organizationId: string, id: string, manager?: EntityManager): Promise<UserModel> {
    const [user] = await this.findByIds(organizationId, [id], manager);
    if (!user) throw notFound('User');
    return user;
  }
}
