import { BrowserContext, expect, Page, test } from '@playwright/test';
import { ADMIN, expectAccessible, newPage, openDialog, row, signIn } from './support';

/** The first admin of the organization the operator creates. */
const BEA = { email: 'bea.beta@example.com', firstName: 'Bea', lastName: 'Beta', password: 'second organization 2026' };
const B = { name: 'Beta Labs', slug: 'beta-labs' };

test.describe.configure({ mode: 'serial' });

let operator: BrowserContext;
let bea: BrowserContext;
let operatorPage: Page;
let beaPage: Page;

test.afterAll(async () => {
  await operator?.close();
  await bea?.close();
});

test('an operator creates organization B and gets its first admin’s invitation URL', async ({ browser }) => {
  [operator, operatorPage] = await newPage(browser);
  await signIn(operatorPage, ADMIN.email, ADMIN.password);
  await expect(operatorPage).toHaveURL(/\/o\/default\/users$/);
  await operatorPage.getByRole('link', { name: 'Organizations' }).click();
  await expect(operatorPage).toHaveURL('/organizations');
  await expect(operatorPage.getByRole('heading', { name: 'Organizations' })).toBeVisible();
  await expect(operatorPage.locator('tr[data-slug="default"]')).toBeVisible();
  await expectAccessible(operatorPage);

  const dialog = await openDialog(operatorPage, 'Create organization');
  await dialog.getByLabel('Name').fill(B.name);
  // The slug is proposed from the name.
  await expect(dialog.getByLabel('Address (slug)')).toHaveValue(B.slug);
  await dialog.getByLabel("First admin's email").fill(BEA.email);
  await expectAccessible(operatorPage, '.cdk-overlay-container');
  await dialog.getByRole('button', { name: 'Create organization' }).click();
  const url = await dialog.getByTestId('organization-invitation-url').inputValue();
  expect(url).toMatch(/\/register\?token=/);
  await dialog.getByRole('button', { name: 'Copy and close' }).click();
  await expect(dialog).toBeHidden();
  await expect(operatorPage.locator(`tr[data-slug="${B.slug}"]`)).toContainText(B.name);

  // The same slug again: refused, and said so.
  const again = await openDialog(operatorPage, 'Create organization');
  await again.getByLabel('Name').fill('Beta Labs again');
  await again.getByLabel('Address (slug)').fill(B.slug);
  await again.getByLabel("First admin's email").fill('someone.else@example.com');
  await again.getByRole('button', { name: 'Create organization' }).click();
  await expect(again.getByTestId('slug-taken')).toHaveText('Another organization already uses this address.');
  await expect(again.getByLabel('Address (slug)')).toBeFocused();
  await again.getByRole('button', { name: 'Cancel' }).click();

  // B's admin registers and lands in B, where only B's people are.
  [bea, beaPage] = await newPage(browser);
  await beaPage.goto(url);
  await beaPage.getByLabel('First name').fill(BEA.firstName);
  await beaPage.getByLabel('Last name').fill(BEA.lastName);
  await beaPage.getByLabel('Password', { exact: true }).fill(BEA.password);
  await beaPage.getByLabel('Confirm password').fill(BEA.password);
  await beaPage.getByRole('button', { name: 'Create account' }).click();
  await expect(beaPage).toHaveURL(`/o/${B.slug}/users`);
  await expect(row(beaPage, BEA.email)).toContainText('Full access');
  await expect(beaPage.getByTestId('user-total')).toHaveText('1 user');
  await expect(row(beaPage, ADMIN.email)).toHaveCount(0);
  // Not an operator, in one organization: neither the Organizations page nor the switcher.
  await expect(beaPage.getByRole('link', { name: 'Organizations' })).toHaveCount(0);
  await expect(beaPage.getByTestId('organization-switcher')).toHaveCount(0);
  await beaPage.goto('/organizations');
  await expect(beaPage).toHaveURL(`/o/${B.slug}/users`);
});

test('B’s admin opening A’s URL gets the not-a-member page', async () => {
  await beaPage.goto('/o/default/users');
  await expect(beaPage.getByRole('heading', { name: 'You are not a member of this organization' })).toBeVisible();
  await expect(beaPage).toHaveURL('/o/default/users');
  await expect(row(beaPage, ADMIN.email)).toHaveCount(0);
  await beaPage.getByRole('link', { name: `Go to ${B.name}` }).click();
  await expect(beaPage).toHaveURL(`/o/${B.slug}/users`);
});

