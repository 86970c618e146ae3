import { Injectable } from '@nestjs/common';
import type { CallerRequest } from '../core/http/http-context';
import { Cookie, Header } from '@roster/contracts/http';
import { ApiTokenAuthService } from '../api-tokens/api-token-auth.service';
import type { Principal } from '../core/access/principal';
import { PrincipalLookup } from '../core/access/principal-lookup';
import { PrincipalCache } from '../core/access/principal-cache';
import { hashToken } from '../core/access/tokens';
import { parseOrganizationHeader } from '../core/access/organization-header';
import type { PrincipalFound } from '../core/access/principal-found';
import { SessionService } from '../sessions/session.service';

type RequestWithPrincipal = CallerRequest & { principal?: Principal | null; principalLookup?: Promise<Principal | null> };

/**
 * The caller from `Authorization: Bearer rst_…` (API tokens) or the session cookie, and the organization
 * the request acts in (`X-Roster-Organization`, else the person's or the token's own), looked up once
 * per request in one statement, and cached across requests while no change to the person or the
 * organization is announced (PrincipalCache). A request naming an organization the caller may not act
 * in (unknown, malformed, suspended or another's: all alike), or a token whose organization is
 * suspended, is marked `organizationRefused`; the guard then refuses it.
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

  /**
   * From the cache when a recent lookup of the same credential and header still holds, else from the
   * database.
   */
  private async lookup(req: CallerRequest): Promise<Principal | null> {
    const authorization = req.headers.authorization;
    const cookie = req.cookies?.[Cookie.Session];
    const credential = authorization !== undefined ? `t:${authorization}` : typeof cookie === 'string' ? `c:${cookie}` : null;
    if (credential === null) return null;
    const named = req.headers[Header.Organization];
    // The header is part of the key: one credential naming two organizations gets two answers.
    const key = hashToken(named === undefined ? credential : `${credential}\0${String(named)}`).toString('base64');
    const cached = this.cache.get(key);
    if (cached) return cached;
    const generation = this.cache.begin();
    const header = parseOrganizationHeader(named);
    const found: PrincipalFound<Date | null> | null =
      authorization !== undefined
        ? await this.tokens.principalFor(authorization, header)
        : await this.sessions.principalForCookie(cookie as string, header);
    if (!found) return null;
    // A token acts in its own organization: refused when it is not active or the header names another.
    // A session acts in the one the header names, refused when the person is not an active member of it
    // (or it is not active); without a header, in their current one, or in none (they belong nowhere
    // active: an operator, or a person whose organizations are suspended) — then only what acts in no
    // organization is open to them.
    const refused = !found.organization && (found.principal.via === 'bearer' || named !== undefined);
    const principal: Principal = refused
      ? { ...found.principal, role: null, organization: null, organizationRefused: true }
      : { ...found.principal, role: found.organization ? found.principal.role : null, organization: found.organization };
    this.cache.put(key, principal, found.expiresAt, generation);
    return principal;
  }
}
