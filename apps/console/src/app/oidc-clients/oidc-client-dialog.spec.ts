import { TestBed } from '@angular/core/testing';
import { FormControl } from '@angular/forms';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { of, throwError } from 'rxjs';
import { CreateOidcClientGQL, OidcClientFieldsFragment, UpdateOidcClientGQL } from '@roster/console/data-access/generated';
import { OidcClientDialog, OidcClientDialogData } from './oidc-client-dialog';
import { clientProblem, uriLines, uriListValidator } from './oidc-client-form';

const failure = (extensions: Record<string, unknown>) => new CombinedGraphQLErrors({ errors: [{ message: 'no', extensions }] } as never);

function client(fields: Partial<OidcClientFieldsFragment> = {}): OidcClientFieldsFragment {
  return {
    id: 'c1',
    clientId: 'rst_client_abc',
    name: 'Wiki',
    redirectUris: ['https://wiki.example.com/cb'],
    postLogoutRedirectUris: [],
    backchannelLogoutUri: null,
    public: false,
    firstParty: false,
    platformWide: false,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    ...fields,
  };
}

describe('client form helpers', () => {
  it('reads one URI per line, without blank lines or surrounding spaces', () => {
    expect(uriLines(' https://a.example/cb \r\n\nhttps://b.example/cb\n  ')).toEqual(['https://a.example/cb', 'https://b.example/cb']);
  });

  it('asks for enough URIs, at most ten, none too long', () => {
    expect(uriListValidator(1)(new FormControl('\n'))).toEqual({ required: true });
    expect(uriListValidator(0)(new FormControl(''))).toBeNull();
    const eleven = Array.from({ length: 11 }, (_, i) => `https://a.example/${i}`).join('\n');
    expect(uriListValidator(0)(new FormControl(eleven))).toEqual({ tooMany: { max: 10 } });
    expect(uriListValidator(1)(new FormControl(`https://a.example/${'x'.repeat(2000)}`))).toEqual({ tooLong: { max: 2000 } });
  });

  it('places a refused URI on the field the API names, and says the limit', () => {
    expect(clientProblem(failure({ code: 'BAD_USER_INPUT', field: 'redirectUris' }))).toEqual({
      field: 'redirectUris',
      key: 'oidcClients.invalid.uri',
    });
    expect(clientProblem(failure({ code: 'BAD_USER_INPUT', fields: { 'input.name': ['safeText'] } }))).toEqual({
      field: 'name',
      key: 'oidcClients.invalid.name',
    });
    expect(clientProblem(failure({ code: 'LIMIT_REACHED', limit: 50 }))).toEqual({
      field: null,
      key: 'oidcClients.limitReached',
      params: { limit: 50 },
    });
    expect(clientProblem(failure({ code: 'BAD_USER_INPUT', field: 'id' }))).toEqual({ field: null, key: 'errors.BAD_USER_INPUT' });
    expect(clientProblem(new Error('network'))).toEqual({ field: null, key: 'errors.INTERNAL_SERVER_ERROR' });
  });
});

