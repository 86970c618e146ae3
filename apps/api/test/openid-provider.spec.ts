import { createPublicKey, verify as verifySignature } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { startServer, TestServer } from '../../../tools/testing/server';
import { startApp, TestApp } from './support/app';
import type { Client, Json } from './support/client';

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

  describe('clients over GraphQL', () => {
    const FIELDS = `id clientId name redirectUris postLogoutRedirectUris backchannelLogoutUri public firstParty platformWide createdAt updatedAt`;
    const CREATE = `mutation($i: CreateOidcClientInput!) { createOidcClient(input: $i) { client { ${FIELDS} } clientSecret } }`;
    const UPDATE = `mutation($i: UpdateOidcClientInput!) { updateOidcClient(input: $i) { ${FIELDS} } }`;
    const DELETE = `mutation($id: ID!) { deleteOidcClient(id: $id) }`;
    const ROTATE = `mutation($id: ID!) { rotateOidcClientSecret(id: $id) { client { id } clientSecret } }`;
    const LIST = `{ oidcClients { ${FIELDS} } }`;
    const input = (over: Record<string, unknown> = {}) => ({
      name: 'Host app',
      redirectUris: ['https://app.example.com/callback'],
      public: false,
      firstParty: true,
      ...over,
    });
    const clientRows = async () => JSON.stringify(await app.sql(`SELECT * FROM oidc_clients ORDER BY id`));
    let admin2: Client;
    let viewer: Client;

    beforeAll(async () => {
      admin2 = (await app.register('admin2@example.com', 'ADMIN')).client;
      viewer = (await app.register('viewer@example.com', 'VIEWER')).client;
    });

    it('creates a client with its secret shown once and sealed; lists, changes, rotates and deletes it, each audited', async () => {
      const made = (await app.admin.ok(CREATE, { i: input({ postLogoutRedirectUris: ['https://app.example.com/bye'] }) })).createOidcClient;
      expect(made.client).toMatchObject({
        name: 'Host app',
        public: false,
        firstParty: true,
        platformWide: false,
        backchannelLogoutUri: null,
      });
      expect(made.client.clientId).toMatch(/^rst_client_[0-9A-Za-z]{24}$/);
      expect(made.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const [row] = await app.sql<{ secret_sealed: string; organization_id: string }>(
        `SELECT secret_sealed, organization_id FROM oidc_clients WHERE id = $1`,
        [made.client.id],
      );
      expect(row.secret_sealed).toMatch(/^v1:/);
      expect(row.secret_sealed).not.toContain(made.clientSecret);
      expect(row.organization_id).not.toBeNull();
      expect((await app.admin.ok(LIST)).oidcClients.map((c: Json) => c.id)).toContain(made.client.id);
      // A public client: no secret, and none to rotate.
      const spa = (await app.admin.ok(CREATE, { i: input({ name: 'SPA', public: true, redirectUris: ['http://127.0.0.1:5173/cb'] }) }))
        .createOidcClient;
      expect(spa.clientSecret).toBeNull();
      expect(await app.admin.code(ROTATE, { id: spa.client.id })).toBe('BAD_USER_INPUT');

      const changed = (
        await app.admin.ok(UPDATE, {
          i: {
            id: made.client.id,
            name: 'Renamed',
            redirectUris: ['https://app.example.com/cb2'],
            backchannelLogoutUri: 'https://app.example.com/logout',
            firstParty: false,
          },
        })
      ).updateOidcClient;
      expect(changed).toMatchObject({
        name: 'Renamed',
        redirectUris: ['https://app.example.com/cb2'],
        postLogoutRedirectUris: [],
        firstParty: false,
        public: false,
      });
      const rotated = (await app.admin.ok(ROTATE, { id: made.client.id })).rotateOidcClientSecret;
      expect(rotated.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(rotated.clientSecret).not.toBe(made.clientSecret);
      expect((await app.admin.ok(DELETE, { id: made.client.id })).deleteOidcClient).toBe(true);
      expect(await app.admin.code(DELETE, { id: made.client.id })).toBe('NOT_FOUND');
      expect((await app.admin.ok(LIST)).oidcClients.map((c: Json) => c.id)).not.toContain(made.client.id);
      await app.admin.ok(DELETE, { id: spa.client.id });
      const actions = await app.sql<{ action: string; details: Json }>(
        `SELECT action, details FROM audit_events WHERE action LIKE 'oidc_client.%' AND details->>'clientId' = $1 ORDER BY id`,
        [made.client.clientId],
      );
      expect(actions.map((a) => a.action)).toEqual([
        'oidc_client.created',
        'oidc_client.updated',
        'oidc_client.secret_rotated',
        'oidc_client.deleted',
      ]);
      expect(JSON.stringify(actions)).not.toContain(made.clientSecret);
      expect(JSON.stringify(actions)).not.toContain(rotated.clientSecret);
    });

    it('refuses a Viewer; platform-wide clients need an operator, and are read-only to other admins', async () => {
      const before = await clientRows();
      expect(await viewer.code(LIST)).toBe('FORBIDDEN');
      expect(await viewer.code(CREATE, { i: input() })).toBe('FORBIDDEN');
      expect(await admin2.code(CREATE, { i: input({ platformWide: true }) })).toBe('FORBIDDEN');
      expect(await clientRows()).toBe(before);
      const platform = (await app.admin.ok(CREATE, { i: input({ name: 'Everyone', platformWide: true }) })).createOidcClient.client;
      expect(platform.platformWide).toBe(true);
      expect((await admin2.ok(LIST)).oidcClients.map((c: Json) => c.id)).toContain(platform.id);
      const after = await clientRows();
      expect(
        await admin2.code(UPDATE, { i: { id: platform.id, name: 'Mine', redirectUris: ['https://x.example.com/'], firstParty: true } }),
      ).toBe('FORBIDDEN');
      expect(await admin2.code(ROTATE, { id: platform.id })).toBe('FORBIDDEN');
      expect(await admin2.code(DELETE, { id: platform.id })).toBe('FORBIDDEN');
      expect(await clientRows()).toBe(after);
      expect((await app.admin.ok(DELETE, { id: platform.id })).deleteOidcClient).toBe(true);
    });

    it('refuses unusable URIs and names with BAD_USER_INPUT naming the field, and changes nothing', async () => {
      const made = (await app.admin.ok(CREATE, { i: input() })).createOidcClient.client;
      const before = await clientRows();
      const bad: [string, Record<string, unknown>][] = [
        ['redirectUris', { redirectUris: ['http://app.example.com/cb'] }],
        ['redirectUris', { redirectUris: ['https://app.example.com/cb#fragment'] }],
        ['redirectUris', { redirectUris: ['https://user:pw@app.example.com/cb'] }],
        ['redirectUris', { redirectUris: ['/relative/cb'] }],
        ['redirectUris', { redirectUris: ['javascript:alert(1)'] }],
        ['redirectUris', { redirectUris: ['https://app.example.com/c\nb'] }],
        ['redirectUris', { redirectUris: ['https://app.example.com\\@evil.example/'] }],
        ['redirectUris', { redirectUris: [] }],
        ['redirectUris', { redirectUris: Array.from({ length: 11 }, (_, i) => `https://app.example.com/${i}`) }],
        ['redirectUris', { redirectUris: [`https://app.example.com/${'a'.repeat(2000)}`] }],
        ['postLogoutRedirectUris', { postLogoutRedirectUris: ['http://evil.example/'] }],
        ['backchannelLogoutUri', { backchannelLogoutUri: 'ftp://app.example.com/logout' }],
        ['name', { name: '' }],
        ['name', { name: 'a'.repeat(101) }],
      ];
      for (const [field, over] of bad) {
        const r = await app.admin.gql(CREATE, { i: input(over) });
        expect([field, r.errors?.[0]?.extensions?.code]).toEqual([field, 'BAD_USER_INPUT']);
        const u = await app.admin.gql(UPDATE, {
          i: { id: made.id, name: 'X', redirectUris: ['https://ok.example.com/'], firstParty: true, ...over },
        });
        expect([field, u.errors?.[0]?.extensions?.code]).toEqual([field, 'BAD_USER_INPUT']);
      }
      const named = await app.admin.gql(CREATE, { i: input({ redirectUris: ['http://evil.example/'] }) });
      expect(named.errors?.[0]?.extensions?.['field']).toBe('redirectUris');
      expect(await clientRows()).toBe(before);
      await app.admin.ok(DELETE, { id: made.id });
    });

    it("answers NOT_FOUND for another organization's client, as for an unknown id, and never lists it", async () => {
      const org = (
        await app.admin.ok(`mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id } } }`, {
          i: { name: 'Other', slug: 'other-oidc', firstAdminEmail: 'other-admin@example.com' },
        })
      ).createOrganization.organization;
      const [{ id }] = await app.sql<{ id: string }>(
        `INSERT INTO oidc_clients (client_id, organization_id, name, redirect_uris, public, first_party, secret_sealed)
         VALUES ('rst_client_OTHERORGANIZATION00000000', $1, 'Theirs', '{https://theirs.example.com/cb}', true, true, NULL) RETURNING id`,
        [org.id],
      );
      const before = await clientRows();
      for (const caller of [app.admin, admin2]) {
        expect(await caller.code(DELETE, { id })).toBe('NOT_FOUND');
        expect(await caller.code(ROTATE, { id })).toBe('NOT_FOUND');
        expect(await caller.code(UPDATE, { i: { id, name: 'Mine', redirectUris: ['https://x.example.com/'], firstParty: true } })).toBe(
          'NOT_FOUND',
        );
        expect(await caller.code(DELETE, { id: '00000000-0000-4000-8000-000000000000' })).toBe('NOT_FOUND');
        expect((await caller.ok(LIST)).oidcClients.map((c: Json) => c.id)).not.toContain(id);
      }
      expect(await clientRows()).toBe(before);
      await app.sql(`DELETE FROM oidc_clients WHERE id = $1`, [id]);
    });

    it('stops at 50 clients per organization (LIMIT_REACHED)', async () => {
      const [{ n }] = await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM oidc_clients WHERE organization_id IS NOT NULL`);
      const ids: string[] = [];
      for (let i = n; i < 50; i++)
        ids.push((await app.admin.ok(CREATE, { i: input({ name: `Many ${i}`, public: true }) })).createOidcClient.client.id);
      const before = await clientRows();
      expect(await app.admin.code(CREATE, { i: input({ name: 'One too many' }) })).toBe('LIMIT_REACHED');
      expect(await clientRows()).toBe(before);
      for (const id of ids) await app.admin.ok(DELETE, { id });
    });
  });
});
