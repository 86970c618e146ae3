import { Client } from './support/client';
import { startApp, STRONG_PASSWORD, TestApp } from './support/app';

/**
 * An admin's reset link: single use (even raced), expiring, hashed at rest, ends the person's
 * sessions; the new password works and the old one does not. Refused for whom it cannot apply.
 */
describe('password reset', () => {
  let app: TestApp;
  beforeAll(async () => (app = await startApp('password-reset')));
  afterAll(() => app?.close());

  const CREATE = `mutation($u: ID!) { createPasswordReset(userId: $u) { url expiresAt } }`;
  const PREVIEW = `query($t: String!) { passwordReset(token: $t) { email expiresAt } }`;
  const RESET = `mutation($i: ResetPasswordInput!) { resetPassword(input: $i) }`;
  const SIGN_IN = `mutation($e: String!, $p: String!) { signIn(input: { email: $e, password: $p }) { me { user { id } } } }`;
  const NEW_PASSWORD = 'a brand new passphrase 77';
  const tokenOf = (url: string) => new URL(url).searchParams.get('token') as string;

  it('sets a new password once, ends the sessions, and is audited', async () => {
    const { client, userId } = await app.register('forgetful@example.com', 'MEMBER');
    const link = (await app.admin.ok(CREATE, { u: userId })).createPasswordReset;
    expect(link.url).toMatch(/\/reset-password\?token=/);
    const token = tokenOf(link.url);
    const stored = await app.sql(`SELECT token_hash FROM password_resets WHERE user_id = $1`, [userId]);
    expect(stored[0].token_hash.toString('utf8')).not.toContain(token); // only a hash is kept
    expect((await app.client().ok(PREVIEW, { t: token })).passwordReset.email).toBe('forgetful@example.com');

    // Weak or mismatched passwords are refused and consume nothing.
    const anon = app.client();
    expect(await anon.code(RESET, { i: { token, password: 'short', passwordConfirmation: 'short' } })).toBe('WEAK_PASSWORD');
    expect(await anon.code(RESET, { i: { token, password: NEW_PASSWORD, passwordConfirmation: `${NEW_PASSWORD}x` } })).toBe(
      'PASSWORD_MISMATCH',
    );
    // Ten parallel uses of the link: exactly one sets the password.
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        app.client().gql(RESET, { i: { token, password: NEW_PASSWORD, passwordConfirmation: NEW_PASSWORD } }),
      ),
    );
    expect(results.filter((r) => r.data?.resetPassword === true)).toHaveLength(1);
    expect(new Set(results.filter((r) => r.errors).map((r) => r.errors?.[0]?.extensions?.code))).toEqual(
      new Set(['PASSWORD_RESET_INVALID']),
    );

    expect((await client.gql(`{ me { user { id } } }`)).data?.me).toBeNull(); // signed out everywhere
    expect(await app.client().code(SIGN_IN, { e: 'forgetful@example.com', p: STRONG_PASSWORD })).toBe('INVALID_CREDENTIALS');
    await new Client(app.server.url).ok(SIGN_IN, { e: 'forgetful@example.com', p: NEW_PASSWORD });
    expect(await app.client().code(PREVIEW, { t: token })).toBe('PASSWORD_RESET_INVALID');
    const actions = (await app.sql(`SELECT action FROM audit_events WHERE target_id = $1`, [userId])).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user.password_reset_created', 'user.password_reset']));
  });

  it('replaces an earlier link, and refuses an expired one', async () => {
    const { userId } = await app.register('twice@example.com', 'VIEWER');
    const first = tokenOf((await app.admin.ok(CREATE, { u: userId })).createPasswordReset.url);
    const second = tokenOf((await app.admin.ok(CREATE, { u: userId })).createPasswordReset.url);
    expect(await app.client().code(PREVIEW, { t: first })).toBe('PASSWORD_RESET_INVALID');
    await app.sql(`UPDATE password_resets SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [userId]);
    expect(await app.client().code(PREVIEW, { t: second })).toBe('PASSWORD_RESET_EXPIRED');
    expect(await app.client().code(RESET, { i: { token: second, password: NEW_PASSWORD, passwordConfirmation: NEW_PASSWORD } })).toBe(
      'PASSWORD_RESET_EXPIRED',
    );
  });

  it('dies when the person changes their password or is deactivated', async () => {
    const { client, userId } = await app.register('changer@example.com', 'VIEWER');
    const first = tokenOf((await app.admin.ok(CREATE, { u: userId })).createPasswordReset.url);
    await client.ok(`mutation($i: ChangePasswordInput!) { changeMyPassword(input: $i) }`, {
      i: { currentPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD, newPasswordConfirmation: NEW_PASSWORD },
    });
    expect(await app.client().code(PREVIEW, { t: first })).toBe('PASSWORD_RESET_INVALID');
    const second = tokenOf((await app.admin.ok(CREATE, { u: userId })).createPasswordReset.url);
    await app.admin.ok(`mutation($id: ID!) { deactivateUser(id: $id) { id } }`, { id: userId });
    await app.admin.ok(`mutation($id: ID!) { reactivateUser(id: $id) { id } }`, { id: userId });
    expect(await app.client().code(PREVIEW, { t: second })).toBe('PASSWORD_RESET_INVALID');
  });

  it("is not for oneself, nor for API tokens (a token must not become its owner's password)", async () => {
    expect(await app.admin.code(CREATE, { u: app.adminId })).toBe('SELF_PASSWORD_RESET');
    const token = (await app.admin.ok(`mutation { createApiToken(input: { name: "ops" }) { secret } }`)).createApiToken.secret;
    const bearer = app.client({ bearer: token });
    const { userId } = await app.register('target@example.com', 'VIEWER');
    expect(await bearer.code(CREATE, { u: app.adminId })).toBe('FORBIDDEN');
    expect(await bearer.code(CREATE, { u: userId })).toBe('FORBIDDEN');
    expect(await app.sql(`SELECT count(*)::int AS n FROM password_resets WHERE user_id = ANY($1)`, [[app.adminId, userId]])).toEqual([
      { n: 0 },
    ]);
  });

  it('is not for invited, deactivated or SSO-only people, nor for someone above the admin', async () => {
    const invited = await app.invite('invited@example.com', 'VIEWER');
    expect(await app.admin.code(CREATE, { u: invited.userId })).toBe('USER_STATUS_CONFLICT');
    const leaver = await app.register('leaver@example.com', 'VIEWER');
    await app.admin.ok(`mutation($id: ID!) { deactivateUser(id: $id) { id } }`, { id: leaver.userId });
    expect(await app.admin.code(CREATE, { u: leaver.userId })).toBe('USER_STATUS_CONFLICT');
    const sso = await app.register('sso-only@example.com', 'VIEWER');
    await app.sql(`UPDATE users SET password_hash = NULL, sso_subject = 'https://idp|42' WHERE id = $1`, [sso.userId]);
    expect(await app.admin.code(CREATE, { u: sso.userId })).toBe('SSO_ONLY_ACCOUNT');
    expect(await app.admin.code(CREATE, { u: '8f0e9d6c-0000-4000-8000-000000000000' })).toBe('NOT_FOUND');
    expect(await app.client().code(PREVIEW, { t: 'x'.repeat(43) })).toBe('PASSWORD_RESET_INVALID');
    expect(
      await app.sql(`SELECT count(*)::int AS n FROM password_resets WHERE user_id = ANY($1)`, [
        [invited.userId, leaver.userId, sso.userId],
      ]),
    ).toEqual([{ n: 0 }]);
  });
});
