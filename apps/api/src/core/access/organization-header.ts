import { SLUG_MAX } from '@roster/contracts/organizations';

/**
 * What the `X-Roster-Organization` header names, ready for the principal statements: an id (a UUID,
 * any case) or a slug (any case, lower-cased). A value that can be neither (empty, too long, other
 * characters, several headers) names nothing that exists: `slug: ''` matches no organization, so it is
 * refused exactly like an unknown one, and slugs cannot be probed by how a refusal looks.
 */
export interface OrganizationHeader {
  /** Whether the request carries the header at all (without it, the caller's own organization). */
  present: boolean;
  id: string | null;
  slug: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** ASCII only, tested before lower-casing (some non-ASCII letters lower-case to ASCII ones). */
const SLUG = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

export const NO_ORGANIZATION_HEADER: OrganizationHeader = { present: false, id: null, slug: null };

export function parseOrganizationHeader(value: string | string[] | undefined): OrganizationHeader {
  if (value === undefined) return NO_ORGANIZATION_HEADER;
  if (typeof value !== 'string') return { present: true, id: null, slug: '' };
  const v = value.trim();
  if (UUID.test(v)) return { present: true, id: v.toLowerCase(), slug: null };
  return { present: true, id: null, slug: v.length <= SLUG_MAX && SLUG.test(v) ? v.toLowerCase() : '' };
}
