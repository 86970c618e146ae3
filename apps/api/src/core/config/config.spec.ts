import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import proxyaddr from 'proxy-addr';
import { CONFIG_VARIABLES, ConfigError, loadConfig, trustProxy } from './config';

/** The problems loadConfig names, one line each (none: it started). */
const fails = (env: Record<string, string>, options?: { worker?: boolean }): string[] => {
  try {
    loadConfig(env, options);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
};
/** What a development machine may set: no database or key required. */
const DEV = { NODE_ENV: 'development' };
const KEY = Buffer.alloc(32, 7).toString('base64');

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
  it('starts with only the embedded database asked for: every default applies', () => {
    const c = loadConfig({ DATABASE_URL: 'embedded' });
    expect(c).toMatchObject({ port: 3000, publicUrl: 'http://localhost:3000', databaseUrl: null, cookieSecure: false, workers: 1 });
    expect(c.metrics).toEqual({ token: null, port: null, host: '127.0.0.1' });
    expect(c.warnings).toEqual([]);
  });

  it('puts every default where AppConfig has it', () => {
    expect(loadConfig({ DATABASE_URL: 'embedded' })).toEqual({
      port: 3000,
      host: '0.0.0.0',
      publicUrl: 'http://localhost:3000',
      databaseUrl: null,
      databaseListenUrl: null,
      dataDir: join(process.cwd(), '.roster-data'),
      organizationName: 'Default',
      consoleDir: join(process.cwd(), 'dist/apps/console/browser'),
      invitationTtlHours: 168,
      passwordResetTtlHours: 24,
      sessionTtlHours: 336,
      cookieSecure: false,
      cookieDomain: null,
      returnToOrigins: [],
      logLevel: 'info',
      playground: true,
      trustProxy: false,
      sqlStatementHeader: false,
      graphqlFastPath: true,
      tracing: false,
      sso: null,
      oidcAccessTokenTtlSeconds: 600,
      oidcKeyRotationDays: 90,
      allowPrivateTargets: false,
      webhookRetryBaseMs: 30000,
      webhookDelivery: true,
      passwordSignIn: true,
      workers: 1,
      database: {
        poolSize: 4,
        acquireTimeoutMs: 5000,
        statementTimeoutMs: 15000,
        idleInTransactionTimeoutMs: 15000,
        preparedStatements: true,
      },
      janitorIntervalSeconds: 600,
      smtp: null,
      metrics: { token: null, port: null, host: '127.0.0.1' },
      shutdownDelaySeconds: 0,
      shutdownGraceSeconds: 10,
      warnings: [],
    });
  });

  it('puts every variable set where AppConfig has it', () => {
    const c = loadConfig({
      NODE_ENV: 'test',
      PORT: '8080',
      HOST: '127.0.0.1',
      PUBLIC_URL: 'https://roster.example.com/',
      WEB_CONCURRENCY: '4',
      TRUST_PROXY: '2',
      SHUTDOWN_GRACE_SECONDS: '20',
      SHUTDOWN_DELAY_SECONDS: '3',
      LOG_LEVEL: 'WARN',
      CONSOLE_DIR: '/srv/console',
      DATABASE_URL: 'postgres://roster@db/roster',
      DATABASE_LISTEN_URL: 'postgres://roster@db-primary/roster',
      ROSTER_DATA_DIR: '/srv/data',
      ORGANIZATION_NAME: 'Acme Corp',
      DATABASE_POOL_SIZE: '20',
      DATABASE_ACQUIRE_TIMEOUT_MS: '1000',
      DATABASE_STATEMENT_TIMEOUT_MS: '2000',
      DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '3000',
      DATABASE_PREPARED_STATEMENTS: 'false',
      JANITOR_INTERVAL_SECONDS: '0',
      PASSWORD_SIGN_IN: 'no',
      INVITATION_TTL_HOURS: '1',
      PASSWORD_RESET_TTL_HOURS: '2',
      SESSION_TTL_HOURS: '3',
      COOKIE_SECURE: 'false',
      COOKIE_DOMAIN: '.Example.com',
      RETURN_TO_ORIGINS: 'https://app.example.com, HTTP://Localhost:4200/,https://app.example.com:443',
      GRAPHQL_PLAYGROUND: 'true',
      OIDC_ISSUER: 'https://idp.example.com/realms/acme/',
      OIDC_CLIENT_ID: 'roster',
      OIDC_CLIENT_SECRET: 'secret',
      OIDC_ALLOWED_DOMAINS: 'Acme.com, example.org,',
      OIDC_DEFAULT_ROLE: 'viewer',
      OIDC_LABEL: 'Acme',
      OIDC_LINK_BY_EMAIL: 'true',
      OIDC_ACCESS_TOKEN_TTL_SECONDS: '300',
      OIDC_KEY_ROTATION_DAYS: '30',
      ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_RETRY_BASE_MS: '100',
      WEBHOOK_DELIVERY: 'false',
      SMTP_URL: 'smtps://mailer:pw@mail.example.com:2465',
      SMTP_FROM: 'Roster <roster@example.com>',
      SMTP_POLL_SECONDS: '7',
      SMTP_RETRY_MS: '500',
      METRICS_TOKEN: 'metrics-token-0123456789',
      METRICS_PORT: '9464',
      METRICS_HOST: '0.0.0.0',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318',
      SQL_STATEMENT_HEADER: 'true',
      GRAPHQL_FAST_PATH: 'false',
    });
    expect(c).toEqual({
      port: 8080,
      host: '127.0.0.1',
      publicUrl: 'https://roster.example.com',
      databaseUrl: 'postgres://roster@db/roster',
      databaseListenUrl: 'postgres://roster@db-primary/roster',
      dataDir: '/srv/data',
      organizationName: 'Acme Corp',
      consoleDir: '/srv/console',
      invitationTtlHours: 1,
      passwordResetTtlHours: 2,
      sessionTtlHours: 3,
      cookieSecure: false,
      cookieDomain: 'example.com',
      returnToOrigins: ['https://app.example.com', 'http://localhost:4200'],
      logLevel: 'warn',
      playground: true,
      trustProxy: 2,
      sqlStatementHeader: true,
      graphqlFastPath: false,
      tracing: true,
      sso: {
        issuer: 'https://idp.example.com/realms/acme',
        clientId: 'roster',
        clientSecret: 'secret',
        allowedDomains: ['acme.com', 'example.org'],
        defaultRole: 'VIEWER',
        label: 'Acme',
        linkByEmail: true,
      },
      oidcAccessTokenTtlSeconds: 300,
      oidcKeyRotationDays: 30,
      allowPrivateTargets: true,
      webhookRetryBaseMs: 100,
      webhookDelivery: false,
      passwordSignIn: false,
      workers: 4,
      database: {
        poolSize: 20,
        acquireTimeoutMs: 1000,
        statementTimeoutMs: 2000,
        idleInTransactionTimeoutMs: 3000,
        preparedStatements: false,
      },
      janitorIntervalSeconds: 0,
      smtp: {
        host: 'mail.example.com',
        port: 2465,
        tls: 'implicit',
        auth: { user: 'mailer', pass: 'pw' },
        from: 'Roster <roster@example.com>',
        pollSeconds: 7,
        retryMs: 500,
      },
      metrics: { token: 'metrics-token-0123456789', port: 9464, host: '0.0.0.0' },
      shutdownDelaySeconds: 3,
      shutdownGraceSeconds: 20,
      warnings: [],
    });
  });

  it('names the variable of each mistake, in one line, and says what it expected', () => {
    expect(fails({ ...DEV, COOKIE_SECURE: 'ture' })).toEqual(['COOKIE_SECURE must be true or false, got "ture"']);
    expect(fails({ DATABASE_URL: 'localhost:5432/roster' })).toEqual([
      'DATABASE_URL must be a postgres or postgresql URL such as postgres://user:password@db:5432/roster, got "localhost:5432/roster"',
    ]);
    expect(fails({ PORT: '80a' })[0]).toMatch(/^PORT must be a whole number/);
    // A password in a malformed URL is not repeated.
    expect(fails({ DATABASE_URL: 'mysql://roster:hunter2@db/roster' })[0]).toMatch(/got "mysql:\/\/roster:\*\*\*@db\/roster"$/);
    expect(fails({ ...DEV, OIDC_ISSUER: 'https://idp.example.com' })).toEqual([
      'OIDC_CLIENT_ID is required with OIDC_ISSUER',
      'OIDC_CLIENT_SECRET is required with OIDC_ISSUER',
    ]);
    expect(fails({ ...DEV, SMTP_URL: 'smtp://relay:25' })[0]).toMatch(/^SMTP_FROM is required with SMTP_URL/);
    expect(fails({ ROSTER_SECRET_KEY: 'short' })[0]).toMatch(/^ROSTER_SECRET_KEY must be 32 bytes/);
    expect(fails({ LOG_LEVEL: 'verbose' })[0]).toMatch(/^LOG_LEVEL must be one of fatal, error/);
    expect(fails({ TRUST_PROXY: 'everyone' })[0]).toMatch(/^TRUST_PROXY must be false, a hop count/);
    expect(fails({ ...DEV, METRICS_TOKEN: 'abc' })).toEqual(['METRICS_TOKEN must be at least 16 characters']);
    expect(fails({ ...DEV, METRICS_PORT: '3000' })).toEqual(['METRICS_PORT must differ from PORT']);
    // Several mistakes: all of them, each on its own line.
    expect(fails({ COOKIE_SECURE: 'ture', PORT: 'x' })).toHaveLength(2);
  });

  it('accepts the usual spellings of booleans and treats empty as unset', () => {
    expect(loadConfig({ ...DEV, COOKIE_SECURE: 'YES' }).cookieSecure).toBe(true);
    expect(loadConfig({ ...DEV, COOKIE_SECURE: 'off', PUBLIC_URL: 'https://r.example.com' }).cookieSecure).toBe(false);
    expect(loadConfig({ ...DEV, COOKIE_SECURE: '', PUBLIC_URL: 'https://r.example.com' }).cookieSecure).toBe(true);
  });

  it('reads GRAPHQL_FAST_PATH as on or off (true or false too), on by default', () => {
    const fastPath = (v?: string) => loadConfig({ ...DEV, ...(v === undefined ? {} : { GRAPHQL_FAST_PATH: v }) }).graphqlFastPath;
    expect(fastPath()).toBe(true);
    expect(fastPath('')).toBe(true);
    for (const v of ['on', 'ON', ' on ', 'true', 'yes', '1']) expect(fastPath(v)).toBe(true);
    for (const v of ['off', 'Off', 'false', 'no', '0']) expect(fastPath(v)).toBe(false);
    expect(fails({ ...DEV, GRAPHQL_FAST_PATH: 'fast' })).toEqual(['GRAPHQL_FAST_PATH must be on or off, got "fast"']);
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
      'NODE_ENV',
      'OIDC_DEFAULT_ROLE',
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

describe('configuration that would fail open', () => {
  it('refuses a NODE_ENV other than production, development or test; only development turns the playground on', () => {
    expect(fails({ NODE_ENV: 'prod', DATABASE_URL: 'embedded' })).toEqual(['NODE_ENV must be production, development or test, got "prod"']);
    expect(fails({ NODE_ENV: 'Production', DATABASE_URL: 'embedded' })[0]).toMatch(/^NODE_ENV must be/);
    const deployed = { DATABASE_URL: 'embedded', PUBLIC_URL: 'https://roster.example.com' };
    expect(loadConfig({ ...deployed }).playground).toBe(false);
    expect(loadConfig({ ...deployed, NODE_ENV: 'production' }).playground).toBe(false);
    expect(loadConfig({ ...deployed, NODE_ENV: 'test' }).playground).toBe(false);
    expect(loadConfig({ ...deployed, NODE_ENV: 'development' }).playground).toBe(true);
    expect(loadConfig({ ...deployed, NODE_ENV: 'production', GRAPHQL_PLAYGROUND: 'true' }).playground).toBe(true);
  });

  it('in production, wants DATABASE_URL (or the embedded database asked for by name) and ROSTER_SECRET_KEY with it', () => {
    expect(fails({})).toEqual([
      'DATABASE_URL is required in production (NODE_ENV unset or production): postgres://user:password@host:5432/roster, or DATABASE_URL=embedded for a PostgreSQL that Roster starts itself (one instance, data in ROSTER_DATA_DIR)',
    ]);
    expect(fails({ NODE_ENV: 'production', DATABASE_URL: '  ' })[0]).toMatch(/^DATABASE_URL is required in production/);
    const url = 'postgres://roster:pw@db:5432/roster';
    expect(fails({ DATABASE_URL: url })).toEqual([
      'ROSTER_SECRET_KEY is required in production (NODE_ENV unset or production) with DATABASE_URL: 32 bytes, base64 (openssl rand -base64 32), the same on every instance',
    ]);
    expect(loadConfig({ DATABASE_URL: url, ROSTER_SECRET_KEY: KEY }).databaseUrl).toBe(url);
    expect(loadConfig({ DATABASE_URL: 'Embedded' }).databaseUrl).toBeNull();
    // Development and tests keep the embedded database as the default, and the generated key.
    expect(loadConfig(DEV).databaseUrl).toBeNull();
    expect(loadConfig({ NODE_ENV: 'test', DATABASE_URL: url }).databaseUrl).toBe(url);
    // A worker process is given its DATABASE_URL by the primary, which checked the rest.
    expect(fails({ DATABASE_URL: url }, { worker: true })).toEqual([]);
    expect(fails({ DATABASE_URL: 'embedded', DATABASE_LISTEN_URL: url })).toEqual([
      'DATABASE_LISTEN_URL is for a DATABASE_URL behind a pooler, not the embedded database',
    ]);
  });

  it('refuses a slip of a variable’s name, saying which one was meant', () => {
    expect(fails({ DATABSE_URL: 'postgres://db/roster', NODE_ENV: 'production', DATABASE_URL: 'embedded' })).toEqual([
      'DATABSE_URL is not a variable Roster reads: did you mean DATABASE_URL?',
    ]);
    expect(fails({ ...DEV, database_url: 'postgres://db/roster' })).toEqual([
      'database_url is not a variable Roster reads: did you mean DATABASE_URL?',
    ]);
    expect(fails({ ...DEV, ROSTER_SECRETKEY: KEY })).toEqual([
      'ROSTER_SECRETKEY is not a variable Roster reads: did you mean ROSTER_SECRET_KEY?',
    ]);
    expect(fails({ ...DEV, LOGLEVEL: 'warn' })[0]).toMatch(/did you mean LOG_LEVEL\?$/);
    expect(fails({ ...DEV, PROT: '8080' })[0]).toMatch(/did you mean PORT\?$/);
    expect(fails({ ...DEV, OIDC_CLEINT_SECRET: 'x' })[0]).toMatch(/did you mean OIDC_CLIENT_SECRET\?$/);
    expect(fails({ ...DEV, SMTP_URL_FLIE: '/run/secrets/smtp' })[0]).toMatch(/did you mean SMTP_URL_FILE\?$/);
    expect(fails({ ...DEV, PUBLIC_URL_FILE: '/run/secrets/url' })).toEqual([
      'PUBLIC_URL_FILE: only secrets can be read from a file (DATABASE_URL_FILE, DATABASE_LISTEN_URL_FILE, ROSTER_SECRET_KEY_FILE, OIDC_CLIENT_SECRET_FILE, SMTP_URL_FILE, METRICS_TOKEN_FILE); set PUBLIC_URL itself',
    ]);
    // An empty one changes nothing either way.
    expect(fails({ ...DEV, DATABSE_URL: '' })).toEqual([]);
  });

  it('leaves alone the names other programs and platforms set, and says unknown names of its own families', () => {
    const others: Record<string, string> = {
      HOME: '/home/node',
      HOSTNAME: 'roster-7d9f',
      PATH: '/usr/bin',
      PWD: '/app',
      TERM: 'xterm',
      PGHOST: 'db',
      PGPORT: '5432',
      PGUSER: 'roster',
      PGDATABASE: 'roster',
      NODE_VERSION: '22.22.0',
      YARN_VERSION: '1.22.22',
      NODE_OPTIONS: '--max-old-space-size=256',
      NODE_EXTRA_CA_CERTS: '/etc/ca.pem',
      HTTP_PROXY: 'http://proxy:3128',
      HTTPS_PROXY: 'http://proxy:3128',
      NO_PROXY: 'localhost',
      https_proxy: 'http://proxy:3128',
      OTEL_EXPORTER_OTLP_HEADERS: 'x=y',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_TIMEOUT: '10000',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_LOG_LEVEL: 'info',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      KUBERNETES_SERVICE_HOST: '10.0.0.1',
      KUBERNETES_PORT: 'tcp://10.0.0.1:443',
      // Kubernetes' links to services named "roster", "metric" and "smtp" in the same namespace.
      ROSTER_PORT: 'tcp://10.0.0.12:3000',
      ROSTER_SERVICE_HOST: '10.0.0.12',
      ROSTER_SERVICE_PORT: '3000',
      ROSTER_PORT_3000_TCP_ADDR: '10.0.0.12',
      METRIC_PORT: 'tcp://10.0.0.13:9464',
      SMTP_PORT: 'tcp://10.0.0.14:25',
      SESSION_MANAGER: 'local/desk:@/tmp/.ICE-unix/1234',
      CI: 'true',
      JEST_WORKER_ID: '1',
      npm_lifecycle_event: 'start',
      npm_config_cache: '/root/.npm',
    };
    expect(fails({ ...others, DATABASE_URL: 'embedded' })).toEqual([]);
    expect(loadConfig({ ...others, DATABASE_URL: 'embedded' }).warnings).toEqual([]);
    // The test runner's own environment starts as well.
    expect(fails({ ...process.env, DATABASE_URL: 'embedded', ROSTER_SECRET_KEY: KEY })).toEqual([]);
    expect(loadConfig({ ...DEV, ROSTER_FEATURE_X: 'on', SMTP_PORT: '587' }).warnings).toEqual([
      'ROSTER_FEATURE_X is not a variable Roster reads, and is ignored (.env.example lists them all)',
      'SMTP_PORT is not a variable Roster reads, and is ignored (.env.example lists them all)',
    ]);
    // Webhooks' settings are constants, not variables; a slip of the one variable is a slip.
    expect(loadConfig({ ...DEV, WEBHOOK_TIMEOUT_MS: '5000' }).warnings).toEqual([
      'WEBHOOK_TIMEOUT_MS is not a variable Roster reads, and is ignored (.env.example lists them all)',
    ]);
    expect(fails({ ...DEV, WEBHOOKS_RETRY_BASE_MS: '100' })).toEqual([
      'WEBHOOKS_RETRY_BASE_MS is not a variable Roster reads: did you mean WEBHOOK_RETRY_BASE_MS?',
    ]);
  });

  it('says at start that ALLOW_PRIVATE_TARGETS is on in production, without refusing it', () => {
    const deployed = { DATABASE_URL: 'embedded', PUBLIC_URL: 'https://roster.example.com' };
    const warned = (env: Record<string, string>) => loadConfig({ ...deployed, ...env }).warnings;
    expect(warned({ ALLOW_PRIVATE_TARGETS: 'true' })).toEqual([
      'ALLOW_PRIVATE_TARGETS is on in production: back-channel logout, webhooks and the SSO providers of organizations may reach private, loopback and link-local addresses (cloud metadata services included), and webhooks plain http; it is meant for development and tests',
    ]);
    expect(loadConfig({ ...deployed, NODE_ENV: 'production', ALLOW_PRIVATE_TARGETS: 'yes' }).allowPrivateTargets).toBe(true);
    expect(warned({ NODE_ENV: 'production', ALLOW_PRIVATE_TARGETS: 'yes' })).toHaveLength(1);
    expect(warned({ NODE_ENV: 'development', ALLOW_PRIVATE_TARGETS: 'true' })).toEqual([]);
    expect(warned({ NODE_ENV: 'test', ALLOW_PRIVATE_TARGETS: 'true' })).toEqual([]);
    expect(warned({ ALLOW_PRIVATE_TARGETS: 'false' })).toEqual([]);
  });

  it('gives single sign-on sign-ups one of the non-admin roles, never Admin', () => {
    const sso = {
      ...DEV,
      OIDC_ISSUER: 'https://idp.example.com',
      OIDC_CLIENT_ID: 'roster',
      OIDC_CLIENT_SECRET: 's',
      OIDC_ALLOWED_DOMAINS: 'acme.com',
    };
    expect(loadConfig(sso).sso?.defaultRole).toBe('MEMBER');
    expect(loadConfig({ ...sso, OIDC_DEFAULT_ROLE: ' viewer ' }).sso?.defaultRole).toBe('VIEWER');
    expect(fails({ ...sso, OIDC_DEFAULT_ROLE: 'MEMBR' })).toEqual([
      'OIDC_DEFAULT_ROLE must be one of MANAGER, MEMBER, VIEWER, got "MEMBR"',
    ]);
    expect(fails({ ...sso, OIDC_DEFAULT_ROLE: 'admin' })).toEqual([
      'OIDC_DEFAULT_ROLE cannot be ADMIN: everyone from OIDC_ALLOWED_DOMAINS would sign up as an admin; choose MANAGER, MEMBER, VIEWER and promote admins one by one',
    ]);
  });
});

describe('secrets from files (NAME_FILE)', () => {
  let dir: string;
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'roster-config-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads each secret from its file, trimmed', () => {
    const c = loadConfig({
      DATABASE_URL_FILE: file('db', 'postgres://roster:s3cret@db:5432/roster\n'),
      ROSTER_SECRET_KEY_FILE: file('key', `${KEY}\n`),
      SMTP_URL_FILE: file('smtp', 'smtps://mailer:p%40ss@mail.example.com\n'),
      SMTP_FROM: 'Roster <roster@example.com>',
      METRICS_TOKEN_FILE: file('metrics', '  metrics-token-0123456789 \n'),
      OIDC_ISSUER: 'https://idp.example.com',
      OIDC_CLIENT_ID: 'roster',
      OIDC_CLIENT_SECRET_FILE: file('oidc', 'client-secret\n'),
      DATABASE_LISTEN_URL_FILE: file('listen', 'postgres://roster:s3cret@db-primary:5432/roster'),
    });
    expect(c.databaseUrl).toBe('postgres://roster:s3cret@db:5432/roster');
    expect(c.databaseListenUrl).toBe('postgres://roster:s3cret@db-primary:5432/roster');
    expect(c.smtp).toMatchObject({ host: 'mail.example.com', tls: 'implicit', auth: { user: 'mailer', pass: 'p@ss' } });
    expect(c.metrics.token).toBe('metrics-token-0123456789');
    expect(c.sso?.clientSecret).toBe('client-secret');
  });

  it('refuses both set, a missing or empty file, and names the file when its content is wrong', () => {
    expect(fails({ ...DEV, ROSTER_SECRET_KEY: KEY, ROSTER_SECRET_KEY_FILE: file('k2', KEY) })).toEqual([
      'ROSTER_SECRET_KEY and ROSTER_SECRET_KEY_FILE are both set: keep one',
    ]);
    expect(fails({ ...DEV, METRICS_TOKEN_FILE: join(dir, 'missing') })).toEqual([
      `METRICS_TOKEN_FILE cannot be read: ${join(dir, 'missing')} (ENOENT)`,
    ]);
    expect(fails({ ...DEV, METRICS_TOKEN_FILE: file('empty', '\n') })).toEqual([
      `METRICS_TOKEN_FILE names an empty file: ${join(dir, 'empty')}`,
    ]);
    expect(fails({ ...DEV, ROSTER_SECRET_KEY_FILE: file('short', 'c2hvcnQ=') })).toEqual([
      'ROSTER_SECRET_KEY (from ROSTER_SECRET_KEY_FILE) must be 32 bytes, base64-encoded (openssl rand -base64 32)',
    ]);
  });

  it('puts what it read in process.env in place of NAME_FILE, for what reads the environment later', () => {
    const saved = { ...process.env };
    try {
      process.env['DATABASE_URL'] = 'embedded';
      process.env['ROSTER_SECRET_KEY_FILE'] = file('key3', `${KEY}\n`);
      delete process.env['ROSTER_SECRET_KEY'];
      loadConfig();
      expect(process.env['ROSTER_SECRET_KEY']).toBe(KEY);
      expect(process.env['ROSTER_SECRET_KEY_FILE']).toBeUndefined();
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
    }
  });
});

describe('COOKIE_DOMAIN and RETURN_TO_ORIGINS', () => {
  it('refuses a cookie domain that is no domain, or that the browser would refuse for PUBLIC_URL', () => {
    const refusal = (domain: string, publicUrl = 'https://id.example.com') =>
      fails({ ...DEV, PUBLIC_URL: publicUrl, COOKIE_DOMAIN: domain });
    for (const nonsense of [
      'com',
      'localhost',
      'https://example.com',
      'example.com:443',
      'example.com/x',
      '*.example.com',
      '10.0.0.1',
      'exa mple.com',
      '-x.example.com',
      'example..com',
    ])
      expect(refusal(nonsense)).toEqual([expect.stringMatching(/^COOKIE_DOMAIN must be a domain name/)]);
    expect(refusal('example.org')).toEqual(["COOKIE_DOMAIN must be PUBLIC_URL's host or a parent domain of it (id.example.com)"]);
    expect(refusal('ample.com')).toEqual(["COOKIE_DOMAIN must be PUBLIC_URL's host or a parent domain of it (id.example.com)"]);
    expect(refusal('example.com')).toEqual([]);
    expect(refusal('id.example.com')).toEqual([]);
    expect(loadConfig({ ...DEV }).cookieDomain).toBeNull();
  });

  it('keeps the OpenID Provider’s token lifetime and key rotation within their bounds', () => {
    const refused = (name: string, value: string) => () => loadConfig({ DATABASE_URL: 'embedded', [name]: value });
    for (const value of ['59', '86401', '-1', '10m', '']) {
      if (value) expect(refused('OIDC_ACCESS_TOKEN_TTL_SECONDS', value)).toThrow(/OIDC_ACCESS_TOKEN_TTL_SECONDS/);
    }
    for (const value of ['0', '3651', '1.5']) expect(refused('OIDC_KEY_ROTATION_DAYS', value)).toThrow(/OIDC_KEY_ROTATION_DAYS/);
    const edges = loadConfig({ DATABASE_URL: 'embedded', OIDC_ACCESS_TOKEN_TTL_SECONDS: '86400', OIDC_KEY_ROTATION_DAYS: '1' });
    expect([edges.oidcAccessTokenTtlSeconds, edges.oidcKeyRotationDays]).toEqual([86_400, 1]);
  });

  it('keeps the webhooks’ first retry delay between 10 ms and one hour', () => {
    const base = (value: string) => loadConfig({ ...DEV, WEBHOOK_RETRY_BASE_MS: value }).webhookRetryBaseMs;
    expect([base('10'), base(' 3600000 '), base('')]).toEqual([10, 3_600_000, 30_000]);
    expect(fails({ ...DEV, WEBHOOK_RETRY_BASE_MS: '9' })).toEqual(['WEBHOOK_RETRY_BASE_MS must be a whole number of at least 10, got "9"']);
    expect(fails({ ...DEV, WEBHOOK_RETRY_BASE_MS: '3600001' })).toEqual(['WEBHOOK_RETRY_BASE_MS must be at most 3600000 (one hour)']);
    for (const value of ['1.5', '30s', '-100', '1e4'])
      expect(fails({ ...DEV, WEBHOOK_RETRY_BASE_MS: value })).toEqual([
        expect.stringMatching(/^WEBHOOK_RETRY_BASE_MS must be a whole number/),
      ]);
  });

  it('refuses return origins that are not exact http(s) origins', () => {
    const refusal = (list: string) => fails({ ...DEV, RETURN_TO_ORIGINS: list });
    for (const bad of [
      'app.example.com',
      'https://app.example.com/path',
      'https://app.example.com/?x',
      'https://app.example.com#x',
      'https://*.example.com',
      'https://user@app.example.com',
      'javascript:alert(1)',
      'ftp://app.example.com',
      'https://ok.example.com,//evil.example',
    ])
      expect(refusal(bad)).toEqual([expect.stringMatching(/^RETURN_TO_ORIGINS /)]);
    expect(loadConfig({ ...DEV, RETURN_TO_ORIGINS: ' https://a.example.com ,' }).returnToOrigins).toEqual(['https://a.example.com']);
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
  const text = readFileSync(join(__dirname, '../../../../../.env.example'), 'utf8');
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
