import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests of the console against the real, built API (which serves the built console)
 * on a fresh PostgreSQL database. Build first: `npx nx build api && npx nx build console`.
 */
const chrome = process.env['CHROME_BIN'] ?? '/usr/bin/chromium';
if (!existsSync(chrome)) {
  throw new Error(
    `No Chromium at ${chrome}. Set CHROME_BIN to a Chrome/Chromium binary, or install one: ` +
      '`apt-get install chromium` (Debian/Ubuntu), or `npx playwright install chromium` where the internet is reachable.',
  );
}

export default defineConfig({
  testDir: './src',
  outputDir: '../../test-results/console-e2e',
  globalSetup: './src/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  // The journey registers the first admin; the other suites sign in as that admin.
  projects: [
    { name: 'journey', testMatch: /journey\.spec\.ts$/ },
    { name: 'security', testIgnore: /journey\.spec\.ts$/, dependencies: ['journey'] },
  ],
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    // As a person who asked their system for less motion: dialogs, menus and ripples appear without their
    // animations (what the tests wait for is the end state), which takes a fifth off the run on two cores.
    contextOptions: { reducedMotion: 'reduce' },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chrome,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
});
