import type { AppConfig } from '../config/config';
import { assertSecretKey } from '../security/secret-key-guard';
import { migrate } from './data-source';
import { EmbeddedDatabase, startEmbeddedDatabase } from './embedded-db';

/** The database the server processes use, migrated and checked; `embedded` when this process started it. */
export interface OpenDatabase {
  url: string;
  embedded: EmbeddedDatabase | null;
}

/**
 * The database (embedded unless DATABASE_URL), its migrations under a lock, then the secret-key check.
 * Refused by the check, the embedded PostgreSQL (if this process started it) stops with it.
 */
export async function openDatabase(config: AppConfig, say: (msg: string) => void): Promise<OpenDatabase> {
  let embedded: EmbeddedDatabase | null = null;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedDatabase(config.dataDir, say);
    url = embedded.url;
    say(`Embedded PostgreSQL running, data in ${config.dataDir}`);
  }
  const applied = await migrate(url, { organizationName: config.organizationName });
  if (applied.length) say(`Applied migrations: ${applied.join(', ')}`);
  await assertSecretKey(url, config, say).catch(async (e: unknown) => {
    await embedded?.stop().catch(() => undefined);
    throw e;
  });
  return { url, embedded };
}
