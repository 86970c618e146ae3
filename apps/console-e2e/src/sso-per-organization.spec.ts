import { mkdirSync } from 'node:fs';
import { expect, Page, test } from '@playwright/test';
import { startOidcProvider, TestOidcProvider } from '../../../tools/testing/oidc-provider';
import { freePort } from '../../../tools/testing/server';
import { ADMIN, baseUrl, expectAccessible, newPage, setUpFirstAdmin, signIn } from './support';

/** Where the screenshots of the SSO screens go (looked at by people, not compared). */
const SHOTS = process.env['SSO_SHOTS_DIR'] ?? '../../test-results/sso-screens';

let idp: TestOidcProvider;

/** A GraphQL call from the signed-in page (its cookies and CSRF token). */
async function gql(page: Page, query: string, variables: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  return page.evaluate(
    async ([q, v]) => {
      const csrf = decodeURIComponent(/roster_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '');
      const r = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify({ query: q, variables: v }),
      });
      return r.json();
    },
    [query, variables] as const,
  );
}

test.beforeAll(async () => {
  idp = await startOidcProvider(await freePort(), baseUrl(), { al: { email: 'al@acme.test', givenName: 'Al', familyName: 'Acme' } });
  // Alone (without the journey), the first admin is set up here.
  await setUpFirstAdmin();
});
test.afterAll(async ({ browser }) => {
  // The connection goes: with it, the next suites' invitations into this organization would go through its provider.
  const [context, page] = await newPage(browser);
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/o\/[^/]+\/users/);
  expect(await gql(page, `mutation { deleteSsoConnection }`)).toHaveProperty('data.deleteSsoConnection');
  await context.close();
  await idp?.stop();
});

test('an admin connects the organization to its provider; an email of its domain signs in there', async ({ browser }) => {
  mkdirSync(SHOTS, { recursive: true });
  const [context, page] = await newPage(browser);
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/o\/[^/]+\/users/);
  const slug = /\/o\/([^/]+)\//.exec(page.url())?.[1] as string;
  await page.getByRole('link', { name: 'Single sign-on' }).first().click();
  await expect(page).toHaveURL(new RegExp(`/o/${slug}/sso$`));
  await expect(page.getByRole('heading', { name: 'Single sign-on', level: 1 })).toBeVisible();
  await page.getByLabel('Issuer URL').fill(idp.issuer);
  await page.getByLabel('Client ID').fill(idp.clientId);
  await page.getByLabel('Client secret').fill(idp.clientSecret);
  await page.getByLabel('Button label').fill('Acme ID');
  await page.getByTestId('sso-test').click();
  await expect(page.getByTestId('sso-test-result')).toContainText('Connection works.');
  await page.getByTestId('sso-save').click();
  await expect(page.getByTestId('sso-secret-state')).toHaveText(/A secret is set/);
  await expect(page.getByLabel('Client secret')).toHaveValue('');
  await expectAccessible(page);
  await page.screenshot({ path: `${SHOTS}/settings-en-light-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 400, height: 900 });
  await page.screenshot({ path: `${SHOTS}/settings-en-light-400.png`, fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: `${SHOTS}/settings-en-dark-400.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: `${SHOTS}/settings-en-dark-1280.png`, fullPage: true });
  // The operator gives the organization its domain.
  const mine = (await gql(page, `{ me { organization { id } } }`)) as { data: { me: { organization: { id: string } } } };
  const org = mine.data.me.organization.id;
  expect(await gql(page, `mutation($o: ID!) { setOrganizationDomains(id: $o, domains: ["acme.test"]) }`, { o: org })).toEqual({
    data: { setOrganizationDomains: ['acme.test'] },
  });
  await context.close();

  // Identity-first sign-in: the email's domain sends Al to the organization's provider, and back to the page he
  // was sent to sign in for (returnTo).
  const [visitor, signInPage] = await newPage(browser);
  await signInPage.goto(`/sign-in?returnTo=${encodeURIComponent(`/o/${slug}/teams`)}`);
  await signInPage.getByLabel('Email').fill('al@acme.test');
  await expect(signInPage.getByTestId('sso-continue')).toHaveText(/Continue with Acme ID/);
  await expect(signInPage.getByLabel('Password')).toHaveCount(0);
  await expectAccessible(signInPage);
  await signInPage.screenshot({ path: `${SHOTS}/sign-in-en-light-1280.png`, fullPage: true });
  await signInPage.setViewportSize({ width: 400, height: 800 });
  await signInPage.emulateMedia({ colorScheme: 'dark' });
  await signInPage.screenshot({ path: `${SHOTS}/sign-in-en-dark-400.png`, fullPage: true });
  await signInPage.getByTestId('sso-continue').click();
  await signInPage.locator('input[name="login"]').fill('al');
  await signInPage.locator('input[name="password"]').fill('anything');
  await signInPage.locator('button[type="submit"]').click();
  await signInPage.locator('button[type="submit"]').click(); // consent
  await signInPage.waitForURL((u) => u.pathname === `/o/${slug}/teams`, { timeout: 20_000 });
  const me = (await gql(signInPage, `{ me { user { email } organization { slug } } }`)) as {
    data: { me: { user: { email: string }; organization: { slug: string } } };
  };
  expect(me.data.me).toEqual({ user: { email: 'al@acme.test' }, organization: { slug } });
  await visitor.close();

  // In French.
  const fr = await browser.newContext({ baseURL: baseUrl(), locale: 'fr-FR' });
  const frPage = await fr.newPage();
  await frPage.goto('/sign-in');
  await frPage.locator('input[type=email]').fill('al@acme.test');
  await expect(frPage.getByTestId('sso-continue')).toHaveText(/Continuer avec Acme ID/);
  await frPage.screenshot({ path: `${SHOTS}/sign-in-fr-light-1280.png`, fullPage: true });
  await fr.close();
});
