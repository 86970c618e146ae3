import { mkdirSync } from 'node:fs';
import { BrowserContext, expect, Locator, Page, test } from '@playwright/test';
import { ADMIN, choose, expectAccessible, newPage, openDialog, row, signIn } from './support';

/** The person invited into the custom role. */
const AUDREY = { email: 'audrey.auditor@example.com', firstName: 'Audrey', lastName: 'Auditor', password: 'reads the log 2026' };
const ROLE = 'Auditors';
/** Where the screenshots of the screens go (looked at by people, not compared). */
const SHOTS = process.env['ROLES_SHOTS_DIR'] ?? '../../test-results/custom-roles';

test.describe.configure({ mode: 'serial' });

let admin: BrowserContext;
let adminPage: Page;
let audrey: BrowserContext;
let audreyPage: Page;

test.beforeAll(async ({ browser }) => {
  [admin, adminPage] = await newPage(browser);
  await signIn(adminPage, ADMIN.email, ADMIN.password);
  await expect(adminPage).toHaveURL(/\/o\/default\/users$/);
});
test.afterAll(async () => {
  await audrey?.close();
  await admin?.close();
});

const roleRow = (page: Page, name: string) => page.locator(`tr[data-role="${name}"]`);

/** Opens a role's action menu and picks an item. */
async function roleAction(page: Page, name: string, item: string): Promise<Locator> {
  await page.getByRole('button', { name: `Actions for ${name}` }).click();
  await page.getByRole('menuitem', { name: item }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.locator(':focus')).toHaveCount(1);
  return dialog;
}

/** The links of the main navigation, as the person reads them. */
async function navLinks(page: Page): Promise<string[]> {
  return (await page.locator('nav .links a').allInnerTexts()).map((t) => t.trim());
}

test('an admin creates a role with two permissions; name and permission mistakes are explained', async () => {
  await adminPage.goto('/o/default/roles');
  await expect(adminPage.getByRole('heading', { name: 'Roles' })).toBeVisible();
  for (const builtIn of ['Admin', 'Manager', 'Member', 'Viewer']) {
    await expect(roleRow(adminPage, builtIn)).toContainText('Built-in');
  }
  await expect(roleRow(adminPage, 'Admin')).toContainText('Full access');
  await expectAccessible(adminPage);

  const dialog = await openDialog(adminPage, 'Create role');
  await dialog.getByLabel('Name', { exact: true }).fill(ROLE);
  await dialog.getByLabel('Description', { exact: true }).fill('Read people and the audit log');
  // Nothing ticked: refused before asking the API.
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Choose at least one permission.');
  await dialog.locator('[data-permission="users:read"] input').check();
  await dialog.locator('[data-permission="audit:read"] input').check();
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
  const created = roleRow(adminPage, ROLE);
  await expect(created).toContainText('Read people and the audit log');
  await expect(created).toContainText('Read only');
  await expect(created).toContainText('2 of');
  await expect(created).not.toContainText('Built-in');

  // A duplicate of a built-in role starts from it; a name in use (any case) is refused inline.
  const copy = await roleAction(adminPage, 'Viewer', 'Duplicate');
  await expect(copy.getByLabel('Name', { exact: true })).toHaveValue('Copy of Viewer');
  await expect(copy.locator('[data-permission="users:read"] input')).toBeChecked();
  await expect(copy.locator('[data-permission="audit:read"] input')).not.toBeChecked();
  await copy.getByLabel('Name', { exact: true }).fill(ROLE.toLowerCase());
  await copy.getByRole('button', { name: 'Create' }).click();
  await expect(copy.getByRole('alert')).toHaveText('A role with this name already exists.');
  await copy.getByRole('button', { name: 'Cancel' }).click();
  await expect(copy).toBeHidden();
});

