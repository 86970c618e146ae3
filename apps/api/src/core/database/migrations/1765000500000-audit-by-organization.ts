import { MigrationInterface, QueryRunner } from 'typeorm';

/** The audit log's indexes: name, then the columns and condition before and after they are led by the organization. */
const INDEXES: { name: string; before: string; after: string; where?: string }[] = [
  { name: 'audit_events_time', before: `"created_at", "id"`, after: `"organization_id", "created_at", "id"` },
  { name: 'audit_events_action', before: `"action", "created_at", "id"`, after: `"organization_id", "action", "created_at", "id"` },
  {
    name: 'audit_events_actor_id',
    before: `"actor_id", "created_at", "id"`,
    after: `"organization_id", "actor_id", "created_at", "id"`,
    where: `"actor_id" IS NOT NULL`,
  },
  {
    name: 'audit_events_target_id',
    before: `"target_id", "created_at", "id"`,
    after: `"organization_id", "target_id", "created_at", "id"`,
    where: `"target_id" IS NOT NULL`,
  },
  {
    name: 'audit_events_actor_email',
    before: `lower("actor_email"), "created_at", "id"`,
    after: `"organization_id", lower("actor_email"), "created_at", "id"`,
    where: `"actor_email" IS NOT NULL`,
  },
  {
    name: 'audit_events_target_email',
    before: `lower("target_email"), "created_at", "id"`,
    after: `"organization_id", lower("target_email"), "created_at", "id"`,
    where: `"target_email" IS NOT NULL`,
  },
];

/**
 * The audit log per organization: each organization reads only its own events, so every index of the
 * log (the newest first, and each filter's) is led by the organization — a small organization's page
 * is a short range, however many events the others have. The platform's own events (no organization)
 * are read newest first through an index of their own.
 */
export class AuditByOrganization1765000500000 implements MigrationInterface {
  name = 'AuditByOrganization1765000500000';

  public async up(q: QueryRunner): Promise<void> {
    for (const { name, after, where } of INDEXES) {
      await q.query(`DROP INDEX "${name}"`);
      await q.query(`CREATE INDEX "${name}" ON "audit_events" (${after})${where ? ` WHERE ${where}` : ''}`);
    }
    await q.query(`CREATE INDEX "audit_events_platform" ON "audit_events" ("created_at", "id") WHERE "organization_id" IS NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "audit_events_platform"`);
    for (const { name, before, where } of [...INDEXES].reverse()) {
      await q.query(`DROP INDEX "${name}"`);
      await q.query(`CREATE INDEX "${name}" ON "audit_events" (${before})${where ? ` WHERE ${where}` : ''}`);
    }
  }
}
