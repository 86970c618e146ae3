import { MigrationInterface, QueryRunner } from 'typeorm';

/** How many rows each organization's member count is spread over (see the migration). */
export const MEMBERSHIP_COUNT_SLOTS = 16;

/**
 * Each organization's member count over up to 16 rows (`slot` 0–15), summed when read.
 *
 * With one row per organization, every membership insert, delete or status change added to that row and held
 * its lock until commit, so the writes of one organization took turns: a SCIM sync at concurrency 4 waited on
 * the counter from each membership insert to the previous creation's commit flush (docs/performance.md, SCIM).
 * A transaction now adds into the slot its transaction id picks (`txid_current() % 16`): concurrent
 * transactions have nearby ids, so up to 16 writers of one organization each hold a slot of their own, and every
 * statement of one transaction adds into the same slot (no transaction holds two slots of an organization and
 * waits for a third, hence no deadlock between two of them). 16 covers the writers one organization sees at once
 * (an identity provider uses 1 to ~5 connections; a pool has 20) while a read stays a few entries of one
 * primary-key range (an organization's slots share an index page). A slot may go negative (a delete in another
 * slot than the insert); only the sum means anything. A statement touching several organizations adds in
 * organization order.
 */
export class MembershipCountSlots1765003100000 implements MigrationInterface {
  name = 'MembershipCountSlots1765003100000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "membership_counts" ADD "slot" smallint NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE "membership_counts" DROP CONSTRAINT "PK_membership_counts"`);
    await q.query(`ALTER TABLE "membership_counts" ADD CONSTRAINT "PK_membership_counts" PRIMARY KEY ("organization_id", "slot")`);
    await q.query(`ALTER TABLE "membership_counts" ADD CONSTRAINT "membership_counts_slot"
      CHECK ("slot" >= 0 AND "slot" < ${MEMBERSHIP_COUNT_SLOTS})`);
    await q.query(`CREATE OR REPLACE FUNCTION "membership_counts_add"(deltas jsonb) RETURNS void LANGUAGE sql AS $$
      INSERT INTO "membership_counts" ("organization_id", "slot", "total", "invited")
      SELECT (d->>'o')::uuid, (txid_current() % ${MEMBERSHIP_COUNT_SLOTS})::smallint, (d->>'t')::bigint, (d->>'i')::bigint
        FROM jsonb_array_elements(deltas) d ORDER BY 1
      ON CONFLICT ("organization_id", "slot") DO UPDATE
        SET "total" = "membership_counts"."total" + EXCLUDED."total", "invited" = "membership_counts"."invited" + EXCLUDED."invited" $$`);
  }

  public async down(q: QueryRunner): Promise<void> {
    // One row per organization again, its slots summed into slot 0.
    await q.query(`INSERT INTO "membership_counts" ("organization_id", "slot")
      SELECT DISTINCT "organization_id", 0 FROM "membership_counts" ON CONFLICT DO NOTHING`);
    await q.query(`UPDATE "membership_counts" c SET "total" = s."total", "invited" = s."invited"
      FROM (SELECT "organization_id", sum("total") AS "total", sum("invited") AS "invited" FROM "membership_counts" GROUP BY 1) s
     WHERE c."organization_id" = s."organization_id" AND c."slot" = 0`);
    await q.query(`DELETE FROM "membership_counts" WHERE "slot" <> 0`);
    await q.query(`ALTER TABLE "membership_counts" DROP CONSTRAINT "membership_counts_slot"`);
    await q.query(`ALTER TABLE "membership_counts" DROP CONSTRAINT "PK_membership_counts"`);
    await q.query(`ALTER TABLE "membership_counts" DROP COLUMN "slot"`);
    await q.query(`ALTER TABLE "membership_counts" ADD CONSTRAINT "PK_membership_counts" PRIMARY KEY ("organization_id")`);
    await q.query(`CREATE OR REPLACE FUNCTION "membership_counts_add"(deltas jsonb) RETURNS void LANGUAGE sql AS $$
      INSERT INTO "membership_counts" ("organization_id", "total", "invited")
      SELECT (d->>'o')::uuid, (d->>'t')::bigint, (d->>'i')::bigint FROM jsonb_array_elements(deltas) d
      ON CONFLICT ("organization_id") DO UPDATE
        SET "total" = "membership_counts"."total" + EXCLUDED."total", "invited" = "membership_counts"."invited" + EXCLUDED."invited" $$`);
  }
}
