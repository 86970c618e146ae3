import fc from 'fast-check';
import { ALL_PERMISSIONS, canGrantRole } from '@roster/contracts/permissions';
import { startServer } from '../../../tools/testing/server';
import { startApp, STRONG_PASSWORD, TestApp } from './support/app';
import { Client } from './support/client';

/** FC_SEED replays a run of the subset rule's property (the seed is printed). */
const SEED = Number(process.env['FC_SEED'] ?? Date.now() % 1_000_000);

/**
 * Custom roles (issue 25) on a real server and database: each organization shapes its own roles as sets
 * of permissions; who may write which role follows those sets (never a rank); the last person able to
 * manage roles and people keeps that ability, under parallel requests too; deleting a role moves its
 * holders to a replacement in one transaction; another organization's roles are invisible and unusable.
 */
describe('custom roles', () => {
  let app: TestApp;

  const ROLE = `id key name description builtIn permissions holders permissionLevel`;
  const ROLES = `{ roles { ${ROLE} } }`;
  const CREATE = `mutation($i: CreateRoleInput!) { createRole(input: $i) { ${ROLE} } }`;
  const UPDATE = `mutation($i: UpdateRoleInput!) { updateRole(input: $i) { ${ROLE} } }`;
  const DELETE = `mutation($id: ID!, $r: ID) { deleteRole(id: $id, replacementRoleId: $r) }`;
  const UPDATE_USER = `mutation($i: UpdateUserInput!) { updateUser(input: $i) { id role { id } } }`;
  const INVITE = `mutation($i: CreateInvitationInput!) { createInvitation(input: $i) { url user { id } } }`;
  const ACCEPT = `mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { user { id } } }`;

  beforeAll(async () => (app = await startApp('custom-roles')));

  /** The error code of a request, or OK. */
  const outcome = async (c: Client, query: string, variables: Record<string, unknown> = {}) =>
    (await c.gql(query, variables)).errors?.[0]?.extensions?.code ?? 'OK';
  afterAll(() => app?.close());

  /** What an operation that must change nothing could have changed. */
  const rolesFingerprint = () =>
    app.sql(`SELECT (SELECT string_agg(id || ':' || key || ':' || name || ':' || description || ':' || array_to_string(permissions, ' '), ',' ORDER BY id) FROM roles) AS roles,
                    (SELECT string_agg(user_id || ':' || role_id || ':' || status, ',' ORDER BY user_id, organization_id) FROM memberships) AS memberships,
                    (SELECT count(*) FROM api_tokens) AS tokens,
                    (SELECT count(*) FROM audit_events) AS events`);

  async function create(by: Client, name: string, permissions: string[], description?: string) {
    return (await by.ok(CREATE, { i: { name, permissions, ...(description === undefined ? {} : { description }) } })).createRole;
  }

  /** Invites `email` into a role by id and registers them; returns their signed-in browser and id. */
  async function registerAs(email: string, roleId: string, by: Client = app.admin): Promise<{ client: Client; userId: string }> {
    const inv = (await by.ok(INVITE, { i: { email, roleId, teamIds: [] } })).createInvitation;
    const client = app.client();
    await client.ok(ACCEPT, {
      i: {
        token: new URL(inv.url).searchParams.get('token'),
        firstName: 'Test',
        lastName: 'Person',
        password: STRONG_PASSWORD,
        passwordConfirmation: STRONG_PASSWORD,
      },
    });
    return { client, userId: inv.user.id };
  }

  it('explains the vocabulary in the reader’s language, and lists built-in roles first, read-only', async () => {
    const en = (await app.admin.ok(`{ permissions { key label description area } }`)).permissions;
    expect(en.map((p: { key: string }) => p.key)).toEqual(ALL_PERMISSIONS);
    expect(en.find((p: { key: string }) => p.key === 'roles:manage')).toEqual({
      key: 'roles:manage',
      label: 'Manage roles',
      description: expect.stringContaining('roles'),
      area: 'roles',
    });
    await app.admin.ok(`mutation { updateMyProfile(input: { language: FR }) { user { id } } }`);
    const fr = (await app.admin.ok(`{ permissions { key label } }`)).permissions;
    expect(fr.find((p: { key: string }) => p.key === 'roles:manage').label).toBe('Gérer les rôles');
    await app.admin.ok(`mutation { updateMyProfile(input: { language: EN }) { user { id } } }`);

    const roles = (await app.admin.ok(ROLES)).roles;
    expect(roles.map((r: { key: string }) => r.key)).toEqual(['ADMIN', 'MANAGER', 'MEMBER', 'VIEWER']);
    expect(roles.every((r: { builtIn: boolean }) => r.builtIn)).toBe(true);
    expect(roles[0].permissions).toContain('roles:manage');
    expect(roles[0].permissions).not.toContain('roles:grant-admin');
    expect(roles[0].holders).toBe(1);

    const before = await rolesFingerprint();
    expect(await app.admin.code(UPDATE, { i: { id: app.roles['VIEWER'], name: 'Readers' } })).toBe('ROLE_BUILT_IN');
    expect(await app.admin.code(DELETE, { id: app.roles['MEMBER'], r: app.roles['VIEWER'] })).toBe('ROLE_BUILT_IN');
    expect(await rolesFingerprint()).toEqual(before);
  });

  it('creates roles with a generated key, unique names in any case, and only known permissions', async () => {
    const support = await create(app.admin, '  Support agents ', ['users:read', 'teams:read'], 'First line');
    expect(support).toMatchObject({
      key: 'SUPPORT_AGENTS',
      name: 'Support agents',
      description: 'First line',
      builtIn: false,
      permissions: ['users:read', 'teams:read'],
      holders: 0,
      permissionLevel: 'READ_ONLY',
    });
    // A rename keeps the key; a new role of the old name gets the next one.
    await app.admin.ok(UPDATE, { i: { id: support.id, name: 'Helpdesk' } });
    expect((await create(app.admin, 'Support agents', ['users:read'])).key).toBe('SUPPORT_AGENTS_2');

    const before = await rolesFingerprint();
    expect(await app.admin.code(CREATE, { i: { name: 'HELPDESK', permissions: ['users:read'] } })).toBe('ROLE_NAME_TAKEN');
    expect(await app.admin.code(CREATE, { i: { name: 'admin', permissions: ['users:read'] } })).toBe('ROLE_NAME_TAKEN');
    expect(await app.admin.code(UPDATE, { i: { id: support.id, name: 'Support AGENTS' } })).toBe('ROLE_NAME_TAKEN');
    expect(await app.admin.code(CREATE, { i: { name: 'Nothing', permissions: [] } })).toBe('BAD_USER_INPUT');
    expect(await app.admin.code(CREATE, { i: { name: 'Odd', permissions: ['users:read', 'roles:grant-admin'] } })).toBe('BAD_USER_INPUT');
    expect(await app.admin.code(CREATE, { i: { name: '   ', permissions: ['users:read'] } })).toBe('BAD_USER_INPUT');
    expect(await app.admin.code(CREATE, { i: { name: 'x'.repeat(51), permissions: ['users:read'] } })).toBe('BAD_USER_INPUT');
    expect(await app.admin.code(CREATE, { i: { name: 'Long', description: 'x'.repeat(201), permissions: ['users:read'] } })).toBe(
      'BAD_USER_INPUT',
    );
    expect(await app.admin.code(UPDATE, { i: { id: support.id, permissions: [] } })).toBe('BAD_USER_INPUT');
    expect(await app.admin.code(UPDATE, { i: { id: support.id, name: null } })).toBe('BAD_USER_INPUT');
    expect(await app.admin.code(UPDATE, { i: { id: 'nope', name: 'X' } })).toBe('BAD_USER_INPUT');
    expect(await app.admin.code(UPDATE, { i: { id: '8f0e9d6c-0000-4000-8000-000000000000', name: 'X' } })).toBe('NOT_FOUND');
    expect(await rolesFingerprint()).toEqual(before);

    const events = await app.sql<{ action: string }>(`SELECT action FROM audit_events WHERE action LIKE 'role.%' ORDER BY id`);
    expect(events.map((e) => e.action)).toEqual(['role.created', 'role.updated', 'role.created']);
  });

  it('gives exactly the permissions of the role, and a change applies at the next request', async () => {
    const role = await create(app.admin, 'Team keepers', ['users:read', 'teams:read', 'roles:read']);
    const keeper = await registerAs('keeper@example.com', role.id);
    expect((await keeper.client.ok(`{ me { user { role { key } permissionLevel } } }`)).me.user.role.key).toBe('TEAM_KEEPERS');
    expect(await outcome(keeper.client, `{ users { totalCount } }`)).toBe('OK');
    expect(await keeper.client.code(`mutation { createTeam(input: { name: "Keepers" }) { id } }`)).toBe('FORBIDDEN');
    expect(await keeper.client.code(`{ pendingInvitations { email } }`)).toBe('FORBIDDEN');
    // The same session, right after the role gains a permission.
    await app.admin.ok(UPDATE, { i: { id: role.id, permissions: ['users:read', 'teams:read', 'roles:read', 'teams:write'] } });
    expect(await outcome(keeper.client, `mutation { createTeam(input: { name: "Keepers" }) { id } }`)).toBe('OK');
    await app.admin.ok(UPDATE, { i: { id: role.id, permissions: ['users:read', 'roles:read'] } });
    expect(await keeper.client.code(`{ teams { id } }`)).toBe('FORBIDDEN');
    expect((await app.admin.ok(ROLES)).roles.find((r: { id: string }) => r.id === role.id).holders).toBe(1);
  });

  it('lets people write roles only within their own permissions (the subset rule), never by rank', async () => {
    // Role admins: may manage roles and people, but hold no audit, token or SSO permission.
    const roleAdmins = await create(app.admin, 'Role admins', [
      'users:read',
      'users:invite',
      'users:write',
      'teams:read',
      'roles:read',
      'roles:manage',
    ]);
    const ra = await registerAs('role-admin@example.com', roleAdmins.id);
    const auditors = await create(app.admin, 'Auditors', ['users:read', 'audit:read']);
    const manager = await app.register('manager@example.com', 'MANAGER');
    const before = await rolesFingerprint();
    expect(await ra.client.code(CREATE, { i: { name: 'Spies', permissions: ['users:read', 'audit:read'] } })).toBe('ROLE_NOT_GRANTABLE');
    expect(await ra.client.code(UPDATE, { i: { id: auditors.id, name: 'Readers of logs' } })).toBe('ROLE_NOT_GRANTABLE');
    expect(await ra.client.code(UPDATE, { i: { id: auditors.id, permissions: ['users:read'] } })).toBe('ROLE_NOT_GRANTABLE');
    expect(await ra.client.code(DELETE, { id: auditors.id })).toBe('ROLE_NOT_GRANTABLE');
    expect(await ra.client.code(UPDATE, { i: { id: roleAdmins.id, permissions: [...roleAdmins.permissions, 'audit:read'] } })).toBe(
      'ROLE_NOT_GRANTABLE',
    );
    expect(await ra.client.code(INVITE, { i: { email: 'auditor@example.com', roleId: auditors.id, teamIds: [] } })).toBe(
      'ROLE_NOT_GRANTABLE',
    );
    // A Manager (no roles:manage) writes no role at all.
    expect(await manager.client.code(CREATE, { i: { name: 'Mine', permissions: ['users:read'] } })).toBe('FORBIDDEN');
    expect(await rolesFingerprint()).toEqual(before);

    // Within their permissions: create, edit, invite into it, and delete.
    const helpers = await ra.client.ok(CREATE, { i: { name: 'Helpers', permissions: ['users:read', 'users:invite'] } });
    await ra.client.ok(UPDATE, { i: { id: helpers.createRole.id, description: 'They invite people' } });
    await ra.client.ok(INVITE, { i: { email: 'helper@example.com', roleId: helpers.createRole.id, teamIds: [] } });
    expect(await ra.client.code(DELETE, { id: helpers.createRole.id })).toBe('ROLE_IN_USE');
    // They may not act on the Auditor above them, and may not revoke an Admin's tokens (they lack tokens:manage-all anyway).
    const auditor = await registerAs('auditor@example.com', auditors.id);
    expect(await ra.client.code(UPDATE_USER, { i: { id: auditor.userId, firstName: 'Changed' } })).toBe('FORBIDDEN');
  });

  it('refuses to revoke the tokens of people above you', async () => {
    const tokenAdmins = await create(app.admin, 'Token admins', [
      'users:read',
      'teams:read',
      'roles:read',
      'tokens:create',
      'tokens:manage-all',
    ]);
    const ta = await registerAs('token-admin@example.com', tokenAdmins.id);
    const adminToken = (await app.admin.ok(`mutation { createApiToken(input: { name: "admin's" }) { token { id } } }`)).createApiToken.token
      .id;
    const member = await app.register('token-member@example.com', 'VIEWER');
    await app.admin.ok(UPDATE_USER, { i: { id: member.userId, roleId: app.roles['MEMBER'] } });
    const memberToken = (await member.client.ok(`mutation { createApiToken(input: { name: "member's" }) { token { id } } }`)).createApiToken
      .token.id;
    const REVOKE = `mutation($id: ID!) { revokeApiToken(id: $id) }`;
    expect(await ta.client.code(REVOKE, { id: adminToken })).toBe('ROLE_NOT_GRANTABLE');
    expect(await app.sql(`SELECT 1 FROM api_tokens WHERE id = $1`, [adminToken])).toHaveLength(1);
    expect(await outcome(ta.client, REVOKE, { id: memberToken })).toBe('OK');
  });

  it('deletes a role in use only with a replacement, moving people and tokens in one transaction', async () => {
    const writers = await create(app.admin, 'Writers', ['users:read', 'teams:read', 'roles:read', 'tokens:create', 'teams:write']);
    const readers = await create(app.admin, 'Readers', ['users:read', 'teams:read', 'roles:read', 'tokens:create']);
    const active = await registerAs('writer@example.com', writers.id);
    const invited = (await app.admin.ok(INVITE, { i: { email: 'writer-invited@example.com', roleId: writers.id, teamIds: [] } }))
      .createInvitation.user.id;
    // Tokens capped to Writers: the writer's own (after the move they hold Readers, the replacement: it stays,
    // capped to Readers) and the Admin's (the Admin holds everything: it stays too).
    const TOKEN = `mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token { id } secret } }`;
    const writerToken = (await active.client.ok(TOKEN, { i: { name: 'writer cap', roleId: writers.id } })).createApiToken;
    const adminToken = (await app.admin.ok(TOKEN, { i: { name: 'admin cap', roleId: writers.id } })).createApiToken;
    const before = await rolesFingerprint();
    const refused = await app.admin.gql(DELETE, { id: writers.id });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'ROLE_IN_USE', holders: 2, tokens: 2, ssoDefault: false });
    expect(await app.admin.code(DELETE, { id: writers.id, r: writers.id })).toBe('BAD_USER_INPUT');
    expect(await app.admin.code(DELETE, { id: writers.id, r: '8f0e9d6c-0000-4000-8000-000000000000' })).toBe('NOT_FOUND');
    expect(await app.admin.code(DELETE, { id: writers.id, r: 'nope' })).toBe('BAD_USER_INPUT');
    expect(await rolesFingerprint()).toEqual(before);

    expect(await app.admin.ok(DELETE, { id: writers.id, r: readers.id })).toEqual({ deleteRole: true });
    const moved = await app.sql<{ user_id: string; role_id: string }>(
      `SELECT user_id, role_id FROM memberships WHERE user_id = ANY($1::uuid[]) ORDER BY user_id`,
      [[active.userId, invited]],
    );
    expect(moved.map((m) => m.role_id)).toEqual([readers.id, readers.id]);
    const caps = await app.sql<{ id: string; role_id: string }>(`SELECT id, role_id FROM api_tokens WHERE id = ANY($1::uuid[])`, [
      [writerToken.token.id, adminToken.token.id],
    ]);
    expect(caps.map((c) => c.role_id)).toEqual([readers.id, readers.id]);
    expect(await app.sql(`SELECT 1 FROM roles WHERE id = $1`, [writers.id])).toEqual([]);
    const [deleted] = await app.sql<{ details: Record<string, unknown> }>(
      `SELECT details FROM audit_events WHERE action = 'role.deleted' ORDER BY id DESC LIMIT 1`,
    );
    expect(deleted.details).toMatchObject({
      name: 'Writers',
      holders: 2,
      tokens: 2,
      holdersMoved: 2,
      tokensMoved: 2,
      tokensRevoked: 0,
      ssoDefaultMoved: 0,
    });
    // The writer's session acts as a Reader at once.
    expect(await active.client.code(`mutation { createTeam(input: { name: "Writers' team" }) { id } }`)).toBe('FORBIDDEN');
  });

  it('revokes, and audits, capped tokens whose owner lacks the replacement’s permissions', async () => {
    const capped = await create(app.admin, 'Capped', ['users:read', 'tokens:create']);
    const wide = await create(app.admin, 'Wide', ['users:read', 'tokens:create', 'teams:read', 'teams:write']);
    // A Viewer-plus person holding Capped creates a token capped to Capped, then is moved to a narrower role.
    const owner = await registerAs('capped-owner@example.com', capped.id);
    const token = (
      await owner.client.ok(`mutation { createApiToken(input: { name: "capped", roleId: "${capped.id}" }) { token { id } secret } }`)
    ).createApiToken;
    const narrow = await create(app.admin, 'Narrow', ['users:read', 'tokens:create', 'teams:read']);
    await app.admin.ok(UPDATE_USER, { i: { id: owner.userId, roleId: narrow.id } });
    // Capped (held by the token only) is replaced by Wide: the owner (Narrow) lacks teams:write, so the token goes.
    const bearer = app.client({ bearer: token.secret });
    expect(await outcome(bearer, `{ users { totalCount } }`)).toBe('OK');
    await app.admin.ok(DELETE, { id: capped.id, r: wide.id });
    expect(await app.sql(`SELECT 1 FROM api_tokens WHERE id = $1`, [token.token.id])).toEqual([]);
    expect(await bearer.code(`{ users { totalCount } }`)).toBe('UNAUTHENTICATED');
    const [revoked] = await app.sql<{ target_email: string; details: Record<string, unknown> }>(
      `SELECT target_email, details FROM audit_events WHERE action = 'api_token.revoked' ORDER BY id DESC LIMIT 1`,
    );
    expect(revoked).toEqual({
      target_email: 'capped-owner@example.com',
      details: expect.objectContaining({ tokenId: token.token.id, reason: 'role_deleted', role: 'Capped' }),
    });
  });

  it('follows the subset rule for random actors and random roles (property)', async () => {
    console.log(`custom-roles: subset property, seed ${SEED} (FC_SEED=${SEED} reproduces)`);
    const set = fc.subarray([...ALL_PERMISSIONS], { minLength: 1 });
    // Actors who may manage roles and invite, with a random share of the rest.
    const actorSets = fc
      .sample(set, { numRuns: 4, seed: SEED })
      .map((extra) => [...new Set(['users:read', 'users:invite', 'roles:read', 'roles:manage', ...extra])]);
    const targets = fc.sample(fc.tuple(set, set), { numRuns: 6, seed: SEED + 1 });
    let serial = 0;
    for (const [a, actorPermissions] of actorSets.entries()) {
      const actorRole = await create(app.admin, `Actor ${SEED} ${a}`, actorPermissions);
      const actor = await registerAs(`actor-${SEED}-${a}@example.com`, actorRole.id);
      for (const [first, second] of targets) {
        serial++;
        const expectCreate = canGrantRole(actorPermissions, first) ? 'OK' : 'ROLE_NOT_GRANTABLE';
        const tried = await actor.client.gql(CREATE, { i: { name: `P${SEED}-${serial}`, permissions: first } });
        expect(`${first.join(' ')}: ${tried.errors?.[0]?.extensions?.code ?? 'OK'}`).toBe(`${first.join(' ')}: ${expectCreate}`);
        // A role the Admin made with `first`: the actor may edit it to `second` only when both are within theirs.
        const made = await create(app.admin, `Q${SEED}-${serial}`, first);
        const expectUpdate = canGrantRole(actorPermissions, first) && canGrantRole(actorPermissions, second) ? 'OK' : 'ROLE_NOT_GRANTABLE';
        expect(await outcome(actor.client, UPDATE, { i: { id: made.id, permissions: second } })).toBe(expectUpdate);
        const now = (await app.admin.ok(ROLES)).roles.find((r: { id: string }) => r.id === made.id).permissions;
        expect([...now].sort()).toEqual([...(expectUpdate === 'OK' ? second : first)].sort());
        // Inviting into it, and deleting it (nobody holds it yet), follow its current set.
        const expectGrant = canGrantRole(actorPermissions, now) ? 'OK' : 'ROLE_NOT_GRANTABLE';
        const invited = `grant-${SEED}-${serial}@example.com`;
        expect(await outcome(actor.client, INVITE, { i: { email: invited, roleId: made.id, teamIds: [] } })).toBe(expectGrant);
        expect(await outcome(actor.client, DELETE, { id: made.id, r: actorRole.id })).toBe(expectGrant);
      }
    }
  });

  it('keeps someone able to manage roles and people: LAST_MANAGER, even under parallel requests', async () => {
    // Managers: a custom role with roles:manage and users:write (besides what they may grant).
    const managing = await create(app.admin, 'Chiefs', [...ALL_PERMISSIONS]);
    const chief = await registerAs('chief@example.com', managing.id);
    // Earlier cases' people who manage too (the role admin, actors of the property) are deactivated: two people manage.
    const others = await app.sql<{ user_id: string }>(
      `SELECT m.user_id FROM memberships m JOIN roles r ON r.id = m.role_id
        WHERE m.status = 'ACTIVE' AND r.permissions @> ARRAY['roles:manage', 'users:write'] AND m.user_id <> ALL($1::uuid[])`,
      [[app.adminId, chief.userId]],
    );
    for (const o of others) await app.admin.ok(`mutation($id: ID!) { deactivateUser(id: $id) { id } }`, { id: o.user_id });
    const managers = async () =>
      (
        await app.sql<{ n: string }>(
          `SELECT count(*) AS n FROM memberships m JOIN roles r ON r.id = m.role_id
            WHERE m.status = 'ACTIVE' AND r.permissions @> ARRAY['roles:manage', 'users:write']`,
        )
      )[0].n;
    expect(await managers()).toBe('2'); // the Admin and the chief

    // Each demotes the other at the same moment: one wins, the other is refused; someone still manages.
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all([
        app.admin.gql(UPDATE_USER, { i: { id: chief.userId, roleId: app.roles['VIEWER'] } }),
        chief.client.gql(UPDATE_USER, { i: { id: app.adminId, roleId: app.roles['VIEWER'] } }),
      ]);
      const codes = results.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK');
      expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
      expect(['LAST_MANAGER', 'FORBIDDEN']).toContain(codes.find((c) => c !== 'OK'));
      expect(await managers()).toBe('1');
      // Put things back: whoever is still in charge restores the other.
      const [adminRole] = await app.sql<{ role_id: string }>(`SELECT role_id FROM memberships WHERE user_id = $1`, [app.adminId]);
      if (adminRole.role_id === app.roles['ADMIN']) await app.admin.ok(UPDATE_USER, { i: { id: chief.userId, roleId: managing.id } });
      else await chief.client.ok(UPDATE_USER, { i: { id: app.adminId, roleId: app.roles['ADMIN'] } });
      expect(await managers()).toBe('2');
    }

    // A role edit and a demotion at once: removing roles:manage from Chiefs while the chief demotes the Admin.
    const results = await Promise.all([
      app.admin.gql(UPDATE, { i: { id: managing.id, permissions: ['users:read', 'users:write', 'roles:read'] } }),
      chief.client.gql(UPDATE_USER, { i: { id: app.adminId, roleId: app.roles['VIEWER'] } }),
    ]);
    const codes = results.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK');
    expect(codes).toContain('OK');
    expect(Number(await managers())).toBeGreaterThanOrEqual(1);
    if (codes[0] === 'OK') {
      // Chiefs lost roles:manage: the Admin is the last manager; the chief cannot be the one removing them.
      expect(codes[1]).not.toBe('OK');
    }
    const [adminRole] = await app.sql<{ role_id: string }>(`SELECT role_id FROM memberships WHERE user_id = $1`, [app.adminId]);
    if (adminRole.role_id !== app.roles['ADMIN']) {
      // The chief demoted the Admin first: the edit of Chiefs was refused, and the chief cannot shrink their own role now.
      expect(codes[0]).not.toBe('OK');
      expect(await chief.client.code(UPDATE, { i: { id: managing.id, permissions: ['users:read'] } })).toBe('LAST_MANAGER');
      expect(await chief.client.code(`mutation($id: ID!) { deactivateUser(id: $id) { id } }`, { id: chief.userId })).toBe(
        'SELF_DEACTIVATE',
      );
      expect(await chief.client.code(DELETE, { id: managing.id, r: app.roles['VIEWER'] })).toBe('LAST_MANAGER');
      await chief.client.ok(UPDATE_USER, { i: { id: app.adminId, roleId: app.roles['ADMIN'] } });
    }
    expect(Number(await managers())).toBeGreaterThanOrEqual(1);
  });

  it('applies a role change on another instance within a second', async () => {
    const role = await create(app.admin, 'Far readers', ['users:read', 'teams:read', 'roles:read']);
    const reader = await registerAs('far-reader@example.com', role.id);
    const other = await startServer(app.db.url);
    try {
      const there = new Client(other.url);
      for (const [k, v] of reader.client.cookies) there.cookies.set(k, v);
      expect(await outcome(there, `{ teams { id } }`)).toBe('OK');
      await app.admin.ok(UPDATE, { i: { id: role.id, permissions: ['users:read', 'roles:read'] } });
      const changedAt = Date.now();
      let code = 'OK';
      while (code === 'OK' && Date.now() - changedAt < 1_000) {
        code = await outcome(there, `{ teams { id } }`);
        if (code === 'OK') await new Promise((ok) => setTimeout(ok, 50));
      }
      expect(code).toBe('FORBIDDEN');
    } finally {
      await other.stop();
    }
  });

  it('keeps another organization’s roles invisible and unusable', async () => {
    const created = (
      await app.admin.ok(
        `mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id slug } invitation { url } } }`,
        { i: { name: 'Other Co', slug: 'other-co', firstAdminEmail: 'other-admin@example.com' } },
      )
    ).createOrganization;
    const bAdmin = app.client();
    await bAdmin.ok(ACCEPT, {
      i: {
        token: new URL(created.invitation.url).searchParams.get('token'),
        firstName: 'Other',
        lastName: 'Admin',
        password: STRONG_PASSWORD,
        passwordConfirmation: STRONG_PASSWORD,
      },
    });
    const bRole = await create(bAdmin, 'Support agents', ['users:read']); // the same name as A's: names are per organization
    expect(bRole.key).toBe('SUPPORT_AGENTS');
    const bRoles = (await bAdmin.ok(ROLES)).roles;
    expect(bRoles.map((r: { key: string }) => r.key)).toEqual(['ADMIN', 'MANAGER', 'MEMBER', 'VIEWER', 'SUPPORT_AGENTS']);
    expect(bRoles.map((r: { id: string }) => r.id)).not.toContain(app.roles['ADMIN']);

    const aRoles = (await app.admin.ok(ROLES)).roles;
    expect(aRoles.map((r: { id: string }) => r.id)).not.toContain(bRole.id);
    const aRole = await create(app.admin, 'A only', ['users:read']);
    const aViewer = await app.register('a-viewer@example.com', 'VIEWER');
    const before = await rolesFingerprint();
    expect(await app.admin.code(UPDATE, { i: { id: bRole.id, name: 'Taken over' } })).toBe('NOT_FOUND');
    expect(await app.admin.code(DELETE, { id: bRole.id })).toBe('NOT_FOUND');
    expect(await app.admin.code(DELETE, { id: aRole.id, r: bRole.id })).toBe('NOT_FOUND');
    expect(await app.admin.code(INVITE, { i: { email: 'cross@example.com', roleId: bRole.id, teamIds: [] } })).toBe('NOT_FOUND');
    expect(await app.admin.code(UPDATE_USER, { i: { id: aViewer.userId, roleId: bRole.id } })).toBe('NOT_FOUND');
    expect(await bAdmin.code(UPDATE, { i: { id: aRole.id, name: 'Mine now' } })).toBe('NOT_FOUND');
    expect(await rolesFingerprint()).toEqual(before);
  });

  // Last: once the organization has its own provider, its invitations go through it.
  it('moves the single sign-on default role to the replacement', async () => {
    const writers = await create(app.admin, 'Newcomers', ['users:read']);
    const readers = await create(app.admin, 'Settled', ['users:read', 'teams:read']);
    // People signing up through the organization's provider would get Newcomers.
    await app.admin.ok(`mutation($i: SetSsoConnectionInput!) { setSsoConnection(input: $i) { __typename } }`, {
      i: {
        issuer: 'https://idp.example/',
        clientId: 'client',
        clientSecret: 'client-secret',
        label: 'SSO',
        defaultRoleId: writers.id,
        requireSso: false,
      },
    });

    const refused = await app.admin.gql(DELETE, { id: writers.id });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'ROLE_IN_USE', holders: 0, tokens: 0, ssoDefault: true });
    await app.admin.ok(DELETE, { id: writers.id, r: readers.id });
    expect(await app.sql(`SELECT default_role_id FROM sso_connections`)).toEqual([{ default_role_id: readers.id }]);
  });
});