describe('OidcClientDialog', () => {
  const created = { client: client(), clientSecret: 's3cret' };
  const create = { mutate: jest.fn(() => of({ data: { createOidcClient: created } })) };
  const update = { mutate: jest.fn(() => of({ data: { updateOidcClient: client({ name: 'Wiki 2' }) } })) };
  const close = jest.fn();

  function render(data: OidcClientDialogData) {
    TestBed.configureTestingModule({
      imports: [TranslocoTestingModule.forRoot({ langs: { en: {} } })],
      providers: [
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        { provide: CreateOidcClientGQL, useValue: create },
        { provide: UpdateOidcClientGQL, useValue: update },
        { provide: MatDialogRef, useValue: { close } },
        { provide: MAT_DIALOG_DATA, useValue: data },
      ],
    });
    const fixture = TestBed.createComponent(OidcClientDialog);
    fixture.detectChanges();
    const el = fixture.nativeElement as HTMLElement;
    const field = (name: string) => el.querySelector<HTMLInputElement>(`[formcontrolname="${name}"]`) as HTMLInputElement;
    const type = (name: string, value: string) => {
      field(name).value = value;
      field(name).dispatchEvent(new Event('input'));
      fixture.detectChanges();
    };
    const toggle = (name: string) => el.querySelector<HTMLElement>(`mat-slide-toggle[formcontrolname="${name}"]`);
    const submit = async () => {
      el.querySelector<HTMLButtonElement>('button[type="submit"]')?.click();
      await fixture.whenStable();
      fixture.detectChanges();
    };
    return { fixture, el, field, type, toggle, submit };
  }

  beforeEach(() => jest.clearAllMocks());

  it('registers a client with its URIs one per line, and closes with its secret', async () => {
    const { type, submit } = render({ operator: false });
    type('name', ' Wiki ');
    type('redirectUris', 'https://wiki.example.com/cb\n\n http://127.0.0.1:8080/cb ');
    type('backchannelLogoutUri', ' ');
    await submit();
    expect(create.mutate).toHaveBeenCalledWith({
      variables: {
        input: {
          name: 'Wiki',
          redirectUris: ['https://wiki.example.com/cb', 'http://127.0.0.1:8080/cb'],
          postLogoutRedirectUris: [],
          backchannelLogoutUri: null,
          firstParty: false,
          public: false,
        },
      },
    });
    expect(close).toHaveBeenCalledWith({ created: true, client: created.client, clientSecret: 's3cret' });
  });

  it('asks for a redirect URI before calling the API', async () => {
    const { el, type, submit } = render({ operator: false });
    type('name', 'Wiki');
    await submit();
    expect(create.mutate).not.toHaveBeenCalled();
    expect(el.textContent).toContain('oidcClients.invalid.atLeastOne');
  });

  it('offers platform-wide to operators only', () => {
    expect(render({ operator: false }).toggle('platformWide')).toBeNull();
    TestBed.resetTestingModule();
    expect(render({ operator: true }).toggle('platformWide')).not.toBeNull();
  });

  it('says a refused URI beside its field and focuses it; typing clears it', async () => {
    create.mutate.mockReturnValueOnce(throwError(() => failure({ code: 'BAD_USER_INPUT', field: 'redirectUris' })) as never);
    const { el, field, type, submit } = render({ operator: false });
    type('name', 'Wiki');
    type('redirectUris', 'http://example.com/cb');
    await submit();
    const error = el.querySelector('[formcontrolname="redirectUris"]')?.closest('mat-form-field')?.querySelector('mat-error');
    expect(error?.textContent).toContain('oidcClients.invalid.uri');
    expect(el.querySelector('[data-testid="oidc-client-error"]')).toBeNull();
    expect(document.activeElement).toBe(field('redirectUris'));
    expect(close).not.toHaveBeenCalled();
    type('redirectUris', 'https://example.com/cb');
    expect(el.textContent).not.toContain('oidcClients.invalid.uri');
  });

  it('says the limit of clients above the buttons', async () => {
    create.mutate.mockReturnValueOnce(throwError(() => failure({ code: 'LIMIT_REACHED', limit: 50 })) as never);
    const { el, type, submit } = render({ operator: false });
    type('name', 'Wiki');
    type('redirectUris', 'https://wiki.example.com/cb');
    await submit();
    expect(el.querySelector('[data-testid="oidc-client-error"]')?.textContent).toContain('oidcClients.limitReached');
  });

  it('edits a client without its kind, which stays', async () => {
    const { el, toggle, submit } = render({ client: client({ public: true, firstParty: true }), operator: true });
    expect(toggle('public')).toBeNull();
    expect(toggle('platformWide')).toBeNull();
    expect(el.querySelector('[data-testid="oidc-client-kind"]')?.textContent).toContain('oidcClients.publicFixed');
    await submit();
    expect(update.mutate).toHaveBeenCalledWith({
      variables: {
        input: {
          id: 'c1',
          name: 'Wiki',
          redirectUris: ['https://wiki.example.com/cb'],
          postLogoutRedirectUris: [],
          backchannelLogoutUri: null,
          firstParty: true,
        },
      },
    });
    expect(close).toHaveBeenCalledWith({ created: false, client: client({ name: 'Wiki 2' }) });
  });
});
