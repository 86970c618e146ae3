import { expect, test } from '@playwright/test';
import { createServer, Server } from 'node:http';
import { ADMIN, baseUrl, newPage } from './support';

/**
 * The platform's own application sends a person to Roster's sign-in with `returnTo`; once signed in
 * they come back to it when its origin is in RETURN_TO_ORIGINS (global-setup lists E2E_APP_ORIGIN),
 * and stay on Roster otherwise. The application's page then asks GET /auth/whoami with the browser's
 * cookies (CORS with credentials).
 */
const appOrigin = () => process.env['E2E_APP_ORIGIN'] ?? '';

let hostApp: Server;

test.beforeAll(async () => {
  const roster = baseUrl();
  hostApp = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="en"><head><title>Host application</title></head><body>
<h1>Host application</h1><p id="who">…</p>
<script>
fetch(${JSON.stringify(`${roster}/auth/whoami`)}, { credentials: 'include' })
  .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
  .then((me) => { document.getElementById('who').textContent = me.user.email + ' in ' + me.organization.slug + ' as ' + me.role.key; })
  .catch((e) => { document.getElementById('who').textContent = 'refused ' + e; });
</script></body></html>`);
  });
  const port = Number(new URL(appOrigin()).port);
  await new Promise<void>((ok) => hostApp.listen(port, '127.0.0.1', ok));
});

test.afterAll(async () => {
  await new Promise((ok) => hostApp?.close(ok));
});

async function signInWith(page: import('@playwright/test').Page, returnTo: string): Promise<void> {
  await page.goto(`/sign-in?returnTo=${encodeURIComponent(returnTo)}`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('after sign-in, an allowed returnTo leads back to the application, which reads who signed in', async ({ browser }) => {
  const [context, page] = await newPage(browser);
  try {
    await signInWith(page, `${appOrigin()}/dashboard?tab=people`);
    await expect(page).toHaveURL(`${appOrigin()}/dashboard?tab=people`);
    await expect(page.locator('#who')).toHaveText(/^ada\.admin@example\.com in \S+ as ADMIN$/);
  } finally {
    await context.close();
  }
});

test('a returnTo outside RETURN_TO_ORIGINS stays on Roster', async ({ browser }) => {
  for (const hostile of ['https://evil.example/steal', '//evil.example', '/\\evil.example', `${appOrigin()}@evil.example`]) {
    const [context, page] = await newPage(browser);
    try {
      await signInWith(page, hostile);
      await expect(page).toHaveURL(/\/users$/);
      expect(new URL(page.url()).origin).toBe(new URL(baseUrl()).origin);
    } finally {
      await context.close();
    }
  }
});
