import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { WEBHOOK_EVENT_TYPES } from '@roster/contracts/audit-actions';
import { ErrorCode } from '@roster/contracts/errors';
import { organizationOf, Principal } from '../core/access/principal';
import { APP_CONFIG, type AppConfig } from '../core/config/config';
import { LOCKS } from '../core/database/locks';
import { OrgDb } from '../core/database/org-db';
import { AppError, notFound } from '../core/errors/app-error';
import { SECRET_BOX, SecretBox } from '../core/security/secret-box';
import { AuditService } from '../audit/audit.service';
import {
  CreateWebhookEndpointInput,
  UpdateWebhookEndpointInput,
  WEBHOOK_ENDPOINTS_PER_ORGANIZATION,
  WebhookDisabledReason,
  WebhookEndpointModel,
  WebhookEndpointWithSecretModel,
} from './webhook-endpoint.model';
import { parkDeliveries, resumeDeliveries } from './webhook-parking';
import { checkedWebhookUrl, webhookHost } from './webhook-url';

const COLUMNS = `id, url, description, event_types, enabled, disabled_reason, disabled_at, failing_since, last_success_at,
  secret_rotated_at, previous_secret_expires_at, created_at, updated_at`;

interface EndpointRow {
  id: string;
  url: string;
  description: string;
  event_types: string[];
  enabled: boolean;
  disabled_reason: WebhookDisabledReason | null;
  disabled_at: Date | null;
  failing_since: Date | null;
  last_success_at: Date | null;
  secret_rotated_at: Date | null;
  previous_secret_expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const KNOWN_TYPES: ReadonlySet<string> = new Set(WEBHOOK_EVENT_TYPES);

/** A new signing secret: `whsec_` and 32 random bytes in standard base64 (what Standard Webhooks' libraries read). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * The event types of an input, distinct and sorted, each exactly one of WEBHOOK_EVENT_TYPES (case
 * included); WEBHOOK_EVENT_TYPE_UNKNOWN naming the first other one (null for an empty list).
 */
export function checkedEventTypes(types: readonly string[]): string[] {
  if (types.length === 0) {
    throw new AppError(ErrorCode.WebhookEventTypeUnknown, 'Choose at least one event type.', { eventType: null });
  }
  const unknown = types.find((t) => !KNOWN_TYPES.has(t));
  if (unknown !== undefined) {
    throw new AppError(ErrorCode.WebhookEventTypeUnknown, 'Not an event type of webhookEventTypes.', { eventType: unknown });
  }
  return [...new Set(types)].sort();
}

/**
 * An organization's webhook endpoints (table `webhook_endpoints`), written through OrgDb behind the second
 * wall, each write audited in its transaction. Audit details name the endpoint's host, never its path,
 * query or secret. Secrets are sealed with ROSTER_SECRET_KEY (Roster signs with them) and shown once, at
 * creation and at rotation; a rotated-out secret keeps signing 24 h (the janitor then clears it).
 */
@Injectable()
export class WebhookEndpointsService {
  constructor(
    private readonly orgDb: OrgDb,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  /** The organization's endpoints, oldest first. */
  async list(actor: Principal): Promise<WebhookEndpointModel[]> {
    const rows: EndpointRow[] = await this.orgDb.transaction(organizationOf(actor), (tx) =>
      tx.query(`SELECT ${COLUMNS} FROM webhook_endpoints WHERE organization_id = $1 ORDER BY created_at, id`, [organizationOf(actor)]),
    );
    return rows.map(toModel);
  }

  async create(actor: Principal, input: CreateWebhookEndpointInput): Promise<WebhookEndpointWithSecretModel> {
    const organizationId = organizationOf(actor);
    const eventTypes = checkedEventTypes(input.eventTypes);
    await checkedWebhookUrl(input.url, { allowPrivateTargets: this.config.allowPrivateTargets });
    const description = input.description ?? '';
    const secret = newWebhookSecret();
    return this.orgDb.transaction(organizationId, async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(${LOCKS.webhookEndpoints}, hashtext($1::text))`, [organizationId]);
      const [{ n }]: { n: number }[] = await tx.query(`SELECT count(*)::int AS n FROM webhook_endpoints WHERE organization_id = $1`, [
        organizationId,
      ]);
      if (n >= WEBHOOK_ENDPOINTS_PER_ORGANIZATION) {
        throw new AppError(ErrorCode.LimitReached, `At most ${WEBHOOK_ENDPOINTS_PER_ORGANIZATION} webhook endpoints: remove one first.`, {
          limit: WEBHOOK_ENDPOINTS_PER_ORGANIZATION,
        });
      }
      const [row]: EndpointRow[] = await tx.query(
        `INSERT INTO webhook_endpoints (organization_id, url, description, event_types, secret_sealed, created_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
        [organizationId, input.url, description, eventTypes, this.box.seal(secret), actor.userId ?? null],
      );
      await this.audit.record(tx, actor, 'webhook_endpoint.created', null, details(row));
      return { endpoint: toModel(row), secret };
    });
  }

