import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Principal } from '../core/access/principal';

/** The role taking a deleted role's place. */
export interface Replacement {
  id: string;
  name: string;
  permissions: string[];
}

/**
 * What holds roles in one owner's table (memberships, capped API tokens, an SSO connection's default
 * role). Each owner declares, for its own rows, how many hold a role and how they move to a replacement
 * when it is deleted, the way owners declare what ends with credentials: roles/ sits below every one of
 * them and imports none.
 */
export interface RoleHolder {
  /** Keys the counts (`holders`, `tokens`, `ssoDefault`). */
  name: string;
  /** Moved before the others (lower first): tokens are checked against their owner's role as it is after the move. */
  order: number;
  /** How many of the owner's rows of the organization hold the role. */
  count(tx: EntityManager, organizationId: string, roleId: string): Promise<number>;
  /** Moves them to `replacement` in the caller's transaction; returns counts for the audit event (e.g. `{ tokensRevoked }`). */
  replace(
    tx: EntityManager,
    actor: Principal,
    organizationId: string,
    role: { id: string; name: string },
    replacement: Replacement,
  ): Promise<Record<string, number>>;
}

/** What the owner of memberships (and people) answers besides: who is active in which role, how many hold each, in which language. */
export interface MemberRoles {
  /** Whether an active member of the organization holds one of `roleIds` (not empty). */
  anyActive(tx: EntityManager, organizationId: string, roleIds: string[]): Promise<boolean>;
  /** The role of the person's active membership of the organization, or null. */
  activeRole(tx: EntityManager, organizationId: string, userId: string): Promise<string | null>;
  /** The language a person reads the API's texts in (their own setting; English when unknown). */
  language(manager: EntityManager, userId: string): Promise<string>;
  /** How many members (any status) hold each role of the organization, by role id (roles nobody holds may be missing). */
  counts(manager: EntityManager, organizationId: string): Promise<Map<string, number>>;
}

/** The registry of role holders (see `RoleHolder`), and the members' answers (see `MemberRoles`). */
@Injectable()
export class RoleHolders {
  private readonly holders: RoleHolder[] = [];
  private memberRoles?: MemberRoles;

  /** Declares a table's holders (called by the table's owner, once). */
  register(holder: RoleHolder): void {
    this.holders.push(holder);
    this.holders.sort((a, b) => a.order - b.order);
  }

  /** Declares the members' answers (memberships' owner, once). */
  onMembers(memberRoles: MemberRoles): void {
    this.memberRoles = memberRoles;
  }

  get members(): MemberRoles {
    if (!this.memberRoles) throw new Error('The owner of memberships did not declare who holds roles');
    return this.memberRoles;
  }

  /** Each holder's count of the role, by name. */
  async count(tx: EntityManager, organizationId: string, roleId: string): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const h of this.holders) counts[h.name] = await h.count(tx, organizationId, roleId);
    return counts;
  }

  /** Moves every holder of `role` to `replacement`, in order; the counts they return, merged. */
  async replace(
    tx: EntityManager,
    actor: Principal,
    organizationId: string,
    role: { id: string; name: string },
    replacement: Replacement,
  ): Promise<Record<string, number>> {
    const moved: Record<string, number> = {};
    for (const h of this.holders) Object.assign(moved, await h.replace(tx, actor, organizationId, role, replacement));
    return moved;
  }
}
