import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Request } from 'express';
import { Permission } from '@roster/contracts/permissions';
import type { Principal } from './principal';

export const ACCESS_KEY = 'roster:access';

export type AccessRule =
  | { kind: 'public' }
  | { kind: 'authenticated' }
  | { kind: 'permission'; permission: Permission };

/** Anyone, signed in or not (sign-in, registration). */
export const Public = () => SetMetadata(ACCESS_KEY, { kind: 'public' } satisfies AccessRule);
/** Any signed-in person, acting on themselves (profile, password). */
export const Authenticated = () => SetMetadata(ACCESS_KEY, { kind: 'authenticated' } satisfies AccessRule);
/** Signed in and holding this permission through their role. */
export const RequirePermission = (permission: Permission) =>
  SetMetadata(ACCESS_KEY, { kind: 'permission', permission } satisfies AccessRule);

export function requestOf(ctx: ExecutionContext): Request {
  if (ctx.getType<string>() === 'graphql') return GqlExecutionContext.create(ctx).getContext<{ req: Request }>().req;
  return ctx.switchToHttp().getRequest<Request>();
}

/** The signed-in person (guaranteed by the guard for non-public operations). */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return (requestOf(ctx) as Request & { principal: Principal }).principal;
});