  /** Changes what the input names; what it leaves out stays. Nothing changed: nothing written, nothing audited. */
  async update(actor: Principal, input: UpdateWebhookEndpointInput): Promise<WebhookEndpointModel> {
    const eventTypes = input.eventTypes === undefined ? undefined : checkedEventTypes(input.eventTypes);
    if (input.url !== undefined) await checkedWebhookUrl(input.url, { allowPrivateTargets: this.config.allowPrivateTargets });
    return this.write(actor, input.id, async (tx, row) => {
      const next = {
        url: input.url ?? row.url,
        eventTypes: eventTypes ?? row.event_types,
        description: input.description ?? row.description,
        enabled: input.enabled ?? row.enabled,
      };
      const from: Record<string, unknown> = {};
      const to: Record<string, unknown> = {};
      if (next.url !== row.url) {
        from.host = webhookHost(row.url);
        to.host = webhookHost(next.url);
      }
      if (next.eventTypes.join('\n') !== row.event_types.join('\n')) {
        from.eventTypes = row.event_types;
        to.eventTypes = next.eventTypes;
      }
      if (next.description !== row.description) {
        from.description = row.description;
        to.description = next.description;
      }
      if (next.enabled !== row.enabled) {
        from.enabled = row.enabled;
        to.enabled = next.enabled;
      }
      if (Object.keys(to).length === 0) return toModel(row);
      // Disabling by hand is MANUAL; enabling clears the reason and the failing streak (a fresh start).
      const [rows]: [EndpointRow[], number] = await tx.query(
        `UPDATE webhook_endpoints
            SET url = $2, event_types = $3, description = $4, enabled = $5,
                disabled_reason = CASE WHEN $5 THEN NULL WHEN enabled THEN 'MANUAL' ELSE disabled_reason END,
                disabled_at = CASE WHEN $5 THEN NULL WHEN enabled THEN now() ELSE disabled_at END,
                failing_since = CASE WHEN $5 AND NOT enabled THEN NULL ELSE failing_since END,
                updated_at = now()
          WHERE id = $1 RETURNING ${COLUMNS}`,
        [row.id, next.url, next.eventTypes, next.description, next.enabled],
      );
      // Disabled: its waiting deliveries are parked until their window ends; enabled: they are due at once.
      if (next.enabled !== row.enabled) {
        const organizationId = organizationOf(actor);
        await (next.enabled ? resumeDeliveries(tx, organizationId, row.id) : parkDeliveries(tx, organizationId, row.id));
      }
      await this.audit.record(tx, actor, 'webhook_endpoint.updated', null, { ...details(rows[0]), from, to });
      return toModel(rows[0]);
    });
  }

  /** Removes an endpoint and its delivery log. */
  async delete(actor: Principal, id: string): Promise<boolean> {
    return this.write(actor, id, async (tx, row) => {
      await tx.query(`DELETE FROM webhook_endpoints WHERE id = $1`, [row.id]);
      await this.audit.record(tx, actor, 'webhook_endpoint.deleted', null, details(row));
      return true;
    });
  }

  /**
   * A new secret, shown once; the current one becomes the previous one and keeps signing for 24 h. A
   * previous secret still kept is dropped at once (two secrets at most).
   */
  async rotateSecret(actor: Principal, id: string): Promise<WebhookEndpointWithSecretModel> {
    return this.write(actor, id, async (tx, row) => {
      const secret = newWebhookSecret();
      const [rows]: [EndpointRow[], number] = await tx.query(
        `UPDATE webhook_endpoints
            SET previous_secret_sealed = secret_sealed, previous_secret_expires_at = now() + interval '24 hours',
                secret_sealed = $2, secret_rotated_at = now(), updated_at = now()
          WHERE id = $1 RETURNING ${COLUMNS}`,
        [row.id, this.box.seal(secret)],
      );
      await this.audit.record(tx, actor, 'webhook_endpoint.secret_rotated', null, details(rows[0]));
      return { endpoint: toModel(rows[0]), secret };
    });
  }

  /** Runs a write on one endpoint of the caller's organization, locked; another organization's is NOT_FOUND, as an unknown id is. */
  private write<T>(actor: Principal, id: string, work: (tx: EntityManager, row: EndpointRow) => Promise<T>): Promise<T> {
    const organizationId = organizationOf(actor);
    return this.orgDb.transaction(organizationId, async (tx) => {
      const [row]: EndpointRow[] = await tx.query(
        `SELECT ${COLUMNS} FROM webhook_endpoints WHERE id = $1 AND organization_id = $2 FOR UPDATE`,
        [id, organizationId],
      );
      if (!row) throw notFound('Webhook endpoint');
      return work(tx, row);
    });
  }
}

/** What the audit log says of an endpoint: its host, never its path, query or secret. */
function details(r: EndpointRow): Record<string, unknown> {
  return { endpointId: r.id, host: webhookHost(r.url), eventTypes: r.event_types, enabled: r.enabled, description: r.description };
}

function toModel(r: EndpointRow): WebhookEndpointModel {
  return {
    id: r.id,
    url: r.url,
    eventTypes: r.event_types,
    enabled: r.enabled,
    description: r.description,
    disabledReason: r.disabled_reason,
    disabledAt: r.disabled_at,
    failingSince: r.failing_since,
    lastSuccessAt: r.last_success_at,
    secretRotatedAt: r.secret_rotated_at,
    previousSecretExpiresAt: r.previous_secret_expires_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
