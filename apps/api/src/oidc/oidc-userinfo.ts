import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createPublicKey, verify } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../core/config/config';
import { OidcAccounts } from './oidc-accounts';
import { OidcProviderHost } from './oidc-provider.host';
import { OIDC_CLAIMS } from './oidc-provider.settings';

/**
 * Userinfo (`/oidc/me`) for the RFC 9068 access tokens Roster issues (the provider's own endpoint takes
 * only tokens without an audience): the token's signature against the published keys, its issuer,
 * audience and expiry, then the person as a member of the token's organization now (deactivated,
 * removed or suspended: no answer), the claims of the token's scopes.
 */
@Injectable()
export class OidcUserinfo {
  constructor(
    private readonly host: OidcProviderHost,
    private readonly accounts: OidcAccounts,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async answer(req: Request, res: Response): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    const fail = (error: string, status = 401) => {
      res.setHeader('WWW-Authenticate', `Bearer realm="${this.config.publicUrl}", error="${error}"`);
      res.status(status).json({ error });
    };
    if (req.method !== 'GET' && req.method !== 'POST') return void res.status(405).end();
    const header = req.headers.authorization ?? '';
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(header);
    if (!match) return fail('invalid_token');
    const claims = await this.verifiedAccessToken(match[1]);
    if (!claims) return fail('invalid_token');
    const scopes = new Set(String(claims['scope'] ?? '').split(' '));
    if (!scopes.has('openid')) return fail('insufficient_scope', 403);
    const account = await this.accounts.claims(String(claims['sub']), String(claims['org_id']));
    if (!account) return fail('invalid_token');
    const answer: Record<string, unknown> = {};
    for (const [scope, names] of Object.entries(OIDC_CLAIMS)) {
      if (!scopes.has(scope)) continue;
      for (const name of names) answer[name] = account[name as keyof typeof account];
    }
    res.status(200).json(answer);
  }

  /** The claims of an access token this provider signed, still valid, for its own audience; null otherwise. */
  private async verifiedAccessToken(jwt: string): Promise<Record<string, unknown> | null> {
    try {
      const [h, p, s] = jwt.split('.');
      const head = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>;
      if (head['typ'] !== 'at+jwt' || head['alg'] !== 'RS256') return null;
      const key = (await this.host.publicKeys()).find((k) => k.kid === head['kid']);
      if (!key) return null;
      const ok = verify('RSA-SHA256', Buffer.from(`${h}.${p}`), createPublicKey({ key, format: 'jwk' }), Buffer.from(s, 'base64url'));
      if (!ok) return null;
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
      const now = Math.floor(Date.now() / 1000);
      const aud = claims['aud'];
      if (claims['iss'] !== this.config.publicUrl) return null;
      if (!(aud === this.config.publicUrl || (Array.isArray(aud) && aud.includes(this.config.publicUrl)))) return null;
      if (typeof claims['exp'] !== 'number' || claims['exp'] <= now) return null;
      if (typeof claims['sub'] !== 'string' || typeof claims['org_id'] !== 'string') return null;
      return claims;
    } catch {
      return null;
    }
  }
}
