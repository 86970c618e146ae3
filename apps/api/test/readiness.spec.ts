import { Client as Pg } from 'pg';
import { CuttableProxy, startCuttableProxy } from '../../../tools/testing/cuttable-proxy';
import { adminUrl } from '../../../tools/testing/database';
import { startApp, TestApp } from './support/app';

/**
 * /readyz as a Kubernetes readiness probe sees it (1 s timeout by default): 200 within a second while
 * every pooled connection is busy and requests wait for one, 503 within a second when PostgreSQL is
 * stopped or hangs, and 200 again by itself once it is back. The server reaches PostgreSQL through a
 * proxy the test cuts or freezes.
 */
const RENAME = `mutation($i: UpdateUserInput!) { updateUser(input: $i) { id firstName } }`;
const PAGE = `{ users(first: 5) { totalCount edges { node { id } } } }`;

describe('readiness (/readyz)', () => {
  let proxy: CuttableProxy;
  let app: TestApp;

  beforeAll(async () => {
    proxy = await startCuttableProxy(await adminUrl());
    // Two pooled connections, and the default wait for one (5 s): what a probe must not wait for.
    app = await startApp('readiness', { DATABASE_POOL_SIZE: '2' }, undefined, { serverDatabaseUrl: (url) => proxy.via(url) });
  });
  afterAll(async () => {
    await app?.close().catch(() => undefined);
    await proxy?.close();
  });

  /** Status and milliseconds of one GET /readyz (aborted after 3 s: a probe would have given up long before). */
  async function probe(): Promise<{ status: number; ms: number }> {
    const t0 = performance.now();
    const res = await fetch(`${app.server.url}/readyz`, { signal: AbortSignal.timeout(3_000) });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - t0 };
  }

  async function until(what: string, ok: () => Promise<boolean>, ms = 15_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await ok())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('answers 200 within a second while the pool is saturated and requests wait for a connection', async () => {
    const { userId } = await app.register('held@example.com', 'VIEWER');
    // A transaction elsewhere holds that person's row: renames wait for it, each on a pooled connection.
    const holder = new Pg({ connectionString: app.db.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [userId]);
      const renames = [1, 2].map((i) => app.admin.gql(RENAME, { i: { id: userId, firstName: `Held${i}` } }));
      // Both of the server's pooled connections are now busy, waiting on the lock.
      await until('both pooled connections to wait on the lock', async () => {
        const rows = await app.sql<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'roster' AND wait_event_type = 'Lock'`,
        );
        return rows[0].n === 2;
      });
      // A request now waits for a connection (the pool is saturated, not merely busy).
      let pageDone = false;
      const page = app.admin.gql(PAGE).finally(() => (pageDone = true));
      await new Promise((r) => setTimeout(r, 300));
      expect(pageDone).toBe(false);

      const probes = [];
      for (let i = 0; i < 5; i++) probes.push(await probe());
      expect(probes.map((p) => p.status)).toEqual([200, 200, 200, 200, 200]);
      expect(Math.max(...probes.map((p) => p.ms))).toBeLessThan(1000);
      // Still saturated while the probes answered.
      expect(pageDone).toBe(false);

      await holder.query('ROLLBACK');
      const answers = await Promise.all(renames);
      expect(answers.map((a) => a.errors)).toEqual([undefined, undefined]);
      expect((await page).data?.users.totalCount).toBeGreaterThanOrEqual(2);
    } finally {
      await holder.end();
    }
  });

  it('answers 503 within a second while PostgreSQL is stopped, then 200 again by itself', async () => {
    expect((await probe()).status).toBe(200);
    await proxy.cut();
    try {
      const probes = [];
      for (let i = 0; i < 5; i++) probes.push(await probe());
      expect(probes.map((p) => p.status)).toEqual([503, 503, 503, 503, 503]);
      expect(Math.max(...probes.map((p) => p.ms))).toBeLessThan(1000);
    } finally {
      await proxy.restore();
    }
    await until('/readyz to answer 200 again', async () => (await probe()).status === 200);
  });

  it('answers 503 within a second while PostgreSQL hangs (no answer, no refusal), then 200 again by itself', async () => {
    expect((await probe()).status).toBe(200);
    proxy.freeze();
    try {
      const probes = [];
      for (let i = 0; i < 5; i++) probes.push(await probe());
      expect(probes.map((p) => p.status)).toEqual([503, 503, 503, 503, 503]);
      expect(Math.max(...probes.map((p) => p.ms))).toBeLessThan(1000);
    } finally {
      proxy.thaw();
    }
    await until('/readyz to answer 200 again', async () => (await probe()).status === 200);
  });
});
