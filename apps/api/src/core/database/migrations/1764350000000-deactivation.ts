import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People can be deactivated: they keep their data, teams and history but cannot sign in. The users
 * table filters by status through an index (deactivated and invited people are few among many).
 */
export class Deactivation1764350000000 implements MigrationInterface {
  name = 'Deactivation1764350000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "users" DROP CONSTRAINT "users_status_check"`);
    await q.query(`ALTER TABLE "users" ADD CONSTRAINT "users_status_check" CHECK ("status" IN ('ACTIVE', 'INVITED', 'DEACTIVATED'))`);
    await q.query(`CREATE INDEX "users_status_sort" ON "users" ("status", "email")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "users_status_sort"`);
    await q.query(`UPDATE "users" SET "status" = 'ACTIVE' WHERE "status" = 'DEACTIVATED'`);
    await q.query(`ALTER TABLE "users" DROP CONSTRAINT "users_status_check"`);
    await q.query(`ALTER TABLE "users" ADD CONSTRAINT "users_status_check" CHECK ("status" IN ('ACTIVE', 'INVITED'))`);
  }
}
