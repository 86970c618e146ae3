import { mkdirSync } from 'node:fs';
import { Client } from 'pg';
import { BrowserContext, expect, Page, test } from '@playwright/test';
import { ADMIN, choose, expectAccessible, newPage, setUpFirstAdmin, signIn } from './support';

/**
 * The Webhooks page: add (the signing secret once), edit, disable and enable, a new secret, delete; in English
 * and French. An endpoint's deliveries: newest first, Load more, the status filter in the URL, Redeliver.
 */

/** Where the screenshots of the page go (looked at by people, not compared). */
const SHOTS = process.env['WEBHOOKS_SHOTS_DIR'] ?? '../../test-results/webhooks-screens';

test.describe.configure({ mode: 'serial' });

let admin: BrowserContext;
let adminPage: Page;
let slug = '';
/** The endpoint whose deliveries the last tests read ("E2E Status page"). */
let statusPage = '';

/** A GraphQL call from the admin's page (its cookie and CSRF token). */
async function gql<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  return adminPage.evaluate(
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
  ) as Promise<T>;
}

/** Removes every endpoint of the organization, and the teams made for their deliveries (the suite starts and ends with none). */
async function removeEndpoints(): Promise<void> {
  const list = await gql<{ data?: { webhookEndpoints: { id: string }[] } }>(`{ webhookEndpoints { id } }`);
  for (const e of list.data?.webhookEndpoints ?? []) await gql(`mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }`, { id: e.id });
  const teams = await gql<{ data?: { teams: { id: string; name: string }[] } }>(`{ teams { id name } }`);
  for (const t of teams.data?.teams ?? []) {
    if (t.name.startsWith(TEAM)) await gql(`mutation($id: ID!) { deleteTeam(id: $id) }`, { id: t.id });
  }
}

/** The teams whose creation gives "E2E Status page" its deliveries. */
const TEAM = 'E2E WH team';

async function setProfile(language: 'EN' | 'FR', theme: 'LIGHT' | 'DARK' = 'LIGHT'): Promise<void> {
  await gql(`mutation($i: UpdateMyProfileInput!) { updateMyProfile(input: $i) { language } }`, { i: { language, theme } });
}

/** Waits for the fonts and for running animations (a dialog opening, an error fading in) before a screenshot. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await document.fonts.ready;
    await Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getComputedTiming().iterations !== Infinity)
        .map((a) => a.finished.catch(() => undefined)),
    );
  });
}

/**
 * Nothing wider than the window, the toolbar included (its links fold into a menu when they do not fit
 * beside the switcher and the account buttons).
 */
