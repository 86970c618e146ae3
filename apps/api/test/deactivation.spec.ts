import { startServer, TestServer } from '../../../tools/testing/server';
import { Client } from './support/client';
import { startApp, STRONG_PASSWORD, TestApp } from './support/app';

/**
 * Deactivated people keep their data, teams and history but cannot sign in: sessions, pending
 * sign-ins and API tokens end at once (on every instance); password and SSO sign-in are refused;
 * reactivation lets them in again. The table filters by status. Same guard rails as editing.
 */
describe('deactivation', () => {
  let app: TestApp;
  let other: TestServer;
  beforeAll(async () => {
    app = await startApp('deactivation');
    other = await startServer(app.db.url);
  });
  afterAll(async () => {
    await other?.stop();
    await app?.close();
  });

  const DEACTIVATE = `mutation($id: ID!) { deactivateUser(id: $id) { id status } }`;
  const REACTIVATE = `mutation($id: ID!) { reactivateUser(id: $id) { id status } }`;
  const ME = `{ me { user { id } } }`;
  const SIGN_IN = `mutation($e: String!, $p: String!) { signIn(input: { email: $e, password: $p }) { me { user { id } } } }`;

  it('ends sessions and tokens at once on every instance, refuses sign-in, and keeps teams and history', async () => {
    const team = (await app.admin.ok(`mutation { createTeam(input: { name: "Ops" }) { id } }`)).createTeam.id;
    const { client, userId } = await app.register('leaver@example.com', 'MEMBER', [team]);
    const token = (await client.ok(`mutation { createApiToken(input: { name: "ci" }) { secret } }`)).createApiToken.secret;
    const elsewhere = new Client(other.url);
    for (const [k, v] of client.cookies) elsewhere.cookies.set(k, v);
    const bearer = new Client(other.url, { bearer: token });
    await elsewhere.ok(ME);
    await bearer.ok(ME);

    expect((await app.admin.ok(DEACTIVATE, { id: userId })).deactivateUser.status).toBe('DEACTIVATED');
    expect((await elsewhere.gql(ME)).data?.me).toBeNull();
    expect(await bearer.code(ME)).toBe('UNAUTHENTICATED');
    expect(await app.client().code(SIGN_IN, { e: 'leaver@example.com', p: STRONG_PASSWORD })).toBe('ACCOUNT_DEACTIVATED');
    expect(await app.client().code(SIGN_IN, { e: 'leaver@example.com', p: 'not the password 123' })).toBe('INVALID_CREDENTIALS');
    // Inviting the email again is refused: the person exists.
    expect(
      await app.admin.code(`mutation($i: CreateInvitationInput!) { createInvitation(input: $i) { url } }`, {
        i: { email: 'leaver@example.com', roleId: app.roles['MEMBER'], teamIds: [] },
      }),
    ).toBe('EMAIL_TAKEN');

    const row = await app.admin.ok(`query($id: ID!) { user(id: $id) { status teams { name } } }`, { id: userId });
    expect(row.user).toEqual({ status: 'DEACTIVATED', teams: [{ name: 'Ops' }] });
    const events = await app.sql(`SELECT action, details FROM audit_events WHERE target_id = $1 ORDER BY id`, [userId]);
    expect(events.map((e) => e.action)).toContain('user.deactivated');
    expect(events.find((e) => e.action === 'user.deactivated')?.details).toEqual({ sessions: 1, apiTokens: 1 });

    // Deactivating again changes nothing; reactivating lets the password in again (tokens stay revoked).
    expect((await app.admin.ok(DEACTIVATE, { id: userId })).deactivateUser.status).toBe('DEACTIVATED');
    expect((await app.admin.ok(REACTIVATE, { id: userId })).reactivateUser.status).toBe('ACTIVE');
    await app.client().ok(SIGN_IN, { e: 'leaver@example.com', p: STRONG_PASSWORD });
    expect(await bearer.code(ME)).toBe('UNAUTHENTICATED');
    const actions = (await app.sql(`SELECT action FROM audit_events WHERE target_id = $1`, [userId])).map((e) => e.action);
    expect(actions.filter((a) => a === 'user.deactivated')).toHaveLength(1);
    expect(actions).toContain('user.reactivated');
  });

  it('keeps the rules of editing: not oneself, not the last admin, not above one’s role, not an invitation', async () => {
    expect(await app.admin.code(DEACTIVATE, { id: app.adminId })).toBe('SELF_DEACTIVATE');
    const manager = await app.register('boss@example.com', 'MANAGER');
    expect(await manager.client.code(DEACTIVATE, { id: app.adminId })).toBe('FORBIDDEN');
    const invited = await app.invite('pending@example.com', 'VIEWER');
    expect(await app.admin.code(DEACTIVATE, { id: invited.userId })).toBe('USER_STATUS_CONFLICT');
    expect(await app.admin.code(REACTIVATE, { id: invited.userId })).toBe('USER_STATUS_CONFLICT');
    const viewer = await app.register('viewer@example.com', 'VIEWER');
    expect(await viewer.client.code(DEACTIVATE, { id: manager.userId })).toBe('FORBIDDEN');
    // Two admins: one deactivates the other, who then cannot act; the last one stays.
    const second = await app.register('second@example.com', 'ADMIN');
    await second.client.ok(DEACTIVATE, { id: app.adminId });
    expect((await app.admin.gql(ME)).data?.me).toBeNull();
    expect(await second.client.code(DEACTIVATE, { id: second.userId })).toBe('SELF_DEACTIVATE');
    await second.client.ok(REACTIVATE, { id: app.adminId });
    expect(await app.sql(`SELECT status FROM memberships WHERE user_id = $1`, [app.adminId])).toEqual([{ status: 'ACTIVE' }]);
    await app.admin.ok(SIGN_IN, { e: 'admin@example.com', p: STRONG_PASSWORD }); // its session ended with the deactivation
  });

  it('refuses to deactivate the last active admin, even with parallel requests from two admins', async () => {
    const admin = new Client(app.server.url);
    await admin.ok(SIGN_IN, { e: 'admin@example.com', p: STRONG_PASSWORD });
    const second = new Client(app.server.url);
    await second.ok(SIGN_IN, { e: 'second@example.com', p: STRONG_PASSWORD });
    const secondId = (await second.ok(ME)).me.user.id;
    // Each deactivates the other at the same time: exactly one wins, one admin stays active.
    const results = await Promise.all([admin.gql(DEACTIVATE, { id: secondId }), second.gql(DEACTIVATE, { id: app.adminId })]);
    const codes = results.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK');
    expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
    // The loser was refused: either the other was already the last admin, or its own session had ended.
    expect(['LAST_MANAGER', 'UNAUTHENTICATED']).toContain(codes.find((c) => c !== 'OK'));
    const active = await app.sql(
      `SELECT count(*)::int AS n FROM memberships m JOIN roles r ON r.id = m.role_id WHERE r.key = 'ADMIN' AND m.status = 'ACTIVE'`,
    );
    expect(active[0].n).toBe(1);
    // The winner lets the other back in.
    const winner = results[0].errors ? second : admin;
    await winner.ok(REACTIVATE, { id: results[0].errors ? app.adminId : secondId });
    await app.admin.ok(SIGN_IN, { e: 'admin@example.com', p: STRONG_PASSWORD });
  });

  it('filters the table by status, with counts', async () => {
    const viewer = (await app.sql(`SELECT id FROM users WHERE email = 'viewer@example.com'`))[0].id;
    await app.admin.ok(DEACTIVATE, { id: viewer });
    const page = async (status: string) =>
      (
        await app.admin.ok(
          `query($s: UserStatus) { users(first: 50, status: $s) { totalCount totalCountIsExact edges { node { email status } } } }`,
          { s: status },
        )
      ).users;
    const deactivated = await page('DEACTIVATED');
    const invited = await page('INVITED');
    const active = await page('ACTIVE');
    for (const [p, s] of [
      [deactivated, 'DEACTIVATED'],
      [invited, 'INVITED'],
      [active, 'ACTIVE'],
    ] as const) {
      expect(p.edges.every((e: { node: { status: string } }) => e.node.status === s)).toBe(true);
      expect(p.totalCount).toBe(p.edges.length);
      expect(p.totalCountIsExact).toBe(true);
    }
    const all = await app.sql(`SELECT status, count(*)::int AS n FROM memberships GROUP BY status`);
    const n = (s: string) => all.find((r) => r.status === s)?.n ?? 0;
    expect([deactivated.totalCount, invited.totalCount, active.totalCount]).toEqual([n('DEACTIVATED'), n('INVITED'), n('ACTIVE')]);
    expect(deactivated.totalCount).toBeGreaterThan(0);
    const searched = await app.admin.ok(`{ users(first: 5, status: INVITED, search: "pending") { totalCount edges { node { email } } } }`);
    expect(searched.users.edges.map((e: { node: { email: string } }) => e.node.email)).toEqual(['pending@example.com']);
  });
});
