import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { ActivatedRouteSnapshot, RedirectCommand, RouterStateSnapshot, UrlTree } from '@angular/router';
import { operatorGuard, organizationGuard, toOrganizationGuard } from './auth.guard';
import { OrganizationContext, organizationUrl } from './organization';
import { NOT_A_MEMBER, Session } from './session';

@Component({ template: '' })
class Blank {}

const acme = { id: 'o1', slug: 'acme', name: 'Acme', status: 'ACTIVE' };

function setup(me: unknown) {
  const session = { load: jest.fn(async () => me), can: () => true };
  TestBed.configureTestingModule({
    providers: [
      provideRouter([
        { path: 'o/:org', children: [{ path: '**', component: Blank }] },
        { path: '**', component: Blank },
      ]),
      { provide: Session, useValue: session },
    ],
  });
  return { session, router: TestBed.inject(Router) };
}

const route = (org: string) => ({ paramMap: new Map([['org', org]]) }) as unknown as ActivatedRouteSnapshot;
const state = (url: string) => ({ url }) as RouterStateSnapshot;

describe('organization URLs', () => {
  it('puts the rest of an old URL under the organization', () => {
    expect(organizationUrl('acme')).toBe('/o/acme');
    expect(organizationUrl('acme', '/')).toBe('/o/acme');
    expect(organizationUrl('acme', '/audit?action=USER_CREATED&from=2026-01-01')).toBe('/o/acme/audit?action=USER_CREATED&from=2026-01-01');
  });

  it('sends old URLs and / to the same page of the current organization, query kept', async () => {
    const { router } = setup({ organization: acme, twoFactorSetupRequired: false });
    const go = async (url: string) => {
      const result = (await TestBed.runInInjectionContext(() => toOrganizationGuard(route(''), state(url)))) as RedirectCommand;
      return router.serializeUrl(result.redirectTo as UrlTree);
    };
    expect(await go('/users?search=ann')).toBe('/o/acme/users?search=ann');
    expect(await go('/audit?action=USER_CREATED')).toBe('/o/acme/audit?action=USER_CREATED');
    expect(await go('/')).toBe('/o/acme');
  });

  it('sends a signed-out person to sign-in, the old URL to come back to', async () => {
    const { router } = setup(null);
    const result = (await TestBed.runInInjectionContext(() => toOrganizationGuard(route(''), state('/teams')))) as UrlTree;
    expect(router.serializeUrl(result)).toBe('/sign-in?returnUrl=%2Fteams');
  });

  it('lets a member in, and names the organization by its slug', async () => {
    const { router } = setup({ organization: acme, twoFactorSetupRequired: false });
    expect(await TestBed.runInInjectionContext(() => organizationGuard(route('acme'), state('/o/acme/users')))).toBe(true);
    const byId = (await TestBed.runInInjectionContext(() => organizationGuard(route('o1'), state('/o/o1/teams?x=1')))) as RedirectCommand;
    expect(router.serializeUrl(byId.redirectTo as UrlTree)).toBe('/o/acme/teams?x=1');
  });

  it('shows the not-a-member page for a refused organization, the URL kept', async () => {
    const { router } = setup(NOT_A_MEMBER);
    const result = (await TestBed.runInInjectionContext(() =>
      organizationGuard(route('other'), state('/o/other/users')),
    )) as RedirectCommand;
    expect(router.serializeUrl(result.redirectTo as UrlTree)).toBe('/not-a-member?organization=other');
    expect(result.navigationBehaviorOptions?.browserUrl).toBe('/o/other/users');
  });
});

describe('no organization', () => {
  it('sends someone who belongs to no active organization to a page saying so', async () => {
    const { router } = setup({ organization: null, organizations: [{ ...acme, status: 'SUSPENDED' }], twoFactorSetupRequired: false });
    const result = (await TestBed.runInInjectionContext(() => toOrganizationGuard(route(''), state('/users')))) as UrlTree;
    expect(router.serializeUrl(result)).toBe('/no-organization');
  });

  it('lets only platform operators open the Organizations page', async () => {
    const operator = { organization: acme, operator: true, twoFactorSetupRequired: false };
    const session = { refresh: jest.fn(async () => operator) };
    TestBed.configureTestingModule({ providers: [provideRouter([]), { provide: Session, useValue: session }] });
    const router = TestBed.inject(Router);
    const run = () => TestBed.runInInjectionContext(() => operatorGuard(route(''), state('/organizations')));
    expect(await run()).toBe(true);
    session.refresh.mockResolvedValue({ ...operator, operator: false });
    expect(router.serializeUrl((await run()) as UrlTree)).toBe('/');
    session.refresh.mockResolvedValue(null as never);
    expect(router.serializeUrl((await run()) as UrlTree)).toBe('/sign-in?returnUrl=%2Forganizations');
  });
});

describe('OrganizationContext', () => {
  it('follows the URL, and tells when the organization changes', async () => {
    const { router } = setup(null);
    const context = TestBed.inject(OrganizationContext);
    const switched = jest.fn();
    context.onSwitch(switched);
    await router.navigateByUrl('/o/acme/users');
    expect(context.slug()).toBe('acme');
    await router.navigateByUrl('/sign-in');
    expect(context.slug()).toBeNull();
    await router.navigateByUrl('/o/acme/teams');
    expect(switched).not.toHaveBeenCalled();
    await router.navigateByUrl('/o/beta/teams');
    expect(context.slug()).toBe('beta');
    expect(switched).toHaveBeenCalledTimes(1);
  });
});
