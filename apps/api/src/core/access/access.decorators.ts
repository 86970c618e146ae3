import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { CallerRequest } from '../http/http-context';
import { Permission } from '@roster/contracts/permissions';
import type { Principal } from './principal';

export const ACCESS_KEY = 'roster:access';

export interface AccessOptions {
  /** Refused to API tokens: only a person in a browser session may do it (passwords, new tokens). */
  sessionOnly?: boolean;
  /**
   * Only API tokens (`Authorization: Bearer`): a browser session counts as no credential (401). For
   * plain HTTP APIs that check no CSRF token (SCIM), so that another site cannot act with a visitor's cookie.
   */
  bearerOnly?: boolean;
  /**
   * For an `Authenticated` mutation that API tokens may call: the permission the token's cap must
   * hold. Without it such a mutation is refused to tokens, so a read-only token can change nothing.
   */
  tokenPermission?: Permission;
  /**
   * Open to a person whose role requires two-factor authentication before they have set it up
   * (the set-up itself, signing out, language and theme). Everything else waits for the set-up.
   */
  duringTwoFactorSetup?: boolean;
  /**
   * Acts in no organization (signing out): open even when the request names an organization the
   * caller may not act in, which refuses everything else (`@Public` operations are open anyway, but
   * `me`, which refuses by itself).
   */
  ignoresOrganization?: boolean;
}

export type AccessRule =
  | { kind: 'public' }
  | ({ kind: 'authenticated' } & AccessOptions)
  | ({ kind: 'permission'; permission: Permission } & AccessOptions)
  | ({ kind: 'operator' } & AccessOptions);

/** Anyone, signed in or not (sign-in, registration). */
export const Public = () => SetMetadata(ACCESS_KEY, { kind: 'public' } satisfies AccessRule);
/** Any signed-in person, acting on themselves (profile, password). */
export const Authenticated = (options: AccessOptions = {}) =>
  SetMetadata(ACCESS_KEY, { kind: 'authenticated', ...options } satisfies AccessRule);
/** Signed in and holding this permission through their role. */
export const RequirePermission = (permission: Permission, options: AccessOptions = {}) =>
  SetMetadata(ACCESS_KEY, { kind: 'permission', permission, ...options } satisfies AccessRule);

/**
 * A platform operation (organizations, operators): the caller must be a platform operator, signed in
 * to the console. Refused to API tokens, whoever made them.
 */
export const RequireOperator = () => SetMetadata(ACCESS_KEY, { kind: 'operator', sessionOnly: true } satisfies AccessRule);

export function requestOf(ctx: ExecutionContext): CallerRequest {
  if (ctx.getType<string>() === 'graphql') return GqlExecutionContext.create(ctx).getContext<{ req: CallerRequest }>().req;
  return ctx.switchToHttp().getRequest<CallerRequest>();
}

/** The signed-in person (guaranteed by the guard for non-public operations). */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return (requestOf(ctx) as CallerRequest & { principal: Principal }).principal;
});
