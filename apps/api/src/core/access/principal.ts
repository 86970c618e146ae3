import { ErrorCode } from '@roster/contracts/errors';
import { AppError } from '../errors/app-error';

/** Who is calling: resolved once per request from the session cookie or an API token. */
export interface Principal {
  userId: string;
  email: string;
  /** The browser session (null for API tokens). */
  sessionId: string | null;
  /** The API token (null for browser sessions). */
  tokenId: string | null;
  /** The API token's name (absent for browser sessions): audit events of a token say which one acted. */
  tokenName?: string;
  permissions: string[];
  /**
   * The role behind `permissions` in the organization the request acts in: the person's role there,
   * or, for an API token capped to a role, the cap's. Null when the request acts in no organization.
   */
  role?: PrincipalRole | null;
  via: 'cookie' | 'bearer';
  /** A platform operator (a permission of the person, not of a role), acting through a browser session; false for API tokens. */
  operator: boolean;
  /**
   * The person's role requires two-factor authentication and they have none yet (browser sessions
   * only): until they set it up, only the operations that lead there are open to them.
   */
  twoFactorSetupRequired?: boolean;

  /**
   * The organization this request acts in: the one the `X-Roster-Organization` header names, else
   * the person's own (browser sessions), or the token's own (API tokens). Null when refused.
   */
  organization: PrincipalOrganization | null;
  /**
   * The request named an organization the caller may not act in (unknown, malformed, suspended, or
   * not the token's), or the caller's own is suspended: every operation is refused but those that act
   * in no organization (the public pages, signing out).
   */
  organizationRefused?: boolean;
}

/** The role a request acts with: its key and its name (read with the principal, cached with it). */
export interface PrincipalRole {
  key: string;
  name: string;
}

/** What a request knows of the organization it acts in (active, necessarily). */
export interface PrincipalOrganization {
  id: string;
  slug: string;
  name: string;
}

/**
 * The id of the organization a request acts in. Every statement on an organization's data names it;
 * a caller acting in none (an operator who belongs nowhere, say) is refused.
 */
export function organizationOf(principal: Pick<Principal, 'organization'>): string {
  if (!principal.organization) throw new AppError(ErrorCode.Forbidden, 'Choose an organization to act in.');
  return principal.organization.id;
}
