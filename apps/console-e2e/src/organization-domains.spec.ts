import { mkdirSync } from 'node:fs';
import { BrowserContext, expect, Locator, Page, test } from '@playwright/test';
import { ADMIN, expectAccessible, newPage, openDialog, setUpFirstAdmin, signIn } from './support';

/** The organization the operator gives a domain (its own, so the suite runs alone or after the others). */
const B = { name: 'Domains Beta', slug: 'domains-beta', firstAdminEmail: 'dora.beta@example.com' };
const DOMAIN = 'domains-beta.test';
/** Where the screenshots of the screens go (looked at by people, not compared). */
const SHOTS = process.env['DOMAINS_SHOTS_DIR'] ?? '../../test-results/organization-domains';

test.describe.configure({ mode: 'serial' });

let operator: BrowserContext;
let page: Page;

test.beforeAll(async () => {
  // Alone (without the journey), the first admin, an operator, is set up here.
  await setUpFirstAdmin();
});
test.afterAll(async () => {
  await operator?.close();
});

/** A GraphQL call from the signed-in page (its cookies and CSRF token). */
async function gql(query: string, variables: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  return page.evaluate(
    async ([q, v]) => {
      const csrf = decodeURIComponent(/roster_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '');
      const r = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify({ query: q, variables: v }),
      });
      return r.json();
    },
    [query, variables] as const,
  );
}

const orgRow = (slug: string) => page.locator(`tr[data-slug="${slug}"]`);

