import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * Counts the SQL statements each HTTP request sends (for tests and the benchmark), with
 * AsyncLocalStorage: nothing is shared between requests. Exposed only when SQL_STATEMENT_HEADER=1.
 */
export const sqlStatements = new AsyncLocalStorage<{ n: number }>();

export class CountingLogger implements TypeOrmLogger {
  logQuery(): void {
    const store = sqlStatements.getStore();
    if (store) store.n++;
  }
  logQueryError(): void {
    /* only statements are counted */
  }
  logQuerySlow(): void {
    /* only statements are counted */
  }
  logSchemaBuild(): void {
    /* only statements are counted */
  }
  logMigration(): void {
    /* only statements are counted */
  }
  log(): void {
    /* only statements are counted */
  }
}
