import { startApp, TestApp } from './support/app';
import type { Client, Json } from './support/client';
import { createOrganizationWithPeople } from './support/organizations';
import { clientOn, oidcFlows, pkce, REDIRECT, type TestRp, verifyJwt } from './support/oidc';

/** Where the test application wants people back after a logout (registered as its post_logout_redirect_uri). */
const SIGNED_OUT = 'https://rp.example.com/signed-out';
const ME = `{ me { user { id } } }`;

/**
 * Logouts the OpenID Provider starts or answers beyond a Roster sign-out (openid-provider.spec.ts): an
 * application's logout request (RP-initiated logout), and an organization suspended.
 */
describe('Roster as an OpenID Provider: logouts', () => {
  let app: TestApp;
  const flows = oidcFlows(() => app);
  let jwks: { keys: Json[] };

  beforeAll(async () => {
    // No janitor here: the instance that may reach the test's logout listener runs it (withLogoutListener).
    app = await startApp('openid-provider-logout', { JANITOR_INTERVAL_SECONDS: '0' });
    jwks = (await (await fetch(`${app.server.url}/oidc/jwks`)).json()) as { keys: Json[] };
  });

  afterAll(async () => {
    await app?.close();
  });

  /** Signs `who` in to `client` through the code flow; its tokens, and the sid of their provider session there. */
  async function signInThrough(who: { client: Client; userId: string }, client: TestRp, over: Record<string, string> = {}) {
    const { verifier, challenge } = pkce();
    const back = await flows.authorize(who.client, flows.authParams(client, challenge, { scope: 'openid', ...over }));
    const code = back.searchParams.get('code');
    if (!code) throw new Error(`no code: ${back}`);
    const t = await flows.token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier }, client);
    expect(t.status).toBe(200);
    const [session] = await app.sql<{ sid: string }>(
      `SELECT payload->'authorizations'->$2->>'sid' AS sid FROM oidc_payloads WHERE model = 'Session' AND user_id = $1`,
      [who.userId, client.clientId],
    );
    return { ...(t.json as { id_token: string; access_token: string; refresh_token?: string }), sid: session.sid };
  }

  /** The logout question's CSRF token (the provider's, in its form). */
  const xsrfOf = (html: string) => /name="xsrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

  /** Answers the logout question as the browser's form would: `logout=yes` is "Sign out". */
  const confirm = (browser: Client, xsrf: string, logout: boolean) =>
    browser.fetch('/oidc/session/end/confirm', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ xsrf, ...(logout ? { logout: 'yes' } : {}) }),
    });

  const rosterSessions = async (userId: string) =>
    (await app.sql<{ id: string }>(`SELECT id FROM sessions WHERE user_id = $1`, [userId])).map((s) => s.id);
  const payloads = async (model: string, userId: string) =>
    Number(
      (await app.sql<{ n: string }>(`SELECT count(*) AS n FROM oidc_payloads WHERE model = $1 AND user_id = $2`, [model, userId]))[0].n,
    );

  describe('an application asking to sign the person out (RP-initiated logout)', () => {
    it('ends the provider session and the Roster session, tells the applications, and returns to the registered URI with its state', async () => {
      await flows.withLogoutListener(
        'Signs out on request',
        async ({ received, withLogout, allowing }) => {
          const member = await app.register('oidc-rpl-out@example.com', 'MEMBER');
          const tokens = await signInThrough(member, withLogout);
          const [rosterSession] = await rosterSessions(member.userId);
          const before = new Map(member.client.cookies);

          // On the instance that may reach the listener: the question, on Roster's page, CSRF-protected.
          const browser = clientOn(allowing.url, member.client.cookies);
          const query = new URLSearchParams({ id_token_hint: tokens.id_token, post_logout_redirect_uri: SIGNED_OUT, state: 'by3' });
          const asked = await browser.fetch(`/oidc/session/end?${query}`);
          expect(asked.status).toBe(200);
          expect(asked.headers.get('cache-control')).toMatch(/no-store/);
          const page = await asked.text();
          expect(page).toContain('<html lang="en">');
          expect(page).toContain('Sign out of Roster?');
          expect(page).toContain('Signs out on request asks to sign you out.');
          expect(page).not.toContain('<script');
          const xsrf = xsrfOf(page);
          expect(xsrf).toBeTruthy();

          // A forged answer changes nothing.
          expect((await confirm(clientOn(allowing.url, member.client.cookies), 'forged', true)).status).toBe(400);
          expect(await rosterSessions(member.userId)).toEqual([rosterSession]);

          const done = await confirm(browser, xsrf, true);
          expect(done.status).toBe(303);
          expect(done.headers.get('location')).toBe(`${SIGNED_OUT}?state=by3`);
          // The console's cookies are cleared, and its session is over: the old cookie is nobody.
          expect(done.headers.getSetCookie().some((c) => /^roster_session=;.*Expires=Thu, 01 Jan 1970/i.test(c))).toBe(true);
          expect(browser.cookies.has('roster_session')).toBe(false);
          expect(await rosterSessions(member.userId)).toEqual([]);
          expect((await clientOn(app.server.url, before).ok(ME)).me).toBeNull();
          expect(await payloads('Session', member.userId)).toBe(0);

          // The application was told once, by the provider, naming that provider session.
          expect(received).toHaveLength(1);
          const { header, claims } = verifyJwt(received[0], jwks);
          expect(header.typ).toBe('logout+jwt');
          expect(claims).toMatchObject({ iss: app.server.url, aud: withLogout.clientId, sub: member.userId, sid: tokens.sid });
          await new Promise((r) => setTimeout(r, 500));
          expect(received).toHaveLength(1);
        },
        { client: { postLogoutRedirectUris: [SIGNED_OUT] } },
      );
    });

    it("asks in the person's language; staying signed in keeps Roster's session; without a return URI, Roster's signed-out page", async () => {
      const rp = await flows.register('Plain party', { postLogoutRedirectUris: [SIGNED_OUT] });
      const member = await app.register('oidc-rpl-stay@example.com', 'MEMBER');
      await signInThrough(member, rp);
      const [rosterSession] = await rosterSessions(member.userId);

      // In French (the browser's preference): "Rester connecté" ends only this application's sign-in.
      const fr = await member.client.fetch(`/oidc/session/end?client_id=${rp.clientId}`, {
        headers: { 'accept-language': 'fr-FR,fr;q=0.9' },
      });
      const question = await fr.text();
      expect(question).toContain('<html lang="fr">');
      expect(question).toContain('Se déconnecter de Roster\u00a0?');
      expect(question).toContain('Rester connecté');
      const stay = await confirm(member.client, xsrfOf(question), false);
      expect(stay.status).toBe(303);
      expect(await rosterSessions(member.userId)).toEqual([rosterSession]);
      expect((await member.client.ok(ME)).me.user.id).toBe(member.userId);

      // ui_locales wins over the browser; "Sign out" with no return URI ends on Roster's page.
      const en = await member.client.fetch(`/oidc/session/end?ui_locales=en`, { headers: { 'accept-language': 'fr' } });
      const again = await en.text();
      expect(again).toContain('Sign out of Roster?');
      expect(again).toContain('An application asks to sign you out.');
      const out = await confirm(member.client, xsrfOf(again), true);
      expect(out.status).toBe(303);
      const success = new URL(out.headers.get('location') ?? '');
      expect(`${success.origin}${success.pathname}`).toBe(`${app.server.url}/oidc/session/end/success`);
      const signedOut = await member.client.fetch(`${success.pathname}${success.search}`, { headers: { 'accept-language': 'fr' } });
      expect(signedOut.status).toBe(200);
      const text = await signedOut.text();
      expect(text).toContain('Vous êtes déconnecté');
      expect(text).toContain('href="/sign-in"');
      expect(await rosterSessions(member.userId)).toEqual([]);
    });

    it('refuses an unregistered post_logout_redirect_uri; a browser with no provider session keeps its Roster session', async () => {
      const rp = await flows.register('Strict party', { postLogoutRedirectUris: [SIGNED_OUT] });
      const member = await app.register('oidc-rpl-refused@example.com', 'MEMBER');
      const tokens = await signInThrough(member, rp);
      for (const uri of ['https://evil.example/signed-out', `${SIGNED_OUT}/elsewhere`, REDIRECT]) {
        const query = new URLSearchParams({ id_token_hint: tokens.id_token, post_logout_redirect_uri: uri, state: 'x' });
        const refused = await member.client.fetch(`/oidc/session/end?${query}`);
        expect(refused.status).toBe(400);
        expect(refused.headers.get('location')).toBeNull();
        expect(await refused.text()).toContain('post_logout_redirect_uri not registered');
      }
      expect(await payloads('Session', member.userId)).toBe(1);

      // Signed in to Roster but to no application: the provider asks nothing (its form posts itself), and
      // since no one confirmed, Roster's session stays (any page can send a browser to /oidc/session/end).
      const other = await app.register('oidc-rpl-bystander@example.com', 'MEMBER');
      const [kept] = await rosterSessions(other.userId);
      const asked = await other.client.fetch(`/oidc/session/end?client_id=${rp.clientId}&post_logout_redirect_uri=${SIGNED_OUT}`);
      const form = await asked.text();
      expect(form).not.toContain('Sign out of Roster?');
      const done = await confirm(other.client, xsrfOf(form), true);
      expect(done.status).toBe(303);
      expect(await rosterSessions(other.userId)).toEqual([kept]);
      expect((await other.client.ok(ME)).me.user.id).toBe(other.userId);
    });
  });

  describe('an organization suspended', () => {
    it("ends its grants at the janitor's next tick and tells the applications; other organizations' grants stay", async () => {
      await flows.withLogoutListener(
        'Logs out on suspension',
        async ({ received, waitFor, withLogout }) => {
          const b = await createOrganizationWithPeople(app, app.admin, { slug: 'oidc-suspended', prefix: 'oidc-susp-' });
          const member = b.people.MEMBER;
          const inB = await signInThrough(member, withLogout, { scope: 'openid offline_access', organization: b.slug });
          expect(inB.refresh_token).toBeTruthy();
          // The first admin, in the first organization, through the same application: untouched.
          const admin = { client: app.admin, userId: app.adminId };
          const inA = await signInThrough(admin, withLogout, { scope: 'openid offline_access' });
          expect(await flows.introspect(inB.refresh_token ?? '', withLogout)).toMatchObject({ active: true });

          await app.admin.ok(`mutation($id: ID!) { suspendOrganization(id: $id) { status } }`, { id: b.id });
          await waitFor(1, 10_000);
          expect(received).toHaveLength(1);
          expect(verifyJwt(received[0], jwks).claims).toMatchObject({ aud: withLogout.clientId, sub: member.userId, sid: inB.sid });
          const grantsOfB = await app.sql(`SELECT model FROM oidc_payloads WHERE organization_id = $1`, [b.id]);
          expect(grantsOfB).toEqual([]);
          expect(await flows.introspect(inB.refresh_token ?? '', withLogout)).toEqual({ active: false });
          expect((await flows.token({ grant_type: 'refresh_token', refresh_token: inB.refresh_token ?? '' }, withLogout)).json.error).toBe(
            'invalid_grant',
          );

          // Another organization's grant lives on, and no one else was told, tick after tick.
          await new Promise((r) => setTimeout(r, 2_500));
          expect(received).toHaveLength(1);
          const refreshed = await flows.token({ grant_type: 'refresh_token', refresh_token: inA.refresh_token ?? '' }, withLogout);
          expect([refreshed.status, refreshed.json.error]).toEqual([200, undefined]);
        },
        { client: { platformWide: true }, env: { JANITOR_INTERVAL_SECONDS: '1' } },
      );
    });
  });
});
