import { BrowserContext, expect, Page, test } from '@playwright/test';
import { ADMIN, baseUrl, choose, expectAccessible, inviteAndRegister, newPage, signIn } from './support';

const IAN = { email: 'ian.integrator@example.com', firstName: 'Ian', lastName: 'Integrator', password: 'pipes and filters 1972' };
const TOKEN = 'Nightly sync';

test.describe.configure({ mode: 'serial' });

let admin: BrowserContext;
let ian: BrowserContext;
let ianPage: Page;
let secret = '';

/** What an integrator's program does: POST /graphql with the token, no cookie. */
async function callApi(
  token: string,
  query = '{ me { user { email } } users(first: 5) { totalCount } }',
): Promise<{
  status: number;
  body: {
    data?: { me: { user: { email: string } } | null; users?: { totalCount: number } };
    errors?: { extensions?: { code?: string } }[];
  };
}> {
  const response = await fetch(`${baseUrl()}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: await response.json() };
}

test.beforeAll(async ({ browser }) => {
  let adminPage: Page;
  [admin, adminPage] = await newPage(browser);
  await signIn(adminPage, ADMIN.email, ADMIN.password);
  await expect(adminPage).toHaveURL(/\/users$/);
  [ian, ianPage] = await inviteAndRegister(adminPage, browser, IAN);
});

test.afterAll(async () => {
  await admin?.close();
  await ian?.close();
});

test('a Member creates an API token in the profile and sees its secret once', async () => {
  await ianPage.getByRole('button', { name: 'Edit my profile' }).click();
  const dialog = ianPage.getByRole('dialog');
  const section = dialog.getByTestId('api-tokens-section');
  await expect(section).toContainText('No API tokens yet.');
  await section.getByRole('button', { name: 'Create API token' }).click();
  await section.getByLabel('Token name').fill(TOKEN);
  await section.getByLabel('Expires in (days)').fill('30');
  await choose(ianPage, 'Role cap', ['Viewer']);
  await expectAccessible(ianPage, '.cdk-overlay-container');
  await section.getByRole('button', { name: 'Create API token' }).click();

  await expect(section.getByText('Copy this secret now: it will not be shown again.')).toBeVisible();
  secret = await section.getByTestId('api-token-secret').inputValue();
  expect(secret).toMatch(/^rst_/);
  await expect(section.getByRole('button', { name: 'Copy the secret' })).toBeVisible();
  const item = section.locator(`[data-token="${TOKEN}"]`);
  await expect(item).toContainText(secret.slice(0, 8));
  await expect(item).toContainText('Role: Viewer');
  await expect(item).toContainText(/Expires in 30 days|Expires next month/);
  await expect(item).toContainText('Never used');
  await expectAccessible(ianPage, '.cdk-overlay-container');
  await section.screenshot({ path: 'test-results/console-api-token-created.png' });
  await section.getByRole('button', { name: 'Done' }).click();
  await expect(section.getByTestId('api-token-secret')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Close' }).click();
});

test('a program calls /graphql with the token as Bearer', async () => {
  const { status, body } = await callApi(secret);
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  expect(body.data?.me?.user.email).toBe(IAN.email);
  expect(body.data?.users?.totalCount).toBeGreaterThanOrEqual(2);
  // Capped to Viewer: read only, even where Ian's Member role could do more.
  const write = await callApi(secret, 'mutation { createApiToken(input: { name: "from a token" }) { secret } }');
  expect(write.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});

test('the token shows its last use, and revoking it stops it at once', async () => {
  await ianPage.getByRole('button', { name: 'Edit my profile' }).click();
  const dialog = ianPage.getByRole('dialog');
  const item = dialog.locator(`[data-token="${TOKEN}"]`);
  await expect(item).toContainText(/Last used (now|\d+ seconds? ago)/);
  await item.getByRole('button', { name: `Revoke ${TOKEN}` }).click();
  const confirm = ianPage.getByRole('dialog').filter({ hasText: `Revoke the token “${TOKEN}”?` });
  await expect(confirm).toBeVisible();
  await expectAccessible(ianPage, '.cdk-overlay-container');
  await confirm.getByRole('button', { name: 'Revoke' }).click();
  await expect(confirm).toBeHidden();
  await expect(item).toHaveCount(0);
  await expect(dialog.getByTestId('api-tokens-section')).toContainText('No API tokens yet.');

  const { body } = await callApi(secret);
  expect(body.data?.me ?? null).toBeNull();
  expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
});

test('people without tokens:create see no way to create one', async ({ browser }) => {
  // Ian becomes a Viewer (read only).
  const [context, adminPage] = await newPage(browser);
  await signIn(adminPage, ADMIN.email, ADMIN.password);
  await adminPage.getByRole('button', { name: `Actions for ${IAN.email}` }).click();
  await adminPage.getByRole('menuitem', { name: 'Edit' }).click();
  await choose(adminPage, 'Role', ['Viewer']);
  await adminPage.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  await expect(adminPage.getByRole('dialog')).toBeHidden();
  await context.close();

  await ianPage.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
  await ianPage.reload();
  await ianPage.getByRole('button', { name: 'Edit my profile' }).click();
  const section = ianPage.getByRole('dialog').getByTestId('api-tokens-section');
  await expect(section).toContainText('No API tokens yet.');
  await expect(section.getByRole('button', { name: 'Create API token' })).toHaveCount(0);
});
