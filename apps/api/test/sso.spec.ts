import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../../../tools/testing/chromium';
import { startOidcProvider, TestAccount, TestOidcProvider } from '../../../tools/testing/oidc-provider';
import { freePort } from '../../../tools/testing/server';
import { HttpBrowser } from './support/browser';
import { Client, Json } from './support/client';
import { startApp, STRONG_PASSWORD, TestApp } from './support/app';
import { OrgClient } from './support/organizations';
import { authenticator } from './support/totp';

/** Single sign-on against a real OpenID provider running on loopback. */
describe('single sign-on (OpenID Connect)', () => {
  let app: TestApp;
  let idp: TestOidcProvider;
  const METRICS_TOKEN = 'sso-metrics-token-0123456789';
  const accounts: Record<string, TestAccount> = {
    carol: { email: 'carol@example.com', givenName: 'Carol', familyName: 'Shaw' },
    mallory: { email: 'mallory@evil.test' },
    eve: { email: 'eve@example.com' },
    bob: { email: 'bob@partner.test', givenName: 'Bob', familyName: 'Partner' },
    unverified: { email: 'frank@example.com', emailVerified: false },
    frank: { email: 'frank@example.com' },
    grace: { email: 'grace@example.com', givenName: 'Grace', familyName: 'Browser' },
    ada: { email: 'admin@example.com', givenName: 'Ada', familyName: 'Admin' },
    henry: { email: 'henry@example.com', givenName: 'Henry\u202e\u0007', familyName: '  Hostile\u0000Name ' },
    ivan: { email: 'ivan@example.com', givenName: 'Ivan', familyName: 'Policy' },
  };

  beforeAll(async () => {
    const idpPort = await freePort();
    const appPort = await freePort();
    idp = await startOidcProvider(idpPort, `http://127.0.0.1:${appPort}`, accounts);
    app = await startApp(
      'sso',
      {
        OIDC_ISSUER: idp.issuer,
        OIDC_CLIENT_ID: idp.clientId,
        OIDC_CLIENT_SECRET: idp.clientSecret,
        OIDC_ALLOWED_DOMAINS: 'partner.test',
        METRICS_TOKEN,
      },
      appPort,
    );
  });
  afterAll(async () => {
    await app?.close();
    await idp?.stop();
  });

  const landed = (u: string) => {
    const path = new URL(u).pathname;
    return path === '/users' || path === '/sso-error' || path === '/sign-in';
  };

  /** Opens a URL of the app and goes through the provider's login and consent forms as `login`. */
  async function dance(browser: HttpBrowser, start: string, login: string, opts: { abort?: boolean } = {}): Promise<string> {
    const u = await danceTo(browser, start, login, opts);
    // A second factor asked for after the provider: the sign-in page gets the challenge in the fragment.
    if (u.pathname === '/sign-in') return `challenge:${new URLSearchParams(u.hash.slice(1)).get('challenge')}`;
    return u.pathname === '/sso-error' ? `error:${u.searchParams.get('code')}` : 'signed-in';
  }

  /** The same, to where the app sends the browser in the end. */
  async function danceTo(browser: HttpBrowser, start: string, login: string, opts: { abort?: boolean } = {}): Promise<URL> {
    let page = await browser.go(start, {}, landed);
    for (let i = 0; i < 3 && !landed(page.url); i++) {
      const html = await page.res.text();
      if (opts.abort) {
        const abort = /href="([^"]*\/abort)"/.exec(html)?.[1];
        if (!abort) throw new Error(`no abort link: ${html.slice(0, 300)}`);
        page = await browser.go(new URL(abort, page.url).toString(), {}, landed);
      } else if (/name="login"/.test(html)) {
        page = await browser.submitForm(page.url, html, { login, password: 'anything' }, landed);
      } else {
        page = await browser.submitForm(page.url, html, {}, landed);
      }
    }
    if (!landed(page.url)) throw new Error(`did not come back: ${browser.visited.join('\n')}`);
    return new URL(page.url);
  }

  /** The app session that a browser got, as a GraphQL client. */
  function asClient(browser: HttpBrowser): Client {
    const c = app.client();
    for (const name of ['roster_session', 'roster_csrf']) {
      const v = browser.cookie(app.server.url, name);
      if (v) c.cookies.set(name, v);
    }
    return c;
  }

  async function inviteSso(email: string, roleKey = 'MEMBER', teamIds: string[] = []): Promise<string> {
    const r = await app.admin.ok(`mutation($i: CreateInvitationInput!) { createInvitation(input: $i) { url urlKind } }`, {
      i: { email, roleId: app.roles[roleKey], teamIds },
    });
    expect(r.createInvitation.urlKind).toBe('SSO');
    expect(r.createInvitation.url).toMatch(new RegExp(`^${app.server.url}/auth/sso\\?invitation=`));
    return r.createInvitation.url;
  }

  it('tells the sign-in page that SSO is on', async () => {
    const r = await app.client().ok(`{ authConfig { passwordSignIn ssoUrl ssoLabel } }`);
    expect(r.authConfig).toEqual({ passwordSignIn: true, ssoUrl: `${app.server.url}/auth/sso`, ssoLabel: 'SSO' });
  });

  it('creates the invited account on return, with the invited role and teams, and signs the person in', async () => {
    const team = (await app.admin.ok(`mutation { createTeam(input: { name: "Design" }) { id } }`)).createTeam.id;
    const url = await inviteSso('carol@example.com', 'MANAGER', [team]);
    const browser = new HttpBrowser();
    expect(await dance(browser, url, 'carol')).toBe('signed-in');
    const me = await asClient(browser).ok(`{ me { user { email firstName lastName status role { key } teams { name } } } }`);
    expect(me.me.user).toEqual({
      email: 'carol@example.com',
      firstName: 'Carol',
      lastName: 'Shaw',
      status: 'ACTIVE',
      role: { key: 'MANAGER' },
      teams: [{ name: 'Design' }],
    });
    expect((await app.sql(`SELECT sso_subject FROM users WHERE email = 'carol@example.com'`))[0].sso_subject).toBe(`${idp.issuer}|carol`);
    // The provider account is linked through the first organization's (OIDC_*) connection.
    expect(
      await app.sql(
        `SELECT i.issuer, i.subject, i.organization_id = (SELECT id FROM organizations ORDER BY created_at, id LIMIT 1) AS first
           FROM sso_identities i JOIN users u ON u.id = i.user_id WHERE u.email = 'carol@example.com'`,
      ),
    ).toEqual([{ issuer: idp.issuer, subject: 'carol', first: true }]);
    expect(await app.sql(`SELECT 1 FROM invitations i JOIN users u ON u.id = i.user_id WHERE u.email = 'carol@example.com'`)).toEqual([]);
    // The invitation was single-use.
    expect(await dance(new HttpBrowser(), url, 'carol')).toBe('error:INVITATION_INVALID');
  });

  it('signs a returning person in by their provider subject, even after an email change there', async () => {
    const id = (await app.sql(`SELECT id FROM users WHERE email = 'carol@example.com'`))[0].id;
    idp.setAccounts({ ...accounts, carol: { ...accounts['carol'], email: 'carol.shaw@example.com' } });
    const browser = new HttpBrowser();
    expect(await dance(browser, `${app.server.url}/auth/sso`, 'carol')).toBe('signed-in');
    expect((await asClient(browser).ok(`{ me { user { id } } }`)).me.user.id).toBe(id);
    idp.setAccounts(accounts);
  });

  it('signs a person deactivated in one organization in to another where they are active; deactivated everywhere, refused', async () => {
    const FIRST = `(SELECT id FROM organizations ORDER BY created_at, id LIMIT 1)`;
    const [other] = await app.sql(`INSERT INTO organizations (name, slug) VALUES ('Elsewhere', 'elsewhere-sso') RETURNING id`);
    await app.sql(
      `INSERT INTO roles (organization_id, key, name, permissions, rank) SELECT $1, key, name, permissions, rank FROM roles WHERE organization_id = ${FIRST}`,
      [other.id],
    );
    const [carol] = await app.sql(`SELECT id FROM users WHERE email = 'carol@example.com'`);
    await app.sql(
      `INSERT INTO memberships (organization_id, user_id, role_id, status) SELECT $1, $2, id, 'ACTIVE' FROM roles WHERE organization_id = $1 AND key = 'MEMBER'`,
      [other.id, carol.id],
    );
    await app.sql(`UPDATE memberships SET status = 'DEACTIVATED' WHERE organization_id = ${FIRST} AND user_id = $1`, [carol.id]);
    try {
      const browser = new HttpBrowser();
      expect(await dance(browser, `${app.server.url}/auth/sso`, 'carol')).toBe('signed-in');
      expect((await asClient(browser).ok(`{ me { user { id } organization { slug } } }`)).me).toEqual({
        user: { id: carol.id },
        organization: { slug: 'elsewhere-sso' },
      });
      await app.sql(`UPDATE memberships SET status = 'DEACTIVATED' WHERE user_id = $1`, [carol.id]);
      expect(await dance(new HttpBrowser(), `${app.server.url}/auth/sso`, 'carol')).toBe('error:ACCOUNT_DEACTIVATED');
    } finally {
      await app.sql(`UPDATE memberships SET status = 'ACTIVE' WHERE organization_id = ${FIRST} AND user_id = $1`, [carol.id]);
      await app.sql(`DELETE FROM memberships WHERE organization_id = $1`, [other.id]);
      await app.sql(`DELETE FROM organizations WHERE id = $1`, [other.id]);
    }
  });

  it('refuses an email that does not match the invitation, creating nothing', async () => {
    const url = await inviteSso('dave@example.com');
    expect(await dance(new HttpBrowser(), url, 'mallory')).toBe('error:SSO_EMAIL_MISMATCH');
    expect(await app.sql(`SELECT status FROM users WHERE email IN ('dave@example.com', 'mallory@evil.test')`)).toEqual([
      { status: 'INVITED' },
    ]);
  });

  it('refuses an expired invitation before going to the provider', async () => {
    const url = await inviteSso('late@example.com');
    await app.sql(
      `UPDATE invitations SET expires_at = now() - interval '1 second' FROM users u WHERE u.id = invitations.user_id AND u.email = 'late@example.com'`,
    );
    const browser = new HttpBrowser();
    expect(await dance(browser, url, 'eve')).toBe('error:INVITATION_EXPIRED');
    expect(browser.visited.some((v) => v.includes(idp.issuer))).toBe(false);
  });

  it('refuses people not invited, unless their domain is allowed', async () => {
    expect(await dance(new HttpBrowser(), `${app.server.url}/auth/sso`, 'eve')).toBe('error:SSO_NOT_INVITED');
    expect(await app.sql(`SELECT 1 FROM users WHERE email = 'eve@example.com'`)).toEqual([]);
    const browser = new HttpBrowser();
    expect(await dance(browser, `${app.server.url}/auth/sso`, 'bob')).toBe('signed-in');
    expect((await asClient(browser).ok(`{ me { user { email role { key } } } }`)).me.user).toEqual({
      email: 'bob@partner.test',
      role: { key: 'MEMBER' },
    });
  });

  it('refuses a provider email with control characters, creating nothing, even from an allowed domain', async () => {
    idp.setAccounts({ ...accounts, forged: { email: '"bob\r\nbcc"@partner.test' } });
    try {
      expect(await dance(new HttpBrowser(), `${app.server.url}/auth/sso`, 'forged')).toBe('error:SSO_FAILED');
      expect(await app.sql(`SELECT email FROM users WHERE email LIKE '%bcc%'`)).toEqual([]);
    } finally {
      idp.setAccounts(accounts);
    }
  });

  it('refuses an unverified email', async () => {
    const url = await inviteSso('frank@example.com');
    expect(await dance(new HttpBrowser(), url, 'unverified')).toBe('error:SSO_EMAIL_NOT_VERIFIED');
    expect((await app.sql(`SELECT status FROM users WHERE email = 'frank@example.com'`))[0].status).toBe('INVITED');
  });

  it('ends on a clear error when consent is denied', async () => {
    const url = (await app.admin.ok(`{ pendingInvitations { id email } }`)).pendingInvitations.find(
      (u: Json) => u.email === 'frank@example.com',
    );
    expect(url).toBeTruthy();
    const regen = await app.admin.ok(`mutation($u: ID!) { regenerateInvitation(userId: $u) { url } }`, { u: url.id });
    expect(await dance(new HttpBrowser(), regen.regenerateInvitation.url, 'frank', { abort: true })).toBe('error:SSO_DENIED');
    expect((await app.sql(`SELECT status FROM users WHERE email = 'frank@example.com'`))[0].status).toBe('INVITED');
  });

  it('refuses a tampered state, and a callback replayed in another browser', async () => {
    const isCallback = (u: string) => new URL(u).pathname === '/auth/sso/callback';
    const browser = new HttpBrowser();
    let page = await browser.go(`${app.server.url}/auth/sso`, {}, isCallback);
    // The provider remembers eve from an earlier test: it may come straight back, or show a form.
    for (let i = 0; i < 3 && !isCallback(page.url); i++) {
      const html = await page.res.text();
      page = await browser.submitForm(page.url, html, /name="login"/.test(html) ? { login: 'bob', password: 'x' } : {}, isCallback);
    }
    expect(isCallback(page.url)).toBe(true);
    const callback = new URL(page.url);
    const tampered = new URL(callback);
    tampered.searchParams.set('state', 'x' + callback.searchParams.get('state'));
    expect(await dance(browser, tampered.toString(), 'bob')).toBe('error:SSO_FAILED');
    // The real callback, opened by someone else's browser (no binding cookie), fails too.
    expect(await dance(new HttpBrowser(), callback.toString(), 'bob')).toBe('error:SSO_FAILED');
    expect(browser.cookie(app.server.url, 'roster_session')).toBeUndefined();
  });

  it("follows the two-factor policy's rule for single sign-on: trust the provider, or also ask for Roster's code", async () => {
    const SET = `mutation($i: SetTwoFactorPolicyInput!) { setTwoFactorPolicy(input: $i) { ssoMode } }`;
    const ME = `{ me { user { email } twoFactorSetupRequired } }`;
    await app.admin.ok(SET, { i: { requiredRoleIds: [app.roles['VIEWER']], ssoMode: 'TRUST_PROVIDER' } });
    const first = new HttpBrowser();
    expect(await dance(first, await inviteSso('ivan@example.com', 'VIEWER'), 'ivan')).toBe('signed-in');
    const ivan = asClient(first);
    // The provider is trusted: a required role signs in through it without Roster's 2FA.
    expect((await ivan.ok(ME)).me.twoFactorSetupRequired).toBe(false);
    await ivan.ok(`{ roles { id } }`);
    expect(await app.sql(`SELECT sso FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = 'ivan@example.com'`)).toEqual([
      { sso: true },
    ]);

    // Not trusted any more: the same session is held at the set-up (within a second), and the set-up frees it.
    await app.admin.ok(SET, { i: { requiredRoleIds: [app.roles['VIEWER']], ssoMode: 'REQUIRE_TOTP' } });
    const deadline = Date.now() + 1000;
    while ((await ivan.gql(`{ roles { id } }`)).errors?.[0]?.extensions?.['code'] !== 'TWO_FACTOR_SETUP_REQUIRED') {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 25));
    }
    const secret = (await ivan.ok(`mutation { startTwoFactorSetup { secret } }`)).startTwoFactorSetup.secret as string;
    await ivan.ok(`mutation($c: String!) { completeTwoFactorSetup(input: { code: $c }) { recoveryCodes } }`, { c: authenticator(secret) });
    await ivan.ok(`{ roles { id } }`);

    // The next single sign-on asks for the code on the sign-in page; no session until it is right.
    const next = new HttpBrowser();
    const outcome = await dance(next, `${app.server.url}/auth/sso`, 'ivan');
    expect(outcome).toMatch(/^challenge:.{20,}/);
    expect(next.cookie(app.server.url, 'roster_session')).toBeUndefined();
    const verify = `mutation($t: String!, $c: String!) { verifyTwoFactor(input: { challengeToken: $t, code: $c }) { user { email } } }`;
    const c = app.client();
    const code = authenticator(secret, Date.now() / 1000 + 30);
    expect(await c.code(verify, { t: outcome.slice('challenge:'.length), c: '000000' === code ? '111111' : '000000' })).toBe(
      'TWO_FACTOR_CODE_INVALID',
    );
    await c.ok(verify, { t: outcome.slice('challenge:'.length), c: code });
    expect((await c.ok(ME)).me).toEqual({ user: { email: 'ivan@example.com' }, twoFactorSetupRequired: false });
    expect(
      await app.sql(`SELECT sso FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = 'ivan@example.com' ORDER BY s.created_at`),
    ).toEqual([{ sso: true }, { sso: true }]);
    // Trusting the provider again, then not: the single sign-ons that skipped the code end.
    await app.admin.ok(SET, { i: { requiredRoleIds: [app.roles['VIEWER']], ssoMode: 'TRUST_PROVIDER' } });
    await app.admin.ok(SET, { i: { requiredRoleIds: [app.roles['VIEWER']], ssoMode: 'REQUIRE_TOTP' } });
    expect((await c.gql(ME)).data?.me).toBeNull();
    expect(await app.sql(`SELECT 1 FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = 'ivan@example.com'`)).toEqual([]);
    await app.admin.ok(SET, { i: { requiredRoleIds: [], ssoMode: 'TRUST_PROVIDER' } });
  });

  it('lands where the sign-in page was asked to send the person, when Roster allows it; otherwise on the users page', async () => {
    const start = (returnTo: string) => `${app.server.url}/auth/sso?returnTo=${encodeURIComponent(returnTo)}`;
    const landing = async (returnTo: string) => (await danceTo(new HttpBrowser(), start(returnTo), 'carol')).href;
    expect(await landing('/users?from=app')).toBe(`${app.server.url}/users?from=app`);
    // Another origin (not in RETURN_TO_ORIGINS), scheme-relative, backslashed, user-info: the users page.
    for (const refused of [
      'https://evil.example/users',
      '//evil.example/users',
      '/\\evil.example',
      `https://x@${new URL(app.server.url).host}/users`,
    ])
      expect(await landing(refused)).toBe(`${app.server.url}/users`);

    // With Roster's code asked for after the provider, the sign-in page gets it back with the challenge.
    const SET = `mutation($i: SetTwoFactorPolicyInput!) { setTwoFactorPolicy(input: $i) { ssoMode } }`;
    await app.admin.ok(SET, { i: { requiredRoleIds: [], ssoMode: 'REQUIRE_TOTP' } });
    try {
      const challenged = await danceTo(new HttpBrowser(), start('/users?from=app'), 'ivan');
      expect(challenged.pathname).toBe('/sign-in');
      const fragment = new URLSearchParams(challenged.hash.slice(1));
      expect(fragment.get('challenge')).toMatch(/.{20,}/);
      expect(fragment.get('returnTo')).toBe('/users?from=app');
      const refused = new URLSearchParams((await danceTo(new HttpBrowser(), start('//evil.example'), 'ivan')).hash.slice(1));
      expect(refused.get('challenge')).toMatch(/.{20,}/);
      expect(refused.get('returnTo')).toBeNull();
    } finally {
      await app.admin.ok(SET, { i: { requiredRoleIds: [], ssoMode: 'TRUST_PROVIDER' } });
    }
  });

  it('ends SSO sessions when the person is deleted', async () => {
    const browser = new HttpBrowser();
    expect(await dance(browser, `${app.server.url}/auth/sso`, 'bob')).toBe('signed-in');
    const bob = asClient(browser);
    const id = (await bob.ok(`{ me { user { id } } }`)).me.user.id;
    await app.admin.ok(`mutation($i: DeleteUserInput!) { deleteUser(input: $i) }`, { i: { id, confirmation: 'DELETE' } });
    expect(await bob.code(`{ users { totalCount } }`)).toBe('UNAUTHENTICATED');
  });

  it('refuses to redeem an SSO invitation with a password: the provider must check the email', async () => {
    const url = await inviteSso('henry@example.com');
    const token = new URL(url).searchParams.get('invitation');
    const accept = `mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { user { id } } }`;
    const password = 'correct horse battery staple';
    expect(await app.client().code(accept, { i: { token, firstName: 'H', lastName: 'P', password, passwordConfirmation: password } })).toBe(
      'INVITATION_REQUIRES_SSO',
    );
    expect(await app.sql(`SELECT status, password_hash FROM users WHERE email = 'henry@example.com'`)).toEqual([
      { status: 'INVITED', password_hash: null },
    ]);
    // Through the provider it works, and the provider's names arrive without control or direction characters.
    const browser = new HttpBrowser();
    expect(await dance(browser, url, 'henry')).toBe('signed-in');
    expect(await app.sql(`SELECT first_name, last_name FROM users WHERE email = 'henry@example.com'`)).toEqual([
      { first_name: 'Henry', last_name: 'HostileName' },
    ]);
  });

  it('never signs in to an existing password account because the provider vouches for its email; the person links it, signed in', async () => {
    // Ada (the admin) has a password account; the provider has an account with her verified email.
    expect(await dance(new HttpBrowser(), `${app.server.url}/auth/sso`, 'ada')).toBe('error:SSO_LINK_REQUIRED');
    expect(await app.sql(`SELECT sso_subject FROM users WHERE email = 'admin@example.com'`)).toEqual([{ sso_subject: null }]);
    // Linking needs a session here...
    expect(await dance(new HttpBrowser(), `${app.server.url}/auth/sso?link=1`, 'ada')).toBe('error:UNAUTHENTICATED');
    const signedIn = () => {
      const b = new HttpBrowser();
      for (const [k, v] of app.admin.cookies) b.setCookie(app.server.url, k, v);
      return b;
    };
    // ...and the provider's email must be the account's own.
    expect(await dance(signedIn(), `${app.server.url}/auth/sso?link=1`, 'mallory')).toBe('error:SSO_EMAIL_MISMATCH');
    expect(await dance(signedIn(), `${app.server.url}/auth/sso?link=1`, 'ada')).toBe('signed-in');
    expect(await app.sql(`SELECT sso_subject FROM users WHERE email = 'admin@example.com'`)).toEqual([
      { sso_subject: `${idp.issuer}|ada` },
    ]);
    expect(
      await app.sql(`SELECT 1 FROM audit_events WHERE action = 'user.sso_linked' AND target_email = 'admin@example.com'`),
    ).toHaveLength(1);
    // From now on SSO signs Ada in.
    const browser = new HttpBrowser();
    expect(await dance(browser, `${app.server.url}/auth/sso`, 'ada')).toBe('signed-in');
    expect((await asClient(browser).ok(`{ me { user { email } } }`)).me.user.email).toBe('admin@example.com');
  });

  it('counts returns from the provider by outcome in the metrics', async () => {
    const outcomes = async () => {
      const res = await fetch(`${app.server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      const counts: Record<string, number> = {};
      for (const [, outcome, n] of (await res.text()).matchAll(/^roster_sso_sign_ins_total\{outcome="(\w+)"\} (\d+)$/gm)) {
        counts[outcome] = Number(n);
      }
      return counts;
    };
    const before = await outcomes();
    expect(await dance(new HttpBrowser(), `${app.server.url}/auth/sso`, 'ada')).toBe('signed-in');
    expect(await dance(new HttpBrowser(), `${app.server.url}/auth/sso`, 'eve')).toBe('error:SSO_NOT_INVITED');
    expect(await dance(new HttpBrowser(), `${app.server.url}/auth/sso`, 'eve', { abort: true })).toBe('error:SSO_DENIED');
    const forged = await app.client().fetch('/auth/sso/callback?code=forged&state=forged');
    expect(forged.headers.get('location')).toBe('/sso-error?code=SSO_FAILED');
    const after = await outcomes();
    const added = Object.fromEntries(
      Object.entries(after)
        .map(([outcome, n]) => [outcome, n - (before[outcome] ?? 0)])
        .filter(([, n]) => n),
    );
    expect(added).toEqual({ success: 1, refused: 1, denied: 1, failure: 1 });
  });

  it('shows the error page, not a server error, when the provider cannot be reached; invitation tokens stay out of the log', async () => {
    // A provider that accepts connections and never answers: discovery gives up after its timeout.
    const silent = createServer(() => undefined);
    await new Promise<void>((ok) => silent.listen(0, '127.0.0.1', ok));
    const port = (silent.address() as AddressInfo).port;
    const down = await startApp('sso-down', {
      OIDC_ISSUER: `http://127.0.0.1:${port}`,
      OIDC_CLIENT_ID: 'x',
      OIDC_CLIENT_SECRET: 'y',
      LOG_LEVEL: 'info',
    });
    try {
      const started = Date.now();
      const r = await down.client().fetch('/auth/sso');
      expect(r.status).toBe(303);
      expect(r.headers.get('location')).toBe('/sso-error?code=SSO_UNAVAILABLE');
      expect(Date.now() - started).toBeLessThan(8000);
      const secret = 'invitation-token-that-must-not-be-logged';
      expect((await down.client().fetch(`/auth/sso?invitation=${secret}`)).headers.get('location')).toBe(
        '/sso-error?code=INVITATION_INVALID',
      );
      await new Promise((ok) => setTimeout(ok, 200));
      expect(down.server.output()).toContain('invitation=[REDACTED]');
      expect(down.server.output()).not.toContain(secret);
    } finally {
      await down.close();
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('ends a sign-in whose provider holds the token request or answers without end, reading a bounded answer, and keeps serving', async () => {
    // A provider whose discovery is sound and whose token and user-info endpoints misbehave as the test says.
    let mode: 'silent' | 'endless token' | 'endless user info' = 'silent';
    let nonce = '';
    /** Bytes the provider managed to send into the server's endless answers. */
    let sent = 0;
    const endless = (res: ServerResponse) => {
      res.setHeader('content-type', 'application/json');
      const chunk = Buffer.alloc(65_536, 'x');
      const more = () => {
        while (!res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
      };
      res.write('{"a":"');
      more();
    };
    const provider = createServer((req, res) => {
      const path = new URL(req.url ?? '/', issuer).pathname;
      if (path === '/.well-known/openid-configuration') {
        res.setHeader('content-type', 'application/json');
        return res.end(
          JSON.stringify({
            issuer,
            authorization_endpoint: `${issuer}/authorize`,
            token_endpoint: `${issuer}/token`,
            userinfo_endpoint: `${issuer}/userinfo`,
            jwks_uri: `${issuer}/jwks`,
            response_types_supported: ['code'],
            subject_types_supported: ['public'],
            id_token_signing_alg_values_supported: ['RS256'],
          }),
        );
      }
      if (path === '/token' && mode === 'silent') return; // never answers
      if (path === '/token' && mode === 'endless token') return endless(res);
      if (path === '/token') {
        const now = Math.floor(Date.now() / 1000);
        const claims = { iss: issuer, sub: 'someone', aud: 'bounded', exp: now + 300, iat: now, nonce, email: 'someone@example.com' };
        const idToken =
          [{ alg: 'RS256' }, claims].map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.') + '.c2ln';
        res.setHeader('content-type', 'application/json');
        return res.end(JSON.stringify({ access_token: 'at', token_type: 'Bearer', id_token: idToken }));
      }
      if (path === '/userinfo') return endless(res);
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((ok) => provider.listen(0, '127.0.0.1', ok));
    const issuer = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
    const bounded = await startApp('sso-bounded', { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: 'bounded', OIDC_CLIENT_SECRET: 'y' });
    /** A sign-in to the provider's authorization page, then back with a code: where it ends, and in how long. */
    const signIn = async () => {
      const browser = new HttpBrowser();
      const authorize = new URL((await browser.go(`${bounded.server.url}/auth/sso`, {}, (u) => u.startsWith(issuer))).url);
      nonce = authorize.searchParams.get('nonce') ?? '';
      const state = encodeURIComponent(authorize.searchParams.get('state') ?? '');
      const started = Date.now();
      const end = await browser.go(`${bounded.server.url}/auth/sso/callback?code=c&state=${state}`, {}, (u) => !u.includes('/auth/sso'));
      return { end: end.url.replace(bounded.server.url, ''), ms: Date.now() - started };
    };
    try {
      const silent = await signIn();
      expect(silent.end).toBe('/sso-error?code=SSO_FAILED');
      expect(silent.ms).toBeGreaterThanOrEqual(4_500);
      expect(silent.ms).toBeLessThan(9_000);
      for (const endlessly of ['endless token', 'endless user info'] as const) {
        mode = endlessly;
        sent = 0;
        const r = await signIn();
        expect({ endlessly, end: r.end }).toEqual({ endlessly, end: '/sso-error?code=SSO_FAILED' });
        expect(r.ms).toBeLessThan(5_000);
        // Read up to its bound (1 MB), then the connection is cut: the provider could not send much more.
        expect(sent).toBeGreaterThan(1_000_000);
        expect(sent).toBeLessThan(16_000_000);
      }
      expect((await bounded.client().fetch('/readyz')).status).toBe(200);
      expect(bounded.server.output()).not.toMatch(/heap out of memory|failed to start/i);
    } finally {
      await bounded.close();
      provider.closeAllConnections();
      provider.close();
    }
  });

  it('works in a real browser: invitation URL → provider → back in the console', async () => {
    const url = await inviteSso('grace@example.com');
    const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      await page.goto(url);
      await page.locator('input[name="login"]').fill('grace');
      await page.locator('input[name="password"]').fill('anything');
      await page.locator('button[type="submit"]').click();
      await page.locator('button[type="submit"]').click(); // consent
      await page.waitForURL((u) => u.pathname === '/users', { timeout: 20_000 });
      const me = await page.evaluate(async () => {
        const csrf = decodeURIComponent(/roster_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '');
        const r = await fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
          body: JSON.stringify({ query: '{ me { user { email status } } }' }),
        });
        return r.json();
      });
      expect(me.data.me.user).toEqual({ email: 'grace@example.com', status: 'ACTIVE' });
    } finally {
      await browser.close();
    }
  });
});

/** Single sign-on per organization: two organizations, each with its own provider, and identity-first sign-in. */
describe('single sign-on per organization', () => {
  let app: TestApp;
  let idpA: TestOidcProvider;
  let idpB: TestOidcProvider;
  let orgA: { id: string; slug: string };
  let orgB: { id: string; slug: string };
  let bossB: Client;
  let viewer: { client: Client };
  let rolesB: Record<string, string>;
  const accountsA: Record<string, TestAccount> = { al: { email: 'al@acme.test', givenName: 'Al', familyName: 'Acme' } };
  const accountsB: Record<string, TestAccount> = {
    bea: { email: 'bea@beta.test', givenName: 'Bea', familyName: 'Beta' },
    stranger: { email: 'stranger@elsewhere.test' },
    al: { email: 'al@acme.test' },
    nina: { email: 'nina@example.org', givenName: 'Nina', familyName: 'Guest' },
    mimic: { email: 'boss@beta.test' },
  };
  const SET = `mutation($i: SetSsoConnectionInput!) { setSsoConnection(input: $i) { issuer clientId hasSecret fromEnv label defaultRoleId requireSso } }`;
  const METHOD = `query($e: String!) { signInMethod(email: $e) { method ssoUrl ssoLabel } }`;

  beforeAll(async () => {
    const appPort = await freePort();
    idpA = await startOidcProvider(await freePort(), `http://127.0.0.1:${appPort}`, accountsA);
    idpB = await startOidcProvider(await freePort(), `http://127.0.0.1:${appPort}`, accountsB);
    // The providers are on loopback: an organization's own connection reaches them only with the switch.
    app = await startApp('sso-orgs', { ALLOW_PRIVATE_TARGETS: 'true' }, appPort);
    [orgA] = await app.sql<{ id: string; slug: string }>(`SELECT id, slug FROM organizations ORDER BY created_at, id LIMIT 1`);
    const made = await app.admin.ok(
      `mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id slug } invitation { url } } }`,
      { i: { name: 'Beta', slug: 'beta', firstAdminEmail: 'boss@beta.test' } },
    );
    orgB = made.createOrganization.organization;
    bossB = app.client();
    await bossB.ok(`mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { user { id } } }`, {
      i: {
        token: new URL(made.createOrganization.invitation.url).searchParams.get('token'),
        firstName: 'Boss',
        lastName: 'Beta',
        password: STRONG_PASSWORD,
        passwordConfirmation: STRONG_PASSWORD,
      },
    });
    const rows = await app.sql<{ key: string; id: string }>(`SELECT key, id FROM roles WHERE organization_id = $1`, [orgB.id]);
    rolesB = Object.fromEntries(rows.map((r) => [r.key, r.id]));
    // Before A has a connection (its invitations then go through its provider).
    viewer = await app.register('viewer-sso@example.com', 'VIEWER');
  });
  afterAll(async () => {
    await app?.close();
    await idpA?.stop();
    await idpB?.stop();
  });

  const dance = (browser: HttpBrowser, start: string, login: string) => ssoDance(browser, start, login);
  const asClient = (browser: HttpBrowser) => sessionOf(app, browser);

  const inB = (c: Client) => new OrgClient(c, orgB.slug);
  const inA = (c: Client) => new OrgClient(c, orgA.slug);

  it('seals the client secret and never returns it; refuses bad input, changing nothing', async () => {
    const input = { issuer: idpA.issuer, clientId: idpA.clientId, clientSecret: idpA.clientSecret, label: 'Acme ID', requireSso: false };
    expect(await app.admin.code(SET, { i: { ...input, defaultRoleId: app.roles['ADMIN'] } })).toBe('BAD_USER_INPUT');
    expect(await app.admin.code(SET, { i: { ...input, issuer: 'ftp://idp.example.com', defaultRoleId: app.roles['MEMBER'] } })).toBe(
      'BAD_USER_INPUT',
    );
    expect(await app.admin.code(SET, { i: { ...input, issuer: 'http://idp.example.com', defaultRoleId: app.roles['MEMBER'] } })).toBe(
      'BAD_USER_INPUT',
    );
    expect(await app.admin.code(SET, { i: { ...input, label: 'x\u0000', defaultRoleId: app.roles['MEMBER'] } })).toBe('BAD_USER_INPUT');
    expect(await app.admin.code(SET, { i: { ...input, clientSecret: null, defaultRoleId: app.roles['MEMBER'] } })).toBe('BAD_USER_INPUT');
    // Another organization's role is not one of this organization's.
    expect(await app.admin.code(SET, { i: { ...input, defaultRoleId: rolesB['MEMBER'] } })).toBe('NOT_FOUND');
    // Requiring SSO needs a session that came through this provider.
    expect(await app.admin.code(SET, { i: { ...input, requireSso: true, defaultRoleId: app.roles['MEMBER'] } })).toBe('FORBIDDEN');
    expect(await app.sql(`SELECT 1 FROM sso_connections`)).toEqual([]);

    const set = await app.admin.ok(SET, { i: { ...input, defaultRoleId: app.roles['MEMBER'] } });
    expect(set.setSsoConnection).toEqual({
      issuer: idpA.issuer,
      clientId: idpA.clientId,
      hasSecret: true,
      fromEnv: false,
      label: 'Acme ID',
      defaultRoleId: app.roles['MEMBER'],
      requireSso: false,
    });
    const [row] = await app.sql<{ client_secret_sealed: string }>(
      `SELECT client_secret_sealed FROM sso_connections WHERE organization_id = $1`,
      [orgA.id],
    );
    expect(row.client_secret_sealed).toMatch(/^v1:/);
    expect(row.client_secret_sealed).not.toContain(idpA.clientSecret);
    expect(await app.admin.code(`{ ssoConnection { clientSecret } }`)).toBe('GRAPHQL_VALIDATION_FAILED');
    const read = await app.admin.gql(`{ ssoConnection { issuer hasSecret } }`);
    expect(JSON.stringify(read)).not.toContain(idpA.clientSecret);
    // Saved again without a secret: the sealed one stays.
    await app.admin.ok(SET, { i: { ...input, clientSecret: undefined, label: 'Acme', defaultRoleId: app.roles['MEMBER'] } });
    expect((await app.sql(`SELECT client_secret_sealed FROM sso_connections WHERE organization_id = $1`, [orgA.id]))[0]).toEqual(row);
  });

  it("shows B's admin only B's connection; A's people without sso:manage are refused", async () => {
    expect((await inB(bossB).ok(`{ ssoConnection { issuer } }`)).ssoConnection).toBeNull();
    expect(await inA(bossB).code(`{ ssoConnection { issuer } }`)).toBe('FORBIDDEN');
    const set = await inB(bossB).ok(SET, {
      i: {
        issuer: idpB.issuer,
        clientId: idpB.clientId,
        clientSecret: idpB.clientSecret,
        label: 'Beta SSO',
        defaultRoleId: rolesB['MEMBER'],
        requireSso: false,
      },
    });
    expect(set.setSsoConnection.issuer).toBe(idpB.issuer);
    expect((await app.admin.ok(`{ ssoConnection { issuer label } }`)).ssoConnection).toEqual({ issuer: idpA.issuer, label: 'Acme' });
    expect(await viewer.client.code(`{ ssoConnection { issuer } }`)).toBe('FORBIDDEN');
    expect(await viewer.client.code(`mutation { deleteSsoConnection }`)).toBe('FORBIDDEN');
  });

  it('tests a connection: discovery for this issuer and its signing keys, or why not', async () => {
    const TEST = `mutation($i: TestSsoConnectionInput!) { testSsoConnection(input: $i) { ok message } }`;
    expect((await app.admin.ok(TEST, { i: { issuer: idpA.issuer } })).testSsoConnection.ok).toBe(true);
    const down = (await app.admin.ok(TEST, { i: { issuer: `http://127.0.0.1:${await freePort()}` } })).testSsoConnection;
    expect(down).toEqual({ ok: false, message: expect.stringMatching(/cannot be reached/) });
    const other = (await app.admin.ok(TEST, { i: { issuer: `${idpA.issuer}/other` } })).testSsoConnection;
    expect(other.ok).toBe(false);
    expect(await app.admin.code(TEST, { i: { issuer: 'javascript:alert(1)' } })).toBe('BAD_USER_INPUT');
  });

  it('lets operators alone give organizations domains; a domain has one owner', async () => {
    const DOMAINS = `mutation($o: ID!, $d: [String!]!) { setOrganizationDomains(id: $o, domains: $d) }`;
    expect((await app.admin.ok(DOMAINS, { o: orgA.id, d: ['Acme.TEST', 'acme.test'] })).setOrganizationDomains).toEqual(['acme.test']);
    expect(await app.admin.code(DOMAINS, { o: orgB.id, d: ['beta.test', 'acme.test'] })).toBe('DOMAIN_TAKEN');
    expect(await app.sql(`SELECT domain FROM organization_domains WHERE organization_id = $1`, [orgB.id])).toEqual([]);
    expect(await app.admin.code(DOMAINS, { o: orgB.id, d: ['not a domain'] })).toBe('BAD_USER_INPUT');
    expect(await inB(bossB).code(DOMAINS, { o: orgB.id, d: ['beta.test'] })).toBe('FORBIDDEN');
    expect((await app.admin.ok(DOMAINS, { o: orgB.id, d: ['beta.test'] })).setOrganizationDomains).toEqual(['beta.test']);
    expect((await app.admin.ok(`{ organizations(first: 10) { organizations { slug domains } } }`)).organizations.organizations).toEqual(
      expect.arrayContaining([{ slug: orgB.slug, domains: ['beta.test'] }]),
    );
  });

  it("answers the sign-in page by the email's domain alone", async () => {
    const a = (await app.client().ok(METHOD, { e: 'al@ACME.test' })).signInMethod;
    expect(a).toEqual({ method: 'SSO', ssoUrl: `${app.server.url}/auth/sso?organization=${orgA.slug}`, ssoLabel: 'Acme' });
    // A person who exists and one who does not: the same answer.
    expect((await app.client().ok(METHOD, { e: 'boss@beta.test' })).signInMethod).toEqual(
      (await app.client().ok(METHOD, { e: 'nobody@beta.test' })).signInMethod,
    );
    expect((await app.client().ok(METHOD, { e: 'admin@example.com' })).signInMethod).toEqual({
      method: 'PASSWORD',
      ssoUrl: null,
      ssoLabel: null,
    });
    expect(await app.client().code(METHOD, { e: 'not an email' })).toBe('BAD_USER_INPUT');
  });

  it("signs people in through their organization's provider, into that organization; a domain of it signs up with the default role", async () => {
    const url = (await app.client().ok(METHOD, { e: 'bea@beta.test' })).signInMethod.ssoUrl;
    const browser = new HttpBrowser();
    expect(await dance(browser, url, 'bea')).toBe('signed-in');
    expect(browser.visited.some((v) => v.includes(idpB.issuer))).toBe(true);
    expect(browser.visited.some((v) => v.includes(idpA.issuer))).toBe(false);
    const me = await asClient(browser).ok(`{ me { user { email role { key } } organization { slug } organizations { slug } } }`);
    expect(me.me).toEqual({
      user: { email: 'bea@beta.test', role: { key: 'MEMBER' } },
      organization: { slug: orgB.slug },
      organizations: [{ slug: orgB.slug }],
    });
    // Not of one of B's domains: not invited; B's provider does not sign anyone in to A.
    expect(await dance(new HttpBrowser(), url, 'stranger')).toBe('error:SSO_NOT_INVITED');
    expect(await dance(new HttpBrowser(), url, 'al')).toBe('error:SSO_NOT_INVITED');
    expect(await app.sql(`SELECT 1 FROM users WHERE email IN ('stranger@elsewhere.test', 'al@acme.test')`)).toEqual([]);
    // A's provider, A's domain: into A.
    const al = new HttpBrowser();
    expect(await dance(al, `${app.server.url}/auth/sso?organization=${orgA.slug}`, 'al')).toBe('signed-in');
    expect((await asClient(al).ok(`{ me { organization { slug } } }`)).me.organization.slug).toBe(orgA.slug);
    // An organization without a connection, or none by that slug.
    expect(await dance(new HttpBrowser(), `${app.server.url}/auth/sso?organization=nowhere`, 'al')).toBe('error:SSO_NOT_CONFIGURED');
    expect(await dance(new HttpBrowser(), `${app.server.url}/auth/sso`, 'al')).toBe('error:SSO_NOT_CONFIGURED');
  });

  const INVITE = `mutation($i: CreateInvitationInput!) { createInvitation(input: $i) { url urlKind user { email status firstName } } }`;
  const ACCEPT = `mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { user { id } organization { slug } } }`;

  it("sends an invitation into B through B's provider, not A's (the first one configured)", async () => {
    const made = (await inB(bossB).ok(INVITE, { i: { email: 'nina@example.org', roleId: rolesB['VIEWER'], teamIds: [] } }))
      .createInvitation;
    expect(made.urlKind).toBe('SSO');
    expect(made.url).toMatch(new RegExp(`^${app.server.url}/auth/sso\\?invitation=[^&]+$`));
    // B accepts its invitations at its provider: not with a password.
    const token = new URL(made.url).searchParams.get('invitation');
    const password = { firstName: 'N', lastName: 'G', password: STRONG_PASSWORD, passwordConfirmation: STRONG_PASSWORD };
    expect(await app.client().code(ACCEPT, { i: { token, ...password } })).toBe('INVITATION_REQUIRES_SSO');
    const browser = new HttpBrowser();
    expect(await dance(browser, made.url, 'nina')).toBe('signed-in');
    expect(browser.visited.some((v) => v.includes(idpB.issuer))).toBe(true);
    expect(browser.visited.some((v) => v.includes(idpA.issuer))).toBe(false);
    const me = await asClient(browser).ok(`{ me { user { email firstName role { key } } organization { slug } organizations { slug } } }`);
    expect(me.me).toEqual({
      user: { email: 'nina@example.org', firstName: 'Nina', role: { key: 'VIEWER' } },
      organization: { slug: orgB.slug },
      organizations: [{ slug: orgB.slug }],
    });
    expect(
      await app.sql(
        `SELECT i.organization_id, i.issuer, i.subject FROM sso_identities i JOIN users u ON u.id = i.user_id WHERE u.email = $1`,
        ['nina@example.org'],
      ),
    ).toEqual([{ organization_id: orgB.id, issuer: idpB.issuer, subject: 'nina' }]);
  });

  it("sends a person of A invited into B to B's invitation page to sign in and accept: one person, a membership in B", async () => {
    const [al] = await app.sql<{ id: string }>(`SELECT id FROM users WHERE email = 'al@acme.test'`);
    const made = (await inB(bossB).ok(INVITE, { i: { email: 'al@acme.test', roleId: rolesB['VIEWER'], teamIds: [] } })).createInvitation;
    // B's admin gets what any new email gets: nothing says the email has an account elsewhere.
    const fresh = (await inB(bossB).ok(INVITE, { i: { email: 'newcomer@example.org', roleId: rolesB['VIEWER'], teamIds: [] } }))
      .createInvitation;
    const shape = (r: Json) => ({ ...r, url: r.url.replace(/invitation=[^&]+$/, 'invitation=…'), user: { ...r.user, email: '…' } });
    expect(shape(made)).toEqual(shape(fresh));
    expect(made.user).toEqual({ email: 'al@acme.test', status: 'INVITED', firstName: '' });

    // Opening it goes to the invitation's page, not to a provider: an account is not signed up again.
    const token = new URL(made.url).searchParams.get('invitation') as string;
    const browser = new HttpBrowser();
    const page = await browser.go(made.url, {}, (u) => new URL(u).pathname === '/register');
    expect(page.url).toBe(`${app.server.url}/register?token=${encodeURIComponent(token)}`);
    expect(browser.visited.some((v) => v.includes(idpA.issuer) || v.includes(idpB.issuer))).toBe(false);
    // The page (the token's holder) is told to sign in.
    const preview = await app.client().ok(`query($t: String!) { invitation(token: $t) { email existingAccount } }`, { t: token });
    expect(preview.invitation).toEqual({ email: 'al@acme.test', existingAccount: true });

    // Al signs in the way he does (A's provider), then accepts with the token alone.
    const signedIn = new HttpBrowser();
    expect(await dance(signedIn, `${app.server.url}/auth/sso?organization=${orgA.slug}`, 'al')).toBe('signed-in');
    const accepted = await asClient(signedIn).ok(ACCEPT, { i: { token } });
    expect(accepted.acceptInvitation).toEqual({ user: { id: al.id }, organization: { slug: orgB.slug } });
    expect(await app.sql(`SELECT id FROM users WHERE email = 'al@acme.test'`)).toEqual([{ id: al.id }]);
    expect(
      await app.sql(
        `SELECT o.slug, m.status, r.key FROM memberships m JOIN organizations o ON o.id = m.organization_id
           JOIN roles r ON r.id = m.role_id WHERE m.user_id = $1 ORDER BY o.slug`,
        [al.id],
      ),
    ).toEqual(
      [
        { slug: orgA.slug, status: 'ACTIVE', key: 'MEMBER' },
        { slug: orgB.slug, status: 'ACTIVE', key: 'VIEWER' },
      ].sort((x, y) => x.slug.localeCompare(y.slug)),
    );
    // His provider account stays A's; the link is used once.
    expect(await app.sql(`SELECT organization_id, issuer FROM sso_identities WHERE user_id = $1`, [al.id])).toEqual([
      { organization_id: orgA.id, issuer: idpA.issuer },
    ]);
    expect((await browser.go(made.url, {}, (u) => new URL(u).pathname === '/sso-error')).url).toMatch(/code=INVITATION_INVALID$/);
  });

  it("finds a returning person by B's issuer and subject when the provider changes the email; never another's account", async () => {
    const [nina] = await app.sql<{ id: string }>(`SELECT id FROM users WHERE email = 'nina@example.org'`);
    const people = async () => (await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM users`))[0].n;
    const before = await people();
    const signIn = async (login: string) => {
      const browser = new HttpBrowser();
      const outcome = await dance(browser, `${app.server.url}/auth/sso?organization=${orgB.slug}`, login);
      return outcome === 'signed-in' ? (await asClient(browser).ok(`{ me { user { id email } } }`)).me.user : outcome;
    };
    try {
      // A new email of one of B's domains (which would sign a newcomer up): still Nina, nobody new.
      idpB.setAccounts({ ...accountsB, nina: { ...accountsB['nina'], email: 'nina.guest@beta.test' } });
      expect(await signIn('nina')).toEqual({ id: nina.id, email: 'nina@example.org' });
      // Another person's email (Bea's), even unverified: still Nina, and Bea's account is not touched.
      idpB.setAccounts({ ...accountsB, nina: { ...accountsB['nina'], email: 'bea@beta.test', emailVerified: false } });
      expect(await signIn('nina')).toEqual({ id: nina.id, email: 'nina@example.org' });
      expect(await people()).toBe(before);
      // A provider account linked to nobody, with the email of B's password admin: not signed in as them.
      expect(await signIn('mimic')).toBe('error:SSO_LINK_REQUIRED');
      expect(
        await app.sql(
          `SELECT 1 FROM sso_identities i JOIN users u ON u.id = i.user_id WHERE u.email = 'boss@beta.test' OR i.subject = 'mimic'`,
        ),
      ).toEqual([]);
    } finally {
      idpB.setAccounts(accountsB);
    }
  });

  it('requires SSO: password sessions no longer enter the organization; sessions through its provider do', async () => {
    const [bea] = await app.sql<{ id: string }>(`SELECT id FROM users WHERE email = 'bea@beta.test'`);
    await app.sql(`UPDATE memberships SET role_id = $1 WHERE organization_id = $2 AND user_id = $3`, [rolesB['ADMIN'], orgB.id, bea.id]);
    const browser = new HttpBrowser();
    expect(await dance(browser, `${app.server.url}/auth/sso?organization=${orgB.slug}`, 'bea')).toBe('signed-in');
    const beaB = inB(asClient(browser));
    const input = { issuer: idpB.issuer, clientId: idpB.clientId, label: 'Beta SSO', defaultRoleId: rolesB['MEMBER'], requireSso: true };
    // Not through this provider: the password session of B's first admin may not require it.
    expect(await inB(bossB).code(SET, { i: input })).toBe('FORBIDDEN');
    expect((await beaB.ok(SET, { i: input })).setSsoConnection.requireSso).toBe(true);
    // B's password session: refused in B (as a non-member is), the same answer as for an unknown organization.
    expect(await inB(bossB).code(`{ me { user { id } } }`)).toBe('FORBIDDEN');
    expect(await new OrgClient(bossB, 'no-such-org').code(`{ me { user { id } } }`)).toBe('FORBIDDEN');
    expect((await bossB.ok(`{ me { organization { slug } } }`)).me.organization).toBeNull();
    // Through B's provider: in.
    expect((await beaB.ok(`{ me { organization { slug } } }`)).me.organization.slug).toBe(orgB.slug);
    // A is untouched: its admin's password session still acts there.
    expect((await inA(app.admin).ok(`{ me { organization { slug } } }`)).me.organization.slug).toBe(orgA.slug);
    // Turned off again, the password session enters.
    await beaB.ok(SET, { i: { ...input, requireSso: false } });
    await new Promise((r) => setTimeout(r, 300));
    expect((await inB(bossB).ok(`{ me { organization { slug } } }`)).me.organization.slug).toBe(orgB.slug);
  });

  it("requires SSO with Roster's code after the provider: the session after the code enters the organization", async () => {
    const browser = new HttpBrowser();
    expect(await dance(browser, `${app.server.url}/auth/sso?organization=${orgB.slug}`, 'bea')).toBe('signed-in');
    const beaB = inB(asClient(browser));
    const secret = (await beaB.ok(`mutation { startTwoFactorSetup { secret } }`)).startTwoFactorSetup.secret as string;
    await beaB.ok(`mutation($c: String!) { completeTwoFactorSetup(input: { code: $c }) { recoveryCodes } }`, { c: authenticator(secret) });
    const POLICY = `mutation($i: SetTwoFactorPolicyInput!) { setTwoFactorPolicy(input: $i) { ssoMode } }`;
    const input = { issuer: idpB.issuer, clientId: idpB.clientId, label: 'Beta SSO', defaultRoleId: rolesB['MEMBER'] };
    await beaB.ok(SET, { i: { ...input, requireSso: true } });
    // The provider alone is not enough any more (her session that skipped the code ends).
    await beaB.ok(POLICY, { i: { requiredRoleIds: [], ssoMode: 'REQUIRE_TOTP' } });
    const outcome = await dance(new HttpBrowser(), `${app.server.url}/auth/sso?organization=${orgB.slug}`, 'bea');
    expect(outcome).toMatch(/^challenge:.{20,}/);
    const c = inB(app.client());
    await c.ok(`mutation($t: String!, $c: String!) { verifyTwoFactor(input: { challengeToken: $t, code: $c }) { user { email } } }`, {
      t: outcome.slice('challenge:'.length),
      c: authenticator(secret, Date.now() / 1000 + 30),
    });
    // The session after the code came through B's provider: B, which requires it, admits it.
    expect((await c.ok(`{ me { organization { slug } } }`)).me.organization.slug).toBe(orgB.slug);
    await c.ok(SET, { i: { ...input, requireSso: false } });
    await c.ok(POLICY, { i: { requiredRoleIds: [], ssoMode: 'TRUST_PROVIDER' } });
  });

  it("deletes B's connection: B's domain signs in with a password again; A's connection stays", async () => {
    const linked = `SELECT organization_id FROM sso_identities ORDER BY organization_id`;
    expect(new Set((await app.sql<{ organization_id: string }>(linked)).map((r) => r.organization_id))).toEqual(
      new Set([orgA.id, orgB.id]),
    );
    expect((await inB(bossB).ok(`mutation { deleteSsoConnection }`)).deleteSsoConnection).toBe(true);
    // The accounts linked through it go with it; A's stay.
    expect(new Set((await app.sql<{ organization_id: string }>(linked)).map((r) => r.organization_id))).toEqual(new Set([orgA.id]));
    expect((await inB(bossB).ok(`mutation { deleteSsoConnection }`)).deleteSsoConnection).toBe(false);
    expect((await app.client().ok(METHOD, { e: 'bea@beta.test' })).signInMethod.method).toBe('PASSWORD');
    expect(await dance(new HttpBrowser(), `${app.server.url}/auth/sso?organization=${orgB.slug}`, 'bea')).toBe('error:SSO_NOT_CONFIGURED');
    expect((await app.admin.ok(`{ ssoConnection { issuer } }`)).ssoConnection).toEqual({ issuer: idpA.issuer });
  });
});

const landedBack = (u: string) => ['/users', '/sso-error', '/sign-in'].includes(new URL(u).pathname);

/** Opens `start` and goes through the provider's forms as `login`: 'signed-in', 'error:<code>' or 'challenge:<id>'. */
async function ssoDance(browser: HttpBrowser, start: string, login: string): Promise<string> {
  let page = await browser.go(start, {}, landedBack);
  for (let i = 0; i < 3 && !landedBack(page.url); i++) {
    const html = await page.res.text();
    page = /name="login"/.test(html)
      ? await browser.submitForm(page.url, html, { login, password: 'anything' }, landedBack)
      : await browser.submitForm(page.url, html, {}, landedBack);
  }
  if (!landedBack(page.url)) throw new Error(`did not come back: ${browser.visited.join('\n')}`);
  const u = new URL(page.url);
  if (u.pathname === '/sign-in') return `challenge:${new URLSearchParams(u.hash.slice(1)).get('challenge')}`;
  return u.pathname === '/sso-error' ? `error:${u.searchParams.get('code')}` : 'signed-in';
}

/** The app session a browser got, as a GraphQL client. */
function sessionOf(app: TestApp, browser: HttpBrowser): Client {
  const c = app.client();
  for (const name of ['roster_session', 'roster_csrf']) {
    const v = browser.cookie(app.server.url, name);
    if (v) c.cookies.set(name, v);
  }
  return c;
}

/**
 * Without password sign-in, the OIDC_* connection (the first organization's) is the way in for every
 * organization without its own: an invitation made by another organization's admin goes through it.
 */
describe("an organization's provider under the outbound rule (ALLOW_PRIVATE_TARGETS off)", () => {
  let app: TestApp;
  // A provider on loopback that counts what reaches it, and answers a discovery document naming itself.
  let reached = 0;
  const provider = createServer((req, res) => {
    reached++;
    const base = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({ issuer: base, authorization_endpoint: `${base}/auth`, token_endpoint: `${base}/token`, jwks_uri: `${base}/jwks` }),
    );
  });
  let issuer: string;
  const TEST = `mutation($i: TestSsoConnectionInput!) { testSsoConnection(input: $i) { ok message } }`;

  beforeAll(async () => {
    await new Promise<void>((ok) => provider.listen(0, '127.0.0.1', ok));
    issuer = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
    app = await startApp('sso-outbound', { ALLOW_PRIVATE_TARGETS: 'false' });
  });
  afterAll(async () => {
    await app?.close();
    provider.closeAllConnections();
    provider.close();
  });

  it('tests no private, loopback or metadata address, and says so as for one that does not answer', async () => {
    for (const refused of [
      issuer,
      'https://127.0.0.1',
      'https://169.254.169.254',
      'https://[::ffff:a9fe:a9fe]',
      'https://10.0.0.1',
      'https://localhost',
    ]) {
      const answer = (await app.admin.ok(TEST, { i: { issuer: refused } })).testSsoConnection;
      expect({ refused, answer }).toEqual({
        refused,
        answer: { ok: false, message: 'The discovery document cannot be reached at a public https address.' },
      });
    }
    expect(reached).toBe(0);
  });

  it("tests the server's own OIDC_* provider wherever it is, as sign-in reaches it", async () => {
    const own = await startApp('sso-outbound-env', {
      ALLOW_PRIVATE_TARGETS: 'false',
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: 'roster',
      OIDC_CLIENT_SECRET: 'the-operators-secret',
    });
    try {
      const answer = (await own.admin.ok(TEST, { i: { issuer } })).testSsoConnection;
      // Reached: its keys are what it lacks, not its address.
      expect(answer).toEqual({ ok: false, message: 'The provider publishes no signing keys.' });
      expect(reached).toBe(2);
    } finally {
      await own.close();
      reached = 0;
    }
  });

  it('signs nobody in through a connection whose provider is on a private address: the provider hears nothing', async () => {
    const [org] = await app.sql<{ id: string; slug: string }>(`SELECT id, slug FROM organizations ORDER BY created_at, id LIMIT 1`);
    const [member] = await app.sql<{ id: string }>(`SELECT id FROM roles WHERE organization_id = $1 AND key = 'MEMBER'`, [org.id]);
    const saved = await app.admin.ok(`mutation($i: SetSsoConnectionInput!) { setSsoConnection(input: $i) { issuer } }`, {
      i: {
        issuer,
        clientId: 'roster',
        clientSecret: 'a-secret-of-the-provider',
        label: 'Internal',
        defaultRoleId: member.id,
        requireSso: false,
      },
    });
    expect(saved.setSsoConnection.issuer).toBe(issuer);
    const r = await app.client().fetch(`/auth/sso?organization=${org.slug}`);
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/sso-error?code=SSO_UNAVAILABLE');
    expect(reached).toBe(0);
  });
});

describe('single sign-on only (PASSWORD_SIGN_IN=false)', () => {
  let app: TestApp;
  let idp: TestOidcProvider;

  beforeAll(async () => {
    const appPort = await freePort();
    idp = await startOidcProvider(await freePort(), `http://127.0.0.1:${appPort}`, {
      bea: { email: 'bea@beta.test', givenName: 'Bea', familyName: 'Boss' },
      cy: { email: 'cy@beta.test', givenName: 'Cy', familyName: 'New' },
    });
    app = await startApp(
      'sso-only',
      { OIDC_ISSUER: idp.issuer, OIDC_CLIENT_ID: idp.clientId, OIDC_CLIENT_SECRET: idp.clientSecret, PASSWORD_SIGN_IN: 'false' },
      appPort,
    );
  });
  afterAll(async () => {
    await app?.close();
    await idp?.stop();
  });

  it("sends invitations into an organization without a connection through the server's provider, from its own admin too", async () => {
    const made = await app.admin.ok(
      `mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id slug } invitation { url } } }`,
      { i: { name: 'Beta', slug: 'beta', firstAdminEmail: 'bea@beta.test' } },
    );
    const { slug } = made.createOrganization.organization;
    expect(made.createOrganization.invitation.url).toMatch(/\/auth\/sso\?invitation=/);
    const browser = new HttpBrowser();
    expect(await ssoDance(browser, made.createOrganization.invitation.url, 'bea')).toBe('signed-in');
    const bea = new OrgClient(sessionOf(app, browser), slug);
    const [viewer] = await app.sql<{ id: string }>(`SELECT id FROM roles WHERE organization_id = $1 AND key = 'VIEWER'`, [
      made.createOrganization.organization.id,
    ]);
    // B's admin invites inside B (behind B's row-level security): still the server's provider, not a dead registration link.
    const invited = await bea.ok(`mutation($i: CreateInvitationInput!) { createInvitation(input: $i) { url urlKind } }`, {
      i: { email: 'cy@beta.test', roleId: viewer.id, teamIds: [] },
    });
    expect(invited.createInvitation.urlKind).toBe('SSO');
    const cy = new HttpBrowser();
    expect(await ssoDance(cy, invited.createInvitation.url, 'cy')).toBe('signed-in');
    expect((await sessionOf(app, cy).ok(`{ me { organization { slug } user { role { key } } } }`)).me).toEqual({
      organization: { slug },
      user: { role: { key: 'VIEWER' } },
    });
  });
});
