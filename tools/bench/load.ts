/**
 * The bench's load generator, in a process of its own: `wrk` when it is installed (`WRK_BIN`, or `wrk` on
 * PATH; Debian's package `wrk`), else autocannon's command line in a child process. The load used to run
 * inside the bench's own process, where autocannon costs several times wrk's CPU per request; on 2 cores
 * that CPU is taken from the server measured, more from the faster one, and skews every ratio.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Load {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /**
   * A pause of each connection between an answer and its next request, in whole ms (a steady load below saturation,
   * closed-loop: latencies are timed from the request's sending). wrk's `delay()`; autocannon paces each connection
   * at 1000 / thinkMs requests a second instead.
   */
  thinkMs?: number;
}

export interface LoadResult {
  /** Requests per second over the run. */
  rps: number;
  /** Median latency, in ms. */
  p50: number;
  /** 99th percentile latency, in ms. */
  p99: number;
  /** Answers other than 2xx/3xx, and socket errors. */
  errors: number;
}

function findWrk(): string | null {
  const candidates = [process.env['WRK_BIN'], 'wrk', '/usr/bin/wrk'].filter(Boolean) as string[];
  for (const bin of candidates) {
    try {
      execFileSync(bin, ['--version'], { stdio: 'ignore' });
      return bin;
    } catch (e) {
      // `wrk --version` prints its usage and exits 1: it exists when the error is an exit status.
      if (typeof (e as { status?: unknown }).status === 'number') return bin;
    }
  }
  return null;
}

const wrkBin = findWrk();

/** Which generator `runLoad` uses, for the bench's header line. */
export const loadGenerator = wrkBin ? `wrk (${wrkBin}), its own process` : 'autocannon in its own process (install wrk for less overhead)';

/** A Lua string literal: quotes and backslashes escaped, control characters as decimal escapes. */
const lua = (s: string) =>
  '"' +
  [...s]
    .map((c) =>
      c === '\\' || c === '"'
        ? `\\${c}`
        : c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127
          ? `\\${String(c.charCodeAt(0)).padStart(3, '0')}`
          : c,
    )
    .join('') +
  '"';

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited with ${code}: ${out}`))));
  });
}

/** wrk's duration units in its latency lines: "12.34ms", "980.00us", "1.02s". */
function ms(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000;
}

async function withWrk(bin: string, load: Load, connections: number, seconds: number): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'roster-wrk-'));
  try {
    const script = join(dir, 'request.lua');
    const lines = [`wrk.method = ${lua(load.method)}`];
    if (load.body !== undefined) lines.push(`wrk.body = ${lua(load.body)}`);
    for (const [k, v] of Object.entries(load.headers)) lines.push(`wrk.headers[${lua(k)}] = ${lua(v)}`);
    if (load.thinkMs) lines.push(`function delay() return ${Math.round(load.thinkMs)} end`);
    writeFileSync(script, lines.join('\n') + '\n');
    const threads = Math.min(2, connections);
    const out = await run(bin, [
      '-t',
      String(threads),
      '-c',
      String(connections),
      '-d',
      `${seconds}s`,
      '--latency',
      '-s',
      script,
      load.url,
    ]);
    const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
    const p50 = ms(/^\s+50%\s+(\S+)/m.exec(out)?.[1] ?? '');
    const p99 = ms(/^\s+99%\s+(\S+)/m.exec(out)?.[1] ?? '');
    const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
    const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
    const errors = non2xx + (socket ? socket.slice(1).reduce((n, x) => n + Number(x), 0) : 0);
    if (!Number.isFinite(rps)) throw new Error(`wrk printed no rate: ${out}`);
    return { rps, p50, p99, errors };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function withAutocannon(load: Load, connections: number, seconds: number): Promise<LoadResult> {
  const cli = require.resolve('autocannon/autocannon.js');
  const args = [cli, '--json', '-c', String(connections), '-d', String(seconds), '-m', load.method];
  for (const [k, v] of Object.entries(load.headers)) args.push('-H', `${k}=${v}`);
  if (load.body !== undefined) args.push('-b', load.body);
  if (load.thinkMs) args.push('--connectionRate', String(Math.floor(1000 / load.thinkMs)));
  args.push(load.url);
  const result = JSON.parse(await run(process.execPath, args)) as {
    requests: { average: number };
    latency: { p50: number; p99: number };
    non2xx: number;
    errors: number;
  };
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.non2xx + result.errors };
}

/** Loads `load` from CONNECTIONS connections for `seconds`, from another process. */
export function runLoad(load: Load, connections: number, seconds: number): Promise<LoadResult> {
  return wrkBin ? withWrk(wrkBin, load, connections, seconds) : withAutocannon(load, connections, seconds);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** What `interleavedLoads` gives for one load: its median pass by req/s, the median latencies, every pass's req/s. */
export interface InterleavedResult extends LoadResult {
  /** Each pass's req/s, in the order run. */
  passes: number[];
}

/**
 * Loads each of `loads` in interleaved passes (a, b, c, a, b, c…; `before` each run, e.g. PostgreSQL
 * drained, so all see the same machine noise), after a 2-second warm-up each; the median pass of each,
 * by req/s, with the median p50 and p99 of the passes and the errors of all.
 */
export async function interleavedLoads<K extends string>(
  loads: Record<K, Load>,
  options: { connections: number; seconds: number; passes: number; before?: () => Promise<void> },
): Promise<Record<K, InterleavedResult>> {
  const keys = Object.keys(loads) as K[];
  for (const k of keys) {
    await options.before?.();
    await runLoad(loads[k], options.connections, 2);
  }
  const runs = new Map<K, LoadResult[]>(keys.map((k) => [k, []]));
  for (let i = 0; i < options.passes; i++) {
    for (const k of keys) {
      await options.before?.();
      runs.get(k)?.push(await runLoad(loads[k], options.connections, options.seconds));
    }
  }
  return Object.fromEntries(
    keys.map((k) => {
      const all = runs.get(k) ?? [];
      const mid = [...all].sort((x, y) => x.rps - y.rps)[Math.floor(all.length / 2)];
      return [
        k,
        {
          rps: mid.rps,
          p50: median(all.map((p) => p.p50)),
          p99: median(all.map((p) => p.p99)),
          errors: all.reduce((n, p) => n + p.errors, 0),
          passes: all.map((p) => p.rps),
        },
      ];
    }),
  ) as Record<K, InterleavedResult>;
}
