import { resolve } from 'node:path';
import proxyaddr from 'proxy-addr';
import { z } from 'zod';

/** All configuration comes from the environment; this is the one place that reads it. */
export interface AppConfig {
  port: number;
  host: string;
  publicUrl: string;
  databaseUrl: string | null;
  /** Where the change feed LISTENs, when DATABASE_URL goes through a pooler in transaction mode. */
  databaseListenUrl: string | null;
  dataDir: string;
  consoleDir: string;
  invitationTtlHours: number;
  /** How long a password-reset link works. */
  passwordResetTtlHours: number;
  sessionTtlHours: number;
  cookieSecure: boolean;
  logLevel: string;
  playground: boolean;
  sqlStatementHeader: boolean;
  /** GraphQL POSTs go from Node's HTTP server straight to Apollo (GRAPHQL_FAST_PATH; false: through Express). */
  graphqlFastPath: boolean;
  /** OpenTelemetry tracing is on (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT). */
  tracing: boolean;
  /** Single sign-on through OpenID Connect, when OIDC_ISSUER is set. */
  sso: SsoConfig | null;
  /** Email + password sign-in (PASSWORD_SIGN_IN=false leaves SSO only). */
  passwordSignIn: boolean;
  /** Server processes sharing the port (Node cluster); WEB_CONCURRENCY. */
  workers: number;
  database: DatabaseLimits;
  /** Express "trust proxy": false, a hop count, or a list of proxy addresses/subnets. */
  trustProxy: TrustProxy;
  /** Seconds between two purges of expired rows (sessions, challenges, counters); 0 turns it off. */
  janitorIntervalSeconds: number;
  /** Outgoing email (invitations, password resets), when SMTP_URL is set. */
  smtp: SmtpConfig | null;
  /** GET /metrics (Prometheus): with METRICS_TOKEN as a Bearer token, or on its own METRICS_PORT; off otherwise. */
  metrics: { token: string | null; port: number | null; host: string };
  /** On SIGTERM: how long in-flight requests may take to finish before the process exits. */
  shutdownGraceSeconds: number;
  /** On SIGTERM: how long to keep serving (readiness already 503) before closing the port, for load balancers that poll. */
  shutdownDelaySeconds: number;
}

/**
 * How the SMTP connection is protected. implicit: TLS from the first byte (smtps://); starttls: the
 * server must upgrade with STARTTLS before anything is sent, or nothing is (smtp://); none: plain text,
 * asked for explicitly with smtp://host?tls=none and never with a user name or password.
 */
export type SmtpTls = 'implicit' | 'starttls' | 'none';

/** Outgoing email, read from SMTP_URL (e.g. smtps://user:password@mail.example.com:465 or smtp://relay:587). */
export interface SmtpConfig {
  host: string;
  /** Unset: 465 for smtps://, 587 for smtp://. */
  port: number | undefined;
  tls: SmtpTls;
  auth: { user: string; pass: string } | null;
  /** The From address, e.g. "Roster <roster@example.com>". */
  from: string;
  /** Seconds between two looks at the outbox (each instance); a new email is also sent at once. */
  pollSeconds: number;
  /** First retry delay of a failed email (doubles each time). */
  retryMs: number;
}

export type TrustProxy = false | number | string[];

/** Pool and statement limits: nothing waits forever for a connection, a statement or an idle transaction. */
export interface DatabaseLimits {
  poolSize: number;
  /** How long a request waits for a free pooled connection (or a new one) before SERVICE_BUSY. */
  acquireTimeoutMs: number;
  /** Longest statement; 0 for none (migrations, seeding). */
  statementTimeoutMs: number;
  /** A transaction left idle this long is ended by PostgreSQL (its connection returns to the pool). */
  idleInTransactionTimeoutMs: number;
  /** Named statements and per-connection settings; false behind a pooler in transaction mode (DATABASE_PREPARED_STATEMENTS). */
  preparedStatements: boolean;
}

