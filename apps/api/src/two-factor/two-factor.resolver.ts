import { ParseUUIDPipe } from '@nestjs/common';
import { Args, Context, ID, Mutation, Resolver } from '@nestjs/graphql';
import type { HttpContext } from '../core/http/http-context';
import { Permission } from '@roster/contracts/permissions';
import { Authenticated, CurrentPrincipal, Public, RequirePermission } from '../core/access/access.decorators';
import type { Principal } from '../core/access/principal';
import { MeModel } from '../users/user.model';
import { ProfileService } from '../users/profile.service';
import { DisableTwoFactorInput, TwoFactorCodeInput, TwoFactorEnabled, TwoFactorSetup, VerifyTwoFactorInput } from './two-factor.model';
import { TwoFactorService } from './two-factor.service';

@Resolver()
export class TwoFactorResolver {
  constructor(
    private readonly twoFactor: TwoFactorService,
    private readonly profile: ProfileService,
  ) {}

  @Mutation(() => TwoFactorSetup, { description: 'Starts two-factor set-up: a new secret, as QR code and text.' })
  @Authenticated({ sessionOnly: true, duringTwoFactorSetup: true })
  startTwoFactorSetup(@CurrentPrincipal() me: Principal): Promise<TwoFactorSetup> {
    return this.twoFactor.startSetup(me);
  }

  @Mutation(() => TwoFactorEnabled, { description: '"Complete setup": enables 2FA if the code verifies; returns recovery codes once.' })
  @Authenticated({ sessionOnly: true, duringTwoFactorSetup: true })
  async completeTwoFactorSetup(
    @CurrentPrincipal() me: Principal,
    @Args('input', { description: 'A code for the new secret.' }) input: TwoFactorCodeInput,
  ): Promise<TwoFactorEnabled> {
    return { recoveryCodes: await this.twoFactor.completeSetup(me, input.code) };
  }

  @Mutation(() => Boolean, {
    description: 'Disables your 2FA (needs your password and a current code); refused while your role requires it.',
  })
  @Authenticated({ sessionOnly: true })
  async disableTwoFactor(
    @CurrentPrincipal() me: Principal,
    @Args('input', { description: 'Password and code.' }) input: DisableTwoFactorInput,
  ): Promise<boolean> {
    await this.twoFactor.disable(me, input.password, input.code);
    return true;
  }

  @Mutation(() => MeModel, { description: 'Second sign-in step: a TOTP code or a recovery code; sets the session cookie.' })
  @Public()
  async verifyTwoFactor(
    @Args('input', { description: 'Challenge token and code.' }) input: VerifyTwoFactorInput,
    @Context() ctx: HttpContext,
  ): Promise<MeModel> {
    const userId = await this.twoFactor.verifyChallenge(input.challengeToken, input.code, ctx.req, ctx.res);
    return this.profile.me(userId);
  }

  @Mutation(() => Boolean, { description: 'For someone who lost their device: removes their 2FA and ends their sessions.' })
  @RequirePermission(Permission.UsersSecurity)
  async resetUserTwoFactor(
    @CurrentPrincipal() actor: Principal,
    @Args('userId', { type: () => ID, description: 'The person whose 2FA to remove.' }, new ParseUUIDPipe()) userId: string,
  ): Promise<boolean> {
    await this.twoFactor.adminReset(actor, userId);
    return true;
  }
}
