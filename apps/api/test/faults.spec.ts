import { Client as Pg } from 'pg';
import { CuttableProxy, startCuttableProxy } from '../../../tools/testing/cuttable-proxy';
import { adminUrl } from '../../../tools/testing/database';
import { startApp, TestApp } from './support/app';
import { Client } from './support/client';
import { createOrganizationWithPeople, firstOrganization } from './support/organizations';

/**
 * The database goes away for 10 s in the middle of mixed load, then comes back: every connection is
 * cut and new ones are refused, as when PostgreSQL stops (a proxy between the server and PostgreSQL
 * does it, so the test runs against any PostgreSQL). While it is away every request fails fast with
 * a typed code; the server recovers by itself; and nothing is half-written: each change and its
 * audit event are both there or both absent. Half the load is organization B's (its admin naming it): each
 * organization's changes stay its own and whole.
 */
const PAGE = `{ users(first: 20) { totalCount edges { node { id } } } }`;
const INVITE = `mutation($i: CreateInvitationInput!) { createInvitation(input: $i) { user { id } } }`;
const RENAME = `mutation($i: UpdateUserInput!) { updateUser(input: $i) { id } }`;

interface Outcome {
  org: 'A' | 'B';
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
  /** Per organization: its id, its admin's client, its roles and the people renamed under load. */
  const orgs = {} as Record<'A' | 'B', { id: string; admin: Client; roles: Record<string, string>; targets: string[] }>;

