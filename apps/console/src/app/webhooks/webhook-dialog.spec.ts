import { TestBed } from '@angular/core/testing';
import { FormControl } from '@angular/forms';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { of, throwError } from 'rxjs';
import { CreateWebhookEndpointGQL, UpdateWebhookEndpointGQL, WebhookEndpointFieldsFragment } from '@roster/console/data-access/generated';
import { changes, WebhookDialog, WebhookDialogData } from './webhook-dialog';
import { disabledByRoster, endpointName, endpointProblem, endpointStatus, eventGroups, hostAndPath, urlValidator } from './webhook-form';

const failure = (extensions: Record<string, unknown>) => new CombinedGraphQLErrors({ errors: [{ message: 'no', extensions }] } as never);

function endpoint(fields: Partial<WebhookEndpointFieldsFragment> = {}): WebhookEndpointFieldsFragment {
  return {
    id: 'w1',
    url: 'https://hooks.example.com/roster?x=1',
    description: 'CRM sync',
    eventTypes: ['user.deleted', 'user.role_changed'],
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

const TYPES = [
  'api_token.created',
  'invitation.created',
  'setup.first_admin',
  'team.created',
  'user.deleted',
  'user.role_changed',
  'users.exported',
  'zzz.new',
];

describe('webhook form helpers', () => {
  it('groups the event types by area, in the areas order, unknown prefixes last', () => {
    expect(eventGroups(TYPES)).toEqual([
      { area: 'users', types: ['user.deleted', 'user.role_changed', 'users.exported', 'setup.first_admin'] },
      { area: 'invitations', types: ['invitation.created'] },
      { area: 'teams', types: ['team.created'] },
      { area: 'apiTokens', types: ['api_token.created'] },
      { area: 'other', types: ['zzz.new'] },
    ]);
  });

  it('names an endpoint by its description, else its host; shows host and path', () => {
    expect(endpointName(endpoint())).toBe('CRM sync');
    expect(endpointName(endpoint({ description: '  ' }))).toBe('hooks.example.com');
    expect(hostAndPath('https://hooks.example.com:8443/a/b?c=d')).toBe('hooks.example.com:8443/a/b?c=d');
    expect(hostAndPath('https://hooks.example.com/')).toBe('hooks.example.com');
    expect(hostAndPath('not a url')).toBe('not a url');
  });

  it('says how an endpoint is doing, and which ones Roster disabled', () => {
    expect(endpointStatus(endpoint()).key).toBe('webhooks.status.enabled');
    const failing = endpointStatus(endpoint({ failingSince: '2026-01-02T00:00:00Z' }));
    expect(failing).toMatchObject({ key: 'webhooks.status.failing', since: '2026-01-02T00:00:00Z' });
    const off = { enabled: false, disabledAt: '2026-01-03T00:00:00Z' };
    expect(endpointStatus(endpoint({ ...off, disabledReason: 'GONE' })).key).toBe('webhooks.status.gone');
    expect(endpointStatus(endpoint({ ...off, disabledReason: 'FAILING' })).key).toBe('webhooks.status.failedOff');
    expect(endpointStatus(endpoint({ ...off, disabledReason: 'MANUAL' })).key).toBe('webhooks.status.disabled');
    expect(disabledByRoster(endpoint({ ...off, disabledReason: 'GONE' }))).toBe(true);
    expect(disabledByRoster(endpoint({ ...off, disabledReason: 'MANUAL' }))).toBe(false);
    expect(disabledByRoster(endpoint())).toBe(false);
  });

  it('asks for an http(s) URL, leaving the rest to the API', () => {
    expect(urlValidator(new FormControl('https://a.example/x'))).toBeNull();
    expect(urlValidator(new FormControl('http://127.0.0.1:9000/x'))).toBeNull();
    expect(urlValidator(new FormControl('ftp://a.example/'))).toEqual({ url: true });
    expect(urlValidator(new FormControl('a.example/x'))).toEqual({ url: true });
    expect(urlValidator(new FormControl(''))).toBeNull();
  });

  it('places what the API refused on its field', () => {
    expect(endpointProblem(failure({ code: 'WEBHOOK_URL_REFUSED', reason: 'ADDRESS' }))).toEqual({
      field: 'url',
      key: 'webhooks.invalid.address',
    });
    expect(endpointProblem(failure({ code: 'WEBHOOK_URL_REFUSED', reason: 'SCHEME' }))).toEqual({
      field: 'url',
      key: 'webhooks.invalid.scheme',
    });
    expect(endpointProblem(failure({ code: 'WEBHOOK_EVENT_TYPE_UNKNOWN', eventType: 'user.nope' }))).toEqual({
      field: 'eventTypes',
      key: 'webhooks.invalid.unknownType',
      params: { type: 'user.nope' },
    });
    expect(endpointProblem(failure({ code: 'WEBHOOK_EVENT_TYPE_UNKNOWN', eventType: null }))).toEqual({
      field: 'eventTypes',
      key: 'webhooks.invalid.noType',
    });
    expect(endpointProblem(failure({ code: 'BAD_USER_INPUT', fields: { url: ['url'] }, field: 'url' }))).toEqual({
      field: 'url',
      key: 'webhooks.invalid.url',
    });
    expect(endpointProblem(failure({ code: 'BAD_USER_INPUT', fields: { 'input.description': ['safeText'] } }))).toEqual({
      field: 'description',
      key: 'webhooks.invalid.description',
    });
    expect(endpointProblem(failure({ code: 'LIMIT_REACHED', limit: 20 }))).toEqual({
      field: null,
      key: 'webhooks.limitReached',
      params: { limit: 20 },
    });
    expect(endpointProblem(failure({ code: 'BAD_USER_INPUT', field: 'id' }))).toEqual({ field: null, key: 'errors.BAD_USER_INPUT' });
    expect(endpointProblem(new Error('network'))).toEqual({ field: null, key: 'errors.INTERNAL_SERVER_ERROR' });
  });

  it('sends only what changed', () => {
    const e = endpoint();
    expect(changes(e, { url: e.url, description: e.description, eventTypes: ['user.role_changed', 'user.deleted'] })).toBeNull();
    expect(changes(e, { url: 'https://b.example/', description: e.description, eventTypes: e.eventTypes })).toEqual({
      id: 'w1',
      url: 'https://b.example/',
    });
    expect(changes(e, { url: e.url, description: '', eventTypes: ['team.created'] })).toEqual({
      id: 'w1',
      description: '',
      eventTypes: ['team.created'],
    });
  });
});

describe('WebhookDialog', () => {
  const created = { endpoint: endpoint(), secret: 'whsec_abc' };
  const create = { mutate: jest.fn(() => of({ data: { createWebhookEndpoint: created } })) };
  const update = { mutate: jest.fn(() => of({ data: { updateWebhookEndpoint: endpoint({ description: 'CRM 2' }) } })) };
  const close = jest.fn();

  function render(data: WebhookDialogData) {
    TestBed.configureTestingModule({
      imports: [TranslocoTestingModule.forRoot({ langs: { en: {} } })],
      providers: [
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        { provide: CreateWebhookEndpointGQL, useValue: create },
        { provide: UpdateWebhookEndpointGQL, useValue: update },
        { provide: MatDialogRef, useValue: { close } },
        { provide: MAT_DIALOG_DATA, useValue: data },
      ],
    });
    const fixture = TestBed.createComponent(WebhookDialog);
    fixture.detectChanges();
    const el = fixture.nativeElement as HTMLElement;
    const field = (name: string) => el.querySelector(`[formcontrolname="${name}"]`) as HTMLInputElement;
    const type = (name: string, value: string) => {
      field(name).value = value;
      field(name).dispatchEvent(new Event('input'));
      fixture.detectChanges();
    };
    const check = (selector: string) => {
      el.querySelector<HTMLInputElement>(`${selector} input[type="checkbox"]`)?.click();
      fixture.detectChanges();
    };
    const checked = (type: string) => el.querySelector<HTMLInputElement>(`[data-type="${type}"] input`)?.checked;
    const submit = async () => {
      el.querySelector<HTMLButtonElement>('button[type="submit"]')?.click();
      await fixture.whenStable();
      fixture.detectChanges();
    };
    return { fixture, el, field, type, check, checked, submit };
  }

  beforeEach(() => jest.clearAllMocks());

  it('lists the events by area in the audit log words, with their names', () => {
    const { el } = render({ eventTypes: TYPES });
    const areas = [...el.querySelectorAll('section.group')].map((s) => s.getAttribute('data-area'));
    expect(areas).toEqual(['users', 'invitations', 'teams', 'apiTokens', 'other']);
    const role = el.querySelector('[data-type="user.role_changed"]');
    expect(role?.textContent).toContain('audit.actions.user_role_changed');
    expect(role?.textContent).toContain('user.role_changed');
    // An event the audit log has no words for: its name alone.
    expect(el.querySelector('[data-type="zzz.new"] .type')?.textContent?.trim()).toBe('zzz.new');
  });

  it('chooses a whole area at once, and says when only some are chosen', () => {
    const { el, check, checked } = render({ eventTypes: TYPES });
    check('[data-testid="webhook-area-users"]');
    expect(['user.deleted', 'user.role_changed', 'users.exported', 'setup.first_admin'].map(checked)).toEqual([true, true, true, true]);
    expect(checked('team.created')).toBe(false);
    check('[data-type="user.deleted"]');
    const all = el.querySelector<HTMLInputElement>('[data-testid="webhook-area-users"] input');
    expect(all?.indeterminate).toBe(true);
    check('[data-testid="webhook-area-users"]');
    expect(['user.deleted', 'user.role_changed', 'users.exported'].map(checked)).toEqual([true, true, true]);
    check('[data-testid="webhook-area-users"]');
    expect(['user.deleted', 'user.role_changed', 'users.exported'].map(checked)).toEqual([false, false, false]);
  });

  it('adds an endpoint with the events in the API order, and closes with its secret', async () => {
    const { type, check, submit } = render({ eventTypes: TYPES });
    type('url', ' https://hooks.example.com/roster ');
    type('description', ' CRM sync ');
    check('[data-type="team.created"]');
    check('[data-type="invitation.created"]');
    await submit();
    expect(create.mutate).toHaveBeenCalledWith({
      variables: {
        input: { url: 'https://hooks.example.com/roster', description: 'CRM sync', eventTypes: ['invitation.created', 'team.created'] },
      },
    });
    expect(close).toHaveBeenCalledWith({ created: true, endpoint: created.endpoint, secret: 'whsec_abc' });
  });

  it('asks for a URL and an event before calling the API', async () => {
    const { el, submit } = render({ eventTypes: TYPES });
    await submit();
    expect(create.mutate).not.toHaveBeenCalled();
    expect(el.querySelector('[data-testid="webhook-events-error"]')?.textContent).toContain('webhooks.invalid.noType');
    expect(el.textContent).toContain('common.required');
  });

  it('says a refused URL beside its field and focuses it; typing clears it', async () => {
    create.mutate.mockReturnValueOnce(throwError(() => failure({ code: 'WEBHOOK_URL_REFUSED', reason: 'ADDRESS' })) as never);
    const { el, field, type, check, submit } = render({ eventTypes: TYPES });
    type('url', 'https://10.0.0.1/hook');
    check('[data-type="team.created"]');
    await submit();
    const error = field('url').closest('mat-form-field')?.querySelector('mat-error');
    expect(error?.textContent).toContain('webhooks.invalid.address');
    expect(document.activeElement).toBe(field('url'));
    expect(el.querySelector('[data-testid="webhook-error"]')).toBeNull();
    expect(close).not.toHaveBeenCalled();
    type('url', 'https://hooks.example.com/');
    expect(el.textContent).not.toContain('webhooks.invalid.address');
  });

  it('says an unknown event type under the list, and the limit above the buttons', async () => {
    create.mutate.mockReturnValueOnce(throwError(() => failure({ code: 'WEBHOOK_EVENT_TYPE_UNKNOWN', eventType: 'zzz.new' })) as never);
    const { el, type, check, submit } = render({ eventTypes: TYPES });
    type('url', 'https://hooks.example.com/');
    check('[data-type="zzz.new"]');
    await submit();
    expect(el.querySelector('[data-testid="webhook-events-error"]')?.textContent).toContain('webhooks.invalid.unknownType');
    create.mutate.mockReturnValueOnce(throwError(() => failure({ code: 'LIMIT_REACHED', limit: 20 })) as never);
    await submit();
    expect(el.querySelector('[data-testid="webhook-events-error"]')).toBeNull();
    expect(el.querySelector('[data-testid="webhook-error"]')?.textContent).toContain('webhooks.limitReached');
  });

  it('edits an endpoint: its events ticked, only the changes sent', async () => {
    const { checked, type, submit } = render({ endpoint: endpoint(), eventTypes: TYPES });
    expect(checked('user.deleted')).toBe(true);
    expect(checked('team.created')).toBe(false);
    type('description', 'CRM 2');
    await submit();
    expect(update.mutate).toHaveBeenCalledWith({ variables: { input: { id: 'w1', description: 'CRM 2' } } });
    expect(close).toHaveBeenCalledWith({ created: false, endpoint: endpoint({ description: 'CRM 2' }) });
  });
});
