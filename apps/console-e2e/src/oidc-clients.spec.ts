import { mkdirSync } from 'node:fs';
import { Browser, BrowserContext, expect, Page, test } from '@playwright/test';
import { ADMIN, choose, expectAccessible, newPage, openDialog, registerThrough, setUpFirstAdmin, signIn } from './support';

/** The Applications page (OpenID Connect clients): register, secret once, edit, new secret, delete. */

/** Where the screenshots of the page go (looked at by people, not compared). */
const SHOTS = process.env['OIDC_CLIENTS_SHOTS_DIR'] ?? '../../test-results/oidc-clients-screens';
const OTTO = { email: 'otto.admin@example.com', firstName: 'Otto', lastName: 'Admin', password: 'admin but no operator 5' };
const OLIVE = { email: 'olive.viewer@example.com', firstName: 'Olive', lastName: 'Viewer', password: 'no applications for me 7' };
const APP = 'Team wiki';
const HR = 'E2E Human resources self-service portal for every employee';

test.describe.configure({ mode: 'serial' });

let admin: BrowserContext;
let adminPage: Page;
let slug = '';

/** A GraphQL call from the admin's page (its cookie and CSRF token). */
async function gql<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  return adminPage.evaluate(
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
  ) as Promise<T>;
}

/** Removes every client this suite registered (platform-wide ones are seen by every organization). */
async function removeClients(): Promise<void> {
  const list = await gql<{ data?: { oidcClients: { id: string; name: string }[] } }>(`{ oidcClients { id name } }`);
  for (const c of list.data?.oidcClients ?? []) {
    if (c.name.startsWith(APP) || c.name.startsWith('E2E ')) await gql(`mutation($id: ID!) { deleteOidcClient(id: $id) }`, { id: c.id });
  }
}

/** Waits for the fonts and for running animations (a dialog opening, an error fading in) before a screenshot. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await document.fonts.ready;
    await Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getComputedTiming().iterations !== Infinity)
        .map((a) => a.finished.catch(() => undefined)),
    );
  });
}

const row = (page: Page, name: string) => page.locator(`tr[data-client="${name}"]`);

/** Opens an action of a client's row menu. */
async function action(page: Page, name: string, item: string): Promise<void> {
  await page.getByRole('button', { name: `Actions for ${name}` }).click();
  await page.getByRole('menuitem', { name: item }).click();
}

/** The error Material shows under a dialog's form field, found by the field's label. */
const fieldError = (page: Page, label: string) =>
  page
    .locator('mat-dialog-container mat-form-field')
    .filter({ has: page.getByLabel(label, { exact: true }) })
    .locator('mat-error');

test.beforeAll(async ({ browser }) => {
  // Alone (without the journey), the first admin is set up here.
  await setUpFirstAdmin();
  [admin, adminPage] = await newPage(browser);
  await signIn(adminPage, ADMIN.email, ADMIN.password);
  await expect(adminPage).toHaveURL(/\/o\/[^/]+\/users/);
  slug = /\/o\/([^/]+)\//.exec(adminPage.url())?.[1] as string;
  await removeClients();
});

test.afterAll(async () => {
  if (adminPage) {
    await removeClients();
    await gql(`mutation($i: UpdateMyProfileInput!) { updateMyProfile(input: $i) { language } }`, { i: { language: 'EN', theme: 'LIGHT' } });
  }
  await admin?.close();
});

