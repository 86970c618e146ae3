import { ParseUUIDPipe } from '@nestjs/common';
import { Args, Context, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { HttpContext } from '../core/http/http-context';
import { Permission } from '@roster/contracts/permissions';
import { CurrentPrincipal, Public, RequirePermission } from '../core/access/access.decorators';
import type { Principal } from '../core/access/principal';
import { MeModel, UserModel } from '../users/user.model';
import { ProfileService } from '../users/profile.service';
import { AcceptInvitationInput, CreateInvitationInput, CreateInvitationsInput, SetupFirstAdminInput } from './invitation.inputs';
import { EmailInUse, InvitationPreview, InvitationResult } from './invitation.model';
import { InvitationsService } from './invitations.service';
import { SetupService } from './setup.service';

@Resolver()
export class InvitationsResolver {
  constructor(
    private readonly invitations: InvitationsService,
    private readonly setup: SetupService,
    private readonly profile: ProfileService,
  ) {}

  @Query(() => [UserModel], { description: 'People invited and not yet registered, newest first (at most 500).' })
  @RequirePermission(Permission.UsersInvite)
  pendingInvitations(@CurrentPrincipal() actor: Principal): Promise<UserModel[]> {
    return this.invitations.pending(actor);
  }

  @Query(() => InvitationPreview, { description: 'The invited email, for the registration page.' })
  @Public()
  invitation(@Args('token', { description: 'The token from the invitation URL.' }) token: string): Promise<InvitationPreview> {
    return this.invitations.preview(token);
  }

  @Mutation(() => InvitationResult, { description: 'Invites a person with a role and teams; returns the one URL to send them.' })
  @RequirePermission(Permission.UsersInvite)
  createInvitation(
    @CurrentPrincipal() actor: Principal,
    @Args('input', { description: 'Email, role and teams.' }) input: CreateInvitationInput,
  ): Promise<InvitationResult> {
    return this.invitations.create(actor, input);
  }

  @Mutation(() => [InvitationResult], {
    description:
      'Invites up to 1,000 people in one transaction (all or none; the error names the failing row in extensions.row); returns each URL.',
  })
  @RequirePermission(Permission.UsersInvite)
  createInvitations(
    @CurrentPrincipal() actor: Principal,
    @Args('input', { description: 'The invitations.' }) input: CreateInvitationsInput,
  ): Promise<InvitationResult[]> {
    return this.invitations.createMany(actor, input.invitations);
  }

  @Query(() => [EmailInUse], {
    description: 'Which of these emails (up to 1,000) already belong to someone: for the bulk invitation preview.',
  })
  @RequirePermission(Permission.UsersInvite)
  emailsInUse(
    @CurrentPrincipal() actor: Principal,
    @Args('emails', { type: () => [String], description: 'Emails to look up.' }) emails: string[],
  ): Promise<EmailInUse[]> {
    return this.invitations.emailsInUse(
      actor,
      emails.filter((e) => typeof e === 'string' && e.length <= 320),
    );
  }

  @Mutation(() => InvitationResult, { description: 'A new URL (the old one stops working) and a fresh expiry.' })
  @RequirePermission(Permission.UsersInvite)
  regenerateInvitation(
    @CurrentPrincipal() actor: Principal,
    @Args('userId', { type: () => ID, description: 'The invited person (status INVITED).' }, new ParseUUIDPipe()) userId: string,
  ): Promise<InvitationResult> {
    return this.invitations.regenerate(actor, userId);
  }

  @Mutation(() => Boolean, { description: 'Cancels a pending invitation; the invited row disappears.' })
  @RequirePermission(Permission.UsersInvite)
  revokeInvitation(
    @CurrentPrincipal() actor: Principal,
    @Args('userId', { type: () => ID, description: 'The invited person (status INVITED).' }, new ParseUUIDPipe()) userId: string,
  ): Promise<boolean> {
    return this.invitations.revoke(actor, userId);
  }

  @Mutation(() => MeModel, {
    description:
      'Accepts an invitation: registers through it (token, names and password) and signs in; or, signed in to the console as the invited email of an existing account, joins its organization (token alone; anyone else signed in gets INVITATION_INVALID). The answer describes the person in the organization they joined.',
  })
  @Public()
  async acceptInvitation(
    @Args('input', { description: 'Token; names and password to register.' }) input: AcceptInvitationInput,
    @Context() ctx: HttpContext,
    @CurrentPrincipal() principal: Principal | null | undefined,
  ): Promise<MeModel> {
    const userId = await this.invitations.accept(input, principal ?? null, ctx.req, ctx.res);
    // The request's principal acts where its header said; the answer describes the person where they
    // now act (the organization joined), as to someone who just signed in. Anything after it in the
    // request looks its principal up again.
    if (principal?.userId === userId) forgetPrincipal(ctx.req);
    return this.profile.me(userId);
  }

  @Mutation(() => MeModel, { description: 'Registers the first Admin with the set-up token printed on first start.' })
  @Public()
  async setupFirstAdmin(
    @Args('input', { description: 'Set-up token, email, names and password.' }) input: SetupFirstAdminInput,
    @Context() ctx: HttpContext,
  ): Promise<MeModel> {
    const userId = await this.setup.setupFirstAdmin(input, ctx.req, ctx.res);
    return this.profile.me(userId);
  }
}

/** Drops the principal the guard looked up for this request (auth/ keeps it on the request). */
function forgetPrincipal(req: HttpContext['req']): void {
  const r = req as HttpContext['req'] & { principal?: unknown; principalLookup?: unknown };
  r.principal = undefined;
  r.principalLookup = undefined;
}
