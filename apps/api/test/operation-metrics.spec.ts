import { Kind, parse } from 'graphql';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONSOLE_OPERATIONS } from '../src/core/graphql/console-operations';
import { freePort, ROOT } from '../../../tools/testing/server';
import { startApp, TestApp } from './support/app';
import { Client } from './support/client';

/**
 * roster_graphql_operations_total is labelled by operation name, which clients choose: one signed-in
 * person inventing names must neither grow the label set without end nor crowd out the console's names.
 */
describe('operation-name labels', () => {
  let app: TestApp;
  let metricsPort: number;
  beforeAll(async () => {
    metricsPort = await freePort();
    app = await startApp('op-labels', { METRICS_PORT: String(metricsPort) });
  });
  afterAll(() => app?.close());

  /** The operation labels of roster_graphql_operations_total and their counts (summed over types). */
  const labels = async () => {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const counts = new Map<string, number>();
    for (const m of text.matchAll(/^roster_graphql_operations_total\{operation="([^"]*)",type="[a-z]+"\} (\S+)$/gm)) {
      counts.set(m[1], (counts.get(m[1]) ?? 0) + Number(m[2]));
    }
    const durations = new Set(
      [...text.matchAll(/^roster_graphql_operation_duration_seconds_count\{operation="([^"]*)"\}/gm)].map((m) => m[1]),
    );
    return { counts, durations };
  };

  /** Sends the same small query under each name, a few at a time. */
  const sendNamed = async (client: Client, names: string[]) => {
    for (let i = 0; i < names.length; i += 25) {
      await Promise.all(names.slice(i, i + 25).map((name) => client.ok(`query ${name} { me { user { email } } }`)));
    }
  };

  it('a Viewer sending 500 invented names gets a few labels; the console and other people keep theirs', async () => {
    const viewer = (await app.register('viewer@example.com', 'VIEWER')).client;
    const invented = Array.from({ length: 500 }, (_, i) => `Invented${i}`);
    await sendNamed(viewer, invented);
    // Anonymous callers bring no name at all.
    await sendNamed(new Client(app.server.url), ['Anonymous1', 'Anonymous2']);

    // After the flood: the console's operations, used for the first time, are counted by name.
    await app.admin.ok(`query Users { users(first: 1) { totalCount } }`);
    await app.admin.ok(`query Teams { teams { id } }`);
    await viewer.ok(`query Me { me { user { email } } }`);
    // Someone else still has their own share of names.
    const manager = (await app.register('manager@example.com', 'MANAGER')).client;
    await sendNamed(manager, ['NightlySync', 'HrImport']);

    const { counts, durations } = await labels();
    const consoleNames = new Set(CONSOLE_OPERATIONS);
    const brought = [...counts.keys()].filter((name) => !consoleNames.has(name) && !['other', 'anonymous', 'unparsed'].includes(name));
    expect(brought.filter((name) => name.startsWith('Invented'))).toHaveLength(10);
    expect(brought.sort()).toEqual([...invented.filter((name) => counts.has(name)), 'HrImport', 'NightlySync'].sort());
    expect(counts.get('other')).toBeGreaterThanOrEqual(490 + 2);
    expect(counts.has('Anonymous1')).toBe(false);
    expect(counts.get('Users')).toBe(1);
    expect(counts.get('Teams')).toBe(1);
    expect(counts.get('Me')).toBe(1);
    expect(counts.get('NightlySync')).toBe(1);
    // The duration histogram has the same labels, so the same bound.
    expect([...durations].sort()).toEqual([...counts.keys()].sort());

    // More invented names, from the same Viewer: still no new label.
    await sendNamed(viewer, ['YetAnother', 'AndAnother']);
    expect((await labels()).counts.size).toBe(counts.size);
  });

  it('the names counted are exactly those of the console’s documents', () => {
    // On failure: run "npm run codegen" (it writes apps/api/src/core/graphql/console-operations.ts from them).
    const folder = join(ROOT, 'libs/console/data-access/src/operations');
    const names = readdirSync(folder, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.graphql'))
      .flatMap((file) => parse(readFileSync(join(folder, file), 'utf8')).definitions)
      .flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION && d.name ? [d.name.value] : []));
    expect(names.length).toBeGreaterThan(40);
    expect([...CONSOLE_OPERATIONS].sort()).toEqual([...new Set(names)].sort());
  });
});