test('an admin registers a confidential application, sees its secret once, edits it, replaces the secret and deletes it', async () => {
  await adminPage.setViewportSize({ width: 1280, height: 800 });
  // The operator's toolbar folds its links into a menu below 1280 px; at 1280 they are links.
  await adminPage.getByRole('link', { name: 'Applications' }).click();
  await expect(adminPage).toHaveURL(new RegExp(`/o/${slug}/oidc-clients$`));
  await expect(adminPage.getByRole('heading', { name: 'Applications', level: 1 })).toBeVisible();
  await expect(adminPage.getByTestId('oidc-clients')).toContainText('No applications yet.');

  // A plain-http redirect URI off loopback: the API refuses it, said beside that field.
  const dialog = await openDialog(adminPage, 'Register application');
  await expect(dialog.getByRole('heading', { name: 'Register an application' })).toBeVisible();
  await dialog.getByLabel('Name', { exact: true }).fill(APP);
  await dialog.getByLabel('Redirect URIs', { exact: true }).fill('http://example.com/cb');
  await dialog.getByRole('button', { name: 'Register', exact: true }).click();
  await expect(fieldError(adminPage, 'Redirect URIs')).toHaveText(/Use absolute https URIs \(plain http only on localhost/);
  await expect(dialog.getByLabel('Redirect URIs', { exact: true })).toBeFocused();
  await expect(fieldError(adminPage, 'Back-channel logout URI')).toHaveCount(0);
  // The same rule for the back-channel logout URI, named by the API.
  await dialog.getByLabel('Redirect URIs', { exact: true }).fill('https://wiki.example.com/oidc/callback\nhttp://127.0.0.1:8080/callback');
  await dialog.getByLabel('Back-channel logout URI').fill('https://wiki.example.com/logout#x');
  await dialog.getByRole('button', { name: 'Register', exact: true }).click();
  await expect(fieldError(adminPage, 'Back-channel logout URI')).toHaveText(/without fragment or credentials/);
  await expect(fieldError(adminPage, 'Redirect URIs')).toHaveCount(0);
  await dialog.getByLabel('Back-channel logout URI').fill('https://wiki.example.com/oidc/backchannel');
  await dialog.getByRole('switch', { name: 'First-party application' }).click();
  await dialog.getByRole('button', { name: 'Register', exact: true }).click();

  // The secret, once.
  const secretDialog = adminPage.getByRole('dialog', { name: `Application “${APP}” registered` });
  await expect(secretDialog).toBeVisible();
  await expect(secretDialog).toContainText("you won't see it again");
  const clientId = await secretDialog.getByLabel('Client ID', { exact: true }).inputValue();
  expect(clientId).toMatch(/^rst_client_[0-9A-Za-z]{24}$/);
  const secret = await secretDialog.getByLabel('Client secret', { exact: true }).inputValue();
  expect(secret).toMatch(/^[\w-]{43}$/);
  await expect(secretDialog.getByRole('button', { name: 'Copy the secret' })).toBeVisible();
  await expectAccessible(adminPage, '.cdk-overlay-container');
  // Only "Done" closes it: Escape does not lose the secret.
  await adminPage.keyboard.press('Escape');
  await expect(secretDialog).toBeVisible();
  await secretDialog.getByRole('button', { name: 'Done' }).click();
  await expect(secretDialog).toBeHidden();

  const wiki = row(adminPage, APP);
  await expect(wiki).toContainText(clientId);
  await expect(wiki).toContainText('Confidential');
  await expect(wiki).toContainText('First-party');
  await expect(wiki).toContainText('https://wiki.example.com/oidc/callback');
  await expect(adminPage.locator('body')).not.toContainText(secret);
  await expectAccessible(adminPage);

  // Edit: the kind is fixed; the name and URIs change.
  await action(adminPage, APP, 'Edit');
  const edit = adminPage.getByRole('dialog', { name: `Edit “${APP}”` });
  await expect(edit.getByTestId('oidc-client-kind')).toHaveText(/Confidential client: it authenticates with its secret/);
  await expect(edit.getByRole('switch', { name: /Public client/ })).toHaveCount(0);
  await expect(edit.getByLabel('Redirect URIs', { exact: true })).toHaveValue(
    'https://wiki.example.com/oidc/callback\nhttp://127.0.0.1:8080/callback',
  );
  await edit.getByLabel('Name', { exact: true }).fill(`${APP} 2`);
  await edit.getByLabel('Post-logout redirect URIs').fill('https://wiki.example.com/bye');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  await expect(adminPage.getByText(`Application “${APP} 2” saved`)).toBeVisible();
  await expect(row(adminPage, `${APP} 2`)).toContainText(clientId);

  // A new secret, after a confirmation: the old one is gone.
  await action(adminPage, `${APP} 2`, 'New secret');
  const confirmRotate = adminPage.getByRole('dialog', { name: `Replace the secret of “${APP} 2”?` });
  await confirmRotate.getByRole('button', { name: 'Replace the secret' }).click();
  const rotated = adminPage.getByRole('dialog', { name: `New secret for “${APP} 2”` });
  await expect(rotated).toContainText("you won't see it again");
  await expect(rotated.getByLabel('Client ID', { exact: true })).toHaveValue(clientId);
  const newSecret = await rotated.getByLabel('Client secret', { exact: true }).inputValue();
  expect(newSecret).toMatch(/^[\w-]{43}$/);
  expect(newSecret).not.toBe(secret);
  await rotated.getByRole('button', { name: 'Done' }).click();
  await expect(rotated).toBeHidden();

  // Delete, after a confirmation.
  await action(adminPage, `${APP} 2`, 'Delete');
  const confirmDelete = adminPage.getByRole('dialog', { name: `Delete the application “${APP} 2”?` });
  await confirmDelete.getByRole('button', { name: 'Delete' }).click();
  await expect(adminPage.getByText(`Application “${APP} 2” deleted`)).toBeVisible();
  await expect(row(adminPage, `${APP} 2`)).toHaveCount(0);
  await expect(adminPage.getByTestId('oidc-clients')).toContainText('No applications yet.');
});

test('a public application has no secret (PKCE) and no "New secret"', async () => {
  await adminPage.goto(`/o/${slug}/oidc-clients`);
  const dialog = await openDialog(adminPage, 'Register application');
  await dialog.getByLabel('Name', { exact: true }).fill('E2E mobile app');
  await dialog.getByLabel('Redirect URIs', { exact: true }).fill('https://mobile.example.com/cb');
  await dialog.getByRole('switch', { name: /Public client/ }).click();
  await dialog.getByRole('button', { name: 'Register', exact: true }).click();
  const created = adminPage.getByRole('dialog', { name: 'Application “E2E mobile app” registered' });
  await expect(created.getByTestId('secret-once-none')).toContainText('must sign people in with PKCE');
  await expect(created.getByLabel('Client secret', { exact: true })).toHaveCount(0);
  await created.getByRole('button', { name: 'Done' }).click();
  await expect(row(adminPage, 'E2E mobile app')).toContainText('Public (no secret)');
  await adminPage.getByRole('button', { name: 'Actions for E2E mobile app' }).click();
  await expect(adminPage.getByRole('menuitem', { name: 'Edit' })).toBeVisible();
  await expect(adminPage.getByRole('menuitem', { name: 'New secret' })).toHaveCount(0);
  await adminPage.keyboard.press('Escape');
});

test('the page and the register dialog, light and dark, in English and French, wide and on a phone', async () => {
  mkdirSync(SHOTS, { recursive: true });
  // Long names, ids and URIs, and a platform-wide application (the admin is a platform operator).
  const long = `https://intranet.example.com/applications/human-resources/${'very-long-segment-'.repeat(4)}callback`;
  const created = await gql(`mutation($i: CreateOidcClientInput!) { createOidcClient(input: $i) { client { id } } }`, {
    i: {
      name: HR,
      redirectUris: [long, 'https://hr.example.com/cb', 'https://hr.example.org/cb', 'http://localhost:4200/cb', 'http://[::1]:4200/cb'],
      public: false,
      firstParty: true,
    },
  });
  expect(created).toHaveProperty('data.createOidcClient.client.id');
  expect(
    await gql(`mutation($i: CreateOidcClientInput!) { createOidcClient(input: $i) { client { platformWide } } }`, {
      i: { name: 'E2E Status page', redirectUris: ['https://status.example.com/cb'], public: true, firstParty: false, platformWide: true },
    }),
  ).toEqual({ data: { createOidcClient: { client: { platformWide: true } } } });

  const setProfile = (language: string, theme: string) =>
    gql(`mutation($i: UpdateMyProfileInput!) { updateMyProfile(input: $i) { language } }`, { i: { language, theme } });
  for (const language of ['EN', 'FR'] as const) {
    for (const theme of ['LIGHT', 'DARK'] as const) {
      await setProfile(language, theme);
      for (const width of [1280, 400]) {
        const name = `${language.toLowerCase()}-${theme.toLowerCase()}-${width}`;
        await adminPage.setViewportSize({ width, height: width > 600 ? 800 : 860 });
        await adminPage.goto(`/o/${slug}/oidc-clients`);
        await expect(row(adminPage, 'E2E Status page')).toBeVisible();
        await expect(adminPage.locator('html')).toHaveAttribute('lang', language.toLowerCase());
        // Nothing wider than the window: long URIs and ids wrap.
        expect(await adminPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        expect(await adminPage.locator('ro-table-frame').evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
        const actions = `${language === 'EN' ? 'Actions for' : 'Actions pour'} E2E mobile app`;
        // The row's menu stays within the window, even on a phone.
        const menu = await adminPage.getByRole('button', { name: actions }).boundingBox();
        expect((menu?.x ?? Infinity) + (menu?.width ?? 0)).toBeLessThanOrEqual(width);
        if (theme === 'DARK' && width === 400) await expectAccessible(adminPage);
        await settle(adminPage);
        await adminPage.screenshot({ path: `${SHOTS}/list-${name}.png`, fullPage: true });
        await adminPage.getByTestId('oidc-client-register').click();
        const dialog = adminPage.getByRole('dialog');
        await expect(dialog.locator(':focus')).toHaveCount(1);
        await dialog.getByRole('button', { name: language === 'EN' ? 'Register' : 'Enregistrer', exact: true }).click();
        await expect(dialog.locator('mat-error').first()).toBeVisible();
        if (theme === 'DARK' && width === 1280) await expectAccessible(adminPage, '.cdk-overlay-container');
        await settle(adminPage);
        await adminPage.screenshot({ path: `${SHOTS}/register-${name}.png` });
        await dialog.getByRole('button', { name: language === 'EN' ? 'Cancel' : 'Annuler' }).click();
        await expect(dialog).toBeHidden();
        // A new secret for the long-named application: shown once, with its copy buttons.
        await adminPage.getByRole('button', { name: `${language === 'EN' ? 'Actions for' : 'Actions pour'} ${HR}` }).click();
        await adminPage.getByRole('menuitem', { name: language === 'EN' ? 'New secret' : 'Nouveau secret' }).click();
        await adminPage
          .getByRole('dialog')
          .getByRole('button', { name: language === 'EN' ? 'Replace the secret' : 'Remplacer le secret' })
          .click();
        const secret = adminPage.getByRole('dialog').filter({ has: adminPage.getByTestId('secret-once') });
        await expect(secret).toBeVisible();
        await settle(adminPage);
        await adminPage.screenshot({ path: `${SHOTS}/secret-${name}.png` });
        await secret.getByTestId('secret-once-done').click();
        await expect(secret).toBeHidden();
      }
    }
  }
  await setProfile('EN', 'LIGHT');
  await adminPage.setViewportSize({ width: 1280, height: 800 });
});

/** The admin invites a person with this role; they register in a browser of their own, landing signed in. */
async function invited(browser: Browser, person: typeof OLIVE, role: string): Promise<[BrowserContext, Page]> {
  await adminPage.goto(`/o/${slug}/users`);
  await adminPage.getByRole('button', { name: 'Invite users' }).click();
  const invite = adminPage.getByRole('dialog');
  await invite.getByLabel('Email').fill(person.email);
  await choose(adminPage, 'Role', [role]);
  await invite.getByRole('button', { name: 'Create' }).click();
  const url = await invite.getByLabel('Registration URL').inputValue();
  await invite.getByRole('button', { name: 'Copy and close' }).click();
  await expect(invite).toBeHidden();
  return registerThrough(browser, url, person);
}

test('a Viewer has no Applications page', async ({ browser }) => {
  const [olive, olivePage] = await invited(browser, OLIVE, 'Viewer');
  try {
    await expect(olivePage.getByRole('link', { name: 'Users' })).toBeVisible();
    await expect(olivePage.getByRole('link', { name: 'Applications' })).toHaveCount(0);
    // Nor by its address: the guard sends a Viewer back to a page of theirs.
    await olivePage.goto(`/o/${slug}/oidc-clients`);
    await expect(olivePage).toHaveURL(new RegExp(`/o/${slug}/users$`));
    await expect(olivePage.getByRole('heading', { name: 'Applications' })).toHaveCount(0);
  } finally {
    await olive.close();
  }
});

test('an admin who is no operator reads platform-wide applications only; the toolbar holds the new link', async ({ browser }) => {
  const [otto, ottoPage] = await invited(browser, OTTO, 'Admin');
  try {
    await ottoPage.getByRole('link', { name: 'Applications' }).click();
    await expect(row(ottoPage, 'E2E Status page')).toBeVisible();
    await expect(row(ottoPage, 'E2E Status page').getByTestId('oidc-read-only')).toBeVisible();
    await expect(ottoPage.getByRole('button', { name: 'Actions for E2E Status page' })).toHaveCount(0);
    await expect(ottoPage.getByRole('button', { name: 'Actions for E2E mobile app' })).toBeVisible();
    // No platform-wide switch for them.
    const dialog = await openDialog(ottoPage, 'Register application');
    await expect(dialog.getByRole('switch', { name: 'First-party application' })).toBeVisible();
    await expect(dialog.getByRole('switch', { name: 'Platform-wide' })).toHaveCount(0);
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // An admin's nine pages in French: links at 1200 px (about 1,150 needed), the menu at 840; never wider than the window.
    await ottoPage.evaluate(async () => {
      const csrf = decodeURIComponent(/roster_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '');
      await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify({ query: 'mutation { updateMyProfile(input: { language: FR }) { language } }' }),
      });
    });
    for (const width of [1280, 1200, 840]) {
      await ottoPage.setViewportSize({ width, height: 800 });
      await ottoPage.goto(`/o/${slug}/oidc-clients`);
      await expect(ottoPage.locator('html')).toHaveAttribute('lang', 'fr');
      const links = ottoPage.locator('nav .links a');
      if (width >= 1200) {
        await expect(links).toHaveCount(9);
        await expect(links.last()).toBeVisible();
        await expect(ottoPage.getByTestId('nav-menu')).toBeHidden();
      } else {
        await expect(links.first()).toBeHidden();
        await expect(ottoPage.getByTestId('nav-menu')).toContainText('Applications');
      }
      expect(await ottoPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      const bar = await ottoPage.locator('mat-toolbar').evaluate((el) => el.scrollWidth - el.clientWidth);
      expect(bar).toBeLessThanOrEqual(0);
      await settle(ottoPage);
      await ottoPage.screenshot({ path: `${SHOTS}/toolbar-admin-fr-${width}.png`, clip: { x: 0, y: 0, width, height: 200 } });
    }
  } finally {
    await otto.close();
  }
});
