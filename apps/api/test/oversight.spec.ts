import { startServer, TestServer } from '../../../tools/testing/server';
import { Client, defined } from './support/client';
import { startApp, STRONG_PASSWORD, TestApp } from './support/app';
import { authenticator } from './support/totp';

const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:120.0) Gecko/20100101 Firefox/120.0';
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1';

const SIGN_IN = `mutation($e: String!, $p: String!) { signIn(input: { email: $e, password: $p }) { me { user { id } twoFactorSetupRequired } twoFactorRequired challengeToken } }`;
const MY_SESSIONS = `{ mySessions { id browser os deviceType ip current sso createdAt lastActiveAt expiresAt } }`;
const ME = `{ me { user { id } twoFactorSetupRequired } }`;
const POLICY = `{ twoFactorPolicy { ssoMode roles { required activeMembers affected role { id key requireTwoFactor } } } }`;
const SET_POLICY = `mutation($i: SetTwoFactorPolicyInput!) { setTwoFactorPolicy(input: $i) { ssoMode roles { required affected role { key } } } }`;

/**
 * What admins oversee: where each person is signed in (and ending those sessions), everyone's API
 * tokens, and a two-factor policy that holds people of chosen roles at the set-up until they have it.
 */
describe('oversight', () => {
  let app: TestApp;
  let other: TestServer;
  beforeAll(async () => {
    app = await startApp('oversight');
    other = await startServer(app.db.url);
  });
  afterAll(async () => {
    await other?.stop();
    await app?.close();
  });

  async function signIn(email: string, userAgent?: string, url = app.server.url): Promise<Client> {
    const c = new Client(url, { userAgent });
    await c.ok(SIGN_IN, { e: email, p: STRONG_PASSWORD });
    return c;
  }

  describe('sessions', () => {
    it('lists where a person is signed in, marks this device, and signs out one or all others', async () => {
      const { client: first } = await app.register('traveller@example.com', 'MEMBER');
      const laptop = await signIn('traveller@example.com', FIREFOX);
      const phone = await signIn('traveller@example.com', IPHONE);

      const list = (await laptop.ok(MY_SESSIONS)).mySessions as { id: string; browser: string; os: string; current: boolean }[];
      expect(list).toHaveLength(3);
      const mine = list.filter((s) => s.current);
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ browser: 'Firefox 120', os: 'Windows 10', deviceType: 'desktop', sso: false });
      expect(list.find((s) => s.browser === 'Safari 17.1')).toMatchObject({ os: 'iOS 17.1', deviceType: 'mobile', current: false });
      expect(list.every((s) => typeof (s as unknown as { ip: string }).ip === 'string')).toBe(true);

      // Sign the phone out from the laptop: the phone's next request is refused, on any instance.
      const phoneId = defined(list.find((s) => s.browser === 'Safari 17.1')).id;
      await laptop.ok(`mutation($id: ID!) { revokeMySession(id: $id) }`, { id: phoneId });
      expect((await phone.gql(ME)).data?.me).toBeNull();
      // Someone else's session id is not yours to end.
      const other = await app.register('bystander@example.com', 'MEMBER');
      const theirs = (await other.client.ok(MY_SESSIONS)).mySessions[0].id;
      expect(await laptop.code(`mutation($id: ID!) { revokeMySession(id: $id) }`, { id: theirs })).toBe('NOT_FOUND');
      await other.client.ok(ME);

      expect((await laptop.ok(`mutation { revokeMyOtherSessions }`)).revokeMyOtherSessions).toBe(1);
      expect((await first.gql(ME)).data?.me).toBeNull();
      expect((await laptop.ok(MY_SESSIONS)).mySessions).toHaveLength(1);
      const actions = (await app.sql(`SELECT action FROM audit_events WHERE actor_email = 'traveller@example.com'`)).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['session.revoked', 'session.others_revoked']));
    });

    it('marks a session active at most once a minute', async () => {
      const { client, userId } = await app.register('busy@example.com', 'MEMBER');
      await app.sql(`UPDATE sessions SET last_seen_at = now() - interval '5 minutes' WHERE user_id = $1`, [userId]);
      const before = await app.sql(`SELECT last_seen_at FROM sessions WHERE user_id = $1`, [userId]);
      // A fresh instance has nothing cached: its first lookup marks the session, the next ones do not.
      const elsewhere = new Client(other.url);
      for (const [k, v] of client.cookies) elsewhere.cookies.set(k, v);
      await elsewhere.ok(ME);
      const touched = (await app.sql(`SELECT last_seen_at FROM sessions WHERE user_id = $1`, [userId]))[0].last_seen_at as Date;
      expect(touched.getTime()).toBeGreaterThan((before[0].last_seen_at as Date).getTime());
      await Promise.all(Array.from({ length: 10 }, () => client.ok(ME)));
      const after = (await app.sql(`SELECT last_seen_at FROM sessions WHERE user_id = $1`, [userId]))[0].last_seen_at as Date;
      expect(after.getTime()).toBe(touched.getTime());
    });

    it("lets admins see and end a person's sessions, audited; others may not", async () => {
      const { client, userId } = await app.register('watched@example.com', 'MANAGER');
      await signIn('watched@example.com', IPHONE);
      const sessions = (await app.admin.ok(`query($u: ID!) { userSessions(userId: $u) { id browser current } }`, { u: userId }))
        .userSessions as { id: string; browser: string | null; current: boolean }[];
      expect(sessions).toHaveLength(2);
      expect(sessions.every((s) => !s.current)).toBe(true);
      const phone = defined(sessions.find((s) => s.browser === 'Safari 17.1'));
      await app.admin.ok(`mutation($id: ID!) { revokeSession(id: $id) }`, { id: phone.id });
      const left = (await app.admin.ok(`query($u: ID!) { userSessions(userId: $u) { id } }`, { u: userId })).userSessions;
      expect(left).toHaveLength(1);
      const events = await app.sql(`SELECT details FROM audit_events WHERE action = 'session.revoked' AND target_id = $1`, [userId]);
      expect(events).toEqual([{ details: { sessionId: phone.id } }]);
      // A manager cannot look at an admin's sessions, nor end them.
      expect(await client.code(`query($u: ID!) { userSessions(userId: $u) { id } }`, { u: app.adminId })).toBe('FORBIDDEN');
      const adminSession = (await app.admin.ok(MY_SESSIONS)).mySessions[0].id;
      expect(await client.code(`mutation($id: ID!) { revokeSession(id: $id) }`, { id: adminSession })).toBe('FORBIDDEN');
      expect(await app.admin.code(`mutation($id: ID!) { revokeSession(id: $id) }`, { id: phone.id })).toBe('NOT_FOUND');
    });

    it('ends a session exactly once when ten revocations race', async () => {
      const { client, userId } = await app.register('raced@example.com', 'MEMBER');
      const extra = await signIn('raced@example.com', FIREFOX);
      const target = (await client.ok(MY_SESSIONS)).mySessions.find((s: { current: boolean }) => !s.current).id;
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 ? client : app.admin).gql(`mutation($id: ID!) { ${i % 2 ? 'revokeMySession' : 'revokeSession'}(id: $id) }`, {
            id: target,
          }),
        ),
      );
      expect(results.filter((r) => r.data && Object.values(r.data)[0] === true)).toHaveLength(1);
      expect(results.every((r) => (r.status ?? 500) < 500)).toBe(true);
      expect((await extra.gql(ME)).data?.me).toBeNull();
      const events = await app.sql(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'session.revoked' AND target_id = $1`, [
        userId,
      ]);
      expect(events[0].n).toBe(1);
      expect((await fetch(`${app.server.url}/readyz`)).status).toBe(200);
    });
  });

  describe('API tokens for admins', () => {
    it('pages everyone’s tokens newest first, filters by owner, name and state, and revokes', async () => {
      const { client } = await app.register('robot-owner@example.com', 'MANAGER');
      for (let i = 0; i < 5; i++)
        await client.ok(`mutation($n: String!) { createApiToken(input: { name: $n }) { secret } }`, { n: `deploy ${i}` });
      await app.admin.ok(`mutation { createApiToken(input: { name: "admin script", expiresInDays: 1 }) { secret } }`);
      await app.sql(`UPDATE api_tokens SET expires_at = now() - interval '1 hour' WHERE name = 'admin script'`);
      const PAGE = `query($s: String, $st: ApiTokenStatus, $f: Int, $a: String) {
        allApiTokens(search: $s, status: $st, first: $f, after: $a) { totalCount hasNextPage endCursor tokens { id name ownerEmail roleName createdAt lastUsedAt expiresAt } } }`;
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: { totalCount: number; hasNextPage: boolean; endCursor: string | null; tokens: { id: string; name: string }[] } = (
          await app.admin.ok(PAGE, { s: 'robot-owner', f: 2, a: after })
        ).allApiTokens;
        expect(page.totalCount).toBe(5);
        seen.push(...page.tokens.map((t) => t.name));
        if (!page.hasNextPage) break;
        after = page.endCursor;
      }
      expect(seen).toEqual(['deploy 4', 'deploy 3', 'deploy 2', 'deploy 1', 'deploy 0']);
      expect((await app.admin.ok(PAGE, { s: 'ADMIN SCRIPT' })).allApiTokens.tokens.map((t: { name: string }) => t.name)).toEqual([
        'admin script',
      ]);
      const expired = (await app.admin.ok(PAGE, { st: 'EXPIRED' })).allApiTokens;
      expect(expired.tokens.map((t: { name: string }) => t.name)).toEqual(['admin script']);
      expect((await app.admin.ok(PAGE, { st: 'ACTIVE', s: 'deploy' })).allApiTokens.totalCount).toBe(5);
      expect(await app.admin.code(PAGE, { a: 'not-a-cursor' })).toBe('BAD_USER_INPUT');
      // A cursor with a day that does not exist is refused too (not a database error).
      const impossible = Buffer.from(JSON.stringify(['2026-02-30T00:00:00.000000Z', '00000000-0000-4000-8000-000000000000'])).toString(
        'base64url',
      );
      expect(await app.admin.code(PAGE, { a: impossible })).toBe('BAD_USER_INPUT');
      expect(await app.admin.code(PAGE, { f: 0 })).toBe('BAD_USER_INPUT');
      // Managers see their own tokens only.
      expect(await client.code(PAGE, {})).toBe('FORBIDDEN');

      const victim = (await app.admin.ok(PAGE, { s: 'deploy 2' })).allApiTokens.tokens[0];
      await app.admin.ok(`mutation($id: ID!) { revokeApiToken(id: $id) }`, { id: victim.id });
      expect((await app.admin.ok(PAGE, { s: 'robot-owner' })).allApiTokens.totalCount).toBe(4);
    });
  });

  describe('two-factor policy', () => {
    it('holds a person of a required role at the set-up, on every instance, until they have it', async () => {
      const { client, userId } = await app.register('held@example.com', 'VIEWER');
      const elsewhere = new Client(other.url);
      for (const [k, v] of client.cookies) elsewhere.cookies.set(k, v);
      await elsewhere.ok(`{ roles { id } }`);

      const before = (await app.admin.ok(POLICY)).twoFactorPolicy;
      const viewer = before.roles.find((r: { role: { key: string } }) => r.role.key === 'VIEWER');
      expect(viewer).toMatchObject({ required: false, activeMembers: 1, affected: 1 });
      const after = (await app.admin.ok(SET_POLICY, { i: { requiredRoleIds: [app.roles['VIEWER']], ssoMode: 'TRUST_PROVIDER' } }))
        .setTwoFactorPolicy;
      expect(after.roles.find((r: { role: { key: string } }) => r.role.key === 'VIEWER')).toMatchObject({ required: true, affected: 1 });
      const audit = await app.sql(`SELECT details FROM audit_events WHERE action = 'two_factor_policy.changed'`);
      expect(audit).toEqual([
        { details: { requiredBefore: [], requiredAfter: ['Viewer'], ssoModeBefore: 'TRUST_PROVIDER', ssoModeAfter: 'TRUST_PROVIDER' } },
      ]);

      // Within a second, on both instances: only the set-up, language/theme and signing out remain.
      const deadline = Date.now() + 1000;
      while ((await elsewhere.code(`{ roles { id } }`).catch(() => undefined)) !== 'TWO_FACTOR_SETUP_REQUIRED') {
        expect(Date.now()).toBeLessThan(deadline);
        await new Promise((r) => setTimeout(r, 25));
      }
      expect(await client.code(`{ roles { id } }`)).toBe('TWO_FACTOR_SETUP_REQUIRED');
      expect(await client.code(MY_SESSIONS)).toBe('TWO_FACTOR_SETUP_REQUIRED');
      expect((await client.ok(ME)).me.twoFactorSetupRequired).toBe(true);
      expect((await app.client().ok(SIGN_IN, { e: 'held@example.com', p: STRONG_PASSWORD })).signIn.me.twoFactorSetupRequired).toBe(true);
      await client.ok(`mutation { updateMyProfile(input: { language: FR }) { language } }`);
      // Names wait for the set-up like everything else, and nothing of the request is applied.
      expect(await client.code(`mutation { updateMyProfile(input: { theme: DARK, firstName: "Renamed" }) { theme } }`)).toBe(
        'TWO_FACTOR_SETUP_REQUIRED',
      );
      expect(await app.sql(`SELECT first_name, theme FROM users WHERE id = $1`, [userId])).toEqual([
        { first_name: 'Test', theme: 'SYSTEM' },
      ]);
      const res = await client.fetch('/api/export/users?format=csv');
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ code: 'TWO_FACTOR_SETUP_REQUIRED' });

      const setup = (await client.ok(`mutation { startTwoFactorSetup { secret } }`)).startTwoFactorSetup;
      await client.ok(`mutation($c: String!) { completeTwoFactorSetup(input: { code: $c }) { recoveryCodes } }`, {
        c: authenticator(setup.secret),
      });
      // At once on this instance (its very next request), within a second on the other.
      expect((await client.ok(`{ roles { id } }`)).roles.length).toBeGreaterThan(0);
      expect((await client.ok(ME)).me.twoFactorSetupRequired).toBe(false);
      const soon = Date.now() + 1000;
      while ((await elsewhere.gql(`{ roles { id } }`)).errors) {
        expect(Date.now()).toBeLessThan(soon);
        await new Promise((r) => setTimeout(r, 25));
      }
      // Turning it off is refused while the role requires it.
      const code = authenticator(setup.secret, Date.now() / 1000 + 30);
      expect(
        await client.code(`mutation($p: String!, $c: String!) { disableTwoFactor(input: { password: $p, code: $c }) }`, {
          p: STRONG_PASSWORD,
          c: code,
        }),
      ).toBe('TWO_FACTOR_REQUIRED_BY_POLICY');
      expect(
        (await app.admin.ok(POLICY)).twoFactorPolicy.roles.find((r: { role: { key: string } }) => r.role.key === 'VIEWER'),
      ).toMatchObject({ affected: 0 });
      // The users table finds who is missing it.
      const missing = await app.admin.ok(`{ users(twoFactor: MISSING, first: 200) { totalCount edges { node { email } } } }`);
      const emails = missing.users.edges.map((e: { node: { email: string } }) => e.node.email);
      expect(emails).not.toContain('held@example.com');
      expect(emails).toContain('bystander@example.com');
      const enabled = await app.admin.ok(`{ users(twoFactor: ENABLED) { totalCount edges { node { email } } } }`);
      expect(enabled.users.edges.map((e: { node: { email: string } }) => e.node.email)).toEqual(['held@example.com']);
      expect(enabled.users.totalCount).toBe(1);
      void userId;
      await app.admin.ok(SET_POLICY, { i: { requiredRoleIds: [], ssoMode: 'TRUST_PROVIDER' } });
    });

    it('refuses unknown roles and bad values, changes nothing, and keeps the audit to real changes', async () => {
      const count = async () =>
        (await app.sql(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'two_factor_policy.changed'`))[0].n;
      await app.admin.ok(SET_POLICY, { i: { requiredRoleIds: [], ssoMode: 'TRUST_PROVIDER' } });
      const n = await count();
      expect(
        await app.admin.code(SET_POLICY, {
          i: { requiredRoleIds: [app.roles['MEMBER'], '00000000-0000-4000-8000-000000000000'], ssoMode: 'TRUST_PROVIDER' },
        }),
      ).toBe('NOT_FOUND');
      expect(await app.admin.code(SET_POLICY, { i: { requiredRoleIds: ['nope'], ssoMode: 'TRUST_PROVIDER' } })).toBe('BAD_USER_INPUT');
      expect(await app.sql(`SELECT count(*)::int AS n FROM roles WHERE require_two_factor`)).toEqual([{ n: 0 }]);
      await app.admin.ok(SET_POLICY, { i: { requiredRoleIds: [], ssoMode: 'TRUST_PROVIDER' } });
      expect(await count()).toBe(n);
      const { client } = await app.register('meddler@example.com', 'MANAGER');
      expect(await client.code(SET_POLICY, { i: { requiredRoleIds: [], ssoMode: 'REQUIRE_TOTP' } })).toBe('FORBIDDEN');
      expect(await client.code(POLICY)).toBe('FORBIDDEN');
    });

    it('lets parallel policy changes land one after another, each audited against the one before', async () => {
      const sets = [[app.roles['VIEWER']], [app.roles['MEMBER']], [], [app.roles['VIEWER'], app.roles['MEMBER']]];
      const results = await Promise.all(
        sets.map((ids, i) =>
          app.admin.gql(SET_POLICY, { i: { requiredRoleIds: ids, ssoMode: i % 2 ? 'REQUIRE_TOTP' : 'TRUST_PROVIDER' } }),
        ),
      );
      expect(results.every((r) => !r.errors)).toBe(true);
      const events = await app.sql<{ details: { requiredBefore: string[]; requiredAfter: string[] } }>(
        `SELECT details FROM audit_events WHERE action = 'two_factor_policy.changed' ORDER BY id`,
      );
      // Each change's "before" is the previous change's "after".
      for (let i = 1; i < events.length; i++) {
        expect([...events[i].details.requiredBefore].sort()).toEqual([...events[i - 1].details.requiredAfter].sort());
      }
      await app.admin.ok(SET_POLICY, { i: { requiredRoleIds: [], ssoMode: 'TRUST_PROVIDER' } });
      expect((await fetch(`${app.server.url}/readyz`)).status).toBe(200);
    });
  });
});
