import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Platform operators: `users.operator`, a permission of the person (not a role in an organization) to
 * run the platform (organizations, other operators). Someone must hold it from the start: the active
 * people whose role may grant the Admin role (the set-up admin and their peers) become operators. A
 * change of the flag is announced like a change of role (`users_changed`), so cached principals follow.
 */
export class Operators1765000100000 implements MigrationInterface {
  name = 'Operators1765000100000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "users" ADD "operator" boolean NOT NULL DEFAULT false`);
    await q.query(`UPDATE "users" u SET "operator" = true FROM "roles" r
      WHERE r."id" = u."role_id" AND u."status" = 'ACTIVE' AND r."permissions" @> ARRAY['roles:grant-admin']::text[]`);
    await q.query(`DROP TRIGGER "users_changed" ON "users"`);
    await q.query(`CREATE TRIGGER "users_changed" AFTER UPDATE OF "status", "role_id", "email", "operator" ON "users" FOR EACH ROW
      WHEN (OLD."status" IS DISTINCT FROM NEW."status" OR OLD."role_id" IS DISTINCT FROM NEW."role_id"
            OR OLD."email" IS DISTINCT FROM NEW."email" OR OLD."operator" IS DISTINCT FROM NEW."operator")
      EXECUTE FUNCTION "roster_notify_user"('id')`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "users_changed" ON "users"`);
    await q.query(`CREATE TRIGGER "users_changed" AFTER UPDATE OF "status", "role_id", "email" ON "users" FOR EACH ROW
      WHEN (OLD."status" IS DISTINCT FROM NEW."status" OR OLD."role_id" IS DISTINCT FROM NEW."role_id" OR OLD."email" IS DISTINCT FROM NEW."email")
      EXECUTE FUNCTION "roster_notify_user"('id')`);
    await q.query(`ALTER TABLE "users" DROP COLUMN "operator"`);
  }
}
