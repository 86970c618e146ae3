// Types only: tools load this file (through embedded-db.ts) without the workspace's path aliases.
import type { RoleKey } from '@roster/contracts/permissions';
import { readFileSync } from 'node:fs';
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
  /** Said once at start, without stopping it: variables that look like Roster's but are not read. */
  warnings: string[];
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
  defaultRole: SsoDefaultRole;
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
/** production (the default) is what deployments run; development turns the playground on by default; test is for test runners. */
const NODE_ENVS = ['production', 'development', 'test'] as const;
/** Unset and empty are the same: the default applies. */
const unset = (v: string | undefined): v is undefined => v === undefined || v.trim() === '';
const shown = (v: string) => JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
/** A URL shown without its password (a URL often carries one). */
const masked = (v: string) => v.replace(/\/\/([^:@/\s]*):[^@/\s]*@/, '//$1:***@');

/**
 * The roles single sign-on may give people who sign up on their own (OIDC_ALLOWED_DOMAINS). Never
 * Admin: a whole email domain would become administrators.
 */
export const SSO_DEFAULT_ROLES = ['MANAGER', 'MEMBER', 'VIEWER'] as const satisfies readonly Exclude<RoleKey, 'ADMIN'>[];
export type SsoDefaultRole = (typeof SSO_DEFAULT_ROLES)[number];

/** DATABASE_URL=embedded: a PostgreSQL that Roster starts itself (one instance, data in ROSTER_DATA_DIR). */
export const EMBEDDED_DATABASE = 'embedded';

/**
 * Secrets that may come from a file instead (Docker and Kubernetes secrets, as the PostgreSQL and
 * Grafana images do): NAME_FILE is the file's path, NAME its content, trimmed. Setting both is an error.
 */
export const SECRET_FILE_VARIABLES = [
  'DATABASE_URL',
  'DATABASE_LISTEN_URL',
  'ROSTER_SECRET_KEY',
  'OIDC_CLIENT_SECRET',
  'SMTP_URL',
  'METRICS_TOKEN',
] as const;

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

/** A URL of one of these schemes (or one of the words in `also`, lowercased). */
const urlVar = (schemes: string[], example: string, also: string[] = []) =>
  z
    .string()
    .optional()
    .superRefine((v, ctx) => {
      if (unset(v) || also.includes(v.trim().toLowerCase()) || isUrl(v, schemes)) return;
      ctx.addIssue({ code: 'custom', message: `must be a ${schemes.join(' or ')} URL such as ${example}, got ${shown(masked(v))}` });
    })
    .transform((v) => (unset(v) ? undefined : also.includes(v.trim().toLowerCase()) ? v.trim().toLowerCase() : v.trim()));

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
    NODE_ENV: z
      .string()
      .optional()
      .superRefine((v, ctx) => {
        if (!unset(v) && !(NODE_ENVS as readonly string[]).includes(v))
          ctx.addIssue({ code: 'custom', message: `must be ${NODE_ENVS.join(', ').replace(/, (\w+)$/, ' or $1')}, got ${shown(v)}` });
      })
      .transform((v) => (unset(v) ? 'production' : (v as (typeof NODE_ENVS)[number]))),
    PORT: intVar(1),
    HOST: textVar,
    PUBLIC_URL: urlVar(['http', 'https'], 'https://roster.example.com'),
    DATABASE_URL: urlVar(['postgres', 'postgresql'], 'postgres://user:password@db:5432/roster', [EMBEDDED_DATABASE]),
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
    OIDC_DEFAULT_ROLE: z
      .string()
      .optional()
      .superRefine((v, ctx) => {
        if (unset(v)) return;
        const key = v.trim().toUpperCase();
        if (key === ('ADMIN' satisfies RoleKey))
          ctx.addIssue({
            code: 'custom',
            message: `cannot be ADMIN: everyone from OIDC_ALLOWED_DOMAINS would sign up as an admin; choose ${SSO_DEFAULT_ROLES.join(', ')} and promote admins one by one`,
          });
        else if (!(SSO_DEFAULT_ROLES as readonly string[]).includes(key))
          ctx.addIssue({ code: 'custom', message: `must be one of ${SSO_DEFAULT_ROLES.join(', ')}, got ${shown(v)}` });
      })
      .transform((v) => (unset(v) ? undefined : (v.trim().toUpperCase() as SsoDefaultRole))),
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
    OTEL_SERVICE_NAME: textVar,
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
    if (env.DATABASE_URL === EMBEDDED_DATABASE && env.DATABASE_LISTEN_URL)
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_LISTEN_URL'],
        message: 'is for a DATABASE_URL behind a pooler, not the embedded database',
      });
  });