export interface SsoConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** People from these email domains may sign up without an invitation (default role). */
  allowedDomains: string[];
  defaultRole: string;
  label: string;
  /**
   * Whether a provider's verified email may sign in to an existing password account that was never
   * linked (OIDC_LINK_BY_EMAIL, off by default: people link from their profile, proving the account).
   */
  linkByEmail: boolean;
}

/**
 * TRUST_PROXY: unset/false/0 trusts nobody (the socket address is the client). A number N trusts the
 * N nearest proxies (X-Forwarded-For is read from the right, N hops deep); a comma-separated list
 * trusts those addresses or subnets (also "loopback", "linklocal", "uniquelocal"). "true" means one
 * proxy: trusting every hop would let any client choose its own address. A list is checked by
 * compiling it as Express and the direct GraphQL path will (proxy-addr), so what passes here starts;
 * IPv4 addresses are written as four decimal numbers (proxy-addr would also read "010.0.0.1" as
 * 8.0.0.1 and "1" as 0.0.0.1).
 */
export function trustProxy(raw: string | undefined): TrustProxy {
  const value = (raw ?? '').trim().toLowerCase();
  if (['', 'false', '0', 'no', 'off'].includes(value)) return false;
  if (['true', 'yes', 'on'].includes(value)) return 1;
  if (/^\d{1,9}$/.test(value)) return Number(value);
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const entry of list) {
    const problem = trustProxyEntryProblem(entry);
    if (problem) throw new Error(`TRUST_PROXY must be false, a hop count or a list of proxy addresses/subnets; "${entry}" ${problem}`);
  }
  return list;
}

