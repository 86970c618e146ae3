import { Injectable } from '@nestjs/common';
import type { CallerRequest } from '../core/http/http-context';
import { Cookie } from '@roster/contracts/http';
import { ApiTokenAuthService } from '../api-tokens/api-token-auth.service';
import type { Principal } from '../core/access/principal';
import { PrincipalLookup } from '../core/access/principal-lookup';
import { PrincipalCache } from '../core/access/principal-cache';
import { hashToken } from '../core/access/tokens';
import { SessionService } from '../sessions/session.service';

type RequestWithPrincipal = CallerRequest & { principal?: Principal | null; principalLookup?: Promise<Principal | null> };

/**
 * The caller from `Authorization: Bearer rst_…` (API tokens) or the session cookie, looked up once per
 * request, and cached across requests while no change to the person is announced (PrincipalCache).
 */
@Injectable()
export class RequestPrincipals extends PrincipalLookup {
  constructor(
    private readonly sessions: SessionService,
    private readonly tokens: ApiTokenAuthService,
    private readonly cache: PrincipalCache,
  ) {
    super();
  }

  principalFor(req: CallerRequest): Promise<Principal | null> {
    const r = req as RequestWithPrincipal;
    r.principalLookup ??= this.lookup(r).then((p) => (r.principal = p));
    return r.principalLookup;
  }

  /** From the cache when a recent lookup of the same credential still holds, else from the database. */
  private async lookup(req: CallerRequest): Promise<Principal | null> {
    const authorization = req.headers.authorization;
    const cookie = req.cookies?.[Cookie.Session];
    const credential = authorization !== undefined ? `t:${authorization}` : typeof cookie === 'string' ? `c:${cookie}` : null;
    if (credential === null) return null;
    const key = hashToken(credential).toString('base64');
    const cached = this.cache.get(key);
    if (cached) return cached;
    const generation = this.cache.begin();
    const found =
      authorization !== undefined
        ? await this.tokens.principalFor(authorization)
        : await this.sessions.principalForCookie(cookie as string);
    if (found) this.cache.put(key, found.principal, found.expiresAt, generation);
    return found?.principal ?? null;
  }
}
