import { ParseUUIDPipe } from '@nestjs/common';
import { Args, Context, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Permission } from '@roster/contracts/permissions';
import { CurrentPrincipal, Public, RequirePermission } from '../core/access/access.decorators';
import type { Principal } from '../core/access/principal';
import type { HttpContext } from '../core/http/http-context';
import { PasswordResetLink, PasswordResetPreview, ResetPasswordInput } from './password-reset.model';
import { PasswordResetService } from './password-reset.service';

@Resolver()
export class PasswordResetResolver {
  constructor(private readonly resets: PasswordResetService) {}

  @Mutation(() => PasswordResetLink, {
    description:
      "A one-time link for someone else to choose a new password (replaces the earlier one made by an admin); using it ends the person's sessions. Not for yourself (SELF_PASSWORD_RESET) nor with API tokens.",
  })
  @RequirePermission(Permission.UsersSecurity, { sessionOnly: true })
  createPasswordReset(
    @CurrentPrincipal() actor: Principal,
    @Args('userId', { type: () => ID, description: 'Whose password.' }, new ParseUUIDPipe()) userId: string,
  ): Promise<PasswordResetLink> {
    return this.resets.create(actor, userId);
  }

  @Query(() => PasswordResetPreview, { description: 'Whose password a reset link resets; PASSWORD_RESET_INVALID or _EXPIRED otherwise.' })
  @Public()
  passwordReset(@Args('token', { description: 'The token from the reset URL.' }) token: string): Promise<PasswordResetPreview> {
    return this.resets.preview(token);
  }

  @Mutation(() => Boolean, {
    description:
      '"Forgot password?": emails a reset link if the address belongs to someone who signs in with a password, or who has neither a password nor single sign-on yet (a provisioned person). Always answers true (it never says who exists); EMAIL_NOT_CONFIGURED without outgoing email.',
  })
  @Public()
  requestPasswordReset(
    @Args('email', { description: 'The email the person signs in with.' }) email: string,
    @Context() ctx: HttpContext,
  ): Promise<boolean> {
    return this.resets.request(email.slice(0, 320), ctx.req);
  }

  @Mutation(() => Boolean, { description: 'Sets a new password through a reset link (single use); sign in afterwards.' })
  @Public()
  resetPassword(
    @Args('input', { description: 'The token and the new password.' }) input: ResetPasswordInput,
    @Context() ctx: HttpContext,
  ): Promise<boolean> {
    return this.resets.reset(input, ctx.req);
  }
}
