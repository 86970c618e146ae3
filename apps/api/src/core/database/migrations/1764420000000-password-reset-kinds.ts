import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A person may hold two password-reset links at once: the one an admin made and the one they asked
 * for themselves ("Forgot password?"). Each replaces only the earlier link of its own kind, so an
 * anonymous request can no longer cancel the link an admin has just handed over.
 */
export class PasswordResetKinds1764420000000 implements MigrationInterface {
  name = 'PasswordResetKinds1764420000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "password_resets" ADD "self_service" boolean NOT NULL DEFAULT false`);
    await q.query(`UPDATE "password_resets" SET "self_service" = true WHERE "created_by_id" IS NULL`);
    await q.query(`ALTER TABLE "password_resets" DROP CONSTRAINT "UQ_password_resets_user_id"`);
    await q.query(`ALTER TABLE "password_resets" ADD CONSTRAINT "UQ_password_resets_user_kind" UNIQUE ("user_id", "self_service")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    // One link per person again: the admin-made one stays where both exist.
    await q.query(`DELETE FROM "password_resets" p WHERE p."self_service"
      AND EXISTS (SELECT 1 FROM "password_resets" a WHERE a."user_id" = p."user_id" AND NOT a."self_service")`);
    await q.query(`ALTER TABLE "password_resets" DROP CONSTRAINT "UQ_password_resets_user_kind"`);
    await q.query(`ALTER TABLE "password_resets" ADD CONSTRAINT "UQ_password_resets_user_id" UNIQUE ("user_id")`);
    await q.query(`ALTER TABLE "password_resets" DROP COLUMN "self_service"`);
  }
}
