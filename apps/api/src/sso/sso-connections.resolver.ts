import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ArgsType, Context, Field, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Permission } from '@roster/contracts/permissions';
import { CurrentPrincipal, Public, RequireOperator, RequirePermission } from '../core/access/access.decorators';
import type { Principal } from '../core/access/principal';
import { EmailAddress } from '../core/graphql/validators';
import { OrganizationModel } from '../organizations/organization.model';
import { SessionService } from '../sessions/session.service';
import {
  SetSsoConnectionInput,
  SignInMethodModel,
  SSO_DOMAINS_MAX,
  SsoConnectionModel,
  SsoConnectionTest,
  TestSsoConnectionInput,
} from './sso-connection.model';
import { SsoConnectionsService } from './sso-connections.service';

@ArgsType()
class SignInMethodArgs {
  @Field({ description: 'The email typed on the sign-in page.' })
  @EmailAddress()
  email: string;
}

/** The organization's single sign-on connection (admins), its email domains (operators), and the sign-in page's first question. */
@Resolver()
export class SsoConnectionsResolver {
  constructor(
    private readonly service: SsoConnectionsService,
    private readonly sessions: SessionService,
  ) {}

  @Query(() => SsoConnectionModel, { nullable: true, description: "The current organization's OpenID Connect connection, or null." })
  @RequirePermission(Permission.SsoManage)
  ssoConnection(@CurrentPrincipal() me: Principal): Promise<SsoConnectionModel | null> {
    return this.service.get(me);
  }

  @Mutation(() => SsoConnectionModel, {
    description:
      "Creates or replaces the current organization's connection. The client secret is sealed and never returned (omit it to keep the one set). Requiring SSO needs a session that came through this provider.",
  })
  @RequirePermission(Permission.SsoManage, { sessionOnly: true })
  async setSsoConnection(
    @CurrentPrincipal() me: Principal,
    @Args('input', { description: 'The connection.' }) input: SetSsoConnectionInput,
  ): Promise<SsoConnectionModel> {
    const through = me.sessionId ? await this.sessions.ssoOrganizationOf(me.sessionId) : null;
    return this.service.set(me, input, through !== null && through === me.organization?.id);
  }

  @Mutation(() => SsoConnectionTest, {
    description: 'Checks a provider before saving it: its discovery document answers for this issuer and its signing keys can be fetched.',
  })
  @RequirePermission(Permission.SsoManage, { sessionOnly: true })
  testSsoConnection(@Args('input', { description: 'The issuer to check.' }) input: TestSsoConnectionInput): Promise<SsoConnectionTest> {
    return this.service.test(input.issuer);
  }

  @Mutation(() => Boolean, { description: "Removes the current organization's connection; false when it had none." })
  @RequirePermission(Permission.SsoManage, { sessionOnly: true })
  deleteSsoConnection(@CurrentPrincipal() me: Principal): Promise<boolean> {
    return this.service.delete(me);
  }

  @Mutation(() => [String], {
    description:
      'Gives an organization exactly these email domains (operators only); DOMAIN_TAKEN when another organization has one. Returns them.',
  })
  @RequireOperator()
  setOrganizationDomains(
    @CurrentPrincipal() me: Principal,
    @Args('id', { type: () => ID, description: 'The organization.' }, new ParseUUIDPipe()) id: string,
    @Args('domains', { type: () => [String], description: `All of its email domains (at most ${SSO_DOMAINS_MAX}).` }) domains: string[],
  ): Promise<string[]> {
    return this.service.setDomains(me, id, domains);
  }

  @Query(() => SignInMethodModel, {
    description:
      'How this email signs in: SSO when its domain belongs to an organization with single sign-on, else PASSWORD. Decided by the domain alone.',
  })
  @Public()
  signInMethod(@Args() args: SignInMethodArgs): Promise<SignInMethodModel> {
    return this.service.signInMethod(args.email);
  }
}

/** An organization's email domains, for operators' list and the organization's own members. */
@Resolver(() => OrganizationModel)
export class OrganizationDomainsResolver {
  constructor(private readonly service: SsoConnectionsService) {}

  @ResolveField(() => [String], { description: 'Its email domains: people of these sign in through its provider.' })
  domains(@Parent() org: OrganizationModel, @Context() ctx: object): Promise<string[]> {
    // A page of organizations reads its domains in one statement.
    return this.service.domainsInRequest(ctx, org.id);
  }
}
