import { BrowserContext, expect, Page, test } from '@playwright/test';
import { ADMIN, choose, expectAccessible, newPage, openDialog, row, setupUrl, signIn } from './support';

const MEMBER = {
  email: 'grace.member@example.com',
  password: 'compiler pioneer 1952',
  newPassword: 'nanosecond wire 1985',
  resetPassword: 'cobol committee 1959',
};

test.describe.configure({ mode: 'serial' });

let admin: BrowserContext;
let member: BrowserContext;
let adminPage: Page;
let memberPage: Page;
let invitationUrl = '';

test.beforeAll(async ({ browser }) => {
  [admin, adminPage] = await newPage(browser);
  [member, memberPage] = await newPage(browser);
});

test.afterAll(async () => {
  await admin?.close();
  await member?.close();
});

test('signed-out visitors are sent to sign-in, which is accessible', async () => {
  await memberPage.goto('/teams');
  await expect(memberPage).toHaveURL(/\/sign-in\?returnUrl=%2Fteams/);
  await expect(memberPage.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expectAccessible(memberPage);
});

test('the first admin registers through the set-up URL', async () => {
  await adminPage.goto(setupUrl());
  await expect(adminPage.getByRole('heading', { name: 'Set up the first admin' })).toBeVisible();
  await expectAccessible(adminPage);
  await adminPage.getByLabel('Email').fill(ADMIN.email);
  await adminPage.getByLabel('First name').fill('Ada');
  await adminPage.getByLabel('Last name').fill('Lovelace');
  await adminPage.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  await adminPage.getByLabel('Confirm password').fill(ADMIN.password);
  await adminPage.getByRole('button', { name: 'Create admin account' }).click();
  await expect(adminPage).toHaveURL(/\/users$/);
  await expect(row(adminPage, ADMIN.email)).toContainText('Full access');
  await expect(adminPage.getByRole('columnheader')).toHaveText([
    'First name',
    'Last name',
    'Email',
    'Role',
    'Teams',
    'Permissions',
    'Last connection',
    'Actions',
  ]);
  await expectAccessible(adminPage);
});

test('the admin creates teams', async () => {
  await adminPage.getByRole('link', { name: 'Teams' }).click();
  for (const name of ['Engineering', 'Design']) {
    await adminPage.getByRole('button', { name: 'Create team' }).click();
    const dialog = adminPage.getByRole('dialog');
    await dialog.getByLabel('Team name').fill(name);
    await dialog.getByRole('button', { name: 'Create team' }).click();
    await expect(adminPage.getByRole('cell', { name, exact: true })).toBeVisible();
  }
  await expectAccessible(adminPage);
});

test('the admin invites a Member and gets one Registration URL', async () => {
  await adminPage.getByRole('link', { name: 'Users' }).click();
  await adminPage.getByRole('button', { name: 'Invite users' }).click();
  const dialog = adminPage.getByRole('dialog');
  await expect(dialog.getByRole('combobox', { name: 'Role' })).toContainText('Member');
  await dialog.getByLabel('Email').fill(MEMBER.email);
  await choose(adminPage, 'Resource groups', ['Engineering'], true);
  await expectAccessible(adminPage, '.cdk-overlay-container');
  await dialog.getByRole('button', { name: 'Create' }).click();
  const url = dialog.getByLabel('Registration URL');
  await expect(url).toHaveValue(/\/register\?token=/);
  invitationUrl = await url.inputValue();
  await dialog.getByRole('button', { name: 'Copy and close' }).click();
  await expect(dialog).toBeHidden();
  await expect(adminPage.getByText('URL copied to the clipboard')).toBeVisible();
  const invited = row(adminPage, MEMBER.email);
  await expect(invited).toContainText('Invited');
  await expect(invited).toContainText(/Invitation expires in \d+ days/);
});

test('the invited person registers and lands signed in', async () => {
  await memberPage.goto(invitationUrl);
  await expect(memberPage.getByTestId('invited-email')).toContainText(MEMBER.email);
  await memberPage.getByLabel('First name').fill('Grace');
  await memberPage.getByLabel('Last name').fill('Hopper');
  await memberPage.getByLabel('Password', { exact: true }).fill(MEMBER.password);
  await memberPage.getByLabel('Confirm password').fill('something different 1');
  await memberPage.getByLabel('Last name').click();
  await expect(memberPage.getByText('The passwords do not match')).toBeVisible();
  await memberPage.getByLabel('Confirm password').fill(MEMBER.password);
  await memberPage.getByRole('button', { name: 'Create account' }).click();
  await expect(memberPage).toHaveURL(/\/users$/);
  await expect(row(memberPage, MEMBER.email)).toContainText('Standard access');
});

test('the admin searches the user, then edits role and teams', async () => {
  await adminPage.getByLabel('Search by email').fill('GRACE.mem');
  await expect(adminPage.locator('tr[data-email]')).toHaveCount(1);
  await expect(adminPage.getByTestId('user-total')).toHaveText('1 user');
  await adminPage.getByRole('button', { name: `Actions for ${MEMBER.email}` }).click();
  await adminPage.getByRole('menuitem', { name: 'Edit' }).click();
  const dialog = adminPage.getByRole('dialog');
  await choose(adminPage, 'Role', ['Viewer']);
  await choose(adminPage, 'Resource groups', ['Engineering', 'Design'], true);
  await expectAccessible(adminPage, '.cdk-overlay-container');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  const edited = row(adminPage, MEMBER.email);
  await expect(edited).toContainText('Viewer');
  await expect(edited).toContainText('Read only');
  await expect(edited).toContainText('Design');
  await expect(edited).not.toContainText('Engineering');
});

test('the admin exports everyone, or only the users matching the search, through the browser download', async () => {
  const { readFileSync } = await import('node:fs');
  const save = async (item: string) => {
    await adminPage.getByRole('button', { name: 'Export users' }).click();
    const download = adminPage.waitForEvent('download');
    await adminPage.getByRole('menuitem', { name: item }).click();
    const file = await download;
    return { name: file.suggestedFilename(), path: (await file.path()) ?? '' };
  };
  // The search "GRACE.mem" is active: the menu offers its one match besides everyone.
  const matching = await save('Matching users only, 1 (CSV)');
  expect(matching.name).toMatch(/^users-.*\.csv$/);
  const csv = readFileSync(matching.path, 'utf8');
  expect(csv).toContain(MEMBER.email);
  expect(csv).not.toContain(ADMIN.email);
  await expect(adminPage.getByText('Export started')).toBeVisible();

  const everyone = readFileSync((await save('All users (CSV)')).path, 'utf8');
  expect(everyone).toContain(MEMBER.email);
  expect(everyone).toContain(ADMIN.email);
  const xlsx = await save('All users (XLSX, Excel)');
  expect(xlsx.name).toMatch(/\.xlsx$/);
  expect(readFileSync(xlsx.path).subarray(0, 2).toString()).toBe('PK'); // a zip, as XLSX files are

  // A refused export (here: the session cookie is no longer valid) is shown translated, the page stays.
  const cookies = await admin.cookies();
  const session = cookies.find((c) => c.name === 'roster_session');
  if (!session) throw new Error('no session cookie');
  await admin.addCookies([{ ...session, value: 'not-a-session-any-more-000000' }]);
  await adminPage.getByRole('button', { name: 'Export users' }).click();
  await adminPage.getByRole('menuitem', { name: 'All users (CSV)' }).click();
  await expect(adminPage.getByText('Your session has ended. Please sign in again.')).toBeVisible();
  await admin.addCookies([session]);
  await expect(adminPage.getByLabel('Search by email')).toHaveValue('GRACE.mem');
});

test('the user sees no admin actions', async () => {
  await memberPage.reload();
  await expect(row(memberPage, MEMBER.email)).toContainText('Viewer');
  await expect(memberPage.getByRole('button', { name: 'Invite users' })).toHaveCount(0);
  await expect(memberPage.getByRole('button', { name: 'Export users' })).toHaveCount(0);
  await expect(memberPage.getByRole('button', { name: /^Actions for/ })).toHaveCount(0);
  await memberPage.getByRole('link', { name: 'Teams' }).click();
  await expect(memberPage.getByRole('button', { name: 'Create team' })).toHaveCount(0);
  await memberPage.getByRole('link', { name: 'Users' }).click();
});

test('the user switches to French and dark theme, applied at once and remembered', async () => {
  await memberPage.getByRole('button', { name: 'Edit my profile' }).click();
  const dialog = memberPage.getByRole('dialog');
  await expect(dialog.getByTestId('two-factor-section')).toBeVisible();
  await expectAccessible(memberPage, '.cdk-overlay-container');
  await choose(memberPage, 'Language', ['Français']);
  await expect(dialog.getByRole('heading', { name: 'Modifier mon profil' })).toBeVisible();
  await dialog.getByRole('radio', { name: 'Sombre' }).click();
  await expect(memberPage.locator('html')).toHaveClass(/theme-dark/);
  await dialog.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(dialog).toBeHidden();
  await expect(memberPage.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(memberPage.getByRole('heading', { name: 'Utilisateurs' })).toBeVisible();
  await expect(memberPage.getByRole('columnheader', { name: 'Dernière connexion' })).toBeVisible();
  // Built-in role names follow the language (the person is a Viewer since the admin's edit).
  await expect(row(memberPage, MEMBER.email).getByRole('cell').nth(3)).toHaveText('Lecteur');
  await memberPage.screenshot({ path: 'test-results/console-users-fr-dark.png', fullPage: true });
  await expectAccessible(memberPage);
  // Remembered: a fresh load applies them from `me`.
  await memberPage.reload();
  await expect(memberPage.getByRole('heading', { name: 'Utilisateurs' })).toBeVisible();
  await expect(memberPage.locator('html')).toHaveClass(/theme-dark/);
});

test('the user changes their password', async () => {
  const dialog = await openDialog(memberPage, 'Modifier mon profil');
  await dialog.getByLabel('Mot de passe actuel').fill('not my password 123');
  await dialog.getByLabel('Nouveau mot de passe', { exact: true }).fill(MEMBER.newPassword);
  await dialog.getByLabel('Confirmer le nouveau mot de passe').fill(MEMBER.newPassword);
  await dialog.getByRole('button', { name: 'Changer le mot de passe' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Le mot de passe actuel est incorrect.');
  await dialog.getByLabel('Mot de passe actuel').fill(MEMBER.password);
  await dialog.getByRole('button', { name: 'Changer le mot de passe' }).click();
  await expect(dialog.getByRole('status')).toContainText('Mot de passe changé');
  await memberPage.screenshot({ path: 'test-results/console-profile-fr-dark.png' });
  await dialog.getByRole('button', { name: 'Fermer' }).click();
});

test('the admin deactivates the user: their open console is signed out and sign-in is refused, until reactivated', async () => {
  await adminPage.getByRole('button', { name: `Actions for ${MEMBER.email}` }).click();
  await adminPage.getByRole('menuitem', { name: 'Deactivate' }).click();
  const dialog = adminPage.getByRole('dialog');
  await expect(dialog).toContainText(`Deactivate ${MEMBER.email}?`);
  await dialog.getByRole('button', { name: 'Deactivate' }).click();
  await expect(adminPage.getByText(`${MEMBER.email} is deactivated`)).toBeVisible();
  await expect(row(adminPage, MEMBER.email)).toContainText('Deactivated');

  // The person's open console: the next navigation lands on sign-in, where their password is refused.
  await memberPage.getByRole('link', { name: 'Équipes' }).click();
  await expect(memberPage).toHaveURL(/\/sign-in/);
  await memberPage.getByLabel('E-mail').fill(MEMBER.email);
  await memberPage.getByLabel('Mot de passe').fill(MEMBER.newPassword);
  await memberPage.getByRole('button', { name: 'Se connecter', exact: true }).click();
  await expect(memberPage.getByRole('alert')).toHaveText('Ce compte est désactivé. Demandez à un administrateur de le réactiver.');

  // The status filter shows them among the deactivated; the admin lets them back in.
  await adminPage.getByLabel('Search by email').fill('');
  await adminPage.getByTestId('status-filter').click();
  await adminPage.getByRole('option', { name: 'Deactivated' }).click();
  await expect(adminPage.getByTestId('user-total')).toHaveText('1 user');
  await adminPage.getByRole('button', { name: `Actions for ${MEMBER.email}` }).click();
  await adminPage.getByRole('menuitem', { name: 'Reactivate' }).click();
  await expect(adminPage.getByText(`${MEMBER.email} can sign in again`)).toBeVisible();
  await expect(row(adminPage, MEMBER.email)).toHaveCount(0);
  await adminPage.getByTestId('status-filter').click();
  await adminPage.getByRole('option', { name: 'All' }).click();
  await expect(row(adminPage, MEMBER.email)).not.toContainText('Deactivated');
  await expectAccessible(adminPage);

  await memberPage.getByRole('button', { name: 'Se connecter', exact: true }).click();
  await expect(memberPage).toHaveURL(/\/teams/);
  await memberPage.goto('/users');
  await expect(row(memberPage, MEMBER.email)).toBeVisible();
});

test('the admin gives the user a password-reset link: the new password works, the old one no longer', async ({ browser }) => {
  await adminPage.getByRole('button', { name: `Actions for ${MEMBER.email}` }).click();
  await adminPage.getByRole('menuitem', { name: 'Reset password' }).click();
  const dialog = adminPage.getByRole('dialog');
  await expect(dialog).toContainText(`Give this URL to ${MEMBER.email}`);
  const url = await dialog.getByLabel('Password-reset URL').inputValue();
  await expectAccessible(adminPage, '.cdk-overlay-container');
  await dialog.getByRole('button', { name: 'Copy and close' }).click();
  await expect(dialog).toBeHidden();

  const [context, page] = await newPage(browser);
  await page.goto(url);
  await expect(page.getByTestId('reset-email')).toContainText(MEMBER.email);
  await expectAccessible(page);
  await page.getByLabel('New password').fill(MEMBER.resetPassword);
  await page.getByLabel('Confirm password').fill(MEMBER.resetPassword);
  await page.getByRole('button', { name: 'Set the new password' }).click();
  await expect(page.getByRole('status')).toHaveText('Your password is changed. Sign in with it.');
  // Used once: the same link no longer works.
  await page.goto(url);
  await expect(page.getByRole('alert')).toContainText('This password-reset link is not valid');

  // The person's open console was signed out; the old password is refused, the new one works.
  await memberPage.reload();
  await expect(memberPage).toHaveURL(/\/sign-in/);
  await signIn(page, MEMBER.email, MEMBER.newPassword);
  await expect(page.getByRole('alert')).toHaveText('Wrong email or password.');
  await signIn(memberPage, MEMBER.email, MEMBER.resetPassword);
  await expect(memberPage).not.toHaveURL(/\/sign-in/);
  await memberPage.goto('/users');
  await expect(row(memberPage, MEMBER.email)).toBeVisible();
  await context.close();
});

test('the admin deletes the user after typing DELETE', async () => {
  await adminPage.getByRole('button', { name: `Actions for ${MEMBER.email}` }).click();
  await adminPage.getByRole('menuitem', { name: 'Delete' }).click();
  const dialog = adminPage.getByRole('dialog');
  const confirm = dialog.getByRole('button', { name: 'Delete' });
  await expect(confirm).toBeDisabled();
  await expectAccessible(adminPage, '.cdk-overlay-container');
  await dialog.getByLabel('Confirmation word').fill('delete');
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel('Confirmation word').fill('DELETE');
  await confirm.click();
  await expect(dialog).toBeHidden();
  await expect(row(adminPage, MEMBER.email)).toHaveCount(0);
});

test("the deleted user's access ends at the next navigation", async () => {
  await memberPage.getByRole('link', { name: 'Équipes' }).click();
  await expect(memberPage).toHaveURL(/\/sign-in/);
});

test('the console fits a 375 px wide screen', async () => {
  await adminPage.setViewportSize({ width: 375, height: 740 });
  await adminPage.getByLabel('Search by email').fill('');
  await expect(row(adminPage, ADMIN.email)).toBeVisible();
  const overflow = await adminPage.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await adminPage.screenshot({ path: 'test-results/console-users-375.png' });
});

test('the admin signs out, then signs in again and returns where they were', async () => {
  await adminPage.setViewportSize({ width: 1280, height: 800 });
  await adminPage.getByRole('button', { name: 'Sign out' }).click();
  await expect(adminPage).toHaveURL(/\/sign-in$/);
  await adminPage.goto('/teams');
  await expect(adminPage).toHaveURL(/\/sign-in\?returnUrl=%2Fteams/);
  await adminPage.getByLabel('Email').fill(ADMIN.email);
  await adminPage.getByLabel('Password').fill('wrong password here');
  await adminPage.getByRole('button', { name: 'Sign in' }).click();
  await expect(adminPage.getByRole('alert')).toHaveText('Wrong email or password.');
  await adminPage.getByLabel('Password').fill(ADMIN.password);
  await adminPage.getByRole('button', { name: 'Sign in' }).click();
  await expect(adminPage).toHaveURL(/\/teams$/);
  await expect(adminPage.getByRole('cell', { name: 'Engineering', exact: true })).toBeVisible();
});
