import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log screen: newest first on (created_at, id), filtered by actor, target (id or the email
 * copied at the time, case-insensitively) or action, each through an index that leads with the filter
 * and gives rows already in order. The (created_at, id) index replaces the one on created_at alone.
 */
export class AuditLog1764380000000 implements MigrationInterface {
  name = 'AuditLog1764380000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "audit_events_time" ON "audit_events" ("created_at", "id")`);
    await q.query(`DROP INDEX "audit_events_created_at_idx"`);
    await q.query(`CREATE INDEX "audit_events_action" ON "audit_events" ("action", "created_at", "id")`);
    await q.query(`CREATE INDEX "audit_events_actor_id" ON "audit_events" ("actor_id", "created_at", "id") WHERE "actor_id" IS NOT NULL`);
    await q.query(
      `CREATE INDEX "audit_events_target_id" ON "audit_events" ("target_id", "created_at", "id") WHERE "target_id" IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX "audit_events_actor_email" ON "audit_events" (lower("actor_email"), "created_at", "id") WHERE "actor_email" IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX "audit_events_target_email" ON "audit_events" (lower("target_email"), "created_at", "id") WHERE "target_email" IS NOT NULL`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "audit_events_target_email"`);
    await q.query(`DROP INDEX "audit_events_actor_email"`);
    await q.query(`DROP INDEX "audit_events_target_id"`);
    await q.query(`DROP INDEX "audit_events_actor_id"`);
    await q.query(`DROP INDEX "audit_events_action"`);
    await q.query(`CREATE INDEX "audit_events_created_at_idx" ON "audit_events" ("created_at")`);
    await q.query(`DROP INDEX "audit_events_time"`);
  }
}
