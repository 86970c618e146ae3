import type { AddressInfo } from 'node:net';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { startOidcProvider, TestAccount, TestOidcProvider } from '../../../tools/testing/oidc-provider';
import { freePort } from '../../../tools/testing/server';
import { HttpBrowser } from './support/browser';
import { Client } from './support/client';
import { startApp, STRONG_PASSWORD, TestApp } from './support/app';
import { authenticator } from './support/totp';

/**
 * How people an identity provider provisioned (SCIM) sign in (design note scim.md §8), over HTTP against
 * the built server, a real SMTP server and a real OpenID provider on loopback: "Forgot password?" for
 * someone with neither a password nor a single sign-on link, the reset page told it is their first
 * password, and the first single sign-on through the provisioning organization's connection linking
 * them by the provider's verified email — and nobody else.
 */
describe('sign-in of provisioned people', () => {
  let app: TestApp;
  let idp: TestOidcProvider;
  let smtp: SMTPServer;
  const mails: ParsedMail[] = [];
  let orgA: { id: string; slug: string };
  const EMAILS = [
    'pat@example.com',
    'sso-only@example.com',
    'pia@example.com',
    'paul@example.com',
    'una@example.com',
    'tom@example.com',
    'olga@example.com',
    'bert@example.com',
  ];
  const people: Record<string, { client: Client; userId: string }> = {};
  const accounts: Record<string, TestAccount> = {
    pia: { email: 'pia@example.com', givenName: 'Pia', familyName: 'Provisioned' },
    paul: { email: 'paul@example.com' },
    una: { email: 'una@example.com', emailVerified: false },
    tom: { email: 'tom@example.com' },
    olga: { email: 'olga@example.com' },
    bert: { email: 'bert@example.com' },
  };

  beforeAll(async () => {
    smtp = new SMTPServer({
      logger: false,
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, callback) {
        simpleParser(stream).then(
          (mail) => {
            mails.push(mail);
            callback();
          },
          (e: Error) => callback(e),
        );
      },
    });
    await new Promise<void>((ok) => smtp.listen(0, '127.0.0.1', ok));
    const appPort = await freePort();
    idp = await startOidcProvider(await freePort(), `http://127.0.0.1:${appPort}`, accounts);
    app = await startApp(
      'scim-signin',
      {
        SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}?tls=none`,
        SMTP_FROM: 'Roster <roster@example.test>',
        SMTP_POLL_SECONDS: '1',
        // The provider is on loopback: an organization's own connection reaches it only with the switch.
        ALLOW_PRIVATE_TARGETS: 'true',
      },
      appPort,
    );
    [orgA] = await app.sql<{ id: string; slug: string }>(`SELECT id, slug FROM organizations ORDER BY created_at, id LIMIT 1`);
    // Everyone registers with a password first (once A has a connection, its invitations go through it).
    for (const email of EMAILS) people[email] = await app.register(email, 'MEMBER');
    // A's own connection (not the OIDC_* one: OIDC_LINK_BY_EMAIL cannot apply to it).
    await app.admin.ok(`mutation($i: SetSsoConnectionInput!) { setSsoConnection(input: $i) { issuer } }`, {
      i: {
        issuer: idp.issuer,
        clientId: idp.clientId,
        clientSecret: idp.clientSecret,
        label: 'Acme ID',
        requireSso: false,
        defaultRoleId: app.roles['MEMBER'],
      },
    });
  });
  afterAll(async () => {
    await app?.close();
    await idp?.stop();
    await new Promise<void>((ok) => (smtp ? smtp.close(() => ok()) : ok()));
  });

  const REQUEST = `mutation($e: String!) { requestPasswordReset(email: $e) }`;
  const PREVIEW = `query($t: String!) { passwordReset(token: $t) { email expiresAt firstPassword } }`;
  const RESET = `mutation($i: ResetPasswordInput!) { resetPassword(input: $i) }`;
  const SIGN_IN = `mutation($e: String!, $p: String!) { signIn(input: { email: $e, password: $p }) { me { user { id } } } }`;
  const to = (m: ParsedMail) => (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address;
  const tokenIn = (m: ParsedMail) => new URL(/(http\S+token=[A-Za-z0-9_%-]+)/.exec(m.text ?? '')?.[1] as string).searchParams.get('token');

  /** Every person here was invited by email first: only the emails about passwords count. */
  const aboutPasswords = (address: string) => mails.filter((m) => to(m) === address && /password/i.test(m.subject ?? ''));

  async function mailFor(address: string): Promise<ParsedMail> {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const found = aboutPasswords(address)[0];
      if (found) return found;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no email for ${address}: ${JSON.stringify(await app.sql(`SELECT recipient, status, last_error FROM email_outbox`))}`);
  }

  /**
   * A member of the first organization (A), registered in `beforeAll`, then changed in this suite's
   * database only: without the password, and with `provisioned`, A's membership marked as SCIM's
   * (memberships.provisioned_at). SCIM's POST makes such people too (the last two tests go through it),
   * but the refusals need combinations it never makes (a provisioned person who kept a password, set up
   * two-factor, or is linked elsewhere): SQL is the one way to put each in place, and the same helper
   * keeps the first cases alike.
   */
  async function passwordless(email: string, options: { provisioned: boolean; keepPassword?: boolean }): Promise<string> {
    const { userId } = people[email];
    if (!options.keepPassword) await app.sql(`UPDATE users SET password_hash = NULL WHERE id = $1`, [userId]);
    if (options.provisioned) {
      await app.sql(`UPDATE memberships SET provisioned_at = now() WHERE organization_id = $1 AND user_id = $2`, [orgA.id, userId]);
    }
    return userId;
  }

  const landed = (u: string) => ['/users', '/sso-error', '/sign-in'].includes(new URL(u).pathname);

  /** A sign-in through A's connection as the provider's `login`: 'signed-in' or 'error:<code>'. */
  async function ssoSignIn(browser: HttpBrowser, login: string): Promise<string> {
    let page = await browser.go(`${app.server.url}/auth/sso?organization=${orgA.slug}`, {}, landed);
    for (let i = 0; i < 3 && !landed(page.url); i++) {
      const html = await page.res.text();
      page = /name="login"/.test(html)
        ? await browser.submitForm(page.url, html, { login, password: 'anything' }, landed)
        : await browser.submitForm(page.url, html, {}, landed);
    }
    if (!landed(page.url)) throw new Error(`did not come back: ${browser.visited.join('\n')}`);
    const u = new URL(page.url);
    return u.pathname === '/sso-error' ? `error:${u.searchParams.get('code')}` : u.pathname === '/users' ? 'signed-in' : u.pathname;
  }

  function sessionOf(browser: HttpBrowser): Client {
    const c = app.client();
    for (const name of ['roster_session', 'roster_csrf']) {
      const v = browser.cookie(app.server.url, name);
      if (v) c.cookies.set(name, v);
    }
    return c;
  }

  const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
  const CREATE_TOKEN = `mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { secret } }`;

  /** POST /scim/v2/Users as an identity provider creating a person (no password sent back, ever). */
  async function provision(token: string, email: string): Promise<{ status: number; id: string }> {
    const res = await app.client({ bearer: token }).fetch('/scim/v2/Users', {
      method: 'POST',
      headers: { 'content-type': 'application/scim+json' },
      body: JSON.stringify({
        schemas: [USER_SCHEMA],
        userName: email,
        name: { givenName: 'New', familyName: 'Comer' },
        emails: [{ value: email, type: 'work', primary: true }],
        active: true,
      }),
    });
    const body = (await res.json()) as { id: string };
    return { status: res.status, id: body.id };
  }

  const links = (userId: string) =>
    app.sql(
      `SELECT u.sso_subject, (SELECT count(*)::int FROM sso_identities i WHERE i.user_id = u.id) AS identities FROM users u WHERE u.id = $1`,
      [userId],
    );

  it('"Forgot password?" emails a person with neither password nor SSO link a link to choose their first password', async () => {
    const userId = await passwordless('pat@example.com', { provisioned: true });
    expect(await app.client().code(SIGN_IN, { e: 'pat@example.com', p: STRONG_PASSWORD })).toBe('INVALID_CREDENTIALS');
    expect((await app.client().ok(REQUEST, { e: 'Pat@Example.com' })).requestPasswordReset).toBe(true);
    const mail = await mailFor('pat@example.com');
    expect(mail.subject).toBe('Reset your Roster password');
    const token = tokenIn(mail);
    // The page is told this person has no password yet: it asks them to choose theirs.
    expect((await app.client().ok(PREVIEW, { t: token })).passwordReset).toMatchObject({ email: 'pat@example.com', firstPassword: true });
    const pw = 'my very first roster passphrase';
    await app.client().ok(RESET, { i: { token, password: pw, passwordConfirmation: pw } });
    expect((await new Client(app.server.url).ok(SIGN_IN, { e: 'pat@example.com', p: pw })).signIn.me.user.id).toBe(userId);
    // With a password now, an admin's link is an ordinary reset.
    const url = (await app.admin.ok(`mutation($u: ID!) { createPasswordReset(userId: $u) { url } }`, { u: userId })).createPasswordReset
      .url;
    const again = new URL(url).searchParams.get('token');
    expect((await app.client().ok(PREVIEW, { t: again })).passwordReset.firstPassword).toBe(false);
    const requested = await app.sql(`SELECT action FROM audit_events WHERE target_id = $1 AND action LIKE 'user.password_reset%'`, [
      userId,
    ]);
    expect(requested.map((e) => e.action)).toEqual(expect.arrayContaining(['user.password_reset_requested', 'user.password_reset']));
  });

  it('answers exactly as for an unknown email, and emails nobody, for an SSO-only account', async () => {
    const ssoOnly = await passwordless('sso-only@example.com', { provisioned: true });
    await app.sql(`UPDATE users SET sso_subject = 'https://idp.example|42' WHERE id = $1`, [ssoOnly]);
    const answers = await Promise.all(
      ['sso-only@example.com', 'nobody-here@example.com'].map(async (e) => {
        const res = await app.client().fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: REQUEST, variables: { e } }),
        });
        return { status: res.status, body: await res.text() };
      }),
    );
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0].status).toBe(200);
    expect(JSON.parse(answers[0].body).data).toEqual({ requestPasswordReset: true });
    // Whatever would have been sent is sent within a second or two (the outbox is polled every second).
    await new Promise((r) => setTimeout(r, 2500));
    expect([...aboutPasswords('sso-only@example.com'), ...aboutPasswords('nobody-here@example.com')]).toEqual([]);
    expect(await app.sql(`SELECT 1 FROM password_resets WHERE user_id = $1`, [ssoOnly])).toEqual([]);
  });

  it('links a provisioned person with no credential by the verified email on their first SSO sign-in, audited', async () => {
    const userId = await passwordless('pia@example.com', { provisioned: true });
    const browser = new HttpBrowser();
    expect(await ssoSignIn(browser, 'pia')).toBe('signed-in');
    expect((await sessionOf(browser).ok(`{ me { user { id } organization { slug } } }`)).me).toEqual({
      user: { id: userId },
      organization: { slug: orgA.slug },
    });
    expect(await links(userId)).toEqual([{ sso_subject: `${idp.issuer}|pia`, identities: 1 }]);
    const audit = await app.sql(
      `SELECT actor_id, organization_id, details FROM audit_events WHERE action = 'user.sso_linked' AND target_id = $1`,
      [userId],
    );
    expect(audit).toEqual([{ actor_id: null, organization_id: orgA.id, details: { issuer: idp.issuer, by: 'provisioning' } }]);
    // Next time the provider account finds them (no second link, no second event).
    expect(await ssoSignIn(new HttpBrowser(), 'pia')).toBe('signed-in');
    expect(await app.sql(`SELECT 1 FROM audit_events WHERE action = 'user.sso_linked' AND target_id = $1`, [userId])).toHaveLength(1);
    // Now an SSO-only account: "Forgot password?" sends them nothing.
    await app.client().ok(REQUEST, { e: 'pia@example.com' });
    await new Promise((r) => setTimeout(r, 2500));
    expect(aboutPasswords('pia@example.com')).toEqual([]);
  });

  it('never links by email a person who has a password, or whose provider email is not verified', async () => {
    const paul = await passwordless('paul@example.com', { provisioned: true, keepPassword: true });
    expect(await ssoSignIn(new HttpBrowser(), 'paul')).toBe('error:SSO_LINK_REQUIRED');
    const una = await passwordless('una@example.com', { provisioned: true });
    expect(await ssoSignIn(new HttpBrowser(), 'una')).toBe('error:SSO_EMAIL_NOT_VERIFIED');
    for (const id of [paul, una]) expect(await links(id)).toEqual([{ sso_subject: null, identities: 0 }]);
  });

  it('never links a person with two-factor authentication, or linked to another provider', async () => {
    // Two-factor set up while they had a password (then gone, in this database only).
    const { client, userId: tom } = people['tom@example.com'];
    const secret = (await client.ok(`mutation { startTwoFactorSetup { secret } }`)).startTwoFactorSetup.secret;
    await client.ok(`mutation($c: String!) { completeTwoFactorSetup(input: { code: $c }) { recoveryCodes } }`, {
      c: authenticator(secret),
    });
    await app.sql(`UPDATE users SET password_hash = NULL WHERE id = $1`, [tom]);
    await app.sql(`UPDATE memberships SET provisioned_at = now() WHERE organization_id = $1 AND user_id = $2`, [orgA.id, tom]);
    expect(await ssoSignIn(new HttpBrowser(), 'tom')).toBe('error:SSO_LINK_REQUIRED');
    expect(await links(tom)).toEqual([{ sso_subject: null, identities: 0 }]);

    const olga = await passwordless('olga@example.com', { provisioned: true });
    await app.sql(`UPDATE users SET sso_subject = 'https://other-idp.example|olga' WHERE id = $1`, [olga]);
    expect(await ssoSignIn(new HttpBrowser(), 'olga')).toBe('error:SSO_LINK_REQUIRED');
    expect(await links(olga)).toEqual([{ sso_subject: 'https://other-idp.example|olga', identities: 0 }]);
  });

  it("does not count another organization's provisioning, nor a membership made in the console", async () => {
    // Bert: a member of A made in the console, provisioned by B (set up in SQL: B has no SCIM here).
    const bert = await passwordless('bert@example.com', { provisioned: false });
    const [orgB] = await app.sql<{ id: string }>(`INSERT INTO organizations (name, slug) VALUES ('Beta', 'beta-signin') RETURNING id`);
    await app.sql(
      `INSERT INTO roles (organization_id, key, name, permissions, rank) SELECT $1, key, name, permissions, rank FROM roles WHERE organization_id = $2`,
      [orgB.id, orgA.id],
    );
    await app.sql(
      `INSERT INTO memberships (organization_id, user_id, role_id, status, provisioned_at)
       SELECT $1, $2, id, 'ACTIVE', now() FROM roles WHERE organization_id = $1 AND key = 'MEMBER'`,
      [orgB.id, bert],
    );
    expect(await ssoSignIn(new HttpBrowser(), 'bert')).toBe('error:SSO_LINK_REQUIRED');
    expect(await links(bert)).toEqual([{ sso_subject: null, identities: 0 }]);
    // Provisioned by A, but A deactivated them (B keeps them active): A's provider no longer vouches for them.
    await app.sql(`UPDATE memberships SET provisioned_at = now(), status = 'DEACTIVATED' WHERE organization_id = $1 AND user_id = $2`, [
      orgA.id,
      bert,
    ]);
    expect(await ssoSignIn(new HttpBrowser(), 'bert')).toBe('error:SSO_LINK_REQUIRED');
    expect(await links(bert)).toEqual([{ sso_subject: null, identities: 0 }]);
  });

  it('SCIM into an organization without a connection emails an account_ready link; the person chooses their password', async () => {
    const made = await app.admin.ok(
      `mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id slug } invitation { url } } }`,
      { i: { name: 'Beta & Co', slug: 'beta-scim', firstAdminEmail: 'boss@beta.test' } },
    );
    const boss = app.client();
    await boss.ok(`mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { user { id } } }`, {
      i: {
        token: new URL(made.createOrganization.invitation.url).searchParams.get('token'),
        firstName: 'Boss',
        lastName: 'Beta',
        password: STRONG_PASSWORD,
        passwordConfirmation: STRONG_PASSWORD,
      },
    });
    const token = (await boss.ok(CREATE_TOKEN, { i: { name: 'Okta' } })).createApiToken.secret;
    const madeAt = Date.now();
    const created = await provision(token, 'newbie@beta.test');
    expect(created.status).toBe(201);
    const mail = await mailFor('newbie@beta.test');
    expect(mail.subject).toBe('Your account in Beta & Co is ready: choose your password');
    expect(mail.text).toContain('An account in Beta & Co was made for you on Roster.');
    expect(mail.html).toContain('Beta &amp; Co');
    const link = tokenIn(mail);
    const preview = (await app.client().ok(PREVIEW, { t: link })).passwordReset;
    expect(preview).toMatchObject({ email: 'newbie@beta.test', firstPassword: true });
    // Valid as long as an invitation (INVITATION_TTL_HOURS, a week by default), not a day as a reset.
    const ttlHours = (new Date(preview.expiresAt).getTime() - madeAt) / 3_600_000;
    expect(ttlHours).toBeGreaterThan(167.9);
    expect(ttlHours).toBeLessThan(168.1);
    // The admin-made kind: the token's owner made it.
    expect(
      await app.sql(`SELECT self_service, created_by_id IS NOT NULL AS by_someone FROM password_resets WHERE user_id = $1`, [created.id]),
    ).toEqual([{ self_service: false, by_someone: true }]);
    const pw = 'provisioned and then chosen 2026';
    await app.client().ok(RESET, { i: { token: link, password: pw, passwordConfirmation: pw } });
    expect((await new Client(app.server.url).ok(SIGN_IN, { e: 'newbie@beta.test', p: pw })).signIn.me.user.id).toBe(created.id);
  });

  it("SCIM into an organization with a connection sends no link: the person's first sign-in through it links them", async () => {
    const token = (await app.admin.ok(CREATE_TOKEN, { i: { name: 'Entra ID' } })).createApiToken.secret;
    const created = await provision(token, 'neo@example.com');
    expect(created.status).toBe(201);
    expect(await app.sql(`SELECT 1 FROM password_resets WHERE user_id = $1`, [created.id])).toEqual([]);
    idp.setAccounts({ ...accounts, neo: { email: 'neo@example.com' } });
    try {
      const browser = new HttpBrowser();
      expect(await ssoSignIn(browser, 'neo')).toBe('signed-in');
      expect((await sessionOf(browser).ok(`{ me { user { id } organization { slug } } }`)).me).toEqual({
        user: { id: created.id },
        organization: { slug: orgA.slug },
      });
      expect(await links(created.id)).toEqual([{ sso_subject: `${idp.issuer}|neo`, identities: 1 }]);
    } finally {
      idp.setAccounts(accounts);
    }
    expect(aboutPasswords('neo@example.com')).toEqual([]);
  });
});
