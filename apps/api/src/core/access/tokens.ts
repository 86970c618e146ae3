import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random URL-safe secret (session cookies, invitation and set-up tokens). */
export function newToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Secrets are stored only as their SHA-256 (they are random and long: no salt or KDF needed). */
export function hashToken(token: string): Buffer {
  return hash('sha256', token, 'buffer');
}

/** The CSRF token that goes with a session: derived, so nothing else is stored. */
export function csrfFor(sessionToken: string): string {
  return hash('sha256', `csrf:${sessionToken}`, 'base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
