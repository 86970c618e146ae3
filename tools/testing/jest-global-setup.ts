import { startEmbedded } from './database';

/**
 * Without DATABASE_URL, start one embedded PostgreSQL for the whole run; suites then create and
 * drop their own databases on it (tools/testing/database.ts). Workers inherit DATABASE_URL.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env['DATABASE_URL']) return;
  const server = await startEmbedded();
  process.env['DATABASE_URL'] = server.adminUrl;
  (globalThis as Record<string, unknown>)['__rosterEmbedded'] = server.stop;
}
