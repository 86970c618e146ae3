import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A two-factor policy (and an index for the admins' list of API tokens): roles that require it, and whether single sign-on counts as enough. Sessions
 * and pending second-factor sign-ins remember whether they came through single sign-on. A person's
 * two-factor state joins the changes announced on `roster_changes` (it decides what their session may
 * do), and so does the policy.
 */
export class TwoFactorPolicy1764390000000 implements MigrationInterface {
  name = 'TwoFactorPolicy1764390000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "roles" ADD "require_two_factor" boolean NOT NULL DEFAULT false`);
    await q.query(`CREATE TABLE "two_factor_policy" (
      "id" smallint NOT NULL DEFAULT 1,
      "sso_mode" character varying(16) NOT NULL DEFAULT 'TRUST_PROVIDER',
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "two_factor_policy_single" CHECK ("id" = 1),
      CONSTRAINT "two_factor_policy_sso_mode" CHECK ("sso_mode" IN ('TRUST_PROVIDER', 'REQUIRE_TOTP')),
      CONSTRAINT "PK_two_factor_policy" PRIMARY KEY ("id"))`);
    await q.query(`INSERT INTO "two_factor_policy" ("id") VALUES (1)`);
    await q.query(`ALTER TABLE "sessions" ADD "sso" boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE "mfa_challenges" ADD "sso" boolean NOT NULL DEFAULT false`);
    await q.query(`DROP TRIGGER "users_changed" ON "users"`);
    await q.query(`CREATE TRIGGER "users_changed" AFTER UPDATE OF "status", "role_id", "email", "totp_enabled_at" ON "users" FOR EACH ROW
      WHEN (OLD."status" IS DISTINCT FROM NEW."status" OR OLD."role_id" IS DISTINCT FROM NEW."role_id" OR OLD."email" IS DISTINCT FROM NEW."email"
        OR OLD."totp_enabled_at" IS DISTINCT FROM NEW."totp_enabled_at")
      EXECUTE FUNCTION "roster_notify_user"('id')`);
    await q.query(`CREATE TRIGGER "two_factor_policy_changed" AFTER UPDATE ON "two_factor_policy" FOR EACH STATEMENT
      EXECUTE FUNCTION "roster_notify_all"()`);
    // The admins' token list pages newest first.
    await q.query(`CREATE INDEX "api_tokens_created_at_id_idx" ON "api_tokens" ("created_at", "id")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "api_tokens_created_at_id_idx"`);
    await q.query(`DROP TRIGGER "two_factor_policy_changed" ON "two_factor_policy"`);
    await q.query(`DROP TRIGGER "users_changed" ON "users"`);
    await q.query(`CREATE TRIGGER "users_changed" AFTER UPDATE OF "status", "role_id", "email" ON "users" FOR EACH ROW
      WHEN (OLD."status" IS DISTINCT FROM NEW."status" OR OLD."role_id" IS DISTINCT FROM NEW."role_id" OR OLD."email" IS DISTINCT FROM NEW."email")
      EXECUTE FUNCTION "roster_notify_user"('id')`);
    await q.query(`ALTER TABLE "mfa_challenges" DROP COLUMN "sso"`);
    await q.query(`ALTER TABLE "sessions" DROP COLUMN "sso"`);
    await q.query(`DROP TABLE "two_factor_policy"`);
    await q.query(`ALTER TABLE "roles" DROP COLUMN "require_two_factor"`);
  }
}
