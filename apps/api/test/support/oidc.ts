import { createHash, createPublicKey, randomBytes, verify as verifySignature } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startServer, type TestServer } from '../../../../tools/testing/server';
import type { TestApp } from './app';
import { Client, type Json } from './client';

/** Checks a JWT's RS256 signature against the JWKS; returns its header and claims. */
export function verifyJwt(jwt: string, jwks: { keys: Json[] }): { header: Json; claims: Json } {
  const [h, p, s] = jwt.split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  if (!jwk) throw new Error(`no key ${header.kid} in the JWKS`);
  expect(header.alg).toBe('RS256');
  const ok = verifySignature(
    'RSA-SHA256',
    Buffer.from(`${h}.${p}`),
    createPublicKey({ key: jwk, format: 'jwk' }),
    Buffer.from(s, 'base64url'),
  );
  if (!ok) throw new Error('bad signature');
  return { header, claims: JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) };
}

/** A PKCE verifier and its S256 challenge. */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The redirect URI every test client registers. */
export const REDIRECT = 'https://rp.example.com/callback';

/** A client registered for a test: its id, client_id and secret. */
export interface TestRp {
  id: string;
  clientId: string;
  secret: string;
}

/** A relying party's back-channel logout endpoint (see `withLogoutListener`). */
export interface LogoutListener {
  /** The logout tokens posted so far. */
  received: string[];
  /** Waits until n tokens have come, or ms have passed. */
  waitFor: (n: number, ms: number) => Promise<void>;
  /** A client registered with the listener as its back-channel logout URI. */
  withLogout: TestRp;
  /** An instance that may reach private addresses (serving the same issuer). */
  allowing: TestServer;
}

/** A client of another instance of the same app, with these cookies (a copy). */
export function clientOn(base: string, cookies: Map<string, string>): Client {
  const c = new Client(base);
  for (const [k, v] of cookies) c.cookies.set(k, v);
  return c;
}

/** The relying party's side of the OpenID Provider's flows, against one test app (read when used: a suite's `beforeAll` starts it). */
export function oidcFlows(appOf: () => TestApp) {
  const CREATE = `mutation($i: CreateOidcClientInput!) { createOidcClient(input: $i) { client { id clientId } clientSecret } }`;

  /** Registers a confidential first-party client (as the first admin), with `over` changed. */
  const register = async (name: string, over: Record<string, unknown> = {}): Promise<TestRp> => {
    const r = (await appOf().admin.ok(CREATE, { i: { name, redirectUris: [REDIRECT], public: false, firstParty: true, ...over } }))
      .createOidcClient;
    return { id: r.client.id, clientId: r.client.clientId, secret: r.clientSecret };
  };

  /** A path on the server from a Location header (absolute under PUBLIC_URL, or relative). */
  const local = (location: string) => {
    const base = appOf().server.url;
    return location.startsWith(base) ? location.slice(base.length) : location;
  };

  /** Runs an authorization as the browser would, until it leaves Roster; returns where it went. */
  async function authorize(who: Client, params: Record<string, string>): Promise<URL> {
    const app = appOf();
    let res = await who.fetch(`/oidc/auth?${new URLSearchParams(params)}`);
    for (let hops = 0; hops < 10; hops++) {
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) throw new Error(`stopped at ${res.status}: ${await res.text()}`);
      if (!location.startsWith('/') && !location.startsWith(app.server.url)) return new URL(location);
      // The console's pages: signing in, and the authorization page (the organization, the consent).
      if (/^\/(sign-in|authorize\/)/.test(local(location))) return new URL(location, app.server.url);
      res = await who.fetch(local(location));
    }
    throw new Error('too many redirects');
  }

  const authParams = (client: { clientId: string }, challenge: string, over: Record<string, string> = {}) => ({
    client_id: client.clientId,
    response_type: 'code',
    redirect_uri: REDIRECT,
    scope: 'openid email profile organization teams',
    state: 'st4te',
    nonce: 'n0nce',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...over,
  });

  const basic = (client: { clientId: string; secret: string }) =>
    `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.secret)}`).toString('base64')}`;

  /** A token request of `client` (client_secret_basic). */
  async function token(
    body: Record<string, string>,
    client: { clientId: string; secret: string },
  ): Promise<{ status: number; json: Json }> {
    const res = await fetch(`${appOf().server.url}/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(client) },
      body: new URLSearchParams(body),
    });
    return { status: res.status, json: await res.json() };
  }

  /** What introspection tells `client` about a token. */
  async function introspect(value: string, client: { clientId: string; secret: string }): Promise<Json> {
    const res = await fetch(`${appOf().server.url}/oidc/token/introspection`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(client) },
      body: new URLSearchParams({ token: value }),
    });
    expect(res.status).toBe(200);
    return res.json();
  }

  /**
   * A relying party's back-channel logout endpoint on this machine's loopback, a client registered with it
   * (with `client` changed), and an instance that may reach private addresses (serving the same issuer,
   * with `env` added); `received` collects the logout tokens posted. Stopped after `body`.
   */
  async function withLogoutListener(
    name: string,
    body: (rp: LogoutListener) => Promise<void>,
    options: { client?: Record<string, unknown>; env?: Record<string, string> } = {},
  ): Promise<void> {
    const received: string[] = [];
    const listener = createServer((req, res) => {
      let text = '';
      req.on('data', (d: Buffer) => (text += d));
      req.on('end', () => {
        received.push(new URLSearchParams(text).get('logout_token') ?? '');
        res.statusCode = 200;
        res.end();
      });
    });
    await new Promise<void>((ok) => listener.listen(0, '127.0.0.1', ok));
    const app = appOf();
    const allowing = await startServer(app.db.url, { ALLOW_PRIVATE_TARGETS: 'true', PUBLIC_URL: app.server.url, ...options.env });
    try {
      const logoutUri = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/logout`;
      const withLogout = await register(name, { backchannelLogoutUri: logoutUri, ...options.client });
      const waitFor = async (n: number, ms: number) => {
        const until = Date.now() + ms;
        while (received.length < n && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      };
      await body({ received, waitFor, withLogout, allowing });
    } finally {
      await allowing.stop();
      listener.close();
    }
  }

  return { register, local, authorize, authParams, token, introspect, withLogoutListener };
}
