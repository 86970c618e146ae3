import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { ADMIN, expectAccessible, newPage, row, signIn } from './support';

/** The admin pastes 50 lines, 3 of them unusable: the preview says so, 47 invitations are made at once. */
test('the admin invites 47 people at once from 50 pasted lines, 3 of them invalid', async ({ browser }) => {
  const [context, page] = await newPage(browser);
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/users/);
  await page.getByRole('button', { name: 'Invite users' }).click();
  await page.getByRole('button', { name: 'Invite several people…' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('heading', { name: 'Invite several people' })).toBeVisible();

  const good = Array.from({ length: 47 }, (_, i) => `crowd${String(i).padStart(2, '0')}@example.com`);
  // Three unusable lines: not an email, a repeat, and the admin's own (already a user).
  const lines = [...good.slice(0, 10), 'not-an-email', good[3], ADMIN.email, ...good.slice(10)];
  expect(lines).toHaveLength(50);
  await dialog.getByTestId('bulk-emails').fill(lines.join('\n'));
  await dialog.getByRole('button', { name: 'Check the list' }).click();
  await expect(dialog.getByTestId('bulk-summary')).toHaveText('47 ready, 3 skipped');
  const preview = dialog.getByTestId('bulk-preview');
  await expect(preview.getByRole('row', { name: /not-an-email/ })).toContainText('Not a valid email');
  await expect(preview.getByRole('row', { name: ADMIN.email })).toContainText('Already a user');
  await expect(preview.getByRole('row').filter({ hasText: 'Listed twice' })).toHaveCount(1);
  await expectAccessible(page, '.cdk-overlay-container');

  await dialog.getByRole('button', { name: 'Create 47 invitations' }).click();
  await expect(dialog.getByRole('status')).toHaveText('47 invitations created. Send each person their URL.');
  await expect(dialog.getByTestId('bulk-results').getByRole('row')).toHaveCount(48); // header + 47
  const download = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Download CSV' }).click();
  const csv = readFileSync((await (await download).path()) ?? '', 'utf8')
    .trim()
    .split('\n');
  expect(csv[0]).toBe('email,url');
  expect(csv).toHaveLength(48);
  expect(csv[1]).toMatch(/^crowd00@example\.com,http.*\/register\?token=/);
  await dialog.getByRole('button', { name: 'Close' }).click();

  await page.getByLabel('Search by email').fill('crowd');
  await expect(page.getByTestId('user-total')).toHaveText('47 users');
  await expect(row(page, 'crowd00@example.com')).toContainText('Invited');

  // Leave the shared server as found: the other suites read the first page of the table.
  const left = await page.evaluate(async () => {
    const csrf =
      document.cookie
        .split('; ')
        .find((c) => c.startsWith('roster_csrf='))
        ?.split('=')[1] ?? '';
    const post = async (query: string, variables: Record<string, unknown> = {}) =>
      (
        await fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
          body: JSON.stringify({ query, variables }),
        })
      ).json();
    const found = await post('{ users(first: 100, search: "crowd") { edges { node { id } } } }');
    for (const e of found.data.users.edges) await post('mutation($u: ID!) { revokeInvitation(userId: $u) }', { u: e.node.id });
    return (await post('{ users(first: 1, search: "crowd") { totalCount } }')).data.users.totalCount;
  });
  expect(left).toBe(0);
  await context.close();
});
