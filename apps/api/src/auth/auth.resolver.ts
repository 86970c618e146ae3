import { Inject } from '@nestjs/common';
import { Args, Context, Field, Int, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { APP_CONFIG, AppConfig } from '../core/config/config';
import type { HttpContext } from '../core/http/http-context';
import { SignInResult } from '../two-factor/two-factor.model';
import { MeModel } from '../users/user.model';
import { ProfileService } from '../users/profile.service';
import { Authenticated, CurrentPrincipal, Public } from '../core/access/access.decorators';
import { ChangePasswordInput } from '../users/dto/user.inputs';
import { SignInInput } from './auth.inputs';
import { AuthService } from './auth.service';
import type { Principal } from '../core/access/principal';
import { PrincipalLookup } from '../core/access/principal-lookup';
import { ORGANIZATION_REFUSED } from '../core/access/access.guard';
import { AppError } from '../core/errors/app-error';
import { ErrorCode } from '@roster/contracts/errors';

@ObjectType('AuthConfig', { description: 'The sign-in methods this server offers.' })
export class AuthConfig {
  @Field({ description: 'Whether email + password sign-in is offered.' })
  passwordSignIn: boolean;

  @Field(() => String, { nullable: true, description: 'Label of the "Sign in with …" button; null when SSO is off.' })
  ssoLabel: string | null;

  @Field(() => String, { nullable: true, description: 'Where "Sign in with SSO" goes; null when SSO is off.' })
  ssoUrl: string | null;

  @Field({ description: 'Whether "Forgot password?" is offered (password sign-in on and outgoing email configured).' })
  passwordResetByEmail: boolean;
}

@Resolver()
export class AuthResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly profile: ProfileService,
    private readonly principals: PrincipalLookup,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Query(() => MeModel, { nullable: true, description: 'The signed-in person, or null.' })
  @Public()
  async me(@Context() ctx: HttpContext): Promise<MeModel | null> {
    const principal = await this.principals.principalFor(ctx.req);
    if (!principal) return null;
    // Asked in an organization the caller may not act in: refused like everything else in it.
    if (principal.organizationRefused) throw new AppError(ErrorCode.Forbidden, ORGANIZATION_REFUSED);
    // What this caller may do: for an API token capped to a smaller role, the capped set.
    return this.profile.me(principal.userId, principal);
  }

  @Query(() => AuthConfig, { description: 'How people can sign in here (for the sign-in page).' })
  @Public()
  authConfig(): AuthConfig {
    const sso = this.config.sso;
    return {
      passwordSignIn: this.config.passwordSignIn,
      ssoLabel: sso ? sso.label : null,
      ssoUrl: sso ? `${this.config.publicUrl}/auth/sso` : null,
      passwordResetByEmail: this.config.passwordSignIn && this.config.smtp !== null,
    };
  }

  @Mutation(() => SignInResult, {
    description: 'Signs in with email and password: sets the session cookie, or asks for a second factor.',
  })
  @Public()
  async signIn(
    @Args('input', { description: 'Email and password.' }) input: SignInInput,
    @Context() ctx: HttpContext,
  ): Promise<SignInResult> {
    const { userId, challenge } = await this.auth.signIn(input.email, input.password, ctx.req, ctx.res);
    if (challenge) return { me: null, twoFactorRequired: true, challengeToken: challenge.token, challengeExpiresAt: challenge.expiresAt };
    return { me: await this.profile.me(userId), twoFactorRequired: false, challengeToken: null, challengeExpiresAt: null };
  }

  @Mutation(() => Int, { description: 'Changes your password; your other sessions end. Returns how many ended.' })
  @Authenticated({ sessionOnly: true })
  changeMyPassword(
    @CurrentPrincipal() me: Principal,
    @Args('input', { description: 'Current and new password.' }) input: ChangePasswordInput,
  ): Promise<number> {
    return this.auth.changePassword(me, input);
  }

  @Mutation(() => Boolean, { description: 'Ends this session.' })
  @Authenticated({ sessionOnly: true, duringTwoFactorSetup: true, ignoresOrganization: true })
  async signOut(@CurrentPrincipal() principal: Principal, @Context() ctx: HttpContext): Promise<boolean> {
    await this.auth.signOut(principal, ctx.res);
    return true;
  }
}
