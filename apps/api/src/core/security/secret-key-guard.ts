import { join } from 'node:path';
import { Client } from 'pg';
import { AppConfig, ConfigError } from '../config/config';
import { SecretBox } from './secret-box';
import { secretKeyMatches } from './secret-key-check';

/** Every instance on one database must seal secrets with the same key: refuse to start with another. */
export async function assertSecretKey(databaseUrl: string, config: AppConfig, say: (msg: string) => void): Promise<void> {
  const box = SecretBox.fromEnvironment(config.dataDir, say);
  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  const matches = await secretKeyMatches(pg, box).finally(() => pg.end());
  if (!matches) {
    throw new ConfigError([
      process.env['ROSTER_SECRET_KEY']
        ? "ROSTER_SECRET_KEY is not the key this database's secrets are sealed with: give every instance the same ROSTER_SECRET_KEY"
        : `ROSTER_SECRET_KEY is required: this database's secrets are sealed with another key than ${join(config.dataDir, 'secret.key')} (another instance's, or a key file that was replaced): set that key as ROSTER_SECRET_KEY on every instance`,
    ]);
  }
  if (config.databaseUrl && !process.env['ROSTER_SECRET_KEY']) {
    say(`ROSTER_SECRET_KEY is not set: the key in ${config.dataDir} is used. Set ROSTER_SECRET_KEY before running a second instance.`);
  }
}