const IPV4_OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${IPV4_OCTET}(\\.${IPV4_OCTET}){3}$`);

function trustProxyEntryProblem(entry: string): string | null {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return null;
  const [address = '', ...range] = entry.split('/');
  if (range.length > 1 || !/^[0-9a-f:.%]+$/.test(address.replace(/%.*$/, ''))) return 'is none of these';
  if (!address.includes(':') && !IPV4.test(address)) return 'is not an IP address (e.g. 10.0.0.1, fd00::1)';
  try {
    proxyaddr.compile([entry]);
    return null;
  } catch (e) {
    const message = (e as Error).message;
    if (/invalid IP address/.test(message)) return 'is not an IP address (e.g. 10.0.0.1, fd00::1)';
    if (/range|netmask/.test(message)) return 'has an invalid prefix length or netmask (e.g. 10.0.0.0/8)';
    return `is refused: ${message}`;
  }
}

/** A configuration that cannot start: one line per variable, naming it. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

const TRUE = ['1', 'true', 'yes', 'on'];
const FALSE = ['0', 'false', 'no', 'off'];
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** Unset and empty are the same: the default applies. */
const unset = (v: string | undefined): v is undefined => v === undefined || v.trim() === '';
const shown = (v: string) => JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
/** A URL shown without its password (a URL often carries one). */
const masked = (v: string) => v.replace(/\/\/([^:@/\s]*):[^@/\s]*@/, '//$1:***@');

const boolVar = z
  .string()
  .optional()
  .superRefine((v, ctx) => {
    if (!unset(v) && ![...TRUE, ...FALSE].includes(v.trim().toLowerCase()))
      ctx.addIssue({ code: 'custom', message: `must be true or false, got ${shown(v)}` });
  })
  .transform((v) => (unset(v) ? undefined : TRUE.includes(v.trim().toLowerCase())));

const intVar = (min = 0) =>
  z
    .string()
    .optional()
    .superRefine((v, ctx) => {
      if (!unset(v) && (!/^\d{1,9}$/.test(v.trim()) || Number(v) < min))
        ctx.addIssue({ code: 'custom', message: `must be a whole number of at least ${min}, got ${shown(v)}` });
    })
    .transform((v) => (unset(v) ? undefined : Number(v)));

const isUrl = (v: string, schemes: string[]) => {
  try {
    const u = new URL(v.trim());
    return schemes.includes(u.protocol.slice(0, -1)) && u.hostname !== '';
  } catch {
    return false;
  }
};

const urlVar = (schemes: string[], example: string) =>
  z
    .string()
    .optional()
    .superRefine((v, ctx) => {
      if (unset(v) || isUrl(v, schemes)) return;
      ctx.addIssue({ code: 'custom', message: `must be a ${schemes.join(' or ')} URL such as ${example}, got ${shown(masked(v))}` });
    })
    .transform((v) => (unset(v) ? undefined : v.trim()));

const textVar = z
  .string()
  .optional()
  .transform((v) => (unset(v) ? undefined : v.trim()));

type SmtpServer = Pick<SmtpConfig, 'host' | 'port' | 'tls' | 'auth'>;

/**
 * SMTP_URL: smtps://[user:password@]host[:port] (TLS from the start) or smtp://[user:password@]host[:port]
 * (the server must offer STARTTLS, or nothing is sent); smtp://host[:port]?tls=none sends in plain text,
 * and is refused with a user name or password. Nodemailer's other URL parameters are not passed on:
 * none of them can turn the protection off behind the operator's back.
 */
export function smtpServer(raw: string): SmtpServer | string {
  const u = new URL(raw.trim());
  const names = [...new Set(u.searchParams.keys())];
  const unknown = names.find((n) => n !== 'tls');
  if (unknown !== undefined) return `has an unknown parameter ${shown(unknown)}: the only one is tls=none (plain text, smtp:// only)`;
  const asked = u.searchParams.getAll('tls').map((t) => t.trim().toLowerCase());
  if (asked.length > 1) return 'has tls= more than once';
  const [param] = asked;
  let tls: SmtpTls;
  if (u.protocol === 'smtps:') {
    if (param !== undefined && param !== 'implicit') return `is smtps:// (TLS from the first byte), which tls=${param} contradicts`;
    tls = 'implicit';
  } else if (param === undefined || param === 'starttls') {
    tls = 'starttls';
  } else if (param === 'none') {
    tls = 'none';
  } else {
    return `has tls=${param}: leave it out (STARTTLS, required) or write tls=none (plain text, no password)`;
  }
  let user: string;
  let pass: string;
  try {
    user = decodeURIComponent(u.username);
    pass = decodeURIComponent(u.password);
  } catch {
    return 'has a malformed user name or password (percent-encode special characters, e.g. %40 for @)';
  }
  if (tls === 'none' && (user || pass))
    return 'has a user name or password, which tls=none would send in clear: drop tls=none (STARTTLS) or use smtps://';
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: u.port ? Number(u.port) : undefined,
    tls,
    auth: user || pass ? { user, pass } : null,
  };
}

