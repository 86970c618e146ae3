import { resolve } from 'node:path';

/** All configuration comes from the environment; this is the one place that reads it. */
export interface AppConfig {
  port: number;
  host: string;
  publicUrl: string;
  databaseUrl: string | null;
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
}

export interface SmtpConfig {
  /** e.g. smtps://user:password@mail.example.com:465 or smtp://mail.example.com:587 */
  url: string;
  /** The From address, e.g. "Roster <roster@example.com>". */
  from: string;
  /** Seconds between two looks at the outbox (each instance); a new email is also sent at once. */
  pollSeconds: number;
}

function smtpConfig(): SmtpConfig | null {
  const url = process.env['SMTP_URL'];
  if (!url) return null;
  if (!/^smtps?:\/\//.test(url)) throw new Error('SMTP_URL must start with smtp:// or smtps://');
  const from = process.env['SMTP_FROM'];
  if (!from) throw new Error('SMTP_FROM is required with SMTP_URL (e.g. "Roster <roster@example.com>")');
  return { url, from, pollSeconds: Math.max(1, int('SMTP_POLL_SECONDS', 5)) };
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

function ssoConfig(): SsoConfig | null {
  const issuer = process.env['OIDC_ISSUER'];
  if (!issuer) return null;
  const clientId = process.env['OIDC_CLIENT_ID'];
  const clientSecret = process.env['OIDC_CLIENT_SECRET'];
  if (!clientId || !clientSecret) throw new Error('OIDC_ISSUER needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET');
  return {
    issuer: issuer.replace(/\/+$/, ''),
    clientId,
    clientSecret,
    allowedDomains: (process.env['OIDC_ALLOWED_DOMAINS'] ?? '')
      .split(',')
      .map((d) => d.trim().toLowerCase())
      .filter(Boolean),
    defaultRole: (process.env['OIDC_DEFAULT_ROLE'] || 'MEMBER').toUpperCase(),
    label: process.env['OIDC_LABEL'] || 'SSO',
    linkByEmail: bool('OIDC_LINK_BY_EMAIL', false),
  };
}

function int(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

function bool(name: string, fallback: boolean): boolean {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  return ['1', 'true', 'yes', 'on'].includes(raw.toLowerCase());
}

/**
 * TRUST_PROXY: unset/false/0 trusts nobody (the socket address is the client). A number N trusts the
 * N nearest proxies (X-Forwarded-For is read from the right, N hops deep); a comma-separated list
 * trusts those addresses or subnets (also "loopback", "linklocal", "uniquelocal"). "true" means one
 * proxy: trusting every hop would let any client choose its own address.
 */
export function trustProxy(raw: string | undefined): TrustProxy {
  const value = (raw ?? '').trim().toLowerCase();
  if (['', 'false', '0', 'no', 'off'].includes(value)) return false;
  if (['true', 'yes', 'on'].includes(value)) return 1;
  if (/^\d+$/.test(value)) return Number(value);
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const valid = /^(loopback|linklocal|uniquelocal|[0-9a-f:.]+(\/\d{1,3})?)$/;
  const bad = list.find((s) => !valid.test(s));
  if (bad) throw new Error(`TRUST_PROXY must be false, a hop count or a list of proxy addresses/subnets; "${bad}" is none of these`);
  return list;
}

export function loadConfig(): AppConfig {
  const port = int('PORT', 3000);
  const host = process.env['HOST'] || '0.0.0.0';
  const publicUrl = (process.env['PUBLIC_URL'] || `http://localhost:${port}`).replace(/\/+$/, '');
  const production = (process.env['NODE_ENV'] ?? 'production') === 'production';
  return {
    port,
    host,
    publicUrl,
    databaseUrl: process.env['DATABASE_URL'] || null,
    dataDir: resolve(process.env['ROSTER_DATA_DIR'] || '.roster-data'),
    consoleDir: resolve(process.env['CONSOLE_DIR'] || 'dist/apps/console/browser'),
    invitationTtlHours: int('INVITATION_TTL_HOURS', 24 * 7),
    passwordResetTtlHours: int('PASSWORD_RESET_TTL_HOURS', 24),
    sessionTtlHours: int('SESSION_TTL_HOURS', 24 * 14),
    cookieSecure: bool('COOKIE_SECURE', publicUrl.startsWith('https://')),
    logLevel: process.env['LOG_LEVEL'] || (production ? 'info' : 'info'),
    // On by default for local runs and development; set GRAPHQL_PLAYGROUND for deployments.
    playground: bool('GRAPHQL_PLAYGROUND', !production || /^https?:\/\/(localhost|127\.0\.0\.1)(:|\/|$)/.test(publicUrl)),
    trustProxy: trustProxy(process.env['TRUST_PROXY']),
    sqlStatementHeader: bool('SQL_STATEMENT_HEADER', false),
    sso: ssoConfig(),
    passwordSignIn: bool('PASSWORD_SIGN_IN', true),
    workers: Math.max(1, int('WEB_CONCURRENCY', 1)),
    database: {
      poolSize: Math.max(1, int('DATABASE_POOL_SIZE', 10)),
      acquireTimeoutMs: int('DATABASE_ACQUIRE_TIMEOUT_MS', 5_000),
      statementTimeoutMs: int('DATABASE_STATEMENT_TIMEOUT_MS', 15_000),
      idleInTransactionTimeoutMs: int('DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS', 15_000),
    },
    janitorIntervalSeconds: int('JANITOR_INTERVAL_SECONDS', 600),
    smtp: smtpConfig(),
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
