import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { of } from 'rxjs';
import {
  RedeliverWebhookGQL,
  WebhookDeliveriesGQL,
  WebhookDeliveryFieldsFragment,
  WebhookEndpointFieldsFragment,
  WebhookEndpointsGQL,
} from '@roster/console/data-access/generated';
import { Notifier } from '../shared/notifier';
import { deliveryOutcome, localDay, statusFromParam } from './webhook-deliveries';
import { WebhookDeliveriesPage } from './webhook-deliveries-page';

function delivery(fields: Partial<WebhookDeliveryFieldsFragment>): WebhookDeliveryFieldsFragment {
  return {
    id: 'd1',
    webhookId: 'msg_0001',
    eventId: 'e1',
    eventType: 'team.created',
    status: 'DELIVERED',
    attempts: 1,
    responseStatus: 200,
    responseBody: 'ok',
    error: null,
    createdAt: '2026-03-01T12:00:00Z',
    lastAttemptAt: '2026-03-01T12:00:01Z',
    nextAttemptAt: null,
    ...fields,
  };
}

const ENDPOINT: WebhookEndpointFieldsFragment = {
  id: 'w1',
  url: 'https://hooks.example.com/roster',
  description: 'CRM sync',
  eventTypes: ['team.created'],
  enabled: true,
  disabledReason: null,
  disabledAt: null,
  failingSince: null,
  lastSuccessAt: null,
  secretRotatedAt: null,
  previousSecretExpiresAt: null,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

describe('delivery helpers', () => {
  it('reads the status filter of the URL, nothing else', () => {
    expect(statusFromParam('FAILED')).toBe('FAILED');
    expect(statusFromParam('failed')).toBeNull();
    expect(statusFromParam(null)).toBeNull();
  });

  it('says what the last attempt got', () => {
    expect(deliveryOutcome({ responseStatus: 500, error: null })).toEqual({
      key: 'webhooks.deliveries.http',
      params: { status: 500 },
      http: true,
    });
    expect(deliveryOutcome({ responseStatus: null, error: 'timeout' }).key).toBe('webhooks.deliveries.errors.timeout');
    expect(deliveryOutcome({ responseStatus: null, error: 'no public address' }).key).toBe('webhooks.deliveries.errors.noPublicAddress');
    expect(deliveryOutcome({ responseStatus: null, error: 'TLS: certificate has expired' })).toEqual({
      key: 'webhooks.deliveries.errors.tls',
      params: { reason: 'certificate has expired' },
      http: false,
    });
    expect(deliveryOutcome({ responseStatus: null, error: 'something new' })).toEqual({
      key: 'webhooks.deliveries.errors.other',
      params: { error: 'something new' },
      http: false,
    });
    expect(deliveryOutcome({ responseStatus: null, error: null }).key).toBe('webhooks.deliveries.notYet');
  });

  it('names the local day of an instant as the audit log takes it', () => {
    const noon = new Date(2026, 2, 1, 12, 0, 0).toISOString();
    expect(localDay(noon)).toBe('2026-03-01');
  });
});

describe('WebhookDeliveriesPage', () => {
  const first = [
    delivery({ id: 'd1', eventType: 'team.created', responseBody: '<b>bold</b>\nsecond line' }),
    delivery({
      id: 'd2',
      eventType: 'user.deleted',
      status: 'RETRYING',
      attempts: 3,
      responseStatus: null,
      responseBody: null,
      error: 'timeout',
    }),
  ];
  const fetch = jest.fn();
  const redeliver = { mutate: jest.fn() };
  const say = jest.fn();

  async function render(url: string, endpoint = ENDPOINT) {
    TestBed.configureTestingModule({
      imports: [TranslocoTestingModule.forRoot({ langs: { en: {} } })],
      providers: [
        provideRouter([
          { path: 'o/:org/webhooks/:id', component: WebhookDeliveriesPage },
          { path: '**', children: [] },
        ]),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        { provide: WebhookEndpointsGQL, useValue: { fetch: jest.fn(() => of({ data: { webhookEndpoints: [endpoint] } })) } },
        { provide: WebhookDeliveriesGQL, useValue: { fetch } },
        { provide: RedeliverWebhookGQL, useValue: redeliver },
        { provide: Notifier, useValue: { say, failed: jest.fn(), attempt: async (work: () => Promise<unknown>) => (await work(), true) } },
      ],
    });
    const harness = await RouterTestingHarness.create(url);
    const settle = async () => {
      await new Promise((resolve) => setTimeout(resolve));
      harness.detectChanges();
    };
    await settle();
    const el = harness.routeNativeElement as HTMLElement;
    const row = (type: string) => el.querySelector(`tr[data-delivery="${type}"]`) as HTMLElement;
    return { harness, el, row, settle };
  }

  beforeEach(() => {
    jest.clearAllMocks();
    fetch.mockReturnValue(of({ data: { webhookDeliveries: { deliveries: first, hasNextPage: true, endCursor: 'c1' } } }));
  });

  it('lists the deliveries with their event in words, status, attempts and what the last attempt got', async () => {
    const { el, row } = await render('/o/acme/webhooks/w1');
    expect(fetch).toHaveBeenCalledWith({
      variables: { endpointId: 'w1', first: 50, after: null, status: null },
      fetchPolicy: 'network-only',
    });
    expect(el.querySelector('h1')?.textContent).toContain('webhooks.deliveries.titleOf');
    expect(row('team.created').querySelector('.mat-column-eventType')?.textContent).toContain('audit.actions.team_created');
    expect(row('team.created').querySelector('.mat-column-status')?.textContent).toContain('webhooks.deliveries.statuses.DELIVERED');
    expect(row('team.created').querySelector('.mat-column-response')?.textContent).toContain('webhooks.deliveries.http');
    expect(row('user.deleted').querySelector('.mat-column-attempts')?.textContent?.trim()).toBe('3');
    expect(row('user.deleted').querySelector('.mat-column-response')?.textContent).toContain('webhooks.deliveries.errors.timeout');
  });

  it('keeps the status filter in the URL', async () => {
    const { harness } = await render('/o/acme/webhooks/w1?status=FAILED');
    expect(fetch).toHaveBeenCalledWith(expect.objectContaining({ variables: expect.objectContaining({ status: 'FAILED' }) }));
    await harness.navigateByUrl('/o/acme/webhooks/w1?status=RETRYING');
    await new Promise((resolve) => setTimeout(resolve));
    expect(fetch).toHaveBeenLastCalledWith(
      expect.objectContaining({ variables: expect.objectContaining({ status: 'RETRYING', after: null }) }),
    );
    expect(TestBed.inject(Router).url).toBe('/o/acme/webhooks/w1?status=RETRYING');
  });

  it('loads older deliveries after the cursor', async () => {
    const { el, settle } = await render('/o/acme/webhooks/w1');
    fetch.mockReturnValueOnce(
      of({
        data: {
          webhookDeliveries: { deliveries: [delivery({ id: 'd3', eventType: 'role.created' })], hasNextPage: false, endCursor: 'c2' },
        },
      }),
    );
    el.querySelector<HTMLButtonElement>('[data-testid="deliveries-more"]')?.click();
    await settle();
    expect(fetch).toHaveBeenLastCalledWith(expect.objectContaining({ variables: expect.objectContaining({ after: 'c1' }) }));
    expect(el.querySelectorAll('tr.delivery')).toHaveLength(3);
    expect(el.querySelector('[data-testid="deliveries-more"]')).toBeNull();
  });

  it('opens a row to its response body as text, its webhook-id and a link to the audit log', async () => {
    const { el, row, settle } = await render('/o/acme/webhooks/w1');
    row('team.created').querySelector<HTMLButtonElement>('.mat-column-expand button')?.click();
    await settle();
    const body = el.querySelector('[data-testid="delivery-body"]');
    expect(body?.textContent).toBe('<b>bold</b>\nsecond line');
    expect(body?.querySelector('b')).toBeNull();
    expect(el.querySelector('[data-testid="delivery-webhook-id"]')?.textContent).toBe('msg_0001');
    const day = localDay('2026-03-01T12:00:00Z');
    expect(el.querySelector('[data-testid="delivery-audit-link"]')?.getAttribute('href')).toBe(
      `/o/acme/audit?action=team.created&from=${day}&to=${day}`,
    );
  });

  it('sends a delivery again and shows its new state', async () => {
    redeliver.mutate.mockReturnValue(of({ data: { redeliverWebhook: { ...first[1], status: 'PENDING' } } }));
    const { row, settle } = await render('/o/acme/webhooks/w1');
    row('user.deleted').querySelector<HTMLButtonElement>('[data-testid="delivery-redeliver"]')?.click();
    await settle();
    expect(redeliver.mutate).toHaveBeenCalledWith({ variables: { deliveryId: 'd2' } });
    expect(say).toHaveBeenCalledWith('webhooks.deliveries.redelivered', { type: 'en.audit.actions.user_deleted' });
    expect(row('user.deleted').querySelector('.mat-column-status')?.textContent).toContain('webhooks.deliveries.statuses.PENDING');
  });

  it('offers no redelivery while the endpoint is disabled, and says why', async () => {
    const { el, row } = await render('/o/acme/webhooks/w1', {
      ...ENDPOINT,
      enabled: false,
      disabledReason: 'MANUAL',
      disabledAt: '2026-03-02T00:00:00Z',
    });
    expect(row('team.created').querySelector<HTMLButtonElement>('[data-testid="delivery-redeliver"]')?.disabled).toBe(true);
    expect(el.querySelector('[data-testid="deliveries-disabled"]')?.textContent).toContain('webhooks.deliveries.redeliverDisabled');
  });
});
