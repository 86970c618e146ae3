import { BrowserContext, expect, Page, test } from '@playwright/test';
import { ADMIN, baseUrl, expectAccessible, newPage, row, setUpFirstAdmin, signIn } from './support';

/**
 * A person an identity provider created through SCIM has no password. Without outgoing email (this
 * server sends none) the admin hands them a link from the users page; the reset page then asks them to
 * choose their password, not a new one.
 */
const NEWCOMER = 'prov.newcomer@example.com';
const PASSWORD = 'chosen on the first day 2026';

test.describe.configure({ mode: 'serial' });

let admin: BrowserContext;
let adminPage: Page;
let secret = '';

test.beforeAll(async ({ browser }) => {
  await setUpFirstAdmin();
  [admin, adminPage] = await newPage(browser);
  await signIn(adminPage, ADMIN.email, ADMIN.password);
  await expect(adminPage).toHaveURL(/\/users$/);
});

test.afterAll(async () => {
  await admin?.close();
});

test('an identity provider creates a person through SCIM with the admin’s token', async () => {
  await adminPage.getByRole('button', { name: 'Edit my profile' }).click();
  const dialog = adminPage.getByRole('dialog');
  const section = dialog.getByTestId('api-tokens-section');
  await section.getByRole('button', { name: 'Create API token' }).click();
  await section.getByLabel('Token name').fill('Identity provider');
  await section.getByRole('button', { name: 'Create API token' }).click();
  secret = await section.getByTestId('api-token-secret').inputValue();
  expect(secret).toMatch(/^rst_/);
  await section.getByRole('button', { name: 'Done' }).click();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();

  const response = await fetch(`${baseUrl()}/scim/v2/Users`, {
    method: 'POST',
    headers: { 'content-type': 'application/scim+json', authorization: `Bearer ${secret}` },
    body: JSON.stringify({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: NEWCOMER,
      name: { givenName: 'Pat', familyName: 'Newcomer' },
      emails: [{ value: NEWCOMER, type: 'work', primary: true }],
      active: true,
    }),
  });
  expect(response.status).toBe(201);
});

test('the users page marks the provisioned person, and the audit log names the token that made them', async () => {
  await adminPage.goto('/users');
  const newcomer = row(adminPage, NEWCOMER);
  const mark = newcomer.getByTestId('provisioned-mark');
  await expect(mark).toContainText('Provisioned');
  // The tooltip describes the mark (also to a screen reader), and shows on hover.
  await expect(mark).toHaveAccessibleDescription('Managed by your identity provider (SCIM)');
  await mark.hover();
  await expect(adminPage.locator('.mat-mdc-tooltip')).toHaveText('Managed by your identity provider (SCIM)');
  // People the console made carry no mark.
  await expect(row(adminPage, ADMIN.email).getByTestId('provisioned-mark')).toHaveCount(0);
  await adminPage.screenshot({ path: 'test-results/console-users-provisioned.png', fullPage: true });
  await expectAccessible(adminPage);

  await adminPage.getByRole('button', { name: `Actions for ${NEWCOMER}` }).click();
  await adminPage.getByRole('menuitem', { name: 'Edit' }).click();
  const dialog = adminPage.getByRole('dialog');
  await expect(dialog.getByTestId('provisioned-mark')).toContainText('Provisioned');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();

  await adminPage.goto('/audit?action=user.provisioned');
  const event = adminPage.getByTestId('audit-table').locator('tr.event').first();
  await expect(event).toHaveAttribute('data-action', 'user.provisioned');
  await expect(event.getByTestId('audit-token')).toHaveText('SCIM, API token: Identity provider');
  const toggle = event.getByRole('button', { name: /^Details: User provisioned \(SCIM\), / });
  await toggle.click();
  const details = adminPage.locator(`#${await toggle.getAttribute('aria-controls')}`);
  await expect(details).toContainText('API token');
  await expect(details).toContainText('Identity provider');
  await expect(details).toContainText('SCIM provisioning');
  await expectAccessible(adminPage);
});

test('the admin’s link asks the provisioned person to choose their password, which then signs them in', async ({ browser }) => {
  await adminPage.goto('/users');
  await expect(row(adminPage, NEWCOMER)).toBeVisible();
  await adminPage.getByRole('button', { name: `Actions for ${NEWCOMER}` }).click();
  await adminPage.getByRole('menuitem', { name: 'Reset password' }).click();
  const dialog = adminPage.getByRole('dialog');
  const url = await dialog.getByLabel('Password-reset URL').inputValue();
  await dialog.getByRole('button', { name: 'Copy and close' }).click();
  await expect(dialog).toBeHidden();

  const [context, page] = await newPage(browser);
  await page.goto(url);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Choose your password');
  await expect(page.getByTestId('reset-email')).toHaveText(`Password for ${NEWCOMER}`);
  await expectAccessible(page);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Confirm password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Set my password' }).click();
  await expect(page.getByRole('status')).toHaveText('Your password is set. Sign in with it.');

  // Used once: the link now leads back to sign-in, where the chosen password works.
  await page.goto(url);
  await expect(page.getByRole('alert')).toContainText('This password-reset link is not valid');
  await page.getByRole('link', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await signIn(page, NEWCOMER, PASSWORD);
  await expect(page).not.toHaveURL(/\/sign-in/);
  await context.close();
});
