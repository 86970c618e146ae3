/**
 * The outbox's figures for the metrics: emails waiting to be sent and emails given up, each counted up
 * to `cap` on the partial indexes of email_outbox. The statement is the email feature's (it owns the
 * table); the health feature runs it on its own connection, outside the request pool.
 */
export function outboxCountsSql(cap: number): string {
  return `SELECT (SELECT count(*) FROM (SELECT 1 FROM email_outbox WHERE status = 'PENDING' LIMIT ${cap}) p)::int AS pending,
              (SELECT count(*) FROM (SELECT 1 FROM email_outbox WHERE status = 'FAILED' LIMIT ${cap}) f)::int AS failed`;
}
