import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { notFound } from '../core/errors/app-error';
import type { Principal } from '../core/access/principal';
import { PrincipalCache } from '../core/access/principal-cache';
import { manageRefusal, AccountsService } from '../users/accounts.service';
import { SessionModel } from './session.model';
import { SessionService } from './session.service';
import { describeUserAgent } from './user-agent';

/** The most a list shows: sessions expire, and a person rarely has more than a handful. */
export const SESSION_LIST_LIMIT = 100;

interface Row {
  id: string;
  user_agent: string | null;
  ip: string | null;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  sso: boolean;
}

/** "Where you're signed in": a person's sessions, for themselves and for admins, and revoking them. */
@Injectable()
export class SessionListService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly principals: PrincipalCache,
    private readonly accounts: AccountsService,
    private readonly sessions: SessionService,
  ) {}

  /** Your live sessions, most recently active first; the one making the request is marked. */
  mine(me: Principal): Promise<SessionModel[]> {
    return this.list(this.db.manager, me.userId, me.sessionId);
  }

  /** Ends one of your sessions (any instance refuses it from the next request on). */
  async revokeMine(me: Principal, id: string): Promise<boolean> {
    await this.db.transaction(async (tx) => {
      const [rows]: [{ id: string; user_id: string }[], number] = await tx.query(
        `DELETE FROM sessions WHERE id = $1 AND user_id = $2 RETURNING id, user_id`,
        [id, me.userId],
      );
      if (rows.length === 0) throw notFound('Session');
      await this.sessions.ended(tx, rows);
      await this.audit.record(tx, me, 'session.revoked', { id: me.userId, email: me.email }, { sessionId: id, own: true });
    });
    this.principals.forget(me.userId); // this instance at once; the others when PostgreSQL announces it
    return true;
  }

  /** "Sign out all other sessions": every session of yours but this one. Returns how many ended. */
  async revokeMyOthers(me: Principal): Promise<number> {
    const ended = await this.db.transaction(async (tx) => {
      const [rows]: [{ id: string; user_id: string }[], number] = await tx.query(
        `DELETE FROM sessions WHERE user_id = $1 AND id <> $2::uuid RETURNING id, user_id`,
        [me.userId, me.sessionId],
      );
      await this.sessions.ended(tx, rows);
      const ended = rows.length;
      await this.audit.record(tx, me, 'session.others_revoked', { id: me.userId, email: me.email }, { sessionsEnded: ended });
      return ended;
    });
    this.principals.forget(me.userId);
    return ended;
  }

  /** A person's sessions, for an admin who may manage that person. */
  async of(actor: Principal, userId: string): Promise<SessionModel[]> {
    // Sessions are the person's, in every organization: only for someone who belongs to this one alone.
    await this.accounts.target(this.db.manager, actor, userId, { lock: false, personal: true });
    return this.list(this.db.manager, userId, actor.sessionId);
  }

  /** An admin ends one session of a person they may manage. Audited. */
  async revoke(actor: Principal, id: string): Promise<boolean> {
    const userId = await this.db.transaction(async (tx) => {
      const rows: { user_id: string }[] = await tx.query(`SELECT user_id FROM sessions WHERE id = $1 FOR UPDATE`, [id]);
      const session = rows[0];
      if (!session) throw notFound('Session');
      // Someone else's session is unknown here, whoever they are elsewhere.
      const person = await this.accounts.target(tx, actor, session.user_id, {
        lock: false,
        personal: true,
        missing: () => notFound('Session'),
      });
      const [ended]: [{ id: string; user_id: string }[], number] = await tx.query(
        `DELETE FROM sessions WHERE id = $1 RETURNING id, user_id`,
        [id],
      );
      await this.sessions.ended(tx, ended);
      await this.audit.record(tx, actor, 'session.revoked', { id: session.user_id, email: person.email }, { sessionId: id });
      return session.user_id;
    });
    this.principals.forget(userId);
    return true;
  }

  /** An admin signs a person they may manage out everywhere ("Revoke sessions"). Audited; returns how many ended. */
  async revokeAllOf(actor: Principal, userId: string): Promise<number> {
    return this.db.transaction(async (tx) => {
      const person = await this.accounts.target(tx, actor, userId, { refused: manageRefusal, personal: true });
      const n = await this.sessions.revokeAllFor(userId, null, tx);
      await this.audit.record(tx, actor, 'user.sessions_revoked', { id: userId, email: person.email }, { sessions: n });
      return n;
    });
  }

  private async list(manager: EntityManager, userId: string, currentSessionId: string | null): Promise<SessionModel[]> {
    const rows: Row[] = await manager.query(
      `SELECT id, user_agent, ip, created_at, last_seen_at, expires_at, sso FROM sessions
        WHERE user_id = $1 AND expires_at > now() ORDER BY last_seen_at DESC, id LIMIT ${SESSION_LIST_LIMIT}`,
      [userId],
    );
    return rows.map((r) => ({
      id: r.id,
      ...describeUserAgent(r.user_agent),
      userAgent: r.user_agent,
      ip: r.ip,
      createdAt: r.created_at,
      lastActiveAt: r.last_seen_at,
      expiresAt: r.expires_at,
      sso: r.sso,
      current: r.id === currentSessionId,
    }));
  }
}
