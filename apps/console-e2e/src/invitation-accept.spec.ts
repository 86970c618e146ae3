import { BrowserContext, expect, test } from '@playwright/test';
import { ADMIN, expectAccessible, inviteAndRegister, newPage, openDialog, row, signIn } from './support';

/** The organization the operator creates, its first admin, and a person of A it invites. */
const C = { name: 'Gamma Works', slug: 'gamma-works' };
const GINA = { email: 'gina.gamma@example.com', firstName: 'Gina', lastName: 'Gamma', password: 'third organization 2026' };
const JULES = { email: 'jules.joiner@example.com', firstName: 'Jules', lastName: 'Joiner', password: 'joining another one 2026' };

test.describe.configure({ mode: 'serial' });

const contexts: BrowserContext[] = [];
test.afterAll(async () => {
  for (const c of contexts) await c.close();
});

test('a person of A accepts an invitation into another organization: sign in, accept, land there', async ({ browser }) => {
  const [operator, operatorPage] = await newPage(browser);
  contexts.push(operator);
  await signIn(operatorPage, ADMIN.email, ADMIN.password);
  await expect(operatorPage).toHaveURL(/\/o\/default\/users$/);
  // Jules belongs to A (the first organization).
  const [julesInA] = await inviteAndRegister(operatorPage, browser, JULES);
  contexts.push(julesInA);
  await julesInA.close();

  // The operator creates C; its first admin registers and invites Jules.
  await operatorPage.goto('/organizations');
  const create = await openDialog(operatorPage, 'Create organization');
  await create.getByLabel('Name').fill(C.name);
  await create.getByLabel('Address (slug)').fill(C.slug);
  await create.getByLabel("First admin's email").fill(GINA.email);
  await create.getByRole('button', { name: 'Create organization' }).click();
  const adminUrl = await create.getByTestId('organization-invitation-url').inputValue();
  await create.getByRole('button', { name: 'Copy and close' }).click();
  const [gina, ginaPage] = await newPage(browser);
  contexts.push(gina);
  await ginaPage.goto(adminUrl);
  await ginaPage.getByLabel('First name').fill(GINA.firstName);
  await ginaPage.getByLabel('Last name').fill(GINA.lastName);
  await ginaPage.getByLabel('Password', { exact: true }).fill(GINA.password);
  await ginaPage.getByLabel('Confirm password').fill(GINA.password);
  await ginaPage.getByRole('button', { name: 'Create account' }).click();
  await expect(ginaPage).toHaveURL(`/o/${C.slug}/users`);
  const invite = await openDialog(ginaPage, 'Invite users');
  await invite.getByLabel('Email').fill(JULES.email);
  await invite.getByRole('button', { name: 'Create' }).click();
  const url = await invite.getByTestId('invitation-url').inputValue();
  await invite.getByRole('button', { name: 'Copy and close' }).click();

  // Jules, signed out, opens the link: an account exists, so sign in (no registration form).
  const [jules, page] = await newPage(browser);
  contexts.push(jules);
  await page.goto(url);
  await expect(page.getByRole('heading', { name: 'Join an organization' })).toBeVisible();
  await expect(page.getByTestId('sign-in-to-accept')).toHaveText('You already have an account: sign in to accept.');
  await expect(page.getByLabel('First name')).toHaveCount(0);
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/sign-in\?returnUrl=/);
  await page.getByLabel('Email').fill(JULES.email);
  await page.getByLabel('Password').fill(JULES.password);
  await page.getByRole('button', { name: 'Sign in' }).click();

  // Back on the invitation, signed in: Accept, then C's users page, where Jules now is.
  await expect(page).toHaveURL(/\/register\?token=/);
  await expect(page.getByText(`You are signed in as ${JULES.email}.`)).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Accept' }).click();
  await expect(page).toHaveURL(`/o/${C.slug}/users`);
  await expect(row(page, JULES.email)).toBeVisible();
  await expect(row(page, GINA.email)).toBeVisible();
  await expect(row(page, ADMIN.email)).toHaveCount(0);
  // Two organizations now: the switcher shows, and A is still there.
  await expect(page.getByTestId('organization-switcher')).toBeVisible();
  await page.goto('/o/default/users');
  await expect(row(page, ADMIN.email)).toBeVisible();

  // The link is used: opened again, it says so.
  await page.goto(url);
  await expect(page.getByText('This invitation link is not valid', { exact: false })).toBeVisible();
});

test('someone else signed in is told the invitation is for another account', async ({ browser }) => {
  const [operator, operatorPage] = await newPage(browser);
  contexts.push(operator);
  await signIn(operatorPage, ADMIN.email, ADMIN.password);
  // Gina (C) invites the operator, and opens the link in her own browser.
  const [gina, ginaPage] = await newPage(browser);
  contexts.push(gina);
  await signIn(ginaPage, GINA.email, GINA.password);
  await expect(ginaPage).toHaveURL(`/o/${C.slug}/users`);
  const invite = await openDialog(ginaPage, 'Invite users');
  await invite.getByLabel('Email').fill(ADMIN.email);
  await invite.getByRole('button', { name: 'Create' }).click();
  const url = await invite.getByTestId('invitation-url').inputValue();
  await invite.getByRole('button', { name: 'Copy and close' }).click();
  await ginaPage.goto(url);
  await expect(ginaPage.getByTestId('other-account')).toContainText(`You are signed in as ${GINA.email}`);
  await expect(ginaPage.getByRole('button', { name: 'Accept' })).toHaveCount(0);
  await expectAccessible(ginaPage);
  // The operator's invitation stays pending (it adds nothing to their organizations until accepted).
  await operatorPage.goto(url);
  await expect(operatorPage.getByRole('button', { name: 'Accept' })).toBeVisible();
});
