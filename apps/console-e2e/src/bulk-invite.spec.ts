import { expect, Locator, test } from '@playwright/test';
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

/** The dialog as a person sees it: a wide list, hints clear of what follows, a button to pick the CSV file. */
test('the bulk dialog reads as a form: a full-width list, a CSV file picked with a button and named', async ({ browser }) => {
  const [context, page] = await newPage(browser);
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/users/);
  await page.getByRole('button', { name: 'Invite users' }).click();
  await page.getByRole('button', { name: 'Invite several people…' }).click();
  const dialog = page.getByRole('dialog');
  const emails = dialog.getByTestId('bulk-emails');
  await expect(emails).toBeVisible();

  // The list spans the dialog (not a narrow column), and its hint ends before the CSV section starts.
  const box = async (locator: Locator) => {
    const found = await locator.boundingBox();
    if (!found) throw new Error(`${locator} is not shown`);
    return found;
  };
  expect((await box(emails)).width).toBeGreaterThan((await box(dialog.locator('mat-dialog-content'))).width * 0.85);
  const hint = await box(dialog.getByText('Paste up to 1000 emails'));
  expect(hint.y + hint.height).toBeLessThanOrEqual((await box(dialog.getByRole('region', { name: 'Or upload a CSV file' }))).y);

  // The file input itself stays hidden: a Material button opens the file chooser, and the file is named.
  await expect(dialog.getByTestId('bulk-csv')).toBeHidden();
  const chooser = page.waitForEvent('filechooser');
  await dialog.getByRole('button', { name: 'Choose a CSV file…' }).click();
  const file = 'email,role\nfile.one@example.com,viewer\nfile.two@example.com,\n';
  await (await chooser).setFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
  await expect(dialog.getByTestId('bulk-csv-name')).toHaveText(/people\.csv/);
  await expect(dialog.getByTestId('bulk-summary')).toHaveText('2 ready, 0 skipped');
  await expect(dialog.getByTestId('bulk-preview').getByRole('row', { name: /file\.one/ })).toContainText('Viewer');
  await expectAccessible(page, '.cdk-overlay-container');

  // Removing the file empties the check; a pasted list replaces a chosen file.
  await dialog.getByRole('button', { name: 'Remove people.csv' }).click();
  await expect(dialog.getByTestId('bulk-csv-name')).toHaveCount(0);
  await expect(dialog.getByTestId('bulk-preview')).toHaveCount(0);
  const again = page.waitForEvent('filechooser');
  await dialog.getByRole('button', { name: 'Choose a CSV file…' }).click();
  await (await again).setFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from('file.one@example.com\n') });
  await expect(dialog.getByTestId('bulk-csv-name')).toBeVisible();
  await emails.fill('pasted@example.com');
  await expect(dialog.getByTestId('bulk-csv-name')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Check the list' }).click();
  await expect(dialog.getByTestId('bulk-summary')).toHaveText('1 ready, 0 skipped');
  await expect(dialog.getByTestId('bulk-preview')).toContainText('pasted@example.com');

  // On a phone, a long address scrolls sideways rather than breaking in the middle.
  await page.setViewportSize({ width: 390, height: 800 });
  await emails.fill('bartholomew.longname.of.the.team@subdomain.example.com');
  expect(await emails.evaluate((t) => t.scrollWidth > t.clientWidth)).toBe(true);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await context.close();
});
