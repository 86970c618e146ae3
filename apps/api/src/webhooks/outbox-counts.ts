/**
 * The webhook outbox's figures for the metrics: deliveries waiting (PENDING, RETRYING), each counted up to
 * `cap`, and the age of the oldest one due (0 when none), both on the `webhook_deliveries_due` index. The
 * statement is the webhooks feature's (it owns the table); the health feature runs it on its own
 * connection, outside the request pool.
 */
export function webhookOutboxCountsSql(cap: number): string {
  return `SELECT (SELECT count(*) FROM (SELECT 1 FROM webhook_deliveries WHERE status = 'PENDING' LIMIT ${cap}) p)::int AS pending,
              (SELECT count(*) FROM (SELECT 1 FROM webhook_deliveries WHERE status = 'RETRYING' LIMIT ${cap}) r)::int AS retrying,
              coalesce((SELECT extract(epoch FROM now() - min(next_attempt_at)) FROM webhook_deliveries
                         WHERE status IN ('PENDING', 'RETRYING') AND next_attempt_at <= now()), 0)::float8 AS "oldestDueSeconds"`;
}