/** Opens the email domains dialog of an organization from its row's menu. */
async function openDomains(name: string): Promise<Locator> {
  await page.getByRole('button', { name: `Actions for ${name}` }).click();
  await page.getByRole('menuitem', { name: 'Email domains' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('heading', { name: `Email domains of ${name}` })).toBeVisible();
  await expect(dialog.getByTestId('domain-input')).toBeFocused();
  return dialog;
}

test('an operator gives organization B an email domain, sees it taken for another, and removes it', async ({ browser }) => {
  [operator, page] = await newPage(browser);
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/o\/[^/]+\/users$/);
  await page.goto('/organizations');
  const created = await openDialog(page, 'Create organization');
  await created.getByLabel('Name').fill(B.name);
  await expect(created.getByLabel('Address (slug)')).toHaveValue(B.slug);
  await created.getByLabel("First admin's email").fill(B.firstAdminEmail);
  await created.getByRole('button', { name: 'Create organization' }).click();
  await created.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(orgRow(B.slug)).toContainText(B.name);
  await expect(orgRow(B.slug).getByTestId('organization-domains')).toHaveText('—No email domains');

  // B gets the domain, typed as people type it; a malformed one is said beside the list and kept to fix.
  let dialog = await openDomains(B.name);
  const input = dialog.getByLabel('Email domains');
  await input.fill('beta_domains');
  await input.press('Enter');
  await expect(dialog.getByTestId('domains-error')).toHaveText('“beta_domains” is not a domain name (like example.com)');
  await expect(input).toHaveValue('beta_domains');
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  await input.fill(`@${DOMAIN.toUpperCase()}`);
  await expect(dialog.getByTestId('domains-error')).toHaveCount(0);
  await input.press('Enter');
  await expect(dialog.locator('mat-chip-row .mat-mdc-chip-action-label')).toHaveText([DOMAIN]);
  await expect(input).toHaveValue('');
  await expectAccessible(page, '.cdk-overlay-container');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(`Email domains of ${B.name} saved`)).toBeVisible();
  await expect(orgRow(B.slug).getByTestId('organization-domains')).toHaveText(DOMAIN);
  const orgs = (await gql(`{ organizations(first: 100, search: "${B.slug}") { organizations { slug domains } } }`)) as {
    data: { organizations: { organizations: { slug: string; domains: string[] }[] } };
  };
  expect(orgs.data.organizations.organizations).toEqual([{ slug: B.slug, domains: [DOMAIN] }]);

  // The same domain for the operator's own organization: DOMAIN_TAKEN, said beside the list; nothing changes.
  const other = (await gql(`{ me { organization { name slug domains } } }`)) as {
    data: { me: { organization: { name: string; slug: string; domains: string[] } } };
  };
  const a = other.data.me.organization;
  dialog = await openDomains(a.name);
  await dialog.getByLabel('Email domains').fill(DOMAIN);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByTestId('domains-error')).toHaveText(`Another organization already has ${DOMAIN}: remove it to save the others`);
  await expect(dialog.locator(`mat-chip-row[data-domain="${DOMAIN}"]`)).toHaveClass(/taken/);
  await expect(dialog.getByLabel('Email domains')).toBeFocused();
  await expectAccessible(page, '.cdk-overlay-container');
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/domains-dialog-taken-en-light-1280.png` });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(orgRow(a.slug)).not.toContainText(DOMAIN);
  const after = (await gql(`{ me { organization { domains } } }`)) as { data: { me: { organization: { domains: string[] } } } };
  expect(after.data.me.organization.domains).toEqual(a.domains);

  // B's domain removed: B has none, and the domain is free again.
  dialog = await openDomains(B.name);
  await dialog.getByRole('button', { name: `Remove ${DOMAIN}` }).click();
  await expect(dialog.locator('mat-chip-row')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(orgRow(B.slug).getByTestId('organization-domains')).toHaveText('—No email domains');
  const freed = (await gql(`mutation($id: ID!, $d: [String!]!) { setOrganizationDomains(id: $id, domains: $d) }`, {
    id: (await orgId(a.slug)) as string,
    d: [...a.domains, DOMAIN],
  })) as { data: { setOrganizationDomains: string[] } };
  expect(freed.data.setOrganizationDomains).toContain(DOMAIN);
  // Put back as it was, for the suites after this one.
  await gql(`mutation($id: ID!, $d: [String!]!) { setOrganizationDomains(id: $id, domains: $d) }`, {
    id: (await orgId(a.slug)) as string,
    d: a.domains,
  });
});

async function orgId(slug: string): Promise<string | undefined> {
  const found = (await gql(`{ organizations(first: 100, search: "${slug}") { organizations { id slug } } }`)) as {
    data: { organizations: { organizations: { id: string; slug: string }[] } };
  };
  return found.data.organizations.organizations.find((o) => o.slug === slug)?.id;
}

test('the page and the dialog, light and dark, in English and French, wide and on a phone', async () => {
  mkdirSync(SHOTS, { recursive: true });
  const me = (await gql(`{ me { language theme } }`)) as { data: { me: { language: string; theme: string } } };
  // B with a few domains, so the row and the dialog show some (and the row's "+N more").
  const id = (await orgId(B.slug)) as string;
  await gql(`mutation($id: ID!, $d: [String!]!) { setOrganizationDomains(id: $id, domains: $d) }`, {
    id,
    d: ['domains-beta.test', 'beta-labs.example', 'beta.example.co.uk', 'dbeta.test'],
  });
  try {
    for (const language of ['EN', 'FR'] as const) {
      for (const theme of ['LIGHT', 'DARK'] as const) {
        await gql(`mutation($i: UpdateMyProfileInput!) { updateMyProfile(input: $i) { language } }`, { i: { language, theme } });
        for (const width of [1280, 390]) {
          const name = `${language.toLowerCase()}-${theme.toLowerCase()}-${width}`;
          await page.setViewportSize({ width, height: width > 600 ? 800 : 844 });
          await page.goto('/organizations');
          await expect(orgRow(B.slug)).toBeVisible();
          await expect(page.locator('html')).toHaveAttribute('lang', language.toLowerCase());
          // Nothing wider than the screen: the page does not scroll sideways.
          expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
          await page.screenshot({ path: `${SHOTS}/organizations-${name}.png` });
          await page.getByRole('button', { name: language === 'EN' ? `Actions for ${B.name}` : `Actions pour ${B.name}` }).click();
          await page.getByRole('menuitem', { name: language === 'EN' ? 'Email domains' : 'Domaines de messagerie' }).click();
          const dialog = page.getByRole('dialog');
          await expect(dialog.locator('mat-chip-row')).toHaveCount(4);
          await dialog.getByTestId('domain-input').fill('nope');
          await dialog.getByTestId('domain-input').press('Enter');
          await expect(dialog.getByTestId('domains-error')).toBeVisible();
          await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
          const box = await dialog.boundingBox();
          expect(box && box.x >= 0 && box.x + box.width <= width).toBe(true);
          await page.screenshot({ path: `${SHOTS}/domains-dialog-${name}.png` });
          if (width === 390 && theme === 'DARK') await expectAccessible(page, '.cdk-overlay-container');
          await page.keyboard.press('Escape');
          await expect(dialog).toBeHidden();
        }
      }
    }
  } finally {
    await gql(`mutation($i: UpdateMyProfileInput!) { updateMyProfile(input: $i) { language } }`, {
      i: { language: me.data.me.language, theme: me.data.me.theme },
    });
    await gql(`mutation($id: ID!, $d: [String!]!) { setOrganizationDomains(id: $id, domains: $d) }`, { id, d: [] });
    await page.setViewportSize({ width: 1280, height: 800 });
  }
});