  beforeAll(async () => {
    proxy = await startCuttableProxy(await adminUrl());
    app = await startApp('faults', { DATABASE_ACQUIRE_TIMEOUT_MS: '2000' }, undefined, { serverDatabaseUrl: (url) => proxy.via(url) });
    const b = await createOrganizationWithPeople(app, app.admin, { slug: 'faults-b', prefix: 'b-' });
    orgs.A = { id: (await firstOrganization(app)).id, admin: app.admin, roles: app.roles, targets: [] };
    orgs.B = { id: b.id, admin: b.people.ADMIN.client, roles: b.roles, targets: [] };
    for (let i = 0; i < 4; i++) {
      orgs.A.targets.push((await app.register(`target${i}@example.com`, 'VIEWER')).userId);
      orgs.B.targets.push((await b.register(`b-target${i}@example.com`, 'VIEWER')).userId);
    }

    let stop = false;
    let n = 0;
    const t0 = Date.now();
    const worker = async (w: number) => {
      // Odd workers act in B, even ones in A.
      const org = w % 2 ? 'B' : 'A';
      const { admin, roles, targets } = orgs[org];
      while (!stop) {
        const i = n++;
        const kind = i % 3;
        const started = Date.now();
        let r;
        let value: string | undefined;
        let userId: string | undefined;
        if (kind === 0) {
          r = await admin.gql(PAGE);
        } else if (kind === 1) {
          value = `fault-${org.toLowerCase()}-${i}@example.com`;
          r = await admin.gql(INVITE, { i: { email: value, roleId: roles['VIEWER'], teamIds: [] } });
        } else {
          userId = targets[(w >> 1) % targets.length];
          value = `Name${i}`;
          r = await admin.gql(RENAME, { i: { id: userId, firstName: value } });
        }
        outcomes.push({
          org,
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

  it('wrote each change with its audit event, or neither, each in its own organization', async () => {
    const pg = new Pg({ connectionString: app.db.url });
    await pg.connect();
    try {
      expect(new Set(outcomes.filter((o) => o.code === 'OK').map((o) => o.org))).toEqual(new Set(['A', 'B']));
      for (const org of ['A', 'B'] as const) {
        const { id: orgId, targets } = orgs[org];
        const mine = outcomes.filter((o) => o.org === org);
        // Invitations: every invited person of the organization has exactly one creation event there, and every
        // acknowledged one exists, in that organization only.
        const invited = (
          await pg.query(
            `SELECT u.email FROM users u JOIN memberships m ON m.user_id = u.id AND m.organization_id = $1 WHERE u.email LIKE 'fault-%'`,
            [orgId],
          )
        ).rows
          .map((r) => r.email as string)
          .sort();
        const events = (
          await pg.query(
            `SELECT target_email FROM audit_events WHERE organization_id = $1 AND action = 'invitation.created' AND target_email LIKE 'fault-%'`,
            [orgId],
          )
        ).rows
          .map((r) => r.target_email as string)
          .sort();
        expect({ org, events }).toEqual({ org, events: invited });
        expect(invited.every((e) => e.startsWith(`fault-${org.toLowerCase()}-`))).toBe(true);
        const acknowledged = mine.filter((o) => o.op === 'invite' && o.code === 'OK').map((o) => o.value as string);
        expect(acknowledged.length).toBeGreaterThan(5);
        expect(acknowledged.filter((e) => !invited.includes(e))).toEqual([]);
        // Renames: each person's name is the one their latest audit event (in their organization) records, and each
        // acknowledged rename was recorded there.
        for (const id of targets) {
          const name = (await pg.query(`SELECT first_name FROM users WHERE id = $1`, [id])).rows[0].first_name;
          const last = (
            await pg.query(
              `SELECT details->'firstName'->>'to' AS name FROM audit_events
                WHERE organization_id = $1 AND action = 'user.updated' AND target_id = $2 ORDER BY id DESC LIMIT 1`,
              [orgId, id],
            )
          ).rows[0]?.name;
          expect({ org, id, name: last }).toEqual({ org, id, name });
        }
        const recorded = new Set(
          (
            await pg.query(
              `SELECT details->'firstName'->>'to' AS name FROM audit_events WHERE organization_id = $1 AND action = 'user.updated'`,
              [orgId],
            )
          ).rows.map((r) => r.name),
        );
        const renamed = mine.filter((o) => o.op === 'rename' && o.code === 'OK');
        expect(renamed.length).toBeGreaterThan(5);
        expect(renamed.filter((o) => !recorded.has(o.value)).map((o) => o.value)).toEqual([]);
      }
      // Nothing of one organization's load landed in the other: no membership of A for B's invited or renamed people,
      // and the other way round, and no event of one naming the other's people.
      const crossed = await pg.query(
        `SELECT u.email, m.organization_id FROM users u JOIN memberships m ON m.user_id = u.id
          WHERE (u.email LIKE 'fault-b-%' OR u.email LIKE 'b-target%') AND m.organization_id <> $2
             OR (u.email LIKE 'fault-a-%' OR u.email LIKE 'target%') AND m.organization_id <> $1`,
        [orgs.A.id, orgs.B.id],
      );
      expect(crossed.rows).toEqual([]);
      const strayEvents = await pg.query(
        `SELECT action, target_email FROM audit_events
          WHERE organization_id = $1 AND (target_email LIKE 'fault-b-%' OR target_id = ANY($3::uuid[]))
             OR organization_id = $2 AND (target_email LIKE 'fault-a-%' OR target_id = ANY($4::uuid[]))`,
        [orgs.A.id, orgs.B.id, orgs.B.targets, orgs.A.targets],
      );
      expect(strayEvents.rows).toEqual([]);
      // Both organizations answer again after the outage, each with its own people.
      for (const org of ['A', 'B'] as const) {
        const page = (await orgs[org].admin.ok(`{ users(first: 100) { edges { node { email } } } }`)).users.edges.map(
          (e: { node: { email: string } }) => e.node.email,
        );
        const foreign = org === 'A' ? /^(fault-b-|b-)/ : /^(fault-a-|target|admin@)/;
        expect({ org, foreign: page.filter((e: string) => foreign.test(e)) }).toEqual({ org, foreign: [] });
      }
    } finally {
      await pg.end();
    }
  });
});
