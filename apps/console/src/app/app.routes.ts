import { Route } from '@angular/router';
import { authGuard, permissionGuard } from './core/auth.guard';
import { Permission } from '@roster/contracts/permissions';

export const appRoutes: Route[] = [
  { path: 'sign-in', loadComponent: () => import('./auth/sign-in').then((m) => m.SignInPage) },
  { path: 'setup', loadComponent: () => import('./auth/setup').then((m) => m.SetupPage) },
  { path: 'register', loadComponent: () => import('./auth/register').then((m) => m.RegisterPage) },
  { path: 'forgot-password', loadComponent: () => import('./auth/forgot-password').then((m) => m.ForgotPasswordPage) },
  { path: 'reset-password', loadComponent: () => import('./auth/reset-password').then((m) => m.ResetPasswordPage) },
  { path: 'sso-error', loadComponent: () => import('./auth/sso-error').then((m) => m.SsoErrorPage) },
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
    ],
  },
  { path: '**', redirectTo: 'users' },
];
