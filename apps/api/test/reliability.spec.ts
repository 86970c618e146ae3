import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { Client } from './support/client';
import { startApp, STRONG_PASSWORD, TestApp } from './support/app';
import { authenticator } from './support/totp';
import { createOrganizationWithPeople, firstOrganization, joinSignedIn, OrganizationOf, OrgClient } from './support/organizations';

/**
 * Many requests at once, as an attacker or a crowd would send them: every limit holds exactly,
 * single-use tokens are used once, and the server keeps answering /readyz and sign-ins in under
 * a second during and after (nothing waits on a pool connection it cannot get).
 */
const SIGN_IN = `mutation($e: String!, $p: String!) { signIn(input: { email: $e, password: $p }) { twoFactorRequired challengeToken me { user { id } } } }`;
const VERIFY = `mutation($t: String!, $c: String!) { verifyTwoFactor(input: { challengeToken: $t, code: $c }) { user { id } } }`;
const ACCEPT = `mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { user { id } } }`;

describe('reliability under concurrency', () => {
  let app: TestApp;
  /** A person whose sign-in proves the server is responsive (its own browser, so never rate-limited). */
  let probe: Client;

  beforeAll(async () => {
    app = await startApp('reliability');
    await app.register('probe@example.com', 'VIEWER');
    probe = app.client();
    await probe.ok(SIGN_IN, { e: 'probe@example.com', p: STRONG_PASSWORD });
  });
  afterAll(() => app?.close());

  /** Milliseconds for /readyz (200) and for a full password sign-in, both required to succeed. */
  /** CPU time (user + system, in clock ticks) a process has used. */
  const cpuTicks = (pid: number) => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(fields[11]) + Number(fields[12]);
  };
  /** Waits until a process uses (almost) no CPU for half a second, or 30 s at most. */
  async function untilIdle(pid: number): Promise<void> {
    const deadline = Date.now() + 30_000;
    let before = cpuTicks(pid);
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      const now = cpuTicks(pid);
      if (now - before <= 2) return;
      before = now;
    }
    throw new Error('the server never stalled on its slow readers');
  }

  async function responsiveness(): Promise<{ readyz: number; signIn: number }> {
    const t0 = performance.now();
    const ready = await fetch(`${app.server.url}/readyz`);
    expect(ready.status).toBe(200);
    const t1 = performance.now();
    const r = await probe.gql(SIGN_IN, { e: 'probe@example.com', p: STRONG_PASSWORD });
    expect(r.errors).toBeUndefined();
    return { readyz: t1 - t0, signIn: performance.now() - t1 };
  }

  /** Runs `burst` while checking, 100 ms in, that the server still answers; then checks again after. */
  async function staysResponsive<T>(burst: () => Promise<T>): Promise<T> {
    const during = new Promise<{ readyz: number; signIn: number }>((resolve, reject) =>
      setTimeout(() => responsiveness().then(resolve, reject), 100),
    );
    const [result, seen] = await Promise.all([burst(), during]);
    const after = await responsiveness();
    for (const t of [seen, after]) {
      expect(t.readyz).toBeLessThan(1000);
      expect(t.signIn).toBeLessThan(1000);
    }
    return result;
  }

  const codes = (results: { errors?: { extensions?: { code?: string } }[] }[]) =>
    results.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK');
  const count = (list: string[], code: string) => list.filter((c) => c === code).length;
  /**
   * As a client does with SERVICE_BUSY ("nothing changed, retry shortly"): under a loaded machine a request
   * of a race may be refused so (PostgreSQL ending one of two waits); the rule is then checked on the retry.
   */
  async function retriedWhenBusy<T extends { errors?: { extensions?: { code?: string } }[] }>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const r = await call();
      if (r.errors?.[0]?.extensions?.code !== 'SERVICE_BUSY' || attempt === 3) return r;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  it('50 parallel wrong passwords for one account: at most the limit (10) are checked, the rest are refused at once', async () => {
    await app.register('target@example.com', 'MEMBER');
    const results = await staysResponsive(() =>
      Promise.all(Array.from({ length: 50 }, () => app.client().gql(SIGN_IN, { e: 'target@example.com', p: 'not the password at all' }))),
    );
    const seen = codes(results);
    expect(results.every((r) => r.status < 500)).toBe(true);
    expect(count(seen, 'INVALID_CREDENTIALS')).toBe(10);
    expect(count(seen, 'RATE_LIMITED')).toBe(40);
  });

  it('50 parallel second-factor attempts: nothing wedges, at most the limit are checked per person', async () => {
    // Five people with 2FA, each with one sign-in waiting for its code.
    const challenges: { token: string; userId: string }[] = [];
    for (let i = 0; i < 5; i++) {
      const { client, userId } = await app.register(`totp${i}@example.com`, 'MEMBER');
      const setup = (await client.ok(`mutation { startTwoFactorSetup { secret } }`)).startTwoFactorSetup;
      await client.ok(`mutation($c: String!) { completeTwoFactorSetup(input: { code: $c }) { recoveryCodes } }`, {
        c: authenticator(setup.secret),
      });
      const c = app.client();
      const r = await c.ok(SIGN_IN, { e: `totp${i}@example.com`, p: STRONG_PASSWORD });
      challenges.push({ token: r.signIn.challengeToken, userId });
    }
    const results = await staysResponsive(() =>
      Promise.all(Array.from({ length: 50 }, (_, i) => app.client().gql(VERIFY, { t: challenges[i % 5].token, c: '000000' }))),
    );
    const seen = codes(results);
    expect(results.every((r) => r.status < 500)).toBe(true);
    expect(seen.every((c) => ['TWO_FACTOR_CODE_INVALID', 'RATE_LIMITED', 'TWO_FACTOR_CHALLENGE_EXPIRED'].includes(c))).toBe(true);
    // Each challenge dies after 5 wrong codes; never more than 10 checks per person in the window.
    expect(count(seen, 'TWO_FACTOR_CODE_INVALID')).toBeLessThanOrEqual(5 * 5);
    expect(await app.sql(`SELECT 1 FROM mfa_challenges WHERE user_id = ANY($1::uuid[])`, [challenges.map((c) => c.userId)])).toHaveLength(
      0,
    );
  });

  it('10 parallel accepts of one invitation: exactly one account, one session, one audit event', async () => {
    const inv = await app.invite('once@example.com', 'VIEWER');
    const input = {
      token: inv.token,
      firstName: 'Once',
      lastName: 'Only',
      password: STRONG_PASSWORD,
      passwordConfirmation: STRONG_PASSWORD,
    };
    const results = await staysResponsive(() => Promise.all(Array.from({ length: 10 }, () => app.client().gql(ACCEPT, { i: input }))));
    const seen = codes(results);
    expect(count(seen, 'OK')).toBe(1);
    expect(count(seen, 'INVITATION_INVALID')).toBe(9);
    expect(await app.sql(`SELECT status FROM users WHERE id = $1`, [inv.userId])).toEqual([{ status: 'ACTIVE' }]);
    expect(await app.sql(`SELECT 1 FROM sessions WHERE user_id = $1`, [inv.userId])).toHaveLength(1);
    expect(await app.sql(`SELECT 1 FROM audit_events WHERE action = 'invitation.accepted' AND target_id = $1`, [inv.userId])).toHaveLength(
      1,
    );
  });

  const DEACTIVATE = `mutation($id: ID!) { deactivateUser(id: $id) { id } }`;
  const REACTIVATE = `mutation($id: ID!) { reactivateUser(id: $id) { id } }`;
  /** The active admins of an organization. */
  const activeAdmins = async (organizationId: string) =>
    (
      await app.sql<{ user_id: string }>(
        `SELECT m.user_id FROM memberships m JOIN roles r ON r.id = m.role_id
          WHERE m.organization_id = $1 AND r.key = 'ADMIN' AND m.status = 'ACTIVE' ORDER BY m.user_id`,
        [organizationId],
      )
    ).map((r) => r.user_id);
  let b: OrganizationOf;

  it('the last-admin race in A and in B at once: each organization keeps exactly one active admin, whoever wins', async () => {
    const a = await firstOrganization(app);
    b = await createOrganizationWithPeople(app, app.admin, { slug: 'reliability-b', prefix: 'b-' });
    // P: the other admin of both A and B (one browser session).
    const pa = await app.register('p-both@example.com', 'ADMIN');
    const pBase = pa.client;
    const pInA = new OrgClient(pBase, a.slug);
    const pInB = await joinSignedIn(pBase, (await b.invite('p-both@example.com', 'ADMIN')).token, b);
    const operatorInA = new OrgClient(app.admin, a.slug);
    const bAdmin = b.people.ADMIN;
    expect(await activeAdmins(a.id)).toEqual([app.adminId, pa.userId].sort());
    expect(await activeAdmins(b.id)).toEqual([bAdmin.userId, pa.userId].sort());

    for (let round = 0; round < 3; round++) {
      // In each organization, its two admins deactivate each other; all four requests at once.
      const [opA, pA, adminB, pB] = codes(
        await staysResponsive(() =>
          Promise.all([
            retriedWhenBusy(() => operatorInA.gql(DEACTIVATE, { id: pa.userId })),
            retriedWhenBusy(() => pInA.gql(DEACTIVATE, { id: app.adminId })),
            retriedWhenBusy(() => bAdmin.client.gql(DEACTIVATE, { id: pa.userId })),
            retriedWhenBusy(() => pInB.gql(DEACTIVATE, { id: bAdmin.userId })),
          ]),
        ),
      );
      // The loser: refused by the rule that keeps the last admin (LAST_…), or no longer able to act there.
      const loser = /^(LAST_[A-Z]+|UNAUTHENTICATED|FORBIDDEN)$/;
      for (const [x, y] of [
        [opA, pA],
        [adminB, pB],
      ]) {
        expect([x, y].filter((c) => c === 'OK')).toHaveLength(1);
        expect([x, y].find((c) => c !== 'OK')).toMatch(loser);
      }
      const winnerA = opA === 'OK' ? app.adminId : pa.userId;
      const winnerB = adminB === 'OK' ? bAdmin.userId : pa.userId;
      expect({ round, a: await activeAdmins(a.id), b: await activeAdmins(b.id) }).toEqual({ round, a: [winnerA], b: [winnerB] });
      // The other organization's race did not decide this one's: P lost where it lost only, and acts where it won.
      if (winnerB === pa.userId) expect((await pInB.ok(`{ me { user { role { key } } } }`)).me.user.role.key).toBe('ADMIN');
      if (winnerA === pa.userId) expect((await pInA.ok(`{ me { user { role { key } } } }`)).me.user.role.key).toBe('ADMIN');

      // The winners let the losers back in; whoever's session ended signs in again.
      if (winnerA === pa.userId) await pInA.ok(REACTIVATE, { id: app.adminId });
      else await operatorInA.ok(REACTIVATE, { id: pa.userId });
      if (winnerB === pa.userId) await pInB.ok(REACTIVATE, { id: bAdmin.userId });
      else await bAdmin.client.ok(REACTIVATE, { id: pa.userId });
      for (const [client, email] of [
        [app.admin, 'admin@example.com'],
        [pBase, 'p-both@example.com'],
        [bAdmin.client, bAdmin.email],
      ] as const) {
        if (!(await client.gql(`{ me { user { id } } }`)).data?.me) await client.ok(SIGN_IN, { e: email, p: STRONG_PASSWORD });
      }
      expect(await activeAdmins(a.id)).toEqual([app.adminId, pa.userId].sort());
      expect(await activeAdmins(b.id)).toEqual([bAdmin.userId, pa.userId].sort());
    }
  });

  it('parallel accepts of invitations of A and of B at once: each used once, each person in its own organization', async () => {
    const a = await firstOrganization(app);
    const input = (token: string, name: string) => ({
      token,
      firstName: name,
      lastName: 'Once',
      password: STRONG_PASSWORD,
      passwordConfirmation: STRONG_PASSWORD,
    });
    const newInA = await app.invite('once-a@example.com', 'VIEWER');
    const newInB = await b.invite('once-b@example.com', 'VIEWER');
    // A person of A invited to B, accepting signed in (the token alone) from ten tabs at once.
    const joiner = await app.register('joiner@example.com', 'MEMBER');
    const joinB = await b.invite('joiner@example.com', 'MANAGER');
    const tabs = Array.from({ length: 10 }, () => new OrgClient(joiner.client, null));
    const [{ mark }] = await app.sql<{ mark: string }>(`SELECT coalesce(max(id), 0)::text AS mark FROM audit_events`);
    const results = await staysResponsive(() =>
      Promise.all([
        ...Array.from({ length: 10 }, () => app.client().gql(ACCEPT, { i: input(newInA.token, 'Anna') })),
        ...Array.from({ length: 10 }, () => new OrgClient(app.client(), b.slug).gql(ACCEPT, { i: input(newInB.token, 'Bea') })),
        ...tabs.map((c) => c.gql(ACCEPT, { i: { token: joinB.token } })),
      ]),
    );
    const seen = codes(results);
    for (let g = 0; g < 3; g++) {
      const group = seen.slice(g * 10, g * 10 + 10);
      expect({ g, ok: count(group, 'OK'), invalid: count(group, 'INVITATION_INVALID') }).toEqual({ g, ok: 1, invalid: 9 });
    }
    const memberships = async (userId: string) =>
      app.sql(
        `SELECT m.organization_id AS org, m.status, r.key FROM memberships m JOIN roles r ON r.id = m.role_id
          WHERE m.user_id = $1 ORDER BY r.key`,
        [userId],
      );
    expect(await memberships(newInA.userId)).toEqual([{ org: a.id, status: 'ACTIVE', key: 'VIEWER' }]);
    expect(await memberships(newInB.userId)).toEqual([{ org: b.id, status: 'ACTIVE', key: 'VIEWER' }]);
    expect(await memberships(joiner.userId)).toEqual([
      { org: b.id, status: 'ACTIVE', key: 'MANAGER' },
      { org: a.id, status: 'ACTIVE', key: 'MEMBER' },
    ]);
    const ids = [newInA.userId, newInB.userId, joiner.userId];
    expect(await app.sql(`SELECT 1 FROM invitations WHERE user_id = ANY($1::uuid[])`, [ids])).toHaveLength(0);
    // One session each for the new people; the joiner keeps its own one.
    for (const id of ids) expect(await app.sql(`SELECT 1 FROM sessions WHERE user_id = $1`, [id])).toHaveLength(1);
    // One acceptance each (of the race), recorded in the organization joined.
    expect(
      await app.sql(
        `SELECT organization_id AS org, target_id AS id FROM audit_events WHERE action = 'invitation.accepted' AND target_id = ANY($1::uuid[]) AND id > $2
          ORDER BY array_position($1::uuid[], target_id)`,
        [ids, mark],
      ),
    ).toEqual([
      { org: a.id, id: newInA.userId },
      { org: b.id, id: newInB.userId },
      { org: b.id, id: joiner.userId },
    ]);
    // B's joiner acts in B as a Manager, in A as a Member.
    expect((await new OrgClient(joiner.client, b.slug).ok(`{ me { user { role { key } } } }`)).me.user.role.key).toBe('MANAGER');
    expect((await new OrgClient(joiner.client, a.slug).ok(`{ me { user { role { key } } } }`)).me.user.role.key).toBe('MEMBER');
  });

  it('10 slow export readers hold no database connection: the server answers meanwhile, and each export completes', async () => {
    // Enough rows that an unread export fills the socket buffers and the server must wait for its reader.
    await app.sql(
      `WITH people AS (INSERT INTO users (email, first_name, last_name, status)
                       SELECT 'bulk' || g || '@example.com', 'Bulk', 'Person ' || g, 'ACTIVE' FROM generate_series(1, 60000) g
                       RETURNING id)
       INSERT INTO memberships (organization_id, user_id, role_id) SELECT r.organization_id, p.id, r.id FROM people p, roles r WHERE r.id = $1`,
      [app.roles['VIEWER']],
    );
    // A's people (B's are not A's to export).
    const total = Number(
      (
        await app.sql<{ n: string }>(`SELECT count(*) AS n FROM memberships WHERE organization_id = $1`, [
          (await firstOrganization(app)).id,
        ])
      )[0].n,
    );
    const cookie = [...app.admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const url = new URL(`${app.server.url}/api/export/users?format=csv`);
    const readers = await Promise.all(
      Array.from(
        { length: 10 },
        () =>
          new Promise<IncomingMessage>((resolve, reject) => {
            const req = request(url, { headers: { cookie, 'sec-fetch-site': 'same-origin' } }, (res) => {
              res.pause(); // a reader that does not read
              resolve(res);
            });
            req.on('error', reject);
            req.end();
          }),
      ),
    );
    expect(readers.every((r) => r.statusCode === 200)).toBe(true);
    // Let the server fill every socket and stall on all ten: wait until its process stops using CPU
    // (on a slow machine, writing ten exports into the sockets' buffers takes a few seconds).
    await untilIdle(app.server.pid);
    for (let i = 0; i < 3; i++) {
      const t = await responsiveness();
      expect(t.readyz).toBeLessThan(1000);
      expect(t.signIn).toBeLessThan(1000);
      expect((await app.admin.gql(`{ users(first: 5) { totalCount } }`)).data?.users.totalCount).toBe(total);
    }
    // Now read them all to the end: every export is whole.
    const lines = await Promise.all(
      readers.map(
        (res) =>
          new Promise<number>((resolve, reject) => {
            let n = 0;
            res.on('data', (chunk: Buffer) => {
              for (const b of chunk) if (b === 10) n++;
            });
            res.on('end', () => resolve(n));
            res.on('error', reject);
            res.resume();
          }),
      ),
    );
    expect(lines).toEqual(Array(10).fill(total + 1)); // header + one line per user
  });
});
