import { mkdirSync } from 'node:fs';
import { Browser, expect, Page, test } from '@playwright/test';
import { RelyingParty } from './relying-party';
import { ADMIN, baseUrl, expectAccessible, newPage, registerThrough, signIn } from './support';

/** Where the screenshots of the authorization page go (looked at by people, not compared). */
const SHOTS = process.env['AUTHORIZE_SHOTS_DIR'] ?? '../../test-results/authorize-screens';
const MEMBER = { email: 'rp.member@example.com', firstName: 'Remy', lastName: 'Party', password: 'relying party 2026' };

let host: RelyingParty;
let partner: RelyingParty;
let adminPage: Page;

/** A GraphQL call from a signed-in page (its cookies and CSRF token); its data, read loosely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers of several shapes, checked by the assertions
async function gql(page: Page, query: string, variables: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const r = await page.evaluate(
    async ([q, v]) => {
      const csrf = decodeURIComponent(/roster_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '');
      const res = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify({ query: q, variables: v }),
      });
      return res.json();
    },
    [query, variables] as const,
  );
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data;
}

/** Registers an application for a relying party (as an admin would in the console) and points the RP at it. */
async function registerFor(rp: RelyingParty, name: string, firstParty: boolean): Promise<void> {
  const made = await gql(
    adminPage,
    `mutation($i: CreateOidcClientInput!) { createOidcClient(input: $i) { client { clientId } clientSecret } }`,
    {
      i: {
        name,
        redirectUris: [rp.redirectUri],
        postLogoutRedirectUris: [rp.postLogoutRedirectUri],
        backchannelLogoutUri: rp.backchannelLogoutUri,
        public: false,
        firstParty,
      },
    },
  );
  await rp.use(made.createOidcClient.client.clientId, made.createOidcClient.clientSecret);
}

/** A fresh browser of the member, signed in to Roster's console. */
async function memberBrowser(browser: Browser): Promise<Page> {
  const [, page] = await newPage(browser);
  await signIn(page, MEMBER.email, MEMBER.password);
  await expect(page).toHaveURL(/\/o\/[^/]+\/users/);
  return page;
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  mkdirSync(SHOTS, { recursive: true });
  [host, partner] = await Promise.all([RelyingParty.start(baseUrl()), RelyingParty.start(baseUrl())]);
  [, adminPage] = await newPage(browser);
  await signIn(adminPage, ADMIN.email, ADMIN.password);
  await expect(adminPage).toHaveURL(/\/o\/[^/]+\/users/);
  await registerFor(host, 'Host app', true);
  await registerFor(partner, 'Partner app', false);
  const [member] = (await gql(adminPage, `{ roles { id key } }`)).roles.filter((r: { key: string }) => r.key === 'MEMBER');
  const invited = await gql(adminPage, `mutation($i: CreateInvitationInput!) { createInvitation(input: $i) { url } }`, {
    i: { email: MEMBER.email, roleId: member.id, teamIds: [] },
  });
  const [context] = await registerThrough(browser, invited.createInvitation.url, MEMBER);
  await context.close();
});

test.afterAll(async () => {
  await Promise.all([host?.stop(), partner?.stop()]);
  await adminPage?.context().close();
});

test('a host application signs a person in through Roster’s sign-in page; its tokens verify against the JWKS', async ({ browser }) => {
  const [context, page] = await newPage(browser);
  await page.goto(`${host.url}/login`);
  // Not signed in to Roster: its sign-in page, which comes back to the application.
  await expect(page).toHaveURL(/\/sign-in\?returnTo=%2Foidc%2Finteraction%2F/);
  await page.getByLabel('Email').fill(MEMBER.email);
  await page.getByLabel('Password').fill(MEMBER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('rp-signed-in')).toHaveText(`Signed in as ${MEMBER.email}`);
  await expect(page.getByTestId('rp-organization')).toHaveText('default');
  await expect(page.getByTestId('rp-role')).toHaveText('MEMBER');
  const signedIn = host.signIns.at(-1);
  expect(signedIn?.idToken).toMatchObject({ iss: baseUrl(), email: MEMBER.email, given_name: MEMBER.firstName, org_slug: 'default' });
  expect(signedIn?.accessToken).toMatchObject({ iss: baseUrl(), aud: baseUrl(), role: 'MEMBER', org_slug: 'default' });
  expect(signedIn?.refreshToken).toBeTruthy();
  // Signed in to Roster now: the next sign-in goes straight through, no page.
  await page.goto(`${host.url}/login`);
  await expect(page.getByTestId('rp-signed-in')).toBeVisible();
  expect(host.signIns).toHaveLength(2);
  await context.close();
});

