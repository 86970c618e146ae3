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
  sessionTtlHours: number;
  cookieSecure: boolean;
  logLevel: string;
  playground: boolean;
  trustProxy: boolean;
  sqlStatementHeader: boolean;
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
    sessionTtlHours: int('SESSION_TTL_HOURS', 24 * 14),
    cookieSecure: bool('COOKIE_SECURE', publicUrl.startsWith('https://')),
    logLevel: process.env['LOG_LEVEL'] || (production ? 'info' : 'info'),
    // On by default for local runs and development; set GRAPHQL_PLAYGROUND for deployments.
    playground: bool('GRAPHQL_PLAYGROUND', !production || /^https?:\/\/(localhost|127\.0\.0\.1)(:|\/|$)/.test(publicUrl)),
    trustProxy: bool('TRUST_PROXY', false),
    sqlStatementHeader: bool('SQL_STATEMENT_HEADER', false),
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
