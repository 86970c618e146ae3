import { MigrationInterface, QueryRunner } from 'typeorm';
import { slugify } from '@roster/contracts/organizations';

/** The tables whose rows belong to one organization, and whether the organization's deletion takes them. */
const ORGANIZATION_TABLES: { table: string; cascade: boolean }[] = [
  { table: 'roles', cascade: true },
  { table: 'teams', cascade: true },
  { table: 'user_teams', cascade: true },
  { table: 'invitations', cascade: true },
  { table: 'api_tokens', cascade: true },
  { table: 'two_factor_policy', cascade: true },
  // Audit events outlive their organization (the record of what happened), and platform events have none.
  { table: 'audit_events', cascade: false },
];

/**
 * Organizations, first step: the table, and every organization's table gains `organization_id`. A
 * database from before holds one company: it becomes one organization (named by ORGANIZATION_NAME,
 * "Default" unless said), and every row is its. While writers do not yet name their organization, the
 * column's default is the first organization (`roster_first_organization()`); the default goes once
 * every writer names it.
 */
export class Organizations1765000000000 implements MigrationInterface {
  name = 'Organizations1765000000000';

  /** The first organization's name (the server passes ORGANIZATION_NAME; see core/database/migrations.ts). */
  organizationName = 'Default';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "organizations" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "slug" text,
      "name" text NOT NULL,
      "status" character varying(16) NOT NULL DEFAULT 'ACTIVE',
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "organizations_status" CHECK ("status" IN ('ACTIVE', 'SUSPENDED', 'DELETING')),
      CONSTRAINT "organizations_slug_shape" CHECK ("slug" ~ '^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$'),
      CONSTRAINT "PK_organizations" PRIMARY KEY ("id"))`);
    // A slug is unique among live organizations; one being deleted gives its slug up (NULL).
    await q.query(`CREATE UNIQUE INDEX "organizations_slug" ON "organizations" ("slug")`);
    await q.query(`CREATE INDEX "organizations_name_sort" ON "organizations" (lower("name"), "id")`);
    await q.query(`INSERT INTO "organizations" ("name", "slug") VALUES ($1, $2)`, [this.organizationName, slugify(this.organizationName)]);
    await q.query(`CREATE FUNCTION "roster_first_organization"() RETURNS uuid LANGUAGE sql STABLE
      AS $$ SELECT "id" FROM "organizations" ORDER BY "created_at", "id" LIMIT 1 $$`);
    for (const { table, cascade } of ORGANIZATION_TABLES) {
      await q.query(`ALTER TABLE "${table}" ADD "organization_id" uuid`);
      await q.query(`UPDATE "${table}" SET "organization_id" = roster_first_organization()`);
      await q.query(`ALTER TABLE "${table}" ALTER "organization_id" SET DEFAULT roster_first_organization()`);
      if (!cascade) continue;
      await q.query(`ALTER TABLE "${table}" ALTER "organization_id" SET NOT NULL`);
      await q.query(`ALTER TABLE "${table}" ADD CONSTRAINT "FK_${table}_organization" FOREIGN KEY ("organization_id")
        REFERENCES "organizations"("id") ON DELETE CASCADE`);
      await q.query(`CREATE INDEX "${table}_organization" ON "${table}" ("organization_id")`);
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    const [{ n }]: { n: string }[] = await q.query(`SELECT count(*) AS n FROM "organizations"`);
    if (Number(n) > 1) throw new Error(`Cannot revert Organizations: ${n} organizations exist, and the schema before holds one`);
    for (const { table, cascade } of [...ORGANIZATION_TABLES].reverse()) {
      if (cascade) {
        await q.query(`DROP INDEX "${table}_organization"`);
        await q.query(`ALTER TABLE "${table}" DROP CONSTRAINT "FK_${table}_organization"`);
      }
      await q.query(`ALTER TABLE "${table}" DROP COLUMN "organization_id"`);
    }
    await q.query(`DROP FUNCTION "roster_first_organization"()`);
    await q.query(`DROP TABLE "organizations"`);
  }
}
