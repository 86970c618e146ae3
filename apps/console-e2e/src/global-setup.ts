import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createTestDatabase, stopEmbeddedDatabase } from '../../../tools/testing/database';
import { freePort, ROOT, startServer } from '../../../tools/testing/server';

/**
 * A fresh database and the real server; tests read E2E_URL and E2E_SETUP_URL. E2E_APP_ORIGIN: a
 * host application's origin on loopback (its port reserved here), listed in RETURN_TO_ORIGINS.
 * E2E_DATABASE_URL: the database, for the states only the server's own work reaches (a webhook
 * endpoint disabled after failures).
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const index = resolve(ROOT, 'dist/apps/console/browser/index.html');
  if (!existsSync(index)) throw new Error(`${index} is missing: run "npx nx build console" first`);
  const db = await createTestDatabase('console_e2e', { migrated: true });
  const appOrigin = `http://127.0.0.1:${await freePort()}`;
  // Host applications on loopback hear back-channel logouts (private targets allowed, as in development).
  const server = await startServer(db.url, { RETURN_TO_ORIGINS: appOrigin, ALLOW_PRIVATE_TARGETS: 'true' });
  if (!server.setupUrl) throw new Error(`The server printed no set-up URL:\n${server.output()}`);
  process.env['E2E_URL'] = server.url;
  process.env['E2E_SETUP_URL'] = server.setupUrl;
  process.env['E2E_APP_ORIGIN'] = appOrigin;
  process.env['E2E_DATABASE_URL'] = db.url;
  return async () => {
    await server.stop();
    await db.drop();
    await stopEmbeddedDatabase();
  };
}
