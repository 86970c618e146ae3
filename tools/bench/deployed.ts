import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_POOL_SIZE } from '../../apps/api/src/core/config/config';
import { ROOT } from '../testing/server';

/** How the image runs the server: its last stage's environment and the Node.js flags of its CMD. */
export interface Deployed {
  env: Record<string, string>;
  nodeFlags: string[];
  /** Its database pool per process: DATABASE_POOL_SIZE when the image sets it, else the server's default. */
  poolSize: number;
}

/**
 * Reads the Dockerfile's runtime stage (its last `FROM`): every `ENV` (key=value pairs, quoted values,
 * continued lines) and the flags of `CMD ["node", <flags>..., "dist/apps/api/main.js"]`, so the bench
 * measures what the image runs, whatever the Dockerfile says today. Paths and addresses (HOST, PORT,
 * CONSOLE_DIR, ROSTER_DATA_DIR) stay the bench's own.
 */
export function deployedConfiguration(dockerfile = join(ROOT, 'Dockerfile')): Deployed {
  const text = readFileSync(dockerfile, 'utf8').replace(/\\\r?\n/g, ' ');
  const lines = text.split(/\r?\n/);
  const last = lines.map((l) => /^\s*FROM\s/i.test(l)).lastIndexOf(true);
  const env: Record<string, string> = {};
  let nodeFlags: string[] | null = null;
  for (const line of lines.slice(last)) {
    const envLine = /^\s*ENV\s+(.*)$/i.exec(line);
    if (envLine) {
      for (const m of envLine[1].matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
        env[m[1]] = m[2].startsWith('"') ? (JSON.parse(m[2]) as string) : m[2];
      }
    }
    const cmd = /^\s*CMD\s+(\[.*\])\s*$/i.exec(line);
    if (cmd) {
      const argv = JSON.parse(cmd[1]) as string[];
      if (argv[0] === 'node') nodeFlags = argv.slice(1).filter((a) => a.startsWith('--'));
    }
  }
  if (!nodeFlags) throw new Error(`${dockerfile}: no CMD ["node", ...] in its last stage`);
  for (const own of ['HOST', 'PORT', 'CONSOLE_DIR', 'ROSTER_DATA_DIR']) delete env[own];
  const poolSize = env['DATABASE_POOL_SIZE'] ? Number(env['DATABASE_POOL_SIZE']) : DEFAULT_POOL_SIZE;
  return { env, nodeFlags, poolSize };
}
