import type { Json } from './support/client';
import { startApp, STRONG_PASSWORD, TestApp } from './support/app';

const ACCEPT = `mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { user { id } } }`;
const accept = (token: string, first = 'New') => ({
  i: { token, firstName: first, lastName: 'Person', password: STRONG_PASSWORD, passwordConfirmation: STRONG_PASSWORD },
});

describe('invitation tokens', () => {
  let app: TestApp;
  beforeAll(async () => (app = await startApp('invitations')));
  afterAll(() => app?.close());

  it('are single-use', async () => {
    const inv = await app.invite('once@example.com', 'VIEWER');
    await app.client().ok(ACCEPT, accept(inv.token));
    expect(await app.client().code(ACCEPT, accept(inv.token, 'Again'))).toBe('INVITATION_INVALID');
    expect((await app.sql(`SELECT first_name FROM users WHERE email = 'once@example.com'`))[0].first_name).toBe('New');
  });

  it('expire', async () => {
    const inv = await app.invite('late@example.com', 'VIEWER');
    await app.sql(`UPDATE invitations SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [inv.userId]);
    expect(await app.client().code(`query($t: String!) { invitation(token: $t) { email } }`, { t: inv.token })).toBe('INVITATION_EXPIRED');
    expect(await app.client().code(ACCEPT, accept(inv.token))).toBe('INVITATION_EXPIRED');
    expect((await app.sql(`SELECT status FROM users WHERE id = $1`, [inv.userId]))[0].status).toBe('INVITED');
    // An expired invitation can be sent again; the person is then invited anew.
    const again = await app.invite('late@example.com', 'MEMBER');
    expect(again.userId).toBe(inv.userId);
    await app.client().ok(ACCEPT, accept(again.token));
  });

  it('can be revoked, and then nothing remains', async () => {
    const inv = await app.invite('revoked@example.com', 'VIEWER');
    expect((await app.admin.ok(`mutation($u: ID!) { revokeInvitation(userId: $u) }`, { u: inv.userId })).revokeInvitation).toBe(true);
    expect(await app.client().code(ACCEPT, accept(inv.token))).toBe('INVITATION_INVALID');
    expect(await app.sql(`SELECT 1 FROM users WHERE email = 'revoked@example.com'`)).toHaveLength(0);
  });

  it('can be regenerated: the old URL stops working, the new one works', async () => {
    const inv = await app.invite('regen@example.com', 'VIEWER');
    const r = await app.admin.ok(`mutation($u: ID!) { regenerateInvitation(userId: $u) { url expiresAt } }`, { u: inv.userId });
    const token = new URL(r.regenerateInvitation.url).searchParams.get('token') as string;
    expect(token).not.toBe(inv.token);
    expect(await app.client().code(ACCEPT, accept(inv.token))).toBe('INVITATION_INVALID');
    await app.client().ok(ACCEPT, accept(token));
  });

  it('refuse an email that is a user or already invited', async () => {
    const create = `mutation($i: CreateInvitationInput!) { createInvitation(input: $i) { url } }`;
    expect(await app.admin.code(create, { i: { email: 'ADMIN@example.com', roleId: app.roles['VIEWER'], teamIds: [] } })).toBe(
      'EMAIL_TAKEN',
    );
    await app.invite('twice@example.com', 'VIEWER');
    expect(await app.admin.code(create, { i: { email: 'Twice@Example.com', roleId: app.roles['VIEWER'], teamIds: [] } })).toBe(
      'INVITATION_PENDING',
    );
    expect(await app.admin.code(create, { i: { email: 'not-an-email', roleId: app.roles['VIEWER'], teamIds: [] } })).toBe('BAD_USER_INPUT');
    const before = await app.sql(`SELECT count(*)::int AS n FROM users`);
    expect(
      await app.admin.code(create, {
        i: { email: 'ghost@example.com', roleId: app.roles['VIEWER'], teamIds: ['8f0e9d6c-0000-4000-8000-000000000000'] },
      }),
    ).toBe('NOT_FOUND');
    expect(await app.sql(`SELECT count(*)::int AS n FROM users`)).toEqual(before);
  });

  it('refuse control characters in an email, even in a quoted local part, in one invitation or many', async () => {
    const create = `mutation($i: CreateInvitationInput!) { createInvitation(input: $i) { url } }`;
    const bulk = `mutation($i: CreateInvitationsInput!) { createInvitations(input: $i) { url } }`;
    const before = await app.sql(`SELECT count(*)::int AS n FROM users`);
    for (const c of ['\r', '\n', '\t', '\u0007', '\u001b', '\u007f', '\u0085', '\u2028', '\u2029']) {
      const email = `"a${c}b"@example.com`;
      const i = { email, roleId: app.roles['VIEWER'], teamIds: [] };
      expect([JSON.stringify(c), await app.admin.code(create, { i })]).toEqual([JSON.stringify(c), 'BAD_USER_INPUT']);
      expect(await app.admin.code(bulk, { i: { invitations: [i] } })).toBe('BAD_USER_INPUT');
    }
    expect(await app.sql(`SELECT count(*)::int AS n FROM users`)).toEqual(before);
    // The quoted local part itself stays valid.
    await app.admin.ok(create, { i: { email: '"a b"@example.com', roleId: app.roles['VIEWER'], teamIds: [] } });
  });

  it('list pending invitations for admins', async () => {
    const r = await app.admin.ok(`{ pendingInvitations { email status invitationExpiresAt } }`);
    expect(r.pendingInvitations.map((u: Json) => u.email)).toContain('twice@example.com');
    expect(r.pendingInvitations.every((u: Json) => u.status === 'INVITED' && u.invitationExpiresAt)).toBe(true);
  });

  it('refuse a weak password at registration, and keep the invitation usable', async () => {
    const inv = await app.invite('weak@example.com', 'VIEWER');
    const weak = { i: { token: inv.token, firstName: 'W', lastName: 'P', password: 'password123', passwordConfirmation: 'password123' } };
    expect(await app.client().code(ACCEPT, weak)).toBe('WEAK_PASSWORD');
    await app.client().ok(ACCEPT, accept(inv.token));
  });

  it('invite someone of another organization like anyone new, and revoking leaves their account alone', async () => {
    const FIRST = `(SELECT id FROM organizations ORDER BY created_at, id LIMIT 1)`;
    const [other] = await app.sql(`INSERT INTO organizations (name, slug) VALUES ('Elsewhere', 'elsewhere-invitations') RETURNING id`);
    await app.sql(
      `INSERT INTO roles (organization_id, key, name, permissions, rank) SELECT $1, key, name, permissions, rank FROM roles WHERE organization_id = ${FIRST}`,
      [other.id],
    );
    const [person] = await app.sql(
      `INSERT INTO users (email, first_name, status, last_organization_id) VALUES ('elsewhere@example.com', 'Else', 'ACTIVE', $1) RETURNING id`,
      [other.id],
    );
    await app.sql(
      `INSERT INTO memberships (organization_id, user_id, role_id, status) SELECT $1, $2, id, 'ACTIVE' FROM roles WHERE organization_id = $1 AND key = 'VIEWER'`,
      [other.id, person.id],
    );
    const memberships = () =>
      app.sql(
        `SELECT m.status, o.slug FROM memberships m JOIN organizations o ON o.id = m.organization_id WHERE m.user_id = $1 ORDER BY m.status`,
        [person.id],
      );
    try {
      // Nothing tells this organization's admin that the email has an account elsewhere.
      const used = await app.admin.ok(`query($e: [String!]!) { emailsInUse(emails: $e) { email } }`, { e: ['elsewhere@example.com'] });
      expect(used.emailsInUse).toEqual([]);
      const create = `mutation($i: CreateInvitationInput!) { createInvitation(input: $i) { url urlKind user { id email firstName lastName twoFactorEnabled status role { key } teams { name } } } }`;
      const fresh = (await app.admin.ok(create, { i: { email: 'brand-new@example.com', roleId: app.roles['MEMBER'], teamIds: [] } }))
        .createInvitation;
      const r = (await app.admin.ok(create, { i: { email: 'elsewhere@example.com', roleId: app.roles['MEMBER'], teamIds: [] } }))
        .createInvitation;
      expect(Object.keys(r)).toEqual(Object.keys(fresh));
      // Nothing of the account elsewhere shows (its names), exactly as for someone new.
      expect(r.user).toEqual({ ...fresh.user, id: person.id, email: 'elsewhere@example.com' });
      expect(await memberships()).toEqual([
        { status: 'ACTIVE', slug: 'elsewhere-invitations' },
        { status: 'INVITED', slug: expect.any(String) },
      ]);
      const pending = await app.admin.ok(`{ pendingInvitations { email firstName } }`);
      expect(pending.pendingInvitations).toContainEqual({ email: 'elsewhere@example.com', firstName: '' });
      // Registering anew with it would take over the account: refused, the account untouched.
      const token = new URL(r.url).searchParams.get('token') as string;
      expect(await app.client().code(ACCEPT, accept(token))).toBe('INVITATION_INVALID');
      expect(await app.sql(`SELECT first_name, password_hash FROM users WHERE id = $1`, [person.id])).toEqual([
        { first_name: 'Else', password_hash: null },
      ]);
      // Revoked: the membership here goes, the person (registered, a member elsewhere) stays.
      expect((await app.admin.ok(`mutation($u: ID!) { revokeInvitation(userId: $u) }`, { u: person.id })).revokeInvitation).toBe(true);
      expect(await memberships()).toEqual([{ status: 'ACTIVE', slug: 'elsewhere-invitations' }]);
      expect(await app.sql(`SELECT 1 FROM invitations WHERE user_id = $1`, [person.id])).toHaveLength(0);
      // Someone never registered, invited here and elsewhere: revoking here keeps them for the other invitation.
      const both = await app.invite('two-places@example.com', 'VIEWER');
      await app.sql(
        `INSERT INTO memberships (organization_id, user_id, role_id, status) SELECT $1, $2, id, 'INVITED' FROM roles WHERE organization_id = $1 AND key = 'VIEWER'`,
        [other.id, both.userId],
      );
      await app.admin.ok(`mutation($u: ID!) { revokeInvitation(userId: $u) }`, { u: both.userId });
      expect(await app.sql(`SELECT status FROM users WHERE id = $1`, [both.userId])).toEqual([{ status: 'INVITED' }]);
      expect(await app.client().code(ACCEPT, accept(both.token))).toBe('INVITATION_INVALID');
      // Another organization's invited person is not found here.
      expect(await app.admin.code(`mutation($u: ID!) { revokeInvitation(userId: $u) }`, { u: both.userId })).toBe('NOT_FOUND');
    } finally {
      await app.sql(`DELETE FROM memberships WHERE organization_id = $1`, [other.id]);
      await app.sql(`DELETE FROM organizations WHERE id = $1`, [other.id]);
      await app.sql(`DELETE FROM users WHERE email IN ('elsewhere@example.com', 'two-places@example.com')`);
    }
  });

  it('the set-up URL works once', async () => {
    const token = new URL(app.server.setupUrl as string).searchParams.get('token');
    const r = await app.client().code(`mutation($i: SetupFirstAdminInput!) { setupFirstAdmin(input: $i) { user { id } } }`, {
      i: {
        token,
        email: 'second@example.com',
        firstName: 'S',
        lastName: 'A',
        password: STRONG_PASSWORD,
        passwordConfirmation: STRONG_PASSWORD,
      },
    });
    expect(r).toBe('SETUP_UNAVAILABLE');
  });
});
