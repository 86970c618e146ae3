import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { Cookie } from '@roster/contracts/http';
import { ApiTokenAuthService } from '../api-tokens/api-token-auth.service';
import type { Principal } from '../core/access/principal';
import { PrincipalLookup } from '../core/access/principal-lookup';
import { SessionService } from '../sessions/session.service';

type RequestWithPrincipal = Request & { principal?: Principal | null; principalLookup?: Promise<Principal | null> };

/** The caller from `Authorization: Bearer rst_…` (API tokens) or the session cookie, looked up once per request. */
@Injectable()
export class RequestPrincipals extends PrincipalLookup {
  constructor(
    private readonly sessions: SessionService,
    private readonly tokens: ApiTokenAuthService,
  ) {
    super();
  }

  principalFor(req: Request): Promise<Principal | null> {
    const r = req as RequestWithPrincipal;
    r.principalLookup ??= this.lookup(r).then((p) => (r.principal = p));
    return r.principalLookup;
  }

  private lookup(req: Request): Promise<Principal | null> {
    const authorization = req.headers.authorization;
    if (authorization !== undefined) return this.tokens.principalFor(authorization);
    const cookie = req.cookies?.[Cookie.Session];
    return typeof cookie === 'string' ? this.sessions.principalForCookie(cookie) : Promise.resolve(null);
  }
}
