import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Role and Teams columns sort with an index on a million users: each user keeps a copy of their
 * role's rank and their number of teams, maintained by triggers (writes stay in one statement).
 */
export class SortColumns1764330000000 implements MigrationInterface {
  name = 'SortColumns1764330000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "users" ADD "role_rank" integer NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE "users" ADD "team_count" integer NOT NULL DEFAULT 0`);
    await q.query(`UPDATE "users" u SET "role_rank" = r."rank" FROM "roles" r WHERE r."id" = u."role_id"`);
    await q.query(
      `UPDATE "users" u SET "team_count" = c.n FROM (SELECT "user_id", count(*) AS n FROM "user_teams" GROUP BY "user_id") c WHERE c."user_id" = u."id"`,
    );

    await q.query(`CREATE FUNCTION "users_role_rank"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN NEW."role_rank" := (SELECT "rank" FROM "roles" WHERE "id" = NEW."role_id"); RETURN NEW; END $$`);
    await q.query(`CREATE TRIGGER "users_role_rank" BEFORE INSERT OR UPDATE OF "role_id" ON "users"
      FOR EACH ROW EXECUTE FUNCTION "users_role_rank"()`);
    await q.query(`CREATE FUNCTION "roles_rank_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN UPDATE "users" SET "role_rank" = NEW."rank" WHERE "role_id" = NEW."id"; RETURN NULL; END $$`);
    await q.query(`CREATE TRIGGER "roles_rank_changed" AFTER UPDATE OF "rank" ON "roles"
      FOR EACH ROW WHEN (OLD."rank" IS DISTINCT FROM NEW."rank") EXECUTE FUNCTION "roles_rank_changed"()`);

    await q.query(`CREATE FUNCTION "user_teams_ins"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN UPDATE "users" u SET "team_count" = u."team_count" + c.n
              FROM (SELECT "user_id", count(*) AS n FROM new_rows GROUP BY "user_id") c WHERE u."id" = c."user_id";
            RETURN NULL; END $$`);
    await q.query(`CREATE FUNCTION "user_teams_del"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN UPDATE "users" u SET "team_count" = u."team_count" - c.n
              FROM (SELECT "user_id", count(*) AS n FROM old_rows GROUP BY "user_id") c WHERE u."id" = c."user_id";
            RETURN NULL; END $$`);
    await q.query(`CREATE TRIGGER "user_teams_count_ins" AFTER INSERT ON "user_teams" REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION "user_teams_ins"()`);
    await q.query(`CREATE TRIGGER "user_teams_count_del" AFTER DELETE ON "user_teams" REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION "user_teams_del"()`);

    await q.query(`CREATE INDEX "users_role_rank_sort" ON "users" ("role_rank", "id")`);
    await q.query(`CREATE INDEX "users_team_count_sort" ON "users" ("team_count", "id")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "users_team_count_sort"`);
    await q.query(`DROP INDEX "users_role_rank_sort"`);
    await q.query(`DROP TRIGGER "user_teams_count_del" ON "user_teams"`);
    await q.query(`DROP TRIGGER "user_teams_count_ins" ON "user_teams"`);
    await q.query(`DROP FUNCTION "user_teams_del"()`);
    await q.query(`DROP FUNCTION "user_teams_ins"()`);
    await q.query(`DROP TRIGGER "roles_rank_changed" ON "roles"`);
    await q.query(`DROP FUNCTION "roles_rank_changed"()`);
    await q.query(`DROP TRIGGER "users_role_rank" ON "users"`);
    await q.query(`DROP FUNCTION "users_role_rank"()`);
    await q.query(`ALTER TABLE "users" DROP COLUMN "team_count"`);
    await q.query(`ALTER TABLE "users" DROP COLUMN "role_rank"`);
  }
}
