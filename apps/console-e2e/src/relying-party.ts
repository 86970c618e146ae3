import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';

/** What the relying party learnt from one sign-in: the ID token's claims (checked by openid-client) and the access token's (checked with jose). */
export interface SignedIn {
  idToken: JWTPayload;
  /** The ID token itself (the hint of a logout request). */
  idTokenRaw?: string;
  accessToken: JWTPayload;
  refreshToken?: string;
}

/**
 * A host application on loopback, as an integrator would write one with `openid-client`: `/login`
 * starts the code flow (PKCE S256, state, nonce) at Roster, `/callback` finishes it — the ID token
 * verified by openid-client, the access token (RFC 9068) with jose against Roster's JWKS — and shows
 * who signed in; `/logout` sends the browser to Roster's end-session endpoint (back to `/signed-out`);
 * `/backchannel` takes logout tokens, verified the same way.
 */
export class RelyingParty {
  readonly signIns: SignedIn[] = [];
  readonly logoutTokens: JWTPayload[] = [];
  private readonly pending = new Map<string, { verifier: string; nonce: string }>();
  private config: oidc.Configuration | null = null;
  private jwks: ReturnType<typeof createRemoteJWKSet> | null = null;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly issuer: string,
  ) {}

  static async start(issuer: string): Promise<RelyingParty> {
    let rp: RelyingParty | null = null;
    const server = createServer((req, res) => {
      rp?.handle(req, res).catch((e: unknown) => {
        res.statusCode = 500;
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.end(`<p data-testid="rp-failed">${escape(e instanceof Error ? e.message : String(e))}</p>`);
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    rp = new RelyingParty(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, issuer);
    return rp;
  }

  get redirectUri(): string {
    return `${this.url}/callback`;
  }

  get postLogoutRedirectUri(): string {
    return `${this.url}/signed-out`;
  }

  get backchannelLogoutUri(): string {
    return `${this.url}/backchannel`;
  }

  /** Discovers Roster (plain http on loopback here) with the client registered for this application. */
  async use(clientId: string, clientSecret: string): Promise<void> {
    this.config = await oidc.discovery(new URL(this.issuer), clientId, clientSecret, undefined, { execute: [oidc.allowInsecureRequests] });
    this.jwks = createRemoteJWKSet(new URL(this.config.serverMetadata().jwks_uri as string));
  }

  /** Refreshes with a refresh token: the new tokens, or the error Roster answered. */
  async refresh(refreshToken: string): Promise<{ ok: true } | { ok: false; error: string }> {
    try {
      await oidc.refreshTokenGrant(this.configured(), refreshToken);
      return { ok: true };
    } catch (e) {
      return { ok: false, error: e instanceof oidc.ResponseBodyError ? e.error : String(e) };
    }
  }

  stop(): Promise<void> {
    return new Promise((ok) => this.server.close(() => ok()));
  }

  private configured(): oidc.Configuration {
    if (!this.config) throw new Error('the relying party has no client yet');
    return this.config;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    if (url.pathname === '/login') {
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      this.pending.set(state, { verifier, nonce });
      const params: Record<string, string> = {
        redirect_uri: this.redirectUri,
        scope: url.searchParams.get('scope') ?? 'openid email profile organization offline_access',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      };
      for (const name of ['organization', 'prompt']) {
        const value = url.searchParams.get(name);
        if (value) params[name] = value;
      }
      res.writeHead(302, { location: oidc.buildAuthorizationUrl(this.configured(), params).href }).end();
      return;
    }
    if (url.pathname === '/callback') {
      const error = url.searchParams.get('error');
      if (error) return page(res, `<p data-testid="rp-error">${escape(error)}</p>`);
      const state = url.searchParams.get('state') ?? '';
      const flow = this.pending.get(state);
      if (!flow) return page(res, `<p data-testid="rp-error">unknown state</p>`);
      this.pending.delete(state);
      const tokens = await oidc.authorizationCodeGrant(this.configured(), url, {
        pkceCodeVerifier: flow.verifier,
        expectedState: state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      const idToken = tokens.claims() as JWTPayload;
      const { payload: accessToken } = await jwtVerify(tokens.access_token, this.keys(), {
        issuer: this.issuer,
        audience: this.issuer,
        typ: 'at+jwt',
      });
      this.signIns.push({ idToken, idTokenRaw: tokens.id_token, accessToken, refreshToken: tokens.refresh_token });
      return page(
        res,
        `<h1 data-testid="rp-signed-in">Signed in as ${escape(String(idToken['email']))}</h1>
         <p data-testid="rp-organization">${escape(String(accessToken['org_slug']))}</p>
         <p data-testid="rp-role">${escape(String(accessToken['role']))}</p>`,
      );
    }
    if (url.pathname === '/logout') {
      // RP-initiated logout: Roster asks, ends its session, and sends the browser back here.
      const last = this.signIns.at(-1);
      const params: Record<string, string> = { post_logout_redirect_uri: this.postLogoutRedirectUri, state: 'bye' };
      if (last?.idTokenRaw) params['id_token_hint'] = last.idTokenRaw;
      const locales = url.searchParams.get('ui_locales');
      if (locales) params['ui_locales'] = locales;
      res.writeHead(302, { location: oidc.buildEndSessionUrl(this.configured(), params).href }).end();
      return;
    }
    if (url.pathname === '/signed-out') {
      return page(res, `<p data-testid="rp-signed-out">Signed out (${escape(url.searchParams.get('state') ?? '')})</p>`);
    }
    if (url.pathname === '/backchannel' && req.method === 'POST') {
      let body = '';
      for await (const chunk of req) body += chunk;
      const token = new URLSearchParams(body).get('logout_token') ?? '';
      const { payload } = await jwtVerify(token, this.keys(), {
        issuer: this.issuer,
        audience: this.configured().clientMetadata().client_id,
        typ: 'logout+jwt',
      });
      this.logoutTokens.push(payload);
      res.writeHead(200).end();
      return;
    }
    res.writeHead(404).end();
  }

  private keys(): ReturnType<typeof createRemoteJWKSet> {
    if (!this.jwks) throw new Error('the relying party has no client yet');
    return this.jwks;
  }
}

function page(res: ServerResponse, body: string): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html lang="en"><head><title>Host application</title></head><body>${body}</body></html>`);
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
