import { Inject, Injectable, Logger } from '@nestjs/common';
import { Permission } from '@roster/contracts/permissions';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { APP_CONFIG, type AppConfig } from '../core/config/config';
import { webhookEndpointsDisabled } from '../core/observability/metrics';
import { EmailService } from '../email/email.service';
import { OrganizationsService } from '../organizations/organizations.service';
import { RolesService } from '../roles/roles.service';
import { AccountsService } from '../users/accounts.service';
import { WEBHOOK_DISABLED_EMAILS_MAX, WEBHOOK_FAILING_DISABLE_HOURS } from './webhook-limits';
import { parkDeliveries } from './webhook-parking';
import { webhookHost } from './webhook-url';

/** Why Roster (not an admin) disables an endpoint: it answered 410 Gone, or it has failed for 3 days. */
export type AutomaticReason = 'GONE' | 'FAILING';

/** An endpoint this process disabled, to announce after the commit. */
export interface Disabling {
  id: string;
  host: string;
  reason: AutomaticReason;
  failingSince: Date | null;
}

interface Disabled {
  id: string;
  organization_id: string;
  url: string;
  description: string;
  failing_since: Date | null;
  disabled_at: Date;
}

/**
 * Roster disabling an endpoint, in the transaction that writes the failed attempt's outcome: the endpoint disabled with its reason, its waiting
 * deliveries parked, `webhook_endpoint.disabled` audited (no actor), and, when SMTP is configured, the
 * `webhook_disabled` email to the organization's active members who manage webhooks (at most 50, each in
 * their language). Platform work (the delivery worker's, as the connecting role); an endpoint already
 * disabled, deleted, or (FAILING) healthy again meanwhile is left as it is.
 */
@Injectable()
export class WebhookDisabling {
  private readonly logger = new Logger('Webhooks');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly email: EmailService,
    private readonly organizations: OrganizationsService,
    private readonly roles: RolesService,
    private readonly accounts: AccountsService,
  ) {}

  /**
   * Disables the endpoint for `reason` in the caller's transaction (FAILING only while its failures are
   * 72 h old). Returns what to announce once committed (`announce`), or null when it was left as it is.
   */
  async disableIn(
    tx: EntityManager,
    endpointId: string,
    reason: AutomaticReason,
    responseStatus: number | null,
  ): Promise<Disabling | null> {
    const [rows]: [Disabled[], number] = await tx.query(
      `UPDATE webhook_endpoints SET enabled = false, disabled_reason = $2, disabled_at = now(), updated_at = now()
        WHERE id = $1 AND enabled
          AND ($2 <> 'FAILING' OR failing_since <= now() - interval '${WEBHOOK_FAILING_DISABLE_HOURS} hours')
        RETURNING id, organization_id, url, description, failing_since, disabled_at`,
      [endpointId, reason],
    );
    const row = rows[0];
    if (!row) return null;
    await parkDeliveries(tx, row.organization_id, row.id);
    const host = webhookHost(row.url);
    await this.audit.record(
      tx,
      null,
      'webhook_endpoint.disabled',
      null,
      { endpointId: row.id, host, reason, responseStatus, failingSince: row.failing_since?.toISOString() ?? null },
      { organizationId: row.organization_id },
    );
    if (this.email.enabled) await this.tell(tx, row, reason, host);
    return { id: row.id, host, reason, failingSince: row.failing_since };
  }

  /** Once the disabling committed: counted, and said in the server's log (the endpoint's id and host only). */
  announce(done: Disabling): void {
    webhookEndpointsDisabled.inc({ reason: done.reason === 'GONE' ? 'gone' : 'failing' });
    const why = done.reason === 'GONE' ? 'it answered 410 Gone' : `no success since ${done.failingSince?.toISOString() ?? '?'}`;
    this.logger.warn(`Disabled webhook endpoint ${done.id} (${done.host}): ${why}`);
  }

  /** The `webhook_disabled` email to those who manage the organization's webhooks, in the same transaction. */
  private async tell(tx: EntityManager, row: Disabled, reason: AutomaticReason, host: string): Promise<void> {
    const organization = await this.organizations.byId(row.organization_id, tx);
    if (!organization) return; // being deleted: nobody to tell
    const roleIds = await this.roles.idsWith(tx, row.organization_id, [Permission.WebhooksManage]);
    const people = await this.accounts.activeHolders(tx, row.organization_id, roleIds, WEBHOOK_DISABLED_EMAILS_MAX);
    const since = reason === 'FAILING' && row.failing_since ? row.failing_since : row.disabled_at;
    for (const person of people) {
      await this.email.enqueue(tx, {
        kind: 'webhook_disabled',
        to: person.email,
        language: person.language,
        userId: person.id,
        payload: {
          url: `${this.config.publicUrl}/o/${encodeURIComponent(organization.slug)}/webhooks`,
          organization: organization.name,
          endpoint: { description: row.description, host },
          reason,
          since: since.toISOString(),
        },
      });
    }
  }
}
