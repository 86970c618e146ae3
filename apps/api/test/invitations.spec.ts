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
