import { readFileSync } from 'node:fs';
import { BrowserContext, expect, Page, test } from '@playwright/test';
import { ADMIN, expectAccessible, inviteAndRegister, newPage, row, signIn } from './support';
import { hotp, totp } from './totp';

const TESS = { email: 'tess.twofactor@example.com', firstName: 'Tess', lastName: 'Factor', password: 'second factor please 42' };

test.describe.configure({ mode: 'serial' });

let admin: BrowserContext;
let tess: BrowserContext;
let adminPage: Page;
let tessPage: Page;
/** Read from the page, as a person would type it into an authenticator app. */
let secret = '';
let recoveryCodes: string[] = [];
/** The code of the step after set-up, used to sign in. */
let signInCode = '';

test.beforeAll(async ({ browser }) => {
  [admin, adminPage] = await newPage(browser);
  await signIn(adminPage, ADMIN.email, ADMIN.password);
  await expect(adminPage).toHaveURL(/\/users$/);
  [tess, tessPage] = await inviteAndRegister(adminPage, browser, TESS);
});

test.afterAll(async () => {
  await admin?.close();
  await tess?.close();
});

test('the test computes TOTP codes by RFC 6238 (its test vectors)', () => {
  const key = Buffer.from('12345678901234567890');
  expect(hotp(key, 1, 8)).toBe('94287082');
  const base32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  expect(totp(base32, { at: 59_000, digits: 8 })).toBe('94287082');
  expect(totp(base32, { at: 1_111_111_109_000, digits: 8 })).toBe('07081804');
  expect(totp(base32, { at: 20_000_000_000_000, digits: 8 })).toBe('65353130');
});

