#!/usr/bin/env node
/**
 * Commit subjects read as history: at most 72 characters, `area: what changed`, no bundles of review
 * fixes. Checked for every commit since the rule began (FIRST_RULED; earlier history is left as it is).
 * Exits 1 naming each commit that breaks it; says so and passes where that history is absent (a shallow
 * clone, an exported tree).
 */
import { spawnSync } from 'node:child_process';

const FIRST_RULED = '8e63a5a'; // test: API jest in two projects, api-unit and api-integration
const git = (...args) => spawnSync('git', args, { encoding: 'utf8' });

if (git('rev-parse', '--verify', '--quiet', `${FIRST_RULED}^{commit}`).status !== 0) {
  console.log(`commit subjects: not checked (commit ${FIRST_RULED} is not in this clone's history)`);
  process.exit(0);
}
const log = git('log', '--no-merges', '--format=%h%x09%s', `${FIRST_RULED}^..HEAD`);
if (log.status !== 0) {
  console.error(log.stderr);
  process.exit(1);
}
const problems = [];
for (const line of log.stdout.split('\n').filter(Boolean)) {
  const [hash, subject] = line.split('\t');
  if ([...subject].length > 72) problems.push(`${hash} is ${[...subject].length} characters long (72 at most): ${subject}`);
  if (!/^[A-Za-z0-9][\w./-]*(, ?[\w./-]+)*: \S/.test(subject)) problems.push(`${hash} does not read "area: what changed": ${subject}`);
  if (/review fixes/i.test(subject)) problems.push(`${hash} bundles review fixes (one fix per commit): ${subject}`);
}
if (problems.length) {
  console.error(`commit subjects:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`commit subjects: ${log.stdout.split('\n').filter(Boolean).length} checked since ${FIRST_RULED}`);
