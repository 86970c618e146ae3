/**
 * The fixed limits of webhook delivery (the README names them). Only the first retry delay is configured
 * (WEBHOOK_RETRY_BASE_MS); everything else here is a constant.
 */

/** One attempt, from connecting to the last byte read: then it counts as `timeout`. */
export const WEBHOOK_ATTEMPT_TIMEOUT_MS = 10_000;
/** The bytes of an answer kept (and read: the socket is destroyed beyond them). */
export const WEBHOOK_RESPONSE_BODY_MAX = 4096;
/** How long a delivery is retried after its event (the table's default for `retry_until`). */
export const WEBHOOK_RETRY_WINDOW_HOURS = 24;
/** An endpoint without a success for this long is disabled (FAILING) at its next failure. */
export const WEBHOOK_FAILING_DISABLE_HOURS = 72;
/** How long a claimed delivery is reserved for the process attempting it (covers the attempt and its outcome). */
export const WEBHOOK_LEASE_SECONDS = 20;
/** Delivery log kept after a delivery finished (the janitor's purge). */
export const WEBHOOK_LOG_DAYS = 30;
/** Attempts in flight at once in one process. */
export const WEBHOOK_IN_FLIGHT_PER_PROCESS = 64;
/** Attempts in flight at once to one endpoint in one process (a slow endpoint holds these, never the others' slots). */
export const WEBHOOK_IN_FLIGHT_PER_ENDPOINT = 8;
/** Pool connections the worker uses at once, at most (requests come first). */
export const WEBHOOK_WORKER_CONNECTIONS = 2;
/** No claim while the event loop lags more than this. */
export const WEBHOOK_MAX_LOOP_LAG_MS = 50;
/** The longest wait a Retry-After may ask for. */
export const WEBHOOK_RETRY_AFTER_MAX_MS = 3_600_000;
/** Owners (active members holding webhooks:manage) emailed when Roster disables an endpoint, at most. */
export const WEBHOOK_DISABLED_EMAILS_MAX = 50;
/** The longest error text stored (`last_error`). */
export const WEBHOOK_ERROR_MAX = 300;