/** Every variable Roster reads, checked at start (listed with their defaults in .env.example). */
const ENV = z
  .object({
    PORT: intVar(1),
    HOST: textVar,
    PUBLIC_URL: urlVar(['http', 'https'], 'https://roster.example.com'),
    DATABASE_URL: urlVar(['postgres', 'postgresql'], 'postgres://user:password@db:5432/roster'),
    DATABASE_LISTEN_URL: urlVar(['postgres', 'postgresql'], 'postgres://user:password@db-primary:5432/roster'),
    ROSTER_DATA_DIR: textVar,
    CONSOLE_DIR: textVar,
    INVITATION_TTL_HOURS: intVar(1),
    PASSWORD_RESET_TTL_HOURS: intVar(1),
    SESSION_TTL_HOURS: intVar(1),
    COOKIE_SECURE: boolVar,
    LOG_LEVEL: z
      .string()
      .optional()
      .superRefine((v, ctx) => {
        if (!unset(v) && !(LOG_LEVELS as readonly string[]).includes(v.trim().toLowerCase()))
          ctx.addIssue({ code: 'custom', message: `must be one of ${LOG_LEVELS.join(', ')}, got ${shown(v)}` });
      })
      .transform((v) => (unset(v) ? undefined : v.trim().toLowerCase())),
    GRAPHQL_PLAYGROUND: boolVar,
    TRUST_PROXY: z
      .string()
      .optional()
      .superRefine((v, ctx) => {
        try {
          trustProxy(v);
        } catch (e) {
          ctx.addIssue({ code: 'custom', message: (e as Error).message.replace(/^TRUST_PROXY /, '') });
        }
      }),
    SQL_STATEMENT_HEADER: boolVar,
    GRAPHQL_FAST_PATH: boolVar,
    PASSWORD_SIGN_IN: boolVar,
    WEB_CONCURRENCY: intVar(1),
    DATABASE_POOL_SIZE: intVar(1),
    DATABASE_ACQUIRE_TIMEOUT_MS: intVar(0),
    DATABASE_STATEMENT_TIMEOUT_MS: intVar(0),
    DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: intVar(0),
    DATABASE_PREPARED_STATEMENTS: boolVar,
    JANITOR_INTERVAL_SECONDS: intVar(0),
    SMTP_URL: z
      .string()
      .optional()
      .superRefine((v, ctx) => {
        if (unset(v)) return;
        if (!isUrl(v, ['smtp', 'smtps'])) {
          const message = `must be a smtp or smtps URL such as smtps://user:password@mail.example.com:465, got ${shown(masked(v))}`;
          ctx.addIssue({ code: 'custom', message });
          return;
        }
        const server = smtpServer(v);
        if (typeof server === 'string') ctx.addIssue({ code: 'custom', message: server });
      })
      .transform((v) => (unset(v) ? undefined : (smtpServer(v) as SmtpServer))),
    SMTP_FROM: textVar,
    SMTP_POLL_SECONDS: intVar(1),
    SMTP_RETRY_MS: intVar(1),
    OIDC_ISSUER: urlVar(['http', 'https'], 'https://login.example.com/realms/acme'),
    OIDC_CLIENT_ID: textVar,
    OIDC_CLIENT_SECRET: textVar,
    OIDC_ALLOWED_DOMAINS: textVar,
    OIDC_DEFAULT_ROLE: textVar,
    OIDC_LABEL: textVar,
    OIDC_LINK_BY_EMAIL: boolVar,
    ROSTER_SECRET_KEY: z
      .string()
      .optional()
      .superRefine((v, ctx) => {
        if (!unset(v) && Buffer.from(v.trim(), 'base64').length !== 32)
          ctx.addIssue({ code: 'custom', message: 'must be 32 bytes, base64-encoded (openssl rand -base64 32)' });
      }),
    METRICS_TOKEN: z
      .string()
      .optional()
      .superRefine((v, ctx) => {
        if (!unset(v) && v.trim().length < 16) ctx.addIssue({ code: 'custom', message: 'must be at least 16 characters' });
      })
      .transform((v) => (unset(v) ? undefined : v.trim())),
    METRICS_PORT: intVar(1),
    METRICS_HOST: textVar,
    SHUTDOWN_DELAY_SECONDS: intVar(0),
    SHUTDOWN_GRACE_SECONDS: intVar(0),
    OTEL_EXPORTER_OTLP_ENDPOINT: urlVar(['http', 'https'], 'http://otel-collector:4318'),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: urlVar(['http', 'https'], 'http://otel-collector:4318/v1/traces'),
  })
  .superRefine((env, ctx) => {
    if (env.SMTP_URL && !env.SMTP_FROM)
      ctx.addIssue({ code: 'custom', path: ['SMTP_FROM'], message: 'is required with SMTP_URL, e.g. "Roster <roster@example.com>"' });
    if (env.OIDC_ISSUER && !env.OIDC_CLIENT_ID)
      ctx.addIssue({ code: 'custom', path: ['OIDC_CLIENT_ID'], message: 'is required with OIDC_ISSUER' });
    if (env.OIDC_ISSUER && !env.OIDC_CLIENT_SECRET)
      ctx.addIssue({ code: 'custom', path: ['OIDC_CLIENT_SECRET'], message: 'is required with OIDC_ISSUER' });
    if (env.METRICS_PORT !== undefined && env.METRICS_PORT === (env.PORT ?? 3000))
      ctx.addIssue({ code: 'custom', path: ['METRICS_PORT'], message: 'must differ from PORT' });
  });

