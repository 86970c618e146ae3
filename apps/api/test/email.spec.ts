import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, SMTPServerOptions } from 'smtp-server';
import { startServer, TestServer } from '../../../tools/testing/server';
import { Client } from './support/client';
import { startApp, STRONG_PASSWORD, TestApp } from './support/app';

/** A self-signed certificate for 127.0.0.1, which the servers under test trust through NODE_EXTRA_CA_CERTS. */
function selfSignedCertificate(): { key: string; cert: string; certFile: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'roster-smtp-tls-'));
  const [keyFile, certFile] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  const made = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`openssl could not make a test certificate: ${made.error?.message ?? made.stderr}`);
  return {
    key: readFileSync(keyFile, 'utf8'),
    cert: readFileSync(certFile, 'utf8'),
    certFile,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** An SMTP server on loopback, on a free port. */
async function smtpServer(options: SMTPServerOptions): Promise<{ server: SMTPServer; port: number; stop: () => Promise<void> }> {
  const server = new SMTPServer({ logger: false, ...options });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    server,
    port: (server.server.address() as AddressInfo).port,
    stop: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

/**
 * Invitations and password-reset links by email, through a real SMTP server on loopback: the message
 * arrives in the person's language, as text and HTML, and its link works once. Delivery is outside
 * the request, retried, shared by two instances (each email sent once), and a failure is visible.
 * The server offers STARTTLS with a certificate the instances trust, and wants a password: Roster
 * signs in only once the connection is encrypted.
 */
describe('email delivery', () => {
  const mails: ParsedMail[] = [];
  const signIns: { user: string; secure: boolean }[] = [];
  let tls: ReturnType<typeof selfSignedCertificate>;
  let smtp: SMTPServer;
  let app: TestApp;
  let second: TestServer;

  beforeAll(async () => {
    tls = selfSignedCertificate();
    smtp = new SMTPServer({
      key: tls.key,
      cert: tls.cert,
      // Accepted in clear too, so that a client sending its password before STARTTLS would be seen.
      allowInsecureAuth: true,
      onAuth(auth, session, callback) {
        signIns.push({ user: auth.username ?? '', secure: session.secure });
        if (auth.username !== 'roster' || auth.password !== 'mail password') return callback(new Error('535 Invalid credentials'));
        callback(null, { user: auth.username });
      },
      logger: false,
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('bounce')) return callback(new Error('550 No such mailbox'));
        callback();
      },
      onData(stream, _session, callback) {
        simpleParser(stream).then(
          (mail) => {
            mails.push(mail);
            callback();
          },
          (e: Error) => callback(e),
        );
      },
    });
    await new Promise<void>((ok) => smtp.listen(0, '127.0.0.1', ok));
    const port = (smtp.server.address() as AddressInfo).port;
    const env = {
      SMTP_URL: `smtp://roster:mail%20password@127.0.0.1:${port}`,
      SMTP_FROM: 'Roster <roster@example.test>',
      SMTP_POLL_SECONDS: '1',
      SMTP_RETRY_MS: '200',
      ROSTER_SECRET_KEY: randomBytes(32).toString('base64'), // both instances open what either sealed
      NODE_EXTRA_CA_CERTS: tls.certFile,
    };
    app = await startApp('email', env);
    second = await startServer(app.db.url, env);
  });
  afterAll(async () => {
    await second?.stop();
    await app?.close();
    await new Promise<void>((ok) => smtp?.close(() => ok()));
    tls?.remove();
  });

  const INVITE = `mutation($i: CreateInvitationInput!) { createInvitation(input: $i) { url user { id } } }`;
  const to = (m: ParsedMail) => (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address;
  /** The emails to `address` (whose subject matches, if given), once at least `count` arrived. */
  async function mailFor(address: string, count = 1, subject?: RegExp): Promise<ParsedMail[]> {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const found = mails.filter((m) => to(m) === address && (!subject || subject.test(m.subject ?? '')));
      if (found.length >= count) return found;
      await new Promise((r) => setTimeout(r, 100));
    }
    const outbox = await app.sql(`SELECT recipient, status, attempts, last_error FROM email_outbox`);
    throw new Error(`no email for ${address}; outbox: ${JSON.stringify(outbox)}\n${app.server.output().slice(-2000)}`);
  }
  const linkIn = (m: ParsedMail) => /(http\S+token=[A-Za-z0-9_%-]+)/.exec(m.text ?? '')?.[1] as string;

  it('sends an invitation in the inviter’s language whose link registers once', async () => {
    const r = await app.admin.ok(INVITE, { i: { email: 'newcomer@example.com', roleId: app.roles['MEMBER'], teamIds: [] } });
    const [mail] = await mailFor('newcomer@example.com');
    expect(mail.subject).toBe('You are invited to Roster');
    expect(mail.from?.text).toContain('roster@example.test');
    expect(linkIn(mail)).toBe(r.createInvitation.url); // the same URL the admin saw
    // Signed in with the password of SMTP_URL, over STARTTLS only.
    expect(signIns.length).toBeGreaterThan(0);
    expect(signIns.every((s) => s.user === 'roster' && s.secure)).toBe(true);
    expect(mail.html).toContain(`href="${r.createInvitation.url.replace(/&/g, '&amp;')}"`);
    const token = new URL(linkIn(mail)).searchParams.get('token');
    const accept = `mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { user { id } } }`;
    const input = { token, firstName: 'New', lastName: 'Comer', password: STRONG_PASSWORD, passwordConfirmation: STRONG_PASSWORD };
    await app.client().ok(accept, { i: input });
    expect(await app.client().code(accept, { i: input })).toBe('INVITATION_INVALID');
    const outbox = await app.sql(`SELECT status, payload FROM email_outbox WHERE recipient = 'newcomer@example.com'`);
    expect(outbox).toEqual([{ status: 'SENT', payload: null }]); // the link is not kept once sent

    // A French-speaking admin invites: the email is in French.
    await app.admin.ok(`mutation { updateMyProfile(input: { language: FR }) { language } }`);
    await app.admin.ok(INVITE, { i: { email: 'nouveau@example.com', roleId: app.roles['VIEWER'], teamIds: [] } });
    const [fr] = await mailFor('nouveau@example.com');
    expect(fr.subject).toBe('Vous êtes invité sur Roster');
    expect(fr.text).toContain('Le lien ne sert qu’une fois');
    await app.admin.ok(`mutation { updateMyProfile(input: { language: EN }) { language } }`);
  });

  it('makes a failed delivery visible, after retries, without losing the invitation', async () => {
    const r = await app.admin.ok(INVITE, { i: { email: 'bounce@example.com', roleId: app.roles['VIEWER'], teamIds: [] } });
    const status = async () =>
      (await app.admin.ok(`query($id: ID!) { user(id: $id) { status invitationEmailStatus } }`, { id: r.createInvitation.user.id })).user;
    const deadline = Date.now() + 30_000;
    while ((await status()).invitationEmailStatus !== 'FAILED' && Date.now() < deadline) await new Promise((res) => setTimeout(res, 250));
    expect(await status()).toEqual({ status: 'INVITED', invitationEmailStatus: 'FAILED' });
    const [row] = await app.sql(`SELECT attempts, payload, last_error FROM email_outbox WHERE recipient = 'bounce@example.com'`);
    expect(row).toMatchObject({ attempts: 5, payload: null });
    expect(row.last_error).toMatch(/No such mailbox/);
    const audit = await app.sql(`SELECT details FROM audit_events WHERE action = 'email.failed' AND target_email = 'bounce@example.com'`);
    expect(audit).toHaveLength(1);
    // The URL the admin holds still works.
    const token = new URL(r.createInvitation.url).searchParams.get('token');
    expect((await app.client().ok(`query($t: String!) { invitation(token: $t) { email } }`, { t: token })).invitation.email).toBe(
      'bounce@example.com',
    );
  });

  it('sends each of many emails exactly once with two instances delivering', async () => {
    const emails = Array.from({ length: 20 }, (_, i) => `crowd${i}@example.com`);
    await Promise.all(emails.map((email) => app.admin.ok(INVITE, { i: { email, roleId: app.roles['VIEWER'], teamIds: [] } })));
    for (const email of emails) await mailFor(email);
    await new Promise((r) => setTimeout(r, 1500)); // any duplicate would have arrived by now
    for (const email of emails) expect([email, mails.filter((m) => to(m) === email).length]).toEqual([email, 1]);
  });

  it('"Forgot password?" answers the same for anyone, emails a working link to real people only, and limits per address', async () => {
    const cfg = await app.client().ok(`{ authConfig { passwordResetByEmail } }`);
    expect(cfg.authConfig.passwordResetByEmail).toBe(true);
    const { client } = await app.register('forgot@example.com', 'VIEWER');
    await client.ok(`mutation { updateMyProfile(input: { language: FR }) { language } }`);
    const REQUEST = `mutation($e: String!) { requestPasswordReset(email: $e) }`;
    const anon = new Client(app.server.url);
    expect((await anon.ok(REQUEST, { e: 'nobody@example.com' })).requestPasswordReset).toBe(true);
    expect((await anon.ok(REQUEST, { e: 'FORGOT@example.com' })).requestPasswordReset).toBe(true);
    const RESET_SUBJECT = /mot de passe/;
    const [mail] = await mailFor('forgot@example.com', 1, RESET_SUBJECT);
    expect(mail.subject).toBe('Réinitialisez votre mot de passe Roster');
    const token = new URL(linkIn(mail)).searchParams.get('token');
    const RESET = `mutation($i: ResetPasswordInput!) { resetPassword(input: $i) }`;
    const pw = 'lost and then recovered 2026';
    await anon.ok(RESET, { i: { token, password: pw, passwordConfirmation: pw } });
    expect(await anon.code(RESET, { i: { token, password: pw, passwordConfirmation: pw } })).toBe('PASSWORD_RESET_INVALID');
    expect((await client.gql(`{ me { user { id } } }`)).data?.me).toBeNull();
    await new Client(app.server.url).ok(
      `mutation { signIn(input: { email: "forgot@example.com", password: "${pw}" }) { me { user { id } } } }`,
    );

    // Per email: 3 reset emails per 15 minutes, then silence (the answer does not change).
    for (let i = 0; i < 4; i++) expect((await anon.ok(REQUEST, { e: 'forgot@example.com' })).requestPasswordReset).toBe(true);
    await mailFor('forgot@example.com', 3, RESET_SUBJECT);
    await new Promise((r) => setTimeout(r, 2500));
    expect(mails.filter((m) => to(m) === 'forgot@example.com' && RESET_SUBJECT.test(m.subject ?? ''))).toHaveLength(3);
    expect(mails.filter((m) => to(m) === 'nobody@example.com')).toHaveLength(0);
  });

  it('an anonymous "Forgot password?" leaves the link an admin made working; using either ends both', async () => {
    const { userId } = await app.register('handed@example.com', 'VIEWER');
    const PREVIEW = `query($t: String!) { passwordReset(token: $t) { email } }`;
    const tokenOf = (url: string) => new URL(url).searchParams.get('token') as string;
    const adminLink = (await app.admin.ok(`mutation($u: ID!) { createPasswordReset(userId: $u) { url } }`, { u: userId }))
      .createPasswordReset.url;
    const anon = new Client(app.server.url);
    await anon.ok(`mutation($e: String!) { requestPasswordReset(email: $e) }`, { e: 'handed@example.com' });
    const links = (await mailFor('handed@example.com', 2, /password/i)).map((m) => linkIn(m));
    const own = links.find((l) => l !== adminLink) as string;
    expect(links).toContain(adminLink);
    expect(own).toBeDefined();
    // Both work until one is used; then neither does.
    for (const link of [adminLink, own])
      expect((await anon.ok(PREVIEW, { t: tokenOf(link) })).passwordReset.email).toBe('handed@example.com');
    const pw = 'an admin link used once 2026';
    await anon.ok(`mutation($i: ResetPasswordInput!) { resetPassword(input: $i) }`, {
      i: { token: tokenOf(adminLink), password: pw, passwordConfirmation: pw },
    });
    expect(await anon.code(PREVIEW, { t: tokenOf(own) })).toBe('PASSWORD_RESET_INVALID');
    expect(await app.sql(`SELECT count(*)::int AS n FROM password_resets WHERE user_id = $1`, [userId])).toEqual([{ n: 0 }]);
  });
});

