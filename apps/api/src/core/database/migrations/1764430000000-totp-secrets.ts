import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A person's TOTP state leaves users for a table of its own, which two-factor/ owns: one row per person
 * who started or finished the set-up (sealed seed, pending seed, when it was enabled, last accepted
 * step), gone with the person. Turning it on or off is still announced on `roster_changes` (it decides
 * what a session may do), by triggers of this table now. The data moves both ways.
 */
export class TotpSecrets1764430000000 implements MigrationInterface {
  name = 'TotpSecrets1764430000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "totp_secrets" ("user_id" uuid NOT NULL, "secret" text, "pending_secret" text,
      "enabled_at" TIMESTAMP WITH TIME ZONE, "last_step" bigint, CONSTRAINT "PK_totp_secrets" PRIMARY KEY ("user_id"))`);
    await q.query(
      `ALTER TABLE "totp_secrets" ADD CONSTRAINT "FK_totp_secrets_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE`,
    );
    await q.query(`INSERT INTO "totp_secrets" ("user_id", "secret", "pending_secret", "enabled_at", "last_step")
      SELECT "id", "totp_secret", "totp_pending_secret", "totp_enabled_at", "totp_last_step" FROM "users"
       WHERE "totp_secret" IS NOT NULL OR "totp_pending_secret" IS NOT NULL OR "totp_enabled_at" IS NOT NULL OR "totp_last_step" IS NOT NULL`);
    await q.query(`DROP TRIGGER "users_changed" ON "users"`);
    await q.query(`CREATE TRIGGER "users_changed" AFTER UPDATE OF "status", "role_id", "email" ON "users" FOR EACH ROW
      WHEN (OLD."status" IS DISTINCT FROM NEW."status" OR OLD."role_id" IS DISTINCT FROM NEW."role_id" OR OLD."email" IS DISTINCT FROM NEW."email")
      EXECUTE FUNCTION "roster_notify_user"('id')`);
    await q.query(`CREATE TRIGGER "totp_changed" AFTER UPDATE OF "enabled_at" ON "totp_secrets" FOR EACH ROW
      WHEN (OLD."enabled_at" IS DISTINCT FROM NEW."enabled_at") EXECUTE FUNCTION "roster_notify_user"('user_id')`);
    await q.query(`CREATE TRIGGER "totp_ended" AFTER DELETE ON "totp_secrets" FOR EACH ROW
      WHEN (OLD."enabled_at" IS NOT NULL) EXECUTE FUNCTION "roster_notify_user"('user_id')`);
    for (const c of ['totp_last_step', 'totp_enabled_at', 'totp_pending_secret', 'totp_secret'])
      await q.query(`ALTER TABLE "users" DROP COLUMN "${c}"`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "users" ADD "totp_secret" text`);
    await q.query(`ALTER TABLE "users" ADD "totp_pending_secret" text`);
    await q.query(`ALTER TABLE "users" ADD "totp_enabled_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "users" ADD "totp_last_step" bigint`);
    await q.query(`UPDATE "users" u SET "totp_secret" = t."secret", "totp_pending_secret" = t."pending_secret",
      "totp_enabled_at" = t."enabled_at", "totp_last_step" = t."last_step" FROM "totp_secrets" t WHERE t."user_id" = u."id"`);
    await q.query(`DROP TRIGGER "users_changed" ON "users"`);
    await q.query(`CREATE TRIGGER "users_changed" AFTER UPDATE OF "status", "role_id", "email", "totp_enabled_at" ON "users" FOR EACH ROW
      WHEN (OLD."status" IS DISTINCT FROM NEW."status" OR OLD."role_id" IS DISTINCT FROM NEW."role_id" OR OLD."email" IS DISTINCT FROM NEW."email"
        OR OLD."totp_enabled_at" IS DISTINCT FROM NEW."totp_enabled_at")
      EXECUTE FUNCTION "roster_notify_user"('id')`);
    await q.query(`DROP TABLE "totp_secrets"`);
  }
}