test('the application signs the person out of Roster too: the question in their language, then back to it', async ({ browser }) => {
  test.setTimeout(120_000);
  for (const [language, theme, width] of [
    ['en', 'light', 1280],
    ['en', 'dark', 390],
    ['fr', 'dark', 1280],
    ['fr', 'light', 390],
  ] as const) {
    const context = await browser.newContext({ baseURL: baseUrl(), locale: language === 'fr' ? 'fr-FR' : 'en-US', colorScheme: theme });
    const page = await context.newPage();
    await page.setViewportSize({ width, height: width > 600 ? 800 : 844 });
    // The sign-in page in the browser's language.
    await page.goto('/sign-in');
    await page.locator('input[type=email]').fill(MEMBER.email);
    await page.locator('input[type=password]').fill(MEMBER.password);
    await page.locator('button[type=submit]').click();
    await expect(page).toHaveURL(/\/o\/[^/]+\/users/);
    await page.goto(`${host.url}/login`);
    await expect(page.getByTestId('rp-signed-in')).toBeVisible();
    const before = host.logoutTokens.length;
    await page.goto(`${host.url}/logout?ui_locales=${language}`);
    const signOut = page.getByRole('button', { name: language === 'en' ? 'Sign out' : 'Se déconnecter' });
    await expect(signOut).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await page.screenshot({ path: `${SHOTS}/logout-${language}-${theme}-${width}.png`, fullPage: true });
    await signOut.click();
    await expect(page.getByTestId('rp-signed-out')).toHaveText('Signed out (bye)');
    // Roster's session ended with it, and the application heard (back-channel) too.
    await page.goto('/');
    await expect(page).toHaveURL(/\/sign-in/);
    await expect.poll(() => host.logoutTokens.length, { timeout: 10_000 }).toBeGreaterThan(before);
    await context.close();
  }
});

test('a third-party application asks on the console’s page: Deny tells it no, Allow signs the person in, asked once', async ({
  browser,
}) => {
  const page = await memberBrowser(browser);
  const login = `${partner.url}/login?scope=${encodeURIComponent('openid email profile organization')}`;
  await page.goto(login);
  await expect(page).toHaveURL(/\/authorize\/[A-Za-z0-9_-]+$/);
  await expect(page.getByRole('heading', { name: 'Sign in to Partner app' })).toBeVisible();
  for (const scope of ['openid', 'email', 'profile', 'organization']) {
    await expect(page.getByTestId(`authorize-scope-${scope}`)).toBeVisible();
  }
  await expectAccessible(page);
  await page.getByTestId('authorize-deny').click();
  await expect(page.getByTestId('rp-error')).toHaveText('access_denied');

  await page.goto(login);
  await page.getByTestId('authorize-allow').click();
  await expect(page.getByTestId('rp-signed-in')).toHaveText(`Signed in as ${MEMBER.email}`);
  expect(partner.signIns.at(-1)?.accessToken).toMatchObject({ client_id: expect.stringMatching(/^rst_client_/), role: 'MEMBER' });
  // Allowed: straight through next time.
  await page.goto(login);
  await expect(page.getByTestId('rp-signed-in')).toBeVisible();
  // A request that has ended (answered already): the page says so.
  await page.goto('/authorize/AAAAAAAAAAAAAAAAAAAAAAAAAAAA');
  await expect(page.getByTestId('authorize-expired')).toBeVisible();
  await page.context().close();
});

