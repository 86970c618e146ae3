import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Permission } from '@roster/contracts/permissions';
import { CurrentPrincipal, RequirePermission } from '../core/access/access.decorators';
import { organizationOf, type Principal } from '../core/access/principal';
import { SetTwoFactorPolicyInput, TwoFactorPolicyModel } from './two-factor-policy.model';
import { TwoFactorPolicyService } from './two-factor-policy.service';

@Resolver(() => TwoFactorPolicyModel)
export class TwoFactorPolicyResolver {
  constructor(private readonly policy: TwoFactorPolicyService) {}

  @Query(() => TwoFactorPolicyModel, {
    description: 'Which roles of the current organization require two-factor authentication, and how many members that affects.',
  })
  @RequirePermission(Permission.UsersSecurity)
  twoFactorPolicy(@CurrentPrincipal() actor: Principal): Promise<TwoFactorPolicyModel> {
    return this.policy.get(organizationOf(actor));
  }

  @Mutation(() => TwoFactorPolicyModel, {
    description:
      'Sets the two-factor policy. People of a required role without two-factor authentication are sent to its set-up at their next request, on every instance. Audited.',
  })
  @RequirePermission(Permission.UsersSecurity)
  setTwoFactorPolicy(
    @CurrentPrincipal() actor: Principal,
    @Args('input', { description: 'Required roles and the single sign-on rule.' }) input: SetTwoFactorPolicyInput,
  ): Promise<TwoFactorPolicyModel> {
    return this.policy.set(actor, input);
  }
}
