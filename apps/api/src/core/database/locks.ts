/**
 * PostgreSQL advisory-lock ids, one list for the whole API (each id serialises one kind of work
 * across every instance sharing the database).
 */
export const LOCKS = {
  /** Migrations at start-up (session lock). */
  migrations: 72707,
  /** Changes that could leave the platform without an active admin (transaction lock). */
  admins: 72708,
  /** The first-admin set-up token and its use (transaction lock). */
  setup: 72709,
  /** The janitor's purge of expired rows: one instance at a time (transaction lock, tried, never waited for). */
  janitor: 72710,
  /**
   * Bulk invitations, one batch at a time (transaction lock, tried, never waited for: a second batch
   * is refused): each holds up to 1,000 per-email locks, and several at once could fill PostgreSQL's
   * shared lock table.
   */
  bulkInvitations: 72711,
  /** Granting and revoking platform operators, so the last one is never revoked (transaction lock). */
  operators: 72712,
  /** The OpenID Provider's signing-key rotation: one new key per period, whichever instance sees it due (transaction lock). */
  oidcKeys: 72713,
  /** An organization's OpenID Connect clients, counted against their limit while one is added (transaction lock, per organization). */
  oidcClients: 72714,
  /** An organization's webhook endpoints, counted against their limit while one is added (transaction lock, per organization). */
  webhookEndpoints: 72715,
} as const;
