import type { CallerRequest } from '../http/http-context';
import type { Principal } from './principal';

/**
 * Who is calling, from the request's credentials (session cookie or API token). Declared here, below
 * every feature, and provided by the sign-in feature (auth/), so the guard needs no feature import.
 */
export abstract class PrincipalLookup {
  /** The caller, or null when anonymous; throws UNAUTHENTICATED for a malformed or dead token. Once per request. */
  abstract principalFor(req: CallerRequest): Promise<Principal | null>;
}
