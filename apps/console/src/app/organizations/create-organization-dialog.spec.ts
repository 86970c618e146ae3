import { TestBed } from '@angular/core/testing';
import { MatDialogRef } from '@angular/material/dialog';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { of, throwError } from 'rxjs';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { CreateOrganizationGQL } from '@roster/console/data-access/generated';
import { CreateOrganizationDialog } from './create-organization-dialog';

describe('CreateOrganizationDialog', () => {
  const created = {
    organization: { id: 'o2', slug: 'beta-labs', name: 'Beta Labs', status: 'ACTIVE', memberCount: 0, createdAt: '2026-01-01T00:00:00Z' },
    invitation: { url: 'https://roster.example/register?token=t' },
  };
  const api = { mutate: jest.fn(() => of({ data: { createOrganization: created } })) };

  function render() {
    TestBed.configureTestingModule({
      imports: [TranslocoTestingModule.forRoot({ langs: { en: {} } })],
      providers: [
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        { provide: CreateOrganizationGQL, useValue: api },
        { provide: MatDialogRef, useValue: { close: jest.fn() } },
      ],
    });
    const fixture = TestBed.createComponent(CreateOrganizationDialog);
    fixture.detectChanges();
    const el = fixture.nativeElement as HTMLElement;
    const field = (name: string) => el.querySelector<HTMLInputElement>(`input[formcontrolname="${name}"]`) as HTMLInputElement;
    const type = (name: string, value: string) => {
      field(name).value = value;
      field(name).dispatchEvent(new Event('input'));
      fixture.detectChanges();
    };
    return { fixture, el, field, type };
  }

  it('proposes the slug from the name until the slug is typed in', () => {
    const { field, type } = render();
    type('name', 'Société Générale');
    expect(field('slug').value).toBe('societe-generale');
    type('slug', 'sg');
    type('name', 'Société Générale Europe');
    expect(field('slug').value).toBe('sg');
  });

  it('creates the organization with its first admin, then shows the invitation URL', async () => {
    const { fixture, el, type } = render();
    type('name', ' Beta Labs ');
    type('firstAdminEmail', 'bea@example.com');
    el.querySelector<HTMLButtonElement>('button[type="submit"]')?.click();
    await fixture.whenStable();
    fixture.detectChanges();
    expect(api.mutate).toHaveBeenCalledWith({
      variables: { input: { name: 'Beta Labs', slug: 'beta-labs', firstAdminEmail: 'bea@example.com' } },
    });
    expect(el.querySelector<HTMLInputElement>('[data-testid="organization-invitation-url"]')?.value).toBe(created.invitation.url);
  });

  it('refuses a reserved or malformed slug before asking the API', () => {
    const { el, type } = render();
    type('name', 'Acme');
    type('slug', 'graphql');
    type('firstAdminEmail', 'a@example.com');
    api.mutate.mockClear();
    el.querySelector<HTMLButtonElement>('button[type="submit"]')?.click();
    expect(api.mutate).not.toHaveBeenCalled();
  });

  it('says a taken slug beside the slug field, until the slug changes', async () => {
    const { fixture, el, field, type } = render();
    const taken = new CombinedGraphQLErrors({ errors: [{ message: 'taken', extensions: { code: 'SLUG_TAKEN' } }] } as never);
    api.mutate.mockReturnValueOnce(throwError(() => taken) as never);
    type('name', 'Acme');
    type('firstAdminEmail', 'a@example.com');
    el.querySelector<HTMLButtonElement>('button[type="submit"]')?.click();
    await fixture.whenStable();
    fixture.detectChanges();
    expect(el.querySelector('[data-testid="slug-taken"]')?.textContent).toContain('errors.SLUG_TAKEN');
    expect(el.querySelector('[role="alert"]')).toBeNull();
    expect(document.activeElement).toBe(field('slug'));
    type('slug', 'acme-2');
    expect(el.querySelector('[data-testid="slug-taken"]')).toBeNull();
  });
});
