import type { Json } from './support/client';
import { ME_FIELDS, startApp, STRONG_PASSWORD, TestApp } from './support/app';

/** End to end over HTTP: invite → register → sign in → list/search → edit → password → delete. */
describe('the whole user journey', () => {
  let app: TestApp;
  beforeAll(async () => (app = await startApp('journey')));
  afterAll(() => app?.close());

  it('invites, registers, finds, edits, re-passwords and deletes a person', async () => {
    const { admin } = app;
    const team = (await admin.ok(`mutation { createTeam(input: { name: "Platform" }) { id name memberCount } }`)).createTeam;
    expect(team).toMatchObject({ name: 'Platform', memberCount: 0 });

    // Invite: the person shows as Invited with an expiry; the URL is a Registration URL.
    const inv = await app.invite('Grace.Hopper@Example.com', 'MEMBER', [team.id]);
    expect(inv.url).toMatch(new RegExp(`^${app.server.url}/register\\?token=`));
    const pending = await admin.ok(
      `{ users(search: "grace") { edges { node { email status invitationExpiresAt teams { name } role { key } } } } }`,
    );
    const invited = pending.users.edges[0].node;
    expect(invited).toMatchObject({
      email: 'grace.hopper@example.com',
      status: 'INVITED',
      teams: [{ name: 'Platform' }],
      role: { key: 'MEMBER' },
    });
    const days = (new Date(invited.invitationExpiresAt).getTime() - Date.now()) / 86400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    expect(await app.sql(`SELECT token_hash FROM invitations`)).toHaveLength(1);
    expect((await app.sql(`SELECT encode(token_hash, 'hex') AS h FROM invitations`))[0].h).not.toContain(inv.token);

    // The registration page can show the invited email, then the person registers and is signed in.
    const grace = app.client();
    expect((await grace.ok(`query($t: String!) { invitation(token: $t) { email } }`, { t: inv.token })).invitation.email).toBe(
      'grace.hopper@example.com',
    );
    const me = await grace.ok(`mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { ${ME_FIELDS} } }`, {
      i: { token: inv.token, firstName: 'Grace', lastName: 'Hopper', password: STRONG_PASSWORD, passwordConfirmation: STRONG_PASSWORD },
    });
    expect(me.acceptInvitation.user).toMatchObject({
      status: 'ACTIVE',
      role: { key: 'MEMBER' },
      teams: [{ name: 'Platform' }],
      permissionLevel: 'STANDARD',
    });
    expect((await grace.ok(`{ me { user { email } } }`)).me.user.email).toBe('grace.hopper@example.com');
    expect(grace.cookies.get('roster_session')).toBeTruthy();

    // A fresh sign-in with the password works (email compared case-insensitively).
    const laptop = app.client();
    await laptop.ok(
      `mutation { signIn(input: { email: "GRACE.hopper@example.com", password: "${STRONG_PASSWORD}" }) { me { user { id } } } }`,
    );

    // Admin lists and searches; the row carries role, teams, level and last connection.
    const list = await admin.ok(
      `{ users(first: 10, sortBy: LAST_NAME) { totalCount edges { node { lastName email lastSignInAt permissionLevel } } } }`,
    );
    expect(list.users.totalCount).toBe(2);
    expect(list.users.edges.map((e: Json) => e.node.lastName)).toEqual(['Admin', 'Hopper']);
    expect(list.users.edges[1].node.lastSignInAt).not.toBeNull();
    const found = await admin.ok(`{ users(search: "HOPP") { totalCount edges { node { id email } } } }`);
    expect(found.users.edges.map((e: Json) => e.node.email)).toEqual(['grace.hopper@example.com']);
    const graceId = found.users.edges[0].node.id;

    // Admin edits names, role and teams.
    const ops = (await admin.ok(`mutation { createTeam(input: { name: "Ops" }) { id } }`)).createTeam;
    const edited = await admin.ok(
      `mutation($i: UpdateUserInput!) { updateUser(input: $i) { firstName role { key } teams { name } permissionLevel } }`,
      { i: { id: graceId, firstName: 'Amazing Grace', roleId: app.roles['MANAGER'], teamIds: [team.id, ops.id] } },
    );
    expect(edited.updateUser).toEqual({
      firstName: 'Amazing Grace',
      role: { key: 'MANAGER' },
      teams: [{ name: 'Ops' }, { name: 'Platform' }],
      permissionLevel: 'MANAGE_USERS',
    });

    // She changes her password: wrong current, mismatch and weak are refused; then other sessions end.
    const change = `mutation($i: ChangePasswordInput!) { changeMyPassword(input: $i) }`;
    expect(
      await grace.code(change, {
        i: { currentPassword: 'nope nope nope', newPassword: 'a brand new passphrase', newPasswordConfirmation: 'a brand new passphrase' },
      }),
    ).toBe('WRONG_PASSWORD');
    expect(
      await grace.code(change, {
        i: { currentPassword: STRONG_PASSWORD, newPassword: 'a brand new passphrase', newPasswordConfirmation: 'another one entirely' },
      }),
    ).toBe('PASSWORD_MISMATCH');
    expect(
      await grace.code(change, { i: { currentPassword: STRONG_PASSWORD, newPassword: 'short', newPasswordConfirmation: 'short' } }),
    ).toBe('WEAK_PASSWORD');
    expect(
      (
        await grace.ok(change, {
          i: { currentPassword: STRONG_PASSWORD, newPassword: 'a brand new passphrase', newPasswordConfirmation: 'a brand new passphrase' },
        })
      ).changeMyPassword,
    ).toBe(1);
    expect(await laptop.code(`{ users { totalCount } }`)).toBe('UNAUTHENTICATED');
    expect((await grace.ok(`{ me { user { email } } }`)).me.user.email).toBe('grace.hopper@example.com');
    expect(
      await app
        .client()
        .code(`mutation { signIn(input: { email: "grace.hopper@example.com", password: "${STRONG_PASSWORD}" }) { me { user { id } } } }`),
    ).toBe('INVALID_CREDENTIALS');

    // Delete needs the confirmation word; then her session stops working at once.
    const del = `mutation($i: DeleteUserInput!) { deleteUser(input: $i) }`;
    expect(await admin.code(del, { i: { id: graceId, confirmation: 'delete' } })).toBe('CONFIRMATION_MISMATCH');
    expect((await admin.ok(del, { i: { id: graceId, confirmation: 'DELETE' } })).deleteUser).toBe(true);
    expect(await grace.code(`{ users { totalCount } }`)).toBe('UNAUTHENTICATED');
    expect((await grace.ok(`{ me { user { id } } }`)).me).toBeNull();
    expect(
      await app.sql(`SELECT 1 FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = 'grace.hopper@example.com'`),
    ).toHaveLength(0);

    // The audit log tells the story.
    const audit = await admin.ok(`{ auditEvents(first: 50) { events { action actorEmail targetEmail } } }`);
    const actions = audit.auditEvents.events.map((e: Json) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['invitation.created', 'invitation.accepted', 'user.role_changed', 'user.deleted', 'team.created']),
    );
    expect(audit.auditEvents.events.find((e: Json) => e.action === 'user.deleted')).toMatchObject({
      actorEmail: 'admin@example.com',
      targetEmail: 'grace.hopper@example.com',
    });
  });

  it('signs out: the cookie stops working', async () => {
    const c = app.client();
    await c.ok(`mutation { signIn(input: { email: "admin@example.com", password: "${STRONG_PASSWORD}" }) { me { user { id } } } }`);
    const token = c.cookies.get('roster_session');
    await c.ok(`mutation { signOut }`);
    const replay = app.client();
    replay.cookies.set('roster_session', token as string);
    expect((await replay.ok(`{ me { user { id } } }`)).me).toBeNull();
  });

  it('remembers language and theme', async () => {
    const r = await app.admin.ok(
      `mutation { updateMyProfile(input: { language: FR, theme: DARK, lastName: "Lovelace" }) { language theme user { lastName } } }`,
    );
    expect(r.updateMyProfile).toEqual({ language: 'FR', theme: 'DARK', user: { lastName: 'Lovelace' } });
    const again = app.client();
    const me = await again.ok(
      `mutation { signIn(input: { email: "admin@example.com", password: "${STRONG_PASSWORD}" }) { me { language theme } } }`,
    );
    expect(me.signIn.me).toEqual({ language: 'FR', theme: 'DARK' });
  });
});
