/**
 * An audit event as the audit log shows it, as one JSON object: what webhooks send as `data` (and what any
 * other JSON view of an event should be). The fields are those of the `auditEvents` answer, grouped: the
 * actor and the target as `{ id, email }` (null when the log has neither), `details` as an object (the
 * GraphQL field carries the same content as a JSON string), and the organization it belongs to.
 */
export interface AuditEventJson {
  id: string;
  action: string;
  createdAt: string;
  organization: { id: string; slug: string | null };
  actor: { id: string | null; email: string | null } | null;
  target: { id: string | null; email: string | null } | null;
  details: Record<string, unknown>;
}

/** An event row as `AuditService.eventsByIds` reads it. */
export interface AuditEventRow {
  id: string;
  organization_id: string | null;
  created_at: Date;
  actor_id: string | null;
  actor_email: string | null;
  action: string;
  target_id: string | null;
  target_email: string | null;
  details: Record<string, unknown> | null;
}

const party = (id: string | null, email: string | null) => (id === null && email === null ? null : { id, email });

export function auditEventData(row: AuditEventRow, organization: { id: string; slug: string | null }): AuditEventJson {
  return {
    id: String(row.id),
    action: row.action,
    createdAt: row.created_at.toISOString(),
    organization: { id: organization.id, slug: organization.slug },
    actor: party(row.actor_id, row.actor_email),
    target: party(row.target_id, row.target_email),
    details: row.details ?? {},
  };
}
