import type { CallerRequest } from '../http/http-context';
import { Cookie, Header } from '@roster/contracts/http';
import { csrfFor, safeEqual } from './tokens';

/** Whether a cookie-authenticated request carries the CSRF token derived from its session cookie. */
export function hasValidCsrf(req: CallerRequest): boolean {
  const sent = req.headers[Header.Csrf];
  const session = req.cookies?.[Cookie.Session];
  return typeof sent === 'string' && typeof session === 'string' && safeEqual(sent, csrfFor(session));
}
