import { Client as Pg } from 'pg';
import { CuttableProxy, startCuttableProxy } from '../../../tools/testing/cuttable-proxy';
import { adminUrl } from '../../../tools/testing/database';
import { startApp, TestApp } from './support/app';

/**
 * The database goes away for 10 s in the middle of mixed load, then comes back: every connection is
 * cut and new ones are refused, as when PostgreSQL stops (a proxy between the server and PostgreSQL
 * does it, so the test runs against any PostgreSQL). While it is away every request fails fast with
 * a typed code; the server recovers by itself; and nothing is half-written: each change and its
 * audit event are both there or both absent.
 */
const PAGE = `{ users(first: 20) { totalCount edges { node { id } } } }`;
const INVITE = `mutation($i: CreateInvitationInput!) { createInvitation(input: $i) { user { id } } }`;
const RENAME = `mutation($i: UpdateUserInput!) { updateUser(input: $i) { id } }`;

interface Outcome {
  op: string;
  at: number;
  ms: number;
  status: number;
  code: string;
  value?: string;
  userId?: string;
}

describe('faults: the database goes away and comes back', () => {
  let proxy: CuttableProxy;
  let app: TestApp;
  const outcomes: Outcome[] = [];
  let downAt = 0;
  let upAt = 0;
  let targets: string[] = [];

  beforeAll(async () => {
    proxy = await startCuttableProxy(await adminUrl());
    app = await startApp('faults', { DATABASE_ACQUIRE_TIMEOUT_MS: '2000' }, undefined, { serverDatabaseUrl: (url) => proxy.via(url) });
    for (let i = 0; i < 4; i++) targets.push((await app.register(`target${i}@example.com`, 'VIEWER')).userId);
    targets = targets.slice();

    let stop = false;
    let n = 0;
    const t0 = Date.now();
    const worker = async (w: number) => {
      while (!stop) {
        const i = n++;
        const kind = i % 3;
        const started = Date.now();
        let r;
        let value: string | undefined;
        let userId: string | undefined;
        if (kind === 0) {
          r = await app.admin.gql(PAGE);
        } else if (kind === 1) {
          value = `fault-${i}@example.com`;
          r = await app.admin.gql(INVITE, { i: { email: value, roleId: app.roles['VIEWER'], teamIds: [] } });
        } else {
          userId = targets[w % targets.length];
          value = `Name${i}`;
          r = await app.admin.gql(RENAME, { i: { id: userId, firstName: value } });
        }
        outcomes.push({
          op: ['page', 'invite', 'rename'][kind],
          at: started - t0,
          ms: Date.now() - started,
          status: r.status,
          code: r.errors?.[0]?.extensions?.code ?? 'OK',
          value,
          userId,
        });
        await new Promise((res) => setTimeout(res, 20));
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
    await new Promise((res) => setTimeout(res, 2000));
    downAt = Date.now() - t0;
    await proxy.cut();
    await new Promise((res) => setTimeout(res, 10_000));
    await proxy.restore();
    upAt = Date.now() - t0;
    await new Promise((res) => setTimeout(res, 6000));
    stop = true;
    await load;
  }, 120_000);

  afterAll(async () => {
    await app?.close().catch(() => undefined);
    await proxy?.close();
  });

  it('answers every request with a status below 500 and a typed code, never INTERNAL_SERVER_ERROR', () => {
    expect(outcomes.length).toBeGreaterThan(100);
    expect(outcomes.filter((o) => o.status >= 500)).toEqual([]);
    const allowed = new Set(['OK', 'DATABASE_UNAVAILABLE', 'SERVICE_BUSY']);
    const unexpected = outcomes.filter((o) => !allowed.has(o.code));
    // On failure, show what the server logged about it.
    const logged = unexpected.length
      ? app.server
          .output()
          .split('\n')
          .filter((l) => /"level":50/.test(l))
          .slice(0, 20)
      : [];
    expect({ unexpected, logged }).toEqual({ unexpected: [], logged: [] });
  });

  it('fails fast while the database is away, with DATABASE_UNAVAILABLE or SERVICE_BUSY', () => {
    // Requests started well inside the outage (the first second may still see the shutdown itself).
    const during = outcomes.filter((o) => o.at > downAt + 1000 && o.at + o.ms < upAt);
    expect(during.length).toBeGreaterThan(20);
    expect(during.every((o) => o.code === 'DATABASE_UNAVAILABLE' || o.code === 'SERVICE_BUSY')).toBe(true);
    // Failing fast: no request waits longer than the pool's acquire timeout (2 s here) and a margin.
    expect(Math.max(...during.map((o) => o.ms))).toBeLessThan(4000);
  });

  it('recovers by itself: requests succeed again after the restart, and /readyz is 200', async () => {
    const after = outcomes.filter((o) => o.at > upAt + 3000);
    expect(after.length).toBeGreaterThan(20);
    expect(after.every((o) => o.code === 'OK')).toBe(true);
    expect((await fetch(`${app.server.url}/readyz`)).status).toBe(200);
  });

  it('wrote each change with its audit event, or neither', async () => {
    const pg = new Pg({ connectionString: app.db.url });
    await pg.connect();
    try {
      // Invitations: every invited row has exactly one creation event, and every acknowledged one exists.
      const invited = (await pg.query(`SELECT email FROM users WHERE email LIKE 'fault-%'`)).rows.map((r) => r.email as string).sort();
      const events = (
        await pg.query(`SELECT target_email FROM audit_events WHERE action = 'invitation.created' AND target_email LIKE 'fault-%'`)
      ).rows
        .map((r) => r.target_email as string)
        .sort();
      expect(events).toEqual(invited);
      const acknowledged = outcomes.filter((o) => o.op === 'invite' && o.code === 'OK').map((o) => o.value as string);
      expect(acknowledged.length).toBeGreaterThan(10);
      expect(acknowledged.filter((e) => !invited.includes(e))).toEqual([]);
      // Renames: each person's name is the one their latest audit event records, and each acknowledged rename was recorded.
      for (const id of targets) {
        const name = (await pg.query(`SELECT first_name FROM users WHERE id = $1`, [id])).rows[0].first_name;
        const last = (
          await pg.query(
            `SELECT details->'firstName'->>'to' AS name FROM audit_events WHERE action = 'user.updated' AND target_id = $1 ORDER BY id DESC LIMIT 1`,
            [id],
          )
        ).rows[0]?.name;
        expect(last).toBe(name);
      }
      const recorded = new Set(
        (await pg.query(`SELECT details->'firstName'->>'to' AS name FROM audit_events WHERE action = 'user.updated'`)).rows.map(
          (r) => r.name,
        ),
      );
      const renamed = outcomes.filter((o) => o.op === 'rename' && o.code === 'OK');
      expect(renamed.filter((o) => !recorded.has(o.value)).map((o) => o.value)).toEqual([]);
    } finally {
      await pg.end();
    }
  });
});
