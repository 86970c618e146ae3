import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { LOCKS } from './locks';

const BATCH = 5_000;
const MAX_BATCHES_PER_TABLE = 20;

/**
 * Purges expired rows every JANITOR_INTERVAL_SECONDS. Each table's owner declares what "expired"
 * means for its rows (`expire()`: sessions, 2FA challenges, SSO states, rate-limit counters). Safe with several instances: a tick runs only where it wins a
 * transaction-scoped advisory lock (tried, never waited for), and deletes in short batches.
 * Features also hand it work to take up at every tick (`every()`: organizations being deleted).
 */
@Injectable()
export class JanitorService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Janitor');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  /** Table → SQL condition of its expired rows. */
  private readonly expired = new Map<string, string>();
  /** Name → work resumed at every tick, after the purge. */
  private readonly jobs = new Map<string, () => Promise<number>>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Declares a table's expired rows (called by the table's owner); a fixed SQL condition, never input. */
  expire(table: string, condition: string): void {
    this.expired.set(table, condition);
  }

  /**
   * Work taken up at every tick, after the purge and outside its transaction (called by the work's
   * owner): it commits as it goes, keeps several instances apart itself, and returns how many rows it
   * removed. A failure is logged and the next tick tries again.
   */
  every(name: string, job: () => Promise<number>): void {
    this.jobs.set(name, job);
  }

  onApplicationBootstrap(): void {
    const seconds = this.config.janitorIntervalSeconds;
    if (!seconds) return;
    const tick = () => {
      this.running ??= this.purge()
        .then(
          () => undefined,
          (e: unknown) => this.logger.warn(`Purge skipped: ${e instanceof Error ? e.message : String(e)}`),
        )
        .finally(() => (this.running = null));
    };
    // A random first tick spreads instances apart; then a fixed interval.
    this.timer = setTimeout(
      () => {
        tick();
        this.timer = setInterval(tick, seconds * 1000).unref();
      },
      Math.random() * Math.min(seconds, 10) * 1000,
    ).unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /**
   * One purge, then the jobs; returns the number of rows removed per table (no table when another
   * instance holds the purge's lock) and per job.
   */
  async purge(): Promise<Record<string, number>> {
    const removed = await this.purgeExpired();
    for (const [name, job] of this.jobs) {
      try {
        removed[name] = await job();
      } catch (e) {
        this.logger.warn(`${name} skipped: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return removed;
  }

  private purgeExpired(): Promise<Record<string, number>> {
    return this.db.transaction(async (tx) => {
      const [{ locked }]: { locked: boolean }[] = await tx.query(`SELECT pg_try_advisory_xact_lock(${LOCKS.janitor}) AS locked`);
      const removed: Record<string, number> = {};
      if (!locked) return removed;
      for (const [table, expired] of this.expired) {
        removed[table] = 0;
        for (let i = 0; i < MAX_BATCHES_PER_TABLE; i++) {
          const [, n]: [unknown, number] = await tx.query(
            `DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} WHERE ${expired} LIMIT ${BATCH})`,
          );
          removed[table] += n;
          if (n < BATCH) break;
        }
      }
      if (Object.values(removed).some(Boolean)) this.logger.log(`Purged expired rows: ${JSON.stringify(removed)}`);
      return removed;
    });
  }
}
