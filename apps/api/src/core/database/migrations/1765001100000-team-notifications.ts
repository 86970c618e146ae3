import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A team renamed or deleted is announced on `roster_changes` as `t:<organization id>`: every instance
 * then drops that organization's cached team names (the users page names its rows' teams from them).
 * A new team needs no announcement: a page that meets a team id it does not know reads the names again.
 */
export class TeamNotifications1765001100000 implements MigrationInterface {
  name = 'TeamNotifications1765001100000';

  public async up(q: QueryRunner): Promise<void> {
    // Like every trigger function since row-level security: run as its owner, with a fixed search path,
    // whichever role renamed or deleted the team.
    const [{ schema }]: { schema: string }[] = await q.query(`SELECT quote_ident(current_schema()) AS schema`);
    await q.query(`CREATE FUNCTION "roster_notify_teams"() RETURNS trigger LANGUAGE plpgsql
      SECURITY DEFINER SET search_path = ${schema}, pg_temp AS $$
      BEGIN PERFORM pg_notify('roster_changes', 't:' || OLD."organization_id"); RETURN NULL; END $$`);
    await q.query(`CREATE TRIGGER "teams_changed" AFTER UPDATE ON "teams" FOR EACH ROW
      WHEN (OLD."name" IS DISTINCT FROM NEW."name" OR OLD."organization_id" IS DISTINCT FROM NEW."organization_id")
      EXECUTE FUNCTION "roster_notify_teams"()`);
    await q.query(`CREATE TRIGGER "teams_deleted" AFTER DELETE ON "teams" FOR EACH ROW EXECUTE FUNCTION "roster_notify_teams"()`);
    // Row triggers do not fire on TRUNCATE: everything cached goes.
    await q.query(`CREATE TRIGGER "teams_truncated" AFTER TRUNCATE ON "teams" FOR EACH STATEMENT EXECUTE FUNCTION "roster_notify_all"()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "teams_truncated" ON "teams"`);
    await q.query(`DROP TRIGGER "teams_deleted" ON "teams"`);
    await q.query(`DROP TRIGGER "teams_changed" ON "teams"`);
    await q.query(`DROP FUNCTION "roster_notify_teams"()`);
  }
}
