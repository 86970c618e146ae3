import { BrowserContext, expect, Page, test } from '@playwright/test';
import { ADMIN, baseUrl, choose, expectAccessible, inviteAndRegister, newPage, row, signIn } from './support';

/** An admin's oversight pages: everyone's API tokens, and the two-factor policy per role. */

const MIA = { email: 'mia.oversight@example.com', firstName: 'Mia', lastName: 'Oversight', password: 'tokens under watch 2024' };
const VIC = { email: 'vic.viewer@example.com', firstName: 'Vic', lastName: 'Viewer', password: 'read only but careful 8' };
const TOKEN = 'Quarterly report';

test.describe.configure({ mode: 'serial' });

let admin: BrowserContext;
let adminPage: Page;
let mia: BrowserContext;
let miaPage: Page;
let vic: BrowserContext | undefined;
let secret = '';
/** The policy found on the shared server, put back at the end whatever happens. */
let initialPolicy: { requiredRoleIds: string[]; ssoMode: string } | null = null;

type PolicyData = { data?: { twoFactorPolicy: { ssoMode: string; roles: { required: boolean; role: { id: string } }[] } } };

/** The admin's own GraphQL call from the console's page (cookie + CSRF header, as the console sends). */
async function adminGraphql(query: string, variables: Record<string, unknown> = {}): Promise<unknown> {
  return adminPage.evaluate(
    async ([q, v]) => {
      const csrf = /(?:^|; )roster_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '';
      const res = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf) },
        body: JSON.stringify({ query: q, variables: v }),
      });
      return res.json();
    },
    [query, variables] as const,
  );
}

