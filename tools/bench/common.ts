import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Client as Pg } from 'pg';
import { freePort, ROOT, type TestServer } from '../testing/server';

export const BENCH_ADMIN = 'bench-admin@example.com';
export const BENCH_PASSWORD = 'load test passphrase 1234';

/** The console's users page (what the benchmark loads): 50 rows, role, teams, the count; `sortBy` EMAIL or LAST_NAME. */
export const PAGE = `query($search: String, $after: String, $sortBy: UserSortField!) {
  users(first: 50, search: $search, after: $after, sortBy: $sortBy, sortDirection: ASC) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { node { id email firstName lastName role { name } teams { name } permissionLevel lastSignInAt status } } } }`;

/** The same page without its total, as PostGraphile and most GraphQL APIs answer a list unless asked. */
export const PAGE_NO_COUNT = PAGE.replace('totalCount ', '');

/** The header naming the organization a console request acts in (by slug, as the console does). */
export const ORGANIZATION_HEADER = 'x-roster-organization';

/**
 * The benchmark's admin session: registered through the set-up URL on a new database, signed in
 * on one that has it. Returns the headers of a signed-in console request (cookies and CSRF token).
 * `email`: another person's session instead (one whose password is BENCH_PASSWORD).
 */
export async function benchSession(server: TestServer, email = BENCH_ADMIN): Promise<Record<string, string>> {
  const signIn =
    server.setupUrl && email === BENCH_ADMIN
      ? {
          query: `mutation($i: SetupFirstAdminInput!) { setupFirstAdmin(input: $i) { user { id } } }`,
          variables: {
            i: {
              token: new URL(server.setupUrl).searchParams.get('token'),
              email: BENCH_ADMIN,
              firstName: 'B',
              lastName: 'B',
              password: BENCH_PASSWORD,
              passwordConfirmation: BENCH_PASSWORD,
            },
          },
        }
      : {
          query: `mutation($i: SignInInput!) { signIn(input: $i) { me { user { id } } } }`,
          variables: { i: { email, password: BENCH_PASSWORD } },
        };
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(signIn),
  });
  if (!res.headers.getSetCookie().length) throw new Error(`sign-in failed: ${await res.text()}`);
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]);
  const csrf = cookies.find((c) => c.startsWith('roster_csrf='))?.split('=')[1] ?? '';
  return { 'content-type': 'application/json', cookie: cookies.join('; '), 'x-csrf-token': csrf };
}

/**
 * The raw node:http + pg floors (raw-server.ts) in their own process, on a free port, with a pool of
 * `poolSize` (Roster's, to compare like with like). It runs Roster's own users-query.ts for `/same`.
 */
export async function startRawServer(databaseUrl: string, poolSize: number): Promise<{ url: string; pid: number; stop: () => void }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      join(__dirname, 'raw-server.ts'),
      databaseUrl,
      String(port),
      String(poolSize),
    ],
    {
      env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tools/tsconfig.json') },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((ok, ko) => {
    child.stdout?.once('data', () => ok());
    child.once('exit', (code) => ko(new Error(`raw server exited (${code})`)));
  });
  return { url: `http://127.0.0.1:${port}/`, pid: child.pid as number, stop: () => child.kill() };
}

/**
 * Between runs: cancels what the last run left running in PostgreSQL (requests autocannon gave up
 * on still execute there) and waits until nothing runs, so one run's load never slows the next.
 */
export async function quiesce(pg: Pg): Promise<void> {
  const others = `FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'
                    AND backend_type = 'client backend' AND application_name <> 'roster-changes'`;
  await pg.query(`SELECT pg_cancel_backend(pid) ${others}`);
  for (let i = 0; i < 100; i++) {
    if (Number((await pg.query(`SELECT count(*) AS n ${others}`)).rows[0].n) === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}
