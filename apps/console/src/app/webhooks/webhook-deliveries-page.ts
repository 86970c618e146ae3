import { NgTemplateOutlet } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, OnInit, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { MatTableModule } from '@angular/material/table';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatOption, MatSelect } from '@angular/material/select';
import { MatTooltip } from '@angular/material/tooltip';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import {
  RedeliverWebhookGQL,
  WebhookDeliveriesGQL,
  WebhookDeliveryFieldsFragment,
  WebhookDeliveryStatus,
  WebhookEndpointFieldsFragment,
  WebhookEndpointsGQL,
} from '@roster/console/data-access/generated';
import { errorKey } from '../core/api';
import { injectLang } from '../core/i18n';
import { organizationOf, organizationUrl } from '../core/organization';
import { actionKey } from '../shared/audit-action';
import { CursorList, CursorPage } from '../shared/cursor-list';
import { FormStatus } from '../shared/form-status';
import { Notifier } from '../shared/notifier';
import { TableFrame } from '../shared/table-frame';
import { ExactTimePipe, RelativeTimePipe } from '../shared/time';
import { DELIVERY_STATUSES, deliveryOutcome, localDay, statusFromParam } from './webhook-deliveries';
import { EndpointStatus, endpointName, endpointStatus, hostAndPath, shortTime } from './webhook-form';

type Delivery = WebhookDeliveryFieldsFragment;

const PAGE_SIZE = 50;

/**
 * An endpoint's delivery log (webhooks:manage): newest first, 50 more at a time, a status filter kept in
 * the URL; each row opens to the response body (as text), the webhook-id and the event, with a link to
 * the audit log; "Redeliver" sends one again (the same webhook-id), unless the endpoint is disabled.
 */
@Component({
  selector: 'ro-webhook-deliveries-page',
  imports: [
    RouterLink,
    NgTemplateOutlet,
    MatTableModule,
    MatButton,
    MatIconButton,
    MatIcon,
    MatFormField,
    MatLabel,
    MatSelect,
    MatOption,
    MatTooltip,
    TranslocoPipe,
    RelativeTimePipe,
    ExactTimePipe,
    TableFrame,
    FormStatus,
  ],
  templateUrl: './webhook-deliveries-page.html',
  styleUrl: './webhook-deliveries-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WebhookDeliveriesPage implements OnInit {
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);
  private readonly endpointsGql = inject(WebhookEndpointsGQL);
  private readonly deliveriesGql = inject(WebhookDeliveriesGQL);
  private readonly redeliverGql = inject(RedeliverWebhookGQL);
  private readonly notifier = inject(Notifier);
  private readonly transloco = inject(TranslocoService);
  protected readonly lang = injectLang();

  private readonly endpointId = this.route.snapshot.paramMap.get('id') ?? '';
  protected readonly endpoint = signal<WebhookEndpointFieldsFragment | null>(null);
  protected readonly endpointError = signal<string | null>(null);
  protected readonly statuses = DELIVERY_STATUSES;
  /** The status filter, as the URL keeps it (`?status=FAILED`); null: all. */
  protected readonly status = signal<WebhookDeliveryStatus | null>(null);
  protected readonly columns = ['expand', 'eventType', 'status', 'attempts', 'response', 'createdAt', 'actions'];
  protected readonly list = new CursorList<Delivery>((after) => this.fetch(after), { key: (d) => d.id });
  protected readonly expanded = signal<ReadonlySet<string>>(new Set());
  /** Deliveries being sent again (their button waits). */
  protected readonly sending = signal<ReadonlySet<string>>(new Set());
  /** The organization of the URL (`/o/<slug>/webhooks/<id>`): the links stay in it. */
  private readonly slug = organizationOf(this.route.snapshot.root) ?? '';
  protected readonly webhooksPage = organizationUrl(this.slug, '/webhooks');
  protected readonly auditPage = organizationUrl(this.slug, '/audit');
  protected readonly name = endpointName;
  protected readonly hostAndPath = hostAndPath;
  protected readonly outcome = deliveryOutcome;
  /** How the endpoint is doing, in words (a delivery cannot be sent again while it is disabled). */
  protected readonly endpointState = computed<EndpointStatus | null>(() => {
    const endpoint = this.endpoint();
    return endpoint ? endpointStatus(endpoint) : null;
  });
  protected readonly disabled = computed(() => this.endpoint()?.enabled === false);

  ngOnInit(): void {
    void this.loadEndpoint();
    this.route.queryParamMap.pipe(takeUntilDestroyed(this.destroyRef)).subscribe((params) => {
      this.status.set(statusFromParam(params.get('status')));
      this.expanded.set(new Set());
      void this.list.first();
    });
  }

  private async loadEndpoint(): Promise<void> {
    try {
      const result = await firstValueFrom(this.endpointsGql.fetch({ fetchPolicy: 'network-only' }));
      const endpoint = result.data?.webhookEndpoints.find((e) => e.id === this.endpointId) ?? null;
      this.endpoint.set(endpoint);
      if (!endpoint) this.endpointError.set('errors.NOT_FOUND');
    } catch (e) {
      this.endpointError.set(errorKey(e));
    }
  }

  private async fetch(after: string | null): Promise<CursorPage<Delivery>> {
    const result = await firstValueFrom(
      this.deliveriesGql.fetch({
        variables: { endpointId: this.endpointId, first: PAGE_SIZE, after, status: this.status() },
        fetchPolicy: 'network-only',
      }),
    );
    const page = result.data?.webhookDeliveries;
    if (!page) throw result.error ?? new Error('no deliveries in the answer');
    return { rows: page.deliveries, endCursor: page.endCursor, hasNextPage: page.hasNextPage };
  }

  /** Another status: the URL changes (Back returns to the previous one), and the list follows it. */
  protected onStatus(status: WebhookDeliveryStatus | null): void {
    void this.router.navigate([], { relativeTo: this.route, queryParams: { status } });
  }

  /** A moment as a short date and time, in the console's language. */
  protected shortTime(iso: string): string {
    return shortTime(iso, this.lang());
  }

  /** An event type in words (the audit log's), else as named. */
  protected typeName(type: string): string {
    const key = actionKey(type);
    return key ? this.transloco.translate(key) : type;
  }

  protected isExpanded = (delivery: Delivery) => this.expanded().has(delivery.id);

  protected toggle(delivery: Delivery): void {
    const next = new Set(this.expanded());
    if (next.has(delivery.id)) next.delete(delivery.id);
    else next.add(delivery.id);
    this.expanded.set(next);
  }

  /** The audit log filtered on the event's action and day (it has no filter by id). */
  protected auditParams(delivery: Delivery): Record<string, string> {
    const day = localDay(delivery.createdAt);
    return { action: delivery.eventType, from: day, to: day };
  }

  async redeliver(delivery: Delivery): Promise<void> {
    this.sending.update((s) => new Set([...s, delivery.id]));
    try {
      await this.notifier.attempt(async () => {
        const result = await firstValueFrom(this.redeliverGql.mutate({ variables: { deliveryId: delivery.id } }));
        const updated = result.data?.redeliverWebhook;
        if (!updated) throw result.error ?? new Error('no delivery in the answer');
        this.list.rows.update((rows) => rows.map((d) => (d.id === updated.id ? updated : d)));
        this.notifier.say('webhooks.deliveries.redelivered', { type: this.typeName(updated.eventType) });
      });
    } finally {
      this.sending.update((s) => new Set([...s].filter((id) => id !== delivery.id)));
    }
  }
}
