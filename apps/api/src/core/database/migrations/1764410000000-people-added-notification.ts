import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People added are announced on `roster_changes` as `n` (once per statement, however many rows):
 * each instance's cached search counts (users/search-counts.ts) must then be read again. Changes
 * and deletions of people are already announced (`u:<id>`).
 */
export class PeopleAddedNotification1764410000000 implements MigrationInterface {
  name = 'PeopleAddedNotification1764410000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION "roster_notify_people_added"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_notify('roster_changes', 'n'); RETURN NULL; END $$`);
    await q.query(
      `CREATE TRIGGER "users_added" AFTER INSERT ON "users" FOR EACH STATEMENT EXECUTE FUNCTION "roster_notify_people_added"()`,
    );
    // Row triggers do not fire on TRUNCATE (an operator's reset): everything cached goes.
    await q.query(`CREATE TRIGGER "users_truncated" AFTER TRUNCATE ON "users" FOR EACH STATEMENT EXECUTE FUNCTION "roster_notify_all"()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "users_truncated" ON "users"`);
    await q.query(`DROP TRIGGER "users_added" ON "users"`);
    await q.query(`DROP FUNCTION "roster_notify_people_added"()`);
  }
}
