import { readFileSync } from 'node:fs';
import { BrowserContext, expect, Page, test } from '@playwright/test';
import { ADMIN, choose, expectAccessible, inviteAndRegister, newPage, signIn } from './support';

const AUDREY = { email: 'audrey.audit@example.com', firstName: 'Audrey', lastName: 'Audit', password: 'who watches the watchmen 1986' };
const TEAM = 'Audit Crew';

test.describe.configure({ mode: 'serial' });

let admin: BrowserContext;
let adminPage: Page;
let audrey: BrowserContext;
let audreyPage: Page;

/** A day as YYYY-MM-DD (the URL's form, which the date fields also read), in the browser's (and this machine's) time zone. */
function day(offsetDays = 0): string {
  const d = new Date();
  d.setDate(d.getDate() + offsetDays);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** A YYYY-MM-DD day as the console's date fields show it: MM/DD/YYYY in English, DD/MM/YYYY in French. */
function shown(yyyyMmDd: string, lang: 'en' | 'fr'): string {
  const [y, m, d] = yyyyMmDd.split('-');
  return lang === 'en' ? `${m}/${d}/${y}` : `${d}/${m}/${y}`;
}

/** The audit log's event rows (not their detail rows). */
const events = (page: Page) => page.getByTestId('audit-table').locator('tr.event');

test.beforeAll(async ({ browser }) => {
  [admin, adminPage] = await newPage(browser);
  await signIn(adminPage, ADMIN.email, ADMIN.password);
  await expect(adminPage).toHaveURL(/\/users$/);
});

test.afterAll(async () => {
  await admin?.close();
  await audrey?.close();
});

test('actions made in the console appear in the audit log, newest first', async ({ browser }) => {
  // A team created and renamed, a person invited who then registers.
  await adminPage.getByRole('link', { name: 'Teams' }).click();
  await adminPage.getByRole('button', { name: 'Create team' }).click();
  let dialog = adminPage.getByRole('dialog');
  await dialog.getByLabel('Team name').fill(TEAM);
  await dialog.getByRole('button', { name: 'Create team' }).click();
  await expect(adminPage.getByRole('cell', { name: TEAM, exact: true })).toBeVisible();
  await adminPage.getByRole('button', { name: `Actions for ${TEAM}` }).click();
  await adminPage.getByRole('menuitem', { name: 'Rename' }).click();
  dialog = adminPage.getByRole('dialog');
  await dialog.getByLabel('Team name').fill(`${TEAM} 2`);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(adminPage.getByRole('cell', { name: `${TEAM} 2`, exact: true })).toBeVisible();
  [audrey, audreyPage] = await inviteAndRegister(adminPage, browser, AUDREY);

  await adminPage.getByRole('link', { name: 'Audit log' }).click();
  await expect(adminPage).toHaveURL(/\/audit$/);
  await expect(adminPage.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  const rows = events(adminPage);
  // Newest first: Audrey's registration, her invitation, then the rename.
  await expect(rows.first()).toHaveAttribute('data-action', 'invitation.accepted');
  await expect(rows.first()).toContainText(AUDREY.email);
  await expect(rows.first()).toContainText('Invitation accepted');
  await expect(rows.nth(1)).toHaveAttribute('data-action', 'invitation.created');
  await expect(rows.nth(1)).toContainText(ADMIN.email);
  await expect(rows.nth(2)).toHaveAttribute('data-action', 'team.renamed');
  // Times in the viewer's language and time zone, the exact instant in the markup.
  await expect(rows.first().locator('time')).toHaveAttribute('datetime', /^\d{4}-\d{2}-\d{2}T/);
  await expect(rows.first().locator('time')).toContainText(String(new Date().getFullYear()));
  await expect(adminPage.getByRole('status').filter({ hasText: 'events shown' })).toBeVisible();
  await expectAccessible(adminPage);
});

test('filters by action, and shows an event’s details on demand', async () => {
  await choose(adminPage, 'Action', ['Team renamed']);
  const rows = events(adminPage);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-action', 'team.renamed');
  const toggle = rows.first().getByRole('button', { name: /^Details: Team renamed, / });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  const details = adminPage.locator(`#${await toggle.getAttribute('aria-controls')}`);
  await expect(details).toBeVisible();
  await expect(details).toContainText('from');
  await expect(details).toContainText(TEAM);
  await expect(details).toContainText(`${TEAM} 2`);
  await adminPage.screenshot({ path: 'test-results/console-audit-log.png', fullPage: true });
  await expectAccessible(adminPage);
  // Keyboard: the toggle closes again with Enter.
  await toggle.focus();
  await adminPage.keyboard.press('Enter');
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(details).toBeHidden();
});

test('filters by actor (any case), and by dates', async () => {
  await adminPage.getByRole('button', { name: 'Reset', exact: true }).click();
  await expect(events(adminPage).nth(2)).toBeVisible();
  await adminPage.getByLabel('Actor').fill(AUDREY.email.toUpperCase());
  await adminPage.getByLabel('Actor').press('Enter');
  const rows = events(adminPage);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-action', 'invitation.accepted');

  await adminPage.getByLabel('From').fill(day(0));
  await adminPage.getByLabel('To (included)').fill(day(0));
  await adminPage.getByRole('button', { name: 'Filter', exact: true }).click();
  await expect(rows).toHaveCount(1);
  await expect(adminPage).toHaveURL(new RegExp(`from=${day(0)}&to=${day(0)}$`));
  await expect(adminPage.getByLabel('From')).toHaveValue(shown(day(0), 'en'));
  await adminPage.getByLabel('From').fill(day(1));
  await adminPage.getByLabel('To (included)').fill(day(1));
  await adminPage.getByRole('button', { name: 'Filter', exact: true }).click();
  await expect(adminPage.getByText('No events match these filters')).toBeVisible();
  // A range that ends before it starts: the API's refusal, translated.
  await adminPage.getByLabel('To (included)').fill(day(-1));
  await adminPage.getByRole('button', { name: 'Filter', exact: true }).click();
  await expect(adminPage.getByRole('alert')).toHaveText('The start date must not be after the end date.');
  await expectAccessible(adminPage);

  // Text that is not a date is refused in its field, which says how to write one; Reset empties it.
  const filtered = adminPage.url();
  await adminPage.getByLabel('From').fill('31/02/2026');
  await adminPage.getByRole('button', { name: 'Filter', exact: true }).click();
  await expect(adminPage.getByText('Enter a date as MM/DD/YYYY')).toBeVisible();
  await expect(adminPage).toHaveURL(filtered);
  await adminPage.getByRole('button', { name: 'Reset', exact: true }).click();
  await expect(adminPage).toHaveURL(/\/audit$/);
  await expect(adminPage.getByLabel('From')).toHaveValue('');
  await expect(adminPage.getByText('Enter a date as MM/DD/YYYY')).toHaveCount(0);
  await expect(events(adminPage).nth(2)).toBeVisible();
});

test('exports the filtered events as CSV through the browser download', async () => {
  await adminPage.getByRole('button', { name: 'Reset', exact: true }).click();
  await adminPage.getByLabel('Actor').fill(AUDREY.email);
  await adminPage.getByRole('button', { name: 'Filter', exact: true }).click();
  await expect(events(adminPage)).toHaveCount(1);
  const download = adminPage.waitForEvent('download');
  await adminPage.getByRole('button', { name: 'Export CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^audit-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync((await file.path()) ?? '', 'utf8');
  expect(csv.startsWith('\uFEFF')).toBe(true); // so spreadsheet apps read UTF-8
  const lines = csv.trim().split(/\r?\n/);
  expect(lines[0]).toBe('Time (UTC),Action,Actor email,Actor id,Target email,Target id,Details,Event id');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain('invitation.accepted');
  expect(lines[1]).toContain(AUDREY.email);
  await expect(adminPage.getByText('Export started')).toBeVisible();
  // The export itself is in the log.
  await adminPage.getByRole('button', { name: 'Reset', exact: true }).click();
  await expect(events(adminPage).first()).toHaveAttribute('data-action', 'audit.exported');
});

test('loads more events by cursor, and keeps the filter in the URL', async () => {
  // 52 more renames (ending with the same name), through the API with the admin's session.
  const csrf = (await admin.cookies()).find((c) => c.name === 'roster_csrf')?.value ?? '';
  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await adminPage.request.post('/graphql', { headers: { 'x-csrf-token': csrf }, data: { query, variables } });
    const body = await res.json();
    expect(body.errors).toBeUndefined();
    return body.data;
  };
  const team = (await gql('{ teams { id name } }')).teams.find((t: { name: string }) => t.name === `${TEAM} 2`);
  for (let i = 0; i < 52; i++) {
    await gql('mutation($id: ID!, $n: String!) { renameTeam(id: $id, input: { name: $n }) { id } }', {
      id: team.id,
      n: i % 2 ? `${TEAM} 2` : `${TEAM} 3`,
    });
  }
  await adminPage.getByRole('button', { name: 'Reset', exact: true }).click();
  await choose(adminPage, 'Action', ['Team renamed']);
  await expect(adminPage).toHaveURL(/\/audit\?action=team\.renamed$/);
  const rows = events(adminPage);
  await expect(rows).toHaveCount(50);
  await expect(adminPage.getByRole('status').filter({ hasText: '50 events shown' })).toBeVisible();
  await adminPage.getByRole('button', { name: 'Load more' }).click();
  await expect(rows).toHaveCount(53);
  await expect(adminPage.getByRole('button', { name: 'Load more' })).toHaveCount(0);
  // Each event once, newest first: the first rename (to "Audit Crew 2", from "Audit Crew") is the last row.
  const ids = await adminPage
    .getByTestId('audit-table')
    .locator('tr.event time')
    .evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime')));
  expect(ids).toEqual([...ids].sort().reverse());
  await rows
    .last()
    .getByRole('button', { name: /^Details: / })
    .click();
  await expect(adminPage.locator('td.details').filter({ hasText: 'from' }).last()).toContainText(`${TEAM}`);

  // A link (or a reload) shows the same filtered events; Back returns to the previous filter.
  await adminPage.getByLabel('Actor').fill(ADMIN.email);
  await adminPage.getByRole('button', { name: 'Filter', exact: true }).click();
  await expect(adminPage).toHaveURL(/actor=ada\.admin(@|%40)example\.com/);
  await adminPage.reload();
  await expect(adminPage.getByLabel('Actor')).toHaveValue(ADMIN.email);
  await expect(adminPage.getByRole('combobox', { name: 'Action' })).toContainText('Team renamed');
  await expect(rows).toHaveCount(50);
  await adminPage.goBack();
  await expect(adminPage).toHaveURL(/\/audit\?action=team\.renamed$/);
  await expect(adminPage.getByLabel('Actor')).toHaveValue('');
});

test('is the admin’s: a Member has no link and no page', async () => {
  await expect(audreyPage.getByRole('link', { name: 'Users' })).toBeVisible();
  await expect(audreyPage.getByRole('link', { name: 'Audit log' })).toHaveCount(0);
  await audreyPage.goto('/audit');
  await expect(audreyPage).toHaveURL(/\/users$/);
});

test('speaks French', async () => {
  const setLanguage = async (label: string, language: string, save: string) => {
    await adminPage.getByRole('button', { name: label }).click();
    const dialog = adminPage.getByRole('dialog');
    await choose(adminPage, language === 'Français' ? 'Language' : 'Langue', [language]);
    await dialog.getByRole('button', { name: save }).click();
    await expect(dialog).toBeHidden();
  };
  await setLanguage('Edit my profile', 'Français', 'Enregistrer');
  try {
    await expect(adminPage.getByRole('heading', { name: "Journal d'audit" })).toBeVisible();
    await expect(adminPage.getByRole('columnheader', { name: 'Auteur' })).toBeVisible();
    // A link to the page with a filter.
    await adminPage.goto('/audit?action=audit.exported');
    await expect(adminPage.getByRole('combobox', { name: 'Action' })).toContainText("Journal d'audit exporté");
    await expect(events(adminPage).first()).toContainText("Journal d'audit exporté");
    // Dates written as French writes them (day first), kept in the URL as YYYY-MM-DD.
    await expect(adminPage.getByText('JJ/MM/AAAA')).toHaveCount(2);
    await adminPage.getByLabel('Du', { exact: true }).fill(shown(day(0), 'fr'));
    await adminPage.getByLabel('Au (inclus)').fill(shown(day(0), 'fr'));
    await adminPage.getByRole('button', { name: 'Filtrer' }).click();
    await expect(adminPage).toHaveURL(new RegExp(`action=audit\\.exported&from=${day(0)}&to=${day(0)}$`));
    await expect(events(adminPage).first()).toContainText("Journal d'audit exporté");
    await adminPage.reload();
    await expect(adminPage.getByLabel('Du', { exact: true })).toHaveValue(shown(day(0), 'fr'));
    await adminPage.getByLabel('Du', { exact: true }).fill(day(1));
    await adminPage.getByLabel('Au (inclus)').fill(day(-1));
    await adminPage.getByRole('button', { name: 'Filtrer' }).click();
    await expect(adminPage.getByRole('alert')).toHaveText('La date de début ne doit pas être postérieure à la date de fin.');
    await expectAccessible(adminPage);
  } finally {
    await setLanguage('Modifier mon profil', 'English', 'Save');
  }
  await expect(adminPage.getByRole('heading', { name: 'Audit log' })).toBeVisible();
});
