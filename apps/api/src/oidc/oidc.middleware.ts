import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '../core/config/config';
import type { ProviderInstance } from 'oidc-provider';
import { OIDC_PREFIX, OIDC_ROUTES, OidcProviderHost } from './oidc-provider.host';
import { CLIENT_FIRST_PARTY } from './oidc-provider.settings';
import { OidcUserinfo } from './oidc-userinfo';

/**
 * Hands every request under /oidc/ and the discovery document to the provider, with `Host` and
 * `X-Forwarded-Host`/`-Proto` set to PUBLIC_URL's whatever the caller sent (and `X-Forwarded-For` to the
 * address Express found under TRUST_PROXY): discovery, `iss`, endpoints and redirects always name
 * PUBLIC_URL. A middleware, before Roster's guard: the provider authenticates its own callers (clients by
 * secret or Basic credentials, access tokens at userinfo), which Roster's credentials are not. The
 * interaction (/oidc/interaction/:uid) is Roster's own route; userinfo (/oidc/me) Roster's own answer.
 */
@Injectable()
export class OidcMiddleware implements NestMiddleware {
  private readonly host: string;
  private readonly proto: string;

  constructor(
    private readonly provider: OidcProviderHost,
    private readonly userinfo: OidcUserinfo,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const url = new URL(config.publicUrl);
    this.host = url.host;
    this.proto = url.protocol.slice(0, -1);
  }

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    const path = req.originalUrl.split('?')[0];
    if (path.startsWith(`${OIDC_PREFIX}/interaction/`)) return next();
    try {
      if (path === `${OIDC_PREFIX}/me`) return await this.userinfo.answer(req, res);
      const provider = await this.provider.current();
      req.headers['host'] = this.host;
      req.headers['x-forwarded-host'] = this.host;
      req.headers['x-forwarded-proto'] = this.proto;
      req.headers['x-forwarded-for'] = req.ip ?? req.socket.remoteAddress ?? '';
      delete req.headers['forwarded'];
      // The provider sees the whole path (its routes carry the /oidc prefix), whatever Express mounted.
      req.url =
        path === OIDC_ROUTES.authorization && req.method === 'GET' ? await firstPartyOffline(provider, req.originalUrl) : req.originalUrl;
      await provider.callback()(req, res);
    } catch (error) {
      next(error);
    }
  }
}

/**
 * A first-party application asking `offline_access` without a `prompt` gets it as if it had asked
 * `prompt=consent` (which the provider otherwise requires for refresh tokens): Roster never asks a
 * person to consent to its own applications, so the interaction completes without a page. Any other
 * request goes on unchanged.
 */
async function firstPartyOffline(provider: ProviderInstance, url: string): Promise<string> {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const params = new URLSearchParams(url.slice(at + 1));
  const scope = params.get('scope');
  const clientId = params.get('client_id');
  if (!scope || !clientId || params.has('prompt') || !scope.split(' ').includes('offline_access')) return url;
  const client = (await provider.Client.find(clientId).catch(() => null)) as { metadata(): Record<string, unknown> } | null;
  if (client?.metadata()[CLIENT_FIRST_PARTY] !== true) return url;
  params.set('prompt', 'consent');
  return `${url.slice(0, at)}?${params.toString()}`;
}
