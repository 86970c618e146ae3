import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { OrganizationOption } from '../core/organization';
import { of } from 'rxjs';
import { MyOrganizationsGQL } from '@roster/console/data-access/generated';
import { matching, ME_ORGANIZATIONS, OrganizationSwitcher, SWITCHER_SEARCH_FROM } from './organization-switcher';

@Component({
  imports: [OrganizationSwitcher],
  template: `<ro-organization-switcher [organizations]="organizations" current="acme" page="/teams" />`,
})
class SwitcherHost {
  organizations: readonly OrganizationOption[] = [{ id: 'o1', slug: 'acme', name: 'Acme' }];
}

const many = (n: number): OrganizationOption[] =>
  Array.from({ length: n }, (_, i) => ({ id: `o${i}`, slug: i ? `org-${i}` : 'acme', name: i ? `Org ${i}` : 'Acme', status: 'ACTIVE' }));

describe('OrganizationSwitcher', () => {
  const far = { id: 'far', slug: 'far-away', name: 'Far Away', status: 'ACTIVE' as const };
  const api = { fetch: jest.fn(() => of({ data: { me: { organizations: [far] } } })) };

  function render(organizations: readonly OrganizationOption[]) {
    TestBed.configureTestingModule({
      imports: [TranslocoTestingModule.forRoot({ langs: { en: {} } })],
      providers: [
        provideRouter([]),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        { provide: MyOrganizationsGQL, useValue: api },
      ],
    });
    const fixture = TestBed.createComponent(SwitcherHost);
    fixture.componentInstance.organizations = organizations;
    fixture.detectChanges();
    return fixture;
  }
  const open = (fixture: ReturnType<typeof render>) => {
    (fixture.nativeElement as HTMLElement).querySelector<HTMLButtonElement>('[data-testid="organization-switcher"]')?.click();
    fixture.detectChanges();
    return document.querySelector('.ro-organization-menu') as HTMLElement;
  };

  afterEach(() => document.querySelectorAll('.cdk-overlay-container').forEach((e) => (e.innerHTML = '')));

  it('shows nothing to a member of one organization', () => {
    const el = render([{ id: 'o1', slug: 'acme', name: 'Acme' }]).nativeElement as HTMLElement;
    expect(el.querySelector('[data-testid="organization-switcher"]')).toBeNull();
  });

  it('names the current organization and opens the same page in another; suspended ones cannot be chosen', () => {
    const fixture = render([
      { id: 'o1', slug: 'acme', name: 'Acme' },
      { id: 'o2', slug: 'beta', name: 'Beta' },
      { id: 'o3', slug: 'gone', name: 'Gone', status: 'SUSPENDED' },
    ]);
    expect((fixture.nativeElement as HTMLElement).querySelector('[data-testid="organization-switcher"]')?.textContent).toContain('Acme');
    const menu = open(fixture);
    expect([...menu.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual(['/o/acme/teams', '/o/beta/teams']);
    expect(menu.querySelector('button[disabled]')?.textContent).toContain('Gone');
    expect(menu.querySelector('[data-testid="organization-search"]')).toBeNull();
  });

  it('offers a search box beyond ten organizations', () => {
    const menu = open(render(many(SWITCHER_SEARCH_FROM)));
    expect(menu.querySelector('[data-testid="organization-search"]')).not.toBeNull();
    expect(menu.querySelectorAll('a')).toHaveLength(SWITCHER_SEARCH_FROM);
  });

  it('asks the API when the list me brought may be cut', async () => {
    const fixture = render(many(ME_ORGANIZATIONS));
    const menu = open(fixture);
    const box = menu.querySelector<HTMLInputElement>('[data-testid="organization-search"]');
    if (!box) throw new Error('no search box');
    box.value = 'far';
    box.dispatchEvent(new Event('input'));
    await new Promise((resolve) => setTimeout(resolve, 400));
    fixture.detectChanges();
    expect(api.fetch).toHaveBeenCalledWith(expect.objectContaining({ variables: { search: 'far', first: 50 } }));
    expect([...menu.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual(['/o/far-away/teams']);
  });

  it('searches names and slugs, any case, accents ignored', () => {
    const list: OrganizationOption[] = [
      { id: '1', slug: 'acme', name: 'Acmé Corp' },
      { id: '2', slug: 'beta-labs', name: 'Beta' },
    ];
    expect(matching(list, ' ACME ').map((o) => o.id)).toEqual(['1']);
    expect(matching(list, 'labs').map((o) => o.id)).toEqual(['2']);
    expect(matching(list, '')).toHaveLength(2);
  });
});
