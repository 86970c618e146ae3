import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The shape of the API, checked: the low layers (core/, database/) import no feature, and features
 * depend on each other without cycles. The composition roots (main.ts, app.module.ts, features.ts,
 * entities.ts, cli/) may import anything.
 */
const SRC = __dirname;
const ROOTS = new Set(['main.ts', 'app.module.ts', 'features.ts', 'entities.ts', 'architecture.spec.ts']);
const LOW = new Set(['core', 'database']);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** Top-level folder (or root file) of a path inside src. */
const area = (path: string) => relative(SRC, path).split('/')[0];

const edges: { from: string; to: string; file: string }[] = [];
for (const file of files(SRC)) {
  const from = area(file);
  if (ROOTS.has(from) || from === 'cli') continue;
  // Runtime imports only: `import type` leaves nothing behind in the build.
  for (const [, fileName] of readFileSync(file, 'utf8').matchAll(/^import\s+(?!type\s)[^;]*?from\s+'(\.[^']+)'/gms)) {
    const to = area(resolve(dirname(file), fileName));
    if (to !== from) edges.push({ from, to, file: relative(SRC, file) });
  }
}

describe('architecture', () => {
  it('keeps core/ and database/ below every feature', () => {
    expect(edges.length).toBeGreaterThan(30); // the scan sees the imports at all
    const upward = edges.filter((e) => LOW.has(e.from) && !LOW.has(e.to)).map((e) => `${e.file} → ${e.to}`);
    expect(upward).toEqual([]);
  });

  it('has no cycle between features', () => {
    const graph = new Map<string, Set<string>>();
    for (const e of edges) graph.set(e.from, (graph.get(e.from) ?? new Set()).add(e.to));
    const cycles: string[] = [];
    const walk = (node: string, path: string[]) => {
      for (const next of graph.get(node) ?? []) {
        if (path.includes(next)) cycles.push([...path.slice(path.indexOf(next)), next].join(' → '));
        else walk(next, [...path, next]);
      }
    };
    for (const node of graph.keys()) walk(node, [node]);
    expect([...new Set(cycles)]).toEqual([]);
  });
});
