import AxeBuilder from '@axe-core/playwright';
import { expect, Page } from '@playwright/test';

export const baseUrl = () => process.env['E2E_URL'] ?? '';
export const setupUrl = () => process.env['E2E_SETUP_URL'] ?? '';

/** Fails on serious or critical accessibility violations. */
export async function expectAccessible(page: Page, include?: string): Promise<void> {
  // Icon ligatures ("logout") count as visible text until the icon font has loaded.
  await page.evaluate(async () => {
    await document.fonts.ready;
  });
  // Snack bars are checked mid fade-in animation (partial opacity) and would report false contrast failures.
  let builder = new AxeBuilder({ page }).exclude('.mat-mdc-snack-bar-container');
  if (include) builder = builder.include(include);
  const { violations } = await builder.analyze();
  const bad = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad, 'accessibility violations').toEqual([]);
}

/** Picks options of a mat-select opened by its label; closes a multiple select. */
export async function choose(page: Page, label: string | RegExp, options: string[], multiple = false): Promise<void> {
  await page.getByRole('combobox', { name: label }).click();
  for (const option of options) await page.getByRole('option', { name: option, exact: true }).click();
  if (multiple) await page.keyboard.press('Escape');
}

/** The users table row of an email. */
export const row = (page: Page, email: string) => page.locator(`tr[data-email="${email}"]`);