test('a person sets up two-factor authentication and gets recovery codes once', async () => {
  await tessPage.getByRole('button', { name: 'Edit my profile' }).click();
  const section = tessPage.getByRole('dialog').getByTestId('two-factor-section');
  await expect(section).toContainText('Two-factor authentication is off.');
  await section.getByRole('button', { name: 'Set up' }).click();

  await expect(section.getByText('Install an authenticator app')).toBeVisible();
  await expect(section.getByRole('img', { name: `QR code that adds ${TESS.email} to an authenticator app` })).toBeVisible();
  secret = ((await section.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  await expect(section.getByRole('button', { name: 'Copy the secret key' })).toBeVisible();
  await expectAccessible(tessPage, '.cdk-overlay-container');
  await section.screenshot({ path: 'test-results/console-2fa-setup.png' });

  // A wrong code (five steps away: beyond the accepted drift) is refused, translated.
  await section.getByLabel('6-digit code').fill(totp(secret, { stepOffset: 5 }));
  await section.getByRole('button', { name: 'Complete setup' }).click();
  await expect(section.getByRole('alert')).toHaveText('This code is not valid.');

  await section.getByLabel('6-digit code').fill(totp(secret));
  await section.getByRole('button', { name: 'Complete setup' }).click();
  await expect(section.getByText('Two-factor authentication enabled')).toBeVisible();
  const items = section.getByTestId('recovery-codes').getByRole('listitem');
  await expect(items).toHaveCount(10);
  recoveryCodes = (await items.allTextContents()).map((c) => c.trim());
  for (const code of recoveryCodes) expect(code).toMatch(/^[A-Z2-7]{5}-[A-Z2-7]{5}$/);
  await expect(section.getByRole('button', { name: 'Copy', exact: true })).toBeVisible();
  await expectAccessible(tessPage, '.cdk-overlay-container');
  await section.screenshot({ path: 'test-results/console-2fa-recovery-codes.png' });

  const download = tessPage.waitForEvent('download');
  await section.getByRole('button', { name: 'Download (.txt)' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('roster-recovery-codes.txt');
  const text = readFileSync((await file.path()) ?? '', 'utf8');
  for (const code of recoveryCodes) expect(text).toContain(code);

  await section.getByRole('button', { name: 'I have saved them' }).click();
  await expect(section.getByTestId('recovery-codes')).toHaveCount(0);
  await expect(section.getByTestId('two-factor-status')).toHaveText(/Two-factor authentication is on\./);
  await tessPage.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
});

test('the users table shows who has two-factor authentication', async () => {
  await adminPage.reload();
  await expect(row(adminPage, TESS.email).getByTestId('two-factor-badge')).toBeVisible();
  await expect(row(adminPage, ADMIN.email).getByTestId('two-factor-badge')).toHaveCount(0);
  await adminPage.screenshot({ path: 'test-results/console-users-2fa.png' });
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
});

test('sign-in asks for a code after the password, and the next code lets the person in', async () => {
  await tessPage.getByRole('button', { name: 'Sign out' }).click();
  await expect(tessPage).toHaveURL(/\/sign-in$/);
  // The current step's code was consumed by the set-up; the next one is within the accepted drift.
  signInCode = totp(secret, { stepOffset: 1 });
  await signIn(tessPage, TESS.email, TESS.password, () => signInCode);
  await expect(tessPage).toHaveURL(/\/users$/);
  await expect(row(tessPage, TESS.email)).toBeVisible();
});

test('a code is accepted once; a recovery code signs in instead', async () => {
  await tessPage.getByRole('button', { name: 'Sign out' }).click();
  await signIn(tessPage, TESS.email, TESS.password, () => signInCode);
  await expect(tessPage.getByRole('alert')).toHaveText('This code was already used. Wait for the next one.');
  await expectAccessible(tessPage);
  await tessPage.getByLabel('Authentication code').fill(recoveryCodes[0]);
  await tessPage.getByRole('button', { name: 'Verify' }).click();
  await expect(tessPage).toHaveURL(/\/users$/);
});

test('a recovery code works only once', async () => {
  await tessPage.getByRole('button', { name: 'Sign out' }).click();
  await signIn(tessPage, TESS.email, TESS.password, () => recoveryCodes[0]);
  await expect(tessPage.getByRole('alert')).toHaveText('This code is not valid.');
  // Typed in lower case, the next one works.
  await tessPage.getByLabel('Authentication code').fill(recoveryCodes[1].toLowerCase());
  await tessPage.getByRole('button', { name: 'Verify' }).click();
  await expect(tessPage).toHaveURL(/\/users$/);
});

test('an admin resets two-factor authentication for someone who lost their device', async () => {
  await adminPage.reload();
  await adminPage.getByRole('button', { name: `Actions for ${TESS.email}` }).click();
  await adminPage.getByRole('menuitem', { name: 'Reset 2FA' }).click();
  const dialog = adminPage.getByRole('dialog');
  await expect(dialog.getByRole('heading', { name: `Reset two-factor authentication for ${TESS.email}?` })).toBeVisible();
  await expectAccessible(adminPage, '.cdk-overlay-container');
  await dialog.getByRole('button', { name: 'Reset 2FA' }).click();
  await expect(dialog).toBeHidden();
  await expect(adminPage.getByText(`Two-factor authentication reset for ${TESS.email}`)).toBeVisible();
  await expect(row(adminPage, TESS.email).getByTestId('two-factor-badge')).toHaveCount(0);
  // No "Reset 2FA" for someone without it.
  await adminPage.getByRole('button', { name: `Actions for ${TESS.email}` }).click();
  await expect(adminPage.getByRole('menuitem', { name: 'Edit' })).toBeVisible();
  await expect(adminPage.getByRole('menuitem', { name: 'Reset 2FA' })).toHaveCount(0);
  await adminPage.keyboard.press('Escape');

  // Her sessions ended; her password alone signs her in now.
  await tessPage.getByRole('link', { name: 'Teams' }).click();
  await expect(tessPage).toHaveURL(/\/sign-in/);
  await signIn(tessPage, TESS.email, TESS.password);
  await expect(tessPage).toHaveURL(/\/users$/);
});
