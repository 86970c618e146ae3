import { WEBHOOK_RETRY_AFTER_MAX_MS } from './webhook-limits';

/**
 * When a failed delivery is tried again. After the k-th failed attempt the delay is
 * `base × 2^(k−1) × uniform(0.8, 1.2)`; a 429 or 503 answer's Retry-After (seconds, or an HTTP date) waits
 * `max(backoff, min(Retry-After, 1 h))` — honoured, never more than an hour, never sooner than the backoff;
 * a malformed value is ignored. A delay that would fall past the delivery's `retry_until` is cut to it (one
 * last attempt then), and once `retry_until` has passed there is none: the delivery is given up (FAILED).
 */

export interface RetryInput {
  /** Attempts made so far, this failed one included (1 after the first). */
  attempts: number;
  /** WEBHOOK_RETRY_BASE_MS. */
  baseMs: number;
  /** Time left until `retry_until`, as of this failure (≤ 0: past it). */
  remainingMs: number;
  /** The answer's status (null: no HTTP answer). */
  status: number | null;
  /** The answer's Retry-After header, as received. */
  retryAfter?: string | string[] | null;
  /** The instant of this failure (for an HTTP-date Retry-After). */
  now?: number;
  /** A uniform number in [0, 1) (Math.random by default; tests pass their own). */
  random?: () => number;
}

/** The delay before the next attempt, in milliseconds, or null when the delivery is to be given up. */
export function retryDelayMs(input: RetryInput): number | null {
  if (input.remainingMs <= 0) return null;
  const jitter = 0.8 + 0.4 * (input.random ?? Math.random)();
  const exponent = Math.min(Math.max(input.attempts - 1, 0), 40);
  let delay = input.baseMs * 2 ** exponent * jitter;
  if (input.status === 429 || input.status === 503) {
    const asked = retryAfterMs(input.retryAfter, input.now ?? Date.now());
    if (asked !== null) delay = Math.max(delay, Math.min(asked, WEBHOOK_RETRY_AFTER_MAX_MS));
  }
  return Math.max(0, Math.round(Math.min(delay, input.remainingMs)));
}

const SECONDS = /^\d{1,10}$/;
/** IMF-fixdate (RFC 9110's preferred HTTP date): `Sun, 06 Nov 1994 08:49:37 GMT`. */
const HTTP_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * What a Retry-After header asks for, in milliseconds from `now` (0 for a date already past), or null when
 * it is absent or malformed (several values, a negative or fractional number, any other text).
 */
export function retryAfterMs(value: string | string[] | null | undefined, now: number): number | null {
  if (value === null || value === undefined || Array.isArray(value)) return null;
  const text = value.trim();
  if (SECONDS.test(text)) return Number(text) * 1000;
  if (!HTTP_DATE.test(text)) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