async function fitsWindow(width: number): Promise<void> {
  // Right after a resize the toolbar measures its links (a frame later), then folds them.
  await expect.poll(() => adminPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  expect(await adminPage.locator('mat-toolbar').evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
}

const row = (page: Page, name: string) => page.locator(`tr[data-endpoint="${name}"]`);
/** The status of an endpoint's row, in words (the wide column's). */
const status = (page: Page, name: string) => row(page, name).locator('.mat-column-status [data-testid="webhook-status"]');

/** The words of the flow, per language. */
const WORDS = {
  EN: {
    add: 'Add endpoint',
    addTitle: 'Add a webhook endpoint',
    submit: 'Add',
    users: 'Users',
    teamCreated: 'Team created',
    urlError: /without credentials or fragment/,
    added: (name: string) => `Webhook “${name}” added`,
    once: "you won't see it again",
    secret: 'Signing secret',
    copyClose: 'Copy and close',
    actions: (name: string) => `Actions for ${name}`,
    edit: 'Edit',
    editTitle: (name: string) => `Edit “${name}”`,
    description: 'Description',
    save: 'Save',
    saved: (name: string) => `Webhook “${name}” saved`,
    disable: 'Disable',
    enable: 'Enable',
    enabled: 'Enabled',
    disabled: 'Disabled',
    rotate: 'Rotate secret',
    rotateTitle: (name: string) => `Rotate the signing secret of “${name}”?`,
    rotateText: 'The current secret keeps working for 24 hours; both signatures are sent meanwhile.',
    rotateConfirm: 'Rotate the secret',
    rotated: (name: string) => `New signing secret for “${name}”`,
    delete: 'Delete',
    deleteTitle: (name: string) => `Delete the webhook “${name}”?`,
    deleted: (name: string) => `Webhook “${name}” deleted`,
    empty: 'No endpoints yet.',
    cancel: 'Cancel',
  },
  FR: {
    add: 'Ajouter un webhook',
    addTitle: 'Ajouter un webhook',
    submit: 'Ajouter',
    users: 'Utilisateurs',
    teamCreated: 'Équipe créée',
    urlError: /sans identifiants ni fragment/,
    added: (name: string) => `Webhook « ${name} » ajouté`,
    once: 'vous ne le reverrez plus',
    secret: 'Secret de signature',
    copyClose: 'Copier et fermer',
    actions: (name: string) => `Actions pour ${name}`,
    edit: 'Modifier',
    editTitle: (name: string) => `Modifier « ${name} »`,
    description: 'Description',
    save: 'Enregistrer',
    saved: (name: string) => `Webhook « ${name} » enregistré`,
    disable: 'Désactiver',
    enable: 'Activer',
    enabled: 'Activé',
    disabled: 'Désactivé',
    rotate: 'Renouveler le secret',
    rotateTitle: (name: string) => `Renouveler le secret de signature de « ${name} » ?`,
    rotateText: 'Le secret actuel reste valable 24 heures ; les deux signatures sont envoyées entre-temps.',
    rotateConfirm: 'Renouveler le secret',
    rotated: (name: string) => `Nouveau secret de signature pour « ${name} »`,
    delete: 'Supprimer',
    deleteTitle: (name: string) => `Supprimer le webhook « ${name} » ?`,
    deleted: (name: string) => `Webhook « ${name} » supprimé`,
    empty: "Aucun webhook pour l'instant.",
    cancel: 'Annuler',
  },
};

const SECRET = /^whsec_[A-Za-z0-9+/]{43}=$/;

test.beforeAll(async ({ browser }) => {
  // Alone (without the journey), the first admin is set up here.
  await setUpFirstAdmin();
  [admin, adminPage] = await newPage(browser);
  await admin.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signIn(adminPage, ADMIN.email, ADMIN.password);
  await expect(adminPage).toHaveURL(/\/o\/[^/]+\/users/);
  slug = /\/o\/([^/]+)\//.exec(adminPage.url())?.[1] as string;
  await removeEndpoints();
});

test.afterAll(async () => {
  if (adminPage) {
    await removeEndpoints();
    await setProfile('EN');
  }
  await admin?.close();
});

for (const language of ['EN', 'FR'] as const) {
  test(`an admin adds an endpoint, sees its secret once, edits, disables, enables, rotates and deletes it (${language})`, async () => {
    const w = WORDS[language];
    const name = `E2E CRM ${language}`;
    await setProfile(language);
    await adminPage.setViewportSize({ width: 1280, height: 800 });
    // The organization's navigation leads there: a link, or an entry of its menu when the links are folded
    // (an operator's ten links in French beside the switcher, after the organizations suite).
    await adminPage.goto(`/o/${slug}/users`);
    await expect(adminPage.locator('html')).toHaveAttribute('lang', language.toLowerCase());
    await expect(adminPage.getByRole('heading', { level: 1 })).toBeVisible();
    // The toolbar has measured its links (a resize observer's answer comes before the next frames).
    await adminPage.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    const menu = adminPage.getByTestId('nav-menu');
    if (await menu.isVisible()) {
      await menu.click();
      await adminPage.getByRole('menuitem', { name: 'Webhooks' }).click();
    } else {
      await adminPage.getByRole('link', { name: 'Webhooks' }).click();
    }
    await expect(adminPage).toHaveURL(new RegExp(`/o/${slug}/webhooks$`));
    await expect(adminPage.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
    await expect(adminPage.getByTestId('webhooks')).toContainText(w.empty);

    // Add: a URL with credentials is refused by the API, said on the URL field.
    await adminPage.getByRole('button', { name: w.add }).click();
    const dialog = adminPage.getByRole('dialog', { name: w.addTitle });
    await expect(dialog.locator(':focus')).toHaveCount(1);
    await dialog.getByLabel('URL', { exact: true }).fill('https://user:pw@hooks.example.com/roster');
    await dialog.getByLabel(w.description, { exact: true }).fill(name);
    await dialog.getByRole('checkbox', { name: w.users, exact: true }).check();
    await dialog.getByRole('checkbox', { name: w.teamCreated }).check();
    await dialog.getByRole('button', { name: w.submit, exact: true }).click();
    await expect(
      dialog
        .locator('mat-form-field')
        .filter({ has: adminPage.getByLabel('URL', { exact: true }) })
        .locator('mat-error'),
    ).toHaveText(w.urlError);
    await expect(dialog.getByLabel('URL', { exact: true })).toBeFocused();
    // On loopback, plain http (the test server allows private targets).
    await dialog.getByLabel('URL', { exact: true }).fill('http://127.0.0.1:9/e2e-crm');
    await dialog.getByRole('button', { name: w.submit, exact: true }).click();

    // The secret, once: only its button closes the dialog.
    const added = adminPage.getByRole('dialog', { name: w.added(name) });
    await expect(added).toContainText(w.once);
    const secret = await added.getByLabel(w.secret, { exact: true }).inputValue();
    expect(secret).toMatch(SECRET);
    await expect(added.getByTestId('secret-once-snippet')).toContainText("from 'standardwebhooks'");
    await adminPage.keyboard.press('Escape');
    await expect(added).toBeVisible();
    await added.getByRole('button', { name: w.copyClose }).click();
    await expect(added).toBeHidden();
    expect(await adminPage.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await expect(status(adminPage, name)).toHaveText(w.enabled);
    await expect(row(adminPage, name)).toContainText('127.0.0.1:9/e2e-crm');
    await expect(adminPage.locator('body')).not.toContainText(secret);

    // Edit: the same dialog, the events ticked.
    await adminPage.getByRole('button', { name: w.actions(name) }).click();
    await adminPage.getByRole('menuitem', { name: w.edit }).click();
    const edit = adminPage.getByRole('dialog', { name: w.editTitle(name) });
    await expect(edit.getByRole('checkbox', { name: w.teamCreated })).toBeChecked();
    await edit.getByLabel(w.description, { exact: true }).fill(`${name} 2`);
    await edit.getByRole('button', { name: w.save }).click();
    await expect(edit).toBeHidden();
    await expect(adminPage.getByText(w.saved(`${name} 2`))).toBeVisible();

    // Disable, then enable.
    await adminPage.getByRole('button', { name: w.actions(`${name} 2`) }).click();
    await adminPage.getByRole('menuitem', { name: w.disable }).click();
    await expect(status(adminPage, `${name} 2`)).toHaveText(w.disabled);
    await adminPage.getByRole('button', { name: w.actions(`${name} 2`) }).click();
    await adminPage.getByRole('menuitem', { name: w.enable, exact: true }).click();
    await expect(status(adminPage, `${name} 2`)).toHaveText(w.enabled);

    // A new secret, after saying the current one keeps working for 24 hours.
    await adminPage.getByRole('button', { name: w.actions(`${name} 2`) }).click();
    await adminPage.getByRole('menuitem', { name: w.rotate }).click();
    const confirmRotate = adminPage.getByRole('dialog', { name: w.rotateTitle(`${name} 2`) });
    await expect(confirmRotate).toContainText(w.rotateText);
    await confirmRotate.getByRole('button', { name: w.rotateConfirm }).click();
    const rotated = adminPage.getByRole('dialog', { name: w.rotated(`${name} 2`) });
    const newSecret = await rotated.getByLabel(w.secret, { exact: true }).inputValue();
    expect(newSecret).toMatch(SECRET);
    expect(newSecret).not.toBe(secret);
    await rotated.getByRole('button', { name: w.copyClose }).click();
    await expect(rotated).toBeHidden();

    // Delete, after a confirmation naming it.
    await adminPage.getByRole('button', { name: w.actions(`${name} 2`) }).click();
    await adminPage.getByRole('menuitem', { name: w.delete }).click();
    await adminPage
      .getByRole('dialog', { name: w.deleteTitle(`${name} 2`) })
      .getByRole('button', { name: w.delete })
      .click();
    await expect(adminPage.getByText(w.deleted(`${name} 2`))).toBeVisible();
    await expect(adminPage.getByTestId('webhooks')).toContainText(w.empty);
  });
}

/** Endpoints of every kind for the screenshots: long texts, many events, each status (those Roster sets, in the database). */
async function screenshotEndpoints(): Promise<void> {
  const types = (await gql<{ data: { webhookEventTypes: string[] } }>(`{ webhookEventTypes }`)).data.webhookEventTypes;
  const create = async (url: string, description: string, eventTypes: string[]) => {
    const r = await gql<{ data: { createWebhookEndpoint: { endpoint: { id: string } } } }>(
      `mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { endpoint { id } } }`,
      { i: { url, description, eventTypes } },
    );
    return r.data.createWebhookEndpoint.endpoint.id;
  };
  const hr = await create(
    'https://integrations.example-enterprise.com/webhooks/roster/v2/organizations/acme/receivers/human-resources?tenant=acme',
    'E2E Human resources system of record, synchronised with the payroll provider and the badge printers',
    types.filter((t) => t.startsWith('user.') || t.startsWith('invitation.')),
  );
  const all = await create('https://hooks.slack-like.example/services/T000/B000/XXXXXXXX', '', types);
  const gone = await create('https://old-crm.example.org/roster', 'E2E Old CRM', ['user.deleted', 'user.role_changed']);
  const failing = await create('https://audit-archive.example.net/ingest', 'E2E Audit archive', ['audit.exported']);
  const flaky = await create('https://status.example.com/hooks/roster', 'E2E Status page', ['team.created']);
  statusPage = flaky;
  // Three events it receives (each queued for it in the transaction of the change).
  for (const letter of ['A', 'B', 'C']) {
    await gql(`mutation($i: TeamNameInput!) { createTeam(input: $i) { id } }`, { i: { name: `${TEAM} ${letter}` } });
  }
  const paused = await create('https://paused.example.com/roster', 'E2E Paused', ['role.created']);
  await gql(`mutation($i: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $i) { id } }`, { i: { id: paused, enabled: false } });
  // What only deliveries set: a 410 Gone, three days of failures, a failing streak, the last success.
  const db = new Client({ connectionString: process.env['E2E_DATABASE_URL'] });
  await db.connect();
  try {
    const set = (id: string, sql: string) => db.query(`UPDATE webhook_endpoints SET ${sql} WHERE id = $1`, [id]);
    await set(
      gone,
      `enabled = false, disabled_reason = 'GONE', disabled_at = now() - interval '2 hours', last_success_at = now() - interval '3 days'`,
    );
    await set(
      failing,
      `enabled = false, disabled_reason = 'FAILING', disabled_at = now() - interval '20 minutes', failing_since = now() - interval '3 days'`,
    );
    await set(flaky, `failing_since = now() - interval '5 hours', last_success_at = now() - interval '6 hours'`);
    await set(hr, `last_success_at = now() - interval '4 minutes'`);
    await set(all, `last_success_at = now() - interval '1 day'`);
    // Its three deliveries as attempts leave them (oldest first: failed, delivered, retrying; none due, so
    // that no delivery worker touches them), and 55 older delivered ones for a second page.
    const ids = (
      await db.query<{ id: string }>(`SELECT id FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY created_at, id`, [flaky])
    ).rows.map((r) => r.id);
    expect(ids).toHaveLength(3);
    const attempted = `last_attempt_at = now() - interval '1 minute'`;
    const deliver = (id: string, sql: string) => db.query(`UPDATE webhook_deliveries SET ${sql}, ${attempted} WHERE id = $1`, [id]);
    await deliver(ids[0], `status = 'FAILED', attempts = 9, last_error = 'timeout', finished_at = now()`);
    await deliver(
      ids[1],
      `status = 'DELIVERED', attempts = 2, response_status = 200, finished_at = now(),
       response_body = E'{"received": true}\n<script>alert("not run")</script>'`,
    );
    await deliver(
      ids[2],
      `status = 'RETRYING', attempts = 3, response_status = 503, response_body = 'Service Unavailable', next_attempt_at = now() + interval '1 hour'`,
    );
    await db.query(
      `INSERT INTO webhook_deliveries (organization_id, endpoint_id, audit_event_id, event_type, status, attempts, response_status,
         response_body, last_attempt_at, finished_at, created_at)
       SELECT organization_id, endpoint_id, audit_event_id, event_type, 'DELIVERED', 1, 204, NULL, now() - interval '1 day',
         now() - interval '1 day', now() - interval '1 day' - g * interval '1 minute'
       FROM webhook_deliveries, generate_series(1, 55) g WHERE id = $1`,
      [ids[1]],
    );
  } finally {
    await db.end();
  }
}

test('the page, the add dialog and the secret, light and dark, in English and French, wide and on a phone', async () => {
  // 8 combinations of three screens each, then the deliveries: about a minute on a slow 2-core machine.
  test.setTimeout(180_000);
  mkdirSync(SHOTS, { recursive: true });
  await screenshotEndpoints();
  for (const language of ['EN', 'FR'] as const) {
    const w = WORDS[language];
    await setProfile(language);
    await adminPage.setViewportSize({ width: 1280, height: 800 });
    // One page load per language: the theme and the width change in place.
    await adminPage.goto(`/o/${slug}/webhooks`);
    await expect(row(adminPage, 'E2E Paused')).toBeVisible();
    // The messages of the previous pictures' actions ("Secret copied") would cover the next ones.
    await adminPage.addStyleTag({ content: '.mat-mdc-snack-bar-container { visibility: hidden !important; }' });
    await expect(adminPage.locator('[data-notice]')).toHaveCount(2);
    for (const theme of ['light', 'dark'] as const) {
      await adminPage.evaluate((t) => {
        document.documentElement.classList.toggle('theme-light', t === 'light');
        document.documentElement.classList.toggle('theme-dark', t === 'dark');
      }, theme);
      for (const width of [1280, 400]) {
        const name = `${language.toLowerCase()}-${theme}-${width}`;
        await adminPage.setViewportSize({ width, height: width > 600 ? 800 : 860 });
        // Nothing wider than the window: long URLs are cut, descriptions wrap.
        await fitsWindow(width);
        expect(await adminPage.locator('ro-table-frame').evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
        if (theme === 'dark' && width === 400) await expectAccessible(adminPage);
        await settle(adminPage);
        await adminPage.screenshot({ path: `${SHOTS}/list-${name}.png`, fullPage: true });

        await adminPage.getByTestId('webhook-add').click();
        const dialog = adminPage.getByRole('dialog');
        await expect(dialog.locator(':focus')).toHaveCount(1);
        await dialog.getByRole('checkbox', { name: w.users, exact: true }).check();
        await dialog.getByLabel('URL', { exact: true }).fill('ftp://example.com');
        await dialog.getByRole('button', { name: w.submit, exact: true }).click();
        await expect(dialog.locator('mat-error')).toBeVisible();
        if (theme === 'dark' && width === 1280) await expectAccessible(adminPage, '.cdk-overlay-container');
        await settle(adminPage);
        await adminPage.screenshot({ path: `${SHOTS}/add-${name}.png` });
        await dialog.getByRole('button', { name: w.cancel }).click();
        await expect(dialog).toBeHidden();

        await adminPage.getByRole('button', { name: w.actions('E2E Paused') }).click();
        await adminPage.getByRole('menuitem', { name: w.rotate }).click();
        await adminPage.getByRole('dialog').getByRole('button', { name: w.rotateConfirm }).click();
        const secret = adminPage.getByRole('dialog').filter({ has: adminPage.getByTestId('secret-once') });
        await expect(secret).toBeVisible();
        await settle(adminPage);
        await adminPage.screenshot({ path: `${SHOTS}/secret-${name}.png` });
        await secret.getByTestId('secret-once-done').click();
        await expect(secret).toBeHidden();
      }
    }

    // The deliveries of an endpoint, a delivered one open (its answer), reached from the list.
    await adminPage.setViewportSize({ width: 1280, height: 800 });
    await row(adminPage, 'E2E Status page').getByRole('link', { name: 'E2E Status page' }).click();
    const deliveries = adminPage.locator('tr.delivery');
    await expect(deliveries).toHaveCount(50);
    await deliveries.nth(1).locator('.mat-column-expand button').click();
    await expect(adminPage.getByTestId('delivery-body')).toBeVisible();
    for (const theme of ['light', 'dark'] as const) {
      await adminPage.evaluate((t) => {
        document.documentElement.classList.toggle('theme-light', t === 'light');
        document.documentElement.classList.toggle('theme-dark', t === 'dark');
      }, theme);
      for (const width of [1280, 400]) {
        await adminPage.setViewportSize({ width, height: width > 600 ? 800 : 860 });
        await fitsWindow(width);
        expect(await adminPage.locator('ro-table-frame').evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
        if (theme === 'dark' && width === 400) await expectAccessible(adminPage);
        await settle(adminPage);
        await adminPage.screenshot({ path: `${SHOTS}/deliveries-${language.toLowerCase()}-${theme}-${width}.png` });
      }
    }
    await adminPage.evaluate(() => document.documentElement.classList.replace('theme-dark', 'theme-light'));
  }
});

test("an endpoint's deliveries: newest first, Load more, the status in the URL, a row's answer, Redeliver", async () => {
  await setProfile('EN');
  await adminPage.setViewportSize({ width: 1280, height: 800 });
  await adminPage.goto(`/o/${slug}/webhooks`);
  await row(adminPage, 'E2E Status page').getByRole('button', { name: 'Actions for E2E Status page' }).click();
  await adminPage.getByRole('menuitem', { name: 'Deliveries' }).click();
  await expect(adminPage).toHaveURL(new RegExp(`/o/${slug}/webhooks/${statusPage}$`));
  await expect(adminPage.getByRole('heading', { name: 'Deliveries to “E2E Status page”', level: 1 })).toBeVisible();

  // Newest first: retrying (its answer), delivered, failed (why no answer came); then the older ones, 50 a page.
  const deliveries = adminPage.locator('tr.delivery');
  await expect(deliveries).toHaveCount(50);
  await expect(deliveries.nth(0).locator('.mat-column-status')).toHaveText('Retrying');
  await expect(deliveries.nth(0).locator('.mat-column-response')).toHaveText('HTTP 503');
  await expect(deliveries.nth(1).locator('.mat-column-status')).toHaveText('Delivered');
  await expect(deliveries.nth(2).locator('.mat-column-status')).toHaveText('Failed');
  await expect(deliveries.nth(2).locator('.mat-column-response')).toHaveText('No answer within 10 s');
  await expect(deliveries.nth(2).locator('.mat-column-attempts')).toHaveText('9');
  await adminPage.getByRole('button', { name: 'Load more' }).click();
  await expect(deliveries).toHaveCount(58);
  await expect(adminPage.getByRole('button', { name: 'Load more' })).toHaveCount(0);

  // The status filter lives in the URL.
  await choose(adminPage, 'Status', ['Failed']);
  await expect(adminPage).toHaveURL(new RegExp(`/webhooks/${statusPage}\\?status=FAILED$`));
  await expect(deliveries).toHaveCount(1);
  await adminPage.goBack();
  await expect(deliveries).toHaveCount(50);
  await choose(adminPage, 'Status', ['Delivered']);
  await expect(adminPage).toHaveURL(/\?status=DELIVERED$/);

  // A row opens to the answer, as text, the webhook-id, and the event in the audit log.
  const delivered = deliveries.first();
  await delivered.getByRole('button', { name: /^Details: Team created/ }).click();
  await expect(adminPage.getByTestId('delivery-body')).toHaveText('{"received": true}\n<script>alert("not run")</script>');
  await expect(adminPage.getByTestId('delivery-webhook-id')).toHaveText(/^msg_\w+$/);
  await expect(adminPage.getByTestId('delivery-audit-link')).toHaveAttribute(
    'href',
    new RegExp(`^/o/${slug}/audit\\?action=team\\.created&from=\\d{4}-\\d{2}-\\d{2}&to=\\d{4}-\\d{2}-\\d{2}$`),
  );

  // Redeliver: the same delivery, waiting to be sent again.
  await delivered.getByRole('button', { name: /^Redeliver Team created/ }).click();
  await expect(adminPage.getByText('“Team created” will be sent again')).toBeVisible();
  await expect(delivered.locator('.mat-column-status')).toHaveText('Pending');

  // The log of the event, filtered on its action and day.
  await adminPage.getByTestId('delivery-audit-link').click();
  await expect(adminPage).toHaveURL(new RegExp(`/o/${slug}/audit\\?action=team\\.created`));
  await expect(adminPage.locator('tr[data-action="team.created"]').first()).toBeVisible();
});
