// Types only: tools load this file (through embedded-db.ts) without the workspace's path aliases.
import type { RoleKey } from '@roster/contracts/permissions';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  boolean,
  exactly,
  map,
  onOff,
  oneOf,
  proxies,
  Reader,
  Refused,
  shown,
  smtp,
  SmtpServer,
  text,
  TrustProxy,
  unset,
  url,
  wholeNumber,
  cookieDomain,
  hostWithin,
  origins,
} from './readers';
import { unknownVariables } from './unknown-names';

export { smtpServer, trustProxy } from './readers';
export type { SmtpTls, TrustProxy } from './readers';
export { editDistance } from './unknown-names';

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
  /** What the one organization of a database from before organizations is called when it is migrated. */
  organizationName: string;
  /** How long a password-reset link works. */
  passwordResetTtlHours: number;
  sessionTtlHours: number;
  cookieSecure: boolean;
  /** The Domain of the session and CSRF cookies (COOKIE_DOMAIN); null: host-only cookies. */
  cookieDomain: string | null;
  /**
   * Origins (scheme, host, port) where sign-in and sign-out may send people back, and that may call
   * GET /auth/whoami with credentials (RETURN_TO_ORIGINS). Roster's own (PUBLIC_URL's) is always one.
   */
  returnToOrigins: string[];
  logLevel: string;
  playground: boolean;
  sqlStatementHeader: boolean;
  /** The GraphQL fast path (GRAPHQL_FAST_PATH; off: every trick off, see core/fast-path/README.md). */
  graphqlFastPath: boolean;
  /** OpenTelemetry tracing is on (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT). */
  tracing: boolean;
  /** Single sign-on through OpenID Connect, when OIDC_ISSUER is set. */
  sso: SsoConfig | null;
  /** Roster as an OpenID Provider: lifetime of its access tokens (OIDC_ACCESS_TOKEN_TTL_SECONDS). */
  oidcAccessTokenTtlSeconds: number;
  /**
   * Whether Roster's outbound requests (back-channel logout, webhooks, organizations' own SSO providers) may reach private, loopback, link-local
   * and other special-use addresses, and webhooks plain http (ALLOW_PRIVATE_TARGETS): development and tests.
   */
  allowPrivateTargets: boolean;
  /** First retry delay of a failed webhook attempt (WEBHOOK_RETRY_BASE_MS); doubles each time, ±20 %, for 24 h. */
  webhookRetryBaseMs: number;
  /** Whether this instance sends webhook deliveries (WEBHOOK_DELIVERY); false leaves them to the instances that do. */
  webhookDelivery: boolean;
  /** Roster as an OpenID Provider: days between two signing keys (OIDC_KEY_ROTATION_DAYS). */
  oidcKeyRotationDays: number;
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
  /**
   * Said once at start, without stopping it: variables that look like Roster's but are not read, and
   * ALLOW_PRIVATE_TARGETS on in production.
   */
  warnings: string[];
}

/** Outgoing email, read from SMTP_URL (e.g. smtps://user:password@mail.example.com:465 or smtp://relay:587). */
export interface SmtpConfig extends SmtpServer {
  /** The From address, e.g. "Roster <roster@example.com>". */
  from: string;
  /** Seconds between two looks at the outbox (each instance); a new email is also sent at once. */
  pollSeconds: number;
  /** First retry delay of a failed email (doubles each time). */
  retryMs: number;
}

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

/** A configuration that cannot start: one line per variable, naming it. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

/**
 * Connections per server process when DATABASE_POOL_SIZE is unset (the image sets none). Few: one event loop
 * keeps a handful of short statements in flight, and past the database's cores more connections only make
 * statements wait inside PostgreSQL, where they take CPU from the rest, instead of in the pool.
 */
export const DEFAULT_POOL_SIZE = 4;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** production (the default) is what deployments run; development turns the playground on by default; test is for test runners. */
const NODE_ENVS = ['production', 'development', 'test'] as const;
const LOCAL_URL = /^https?:\/\/(localhost|127\.0\.0\.1)(:|\/|$)/;
const withoutTrailingSlashes = (u: string) => u.replace(/\/+$/, '');

/**
 * The roles single sign-on may give people who sign up on their own (OIDC_ALLOWED_DOMAINS). Never
 * Admin: a whole email domain would become administrators.
 */