/**
 * smtp:// requires STARTTLS: a server that does not offer it gets neither the password nor a link (the
 * email fails, visibly); plain text is sent only when SMTP_URL says tls=none, which takes no password.
 */
describe('email to a server without TLS', () => {
  const told: { auth: number; senders: string[] } = { auth: 0, senders: [] };
  const mails: ParsedMail[] = [];
  let plain: Awaited<ReturnType<typeof smtpServer>>;
  const apps: TestApp[] = [];

  beforeAll(async () => {
    plain = await smtpServer({
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      allowInsecureAuth: true,
      onAuth(_auth, _session, callback) {
        told.auth++;
        callback(null, { user: 'anyone' });
      },
      onMailFrom(address, _session, callback) {
        told.senders.push(address.address);
        callback();
      },
      onData(stream, _session, callback) {
        simpleParser(stream).then(
          (mail) => {
            mails.push(mail);
            callback();
          },
          (e: Error) => callback(e),
        );
      },
    });
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await plain?.stop();
  });

  const INVITE = `mutation($i: CreateInvitationInput!) { createInvitation(input: $i) { url user { id } } }`;
  const common = { SMTP_FROM: 'Roster <roster@example.test>', SMTP_POLL_SECONDS: '1', SMTP_RETRY_MS: '100' };

  it('refuses to send over smtp:// when the server offers no STARTTLS: no password, no link, a failed email', async () => {
    const app = await startApp('email-no-tls', { ...common, SMTP_URL: `smtp://roster:mail%20password@127.0.0.1:${plain.port}` });
    apps.push(app);
    const r = await app.admin.ok(INVITE, { i: { email: 'nottls@example.com', roleId: app.roles['VIEWER'], teamIds: [] } });
    const status = async () =>
      (await app.admin.ok(`query($id: ID!) { user(id: $id) { invitationEmailStatus } }`, { id: r.createInvitation.user.id })).user
        .invitationEmailStatus;
    const deadline = Date.now() + 30_000;
    while ((await status()) !== 'FAILED' && Date.now() < deadline) await new Promise((res) => setTimeout(res, 250));
    expect(await status()).toBe('FAILED');
    const [row] = await app.sql(`SELECT attempts, last_error FROM email_outbox WHERE recipient = 'nottls@example.com'`);
    expect(row.attempts).toBe(5);
    expect(row.last_error).toMatch(/STARTTLS/);
    expect(told).toEqual({ auth: 0, senders: [] });
    expect(mails).toHaveLength(0);
  });

  it('sends in plain text when SMTP_URL says tls=none', async () => {
    const app = await startApp('email-plain', { ...common, SMTP_URL: `smtp://127.0.0.1:${plain.port}?tls=none` });
    apps.push(app);
    await app.admin.ok(INVITE, { i: { email: 'plain@example.com', roleId: app.roles['VIEWER'], teamIds: [] } });
    const deadline = Date.now() + 15_000;
    while (!mails.length && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
    expect(mails.map((m) => m.subject)).toEqual(['You are invited to Roster']);
    expect(told).toEqual({ auth: 0, senders: ['roster@example.test'] });
  });
});