/** What an integrator's program does: POST /graphql with the token, no cookie. */
async function callApi(
  token: string,
): Promise<{ data?: { me: { user: { email: string } } | null }; errors?: { extensions?: { code?: string } }[] }> {
  const response = await fetch(`${baseUrl()}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ me { user { email } } }' }),
  });
  return response.json();
}

/** "3 active people · 2 without two-factor" → 2. */
async function withoutTwoFactor(page: Page, role: string): Promise<number> {
  const text = (await page.locator(`li[data-role="${role}"]`).getByTestId('role-counts').textContent()) ?? '';
  const match = /(\d+) without two-factor/.exec(text);
  if (!match) throw new Error(`no count in "${text}"`);
  return Number(match[1]);
}

test.beforeAll(async ({ browser }) => {
  [admin, adminPage] = await newPage(browser);
  await signIn(adminPage, ADMIN.email, ADMIN.password);
  await expect(adminPage).toHaveURL(/\/users$/);
  const policy = ((await adminGraphql('{ twoFactorPolicy { ssoMode roles { required role { id } } } }')) as PolicyData).data
    ?.twoFactorPolicy;
  if (policy) {
    initialPolicy = { ssoMode: policy.ssoMode, requiredRoleIds: policy.roles.filter((r) => r.required).map((r) => r.role.id) };
  }
  [mia, miaPage] = await inviteAndRegister(adminPage, browser, MIA);
});

test.afterAll(async () => {
  if (initialPolicy) {
    await adminGraphql('mutation($i: SetTwoFactorPolicyInput!) { setTwoFactorPolicy(input: $i) { ssoMode } }', { i: initialPolicy }).catch(
      () => undefined,
    );
  }
  await admin?.close();
  await mia?.close();
  await vic?.close();
});

test('a Member sees neither oversight page', async () => {
  await expect(miaPage.getByRole('link', { name: 'Teams' })).toBeVisible();
  await expect(miaPage.getByRole('link', { name: 'API tokens' })).toHaveCount(0);
  await expect(miaPage.getByRole('link', { name: 'Security' })).toHaveCount(0);
  await miaPage.goto('/api-tokens');
  await expect(miaPage).toHaveURL(/\/users$/);
  await miaPage.goto('/security');
  await expect(miaPage).toHaveURL(/\/users$/);
});

test('a Member creates an API token in the profile', async () => {
  await miaPage.getByRole('button', { name: 'Edit my profile' }).click();
  const dialog = miaPage.getByRole('dialog');
  const section = dialog.getByTestId('api-tokens-section');
  await section.getByRole('button', { name: 'Create API token' }).click();
  await section.getByLabel('Token name').fill(TOKEN);
  await section.getByLabel('Expires in (days)').fill('30');
  await section.getByRole('button', { name: 'Create API token' }).click();
  secret = await section.getByTestId('api-token-secret').inputValue();
  expect(secret).toMatch(/^rst_/);
  await section.getByRole('button', { name: 'Done' }).click();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
  expect((await callApi(secret)).data?.me?.user.email).toBe(MIA.email);
});

test("the admin finds the Member's token among everyone's, filters it, and revokes it", async () => {
  await adminPage.getByRole('link', { name: 'API tokens' }).click();
  await expect(adminPage).toHaveURL(/\/api-tokens$/);
  await expect(adminPage.getByRole('heading', { name: 'API tokens', level: 1 })).toBeVisible();
  await expect(adminPage.getByRole('columnheader')).toHaveText([
    'Owner',
    'Token',
    'Role cap',
    'Created',
    'Last used',
    'Expires',
    'Actions',
  ]);

  const token = adminPage.locator(`tr[data-token="${TOKEN}"]`);
  await adminPage.getByLabel('Search by owner email or token name').fill(MIA.email.toUpperCase());
  await expect(adminPage.locator('tr[data-token]')).toHaveCount(1);
  await expect(token).toContainText(MIA.email);
  await expect(token).toContainText(secret.slice(0, 8));
  await expect(token).toContainText("Owner's role");
  await expect(token).toContainText(/in 30 days|next month/);
  await expect(adminPage.getByTestId('token-total')).toHaveText('1 token');
  await expectAccessible(adminPage);

  // Expired tokens only: it is not one of them.
  await choose(adminPage, 'Status', ['Expired']);
  await expect(token).toHaveCount(0);
  await expect(adminPage.getByText('No API tokens match these filters.')).toBeVisible();
  await expect(adminPage.getByTestId('token-total')).toHaveText('0 tokens');
  await choose(adminPage, 'Status', ['Active']);
  await expect(token).toBeVisible();
  await expectAccessible(adminPage);
  await adminPage.screenshot({ path: 'test-results/console-admin-api-tokens.png' });

  // By the token's name too.
  await adminPage.getByLabel('Search by owner email or token name').fill('quarterly rep');
  await expect(token).toBeVisible();

  await token.getByRole('button', { name: `Revoke ${TOKEN} of ${MIA.email}` }).click();
  const confirm = adminPage.getByRole('dialog').filter({ hasText: `Revoke the token “${TOKEN}” of ${MIA.email}?` });
  await expect(confirm).toBeVisible();
  await expectAccessible(adminPage, '.cdk-overlay-container');
  await confirm.getByRole('button', { name: 'Revoke' }).click();
  await expect(confirm).toBeHidden();
  await expect(adminPage.getByText(`Token “${TOKEN}” revoked`)).toBeVisible();
  await expect(token).toHaveCount(0);

  const { data, errors } = await callApi(secret);
  expect(data?.me ?? null).toBeNull();
  expect(errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
});

test('the admin requires two-factor authentication for Viewers: a Viewer without it is held at its set-up', async ({ browser }) => {
  // A Viewer, registered while the policy is off.
  await adminPage.getByRole('link', { name: 'Users' }).click();
  await adminPage.getByRole('button', { name: 'Invite users' }).click();
  const invite = adminPage.getByRole('dialog');
  await invite.getByLabel('Email').fill(VIC.email);
  await choose(adminPage, 'Role', ['Viewer']);
  await invite.getByRole('button', { name: 'Create' }).click();
  const url = await invite.getByLabel('Registration URL').inputValue();
  await invite.getByRole('button', { name: 'Copy and close' }).click();
  await expect(invite).toBeHidden();
  let vicPage: Page;
  [vic, vicPage] = await newPage(browser);
  await vicPage.goto(url);
  await vicPage.getByLabel('First name').fill(VIC.firstName);
  await vicPage.getByLabel('Last name').fill(VIC.lastName);
  await vicPage.getByLabel('Password', { exact: true }).fill(VIC.password);
  await vicPage.getByLabel('Confirm password').fill(VIC.password);
  await vicPage.getByRole('button', { name: 'Create account' }).click();
  await expect(vicPage).toHaveURL(/\/users$/);

  await adminPage.getByRole('link', { name: 'Security' }).click();
  await expect(adminPage).toHaveURL(/\/security$/);
  await expect(adminPage.getByRole('heading', { name: 'Two-factor authentication' })).toBeVisible();
  const viewerSwitch = adminPage.getByRole('switch', { name: 'Require two-factor authentication for Viewer' });
  await expect(viewerSwitch).not.toBeChecked();
  await expect(adminPage.getByRole('radiogroup', { name: 'Single sign-on' })).toBeVisible();
  await expect(adminPage.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();
  await expectAccessible(adminPage);
  const affected = await withoutTwoFactor(adminPage, 'Viewer');
  expect(affected).toBeGreaterThanOrEqual(1); // Vic at least

  // Requiring it of their own role, without having it, warns the admin; cancelled and discarded, nothing changes.
  const adminSwitch = adminPage.getByRole('switch', { name: 'Require two-factor authentication for Admin' });
  await adminSwitch.click();
  await adminPage.getByRole('button', { name: 'Save', exact: true }).click();
  const warning = adminPage.getByRole('dialog', { name: 'Require two-factor authentication?' });
  await expect(warning.getByTestId('policy-self-warning')).toContainText(
    'This includes you: you have not set up two-factor authentication, and will have to before you can continue.',
  );
  await warning.getByRole('button', { name: 'Cancel' }).click();
  await expect(warning).toBeHidden();
  await adminPage.getByRole('button', { name: 'Discard' }).click();
  await expect(adminSwitch).not.toBeChecked();
  await expect(adminPage.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();

  // Staged, then saved after the confirmation that says how many people it sends to the set-up.
  await viewerSwitch.click();
  await expect(viewerSwitch).toBeChecked();
  await expect(adminPage.getByText('Unsaved changes')).toBeVisible();
  await adminPage.getByRole('button', { name: 'Save', exact: true }).click();
  const confirm = adminPage.getByRole('dialog', { name: 'Require two-factor authentication?' });
  await expect(confirm).toContainText(
    affected === 1
      ? '1 person (Viewer) will be asked to set up two-factor authentication at their next request.'
      : `${affected} people (Viewer) will be asked to set up two-factor authentication at their next request.`,
  );
  await expect(confirm).not.toContainText('This includes you');
  await expectAccessible(adminPage, '.cdk-overlay-container');
  await confirm.getByRole('button', { name: 'Save and require' }).click();
  await expect(confirm).toBeHidden();
  await expect(adminPage.getByText('Two-factor policy saved')).toBeVisible();
  await expect(adminPage.getByText('Unsaved changes')).toHaveCount(0);
  await expect(viewerSwitch).toBeChecked();
  await adminPage.screenshot({ path: 'test-results/console-security.png' });

  // Vic signs in again: the set-up, and nothing else.
  await vic.clearCookies();
  await signIn(vicPage, VIC.email, VIC.password);
  await expect(vicPage).toHaveURL(/\/two-factor-setup/);
  await vicPage.goto('/users');
  await expect(vicPage).toHaveURL(/\/two-factor-setup/);
  await expect(row(vicPage, VIC.email)).toHaveCount(0);

  // The page in French (the profile's language applies at once; closing without saving puts English back).
  await adminPage.getByRole('button', { name: 'Edit my profile' }).click();
  const profile = adminPage.getByRole('dialog');
  await choose(adminPage, 'Language', ['Français']);
  await expect(adminPage.locator('ro-security-page h1')).toHaveText('Sécurité');
  // Built-in roles are named in the console's language.
  await expect(adminPage.locator('li[data-role="Viewer"] .name')).toHaveText('Lecteur');
  await expect(adminPage.locator('li[data-role="Viewer"] [role="switch"]')).toHaveAttribute(
    'aria-label',
    "Exiger l'authentification à deux facteurs pour Lecteur",
  );
  await profile.getByRole('button', { name: 'Fermer' }).first().click();
  await expect(profile).toBeHidden();
  await expect(adminPage.locator('ro-security-page h1')).toHaveText('Security');

  // Back off: no confirmation needed; Vic gets in.
  await viewerSwitch.click();
  await expect(viewerSwitch).not.toBeChecked();
  await adminPage.getByRole('button', { name: 'Save', exact: true }).click();
  // (The snack bar of the first save may still be leaving.)
  await expect(adminPage.getByText('Two-factor policy saved').last()).toBeVisible();
  await expect(adminPage.getByText('Unsaved changes')).toHaveCount(0);
  await expect(adminPage.getByRole('dialog')).toHaveCount(0);
  await expect(viewerSwitch).not.toBeChecked();
  await vicPage.goto('/users');
  await expect(vicPage).toHaveURL(/\/users$/);
  await expect(row(vicPage, VIC.email)).toBeVisible();
});
