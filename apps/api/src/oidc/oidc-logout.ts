import { Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PrincipalLookup } from '../core/access/principal-lookup';
import { SessionService } from '../sessions/session.service';
import { logoutPage, logoutPagePolicy, pageLanguage, signedOutPage } from './oidc-logout-pages';
import { ROSTER_SESSION } from './oidc-payloads';
import { OidcProviderHost } from './oidc-provider.host';

/** The part of the provider's request context a logout reads. */
interface LogoutCtx {
  req: IncomingMessage;
  res: ServerResponse;
  type: string;
  body: unknown;
  set(header: string, value: string): void;
  acceptsLanguages(...langs: string[]): string | false;
  oidc: {
    params: Record<string, unknown>;
    client?: { clientName?: string; clientId: string };
    session?: { accountId?: string; [ROSTER_SESSION]?: string };
  };
}

/**
 * RP-initiated logout (`/oidc/session/end`, OpenID Connect RP-Initiated Logout 1.0) as Roster wants it.
 * The provider checks the request (`id_token_hint`, a registered `post_logout_redirect_uri`, else
 * refused) and asks a signed-in person on Roster's page; their answer posts back with the provider's
 * CSRF token. "Sign out" ends the provider session — the applications of its sign-ins with a
 * back-channel logout URI are told, as the provider does — and the browser's Roster session, as the
 * console's sign-out does (the session-end hooks, the cookies cleared), before the browser goes to the
 * application's `post_logout_redirect_uri` (with its `state`) or to Roster's "signed out" page. A
 * request with no signed-in provider session is answered without a question by the provider: Roster's
 * session then stays (no one confirmed, and anyone can send a browser there).
 */
@Injectable()
export class OidcLogout {
  private readonly logger = new Logger('OidcLogout');
  /** Requests whose person confirmed signing out (the provider's `end_session.success` with `logout`). */
  private readonly confirmed = new WeakMap<IncomingMessage, string | undefined>();

  constructor(
    private readonly principals: PrincipalLookup,
    private readonly sessions: SessionService,
    host: OidcProviderHost,
  ) {
    host.configure((base) => ({
      ...base,
      features: {
        ...(base['features'] as Record<string, unknown>),
        rpInitiatedLogout: {
          enabled: true,
          logoutSource: (ctx: LogoutCtx, form: string) => {
            // The answer's redirect leaves for the application: a browser holds it to the page's form-action.
            ctx.set('Content-Security-Policy', logoutPagePolicy(ctx.oidc.params['post_logout_redirect_uri']));
            ctx.type = 'html';
            ctx.body = logoutPage(language(ctx), form, ctx.oidc.client ? (ctx.oidc.client.clientName ?? ctx.oidc.client.clientId) : null);
          },
          postLogoutSuccessSource: (ctx: LogoutCtx) => {
            ctx.type = 'html';
            ctx.body = signedOutPage(language(ctx));
          },
        },
      },
    }));
    host.adjust((provider) => {
      // Emitted once the provider session is gone, before the redirect is sent.
      provider.on('end_session.success', (ctx: LogoutCtx) => {
        // With the Roster session the provider session was born from: only that one ends (the provider also
        // ends its session by itself when another person signs in on the browser, whose session stays).
        if (ctx.oidc.params['logout'] && ctx.oidc.session?.accountId) this.confirmed.set(ctx.req, ctx.oidc.session[ROSTER_SESSION]);
      });
      // Around every provider request: a confirmed sign-out ends the Roster session before the answer leaves.
      provider.use(async (ctx: LogoutCtx, next: () => Promise<void>) => {
        await next();
        if (this.confirmed.has(ctx.req)) await this.endRosterSession(ctx.req, ctx.res, this.confirmed.get(ctx.req));
      });
    });
  }

  /** Ends the browser's Roster session (if any) and clears its cookies: the console's sign-out. */
  private async endRosterSession(req: IncomingMessage, res: ServerResponse, bornFrom: string | undefined): Promise<void> {
    const principal = await this.principals.principalFor(req).catch(() => null);
    if (principal?.via !== 'cookie' || !principal.sessionId || principal.sessionId !== bornFrom) return;
    await this.sessions.revoke(principal.sessionId);
    this.logger.log('Roster session ended by an application’s logout request');
    this.sessions.clearCookies(res);
  }
}

function language(ctx: LogoutCtx): 'en' | 'fr' {
  return pageLanguage(ctx.oidc.params['ui_locales'], (...langs) => ctx.acceptsLanguages(...langs));
}
