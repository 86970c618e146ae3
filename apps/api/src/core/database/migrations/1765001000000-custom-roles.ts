import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Custom roles: each organization writes its own roles besides the four built-in ones. A role gains a
 * description; its name is unique in its organization whatever the case; the permission to hand out
 * Admin retires (the subset rule decides who grants what) and the Admin roles gain the permission to
 * manage roles instead. `rank` stays as a sort key the API derives from the permissions.
 */
export class CustomRoles1765001000000 implements MigrationInterface {
  name = 'CustomRoles1765001000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "roles" ADD "description" text NOT NULL DEFAULT ''`);
    await q.query(`CREATE UNIQUE INDEX "roles_organization_name_lower" ON "roles" ("organization_id", lower("name"))`);
    await q.query(`ALTER TABLE "roles" DROP CONSTRAINT "roles_organization_name"`);
    await q.query(`UPDATE "roles" SET "permissions" = array_replace("permissions", 'roles:grant-admin', 'roles:manage')
      WHERE 'roles:grant-admin' = ANY("permissions")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    // Names unique in any case are unique as written too: the old constraint always holds.
    await q.query(`UPDATE "roles" SET "permissions" = array_replace("permissions", 'roles:manage', 'roles:grant-admin')
      WHERE 'roles:manage' = ANY("permissions")`);
    await q.query(`ALTER TABLE "roles" ADD CONSTRAINT "roles_organization_name" UNIQUE ("organization_id", "name")`);
    await q.query(`DROP INDEX "roles_organization_name_lower"`);
    await q.query(`ALTER TABLE "roles" DROP COLUMN "description"`);
  }
}
