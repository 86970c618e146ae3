import type { EntityManager } from 'typeorm';

/**
 * Deliveries of a disabled endpoint are parked, not dropped: their next attempt moves to their
 * `retry_until`, when the worker finds the endpoint still disabled and marks them FAILED without sending.
 * Enabling the endpoint again makes them due at once (those already past their 24 h are FAILED:
 * *Redeliver* sends them one by one). Run in the transaction that disables or enables the endpoint (an
 * organization's, as `roster_tenant`, or the worker's).
 */

/** Parks the endpoint's waiting deliveries. */
export async function parkDeliveries(tx: EntityManager, organizationId: string, endpointId: string): Promise<void> {
  await tx.query(
    `UPDATE webhook_deliveries SET next_attempt_at = retry_until
      WHERE organization_id = $1 AND endpoint_id = $2 AND status IN ('PENDING', 'RETRYING')`,
    [organizationId, endpointId],
  );
}

/**
 * Makes the endpoint's parked deliveries due now, and gives up those past their window; wakes the
 * delivery workers at commit.
 */
export async function resumeDeliveries(tx: EntityManager, organizationId: string, endpointId: string): Promise<void> {
  await tx.query(
    `UPDATE webhook_deliveries
        SET status = CASE WHEN retry_until <= now() THEN 'FAILED' ELSE status END,
            finished_at = CASE WHEN retry_until <= now() THEN now() END,
            last_error = CASE WHEN retry_until <= now() THEN 'endpoint disabled' ELSE last_error END,
            next_attempt_at = CASE WHEN retry_until <= now() THEN next_attempt_at ELSE now() END
      WHERE organization_id = $1 AND endpoint_id = $2 AND status IN ('PENDING', 'RETRYING')`,
    [organizationId, endpointId],
  );
  await tx.query(`SELECT pg_notify('roster_changes', 'w')`);
}
