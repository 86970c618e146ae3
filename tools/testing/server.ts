import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';

/**
 * Starts the real, built API (`dist/apps/api/main.js`) as a child process on a free port and
 * waits until it listens. Build first: `npx nx build api`.
 */
export interface TestServer {
  url: string;
  pid: number;
  /** The first admin's one-time set-up URL printed on start (null when an admin exists). */
  setupUrl: string | null;
  output: () => string;
  stop(): Promise<void>;
}

export const ROOT = resolve(__dirname, '../..');

/** The Node.js flags of `npm start` (package.json): keep both equal. */
export const NODE_FLAGS = [
  '--max-old-space-size=128',
  '--max-semi-space-size=16',
  '--heap-growing-percent=100',
  '--no-allocation-site-pretenuring',
];

/** Whether `port` (0: any) can be listened on at 127.0.0.1 now; the port, or null. */
function listenable(port: number): Promise<number | null> {
  return new Promise((ok) => {
    const srv = createServer();
    srv.on('error', () => ok(null));
    srv.listen(port, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => ok(typeof a === 'object' && a ? a.port : null));
    });
  });
}

/** The first port of the kernel's ephemeral range (Linux), or null where it cannot be read. */
function ephemeralFloor(): number | null {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) ? low : null;
  } catch {
    return null;
  }
}

/** Ports this process handed out: never twice. */
const handedOut = new Set<number>();
const LOWEST = 10_000;
const EPHEMERAL_FLOOR = ephemeralFloor();

/**
 * A port free now. Below the kernel's ephemeral range where it can be read: a port of that range may become the
 * local port of any outgoing connection (a database pool's, an HTTP client's) between this call and the listen,
 * which some tests leave seconds apart (a provider's redirect URL names the port before the server starts), and
 * the server then fails with EADDRINUSE. Chosen at random there, and never the same port twice in one process.
 */
export async function freePort(): Promise<number> {
  const floor = EPHEMERAL_FLOOR;
  for (let attempt = 0; attempt < 100; attempt++) {
    const candidate = floor !== null && floor > LOWEST + 1_000 ? LOWEST + Math.floor(Math.random() * (floor - LOWEST)) : 0;
    const port = await listenable(candidate);
    if (port !== null && !handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('freePort: no free port found');
}

export async function startServer(
  databaseUrl: string,
  env: Record<string, string> = {},
  fixedPort?: number,
  options: {
    /** Node.js flags beyond npm start's (profilers: `--cpu-prof`, not allowed in NODE_OPTIONS). */
    nodeFlags?: string[];
    /** Node.js flags instead of npm start's (the image's, with its NODE_OPTIONS in `env`). */
    baseFlags?: string[];
    /** Another build of the API (comparing two builds). */
    main?: string;
  } = {},
): Promise<TestServer> {
  const main = resolve(ROOT, options.main ?? 'dist/apps/api/main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run "npx nx build api" first`);
  const port = fixedPort ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  // As `npm start` runs it: a heap bounded so that memory stays flat under load.
  const child: ChildProcess = spawn(process.execPath, [...(options.baseFlags ?? NODE_FLAGS), ...(options.nodeFlags ?? []), main], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: url,
      LOG_LEVEL: 'warn',
      // One key per database (as every instance of one deployment shares one), whatever the address.
      ROSTER_SECRET_KEY: createHash('sha256').update(new URL(databaseUrl).pathname).digest('base64'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  // At LOG_LEVEL info every request writes a line: keep the last few megabytes (what tests look for is recent).
  const keep = (d: unknown) => {
    out += d;
    if (out.length > 8_000_000) out = out.slice(-4_000_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const deadline = Date.now() + 60_000;
  while (!/\[roster\] Ready\./.test(out)) {
    if (child.exitCode !== null) throw new Error(`API exited (${child.exitCode}):\n${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`API did not start in 60 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const m = /(http\S+\/setup\?token=\S+)/.exec(out);
  return {
    url,
    pid: child.pid as number,
    setupUrl: m ? m[1] : null,
    output: () => out,
    stop: () =>
      new Promise<void>((ok) => {
        // Already gone (it exited, or a signal such as SIGKILL ended it).
        if (child.exitCode !== null || child.signalCode !== null) return ok();
        child.once('exit', () => ok());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
