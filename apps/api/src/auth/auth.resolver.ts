import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { Request, Response } from 'express';
import { SignInResult } from '../two-factor/two-factor.model';
import { MeModel } from '../users/user.model';
import { ProfileService } from '../users/profile.service';
import { Authenticated, CurrentPrincipal, Public } from './access.decorators';
import { SignInInput } from './auth.inputs';
import { AuthService } from './auth.service';
import type { Principal } from './principal';
import { SessionService } from './session.service';

interface HttpContext {
  req: Request;
  res: Response;
}

@Resolver()
export class AuthResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly profile: ProfileService,
    private readonly sessions: SessionService,
  ) {}

  @Query(() => MeModel, { nullable: true, description: 'The signed-in person, or null.' })
  @Public()
  async me(@Context() ctx: HttpContext): Promise<MeModel | null> {
    const principal = await this.sessions.principalFor(ctx.req);
    return principal ? this.profile.me(principal.userId) : null;
  }

  @Mutation(() => SignInResult, {
    description: 'Signs in with email and password: sets the session cookie, or asks for a second factor.',
  })
  @Public()
  async signIn(@Args('input') input: SignInInput, @Context() ctx: HttpContext): Promise<SignInResult> {
    const { userId, challenge } = await this.auth.signIn(input.email, input.password, ctx.req, ctx.res);
    if (challenge) return { me: null, twoFactorRequired: true, challengeToken: challenge.token, challengeExpiresAt: challenge.expiresAt };
    return { me: await this.profile.me(userId), twoFactorRequired: false, challengeToken: null, challengeExpiresAt: null };
  }

  @Mutation(() => Boolean, { description: 'Ends this session.' })
  @Authenticated({ sessionOnly: true })
  async signOut(@CurrentPrincipal() principal: Principal, @Context() ctx: HttpContext): Promise<boolean> {
    await this.auth.signOut(principal, ctx.res);
    return true;
  }
}
