import { SERVER_PATHS } from '@roster/contracts/http';

/**
 * `returnTo` on the sign-in page: where the platform's application asked Roster to send the person
 * back once signed in. A path on the console (exactly one leading `/`, no backslash, no control or
 * space character, not one the server answers, such as an application's sign-in through Roster at
 * /oidc/…) is followed in the console; anything else goes to the server's /auth/return, which
 * sends the person on only to an origin of RETURN_TO_ORIGINS and otherwise to Roster's own page (the
 * console does not know the list, and the server is where it is enforced).
 */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const UNSAFE = /[\u0000-\u0020\u007f-\u00a0\\]/;

/** The console path `returnTo` names, or null when it names anything else. */
export function consoleReturnPath(returnTo: string): string | null {
  if (!returnTo.startsWith('/') || returnTo.startsWith('//') || UNSAFE.test(returnTo) || SERVER_PATHS.test(returnTo)) return null;
  return returnTo;
}

/** The server's hop that checks `returnTo` against RETURN_TO_ORIGINS (full-page navigation). */
export function serverReturnUrl(returnTo: string): string {
  return `/auth/return?returnTo=${encodeURIComponent(returnTo)}`;
}

/**
 * A single sign-on link that carries `returnTo` through the provider: the server keeps it with the
 * sign-in's state and sends the person there afterwards, when it allows it (as for a password sign-in).
 */
export function ssoUrlWithReturnTo(url: string, returnTo: string | null | undefined): string {
  if (!returnTo) return url;
  return `${url}${url.includes('?') ? '&' : '?'}returnTo=${encodeURIComponent(returnTo)}`;
}
