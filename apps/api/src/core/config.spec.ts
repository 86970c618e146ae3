import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import proxyaddr from 'proxy-addr';
import { CONFIG_VARIABLES, ConfigError, loadConfig, trustProxy } from './config';

/** The problems loadConfig names, one line each (none: it started). */
const fails = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
};
/** What a development machine may set: no database or key required. */
const DEV = { NODE_ENV: 'development' };

describe('TRUST_PROXY', () => {
  it('trusts nobody by default', () => {
    for (const v of [undefined, '', 'false', '0', 'off']) expect(trustProxy(v)).toBe(false);
  });

  it('reads a hop count, and "true" as one proxy (never every hop)', () => {
    expect(trustProxy('2')).toBe(2);
    expect(trustProxy('true')).toBe(1);
  });

  it('reads a list of proxy addresses and subnets, and refuses anything else', () => {
    expect(trustProxy('10.0.0.0/8, loopback,fd00::/8')).toEqual(['10.0.0.0/8', 'loopback', 'fd00::/8']);
    expect(trustProxy('10.0.0.0/255.0.0.0,::ffff:10.0.0.1')).toEqual(['10.0.0.0/255.0.0.0', '::ffff:10.0.0.1']);
    expect(() => trustProxy('everyone')).toThrow(/TRUST_PROXY/);
  });

  it('refuses, in one line, what would stop the server later (proxy-addr), and numbers that read as other addresses', () => {
    const refusal = (v: string) => fails({ ...DEV, TRUST_PROXY: v });
    expect(refusal('1.2.3')).toEqual([
      'TRUST_PROXY must be false, a hop count or a list of proxy addresses/subnets; "1.2.3" is not an IP address (e.g. 10.0.0.1, fd00::1)',
    ]);
    expect(refusal('10.0.0.1/33')[0]).toMatch(/"10\.0\.0\.1\/33" has an invalid prefix length or netmask/);
    expect(refusal('10.0.0.0/8,::1/129')[0]).toMatch(/"::1\/129" has an invalid prefix length/);
    expect(refusal('10.0.0.1/')[0]).toMatch(/invalid prefix length/);
    expect(refusal('[::1]')[0]).toMatch(/"\[::1\]" is none of these/);
    // proxy-addr would trust 8.0.0.1, 0.0.0.1 and 0.0.0.2 for these.
    expect(refusal('010.0.0.1')[0]).toMatch(/"010\.0\.0\.1" is not an IP address/);
    expect(refusal('1,2')[0]).toMatch(/"1" is not an IP address/);
    expect(refusal('256.1.1.1')[0]).toMatch(/is not an IP address/);
  });

  it('accepts only lists that compile as Express and the direct GraphQL path compile them (generated)', () => {
    const piece = fc.oneof(
      fc.constantFrom(
        'loopback',
        'linklocal',
        'uniquelocal',
        '10.0.0.0/8',
        '::1',
        'fd00::/8',
        '1.2.3',
        '/',
        '%',
        ':::',
        '0x7f.1',
        'fe80::1%eth0',
      ),
      fc.ipV4(),
      fc.ipV6(),
      fc.ipV4Extended(),
      fc.tuple(fc.ipV4(), fc.integer({ min: -2, max: 40 })).map(([a, n]) => `${a}/${n}`),
      fc.tuple(fc.ipV6(), fc.integer({ min: -2, max: 140 })).map(([a, n]) => `${a}/${n}`),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 4 }), (pieces) => {
        let trusted: ReturnType<typeof trustProxy> | null = null;
        try {
          trusted = trustProxy(pieces.join(','));
        } catch (e) {
          expect((e as Error).message).toMatch(/^TRUST_PROXY must be false, a hop count or a list of proxy addresses\/subnets; "[^\n]*" /);
        }
        if (Array.isArray(trusted)) expect(() => proxyaddr.compile(trusted as string[])).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });
});

