import { Route } from '@angular/router';
import { authGuard, permissionGuard, twoFactorSetupGuard } from './core/auth.guard';
import { Permission } from '@roster/contracts/permissions';

export const appRoutes: Route[] = [
  { path: 'sign-in', loadComponent: () => import('./auth/sign-in').then((m) => m.SignInPage) },
  { path: 'setup', loadComponent: () => import('./auth/setup').then((m) => m.SetupPage) },
  { path: 'register', loadComponent: () => import('./auth/register').then((m) => m.RegisterPage) },
  { path: 'forgot-password', loadComponent: () => import('./auth/forgot-password').then((m) => m.ForgotPasswordPage) },
  { path: 'reset-password', loadComponent: () => import('./auth/reset-password').then((m) => m.ResetPasswordPage) },
  { path: 'sso-error', loadComponent: () => import('./auth/sso-error').then((m) => m.SsoErrorPage) },
  {
    path: 'two-factor-setup',
    canActivate: [twoFactorSetupGuard],
    loadComponent: () => import('./auth/two-factor-setup').then((m) => m.TwoFactorSetupPage),
  },
  {
    path: '',
    canActivate: [authGuard],
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
    ],
  },
  { path: '**', redirectTo: 'users' },
];
