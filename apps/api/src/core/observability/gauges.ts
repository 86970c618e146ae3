import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ChangeFeed } from '../database/change-feed';
import { poolOf } from '../database/pool';
import { startDefaultMetrics, watchChangeFeed, watchEmailOutbox, watchPool } from './metrics';

/**
 * The gauges read at each scrape: the process's own (prom-client's defaults), the connection pool, the
 * change feed, and the email outbox (counted by whoever owns it: `emailOutbox`).
 */
export function watchGauges(app: INestApplication, emailOutbox: () => Promise<{ pending: number; failed: number }>): void {
  startDefaultMetrics();
  const pool = poolOf(app.get(DataSource));
  watchPool(() => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max }));
  const feed = app.get(ChangeFeed);
  watchChangeFeed(() => feed.live);
  watchEmailOutbox(emailOutbox);
}
