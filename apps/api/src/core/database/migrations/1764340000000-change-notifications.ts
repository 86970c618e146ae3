import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every change that alters who a credential stands for is announced on the `roster_changes`
 * channel (LISTEN/NOTIFY), from the database itself, so every instance drops what it cached within
 * milliseconds whichever instance (or operator) made the change: `u:<user id>` when a person's
 * status, role or email changes, a session ends or a token is revoked or altered; `*` when roles change.
 */
export class ChangeNotifications1764340000000 implements MigrationInterface {
  name = 'ChangeNotifications1764340000000';

  public async up(q: QueryRunner): Promise<void> {
    // The user id column is the trigger's argument: "id" for users, "user_id" for sessions and tokens.
    await q.query(`CREATE FUNCTION "roster_notify_user"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('roster_changes', 'u:' || (to_jsonb(CASE WHEN TG_OP = 'INSERT' THEN NEW ELSE OLD END) ->> TG_ARGV[0]));
        RETURN NULL;
      END $$`);
    await q.query(`CREATE FUNCTION "roster_notify_all"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_notify('roster_changes', '*'); RETURN NULL; END $$`);

    await q.query(`CREATE TRIGGER "users_changed" AFTER UPDATE OF "status", "role_id", "email" ON "users" FOR EACH ROW
      WHEN (OLD."status" IS DISTINCT FROM NEW."status" OR OLD."role_id" IS DISTINCT FROM NEW."role_id" OR OLD."email" IS DISTINCT FROM NEW."email")
      EXECUTE FUNCTION "roster_notify_user"('id')`);
    await q.query(`CREATE TRIGGER "users_deleted" AFTER DELETE ON "users" FOR EACH ROW EXECUTE FUNCTION "roster_notify_user"('id')`);
    await q.query(
      `CREATE TRIGGER "sessions_ended" AFTER DELETE ON "sessions" FOR EACH ROW EXECUTE FUNCTION "roster_notify_user"('user_id')`,
    );
    await q.query(`CREATE TRIGGER "api_tokens_changed" AFTER DELETE OR UPDATE OF "expires_at", "role_id", "token_hash" ON "api_tokens"
      FOR EACH ROW EXECUTE FUNCTION "roster_notify_user"('user_id')`);
    await q.query(
      `CREATE TRIGGER "roles_changed" AFTER INSERT OR UPDATE OR DELETE ON "roles" FOR EACH STATEMENT EXECUTE FUNCTION "roster_notify_all"()`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "roles_changed" ON "roles"`);
    await q.query(`DROP TRIGGER "api_tokens_changed" ON "api_tokens"`);
    await q.query(`DROP TRIGGER "sessions_ended" ON "sessions"`);
    await q.query(`DROP TRIGGER "users_deleted" ON "users"`);
    await q.query(`DROP TRIGGER "users_changed" ON "users"`);
    await q.query(`DROP FUNCTION "roster_notify_all"()`);
    await q.query(`DROP FUNCTION "roster_notify_user"()`);
  }
}
