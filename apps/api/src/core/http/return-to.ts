import type { AppConfig } from '../config/config';

/**
 * Where sign-in and sign-out may send a person back (`returnTo`): a path on Roster itself, or a URL of
 * one of the RETURN_TO_ORIGINS. Anything else (another origin, port or scheme, user-info tricks,
 * scheme-relative `//evil`, backslashes that browsers read as slashes, control characters that the URL
 * parser would silently drop) is refused: the caller then uses Roster's own page.
 */

/** Longer than any honest return address; refused without parsing. */
const MAX_LENGTH = 2048;
/** C0 controls, DEL and C1 controls: the WHATWG parser strips or keeps them in ways a person cannot see. */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export interface ReturnToPolicy {
  /** Roster's own URL (PUBLIC_URL): relative paths resolve against it. */
  publicUrl: string;
  /** Exact origins (WHATWG form) a person may be sent back to, besides Roster's own. */
  origins: readonly string[];
}

/** The policy the configuration sets: Roster itself and RETURN_TO_ORIGINS. */
export function returnToPolicy(config: Pick<AppConfig, 'publicUrl' | 'returnToOrigins'>): ReturnToPolicy {
  return { publicUrl: config.publicUrl, origins: config.returnToOrigins };
}

/**
 * The absolute URL to send the person to, or null when `raw` is refused. A relative path must start
 * with exactly one `/` and stays on Roster's origin; an absolute URL must be http(s), carry no user
 * or password, and have exactly one of the listed origins (Roster's own included).
 */
export function resolveReturnTo(raw: unknown, policy: ReturnToPolicy): string | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_LENGTH) return null;
  if (CONTROL.test(raw) || raw.includes('\\') || raw !== raw.trim()) return null;
  const own = new URL(policy.publicUrl);
  if (raw.startsWith('/')) {
    if (raw.startsWith('//')) return null;
    let u: URL;
    try {
      u = new URL(raw, own.origin);
    } catch {
      return null;
    }
    return u.origin === own.origin ? u.href : null;
  }
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  if (u.username !== '' || u.password !== '') return null;
  // The authority as written must be the parsed host: no `@` anywhere before the path.
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(raw);
  if (!authority || authority[1].includes('@')) return null;
  return u.origin === own.origin || policy.origins.includes(u.origin) ? u.href : null;
}

/** Whether an origin (a request's `Origin` header) is one of the listed ones (exact, WHATWG form). */
export function allowedOrigin(origin: string | undefined, policy: ReturnToPolicy): string | null {
  if (typeof origin !== 'string' || origin === 'null' || CONTROL.test(origin)) return null;
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return null;
  }
  // The header must be an origin exactly as a browser writes it (no path, no user, no trailing slash).
  if (u.origin !== origin) return null;
  return policy.origins.includes(origin) ? origin : null;
}
