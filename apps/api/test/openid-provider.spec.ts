import { createPublicKey, verify as verifySignature } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { startServer, TestServer } from '../../../tools/testing/server';
import { startApp, TestApp } from './support/app';
import type { Json } from './support/client';

/** A raw HTTP GET with any headers (fetch refuses to send some, such as Host). */
function rawGet(base: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, base), { method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const HOSTILE = {
  host: 'evil.example',
  'x-forwarded-host': 'evil.example',
  'x-forwarded-proto': 'https',
  'x-forwarded-for': '203.0.113.9',
  forwarded: 'host=evil.example;proto=https',
};

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

describe('Roster as an OpenID Provider', () => {
  let app: TestApp;
  /** A second instance on the same database, trusting a proxy (so it would believe X-Forwarded-*). */
  let second: TestServer;

  beforeAll(async () => {
    app = await startApp('openid-provider');
    second = await startServer(app.db.url, { TRUST_PROXY: '1' });
  });

  afterAll(async () => {
    await second?.stop();
    await app?.close();
  });

  describe('discovery and keys', () => {
    it('publishes the issuer PUBLIC_URL and endpoints under PUBLIC_URL/oidc/, whatever Host and X-Forwarded-* say', async () => {
      const plain = await rawGet(app.server.url, '/.well-known/openid-configuration');
      expect(plain.status).toBe(200);
      const discovery = JSON.parse(plain.body);
      expect(discovery.issuer).toBe(app.server.url);
      for (const name of [
        'authorization_endpoint',
        'token_endpoint',
        'userinfo_endpoint',
        'jwks_uri',
        'introspection_endpoint',
        'revocation_endpoint',
        'end_session_endpoint',
      ]) {
        expect([name, discovery[name]?.startsWith(`${app.server.url}/oidc/`)]).toEqual([name, true]);
      }
      expect(discovery.code_challenge_methods_supported).toEqual(['S256']);
      expect(discovery.id_token_signing_alg_values_supported).toEqual(['RS256']);
      const hostile = await rawGet(app.server.url, '/.well-known/openid-configuration', HOSTILE);
      expect(hostile).toEqual(plain);
      // The second instance publishes the same document (with its own PUBLIC_URL) and trusts a proxy: still pinned.
      const other = await rawGet(second.url, '/.well-known/openid-configuration', HOSTILE);
      expect(other.body).toBe(plain.body.split(app.server.url).join(second.url));
    });

    it('serves one JWKS on every instance, public halves only, the private key sealed in the database', async () => {
      const jwks = await rawGet(app.server.url, '/oidc/jwks');
      expect(jwks.status).toBe(200);
      expect(await rawGet(app.server.url, '/oidc/jwks', HOSTILE)).toEqual(jwks);
      expect((await rawGet(second.url, '/oidc/jwks', HOSTILE)).body).toBe(jwks.body);
      const { keys } = JSON.parse(jwks.body);
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
      expect(Object.keys(keys[0]).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
      const rows = await app.sql<{ kid: string; private_jwk_sealed: string; public_jwk: Json }>(
        `SELECT kid, private_jwk_sealed, public_jwk FROM oidc_signing_keys`,
      );
      expect(rows.map((r) => r.kid)).toEqual([keys[0].kid]);
      expect(rows[0].private_jwk_sealed).toMatch(/^v1:/);
      expect(rows[0].private_jwk_sealed).not.toContain(keys[0].n.slice(0, 40));
      expect(rows[0].public_jwk.n).toBe(keys[0].n);
    });

    it('makes one next key when the signing key is due, under the lock, published before it signs', async () => {
      const [{ kid }] = await app.sql<{ kid: string }>(`SELECT kid FROM oidc_signing_keys`);
      await app.sql(`UPDATE oidc_signing_keys SET active_from = now() - interval '91 days', created_at = now() - interval '91 days'`);
      // Two instances starting at once both find the key due: one new key only.
      const [x, y] = await Promise.all([startServer(app.db.url), startServer(app.db.url)]);
      try {
        const rows = await app.sql<{ kid: string; lead: boolean }>(
          `SELECT kid, active_from > now() + interval '9 minutes' AS lead FROM oidc_signing_keys ORDER BY active_from`,
        );
        expect(rows.map((r) => r.kid)[0]).toBe(kid);
        expect(rows.map((r) => r.lead)).toEqual([false, true]);
        const jwks = JSON.parse((await rawGet(x.url, '/oidc/jwks')).body);
        // Both published; the old one still signs (first).
        expect(jwks.keys.map((k: Json) => k.kid)).toEqual([kid, rows[1].kid]);
        expect((await rawGet(y.url, '/oidc/jwks')).body).toBe(JSON.stringify(jwks));
      } finally {
        await Promise.all([x.stop(), y.stop()]);
      }
    });

    it('is never answered by the console, and unknown provider paths are the provider’s 404', async () => {
      const res = await rawGet(app.server.url, '/oidc/nowhere', { accept: 'text/html' });
      expect(res.status).toBe(404);
      expect(res.body).not.toContain('<app-root');
    });
  });
});