test('the authorization page in light and dark, English and French, wide and narrow', async ({ browser }) => {
  // The member of a second organization, and an application of every organization: they pick one, and allow it.
  const everywhere = await RelyingParty.start(baseUrl());
  const made = await gql(
    adminPage,
    `mutation($i: CreateOidcClientInput!) { createOidcClient(input: $i) { client { clientId } clientSecret } }`,
    { i: { name: 'Everywhere app', redirectUris: [everywhere.redirectUri], public: false, firstParty: false, platformWide: true } },
  );
  await everywhere.use(made.createOidcClient.client.clientId, made.createOidcClient.clientSecret);
  const second = await gql(adminPage, `mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { invitation { url } } }`, {
    i: { name: 'Second Studio', slug: 'second-studio', firstAdminEmail: MEMBER.email },
  });
  const page = await memberBrowser(browser);
  await gql(page, `mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { user { id } } }`, {
    i: { token: new URL(second.createOrganization.invitation.url).searchParams.get('token') },
  });
  const setProfile = async (language: string, theme: string) => {
    // From the console's origin (the page may be at the application's).
    await page.goto('/');
    await gql(page, `mutation($i: UpdateMyProfileInput!) { updateMyProfile(input: $i) { language } }`, { i: { language, theme } });
  };
  try {
    for (const language of ['EN', 'FR'] as const) {
      for (const theme of ['LIGHT', 'DARK'] as const) {
        await setProfile(language, theme);
        for (const width of [1280, 390]) {
          await page.setViewportSize({ width, height: width > 600 ? 800 : 844 });
          // Every scope, offline access included (which needs prompt=consent): asked each time.
          await page.goto(
            `${everywhere.url}/login?prompt=consent&scope=${encodeURIComponent('openid email profile organization teams offline_access')}`,
          );
          await expect(page.getByTestId('authorize-org-second-studio')).toBeVisible();
          await expect(page.locator('html')).toHaveAttribute('lang', language.toLowerCase());
          await expect(page.getByRole('heading', { level: 1 })).toHaveText(
            language === 'EN' ? 'Sign in to Everywhere app' : 'Se connecter à Everywhere app',
          );
          expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
          await page.screenshot({ path: `${SHOTS}/consent-${language.toLowerCase()}-${theme.toLowerCase()}-${width}.png`, fullPage: true });
          await page.getByTestId('authorize-deny').click();
          await expect(page.getByTestId('rp-error')).toHaveText('access_denied');
        }
      }
    }
    // The one picked is the one the application acts in.
    await page.goto(`${everywhere.url}/login?scope=openid%20organization`);
    await page.getByTestId('authorize-org-second-studio').click();
    await page.getByTestId('authorize-allow').click();
    await expect(page.getByTestId('rp-organization')).toHaveText('second-studio');
    await expect(page.getByTestId('rp-role')).toHaveText('ADMIN');
  } finally {
    await everywhere.stop();
    await setProfile('EN', 'LIGHT');
    await page.context().close();
  }
});

test('the host application hears when an admin deactivates the person: a verified logout token, refresh refused', async () => {
  const before = host.logoutTokens.length;
  const refreshToken = host.signIns[0]?.refreshToken ?? '';
  expect(await host.refresh(refreshToken)).toEqual({ ok: true });
  const member = (await gql(adminPage, `{ users(first: 5, search: "rp.member") { edges { node { id email } } } }`)).users.edges[0].node;
  expect(member.email).toBe(MEMBER.email);
  await gql(adminPage, `mutation($id: ID!) { deactivateUser(id: $id) { id } }`, { id: member.id });
  await expect.poll(() => host.logoutTokens.length, { timeout: 10_000 }).toBeGreaterThan(before);
  expect(host.logoutTokens.at(-1)).toMatchObject({ iss: baseUrl(), sub: member.id });
  expect(host.logoutTokens.at(-1)?.['events']).toHaveProperty(['http://schemas.openid.net/event/backchannel-logout']);
  const refreshed = host.signIns.at(-1)?.refreshToken ?? '';
  expect(await host.refresh(refreshed)).toEqual({ ok: false, error: 'invalid_grant' });
});
