import { Injectable } from '@nestjs/common';
import { ErrorCode } from '@roster/contracts/errors';
import { organizationOf, Principal } from '../core/access/principal';
import { CHANGES_CHANNEL } from '../core/database/change-feed';
import { OrgDb } from '../core/database/org-db';
import { AppError, notFound } from '../core/errors/app-error';
import { cursorInstantSql, decodeInstantCursor, encodeInstantCursor } from '../core/graphql/instant-cursor';
import { AuditService } from '../audit/audit.service';
import {
  WEBHOOK_DELIVERIES_PAGE_MAX,
  WebhookDeliveryModel,
  WebhookDeliveryPageModel,
  WebhookDeliveryStatus,
} from './webhook-delivery.model';
import { WEBHOOK_LEASE_SECONDS } from './webhook-limits';

const COLUMNS = `id, audit_event_id, event_type, status, attempts, response_status, response_body, last_error, created_at,
  last_attempt_at, next_attempt_at, ${cursorInstantSql('created_at')} AS cursor_at`;

interface DeliveryRow {
  id: string;
  audit_event_id: string;
  event_type: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  response_status: number | null;
  response_body: string | null;
  last_error: string | null;
  created_at: Date;
  last_attempt_at: Date | null;
  next_attempt_at: Date;
  cursor_at: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (v: unknown): boolean => typeof v === 'string' && UUID.test(v);

/** A page's size, whatever was asked: 1 to 200. */
export function clampedPageSize(first: number | null | undefined): number {
  return Math.min(Math.max(Math.trunc(first ?? 50), 1), WEBHOOK_DELIVERIES_PAGE_MAX);
}

/**
 * The delivery log of an organization's endpoints (table `webhook_deliveries`, written by the fan-out
 * trigger and the worker): pages newest first, and redelivery. Reads and writes go through OrgDb (the
 * second wall); another organization's endpoint or delivery is NOT_FOUND, as an unknown id is.
 */
@Injectable()
export class WebhookDeliveriesService {
  constructor(
    private readonly orgDb: OrgDb,
    private readonly audit: AuditService,
  ) {}

