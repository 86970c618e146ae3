import { Client } from './support/client';
import { startApp, STRONG_PASSWORD, TestApp } from './support/app';

/**
 * What admins manage is the current organization's: its teams, roles, two-factor policy and members.
 * A person who also belongs to another organization is acted on there only through that membership:
 * deactivating or removing them here leaves them, their teams and their sessions elsewhere alone, and
 * a person, team or role of another organization is NOT_FOUND, never FORBIDDEN.
 */
describe('memberships: the life-cycle inside one organization', () => {
  let app: TestApp;
  let orgB: string;
  let rolesB: Record<string, string>;
  /** P: Member of the first organization (A), Admin of B. */
  let p: { client: Client; userId: string };
  let pInB: Client;
  /** Q: a Viewer of B only. */
  let qId: string;

  /** The same browser as `base`, naming an organization in every request. */
  class OrgClient extends Client {
    constructor(
      base: Client,
      readonly organization: string,
    ) {
      super(base.baseUrl);
      (this as { cookies: Map<string, string> }).cookies = base.cookies;
    }

    override fetch(path: string, init: RequestInit = {}): Promise<Response> {
      const headers = new Headers(init.headers);
      headers.set('x-roster-organization', this.organization);
      return super.fetch(path, { ...init, headers });
    }
  }

  const UPDATE = `mutation($i: UpdateUserInput!) { updateUser(input: $i) { id role { key } status teams { name } } }`;
  const DELETE = `mutation($i: DeleteUserInput!) { deleteUser(input: $i) }`;
  const DEACTIVATE = `mutation($id: ID!) { deactivateUser(id: $id) { id status } }`;
  const REACTIVATE = `mutation($id: ID!) { reactivateUser(id: $id) { id status } }`;
  const TEAMS = `{ teams { id name memberCount } }`;
  const CREATE_TEAM = `mutation($n: String!) { createTeam(input: { name: $n }) { id } }`;
  const ME = `{ me { user { id role { key } status } } }`;
  const POLICY = `{ twoFactorPolicy { ssoMode roles { role { id key } required activeMembers } } }`;

  beforeAll(async () => {
    app = await startApp('memberships-admin');
    const [a] = await app.sql<{ id: string }>(`SELECT id FROM organizations ORDER BY created_at, id LIMIT 1`);
    [{ id: orgB }] = await app.sql<{ id: string }>(`INSERT INTO organizations (name, slug) VALUES ('Beta', 'beta') RETURNING id`);
    await app.sql(
      `INSERT INTO roles (organization_id, key, name, permissions, rank, built_in)
       SELECT $2, key, name, permissions, rank, built_in FROM roles WHERE organization_id = $1`,
      [a.id, orgB],
    );
    await app.sql(`INSERT INTO two_factor_policy (organization_id) VALUES ($1)`, [orgB]);
    await app.sql(`INSERT INTO membership_counts (organization_id) VALUES ($1) ON CONFLICT DO NOTHING`, [orgB]);
    const rows = await app.sql<{ key: string; id: string }>(`SELECT key, id FROM roles WHERE organization_id = $1`, [orgB]);
    rolesB = Object.fromEntries(rows.map((r) => [r.key, r.id]));

    p = await app.register('p@example.com', 'MEMBER');
    await app.sql(`INSERT INTO memberships (organization_id, user_id, role_id, status) VALUES ($1, $2, $3, 'ACTIVE')`, [
      orgB,
      p.userId,
      rolesB['ADMIN'],
    ]);
    pInB = new OrgClient(p.client, 'beta');
    [{ id: qId }] = await app.sql<{ id: string }>(
      `INSERT INTO users (email, status, last_organization_id, password_hash) VALUES ('q@example.com', 'ACTIVE', $1, 'x') RETURNING id`,
      [orgB],
    );
    await app.sql(`INSERT INTO memberships (organization_id, user_id, role_id, status) VALUES ($1, $2, $3, 'ACTIVE')`, [
      orgB,
      qId,
      rolesB['VIEWER'],
    ]);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('lists and changes only the current organization’s teams and roles', async () => {
    expect((await pInB.ok(ME)).me.user.role.key).toBe('ADMIN');
    const teamB = (await pInB.ok(CREATE_TEAM, { n: 'Ops' })).createTeam.id;
    // The same name is free in another organization.
    const teamA = (await app.admin.ok(CREATE_TEAM, { n: 'Ops' })).createTeam.id;
    expect((await app.admin.ok(TEAMS)).teams).toEqual([{ id: teamA, name: 'Ops', memberCount: 0 }]);
    expect((await pInB.ok(TEAMS)).teams).toEqual([{ id: teamB, name: 'Ops', memberCount: 0 }]);
    expect(await app.admin.code(`mutation($id: ID!) { renameTeam(id: $id, input: { name: "Mine" }) { id } }`, { id: teamB })).toBe(
      'NOT_FOUND',
    );
    expect(await app.admin.code(`mutation($id: ID!) { deleteTeam(id: $id) }`, { id: teamB })).toBe('NOT_FOUND');
    expect(await app.admin.code(UPDATE, { i: { id: p.userId, teamIds: [teamB] } })).toBe('NOT_FOUND');
    // P's teams differ per organization.
    await app.admin.ok(UPDATE, { i: { id: p.userId, teamIds: [teamA] } });
    expect((await pInB.ok(UPDATE, { i: { id: qId, teamIds: [teamB] } })).updateUser.teams).toEqual([{ name: 'Ops' }]);
    await pInB.ok(UPDATE, { i: { id: p.userId, teamIds: [] } });
    expect((await app.admin.ok(TEAMS)).teams[0].memberCount).toBe(1);
    expect((await pInB.ok(TEAMS)).teams[0].memberCount).toBe(1);

    const rolesA = (await app.admin.ok(`{ roles { id } }`)).roles.map((r: { id: string }) => r.id).sort();
    expect(rolesA).toEqual(Object.values(app.roles).sort());
    expect(await app.admin.code(UPDATE, { i: { id: p.userId, roleId: rolesB['VIEWER'] } })).toBe('NOT_FOUND');
  });

  it('finds nobody of another organization: NOT_FOUND for every action', async () => {
    expect(await app.admin.code(UPDATE, { i: { id: qId, firstName: 'X' } })).toBe('NOT_FOUND');
    expect(await app.admin.code(DEACTIVATE, { id: qId })).toBe('NOT_FOUND');
    expect(await app.admin.code(REACTIVATE, { id: qId })).toBe('NOT_FOUND');
    expect(await app.admin.code(DELETE, { i: { id: qId, confirmation: 'DELETE' } })).toBe('NOT_FOUND');
    expect(await pInB.code(DEACTIVATE, { id: app.adminId })).toBe('NOT_FOUND');
  });

  it('deactivates and reactivates a membership, leaving the others and the sessions alone', async () => {
    const [{ slug }] = await app.sql<{ slug: string }>(`SELECT slug FROM organizations ORDER BY created_at, id LIMIT 1`);
    const tokenOf = async (c: Client) =>
      (await c.ok(`mutation { createApiToken(input: { name: "ci" }) { secret } }`)).createApiToken.secret;
    const inA = new Client(app.server.url, { bearer: await tokenOf(new OrgClient(p.client, slug)) });
    const inB = new Client(app.server.url, { bearer: await tokenOf(pInB) });
    await inA.ok(ME);
    expect((await app.admin.ok(DEACTIVATE, { id: p.userId })).deactivateUser.status).toBe('DEACTIVATED');
    // The token of A ends for good; the one of B goes on.
    expect(await inA.code(ME)).toBe('UNAUTHENTICATED');
    expect((await inB.ok(ME)).me.user.role.key).toBe('ADMIN');
    expect(await app.sql(`SELECT organization_id, status FROM memberships WHERE user_id = $1 ORDER BY status`, [p.userId])).toEqual([
      { organization_id: orgB, status: 'ACTIVE' },
      expect.objectContaining({ status: 'DEACTIVATED' }),
    ]);
    // Still active in B: the session goes on there, and signing in works.
    expect((await pInB.ok(ME)).me.user.role.key).toBe('ADMIN');
    await app.client().ok(`mutation($e: String!, $p: String!) { signIn(input: { email: $e, password: $p }) { me { user { id } } } }`, {
      e: 'p@example.com',
      p: STRONG_PASSWORD,
    });
    const [event] = await app.sql(`SELECT details FROM audit_events WHERE action = 'user.deactivated' AND target_id = $1`, [p.userId]);
    expect(event.details).toEqual({ sessions: 0, apiTokens: 1 });
    expect((await app.admin.ok(REACTIVATE, { id: p.userId })).reactivateUser.status).toBe('ACTIVE');
    expect(await inA.code(ME)).toBe('UNAUTHENTICATED');
  });

  it('keeps each organization’s two-factor policy and counts apart', async () => {
    const before = (await app.admin.ok(POLICY)).twoFactorPolicy;
    await pInB.ok(`mutation($i: SetTwoFactorPolicyInput!) { setTwoFactorPolicy(input: $i) { ssoMode } }`, {
      i: { requiredRoleIds: [rolesB['VIEWER']], ssoMode: 'REQUIRE_TOTP' },
    });
    expect((await app.admin.ok(POLICY)).twoFactorPolicy).toEqual(before);
    const inB = (await pInB.ok(POLICY)).twoFactorPolicy;
    expect(inB.ssoMode).toBe('REQUIRE_TOTP');
    const byKey = Object.fromEntries(
      inB.roles.map((r: { role: { id: string; key: string }; required: boolean; activeMembers: number }) => [r.role.key, r]),
    );
    expect(byKey['VIEWER']).toMatchObject({ role: { id: rolesB['VIEWER'] }, required: true, activeMembers: 1 });
    expect(byKey['ADMIN']).toMatchObject({ required: false, activeMembers: 1 });
    expect(
      await app.admin.code(`mutation($i: SetTwoFactorPolicyInput!) { setTwoFactorPolicy(input: $i) { ssoMode } }`, {
        i: { requiredRoleIds: [rolesB['VIEWER']], ssoMode: 'TRUST_PROVIDER' },
      }),
    ).toBe('NOT_FOUND');
  });

  it('removes a membership, and the person only when they belong nowhere else', async () => {
    await app.admin.ok(DELETE, { i: { id: p.userId, confirmation: 'DELETE' } });
    expect(await app.sql(`SELECT organization_id FROM memberships WHERE user_id = $1`, [p.userId])).toEqual([{ organization_id: orgB }]);
    expect(await app.sql(`SELECT 1 FROM users WHERE id = $1`, [p.userId])).toHaveLength(1);
    expect(await app.admin.code(`query($id: ID!) { user(id: $id) { id } }`, { id: p.userId })).toBe('NOT_FOUND');
    expect((await pInB.ok(ME)).me.user.id).toBe(p.userId);
    // Q belongs to B only: removing them deletes the person.
    await pInB.ok(DELETE, { i: { id: qId, confirmation: 'DELETE' } });
    expect(await app.sql(`SELECT 1 FROM users WHERE id = $1`, [qId])).toHaveLength(0);
    expect((await pInB.ok(TEAMS)).teams[0].memberCount).toBe(0);
  });
});