export const SSO_DEFAULT_ROLES = ['MANAGER', 'MEMBER', 'VIEWER'] as const satisfies readonly Exclude<RoleKey, 'ADMIN'>[];
export type SsoDefaultRole = (typeof SSO_DEFAULT_ROLES)[number];

/** DATABASE_URL=embedded: a PostgreSQL that Roster starts itself (one instance, data in ROSTER_DATA_DIR). */
export const EMBEDDED_DATABASE = 'embedded';

const ssoDefaultRole: Reader<SsoDefaultRole> = (raw) => {
  const key = raw.trim().toUpperCase();
  if (key === ('ADMIN' satisfies RoleKey))
    return new Refused(
      `cannot be ADMIN: everyone from OIDC_ALLOWED_DOMAINS would sign up as an admin; choose ${SSO_DEFAULT_ROLES.join(', ')} and promote admins one by one`,
    );
  return (SSO_DEFAULT_ROLES as readonly string[]).includes(key)
    ? (key as SsoDefaultRole)
    : new Refused(`must be one of ${SSO_DEFAULT_ROLES.join(', ')}, got ${shown(raw)}`);
};

const secretKey: Reader<string> = (raw) =>
  Buffer.from(raw.trim(), 'base64').length === 32 ? raw.trim() : new Refused('must be 32 bytes, base64-encoded (openssl rand -base64 32)');

const metricsToken: Reader<string> = (raw) => (raw.trim().length >= 16 ? raw.trim() : new Refused('must be at least 16 characters'));

/** The sections of AppConfig that variables fill field by field. */
interface Sections {
  database: DatabaseLimits;
  metrics: AppConfig['metrics'];
  sso: SsoConfig;
  smtp: SmtpConfig;
}
/** A section that exists only when this variable is set (null otherwise). */
const SECTION_WHEN = { sso: 'OIDC_ISSUER', smtp: 'SMTP_URL' } as const;

/** Where a variable's value goes in AppConfig: a field, a section's field, or `smtp` (SMTP_URL: the server's fields). */
type Place =
  | Exclude<keyof AppConfig, keyof Sections | 'tracing' | 'warnings'>
  | { [S in keyof Sections]: `${S}.${keyof Sections[S] & string}` }[keyof Sections]
  | 'smtp';
type ValueAt<P extends Place> = P extends 'smtp'
  ? SmtpServer
  : P extends `${infer S extends keyof Sections}.${infer F}`
    ? F extends keyof Sections[S]
      ? Sections[S][F]
      : never
    : P extends keyof AppConfig
      ? AppConfig[P]
      : never;

/** Values by variable name: as set (undefined: unset or refused), or with defaults applied. */
type Values = Readonly<Record<string, unknown>>;

interface Options<T> {
  /** When unset: a value, or one computed from the variables declared above (defaults applied). */
  fallback?: T | ((values: Values) => T);
  /** May come from NAME_FILE (Docker and Kubernetes secrets, as the PostgreSQL and Grafana images do). */
  secret?: true;
  /** Required when that variable is set; `hint` ends the message. */
  requiredWith?: { name: string; hint?: string };
  /** Against the other variables, when this one is set (its value undefined if refused): a problem, or null. */
  check?: (value: T | undefined, given: Values, values: Values) => string | null;
}

interface Variable<T = unknown> extends Options<T> {
  read: Reader<T>;
  at: Place | null;
}

/** A variable whose value goes to `at` in AppConfig (its reader gives that field's type). */
const to = <P extends Place>(at: P, read: Reader<ValueAt<P>>, options: Options<ValueAt<P>> = {}): Variable =>
  ({ read, at, ...options }) as Variable;
/** A variable checked here and read elsewhere (or only by other variables' defaults and checks). */
const checked = <T>(read: Reader<T>, options: Options<T> = {}): Variable => ({ read, at: null, ...options }) as Variable;

/**
 * Every variable Roster reads, declared once: how its value is read (and what is refused), its default,
 * where it goes in AppConfig. In .env.example's order, which documents each; a default computed from
 * other variables reads only those declared above it.
 */
