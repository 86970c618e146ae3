import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OrgDb } from '../database/org-db';

/**
 * Why a person's credentials end. `password`: their password changed or was reset, so what was begun
 * with the old one ends (API tokens stay: separate credentials). `deactivated`: nothing of theirs may
 * sign in any more, API tokens included. `left-organization`: they may no longer act in one
 * organization (deactivated there, still active elsewhere): what acts only there ends (its API tokens).
 */
export type CredentialEnd = 'password' | 'deactivated' | 'left-organization';

/**
 * Ends a person's rows in its owner's table, in the caller's transaction; returns how many ended.
 * `organizationId` is the organization they left (`left-organization`), else null.
 */
export type CredentialHook = (
  tx: EntityManager,
  userId: string,
  keepSessionId: string | null,
  organizationId: string | null,
) => Promise<number>;

/**
 * What ends with a person's credentials. Each table's owner declares, for its own rows, what ends and
 * when (`onEnd()`: sessions, pending second-factor sign-ins, password-reset links, API tokens), the way
 * owners declare expired rows to the janitor; whoever ends the credentials (a password change or reset,
 * a deactivation) calls `end()` and imports none of those owners.
 */
@Injectable()
export class CredentialHooks {
  private readonly hooks: { name: string; on: readonly CredentialEnd[]; end: CredentialHook }[] = [];

  /** Declares what ends in the caller's table (called by the table's owner, once); `name` keys the counts. */
  onEnd(name: string, on: readonly CredentialEnd[], end: CredentialHook): void {
    this.hooks.push({ name, on, end });
  }

  /**
   * Ends, in the caller's transaction (which holds the person's row), everything declared for `why`;
   * `keepSessionId`: the session making the change stays. Returns how many rows ended, by name.
   */
  async end(tx: EntityManager, userId: string, why: CredentialEnd, keepSessionId: string | null = null): Promise<Record<string, number>> {
    if (why === 'left-organization') throw new Error('leftOrganization() names the organization');
    // The person's credentials of every organization (their API tokens in each), whoever's transaction it is.
    return OrgDb.acrossOrganizations(tx, () => this.run(tx, userId, why, keepSessionId, null));
  }

  /** Ends, in the caller's transaction, what acts only in the organization the person may no longer act in. */
  leftOrganization(tx: EntityManager, userId: string, organizationId: string): Promise<Record<string, number>> {
    return this.run(tx, userId, 'left-organization', null, organizationId);
  }

  private async run(
    tx: EntityManager,
    userId: string,
    why: CredentialEnd,
    keepSessionId: string | null,
    organizationId: string | null,
  ): Promise<Record<string, number>> {
    const ended: Record<string, number> = {};
    for (const hook of this.hooks) if (hook.on.includes(why)) ended[hook.name] = await hook.end(tx, userId, keepSessionId, organizationId);
    return ended;
  }
}
