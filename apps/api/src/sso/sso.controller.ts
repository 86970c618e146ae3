import { Controller, Get, Inject, Logger, Next, Query, Req, Res } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import passport from 'passport';
import type { Strategy } from 'passport-openidconnect';
import { ErrorCode } from '@roster/contracts/errors';
import { Cookie } from '@roster/contracts/http';
import { APP_CONFIG, AppConfig } from '../core/config/config';
import { AppError } from '../core/errors/app-error';
import { resolveReturnTo, returnToPolicy } from '../core/http/return-to';
import { infraError } from '../core/errors/infra-error';
import { ssoSignIns } from '../core/observability/metrics';
import { Public } from '../core/access/access.decorators';
import { PrincipalLookup } from '../core/access/principal-lookup';
import { InvitationsService } from '../invitations/invitations.service';
import { SsoIdentity, SsoService, SsoState } from './sso.service';

/**
 * The redirect dance with the identity provider. Every failure ends on the console's
 * /sso-error page with a code it translates; nothing is created on failure. A `returnTo` the sign-in
 * page passes on (an application's page, or Roster's own sign-in for an application at /oidc/…) is
 * where the person lands afterwards, when it is allowed (Roster itself or RETURN_TO_ORIGINS: the same
 * rule as the password sign-in's); otherwise, or without one, the console's users page.
 */
@Controller('auth/sso')
export class SsoController {
  private readonly logger = new Logger('SSO');