test('the person invited into it sees exactly what its permissions allow', async ({ browser }) => {
  await adminPage.goto('/o/default/users');
  const invite = await openDialog(adminPage, 'Invite users');
  await invite.getByLabel('Email').fill(AUDREY.email);
  await choose(adminPage, 'Role', [ROLE]);
  await invite.getByRole('button', { name: 'Create' }).click();
  const url = await invite.getByLabel('Registration URL').inputValue();
  await invite.getByRole('button', { name: 'Copy and close' }).click();
  await expect(invite).toBeHidden();

  [audrey, audreyPage] = await newPage(browser);
  await audreyPage.goto(url);
  await audreyPage.getByLabel('First name').fill(AUDREY.firstName);
  await audreyPage.getByLabel('Last name').fill(AUDREY.lastName);
  await audreyPage.getByLabel('Password', { exact: true }).fill(AUDREY.password);
  await audreyPage.getByLabel('Confirm password').fill(AUDREY.password);
  await audreyPage.getByRole('button', { name: 'Create account' }).click();
  await expect(audreyPage).toHaveURL(/\/o\/default\/users$/);

  // users:read and audit:read: the people and the audit log, nothing else, and no action on people.
  await expect.poll(() => navLinks(audreyPage)).toEqual(['Users', 'Audit log']);
  await expect(row(audreyPage, ADMIN.email)).toBeVisible();
  await expect(audreyPage.getByRole('button', { name: 'Invite users' })).toHaveCount(0);
  await audreyPage.goto('/o/default/audit');
  await expect(audreyPage).toHaveURL(/\/o\/default\/audit/);
  await expect(audreyPage.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  for (const closed of ['teams', 'roles', 'security', 'api-tokens']) {
    await audreyPage.goto(`/o/default/${closed}`);
    await expect(audreyPage).not.toHaveURL(new RegExp(`/${closed}$`));
  }

  // The admin's table reads the custom role by its name, with its level.
  await adminPage.goto('/o/default/users');
  await expect(row(adminPage, AUDREY.email)).toContainText(ROLE);
  await expect(row(adminPage, AUDREY.email)).toContainText('Read only');
  await adminPage.goto('/o/default/roles');
  await expect(roleRow(adminPage, ROLE).locator('td.number')).toHaveText('1');
});

test('the Roles page and its dialogs, light and dark, in English and French, wide and on a phone', async () => {
  mkdirSync(SHOTS, { recursive: true });
  const gql = (query: string, variables: Record<string, unknown>) =>
    adminPage.evaluate(
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
  const setProfile = (language: string, theme: string) =>
    gql(`mutation($i: UpdateMyProfileInput!) { updateMyProfile(input: $i) { language } }`, { i: { language, theme } });
  try {
    for (const language of ['EN', 'FR'] as const) {
      for (const theme of ['LIGHT', 'DARK'] as const) {
        await setProfile(language, theme);
        for (const width of [1280, 390]) {
          const name = `${language.toLowerCase()}-${theme.toLowerCase()}-${width}`;
          await adminPage.setViewportSize({ width, height: width > 600 ? 800 : 844 });
          await adminPage.goto('/o/default/roles');
          await expect(roleRow(adminPage, ROLE)).toBeVisible();
          await expect(adminPage.locator('html')).toHaveAttribute('lang', language.toLowerCase());
          expect(await adminPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
          await adminPage.screenshot({ path: `${SHOTS}/roles-${name}.png`, fullPage: true });
          const actions = language === 'EN' ? `Actions for ${ROLE}` : `Actions pour ${ROLE}`;
          // The row's actions stay on screen, even on a phone.
          await expect(adminPage.getByRole('button', { name: actions })).toBeInViewport();
          await adminPage.getByRole('button', { name: actions }).click();
          await adminPage.getByRole('menuitem', { name: language === 'EN' ? 'Edit' : 'Modifier' }).click();
          const edit = adminPage.getByRole('dialog');
          await expect(edit.locator('[data-permission="audit:read"] input')).toBeChecked();
          await adminPage.screenshot({ path: `${SHOTS}/role-dialog-${name}.png` });
          await edit.getByRole('button', { name: language === 'EN' ? 'Cancel' : 'Annuler' }).click();
          await expect(edit).toBeHidden();
          await adminPage.getByRole('button', { name: actions }).click();
          await adminPage.getByRole('menuitem', { name: language === 'EN' ? 'Delete' : 'Supprimer' }).click();
          const remove = adminPage.getByRole('dialog');
          await expect(remove.getByTestId('role-holders')).toBeVisible();
          if (language === 'EN' && theme === 'LIGHT' && width === 1280) await expectAccessible(adminPage, '.cdk-overlay-container');
          await adminPage.screenshot({ path: `${SHOTS}/delete-role-${name}.png` });
          await remove.getByRole('button', { name: language === 'EN' ? 'Cancel' : 'Annuler' }).click();
          await expect(remove).toBeHidden();
        }
      }
    }
  } finally {
    await setProfile('EN', 'LIGHT');
    await adminPage.setViewportSize({ width: 1280, height: 800 });
  }
});

test('the admin deletes the role, moving its holder to the replacement chosen', async () => {
  await adminPage.goto('/o/default/roles');
  const dialog = await roleAction(adminPage, ROLE, 'Delete');
  await expect(dialog.getByTestId('role-holders')).toContainText('People who hold this role: 1.');
  // No replacement yet: asked for one, nothing deleted.
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Choose the role they move to.');
  await choose(adminPage, 'Move them to', ['Viewer']);
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(dialog).toBeHidden();
  await expect(roleRow(adminPage, ROLE)).toHaveCount(0);
  await adminPage.goto('/o/default/users');
  await expect(row(adminPage, AUDREY.email)).toContainText('Viewer');

  // Audrey, now a Viewer, sees the pages a Viewer may open at her next request.
  await audreyPage.goto('/o/default/users');
  await expect.poll(() => navLinks(audreyPage)).toEqual(['Users', 'Teams', 'Roles']);
  await audreyPage.goto('/o/default/roles');
  await expect(audreyPage.getByRole('heading', { name: 'Roles' })).toBeVisible();
  // Reading roles is not managing them.
  await expect(audreyPage.getByRole('button', { name: 'Create role' })).toHaveCount(0);
  await expect(audreyPage.getByRole('button', { name: /^Actions for/ })).toHaveCount(0);
});
