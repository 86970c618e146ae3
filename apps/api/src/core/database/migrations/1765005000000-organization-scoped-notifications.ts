import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Roles, and an organization's two-factor policy, are announced on `roster_changes` as a change to their
 * organization (`o:<id>`: every instance drops that organization's cached principals, roles and counts)
 * instead of to everything: one organization's admin editing a role no longer empties the caches of every
 * other organization on every instance. A statement that touches more than 16 organizations (a migration's,
 * an operator's script) still announces `*`, and so does a TRUNCATE.
 */
export class OrganizationScopedNotifications1765005000000 implements MigrationInterface {
  name = 'OrganizationScopedNotifications1765005000000';

  public async up(q: QueryRunner): Promise<void> {
    // Like every trigger function since row-level security: run as its owner, with a fixed search path.
    const [{ schema }]: { schema: string }[] = await q.query(`SELECT quote_ident(current_schema()) AS schema`);
    // The statement's rows, as `changed_rows` (a transition table): each trigger below names its own so.
    await q.query(`CREATE FUNCTION "roster_notify_organizations"() RETURNS trigger LANGUAGE plpgsql
      SECURITY DEFINER SET search_path = ${schema}, pg_temp AS $$
      DECLARE ids text[];
      BEGIN
        SELECT array_agg(DISTINCT "organization_id"::text) INTO ids FROM changed_rows;
        IF ids IS NULL THEN RETURN NULL; END IF;
        IF cardinality(ids) > 16 THEN PERFORM pg_notify('roster_changes', '*');
        ELSE PERFORM pg_notify('roster_changes', 'o:' || id) FROM unnest(ids) AS id;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`DROP TRIGGER "roles_changed" ON "roles"`);
    // A transition table belongs to one event: one trigger each.
    await q.query(`CREATE TRIGGER "roles_inserted" AFTER INSERT ON "roles" REFERENCING NEW TABLE AS changed_rows
      FOR EACH STATEMENT EXECUTE FUNCTION "roster_notify_organizations"()`);
    await q.query(`CREATE TRIGGER "roles_updated" AFTER UPDATE ON "roles" REFERENCING NEW TABLE AS changed_rows
      FOR EACH STATEMENT EXECUTE FUNCTION "roster_notify_organizations"()`);
    await q.query(`CREATE TRIGGER "roles_deleted" AFTER DELETE ON "roles" REFERENCING OLD TABLE AS changed_rows
      FOR EACH STATEMENT EXECUTE FUNCTION "roster_notify_organizations"()`);
    await q.query(`CREATE TRIGGER "roles_truncated" AFTER TRUNCATE ON "roles" FOR EACH STATEMENT EXECUTE FUNCTION "roster_notify_all"()`);
    await q.query(`DROP TRIGGER "two_factor_policy_changed" ON "two_factor_policy"`);
    // Written by INSERT … ON CONFLICT DO UPDATE: an organization's first policy is an insert.
    await q.query(`CREATE TRIGGER "two_factor_policy_inserted" AFTER INSERT ON "two_factor_policy" REFERENCING NEW TABLE AS changed_rows
      FOR EACH STATEMENT EXECUTE FUNCTION "roster_notify_organizations"()`);
    await q.query(`CREATE TRIGGER "two_factor_policy_changed" AFTER UPDATE ON "two_factor_policy" REFERENCING NEW TABLE AS changed_rows
      FOR EACH STATEMENT EXECUTE FUNCTION "roster_notify_organizations"()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "two_factor_policy_changed" ON "two_factor_policy"`);
    await q.query(`DROP TRIGGER "two_factor_policy_inserted" ON "two_factor_policy"`);
    await q.query(`CREATE TRIGGER "two_factor_policy_changed" AFTER UPDATE ON "two_factor_policy" FOR EACH STATEMENT
      EXECUTE FUNCTION "roster_notify_all"()`);
    await q.query(`DROP TRIGGER "roles_truncated" ON "roles"`);
    await q.query(`DROP TRIGGER "roles_deleted" ON "roles"`);
    await q.query(`DROP TRIGGER "roles_updated" ON "roles"`);
    await q.query(`DROP TRIGGER "roles_inserted" ON "roles"`);
    await q.query(
      `CREATE TRIGGER "roles_changed" AFTER INSERT OR UPDATE OR DELETE ON "roles" FOR EACH STATEMENT EXECUTE FUNCTION "roster_notify_all"()`,
    );
    await q.query(`DROP FUNCTION "roster_notify_organizations"()`);
  }
}
