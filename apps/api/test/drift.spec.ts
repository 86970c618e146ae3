import { buildSchema, isInputObjectType, isObjectType } from 'graphql';
import { execFileSync } from 'node:child_process';
import { Client } from 'pg';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase } from '../../../tools/testing/database';
import { ROOT } from '../../../tools/testing/server';

/** CI fails when schema.gql or the migrations fall out of step with the code. */
describe('no drift', () => {
  const run = (script: string, args: string[], env: Record<string, string> = {}) =>
    execFileSync(process.execPath, [join(ROOT, 'dist/apps/api', script), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });

  it('the committed schema.gql is what the code generates', () => {
    expect(run('schema.js', ['--check', 'apps/api/schema.gql'])).toContain('matches the code');
  });

  it('the console typed client committed is what graphql-codegen makes of schema.gql and the operations', () => {
    // On failure: run "npm run codegen" and commit libs/console/data-access/src/generated/graphql.ts.
    const cli = join(ROOT, 'node_modules/@graphql-codegen/cli/cjs/bin.js');
    expect(() =>
      execFileSync(process.execPath, [cli, '--config', 'libs/console/data-access/codegen.ts', '--check'], { cwd: ROOT, stdio: 'pipe' }),
    ).not.toThrow();
  });

  it('every type, field and argument of schema.gql has a description', () => {
    const schema = buildSchema(readFileSync(join(ROOT, 'apps/api/schema.gql'), 'utf8'));
    // Built-in scalars are described by the GraphQL spec. Query and Mutation are exempt because
    // @nestjs/graphql (RootTypeFactory) builds the root types without a description and offers no
    // option to set one; every one of their fields and arguments is still checked below.
    const exempt = new Set(['String', 'Boolean', 'Int', 'Float', 'ID', 'Query', 'Mutation']);
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      if (!type.description && !exempt.has(type.name)) missing.push(type.name);
      if (!isObjectType(type) && !isInputObjectType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        if (!field.description) missing.push(`${type.name}.${field.name}`);
        for (const arg of 'args' in field ? field.args : []) {
          if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('the migrations produce exactly the entities, and revert cleanly', async () => {
    const db = await createTestDatabase('drift');
    try {
      expect(run('migration-check.js', ['--revert'], { DATABASE_URL: db.url })).toMatch(/Migrations and entities agree/);
      // Every trigger function runs as its owner with a fixed search path, whichever role wrote (row-level security):
      // one a migration adds or replaces without saying so would run confined, or find another schema's tables.
      const client = new Client({ connectionString: db.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ name: string }>(
          `SELECT p.proname AS name FROM pg_proc p
            WHERE p.pronamespace = current_schema()::regnamespace AND p.prorettype = 'trigger'::regtype
              AND NOT (p.prosecdef AND EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search\\_path=%'))
            ORDER BY 1`,
        );
        expect(rows.map((r) => r.name)).toEqual([]);
      } finally {
        await client.end();
      }
    } finally {
      await db.drop();
    }
  });
});
