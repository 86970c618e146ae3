import { expect, test } from '@playwright/test';
import { expectAccessible, newPage } from './support';

test('the SSO error page translates the code and leads back to sign-in', async ({ browser }) => {
  const [context, page] = await newPage(browser);
  await page.goto('/sso-error?code=SSO_NOT_INVITED');
  await expect(page.getByRole('heading', { name: 'Single sign-on failed' })).toBeVisible();
  await expect(page.getByTestId('sso-error')).toHaveText('You have no account or invitation here.');
  await expectAccessible(page);
  await page.goto('/sso-error?code=whatever');
  await expect(page.getByTestId('sso-error')).toHaveText('Single sign-on failed. Please try again.');
  await page.getByRole('link', { name: 'Back to sign-in' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  // Without SSO configured, the sign-in page offers only the password form.
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByTestId('sso-sign-in')).toHaveCount(0);
  await context.close();
});
