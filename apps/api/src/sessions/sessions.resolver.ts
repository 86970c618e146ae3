import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Permission } from '@roster/contracts/permissions';
import { Authenticated, CurrentPrincipal, RequirePermission } from '../core/access/access.decorators';
import type { Principal } from '../core/access/principal';
import { SessionModel } from './session.model';
import { SessionListService } from './session-list.service';

@Resolver(() => SessionModel)
export class SessionsResolver {
  constructor(private readonly sessions: SessionListService) {}

  @Query(() => [SessionModel], { description: "Where you're signed in: your browser sessions, most recently active first." })
  @Authenticated({ sessionOnly: true })
  mySessions(@CurrentPrincipal() me: Principal): Promise<SessionModel[]> {
    return this.sessions.mine(me);
  }

  @Mutation(() => Boolean, { description: 'Signs one of your sessions out (another browser or device).' })
  @Authenticated({ sessionOnly: true })
  revokeMySession(
    @CurrentPrincipal() me: Principal,
    @Args('id', { type: () => ID, description: 'The session to end.' }, new ParseUUIDPipe()) id: string,
  ): Promise<boolean> {
    return this.sessions.revokeMine(me, id);
  }

  @Mutation(() => Int, { description: 'Signs out every session of yours but this one; returns how many ended.' })
  @Authenticated({ sessionOnly: true })
  revokeMyOtherSessions(@CurrentPrincipal() me: Principal): Promise<number> {
    return this.sessions.revokeMyOthers(me);
  }

  @Query(() => [SessionModel], { description: "A person's browser sessions (admins)." })
  @RequirePermission(Permission.UsersSecurity)
  userSessions(
    @CurrentPrincipal() actor: Principal,
    @Args('userId', { type: () => ID, description: 'The person.' }, new ParseUUIDPipe()) userId: string,
  ): Promise<SessionModel[]> {
    return this.sessions.of(actor, userId);
  }

  @Mutation(() => Int, { description: 'Signs a person out everywhere; returns how many sessions ended.' })
  @RequirePermission(Permission.UsersSecurity)
  revokeUserSessions(
    @CurrentPrincipal() actor: Principal,
    @Args('userId', { type: () => ID, description: 'The person to sign out.' }, new ParseUUIDPipe()) userId: string,
  ): Promise<number> {
    return this.sessions.revokeAllOf(actor, userId);
  }

  @Mutation(() => Boolean, { description: "Ends one of a person's sessions (admins). Audited." })
  @RequirePermission(Permission.UsersSecurity)
  revokeSession(
    @CurrentPrincipal() actor: Principal,
    @Args('id', { type: () => ID, description: 'The session to end.' }, new ParseUUIDPipe()) id: string,
  ): Promise<boolean> {
    return this.sessions.revoke(actor, id);
  }
}
