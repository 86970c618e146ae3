import type { DataSource } from 'typeorm';
import { ConfigError } from '../config/config';

/**
 * Refuses a database whose schema is newer than this build: its migrations table records a migration this build
 * does not have (a later version of Roster ran there). Its code would otherwise run against tables it does not
 * know, and TypeORM would still apply this build's pending migrations to them. Checked under the migrations lock,
 * before any migration runs.
 */
export async function refuseNewerSchema(ds: DataSource): Promise<void> {
  const table = ds.options.migrationsTableName ?? 'migrations';
  const [{ present }] = (await ds.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [table])) as { present: boolean }[];
  if (!present) return; // a new database
  const known = new Set(ds.migrations.map((m) => m.name ?? m.constructor.name));
  const applied = (await ds.query(`SELECT "name" FROM "${table}" ORDER BY "timestamp", "id"`)) as { name: string }[];
  const unknown = applied.map((r) => r.name).filter((name) => !known.has(name));
  if (unknown.length === 0) return;
  throw new ConfigError([
    `the database's schema is newer than this version of Roster: it has ${unknown.length === 1 ? 'migration' : 'migrations'} ` +
      `${unknown.join(', ')}, which this version does not know (a later version ran on this database). Run that version ` +
      'or a later one, or restore the backup taken before the upgrade (docs/operations.md)',
  ]);
}
