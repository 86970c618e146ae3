/**
 * Names on the wire shared by the API and the console: cookies and headers.
 * Framework-free: no imports.
 */
export const Cookie = {
  /** The browser session (httpOnly). */
  Session: 'roster_session',
  /** The CSRF token the console echoes in the CSRF header (readable by scripts). */
  Csrf: 'roster_csrf',
  /** A browser that signed in to an account before: its own sign-in attempt counter (httpOnly). */
  Device: 'roster_device',
  /** Binds a single sign-on under way to the browser that started it (httpOnly). */
  SsoBrowser: 'roster_sso',
} as const;

export const Header = {
  /** Carries the CSRF cookie's value on cookie-authenticated GraphQL requests. */
  Csrf: 'x-csrf-token',
  /** Names the organization a request acts in (its slug or id). */
  Organization: 'x-roster-organization',
} as const;

/**
 * The paths the server answers itself (the API, sign-in hops, the OpenID Provider, probes); every other
 * GET of a page is the console's. A `returnTo` naming one of them is a full-page navigation, never a
 * route of the console.
 */
export const SERVER_PATHS = /^\/(graphql|api|auth|oidc|scim|\.well-known|playground|healthz|readyz|metrics)(\/|$|\?)/;
