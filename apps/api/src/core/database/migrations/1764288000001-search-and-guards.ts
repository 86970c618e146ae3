import { MigrationInterface, QueryRunner } from 'typeorm';
import { BUILT_IN_ROLES, RoleKey } from '@roster/contracts/permissions';

/**
 * What TypeORM cannot derive: the trigram index for email search, keyset sort indexes,
 * CHECK constraints, the user counter, the rate-limit table, and the built-in roles.
 */
export class SearchAndGuards1764288000001 implements MigrationInterface {
  name = 'SearchAndGuards1764288000001';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE INDEX "users_email_trgm" ON "users" USING gin ("email" gin_trgm_ops)`);
    await q.query(`CREATE INDEX "users_first_name_sort" ON "users" ("first_name", "id")`);
    await q.query(`CREATE INDEX "users_last_name_sort" ON "users" ("last_name", "id")`);
    await q.query(`CREATE INDEX "users_last_sign_in_sort" ON "users" ((COALESCE("last_sign_in_at", '-infinity'::timestamptz)), "id")`);
    await q.query(`CREATE INDEX "users_role_sort" ON "users" ("role_id", "email")`);
    await q.query(`CREATE UNIQUE INDEX "teams_name_lower_key" ON "teams" (lower("name"))`);
    await q.query(`ALTER TABLE "users" ADD CONSTRAINT "users_email_lower" CHECK ("email" = lower("email"))`);
    await q.query(`ALTER TABLE "users" ADD CONSTRAINT "users_status_check" CHECK ("status" IN ('ACTIVE', 'INVITED'))`);
    await q.query(`ALTER TABLE "users" ADD CONSTRAINT "users_language_check" CHECK ("language" IN ('en', 'fr'))`);
    await q.query(`ALTER TABLE "users" ADD CONSTRAINT "users_theme_check" CHECK ("theme" IN ('LIGHT', 'DARK', 'SYSTEM'))`);

    // An exact user count without scanning a million rows: kept by statement-level triggers.
    await q.query(`CREATE TABLE "user_counts" ("id" integer PRIMARY KEY CHECK ("id" = 1), "n" bigint NOT NULL)`);
    await q.query(`INSERT INTO "user_counts" ("id", "n") SELECT 1, count(*) FROM "users"`);
    await q.query(`CREATE FUNCTION "user_counts_ins"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN UPDATE "user_counts" SET "n" = "n" + (SELECT count(*) FROM new_rows) WHERE "id" = 1; RETURN NULL; END $$`);
    await q.query(`CREATE FUNCTION "user_counts_del"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN UPDATE "user_counts" SET "n" = "n" - (SELECT count(*) FROM old_rows) WHERE "id" = 1; RETURN NULL; END $$`);
    await q.query(`CREATE TRIGGER "users_count_ins" AFTER INSERT ON "users" REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION "user_counts_ins"()`);
    await q.query(`CREATE TRIGGER "users_count_del" AFTER DELETE ON "users" REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION "user_counts_del"()`);

    // Shared counters of rate-limiter-flexible (sign-in attempts), so every instance sees the same.
    await q.query(`CREATE TABLE "rate_limits" ("key" varchar(255) PRIMARY KEY, "points" integer NOT NULL DEFAULT 0, "expire" bigint)`);

    const keys = Object.keys(BUILT_IN_ROLES) as RoleKey[];
    for (const [rank, key] of keys.entries()) {
      const role = BUILT_IN_ROLES[key];
      await q.query(`INSERT INTO "roles" ("key", "name", "permissions", "rank", "built_in") VALUES ($1, $2, $3, $4, true)`, [
        key,
        role.name,
        [...role.permissions],
        rank + 1,
      ]);
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM "roles" WHERE "built_in"`);
    await q.query(`DROP TABLE "rate_limits"`);
    await q.query(`DROP TRIGGER "users_count_del" ON "users"`);
    await q.query(`DROP TRIGGER "users_count_ins" ON "users"`);
    await q.query(`DROP FUNCTION "user_counts_del"()`);
    await q.query(`DROP FUNCTION "user_counts_ins"()`);
    await q.query(`DROP TABLE "user_counts"`);
    for (const c of ['users_theme_check', 'users_language_check', 'users_status_check', 'users_email_lower']) {
      await q.query(`ALTER TABLE "users" DROP CONSTRAINT "${c}"`);
    }
    for (const i of [
      'teams_name_lower_key',
      'users_role_sort',
      'users_last_sign_in_sort',
      'users_last_name_sort',
      'users_first_name_sort',
      'users_email_trgm',
    ]) {
      await q.query(`DROP INDEX "${i}"`);
    }
  }
}
