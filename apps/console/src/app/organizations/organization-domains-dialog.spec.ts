import { TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { of, throwError } from 'rxjs';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { SetOrganizationDomainsGQL } from '@roster/console/data-access/generated';
import { OrganizationDomainsDialog } from './organization-domains-dialog';
import { domainProblemOf, isDomain, normaliseDomain, splitDomains } from './organization-domains';

const failure = (extensions: Record<string, unknown>) => new CombinedGraphQLErrors({ errors: [{ message: 'no', extensions }] } as never);

describe('organization domains', () => {
  it('reads domains as the API keeps them', () => {
    expect(normaliseDomain('  @Acme.COM. ')).toBe('acme.com');
    expect(splitDomains('acme.com, Acme.fr;beta.io\nx.org  ')).toEqual(['acme.com', 'acme.fr', 'beta.io', 'x.org']);
    expect(isDomain('sub.acme-corp.co.uk')).toBe(true);
    for (const bad of ['acme', 'bob@acme.com', '-acme.com', 'acme.123', 'société.fr', 'acme..com']) expect(isDomain(bad)).toBe(false);
  });

  it('tells the problems the API names about a domain from other failures', () => {
    expect(domainProblemOf(failure({ code: 'DOMAIN_TAKEN', domain: 'acme.com' }))).toEqual({ kind: 'TAKEN', domain: 'acme.com' });
    expect(domainProblemOf(failure({ code: 'BAD_USER_INPUT', field: 'domains', domain: 'x' }))).toEqual({ kind: 'INVALID', domain: 'x' });
    expect(domainProblemOf(failure({ code: 'BAD_USER_INPUT', field: 'domains' }))).toEqual({ kind: 'TOO_MANY' });
    expect(domainProblemOf(failure({ code: 'NOT_FOUND' }))).toBeNull();
    expect(domainProblemOf(new Error('network'))).toBeNull();
  });
});

describe('OrganizationDomainsDialog', () => {
  const organization = {
    id: 'o2',
    slug: 'beta-labs',
    name: 'Beta Labs',
    status: 'ACTIVE',
    memberCount: 1,
    createdAt: '2026-01-01T00:00:00Z',
    domains: ['beta.test'],
  };
  let api: { mutate: jest.Mock };
  let close: jest.Mock;

  function render() {
    api = { mutate: jest.fn(({ variables }) => of({ data: { setOrganizationDomains: [...variables.domains].sort() } })) };
    close = jest.fn();
    TestBed.configureTestingModule({
      imports: [TranslocoTestingModule.forRoot({ langs: { en: {} } })],
      providers: [
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        { provide: SetOrganizationDomainsGQL, useValue: api },
        { provide: MatDialogRef, useValue: { close } },
        { provide: MAT_DIALOG_DATA, useValue: organization },
      ],
    });
    const fixture = TestBed.createComponent(OrganizationDomainsDialog);
    fixture.detectChanges();
    const el = fixture.nativeElement as HTMLElement;
    const input = el.querySelector<HTMLInputElement>('[data-testid="domain-input"]') as HTMLInputElement;
    const type = async (value: string) => {
      input.value = value;
      input.dispatchEvent(new Event('input'));
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', keyCode: 13 } as KeyboardEventInit));
      await settle();
    };
    // The API's answer, then what the dialog and its form field show of it.
    const settle = async () => {
      await new Promise((resolve) => setTimeout(resolve));
      fixture.detectChanges();
      await fixture.whenStable();
      fixture.detectChanges();
    };
    const chips = () => [...el.querySelectorAll('mat-chip-row')].map((c) => c.getAttribute('data-domain'));
    const problem = () => el.querySelector('[data-testid="domains-error"]')?.textContent?.trim() ?? null;
    const submit = async () => {
      el.querySelector<HTMLButtonElement>('button[type="submit"]')?.click();
      await settle();
    };
    const click = async (selector: string) => {
      el.querySelector<HTMLButtonElement>(selector)?.click();
      await settle();
    };
    return { el, input, type, chips, problem, submit, click, settle };
  }

  it('adds typed and pasted domains as chips, removes one, and saves exactly the list', async () => {
    const { type, chips, submit, click } = render();
    expect(chips()).toEqual(['beta.test']);
    await type(' @Beta.IO ');
    await type('beta.fr, beta.test');
    expect(chips()).toEqual(['beta.test', 'beta.io', 'beta.fr']);
    await click('[data-domain="beta.test"] button');
    expect(chips()).toEqual(['beta.io', 'beta.fr']);
    await submit();
    expect(api.mutate).toHaveBeenCalledWith({ variables: { id: 'o2', domains: ['beta.io', 'beta.fr'] } });
    expect(close).toHaveBeenCalledWith(['beta.fr', 'beta.io']);
  });

  it('keeps a malformed domain in the field, says so, and saves nothing', async () => {
    const { input, type, chips, problem, submit, settle } = render();
    await type('acme');
    expect(problem()).toContain('organizations.domainProblem.INVALID');
    expect(input.value).toBe('acme');
    expect(chips()).toEqual(['beta.test']);
    await submit();
    expect(api.mutate).not.toHaveBeenCalled();
    // Typing again takes it back.
    input.value = 'beta.io';
    input.dispatchEvent(new Event('input'));
    await settle();
    expect(problem()).toBeNull();
  });

  it('counts a domain left in the field when saving', async () => {
    const { input, submit } = render();
    input.value = 'beta.io';
    await submit();
    expect(api.mutate).toHaveBeenCalledWith({ variables: { id: 'o2', domains: ['beta.test', 'beta.io'] } });
  });

  it('closes without asking the API when nothing changed', async () => {
    const { submit } = render();
    await submit();
    expect(api.mutate).not.toHaveBeenCalled();
    expect(close).toHaveBeenCalledWith();
  });

  it('says a domain another organization has beside the list and marks its chip, until it is removed', async () => {
    const { el, type, problem, submit, click } = render();
    api.mutate.mockReturnValueOnce(throwError(() => failure({ code: 'DOMAIN_TAKEN', domain: 'acme.test' })));
    await type('acme.test');
    await submit();
    expect(problem()).toContain('organizations.domainProblem.TAKEN');
    expect(el.querySelector('[role="alert"]')).toBeNull();
    expect(el.querySelector('[data-domain="acme.test"]')?.classList).toContain('taken');
    expect(close).not.toHaveBeenCalled();
    await click('[data-domain="acme.test"] button');
    expect(problem()).toBeNull();
    expect(el.querySelector('.taken')).toBeNull();
  });

  it('says any other failure in the dialog', async () => {
    const { el, type, submit } = render();
    api.mutate.mockReturnValueOnce(throwError(() => failure({ code: 'NOT_FOUND' })));
    await type('beta.io');
    await submit();
    expect(el.querySelector('[role="alert"]')?.textContent).toContain('errors.NOT_FOUND');
    expect(close).not.toHaveBeenCalled();
  });
});
