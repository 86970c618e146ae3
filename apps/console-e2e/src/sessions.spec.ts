import { BrowserContext, expect, Page, test } from '@playwright/test';
import { ADMIN, expectAccessible, inviteAndRegister, newPage, row, signIn } from './support';
import { totp } from './totp';

const SAM = { email: 'sam.sessions@example.com', firstName: 'Sam', lastName: 'Sessions', password: 'many browsers at once 7' };

test.describe.configure({ mode: 'serial' });

let admin: BrowserContext;
let adminPage: Page;
let laptop: BrowserContext;
let laptopPage: Page;

/** The admin's own GraphQL call from the console's page (cookie + CSRF header, as the console sends). */
async function adminGraphql(query: string, variables: Record<string, unknown> = {}): Promise<unknown> {
  return adminPage.evaluate(
    async ([q, v]) => {
      const csrf = /(?:^|; )roster_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '';
      const res = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf) },
        body: JSON.stringify({ query: q, variables: v }),
      });
      return res.json();
    },
    [query, variables] as const,
  );
}

async function memberRoleId(): Promise<string> {
  const r = (await adminGraphql(`{ roles { id key } }`)) as { data: { roles: { id: string; key: string }[] } };
  const role = r.data.roles.find((x) => x.key === 'MEMBER');
  if (!role) throw new Error('no Member role');
  return role.id;
}

test.beforeAll(async ({ browser }) => {
  [admin, adminPage] = await newPage(browser);
  await signIn(adminPage, ADMIN.email, ADMIN.password);
  await expect(adminPage).toHaveURL(/\/users$/);
  [laptop, laptopPage] = await inviteAndRegister(adminPage, browser, SAM);
});

test.afterAll(async () => {
  await adminGraphql(`mutation { setTwoFactorPolicy(input: { requiredRoleIds: [], ssoMode: TRUST_PROVIDER }) { ssoMode } }`).catch(
    () => undefined,
  );
  await admin?.close();
  await laptop?.close();
});

test('a person sees where they are signed in and signs out every other browser', async ({ browser }) => {
  const [phone, phonePage] = await newPage(browser);
  await signIn(phonePage, SAM.email, SAM.password);
  await expect(phonePage).toHaveURL(/\/users$/);

  await laptopPage.getByRole('button', { name: 'Edit my profile' }).click();
  const section = laptopPage.getByRole('dialog').getByTestId('sessions-section');
  await expect(section.getByRole('heading', { name: "Where you're signed in" })).toBeVisible();
  await expect(section.getByTestId('session')).toHaveCount(2);
  // Debian's Chromium on Linux, seen through the user agent; this browser is marked.
  await expect(section.getByTestId('session').first()).toContainText(/Chrom(e|ium) \d+ on Linux/);
  await expect(section.getByTestId('this-device')).toHaveCount(1);
  await expect(section.getByTestId('session').filter({ has: laptopPage.getByTestId('this-device') })).not.toContainText('Sign out');
  await expectAccessible(laptopPage, '.cdk-overlay-container');

  await section.getByRole('button', { name: 'Sign out all other sessions' }).click();
  const confirm = laptopPage.getByRole('dialog', { name: 'Sign out your other sessions?' });
  await expect(confirm).toContainText('(1)');
  await confirm.getByRole('button', { name: 'Sign out all other sessions' }).click();
  await expect(laptopPage.getByText('1 sessions signed out.')).toBeVisible();
  await expect(section.getByTestId('session')).toHaveCount(1);
  await laptopPage.keyboard.press('Escape');

  // The phone's next page needs a session: back to the sign-in page.
  await phonePage.goto('/teams');
  await expect(phonePage).toHaveURL(/\/sign-in/);
  await phone.close();
});

test("an admin opens a person's sessions from the row menu and ends one", async () => {
  await adminPage.goto('/users');
  await adminPage.getByTestId('user-search').fill(SAM.email);
  // The search has run (the table reloads after a pause in typing): only Sam is left.
  await expect(adminPage.locator('tr[data-email]')).toHaveCount(1);
  await expect(row(adminPage, SAM.email)).toBeVisible();
  await adminPage.getByRole('button', { name: `Actions for ${SAM.email}` }).click();
  await adminPage.getByRole('menuitem', { name: 'Sessions…' }).click();
  const dialog = adminPage.getByRole('dialog', { name: `Where ${SAM.email} is signed in` });
  await expect(dialog.getByTestId('session')).toHaveCount(1);
  await expectAccessible(adminPage, '.cdk-overlay-container');
  await dialog.getByRole('button', { name: /^Sign out/ }).click();
  await expect(adminPage.getByText('Session signed out.')).toBeVisible();
  await expect(dialog.getByText('No active sessions.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();

  await laptopPage.goto('/teams');
  await expect(laptopPage).toHaveURL(/\/sign-in/);
});

test('a role that requires two-factor authentication sends its people to the set-up first', async () => {
  await adminGraphql(`mutation($i: SetTwoFactorPolicyInput!) { setTwoFactorPolicy(input: $i) { ssoMode } }`, {
    i: { requiredRoleIds: [await memberRoleId()], ssoMode: 'TRUST_PROVIDER' },
  });
  await signIn(laptopPage, SAM.email, SAM.password);
  await expect(laptopPage).toHaveURL(/\/two-factor-setup/);
  await expect(laptopPage.getByTestId('two-factor-required')).toContainText('Your role requires two-factor authentication');
  // Nothing else opens until it is done.
  await laptopPage.goto('/teams');
  await expect(laptopPage).toHaveURL(/\/two-factor-setup\?returnUrl=%2Fteams/);
  await expectAccessible(laptopPage);

  await laptopPage.getByRole('button', { name: 'Set up' }).click();
  const secret = ((await laptopPage.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '');
  await laptopPage.getByLabel('6-digit code').fill(totp(secret));
  await laptopPage.getByRole('button', { name: 'Complete setup' }).click();
  await expect(laptopPage.getByTestId('recovery-codes').locator('li')).toHaveCount(10);
  await laptopPage.getByRole('button', { name: 'I have saved them' }).click();
  // On to where they were going.
  await expect(laptopPage).toHaveURL(/\/teams$/);

  // The users table tells who still lacks it.
  await adminPage.goto('/users');
  await adminPage.getByTestId('user-search').fill('sam.sessions');
  await expect(adminPage.locator('tr[data-email]')).toHaveCount(1);
  await expect(row(adminPage, SAM.email)).toBeVisible();
  await adminPage.getByTestId('two-factor-filter').click();
  await adminPage.getByRole('option', { name: '2FA missing' }).click();
  await expect(row(adminPage, SAM.email)).toHaveCount(0);
  // The list has closed (a click while it closes would not open it again).
  await expect(adminPage.getByRole('listbox')).toHaveCount(0);
  await adminPage.getByTestId('two-factor-filter').click();
  await adminPage.getByRole('option', { name: '2FA on' }).click();
  await expect(row(adminPage, SAM.email)).toBeVisible();
});
