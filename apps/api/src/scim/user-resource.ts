import type { ScimMemberRow } from '../users/scim-members';
import { UserStatus } from '../users/users.enums';
import { SCIM_USER_SCHEMA } from './schemas';

/** The formatted name: "given family" without the spaces around it (as users/members-filter.ts filters it). */
export function formattedName(first: string, last: string): string {
  return `${first} ${last}`.replace(/^ +| +$/g, '');
}

/** `meta.version` and the ETag: a weak tag of the row's last change, in microseconds. */
export const versionTag = (version: string) => `W/"${version}"`;

/**
 * A SCIM user as RFC 7643 §4.1 shows it (design §5): the login email as `userName` and the one primary
 * work email, the names, `displayName` (stored, else the formatted name), `active`, the role, the teams as
 * `groups` when they were read, `meta`. Never a password; nothing of the enterprise extension (none of it
 * is stored). `base`: PUBLIC_URL/scim/v2. Empty texts are left out (unassigned).
 */
export function toScimUser(row: ScimMemberRow, base: string): Record<string, unknown> {
  const formatted = formattedName(row.first_name, row.last_name);
  const name: Record<string, string> = {};
  if (formatted) name['formatted'] = formatted;
  if (row.last_name) name['familyName'] = row.last_name;
  if (row.first_name) name['givenName'] = row.first_name;
  const displayName = row.display_name ?? formatted;
  const location = `${base}/Users/${row.id}`;
  return {
    schemas: [SCIM_USER_SCHEMA],
    id: row.id,
    ...(row.external_id !== null ? { externalId: row.external_id } : {}),
    userName: row.email,
    name,
    ...(displayName ? { displayName } : {}),
    emails: [{ value: row.email, type: 'work', primary: true }],
    active: row.status === UserStatus.ACTIVE,
    roles: [{ value: row.role_key, display: row.role_name, primary: true }],
    ...(row.teams ? { groups: row.teams.map((t) => ({ value: t.id, display: t.name, $ref: `${base}/Groups/${t.id}` })) } : {}),
    meta: {
      resourceType: 'User',
      created: new Date(row.joined_at).toISOString(),
      lastModified: new Date(row.updated_at).toISOString(),
      location,
      version: versionTag(row.version),
    },
  };
}
