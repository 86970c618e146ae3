import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Permission } from '@roster/contracts/permissions';
import { Authenticated, CurrentPrincipal, RequirePermission } from '../core/access/access.decorators';
import type { Principal } from '../core/access/principal';
import { AllApiTokensArgs, ApiTokenModel, ApiTokenPage, CreateApiTokenInput, CreatedApiToken } from './api-token.model';
import { ApiTokensService } from './api-tokens.service';

@Resolver(() => ApiTokenModel)
export class ApiTokensResolver {
  constructor(private readonly tokens: ApiTokensService) {}

  @Query(() => [ApiTokenModel], { description: 'Your API tokens.' })
  @Authenticated()
  myApiTokens(@CurrentPrincipal() me: Principal): Promise<ApiTokenModel[]> {
    return this.tokens.list(me, me.userId);
  }

  @Query(() => [ApiTokenModel], { description: "Everyone's API tokens (admins), or one person's." })
  @RequirePermission(Permission.TokensManageAll)
  apiTokens(
    @CurrentPrincipal() me: Principal,
    @Args(
      'userId',
      { type: () => ID, nullable: true, description: "Only this person's tokens; all (at most 1,000) when omitted." },
      new ParseUUIDPipe({ optional: true }),
    )
    userId?: string,
  ): Promise<ApiTokenModel[]> {
    return this.tokens.list(me, userId ?? null);
  }

  @Query(() => ApiTokenPage, { description: "Everyone's API tokens (admins): newest first, searchable, cursor paged." })
  @RequirePermission(Permission.TokensManageAll)
  allApiTokens(@CurrentPrincipal() me: Principal, @Args() args: AllApiTokensArgs): Promise<ApiTokenPage> {
    return this.tokens.page(me, args);
  }

  @Mutation(() => CreatedApiToken, { description: 'Creates a token acting as you (or a smaller role); the secret is shown once.' })
  @RequirePermission(Permission.TokensCreate, { sessionOnly: true })
  createApiToken(
    @CurrentPrincipal() me: Principal,
    @Args('input', { description: 'Name, lifetime and optional role cap.' }) input: CreateApiTokenInput,
  ): Promise<CreatedApiToken> {
    return this.tokens.create(me, input);
  }

  @Mutation(() => Boolean, {
    description:
      "Revokes a token at once (yours; or, for admins, anyone's whose role is within their permissions, else ROLE_NOT_GRANTABLE). A token may revoke only if it may create tokens.",
  })
  @Authenticated({ tokenPermission: Permission.TokensCreate })
  revokeApiToken(
    @CurrentPrincipal() me: Principal,
    @Args('id', { type: () => ID, description: 'The token to revoke.' }, new ParseUUIDPipe()) id: string,
  ): Promise<boolean> {
    return this.tokens.revoke(me, id);
  }
}
