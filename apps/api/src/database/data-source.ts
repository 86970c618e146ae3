import { DataSource, DataSourceOptions } from 'typeorm';
import { CountingLogger } from '../core/sql-counter';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export function dataSourceOptions(url: string, countStatements = false): DataSourceOptions {
  return {
    ...(countStatements ? { logging: ['query' as const], logger: new CountingLogger() } : {}),
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    uuidExtension: 'pgcrypto',
    extra: { max: Number(process.env['DATABASE_POOL_SIZE'] || 10), application_name: 'roster' },
  };
}

/** Runs pending migrations under an advisory lock, so several instances can start at once. */
export async function migrate(url: string): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions(url));
  await ds.initialize();
  try {
    const runner = ds.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock(72707)');
      const done = await ds.runMigrations({ transaction: 'each' });
      return done.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock(72707)').catch(() => undefined);
      await runner.release();
    }
  } finally {
    await ds.destroy();
  }
}