const VARIABLES = {
  // Server
  PORT: to('port', wholeNumber(1), { fallback: 3000 }),
  HOST: to('host', text, { fallback: '0.0.0.0' }),
  PUBLIC_URL: to('publicUrl', map(url(['http', 'https'], 'https://roster.example.com'), withoutTrailingSlashes), {
    fallback: (v) => `http://localhost:${v['PORT'] as number}`,
  }),
  WEB_CONCURRENCY: to('workers', wholeNumber(1), { fallback: 1 }),
  TRUST_PROXY: to('trustProxy', proxies, { fallback: false }),
  SHUTDOWN_GRACE_SECONDS: to('shutdownGraceSeconds', wholeNumber(0), { fallback: 10 }),
  SHUTDOWN_DELAY_SECONDS: to('shutdownDelaySeconds', wholeNumber(0), { fallback: 0 }),
  LOG_LEVEL: to('logLevel', oneOf(LOG_LEVELS), { fallback: 'info' }),
  NODE_ENV: checked(exactly(NODE_ENVS), { fallback: 'production' }),
  CONSOLE_DIR: to('consoleDir', map(text, resolve), { fallback: () => resolve('dist/apps/console/browser') }),
  // Database
  DATABASE_URL: to(
    'databaseUrl',
    map(url(['postgres', 'postgresql'], 'postgres://user:password@db:5432/roster', [EMBEDDED_DATABASE]), (u) =>
      u === EMBEDDED_DATABASE ? null : u,
    ),
    {
      fallback: null,
      secret: true,
    },
  ),
  DATABASE_LISTEN_URL: to('databaseListenUrl', url(['postgres', 'postgresql'], 'postgres://user:password@db-primary:5432/roster'), {
    fallback: null,
    secret: true,
    check: (_, given) => (given['DATABASE_URL'] === null ? 'is for a DATABASE_URL behind a pooler, not the embedded database' : null),
  }),
  ROSTER_DATA_DIR: to('dataDir', map(text, resolve), { fallback: () => resolve('.roster-data') }),
  ORGANIZATION_NAME: to('organizationName', text, {
    fallback: 'Default',
    check: (name) => (name !== undefined && [...name].length > 100 ? 'must be at most 100 characters' : null),
  }),
  DATABASE_POOL_SIZE: to('database.poolSize', wholeNumber(1), { fallback: DEFAULT_POOL_SIZE }),
  DATABASE_ACQUIRE_TIMEOUT_MS: to('database.acquireTimeoutMs', wholeNumber(0), { fallback: 5_000 }),
  DATABASE_STATEMENT_TIMEOUT_MS: to('database.statementTimeoutMs', wholeNumber(0), { fallback: 15_000 }),
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: to('database.idleInTransactionTimeoutMs', wholeNumber(0), { fallback: 15_000 }),
  DATABASE_PREPARED_STATEMENTS: to('database.preparedStatements', boolean, { fallback: true }),
  JANITOR_INTERVAL_SECONDS: to('janitorIntervalSeconds', wholeNumber(0), { fallback: 600 }),
  // Secrets (read by SecretBox from the environment)
  ROSTER_SECRET_KEY: checked(secretKey, { secret: true }),
  // Sign-in
  PASSWORD_SIGN_IN: to('passwordSignIn', boolean, { fallback: true }),
  INVITATION_TTL_HOURS: to('invitationTtlHours', wholeNumber(1), { fallback: 24 * 7 }),
  PASSWORD_RESET_TTL_HOURS: to('passwordResetTtlHours', wholeNumber(1), { fallback: 24 }),
  SESSION_TTL_HOURS: to('sessionTtlHours', wholeNumber(1), { fallback: 24 * 14 }),
  COOKIE_SECURE: to('cookieSecure', boolean, { fallback: (v) => (v['PUBLIC_URL'] as string).startsWith('https://') }),
  COOKIE_DOMAIN: to('cookieDomain', cookieDomain, {
    fallback: null,
    // A Domain the browser would refuse for Roster's own host: no cookie would ever be set.
    check: (domain, _, v) =>
      domain && !hostWithin(new URL(v['PUBLIC_URL'] as string).hostname, domain)
        ? `must be PUBLIC_URL's host or a parent domain of it (${new URL(v['PUBLIC_URL'] as string).hostname})`
        : null,
  }),
  RETURN_TO_ORIGINS: to('returnToOrigins', origins, { fallback: [] }),
  // On by default for local runs and development; set GRAPHQL_PLAYGROUND for deployments.
  GRAPHQL_PLAYGROUND: to('playground', boolean, {
    fallback: (v) => v['NODE_ENV'] === 'development' || LOCAL_URL.test(v['PUBLIC_URL'] as string),
  }),
  // Single sign-on
  OIDC_ISSUER: to('sso.issuer', map(url(['http', 'https'], 'https://login.example.com/realms/acme'), withoutTrailingSlashes)),
  OIDC_CLIENT_ID: to('sso.clientId', text, { requiredWith: { name: 'OIDC_ISSUER' } }),
  OIDC_CLIENT_SECRET: to('sso.clientSecret', text, { secret: true, requiredWith: { name: 'OIDC_ISSUER' } }),
  OIDC_ALLOWED_DOMAINS: to(
    'sso.allowedDomains',
    map(text, (list) =>
      list
        .split(',')
        .map((d) => d.trim().toLowerCase())
        .filter(Boolean),
    ),
    { fallback: [] },
  ),
  OIDC_DEFAULT_ROLE: to('sso.defaultRole', ssoDefaultRole, { fallback: 'MEMBER' }),
  OIDC_LABEL: to('sso.label', text, { fallback: 'SSO' }),
  OIDC_LINK_BY_EMAIL: to('sso.linkByEmail', boolean, { fallback: false }),
  // Roster as an OpenID Provider
  OIDC_ACCESS_TOKEN_TTL_SECONDS: to('oidcAccessTokenTtlSeconds', wholeNumber(60), {
    fallback: 600,
    check: (n) => (n !== undefined && n > 86_400 ? 'must be at most 86400 (one day)' : null),
  }),
  OIDC_KEY_ROTATION_DAYS: to('oidcKeyRotationDays', wholeNumber(1), {
    fallback: 90,
    check: (n) => (n !== undefined && n > 3650 ? 'must be at most 3650 (ten years)' : null),
  }),
  // Outbound requests (back-channel logout, webhooks, organizations' own SSO providers)
  ALLOW_PRIVATE_TARGETS: to('allowPrivateTargets', boolean, { fallback: false }),
  WEBHOOK_RETRY_BASE_MS: to('webhookRetryBaseMs', wholeNumber(10), {
    fallback: 30_000,
    check: (ms) => (ms !== undefined && ms > 3_600_000 ? 'must be at most 3600000 (one hour)' : null),
  }),
  WEBHOOK_DELIVERY: to('webhookDelivery', boolean, { fallback: true }),
  // Outgoing email
  SMTP_URL: to('smtp', smtp, { secret: true }),
  SMTP_FROM: to('smtp.from', text, { requiredWith: { name: 'SMTP_URL', hint: ', e.g. "Roster <roster@example.com>"' } }),
  SMTP_POLL_SECONDS: to('smtp.pollSeconds', wholeNumber(1), { fallback: 5 }),
  SMTP_RETRY_MS: to('smtp.retryMs', wholeNumber(1), { fallback: 30_000 }),
  // Observability
  METRICS_TOKEN: to('metrics.token', metricsToken, { fallback: null, secret: true }),
  METRICS_PORT: to('metrics.port', wholeNumber(1), {
    fallback: null,
    check: (port, _, v) => (port === v['PORT'] ? 'must differ from PORT' : null),
  }),
  METRICS_HOST: to('metrics.host', text, { fallback: '127.0.0.1' }),
  // Either turns tracing on (read by the exporter, core/observability/tracing.ts).
  OTEL_EXPORTER_OTLP_ENDPOINT: checked(url(['http', 'https'], 'http://otel-collector:4318')),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: checked(url(['http', 'https'], 'http://otel-collector:4318/v1/traces')),
  OTEL_SERVICE_NAME: checked(text),
  SQL_STATEMENT_HEADER: to('sqlStatementHeader', boolean, { fallback: false }),
  GRAPHQL_FAST_PATH: to('graphqlFastPath', onOff, { fallback: true }),
} satisfies Record<string, Variable>;

