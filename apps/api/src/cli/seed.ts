import { Client } from 'pg';
import { ConfigError, loadConfig } from '../core/config/config';
import { startEmbeddedDatabase } from '../core/database/embedded-db';
import { migrate } from '../core/database/data-source';
import { seedDemo } from '../core/database/seed-demo';

/** `npm run seed [-- --users N]`: demo teams and users in the configured database (default 200 users). */
async function main(): Promise<void> {
  const i = process.argv.indexOf('--users');
  const users = i > 0 ? Number(process.argv[i + 1]) : 200;
  if (!Number.isInteger(users) || users < 0) throw new Error('--users takes a whole number');
  const config = loadConfig();
  const say = (m: string) => process.stdout.write(`[roster seed] ${m}\n`);
  const embedded = config.databaseUrl ? null : await startEmbeddedDatabase(config.dataDir, say);
  const url = config.databaseUrl ?? embedded?.url ?? '';
  await migrate(url);
  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    await seedDemo(pg, users, say);
    say(`Done: ${users} demo users in ${config.databaseUrl ? 'DATABASE_URL' : config.dataDir}.`);
  } finally {
    await pg.end();
    await embedded?.stop();
  }
}

main().catch((e) => {
  // A configuration mistake in one line per variable, as the server says it.
  if (e instanceof ConfigError) for (const problem of e.problems) process.stderr.write(`[roster seed] configuration error: ${problem}\n`);
  else console.error(e);
  process.exit(1);
});