test('a person in A and B switches between them; each page shows that organization’s people', async () => {
  // B's admin invites A's admin, who accepts while signed in.
  await beaPage.getByRole('button', { name: 'Invite users' }).click();
  const dialog = beaPage.getByRole('dialog');
  await dialog.getByLabel('Email').fill(ADMIN.email);
  await dialog.getByRole('button', { name: 'Create' }).click();
  const url = await dialog.getByTestId('invitation-url').inputValue();
  await dialog.getByRole('button', { name: 'Copy and close' }).click();
  await operatorPage.goto(url);
  await operatorPage.getByTestId('accept-invitation').click();
  await expect(operatorPage).toHaveURL(`/o/${B.slug}/users`);

  await operatorPage.goto('/o/default/users');
  await expect(row(operatorPage, ADMIN.email)).toBeVisible();
  await expect(row(operatorPage, BEA.email)).toHaveCount(0);
  const switcher = operatorPage.getByTestId('organization-switcher');
  await expect(switcher).toContainText('Default');
  await switcher.click();
  await expectAccessible(operatorPage, '.cdk-overlay-container');
  await operatorPage.getByRole('menuitem', { name: B.name }).click();
  await expect(operatorPage).toHaveURL(`/o/${B.slug}/users`);
  await expect(row(operatorPage, BEA.email)).toBeVisible();
  await expect(row(operatorPage, ADMIN.email)).toContainText('Member');
  await expect(switcher).toContainText(B.name);
  const peopleOfA = operatorPage.locator('tr[data-email]').filter({ hasNotText: /bea\.beta|ada\.admin/ });
  await expect(peopleOfA).toHaveCount(0);

  // The same page in the other organization: the teams of B, then back to A.
  await operatorPage.getByRole('link', { name: 'Teams' }).click();
  await expect(operatorPage).toHaveURL(`/o/${B.slug}/teams`);
  await expect(operatorPage.getByText('No teams yet')).toBeVisible();
  await switcher.click();
  await operatorPage.getByRole('menuitem', { name: 'Default' }).click();
  await expect(operatorPage).toHaveURL('/o/default/teams');
  await expect(operatorPage.getByRole('cell', { name: 'Engineering', exact: true })).toBeVisible();

  // Reload and Back keep the organization of the URL.
  await operatorPage.reload();
  await expect(operatorPage).toHaveURL('/o/default/teams');
  await expect(switcher).toContainText('Default');
  await operatorPage.goBack();
  await expect(operatorPage).toHaveURL(`/o/${B.slug}/teams`);
  await expect(operatorPage.getByText('No teams yet')).toBeVisible();
  await expect(switcher).toContainText(B.name);
  await operatorPage.goBack();
  await expect(operatorPage).toHaveURL(`/o/${B.slug}/users`);
  await expect(row(operatorPage, BEA.email)).toBeVisible();
  await operatorPage.reload();
  await expect(operatorPage).toHaveURL(`/o/${B.slug}/users`);
  await expect(row(operatorPage, BEA.email)).toBeVisible();
  await expect(row(operatorPage, ADMIN.email)).toContainText('Member');
});

test('a suspended organization: its only members get the no-organization page; reactivated, it opens again', async () => {
  await operatorPage.goto('/organizations');
  await operatorPage.getByRole('button', { name: `Actions for ${B.name}` }).click();
  await operatorPage.getByRole('menuitem', { name: 'Suspend' }).click();
  await operatorPage.getByRole('dialog').getByRole('button', { name: 'Suspend' }).click();
  await expect(operatorPage.locator(`tr[data-slug="${B.slug}"]`)).toContainText('Suspended');

  await beaPage.goto('/');
  await expect(beaPage).toHaveURL('/no-organization');
  await expect(beaPage.getByRole('heading', { name: 'No organization to open' })).toBeVisible();
  await expect(beaPage.getByTestId('my-organizations')).toContainText(B.name);
  await expect(beaPage.getByTestId('my-organizations')).toContainText('Suspended');
  await expectAccessible(beaPage);
  // B's own URL: refused like any organization one may not enter, and no "Sign in" to someone signed in.
  await beaPage.goto(`/o/${B.slug}/users`);
  await expect(beaPage.getByRole('heading', { name: 'You are not a member of this organization' })).toBeVisible();
  await expect(beaPage.getByRole('link', { name: 'Sign in' })).toHaveCount(0);
  await beaPage.getByRole('link', { name: 'See my organizations' }).click();
  await expect(beaPage).toHaveURL('/no-organization');

  await operatorPage.getByRole('button', { name: `Actions for ${B.name}` }).click();
  await operatorPage.getByRole('menuitem', { name: 'Reactivate' }).click();
  await expect(operatorPage.locator(`tr[data-slug="${B.slug}"]`)).toContainText('Active');
  await beaPage.goto('/');
  await expect(beaPage).toHaveURL(`/o/${B.slug}/users`);

  // Sign-in lands in the organization used last: the suites after this one expect A's admin in A.
  await operatorPage.goto('/o/default/users');
  await expect(row(operatorPage, ADMIN.email)).toBeVisible();
  await operatorPage.getByRole('button', { name: 'Sign out' }).click();
  await signIn(operatorPage, ADMIN.email, ADMIN.password);
  await expect(operatorPage).toHaveURL('/o/default/users');
});
