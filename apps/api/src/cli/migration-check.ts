import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions, migrate } from '../core/database/data-source';
import { ENTITIES } from '../entities';

/**
 * Fails (exit 1) when the entities and the migrations disagree: applies every migration to
 * DATABASE_URL, then asks TypeORM what it would still change. Also checks every migration reverts.
 * `--apply`: applies the migrations and stops (the test set-up's migrated template database).
 */
async function main(): Promise<void> {
  const url = process.env['DATABASE_URL'];
  if (!url) throw new Error('DATABASE_URL is required');
  const applied = await migrate(url);
  if (process.argv.includes('--apply')) {
    console.log(`Migrations applied (${applied.length}).`);
    return;
  }
  const ds = new DataSource(dataSourceOptions(url, undefined, false, ENTITIES));
  await ds.initialize();
  try {
    const pending = await ds.driver.createSchemaBuilder().log();
    if (pending.upQueries.length > 0) {
      console.error('The entities differ from the migrations. A new migration needs:');
      for (const q of pending.upQueries) console.error(`  ${q.query};`);
      process.exitCode = 1;
      return;
    }
    if (process.argv.includes('--revert')) {
      for (let i = 0; i < ds.migrations.length; i++) await ds.undoLastMigration({ transaction: 'each' });
      await ds.runMigrations({ transaction: 'each' });
    }
    console.log(`Migrations and entities agree (${ds.migrations.length} migrations).`);
  } finally {
    await ds.destroy();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
