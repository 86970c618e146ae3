import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ErrorCode } from '@roster/contracts/errors';
import { canGrantRole, RoleKey } from '@roster/contracts/permissions';
import { AppError, notFound } from '../core/errors/app-error';
import { OrgDb } from '../core/database/org-db';
import { PrincipalCache } from '../core/access/principal-cache';
import { organizationOf, type Principal } from '../core/access/principal';
import { AuditService } from '../audit/audit.service';
import { RolesService } from '../roles/roles.service';
import type { RoleModel } from '../roles/role.model';
import { UserStatus } from './users.enums';
import { AccountsService, manageRefusal, type Provisioned, SHARED_ACCOUNT_REFUSAL } from './accounts.service';
import { MemberRules } from './member-rules';
import { SCIM_MEMBER_COLUMNS, type ScimMemberRow } from './scim-members';

/**
 * A member as an identity provider wants them (SCIM), validated by the caller: `email` always; any other
 * field left out (`undefined`) stays as it is (on creation: empty names, no display name or external id,
 * active, the organization's default role). `null` clears a display name or an external id.
 */
export interface DesiredMember {
  /** The login email: trimmed, lower-cased, usable. */
  email: string;
  firstName?: string;
  lastName?: string;
  displayName?: string | null;
  externalId?: string | null;
  active?: boolean;
  /** A role of the organization by key or name (case-insensitive), or the organization's default role. */
  role?: { ref: string } | 'default';
}

/** What SCIM says when provisioning refuses a value: RFC 7644's `scimType` of the refusal. */
export type ProvisioningRefusal = 'uniqueness' | 'mutability' | 'invalidValue';

/**
 * A refusal of provisioning that has no error code of its own in the console's vocabulary (an external id
 * taken, a shared account's email, an unknown role): BAD_USER_INPUT anywhere else, `refusal` for SCIM.
 */
export class ProvisioningError extends AppError {
  constructor(
    readonly refusal: ProvisioningRefusal,
    message: string,
  ) {
    super(refusal === 'uniqueness' ? ErrorCode.EmailTaken : ErrorCode.BadUserInput, message);
  }
}

/** How a POST found the email (design §5): a new person, a pending invitation here, a person of elsewhere. */
export type ProvisionedFrom = 'new' | 'invitation' | 'elsewhere';

/**
 * Run in the provisioning transaction when someone becomes an active member by SCIM (registered by the
 * owners of what follows: the invitation consumed, how the person will sign in). What it returns joins the
 * audit event's details.
 */
export type ProvisionedHook = (
  tx: EntityManager,
  event: { organizationId: string; userId: string; from: ProvisionedFrom; registered: boolean; actor: Principal },
) => Promise<Record<string, unknown> | void>;

/** The organization's default role for provisioned people (its single sign-on connection's), or null for the built-in Member. */
export type DefaultRoleSource = (tx: EntityManager, organizationId: string) => Promise<string | null>;

/**
 * Reads the answer inside the transaction that made the change (SCIM's representation). `inserted`: the
 * member as a creation wrote them, when nothing else of theirs can show (no teams, nothing changed after):
 * the answer without a read-back.
 */
export type ReadBack<T> = (tx: EntityManager, organizationId: string, userId: string, inserted?: ScimMemberRow) => Promise<T>;

/** The unique indexes a second person (or membership) with the same email meets. */
const UNIQUE_PERSON = new Set(['UQ_97672ac88f789774dd47f7c8be3', 'memberships_email', 'PK_memberships']);

/** A member's row as provisioning compares it. */
interface Current {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  status: UserStatus;
  role_id: string;
  role_name: string;
  role_permissions: string[];
  external_id: string | null;
  display_name: string | null;
  own_names: boolean;
}

/**
 * SCIM provisioning's writes on members (design §5), through the rules of the console (`MemberRules`,
 * `AccountsService.target`, `canGrantRole`) and its audit actions, each call one organization transaction.
 * Every change is idempotent: an unchanged value writes and audits nothing.
 */
