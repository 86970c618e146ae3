import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Roster's version: the `version` of the workspace's package.json, looked for above the running script
 * (dist/apps/api/main.js, whose package.json the image copies too), then above the working directory.
 */
function findVersion(): string {
  const starts = [process.argv[1] ? dirname(resolve(process.argv[1])) : null, process.cwd()];
  for (const start of starts) {
    for (let dir = start; dir; dir = dirname(dir) === dir ? null : dirname(dir)) {
      const file = join(dir, 'package.json');
      if (!existsSync(file)) continue;
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
        if (pkg.name === '@roster/source' && typeof pkg.version === 'string') return pkg.version;
      } catch {
        // unreadable: keep looking
      }
    }
  }
  return 'unknown';
}

export const VERSION = findVersion();
