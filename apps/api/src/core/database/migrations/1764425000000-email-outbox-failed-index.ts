import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Emails given up (FAILED) are counted at every metrics scrape: a partial index keeps that count to
 * the failed rows, however many sent emails the outbox keeps (as `email_outbox_due` does for PENDING).
 */
export class EmailOutboxFailedIndex1764425000000 implements MigrationInterface {
  name = 'EmailOutboxFailedIndex1764425000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "email_outbox_failed" ON "email_outbox" ("created_at") WHERE "status" = 'FAILED'`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "email_outbox_failed"`);
  }
}
