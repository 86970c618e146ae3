import { Injectable } from '@nestjs/common';
import { ChangeFeed } from '../database/change-feed';
import type { Principal } from './principal';

/** An entry is looked up again after this long even if no change was announced (a safety net). */
const MAX_AGE_MS = 10_000;
/** Bounded: the oldest entries go first. */
const MAX_ENTRIES = 10_000;

interface Entry {
  principal: Principal;
  /** When the credential itself expires (session or token expiry), ms. */
  expiresAt: number;
  cachedAt: number;
}

/**
 * Credential (hashed) → principal, for a few seconds, so an authenticated request costs one round
 * trip to PostgreSQL instead of two. Correct on every instance: the database announces every change
 * that alters a principal (ChangeFeed), which drops the person's entries at once; while the feed is
 * down nothing is served from here. A lookup that raced with a change is not stored (generation check).
 */
@Injectable()
export class PrincipalCache {
  private readonly entries = new Map<string, Entry>();
  private readonly byUser = new Map<string, Set<string>>();
  /** Organization id → keys of principals acting in it; `''` → keys of principals acting in none (refused). */
  private readonly byOrganization = new Map<string, Set<string>>();
  private generation = 0;

  constructor(private readonly feed: ChangeFeed) {
    feed.subscribe((change) => {
      if ('teamsOf' in change || 'webhooksDue' in change) return; // team names, webhook deliveries: no credential changed
      this.generation++;
      // New people or memberships (an active one, made by SCIM or single sign-on): a principal refused an organization,
      // or acting in none, may act there now. Those acting in an organization are unchanged.
      if ('added' in change) this.dropOrganizationless();
      else if ('userId' in change) this.dropUser(change.userId);
      else if ('organizationId' in change) this.dropOrganization(change.organizationId);
      else this.clear();
    });
  }

  /**
   * Drops a person's entries on this instance at once, after a change this instance just committed
   * (the announcement from the database follows a few milliseconds later, for every instance).
   */
  forget(userId: string): void {
    this.generation++;
    this.dropUser(userId);
  }

  /**
   * Drops the entries acting in an organization, and those acting in none (a header naming it may now
   * be refused, or accepted), on this instance at once, after a change to it this instance committed.
   */
  forgetOrganization(organizationId: string): void {
    this.generation++;
    this.dropOrganization(organizationId);
  }

  /** Drops everything on this instance at once (after a change to roles or the policy it committed). */
  forgetAll(): void {
    this.generation++;
    this.clear();
  }

  /** Call before looking a credential up in the database; pass the result to `put`. */
  begin(): number {
    return this.generation;
  }

  get(key: string): Principal | undefined {
    if (!this.feed.live) return undefined;
    const e = this.entries.get(key);
    if (!e) return undefined;
    const now = Date.now();
    if (now >= e.expiresAt || now - e.cachedAt > MAX_AGE_MS) {
      this.delete(key, e.principal);
      return undefined;
    }
    return e.principal;
  }

  /** Stores what a lookup found, unless a change was announced since `begin()`. */
  put(key: string, principal: Principal, expiresAt: Date | null, generation: number): void {
    if (!this.feed.live || generation !== this.generation) return;
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value as string;
      this.delete(oldest, (this.entries.get(oldest) as Entry).principal);
    }
    const now = Date.now();
    this.entries.set(key, { principal, expiresAt: expiresAt ? expiresAt.getTime() : Infinity, cachedAt: now });
    index(this.byUser, principal.userId, key);
    index(this.byOrganization, organizationKey(principal), key);
  }

  private delete(key: string, principal: Principal): void {
    this.entries.delete(key);
    unindex(this.byUser, principal.userId, key);
    unindex(this.byOrganization, organizationKey(principal), key);
  }

  private dropUser(userId: string): void {
    for (const key of [...(this.byUser.get(userId) ?? [])]) {
      const e = this.entries.get(key);
      if (e) this.delete(key, e.principal);
    }
    this.byUser.delete(userId);
  }

  private dropOrganization(organizationId: string): void {
    for (const org of [organizationId, '']) {
      for (const key of [...(this.byOrganization.get(org) ?? [])]) {
        const e = this.entries.get(key);
        if (e) this.delete(key, e.principal);
      }
      this.byOrganization.delete(org);
    }
  }

  private dropOrganizationless(): void {
    for (const key of [...(this.byOrganization.get('') ?? [])]) {
      const e = this.entries.get(key);
      if (e) this.delete(key, e.principal);
    }
    this.byOrganization.delete('');
  }

  private clear(): void {
    this.entries.clear();
    this.byUser.clear();
    this.byOrganization.clear();
  }
}

function organizationKey(principal: Principal): string {
  return principal.organization?.id ?? '';
}

function index(map: Map<string, Set<string>>, id: string, key: string): void {
  let keys = map.get(id);
  if (!keys) map.set(id, (keys = new Set()));
  keys.add(key);
}

function unindex(map: Map<string, Set<string>>, id: string, key: string): void {
  const keys = map.get(id);
  keys?.delete(key);
  if (keys?.size === 0) map.delete(id);
}
