import { expect, test } from '@playwright/test';
import { ADMIN, expectAccessible, newPage, signIn } from './support';

test('console URLs carry the organization; reload, Back and old links keep it', async ({ browser }) => {
  const [context, page] = await newPage(browser);
  const named: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/graphql' && new URL(page.url()).pathname.startsWith('/o/')) {
      named.push(request.headers()['x-roster-organization'] ?? '(none)');
    }
  });
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/o\/[a-z0-9-]+\/users$/);
  const slug = /\/o\/([a-z0-9-]+)\//.exec(page.url())?.[1] ?? '';
  expect(slug).toBe('default');
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();

  await page.getByRole('link', { name: 'Teams' }).click();
  await expect(page).toHaveURL(`/o/${slug}/teams`);
  await page.reload();
  await expect(page).toHaveURL(`/o/${slug}/teams`);
  await expect(page.getByRole('heading', { name: 'Teams' })).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(`/o/${slug}/users`);
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();

  // An old link, its query kept; Back does not bounce through the old URL.
  await page.goto('/audit?action=team.renamed');
  await expect(page).toHaveURL(`/o/${slug}/audit?action=team.renamed`);
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  await page.goto('/');
  await expect(page).toHaveURL(`/o/${slug}/users`);

  // Every request made inside the organization named it.
  expect(named.length).toBeGreaterThan(0);
  expect(new Set(named)).toEqual(new Set([slug]));

  // An organization the person is not in: a clear page, the URL kept, a way home.
  await page.goto('/o/not-mine/users');
  await expect(page.getByRole('heading', { name: 'You are not a member of this organization' })).toBeVisible();
  await expect(page).toHaveURL('/o/not-mine/users');
  await expect(page.locator('mat-snack-bar-container')).toHaveCount(0);
  await expectAccessible(page);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'You are not a member of this organization' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to Default' }).click();
  await expect(page).toHaveURL(`/o/${slug}/users`);
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
  await context.close();
});
