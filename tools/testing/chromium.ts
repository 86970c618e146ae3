import { existsSync } from 'node:fs';

/** Debian's Chromium by default; CHROME_BIN picks another. Fails loudly when there is none. */
export function chromiumPath(): string {
  const path = process.env['CHROME_BIN'] ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(
      `No Chromium at ${path}. Browser tests need one: install Debian's (apt-get install chromium), ` +
        'set CHROME_BIN to another Chromium/Chrome, or run "npx playwright install chromium" where the internet is reachable ' +
        '(then CHROME_BIN=$(node -e "console.log(require(\'playwright-core\').chromium.executablePath())")).',
    );
  }
  return path;
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Nothing but this machine: any other host fails to resolve.
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost',
];
