import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { Client, ClientConfig } from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';

/** The channel the database announces changes on (triggers of the change-notifications migration). */
export const CHANGES_CHANNEL = 'roster_changes';
/**
 * A change to one person (`u:<id>`), or to one organization (`o:<id>`: its status, slug or name, its
 * deletion, its roles or its two-factor policy; `s:<id>`: its single sign-on connection, which decides
 * whether its members' password sessions still count), or to everything (`*`: a statement over many
 * organizations, a TRUNCATE, or the feed restarted), or people were added (`n`: what a
 * person's credentials stand for did not change, but counts of people did), or an organization's teams
 * were renamed or deleted (`t:<organization id>`: names shown, no credential), or webhook deliveries
 * were written (`w`: the delivery worker's wake-up; nothing cached changed).
 */
export type Change =
  { userId: string } | { organizationId: string } | { all: true } | { added: true } | { teamsOf: string } | { webhooksDue: true };

/**
 * A notification's payload as a change. Anything not known here is a change to everything (caches
 * drop all they hold): a new payload must be parsed here, or each one would empty every cache.
 */
export function parseChange(payload: string): Change {
  if (payload.startsWith('u:')) return { userId: payload.slice(2) };
  if (payload.startsWith('o:') || payload.startsWith('s:')) return { organizationId: payload.slice(2) };
  if (payload.startsWith('t:')) return { teamsOf: payload.slice(2) };
  if (payload === 'n') return { added: true };
  if (payload === 'w') return { webhooksDue: true };
  return { all: true };
}

const HEARTBEAT_MS = 2_000;
const RETRY_MS = 1_000;
/** How long `caughtUp` waits for its notification before caches here drop everything instead. */
const CATCH_UP_MS = 1_000;

/**
 * Listens to `roster_changes` on its own connection (outside the pool: LISTEN holds a session) and
 * tells subscribers. While the connection is down, `live` is false: caches must then not serve
 * anything, because a change could be missed; every (re)connection and every loss is announced as
 * a change to everything. Two heartbeats: a query on the listening connection notices a silent
 * network loss within seconds; and a notification this instance sends itself through the pool (where
 * the triggers fire) must come back, which proves notifications actually reach the listener (a pooler
 * in transaction mode cannot deliver them; DATABASE_LISTEN_URL lets this one connection bypass it).
 */
