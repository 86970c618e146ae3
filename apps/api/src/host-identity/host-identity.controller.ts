import { Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ErrorCode } from '@roster/contracts/errors';
import { Public } from '../core/access/access.decorators';
import { ORGANIZATION_REFUSED } from '../core/access/access.guard';
import type { Principal } from '../core/access/principal';
import { PrincipalLookup } from '../core/access/principal-lookup';
import { APP_CONFIG, AppConfig } from '../core/config/config';
import { resolveReturnTo } from '../core/http/return-to';
import { SessionService } from '../sessions/session.service';
import { HostIdentityService } from './host-identity.service';

/** What a principal may be asked for here: acting in an organization, with a role, set up. */
type Acting = Principal & { organization: NonNullable<Principal['organization']>; role: NonNullable<Principal['role']> };

/**
 * Roster as the identity of the platform's own application. `GET /auth/whoami` (programs: JSON, never
 * a redirect) and `GET /auth/forward` (reverse proxies: headers) answer who the caller is, from the
 * session cookie or an API token and `X-Roster-Organization`, as GraphQL reads them; `/auth/sign-out`
 * and `/auth/return` send people back to the application (RETURN_TO_ORIGINS). No-store and CORS
 * headers: core/http/host-identity-headers.ts.
 *
 * Refusals: no or dead credentials → 401; signed in but refused in the organization the request
 * names (another's, unknown, suspended; or the caller's own is suspended, or they act in none) → 403
 * with GraphQL's answer; a person who must first set up two-factor authentication → 403 (whoami) or
 * 401 (forward: the sign-in page leads them to the set-up).
 */
@Controller('auth')
export class HostIdentityController {
  constructor(
    private readonly principals: PrincipalLookup,
    private readonly identity: HostIdentityService,
    private readonly sessions: SessionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('whoami')
  @Public()
  async whoami(@Req() req: Request, @Res() res: Response): Promise<void> {
    const principal = await this.principals.principalFor(req);
    if (!principal) return void res.status(401).json({ code: ErrorCode.Unauthenticated, message: 'Please sign in.' });
    if (!acting(principal)) return void res.status(403).json({ code: ErrorCode.Forbidden, message: ORGANIZATION_REFUSED });
    if (principal.twoFactorSetupRequired) {
      return void res.status(403).json({
        code: ErrorCode.TwoFactorSetupRequired,
        message: 'Your role requires two-factor authentication: set it up to continue.',
      });
    }
    res.status(200).json(await this.identity.whoami(principal));
  }

  @Get('forward')
  @Public()
  async forward(@Req() req: Request, @Res() res: Response, @Query('redirect') redirect: unknown): Promise<void> {
    const principal = await this.principals.principalFor(req);
    if (principal && !principal.twoFactorSetupRequired) {
      if (!acting(principal)) return void res.status(403).end();
      res.setHeader('X-Roster-User-Id', principal.userId);
      res.setHeader('X-Roster-Email', headerValue(principal.email));
      res.setHeader('X-Roster-Organization', principal.organization.slug);
      res.setHeader('X-Roster-Role', headerValue(principal.role.key));
      res.setHeader('X-Roster-Permissions', principal.permissions.join(','));
      return void res.status(200).end();
    }
    if (redirect !== 'true') return void res.status(401).end();
    const back = this.forwardedUrl(req);
    const target = new URL('/sign-in', this.config.publicUrl);
    if (back) target.searchParams.set('returnTo', back);
    res.redirect(302, target.href);
  }

  /** Ends the browser session (if any), then sends the person to `returnTo` when allowed, else to the sign-in page. */
  @Get('sign-out')
  @Public()
  signOutGet(@Req() req: Request, @Res() res: Response, @Query('returnTo') returnTo: unknown): Promise<void> {
    return this.signOut(req, res, returnTo);
  }

  @Post('sign-out')
  @Public()
  signOutPost(@Req() req: Request, @Res() res: Response, @Query('returnTo') returnTo: unknown): Promise<void> {
    return this.signOut(req, res, returnTo);
  }

  /** Where the console sends a person after signing in with a `returnTo` outside Roster: there if allowed, else home. */
  @Get('return')
  @Public()
  goBack(@Res() res: Response, @Query('returnTo') returnTo: unknown): void {
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(303, resolveReturnTo(returnTo, this.identity.returnTo) ?? new URL('/', this.config.publicUrl).href);
  }

  private async signOut(req: Request, res: Response, returnTo: unknown): Promise<void> {
    const principal = await this.principals.principalFor(req).catch(() => null);
    if (principal?.sessionId) await this.sessions.revoke(principal.sessionId);
    this.sessions.clearCookies(res);
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(303, resolveReturnTo(returnTo, this.identity.returnTo) ?? new URL('/sign-in', this.config.publicUrl).href);
  }

  /**
   * The URL the person asked the proxy for, from X-Forwarded-Proto, -Host and -Uri, read only when the
   * request comes from a proxy TRUST_PROXY trusts (anyone else could name any URL); null otherwise, or
   * when it is not an allowed place to return to.
   */
  private forwardedUrl(req: Request): string | null {
    const trusted = req.app.get('trust proxy fn') as (address: string, hop: number) => boolean;
    const address = req.socket.remoteAddress;
    if (!address || !trusted(address, 0)) return null;
    const proto = single(req.headers['x-forwarded-proto']);
    const host = single(req.headers['x-forwarded-host']);
    const uri = single(req.headers['x-forwarded-uri']) ?? '/';
    if ((proto !== 'http' && proto !== 'https') || !host || !uri.startsWith('/')) return null;
    return resolveReturnTo(`${proto}://${host}${uri}`, this.identity.returnTo);
  }
}

function acting(principal: Principal): principal is Acting {
  return !principal.organizationRefused && !!principal.organization && !!principal.role;
}

/** One header value, or null for none, several, or a list (`a, b`). */
function single(value: string | string[] | undefined): string | null {
  if (typeof value !== 'string' || value.includes(',')) return null;
  return value.trim() || null;
}

/** Printable ASCII as is; anything else percent-encoded (a header carries no other characters safely). */
function headerValue(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : encodeURIComponent(value);
}
