#!/usr/bin/env node
/**
 * `npm test`: builds the API and the console, lints everything (no warning allowed), checks formatting and commit subjects, runs every jest suite (unit + integration against a
 * real PostgreSQL and the real server), then the Playwright end-to-end tests in Chromium.
 * Ends with one line "N passed, M failed" and a non-zero exit code on any failure.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';

const run = (cmd, args, extraEnv = {}) => {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...extraEnv } });
  return r.status ?? 1;
};

let passed = 0;
let failed = 0;
const problems = [];
mkdirSync('tmp', { recursive: true });

if (run('npx', ['nx', 'run-many', '-t', 'build', '-p', 'api,console', '--parallel=1', '--outputStyle=static']) !== 0) {
  problems.push('build');
} else {
  // Lint: errors and warnings fail (module boundaries need the project graph, which the build just computed).
  if (
    run('npx', [
      'eslint',
      '--max-warnings',
      '0',
      'apps/api/src',
      'apps/api/test',
      'libs',
      'apps/console/src',
      'apps/console-e2e/src',
      'tools',
    ]) !== 0
  ) {
    problems.push('lint');
  }
  // Formatting: Prettier's check (npm run format rewrites).
  if (run('npx', ['prettier', '--check', '.']) !== 0) problems.push('format');
  // History: commit subjects of at most 72 characters, `area: what changed`.
  if (run('node', ['tools/commit-subjects.mjs']) !== 0) problems.push('commit subjects');

  // Jest: every project (contracts, api-unit, api-integration, console) in one run. At least two workers: an
  // integration suite spends much of its time waiting on its server and PostgreSQL, so on two cores a second
  // suite beside it fills the wait (jest's default there, cores − 1, runs one suite at a time).
  rmSync('tmp/jest.json', { force: true });
  const workers = Math.max(2, availableParallelism() - 1);
  const jestStatus = run('npx', ['jest', '--ci', `--maxWorkers=${workers}`, '--json', '--outputFile=tmp/jest.json']);
  if (existsSync('tmp/jest.json')) {
    const j = JSON.parse(readFileSync('tmp/jest.json', 'utf8'));
    passed += j.numPassedTests;
    failed += j.numFailedTests;
    if (j.numRuntimeErrorTestSuites) problems.push(`${j.numRuntimeErrorTestSuites} jest suite(s) could not run`);
  }
  if (jestStatus !== 0) problems.push('jest');

  // Playwright end to end, in Debian's Chromium (CHROME_BIN to choose another).
  if (existsSync('apps/console-e2e/playwright.config.ts')) {
    rmSync('tmp/e2e.json', { force: true });
    const e2eStatus = run('npx', ['playwright', 'test', '-c', 'apps/console-e2e/playwright.config.ts', '--reporter=list,json'], {
      PLAYWRIGHT_JSON_OUTPUT_NAME: resolve('tmp/e2e.json'), // relative names follow the config's folder
    });
    if (existsSync('tmp/e2e.json')) {
      const s = JSON.parse(readFileSync('tmp/e2e.json', 'utf8')).stats ?? {};
      passed += s.expected ?? 0;
      failed += (s.unexpected ?? 0) + (s.flaky ?? 0);
    }
    if (e2eStatus !== 0) problems.push('e2e');
  }
}

if (problems.length) console.log(`\nFailed steps: ${problems.join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(problems.length || failed ? 1 : 0);
