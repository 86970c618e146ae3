import { inject } from '@angular/core';
import { CanActivateFn, RedirectCommand, Router } from '@angular/router';
import { Permission } from '@roster/contracts/permissions';
import { NOT_A_MEMBER, Session } from './session';
import { TWO_FACTOR_SETUP_PAGE } from './api';
import { ORGANIZATION_PARAM, OrganizationContext, organizationUrl } from './organization';
import { safeReturnUrl } from './return-url';

/** Where a person lands who opened an organization they are not a member of. */
export const NOT_A_MEMBER_PAGE = '/not-a-member';
/** Where a person lands who belongs to no active organization (theirs is suspended, say). */
export const NO_ORGANIZATION_PAGE = '/no-organization';
/** The platform operators' list of organizations. */
export const ORGANIZATIONS_PAGE = '/organizations';

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

/**
 * The pages of one organization (`/o/<slug>/…`): `me` is asked in that organization (the request names
 * it). One the person may not enter shows the not-a-member page, the URL kept (reload asks again);
 * a URL naming the organization otherwise than by its slug (its id, a former slug) moves to the slug.
 */
export const organizationGuard: CanActivateFn = async (route, state) => {
  const session = inject(Session);
  const router = inject(Router);
  const me = await session.load();
  const named = route.paramMap.get(ORGANIZATION_PARAM) ?? '';
  if (me === NOT_A_MEMBER) {
    return new RedirectCommand(router.createUrlTree([NOT_A_MEMBER_PAGE], { queryParams: { organization: named } }), {
      browserUrl: state.url,
    });
  }
  if (!me) return router.createUrlTree(['/sign-in'], { queryParams: { returnUrl: state.url } });
  if (me.twoFactorSetupRequired) return router.createUrlTree([TWO_FACTOR_SETUP_PAGE], { queryParams: { returnUrl: state.url } });
  if (!me.organization) return router.createUrlTree([NO_ORGANIZATION_PAGE]);
  const slug = me.organization.slug;
  if (named !== slug) {
    const rest = state.url.slice(organizationUrl(named).length);
    return new RedirectCommand(router.parseUrl(organizationUrl(slug, rest)), { replaceUrl: true });
  }
  return true;
};

/**
 * `/` and the URLs of before organizations (`/users?…`, `/audit?…`): the same page and query in the
 * person's current organization, so bookmarks and shared links keep working.
 */
export const toOrganizationGuard: CanActivateFn = async (_route, state) => {
  const session = inject(Session);
  const router = inject(Router);
  const me = await session.load();
  if (me === NOT_A_MEMBER) return router.createUrlTree([NOT_A_MEMBER_PAGE]);
  if (!me) return router.createUrlTree(['/sign-in'], { queryParams: { returnUrl: state.url } });
  if (me.twoFactorSetupRequired) return router.createUrlTree([TWO_FACTOR_SETUP_PAGE], { queryParams: { returnUrl: state.url } });
  // Nowhere to act in: a page that says so, not an error (operators can still reach their page from it).
  if (!me.organization) return router.createUrlTree([NO_ORGANIZATION_PAGE]);
  return new RedirectCommand(router.parseUrl(organizationUrl(me.organization.slug, state.url)), { replaceUrl: true });
};

/** The Organizations page: platform operators only; anyone else goes to their own organization. */
export const operatorGuard: CanActivateFn = async (_route, state) => {
  const session = inject(Session);
  const router = inject(Router);
  const me = await session.refresh();
  if (!me) return router.createUrlTree(['/sign-in'], { queryParams: { returnUrl: state.url } });
  if (me.twoFactorSetupRequired) return router.createUrlTree([TWO_FACTOR_SETUP_PAGE], { queryParams: { returnUrl: state.url } });
  return me.operator ? true : router.parseUrl('/');
};

/** The two-factor set-up page: for signed-in people the policy holds there; others go where they belong. */
export const twoFactorSetupGuard: CanActivateFn = async (route) => {
  const session = inject(Session);
  const router = inject(Router);
  const me = await session.refresh();
  if (!me) return router.createUrlTree(['/sign-in']);
  return me.twoFactorSetupRequired ? true : router.parseUrl(safeReturnUrl(route.queryParamMap.get('returnUrl') ?? undefined));
};

/** Pages a person may not read send them to the other page they may read (same organization), if any. */
export function permissionGuard(permission: Permission): CanActivateFn {
  return () => {
    const session = inject(Session);
    const router = inject(Router);
    const slug = inject(OrganizationContext).slug();
    const page = (path: string) => router.parseUrl(slug ? organizationUrl(slug, path) : path);
    if (session.can(permission)) return true;
    if (permission !== Permission.UsersRead && session.can(Permission.UsersRead)) return page('/users');
    if (permission !== Permission.TeamsRead && session.can(Permission.TeamsRead)) return page('/teams');
    return false;
  };
}