/** Every variable Roster reads (the documented list, .env.example, follows it). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(ENV.shape);

/** Reads and checks the environment; a ConfigError names every variable that is wrong. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = ENV.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${String(i.path[0] ?? 'configuration')} ${i.message}`));
  }
  const env = parsed.data;
  const port = env.PORT ?? 3000;
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const production = (source['NODE_ENV'] ?? 'production') === 'production';
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    publicUrl,
    databaseUrl: env.DATABASE_URL ?? null,
    databaseListenUrl: env.DATABASE_LISTEN_URL ?? null,
    dataDir: resolve(env.ROSTER_DATA_DIR ?? '.roster-data'),
    consoleDir: resolve(env.CONSOLE_DIR ?? 'dist/apps/console/browser'),
    invitationTtlHours: env.INVITATION_TTL_HOURS ?? 24 * 7,
    passwordResetTtlHours: env.PASSWORD_RESET_TTL_HOURS ?? 24,
    sessionTtlHours: env.SESSION_TTL_HOURS ?? 24 * 14,
    cookieSecure: env.COOKIE_SECURE ?? publicUrl.startsWith('https://'),
    logLevel: env.LOG_LEVEL ?? 'info',
    // On by default for local runs and development; set GRAPHQL_PLAYGROUND for deployments.
    playground: env.GRAPHQL_PLAYGROUND ?? (!production || /^https?:\/\/(localhost|127\.0\.0\.1)(:|\/|$)/.test(publicUrl)),
    trustProxy: trustProxy(env.TRUST_PROXY),
    sqlStatementHeader: env.SQL_STATEMENT_HEADER ?? false,
    graphqlFastPath: env.GRAPHQL_FAST_PATH ?? true,
    tracing: Boolean(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT),
    sso: env.OIDC_ISSUER
      ? {
          issuer: env.OIDC_ISSUER.replace(/\/+$/, ''),
          clientId: env.OIDC_CLIENT_ID as string,
          clientSecret: env.OIDC_CLIENT_SECRET as string,
          allowedDomains: (env.OIDC_ALLOWED_DOMAINS ?? '')
            .split(',')
            .map((d) => d.trim().toLowerCase())
            .filter(Boolean),
          defaultRole: (env.OIDC_DEFAULT_ROLE ?? 'MEMBER').toUpperCase(),
          label: env.OIDC_LABEL ?? 'SSO',
          linkByEmail: env.OIDC_LINK_BY_EMAIL ?? false,
        }
      : null,
    passwordSignIn: env.PASSWORD_SIGN_IN ?? true,
    workers: env.WEB_CONCURRENCY ?? 1,
    database: {
      poolSize: env.DATABASE_POOL_SIZE ?? 10,
      acquireTimeoutMs: env.DATABASE_ACQUIRE_TIMEOUT_MS ?? 5_000,
      statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS ?? 15_000,
      idleInTransactionTimeoutMs: env.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS ?? 15_000,
      preparedStatements: env.DATABASE_PREPARED_STATEMENTS ?? true,
    },
    janitorIntervalSeconds: env.JANITOR_INTERVAL_SECONDS ?? 600,
    smtp: env.SMTP_URL
      ? { ...env.SMTP_URL, from: env.SMTP_FROM as string, pollSeconds: env.SMTP_POLL_SECONDS ?? 5, retryMs: env.SMTP_RETRY_MS ?? 30_000 }
      : null,
    metrics: { token: env.METRICS_TOKEN ?? null, port: env.METRICS_PORT ?? null, host: env.METRICS_HOST ?? '127.0.0.1' },
    shutdownDelaySeconds: env.SHUTDOWN_DELAY_SECONDS ?? 0,
    shutdownGraceSeconds: env.SHUTDOWN_GRACE_SECONDS ?? 10,
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
