import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ErrorCode } from '@roster/contracts/errors';
import { canGrantRole } from '@roster/contracts/permissions';
import { AppError, notFound } from '../core/errors/app-error';
import { organizationOf, type Principal } from '../core/access/principal';
import { RolesService } from '../roles/roles.service';
import { UserStatus } from './users.enums';
import { UserModel } from './user.model';
import { toUserModel, USER_COLUMNS, USER_FROM, twoFactorJoin, twoFactorOn, UserRow } from './users-query';
import { OrgDb } from '../core/database/org-db';
import { checkedRows } from '../core/database/checked-rows';

/**
 * A new person and their first membership: invited (no password yet) or active (signed up with a
 * password or through SSO).
 */
export interface NewUser {
  email: string;
  /** The organization they join (also their last organization). */
  organizationId: string;
  /** The membership's status, INVITED or ACTIVE; the person is registered (ACTIVE) when it is ACTIVE. */
  status: UserStatus;
  /** Their role in that organization (one of its roles). */
  roleId: string;
  firstName?: string;
  lastName?: string;
  passwordHash?: string | null;
  ssoSubject?: string | null;
  /** Signing in right now (first admin, SSO sign-up): sets the last connection (the person's and the membership's). */
  signedIn?: boolean;
  /** Console (and email) language; English when not given. */
  language?: string;
  /** A platform operator from the start (the first admin). */
  operator?: boolean;
  /** Made by SCIM provisioning: what the membership keeps of the identity provider's record. */
  provisioned?: Provisioned;
}

/** What a membership made or adopted by SCIM provisioning keeps of the identity provider's record. */
export interface Provisioned {
  externalId: string | null;
  displayName: string | null;
  /**
   * Names of the membership's own (`own_names`), not copied from the person: a person of other
   * organizations provisioned here, whose account shows nothing here.
   */
  ownNames?: { firstName: string; lastName: string };
}

/** Who a person is to the sign-in flows and to the features acting on them (no secret), in no organization. */
export interface UserIdentity {
  id: string;
  email: string;
  /** The person's: ACTIVE once registered (password or SSO), INVITED before (never DEACTIVATED). */
  status: UserStatus;
  sso_subject: string | null;
  /** Console (and email) language. */
  language: string;
  /** Whether a password is set (SSO-only people have none). */
  has_password: boolean;
  /**
   * Registered, not an operator, and every organization they belong to deactivated them (none left
   * active): what a deactivated account was (sign-in says ACCOUNT_DEACTIVATED).
   */
  deactivated: boolean;
}

/** A person's membership of one organization. */
export interface Membership {
  /** INVITED, ACTIVE or DEACTIVATED, in that organization. */
  status: UserStatus;
  role_id: string;
}

/**
 * A person someone wants to act on, as a member of the actor's organization: `status` and the role
 * are the membership's (`person_status` is the person's own).
 */
export interface UserTarget extends Omit<UserIdentity, 'status'> {
  /** The membership's status in the organization. */
  status: UserStatus;
  /** Whether the person has registered (UserIdentity.status). */
  person_status: UserStatus;
  organization_id: string;
  role_id: string;
  role_name: string;
  permissions: string[];
}

/** How `target()` looks a person up. */
export interface TargetOptions {
  /** Lock the person's row for the caller's transaction (the default); false for a plain read. */
  lock?: boolean;
  /** Only a member with this status (the membership's) counts: anyone else is "not found". */
  status?: UserStatus;
  /**
   * The action reaches the person's own credentials (password, two-factor, sessions): FORBIDDEN ("this
   * account is shared with other organizations") when they belong to another organization too, since
   * an admin of one must not take over an identity others rely on. Not for the actor themselves.
   */
  personal?: boolean;
  /** The error when there is nobody (by default NOT_FOUND for a User). */
  missing?: () => AppError;
  /** The FORBIDDEN message when the actor may not act on them (by default "You cannot manage this person."). */
  refused?: (target: UserTarget) => string;
}

/** Deactivated everywhere: registered, not an operator, some membership deactivated and none active (`u` is users). */
const DEACTIVATED_COLUMN = `(u.status = 'ACTIVE' AND NOT u.operator
    AND EXISTS (SELECT 1 FROM memberships dm WHERE dm.user_id = u.id AND dm.status = 'DEACTIVATED')
    AND NOT EXISTS (SELECT 1 FROM memberships am WHERE am.user_id = u.id AND am.status = 'ACTIVE')) AS deactivated`;

