import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ChangeFeed } from '../database/change-feed';
import { poolOf } from '../database/pool';
import { startDefaultMetrics, watchChangeFeed, watchEmailOutbox, watchPool, watchWebhookOutbox, type WebhookOutboxCounts } from './metrics';

/**
 * The gauges read at each scrape: the process's own (prom-client's defaults), the connection pool, the
 * change feed, and the email and webhook outboxes (counted by whoever owns them: `outboxes`).
 */
export function watchGauges(
  app: INestApplication,
  outboxes: { email: () => Promise<{ pending: number; failed: number }>; webhooks: () => Promise<WebhookOutboxCounts> },
): void {
  startDefaultMetrics();
  const pool = poolOf(app.get(DataSource));
  watchPool(() => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max }));
  const feed = app.get(ChangeFeed);
  watchChangeFeed(() => feed.live);
  watchEmailOutbox(outboxes.email);
  watchWebhookOutbox(outboxes.webhooks);
}
