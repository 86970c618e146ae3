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
  private generation = 0;

  constructor(private readonly feed: ChangeFeed) {
    feed.subscribe((change) => {
      if ('added' in change) return; // new people: no credential changed
      this.generation++;
      if ('userId' in change) this.dropUser(change.userId);
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
      this.delete(key, e.principal.userId);
      return undefined;
    }
    return e.principal;
  }

  /** Stores what a lookup found, unless a change was announced since `begin()`. */
  put(key: string, principal: Principal, expiresAt: Date | null, generation: number): void {
    if (!this.feed.live || generation !== this.generation) return;
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value as string;
      this.delete(oldest, (this.entries.get(oldest) as Entry).principal.userId);
    }
    const now = Date.now();
    this.entries.set(key, { principal, expiresAt: expiresAt ? expiresAt.getTime() : Infinity, cachedAt: now });
    let keys = this.byUser.get(principal.userId);
    if (!keys) this.byUser.set(principal.userId, (keys = new Set()));
    keys.add(key);
  }

  private delete(key: string, userId: string): void {
    this.entries.delete(key);
    const keys = this.byUser.get(userId);
    keys?.delete(key);
    if (keys?.size === 0) this.byUser.delete(userId);
  }

  private dropUser(userId: string): void {
    for (const key of this.byUser.get(userId) ?? []) this.entries.delete(key);
    this.byUser.delete(userId);
  }

  private clear(): void {
    this.entries.clear();
    this.byUser.clear();
  }
}