/** Every variable Roster reads (the documented list, .env.example, follows it). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(ENV.shape);

/** Variables read elsewhere (by tracing's exporter), known so that they are not taken for misspellings. */
const OTHER_VARIABLES = ['OTEL_BSP_SCHEDULE_DELAY'];
const KNOWN = new Set([...CONFIG_VARIABLES, ...SECRET_FILE_VARIABLES.map((n) => `${n}_FILE`), ...OTHER_VARIABLES]);
/** Prefixes of Roster's own variables: an unknown name starting with one is said at start (it is ignored). */
const FAMILIES = ['ROSTER_', 'DATABASE_', 'SMTP_', 'OIDC_', 'METRICS_', 'GRAPHQL_'];

/**
 * Kubernetes' service links (FOO_SERVICE_HOST, FOO_PORT=tcp://…, FOO_PORT_3000_TCP_ADDR…): a service
 * named "roster" or "database" puts such names in every pod of its namespace.
 */
const serviceLink = (name: string, value: string | undefined) =>
  /_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT_\d+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?)$/.test(name) ||
  (/_PORT$/.test(name) && /^(tcp|udp|sctp):\/\//.test(value ?? ''));

/** Edit distance with transpositions (optimal string alignment), stopping early past `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before = Array.from({ length: b.length + 1 }, (_, j) => j);
  let previous = before;
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > limit) return limit + 1;
    before = previous;
    previous = row;
  }
  return previous[b.length];
}

/** The variable Roster reads that this name is a slip of (case, one or two letters), if any. */
function meant(name: string): string | null {
  const upper = name.toUpperCase();
  let found: string | null = null;
  let nearest = Infinity;
  for (const known of KNOWN) {
    // One slip in a short name (HOME is not HOST, PGPORT not PORT), two in a longer one.
    const limit = known.length <= 5 ? 1 : 2;
    const d = editDistance(upper, known, limit);
    if (d <= limit && d < nearest) [found, nearest] = [known, d];
  }
  return found;
}

/**
 * Names in the environment that Roster does not read. A slip of a known name (DATABSE_URL, database_url,
 * a NAME_FILE of a variable that is no secret) stops the start: what the operator meant would silently
 * not apply. Other unknown names with one of Roster's prefixes (ROSTER_…, SMTP_…) are said at start.
 */
function unknownVariables(source: NodeJS.ProcessEnv): { problems: string[]; warnings: string[] } {
  const problems: string[] = [];
  const warnings: string[] = [];
  for (const [name, value] of Object.entries(source)) {
    if (KNOWN.has(name) || unset(value) || !/^[A-Za-z][A-Za-z0-9_]*$/.test(name) || serviceLink(name, value)) continue;
    const base = name.endsWith('_FILE') ? name.slice(0, -'_FILE'.length) : null;
    if (base !== null && CONFIG_VARIABLES.includes(base)) {
      problems.push(
        `${name}: only secrets can be read from a file (${SECRET_FILE_VARIABLES.map((n) => `${n}_FILE`).join(', ')}); set ${base} itself`,
      );
      continue;
    }
    const known = meant(name);
    if (known) problems.push(`${name} is not a variable Roster reads: did you mean ${known}?`);
    else if (FAMILIES.some((prefix) => name.startsWith(prefix)))
      warnings.push(`${name} is not a variable Roster reads, and is ignored (.env.example lists them all)`);
  }
  return { problems, warnings };
}

/** NAME_FILE read into NAME (see SECRET_FILE_VARIABLES); the names whose values came from a file. */
function readSecretFiles(source: NodeJS.ProcessEnv): { env: NodeJS.ProcessEnv; fromFiles: string[]; problems: string[] } {
  const env: NodeJS.ProcessEnv = { ...source };
  const fromFiles: string[] = [];
  const problems: string[] = [];
  for (const name of SECRET_FILE_VARIABLES) {
    const path = source[`${name}_FILE`];
    delete env[`${name}_FILE`];
    if (unset(path)) continue;
    if (!unset(source[name])) {
      problems.push(`${name} and ${name}_FILE are both set: keep one`);
      continue;
    }
    try {
      const content = readFileSync(path.trim(), 'utf8').trim();
      if (!content) {
        problems.push(`${name}_FILE names an empty file: ${path.trim()}`);
        continue;
      }
      env[name] = content;
      fromFiles.push(name);
    } catch (e) {
      problems.push(`${name}_FILE cannot be read: ${path.trim()} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
  return { env, fromFiles, problems };
}

/**
 * Reads and checks the environment; a ConfigError names every variable that is wrong. In production
 * (NODE_ENV unset or production) DATABASE_URL is required, and ROSTER_SECRET_KEY with it, unless
 * DATABASE_URL=embedded asks for the embedded PostgreSQL: a deployment never falls back to it silently.
 * Reading process.env (the default), the secrets read from NAME_FILE replace NAME_FILE there, as the
 * PostgreSQL image's entry point does, so that what reads the environment later (the secret key, the
 * worker processes) sees them. A worker process takes its DATABASE_URL from the primary, which
 * checked the rest.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env, options: { worker?: boolean } = {}): AppConfig {
  const files = readSecretFiles(source);
  const unknown = unknownVariables(source);
  const parsed = ENV.safeParse(files.env);
  const named = (name: string) => (files.fromFiles.includes(name) ? `${name} (from ${name}_FILE)` : name);
  const problems = [
    ...files.problems,
    ...unknown.problems,
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${named(String(i.path[0] ?? 'configuration'))} ${i.message}`)),
  ];
  if (parsed.success && parsed.data.NODE_ENV === 'production' && !options.worker) {
    const why = 'in production (NODE_ENV unset or production)';
    if (!parsed.data.DATABASE_URL)
      problems.push(
        `DATABASE_URL is required ${why}: postgres://user:password@host:5432/roster, or DATABASE_URL=embedded for a PostgreSQL that Roster starts itself (one instance, data in ROSTER_DATA_DIR)`,
      );
    else if (parsed.data.DATABASE_URL !== EMBEDDED_DATABASE && !parsed.data.ROSTER_SECRET_KEY)
      problems.push(
        `ROSTER_SECRET_KEY is required ${why} with DATABASE_URL: 32 bytes, base64 (openssl rand -base64 32), the same on every instance`,
      );
  }
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  const env = parsed.data;
  if (source === process.env) {
    for (const name of SECRET_FILE_VARIABLES) {
      if (files.fromFiles.includes(name)) process.env[name] = files.env[name];
      delete process.env[`${name}_FILE`];
    }
  }
  const port = env.PORT ?? 3000;
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    publicUrl,
    databaseUrl: env.DATABASE_URL === EMBEDDED_DATABASE ? null : (env.DATABASE_URL ?? null),
    databaseListenUrl: env.DATABASE_LISTEN_URL ?? null,
    dataDir: resolve(env.ROSTER_DATA_DIR ?? '.roster-data'),
    consoleDir: resolve(env.CONSOLE_DIR ?? 'dist/apps/console/browser'),
    invitationTtlHours: env.INVITATION_TTL_HOURS ?? 24 * 7,
    passwordResetTtlHours: env.PASSWORD_RESET_TTL_HOURS ?? 24,
    sessionTtlHours: env.SESSION_TTL_HOURS ?? 24 * 14,
    cookieSecure: env.COOKIE_SECURE ?? publicUrl.startsWith('https://'),
    logLevel: env.LOG_LEVEL ?? 'info',
    // On by default for local runs and development; set GRAPHQL_PLAYGROUND for deployments.
    playground:
      env.GRAPHQL_PLAYGROUND ?? (env.NODE_ENV === 'development' || /^https?:\/\/(localhost|127\.0\.0\.1)(:|\/|$)/.test(publicUrl)),
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
          defaultRole: env.OIDC_DEFAULT_ROLE ?? 'MEMBER',
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
    warnings: unknown.warnings,
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
