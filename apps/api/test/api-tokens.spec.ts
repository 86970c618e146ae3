import { Client } from './support/client';
import { loadSchema, minimalCall, operationFields } from './support/schema-cases';
import { startApp, TestApp } from './support/app';

const CREATE = `mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { secret token { id name prefix roleName roleKey expiresAt lastUsedAt ownerEmail } } }`;

/** Integrators: tokens shown once, hashed, capped to the owner, revocable, dying with the owner. */
describe('API tokens', () => {
  let app: TestApp;
  beforeAll(async () => (app = await startApp('tokens')));
  afterAll(() => app?.close());

  const bearer = (secret: string) => app.client({ bearer: secret });

  it('acts as its owner with Authorization: Bearer, needs no CSRF token, and records its last use', async () => {
    const r = (await app.admin.ok(CREATE, { i: { name: 'CI sync' } })).createApiToken;
    expect(r.secret).toMatch(/^rst_[A-Za-z0-9_-]{43}$/);
    expect(r.token).toMatchObject({
      name: 'CI sync',
      prefix: r.secret.slice(0, 12),
      roleName: null,
      roleKey: null,
      expiresAt: null,
      lastUsedAt: null,
      ownerEmail: 'admin@example.com',
    });
    const stored = await app.sql(`SELECT encode(token_hash, 'hex') AS h FROM api_tokens WHERE id = $1`, [r.token.id]);
    expect(stored[0].h).toHaveLength(64);
    expect(JSON.stringify(await app.sql(`SELECT * FROM api_tokens`))).not.toContain(r.secret);

    const integrator = bearer(r.secret);
    const page = await integrator.ok(`{ users(first: 5) { totalCount edges { node { email } } } }`);
    expect(page.users.totalCount).toBe(1);
    const invited = await integrator.ok(`mutation($i: CreateInvitationInput!) { createInvitation(input: $i) { url } }`, {
      i: { email: 'via-token@example.com', roleId: app.roles['VIEWER'], teamIds: [] },
    });
    expect(invited.createInvitation.url).toContain('/register?token=');
    const list = await app.admin.ok(`{ myApiTokens { id lastUsedAt } }`);
    expect(list.myApiTokens[0].lastUsedAt).not.toBeNull();
    expect(JSON.stringify(list)).not.toContain(r.secret);
    const csv = await integrator.fetch('/api/export/users?format=csv');
    expect(csv.status).toBe(200);
  });

  it('is capped to a smaller role, and never above its owner', async () => {
    const viewerToken = (await app.admin.ok(CREATE, { i: { name: 'read only', roleId: app.roles['VIEWER'] } })).createApiToken;
    expect(viewerToken.token.roleName).toBe('Viewer');
    expect(viewerToken.token.roleKey).toBe('VIEWER'); // the console names built-in roles by key, in its language
    const listed = await app.admin.ok(`{ myApiTokens { id roleKey } allApiTokens { tokens { id roleKey } } }`);
    expect(listed.myApiTokens.find((t: { id: string }) => t.id === viewerToken.token.id).roleKey).toBe('VIEWER');
    expect(listed.allApiTokens.tokens.find((t: { id: string }) => t.id === viewerToken.token.id).roleKey).toBe('VIEWER');
    const c = bearer(viewerToken.secret);
    await c.ok(`{ users { totalCount } }`);
    const me = (await c.ok(`{ me { permissions user { role { key } } } }`)).me;
    expect(me.user.role.key).toBe('ADMIN');
    expect([...me.permissions].sort()).toEqual(['roles:read', 'teams:read', 'users:read']);
    expect(await c.code(`mutation { createTeam(input: { name: "Nope" }) { id } }`)).toBe('FORBIDDEN');
    const member = await app.register('member@example.com', 'MEMBER');
    expect(await member.client.code(CREATE, { i: { name: 'escalate', roleId: app.roles['ADMIN'] } })).toBe('ROLE_NOT_GRANTABLE');
    const own = (await member.client.ok(CREATE, { i: { name: 'mine' } })).createApiToken;
    expect(await bearer(own.secret).code(`mutation { createTeam(input: { name: "Nope" }) { id } }`)).toBe('FORBIDDEN');
    // A token cannot mint tokens, change the password or sign out a session.
    expect(await bearer(own.secret).code(CREATE, { i: { name: 'child' } })).toBe('FORBIDDEN');
    expect(
      await bearer(own.secret).code(
        `mutation { changeMyPassword(input: { currentPassword: "x", newPassword: "y", newPasswordConfirmation: "y" }) }`,
      ),
    ).toBe('FORBIDDEN');
    // Viewers may not create tokens at all.
    const viewer = await app.register('viewer@example.com', 'VIEWER');
    expect(await viewer.client.code(CREATE, { i: { name: 'v' } })).toBe('FORBIDDEN');
  });

  it('stops working on the next request once revoked, expired, or its owner deleted', async () => {
    const t = (await app.admin.ok(CREATE, { i: { name: 'short-lived', expiresInDays: 1 } })).createApiToken;
    const c = bearer(t.secret);
    await c.ok(`{ users { totalCount } }`);
    expect((await app.admin.ok(`mutation($id: ID!) { revokeApiToken(id: $id) }`, { id: t.token.id })).revokeApiToken).toBe(true);
    expect(await c.code(`{ users { totalCount } }`)).toBe('UNAUTHENTICATED');

    const e = (await app.admin.ok(CREATE, { i: { name: 'expiring', expiresInDays: 1 } })).createApiToken;
    await app.sql(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [e.token.id]);
    expect(await bearer(e.secret).code(`{ users { totalCount } }`)).toBe('UNAUTHENTICATED');

    const owner = await app.register('owner@example.com', 'MANAGER');
    const o = (await owner.client.ok(CREATE, { i: { name: 'orphan' } })).createApiToken;
    await bearer(o.secret).ok(`{ users { totalCount } }`);
    await app.admin.ok(`mutation($i: DeleteUserInput!) { deleteUser(input: $i) }`, { i: { id: owner.userId, confirmation: 'DELETE' } });
    expect(await bearer(o.secret).code(`{ users { totalCount } }`)).toBe('UNAUTHENTICATED');
    expect(await app.client({ bearer: 'rst_' + 'x'.repeat(43) }).code(`{ users { totalCount } }`)).toBe('UNAUTHENTICATED');
  });

  it("lets admins list and revoke anyone's tokens, and nobody else", async () => {
    const m = await app.register('m2@example.com', 'MEMBER');
    const t = (await m.client.ok(CREATE, { i: { name: 'member token' } })).createApiToken;
    const all = await app.admin.ok(`query($u: ID) { apiTokens(userId: $u) { id ownerEmail } }`, { u: m.userId });
    expect(all.apiTokens).toEqual([{ id: t.token.id, ownerEmail: 'm2@example.com' }]);
    expect(await m.client.code(`{ apiTokens { id } }`)).toBe('FORBIDDEN');
    const other = await app.register('m3@example.com', 'MEMBER');
    expect(await other.client.code(`mutation($id: ID!) { revokeApiToken(id: $id) }`, { id: t.token.id })).toBe('NOT_FOUND');
    await app.admin.ok(`mutation($id: ID!) { revokeApiToken(id: $id) }`, { id: t.token.id });
    expect(await bearer(t.secret).code(`{ users { totalCount } }`)).toBe('UNAUTHENTICATED');
    const audit = await app.sql(`SELECT action FROM audit_events WHERE action LIKE 'api_token.%'`);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['api_token.created', 'api_token.revoked']));
  });

  it("keeps to the organization: another organization's tokens, even one's own, are neither listed nor revoked here", async () => {
    const FIRST = `(SELECT id FROM organizations ORDER BY created_at, id LIMIT 1)`;
    const [other] = await app.sql(`INSERT INTO organizations (name, slug) VALUES ('Elsewhere', 'elsewhere-tokens') RETURNING id`);
    await app.sql(
      `INSERT INTO roles (organization_id, key, name, permissions, rank) SELECT $1, key, name, permissions, rank FROM roles WHERE organization_id = ${FIRST}`,
      [other.id],
    );
    const [admin] = await app.sql(`SELECT id FROM users WHERE email = 'admin@example.com'`);
    await app.sql(
      `INSERT INTO memberships (organization_id, user_id, role_id, status) SELECT $1, $2, id, 'ACTIVE' FROM roles WHERE organization_id = $1 AND key = 'ADMIN'`,
      [other.id, admin.id],
    );
    const [token] = await app.sql(
      `INSERT INTO api_tokens (organization_id, user_id, name, prefix, token_hash)
       VALUES ($1, $2, 'elsewhere token', 'rst_elsewhere', decode(md5(random()::text), 'hex')) RETURNING id`,
      [other.id, admin.id],
    );
    try {
      const mine = await app.admin.ok(`{ myApiTokens { id } }`);
      expect(mine.myApiTokens.map((t: { id: string }) => t.id)).not.toContain(token.id);
      const all = await app.admin.ok(`query($u: ID) { apiTokens(userId: $u) { id } }`, { u: admin.id });
      expect(all.apiTokens.map((t: { id: string }) => t.id)).not.toContain(token.id);
      const page = await app.admin.ok(`{ allApiTokens(search: "elsewhere") { totalCount tokens { id } } }`);
      expect(page.allApiTokens).toEqual({ totalCount: 0, tokens: [] });
      expect(await app.admin.code(`mutation($id: ID!) { revokeApiToken(id: $id) }`, { id: token.id })).toBe('NOT_FOUND');
      expect(await app.sql(`SELECT 1 FROM api_tokens WHERE id = $1`, [token.id])).toHaveLength(1);
    } finally {
      await app.sql(`DELETE FROM memberships WHERE organization_id = $1`, [other.id]);
      await app.sql(`DELETE FROM organizations WHERE id = $1`, [other.id]);
    }
  });

  it('still demands the CSRF token from cookie sessions', async () => {
    const noCsrf = new Client(app.server.url, { csrf: false });
    for (const [k, v] of app.admin.cookies) noCsrf.cookies.set(k, v);
    expect(await noCsrf.code(`{ myApiTokens { id } }`)).toBe('CSRF_INVALID');
  });

  it('a read-only token changes nothing: every mutation of the schema is refused to it', async () => {
    const schema = loadSchema();
    const readOnly = bearer(
      (await app.admin.ok(CREATE, { i: { name: 'read only everything', roleId: app.roles['VIEWER'] } })).createApiToken.secret,
    );
    const victim = await app.register(`cap-victim@example.com`, 'VIEWER');
    const invited = await app.invite('cap-invited@example.com', 'VIEWER');
    const team = (await app.admin.ok(`mutation { createTeam(input: { name: "Cap team" }) { id } }`)).createTeam.id;
    const token = (await app.admin.ok(CREATE, { i: { name: 'cap victim token' } })).createApiToken.token.id;
    const ctx = { userId: victim.userId, invitedUserId: invited.userId, roleId: app.roles['VIEWER'], teamId: team, apiTokenId: token };
    // Anyone may call these, signed in or not (they are how one signs in).
    const open = new Set([
      'signIn',
      'signOut',
      'acceptInvitation',
      'setupFirstAdmin',
      'verifyTwoFactor',
      'requestPasswordReset',
      'resetPassword',
    ]);
    const mutations = operationFields(schema, []).filter((o) => o.kind === 'mutation' && !open.has(o.name));
    expect(mutations.length).toBeGreaterThan(15);
    const before = await app.sql(`SELECT count(*) AS n FROM audit_events`);
    const seen: Record<string, string | undefined> = {};
    for (const m of mutations) {
      const call = minimalCall(schema, m.name, ctx);
      seen[m.name] = await readOnly.code(call.query, call.variables);
    }
    expect(seen).toEqual(Object.fromEntries(mutations.map((m) => [m.name, 'FORBIDDEN'])));
    expect(await app.sql(`SELECT count(*) AS n FROM audit_events`)).toEqual(before);
    expect(await app.sql(`SELECT 1 FROM api_tokens WHERE id = $1`, [token])).toHaveLength(1);
  });
});
