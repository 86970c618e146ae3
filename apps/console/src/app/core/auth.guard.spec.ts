import { TestBed } from '@angular/core/testing';
import { ActivatedRouteSnapshot, provideRouter, Router, RouterStateSnapshot, UrlTree } from '@angular/router';
import { Permission } from '@roster/contracts/permissions';
import { authGuard, permissionGuard } from './auth.guard';
import { Session } from './session';

describe('authGuard', () => {
  function setup(me: unknown, permissions: string[] = []) {
    const session = { refresh: jest.fn(async () => me), can: (p: string) => permissions.includes(p) };
    TestBed.configureTestingModule({ providers: [provideRouter([]), { provide: Session, useValue: session }] });
    return { session, router: TestBed.inject(Router) };
  }

  const run = (url: string) =>
    TestBed.runInInjectionContext(() => authGuard({} as ActivatedRouteSnapshot, { url } as RouterStateSnapshot)) as Promise<
      boolean | UrlTree
    >;

  it('sends a signed-out person to sign-in with the return URL', async () => {
    const { router } = setup(null);
    const result = await run('/teams?x=1');
    expect(result instanceof UrlTree).toBe(true);
    expect(router.serializeUrl(result as UrlTree)).toBe('/sign-in?returnUrl=%2Fteams%3Fx%3D1');
  });

  it('lets a signed-in person through, asking the API each time', async () => {
    const { session } = setup({ user: { id: 'u1' } });
    expect(await run('/users')).toBe(true);
    expect(await run('/teams')).toBe(true);
    expect(session.refresh).toHaveBeenCalledTimes(2);
  });

  it('redirects to a readable page when a permission is missing', () => {
    const { router } = setup({ user: { id: 'u1' } }, [Permission.UsersRead]);
    const result = TestBed.runInInjectionContext(() =>
      permissionGuard(Permission.TeamsRead)({} as ActivatedRouteSnapshot, {} as RouterStateSnapshot),
    ) as UrlTree;
    expect(router.serializeUrl(result)).toBe('/users');
  });
});
