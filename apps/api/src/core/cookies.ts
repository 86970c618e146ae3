import type { ServerResponse } from 'node:http';
import { serialize } from 'cookie';

export interface CookieOptions {
  httpOnly: boolean;
  secure: boolean;
  sameSite: 'lax' | 'strict';
  /** '/' when not given. */
  path?: string;
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
  const { httpOnly, secure, sameSite, path } = options;
  appendSetCookie(res, serialize(name, '', { httpOnly, secure, sameSite, path: path ?? '/', expires: new Date(1) }));
}

function appendSetCookie(res: ServerResponse, cookie: string): void {
  const existing = res.getHeader('Set-Cookie');
  const all = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  res.setHeader('Set-Cookie', [...all, cookie]);
}
