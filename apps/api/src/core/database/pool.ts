import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * The pg pool behind TypeORM's data source, for the few places that need pg itself (named statements,
 * rows as arrays for the export, the pool gauges). TypeORM keeps it as its Postgres driver's `master`, a
 * public field it does not type; this is the one place that relies on it, and it fails loudly, at the
 * first call, if an upgrade renames it.
 */
export function poolOf(db: DataSource): Pool {
  const pool = (db.driver as unknown as { master?: Pool }).master;
  if (!pool || typeof pool.query !== 'function' || typeof pool.connect !== 'function') {
    throw new Error("TypeORM's Postgres driver no longer exposes its pg pool as `master`");
  }
  return pool;
}
