import { Client } from './support/client';
import { startApp, STRONG_PASSWORD, TestApp } from './support/app';
import { authenticator } from './support/totp';

const SIGN_IN = `mutation($e: String!, $p: String!) { signIn(input: { email: $e, password: $p }) { twoFactorRequired challengeToken me { user { id } } } }`;
const VERIFY = `mutation($t: String!, $c: String!) { verifyTwoFactor(input: { challengeToken: $t, code: $c }) { user { email twoFactorEnabled } } }`;

describe('two-factor authentication', () => {
  let app: TestApp;
  let ada: Client;
  let adaId: string;
  let secret: string;
  let recoveryCodes: string[];

  beforeAll(async () => {
    app = await startApp('totp');
    const r = await app.register('ada@example.com', 'MEMBER');
    ada = r.client;
    adaId = r.userId;
  });
  afterAll(() => app?.close());

  const challenge = async () => {
    const c = app.client();
    const r = await c.ok(SIGN_IN, { e: 'ada@example.com', p: STRONG_PASSWORD });
    expect(r.signIn).toMatchObject({ twoFactorRequired: true, me: null });
    expect(c.cookies.get('roster_session')).toBeUndefined();
    return { c, token: r.signIn.challengeToken as string };
  };

  it('sets up with a QR code and secret, enabling only on a valid code', async () => {
    const setup = (await ada.ok(`mutation { startTwoFactorSetup { secret otpauthUri qrCodeDataUrl } }`)).startTwoFactorSetup;
    secret = setup.secret;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.otpauthUri).toBe(`otpauth://totp/Roster:ada@example.com?secret=${secret}&issuer=Roster`);
    expect(setup.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
    const sealed = await app.sql(`SELECT pending_secret, secret FROM totp_secrets WHERE user_id = $1`, [adaId]);
    expect(sealed[0].pending_secret).toMatch(/^v1:/);
    expect(sealed[0].pending_secret).not.toContain(secret);

    const complete = `mutation($c: String!) { completeTwoFactorSetup(input: { code: $c }) { recoveryCodes } }`;
    const wrong = String((Number(authenticator(secret)) + 1) % 1_000_000).padStart(6, '0');
    expect(await ada.code(complete, { c: wrong })).toBe('TWO_FACTOR_CODE_INVALID');
    expect(await ada.code(complete, { c: '12ab56' })).toBe('BAD_USER_INPUT');
    expect((await app.sql(`SELECT enabled_at FROM totp_secrets WHERE user_id = $1`, [adaId]))[0].enabled_at).toBeNull();

    recoveryCodes = (await ada.ok(complete, { c: authenticator(secret) })).completeTwoFactorSetup.recoveryCodes;
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[A-Z2-7]{5}-[A-Z2-7]{5}$/);
    const stored = JSON.stringify(await app.sql(`SELECT * FROM recovery_codes`));
    for (const code of recoveryCodes) expect(stored).not.toContain(code.replace('-', ''));
    expect(
      (await app.admin.ok(`{ users(search: "ada@") { edges { node { twoFactorEnabled } } } }`)).users.edges[0].node.twoFactorEnabled,
    ).toBe(true);
    expect(await ada.code(`mutation { startTwoFactorSetup { secret } }`)).toBe('TWO_FACTOR_ALREADY_ENABLED');
  });

  it('asks for a code after the password, and accepts each code once', async () => {
    const { c, token } = await challenge();
    // The set-up just used the current step: the same code is refused (no replay).
    expect(await c.code(VERIFY, { t: token, c: authenticator(secret) })).toBe('TWO_FACTOR_CODE_REUSED');
    // The next step's code (one step of drift) is accepted and signs in.
    const next = authenticator(secret, Date.now() / 1000 + 30);
    const me = await c.ok(VERIFY, { t: token, c: next });
    expect(me.verifyTwoFactor.user).toEqual({ email: 'ada@example.com', twoFactorEnabled: true });
    expect((await c.ok(`{ me { user { email } } }`)).me.user.email).toBe('ada@example.com');
    // The challenge is consumed; the same code on a new challenge is a replay.
    expect(await c.code(VERIFY, { t: token, c: next })).toBe('TWO_FACTOR_CHALLENGE_EXPIRED');
    const again = await challenge();
    expect(await again.c.code(VERIFY, { t: again.token, c: next })).toBe('TWO_FACTOR_CODE_REUSED');
  });

  it('accepts a recovery code once', async () => {
    const first = await challenge();
    await first.c.ok(VERIFY, { t: first.token, c: recoveryCodes[0].toLowerCase() });
    const second = await challenge();
    expect(await second.c.code(VERIFY, { t: second.token, c: recoveryCodes[0] })).toBe('TWO_FACTOR_CODE_INVALID');
    await second.c.ok(VERIFY, { t: second.token, c: recoveryCodes[1] });
  });

  it('expires challenges and limits attempts', async () => {
    const late = await challenge();
    await app.sql(`UPDATE mfa_challenges SET expires_at = now() - interval '1 second'`);
    expect(await late.c.code(VERIFY, { t: late.token, c: '000000' })).toBe('TWO_FACTOR_CHALLENGE_EXPIRED');
    const brute = await challenge();
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 6; i++) codes.push(await brute.c.code(VERIFY, { t: brute.token, c: String(100000 + i) }));
    expect(codes.slice(0, 5).every((c) => c === 'TWO_FACTOR_CODE_INVALID')).toBe(true);
    expect(codes[5]).toBe('TWO_FACTOR_CHALLENGE_EXPIRED');
    // Across challenges, the per-person limiter stops guessing too.
    await app.sql(`DELETE FROM rate_limits`);
  });

  it('lets an admin reset it for someone who lost their device, ending their sessions', async () => {
    const member = await app.register('member@example.com', 'MEMBER');
    expect(await member.client.code(`mutation($u: ID!) { resetUserTwoFactor(userId: $u) }`, { u: adaId })).toBe('FORBIDDEN');
    expect((await app.admin.ok(`mutation($u: ID!) { resetUserTwoFactor(userId: $u) }`, { u: adaId })).resetUserTwoFactor).toBe(true);
    expect(await ada.code(`{ users { totalCount } }`)).toBe('UNAUTHENTICATED');
    const c = app.client();
    const r = await c.ok(SIGN_IN, { e: 'ada@example.com', p: STRONG_PASSWORD });
    expect(r.signIn.twoFactorRequired).toBe(false);
    expect(r.signIn.me.user.id).toBe(adaId);
    const audit = await app.sql(`SELECT actor_email, target_email FROM audit_events WHERE action = 'user.2fa_reset'`);
    expect(audit).toEqual([{ actor_email: 'admin@example.com', target_email: 'ada@example.com' }]);
    ada = c;
  });

  it('can be disabled with the password and a current code', async () => {
    const s = (await ada.ok(`mutation { startTwoFactorSetup { secret } }`)).startTwoFactorSetup.secret;
    await ada.ok(`mutation($c: String!) { completeTwoFactorSetup(input: { code: $c }) { recoveryCodes } }`, { c: authenticator(s) });
    const disable = `mutation($p: String!, $c: String!) { disableTwoFactor(input: { password: $p, code: $c }) }`;
    expect(await ada.code(disable, { p: 'not my password!', c: authenticator(s, Date.now() / 1000 + 30) })).toBe('WRONG_PASSWORD');
    expect(await ada.code(disable, { p: STRONG_PASSWORD, c: authenticator(s) })).toBe('TWO_FACTOR_CODE_REUSED');
    expect((await ada.ok(disable, { p: STRONG_PASSWORD, c: authenticator(s, Date.now() / 1000 + 30) })).disableTwoFactor).toBe(true);
    expect((await app.client().ok(SIGN_IN, { e: 'ada@example.com', p: STRONG_PASSWORD })).signIn.twoFactorRequired).toBe(false);
    expect(await app.sql(`SELECT 1 FROM recovery_codes WHERE user_id = $1`, [adaId])).toEqual([]);
  });

  it('a password change ends sign-ins waiting for their code and other sessions, and keeps API tokens', async () => {
    const s = (await ada.ok(`mutation { startTwoFactorSetup { secret } }`)).startTwoFactorSetup.secret;
    await ada.ok(`mutation($c: String!) { completeTwoFactorSetup(input: { code: $c }) { recoveryCodes } }`, { c: authenticator(s) });
    const token = (await ada.ok(`mutation { createApiToken(input: { name: "ci" }) { secret } }`)).createApiToken.secret;
    // Someone who knows the old password is waiting for a code.
    const waiting = await challenge();
    const other = app.client();
    const second = await other.ok(SIGN_IN, { e: 'ada@example.com', p: STRONG_PASSWORD });
    await other.ok(VERIFY, { t: second.signIn.challengeToken, c: authenticator(s, Date.now() / 1000 + 30) });
    const next = 'a brand new passphrase 42';
    const sessions = await app.sql(`SELECT 1 FROM sessions WHERE user_id = $1`, [adaId]);
    const ended = await ada.ok(`mutation($i: ChangePasswordInput!) { changeMyPassword(input: $i) }`, {
      i: { currentPassword: STRONG_PASSWORD, newPassword: next, newPasswordConfirmation: next },
    });
    expect(ended.changeMyPassword).toBe(sessions.length - 1);
    expect(await app.sql(`SELECT 1 FROM sessions WHERE user_id = $1`, [adaId])).toHaveLength(1);
    expect(await waiting.c.code(VERIFY, { t: waiting.token, c: authenticator(s, Date.now() / 1000 + 30) })).toBe(
      'TWO_FACTOR_CHALLENGE_EXPIRED',
    );
    expect(await other.code(`{ me { user { id } } users { totalCount } }`)).toBe('UNAUTHENTICATED');
    expect((await ada.ok(`{ me { user { email } } }`)).me.user.email).toBe('ada@example.com');
    expect((await new Client(app.server.url, { bearer: token }).ok(`{ me { user { email } } }`)).me.user.email).toBe('ada@example.com');
    expect(await app.sql(`SELECT 1 FROM audit_events WHERE action = 'user.password_changed' AND target_id = $1`, [adaId])).toHaveLength(1);
  });
});
