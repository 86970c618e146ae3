import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** Ends, in the caller's transaction, what the owner's table holds of these Roster sessions of one person. */
export type SessionEndHook = (tx: EntityManager, userId: string, sessionIds: string[]) => Promise<void>;

/**
 * What ends with a Roster session (a sign-out, a session revoked by its person or an admin, every
 * session of a person ended). Features that keep something born from a session declare it (`onEnd()`,
 * once, on their own tables: the OpenID Provider's sessions), the way owners declare what ends with a
 * person's credentials; sessions/ calls `ended()` in the transaction that deleted the rows and imports
 * none of them.
 */
@Injectable()
export class SessionEndHooks {
  private readonly hooks: SessionEndHook[] = [];

  /** Declares what ends with a session in the caller's table (called by the table's owner, once). */
  onEnd(hook: SessionEndHook): void {
    this.hooks.push(hook);
  }

  /** Runs every hook, in the caller's transaction, for the sessions just deleted (`id`, `user_id` rows). */
  async ended(tx: EntityManager, sessions: readonly { id: string; user_id: string }[]): Promise<void> {
    if (sessions.length === 0 || this.hooks.length === 0) return;
    const byUser = new Map<string, string[]>();
    for (const s of sessions) byUser.set(s.user_id, [...(byUser.get(s.user_id) ?? []), s.id]);
    for (const [userId, ids] of byUser) for (const hook of this.hooks) await hook(tx, userId, ids);
  }
}
