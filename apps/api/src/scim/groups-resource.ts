import type { ScimTeamRow } from '../teams/scim-teams';
import { SCIM_GROUP_SCHEMA } from './schemas';
import { versionTag } from './user-resource';

/**
 * A team as a SCIM Group (RFC 7643 §4.2, design §7): its name as `displayName`, `externalId`, its members
 * (SCIM users only: `value` the person's id, `display` their email) when they were read, `meta`.
 */
export function toScimGroup(row: ScimTeamRow, members: { id: string; email: string }[] | undefined, base: string): Record<string, unknown> {
  return {
    schemas: [SCIM_GROUP_SCHEMA],
    id: row.id,
    ...(row.external_id !== null ? { externalId: row.external_id } : {}),
    displayName: row.name,
    ...(members
      ? {
          members: [...members]
            .sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0))
            .map((m) => ({ value: m.id, display: m.email, $ref: `${base}/Users/${m.id}`, type: 'User' })),
        }
      : {}),
    meta: {
      resourceType: 'Group',
      created: new Date(row.created_at).toISOString(),
      lastModified: new Date(row.updated_at).toISOString(),
      location: `${base}/Groups/${row.id}`,
      version: versionTag(row.version),
    },
  };
}
