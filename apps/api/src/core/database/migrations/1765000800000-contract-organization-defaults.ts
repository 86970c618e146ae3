import { MigrationInterface, QueryRunner } from 'typeorm';

/** The tables whose `organization_id` defaulted to the first organization while writers did not name theirs. */
const TABLES = ['roles', 'teams', 'user_teams', 'invitations', 'api_tokens', 'two_factor_policy', 'audit_events'];

/**
 * Organizations, last step: every writer names its organization, so `organization_id` loses its
 * default (the first organization) and `roster_first_organization()` goes with it. A write that forgets
 * the organization now fails (NOT NULL; the audit log's column, NULL for the platform's events, has no
 * constraint to fail, its one writer names it) instead of landing in the first organization.
 */
export class ContractOrganizationDefaults1765000800000 implements MigrationInterface {
  name = 'ContractOrganizationDefaults1765000800000';

  public async up(q: QueryRunner): Promise<void> {
    for (const table of TABLES) await q.query(`ALTER TABLE "${table}" ALTER "organization_id" DROP DEFAULT`);
    await q.query(`DROP FUNCTION "roster_first_organization"()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION "roster_first_organization"() RETURNS uuid LANGUAGE sql STABLE
      AS $$ SELECT "id" FROM "organizations" ORDER BY "created_at", "id" LIMIT 1 $$`);
    for (const table of TABLES) await q.query(`ALTER TABLE "${table}" ALTER "organization_id" SET DEFAULT roster_first_organization()`);
  }
}