@Injectable()
export class MembersProvisioning {
  private readonly hooks: { name: string; hook: ProvisionedHook }[] = [];
  private defaultRole: DefaultRoleSource = async () => null;

  constructor(
    private readonly orgDb: OrgDb,
    private readonly accounts: AccountsService,
    private readonly roles: RolesService,
    private readonly rules: MemberRules,
    private readonly audit: AuditService,
    private readonly principals: PrincipalCache,
  ) {}

  /** Declares what follows a provisioning in the caller's table (called by its owner, once). */
  onProvisioned(name: string, hook: ProvisionedHook): void {
    this.hooks.push({ name, hook });
  }

  /** Where the organization's default role comes from (single sign-on, above this feature, tells it at start). */
  defaultRoleFrom(source: DefaultRoleSource): void {
    this.defaultRole = source;
  }

  /**
   * POST /Users: the email is new (a person is created, active, without credentials), a pending
   * invitation here (it becomes an active membership), a person of elsewhere (an active membership with
   * names of its own), or a member here already (409 `uniqueness`). Returns `read`'s answer.
   */
  async create<T>(actor: Principal, desired: DesiredMember, read: ReadBack<T>): Promise<T> {
    const organizationId = organizationOf(actor);
    // The organization's roles, from memory when unchanged, read before the transaction takes its connection.
    const roles = await this.roles.byIdCached(organizationId);
    return this.transaction(organizationId, async (tx) => {
      // The invitations' key: one person per email, whichever door makes them.
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [desired.email]);
      const person = await this.accounts.identity(tx, { email: desired.email }, true);
      const membership = person ? await this.accounts.membership(tx, organizationId, person.id, true) : null;
      if (membership && membership.status !== UserStatus.INVITED) {
        throw new ProvisioningError('uniqueness', 'This person is a user of the organization already: find them by userName.');
      }
      // An external id another member has is refused by the memberships' unique index when the membership is
      // written (`transaction` says `uniqueness`): no look-up of its own.
      const firstName = desired.firstName ?? '';
      const lastName = desired.lastName ?? '';
      const provisioned = { externalId: desired.externalId ?? null, displayName: desired.displayName ?? null };
      let userId: string;
      let from: ProvisionedFrom;
      let registered: boolean;
      let role: { id: string; key?: string; name: string };
      // A new membership (of a new person, or of a person of elsewhere) is inserted last (below): its insert
      // takes the organization's member counter, held until commit, so each creation holds it briefly.
      let membershipLater: Provisioned | null = null;
      if (!person) {
        role = await this.roleFor(tx, actor, organizationId, desired.role ?? 'default', roles);
        userId = await this.accounts.createPerson(tx, {
          email: desired.email,
          organizationId,
          status: UserStatus.ACTIVE,
          firstName,
          lastName,
          // The token owner's language: a new person's emails speak it until they choose theirs (as invitations do).
          languageOf: actor.userId,
        });
        membershipLater = provisioned;
        from = 'new';
        registered = false;
      } else if (membership) {
        userId = person.id;
        // Their invited role stays unless another is sent; either must be one the token may grant.
        const target = await this.accounts.target(tx, actor, userId, { refused: manageRefusal });
        role = desired.role
          ? await this.roleFor(tx, actor, organizationId, desired.role, roles)
          : { id: target.role_id, name: target.role_name };
        ({ registered } = await this.accounts.activateProvisioned(tx, organizationId, userId, { firstName, lastName }, provisioned));
        if (role.id !== target.role_id) {
          await tx.query(`UPDATE memberships SET role_id = $3 WHERE organization_id = $1 AND user_id = $2`, [
            organizationId,
            userId,
            role.id,
          ]);
        }
        from = 'invitation';
      } else {
        userId = person.id;
        role = await this.roleFor(tx, actor, organizationId, desired.role ?? 'default', roles);
        // Nothing of their account shows here: the names sent are the membership's own.
        membershipLater = { ...provisioned, ownNames: { firstName, lastName } };
        from = 'elsewhere';
        registered = person.status === UserStatus.ACTIVE;
      }
      const details: Record<string, unknown> = { role: role.name, via: 'scim' };
      for (const { hook } of this.hooks) Object.assign(details, await hook(tx, { organizationId, userId, from, registered, actor }));
      const target = { id: userId, email: desired.email };
      if (from === 'invitation') await this.audit.record(tx, actor, 'invitation.accepted', target, details);
      else await this.audit.record(tx, actor, 'user.provisioned', target, { ...details, externalId: provisioned.externalId });
      let inserted: ScimMemberRow | undefined;
      if (membershipLater) {
        const row = await this.accounts.addMembership<Omit<ScimMemberRow, 'role_key' | 'role_name' | 'teams'>>(
          tx,
          { organizationId, userId, roleId: role.id, status: UserStatus.ACTIVE, provisioned: membershipLater },
          SCIM_MEMBER_COLUMNS,
        );
        // A new membership has no team yet; its role is the one just granted.
        if (row && role.key !== undefined) inserted = { ...row, role_key: role.key, role_name: role.name, teams: [] };
      }
      if (desired.active === false) {
        inserted = undefined;
        await tx.query(`UPDATE memberships SET status = 'DEACTIVATED' WHERE organization_id = $1 AND user_id = $2`, [
          organizationId,
          userId,
        ]);
        const { sessions, apiTokens } = await this.rules.endCredentials(tx, organizationId, userId);
        await this.audit.record(tx, actor, 'user.deactivated', target, { sessions, apiTokens, via: 'scim' });
      }
      return read(tx, organizationId, userId, inserted);
    });
  }

  /**
   * PUT and PATCH /Users/:id: under the admins lock and the member's locked rows, `plan` says what the
   * member should become (it may read them, check `If-Match`), and each difference is applied in the
   * order email, names, role, status. NOT_FOUND for anyone who is not an active or deactivated member.
   */
  async update<T>(actor: Principal, id: string, plan: (tx: EntityManager) => Promise<DesiredMember>, read: ReadBack<T>): Promise<T> {
    const organizationId = organizationOf(actor);
    try {
      return await this.transaction(organizationId, async (tx) => {
        await this.rules.lockAdmins(tx, organizationId);
        const current = await this.lockMember(tx, actor, organizationId, id);
        await this.apply(tx, actor, organizationId, current, await plan(tx));
        return read(tx, organizationId, id);
      });
    } finally {
      // A role, status or ended credentials: this instance at once; the others when PostgreSQL announces it.
      this.principals.forget(id);
    }
  }

  /**
   * DELETE /Users/:id: the console's deletion (nobody deletes themselves, the last admin stays), after
   * `check` (`If-Match`) under the locks. NOT_FOUND for anyone who is not an active or deactivated member.
   */
  async remove(actor: Principal, id: string, check: (tx: EntityManager) => Promise<void>): Promise<void> {
    const organizationId = organizationOf(actor);
    try {
      await this.removeMember(actor, organizationId, id, check);
    } finally {
      this.principals.forget(id);
    }
  }

  private async removeMember(
    actor: Principal,
    organizationId: string,
    id: string,
    check: (tx: EntityManager) => Promise<void>,
  ): Promise<void> {
    await this.transaction(organizationId, async (tx) => {
      await this.rules.lockAdmins(tx, organizationId);
      const current = await this.lockMember(tx, actor, organizationId, id);
      await check(tx);
      if (id === actor.userId) throw new AppError(ErrorCode.SelfDelete, 'You cannot delete yourself.');
      await this.rules.assertAdminRemains(tx, organizationId, current, []);
      await this.accounts.removeMembership(tx, organizationId, id);
      await this.audit.record(tx, actor, 'user.deleted', { id, email: current.email }, { role: current.role_name, via: 'scim' });
    });
  }

  /**
   * One organization transaction. Two requests racing for the same external id (or email) under different
   * locks meet at the unique index: the loser gets the refusal it would have got a moment later.
   */
  private async transaction<T>(organizationId: string, work: (tx: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.orgDb.transaction(organizationId, work);
    } catch (e) {
      const driver = (e as { driverError?: { code?: unknown; constraint?: unknown } }).driverError;
      if (driver?.code === '23505') {
        if (driver.constraint === 'memberships_external_id') {
          throw new ProvisioningError('uniqueness', 'Another user of the organization has this externalId.');
        }
        if (typeof driver.constraint === 'string' && UNIQUE_PERSON.has(driver.constraint)) {
          throw new AppError(ErrorCode.EmailTaken, 'This email already belongs to a user.');
        }
      }
      throw e;
    }
  }

  /** A SCIM user of the organization (active or deactivated), locked, that the actor may manage. */
  private async lockMember(tx: EntityManager, actor: Principal, organizationId: string, id: string): Promise<Current> {
    // An invitee is no SCIM user: not found, before anything tells who they are.
    const membership = await this.accounts.membership(tx, organizationId, id);
    if (!membership || membership.status === UserStatus.INVITED) throw notFound('User');
    const target = await this.rules.lockTarget(tx, actor, organizationId, id);
    const rows: Pick<Current, 'external_id' | 'display_name' | 'own_names'>[] = await tx.query(
      `SELECT external_id, display_name, own_names FROM memberships WHERE organization_id = $1 AND user_id = $2`,
      [organizationId, id],
    );
    return { ...target, ...rows[0] };
  }

  private async apply(
    tx: EntityManager,
    actor: Principal,
    organizationId: string,
    current: Current,
    desired: DesiredMember,
  ): Promise<void> {
    const id = current.id;
    const target = { id, email: current.email };
    const member = (sql: string, params: unknown[]) =>
      tx.query(`UPDATE memberships SET ${sql} WHERE organization_id = $1 AND user_id = $2`, [organizationId, id, ...params]);

    // 1. The email: the person's, for a person of this organization only.
    if (desired.email !== current.email) {
      if (current.own_names || (await this.accounts.belongsElsewhere(tx, organizationId, id))) {
        throw new ProvisioningError('mutability', `${SHARED_ACCOUNT_REFUSAL} Its email cannot be changed here.`);
      }
      const { from } = await this.accounts.changeEmail(tx, organizationId, id, desired.email);
      await this.audit.record(tx, actor, 'user.email_changed', { id, email: desired.email }, { from, to: desired.email, via: 'scim' });
      target.email = desired.email;
    }

    // 2. Names, display name, external id: one `user.updated`.
    const diff: Record<string, { from: unknown; to: unknown }> = {};
    const firstName = desired.firstName ?? current.first_name;
    const lastName = desired.lastName ?? current.last_name;
    if (firstName !== current.first_name || lastName !== current.last_name) {
      if (current.own_names) {
        await member(`first_name = $3, last_name = $4`, [firstName, lastName]);
      } else if (await this.accounts.belongsElsewhere(tx, organizationId, id)) {
        // The person's names are every organization's: from now on this membership keeps its own.
        await member(`own_names = true, first_name = $3, last_name = $4`, [firstName, lastName]);
      } else {
        await tx.query(`UPDATE users SET first_name = $2, last_name = $3, updated_at = now() WHERE id = $1`, [id, firstName, lastName]);
      }
      if (firstName !== current.first_name) diff['firstName'] = { from: current.first_name, to: firstName };
      if (lastName !== current.last_name) diff['lastName'] = { from: current.last_name, to: lastName };
    }
    if (desired.displayName !== undefined && desired.displayName !== current.display_name) {
      await member(`display_name = $3`, [desired.displayName]);
      diff['displayName'] = { from: current.display_name, to: desired.displayName };
    }
    if (desired.externalId !== undefined && desired.externalId !== current.external_id) {
      await this.assertExternalIdFree(tx, organizationId, desired.externalId, id);
      await member(`external_id = $3`, [desired.externalId]);
      diff['externalId'] = { from: current.external_id, to: desired.externalId };
    }
    if (Object.keys(diff).length) await this.audit.record(tx, actor, 'user.updated', target, { ...diff, via: 'scim' });

    // 3. The role.
    let permissions = current.role_permissions;
    if (desired.role !== undefined) {
      const role = await this.roleFor(tx, actor, organizationId, desired.role);
      if (role.id !== current.role_id) {
        if (id === actor.userId) throw new AppError(ErrorCode.SelfRoleChange, 'You cannot change your own role.');
        await this.rules.assertAdminRemains(tx, organizationId, current, role.permissions);
        await member(`role_id = $3`, [role.id]);
        await this.audit.record(tx, actor, 'user.role_changed', target, { role: { from: current.role_name, to: role.name }, via: 'scim' });
        permissions = role.permissions;
      }
    }

    // 4. The status.
    const wanted = desired.active === undefined ? current.status : desired.active ? UserStatus.ACTIVE : UserStatus.DEACTIVATED;
    if (wanted !== current.status) {
      if (wanted === UserStatus.DEACTIVATED) {
        if (id === actor.userId) throw new AppError(ErrorCode.SelfDeactivate, 'You cannot deactivate yourself.');
        await this.rules.assertAdminRemains(tx, organizationId, { ...current, role_permissions: permissions }, []);
        await member(`status = 'DEACTIVATED'`, []);
        const { sessions, apiTokens } = await this.rules.endCredentials(tx, organizationId, id);
        await this.audit.record(tx, actor, 'user.deactivated', target, { sessions, apiTokens, via: 'scim' });
      } else {
        await member(`status = 'ACTIVE'`, []);
        await this.audit.record(tx, actor, 'user.reactivated', target, { via: 'scim' });
      }
    }
  }

  /**
   * A role of the organization the actor may grant: named by key or name (case-insensitive; unknown:
   * `invalidValue`), or the organization's default (its single sign-on connection's, else Member).
   */
  /**
   * The role a provisioned member gets, which the actor must be able to grant. `known`: the organization's roles
   * as read before the transaction (from memory); a role missing there (created a moment ago on another
   * instance) is read in the transaction.
   */
  private async roleFor(
    tx: EntityManager,
    actor: Principal,
    organizationId: string,
    wanted: { ref: string } | 'default',
    known?: Map<string, RoleModel>,
  ): Promise<{ id: string; key: string; name: string; permissions: string[] }> {
    let role: { id: string; key: string; name: string; permissions: string[] } | undefined;
    if (wanted === 'default') {
      const id = await this.defaultRole(tx, organizationId);
      if (id) role = known?.get(id) ?? (await this.roles.byId(tx, organizationId, id));
      else {
        role =
          [...(known?.values() ?? [])].find((r) => r.key === RoleKey.Member) ??
          (await this.roles.byKey(tx, organizationId, RoleKey.Member)) ??
          undefined;
      }
      if (!role) throw new ProvisioningError('invalidValue', 'The organization has no default role: send one in roles.');
    } else {
      const ref = wanted.ref.trim().toLowerCase();
      const find = <R extends { key: string; name: string }>(roles: R[]) =>
        roles.find((r) => r.key.toLowerCase() === ref) ?? roles.find((r) => r.name.toLowerCase() === ref);
      role = find([...(known?.values() ?? [])]) ?? find(await this.roles.list(organizationId, tx));
      if (!role) throw new ProvisioningError('invalidValue', `No role of the organization is called "${wanted.ref.slice(0, 100)}".`);
    }
    if (!canGrantRole(actor.permissions, role.permissions)) {
      throw new AppError(ErrorCode.RoleNotGrantable, `You cannot grant the ${role.name} role.`);
    }
    return role;
  }

  /** `uniqueness` when another member of the organization has this external id (exact case). */
  private async assertExternalIdFree(
    tx: EntityManager,
    organizationId: string,
    externalId: string | null,
    self: string | null,
  ): Promise<void> {
    if (externalId === null) return;
    const rows: { user_id: string }[] = await tx.query(
      `SELECT user_id FROM memberships WHERE organization_id = $1 AND external_id = $2 FOR UPDATE`,
      [organizationId, externalId],
    );
    if (rows[0] && rows[0].user_id !== self) {
      throw new ProvisioningError('uniqueness', 'Another user of the organization has this externalId.');
    }
  }
}
