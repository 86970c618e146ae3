import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { ErrorCode } from '@roster/contracts/errors';
import { AppError } from '../errors/app-error';
import { ACCESS_KEY, AccessRule, requestOf } from './access.decorators';
import { hasValidCsrf } from './csrf';
import { PrincipalLookup } from './principal-lookup';

/** The one answer to a request that may not act in the organization it names (whatever the reason). */
export const ORGANIZATION_REFUSED = 'You may not act in this organization, or it is suspended.';

/**
 * The global guard. Secure by default: an operation that declares no access rule is refused.
 * Cookie-authenticated GraphQL calls must also carry the session's CSRF token; Bearer calls need none.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly principals: PrincipalLookup,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [ctx.getHandler(), ctx.getClass()]);
    if (!rule) throw new AppError(ErrorCode.Forbidden, 'This operation declares no access rule.');
    const req = requestOf(ctx);
    const principal = await this.principals.principalFor(req);
    if (rule.kind === 'public') return true;
    if (rule.bearerOnly && principal?.via !== 'bearer') {
      throw new AppError(ErrorCode.Unauthenticated, 'Authenticate with an API token of the organization (Authorization: Bearer).');
    }
    if (!principal) throw new AppError(ErrorCode.Unauthenticated, 'Please sign in.');
    if (principal.via === 'cookie' && ctx.getType<string>() === 'graphql') {
      if (!hasValidCsrf(req)) {
        throw new AppError(ErrorCode.CsrfInvalid, 'The request lacks a valid CSRF token. Reload the page.');
      }
    }
    // The request names an organization the caller may not act in, or theirs is suspended: nothing
    // inside an organization, whatever the operation (the same answer for every reason: no probing).
    if ((principal.organizationRefused || (rule.kind === 'permission' && !principal.organization)) && !rule.ignoresOrganization) {
      throw new AppError(ErrorCode.Forbidden, ORGANIZATION_REFUSED);
    }
    if (principal.twoFactorSetupRequired && !rule.duringTwoFactorSetup) {
      throw new AppError(ErrorCode.TwoFactorSetupRequired, 'Your role requires two-factor authentication: set it up to continue.');
    }
    if (principal.via === 'bearer') this.assertTokenMay(ctx, rule, principal.permissions);
    if (rule.kind === 'permission' && !principal.permissions.includes(rule.permission)) {
      throw new AppError(ErrorCode.Forbidden, 'You do not have permission to do this.', { permission: rule.permission });
    }
    if (rule.kind === 'operator' && !(principal.via === 'cookie' && principal.operator)) {
      throw new AppError(ErrorCode.Forbidden, 'Only platform operators may do this.');
    }
    return true;
  }

  /**
   * A token acts within its cap for every write: a mutation open to any signed-in person is refused
   * to tokens unless it names the permission the token must hold (`tokenPermission`).
   */
  private assertTokenMay(ctx: ExecutionContext, rule: Exclude<AccessRule, { kind: 'public' }>, permissions: string[]): void {
    const mutation =
      ctx.getType<string>() === 'graphql' &&
      GqlExecutionContext.create(ctx).getInfo<GraphQLResolveInfo>().operation.operation === 'mutation';
    const needed = rule.tokenPermission;
    if (rule.sessionOnly || (mutation && rule.kind === 'authenticated' && !needed) || (needed && !permissions.includes(needed))) {
      throw new AppError(ErrorCode.Forbidden, 'API tokens cannot do this: sign in to the console, or use a token that may.');
    }
  }
}