describe('loadConfig', () => {
  it('starts with nothing set: every default applies', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, publicUrl: 'http://localhost:3000', databaseUrl: null, cookieSecure: false, workers: 1 });
    expect(c.metrics).toEqual({ token: null, port: null, host: '127.0.0.1' });
  });

  it('names the variable of each mistake, in one line, and says what it expected', () => {
    expect(fails({ COOKIE_SECURE: 'ture' })).toEqual(['COOKIE_SECURE must be true or false, got "ture"']);
    expect(fails({ DATABASE_URL: 'localhost:5432/roster' })).toEqual([
      'DATABASE_URL must be a postgres or postgresql URL such as postgres://user:password@db:5432/roster, got "localhost:5432/roster"',
    ]);
    expect(fails({ PORT: '80a' })[0]).toMatch(/^PORT must be a whole number/);
    // A password in a malformed URL is not repeated.
    expect(fails({ DATABASE_URL: 'mysql://roster:hunter2@db/roster' })[0]).toMatch(/got "mysql:\/\/roster:\*\*\*@db\/roster"$/);
    expect(fails({ OIDC_ISSUER: 'https://idp.example.com' })).toEqual([
      'OIDC_CLIENT_ID is required with OIDC_ISSUER',
      'OIDC_CLIENT_SECRET is required with OIDC_ISSUER',
    ]);
    expect(fails({ SMTP_URL: 'smtp://relay:25' })[0]).toMatch(/^SMTP_FROM is required with SMTP_URL/);
    expect(fails({ ROSTER_SECRET_KEY: 'short' })[0]).toMatch(/^ROSTER_SECRET_KEY must be 32 bytes/);
    expect(fails({ LOG_LEVEL: 'verbose' })[0]).toMatch(/^LOG_LEVEL must be one of fatal, error/);
    expect(fails({ TRUST_PROXY: 'everyone' })[0]).toMatch(/^TRUST_PROXY must be false, a hop count/);
    expect(fails({ METRICS_TOKEN: 'abc' })).toEqual(['METRICS_TOKEN must be at least 16 characters']);
    expect(fails({ METRICS_PORT: '3000' })).toEqual(['METRICS_PORT must differ from PORT']);
    // Several mistakes: all of them, each on its own line.
    expect(fails({ COOKIE_SECURE: 'ture', PORT: 'x' })).toHaveLength(2);
  });

  it('accepts the usual spellings of booleans and treats empty as unset', () => {
    expect(loadConfig({ COOKIE_SECURE: 'YES' }).cookieSecure).toBe(true);
    expect(loadConfig({ COOKIE_SECURE: 'off', PUBLIC_URL: 'https://r.example.com' }).cookieSecure).toBe(false);
    expect(loadConfig({ COOKIE_SECURE: '', PUBLIC_URL: 'https://r.example.com' }).cookieSecure).toBe(true);
  });

  it('never fails other than with a ConfigError naming a variable, whatever the values (generated)', () => {
    const names = [
      'PORT',
      'COOKIE_SECURE',
      'DATABASE_URL',
      'PUBLIC_URL',
      'SMTP_URL',
      'LOG_LEVEL',
      'TRUST_PROXY',
      'WEB_CONCURRENCY',
      'ROSTER_SECRET_KEY',
    ];
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...names), fc.string({ maxLength: 80 })), (env) => {
        for (const problem of fails(env))
          expect(names.some((n) => problem.startsWith(`${n} `) || problem.startsWith('SMTP_FROM '))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('SMTP_URL', () => {
  const smtp = (url: string) => loadConfig({ ...DEV, SMTP_URL: url, SMTP_FROM: 'roster@example.com' }).smtp;
  const refusal = (url: string) => fails({ ...DEV, SMTP_URL: url, SMTP_FROM: 'roster@example.com' });

  it('requires TLS: from the start with smtps://, by STARTTLS with smtp://', () => {
    expect(smtp('smtps://u:p@mail.example.com')).toMatchObject({
      host: 'mail.example.com',
      port: undefined,
      tls: 'implicit',
      auth: { user: 'u', pass: 'p' },
    });
    expect(smtp('smtp://u:p@relay:587')).toMatchObject({ host: 'relay', port: 587, tls: 'starttls', auth: { user: 'u', pass: 'p' } });
    expect(smtp('smtp://relay:25?tls=starttls')).toMatchObject({ tls: 'starttls', auth: null });
    expect(smtp('smtp://[::1]:25')).toMatchObject({ host: '::1', port: 25 });
  });

  it('sends in plain text only when the URL says tls=none, and never a password that way', () => {
    expect(smtp('smtp://relay.internal:25?tls=none')).toMatchObject({ host: 'relay.internal', port: 25, tls: 'none', auth: null });
    expect(refusal('smtp://u:p@relay:25?tls=none')).toEqual([
      'SMTP_URL has a user name or password, which tls=none would send in clear: drop tls=none (STARTTLS) or use smtps://',
    ]);
    expect(refusal('smtp://u@relay:25?tls=NONE')[0]).toMatch(/which tls=none would send in clear/);
    expect(refusal('smtps://relay?tls=none')).toEqual(['SMTP_URL is smtps:// (TLS from the first byte), which tls=none contradicts']);
    expect(refusal('smtp://relay?tls=off')[0]).toMatch(/^SMTP_URL has tls=off: leave it out/);
    expect(refusal('smtp://relay?tls=none&tls=starttls')).toEqual(['SMTP_URL has tls= more than once']);
  });

  it('refuses nodemailer’s own URL parameters (one could turn the protection off)', () => {
    expect(refusal('smtp://u:p@relay:587?requireTLS=false')).toEqual([
      'SMTP_URL has an unknown parameter "requireTLS": the only one is tls=none (plain text, smtp:// only)',
    ]);
    expect(refusal('smtps://relay?tls.rejectUnauthorized=false')[0]).toMatch(/unknown parameter "tls\.rejectUnauthorized"/);
    expect(refusal('smtp://u:%E0%A4%A@relay')[0]).toMatch(/malformed user name or password/);
  });
});

describe('.env.example', () => {
  const text = readFileSync(join(__dirname, '../../../../.env.example'), 'utf8');
  const entries = Object.fromEntries(
    text
      .split('\n')
      .filter((line) => /^[A-Z][A-Z0-9_]*=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );

  it('lists every variable Roster reads', () => {
    expect(CONFIG_VARIABLES.filter((name) => !(name in entries))).toEqual([]);
  });

  it('is a configuration that starts, as it stands', () => {
    expect(() => loadConfig(entries)).not.toThrow();
  });
});
