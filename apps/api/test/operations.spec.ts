import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestDatabase, TestDatabase } from '../../../tools/testing/database';
import { freePort, NODE_FLAGS, ROOT, startServer, TestServer } from '../../../tools/testing/server';
import { Client as Pg } from 'pg';
import { Client } from './support/client';

const MAIN = resolve(ROOT, 'dist/apps/api/main.js');

/** Runs the built server with this environment until it exits (or 20 s); its exit code and output. */
function run(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, [...NODE_FLAGS, MAIN], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...env } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      ok({ code, out });
    });
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Starting, observing and stopping the server as an operator does. */
describe('operations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('ops');
  });
  afterAll(() => db?.drop());

  it('refuses to start on a configuration mistake, with one line naming each variable', async () => {
    const { code, out } = await run({ DATABASE_URL: db.url, COOKIE_SECURE: 'ture', PORT: String(await freePort()) });
    expect(code).toBe(1);
    expect(out.trim()).toBe('[roster] configuration error: COOKIE_SECURE must be true or false, got "ture"');
    const two = await run({ DATABASE_URL: 'mysql://db/roster', SMTP_URL: 'smtp://relay:25' });
    expect(two.code).toBe(1);
    expect(two.out.trim().split('\n')).toEqual([
      '[roster] configuration error: DATABASE_URL must be a postgres or postgresql URL such as postgres://user:password@db:5432/roster, got "mysql://db/roster"',
      '[roster] configuration error: SMTP_FROM is required with SMTP_URL, e.g. "Roster <roster@example.com>"',
    ]);
  });

  it('refuses a second instance whose secret key differs from the database’s', async () => {
    const first = await startServer(db.url);
    try {
      const other = await run({
        DATABASE_URL: db.url,
        PORT: String(await freePort()),
        ROSTER_SECRET_KEY: randomBytes(32).toString('base64'),
      });
      expect(other.code).toBe(1);
      expect(other.out).toContain(
        "[roster] configuration error: ROSTER_SECRET_KEY is not the key this database's secrets are sealed with: give every instance the same ROSTER_SECRET_KEY",
      );
      expect(other.out).not.toMatch(/at .*\.js:\d+/);
      // Without a key, an instance generates its own (in its data folder): not the database's either.
      const dataDir = mkdtempSync(join(tmpdir(), 'roster-key-'));
      const keyless = await run({ DATABASE_URL: db.url, PORT: String(await freePort()), ROSTER_SECRET_KEY: '', ROSTER_DATA_DIR: dataDir });
      rmSync(dataDir, { recursive: true, force: true });
      expect(keyless.code).toBe(1);
      expect(keyless.out).toContain('[roster] configuration error: ROSTER_SECRET_KEY is required:');
    } finally {
      await first.stop();
    }
  });

  it('refuses what would crash later or fail open, in one line each, without a stack trace', async () => {
    const error = '[roster] configuration error:';
    const port = String(await freePort());
    // Accepted before, then a crash at start with a stack trace.
    const trust = await run({ DATABASE_URL: db.url, PORT: port, TRUST_PROXY: '1.2.3' });
    expect([trust.code, trust.out.trim()]).toEqual([
      1,
      `${error} TRUST_PROXY must be false, a hop count or a list of proxy addresses/subnets; "1.2.3" is not an IP address (e.g. 10.0.0.1, fd00::1)`,
    ]);
    // Production with a misspelt DATABASE_URL: not the embedded database, silently.
    const slip = await run({ NODE_ENV: '', DATABASE_URL: '', DATABSE_URL: db.url, PORT: port });
    expect([slip.code, slip.out.trim().split('\n')]).toEqual([
      1,
      [
        `${error} DATABSE_URL is not a variable Roster reads: did you mean DATABASE_URL?`,
        expect.stringMatching(
          /^\[roster\] configuration error: DATABASE_URL is required in production \(NODE_ENV unset or production\): .*DATABASE_URL=embedded/,
        ),
      ],
    ]);
    const keyless = await run({ NODE_ENV: 'production', DATABASE_URL: db.url, ROSTER_SECRET_KEY: '', PORT: port });
    expect([keyless.code, keyless.out.trim()]).toEqual([
      1,
      `${error} ROSTER_SECRET_KEY is required in production (NODE_ENV unset or production) with DATABASE_URL: 32 bytes, base64 (openssl rand -base64 32), the same on every instance`,
    ]);
    const prod = await run({ NODE_ENV: 'prod', DATABASE_URL: db.url, PORT: port });
    expect([prod.code, prod.out.trim()]).toEqual([1, `${error} NODE_ENV must be production, development or test, got "prod"`]);
    const sso = {
      OIDC_ISSUER: 'https://idp.example.com',
      OIDC_CLIENT_ID: 'roster',
      OIDC_CLIENT_SECRET: 'secret',
      OIDC_ALLOWED_DOMAINS: 'example.com',
    };
    const admins = await run({ DATABASE_URL: db.url, PORT: port, ...sso, OIDC_DEFAULT_ROLE: 'ADMIN' });
    expect([admins.code, admins.out.trim()]).toEqual([
      1,
      `${error} OIDC_DEFAULT_ROLE cannot be ADMIN: everyone from OIDC_ALLOWED_DOMAINS would sign up as an admin; choose MANAGER, MEMBER, VIEWER and promote admins one by one`,
    ]);
    const typo = await run({ DATABASE_URL: db.url, PORT: port, ...sso, OIDC_DEFAULT_ROLE: 'MEMBR' });
    expect([typo.code, typo.out.trim()]).toEqual([1, `${error} OIDC_DEFAULT_ROLE must be one of MANAGER, MEMBER, VIEWER, got "MEMBR"`]);
  });

  it('in production, reads the database address and the key from files (Docker secrets), in every worker', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'roster-secrets-'));
    try {
      writeFileSync(join(dir, 'database_url'), `${db.url}\n`);
      // The key this suite's database was sealed with (tools/testing/server.ts derives it).
      writeFileSync(join(dir, 'secret_key'), `${createHash('sha256').update(new URL(db.url).pathname).digest('base64')}\n`);
      const server = await startServer(db.url, {
        NODE_ENV: 'production',
        DATABASE_URL: '',
        DATABASE_URL_FILE: join(dir, 'database_url'),
        ROSTER_SECRET_KEY: '',
        ROSTER_SECRET_KEY_FILE: join(dir, 'secret_key'),
        WEB_CONCURRENCY: '2',
      });
      try {
        for (let i = 0; i < 4; i++) await new Client(server.url).ok(`{ authConfig { passwordSignIn } }`);
        expect(server.output()).not.toMatch(/configuration error|exited/);
      } finally {
        await server.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('as `npm start` runs it (DATABASE_URL=embedded, NODE_ENV unset): the embedded PostgreSQL and the set-up URL', async () => {
    const start = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')).scripts.start as string;
    expect(start).toContain('DATABASE_URL=${DATABASE_URL:-embedded} node ');
    const dataDir = mkdtempSync(join(tmpdir(), 'roster-npm-start-'));
    const port = await freePort();
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      DATABASE_URL: 'embedded',
      HOST: '127.0.0.1',
      PORT: String(port),
      ROSTER_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    };
    delete env['NODE_ENV'];
    delete env['ROSTER_SECRET_KEY'];
    const child = spawn(process.execPath, [...NODE_FLAGS, MAIN], { cwd: ROOT, env });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
    try {
      const deadline = Date.now() + 90_000;
      while (!/\[roster\] Ready\./.test(out) && child.exitCode === null && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect(out).toMatch(/Embedded PostgreSQL running/);
      expect(out).toMatch(new RegExp(`http://localhost:${port}/setup\\?token=\\S+`));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  describe('metrics', () => {
    let server: TestServer;
    let metricsPort: number;
    const TOKEN = 'metrics-token-0123456789';
    beforeAll(async () => {
      metricsPort = await freePort();
      server = await startServer(db.url, { METRICS_TOKEN: TOKEN, METRICS_PORT: String(metricsPort) });
    });
    afterAll(() => server?.stop());

    it('are not public: the main port wants the token; the metrics port serves them alone', async () => {
      expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
      expect((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
      const ok = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
      expect((await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${metricsPort}/anything`)).status).toBe(404);
    });

    it('count operations by name, errors by code, sign-ins, refusals, and show the pool', async () => {
      const c = new Client(server.url);
      await c.ok(`query AuthConfig { authConfig { passwordSignIn } }`);
      // A name nobody signed in has used: anonymous callers cannot fill the label slots.
      await c.ok(`query Junk1 { authConfig { passwordSignIn } }`);
      await c.code(`query Private { users { totalCount } }`);
      for (let i = 0; i < 11; i++) {
        await c.gql(`mutation { signIn(input: { email: "nobody@example.com", password: "not the password 123" }) { twoFactorRequired } }`);
      }
      const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      const value = (line: string) => Number(new RegExp(`^${line.replace(/[{}"()]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
      expect(value('roster_graphql_operations_total{operation="AuthConfig",type="query"}')).toBe(1);
      expect(value('roster_graphql_operations_total{operation="other",type="query"}')).toBeGreaterThanOrEqual(1);
      expect(text).not.toContain('Junk1');
      expect(value('roster_graphql_errors_total{code="UNAUTHENTICATED"}')).toBeGreaterThanOrEqual(1);
      expect(value('roster_sign_ins_total{outcome="failure"}')).toBe(10);
      expect(value('roster_sign_ins_total{outcome="refused"}')).toBe(1);
      expect(value('roster_rate_limit_refusals_total{limit="signin"}')).toBe(1);
      expect(value('roster_graphql_operation_duration_seconds_count{operation="AuthConfig"}')).toBe(1);
      expect(value('roster_http_requests_total{method="POST",route="/graphql",status="200"}')).toBeGreaterThanOrEqual(13);
      expect(value('roster_db_pool_waiting')).toBe(0);
      expect(value('roster_db_pool_connections{state="idle"}')).toBeGreaterThanOrEqual(1);
      expect(text).toMatch(/^roster_process_resident_memory_bytes \d+/m);
    });
  });

  it('on SIGTERM answers the requests in flight, turns not-ready, then exits', async () => {
    const server = await startServer(db.url, { SHUTDOWN_GRACE_SECONDS: '10' });
    const c = new Client(server.url);
    const pg = new Pg({ connectionString: db.url });
    await pg.connect();
    const counted = async () =>
      (await pg.query(`SELECT count(*)::int AS n FROM rate_limits WHERE key LIKE 'signin:%'`)).rows[0].n as number;
    const before = await counted();
    // Eight sign-ins hash passwords for about a second on these cores: they are in flight when the signal comes.
    const inFlight = Array.from({ length: 8 }, (_, i) =>
      c.gql(`mutation($e: String!) { signIn(input: { email: $e, password: "not the password 123" }) { twoFactorRequired } }`, {
        e: `drain-${i}@example.com`,
      }),
    );
    // Every one has reached the server (each counts its attempt first, then hashes).
    while ((await counted()) < before + 8) await new Promise((r) => setTimeout(r, 10));
    await pg.end();
    process.kill(server.pid, 'SIGTERM');
    const answers = await Promise.all(inFlight);
    expect(answers.map((a) => [a.status, a.errors?.[0]?.extensions?.['code']])).toEqual(
      Array.from({ length: 8 }, () => [200, 'INVALID_CREDENTIALS']),
    );
    const deadline = Date.now() + 10_000;
    while (alive(server.pid)) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(server.output()).toContain('[roster] Stopped.');
    // Nobody listens any more.
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });

  it('with SHUTDOWN_DELAY_SECONDS keeps serving while readiness says 503, then stops', async () => {
    const server = await startServer(db.url, { SHUTDOWN_DELAY_SECONDS: '3', SHUTDOWN_GRACE_SECONDS: '10' });
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const signalled = Date.now();
    process.kill(server.pid, 'SIGTERM');
    // Readiness turns at once; requests are still answered meanwhile (a load balancer moves away first).
    let ready = 200;
    while (ready === 200) {
      expect(Date.now() - signalled).toBeLessThan(2_000);
      ready = (await fetch(`${server.url}/readyz`)).status;
    }
    expect(ready).toBe(503);
    expect((await new Client(server.url).ok(`{ authConfig { passwordSignIn } }`)).authConfig.passwordSignIn).toBe(true);
    while (alive(server.pid)) {
      expect(Date.now() - signalled).toBeLessThan(15_000);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(Date.now() - signalled).toBeGreaterThanOrEqual(3_000);
    expect(server.output()).toContain('[roster] Stopped.');
  });
});