  constructor(
    private readonly sso: SsoService,
    private readonly principals: PrincipalLookup,
    private readonly invitations: InvitationsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private fail(res: Response, code: string): void {
    if (!res.headersSent) res.redirect(303, `/sso-error?code=${encodeURIComponent(code)}`);
  }

  /** The failure's code for the error page: typed errors keep theirs; an unreachable provider is SSO_UNAVAILABLE. */
  private failure(res: Response, e: unknown, fallback: string): void {
    if (e instanceof AppError) return this.fail(res, e.code);
    const infra = infraError(e);
    if (infra) return this.fail(res, infra.code);
    this.logger.warn(`Single sign-on failed: ${e instanceof Error ? e.message : String(e)}`);
    this.fail(res, fallback);
  }

  /** The organization's strategy, or the error page (SSO_UNAVAILABLE) when the provider cannot be reached. */
  private async strategy(res: Response, organizationId: string): Promise<Strategy | null> {
    try {
      return await this.sso.getStrategy(organizationId);
    } catch (e) {
      if (!(e instanceof AppError))
        this.logger.warn(`The identity provider cannot be reached: ${e instanceof Error ? e.message : String(e)}`);
      this.fail(res, e instanceof AppError ? e.code : ErrorCode.SsoUnavailable);
      return null;
    }
  }

  @Get()
  @Public()
  async start(
    @Query('organization') organization: unknown,
    @Query('invitation') invitation: unknown,
    @Query('link') link: unknown,
    @Query('returnTo') returnTo: unknown,
    @Req() req: Request,
    @Res() res: Response,
    @Next() next: NextFunction,
  ): Promise<void> {
    try {
      if (organization !== undefined && (typeof organization !== 'string' || organization.length > 100))
        return this.fail(res, ErrorCode.SsoNotConfigured);
      const state: SsoState = {};
      // Kept as given (the sign-in page reads it so again for a second factor), once it is allowed; a refused one is dropped.
      if (typeof returnTo === 'string' && resolveReturnTo(returnTo, returnToPolicy(this.config)) !== null) state.returnTo = returnTo;
      let organizationId: string;
      if (invitation !== undefined) {
        if (typeof invitation !== 'string' || invitation.length > 200) return this.fail(res, ErrorCode.InvitationInvalid);
        // Check the invitation before leaving, so a dead link fails here and not after the provider.
        const found = await this.invitations.status(invitation);
        if (found.status === 'invalid') return this.fail(res, ErrorCode.InvitationInvalid);
        if (found.status === 'expired') return this.fail(res, ErrorCode.InvitationExpired);
        // Through the provider of the organization that invites (not the one named, nor the OIDC_* one); an
        // account of another organization is not signed up again: its owner signs in and accepts on the
        // invitation's page, and so does everyone when the organization dropped its single sign-on since.
        const through = found.status === 'valid' ? await this.sso.invitationOrganization(found.organizationId) : null;
        if (through === null) return res.redirect(303, `/register?token=${encodeURIComponent(invitation)}`);
        organizationId = through;
        state.invitation = invitation;
      } else {
        // The organization whose provider signs the person in: the one named, else the OIDC_* connection's.
        organizationId = await this.sso.organizationFor(organization === undefined ? undefined : organization.toLowerCase());
      }
      if (link !== undefined && state.invitation === undefined) {
        // Linking needs the person signed in here, in this browser (a session cookie, not a token).
        const principal = await this.principals.principalFor(req);
        if (!principal || principal.via !== 'cookie') return this.fail(res, ErrorCode.Unauthenticated);
        // Held at the two-factor set-up: linking a provider (which the policy may trust) waits for it too.
        if (principal.twoFactorSetupRequired) return this.fail(res, ErrorCode.TwoFactorSetupRequired);
        state.link = principal.userId;
      }
      const strategy = await this.strategy(res, organizationId);
      if (!strategy) return;
      passport.authenticate(strategy as never, { session: false, state } as never)(req, res, next);
    } catch (e) {
      this.failure(res, e, ErrorCode.SsoFailed);
    }
  }

  @Get('callback')
  @Public()
  async callback(@Req() req: Request, @Res() res: Response, @Next() next: NextFunction): Promise<void> {
    // The state names whose connection the sign-in went through; one from before organizations, the OIDC_* one's.
    let organizationId: string;
    try {
      organizationId = (await this.sso.organizationOfState(req.query['state'])) ?? (await this.sso.organizationFor(undefined));
    } catch (e) {
      ssoSignIns.inc({ outcome: 'failure' });
      return this.failure(res, e, ErrorCode.SsoFailed);
    }
    const strategy = await this.strategy(res, organizationId);
    if (!strategy) return void ssoSignIns.inc({ outcome: 'failure' });
    passport.authenticate(
      strategy as never,
      { session: false },
      (err: unknown, identity: SsoIdentity | false, info: { message?: string; state?: SsoState } | undefined) => {
        res.clearCookie(Cookie.SsoBrowser, { path: '/auth/sso' });
        if (err || !identity) {
          if (req.query['error'] === 'access_denied') {
            ssoSignIns.inc({ outcome: 'denied' });
            return this.fail(res, ErrorCode.SsoDenied);
          }
          ssoSignIns.inc({ outcome: 'failure' });
          return this.failure(res, err, ErrorCode.SsoFailed);
        }
        this.sso.complete(identity, info?.state ?? {}, organizationId, req, res).then(
          (outcome) => {
            ssoSignIns.inc({ outcome: outcome.challenge ? 'second_factor' : outcome.linked ? 'linked' : 'success' });
            // The second step happens on the sign-in page; the fragment never reaches a server or a Referer.
            const returnTo = info?.state?.returnTo;
            if (outcome.challenge) {
              const fragment = new URLSearchParams({
                challenge: outcome.challenge.token,
                expires: outcome.challenge.expiresAt.toISOString(),
              });
              if (returnTo !== undefined) fragment.set('returnTo', returnTo);
              return res.redirect(303, `/sign-in#${fragment.toString()}`);
            }
            if (outcome.linked) return res.redirect(303, '/users?sso=linked');
            // Checked again: RETURN_TO_ORIGINS may have changed since the sign-in began.
            res.redirect(303, (returnTo !== undefined && resolveReturnTo(returnTo, returnToPolicy(this.config))) || '/users');
          },
          (e: unknown) => {
            // Refused: Roster said no with a reason (not invited, deactivated, …); failure: anything else.
            ssoSignIns.inc({ outcome: e instanceof AppError ? 'refused' : 'failure' });
            this.failure(res, e, ErrorCode.SsoFailed);
          },
        );
      },
    )(req, res, next);
  }
}
