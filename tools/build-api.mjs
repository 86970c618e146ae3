#!/usr/bin/env node
/**
 * Builds the API (`nx build api`): dist/apps/api/{main,seed,schema,migration-check}.js, and the playground's files.
 *
 * 1. TypeScript's compiler (`tsc -p apps/api/tsconfig.app.json`) type-checks and emits CommonJS with decorator metadata
 *    (Nest and the GraphQL schema read it) into tmp/api-tsc; a type error fails the build.
 * 2. esbuild joins each entry point's emitted modules into one file (every module keeps its own CommonJS scope, as
 *    Node would load it) and resolves `@roster/contracts/*` to the emitted library; every npm package stays external
 *    (required from node_modules at run time), so production dependencies are what the server needs to run.
 * 3. The playground's browser files (React, ReactDOM, GraphiQL) are copied into dist/apps/api/playground: the server
 *    serves them from there, so those packages are devDependencies.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--outDir');
// --outDir elsewhere: another build beside dist (comparing two builds).
const OUT = outArg > 0 ? resolve(process.argv[outArg + 1]) : join(ROOT, 'dist/apps/api');
const EMITTED = join(ROOT, 'tmp/api-tsc');
const require = createRequire(join(ROOT, 'package.json'));

const started = Date.now();
rmSync(EMITTED, { recursive: true, force: true });
const tsc = spawnSync(
  process.execPath,
  // Without comments: V8 keeps a script's whole source in memory, and one non-ASCII character in a comment
  // makes it keep the bundle as two-byte text (2 MB instead of under 1).
  [
    require.resolve('typescript/bin/tsc'),
    '-p',
    'apps/api/tsconfig.app.json',
    '--outDir',
    EMITTED,
    '--rootDir',
    '.',
    '--removeComments',
    '--pretty',
  ],
  { cwd: ROOT, stdio: 'inherit' },
);
if (tsc.status !== 0) {
  console.error('build-api: the TypeScript compiler reported errors (above)');
  process.exit(1);
}

const entries = {
  main: 'apps/api/src/main.js',
  seed: 'apps/api/src/cli/seed.js',
  schema: 'apps/api/src/cli/schema.js',
  'migration-check': 'apps/api/src/cli/migration-check.js',
};
rmSync(OUT, { recursive: true, force: true });
await build({
  entryPoints: Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, join(EMITTED, file)])),
  outdir: OUT,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'es2022',
  sourcemap: true,
  // Class and function names as written: Nest and TypeORM read some (metadata keys, error messages).
  keepNames: true,
  logLevel: 'warning',
  plugins: [
    {
      name: 'roster-resolve',
      setup(b) {
        // The shared contracts library, compiled by step 1.
        b.onResolve({ filter: /^@roster\/contracts\// }, (args) => ({
          path: join(EMITTED, 'libs/shared/contracts/src', `${args.path.slice('@roster/contracts/'.length)}.js`),
        }));
        // Every other bare specifier is an npm package or a Node built-in: required at run time.
        b.onResolve({ filter: /^[^./]/ }, (args) => ({ path: args.path, external: true }));
      },
    },
  ],
});

const playground = join(OUT, 'playground');
mkdirSync(playground, { recursive: true });
const packageDir = (name) => dirname(require.resolve(`${name}/package.json`));
const files = {
  'react.production.min.js': join(packageDir('react'), 'umd/react.production.min.js'),
  'react-dom.production.min.js': join(packageDir('react-dom'), 'umd/react-dom.production.min.js'),
  'graphiql.min.js': join(packageDir('graphiql'), 'graphiql.min.js'),
  'graphiql.min.css': join(packageDir('graphiql'), 'graphiql.min.css'),
};
for (const [name, from] of Object.entries(files)) {
  if (!existsSync(from)) throw new Error(`build-api: ${from} is missing (npm install)`);
  copyFileSync(from, join(playground, name));
}
console.log(`build-api: ${Object.keys(entries).join(', ')} and the playground in ${OUT} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
