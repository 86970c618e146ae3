import { DataSource, DataSourceOptions } from 'typeorm';
import type { DatabaseLimits } from '../config/config';
import { LOCKS } from './locks';
import { CountingLogger } from '../observability/sql-counter';
import { MIGRATIONS, migrationsNaming } from './migrations';
import { refuseNewerSchema } from './schema-version';

/** For start-up work (migrations, seeding): one connection, no statement limit. */
export const MAINTENANCE_LIMITS: DatabaseLimits = {
  poolSize: 2,
  acquireTimeoutMs: 30_000,
  statementTimeoutMs: 0,
  idleInTransactionTimeoutMs: 0,
  preparedStatements: false,
};

/** node-postgres connection settings for these limits (also used by pools outside TypeORM). */
export function pgLimits(limits: DatabaseLimits) {
  // The server-side limits are start-up parameters of each connection, which PgBouncer refuses (or,
  // told to ignore them, drops): behind a pooler in transaction mode they are the pooler's or the role's.
  const perConnection = limits.preparedStatements;
  return {
    max: limits.poolSize,
    connectionTimeoutMillis: limits.acquireTimeoutMs,
    statement_timeout: perConnection ? limits.statementTimeoutMs : undefined,
    // A little longer than the statement limit: the server-side timeout answers first, with its own code.
    query_timeout: limits.statementTimeoutMs ? limits.statementTimeoutMs + 2_000 : undefined,
    idle_in_transaction_session_timeout: perConnection ? limits.idleInTransactionTimeoutMs : undefined,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: 'roster',
  };
}

/**
 * TypeORM options. `entities` are given by the caller (the app and the migration check list them in
 * src/entities.ts); migrations need none.
 */
export function dataSourceOptions(
  url: string,
  limits: DatabaseLimits = MAINTENANCE_LIMITS,
  countStatements = false,
  entities: DataSourceOptions['entities'] = [],
): DataSourceOptions {
  return {
    ...(countStatements ? { logging: ['query' as const], logger: new CountingLogger() } : {}),
    type: 'postgres',
    url,
    entities,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    uuidExtension: 'pgcrypto',
    extra: pgLimits(limits),
  };
}

/**
 * Runs pending migrations under an advisory lock, so several instances can start at once. The lock
 * is a transaction's, kept open on its own connection while the migrations run on another: a pooler
 * in transaction mode keeps that transaction on one server connection, where a session's lock would
 * stay with whichever server connection took it. A statement every second keeps that transaction
 * from being ended as idle by the pooler (PostgreSQL's own limit is lifted inside it).
 * `organizationName`: what a database of one company's organization is called when it becomes one.
 */
export async function migrate(url: string, options: { organizationName?: string } = {}): Promise<string[]> {
  const migrations = options.organizationName ? migrationsNaming(options.organizationName) : MIGRATIONS;
  const ds = new DataSource({ ...dataSourceOptions(url), migrations });
  await ds.initialize();
  try {
    const runner = ds.createQueryRunner();
    await runner.connect();
    let beat: NodeJS.Timeout | undefined;
    try {
      await runner.query('BEGIN');
      await runner.query(`SET LOCAL idle_in_transaction_session_timeout = 0`);
      await runner.query(`SELECT pg_advisory_xact_lock(${LOCKS.migrations})`);
      beat = setInterval(() => void runner.query('SELECT 1').catch(() => undefined), 1_000);
      await refuseNewerSchema(ds);
      const done = await ds.runMigrations({ transaction: 'each' });
      return done.map((m) => m.name);
    } finally {
      clearInterval(beat);
      await runner.query('COMMIT').catch(() => undefined);
      await runner.release();
    }
  } finally {
    await ds.destroy();
  }
}
