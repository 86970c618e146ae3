import { expect, Page, test } from '@playwright/test';
import { ADMIN, newPage } from './support';

/** Keyboard only: no mouse from sign-in to an open, working dialog and back. */
test('the console works with the keyboard alone', async ({ browser }) => {
  const [context, page] = await newPage(browser);
  await page.goto('/sign-in');

  // Tab to each field of the sign-in form; Enter submits.
  const tabTo = async (p: Page, matches: () => Promise<boolean>, max = 40) => {
    for (let i = 0; i < max; i++) {
      if (await matches()) return;
      await p.keyboard.press('Tab');
    }
    throw new Error('focus never reached the expected element');
  };
  const focused = (p: Page) =>
    p.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return {
        tag: el?.tagName ?? '',
        label: el?.getAttribute('aria-label') ?? '',
        text: el?.textContent?.trim() ?? '',
        type: el?.getAttribute('type') ?? '',
        id: el?.id ?? '',
      };
    });
  await tabTo(page, async () => (await focused(page)).type === 'email');
  await page.keyboard.type(ADMIN.email);
  await tabTo(page, async () => (await focused(page)).type === 'password');
  await page.keyboard.type(ADMIN.password);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/users$/);

  // Reach "Invite users" with Tab, open it with Enter, fill the email, close with Escape.
  await tabTo(page, async () => {
    const f = await focused(page);
    return f.tag === 'BUTTON' && f.text.includes('Invite users');
  });
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Email')).toBeFocused();
  await page.keyboard.type('keyboard.only@example.com');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // The search field takes typing and filters the table.
  await tabTo(page, async () => {
    const f = await focused(page);
    return f.tag === 'INPUT' && f.type === 'search';
  });
  await page.keyboard.type('ada.admin');
  await expect(page.getByRole('row')).toHaveCount(2);
  await context.close();
});
