import { Controller, Get, Next, Query, Req, Res } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import passport from 'passport';
import { ErrorCode } from '@roster/contracts/errors';
import { AppError } from '../core/app-error';
import { Public } from '../auth/access.decorators';
import { hashToken } from '../auth/tokens';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SsoIdentity, SsoService, SsoState } from './sso.service';

const STRATEGY = 'roster-oidc';

/**
 * The redirect dance with the identity provider. Every failure ends on the console's
 * /sso-error page with a code it translates; nothing is created on failure.
 */
@Controller('auth/sso')
export class SsoController {
  constructor(
    private readonly sso: SsoService,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  private fail(res: Response, code: string): void {
    res.redirect(303, `/sso-error?code=${encodeURIComponent(code)}`);
  }

  @Get()
  @Public()
  async start(@Query('invitation') invitation: string | undefined, @Req() req: Request, @Res() res: Response, @Next() next: NextFunction): Promise<void> {
    this.sso.assertEnabled();
    if (invitation !== undefined) {
      // Check the invitation before leaving, so a dead link fails here and not after the provider.
      const rows: { expired: boolean }[] = await this.db.query(
        `SELECT i.expires_at <= now() AS expired FROM invitations i JOIN users u ON u.id = i.user_id WHERE i.token_hash = $1 AND u.status = 'INVITED'`,
        [hashToken(String(invitation))],
      );
      if (!rows[0]) return this.fail(res, ErrorCode.InvitationInvalid);
      if (rows[0].expired) return this.fail(res, ErrorCode.InvitationExpired);
    }
    const strategy = await this.sso.getStrategy();
    passport.use(STRATEGY, strategy);
    const state: SsoState = invitation ? { invitation: String(invitation) } : {};
    passport.authenticate(STRATEGY, { session: false, state } as never)(req, res, next);
  }

  @Get('callback')
  @Public()
  async callback(@Req() req: Request, @Res() res: Response, @Next() next: NextFunction): Promise<void> {
    const strategy = await this.sso.getStrategy();
    passport.use(STRATEGY, strategy);
    passport.authenticate(STRATEGY, { session: false }, (err: unknown, identity: SsoIdentity | false, info: { message?: string; state?: SsoState } | undefined) => {
      res.clearCookie('roster_sso', { path: '/auth/sso' });
      if (err || !identity) {
        const denied = req.query['error'] === 'access_denied';
        return this.fail(res, denied ? ErrorCode.SsoDenied : ErrorCode.SsoFailed);
      }
      this.sso.complete(identity, info?.state ?? {}, req, res).then(
        () => res.redirect(303, '/users'),
        (e: unknown) => this.fail(res, e instanceof AppError ? e.code : ErrorCode.SsoFailed),
      );
    })(req, res, next);
  }
}
