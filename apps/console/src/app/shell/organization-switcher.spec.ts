import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { OrganizationSwitcher } from './organization-switcher';

@Component({
  imports: [OrganizationSwitcher],
  template: `<ro-organization-switcher [organizations]="organizations" current="acme" page="/teams" />`,
})
class SwitcherHost {
  organizations = [{ id: 'o1', slug: 'acme', name: 'Acme' }];
}

describe('OrganizationSwitcher', () => {
  function render(organizations: SwitcherHost['organizations']) {
    TestBed.configureTestingModule({
      imports: [TranslocoTestingModule.forRoot({ langs: { en: {} } })],
      providers: [provideRouter([])],
    });
    const fixture = TestBed.createComponent(SwitcherHost);
    fixture.componentInstance.organizations = organizations;
    fixture.detectChanges();
    return fixture.nativeElement as HTMLElement;
  }

  it('shows nothing to a member of one organization', () => {
    expect(render([{ id: 'o1', slug: 'acme', name: 'Acme' }]).querySelector('[data-testid="organization-switcher"]')).toBeNull();
  });

  it('names the current organization when there are several', () => {
    const el = render([
      { id: 'o1', slug: 'acme', name: 'Acme' },
      { id: 'o2', slug: 'beta', name: 'Beta' },
    ]);
    expect(el.querySelector('[data-testid="organization-switcher"]')?.textContent).toContain('Acme');
  });
});