const DECLARED: [string, Variable][] = Object.entries(VARIABLES);

/** Every variable Roster reads (the documented list, .env.example, follows it). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(VARIABLES);

/**
 * Secrets that may come from a file instead (Docker and Kubernetes secrets, as the PostgreSQL and
 * Grafana images do): NAME_FILE is the file's path, NAME its content, trimmed. Setting both is an error.
 */
export const SECRET_FILE_VARIABLES: readonly string[] = DECLARED.filter(([, v]) => v.secret).map(([name]) => name);

const NAMES = {
  variables: CONFIG_VARIABLES,
  secrets: SECRET_FILE_VARIABLES,
  others: ['OTEL_BSP_SCHEDULE_DELAY'],
  families: ['ROSTER_', 'DATABASE_', 'SMTP_', 'OIDC_', 'METRICS_', 'GRAPHQL_', 'WEBHOOK_'],
};

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
 * Every declared variable read: `given` as set (undefined when unset or refused), `values` with the
 * defaults applied, and one problem per refused value, per missing required one, per failed check.
 */
function readVariables(env: NodeJS.ProcessEnv): { given: Values; values: Values; problems: [string, string][] } {
  const given: Record<string, unknown> = {};
  const values: Record<string, unknown> = {};
  const problems: [string, string][] = [];
  for (const [name, variable] of DECLARED) {
    const raw = env[name];
    if (unset(raw)) {
      const { fallback } = variable;
      // A default computed from a refused value is not computed: the configuration will not start anyway.
      if (typeof fallback !== 'function') values[name] = fallback;
      else if (!problems.length) values[name] = (fallback as (v: Values) => unknown)(values);
      continue;
    }
    const value = variable.read(raw);
    if (value instanceof Refused) problems.push([name, value.message]);
    else given[name] = values[name] = value;
  }
  for (const [name, variable] of DECLARED) {
    const needs = variable.requiredWith;
    if (needs && !unset(env[needs.name]) && unset(env[name])) problems.push([name, `is required with ${needs.name}${needs.hint ?? ''}`]);
    const problem = unset(env[name]) ? null : variable.check?.(given[name], given, values);
    if (problem) problems.push([name, problem]);
  }
  return { given, values, problems };
}

