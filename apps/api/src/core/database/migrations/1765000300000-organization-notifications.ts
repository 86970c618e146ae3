import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A change to an organization that alters who may act in it (its status or slug) or what a request
 * learns of it (its name), and its deletion, are announced on `roster_changes` as `o:<id>`: every
 * instance then drops the cached principals acting in it, or refused for naming it, so a suspension
 * refuses the organization's requests everywhere within moments.
 */
export class OrganizationNotifications1765000300000 implements MigrationInterface {
  name = 'OrganizationNotifications1765000300000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION "roster_notify_organization"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_notify('roster_changes', 'o:' || OLD."id"); RETURN NULL; END $$`);
    await q.query(`CREATE TRIGGER "organizations_changed" AFTER UPDATE ON "organizations" FOR EACH ROW
      WHEN (OLD."status" IS DISTINCT FROM NEW."status" OR OLD."slug" IS DISTINCT FROM NEW."slug" OR OLD."name" IS DISTINCT FROM NEW."name")
      EXECUTE FUNCTION "roster_notify_organization"()`);
    await q.query(`CREATE TRIGGER "organizations_deleted" AFTER DELETE ON "organizations" FOR EACH ROW
      EXECUTE FUNCTION "roster_notify_organization"()`);
    // Row triggers do not fire on TRUNCATE: everything cached goes.
    await q.query(
      `CREATE TRIGGER "organizations_truncated" AFTER TRUNCATE ON "organizations" FOR EACH STATEMENT EXECUTE FUNCTION "roster_notify_all"()`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "organizations_truncated" ON "organizations"`);
    await q.query(`DROP TRIGGER "organizations_deleted" ON "organizations"`);
    await q.query(`DROP TRIGGER "organizations_changed" ON "organizations"`);
    await q.query(`DROP FUNCTION "roster_notify_organization"()`);
  }
}
