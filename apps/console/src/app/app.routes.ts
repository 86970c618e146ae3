import { Route, UrlSegment } from '@angular/router';
import { authGuard, operatorGuard, organizationGuard, permissionGuard, toOrganizationGuard, twoFactorSetupGuard } from './core/auth.guard';
import { ORGANIZATION_PAGES, ORGANIZATION_PARAM } from './core/organization';
import { Permission } from '@roster/contracts/permissions';

/** An old URL of an organization's page (`/users`, `/audit?…`, before URLs named the organization). */
function oldOrganizationPage(segments: UrlSegment[]) {
  const first = segments[0]?.path;
  return first && (ORGANIZATION_PAGES as readonly string[]).includes(first) ? { consumed: segments } : null;
}

export const appRoutes: Route[] = [
  { path: 'sign-in', loadComponent: () => import('./auth/sign-in').then((m) => m.SignInPage) },
  { path: 'setup', loadComponent: () => import('./auth/setup').then((m) => m.SetupPage) },
  { path: 'register', loadComponent: () => import('./auth/register').then((m) => m.RegisterPage) },
  { path: 'forgot-password', loadComponent: () => import('./auth/forgot-password').then((m) => m.ForgotPasswordPage) },
  { path: 'reset-password', loadComponent: () => import('./auth/reset-password').then((m) => m.ResetPasswordPage) },
  { path: 'sso-error', loadComponent: () => import('./auth/sso-error').then((m) => m.SsoErrorPage) },
  // An application's sign-in through Roster, when the person has something to decide (the API sends them here).
  { path: 'authorize/:uid', loadComponent: () => import('./authorize/authorize-page').then((m) => m.AuthorizePage) },
  {
    path: 'two-factor-setup',
    canActivate: [twoFactorSetupGuard],
    loadComponent: () => import('./auth/two-factor-setup').then((m) => m.TwoFactorSetupPage),
  },
  {
    path: 'not-a-member',
    loadComponent: () => import('./organization/not-a-member').then((m) => m.NotAMemberPage),
  },
  {
    path: 'no-organization',
    canActivate: [authGuard],
    loadComponent: () => import('./organization/no-organization').then((m) => m.NoOrganizationPage),
  },
  // Platform operators' page: it belongs to no organization, but keeps the console's toolbar.
  {
    path: 'organizations',
    canActivate: [operatorGuard],
    loadComponent: () => import('./shell/shell').then((m) => m.Shell),
    children: [{ path: '', loadComponent: () => import('./organizations/organizations-page').then((m) => m.OrganizationsPage) }],
  },
  // `/` and the old URLs: the same page in the person's current organization.
  { path: '', pathMatch: 'full', canActivate: [toOrganizationGuard], children: [] },
  { matcher: oldOrganizationPage, canActivate: [toOrganizationGuard], children: [] },
  {
    path: `o/:${ORGANIZATION_PARAM}`,
    canActivate: [organizationGuard],
    runGuardsAndResolvers: 'always',
    loadComponent: () => import('./shell/shell').then((m) => m.Shell),
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'users' },
      {
        path: 'users',
        canActivate: [permissionGuard(Permission.UsersRead)],
        loadComponent: () => import('./users/users-page').then((m) => m.UsersPage),
      },
      {
        path: 'teams',
        canActivate: [permissionGuard(Permission.TeamsRead)],
        loadComponent: () => import('./teams/teams-page').then((m) => m.TeamsPage),
      },
      {
        path: 'roles',
        canActivate: [permissionGuard(Permission.RolesRead)],
        loadComponent: () => import('./roles/roles-page').then((m) => m.RolesPage),
      },
      {
        path: 'audit',
        canActivate: [permissionGuard(Permission.AuditRead)],
        loadComponent: () => import('./audit/audit-page').then((m) => m.AuditPage),
      },
      {
        path: 'api-tokens',
        canActivate: [permissionGuard(Permission.TokensManageAll)],
        loadComponent: () => import('./admin-tokens/admin-tokens-page').then((m) => m.AdminTokensPage),
      },
      {
        path: 'security',
        canActivate: [permissionGuard(Permission.UsersSecurity)],
        loadComponent: () => import('./security/security-page').then((m) => m.SecurityPage),
      },
      {
        path: 'sso',
        canActivate: [permissionGuard(Permission.SsoManage)],
        loadComponent: () => import('./sso/sso-page').then((m) => m.SsoPage),
      },
      {
        path: 'oidc-clients',
        canActivate: [permissionGuard(Permission.OidcClientsManage)],
        loadComponent: () => import('./oidc-clients/oidc-clients-page').then((m) => m.OidcClientsPage),
      },
      {
        path: 'webhooks',
        canActivate: [permissionGuard(Permission.WebhooksManage)],
        loadComponent: () => import('./webhooks/webhooks-page').then((m) => m.WebhooksPage),
      },
      {
        path: 'webhooks/:id',
        canActivate: [permissionGuard(Permission.WebhooksManage)],
        loadComponent: () => import('./webhooks/webhook-deliveries-page').then((m) => m.WebhookDeliveriesPage),
      },
      { path: '**', redirectTo: 'users' },
    ],
  },
  { path: '**', redirectTo: 'users' },
];