@Injectable()
export class ChangeFeed implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ChangeFeed');
  private readonly subscribers = new Set<(change: Change) => void>();
  private client: Client | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;
  private live_ = false;

  /** The heartbeat notification this instance waits for, and since when; null when none is outstanding. */
  private awaited: { payload: string; sentAt: number | null } | null = null;
  private warnedDeaf = false;
  /** `caughtUp` calls waiting for their notification, by its payload. */
  private readonly catchingUp = new Map<string, (heard: boolean) => void>();
  /** The catch-up whose notification is not sent yet: callers meanwhile share it. */
  private nextCatchUp: Promise<void> | null = null;
  /** The listening connection's queries, one after another (queuing them in pg's client is deprecated). */
  private listenerQueries: Promise<unknown> = Promise.resolve();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Whether changes are being received now (caches serve only then). */
  get live(): boolean {
    return this.live_;
  }

  subscribe(listener: (change: Change) => void): void {
    this.subscribers.add(listener);
  }

  /**
   * Resolves once this instance has heard of every change committed before the call, so that a
   * change it just made is enforced by its own next request (the announcement of a commit otherwise
   * reaches the listener a few milliseconds after the commit's caller has moved on). A notification
   * sent on the listening connection itself comes back after all those committed before it:
   * PostgreSQL delivers them in commit order. Nothing to wait for while the feed is not live (caches
   * serve nothing then); when the notification does not come back in time, caches here drop
   * everything instead, which is as correct and only slower. Calls made while one notification waits
   * for the connection share it: it is sent after every one of them began, so it covers their commits.
   */
  caughtUp(): Promise<void> {
    const client = this.client;
    if (!this.live_ || !client) return Promise.resolve();
    if (this.nextCatchUp) return this.nextCatchUp;
    // The heartbeat's prefix: other instances (of any version) take it for another's heartbeat and ignore it.
    const payload = `hb:${randomBytes(9).toString('base64url')}`;
    const caught = new Promise<void>((resolve) => {
      const timer = setTimeout(() => done(false), CATCH_UP_MS);
      const done = (heard: boolean) => {
        clearTimeout(timer);
        this.catchingUp.delete(payload);
        if (!heard) this.emit({ all: true });
        resolve();
      };
      this.catchingUp.set(payload, done);
      const sending = () => {
        if (this.nextCatchUp === caught) this.nextCatchUp = null;
      };
      this.onListener(client, `SELECT pg_notify($1, $2)`, [CHANGES_CHANNEL, payload], sending).catch(() => done(false));
    });
    this.nextCatchUp = caught;
    return caught;
  }

  /** Runs a query on the listening connection once the ones before it are done; `sending` just before it is sent. */
  private onListener(client: Client, text: string, values: unknown[] = [], sending?: () => void): Promise<unknown> {
    const run = this.listenerQueries.then(() => {
      sending?.();
      return client.query(text, values);
    });
    this.listenerQueries = run.catch(() => undefined);
    return run;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    await this.drop();
  }

  private emit(change: Change): void {
    for (const s of this.subscribers) s(change);
  }

  private async connect(): Promise<void> {
    const options = this.db.options as { url?: string; extra?: Record<string, unknown> };
    const client = new Client({
      connectionString: this.config.databaseListenUrl ?? options.url,
      connectionTimeoutMillis: 5_000,
      keepAlive: true,
      application_name: 'roster-changes',
      // Below the heartbeat interval: a silent loss is noticed within ~3.5 s at worst.
      query_timeout: 1_500,
    } as ClientConfig);
    client.on('error', () => void this.lost());
    client.on('end', () => void this.lost());
    client.on('notification', (n) => {
      if (n.channel !== CHANGES_CHANNEL) return;
      const payload = n.payload ?? '*';
      if (payload.startsWith('hb:')) {
        const caughtUp = this.catchingUp.get(payload);
        if (caughtUp) return caughtUp(true);
        if (payload !== this.awaited?.payload) return; // another instance's heartbeat: not a change
        this.awaited = null;
        // Delivery proven: caches may serve (anything cached before may have missed a change).
        if (!this.live_ && this.client === client) {
          this.live_ = true;
          this.emit({ all: true });
        }
        return;
      }
      this.emit(parseChange(payload));
    });
    try {
      this.client = client;
      this.listenerQueries = Promise.resolve();
      this.nextCatchUp = null;
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
      // A notification is a transaction of its own: `caughtUp`'s need not wait for the disk (nothing is kept).
      await client.query(`SET synchronous_commit TO off`);
      if (this.stopped) {
        await client.end().catch(() => undefined);
        return;
      }
      // Live only once a notification sent through the pool has come back on this connection.
      this.awaited = null;
      const beat = () => {
        this.onListener(client, 'SELECT 1').catch(() => void this.lost());
        // Counted from when PostgreSQL took the notification: a busy pool delays the send, not the delivery.
        const sentAt = this.awaited?.sentAt ?? null;
        if (sentAt !== null && Date.now() - sentAt > 3 * HEARTBEAT_MS) {
          // Sent where the triggers fire, never received here: changes would be missed.
          if (!this.warnedDeaf) {
            this.warnedDeaf = true;
            this.logger.warn(
              'Change notifications do not reach this instance (a pooler in transaction mode? set DATABASE_LISTEN_URL to a direct address); caches are off.',
            );
          }
          return void this.lost();
        }
        if (this.awaited) return; // still being sent, or on its way
        const awaited: { payload: string; sentAt: number | null } = { payload: `hb:${randomBytes(9).toString('base64url')}`, sentAt: null };
        this.awaited = awaited;
        this.db.query(`SELECT pg_notify($1, $2)`, [CHANGES_CHANNEL, awaited.payload]).then(
          () => (awaited.sentAt = Date.now()),
          () => {
            if (this.awaited === awaited) this.awaited = null; // not sent (pool busy or down): try again next beat
          },
        );
      };
      beat();
      this.heartbeat = setInterval(beat, HEARTBEAT_MS).unref();
    } catch (e) {
      this.logger.warn(
        `Change notifications unavailable (${e instanceof Error ? e.message : String(e)}); caches are off until they are back.`,
      );
      await this.lost();
    }
  }

  /** The connection failed: serve nothing from caches, and try again shortly. */
  private async lost(): Promise<void> {
    if (!this.client) return;
    const wasLive = this.live_;
    this.live_ = false;
    this.emit({ all: true });
    await this.drop();
    if (wasLive) this.logger.warn('Change notifications lost; caches are off until they are back.');
    if (!this.stopped && !this.retry) {
      this.retry = setTimeout(() => {
        this.retry = null;
        void this.connect();
      }, RETRY_MS).unref();
    }
  }

  private async drop(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    const client = this.client;
    this.client = null;
    this.live_ = false;
    this.nextCatchUp = null;
    for (const done of [...this.catchingUp.values()]) done(false);
    await client?.end().catch(() => undefined);
  }
}
