import fc from 'fast-check';
import { createHash, createPrivateKey, sign as signWith } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { startServer, TestServer } from '../../../tools/testing/server';
import { SecretBox } from '../src/core/security/secret-box';
import { startApp, STRONG_PASSWORD, TestApp } from './support/app';
import { Client as ClientOf, type Client, type Json } from './support/client';
import { firstOrganization, joinSignedIn } from './support/organizations';
import { oidcFlows, pkce, REDIRECT, type TestRp, verifyJwt } from './support/oidc';

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
        ['redirectUris', { redirectUris: ['https://*/cb'] }],
        ['postLogoutRedirectUris', { postLogoutRedirectUris: ['https://a;sandbox/bye'] }],
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

  describe('the code flow', () => {
    let rp: TestRp;
    let other: TestRp;
    let browser: Client;
    let jwks: { keys: Json[] };
    const { register, local, authorize, authParams, introspect, withLogoutListener, ...flows } = oidcFlows(() => app);
    /** A token request of `client` (the relying party unless named). */
    const token = (body: Record<string, string>, client: TestRp = rp) => flows.token(body, client);

    async function codeFlow(scope = 'openid email profile organization teams', extra: Record<string, string> = {}) {
      const { verifier, challenge } = pkce();
      const back = await authorize(browser, authParams(rp, challenge, { scope, ...extra }));
      expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
      const code = back.searchParams.get('code');
      if (!code) throw new Error(`no code: ${back}`);
      return { code, verifier, back };
    }

    beforeAll(async () => {
      rp = await register('Relying party');
      other = await register('Another party');
      jwks = JSON.parse((await rawGet(app.server.url, '/oidc/jwks')).body);
      browser = app.client();
      await browser.ok(`mutation($i: SignInInput!) { signIn(input: $i) { twoFactorRequired } }`, {
        i: { email: 'admin@example.com', password: STRONG_PASSWORD },
      });
    });

    it('sends a browser without a session to sign in, then back to the interaction, and on to the client with a code', async () => {
      const anonymous = app.client();
      const { verifier, challenge } = pkce();
      const signIn = await authorize(anonymous, authParams(rp, challenge));
      expect(signIn.pathname).toBe('/sign-in');
      const returnTo = signIn.searchParams.get('returnTo') ?? '';
      expect(returnTo).toMatch(/^\/oidc\/interaction\/[A-Za-z0-9_-]+$/);
      await anonymous.ok(`mutation($i: SignInInput!) { signIn(input: $i) { twoFactorRequired } }`, {
        i: { email: 'admin@example.com', password: STRONG_PASSWORD },
      });
      let res = await anonymous.fetch(returnTo);
      while (res.status === 303 || res.status === 302) {
        const location = res.headers.get('location') ?? '';
        if (location.startsWith(REDIRECT)) break;
        res = await anonymous.fetch(local(location));
      }
      const back = new URL(res.headers.get('location') ?? '');
      expect(back.searchParams.get('state')).toBe('st4te');
      expect(back.searchParams.get('iss')).toBe(app.server.url);
      const exchanged = await token({
        grant_type: 'authorization_code',
        code: back.searchParams.get('code') ?? '',
        redirect_uri: REDIRECT,
        code_verifier: verifier,
      });
      expect([exchanged.status, exchanged.json.error_description]).toEqual([200, undefined]);
    });

    it('issues an ID token and an RFC 9068 access token signed with the published key, with the organization claims; userinfo answers', async () => {
      const { code, verifier } = await codeFlow();
      const r = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier });
      expect(r.status).toBe(200);
      expect(r.json.token_type).toBe('Bearer');
      const [org] = await app.sql<{ id: string; slug: string }>(
        `SELECT o.id, o.slug FROM organizations o JOIN memberships m ON m.organization_id = o.id WHERE m.user_id = $1`,
        [app.adminId],
      );
      const id = verifyJwt(r.json.id_token, jwks);
      expect(id.claims).toMatchObject({
        iss: app.server.url,
        aud: rp.clientId,
        sub: app.adminId,
        nonce: 'n0nce',
        email: 'admin@example.com',
        email_verified: true,
        name: 'Ada Admin',
        org_id: org.id,
        org_slug: org.slug,
        role: 'ADMIN',
        teams: [],
      });
      expect(id.claims.permissions).toContain('oidc-clients:manage');
      const at = verifyJwt(r.json.access_token, jwks);
      expect(at.header.typ).toBe('at+jwt');
      expect(at.header.kid).toBe(jwks.keys[0].kid);
      expect(at.claims).toMatchObject({
        iss: app.server.url,
        aud: app.server.url,
        sub: app.adminId,
        client_id: rp.clientId,
        org_id: org.id,
        org_slug: org.slug,
        role: 'ADMIN',
      });
      expect(at.claims.exp - at.claims.iat).toBe(600);
      expect(at.claims.scope.split(' ')).toEqual(expect.arrayContaining(['openid', 'email', 'organization']));
      expect(at.claims.permissions).toContain('users:read');
      const me = await fetch(`${app.server.url}/oidc/me`, { headers: { authorization: `Bearer ${r.json.access_token}` } });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ sub: app.adminId, email: 'admin@example.com', org_id: org.id, role: 'ADMIN' });
      // A token whose signature is not the provider's is nobody at userinfo.
      const forged = `${r.json.access_token.split('.').slice(0, 2).join('.')}.${Buffer.from('forged').toString('base64url')}`;
      expect((await fetch(`${app.server.url}/oidc/me`, { headers: { authorization: `Bearer ${forged}` } })).status).toBe(401);
      // The same token signed again by the provider's own key, but expired (or for another audience): nobody either.
      const resigned = async (over: Json) => {
        const [row] = await app.sql<{ sealed: string }>(`SELECT private_jwk_sealed AS sealed FROM oidc_signing_keys WHERE kid = $1`, [
          at.header.kid,
        ]);
        // The server's key, derived as the test server does; put back at once.
        const previous = process.env['ROSTER_SECRET_KEY'];
        process.env['ROSTER_SECRET_KEY'] = createHash('sha256').update(new URL(app.db.url).pathname).digest('base64');
        const box = SecretBox.fromEnvironment('/nonexistent', () => undefined);
        if (previous === undefined) delete process.env['ROSTER_SECRET_KEY'];
        else process.env['ROSTER_SECRET_KEY'] = previous;
        const jwk = JSON.parse(box.open(row.sealed));
        const [h, p] = r.json.access_token.split('.');
        const body = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString('utf8')), ...over })).toString(
          'base64url',
        );
        const signature = signWith('RSA-SHA256', Buffer.from(`${h}.${body}`), createPrivateKey({ key: jwk, format: 'jwk' }));
        return `${h}.${body}.${signature.toString('base64url')}`;
      };
      const userinfo = async (token: string) =>
        (await fetch(`${app.server.url}/oidc/me`, { headers: { authorization: `Bearer ${token}` } })).status;
      const now = Math.floor(Date.now() / 1000);
      expect(await userinfo(await resigned({ iat: now - 700, exp: now + 300 }))).toBe(200);
      expect(await userinfo(await resigned({ iat: now - 700, exp: now - 100 }))).toBe(401);
      expect(await userinfo(await resigned({ aud: 'https://another.example' }))).toBe(401);
      expect(await userinfo(await resigned({ iss: 'https://another.example' }))).toBe(401);
    });

    it('refuses no PKCE, plain PKCE and an unregistered redirect URI, a replayed code and a wrong secret', async () => {
      const { challenge } = pkce();
      const noPkce = authParams(rp, challenge) as Record<string, string>;
      delete noPkce['code_challenge'];
      delete noPkce['code_challenge_method'];
      const refused = await authorize(browser, noPkce);
      expect(`${refused.origin}${refused.pathname}`).toBe(REDIRECT);
      expect([refused.searchParams.get('error'), refused.searchParams.get('code')]).toEqual(['invalid_request', null]);
      const plain = await authorize(browser, authParams(rp, challenge, { code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }));
      expect([plain.searchParams.get('error'), plain.searchParams.get('code')]).toEqual(['invalid_request', null]);
      // An unregistered redirect URI: an error page on Roster, never a redirect there.
      const wrong = await browser.fetch(
        `/oidc/auth?${new URLSearchParams(authParams(rp, challenge, { redirect_uri: 'https://evil.example/callback' }))}`,
      );
      expect(wrong.status).toBe(400);
      expect(wrong.headers.get('location')).toBeNull();

      const { code, verifier } = await codeFlow();
      expect(
        (await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: 'x'.repeat(43) })).json.error,
      ).toBe('invalid_grant');
      const again = await codeFlow();
      expect(
        (
          await token(
            { grant_type: 'authorization_code', code: again.code, redirect_uri: REDIRECT, code_verifier: again.verifier },
            { ...rp, secret: 'wrong' },
          )
        ).status,
      ).toBe(401);
      const first = await token({
        grant_type: 'authorization_code',
        code: again.code,
        redirect_uri: REDIRECT,
        code_verifier: again.verifier,
      });
      expect(first.status).toBe(200);
      const replay = await token({
        grant_type: 'authorization_code',
        code: again.code,
        redirect_uri: REDIRECT,
        code_verifier: again.verifier,
      });
      expect([replay.status, replay.json.error]).toEqual([400, 'invalid_grant']);
      expect(verifier).toBeTruthy();
    });

    it("refuses an organization the person is not a member of, and another organization's client", async () => {
      const { challenge } = pkce();
      const nowhere = await authorize(browser, authParams(rp, challenge, { organization: 'nowhere-at-all' }));
      expect([nowhere.searchParams.get('error'), nowhere.searchParams.get('code')]).toEqual(['access_denied', null]);
      const otherOrg = (
        await app.admin.ok(`mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id } } }`, {
          i: { name: 'Elsewhere', slug: 'oidc-elsewhere', firstAdminEmail: 'elsewhere-admin@example.com' },
        })
      ).createOrganization.organization.id;
      await app.sql(
        `INSERT INTO oidc_clients (client_id, organization_id, name, redirect_uris, public, first_party)
         VALUES ('rst_client_ELSEWHERE000000000000000', $1, 'Theirs', $2, true, true)`,
        [otherOrg, [REDIRECT]],
      );
      const theirs = await authorize(browser, authParams({ clientId: 'rst_client_ELSEWHERE000000000000000' }, challenge));
      expect([theirs.searchParams.get('error'), theirs.searchParams.get('code')]).toEqual(['access_denied', null]);
      const elsewhere = await authorize(browser, authParams(rp, challenge, { organization: 'oidc-elsewhere' }));
      expect(elsewhere.searchParams.get('error')).toBe('access_denied');
    });

    it("accepts any port on a public client's loopback redirect URI, and only there; a public client needs no secret", async () => {
      const app1 = await register('Native', { redirectUris: ['http://127.0.0.1:8080/cb'], public: true });
      const { verifier, challenge } = pkce();
      const back = await authorize(browser, authParams(app1, challenge, { redirect_uri: 'http://127.0.0.1:51234/cb' }));
      expect(`${back.origin}${back.pathname}`).toBe('http://127.0.0.1:51234/cb');
      const res = await fetch(`${app.server.url}/oidc/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: app1.clientId,
          code: back.searchParams.get('code') ?? '',
          redirect_uri: 'http://127.0.0.1:51234/cb',
          code_verifier: verifier,
        }),
      });
      expect(res.status).toBe(200);
      // Another path, or a confidential client: exact match only.
      const path = await browser.fetch(
        `/oidc/auth?${new URLSearchParams(authParams(app1, challenge, { redirect_uri: 'http://127.0.0.1:51234/other' }))}`,
      );
      expect(path.status).toBe(400);
      const web = await register('Web on loopback', { redirectUris: ['http://127.0.0.1:8080/cb'] });
      const strict = await browser.fetch(
        `/oidc/auth?${new URLSearchParams(authParams(web, challenge, { redirect_uri: 'http://127.0.0.1:51234/cb' }))}`,
      );
      expect(strict.status).toBe(400);
    });

    it('ends the grants of a person deactivated: introspection inactive, refresh refused, userinfo refused', async () => {
      const member = await app.register('oidc-member@example.com', 'MEMBER');
      const { verifier, challenge } = pkce();
      const back = await authorize(
        member.client,
        authParams(rp, challenge, { scope: 'openid email organization offline_access', prompt: 'consent' }),
      );
      const t = await token({
        grant_type: 'authorization_code',
        code: back.searchParams.get('code') ?? '',
        redirect_uri: REDIRECT,
        code_verifier: verifier,
      });
      expect(t.status).toBe(200);
      expect(verifyJwt(t.json.access_token, jwks).claims).toMatchObject({ sub: member.userId, role: 'MEMBER' });
      expect(await introspect(t.json.refresh_token, rp)).toMatchObject({ active: true });
      await app.admin.ok(`mutation($id: ID!) { deactivateUser(id: $id) { status } }`, { id: member.userId });
      expect(await introspect(t.json.refresh_token, rp)).toEqual({ active: false });
      expect((await token({ grant_type: 'refresh_token', refresh_token: t.json.refresh_token })).json.error).toBe('invalid_grant');
      expect((await fetch(`${app.server.url}/oidc/me`, { headers: { authorization: `Bearer ${t.json.access_token}` } })).status).toBe(401);
      expect(await app.sql(`SELECT model FROM oidc_payloads WHERE user_id = $1`, [member.userId])).toEqual([]);
    });

    it('tells an application with a back-channel logout URI when a person is deactivated, and never a private address unless allowed', async () => {
      await withLogoutListener('Logs out', async ({ received, waitFor, withLogout, allowing }) => {
        const signInThrough = async (email: string) => {
          const member = await app.register(email, 'MEMBER');
          const { challenge } = pkce();
          const back = await authorize(member.client, authParams(withLogout, challenge, { scope: 'openid' }));
          expect(back.searchParams.get('code')).toBeTruthy();
          return member;
        };
        const deactivateOn = async (base: string, userId: string) => {
          const admin = new ClientOf(base);
          for (const [k, v] of app.admin.cookies) admin.cookies.set(k, v);
          await admin.ok(`mutation($id: ID!) { deactivateUser(id: $id) { status } }`, { id: userId });
        };

        // Deactivated on an instance with the default setting: the loopback address is refused.
        const refused = await signInThrough('oidc-bcl-refused@example.com');
        await deactivateOn(app.server.url, refused.userId);
        await waitFor(1, 1_500);
        expect(received).toEqual([]);
        expect(app.server.output()).toMatch(/back-channel logout to client \S+ refused \(a private address\)/);

        // On the instance that allows private targets: one logout token, signed with the published key.
        const told = await signInThrough('oidc-bcl-told@example.com');
        const [session] = await app.sql<{ sid: string }>(
          `SELECT payload->'authorizations'->$2->>'sid' AS sid FROM oidc_payloads WHERE model = 'Session' AND user_id = $1`,
          [told.userId, withLogout.clientId],
        );
        await deactivateOn(allowing.url, told.userId);
        await waitFor(1, 5_000);
        expect(received).toHaveLength(1);
        const { header, claims } = verifyJwt(received[0], jwks);
        expect(header.typ).toBe('logout+jwt');
        expect(claims).toMatchObject({ iss: app.server.url, aud: withLogout.clientId, sub: told.userId, sid: session.sid });
        expect(claims.events).toEqual({ 'http://schemas.openid.net/event/backchannel-logout': {} });
        expect(claims.nonce).toBeUndefined();
      });
    });

    it('tells an application when a person of two organizations is deactivated in the one its grant acts in', async () => {
      await withLogoutListener('Logs out of one', async ({ received, waitFor, withLogout, allowing }) => {
        const both = await app.register('oidc-bcl-both@example.com', 'MEMBER');
        const made = await app.admin.ok(
          `mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id slug } invitation { url } } }`,
          { i: { name: 'Both Ltd', slug: 'oidc-bcl-both', firstAdminEmail: 'oidc-bcl-both@example.com' } },
        );
        await joinSignedIn(
          both.client,
          new URL(made.createOrganization.invitation.url).searchParams.get('token') ?? '',
          made.createOrganization.organization,
        );
        const { challenge } = pkce();
        const back = await authorize(
          both.client,
          authParams(withLogout, challenge, { scope: 'openid', organization: (await firstOrganization(app)).slug }),
        );
        expect(back.searchParams.get('code')).toBeTruthy();
        const admin = new ClientOf(allowing.url);
        for (const [k, v] of app.admin.cookies) admin.cookies.set(k, v);
        await admin.ok(`mutation($id: ID!) { deactivateUser(id: $id) { status } }`, { id: both.userId });
        await waitFor(1, 5_000);
        expect(received).toHaveLength(1);
        expect(verifyJwt(received[0], jwks).claims).toMatchObject({ aud: withLogout.clientId, sub: both.userId });
        // Their grants there are gone; they still act in the other organization.
        const grants = await app.sql<{ organization_id: string }>(
          `SELECT organization_id FROM oidc_payloads WHERE model = 'Grant' AND user_id = $1`,
          [both.userId],
        );
        expect(grants).toEqual([]);
      });
    });

    it('tells an application with a back-channel logout URI when the Roster session it signed in with ends: a sign-out, an admin revoking it', async () => {
      await withLogoutListener('Logs out on sign-out', async ({ received, waitFor, withLogout, allowing }) => {
        /** Signs a new person in to the application; their provider session's sid, born from their Roster session. */
        const signInThrough = async (email: string) => {
          const member = await app.register(email, 'MEMBER');
          const { challenge } = pkce();
          const back = await authorize(member.client, authParams(withLogout, challenge, { scope: 'openid offline_access' }));
          expect(back.searchParams.get('code')).toBeTruthy();
          const [roster] = await app.sql<{ id: string }>(`SELECT id FROM sessions WHERE user_id = $1`, [member.userId]);
          const sessions = await app.sql<{ sid: string; roster: string }>(
            `SELECT payload->'authorizations'->$2->>'sid' AS sid, payload->>'rosterSession' AS roster
               FROM oidc_payloads WHERE model = 'Session' AND user_id = $1`,
            [member.userId, withLogout.clientId],
          );
          expect(sessions).toEqual([{ sid: expect.any(String), roster: roster.id }]);
          return { ...member, sid: sessions[0].sid };
        };
        /** A client of the instance that may reach the loopback listener, with these cookies. */
        const on = (cookies: Map<string, string>) => {
          const c = new ClientOf(allowing.url);
          for (const [k, v] of cookies) c.cookies.set(k, v);
          return c;
        };
        const count = async (model: string, userId: string) =>
          Number(
            (await app.sql<{ n: string }>(`SELECT count(*) AS n FROM oidc_payloads WHERE model = $1 AND user_id = $2`, [model, userId]))[0]
              .n,
          );

        // Signing out of Roster: exactly one logout token, naming that provider session.
        const leaving = await signInThrough('oidc-bcl-signout@example.com');
        expect(await on(leaving.client.cookies).ok(`mutation { signOut }`)).toEqual({ signOut: true });
        await waitFor(1, 5_000);
        await new Promise((r) => setTimeout(r, 300)); // and no second one
        expect(received).toHaveLength(1);
        const { header, claims } = verifyJwt(received[0], jwks);
        expect(header.typ).toBe('logout+jwt');
        expect(claims).toMatchObject({ iss: app.server.url, aud: withLogout.clientId, sub: leaving.userId, sid: leaving.sid });
        // The provider session ended; the grant (and its refresh tokens) did not: offline access outlives a sign-out.
        expect(await count('Session', leaving.userId)).toBe(0);
        expect(await count('Grant', leaving.userId)).toBe(1);

        // An admin revoking a person's sessions: their application is told too.
        const revoked = await signInThrough('oidc-bcl-revoked@example.com');
        expect(await on(app.admin.cookies).ok(`mutation($u: ID!) { revokeUserSessions(userId: $u) }`, { u: revoked.userId })).toEqual({
          revokeUserSessions: 1,
        });
        await waitFor(2, 5_000);
        expect(received).toHaveLength(2);
        expect(verifyJwt(received[1], jwks).claims).toMatchObject({ aud: withLogout.clientId, sub: revoked.userId, sid: revoked.sid });
        expect(await count('Session', revoked.userId)).toBe(0);

        // Revoking a session no application signed in with tells no one.
        const bystander = await app.register('oidc-bcl-bystander@example.com', 'MEMBER');
        await on(app.admin.cookies).ok(`mutation($u: ID!) { revokeUserSessions(userId: $u) }`, { u: bystander.userId });
        await new Promise((r) => setTimeout(r, 500));
        expect(received).toHaveLength(2);
      });
    });

    it('rotates refresh tokens; reusing a rotated one revokes the family; introspection answers each client about its own tokens only', async () => {
      const { code, verifier } = await codeFlow('openid email offline_access', { prompt: 'consent' });
      const r = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier });
      const rt1: string = r.json.refresh_token;
      expect(rt1).toBeTruthy();
      expect(await introspect(rt1, rp)).toMatchObject({ active: true, client_id: rp.clientId, sub: app.adminId });
      expect(await introspect(rt1, other)).toEqual({ active: false });
      const second = await token({ grant_type: 'refresh_token', refresh_token: rt1 });
      expect(second.status).toBe(200);
      const rt2: string = second.json.refresh_token;
      expect(rt2).toBeTruthy();
      expect(rt2).not.toBe(rt1);
      expect(verifyJwt(second.json.access_token, jwks).claims.org_id).toBeTruthy();
      // The old one again: refused, and the whole family with it.
      expect((await token({ grant_type: 'refresh_token', refresh_token: rt1 })).json.error).toBe('invalid_grant');
      expect((await token({ grant_type: 'refresh_token', refresh_token: rt2 })).json.error).toBe('invalid_grant');
      expect(await introspect(rt2, rp)).toEqual({ active: false });
    });

    it('signs in whoever holds the browser’s Roster session: the next person gets their own code and keeps their session', async () => {
      const a = await app.register('oidc-shared-a@example.com', 'MEMBER');
      const b = await app.register('oidc-shared-b@example.com', 'MEMBER');
      const shared = app.client();
      const signInAs = (email: string) =>
        shared.ok(`mutation($i: SignInInput!) { signIn(input: $i) { twoFactorRequired } }`, { i: { email, password: STRONG_PASSWORD } });
      /** Follows redirects and the provider's self-submitting forms until the browser leaves Roster or reaches a console page. */
      const follow = async (params: Record<string, string>): Promise<URL> => {
        let res = await shared.fetch(`/oidc/auth?${new URLSearchParams(params)}`);
        for (let hops = 0; hops < 20; hops++) {
          if (res.status === 200) {
            const html = await res.text();
            const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
            if (!action) throw new Error(`stopped at a page: ${html.slice(0, 200)}`);
            const inputs = [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)].map(([, k, v]) => [k, v]);
            res = await shared.fetch(local(action.replace(/&amp;/g, '&')), {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: new URLSearchParams(inputs),
            });
            continue;
          }
          const location = res.headers.get('location');
          if (!location) throw new Error(`stopped at ${res.status} ${res.url}: ${(await res.text()).replace(/\s+/g, ' ').slice(0, 1200)}`);
          if (!location.startsWith('/') && !location.startsWith(app.server.url)) return new URL(location);
          if (/^\/(sign-in|authorize\/)/.test(local(location))) return new URL(location, app.server.url);
          res = await shared.fetch(local(location));
        }
        throw new Error('too many hops');
      };
      const subjectOf = async (back: URL, verifier: string) => {
        const t = await token({
          grant_type: 'authorization_code',
          code: back.searchParams.get('code') ?? '',
          redirect_uri: REDIRECT,
          code_verifier: verifier,
        });
        return verifyJwt(t.json.id_token, jwks).claims.sub;
      };

      await signInAs('oidc-shared-a@example.com');
      const first = pkce();
      expect(await subjectOf(await follow(authParams(rp, first.challenge, { scope: 'openid' })), first.verifier)).toBe(a.userId);
      // Another person signs in on the same browser: the application gets them, not the provider session's person.
      await signInAs('oidc-shared-b@example.com');
      const second = pkce();
      expect(await subjectOf(await follow(authParams(rp, second.challenge, { scope: 'openid' })), second.verifier)).toBe(b.userId);
      expect((await shared.ok(`{ me { user { id } } }`)).me.user.id).toBe(b.userId);
      // Their Roster session ends without a sign-out (the janitor's expiry deletes the row): the next authorization asks to sign in.
      await app.sql(`DELETE FROM sessions WHERE user_id = $1`, [b.userId]);
      const third = pkce();
      expect((await follow(authParams(rp, third.challenge, { scope: 'openid' }))).pathname).toBe('/sign-in');
    });

    it('refuses a resource indicator other than Roster (invalid_target), without a loop', async () => {
      const { challenge } = pkce();
      const back = await authorize(browser, authParams(rp, challenge, { scope: 'openid', resource: 'https://elsewhere.example/' }));
      expect([back.searchParams.get('error'), back.searchParams.get('code')]).toEqual(['invalid_target', null]);
    });

    it('revokes a refresh token at the client’s request, and forgets every token of a deleted client', async () => {
      const flow = await codeFlow('openid offline_access', { prompt: 'consent' });
      const r = await token({ grant_type: 'authorization_code', code: flow.code, redirect_uri: REDIRECT, code_verifier: flow.verifier });
      const revoke = await fetch(`${app.server.url}/oidc/token/revocation`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${rp.clientId}:${rp.secret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ token: r.json.refresh_token }),
      });
      expect(revoke.status).toBe(200);
      expect(await introspect(r.json.refresh_token, rp)).toEqual({ active: false });

      const doomed = await register('Doomed');
      const { verifier, challenge } = pkce();
      const back = await authorize(browser, authParams(doomed, challenge, { scope: 'openid offline_access', prompt: 'consent' }));
      const t = await token(
        { grant_type: 'authorization_code', code: back.searchParams.get('code') ?? '', redirect_uri: REDIRECT, code_verifier: verifier },
        doomed,
      );
      expect(t.status).toBe(200);
      const rows = async () =>
        Number(
          (await app.sql<{ n: string }>(`SELECT count(*) AS n FROM oidc_payloads WHERE payload->>'clientId' = $1`, [doomed.clientId]))[0].n,
        );
      expect(await rows()).toBeGreaterThan(0);
      await app.admin.ok(`mutation($id: ID!) { deleteOidcClient(id: $id) }`, { id: doomed.id });
      expect(await rows()).toBe(0);
      const refreshed = await token({ grant_type: 'refresh_token', refresh_token: t.json.refresh_token }, doomed);
      expect([refreshed.status, refreshed.json.error]).toEqual([401, 'invalid_client']);
    });

    describe("the console's authorization page", () => {
      /** The interaction of an authorization stopped at /authorize/<uid>. */
      const uidOf = (page: URL) => {
        expect(page.pathname).toMatch(/^\/authorize\/[A-Za-z0-9_-]+$/);
        return page.pathname.split('/')[2];
      };
      const details = async (who: Client, uid: string) => {
        const res = await who.fetch(`/oidc/interaction/${uid}/details`);
        return { status: res.status, json: (await res.json()) as Json };
      };
      /** Answers the page as the console does; follows the answer until it leaves Roster. */
      async function answer(who: Client, uid: string, body: unknown): Promise<URL> {
        const res = await who.fetch(`/oidc/interaction/${uid}/confirm`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        const json = (await res.json()) as Json;
        if (res.status !== 200) throw new Error(`confirm answered ${res.status}: ${JSON.stringify(json)}`);
        let next = await who.fetch(local(json.location));
        for (let hops = 0; hops < 10 && next.status >= 300 && next.status < 400; hops++) {
          const location = next.headers.get('location') ?? '';
          if (!location.startsWith('/') && !location.startsWith(app.server.url)) return new URL(location);
          next = await who.fetch(local(location));
        }
        throw new Error(`stopped at ${next.status}`);
      }

      it('asks about a third-party application: Deny sends access_denied, Allow a code; asked once, unless it asks again', async () => {
        const third = await register('Third party', { firstParty: false });
        const org = await firstOrganization(app);
        const { verifier, challenge } = pkce();
        const params = authParams(third, challenge, { scope: 'openid email organization offline_access', prompt: 'consent' });
        const uid = uidOf(await authorize(browser, params));
        const asked = await details(browser, uid);
        expect(asked).toEqual({
          status: 200,
          json: {
            client: { name: 'Third party', firstParty: false },
            scopes: ['openid', 'email', 'organization', 'offline_access'],
            organizations: [{ id: org.id, slug: org.slug, name: org.name }],
            pick: false,
            consent: true,
          },
        });
        // Another browser (no interaction cookie), no session, no CSRF token, a bad answer: refused, the interaction untouched.
        const stranger = app.client();
        await stranger.ok(`mutation($i: SignInInput!) { signIn(input: $i) { twoFactorRequired } }`, {
          i: { email: 'admin@example.com', password: STRONG_PASSWORD },
        });
        expect((await details(stranger, uid)).status).toBe(404);
        expect((await details(app.client(), uid)).status).toBe(404);
        const post = (who: Client, body: unknown, headers: Record<string, string> = {}) =>
          who.fetch(`/oidc/interaction/${uid}/confirm`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            body: JSON.stringify(body),
          });
        expect((await post(stranger, { allow: true, organization: org.slug })).status).toBe(404);
        expect((await post(browser, { allow: true, organization: org.slug }, { 'x-csrf-token': 'forged' })).status).toBe(403);
        for (const bad of [{}, { allow: 'yes' }, { allow: true }, { allow: true, organization: 'Not A Slug' }, []]) {
          expect((await post(browser, bad)).status).toBe(400);
        }
        expect((await post(browser, { allow: true, organization: 'oidc-elsewhere' })).status).toBe(400);
        // Generated bodies (JSON of every shape, and text that is not JSON): 400 each, nothing granted.
        const grants = async () =>
          (await app.sql(`SELECT id FROM oidc_payloads WHERE model = 'Grant' AND payload->>'clientId' = $1`, [third.clientId])).length;
        const before = await grants();
        await fc.assert(
          fc.asyncProperty(fc.oneof(fc.jsonValue(), fc.string()), async (value) => {
            // An answer (allow true or false) would end the interaction: those are the cases above.
            fc.pre(!(value && typeof value === 'object' && typeof (value as Record<string, unknown>)['allow'] === 'boolean'));
            const res = await browser.fetch(`/oidc/interaction/${uid}/confirm`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: typeof value === 'string' ? value : JSON.stringify(value),
            });
            expect(res.status).toBe(400);
          }),
          { numRuns: 150 },
        );
        expect(await grants()).toBe(before);
        expect((await details(browser, uid)).status).toBe(200);

        const denied = await answer(browser, uid, { allow: false });
        expect([denied.searchParams.get('error'), denied.searchParams.get('code'), denied.searchParams.get('state')]).toEqual([
          'access_denied',
          null,
          'st4te',
        ]);

        const again = uidOf(await authorize(browser, params));
        const allowed = await answer(browser, again, { allow: true, organization: org.slug });
        const t = await token(
          {
            grant_type: 'authorization_code',
            code: allowed.searchParams.get('code') ?? '',
            redirect_uri: REDIRECT,
            code_verifier: verifier,
          },
          third,
        );
        expect(t.status).toBe(200);
        expect(t.json.refresh_token).toBeTruthy();
        expect(verifyJwt(t.json.access_token, jwks).claims).toMatchObject({ org_id: org.id, client_id: third.clientId });

        // Allowed once for these scopes in this organization: straight through, until more is asked or it asks again.
        const fresh = pkce();
        const straight = await authorize(browser, authParams(third, fresh.challenge, { scope: 'openid email' }));
        expect(straight.searchParams.get('code')).toBeTruthy();
        // Another session of the person (no provider session yet): the consent is theirs, remembered.
        const later = app.client();
        await later.ok(`mutation($i: SignInInput!) { signIn(input: $i) { twoFactorRequired } }`, {
          i: { email: 'admin@example.com', password: STRONG_PASSWORD },
        });
        expect(
          (await authorize(later, authParams(third, fresh.challenge, { scope: 'openid email' }))).searchParams.get('code'),
        ).toBeTruthy();
        uidOf(await authorize(browser, authParams(third, fresh.challenge, { scope: 'openid email teams' })));
        uidOf(await authorize(browser, authParams(third, fresh.challenge, { scope: 'openid email', prompt: 'consent' })));
      });

      it('asks for consent once a first-party application becomes third-party: its earlier grants made without asking end', async () => {
        const once = await register('Once first-party');
        const { challenge } = pkce();
        expect((await authorize(browser, authParams(once, challenge, { scope: 'openid email' }))).searchParams.get('code')).toBeTruthy();
        await app.admin.ok(`mutation($i: UpdateOidcClientInput!) { updateOidcClient(input: $i) { id } }`, {
          i: { id: once.id, name: 'Once first-party', redirectUris: [REDIRECT], firstParty: false },
        });
        const later = app.client();
        await later.ok(`mutation($i: SignInInput!) { signIn(input: $i) { twoFactorRequired } }`, {
          i: { email: 'admin@example.com', password: STRONG_PASSWORD },
        });
        uidOf(await authorize(later, authParams(once, challenge, { scope: 'openid email' })));
      });

      it('lets a person of several organizations pick one; the tokens act in the one picked, and only one of theirs', async () => {
        const first = await firstOrganization(app);
        const made = await app.admin.ok(
          `mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id slug } invitation { url } } }`,
          { i: { name: 'Picked Ltd', slug: 'oidc-picked', firstAdminEmail: 'oidc-picker@example.com' } },
        );
        const second = made.createOrganization.organization as { id: string; slug: string };
        const picker = app.client();
        await picker.ok(`mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { user { id } } }`, {
          i: {
            token: new URL(made.createOrganization.invitation.url).searchParams.get('token'),
            firstName: 'Pia',
            lastName: 'Picker',
            password: STRONG_PASSWORD,
            passwordConfirmation: STRONG_PASSWORD,
          },
        });
        const [viewer] = await app.sql<{ id: string }>(`SELECT id FROM roles WHERE organization_id = $1 AND key = 'VIEWER'`, [first.id]);
        const invited = await app.admin.ok(`mutation($i: CreateInvitationInput!) { createInvitation(input: $i) { url } }`, {
          i: { email: 'oidc-picker@example.com', roleId: viewer.id, teamIds: [] },
        });
        await joinSignedIn(picker, new URL(invited.createInvitation.url).searchParams.get('token') ?? '', first);

        // An application of one organization acts there; a platform-wide one lets the person pick.
        const everywhere = await register('Everywhere', { platformWide: true });
        const { verifier, challenge } = pkce();
        const uid = uidOf(await authorize(picker, authParams(everywhere, challenge, { scope: 'openid organization' })));
        const asked = (await details(picker, uid)).json;
        expect([asked.pick, asked.consent]).toEqual([true, false]);
        expect(asked.organizations.map((o: Json) => o.slug).sort()).toEqual([first.slug, second.slug].sort());
        expect(
          (
            await picker.fetch(`/oidc/interaction/${uid}/confirm`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ allow: true, organization: 'oidc-elsewhere' }),
            })
          ).status,
        ).toBe(400);
        const back = await answer(picker, uid, { allow: true, organization: second.slug });
        const t = await token(
          {
            grant_type: 'authorization_code',
            code: back.searchParams.get('code') ?? '',
            redirect_uri: REDIRECT,
            code_verifier: verifier,
          },
          everywhere,
        );
        expect(verifyJwt(t.json.access_token, jwks).claims).toMatchObject({ org_id: second.id, org_slug: second.slug, role: 'ADMIN' });
        expect(verifyJwt(t.json.id_token, jwks).claims).toMatchObject({ org_id: second.id });

        // Named by the application: no page.
        const named = pkce();
        const direct = await authorize(
          picker,
          authParams(everywhere, named.challenge, { scope: 'openid organization', organization: first.slug }),
        );
        const d = await token(
          {
            grant_type: 'authorization_code',
            code: direct.searchParams.get('code') ?? '',
            redirect_uri: REDIRECT,
            code_verifier: named.verifier,
          },
          everywhere,
        );
        expect(verifyJwt(d.json.access_token, jwks).claims).toMatchObject({ org_id: first.id, role: 'VIEWER' });
      });

      it('gives a first-party application asking offline_access a refresh token, without a prompt or a page', async () => {
        const { verifier, challenge } = pkce();
        const back = await authorize(browser, authParams(rp, challenge, { scope: 'openid offline_access' }));
        const t = await token({
          grant_type: 'authorization_code',
          code: back.searchParams.get('code') ?? '',
          redirect_uri: REDIRECT,
          code_verifier: verifier,
        });
        expect(t.json.refresh_token).toBeTruthy();
        // Without offline_access: none.
        const plain = pkce();
        const b = await authorize(browser, authParams(rp, plain.challenge, { scope: 'openid' }));
        const p = await token({
          grant_type: 'authorization_code',
          code: b.searchParams.get('code') ?? '',
          redirect_uri: REDIRECT,
          code_verifier: plain.verifier,
        });
        expect([p.status, p.json.refresh_token]).toEqual([200, undefined]);
      });
    });
  });
});