/** AppConfig from the values: each where its variable's declaration puts it. */
function assemble(given: Values, values: Values, warnings: string[]): AppConfig {
  const fields: Record<string, unknown> = {};
  const sections: Record<keyof Sections, Record<string, unknown>> = { database: {}, metrics: {}, sso: {}, smtp: {} };
  for (const [name, variable] of DECLARED) {
    if (variable.at === null) continue;
    const [field, inSection] = variable.at.split('.');
    if (inSection !== undefined) sections[field as keyof Sections][inSection] = values[name];
    else if (field === 'smtp') Object.assign(sections.smtp, values[name]);
    else fields[field] = values[name];
  }
  for (const [section, name] of Object.entries(SECTION_WHEN)) if (given[name] === undefined) fields[section] = null;
  return {
    database: sections.database,
    metrics: sections.metrics,
    sso: sections.sso,
    smtp: sections.smtp,
    ...fields,
    tracing: Boolean(given['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] || given['OTEL_EXPORTER_OTLP_ENDPOINT']),
    warnings,
  } as unknown as AppConfig;
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
  const unknown = unknownVariables(source, NAMES);
  const read = readVariables(files.env);
  const named = (name: string) => (files.fromFiles.includes(name) ? `${name} (from ${name}_FILE)` : name);
  const problems = [...files.problems, ...unknown.problems, ...read.problems.map(([name, problem]) => `${named(name)} ${problem}`)];
  const { given, values } = read;
  if (!read.problems.length && values['NODE_ENV'] === 'production' && !options.worker) {
    const why = 'in production (NODE_ENV unset or production)';
    if (given['DATABASE_URL'] === undefined)
      problems.push(
        `DATABASE_URL is required ${why}: postgres://user:password@host:5432/roster, or DATABASE_URL=embedded for a PostgreSQL that Roster starts itself (one instance, data in ROSTER_DATA_DIR)`,
      );
    else if (given['DATABASE_URL'] !== null && given['ROSTER_SECRET_KEY'] === undefined)
      problems.push(
        `ROSTER_SECRET_KEY is required ${why} with DATABASE_URL: 32 bytes, base64 (openssl rand -base64 32), the same on every instance`,
      );
  }
  if (problems.length) throw new ConfigError(problems);
  const warnings = [...unknown.warnings];
  if (values['ALLOW_PRIVATE_TARGETS'] === true && values['NODE_ENV'] === 'production')
    warnings.push(
      'ALLOW_PRIVATE_TARGETS is on in production: back-channel logout, webhooks and the SSO providers of organizations may reach private, loopback and link-local addresses (cloud metadata services included), and webhooks plain http; it is meant for development and tests',
    );
  if (source === process.env) {
    for (const name of SECRET_FILE_VARIABLES) {
      if (files.fromFiles.includes(name)) process.env[name] = files.env[name];
      delete process.env[`${name}_FILE`];
    }
  }
  return assemble(given, values, warnings);
}

export const APP_CONFIG = Symbol('APP_CONFIG');
