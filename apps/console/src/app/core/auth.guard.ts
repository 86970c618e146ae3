import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { Permission } from '@roster/contracts/permissions';
import { Session } from './session';
import { TWO_FACTOR_SETUP_PAGE } from './api';
import { safeReturnUrl } from './return-url';

/**
 * Signed-out people go to /sign-in?returnUrl=...; `me` is asked again on each navigation so that
 * an ended session (signed out elsewhere, user deleted) is noticed at once.
 */
export const authGuard: CanActivateFn = async (_route, state) => {
  const session = inject(Session);
  const router = inject(Router);
  const me = await session.refresh();
  if (!me) return router.createUrlTree(['/sign-in'], { queryParams: { returnUrl: state.url } });
  // A role that requires two-factor authentication: nothing else until it is set up.
  if (me.twoFactorSetupRequired) return router.createUrlTree([TWO_FACTOR_SETUP_PAGE], { queryParams: { returnUrl: state.url } });
  return true;
};

/** The two-factor set-up page: for signed-in people the policy holds there; others go where they belong. */
export const twoFactorSetupGuard: CanActivateFn = async (route) => {
  const session = inject(Session);
  const router = inject(Router);
  const me = await session.refresh();
  if (!me) return router.createUrlTree(['/sign-in']);
  return me.twoFactorSetupRequired ? true : router.parseUrl(safeReturnUrl(route.queryParamMap.get('returnUrl') ?? undefined));
};

/** Pages a person may not read send them to the other page they may read, if any. */
export function permissionGuard(permission: Permission): CanActivateFn {
  return () => {
    const session = inject(Session);
    const router = inject(Router);
    if (session.can(permission)) return true;
    if (permission !== Permission.UsersRead && session.can(Permission.UsersRead)) return router.createUrlTree(['/users']);
    if (permission !== Permission.TeamsRead && session.can(Permission.TeamsRead)) return router.createUrlTree(['/teams']);
    return false;
  };
}