const IDENTITY_COLUMNS = `u.id, u.email, u.status, u.sso_subject, u.language, u.password_hash IS NOT NULL AS has_password, ${DEACTIVATED_COLUMN}`;

/** What registering sets on an invited person, who becomes active. */
export interface Activation {
  firstName: string;
  lastName: string;
  passwordHash?: string | null;
  ssoSubject?: string | null;
}

/** The refusal of person-level actions on someone who also belongs to another organization. */
export const SHARED_ACCOUNT_REFUSAL = 'This account is shared with other organizations.';

/** The refusal of the users page's actions: it names the role. */
export const manageRefusal = (target: UserTarget) => `You cannot manage someone with the ${target.role_name} role.`;

/**
 * The accounts API the other features call (invitations, sign-in, SSO, two-factor, password reset,
 * sessions): who a person is, their memberships, "may I act on this member" (`target`), creating
 * people and memberships (the one place) and activating them, the sign-in look-ups, and one member
 * or several as the API's User. A person (users) belongs to organizations through memberships, each
 * with its role and status; whoever acts, acts inside one organization, where a person who is not a
 * member is NOT_FOUND.
 */
@Injectable()
export class AccountsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly roles: RolesService,
  ) {}

  /**
   * The one place people are created (invitations, first-admin set-up, SSO sign-up), with their first
   * membership, inside the caller's transaction. The email must be free (callers check under their own
   * lock). Returns the person's id.
   */
  async create(tx: EntityManager, user: NewUser): Promise<string> {
    const id = await this.createPerson(tx, user);
    await this.insertMembership(tx, {
      organizationId: user.organizationId,
      userId: id,
      roleId: user.roleId,
      status: user.status === UserStatus.ACTIVE ? UserStatus.ACTIVE : UserStatus.INVITED,
      signedIn: user.signedIn ?? false,
      provisioned: user.provisioned,
    });
    return id;
  }

  /**
   * `create` without the membership, which the caller then adds with `addMembership` (as `user` says:
   * organization, role, status, `provisioned`; not signed in) before its transaction ends. SCIM
   * provisioning adds it last, so that the organization's member counter is held only at the end.
   */
  async createPerson(
    tx: EntityManager,
    user: Omit<NewUser, 'roleId' | 'provisioned'> & {
      /** Speaks this person's language (read in the insert itself) instead of `language`: SCIM's token owner's. */
      languageOf?: string;
    },
  ): Promise<string> {
    const active = user.status === UserStatus.ACTIVE;
    const rows: { id: string }[] = await tx.query(
      `INSERT INTO users (email, status, first_name, last_name, password_hash, sso_subject, last_sign_in_at, language, operator, last_organization_id)
       VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7 THEN now() END,
               CASE WHEN $11::uuid IS NULL THEN $8
                    WHEN (SELECT l.language FROM users l WHERE l.id = $11::uuid) = 'fr' THEN 'fr' ELSE 'en' END,
               $9, $10) RETURNING id`,
      [
        user.email,
        active ? UserStatus.ACTIVE : UserStatus.INVITED,
        user.firstName ?? '',
        user.lastName ?? '',
        user.passwordHash ?? null,
        user.ssoSubject ?? null,
        user.signedIn ?? false,
        user.language === 'fr' ? 'fr' : 'en',
        user.operator ?? false,
        user.organizationId,
        user.languageOf ?? null,
      ],
    );
    return rows[0].id;
  }

  /**
   * Makes an existing person a member of an organization (an invitation of someone registered
   * elsewhere: INVITED), inside the caller's transaction. The caller checked they are not one already.
   */
  /**
   * Adds the membership; with `returning` (columns of the membership aliased `m`), answers the row as
   * inserted, the trigger's copies included, so that the caller needs no read-back.
   */
  async addMembership<R = void>(
    tx: EntityManager,
    membership: { organizationId: string; userId: string; roleId: string; status: UserStatus; provisioned?: Provisioned },
    returning?: string,
  ): Promise<R | undefined> {
    return this.insertMembership<R>(tx, { ...membership, signedIn: false }, returning);
  }

  private async insertMembership<R = void>(
    tx: EntityManager,
    m: { organizationId: string; userId: string; roleId: string; status: UserStatus; signedIn: boolean; provisioned?: Provisioned },
    returning?: string,
  ): Promise<R | undefined> {
    // The email, names and role rank are copied by the table's trigger (names: unless the membership has its own).
    const p = m.provisioned;
    const rows: R[] = await tx.query(
      `INSERT INTO memberships AS m (organization_id, user_id, role_id, status, last_sign_in_at,
                                provisioned_at, external_id, display_name, own_names, first_name, last_name)
       VALUES ($1, $2, $3, $4, CASE WHEN $5 THEN now() END, CASE WHEN $6 THEN now() END, $7, $8, $9, COALESCE($10, ''), COALESCE($11, ''))
       ${returning ? `RETURNING ${returning}` : ''}`,
      [
        m.organizationId,
        m.userId,
        m.roleId,
        m.status,
        m.signedIn,
        Boolean(p),
        p?.externalId ?? null,
        p?.displayName ?? null,
        Boolean(p?.ownNames),
        p?.ownNames?.firstName ?? null,
        p?.ownNames?.lastName ?? null,
      ],
    );
    return rows[0];
  }

  /**
   * An invited person registers (password or SSO) through an organization's invitation and is signed
   * in: names, credentials, ACTIVE; their INVITED membership of that organization becomes ACTIVE.
   */
  async activate(tx: EntityManager, organizationId: string, id: string, with_: Activation): Promise<void> {
    await tx.query(
      `UPDATE users SET first_name = $2, last_name = $3, password_hash = COALESCE($4, password_hash), sso_subject = COALESCE($5, sso_subject),
              status = 'ACTIVE', last_sign_in_at = now(), last_organization_id = $6, updated_at = now() WHERE id = $1 AND status = 'INVITED'`,
      [id, with_.firstName, with_.lastName, with_.passwordHash ?? null, with_.ssoSubject ?? null, organizationId],
    );
    await tx.query(
      `UPDATE memberships SET status = 'ACTIVE', last_sign_in_at = now() WHERE organization_id = $1 AND user_id = $2 AND status = 'INVITED'`,
      [organizationId, id],
    );
  }

  /**
   * SCIM provisions an invited person (a pending invitation of the organization, design §5 case 2): their
   * INVITED membership becomes ACTIVE without a sign-in. A person who never registered becomes ACTIVE
   * (registered, no credential: they sign in through single sign-on or a set-password link) with the sent
   * names; one registered elsewhere keeps their account as it is, and the membership gets the sent names
   * as its own. Returns whether the person was registered already.
   */
  async activateProvisioned(
    tx: EntityManager,
    organizationId: string,
    id: string,
    names: { firstName: string; lastName: string },
    provisioned: Provisioned,
  ): Promise<{ registered: boolean }> {
    const [, became]: [unknown[], number] = await tx.query(
      `UPDATE users SET first_name = $2, last_name = $3, status = 'ACTIVE', last_organization_id = COALESCE(last_organization_id, $4),
              updated_at = now() WHERE id = $1 AND status = 'INVITED'`,
      [id, names.firstName, names.lastName, organizationId],
    );
    const registered = became === 0;
    await tx.query(
      `UPDATE memberships SET status = 'ACTIVE', provisioned_at = now(), external_id = $3, display_name = $4, own_names = $5,
              first_name = CASE WHEN $5 THEN $6 ELSE first_name END, last_name = CASE WHEN $5 THEN $7 ELSE last_name END
        WHERE organization_id = $1 AND user_id = $2 AND status = 'INVITED'`,
      [organizationId, id, provisioned.externalId, provisioned.displayName, registered, names.firstName, names.lastName],
    );
    return { registered };
  }

  /**
   * A person's login email changes (SCIM), in the caller's transaction holding the person's row: under the
   * email's lock (the invitations' key), the new email free (EMAIL_TAKEN), the person a member of this
   * organization only (their email names them in every other one: FORBIDDEN, the shared account's
   * refusal). The memberships' copies follow (users_copy); sessions stay: the email names the person, it
   * is no credential. Returns the email before.
   */
  async changeEmail(tx: EntityManager, organizationId: string, id: string, email: string): Promise<{ from: string }> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [email]);
    if (await this.belongsElsewhere(tx, organizationId, id)) throw new AppError(ErrorCode.Forbidden, SHARED_ACCOUNT_REFUSAL);
    const taken: { id: string }[] = await tx.query(`SELECT id FROM users WHERE email = $1`, [email]);
    if (taken[0] && taken[0].id !== id) throw new AppError(ErrorCode.EmailTaken, 'This email already belongs to a user.');
    const before: { email: string }[] = await tx.query(`SELECT email FROM users WHERE id = $1 FOR UPDATE`, [id]);
    if (!before[0]) throw notFound('User');
    await tx.query(`UPDATE users SET email = $2, updated_at = now() WHERE id = $1`, [id, email]);
    return { from: before[0].email };
  }

  /**
   * A registered person accepts an invitation into another organization: their INVITED membership there
   * becomes ACTIVE (its role and teams as invited), their last connection there is now, and it becomes
   * their current organization (where their requests naming none act).
   */
  async join(tx: EntityManager, organizationId: string, id: string): Promise<void> {
    await tx.query(
      `UPDATE memberships SET status = 'ACTIVE', last_sign_in_at = now() WHERE organization_id = $1 AND user_id = $2 AND status = 'INVITED'`,
      [organizationId, id],
    );
    await tx.query(`UPDATE users SET last_organization_id = $2, updated_at = now() WHERE id = $1`, [id, organizationId]);
  }

  /** A person by id or email (null when nobody), its row locked for the caller's transaction when `lock`. */
  async identity(manager: EntityManager, by: { id: string } | { email: string }, lock = false): Promise<UserIdentity | null> {
    const [column, value] = 'id' in by ? ['id', by.id] : ['email', by.email];
    const rows: UserIdentity[] = await manager.query(
      `SELECT ${IDENTITY_COLUMNS} FROM users u WHERE u.${column} = $1 ${lock ? 'FOR UPDATE OF u' : ''}`,
      [value],
    );
    return rows[0] ?? null;
  }

  /** The person an identity-provider subject (`iss|sub`) is linked to, if any. */
  async identityBySsoSubject(tx: EntityManager, subject: string): Promise<UserIdentity | null> {
    const rows: UserIdentity[] = await tx.query(`SELECT ${IDENTITY_COLUMNS} FROM users u WHERE u.sso_subject = $1`, [subject]);
    return rows[0] ?? null;
  }

  /** A person's membership of an organization (null when they are not a member), locked for the caller's transaction when `lock`. */
  async membership(manager: EntityManager, organizationId: string, userId: string, lock = false): Promise<Membership | null> {
    const rows: Membership[] = await manager.query(
      `SELECT status, role_id FROM memberships WHERE organization_id = $1 AND user_id = $2 ${lock ? 'FOR UPDATE' : ''}`,
      [organizationId, userId],
    );
    return rows[0] ?? null;
  }

  /** Whether the membership keeps names of its own (`own_names`: SCIM provisioned a person of other organizations). */
  async hasOwnNames(manager: EntityManager, organizationId: string, userId: string): Promise<boolean> {
    const rows: { own_names: boolean }[] = await manager.query(
      `SELECT own_names FROM memberships WHERE organization_id = $1 AND user_id = $2`,
      [organizationId, userId],
    );
    return rows[0]?.own_names ?? false;
  }

  /** Whether the person belongs to an organization other than this one (any status). */
  async belongsElsewhere(manager: EntityManager, organizationId: string, userId: string): Promise<boolean> {
    // Across organizations by nature: whether another one holds them.
    const rows: unknown[] = await OrgDb.acrossOrganizations(manager, () =>
      manager.query(`SELECT 1 FROM memberships WHERE user_id = $1 AND organization_id <> $2 LIMIT 1`, [userId, organizationId]),
    );
    return rows.length > 0;
  }

  /** The role ids of the person's ACTIVE memberships (one per organization that keeps them active). */
  async activeRoleIds(manager: EntityManager, userId: string): Promise<string[]> {
    const rows: { role_id: string }[] = await OrgDb.acrossOrganizations(manager, () =>
      manager.query(`SELECT role_id FROM memberships WHERE user_id = $1 AND status = 'ACTIVE'`, [userId]),
    );
    return rows.map((r) => r.role_id);
  }

  /** Of these people, those who are members of the organization (any status). */
  async membersAmong(manager: EntityManager, organizationId: string, userIds: string[]): Promise<string[]> {
    if (!userIds.length) return [];
    const rows: { user_id: string }[] = await manager.query(
      `SELECT user_id FROM memberships WHERE organization_id = $1 AND user_id = ANY($2::uuid[])`,
      [organizationId, userIds],
    );
    return rows.map((r) => r.user_id);
  }

  /** Whether the person has an ACTIVE membership anywhere (else nothing of theirs may act any more). */
  async activeSomewhere(manager: EntityManager, userId: string): Promise<boolean> {
    const rows: unknown[] = await OrgDb.acrossOrganizations(manager, () =>
      manager.query(`SELECT 1 FROM memberships WHERE user_id = $1 AND status = 'ACTIVE' LIMIT 1`, [userId]),
    );
    return rows.length > 0;
  }

  /**
   * "May I act on this person?": the person as a member of the actor's organization, their rows
   * (person and membership) locked for the caller's transaction (unless `lock` is false), with the
   * membership's status and role. NOT_FOUND when they are not a member there (wherever else they
   * belong); FORBIDDEN unless the actor is the person or could grant their role (and, for `personal`
   * actions, unless the person belongs to this organization only). Every feature acting on someone asks here.
   */
  async target(manager: EntityManager, actor: Principal, id: string, options: TargetOptions = {}): Promise<UserTarget> {
    const organizationId = organizationOf(actor);
    const rows: (UserIdentity & { membership_status: UserStatus; role_id: string })[] = await manager.query(
      `SELECT ${IDENTITY_COLUMNS}, m.status AS membership_status, m.role_id
         FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.organization_id = $1 AND m.user_id = $2 ${(options.lock ?? true) ? 'FOR UPDATE' : ''}`,
      [organizationId, id],
    );
    const row = rows[0];
    if (!row || (options.status && row.membership_status !== options.status)) throw options.missing?.() ?? notFound('User');
    const role = await this.roles.byId(manager, organizationId, row.role_id);
    const { membership_status, ...person } = row;
    const target: UserTarget = {
      ...person,
      status: membership_status,
      person_status: person.status,
      organization_id: organizationId,
      role_id: role.id,
      role_name: role.name,
      permissions: role.permissions,
    };
    if (id !== actor.userId && !canGrantRole(actor.permissions, target.permissions)) {
      throw new AppError(ErrorCode.Forbidden, options.refused?.(target) ?? 'You cannot manage this person.');
    }
    if (options.personal && id !== actor.userId && (await this.belongsElsewhere(manager, organizationId, id))) {
      throw new AppError(ErrorCode.Forbidden, SHARED_ACCOUNT_REFUSAL);
    }
    return target;
  }

  /**
   * Whether the person is an active member of the organization whose membership its identity provider
   * made or adopted (SCIM: `provisioned_at`), for single sign-on's first link of a provisioned person.
   */
  async provisionedMember(manager: EntityManager, organizationId: string, userId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM memberships WHERE organization_id = $1 AND user_id = $2 AND status = 'ACTIVE' AND provisioned_at IS NOT NULL`,
      [organizationId, userId],
    );
    return rows.length > 0;
  }

  /** Links a person to an identity-provider subject; SSO_ACCOUNT_CONFLICT when another person has it. */
  async linkSsoSubject(tx: EntityManager, id: string, subject: string): Promise<void> {
    const other = await this.identityBySsoSubject(tx, subject);
    if (other && other.id !== id)
      throw new AppError(ErrorCode.SsoAccountConflict, 'This identity-provider account already belongs to another user.');
    await tx.query(`UPDATE users SET sso_subject = $2, updated_at = now() WHERE id = $1`, [id, subject]);
  }

  /**
   * What a password sign-in needs to know about an email (null when nobody has it). `active`: registered
   * and not deactivated everywhere (see UserIdentity.deactivated, then `deactivated` is true).
   */
  async credentials(
    email: string,
  ): Promise<{ id: string; passwordHash: string | null; active: boolean; deactivated: boolean; twoFactor: boolean } | null> {
    const rows: { id: string; password_hash: string | null; status: string; deactivated: boolean; totp: boolean }[] = await this.db.query(
      `SELECT u.id, u.password_hash, u.status, ${DEACTIVATED_COLUMN}, ${twoFactorOn('u')} AS totp FROM users u WHERE u.email = $1`,
      [email],
    );
    const r = rows[0];
    return r
      ? {
          id: r.id,
          passwordHash: r.password_hash,
          active: r.status === UserStatus.ACTIVE && !r.deactivated,
          deactivated: r.deactivated,
          twoFactor: r.totp,
        }
      : null;
  }

  /**
   * The people who have these emails (any status), in no particular order; with `organizationId`, only
   * the members of that organization (whoever belongs elsewhere only is not to be revealed there).
   */
  async identitiesByEmail(manager: EntityManager, emails: string[], organizationId?: string): Promise<UserIdentity[]> {
    if (organizationId) {
      return manager.query(
        `SELECT ${IDENTITY_COLUMNS} FROM memberships m JOIN users u ON u.id = m.user_id
          WHERE m.organization_id = $2 AND m.email = ANY($1::text[])`,
        [emails, organizationId],
      );
    }
    return manager.query(`SELECT ${IDENTITY_COLUMNS} FROM users u WHERE u.email = ANY($1::text[])`, [emails]);
  }

  /**
   * The organization's active members per role id: how many, and how many have no two-factor
   * authentication and a password (or no single sign-on; any sign-in when `withSsoOnly`): those a
   * policy requiring it would hold.
   */
  async activeByRole(
    manager: EntityManager,
    organizationId: string,
    withSsoOnly: boolean,
  ): Promise<Map<string, { members: number; withoutTwoFactor: number }>> {
    const rows: { role_id: string; members: string; without: string }[] = await manager.query(
      `SELECT m.role_id, count(*) AS members,
              count(*) FILTER (WHERE tf.user_id IS NULL AND (u.password_hash IS NOT NULL OR u.sso_subject IS NULL OR $2)) AS without
         FROM memberships m JOIN users u ON u.id = m.user_id ${twoFactorJoin('u')}
        WHERE m.organization_id = $1 AND m.status = 'ACTIVE' GROUP BY m.role_id`,
      [organizationId, withSsoOnly],
    );
    return new Map(rows.map((r) => [r.role_id, { members: Number(r.members), withoutTwoFactor: Number(r.without) }]));
  }

  /**
   * The organization's active members (registered, membership ACTIVE) whose role is one of `roleIds`, at
   * most `limit`, oldest members first: whom to tell of something about the organization (their email and
   * language).
   */
  async activeHolders(
    manager: EntityManager,
    organizationId: string,
    roleIds: string[],
    limit: number,
  ): Promise<{ id: string; email: string; language: string }[]> {
    if (!roleIds.length) return [];
    return manager.query(
      `SELECT u.id, u.email, u.language
         FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.organization_id = $1 AND m.status = 'ACTIVE' AND m.role_id = ANY($2::uuid[]) AND u.status = 'ACTIVE'
        ORDER BY m.joined_at, u.id LIMIT $3`,
      [organizationId, roleIds, limit],
    );
  }

  /** Whether an email belongs to someone (active or invited, in any organization). */
  async emailTaken(tx: EntityManager, email: string): Promise<boolean> {
    return (await tx.query(`SELECT 1 FROM users WHERE email = $1`, [email])).length > 0;
  }

  /**
   * Ends a person's membership of an organization (its team links, invitation and API tokens go with
   * it), then the person too when they belong nowhere any more and are not an operator (their
   * sessions and everything else of theirs go with the row). Returns whether the person was deleted.
   */
  async removeMembership(tx: EntityManager, organizationId: string, id: string): Promise<{ removed: boolean; personDeleted: boolean }> {
    const [, removed]: [unknown[], number] = await tx.query(`DELETE FROM memberships WHERE organization_id = $1 AND user_id = $2`, [
      organizationId,
      id,
    ]);
    // "Belongs nowhere" is a question about every organization.
    const [, deleted]: [unknown[], number] = await OrgDb.acrossOrganizations(tx, () =>
      tx.query(
        `DELETE FROM users u WHERE u.id = $1 AND NOT u.operator AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id)`,
        [id],
      ),
    );
    return { removed: removed > 0, personDeleted: deleted > 0 };
  }

  /**
   * One batch of an organization's deletion, in the caller's transaction (which holds the organization's
   * row): ends up to `limit` of its memberships (their team links, invitations and API tokens go with
   * them), then deletes those people who now belong nowhere and are not operators. Their rows are
   * locked first, so an invitation adding one of them elsewhere at that moment either commits first
   * (and they stay) or waits and fails. Returns how many memberships and people went.
   */
  async removeMembersOf(tx: EntityManager, organizationId: string, limit: number): Promise<{ memberships: number; people: number }> {
    const gone: { user_id: string }[] = await tx.query(
      `WITH gone AS (
         DELETE FROM memberships WHERE organization_id = $1
            AND user_id IN (SELECT user_id FROM memberships WHERE organization_id = $1 LIMIT $2)
         RETURNING user_id)
       SELECT user_id FROM gone`,
      [organizationId, limit],
    );
    const ids = gone.map((r) => r.user_id);
    if (ids.length === 0) return { memberships: 0, people: 0 };
    await tx.query(`SELECT id FROM users WHERE id = ANY($1::uuid[]) AND NOT operator ORDER BY id FOR UPDATE`, [ids]);
    const people: unknown[] = await tx.query(
      `WITH gone AS (
         DELETE FROM users u WHERE u.id = ANY($1::uuid[]) AND NOT u.operator
            AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id)
         RETURNING u.id)
       SELECT id FROM gone`,
      [ids],
    );
    return { memberships: ids.length, people: people.length };
  }

  /** Whether a person is a platform operator. */
  async isOperator(id: string): Promise<boolean> {
    const rows: { operator: boolean }[] = await this.db.query(`SELECT operator FROM users WHERE id = $1`, [id]);
    return rows[0]?.operator ?? false;
  }

  /**
   * A revoked invitation: removes the person's INVITED membership of the organization, and the person
   * when they never registered and belong nowhere else (nor are an operator).
   */
  async deleteInvited(tx: EntityManager, organizationId: string, id: string): Promise<void> {
    const [, removed]: [unknown[], number] = await tx.query(
      `DELETE FROM memberships WHERE organization_id = $1 AND user_id = $2 AND status = 'INVITED'`,
      [organizationId, id],
    );
    if (removed > 0) {
      await OrgDb.acrossOrganizations(tx, () =>
        tx.query(
          `DELETE FROM users u WHERE u.id = $1 AND u.status = 'INVITED' AND NOT u.operator
              AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id)`,
          [id],
        ),
      );
    }
  }

  /**
   * The last connection, at a successful sign-in: the person's, and the membership's of the
   * organization they sign in to (`organizationId`, by default their last organization).
   */
  async markSignedIn(tx: EntityManager, id: string, organizationId?: string): Promise<void> {
    await tx.query(`UPDATE users SET last_sign_in_at = now() WHERE id = $1`, [id]);
    await tx.query(
      `UPDATE memberships SET last_sign_in_at = now()
        WHERE user_id = $1 AND organization_id = COALESCE($2::uuid, (SELECT last_organization_id FROM users WHERE id = $1))`,
      [id, organizationId ?? null],
    );
  }

  /** A re-invitation with another role (the membership is still INVITED). */
  async setInvitedRole(tx: EntityManager, organizationId: string, id: string, roleId: string): Promise<void> {
    await tx.query(`UPDATE memberships SET role_id = $3 WHERE organization_id = $1 AND user_id = $2 AND status = 'INVITED'`, [
      organizationId,
      id,
      roleId,
    ]);
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
    const byId = new Map(checkedRows(organizationId, rows, (r) => r.organization_id, 'members').map((r) => [r.id, toUserModel(r)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** A member of the organization as the API's User; NOT_FOUND when they are not one (a person of another organization too). */
  async findById(organizationId: string, id: string, manager?: EntityManager): Promise<UserModel> {
    const [user] = await this.findByIds(organizationId, [id], manager);
    if (!user) throw notFound('User');
    return user;
  }
}
