import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createTestDatabase } from '../../../tools/testing/database';
import { ROOT } from '../../../tools/testing/server';

/** CI fails when schema.gql or the migrations fall out of step with the code. */
describe('no drift', () => {
  const run = (script: string, args: string[], env: Record<string, string> = {}) =>
    execFileSync(process.execPath, [join(ROOT, 'dist/apps/api', script), ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });

  it('the committed schema.gql is what the code generates', () => {
    expect(run('schema.js', ['--check', 'apps/api/schema.gql'])).toContain('matches the code');
  });

  it('the migrations produce exactly the entities, and revert cleanly', async () => {
    const db = await createTestDatabase('drift');
    try {
      expect(run('migration-check.js', ['--revert'], { DATABASE_URL: db.url })).toMatch(/Migrations and entities agree/);
    } finally {
      await db.drop();
    }
  });
});
