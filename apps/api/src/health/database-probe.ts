import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client, ClientConfig, QueryResult } from 'pg';
import { DataSource } from 'typeorm';
import { outboxCountsSql } from '../email/outbox-counts';
import { webhookOutboxCountsSql } from '../webhooks/outbox-counts';

/** /readyz answers within this, whatever the database does (Kubernetes' default probe timeout is 1 s). */
export const READY_WITHIN_MS = 500;
/** A statement on the probe's connection still unanswered after this: the connection is dropped (a new one next time). */
const STUCK_MS = 5_000;
/** Emails counted per state at most: the count stays cheap however large the outbox grows. */
export const OUTBOX_COUNT_CAP = 10_000;

/**
 * One connection of its own per process, outside the request pool, for what operators poll: the
 * readiness probe's `SELECT 1` and the metrics read at scrape time (the email and webhook outboxes). A saturated pool
 * (every connection busy, requests waiting) therefore never delays them: readiness stays 200 under load,
 * and turns 503 only when PostgreSQL does not answer. The connection is opened at start, and again
 * when needed after it is lost; concurrent probes share one check.
 */
@Injectable()
export class DatabaseProbe implements OnApplicationBootstrap, OnModuleDestroy {
  private client: Promise<Client> | null = null;
  private check: Promise<boolean> | null = null;
  private closed = false;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Connected from the start, so that the first probe does not pay for the connection. */
  onApplicationBootstrap(): void {
    this.connection().catch(() => undefined);
  }

  /** Whether PostgreSQL answers, said within READY_WITHIN_MS (false when it does not answer by then). */
  ready(): Promise<boolean> {
    const check = (this.check ??= this.query('SELECT 1').then(
      () => true,
      () => false,
    ));
    void check.finally(() => {
      if (this.check === check) this.check = null;
    });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((ok) => (timer = setTimeout(() => ok(false), READY_WITHIN_MS)));
    return Promise.race([check, late]).finally(() => clearTimeout(timer));
  }

  /** Emails waiting to be sent and emails given up, each counted up to OUTBOX_COUNT_CAP (partial indexes of email_outbox). */
  async emailOutbox(): Promise<{ pending: number; failed: number }> {
    // One implicit transaction (a pooler in transaction mode keeps it on one server connection), whose
    // limit ends with it: PostgreSQL cuts the count rather than let a scrape wait.
    const [, [row]] = await this.query<[unknown, { pending: number; failed: number }[]]>(
      `SET LOCAL statement_timeout = 1000;
       ${outboxCountsSql(OUTBOX_COUNT_CAP)}`,
    );
    return row;
  }

  /** Webhook deliveries waiting (each status counted up to OUTBOX_COUNT_CAP), and the age of the oldest one due. */
  async webhookOutbox(): Promise<{ pending: number; retrying: number; oldestDueSeconds: number }> {
    const [, [row]] = await this.query<[unknown, { pending: number; retrying: number; oldestDueSeconds: number }[]]>(
      `SET LOCAL statement_timeout = 1000;
       ${webhookOutboxCountsSql(OUTBOX_COUNT_CAP)}`,
    );
    return row;
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    await client?.then((c) => c.end()).catch(() => undefined);
  }

  /** The rows of one statement, or of each statement (several in one string: one implicit transaction). */
  private async query<T>(sql: string): Promise<T> {
    const connecting = this.connection();
    const client = await connecting;
    let timer: NodeJS.Timeout | undefined;
    const stuck = new Promise<never>((_, ko) => {
      timer = setTimeout(() => {
        this.drop(connecting, client);
        ko(new Error('the database probe got no answer'));
      }, STUCK_MS);
    });
    try {
      const result: QueryResult | QueryResult[] = await Promise.race([client.query(sql), stuck]);
      return (Array.isArray(result) ? result.map((r) => r.rows) : result.rows) as T;
    } finally {
      clearTimeout(timer);
    }
  }

  private connection(): Promise<Client> {
    if (this.closed) return Promise.reject(new Error('shutting down'));
    if (this.client) return this.client;
    const options = this.db.options as { url?: string };
    const client = new Client({
      connectionString: options.url,
      connectionTimeoutMillis: STUCK_MS,
      keepAlive: true,
      // No limits as start-up parameters: a pooler in transaction mode refuses those.
      application_name: 'roster-probe',
    } as ClientConfig);
    const connecting = client.connect().then(
      () => client,
      (e: unknown) => {
        this.drop(connecting, client);
        throw e;
      },
    );
    client.on('error', () => this.drop(connecting, client));
    client.on('end', () => this.drop(connecting, client));
    this.client = connecting;
    return connecting;
  }

  /** Forgets a connection that failed (the next use opens another) and closes its socket. */
  private drop(connecting: Promise<Client>, client: Client): void {
    if (this.client === connecting) this.client = null;
    (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
    client.end().catch(() => undefined);
  }
}
