import { expect as pwExpect } from '@playwright/test';
import { Browser, chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../../../tools/testing/chromium';
import { startApp, STRONG_PASSWORD, TestApp } from './support/app';

/** The playground is served by the API itself and works with no internet connection. */
describe('GraphQL playground', () => {
  let app: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    app = await startApp('playground');
    browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('loads from our own server only and runs a query with the session cookie', async () => {
    const context = await browser.newContext();
    const offsite: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(app.server.url) || url.startsWith('data:')) return route.continue();
      offsite.push(url);
      return route.abort();
    });
    const signIn = await context.request.post(`${app.server.url}/graphql`, {
      data: { query: `mutation { signIn(input: { email: "admin@example.com", password: "${STRONG_PASSWORD}" }) { me { user { id } } } }` },
    });
    expect(signIn.ok()).toBe(true);
    const page = await context.newPage();
    const failures: string[] = [];
    page.on('pageerror', (e) => failures.push(e.message));
    await page.goto(`${app.server.url}/graphql`);
    await page.locator('.graphiql-execute-button').click();
    await page.locator('.result-window').getByText('"totalCount": 1').waitFor({ timeout: 15_000 });
    await pwExpect(page.locator('.result-window')).toContainText('admin@example.com');
    expect(offsite).toEqual([]);
    expect(failures).toEqual([]);
    await context.close();
  });

  it('is not served to API clients asking for JSON', async () => {
    const res = await fetch(`${app.server.url}/graphql?query=%7B__typename%7D`, {
      headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
    });
    expect(await res.json()).toEqual({ data: { __typename: 'Query' } });
  });
});
