import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { MatDialog } from '@angular/material/dialog';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { of } from 'rxjs';
import {
  DeleteWebhookEndpointGQL,
  RotateWebhookSecretGQL,
  UpdateWebhookEndpointGQL,
  WebhookEndpointFieldsFragment,
  WebhookEndpointsGQL,
  WebhookEventTypesGQL,
} from '@roster/console/data-access/generated';
import { Confirm } from '../shared/confirm-dialog';
import { Notifier } from '../shared/notifier';
import { SecretOnceDialog } from '../shared/secret-once-dialog';
import { WebhooksPage } from './webhooks-page';

function endpoint(fields: Partial<WebhookEndpointFieldsFragment>): WebhookEndpointFieldsFragment {
  return {
    id: 'w1',
    url: 'https://hooks.example.com/roster',
    description: '',
    eventTypes: ['user.deleted'],
    enabled: true,
    disabledReason: null,
    disabledAt: null,
    failingSince: null,
    lastSuccessAt: null,
    secretRotatedAt: null,
    previousSecretExpiresAt: null,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    ...fields,
  };
}

describe('WebhooksPage', () => {
  const off = { enabled: false, disabledAt: '2026-01-03T10:00:00Z' };
  const endpoints = [
    endpoint({
      id: 'w1',
      description: 'CRM sync',
      eventTypes: ['invitation.created', 'team.created', 'user.deleted', 'user.role_changed', 'users.exported'],
      lastSuccessAt: '2026-01-02T00:00:00Z',
    }),
    endpoint({ id: 'w2', url: 'https://gone.example.com/hook', ...off, disabledReason: 'GONE' }),
    endpoint({ id: 'w3', url: 'https://slow.example.com/hook', ...off, disabledReason: 'FAILING' }),
    endpoint({ id: 'w4', url: 'https://paused.example.com/hook', ...off, disabledReason: 'MANUAL' }),
    endpoint({ id: 'w5', url: 'https://flaky.example.com/hook', failingSince: '2026-01-02T00:00:00Z' }),
  ];
  const update = { mutate: jest.fn() };
  const rotate = { mutate: jest.fn() };
  const remove = { mutate: jest.fn() };
  const ask = jest.fn();
  const say = jest.fn();
  const open = jest.fn();

  async function render(list = endpoints) {
    TestBed.configureTestingModule({
      imports: [TranslocoTestingModule.forRoot({ langs: { en: {} } })],
      providers: [
        provideRouter([]),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        { provide: WebhookEndpointsGQL, useValue: { fetch: jest.fn(() => of({ data: { webhookEndpoints: list } })) } },
        {
          provide: WebhookEventTypesGQL,
          useValue: { fetch: jest.fn(() => of({ data: { webhookEventTypes: ['team.created', 'user.deleted'] } })) },
        },
        { provide: UpdateWebhookEndpointGQL, useValue: update },
        { provide: RotateWebhookSecretGQL, useValue: rotate },
        { provide: DeleteWebhookEndpointGQL, useValue: remove },
        { provide: Confirm, useValue: { ask } },
        { provide: Notifier, useValue: { say, failed: jest.fn(), attempt: async (work: () => Promise<unknown>) => (await work(), true) } },
        { provide: MatDialog, useValue: { open } },
      ],
    });
    const fixture = TestBed.createComponent(WebhooksPage);
    fixture.detectChanges();
    // The list and the event types are asked for together: both answers, then the view.
    await new Promise((resolve) => setTimeout(resolve));
    fixture.detectChanges();
    const el = fixture.nativeElement as HTMLElement;
    return { fixture, el, row: (name: string) => el.querySelector(`tr[data-endpoint="${name}"]`) as HTMLElement };
  }

  beforeEach(() => jest.clearAllMocks());

  it('names each endpoint by its description or host, with three event chips and "+ n"', async () => {
    const { row } = await render();
    const crm = row('CRM sync');
    expect(crm.querySelector('.mat-column-url .url')?.textContent?.trim()).toBe('hooks.example.com/roster');
    expect(crm.querySelectorAll('.mat-column-eventTypes .chip:not(.more)')).toHaveLength(3);
    expect(crm.querySelector('.mat-column-eventTypes .chip.more')?.textContent).toContain('webhooks.typesMore');
    expect(crm.querySelector('.mat-column-status')?.textContent).toContain('webhooks.status.enabled');
    // The name opens the endpoint's deliveries.
    expect(crm.querySelector('a.endpoint-name')?.getAttribute('href')).toBe('/w1');
    expect(row('gone.example.com')).not.toBeNull();
    expect(row('gone.example.com').querySelector('.mat-column-lastSuccess')?.textContent).toContain('webhooks.never');
  });

  it('says each status in words', async () => {
    const { row } = await render();
    const status = (name: string) => row(name).querySelector('.mat-column-status')?.textContent ?? '';
    expect(status('gone.example.com')).toContain('webhooks.status.gone');
    expect(status('slow.example.com')).toContain('webhooks.status.failedOff');
    expect(status('paused.example.com')).toContain('webhooks.status.disabled');
    expect(status('flaky.example.com')).toContain('webhooks.status.failing');
  });

  it('puts a notice above the list for each endpoint Roster disabled, with "Enable again"', async () => {
    update.mutate.mockReturnValue(of({ data: { updateWebhookEndpoint: endpoint({ id: 'w2', url: 'https://gone.example.com/hook' }) } }));
    const { el, fixture } = await render();
    const notices = [...el.querySelectorAll('[data-notice]')];
    expect(notices.map((n) => n.getAttribute('data-notice'))).toEqual(['gone.example.com', 'slow.example.com']);
    expect(notices[0].textContent).toContain('webhooks.noticeGone');
    expect(notices[1].textContent).toContain('webhooks.noticeFailing');
    notices[0].querySelector('button')?.click();
    await fixture.whenStable();
    fixture.detectChanges();
    expect(update.mutate).toHaveBeenCalledWith({ variables: { input: { id: 'w2', enabled: true } } });
    expect(say).toHaveBeenCalledWith('webhooks.enabled', { name: 'gone.example.com' });
    expect([...el.querySelectorAll('[data-notice]')].map((n) => n.getAttribute('data-notice'))).toEqual(['slow.example.com']);
  });

  it('rotates the secret after saying both secrets work for 24 hours, then shows it once', async () => {
    const rotated = endpoint({ id: 'w1', description: 'CRM sync', previousSecretExpiresAt: '2999-01-01T00:00:00Z' });
    rotate.mutate.mockReturnValue(of({ data: { rotateWebhookSecret: { endpoint: rotated, secret: 'whsec_new' } } }));
    open.mockReturnValue({ afterClosed: () => of(undefined) });
    ask.mockResolvedValue(true);
    const { fixture } = await render();
    const page = fixture.componentInstance;
    await page.rotate(endpoints[0]);
    expect(ask).toHaveBeenCalledWith(expect.objectContaining({ text: 'webhooks.rotateText', params: { name: 'CRM sync' } }));
    expect(open).toHaveBeenCalledWith(
      SecretOnceDialog,
      expect.objectContaining({ disableClose: true, data: expect.objectContaining({ secret: 'whsec_new', copyOnClose: true }) }),
    );
    // Within the 24 hours of the previous rotation: the oldest secret goes at once, and the question says so.
    await page.rotate(rotated);
    expect(ask).toHaveBeenLastCalledWith(expect.objectContaining({ text: 'webhooks.rotateTextAgain' }));
  });

  it('deletes after a confirmation naming the endpoint', async () => {
    remove.mutate.mockReturnValue(of({ data: { deleteWebhookEndpoint: true } }));
    ask.mockResolvedValue(true);
    const { fixture, row } = await render();
    await fixture.componentInstance.remove(endpoints[3]);
    fixture.detectChanges();
    expect(ask).toHaveBeenCalledWith(expect.objectContaining({ title: 'webhooks.deleteTitle', params: { name: 'paused.example.com' } }));
    expect(remove.mutate).toHaveBeenCalledWith({ variables: { id: 'w4' } });
    expect(row('paused.example.com')).toBeNull();
  });

  it('says when there is none', async () => {
    const { el } = await render([]);
    expect(el.querySelector('.ro-table-empty')?.textContent).toContain('webhooks.empty');
    expect(el.querySelector('[data-notice]')).toBeNull();
  });
});
