import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { of } from 'rxjs';
import {
  DeleteOidcClientGQL,
  OidcClientFieldsFragment,
  OidcClientsGQL,
  RotateOidcClientSecretGQL,
} from '@roster/console/data-access/generated';
import { Session } from '../core/session';
import { OidcClientsPage } from './oidc-clients-page';

function client(fields: Partial<OidcClientFieldsFragment>): OidcClientFieldsFragment {
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

describe('OidcClientsPage', () => {
  const clients = [
    client({ id: 'c1', name: 'Wiki', firstParty: true }),
    client({
      id: 'c2',
      name: 'Status',
      clientId: 'rst_client_status',
      platformWide: true,
      public: true,
      redirectUris: ['https://a.example/1', 'https://a.example/2', 'https://a.example/3', 'https://a.example/4', 'https://a.example/5'],
    }),
  ];

  async function render(operator: boolean, list = clients) {
    TestBed.configureTestingModule({
      imports: [TranslocoTestingModule.forRoot({ langs: { en: {} } })],
      providers: [
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        { provide: OidcClientsGQL, useValue: { fetch: jest.fn(() => of({ data: { oidcClients: list } })) } },
        { provide: RotateOidcClientSecretGQL, useValue: { mutate: jest.fn() } },
        { provide: DeleteOidcClientGQL, useValue: { mutate: jest.fn() } },
        { provide: Session, useValue: { operator: signal(operator) } },
      ],
    });
    const fixture = TestBed.createComponent(OidcClientsPage);
    fixture.detectChanges();
    await fixture.whenStable();
    fixture.detectChanges();
    const el = fixture.nativeElement as HTMLElement;
    return { el, row: (name: string) => el.querySelector(`tr[data-client="${name}"]`) as HTMLElement };
  }

  it('lists the clients with their id, kind, badges and at most three redirect URIs', async () => {
    const { row } = await render(false);
    expect(row('Wiki').querySelector('.mat-column-clientId')?.textContent).toContain('rst_client_abc');
    expect(row('Wiki').textContent).toContain('oidcClients.firstPartyBadge');
    expect(row('Wiki').querySelector('.mat-column-kind')?.textContent).toContain('oidcClients.kindConfidential');
    expect(row('Status').querySelector('[data-testid="oidc-platform-wide"]')).not.toBeNull();
    expect(row('Status').querySelector('.mat-column-kind')?.textContent).toContain('oidcClients.kindPublic');
    expect(row('Status').querySelectorAll('.mat-column-redirectUris li')).toHaveLength(4); // three and "+2 more"
  });

  it('leaves platform-wide clients read-only to anyone but an operator', async () => {
    const { row } = await render(false);
    expect(row('Wiki').querySelector('.mat-column-actions button')).not.toBeNull();
    expect(row('Status').querySelector('.mat-column-actions button')).toBeNull();
    expect(row('Status').querySelector('[data-testid="oidc-read-only"]')).not.toBeNull();
    TestBed.resetTestingModule();
    const operator = await render(true);
    expect(operator.row('Status').querySelector('.mat-column-actions button')).not.toBeNull();
  });

  it('says when there is none', async () => {
    const { el } = await render(false, []);
    expect(el.querySelector('.ro-table-empty')?.textContent).toContain('oidcClients.empty');
  });
});
