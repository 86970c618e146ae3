import type { Principal, PrincipalOrganization } from './principal';

/**
 * What a principal statement found for a credential: the caller, the organization the request may act
 * in (null: none — the header named another, or it is not active), and when the credential expires.
 * RequestPrincipals joins them, and decides whether the request is refused.
 */
export interface PrincipalFound<Expiry> {
  principal: Omit<Principal, 'organization' | 'organizationRefused'>;
  organization: PrincipalOrganization | null;
  expiresAt: Expiry;
}

/** The organization columns of a principal statement's row. */
export function organizationOfRow(row: {
  organization_id: string | null;
  organization_slug: string | null;
  organization_name: string | null;
}): PrincipalOrganization | null {
  return row.organization_id === null
    ? null
    : { id: row.organization_id, slug: row.organization_slug as string, name: row.organization_name as string };
}