  /**
   * One endpoint's deliveries, newest first on (created_at, id) — the `webhook_deliveries_log` index
   * (organization, endpoint, created_at DESC, id DESC), `status` a condition on the same range — `first`
   * after the cursor (created_at to the microsecond and the id of the last row seen).
   */
  async page(
    actor: Principal,
    endpointId: string,
    first: number,
    after: string | null,
    status: WebhookDeliveryStatus | null,
  ): Promise<WebhookDeliveryPageModel> {
    const organizationId = organizationOf(actor);
    const cursor = after === null || after === undefined ? null : decodeInstantCursor(after, isUuid);
    if (after !== null && after !== undefined && !cursor) {
      throw new AppError(ErrorCode.BadUserInput, 'The page cursor is invalid (it was altered or comes from elsewhere).', {
        fields: { after: ['cursor'] },
      });
    }
    const limit = clampedPageSize(first);
    const rows: DeliveryRow[] = await this.orgDb.transaction(organizationId, async (tx) => {
      const endpoint: unknown[] = await tx.query(`SELECT 1 FROM webhook_endpoints WHERE id = $1 AND organization_id = $2`, [
        endpointId,
        organizationId,
      ]);
      if (!endpoint.length) throw notFound('Webhook endpoint');
      const params: unknown[] = [organizationId, endpointId];
      const where = ['organization_id = $1', 'endpoint_id = $2'];
      if (status) {
        params.push(status);
        where.push(`status = $${params.length}`);
      }
      if (cursor) {
        params.push(cursor.at, cursor.id);
        where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
      }
      params.push(limit + 1);
      return tx.query(
        `SELECT ${COLUMNS} FROM webhook_deliveries WHERE ${where.join(' AND ')}
          ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
        params,
      );
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      deliveries: page.map(toModel),
      hasNextPage: rows.length > limit,
      endCursor: last ? encodeInstantCursor(last.cursor_at, last.id) : null,
    };
  }

  /**
   * Sends a delivery again, with the same webhook-id (and a new signature, made at the attempt):
   * - DELIVERED or FAILED: PENDING again, due now, for 24 more hours (`retry_until`), `finished_at`
   *   cleared; `attempts` and the last attempt's answer kept (the log shows the total).
   * - RETRYING: due now (already due: as it is) — unless it is leased. A claim sets `last_attempt_at =
   *   now()` and `next_attempt_at` to the lease's end, 20 s later; a failed attempt's outcome sets
   *   `next_attempt_at` to a backoff after it. So a `next_attempt_at` still ahead and no later than
   *   `last_attempt_at + 20 s` is an attempt under way (or a retry due within those seconds anyway):
   *   left as it is, so that the attempt's outcome (written on its `attempts`) is not raced and the same
   *   delivery is not attempted twice at once.
   * - PENDING (leased or not): answered as it is.
   * Only a change is audited (`webhook_delivery.redelivered`, in its transaction) and wakes the workers
   * (NOTIFY 'w', delivered at commit). The endpoint is share-locked first, then the delivery: an admin
   * disabling it meanwhile waits, or goes first and the answer is WEBHOOK_ENDPOINT_DISABLED.
   */
  async redeliver(actor: Principal, deliveryId: string): Promise<WebhookDeliveryModel> {
    const organizationId = organizationOf(actor);
    return this.orgDb.transaction(organizationId, async (tx) => {
      const [endpoint]: { id: string; enabled: boolean }[] = await tx.query(
        `SELECT e.id, e.enabled FROM webhook_endpoints e
          WHERE e.organization_id = $2
            AND e.id = (SELECT d.endpoint_id FROM webhook_deliveries d WHERE d.id = $1 AND d.organization_id = $2)
          FOR SHARE`,
        [deliveryId, organizationId],
      );
      if (!endpoint) throw notFound('Webhook delivery');
      if (!endpoint.enabled) {
        throw new AppError(ErrorCode.WebhookEndpointDisabled, 'This endpoint is disabled: enable it to redeliver its events.');
      }
      const [row]: (DeliveryRow & { ahead: boolean; leased: boolean })[] = await tx.query(
        `SELECT ${COLUMNS}, next_attempt_at > now() AS ahead,
                last_attempt_at IS NOT NULL AND next_attempt_at <= last_attempt_at + make_interval(secs => $3) AS leased
           FROM webhook_deliveries WHERE id = $1 AND organization_id = $2 FOR UPDATE`,
        [deliveryId, organizationId, WEBHOOK_LEASE_SECONDS],
      );
      if (!row) throw notFound('Webhook delivery'); // gone with its endpoint meanwhile
      let sql: string;
      if (row.status === WebhookDeliveryStatus.DELIVERED || row.status === WebhookDeliveryStatus.FAILED) {
        sql = `UPDATE webhook_deliveries
                  SET status = 'PENDING', next_attempt_at = now(), retry_until = now() + interval '24 hours', finished_at = NULL
                WHERE id = $1 RETURNING ${COLUMNS}`;
      } else if (row.status === WebhookDeliveryStatus.RETRYING && row.ahead && !row.leased) {
        sql = `UPDATE webhook_deliveries SET next_attempt_at = now() WHERE id = $1 RETURNING ${COLUMNS}`;
      } else {
        return toModel(row); // PENDING, already due, or being attempted: nothing to change
      }
      const [[next]]: [DeliveryRow[], number] = await tx.query(sql, [row.id]);
      await this.audit.record(tx, actor, 'webhook_delivery.redelivered', null, {
        endpointId: endpoint.id,
        deliveryId: row.id,
        eventId: row.audit_event_id,
        eventType: row.event_type,
      });
      await tx.query(`SELECT pg_notify($1, 'w')`, [CHANGES_CHANNEL]);
      return toModel(next);
    });
  }
}

function toModel(r: DeliveryRow): WebhookDeliveryModel {
  const waiting = r.status === WebhookDeliveryStatus.PENDING || r.status === WebhookDeliveryStatus.RETRYING;
  return {
    id: r.id,
    webhookId: `msg_${r.id.replace(/-/g, '')}`,
    eventId: String(r.audit_event_id),
    eventType: r.event_type,
    status: r.status,
    attempts: r.attempts,
    responseStatus: r.response_status,
    responseBody: r.response_body,
    error: r.last_error,
    createdAt: r.created_at,
    lastAttemptAt: r.last_attempt_at,
    nextAttemptAt: waiting ? r.next_attempt_at : null,
  };
}
