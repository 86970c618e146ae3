import AxeBuilder from '@axe-core/playwright';
import { Browser, BrowserContext, expect, Locator, Page } from '@playwright/test';

export const baseUrl = () => process.env['E2E_URL'] ?? '';
export const setupUrl = () => process.env['E2E_SETUP_URL'] ?? '';

/** The first admin, registered by the journey (which the other suites depend on). */
export const ADMIN = { email: 'ada.admin@example.com', password: 'analytical engine 1843' };

export async function newPage(browser: Browser): Promise<[BrowserContext, Page]> {
  const context = await browser.newContext({ baseURL: baseUrl() });
  return [context, await context.newPage()];
}

/** Email and password on the sign-in page; `code` answers the second-factor step when asked. */
export async function signIn(page: Page, email: string, password: string, code?: () => string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (code) {
    await expect(page.getByLabel('Authentication code')).toBeVisible();
    await page.getByLabel('Authentication code').fill(code());
    await page.getByRole('button', { name: 'Verify' }).click();
  }
}

/** The admin invites `email` (as Member) and the person registers in a fresh browser context, landing signed in. */
export async function inviteAndRegister(
  adminPage: Page,
  browser: Browser,
  person: { email: string; firstName: string; lastName: string; password: string },
): Promise<[BrowserContext, Page]> {
  await adminPage.goto('/users');
  await adminPage.getByRole('button', { name: 'Invite users' }).click();
  const dialog = adminPage.getByRole('dialog');
  await dialog.getByLabel('Email').fill(person.email);
  await dialog.getByRole('button', { name: 'Create' }).click();
  const url = await dialog.getByLabel('Registration URL').inputValue();
  await dialog.getByRole('button', { name: 'Copy and close' }).click();
  await expect(dialog).toBeHidden();
  return registerThrough(browser, url, person);
}

/** A person registers from their invitation URL in a fresh browser context, landing signed in. */
export async function registerThrough(
  browser: Browser,
  url: string,
  person: { firstName: string; lastName: string; password: string },
): Promise<[BrowserContext, Page]> {
  const [context, page] = await newPage(browser);
  await page.goto(url);
  await page.getByLabel('First name').fill(person.firstName);
  await page.getByLabel('Last name').fill(person.lastName);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByLabel('Confirm password').fill(person.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/users$/);
  return [context, page];
}

/** Alone (without the journey), a suite sets up the first admin (an operator) through the set-up URL. */
export async function setUpFirstAdmin(): Promise<void> {
  const token = new URL(setupUrl()).searchParams.get('token');
  await fetch(`${baseUrl()}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: `mutation($i: SetupFirstAdminInput!) { setupFirstAdmin(input: $i) { user { id } } }`,
      variables: {
        i: {
          token,
          email: ADMIN.email,
          firstName: 'Ada',
          lastName: 'Lovelace',
          password: ADMIN.password,
          passwordConfirmation: ADMIN.password,
        },
      },
    }),
  });
}

/** Fails on serious or critical accessibility violations. */
export async function expectAccessible(page: Page, include?: string): Promise<void> {
  // Icon ligatures ("logout") count as visible text until the icon font has loaded.
  await page.evaluate(async () => {
    await document.fonts.ready;
  });
  // Colours caught mid-transition (a button leaving its disabled or pressed state) read as low contrast:
  // let running animations and transitions finish first.
  // (Endless ones, like spinners, are left alone.)
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getComputedTiming().iterations !== Infinity)
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
  // Snack bars are checked mid fade-in animation (partial opacity) and would report false contrast failures.
  let builder = new AxeBuilder({ page }).exclude('.mat-mdc-snack-bar-container');
  if (include) builder = builder.include(include);
  const { violations } = await builder.analyze();
  const bad = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad, 'accessibility violations').toEqual([]);
}

/**
 * Opens a dialog with the button of this name and waits until it has taken the focus (Material moves it
 * to the first field once the dialog has opened): text typed before that could land in the wrong field.
 */
export async function openDialog(page: Page, button: string): Promise<Locator> {
  await page.getByRole('button', { name: button }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.locator(':focus')).toHaveCount(1);
  return dialog;
}

/**
 * Picks options of a mat-select opened by its label; closes a multiple select. Waits for any option list
 * still closing (a select reopened during its closing animation does not open) and for its own to close.
 */
export async function choose(page: Page, label: string | RegExp, options: string[], multiple = false): Promise<void> {
  await expect(page.locator('.mat-mdc-select-panel')).toHaveCount(0);
  await page.getByRole('combobox', { name: label }).click();
  await expect(page.locator('.mat-mdc-select-panel')).toBeVisible();
  for (const option of options) await page.getByRole('option', { name: option, exact: true }).click();
  if (multiple) await page.keyboard.press('Escape');
  await expect(page.locator('.mat-mdc-select-panel')).toHaveCount(0);
}

/** The users table row of an email. */
export const row = (page: Page, email: string) => page.locator(`tr[data-email="${email}"]`);
