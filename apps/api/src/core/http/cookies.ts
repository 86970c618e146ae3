import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse, serialize } from 'cookie';
import type { CallerRequest } from './http-context';

/**
 * The cookies of a Cookie header, read one way wherever a request arrives (Express's pipeline and the
 * direct GraphQL path), so a credential is the same credential on both: the `cookie` package's rules
 * (the first of duplicate names wins, spaces around names and values are dropped, `%XX` escapes are
 * decoded when valid, and quotes are part of the value: `"x"` is not `x`).
 */
export function parseCookies(header: string | undefined): Record<string, string | undefined> {
  return parse(header ?? '');
}

/** Sets `req.cookies` from the Cookie header, as a step of Express's pipeline. */
export function readCookies(req: IncomingMessage, _res: ServerResponse, next: () => void): void {
  (req as CallerRequest).cookies = parseCookies(req.headers.cookie);
  next();
}

export interface CookieOptions {
  httpOnly: boolean;
  secure: boolean;
  sameSite: 'lax' | 'strict';
  /** '/' when not given. */
  path?: string;
  /** The Domain attribute (COOKIE_DOMAIN); host-only when not given. */
  domain?: string;
  expires?: Date;
  /** Lifetime in milliseconds: sent as Max-Age (seconds) and Expires. */
  maxAgeMs?: number;
}

/** Adds a Set-Cookie header (keeping those already set), on any Node response. */
export function setCookie(res: ServerResponse, name: string, value: string, options: CookieOptions): void {
  const { maxAgeMs, path, ...rest } = options;
  const lifetime = maxAgeMs === undefined ? {} : { maxAge: Math.floor(maxAgeMs / 1000), expires: new Date(Date.now() + maxAgeMs) };
  appendSetCookie(res, serialize(name, value, { ...rest, path: path ?? '/', ...lifetime }));
}

/** Tells the browser to drop a cookie (same name, path and flags; expired). */
export function clearCookie(res: ServerResponse, name: string, options: CookieOptions): void {
  const { httpOnly, secure, sameSite, path, domain } = options;
  appendSetCookie(res, serialize(name, '', { httpOnly, secure, sameSite, path: path ?? '/', domain, expires: new Date(1) }));
}

function appendSetCookie(res: ServerResponse, cookie: string): void {
  const existing = res.getHeader('Set-Cookie');
  const all = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  res.setHeader('Set-Cookie', [...all, cookie]);
}
